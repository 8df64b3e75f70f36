//! Our YAML loader against the framework's real one.
//!
//! * `fixtures/yaml-typing/cases.json`: small snippets with what js-yaml
//!   4.3.2 (framework v3) and 3.15.2 (framework v1) produced for them
//!   (regenerate with `fixtures/yaml-typing/generate.cjs`).
//! * `fixtures/yaml-corpus/<set>/<case>.json`: what the framework's parser
//!   (js-yaml 4 + CloudFormation schema) produced for every config under
//!   `../shared/{conformance,conformance-random,realworld}/cases/`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use slsasync::source::json::to_json;
use slsasync::source::node::js_number_to_string;
use slsasync::source::yaml::{Dialect, parse_json, parse_yaml};
use slsasync::source::{FileId, Loc, Node, Value};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// JSON text with object keys in their stored order and every number printed
/// the way JavaScript prints a double, so `1e21`, `12345678901234567000` and
/// `1.0` compare equal however serde_json stored them.
fn canonical(v: &Json) -> String {
    match v {
        Json::Null | Json::Bool(_) | Json::String(_) => v.to_string(),
        Json::Number(n) => js_number_to_string(n.as_f64().unwrap_or(f64::NAN)),
        Json::Array(items) => format!(
            "[{}]",
            items.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        Json::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}:{}", Json::String(k.clone()), canonical(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

/// Every node's span lies inside the text and on character boundaries.
fn check_spans(node: &Node, text: &str, problems: &mut Vec<String>, what: &str) {
    let ok = |l: &Loc| {
        l.start <= l.end
            && l.end <= text.len()
            && text.is_char_boundary(l.start)
            && text.is_char_boundary(l.end)
    };
    if !ok(&node.loc) {
        problems.push(format!("{what}: bad span {:?}", node.loc));
    }
    match &node.value {
        Value::Seq(items) => items
            .iter()
            .for_each(|n| check_spans(n, text, problems, what)),
        Value::Map(m) => {
            for e in m.iter() {
                if !ok(&e.key_loc) {
                    problems.push(format!("{what}: bad key span {:?}", e.key_loc));
                }
                check_spans(&e.value, text, problems, what);
            }
        }
        _ => {}
    }
}

/// Structural equality, key order included; numbers within one unit in the
/// last place (serde_json's default float parsing is not always exact).
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || (x - y).abs() <= f64::EPSILON * x.abs().max(y.abs())
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| ka == kb && same(va, vb))
        }
        _ => a == b,
    }
}

fn compare(text: &str, dialect: Dialect, expected: &Json, what: &str, problems: &mut Vec<String>) {
    let got = parse_yaml(text, FileId(0), dialect);
    if let Some(want) = expected.get("ok_text").and_then(Json::as_str) {
        // Deeply nested: compared as compact JSON text.
        match got {
            Ok(parsed) => {
                let got = serde_json::to_string(&to_json(&parsed.root)).unwrap_or_default();
                if got != want {
                    problems.push(format!("{what}: got {got:.300}\n    expected {want:.300}"));
                }
            }
            Err(e) => problems.push(format!(
                "{what}: error {:?}, expected {want:.100}",
                e.message
            )),
        }
        return;
    }
    match (expected.get("ok"), got) {
        (Some(want), Ok(parsed)) => {
            check_spans(&parsed.root, text, problems, what);
            let got = to_json(&parsed.root);
            if !same(&got, want) {
                problems.push(format!(
                    "{what}: got {:.300}\n    expected {:.300}",
                    canonical(&got),
                    canonical(want)
                ));
            }
        }
        (Some(want), Err(e)) => {
            problems.push(format!(
                "{what}: error {:?} at {}, expected {:.200}",
                e.message,
                e.loc.start,
                canonical(want)
            ));
        }
        (None, Ok(parsed)) => {
            let err = expected
                .get("error")
                .map_or_else(String::new, Json::to_string);
            problems.push(format!(
                "{what}: loaded {:.200}, expected the error {err}",
                canonical(&to_json(&parsed.root))
            ));
        }
        (None, Err(e)) => {
            if e.loc.end > text.len()
                || !text.is_char_boundary(e.loc.start)
                || e.loc.start > e.loc.end
            {
                problems.push(format!(
                    "{what}: error location {:?} outside the text",
                    e.loc
                ));
            }
        }
    }
}

/// Cases where we knowingly differ from js-yaml, with the reason.
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[
    (
        "merge-explicit-tag",
        "v3",
        "js-yaml 3 rejects a tagged key at the start of a nested block mapping",
    ),
    (
        "cfn-key",
        "v3",
        "js-yaml 3 rejects a tagged implicit key at the start of the document",
    ),
    (
        "tabs-indent",
        "v3",
        "js-yaml 3 accepts a tab as indentation; YAML and js-yaml 4 do not",
    ),
    (
        "anchor-on-empty",
        "v3",
        "js-yaml 3 bug: an alias of an anchored empty value yields []",
    ),
    (
        "tag-js-undefined",
        "v3",
        "`undefined` has no JSON form; we load it as null instead of dropping the key",
    ),
    (
        "depth-seq-map-100",
        "v3",
        "deeper than Limits::max_depth (200); js-yaml 3 has no depth limit",
    ),
];

#[test]
fn snippets_load_like_js_yaml() {
    let path = manifest_dir().join("fixtures/yaml-typing/cases.json");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let cases: Vec<Json> = serde_json::from_str(&text).unwrap_or_default();
    assert!(cases.len() > 300, "missing or short {}", path.display());
    let mut problems = Vec::new();
    for case in &cases {
        let name = case.get("name").and_then(Json::as_str).unwrap_or("?");
        let yaml = case.get("yaml").and_then(Json::as_str).unwrap_or("");
        for (dialect, field) in [(Dialect::JsYaml4, "v4"), (Dialect::JsYaml3, "v3")] {
            if KNOWN_DIFFERENCES
                .iter()
                .any(|(n, d, _)| *n == name && *d == field)
            {
                continue;
            }
            let expected = case.get(field).cloned().unwrap_or(Json::Null);
            compare(
                yaml,
                dialect,
                &expected,
                &format!("{name} [{field}]"),
                &mut problems,
            );
        }
    }
    assert!(
        problems.is_empty(),
        "{} of {} checks differ from js-yaml:\n{}",
        problems.len(),
        cases.len() * 2,
        problems.join("\n")
    );
}

fn corpus_sets() -> [&'static str; 3] {
    ["conformance", "conformance-random", "realworld"]
}

#[test]
#[allow(clippy::print_stderr)]
fn corpus_loads_like_the_framework() {
    let shared = manifest_dir().join("../shared");
    if !shared.join("conformance/cases").is_dir() {
        eprintln!("skipped: {} is absent", shared.display());
        return;
    }
    let mut problems = Vec::new();
    let mut checked = 0;
    for set in corpus_sets() {
        let fixtures = manifest_dir().join("fixtures/yaml-corpus").join(set);
        let Ok(dir) = std::fs::read_dir(&fixtures) else {
            problems.push(format!("missing {}", fixtures.display()));
            continue;
        };
        let mut files: Vec<PathBuf> = dir.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for fixture in files {
            let Some(case) = fixture.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            let expected: Json =
                serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap_or_default())
                    .unwrap_or(Json::Null);
            let dir = shared.join(set).join("cases").join(case);
            let (config, is_json) = match find_config(&dir) {
                Some(found) => found,
                None => {
                    problems.push(format!("{set}/{case}: no config in {}", dir.display()));
                    continue;
                }
            };
            let text = std::fs::read_to_string(&config).unwrap_or_default();
            let what = format!("{set}/{case}");
            checked += 1;
            if is_json {
                match (expected.get("ok"), parse_json(&text, FileId(0))) {
                    (Some(want), Ok(p)) => {
                        if !same(&to_json(&p.root), want) {
                            problems.push(format!("{what}: JSON differs"));
                        }
                    }
                    (None, Err(_)) => {}
                    (_, r) => problems.push(format!("{what}: JSON outcome differs: {:?}", r.err())),
                }
            } else {
                compare(&text, Dialect::JsYaml4, &expected, &what, &mut problems);
            }
        }
    }
    assert!(checked > 300, "only {checked} corpus configs found");
    assert!(
        problems.is_empty(),
        "{} of {checked} corpus configs differ:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn find_config(dir: &Path) -> Option<(PathBuf, bool)> {
    ["serverless.yml", "serverless.yaml", "serverless.json"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
        .map(|p| {
            let is_json = p.extension().is_some_and(|e| e == "json");
            (p, is_json)
        })
}
