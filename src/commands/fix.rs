//! `check --fix` / `check --diff`: the rule catalogue's fixes, applied
//! through [`crate::edit::fix`] and written atomically.
//!
//! * `--fix`: each file is read once (bytes and metadata kept), fixed until
//!   stable, proven, and written with [`write::write_atomic`] (refused if the
//!   file changed meanwhile). The check then reports what remains, as
//!   without `--fix`. With `-` (stdin) the fixed text goes to stdout.
//! * `--diff`: the unified diff of every file `--fix` would change, nothing
//!   written; exit 1 when anything would change or findings remain at the
//!   `--fail-on` level.
//!
//! stderr gets one line per dropped fix (rule, place, reason) and a summary:
//! fixed, dropped, and unsafe fixes left for `--unsafe-fixes`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::cli::{CheckArgs, FailOn};
use crate::diag::Failure;
use crate::edit::diff;
use crate::edit::fix::{self, FixRun, FixSettings};
use crate::edit::write::{self, Snapshot};
use crate::lint::{self, LintOptions};
use crate::load::{self, LoadOptions};
use crate::report;
use crate::rules::Severity;

use super::Outcome;

/// One file to fix.
#[derive(Clone, Debug)]
pub enum FixInput {
    File(PathBuf),
    /// stdin, under this display name.
    Stdin(PathBuf),
}

/// What became of one input.
struct Done {
    shown: String,
    run: Option<FixRun>,
    /// The file could not be read, loaded or written: already reported.
    failed: bool,
}

/// Fix every input. `Ok(None)`: the files were written (or needed nothing)
/// and the caller reports what remains as a plain check does; `Ok(Some(_))`:
/// everything was printed here (`--diff`, stdin) and this is the exit status.
pub fn run(
    args: &CheckArgs,
    inputs: &[FixInput],
    stdin: Option<&str>,
    load_opts: &LoadOptions,
    lint_opts: &LintOptions,
    color: bool,
) -> Result<Option<Outcome>, Failure> {
    let settings = FixSettings {
        unsafe_fixes: args.unsafe_fixes,
    };
    let color_err = color && std::io::stderr().is_terminal();
    let color_out = color;
    let mut done: Vec<Done> = Vec::new();
    let mut diffs = String::new();
    let mut fixed_stdin: Option<String> = None;
    for input in inputs {
        let (path, text, snapshot) = match read(input, stdin) {
            Ok(x) => x,
            Err(failure) => {
                report_failure(&failure, color_err);
                done.push(Done {
                    shown: display(input),
                    run: None,
                    failed: true,
                });
                continue;
            }
        };
        let shown = path.display().to_string();
        let opts = effective_options(&path, &text, load_opts);
        let run = match fix::run(&path, text, &opts, lint_opts, settings) {
            Ok(r) => r,
            Err(failure) => {
                // Not loadable: nothing to fix; the check reports why.
                if args.diff || snapshot.is_none() {
                    report_failure(&failure, color_err);
                }
                done.push(Done {
                    shown,
                    run: None,
                    failed: true,
                });
                continue;
            }
        };
        let mut failed = false;
        if run.changed() {
            if args.diff {
                let name = shown.trim_start_matches("./").replace('\\', "/");
                diffs.push_str(&diff::unified(
                    &run.original,
                    &run.text,
                    &format!("a/{name}"),
                    &format!("b/{name}"),
                    color_out,
                ));
            } else if let Some(snap) = &snapshot {
                if let Err(e) = write::write_atomic(snap, run.text.as_bytes()) {
                    report::stderr(&format!("error: {e}\n  help: {}\n", e.help()));
                    failed = true;
                }
            } else {
                fixed_stdin = Some(run.text.clone());
            }
        } else if snapshot.is_none() && !args.diff {
            fixed_stdin = Some(run.text.clone());
        }
        done.push(Done {
            shown,
            run: Some(run),
            failed,
        });
    }
    report::stderr(&messages(&done, args.diff));
    if args.diff {
        report::stdout(&diffs);
    } else if let Some(t) = fixed_stdin {
        report::stdout(&t);
    }
    if done.iter().any(|d| d.failed) && (args.diff || inputs.iter().any(is_stdin)) {
        return Ok(Some(Outcome::CouldNotRun));
    }
    if done.iter().any(|d| d.failed && d.run.is_some()) {
        // A write failed: say so by the exit status, after the messages above.
        return Ok(Some(Outcome::CouldNotRun));
    }
    if !args.diff && !inputs.iter().any(is_stdin) {
        return Ok(None);
    }
    if args.exit_zero {
        return Ok(Some(Outcome::Success));
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
    };
    let remaining = done
        .iter()
        .filter_map(|d| d.run.as_ref())
        .any(|r| r.lint.findings.iter().any(|f| f.severity >= threshold));
    let changes = args.diff
        && done
            .iter()
            .filter_map(|d| d.run.as_ref())
            .any(FixRun::changed);
    Ok(Some(if remaining || changes {
        Outcome::Findings
    } else {
        Outcome::Success
    }))
}

fn is_stdin(i: &FixInput) -> bool {
    matches!(i, FixInput::Stdin(_))
}

fn display(input: &FixInput) -> String {
    match input {
        FixInput::File(p) | FixInput::Stdin(p) => p.display().to_string(),
    }
}

fn report_failure(f: &Failure, color: bool) {
    report::stderr(&report::render_fatal(&f.fatal, f.sources.as_deref(), color));
}

type Read = (PathBuf, String, Option<Snapshot>);

fn read(input: &FixInput, stdin: Option<&str>) -> Result<Read, Failure> {
    match input {
        FixInput::Stdin(name) => Ok((name.clone(), stdin.unwrap_or_default().to_owned(), None)),
        FixInput::File(path) => {
            let snap = Snapshot::read(path).map_err(|e| {
                crate::diag::Fatal::new(format!("cannot read {}: {e}", path.display()))
                    .help("check the path")
            })?;
            let text = load::decode_text(path, snap.bytes.clone())?;
            Ok((path.clone(), text, Some(snap)))
        }
    }
}

/// `custom.slsasync.framework` picks the release unless `--framework` did,
/// as in a plain check.
fn effective_options(path: &Path, text: &str, opts: &LoadOptions) -> LoadOptions {
    let mut out = LoadOptions {
        framework: opts.framework,
        stage: opts.stage.clone(),
        region: opts.region.clone(),
        env: opts.env.clone(),
        allow_outside: opts.allow_outside,
    };
    if opts.framework.is_none()
        && let Ok(config) = load::load_text(path, text.to_owned(), opts)
        && let Some(wanted) = lint::settings::framework(&config.raw)
        && wanted != config.target.framework
    {
        out.framework = Some(wanted);
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Dropped fixes, convergence warnings and the summary line.
fn messages(done: &[Done], dry: bool) -> String {
    let mut out = String::new();
    let runs: Vec<(&str, &FixRun)> = done
        .iter()
        .filter_map(|d| d.run.as_ref().map(|r| (d.shown.as_str(), r)))
        .collect();
    for (shown, r) in &runs {
        for d in &r.dropped {
            out.push_str(&format!(
                "warning: dropped the fix of {} ({}) at {}: {}\n",
                d.code,
                d.title,
                d.place,
                d.reason.as_deref().unwrap_or("")
            ));
        }
        if !r.converged {
            out.push_str(&format!(
                "warning: {shown}: fixes still change the file after {} rounds; stopped there\n",
                fix::MAX_ROUNDS
            ));
        }
    }
    if runs.is_empty() {
        // Nothing could be loaded: the errors say why.
        return out;
    }
    let fixed: usize = runs.iter().map(|(_, r)| r.applied.len()).sum();
    let files = runs.iter().filter(|(_, r)| r.changed()).count();
    let dropped: usize = runs.iter().map(|(_, r)| r.dropped.len()).sum();
    let remaining: usize = runs.iter().map(|(_, r)| r.lint.findings.len()).sum();
    let hidden: usize = runs.iter().map(|(_, r)| r.unsafe_available()).sum();
    let verb = if dry { "Would fix" } else { "Fixed" };
    let mut line = if fixed == 0 {
        "No fixes to apply".to_owned()
    } else {
        format!(
            "{verb} {} in {}",
            plural(fixed, "finding", "findings"),
            plural(files, "file", "files")
        )
    };
    line.push_str(&format!(" ({remaining} remaining"));
    if dropped > 0 {
        line.push_str(&format!(", {} dropped", plural(dropped, "fix", "fixes")));
    }
    line.push(')');
    if hidden > 0 {
        line.push_str(&format!(
            "; {} available with --unsafe-fixes",
            plural(hidden, "more fix", "more fixes")
        ));
    }
    line.push_str(".\n");
    out.push_str(&line);
    out
}
