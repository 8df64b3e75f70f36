//! Rendering a [`Fatal`] error for a person: miette's graphical report with
//! the source line, an underline, and `file:line:col` in characters.
//!
//! Everything that comes from the input is made harmless here, before miette
//! sees it: messages, labels, help and file names go through
//! [`terminal_safe`], and snippet text through [`snippet_safe`], so that no
//! escape sequence from a config reaches the terminal, coloured or not.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::Arc;

use miette::{
    Diagnostic, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::sanitize::{snippet_safe, terminal_safe};
use crate::diag::Fatal;
use crate::source::{Loc, SourceMap};

/// A file's text for miette, reporting columns in characters (miette's own
/// `str` source counts bytes) and showing unsafe characters as visible ones.
#[derive(Debug)]
pub struct CharColumnSource {
    name: String,
    text: Arc<str>,
    prepared: Arc<Prepared>,
}

/// What every snippet of one text needs, computed once per text.
#[derive(Debug)]
struct Prepared {
    /// The text as shown, when it differs from the text (same byte offsets).
    shown: Option<String>,
    /// Byte offset of every line start (after each `\n`), 0 first.
    line_starts: Vec<usize>,
}

thread_local! {
    /// The last text prepared, and what was prepared: a report shows many
    /// findings of one file, each with its own copy of the file's text.
    static LAST: RefCell<Option<(Arc<str>, Arc<Prepared>)>> = const { RefCell::new(None) };
}

impl Prepared {
    fn of(text: &Arc<str>) -> Arc<Self> {
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            if let Some((t, p)) = last.as_ref()
                && (Arc::ptr_eq(t, text) || t == text)
            {
                return Arc::clone(p);
            }
            let mut line_starts = vec![0];
            line_starts.extend(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            );
            let p = Arc::new(Self {
                shown: snippet_safe(text),
                line_starts,
            });
            *last = Some((Arc::clone(text), Arc::clone(&p)));
            p
        })
    }

    /// Line breaks before byte `at`.
    fn lines_before(&self, at: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s <= at)
            .saturating_sub(1)
    }
}

impl CharColumnSource {
    /// `text` is shared: every finding of a file points at the same text.
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text = text.into();
        Self {
            name: terminal_safe(&name.into(), false),
            prepared: Prepared::of(&text),
            text,
        }
    }
}

/// A line longer than this is shown as a window around the span: miette
/// would print all of it, and pads underlines with a width it cannot format
/// past column 65,535 (a minified `serverless.json`, a 1 MB key).
const LONG_LINE: usize = 1024;
/// Bytes shown on each side of a span in a long line.
const WINDOW: usize = 120;

impl CharColumnSource {
    /// Start and end of the line holding byte `at` (line break, `\n` or
    /// `\r\n`, excluded: a window ending in the `\r` of `\r\n` would show
    /// it raw and number the line 0).
    fn line_bounds(&self, at: usize) -> (usize, usize) {
        let bytes = self.text.as_bytes();
        let at = at.min(bytes.len());
        let start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let mut end = bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| at + i);
        if end > at && end < bytes.len() && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        (start, end)
    }

    /// Is `range` on, or does it touch, a line longer than [`LONG_LINE`]?
    fn touches_long_line(&self, start: usize, end: usize) -> bool {
        let bytes = self.text.as_bytes();
        let end = end.min(bytes.len());
        let (first, _) = self.line_bounds(start);
        let (_, last) = self.line_bounds(end);
        bytes[first..last]
            .split(|&b| b == b'\n')
            .any(|line| line.len() > LONG_LINE)
    }

    /// A label as miette may draw it: on a long line, at most [`LONG_LINE`]
    /// bytes and never past the end of its line.
    fn clip(&self, span: SourceSpan) -> SourceSpan {
        let at = span.offset().min(self.text.len());
        if !self.touches_long_line(at, at) {
            return span;
        }
        let (_, line_end) = self.line_bounds(at);
        let end = floor_boundary(&self.text, (at + span.len().min(LONG_LINE)).min(line_end));
        (span.offset(), end.saturating_sub(at)).into()
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

impl SourceCode for CharColumnSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let prepared = &self.prepared;
        let mut ctx = context_info(self.text.as_bytes(), span, before, after, &|q| {
            prepared.lines_before(q)
        })?;
        if self.touches_long_line(ctx.start, ctx.end) {
            // Only the span's own line, and only around the span.
            let so = span.offset().min(self.text.len());
            let (line_start, line_end) = self.line_bounds(so);
            let from = if before == 0 {
                so
            } else {
                floor_boundary(&self.text, so.saturating_sub(WINDOW).max(line_start))
            };
            let to = ceil_boundary(
                &self.text,
                (so + span.len().min(LONG_LINE) + WINDOW).min(line_end),
            );
            let line = self.prepared.lines_before(line_start);
            ctx = Context {
                start: from,
                end: to.max(from),
                line,
                line_count: line,
            };
        }
        let start = ctx.start.min(self.text.len());
        let line_start = self.text.as_bytes()[..start]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = self
            .text
            .get(line_start..start)
            .map_or(start - line_start, |s| s.chars().count());
        let shown = self.prepared.shown.as_deref().unwrap_or(&self.text);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &shown.as_bytes()[ctx.start..ctx.end],
            (ctx.start, ctx.end - ctx.start).into(),
            ctx.line,
            column,
            ctx.line_count,
        )))
    }
}

/// What miette's `read_span` computes for a span: the bytes of the span with
/// `before` lines of context above and `after` below.
#[derive(Debug, PartialEq, Eq)]
struct Context {
    start: usize,
    end: usize,
    /// 0-based line of `start`.
    line: usize,
    /// Line breaks from the start of the file to `end`.
    line_count: usize,
}

/// miette's `context_info` (its `SourceCode` implementation for `[u8]`),
/// giving the same results for text whose line breaks are `\n` or `\r\n`,
/// but without reading the file from its start for each span: that made a
/// report with many findings quadratic in the file size. A lone `\r` is not a
/// line break here (as in [`SourceMap`] line numbers).
fn context_info(
    input: &[u8],
    span: &SourceSpan,
    before: usize,
    after: usize,
    lines_before: &dyn Fn(usize) -> usize,
) -> Result<Context, MietteError> {
    let so = span.offset();
    // Start at the beginning of the line holding `so - 1`: every byte before
    // it is before the span and ends no context line after it.
    let q = if so == 0 {
        0
    } else {
        let upto = (so - 1).min(input.len());
        input[..upto]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
    };
    let lines_before_q = lines_before(q);
    // Starts of the last `before` lines that end before `q`.
    let kept = lines_before_q.min(before);
    let mut before_lines_starts = VecDeque::with_capacity(kept + 1);
    let mut cursor = q;
    for _ in 0..kept {
        // `cursor - 1` is the `\n` ending the line before `cursor`.
        let end = cursor - 1;
        let start = input[..end]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        before_lines_starts.push_front(start);
        cursor = start;
    }
    let mut start_line = lines_before_q - kept;
    let mut line_count = lines_before_q;
    let mut offset = q;
    let mut current_line_start = q;
    let mut end_lines = 0usize;
    let mut post_span = false;
    let mut post_span_got_newline = false;
    let span_end = so.saturating_add(span.len());
    let mut iter = input[q..].iter().copied().peekable();
    while let Some(byte) = iter.next() {
        let crlf = byte == b'\r' && iter.peek() == Some(&b'\n');
        if byte == b'\n' || crlf {
            line_count += 1;
            if crlf {
                iter.next();
                offset += 1;
            }
            if offset < so {
                before_lines_starts.push_back(current_line_start);
                if before_lines_starts.len() > before {
                    start_line += 1;
                    before_lines_starts.pop_front();
                }
            } else if offset >= so.saturating_add(span.len().saturating_sub(1)) && post_span {
                if post_span_got_newline {
                    end_lines += 1;
                } else {
                    post_span_got_newline = true;
                }
                if end_lines >= after {
                    offset += 1;
                    break;
                }
            }
            current_line_start = offset + 1;
        }
        if offset >= span_end.saturating_sub(1) {
            post_span = true;
            if end_lines >= after {
                offset += 1;
                break;
            }
        }
        offset += 1;
    }
    if offset < span_end.saturating_sub(1) {
        return Err(MietteError::OutOfBounds);
    }
    let start = before_lines_starts
        .front()
        .copied()
        .unwrap_or(if before == 0 { so } else { 0 });
    // miette slices here and panics on a span past the end; we refuse.
    if start > offset || offset > input.len() {
        return Err(MietteError::OutOfBounds);
    }
    Ok(Context {
        start,
        end: offset,
        line: start_line,
        line_count,
    })
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
        f.write_str(&terminal_safe(&self.message, false))
    }
}

impl std::error::Error for Report {}

impl Diagnostic for Report {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.code
            .as_ref()
            .map(|c| Box::new(terminal_safe(c, false)) as Box<dyn std::fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(terminal_safe(h, false)) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().map(|l| {
                let text = l.label().map(|t| terminal_safe(t, false));
                let span = self
                    .source
                    .as_ref()
                    .map_or(*l.inner(), |s| s.clip(*l.inner()));
                if l.primary() {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                }
            })))
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
    let src = CharColumnSource::new(display_name(sources, loc), file.text.as_str());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), enough to vary inputs.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 >> 16) as usize
        }
    }

    fn miette_context(
        text: &str,
        span: SourceSpan,
        before: usize,
        after: usize,
    ) -> Option<Context> {
        let c = text.read_span(&span, before, after).ok()?;
        Some(Context {
            start: c.span().offset(),
            end: c.span().offset() + c.span().len(),
            line: c.line(),
            line_count: c.line_count(),
        })
    }

    #[test]
    fn context_matches_miette_for_lf_and_crlf_text() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let pieces = ["a", "bc", "\n", "\r\n", "  key: value", "非", "\n\n", ""];
        for _ in 0..4000 {
            let mut text = String::new();
            for _ in 0..rng.next() % 12 {
                text.push_str(pieces[rng.next() % pieces.len()]);
            }
            let len = text.len();
            let offset = rng.next() % (len + 1);
            let span_len = if rng.next().is_multiple_of(3) {
                0
            } else {
                rng.next() % (len + 1 - offset)
            };
            let span = SourceSpan::from((offset, span_len));
            let (before, after) = (rng.next() % 4, rng.next() % 4);
            let count = |q: usize| text.as_bytes()[..q].iter().filter(|&&b| b == b'\n').count();
            let ours = context_info(text.as_bytes(), &span, before, after, &count).ok();
            let src = CharColumnSource::new("x", text.clone());
            let indexed = context_info(text.as_bytes(), &span, before, after, &|q| {
                src.prepared.lines_before(q)
            })
            .ok();
            assert_eq!(ours, indexed);
            let theirs = miette_context(&text, span, before, after);
            assert_eq!(
                ours, theirs,
                "{text:?} {offset} {span_len} {before} {after}"
            );
        }
    }

    #[test]
    fn spans_past_the_end_are_refused_not_a_panic() {
        let src = CharColumnSource::new("x.yml", "a: 1\nb: 2\n");
        for (offset, len) in [(11, 0), (12, 0), (40, 3), (5, 100), (usize::MAX - 1, 1)] {
            assert!(
                src.read_span(&SourceSpan::from((offset, len)), 0, 0)
                    .is_err(),
                "{offset} {len}"
            );
            for ctx in 1..3 {
                // With context lines the text that exists is returned.
                if let Ok(c) = src.read_span(&SourceSpan::from((offset, len)), ctx, ctx) {
                    assert!(c.data().len() <= 10);
                }
            }
        }
    }

    #[test]
    fn unsafe_input_never_reaches_the_rendered_report() {
        let mut sources = SourceMap::new();
        let text = "service: svc\n# \u{1b}]0;title\u{7} \u{1b}[2J\rhidden\nx: \u{202e}y\n";
        let file = sources.add("evil\u{1b}[31m.yml".into(), text.to_owned());
        let start = text.find("x:").unwrap_or(0);
        let fatal = Fatal::new("bad value '\u{1b}[8mhidden'")
            .at(Loc::new(file, start, start + 2))
            .label("label \u{9b}31m")
            .help("help \u{1b}[5m")
            .related(Loc::new(file, 0, 7), "related \u{7}");
        for color in [false, true] {
            let out = crate::report::render_fatal(&fatal, Some(&sources), color);
            let raw: Vec<char> = out
                .chars()
                .filter(|&c| super::super::sanitize::is_unsafe(c))
                .collect();
            // With colour, ESC only starts miette's own SGR sequences.
            assert!(
                raw.iter().all(|&c| color && c == '\u{1b}'),
                "{raw:?} in {out}"
            );
            if color {
                for (i, _) in out.match_indices('\u{1b}') {
                    let rest = &out[i + 1..];
                    let sgr = rest.starts_with('[')
                        && rest[1..]
                            .chars()
                            .take_while(|c| *c != 'm')
                            .all(|c| c.is_ascii_digit() || c == ';');
                    assert!(sgr, "non-SGR escape in {out:?}");
                }
            }
            assert!(out.contains("\\u{1b}[8mhidden"), "{out}");
            assert!(out.contains("evil\\u{1b}[31m.yml:3:1"), "{out}");
        }
    }

    #[test]
    fn a_span_far_into_a_long_line_is_shown_as_a_window() {
        // Column 2,000,000: miette alone panics formatting the underline.
        let line = "1,".repeat(1_000_000);
        let text = format!("service: svc\ncustom: [{line}1]\nnext: 1\n");
        let at = text.len() - 12;
        let mut sources = SourceMap::new();
        let file = sources.add("big.yml".into(), text.clone());
        for len in [0, 1, 500_000] {
            let fatal = Fatal::new("too many values")
                .at(Loc::new(file, at - len.min(at), at))
                .label("here")
                .related(Loc::new(file, 14, 20), "and here");
            let out = crate::report::render_fatal(&fatal, Some(&sources), false);
            assert!(out.len() < 8000, "{} bytes:\n{out}", out.len());
            let col = at - len.min(at) - text.find("custom").unwrap_or(0) + 1;
            assert!(out.contains(&format!("big.yml:2:{col}")), "{out}");
            assert!(out.contains("here"), "{out}");
        }
        // A long line elsewhere in the file changes nothing for short ones.
        let src = CharColumnSource::new("big.yml", text.clone());
        let Ok(c) = src.read_span(&SourceSpan::from((text.len() - 8, 4)), 1, 1) else {
            panic!("span not read");
        };
        assert_eq!(c.line(), 2);
        assert!(c.data().len() < 4 * WINDOW, "{}", c.data().len());
    }

    /// Found by `cargo fuzz` (fuzz/fuzz_targets/yaml_source.rs): a window
    /// that ended with the `\r` of `\r\n` showed it raw, as line 0.
    #[test]
    fn a_window_on_a_long_crlf_line_shows_no_carriage_return() {
        let long_first = format!("\"\\u2{}:...\r\nnext: 1\r\n", "\u{15}".repeat(2000));
        let long_second = format!("\"\\u2:...\r\nnext: {}\r\n", "x".repeat(2000));
        for text in [long_first, long_second] {
            let mut sources = SourceMap::new();
            let file = sources.add("crlf.yml".into(), text.clone());
            for at in [0, 1, text.find('\r').unwrap_or(0)] {
                let fatal = Fatal::new("bad").at(Loc::new(file, at, at)).help("fix it");
                let out = crate::report::render_fatal(&fatal, Some(&sources), false);
                assert!(!out.contains('\r'), "{out:?}");
                assert!(out.contains(" 1 │ "), "{out}");
                assert!(!out.contains(" 0 │ "), "{out}");
            }
        }
    }

    #[test]
    fn many_findings_in_a_large_file_stay_linear() {
        // 20,000 lines; reading a span near the end must not rescan from
        // the start for each context line (checked by result, not by time).
        let text: String = (0..20_000).map(|i| format!("k{i}: v\n")).collect();
        let at = text.len() - 5;
        let src = CharColumnSource::new("big.yml", text.clone());
        let Ok(c) = src.read_span(&SourceSpan::from((at, 1)), 2, 2) else {
            panic!("span not read");
        };
        assert_eq!(c.line(), 19_997);
        assert_eq!(c.column(), 0);
        let Ok(p) = src.read_span(&SourceSpan::from((at, 1)), 0, 0) else {
            panic!("span not read");
        };
        assert_eq!(p.line() + 1, 20_000);
        assert_eq!(p.column(), 5);
    }
}
