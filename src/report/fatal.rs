//! Rendering a [`Fatal`] error for a person: miette's graphical report with
//! the source line, an underline, and `file:line:col` in characters.

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::diag::Fatal;
use crate::source::{Loc, SourceMap};

/// A file's text for miette, reporting columns in characters (miette's own
/// `str` source counts bytes).
#[derive(Debug)]
pub struct CharColumnSource {
    name: String,
    text: String,
}

impl CharColumnSource {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }
}

impl SourceCode for CharColumnSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.as_str().read_span(span, before, after)?;
        let start = inner.span().offset().min(self.text.len());
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = self
            .text
            .get(line_start..start)
            .map_or(start - line_start, |s| s.chars().count());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line(),
            column,
            inner.line_count(),
        )))
    }
}

/// A diagnostic ready for a miette handler.
#[derive(Debug)]
pub struct Report {
    pub message: String,
    pub code: Option<String>,
    pub severity: miette::Severity,
    pub help: Option<String>,
    pub source: Option<CharColumnSource>,
    pub labels: Vec<LabeledSpan>,
    pub related: Vec<Report>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Report {}

impl Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(c) as Box<dyn std::fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
        }
    }
}

/// The name a file is shown under.
pub fn display_name(sources: &SourceMap, loc: Loc) -> String {
    sources.file(loc.file).path.display().to_string()
}

fn labelled(
    sources: &SourceMap,
    loc: Loc,
    label: Option<String>,
    primary: bool,
) -> (CharColumnSource, LabeledSpan) {
    let file = sources.file(loc.file);
    let src = CharColumnSource::new(display_name(sources, loc), file.text.clone());
    let start = loc.start.min(file.text.len());
    let len = loc.len().min(file.text.len() - start);
    let span = if primary {
        LabeledSpan::new_primary_with_span(label, (start, len))
    } else {
        LabeledSpan::new_with_span(label, (start, len))
    };
    (src, span)
}

/// Turn a fatal error into a miette report.
pub fn fatal_report(f: &Fatal, sources: Option<&SourceMap>) -> Report {
    let mut report = Report {
        message: f.message.clone(),
        code: None,
        severity: miette::Severity::Error,
        help: f.help.clone(),
        source: None,
        labels: Vec::new(),
        related: Vec::new(),
    };
    let Some(sources) = sources else {
        return report;
    };
    if let Some(loc) = f.loc {
        let (src, span) = labelled(sources, loc, f.label.clone(), true);
        report.source = Some(src);
        report.labels.push(span);
    }
    for (loc, text) in &f.related {
        let (src, span) = labelled(sources, *loc, None, true);
        report.related.push(Report {
            message: text.clone(),
            code: None,
            severity: miette::Severity::Advice,
            help: None,
            source: Some(src),
            labels: vec![span],
            related: Vec::new(),
        });
    }
    report
}
