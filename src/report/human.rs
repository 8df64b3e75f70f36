//! `--format human`: one miette report per finding, then a summary line.

use std::collections::HashMap;
use std::sync::Arc;

use miette::LabeledSpan;

use super::fatal::{CharColumnSource, Report, display_name};
use super::findings::{FileReport, summary_line, totals};
use crate::rules::{Finding, Severity};
use crate::source::SourceMap;

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// One shared copy of each file's text, however many findings it has.
#[derive(Default)]
struct Texts(HashMap<crate::source::FileId, Arc<str>>);

impl Texts {
    fn of(&mut self, sources: &SourceMap, id: crate::source::FileId) -> Arc<str> {
        Arc::clone(
            self.0
                .entry(id)
                .or_insert_with(|| Arc::from(sources.file(id).text.as_str())),
        )
    }
}

fn finding_report(f: &Finding, sources: &SourceMap, texts: &mut Texts) -> Report {
    let file = sources.file(f.primary.loc.file);
    let len = file.text.len();
    let span = |loc: crate::source::Loc| {
        let start = loc.start.min(len);
        (start, loc.len().min(len - start))
    };
    let mut labels = vec![LabeledSpan::new_primary_with_span(
        Some(f.primary.text.clone()).filter(|t| !t.is_empty()),
        span(f.primary.loc),
    )];
    let mut related = Vec::new();
    for r in &f.related {
        if r.loc.file == f.primary.loc.file {
            labels.push(LabeledSpan::new_with_span(
                Some(r.text.clone()),
                span(r.loc),
            ));
        } else {
            let other = sources.file(r.loc.file);
            let start = r.loc.start.min(other.text.len());
            related.push(Report {
                message: r.text.clone(),
                code: None,
                severity: miette::Severity::Advice,
                help: None,
                source: Some(CharColumnSource::new(
                    display_name(sources, r.loc),
                    texts.of(sources, r.loc.file),
                )),
                labels: vec![LabeledSpan::new_primary_with_span(
                    None,
                    (start, r.loc.len().min(other.text.len() - start)),
                )],
                related: Vec::new(),
            });
        }
    }
    let mut help = f.help.clone().unwrap_or_default();
    if let Some(fix) = &f.fix {
        if !help.is_empty() {
            help.push('\n');
        }
        let how = match fix.applicability {
            crate::rules::Applicability::Safe => "--fix",
            crate::rules::Applicability::Unsafe => "--fix --unsafe-fixes",
        };
        help.push_str(&format!("fix available ({how}): {}", fix.title));
    }
    if !help.is_empty() {
        help.push('\n');
    }
    help.push_str(&format!("run `slsasync explain {}` for details", f.code));
    Report {
        message: f.message.clone(),
        code: Some(format!("{}({})", f.code, f.name)),
        severity: severity(f.severity),
        help: Some(help),
        source: Some(CharColumnSource::new(
            display_name(sources, f.primary.loc),
            texts.of(sources, f.primary.loc.file),
        )),
        labels,
        related,
    }
}

/// Findings and fatal errors of every file, then the summary line.
pub fn render(reports: &[FileReport], color: bool) -> String {
    let handler = super::handler(color);
    let mut out = String::new();
    for r in reports {
        if let Some(fatal) = &r.fatal {
            out.push_str(&super::render_fatal(fatal, r.sources.as_ref(), color));
            out.push('\n');
        }
        for n in &r.notes {
            out.push_str(&super::sanitize::terminal_safe(
                &format!("note: {}: {n}\n\n", r.path),
                false,
            ));
        }
        let Some(sources) = &r.sources else { continue };
        let mut texts = Texts::default();
        for f in &r.findings {
            let report = finding_report(f, sources, &mut texts);
            let mut text = String::new();
            if handler.render_report(&mut text, &report).is_err() {
                text = format!(
                    "{}: {}[{}] {}\n",
                    r.path,
                    f.severity.as_str(),
                    f.code,
                    f.message
                );
            }
            out.push_str(&super::sanitize::terminal_safe(&text, color));
            out.push('\n');
        }
    }
    out.push_str(&summary_line(&totals(reports)));
    out.push('\n');
    out
}
