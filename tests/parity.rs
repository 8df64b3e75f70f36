//! Framework parity of `slsasync check`, on the cases recorded from the real
//! Serverless Framework (`serverless package` of 3.40.0, and 1.83.3 for the
//! `.v1` files):
//!
//! 1. every conformance case the framework refused (`expected-error.txt`,
//!    `expected-error.v1.txt`) gets an error-level finding when checked
//!    against that release, at the place the framework's message is about;
//! 2. every http-related warning the framework printed
//!    (`expected-warnings.txt`) has a finding at the place it names;
//! 3. on every real-world file the framework packaged, no error-level finding
//!    claims it would refuse the file. The count of findings per rule over
//!    the whole real-world corpus is printed (`cargo test --test parity --
//!    --nocapture`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::{Run, root, run};
use serde_json::Value as Json;
use slsasync::source::yaml::{Dialect, parse_json, parse_yaml};
use slsasync::source::{FileId, Node, SourceFile};

/// A config with its source, parsed to find the places messages are about.
struct Config {
    file: SourceFile,
    root: Node,
}

impl Config {
    fn load(path: &Path) -> Config {
        let text = std::fs::read_to_string(path).unwrap();
        let parsed = if path.extension().is_some_and(|e| e == "json") {
            parse_json(&text, FileId(0))
        } else {
            parse_yaml(&text, FileId(0), Dialect::JsYaml4)
                .or_else(|_| parse_yaml(&text, FileId(0), Dialect::JsYaml3))
        };
        let root = parsed
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
            .root;
        Config {
            file: SourceFile::new(path.to_path_buf(), text),
            root,
        }
    }

    /// The lines a node spans.
    fn lines(&self, node: &Node) -> (u64, u64) {
        let start = self.file.line_col(node.loc.start).line as u64;
        let end = self
            .file
            .line_col(node.loc.end.max(node.loc.start + 1) - 1)
            .line as u64;
        (start, end.max(start))
    }

    /// The node at a dotted path (`functions.f.events.0.http`), sequence
    /// indices included.
    fn at(&self, path: &str) -> Option<&Node> {
        path.split('.')
            .try_fold(&self.root, |node, seg| match node.as_seq() {
                Some(items) => items.get(seg.parse::<usize>().ok()?),
                None => node.get(seg),
            })
    }

    /// The line of key `key` inside the mapping at `path`.
    fn key_line(&self, path: &str, key: &str) -> Option<u64> {
        let entry = self.at(path)?.as_map()?.entry(key)?;
        Some(self.file.line_col(entry.key_loc.start).line as u64)
    }

    /// Every http event: (function, its `http` value).
    fn http_events(&self) -> Vec<(&str, &Node)> {
        let mut out = Vec::new();
        let Some(functions) = self.root.get("functions").and_then(Node::as_map) else {
            return out;
        };
        for f in functions.iter() {
            for ev in f
                .value
                .get("events")
                .and_then(Node::as_seq)
                .unwrap_or_default()
            {
                if let Some(http) = ev.get("http") {
                    out.push((f.key.as_str(), http));
                }
            }
        }
        out
    }
}

/// Method and path of an http event as the framework reads them.
fn route(http: &Node) -> (Option<String>, Option<String>) {
    match http.as_str() {
        Some(s) => {
            let mut parts = s.split(' ');
            (
                parts.next().map(str::to_owned),
                parts.next().map(str::to_owned),
            )
        }
        None => (
            http.get("method").and_then(Node::as_str).map(str::to_owned),
            http.get("path").and_then(Node::as_str).map(str::to_owned),
        ),
    }
}

/// The text between the first pair of `"` after `after` in `message`.
fn quoted<'a>(message: &'a str, after: &str) -> Option<&'a str> {
    let rest = &message[message.find(after)? + after.len()..];
    let start = rest.find('"')? + 1;
    let len = rest[start..].find('"')?;
    Some(&rest[start..start + len])
}

/// The line ranges a framework message is about. `Err` for a message no
/// rule here knows how to place: the test then fails and names it.
fn places(message: &str, cfg: &Config) -> Result<Vec<(u64, u64)>, String> {
    let first = message.lines().next().unwrap_or_default();
    let in_function = quoted(first, "in function ");
    let events = |pred: &dyn Fn(&str, &Node) -> bool| -> Vec<(u64, u64)> {
        cfg.http_events()
            .into_iter()
            .filter(|(f, http)| in_function.is_none_or(|want| want == *f) && pred(f, http))
            .map(|(_, http)| cfg.lines(http))
            .collect()
    };
    let found = if first.starts_with("The Serverless version (") {
        cfg.at("frameworkVersion")
            .map(|n| cfg.lines(n))
            .into_iter()
            .collect()
    } else if let Some(rest) = first.strip_prefix("Invalid stage name ") {
        let stage = rest.split(':').next().unwrap_or_default();
        (1..=cfg.file.line_count() as u64)
            .filter(|l| cfg.file.line_text(*l as usize).contains(stage))
            .map(|l| (l, l))
            .collect()
    } else if first.starts_with("Invalid APIG method") {
        let m = quoted(first, "method").unwrap();
        events(&|_, http| route(http).0.as_deref() == Some(m))
    } else if first.starts_with("Invalid APIG integration") {
        let i = quoted(first, "integration").unwrap();
        events(&|_, http| http.get("integration").and_then(Node::as_str) == Some(i))
    } else if first.starts_with("Request passThrough") {
        let p = quoted(first, "passThrough").unwrap();
        events(&|_, http| {
            http.get_path(&["request", "passThrough"])
                .and_then(Node::as_str)
                == Some(p)
        })
    } else if first.starts_with("Missing or invalid \"path\"")
        || first.contains("(reading 'replace')")
    {
        events(&|_, http| route(http).1.is_none())
    } else if first.starts_with("Missing or invalid \"method\"")
        || first.contains("(reading 'toLowerCase')")
    {
        events(&|_, http| route(http).0.is_none())
    } else if let Some(kind) = first
        .strip_prefix("You need to set the request uri when using the ")
        .and_then(|r| r.strip_suffix(" integration."))
    {
        let want = kind.to_ascii_lowercase().replace('_', "-");
        events(&|_, http| {
            let int = http
                .get("integration")
                .and_then(Node::as_str)
                .map(|s| s.to_ascii_lowercase().replace('_', "-"));
            int.as_deref() == Some(want.as_str()) && http.get_path(&["request", "uri"]).is_none()
        })
    } else if let Some(rest) = first.strip_prefix("Configuration error at '") {
        let path = rest.split('\'').next().unwrap_or_default();
        cfg.at(path).map(|n| cfg.lines(n)).into_iter().collect()
    } else {
        return Err(format!("no rule places the framework's message {first:?}"));
    };
    if found.is_empty() {
        return Err(format!("the message {first:?} names nothing in the config"));
    }
    Ok(found)
}

fn within(line: u64, ranges: &[(u64, u64)]) -> bool {
    ranges.iter().any(|(a, b)| *a <= line && line <= *b)
}

/// `check --format json --framework N [extra] FILE`.
fn check(path: &Path, framework: &str, extra: &[&str]) -> Run {
    let p = path.display().to_string();
    let mut args = vec!["check", "--format", "json", "--framework", framework];
    args.extend_from_slice(extra);
    args.push(&p);
    run(&args)
}

fn config_in(dir: &Path) -> PathBuf {
    ["serverless.yml", "serverless.yaml", "serverless.json"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("{}: no config", dir.display()))
}

fn cases(corpus: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> =
        std::fs::read_dir(root().join("fixtures").join(corpus).join("cases"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
    out.sort();
    out
}

/// `(line, rule, severity, message)` of every finding of a JSON report.
fn findings(report: &Json) -> Vec<(u64, String, String, String)> {
    common::findings(report)
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["rule"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// As [`findings`], with the lines of the finding's related places too.
fn findings_with_related(report: &Json) -> Vec<(Vec<u64>, String, String, String)> {
    common::findings(report)
        .iter()
        .map(|f| {
            let mut lines = vec![f["line"].as_u64().unwrap()];
            for r in f["related"].as_array().unwrap() {
                lines.push(r["line"].as_u64().unwrap());
            }
            (
                lines,
                f["rule"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
                f["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_refusal_is_an_error_at_the_place_it_is_about() {
    let mut checked = 0;
    let mut errors = Vec::new();
    for corpus in ["conformance", "conformance-random"] {
        for dir in cases(corpus) {
            for (file, framework) in [("expected-error.txt", "3"), ("expected-error.v1.txt", "1")] {
                let Ok(message) = std::fs::read_to_string(dir.join(file)) else {
                    continue;
                };
                checked += 1;
                let config = config_in(&dir);
                let name = format!(
                    "{corpus}/{} ({file})",
                    dir.file_name().unwrap().to_string_lossy()
                );
                let cfg = Config::load(&config);
                let r = check(&config, framework, &[]);
                if r.code != 1 {
                    errors.push(format!(
                        "{name}: exit {} (expected 1)\n{}",
                        r.code, r.stderr
                    ));
                    continue;
                }
                let places = match places(&message, &cfg) {
                    Ok(p) => p,
                    Err(e) => {
                        errors.push(format!("{name}: {e}"));
                        continue;
                    }
                };
                let found = findings(&r.json());
                if !found
                    .iter()
                    .any(|(l, _, s, _)| s == "error" && within(*l, &places))
                {
                    errors.push(format!(
                        "{name}: no error-level finding at lines {places:?} for {:?}\n  findings: {:?}",
                        message.lines().next().unwrap_or_default(),
                        found.iter().map(|(l, c, s, _)| format!("{c}@{l} {s}")).collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    assert!(
        checked >= 50,
        "only {checked} refusals found: are the fixtures there?"
    );
    assert!(
        errors.is_empty(),
        "{} of {checked} refusals not matched:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// Where a warning is about: line ranges, and words a matching finding's
/// message must contain (`|`-separated).
type Place = (Vec<(u64, u64)>, Option<String>);

/// The place a warning line is about, if it concerns http events or the
/// provider keys that shape API Gateway; `None` for other warnings.
fn warning_place(line: &str, cfg: &Config) -> Option<Result<Place, String>> {
    if let Some(rest) = line.strip_prefix("  at '") {
        let (path, message) = rest.split_once("': ")?;
        let http = path.starts_with("functions.") && path.contains(".events.") && {
            let mut segs: Vec<&str> = path.split('.').collect();
            segs.truncate(4);
            cfg.at(&segs.join("."))
                .is_some_and(|ev| ev.get("http").is_some())
        };
        let api = [
            "provider.apiGateway",
            "provider.stage",
            "provider.endpointType",
            "provider.apiName",
        ]
        .iter()
        .any(|p| path == *p || path.starts_with(&format!("{p}.")));
        if !http && !api {
            return None;
        }
        let Some(node) = cfg.at(path) else {
            return Some(Err(format!("{path} is not in the config")));
        };
        if let Some(key) = message
            .strip_prefix("unrecognized property '")
            .and_then(|k| k.strip_suffix('\''))
        {
            return Some(match cfg.key_line(path, key) {
                Some(l) => Ok((vec![(l, l)], None)),
                None => Err(format!("{path} has no key {key}")),
            });
        }
        return Some(Ok((vec![cfg.lines(node)], None)));
    }
    let rest = line.strip_prefix("Warning: You're using the ")?;
    let (kind, rest) = rest.split_once(" in combination with ")?;
    let what = if rest.starts_with("a request") {
        "request"
    } else {
        "response"
    };
    let function = quoted(rest, "your function")?;
    let node = cfg.at(&format!("functions.{function}"))?;
    Some(Ok((vec![cfg.lines(node)], Some(format!("{kind}|{what}")))))
}

#[test]
fn every_http_warning_has_a_finding_at_its_place() {
    let mut checked = 0;
    let mut errors = Vec::new();
    for corpus in ["conformance", "conformance-random", "realworld"] {
        for dir in cases(corpus) {
            let Ok(warnings) = std::fs::read_to_string(dir.join("expected-warnings.txt")) else {
                continue;
            };
            let config = config_in(&dir);
            let cfg = Config::load(&config);
            let name = format!("{corpus}/{}", dir.file_name().unwrap().to_string_lossy());
            let mut report = None;
            for line in warnings.lines() {
                let Some(place) = warning_place(line, &cfg) else {
                    continue;
                };
                checked += 1;
                let (ranges, words) = match place {
                    Ok(p) => p,
                    Err(e) => {
                        errors.push(format!("{name}: {line:?}: {e}"));
                        continue;
                    }
                };
                let r = report.get_or_insert_with(|| {
                    let extra: &[&str] = if corpus == "realworld" {
                        &["--stage", "dev"]
                    } else {
                        &[]
                    };
                    check(&config, "3", extra)
                });
                if r.code == 2 {
                    errors.push(format!(
                        "{name}: cannot be checked: {}",
                        r.json()["files"][0]["error"]["message"]
                    ));
                    break;
                }
                let found = findings_with_related(&r.json());
                let matches = found.iter().any(|(lines, _, _, message)| {
                    lines.iter().any(|l| within(*l, &ranges))
                        && words
                            .as_ref()
                            .is_none_or(|w| w.split('|').all(|word| message.contains(word)))
                });
                if !matches {
                    errors.push(format!(
                        "{name}: no finding at lines {ranges:?} for {line:?}\n  findings: {:?}",
                        found
                            .iter()
                            .map(|(l, c, _, _)| format!("{c}@{l:?}"))
                            .collect::<Vec<_>>()
                    ));
                }
            }
        }
    }
    assert!(
        checked >= 100,
        "only {checked} http warnings found: are the fixtures there?"
    );
    assert!(
        errors.is_empty(),
        "{} of {checked} warnings not matched:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// The files a config includes with `${file(...)}`.
fn includes(config: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(config).unwrap();
    text.split("${file(")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|f| {
            f.trim()
                .trim_matches(['\'', '"'])
                .trim_start_matches("./")
                .to_owned()
        })
        .collect()
}

/// `cases.tsv` rows as column → value maps.
fn table(corpus: &str) -> Vec<BTreeMap<String, String>> {
    let text =
        std::fs::read_to_string(root().join("fixtures").join(corpus).join("cases.tsv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .map(|l| {
            header
                .iter()
                .zip(l.split('\t'))
                .map(|(h, v)| ((*h).to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

#[test]
fn realworld_packaged_files_get_no_refusal_and_the_rule_counts_are_printed() {
    let rows = table("realworld");
    assert!(rows.len() >= 100, "the real-world corpus is missing");
    let mut errors = Vec::new();
    let mut count: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    let mut packaged = 0;
    let mut not_self_contained = Vec::new();
    for row in &rows {
        let case = &row["case"];
        let dir = root().join("fixtures/realworld/cases").join(case);
        let config = config_in(&dir);
        let extra: &[&str] = if row["attempt"].contains("--stage dev") {
            &["--stage", "dev"]
        } else {
            &[]
        };
        // As recorded: Serverless Framework 3.40.0.
        let r = check(&config, "3", extra);
        let report = r.json();
        for (_, rule, _, _) in findings(&report) {
            let e = count.entry(rule).or_default();
            e.0 += 1;
            e.1.insert(case.clone());
        }
        if row["packaged"] != "True" {
            continue;
        }
        packaged += 1;
        if r.code == 2 {
            let message = report["files"][0]["error"]["message"]
                .as_str()
                .unwrap_or_default();
            // The framework ran in the file's repository; an include that is
            // not part of this corpus makes the copy here unresolvable, and
            // check must say so (it does not guess).
            let missing = includes(&config)
                .into_iter()
                .find(|f| !dir.join(f).exists());
            match missing {
                Some(f) if message.contains("Value not found at \"file\" source") => {
                    not_self_contained.push(format!("{case} (needs {f})"));
                }
                _ => errors.push(format!(
                    "{case}: packaged by the framework, but check could not run: {message}"
                )),
            }
        }
        for (line, rule, severity, message) in findings(&report) {
            if severity == "error" {
                errors.push(format!(
                    "{case}:{line}: {rule} error on a file the framework packaged: {message}"
                ));
            }
        }
    }
    let files = rows.len();
    println!(
        "\nFindings per rule over the real-world corpus ({files} files, {packaged} packaged):"
    );
    println!(
        "{:<18} {:>8} {:>6} {:>7}",
        "rule", "findings", "files", "share"
    );
    for (rule, (n, in_files)) in &count {
        let share = in_files.len() as f64 / files as f64;
        let flag = if share > 0.25 {
            "  > 1/4 of the files"
        } else {
            ""
        };
        println!(
            "{rule:<18} {n:>8} {:>6} {:>6.1}%{flag}",
            in_files.len(),
            share * 100.0
        );
    }
    println!(
        "Packaged files whose includes are not in the corpus (check names the include): {}",
        not_self_contained.join(", ")
    );
    assert!(packaged >= 50, "only {packaged} packaged files");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
