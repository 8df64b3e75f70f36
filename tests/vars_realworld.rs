//! Every config of the real-world corpus (`fixtures/realworld/`) through the
//! variable resolver, as framework v3 ran it (same `--stage`, same
//! environment, the included files its checkout had):
//!
//! * where the framework packaged, resolution succeeds;
//! * where it stopped on a variable, we stop too, with the message it printed
//!   (unless the value needs AWS, which we leave opaque);
//! * `fixtures/vars/realworld-summary.tsv` records, per config, whether it
//!   resolves fully, which sources stay opaque, or the error. Set
//!   `UPDATE_VARS_SUMMARY=1` to rewrite it after an intended change.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use slsasync::model::Framework;
use slsasync::source::yaml::{Dialect, parse_yaml};
use slsasync::source::{SourceMap, Value};
use slsasync::vars::{EnvSource, VarOptions, resolve};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The oracle's environment: no variable the corpus asks for is set.
fn oracle_env() -> EnvSource {
    let mut m = BTreeMap::new();
    for (k, v) in [
        ("LANG", "C.UTF-8"),
        ("CI", "1"),
        ("TERM", "dumb"),
        ("NO_COLOR", "1"),
    ] {
        m.insert(k.to_owned(), v.to_owned());
    }
    EnvSource::Map(m)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

struct Row {
    case: String,
    attempt: String,
    packaged: bool,
    failure: String,
}

fn rows() -> Vec<Row> {
    let tsv = std::fs::read_to_string(root().join("fixtures/realworld/cases.tsv")).unwrap();
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Row {
                case: f[0].to_owned(),
                attempt: f[4].to_owned(),
                packaged: f[5] == "True",
                failure: f.get(7).copied().unwrap_or("").to_owned(),
            }
        })
        .collect()
}

#[test]
fn realworld_corpus() {
    let cases = root().join("fixtures/realworld/cases");
    let includes = root().join("fixtures/vars/realworld-includes");
    let mut summary = String::from("case\tframework\tours\n");
    let mut problems = Vec::new();
    let (mut full, mut opaque_cfgs, mut errors) = (0, 0, 0);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for row in rows() {
        let src = cases.join(&row.case);
        let config = ["serverless.yml", "serverless.yaml"]
            .iter()
            .map(|n| src.join(n))
            .find(|p| p.exists())
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let cfg_path = dir.path().join(config.file_name().unwrap());
        std::fs::copy(&config, &cfg_path).unwrap();
        if includes.join(&row.case).is_dir() {
            copy_dir(&includes.join(&row.case), dir.path());
        }
        let text = std::fs::read_to_string(&cfg_path).unwrap();
        let mut sources = SourceMap::new();
        let file = sources.add(cfg_path.clone(), text.clone());
        let framework_said = if row.packaged {
            "packaged".to_owned()
        } else {
            let err = std::fs::read_to_string(src.join("expected-error.txt")).unwrap_or_default();
            format!("{}: {}", row.failure, err.lines().next().unwrap_or(""))
        };
        let parsed = match parse_yaml(&text, file, Dialect::JsYaml4) {
            Ok(p) => p,
            Err(e) => {
                summary.push_str(&format!(
                    "{}\t{framework_said}\tyaml error: {}\n",
                    row.case, e.message
                ));
                continue;
            }
        };
        let opts = VarOptions {
            framework: Framework::V3,
            stage: row
                .attempt
                .contains("--stage dev")
                .then(|| "dev".to_owned()),
            region: None,
            env: oracle_env(),
            allow_outside: false,
        };
        let ours = match resolve(parsed.root, &cfg_path, &mut sources, &opts) {
            Ok(r) if r.unresolved.is_empty() => {
                full += 1;
                "resolved".to_owned()
            }
            Ok(r) => {
                opaque_cfgs += 1;
                let mut why: Vec<String> = Vec::new();
                for n in r.root.unresolved() {
                    if let Value::Unresolved(u) = &n.value {
                        let kind = u.reason.split([':', '(']).next().unwrap_or("").to_owned();
                        *reasons.entry(kind).or_default() += 1;
                        if !why.contains(&u.reason) {
                            why.push(u.reason.clone());
                        }
                    }
                }
                format!("opaque ({}): {}", r.unresolved.len(), why.join(", "))
            }
            Err(e) => {
                errors += 1;
                let expected =
                    std::fs::read_to_string(src.join("expected-error.txt")).unwrap_or_default();
                if row.packaged {
                    problems.push(format!(
                        "{}: the framework packaged, we failed: {}",
                        row.case, e.message
                    ));
                } else if !expected.contains(&e.message) {
                    problems.push(format!(
                        "{}: our error {:?} is not what the framework said:\n{expected}",
                        row.case, e.message
                    ));
                }
                format!("error: {}", e.message)
            }
        };
        summary.push_str(&format!("{}\t{framework_said}\t{ours}\n", row.case));
    }
    summary.push_str(&format!(
        "# {full} resolve fully, {opaque_cfgs} keep opaque values, {errors} fail; opaque values by source: {}\n",
        reasons
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    let golden = root().join("fixtures/vars/realworld-summary.tsv");
    if std::env::var_os("UPDATE_VARS_SUMMARY").is_some() {
        std::fs::write(&golden, &summary).unwrap();
    } else {
        let want = std::fs::read_to_string(&golden).unwrap_or_default();
        if want != summary {
            problems.push(format!(
                "{} differs (UPDATE_VARS_SUMMARY=1 to rewrite); now:\n{summary}",
                golden.display()
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
