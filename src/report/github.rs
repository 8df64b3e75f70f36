//! `--format github`: GitHub Actions workflow commands, one line per finding.
//! GitHub shows at most 10 annotations of each kind per step; the summary says so.

use super::findings::{FileReport, summary_line, totals};
use crate::rules::Severity;

/// The workflow-command encoding of `%`, `\r` and `\n`; any other control
/// character from the input is made visible (`\u{1b}`), as in every format
/// read on a terminal or in a CI log.
fn escape_data(s: &str) -> String {
    super::sanitize::terminal_safe(
        &s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A"),
        false,
    )
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        if let Some(f) = &r.fatal {
            let place = match (&r.sources, f.loc) {
                (Some(s), Some(loc)) => {
                    let lc = s.line_col(loc);
                    format!(",line={},col={}", lc.line, lc.column)
                }
                _ => String::new(),
            };
            out.push_str(&format!(
                "::error file={}{place},title=slsasync::{}\n",
                escape_property(&r.path),
                escape_data(&f.message)
            ));
        }
        for n in &r.notes {
            out.push_str(&format!(
                "::notice file={},title=slsasync::{}\n",
                escape_property(&r.path),
                escape_data(n)
            ));
        }
        for p in r.placed() {
            let kind = match p.finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut message = p.finding.message.clone();
            if let Some(h) = &p.finding.help {
                message.push('\n');
                message.push_str(h);
            }
            out.push_str(&format!(
                "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape_property(&p.file),
                p.start.line,
                p.start.column,
                p.end.line,
                p.end.column,
                escape_property(&format!("{} {}", p.finding.code, p.finding.name)),
                escape_data(&message)
            ));
        }
    }
    let t = totals(reports);
    out.push_str(&summary_line(&t));
    if t.errors + t.warnings + t.infos > 10 {
        out.push_str(" GitHub shows at most 10 annotations of each level per step; see the log above for all.");
    }
    out.push('\n');
    out
}
