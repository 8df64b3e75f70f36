//! The schema check over the real-world and conformance corpora, against what
//! Serverless 3.40.0 really did with each config:
//!
//! * a config the framework packaged gets no error-level schema finding;
//! * a config it refused for a schema matter (missing `path`/`method`, a
//!   `TypeError` on them, `Configuration error` under
//!   `configValidationMode: error`) gets at least one;
//! * every `at '<path>': <problem>` line it printed has a schema finding at
//!   that path, except `unrecognized property` inside an http event, which is
//!   SLS-KEY-001's.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use slsasync::model::Framework;
use slsasync::rules::{Finding, Severity};
use slsasync::schema;
use slsasync::source::yaml::{Dialect, parse_yaml};
use slsasync::source::{Loc, Node, SourceMap};
use slsasync::vars::{self, VarOptions};

struct Case {
    name: String,
    config: PathBuf,
    packaged: bool,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Cases of one corpus: `cases.tsv` column `column` says whether v3 packaged.
fn cases(corpus: &str, column: &str, packaged_value: &str) -> Vec<Case> {
    let dir = fixtures().join(corpus);
    let tsv = std::fs::read_to_string(dir.join("cases.tsv")).unwrap_or_default();
    let mut lines = tsv.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = header.iter().position(|h| *h == column);
    let mut out = Vec::new();
    for line in lines {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(name), Some(c)) = (cols.first(), col) else {
            continue;
        };
        let case_dir = dir.join("cases").join(name);
        let config = ["serverless.yml", "serverless.yaml", "serverless.json"]
            .iter()
            .map(|f| case_dir.join(f))
            .find(|p| p.exists());
        let Some(config) = config else { continue };
        out.push(Case {
            name: format!("{corpus}/{name}"),
            config,
            packaged: cols.get(c).is_some_and(|v| *v == packaged_value),
        });
    }
    out
}

/// Parse, resolve what can be resolved statically, check against 3.40.0.
fn run(case: &Case) -> Option<(Node, Vec<Finding>)> {
    let text = std::fs::read_to_string(&case.config).ok()?;
    let mut sources = SourceMap::new();
    let file = sources.add(case.config.clone(), text.clone());
    let parsed = parse_yaml(&text, file, Dialect::JsYaml4).ok()?;
    let raw = parsed.root;
    let root = vars::resolve(
        raw.clone(),
        &case.config,
        &mut sources,
        &VarOptions::new(Framework::V3),
    )
    .map(|r| r.root)
    .unwrap_or_else(|_| raw.clone());
    let findings = schema::check(&root, &raw, Framework::V3);
    Some((root, findings))
}

/// `at '<path>': <problem>` lines of a framework output file.
fn at_lines(path: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter_map(|l| {
            let i = l.find("at '")?;
            let rest = l.get(i + 4..)?;
            let (p, problem) = rest.split_once("': ")?;
            Some((p.to_owned(), problem.to_owned()))
        })
        .collect()
}

fn is_http_unknown_key(path: &str, problem: &str) -> bool {
    let segs: Vec<&str> = path.split('.').collect();
    problem.starts_with("unrecognized property")
        && segs.first() == Some(&"functions")
        && segs.get(2) == Some(&"events")
        && segs.get(4) == Some(&"http")
}

/// The span of the node at a dotted framework path, and of its key.
fn span_of(root: &Node, dotted: &str) -> Option<(Loc, Option<Loc>)> {
    let mut node = root;
    let mut key = None;
    for seg in dotted.split('.') {
        if let Some(m) = node.as_map() {
            let e = m.entry(seg)?;
            key = Some(e.key_loc);
            node = &e.value;
        } else {
            node = node.as_seq()?.get(seg.parse::<usize>().ok()?)?;
            key = None;
        }
    }
    Some((node.loc, key))
}

fn covers(f: &Finding, span: (Loc, Option<Loc>)) -> bool {
    let (node, key) = span;
    let l = f.primary.loc;
    Some(l) == key || (l.file == node.file && l.start >= node.start && l.end <= node.end)
}

fn refused_for_schema(case: &Case) -> bool {
    let err = case.config.with_file_name("expected-error.txt");
    let text = std::fs::read_to_string(err).unwrap_or_default();
    text.starts_with("Configuration error")
        || text.contains("(reading 'replace')")
        || text.contains("(reading 'toLowerCase')")
}

#[test]
fn corpora_agree_with_the_framework() {
    let all: Vec<Case> = [
        cases("realworld", "packaged", "True"),
        cases("conformance", "v3", "packaged"),
        cases("conformance-random", "v3", "packaged"),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(
        all.len() > 300,
        "corpora not found under {}",
        fixtures().display()
    );

    let mut problems = Vec::new();
    let mut by_code: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let (mut files, mut packaged, mut unparsed, mut expected_lines, mut matched_lines) =
        (0, 0, 0, 0, 0);
    for case in &all {
        let Some((root, findings)) = run(case) else {
            unparsed += 1;
            continue;
        };
        files += 1;
        for f in &findings {
            *by_code.entry((f.code, f.severity.as_str())).or_default() += 1;
        }
        let errors: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        if case.packaged {
            packaged += 1;
            for f in &errors {
                problems.push(format!(
                    "{}: error on a packaged config: {}",
                    case.name, f.message
                ));
            }
        } else if refused_for_schema(case) && errors.is_empty() {
            problems.push(format!(
                "{}: refused for a schema matter but no error finding",
                case.name
            ));
        }
        for name in ["expected-warnings.txt", "expected-error.txt"] {
            for (path, problem) in at_lines(&case.config.with_file_name(name)) {
                if is_http_unknown_key(&path, &problem) {
                    continue;
                }
                expected_lines += 1;
                match span_of(&root, &path) {
                    Some(span) if findings.iter().any(|f| covers(f, span)) => matched_lines += 1,
                    _ => {
                        problems.push(format!("{}: no finding at '{path}' ({problem})", case.name))
                    }
                }
            }
        }
    }
    println!(
        "schema corpus: {files} files checked ({packaged} packaged by v3, {unparsed} not parsed), \
         {matched_lines}/{expected_lines} framework schema lines matched"
    );
    for ((code, sev), n) in &by_code {
        println!("  {code} {sev}: {n}");
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
