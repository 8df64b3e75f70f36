//! `slsasync render [FUNCTION]`: the CloudFormation of the http events.

use crate::cli::{RenderArgs, RenderFormat};
use crate::compile::{self, Options};
use crate::diag::{Failure, Fatal};
use crate::load::{self, Config};
use crate::model::unresolved_inputs;
use crate::report;

use super::{Outcome, load_config};

/// The deployment instant: `--timestamp`, else `SOURCE_DATE_EPOCH` (seconds), else now.
pub fn timestamp_ms(flag: Option<u64>) -> Result<u64, Fatal> {
    if let Some(ms) = flag {
        return Ok(ms);
    }
    if let Some(v) = std::env::var_os("SOURCE_DATE_EPOCH") {
        let s = v.to_string_lossy();
        return s
            .trim()
            .parse::<u64>()
            .map(|secs| secs.saturating_mul(1000))
            .map_err(|_| {
                Fatal::new(format!(
                    "SOURCE_DATE_EPOCH is '{s}', not a number of seconds"
                ))
                .help("unset it, or set it to seconds since the epoch, or pass --timestamp MS")
            });
    }
    Ok(std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64))
}

/// Compile a loaded config the way `serverless package` would, or say why not.
pub fn compile_config(
    config: &Config,
    function: Option<&str>,
    timestamp_ms: u64,
    stage: Option<String>,
    region: Option<String>,
) -> Result<compile::Output, Fatal> {
    if let Some((message, loc)) = load::version_mismatch(config) {
        return Err(Fatal::new(message)
            .at(loc)
            .label("the mirrored release is outside this range")
            .help(format!(
                "Serverless Framework {} refuses this config; pass --framework to mirror a release the range allows",
                config.target.framework.release()
            )));
    }
    let missing = unresolved_inputs(&config.root, function);
    if let Some(first) = missing.first() {
        let mut fatal = Fatal::new(format!(
            "cannot render: {} value{} that the http events depend on cannot be resolved without deploying",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" }
        ))
        .at(first.loc)
        .label(unresolved_label(first))
        .help("pass the value on the command line (--stage, --region), set the environment variable, or make the reference static");
        for n in missing.iter().skip(1) {
            fatal = fatal.related(n.loc, unresolved_label(n));
        }
        return Err(fatal);
    }
    let opts = Options {
        framework: config.target.framework,
        timestamp_ms,
        stage,
        region,
    };
    compile::compile(&config.root, &opts).map_err(|e| {
        let help = e.help.clone().unwrap_or_else(|| {
            format!(
                "this is what Serverless Framework {} says; fix the config, or run `slsasync check` for details",
                config.target.framework.release()
            )
        });
        let mut f = Fatal::new(e.message).help(help);
        if let Some(loc) = e.loc {
            f = f.at(loc);
        }
        f
    })
}

fn unresolved_label(n: &crate::source::Node) -> String {
    match &n.value {
        crate::source::Value::Unresolved(u) => {
            format!("`{}` is not resolved ({})", u.text, u.reason)
        }
        _ => "not resolved".to_owned(),
    }
}

pub fn run(args: &RenderArgs, color: bool) -> Result<Outcome, Failure> {
    let timestamp = timestamp_ms(args.timestamp)?;
    let config = load_config(args.config.as_deref(), &args.read)?;
    if args.verbose {
        let mut line = format!(
            "slsasync: mirroring Serverless Framework {} ({})\n",
            config.target.framework.release(),
            config.target.reason
        );
        if let Some(note) = &config.target.note {
            line.push_str(&format!("note: {note}\n"));
        }
        report::stderr(&line);
    }
    let output = match compile_config(
        &config,
        args.function.as_deref(),
        timestamp,
        args.read.stage.clone(),
        args.read.region.clone(),
    ) {
        Ok(o) => o,
        Err(f) => return Err(f.with_sources(config.sources)),
    };
    for w in &output.warnings {
        report::stderr(&crate::report::sanitize::terminal_safe(
            &format!("warning: {}\n", w.message),
            false,
        ));
    }
    if let Some(name) = &args.function
        && !output.has_http_events(name)
    {
        return Err(no_http_function(&config, name).with_sources(config.sources));
    }
    match args.format {
        RenderFormat::Json => {
            // Written a resource at a time: a template of thousands of
            // methods is never held as one string.
            let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let _ = match &args.function {
                None => output.write_document(&mut w),
                Some(name) => output
                    .write_function_document(&mut w, name, args.full)
                    .map(|_| ()),
            };
            let _ = std::io::Write::flush(&mut w);
        }
        RenderFormat::Yaml => {
            let mut document = match &args.function {
                None => output.document(),
                Some(name) => output
                    .function_document(name, args.full)
                    .unwrap_or_default(),
            };
            crate::source::json::js_order(&mut document);
            report::stdout(&report::yaml_out::to_yaml(&document));
        }
    }
    let _ = color;
    // The process ends here: freeing a large template object by object
    // would take longer than building it.
    std::mem::forget((config, output));
    Ok(Outcome::Success)
}

/// The function is unknown or has no http event: say which ones exist.
pub fn no_http_function(config: &Config, name: &str) -> Fatal {
    let functions = crate::model::function_names(&config.root);
    let with_http = crate::model::functions_with_http(&config.root);
    if functions.iter().any(|f| f == name) {
        Fatal::new(format!("function `{name}` has no http event"))
            .help(candidates("functions with http events", &with_http))
    } else {
        let mut f = Fatal::new(format!("no function `{name}` in {}", config.path.display()));
        if let Some(close) = crate::model::closest(name, &functions) {
            f = f.help(format!(
                "did you mean `{close}`? {}",
                candidates("functions with http events", &with_http)
            ));
        } else {
            f = f.help(candidates("functions with http events", &with_http));
        }
        f
    }
}

fn candidates(what: &str, list: &[String]) -> String {
    if list.is_empty() {
        format!("there are no {what}")
    } else {
        format!("{what}: {}", list.join(", "))
    }
}
