//! Every rule of the catalogue, through the real binary.
//!
//! For each rule, `fixtures/rules/<CODE>/bad.yml` marks every line where a
//! finding must start with a trailing `# expect: <CODE>` (several codes may
//! follow one marker). `check` must report exactly those lines for every code
//! the file marks, and `good.yml` must give no finding of the rule. A fixture
//! that needs options names them on a line
//! `# checked with: slsasync check --strict`.
//!
//! The catalogue is walked as `slsasync rules --format json` prints it: codes
//! and names unique, names kebab-case, every code of the specification's rule
//! list present with its severity and fix kind, `slsasync explain` giving a
//! page with the fixed headings, and fixtures present. Each page's example
//! must trigger its rule and its fixed example must not.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod common;

use std::collections::BTreeSet;

use common::{codes_and_lines, markers, root, run, workspace};
use serde_json::Value as Json;

/// The rules of section 7 of the http-events specification: code, default
/// severity, whether a fix is offered.
const SPEC: [(&str, &str, bool); 35] = [
    ("SLS-ASYNC-001", "warning", true),
    ("SLS-ASYNC-002", "warning", false),
    ("SLS-ASYNC-003", "warning", true),
    ("SLS-ASYNC-004", "warning", true),
    ("SLS-ASYNC-005", "warning", true),
    ("SLS-ASYNC-006", "info", false),
    ("SLS-ASYNC-007", "info", false),
    ("SLS-RESP-001", "warning", true),
    ("SLS-RESP-002", "warning", false),
    ("SLS-RESP-003", "info", false),
    ("SLS-RESP-004", "error", false),
    ("SLS-RESP-005", "warning", true),
    ("SLS-RESP-006", "warning", false),
    ("SLS-INT-001", "error", false),
    ("SLS-INT-002", "info", true),
    ("SLS-INT-003", "error", false),
    ("SLS-INT-004", "error", false),
    ("SLS-INT-005", "error", false),
    ("SLS-INT-006", "error", false),
    ("SLS-REQ-001", "error", true),
    ("SLS-REQ-002", "error", false),
    ("SLS-REQ-003", "info", false),
    ("SLS-REQ-004", "error", true),
    ("SLS-REQ-005", "warning", true),
    ("SLS-PATH-001", "error", false),
    ("SLS-PATH-002", "error", false),
    ("SLS-PATH-003", "warning", true),
    ("SLS-PATH-004", "error", false),
    ("SLS-CORS-001", "error", false),
    ("SLS-CORS-002", "warning", false),
    ("SLS-CORS-003", "warning", false),
    ("SLS-CORS-004", "info", false),
    ("SLS-STAGE-001", "error", false),
    ("SLS-DEP-001", "info", false),
    ("SLS-KEY-001", "warning", true),
];

/// The headings every rule page has, in this order.
const HEADINGS: [&str; 5] = [
    "## What it flags",
    "## Why it matters",
    "## Example",
    "## Fixed example",
    "## Fix",
];

fn catalogue() -> Vec<Json> {
    let r = run(&["rules", "--format", "json"]);
    r.expect_code(0);
    r.json().as_array().cloned().expect("a JSON list")
}

fn field<'a>(rule: &'a Json, key: &str) -> &'a str {
    rule[key]
        .as_str()
        .unwrap_or_else(|| panic!("rule {rule} lacks `{key}`"))
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The options of a `# checked with: slsasync check --strict` line.
fn fixture_args(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            l.trim_start()
                .strip_prefix("# checked with: slsasync check")
        })
        .flat_map(|a| a.split_whitespace().map(str::to_owned))
        .collect()
}

/// `check --format json` on a file; exit 0 or 1, else the output as the error.
fn check_file(path: &std::path::Path, text: &str) -> Result<Json, String> {
    let args = fixture_args(text);
    let p = path.display().to_string();
    let mut all: Vec<&str> = vec!["check", "--format", "json"];
    all.extend(args.iter().map(String::as_str));
    all.push(&p);
    let r = run(&all);
    if r.code == 0 || r.code == 1 {
        Ok(r.json())
    } else {
        Err(format!("{p}: exit {}\n{}{}", r.code, r.stdout, r.stderr))
    }
}

#[test]
fn registry_walk() {
    let rules = catalogue();
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut errors = Vec::new();
    for r in &rules {
        let code = field(r, "code");
        let name = field(r, "name");
        if !codes.insert(code.to_owned()) {
            errors.push(format!("duplicate code {code}"));
        }
        if !names.insert(name.to_owned()) {
            errors.push(format!("duplicate name {name}"));
        }
        let parts: Vec<&str> = code.split('-').collect();
        let well_formed = parts.len() == 3
            && parts[0] == "SLS"
            && parts[1].bytes().all(|b| b.is_ascii_uppercase())
            && parts[2].len() == 3
            && parts[2].bytes().all(|b| b.is_ascii_digit());
        if !well_formed {
            errors.push(format!("{code}: code must be SLS-AREA-NNN"));
        }
        if !is_kebab(name) || name.starts_with("no-") || name.starts_with("disallow-") {
            errors.push(format!(
                "{code}: name `{name}` must be kebab-case and name the pattern"
            ));
        }
        if !["error", "warning", "info"].contains(&field(r, "severity")) {
            errors.push(format!("{code}: severity {}", r["severity"]));
        }
        if !["no", "safe", "unsafe"].contains(&field(r, "fix")) {
            errors.push(format!("{code}: fix {}", r["fix"]));
        }
        let summary = field(r, "summary");
        if summary.trim().is_empty() || summary.contains('\n') || summary.ends_with('.') {
            errors.push(format!(
                "{code}: the summary must be one line, without a final period"
            ));
        }
        // The page, by code and by name.
        let page = run(&["explain", code]);
        if page.code != 0 {
            errors.push(format!("{code}: explain exited {}", page.code));
            continue;
        }
        if run(&["explain", name]).stdout != page.stdout {
            errors.push(format!(
                "{code}: explain by name differs from explain by code"
            ));
        }
        if !page.stdout.contains(code) || !page.stdout.contains(name) {
            errors.push(format!("{code}: the page does not name the rule"));
        }
        let mut at = 0;
        for h in HEADINGS {
            match page.stdout[at..].find(&format!("\n{h}\n")) {
                Some(pos) => at += pos + h.len(),
                None => errors.push(format!("{code}: the page lacks `{h}` (in order)")),
            }
        }
        for f in ["bad.yml", "good.yml"] {
            if !root().join("fixtures/rules").join(code).join(f).is_file() {
                errors.push(format!("{code}: fixtures/rules/{code}/{f} is missing"));
            }
        }
    }
    // The table `slsasync rules` prints has a row per rule.
    let table = run(&["rules"]);
    table.expect_code(0);
    for r in &rules {
        let (code, name) = (field(r, "code"), field(r, "name"));
        let row = table
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("{code} ")));
        if !row.is_some_and(|l| l.contains(name) && l.contains(field(r, "summary"))) {
            errors.push(format!(
                "{code}: no row with its name and summary in `slsasync rules`"
            ));
        }
    }
    for (code, severity, fix) in SPEC {
        match rules.iter().find(|r| r["code"] == code) {
            None => errors.push(format!(
                "{code} (specification, section 7) is not in the catalogue"
            )),
            Some(r) => {
                if field(r, "severity") != severity {
                    errors.push(format!(
                        "{code}: default severity {} (the specification says {severity})",
                        r["severity"]
                    ));
                }
                if (field(r, "fix") != "no") != fix {
                    errors.push(format!(
                        "{code}: fix {} (the specification says {})",
                        r["fix"],
                        if fix { "a fix" } else { "no fix" }
                    ));
                }
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn unknown_rule_is_exit_2_with_a_suggestion() {
    let r = run(&["explain", "async-without-integratoin"]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("no rule `async-without-integratoin`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("async-without-integration"),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_fixtures_give_exactly_the_marked_findings() {
    let mut errors = Vec::new();
    for r in catalogue() {
        let code = field(&r, "code");
        let path = root().join("fixtures/rules").join(code).join("bad.yml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            errors.push(format!("{code}: no bad.yml"));
            continue;
        };
        let want = markers(&text);
        if !want.iter().any(|(c, _)| c == code) {
            errors.push(format!("{code}: bad.yml has no `# expect: {code}` marker"));
        }
        let marked: BTreeSet<&str> = want.iter().map(|(c, _)| c.as_str()).collect();
        let report = match check_file(&path, &text) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let got: BTreeSet<(String, u64)> = codes_and_lines(&report)
            .into_iter()
            .filter(|(c, _)| marked.contains(c.as_str()))
            .collect();
        if got != want {
            let missing: Vec<_> = want.difference(&got).collect();
            let extra: Vec<_> = got.difference(&want).collect();
            errors.push(format!(
                "{code} bad.yml: missing {missing:?}, unexpected {extra:?}"
            ));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn good_fixtures_stay_silent() {
    let mut errors = Vec::new();
    for r in catalogue() {
        let code = field(&r, "code");
        let path = root().join("fixtures/rules").join(code).join("good.yml");
        let Ok(text) = std::fs::read_to_string(&path) else {
            errors.push(format!("{code}: no good.yml"));
            continue;
        };
        let report = match check_file(&path, &text) {
            Ok(r) => r,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let lines: Vec<u64> = codes_and_lines(&report)
            .into_iter()
            .filter(|(c, _)| c == code)
            .map(|(_, l)| l)
            .collect();
        if !lines.is_empty() {
            errors.push(format!("{code} good.yml: findings at lines {lines:?}"));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

/// The yaml block after `heading` on a rule page.
fn block(page: &str, heading: &str) -> Option<String> {
    let after = page.split(&format!("\n{heading}\n")).nth(1)?;
    let start = after.find("```yaml\n")? + "```yaml\n".len();
    let len = after[start..].find("```")?;
    Some(after[start..start + len].to_owned())
}

#[test]
fn every_page_example_triggers_its_rule_and_the_fixed_one_does_not() {
    let mut errors = Vec::new();
    for r in catalogue() {
        let code = field(&r, "code");
        let page = run(&["explain", code]).stdout;
        let (Some(example), Some(fixed)) =
            (block(&page, "## Example"), block(&page, "## Fixed example"))
        else {
            errors.push(format!(
                "{code}: the page lacks a yaml example or fixed example"
            ));
            continue;
        };
        for (which, text, should_fire) in [
            ("example", &example, true),
            ("fixed example", &fixed, false),
        ] {
            let dir = workspace(&[("serverless.yml", text)]);
            let path = dir.path().join("serverless.yml");
            let report = match check_file(&path, text) {
                Ok(r) => r,
                Err(e) => {
                    errors.push(format!("{code}: the {which} cannot be checked: {e}"));
                    continue;
                }
            };
            let fired = codes_and_lines(&report).iter().any(|(c, _)| c == code);
            if fired != should_fire {
                errors.push(format!(
                    "{code}: the {which} {} the rule\n{text}",
                    if fired {
                        "triggers"
                    } else {
                        "does not trigger"
                    }
                ));
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
