//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning.

use serde_json::{Value as Json, json};

use super::findings::{FileReport, span};
use crate::rules::{Applicability, RuleMeta, Severity};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The first paragraph of the rule page's "What it flags" section, on one
/// line (the summary when the page has none).
fn what_it_flags(m: &RuleMeta) -> String {
    m.doc
        .split("## What it flags\n")
        .nth(1)
        .and_then(|s| s.trim_start().split("\n\n").next())
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| m.summary.to_owned())
}

/// A path as a SARIF artifact URI (relative paths stay relative, `/` separators).
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    p.strip_prefix("./").unwrap_or(&p).to_owned()
}

pub fn render(reports: &[FileReport], catalogue: &[&'static RuleMeta]) -> String {
    let mut fired: Vec<&'static str> = reports
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| f.code))
        .collect();
    fired.sort_unstable();
    fired.dedup();
    let rules: Vec<&RuleMeta> = catalogue
        .iter()
        .copied()
        .filter(|m| fired.contains(&m.code))
        .collect();
    let rule_index = |code: &str| rules.iter().position(|m| m.code == code);
    let rules_json: Vec<Json> = rules
        .iter()
        .map(|m| {
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": {"text": m.summary},
                "fullDescription": {"text": what_it_flags(m)},
                "help": {"text": format!("{}\n\nRun `slsasync explain {}` for the full page.", m.summary, m.code), "markdown": m.doc},
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {"tags": ["serverless", "api-gateway"]},
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut invocation_notes = Vec::new();
    let mut failed = false;
    for r in reports {
        if let Some(f) = &r.fatal {
            failed = true;
            invocation_notes.push(json!({
                "level": "error",
                "message": {"text": format!("{}: {}", r.path, f.message)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&r.path)}}}],
            }));
        }
        for n in &r.notes {
            invocation_notes.push(json!({
                "level": "note",
                "message": {"text": format!("{}: {n}", r.path)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(&r.path)}}}],
            }));
        }
        let Some(sources) = &r.sources else { continue };
        for f in &r.findings {
            let (s, e) = span(sources, f.primary.loc);
            let file = uri(&sources.file(f.primary.loc.file).path.display().to_string());
            let mut result = json!({
                "ruleId": f.code,
                "level": level(f.severity),
                "message": {"text": match &f.help { Some(h) => format!("{}\n{}", f.message, h), None => f.message.clone() }},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": file},
                    "region": {"startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column.max(1),
                               "charOffset": s.offset, "charLength": e.offset - s.offset},
                }}],
            });
            if let Some(i) = rule_index(f.code) {
                result["ruleIndex"] = json!(i);
            }
            if let Some(fix) = &f.fix
                && fix.applicability == Applicability::Safe
            {
                let changes: Vec<Json> = fix
                    .edits
                    .iter()
                    .map(|ed| {
                        let (es, ee) = span(sources, ed.loc);
                        json!({
                            "artifactLocation": {"uri": uri(&sources.file(ed.loc.file).path.display().to_string())},
                            "replacements": [{
                                "deletedRegion": {"startLine": es.line, "startColumn": es.column, "endLine": ee.line, "endColumn": ee.column},
                                "insertedContent": {"text": ed.text},
                            }],
                        })
                    })
                    .collect();
                result["fixes"] =
                    json!([{"description": {"text": fix.title}, "artifactChanges": changes}]);
            }
            results.push(result);
        }
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "slsasync",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://crates.io/crates/slsasync",
                "rules": rules_json,
            }},
            "invocations": [{
                "executionSuccessful": !failed,
                "toolExecutionNotifications": invocation_notes,
            }],
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
