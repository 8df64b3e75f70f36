//! `--format json`: a versioned, documented schema (see docs/json-output.md).

use serde_json::{Value as Json, json};

use super::findings::{FileReport, span, totals};
use crate::rules::{Applicability, Finding};
use crate::source::SourceMap;

/// Bump when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

fn fix_json(f: &Finding, sources: &SourceMap) -> Json {
    match &f.fix {
        None => Json::Null,
        Some(fix) => json!({
            "title": fix.title,
            "applicability": match fix.applicability { Applicability::Safe => "safe", Applicability::Unsafe => "unsafe" },
            "edits": fix.edits.iter().map(|e| {
                let (s, t) = span(sources, e.loc);
                json!({
                    "file": sources.file(e.loc.file).path.display().to_string(),
                    "line": s.line, "column": s.column, "end_line": t.line, "end_column": t.column,
                    "offset": s.offset, "length": t.offset - s.offset, "content": e.text,
                })
            }).collect::<Vec<_>>(),
        }),
    }
}

pub fn finding_json(f: &Finding, sources: &SourceMap) -> Json {
    let (s, e) = span(sources, f.primary.loc);
    json!({
        "rule": f.code,
        "name": f.name,
        "severity": f.severity.as_str(),
        "message": f.message,
        "file": sources.file(f.primary.loc.file).path.display().to_string(),
        "line": s.line,
        "column": s.column,
        "end_line": e.line,
        "end_column": e.column,
        "offset": s.offset,
        "length": e.offset - s.offset,
        "label": f.primary.text,
        "help": f.help,
        "related": f.related.iter().map(|r| {
            let (rs, re) = span(sources, r.loc);
            json!({"file": sources.file(r.loc.file).path.display().to_string(),
                   "line": rs.line, "column": rs.column, "end_line": re.line, "end_column": re.column,
                   "message": r.text})
        }).collect::<Vec<_>>(),
        "fix": fix_json(f, sources),
    })
}

pub fn render(reports: &[FileReport]) -> String {
    let mut findings = Vec::new();
    let mut files = Vec::new();
    for r in reports {
        let error = r.fatal.as_ref().map(|f| {
            let place = match (&r.sources, f.loc) {
                (Some(s), Some(loc)) => {
                    let (p, _) = span(s, loc);
                    json!({"line": p.line, "column": p.column})
                }
                _ => Json::Null,
            };
            json!({"message": f.message, "help": f.help, "location": place})
        });
        files.push(
            json!({"file": r.path, "framework": r.framework, "notes": r.notes, "error": error}),
        );
        if let Some(sources) = &r.sources {
            findings.extend(r.findings.iter().map(|f| finding_json(f, sources)));
        }
    }
    let t = totals(reports);
    let doc = json!({
        "version": SCHEMA_VERSION,
        "tool": {"name": "slsasync", "version": env!("CARGO_PKG_VERSION")},
        "files": files,
        "findings": findings,
        "summary": {"errors": t.errors, "warnings": t.warnings, "infos": t.infos,
                    "suppressed": t.suppressed, "files": t.files, "failed_files": t.failed_files},
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
