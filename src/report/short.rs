//! `--format short`: `file:line:col: severity[CODE] message`, one line each.

use super::findings::{FileReport, summary_line, totals};

pub fn render(reports: &[FileReport]) -> String {
    let mut out = String::new();
    for r in reports {
        if let Some(fatal) = &r.fatal {
            let place = match (&r.sources, fatal.loc) {
                (Some(s), Some(loc)) => s.describe(loc),
                _ => r.path.clone(),
            };
            out.push_str(&format!("{place}: fatal: {}\n", one_line(&fatal.message)));
        }
        for n in &r.notes {
            out.push_str(&format!("{}: note: {}\n", r.path, one_line(n)));
        }
        for p in r.placed() {
            out.push_str(&format!(
                "{}:{}:{}: {}[{}] {}\n",
                p.file,
                p.start.line,
                p.start.column,
                p.finding.severity.as_str(),
                p.finding.code,
                one_line(&p.finding.message)
            ));
        }
    }
    out.push_str(&summary_line(&totals(reports)));
    out.push('\n');
    super::sanitize::terminal_safe(&out, false)
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}
