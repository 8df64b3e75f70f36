//! `slsasync check [FILES]`: schema and rule findings for every config named
//! (files, directories, or `-` for stdin), checked in parallel, reported in a
//! stable order.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cli::{CheckArgs, CheckFormat, FailOn};
use crate::diag::{Failure, Fatal};
use crate::lint::{self, LintOptions};
use crate::load::{self, CONFIG_NAMES, LoadOptions};
use crate::report::findings::{FileReport, totals};
use crate::report::{self, github, human, json, sarif, short};
use crate::rules::Severity;

use super::Outcome;

/// One input: a path on disk, or stdin under a display name.
#[derive(Clone, Debug)]
enum Input {
    File(PathBuf),
    Stdin(PathBuf),
}

/// Expand the FILES arguments: directories are searched for configs,
/// skipping `node_modules/`, `.serverless/` and what `.gitignore` ignores.
fn inputs(args: &CheckArgs) -> Result<Vec<Input>, Failure> {
    if args.files.is_empty() {
        return Ok(vec![Input::File(load::find_in_dir(Path::new(""))?)]);
    }
    let mut out = Vec::new();
    for f in &args.files {
        if f.as_os_str() == "-" {
            let name = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| PathBuf::from("serverless.yml"));
            out.push(Input::Stdin(name));
        } else if f.is_dir() {
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(f)
                .hidden(false)
                .require_git(false)
                .filter_entry(|e| {
                    let n = e.file_name().to_string_lossy();
                    !(n == "node_modules" || n == ".serverless" || n == ".git")
                })
                .build()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
                .map(|e| e.into_path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| CONFIG_NAMES.contains(&n))
                })
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(Fatal::new(format!(
                    "no serverless.yml, serverless.yaml or serverless.json under {}",
                    f.display()
                ))
                .help("name the config files, or a directory that contains them")
                .into());
            }
            out.extend(found.into_iter().map(Input::File));
        } else {
            out.push(Input::File(f.clone()));
        }
    }
    Ok(out)
}

fn check_one(
    input: &Input,
    load_opts: &LoadOptions,
    lint_opts: &LintOptions,
    stdin: Option<&str>,
) -> FileReport {
    let load_with = |opts: &LoadOptions| match input {
        Input::File(p) => (p.clone(), load::load(p, opts)),
        Input::Stdin(name) => (
            name.clone(),
            load::load_text(name, stdin.unwrap_or_default().to_owned(), opts),
        ),
    };
    let (path, mut loaded) = load_with(load_opts);
    // `custom.slsasync.framework` picks the release unless --framework did.
    if load_opts.framework.is_none()
        && let Ok(config) = &loaded
        && let Some(wanted) = lint::settings::framework(&config.raw)
        && wanted != config.target.framework
    {
        let opts = LoadOptions {
            framework: Some(wanted),
            stage: load_opts.stage.clone(),
            region: load_opts.region.clone(),
            env: load_opts.env.clone(),
            allow_outside: load_opts.allow_outside,
        };
        loaded = load_with(&opts).1.map(|mut c| {
            c.target.reason = "custom.slsasync.framework".to_owned();
            c
        });
    }
    let display = path.display().to_string();
    match loaded {
        Err(failure) => FileReport {
            path: display,
            sources: failure.sources.map(|s| *s),
            findings: Vec::new(),
            suppressed: 0,
            fatal: Some(*failure.fatal),
            framework: None,
            notes: Vec::new(),
        },
        Ok(config) => {
            let result = lint::lint(&config, lint_opts);
            FileReport {
                path: display,
                framework: Some(config.target.framework.release()),
                notes: config
                    .target
                    .note
                    .iter()
                    .cloned()
                    .chain(result.notes)
                    .collect(),
                sources: Some(config.sources),
                findings: result.findings,
                suppressed: result.suppressed,
                fatal: None,
            }
        }
    }
}

/// Check every input on all cores; results in input order.
fn check_all(
    inputs: &[Input],
    load_opts: &LoadOptions,
    lint_opts: &LintOptions,
    stdin: Option<&str>,
) -> Vec<FileReport> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(inputs.len())
        .max(1);
    if workers == 1 {
        return inputs
            .iter()
            .map(|i| check_one(i, load_opts, lint_opts, stdin))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let mut slots: Vec<(usize, FileReport)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(input) = inputs.get(i) else { break };
                        done.push((i, check_one(input, load_opts, lint_opts, stdin)));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    slots.sort_by_key(|(i, _)| *i);
    slots.into_iter().map(|(_, r)| r).collect()
}

fn fix_inputs(inputs: &[Input]) -> Vec<super::fix::FixInput> {
    inputs
        .iter()
        .map(|i| match i {
            Input::File(p) => super::fix::FixInput::File(p.clone()),
            Input::Stdin(n) => super::fix::FixInput::Stdin(n.clone()),
        })
        .collect()
}

fn split_list(items: &[String]) -> Vec<String> {
    items
        .iter()
        .flat_map(|s| s.split(','))
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

pub fn run(args: &CheckArgs, color: bool) -> Result<Outcome, Failure> {
    if args.unsafe_fixes && !(args.fix || args.diff) {
        return Err(Fatal::new("--unsafe-fixes does nothing without --fix or --diff")
            .help("`slsasync check --fix --unsafe-fixes` applies them; `--diff --unsafe-fixes` shows them")
            .into());
    }
    let select = split_list(&args.select);
    let ignore = split_list(&args.ignore);
    for sel in select.iter().chain(&ignore) {
        if !lint::is_known(sel) {
            let hint = lint::suggest(sel)
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            return Err(Fatal::new(format!("unknown rule `{sel}` in --select/--ignore"))
                .help(format!("{hint}use a code (SLS-ASYNC-001), a prefix (SLS-ASYNC) or a name; `slsasync rules` lists them"))
                .into());
        }
    }
    let inputs = inputs(args)?;
    let stdin = match inputs.iter().find_map(|i| match i {
        Input::Stdin(name) => Some(name),
        Input::File(_) => None,
    }) {
        Some(name) => Some(load::read_stdin(name)?),
        None => None,
    };
    let load_opts = LoadOptions::from(&args.read);
    let lint_opts = LintOptions {
        strict: args.strict,
        select,
        ignore,
    };
    if (args.fix || args.diff)
        && let Some(outcome) = super::fix::run(
            args,
            &fix_inputs(&inputs),
            stdin.as_deref(),
            &load_opts,
            &lint_opts,
            color,
        )?
    {
        return Ok(outcome);
    }
    // After --fix: what remains.
    let reports = check_all(&inputs, &load_opts, &lint_opts, stdin.as_deref());
    let text = match args.format {
        CheckFormat::Human => human::render(&reports, color),
        CheckFormat::Short => short::render(&reports),
        CheckFormat::Json => json::render(&reports),
        CheckFormat::Sarif => sarif::render(&reports, &lint::catalogue()),
        CheckFormat::Github => github::render(&reports),
    };
    report::stdout(&text);
    let t = totals(&reports);
    if t.failed_files > 0 {
        return Ok(Outcome::CouldNotRun);
    }
    if args.exit_zero {
        return Ok(Outcome::Success);
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let failing = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity >= threshold);
    Ok(if failing {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}
