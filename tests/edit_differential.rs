//! make-async / make-sync against the real Serverless Framework.
//!
//! Every directory of `fixtures/edit-differential/` holds the result of one
//! transform (`make-async`, `make-sync`, `make-sync --proxy`, on a conformance
//! case or a packaged real-world config, or on make-async's result) and what
//! `serverless package` (Serverless Framework 3.40.0, and 1.83.3 where the
//! case has `.v1` outputs) generated from it, recorded by
//! `scripts/record-edit-differential.py`. Two trials per fixture and release:
//!
//! * `transform::…`: the transform, run today on the recorded input, gives
//!   the stored file byte for byte;
//! * `render::v3::…` / `render::v1::…`: `render` on the stored file prints
//!   the framework's API Gateway JSON byte for byte, or refuses (exit 2) with
//!   the framework's reason.
//!
//! The counts are printed at the end.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};

/// The framework's frozen clock in the fixtures: 2024-01-01T00:00:00.000Z.
const EPOCH_SECONDS: &str = "1704067200";

type Tally = Arc<Mutex<BTreeMap<String, (usize, usize)>>>;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Result<Output, Failed> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_slsasync"));
    child
        .args(args)
        .env_clear()
        .env("SOURCE_DATE_EPOCH", EPOCH_SECONDS)
        .current_dir(root());
    let mut cmd = assert_cmd::Command::from_std(child);
    cmd.timeout(Duration::from_secs(30));
    let out = cmd
        .output()
        .map_err(|e| format!("could not run slsasync: {e}"))?;
    if out.status.code().is_none() || out.status.code() == Some(101) {
        return Err(format!(
            "slsasync crashed ({:?}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(out)
}

/// The `command` file of a fixture.
#[derive(Clone, Debug, Default)]
struct Command {
    input: String,
    transform: Vec<String>,
    render: Vec<String>,
    versions: Vec<String>,
}

fn parse_command(text: &str) -> Command {
    let mut c = Command::default();
    for line in text.lines() {
        let (key, rest) = line.split_once(' ').unwrap_or((line, ""));
        let words: Vec<String> = rest.split_whitespace().map(str::to_owned).collect();
        match key {
            "input" => c.input = rest.trim().to_owned(),
            "transform" => c.transform = words,
            "render" => c.render = words,
            "versions" => c.versions = words,
            _ => {}
        }
    }
    c
}

fn first_diff(a: &str, b: &str) -> String {
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.lines().count().min(b.lines().count()));
    format!(
        "first difference at line {}:\n  framework: {:?}\n  slsasync:  {:?}",
        line + 1,
        a.lines().nth(line).unwrap_or("<end>"),
        b.lines().nth(line).unwrap_or("<end>")
    )
}

fn fold(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || "│╰─╭×".contains(c))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The transform run today on the recorded input gives the stored file.
fn check_transform(dir: &Path, cmd: &Command) -> Result<(), Failed> {
    let input = std::fs::read(root().join(&cmd.input))
        .map_err(|e| format!("cannot read the input {}: {e}", cmd.input))?;
    let expected = std::fs::read(dir.join("serverless.yml"))?;
    let tmp = tempfile::tempdir()?;
    let path = tmp.path().join("serverless.yml");
    std::fs::write(&path, &input)?;
    let p = path.to_string_lossy().into_owned();
    let mut args: Vec<&str> = cmd.transform.iter().map(String::as_str).collect();
    args.extend(["-c", p.as_str()]);
    args.extend(cmd.render.iter().map(String::as_str));
    let out = run(&args)?;
    if out.status.code() != Some(0) {
        return Err(format!(
            "exit {:?}: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    let actual = std::fs::read(&path)?;
    if actual != expected {
        return Err(first_diff(
            &String::from_utf8_lossy(&expected),
            &String::from_utf8_lossy(&actual),
        )
        .into());
    }
    Ok(())
}

enum Expected {
    Apigw(String),
    Error(String),
}

/// `render` on the stored file against the framework's output.
fn check_render(
    dir: &Path,
    cmd: &Command,
    version: &str,
    expected: &Expected,
) -> Result<(), Failed> {
    let cfg = dir.join("serverless.yml").to_string_lossy().into_owned();
    let mut args = vec!["render", "-c", cfg.as_str(), "--framework", version];
    args.extend(cmd.render.iter().map(String::as_str));
    let out = run(&args)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    match expected {
        Expected::Apigw(json) => {
            if out.status.code() != Some(0) {
                return Err(format!(
                    "the framework packaged it; slsasync exit {:?}: {stderr}",
                    out.status.code()
                )
                .into());
            }
            if stdout != *json {
                return Err(first_diff(json, &stdout).into());
            }
        }
        Expected::Error(text) => {
            if out.status.code() != Some(2) {
                return Err(format!(
                    "the framework refused it; slsasync exit {:?}",
                    out.status.code()
                )
                .into());
            }
            let reason = text.lines().next().unwrap_or("").trim();
            if !fold(&stderr).contains(&fold(reason)) {
                return Err(format!(
                    "the framework's reason is missing.\n  framework: {reason}\n  stderr: {stderr}"
                )
                .into());
            }
        }
    }
    Ok(())
}

fn tallied(
    t: &Tally,
    key: String,
    name: String,
    f: impl FnOnce() -> Result<(), Failed> + Send + 'static,
) -> Trial {
    let t = t.clone();
    Trial::test(name, move || {
        let r = f();
        if let Ok(mut m) = t.lock() {
            let e = m.entry(key).or_insert((0, 0));
            if r.is_ok() {
                e.0 += 1;
            }
            e.1 += 1;
        }
        r
    })
}

fn main() {
    let args = Arguments::from_args();
    let tally: Tally = Arc::new(Mutex::new(BTreeMap::new()));
    let base = root().join("fixtures/edit-differential");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&base)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.join("command").is_file())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    let mut trials = Vec::new();
    for dir in dirs {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(text) = std::fs::read_to_string(dir.join("command")) else {
            continue;
        };
        let cmd = parse_command(&text);
        let transform = cmd.transform.first().cloned().unwrap_or_default();
        let kind = if cmd.transform.iter().any(|a| a == "--proxy") {
            format!("{transform} --proxy")
        } else {
            transform
        };
        {
            let (dir, cmd) = (dir.clone(), cmd.clone());
            trials.push(tallied(
                &tally,
                format!("transform reproduced ({kind})"),
                format!("transform::{name}"),
                move || check_transform(&dir, &cmd),
            ));
        }
        for v in &cmd.versions {
            let sfx = if v == "3" {
                String::new()
            } else {
                format!(".v{v}")
            };
            let expected = if let Ok(j) =
                std::fs::read_to_string(dir.join(format!("expected-apigw{sfx}.json")))
            {
                Expected::Apigw(j)
            } else if let Ok(e) =
                std::fs::read_to_string(dir.join(format!("expected-error{sfx}.txt")))
            {
                Expected::Error(e)
            } else {
                // Not recorded (yet): listed, not run.
                trials.push(
                    Trial::test(format!("render::v{v}::{name}"), || Ok(())).with_ignored_flag(true),
                );
                continue;
            };
            let outcome = match expected {
                Expected::Apigw(_) => "packaged",
                Expected::Error(_) => "refused",
            };
            let (dir, cmd, v2) = (dir.clone(), cmd.clone(), v.clone());
            trials.push(tallied(
                &tally,
                format!("render v{v} = framework ({kind}, {outcome})"),
                format!("render::v{v}::{name}"),
                move || check_render(&dir, &cmd, &v2, &expected),
            ));
        }
    }
    let conclusion = libtest_mimic::run(&args, trials);
    if let Ok(m) = tally.lock() {
        for (key, (passed, total)) in m.iter() {
            println!("{key}: {passed}/{total}");
        }
    }
    conclusion.exit();
}
