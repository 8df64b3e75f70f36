//! `slsasync make-async FUNCTION` / `make-sync FUNCTION`: edit the config in
//! place, prove the edit, print the diff and the CloudFormation after it.
//!
//! Steps: read the file once (bytes and metadata kept for the write check) →
//! load it → plan the intent ([`crate::edit::intent`]) → nothing to do: one
//! line, exit 0 → prove the edited text (loaded again, model equal to the
//! intended one, a second run a no-op) → compile the function's http events
//! after the change → print → write atomically unless `--dry-run`/`--check`.
//!
//! Output: stdout gets the unified diff of the file, a blank line, then the
//! function's CloudFormation after the change (exactly `render FUNCTION`), or
//! with `--cfn-diff` the diff of that CloudFormation before/after; stderr
//! gets the notes and a summary line. `--format json` prints one JSON
//! document instead (see [`json_report`]).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use serde_json::{Value as Json, json};

use crate::cli::{
    EventArgs, MakeAsyncArgs, MakeSyncArgs, ReadArgs, TransformFormat, TransformOutputArgs,
};
use crate::diag::{Failure, Fatal};
use crate::edit::diff;
use crate::edit::intent::{self, Plan, Request, Selector, Transform};
use crate::edit::ops::Op;
use crate::edit::write::{self, Snapshot};
use crate::load::{self, Config, LoadOptions};
use crate::report::sanitize::{lines_safe, terminal_safe};
use crate::report::{self, ColorChoice};
use crate::source::json::stringify_pretty;

use super::render::{compile_config, timestamp_ms};
use super::{Outcome, config_path};

/// Version of the `--format json` document.
pub const JSON_VERSION: u32 = 1;

/// `make-async`.
pub fn run_async(args: &MakeAsyncArgs, color: ColorChoice) -> Result<Outcome, Failure> {
    let job = Job {
        function: &args.function,
        config: args.config.as_deref(),
        transform: Transform::Async {
            status: args.status,
        },
        event: &args.event,
        output: &args.output,
        read: &args.read,
    };
    job.run(color)
}

/// `make-sync`.
pub fn run_sync(args: &MakeSyncArgs, color: ColorChoice) -> Result<Outcome, Failure> {
    let job = Job {
        function: &args.function,
        config: args.config.as_deref(),
        transform: Transform::Sync {
            status: args.status,
            proxy: args.proxy,
        },
        event: &args.event,
        output: &args.output,
        read: &args.read,
    };
    job.run(color)
}

struct Job<'a> {
    function: &'a str,
    config: Option<&'a Path>,
    transform: Transform,
    event: &'a EventArgs,
    output: &'a TransformOutputArgs,
    read: &'a ReadArgs,
}

/// What the function's CloudFormation looks like, or why it cannot be rendered.
type Rendered = Result<String, Fatal>;

impl Job<'_> {
    fn selector(&self) -> Selector {
        let e = self.event;
        if let Some(n) = e.event {
            Selector::Index(n)
        } else if e.all {
            Selector::All
        } else if e.path.is_some() || e.method.is_some() {
            Selector::Match {
                path: e.path.clone(),
                method: e.method.clone(),
            }
        } else {
            Selector::Only
        }
    }

    fn run(&self, color: ColorChoice) -> Result<Outcome, Failure> {
        let color = report::use_color(color, std::io::stdout().is_terminal());
        let timestamp = timestamp_ms(self.output.timestamp)?;
        let path = config_path(self.config)?;
        if path.extension().and_then(|e| e.to_str()) == Some("json") {
            return Err(Fatal::new(format!(
                "{}: {} edits YAML configs; serverless.json is not supported",
                path.display(),
                self.transform.command()
            ))
            .help("make the change by hand, or convert the config to serverless.yml")
            .into());
        }
        let opts = LoadOptions::from(self.read);
        let snapshot = Snapshot::read(&path).map_err(|e| {
            Fatal::new(format!("cannot read {}: {e}", path.display()))
                .help("check the path given with -c")
        })?;
        let text = load::decode_text(&path, snapshot.bytes.clone())?;
        let config = load::load_text(&path, text, &opts)?;
        let req = Request {
            function: self.function.to_owned(),
            transform: self.transform,
            select: self.selector(),
        };
        let plan = match intent::plan(&config, &req) {
            Ok(p) => p,
            Err(f) => return Err(f.with_sources(config.sources)),
        };
        let shown = shown_path(&path);
        if !plan.changed() {
            return Ok(self.nothing_to_do(&config, &plan, &shown));
        }
        let after = match intent::prove(&config, &plan, &req, &opts) {
            Ok(a) => a,
            Err(f) => return Err(f.with_sources(config.sources)),
        };
        let rendered_after = self.render(&after, timestamp);
        let rendered_before = self.render(&config, timestamp);
        let fragment = match (&rendered_after, &rendered_before) {
            (Ok(text), _) => Some(text.clone()),
            (Err(f), Err(_)) => {
                // Not our doing: the file did not render before the edit either.
                report::stderr(&terminal_safe(
                    &format!(
                        "warning: the CloudFormation cannot be rendered ({}); the edit itself is proven\n",
                        f.message
                    ),
                    false,
                ));
                None
            }
            (Err(f), Ok(_)) => {
                let activated: Vec<&str> = plan
                    .events
                    .iter()
                    .flat_map(|e| e.notes.iter())
                    .filter(|n| n.contains(intent::NOW_IN_EFFECT))
                    .map(String::as_str)
                    .collect();
                let help = if activated.is_empty() {
                    "this is a bug in slsasync; please report it with the file".to_owned()
                } else {
                    // The framework fails on settings it used to ignore.
                    format!(
                        "{}; fix or remove those settings, then run the command again",
                        activated.join("; ")
                    )
                };
                return Err(Fatal::new(format!(
                    "the edited config would not compile: Serverless Framework {} says {}; nothing was written",
                    after.target.framework.release(),
                    f.message
                ))
                .help(help)
                .with_sources(after.sources));
            }
        };
        let old_text = &config.sources.file(config.file).text;
        let file_diff = diff::unified(
            old_text,
            &plan.new_text,
            &format!("a/{shown}"),
            &format!("b/{shown}"),
            color && self.output.format == TransformFormat::Human,
        );
        let cfn_diff = match (&rendered_before, &rendered_after) {
            (Ok(before), Ok(after_text)) if self.output.cfn_diff => Some(diff::unified(
                before,
                after_text,
                &terminal_safe(
                    &format!("a/{shown} ({} CloudFormation)", self.function),
                    false,
                ),
                &terminal_safe(
                    &format!("b/{shown} ({} CloudFormation)", self.function),
                    false,
                ),
                color && self.output.format == TransformFormat::Human,
            )),
            _ => None,
        };
        let write = !self.output.dry_run && !self.output.check;
        if write && let Err(e) = write::write_atomic(&snapshot, plan.new_text.as_bytes()) {
            return Err(Fatal::new(e.to_string()).help(e.help()).into());
        }
        match self.output.format {
            TransformFormat::Json => {
                let doc = json_report(&JsonInput {
                    command: self.transform.command(),
                    file: &shown,
                    function: self.function,
                    plan: &plan,
                    written: write,
                    diff: &file_diff,
                    fragment: fragment.as_deref(),
                    cfn_diff: cfn_diff.as_deref(),
                    config: &config,
                });
                report::stdout(&stringify_pretty(&doc));
            }
            TransformFormat::Human => {
                // What reaches the terminal: the file's lines with every
                // control character made visible (the JSON diff stays exact).
                let mut out = diff::unified(
                    &lines_safe(old_text),
                    &lines_safe(&plan.new_text),
                    &terminal_safe(&format!("a/{shown}"), false),
                    &terminal_safe(&format!("b/{shown}"), false),
                    color,
                );
                match (&cfn_diff, &fragment) {
                    (Some(d), _) => {
                        out.push('\n');
                        out.push_str(d);
                    }
                    (None, Some(f)) => {
                        out.push('\n');
                        out.push_str(f);
                    }
                    (None, None) => {}
                }
                report::stdout(&out);
                let mut err = String::new();
                for n in plan.events.iter().flat_map(|e| e.notes.iter()) {
                    err.push_str(&format!("note: {n}\n"));
                }
                for sh in &plan.shared {
                    let users: Vec<String> = sh.users.iter().map(|r| format!("`{r}`")).collect();
                    err.push_str(&format!(
                        "note: edited `{}` where it is defined, at {}; it is used by {}, all changed\n",
                        sh.route,
                        config.sources.describe(sh.loc),
                        users.join(", ")
                    ));
                }
                for t in &plan.through_variables {
                    err.push_str(&format!(
                        "note: `{}` comes from `{}`: edited `{}` where its value is written, at {}; nothing else uses it\n",
                        t.intended.route(),
                        t.variable,
                        t.route,
                        config.sources.describe(t.loc)
                    ));
                }
                err.push_str(&self.summary(&plan, &shown));
                report::stderr(&terminal_safe(&err, false));
            }
        }
        Ok(if self.output.check {
            Outcome::Findings
        } else {
            Outcome::Success
        })
    }

    /// The function's CloudFormation, as `render FUNCTION` prints it.
    fn render(&self, config: &Config, timestamp: u64) -> Rendered {
        let out = compile_config(
            config,
            Some(self.function),
            timestamp,
            self.read.stage.clone(),
            self.read.region.clone(),
        )?;
        out.function_document(self.function, false)
            .map(|d| stringify_pretty(&d))
            .ok_or_else(|| Fatal::new(format!("function `{}` has no http event", self.function)))
    }

    fn events_label(&self, plan: &Plan, changed_only: bool) -> String {
        let labels: Vec<String> = plan
            .events
            .iter()
            .filter(|e| !changed_only || !e.ops.is_empty())
            .map(intent::EventPlan::label)
            .collect();
        let what = if labels.len() == 1 {
            "http event"
        } else {
            "http events"
        };
        format!("{what} {} of `{}`", labels.join(", "), self.function)
    }

    fn summary(&self, plan: &Plan, shown: &str) -> String {
        let goal = self.transform.goal();
        let events = self.events_label(plan, true);
        if self.output.check {
            format!(
                "{shown}: {events} not {goal}: `slsasync {}` would change the file\n",
                self.transform.command()
            )
        } else if self.output.dry_run {
            format!("{shown}: {events} would be made {goal} (dry run: nothing written)\n")
        } else {
            format!("{shown}: made {events} {goal}\n")
        }
    }

    fn nothing_to_do(&self, config: &Config, plan: &Plan, shown: &str) -> Outcome {
        let events = self.events_label(plan, false);
        let already = if plan.events.len() == 1 {
            "is already"
        } else {
            "are already"
        };
        match self.output.format {
            TransformFormat::Json => {
                let doc = json_report(&JsonInput {
                    command: self.transform.command(),
                    file: shown,
                    function: self.function,
                    plan,
                    written: false,
                    diff: "",
                    fragment: None,
                    cfn_diff: None,
                    config,
                });
                report::stdout(&stringify_pretty(&doc));
            }
            TransformFormat::Human => report::stderr(&terminal_safe(
                &format!(
                    "{shown}: {events} {already} {}: nothing to do\n",
                    self.transform.goal()
                ),
                false,
            )),
        }
        Outcome::Success
    }
}

/// The path as the diff headers show it: relative to the current directory
/// when it is inside it, with `/` separators and no leading `./`.
fn shown_path(path: &Path) -> String {
    let rel: PathBuf = if path.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
            .unwrap_or_else(|| path.to_path_buf())
    } else {
        path.to_path_buf()
    };
    let s = rel.to_string_lossy().replace('\\', "/");
    let s = s.trim_start_matches("./").trim_start_matches('/');
    if s.is_empty() {
        "serverless.yml".to_owned()
    } else {
        s.to_owned()
    }
}

struct JsonInput<'a> {
    command: &'a str,
    file: &'a str,
    function: &'a str,
    plan: &'a Plan,
    written: bool,
    diff: &'a str,
    fragment: Option<&'a str>,
    cfn_diff: Option<&'a str>,
    config: &'a Config,
}

/// The `--format json` document (version 1):
///
/// ```json
/// {
///   "version": 1,
///   "command": "make-async",
///   "file": "serverless.yml",
///   "function": "hello",
///   "framework": "3.40.0",
///   "changed": true,
///   "written": false,
///   "events": [{"index": 0, "method": "get", "path": "hello", "changed": true,
///               "operations": [{"op": "insert", "route": "functions.hello.events[0].http.async", "value": true}],
///               "notes": []}],
///   "edits": [{"start": 120, "end": 120, "line": 9, "column": 28, "end_line": 9, "end_column": 28,
///              "removed": "", "inserted": "\n          async: true"}],
///   "diff": "--- a/serverless.yml\n...",
///   "cloudformation": {"Resources": {...}, "Outputs": {}},
///   "cloudformation_diff": null
/// }
/// ```
///
/// `edits` are byte ranges of the original file (lines and character
/// columns 1-based); `cloudformation` is the function's fragment after the
/// change (`null` when nothing changes or it cannot be rendered).
fn json_report(input: &JsonInput<'_>) -> Json {
    let text = &input.config.sources.file(input.config.file).text;
    let file = input.config.sources.file(input.config.file);
    let events: Vec<Json> = input
        .plan
        .events
        .iter()
        .map(|e| {
            json!({
                "index": e.index,
                "method": e.method,
                "path": e.path,
                "changed": !e.ops.is_empty(),
                "operations": e.ops.iter().map(op_json).collect::<Vec<_>>(),
                "notes": e.notes,
            })
        })
        .collect();
    let edits: Vec<Json> = input
        .plan
        .splices
        .iter()
        .map(|s| {
            let a = file.line_col(s.start);
            let b = file.line_col(s.end);
            json!({
                "start": s.start,
                "end": s.end,
                "line": a.line,
                "column": a.column,
                "end_line": b.line,
                "end_column": b.column,
                "removed": text.get(s.start..s.end).unwrap_or(""),
                "inserted": s.text,
            })
        })
        .collect();
    let fragment = input
        .fragment
        .and_then(|f| serde_json::from_str::<Json>(f).ok())
        .unwrap_or(Json::Null);
    json!({
        "version": JSON_VERSION,
        "command": input.command,
        "file": input.file,
        "function": input.function,
        "framework": input.config.target.framework.release(),
        "changed": input.plan.changed(),
        "written": input.written,
        "events": events,
        "edits": edits,
        "diff": input.diff,
        "cloudformation": fragment,
        "cloudformation_diff": input.cfn_diff,
    })
}

fn op_json(op: &Op) -> Json {
    let mut m = serde_json::Map::new();
    m.insert("op".into(), json!(op.kind()));
    m.insert("route".into(), json!(op.route().to_string()));
    match op {
        Op::Replace { value, .. } => {
            m.insert("value".into(), value.to_json());
        }
        Op::Insert { key, value, .. } => {
            m.insert("key".into(), json!(key));
            m.insert("value".into(), value.to_json());
        }
        Op::Expand { value, .. } => {
            m.insert("value".into(), value.to_json());
        }
        Op::Remove { key, .. } => {
            m.insert("key".into(), json!(key));
        }
        Op::Rename { from, to, .. } => {
            m.insert("from".into(), json!(from));
            m.insert("to".into(), json!(to));
        }
    }
    Json::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_paths_are_relative_and_slashed() {
        assert_eq!(shown_path(Path::new("./serverless.yml")), "serverless.yml");
        assert_eq!(
            shown_path(Path::new("svc/serverless.yml")),
            "svc/serverless.yml"
        );
    }
}
