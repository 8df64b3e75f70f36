//! Fixture-driven checks of every rule in [`RULES`], in process.
//!
//! For each rule, `fixtures/rules/<CODE>/bad.yml` marks every line where a
//! finding of that rule must start with a trailing `# expect: <CODE>`, and
//! `good.yml` must give no finding of it. Every fix offered on `bad.yml` is
//! applied: the result must still load and the rule must report fewer
//! findings. The same runs again on a CRLF copy of `bad.yml`, whose fixed text
//! must not gain a bare `\n`. `tests/rules.rs` checks the same fixtures through
//! the real binary.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::registry::RULES;
use super::{Context, Edit, Finding, FixKind, Rule, run};
use crate::model::{Framework, Target, http_events, target_for_range};
use crate::source::yaml::{Dialect, parse_yaml};
use crate::source::{Node, SourceMap};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join("rules")
}

struct Loaded {
    sources: SourceMap,
    root: Node,
    target: Target,
}

/// Load a fixture the way `check` does: js-yaml 4 first, js-yaml 3 when the
/// range selects Serverless 1.
fn load(text: &str) -> Result<Loaded, String> {
    let mut sources = SourceMap::new();
    let file = sources.add(PathBuf::from("serverless.yml"), text.to_owned());
    let first = parse_yaml(text, file, Dialect::JsYaml4).map_err(|e| e.message)?;
    let target = match first.root.get("frameworkVersion") {
        Some(fv) => target_for_range(&fv.js_string()).map_err(|e| format!("{e:?}"))?,
        None => Target {
            framework: Framework::V3,
            reason: "default".to_owned(),
            note: None,
        },
    };
    let root = if target.framework == Framework::V1 {
        parse_yaml(text, file, Dialect::JsYaml3)
            .map_err(|e| e.message)?
            .root
    } else {
        first.root
    };
    Ok(Loaded {
        sources,
        root,
        target,
    })
}

fn check(rule: &dyn Rule, l: &Loaded) -> Vec<Finding> {
    let events = http_events(&l.root);
    let cx = Context {
        root: &l.root,
        raw: &l.root,
        sources: &l.sources,
        target: &l.target,
        events: &events,
    };
    let found = run(&cx, &[rule]);
    found
        .into_iter()
        .filter(|f| f.code == rule.meta().code)
        .collect()
}

fn line_of(l: &Loaded, f: &Finding) -> usize {
    l.sources.line_col(f.primary.loc).line
}

/// Lines carrying `# expect: CODE` (several codes may follow, separated by spaces or commas).
fn expected(text: &str, code: &str) -> BTreeSet<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            line.split_once("# expect:")
                .is_some_and(|(_, codes)| codes.split([' ', ',']).any(|c| c.trim() == code))
        })
        .map(|(i, _)| i + 1)
        .collect()
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| std::cmp::Reverse(e.loc.start));
    let mut out = text.to_owned();
    for e in sorted {
        out.replace_range(e.loc.range(), &e.text);
    }
    out
}

fn read(code: &str, which: &str) -> String {
    let path = fixtures().join(code).join(which);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Problems with one rule's bad fixture (empty when it behaves).
fn check_bad(rule: &dyn Rule, text: &str, label: &str) -> Vec<String> {
    let code = rule.meta().code;
    let mut errors = Vec::new();
    let l = match load(text) {
        Ok(l) => l,
        Err(e) => return vec![format!("{code} {label}: does not load: {e}")],
    };
    let found = check(rule, &l);
    let lines: BTreeSet<usize> = found.iter().map(|f| line_of(&l, f)).collect();
    let want = expected(text, code);
    if want.is_empty() {
        errors.push(format!("{code} {label}: no `# expect: {code}` marker"));
    }
    if lines != want {
        errors.push(format!(
            "{code} {label}: findings at lines {lines:?}, markers at {want:?}"
        ));
    }
    for f in &found {
        if f.message.is_empty() || f.help.is_none() {
            errors.push(format!("{code} {label}: message and help required"));
        }
        if rule.meta().fix == FixKind::None && f.fix.is_some() {
            errors.push(format!("{code} {label}: a rule without fixes offered one"));
        }
        let Some(fix) = &f.fix else { continue };
        if fix.edits.iter().any(|e| e.loc.file != f.primary.loc.file) {
            errors.push(format!("{code} {label}: edit in another file"));
        }
        let fixed = apply(text, &fix.edits);
        let l2 = match load(&fixed) {
            Ok(l2) => l2,
            Err(e) => {
                errors.push(format!(
                    "{code} {label}: fixed text does not load: {e}\n{fixed}"
                ));
                continue;
            }
        };
        let after = check(rule, &l2);
        if after.len() >= found.len() {
            errors.push(format!(
                "{code} {label}: fix `{}` did not remove the finding at line {}\n{fixed}",
                fix.title,
                line_of(&l, f)
            ));
        }
        if text.contains("\r\n") && fixed.replace("\r\n", "").contains('\n') {
            errors.push(format!(
                "{code} {label}: fix wrote a bare LF into a CRLF file"
            ));
        }
    }
    errors
}

#[test]
fn every_rule_fires_on_its_bad_fixture_and_fixes_apply() {
    let mut errors = Vec::new();
    for rule in RULES {
        let code = rule.meta().code;
        let bad = read(code, "bad.yml");
        errors.extend(check_bad(*rule, &bad, "bad.yml"));
        if !bad.contains("\r\n") {
            errors.extend(check_bad(
                *rule,
                &bad.replace('\n', "\r\n"),
                "bad.yml (CRLF)",
            ));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn every_rule_is_silent_on_its_good_fixture() {
    let mut errors = Vec::new();
    for rule in RULES {
        let code = rule.meta().code;
        let good = read(code, "good.yml");
        match load(&good) {
            Err(e) => errors.push(format!("{code} good.yml: does not load: {e}")),
            Ok(l) => {
                let lines: Vec<usize> = check(*rule, &l).iter().map(|f| line_of(&l, f)).collect();
                if !lines.is_empty() {
                    errors.push(format!(
                        "{code} good.yml: unexpected findings at lines {lines:?}"
                    ));
                }
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn fixes_are_offered_where_the_fixture_allows() {
    // Each rule with a fix kind offers at least one fix on its bad fixture.
    for rule in RULES {
        let meta = rule.meta();
        if meta.fix == FixKind::None {
            continue;
        }
        let bad = read(meta.code, "bad.yml");
        let Ok(l) = load(&bad) else { continue };
        assert!(
            check(*rule, &l).iter().any(|f| f.fix.is_some()),
            "{}: declares a fix but offers none on bad.yml",
            meta.code
        );
    }
}

fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[test]
fn registry_is_consistent() {
    let mut codes = BTreeSet::new();
    let mut names = BTreeSet::new();
    let mut previous = "";
    for rule in RULES {
        let m = rule.meta();
        assert!(codes.insert(m.code), "duplicate code {}", m.code);
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        assert!(m.code > previous, "{} is out of code order", m.code);
        previous = m.code;
        let parts: Vec<&str> = m.code.split('-').collect();
        assert!(
            parts.len() == 3
                && parts[0] == "SLS"
                && parts[1].bytes().all(|b| b.is_ascii_uppercase())
                && parts[2].len() == 3
                && parts[2].bytes().all(|b| b.is_ascii_digit()),
            "{}: code must be SLS-AREA-NNN",
            m.code
        );
        assert!(
            is_kebab(m.name),
            "{}: name `{}` is not kebab-case",
            m.code,
            m.name
        );
        assert!(
            !m.name.starts_with("no-") && !m.name.starts_with("disallow-"),
            "{}: name must describe the pattern",
            m.code
        );
        assert!(
            !m.summary.is_empty() && !m.summary.contains('\n'),
            "{}: one-line summary",
            m.code
        );
        let mut at = 0;
        for h in [
            "## What it flags",
            "## Why it matters",
            "## Example",
            "## Fixed example",
            "## Fix",
        ] {
            let pos = m.doc[at..]
                .find(&format!("{h}\n"))
                .unwrap_or_else(|| panic!("{}: doc lacks `{h}` (in order)", m.code));
            at += pos + h.len();
        }
        let example = m.doc.split("## Example").nth(1).unwrap_or("");
        assert!(
            example.contains("```yaml\n"),
            "{}: the example must be a yaml block",
            m.code
        );
        let fixed = m.doc.split("## Fixed example").nth(1).unwrap_or("");
        assert!(
            fixed.contains("```yaml\n"),
            "{}: the fixed example must be a yaml block",
            m.code
        );
        if m.doc.contains('#') && m.doc.contains("issue") {
            assert!(
                m.doc.contains("## References"),
                "{}: cites issues without `## References`",
                m.code
            );
        }
        for f in ["bad.yml", "good.yml"] {
            assert!(
                fixtures().join(m.code).join(f).is_file(),
                "{}: fixtures/rules/{}/{f} missing",
                m.code,
                m.code
            );
        }
    }
}

/// The doc's example triggers the rule and its fixed example does not.
#[test]
fn doc_examples_behave() {
    let mut errors = Vec::new();
    for rule in RULES {
        let m = rule.meta();
        let block = |section: &str| -> Option<String> {
            let after = m.doc.split(section).nth(1)?;
            let start = after.find("```yaml\n")? + "```yaml\n".len();
            let len = after[start..].find("```")?;
            Some(after[start..start + len].to_owned())
        };
        let (Some(example), Some(fixed)) = (block("## Example\n"), block("## Fixed example\n"))
        else {
            panic!("{}: doc examples missing", m.code);
        };
        match load(&example) {
            Err(e) => errors.push(format!("{}: doc example does not load: {e}", m.code)),
            Ok(l) if check(*rule, &l).is_empty() => {
                errors.push(format!("{}: doc example does not trigger the rule", m.code))
            }
            Ok(_) => {}
        }
        match load(&fixed) {
            Err(e) => errors.push(format!("{}: fixed doc example does not load: {e}", m.code)),
            Ok(l) if !check(*rule, &l).is_empty() => errors.push(format!(
                "{}: fixed doc example still triggers the rule",
                m.code
            )),
            Ok(_) => {}
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
