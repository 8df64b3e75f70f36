//! Every case the real Serverless Framework produced, replayed through the
//! real `slsasync` binary: `render` must print the framework's JSON byte for
//! byte, and refuse (exit 2, with the framework's reason) what it refused.
//!
//! One test per case and framework version (libtest-mimic), then a pass
//! count per corpus and version.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value as Json;

/// The framework's frozen clock in the fixtures: 2024-01-01T00:00:00.000Z.
const EPOCH_SECONDS: &str = "1704067200";

type Tally = Arc<Mutex<BTreeMap<String, (usize, usize)>>>;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Result<Output, Failed> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_slsasync"));
    child
        .args(args)
        .env_clear()
        .env("SOURCE_DATE_EPOCH", EPOCH_SECONDS)
        .current_dir(root());
    let mut cmd = assert_cmd::Command::from_std(child);
    cmd.timeout(Duration::from_secs(20));
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

fn config_of(dir: &Path) -> Option<PathBuf> {
    ["serverless.yml", "serverless.yaml", "serverless.json"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

fn first_diff(a: &str, b: &str) -> String {
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.lines().count().min(b.lines().count()));
    format!(
        "first difference at line {}:\n  expected: {:?}\n  actual:   {:?}",
        line + 1,
        a.lines().nth(line).unwrap_or("<end>"),
        b.lines().nth(line).unwrap_or("<end>")
    )
}

/// `render` must print `expected` exactly.
fn expect_render(
    config: &Path,
    framework: &str,
    extra: &[&str],
    expected: &str,
) -> Result<(), Failed> {
    let cfg = config.to_string_lossy();
    let mut args = vec!["render", "-c", cfg.as_ref()];
    if !framework.is_empty() {
        args.extend(["--framework", framework]);
    }
    args.extend(extra);
    let out = run(&args)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() != Some(0) {
        return Err(format!(
            "exit {:?}, expected 0\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    if stdout != expected {
        return Err(first_diff(expected, &stdout).into());
    }
    Ok(())
}

/// `render` must refuse with exit 2 and say what the framework said.
fn expect_refusal(config: &Path, framework: &str, expected_error: &str) -> Result<(), Failed> {
    let cfg = config.to_string_lossy();
    let out = run(&["render", "-c", cfg.as_ref(), "--framework", framework])?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(2) {
        return Err(format!("exit {:?}, expected 2\n{stderr}", out.status.code()).into());
    }
    let reason = expected_error.lines().next().unwrap_or("").trim();
    // miette wraps long lines; compare with whitespace folded.
    let fold = |s: &str| {
        s.split(|c: char| c.is_whitespace() || "│╰─╭×".contains(c))
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    if !fold(&stderr).contains(&fold(reason)) {
        return Err(format!(
            "the framework's reason is missing.\n  expected: {reason}\n  stderr: {stderr}"
        )
        .into());
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

fn read(p: &Path) -> Option<String> {
    std::fs::read_to_string(p).ok()
}

/// `conformance` and `conformance-random`: both framework versions.
fn corpus_trials(corpus: &str, tally: &Tally) -> Vec<Trial> {
    let dir = root().join("fixtures").join(corpus).join("cases");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    let mut trials = Vec::new();
    for case in names {
        let Some(config) = config_of(&case) else {
            continue;
        };
        let name = case
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (fw, suffix) in [("3", ""), ("1", ".v1")] {
            let key = format!("{corpus} v{fw}");
            let test_name = format!("{corpus}::v{fw}::{name}");
            let cfg = config.clone();
            if let Some(expected) = read(&case.join(format!("expected-apigw{suffix}.json"))) {
                trials.push(tallied(tally, key, test_name, move || {
                    expect_render(&cfg, fw, &[], &expected)
                }));
            } else if let Some(err) = read(&case.join(format!("expected-error{suffix}.txt"))) {
                trials.push(tallied(tally, key, test_name, move || {
                    expect_refusal(&cfg, fw, &err)
                }));
            }
        }
        // Without --framework, the release comes from frameworkVersion.
        if let Some(expected) = read(&case.join("expected-apigw.v1.json"))
            && name.starts_with("seed-")
            && name.ends_with("-original")
        {
            {
                let cfg = config.clone();
                trials.push(tallied(
                    tally,
                    format!("{corpus} frameworkVersion"),
                    format!("{corpus}::from-frameworkVersion::{name}"),
                    move || expect_render(&cfg, "", &[], &expected),
                ));
            }
        }
    }
    trials
}

/// The API Gateway part of a full template, as `expected-apigw.json` holds it.
fn apigw_part(template: &Json) -> Json {
    let mut resources = serde_json::Map::new();
    if let Some(all) = template.get("Resources").and_then(Json::as_object) {
        for (id, r) in all {
            let ty = r.get("Type").and_then(Json::as_str).unwrap_or("");
            let principal = r.pointer("/Properties/Principal");
            let apigw_principal = match principal {
                Some(Json::String(s)) => s.starts_with("apigateway."),
                Some(other) => other.to_string().contains("apigateway."),
                None => false,
            };
            if ty.starts_with("AWS::ApiGateway::")
                || ty.starts_with("Custom::ApiGateway")
                || (ty == "AWS::Lambda::Permission" && apigw_principal)
            {
                resources.insert(id.clone(), r.clone());
            }
        }
    }
    let mut outputs = serde_json::Map::new();
    if let Some(se) = template.pointer("/Outputs/ServiceEndpoint") {
        outputs.insert("ServiceEndpoint".into(), se.clone());
    }
    serde_json::json!({"Resources": resources, "Outputs": outputs})
}

fn normalise_deployment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("ApiGatewayDeployment") {
        let (head, tail) = rest.split_at(i + "ApiGatewayDeployment".len());
        out.push_str(head);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        out.push('N');
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

/// The spec's golden templates for 1.83.3, 2.72.4 and 3.40.0.
fn spec_trials(tally: &Tally) -> Vec<Trial> {
    let base = root().join("fixtures/spec-fixtures");
    let mut trials = Vec::new();
    for (dir, fw) in [("v1.83.3", "1"), ("v2.72.4", "2"), ("v3.40.0", "3")] {
        let mut files: Vec<_> = std::fs::read_dir(base.join(dir))
            .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        for f in files {
            let Some(stem) = f.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
                continue;
            };
            let config = base.join("cases").join(format!("{stem}.yml"));
            let Some(text) = read(&f) else { continue };
            let Ok(template) = serde_json::from_str::<Json>(&text) else {
                continue;
            };
            let expected = normalise_deployment(&slsasync::source::json::stringify_pretty(
                &apigw_part(&template),
            ));
            trials.push(tallied(
                tally,
                format!("spec-fixtures v{fw}"),
                format!("spec-fixtures::{dir}::{stem}"),
                move || {
                    let cfg = config.to_string_lossy().into_owned();
                    let out = run(&["render", "-c", &cfg, "--framework", fw])?;
                    if out.status.code() != Some(0) {
                        return Err(format!(
                            "exit {:?}: {}",
                            out.status.code(),
                            String::from_utf8_lossy(&out.stderr)
                        )
                        .into());
                    }
                    let actual = normalise_deployment(&String::from_utf8_lossy(&out.stdout));
                    if actual != expected {
                        return Err(first_diff(&expected, &actual).into());
                    }
                    Ok(())
                },
            ));
        }
    }
    trials
}

/// Public configs: never a crash or hang; what the framework packaged is
/// reproduced byte for byte, or the tool names the value it could not resolve.
fn realworld_trials(tally: &Tally, identical: &Arc<Mutex<Vec<String>>>) -> Vec<Trial> {
    let base = root().join("fixtures/realworld");
    let table = read(&base.join("cases.tsv")).unwrap_or_default();
    let mut trials = Vec::new();
    for row in table.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let [name, _repo, _commit, _path, attempt, packaged, ..] = cols.as_slice() else {
            continue;
        };
        let case = base.join("cases").join(name);
        let config = case.join("serverless.yml");
        let needs_stage = attempt.contains("--stage dev");
        let expected = if *packaged == "True" {
            read(&case.join("expected-apigw.json"))
        } else {
            None
        };
        let text = read(&config).unwrap_or_default();
        let self_contained = !text.contains("${file(") && !text.contains("${env:");
        let identical = identical.clone();
        let n = name.to_string();
        trials.push(tallied(
            tally,
            "realworld".into(),
            format!("realworld::{name}"),
            move || {
                let cfg = config.to_string_lossy().into_owned();
                let mut args = vec!["render", "-c", cfg.as_str()];
                if needs_stage {
                    args.extend(["--stage", "dev"]);
                }
                let out = run(&args)?;
                let stdout = String::from_utf8_lossy(&out.stdout);
                let stderr = String::from_utf8_lossy(&out.stderr);
                let Some(expected) = expected else {
                    // Refused by the framework: any clean answer is fine, a crash is not (checked in run).
                    return Ok(());
                };
                if out.status.code() == Some(0) && stdout == expected {
                    if let Ok(mut v) = identical.lock() {
                        v.push(n);
                    }
                    return Ok(());
                }
                if self_contained {
                    return Err(if out.status.code() == Some(0) {
                        first_diff(&expected, &stdout)
                    } else {
                        format!("exit {:?}: {stderr}", out.status.code())
                    }
                    .into());
                }
                if out.status.code() == Some(2) && (stderr.contains("resolved") || stderr.contains("file(")) {
                    return Ok(());
                }
                Err(format!(
                    "neither the framework's output nor a statement of what could not be resolved (exit {:?}): {stderr}",
                    out.status.code()
                )
                .into())
            },
        ));
    }
    trials
}

fn main() {
    let args = Arguments::from_args();
    let tally: Tally = Arc::new(Mutex::new(BTreeMap::new()));
    let identical = Arc::new(Mutex::new(Vec::new()));
    let mut trials = Vec::new();
    trials.extend(corpus_trials("conformance", &tally));
    trials.extend(corpus_trials("conformance-random", &tally));
    trials.extend(spec_trials(&tally));
    trials.extend(realworld_trials(&tally, &identical));
    let conclusion = libtest_mimic::run(&args, trials);
    if let Ok(m) = tally.lock() {
        for (key, (passed, total)) in m.iter() {
            println!("{key}: {passed}/{total} passed");
        }
    }
    if let Ok(v) = identical.lock() {
        println!(
            "realworld: {} packaged configs rendered byte-identical",
            v.len()
        );
    }
    conclusion.exit();
}
