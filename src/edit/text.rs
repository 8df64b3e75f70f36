//! Byte-level text editing: splices on byte ranges, and the layout facts of a
//! file that new text must copy (line ending, BOM, indentation, quoting).
//!
//! Nothing here knows about YAML semantics or Serverless.

use super::EditError;

/// Replace `start..end` of the original text with `text` (`start == end`: insert).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Splice {
    pub fn replace(start: usize, end: usize, text: impl Into<String>) -> Self {
        Self {
            start,
            end,
            text: text.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Self::replace(at, at, text)
    }

    pub fn delete(start: usize, end: usize) -> Self {
        Self::replace(start, end, String::new())
    }

    pub fn is_insert(&self) -> bool {
        self.start == self.end
    }
}

/// Apply splices that were all computed against `original`.
///
/// Splices are applied in position order; insertions at the same offset keep
/// the order they were given in. Two splices that replace overlapping ranges,
/// or an insertion strictly inside a replaced range, are an error: the edits
/// would contradict each other.
pub fn apply(original: &str, splices: &[Splice]) -> Result<String, EditError> {
    let mut order: Vec<&Splice> = splices.iter().collect();
    // Stable: equal keys keep the given order.
    order.sort_by_key(|s| (s.start, usize::from(!s.is_insert()), s.end));
    let mut out = String::with_capacity(original.len() + 64);
    let mut cursor = 0usize;
    for s in order {
        if s.start > s.end || s.end > original.len() {
            return Err(EditError::new(format!(
                "internal error: edit range {}..{} is outside the text ({} bytes)",
                s.start,
                s.end,
                original.len()
            )));
        }
        if s.start < cursor {
            return Err(EditError::new(format!(
                "internal error: two edits overlap at byte {}",
                s.start
            )));
        }
        let (Some(keep), true, true) = (
            original.get(cursor..s.start),
            original.is_char_boundary(s.start),
            original.is_char_boundary(s.end),
        ) else {
            return Err(EditError::new(format!(
                "internal error: edit range {}..{} splits a character",
                s.start, s.end
            )));
        };
        out.push_str(keep);
        out.push_str(&s.text);
        cursor = s.end;
    }
    out.push_str(original.get(cursor..).unwrap_or(""));
    Ok(out)
}

/// The line break a file uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }
}

/// The line ending most lines use (LF for a one-line file).
pub fn line_ending(text: &str) -> LineEnding {
    let lf = text.matches('\n').count();
    let crlf = text.matches("\r\n").count();
    if crlf > 0 && crlf * 2 >= lf {
        LineEnding::CrLf
    } else {
        LineEnding::Lf
    }
}

/// The line ending of the line holding `offset`, or the file's when that line has none.
pub fn line_ending_at(text: &str, offset: usize) -> LineEnding {
    let end = line_end(text, offset);
    if text.as_bytes().get(end) == Some(&b'\r') {
        LineEnding::CrLf
    } else if text.as_bytes().get(end) == Some(&b'\n') {
        LineEnding::Lf
    } else {
        line_ending(text)
    }
}

/// Does the text start with a UTF-8 byte order mark?
pub fn has_bom(text: &str) -> bool {
    text.starts_with('\u{feff}')
}

/// Does the text end with a line break?
pub fn ends_with_newline(text: &str) -> bool {
    text.ends_with('\n')
}

/// Byte offset of the start of the line holding `offset`.
pub fn line_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()
        .get(..offset)
        .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
        .map_or(0, |i| i + 1)
}

/// Byte offset of the line break (`\r\n` or `\n`) ending the line holding
/// `offset`, or the end of the text.
pub fn line_end(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let offset = offset.min(text.len());
    let nl = bytes
        .get(offset..)
        .and_then(|b| b.iter().position(|&c| c == b'\n'))
        .map_or(text.len(), |i| offset + i);
    if nl > 0 && nl < text.len() && bytes.get(nl - 1) == Some(&b'\r') {
        nl - 1
    } else {
        nl
    }
}

/// Byte offset just after the line break ending the line holding `offset`
/// (the end of the text on the last line).
pub fn next_line_start(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    let offset = offset.min(text.len());
    bytes
        .get(offset..)
        .and_then(|b| b.iter().position(|&c| c == b'\n'))
        .map_or(text.len(), |i| offset + i + 1)
}

/// The text of the line holding `offset`, without its line break.
pub fn line_at(text: &str, offset: usize) -> &str {
    text.get(line_start(text, offset)..line_end(text, offset))
        .unwrap_or("")
}

/// Column of `offset` in bytes from its line start (the BOM is not counted).
pub fn column(text: &str, offset: usize) -> usize {
    let start = line_start(text, offset);
    let bom = if start == 0 && has_bom(text) { 3 } else { 0 };
    offset.saturating_sub(start + bom)
}

/// Is everything between the line start and `offset` blank (spaces, tabs, a BOM)?
pub fn only_blank_before(text: &str, offset: usize) -> bool {
    text.get(line_start(text, offset)..offset.min(text.len()))
        .is_some_and(|s| s.chars().all(|c| c == ' ' || c == '\t' || c == '\u{feff}'))
}

/// Number of leading spaces of a line (a BOM is skipped).
pub fn indent_of(line: &str) -> usize {
    line.trim_start_matches('\u{feff}')
        .bytes()
        .take_while(|&b| b == b' ')
        .count()
}

/// A line that holds nothing, or only a comment.
pub fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start_matches('\u{feff}').trim();
    t.is_empty() || t.starts_with('#')
}

/// A line that holds only a comment.
pub fn is_comment_line(line: &str) -> bool {
    line.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('#')
}

/// Position of a `#` that starts a comment in `line` after `from`, outside
/// quotes: a `#` preceded by a blank (or at `from` itself after blanks).
pub fn comment_start(line: &str, from: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = from;
    while let Some(&c) = bytes.get(i) {
        match quote {
            Some(q) => {
                if c == b'\\' && q == b'"' {
                    i += 1;
                } else if c == q {
                    if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    } else {
                        quote = None;
                    }
                }
            }
            None => {
                if c == b'#' && (i == 0 || matches!(bytes.get(i - 1), Some(b' ' | b'\t'))) {
                    return Some(i);
                }
                if (c == b'\'' || c == b'"')
                    && (i == from
                        || matches!(
                            bytes.get(i - 1),
                            Some(b' ' | b'\t' | b',' | b'[' | b'{' | b':')
                        ))
                {
                    quote = Some(c);
                }
            }
        }
        i += 1;
    }
    None
}

/// Which quote character the file prefers for strings that need quoting:
/// the one used more often in `quoted` style counts (single wins ties).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Quote {
    #[default]
    Single,
    Double,
}

impl Quote {
    pub fn from_counts(single: usize, double: usize) -> Self {
        if double > single {
            Quote::Double
        } else {
            Quote::Single
        }
    }
}

/// The most common positive value, smallest on ties; `None` when empty.
pub fn mode(values: &[usize]) -> Option<usize> {
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for &v in values {
        match counts.iter_mut().find(|(k, _)| *k == v) {
            Some((_, n)) => *n += 1,
            None => counts.push((v, 1)),
        }
    }
    counts
        .into_iter()
        .filter(|(k, _)| *k > 0)
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_apply_in_order() {
        let t = "abcdef";
        let out = apply(
            t,
            &[
                Splice::replace(1, 2, "B"),
                Splice::insert(4, "1"),
                Splice::insert(4, "2"),
                Splice::delete(5, 6),
            ],
        );
        assert_eq!(out.ok().as_deref(), Some("aBcd12e"));
    }

    #[test]
    fn overlapping_splices_are_refused() {
        assert!(apply("abcdef", &[Splice::delete(1, 4), Splice::delete(3, 5)]).is_err());
        assert!(apply("abcdef", &[Splice::delete(1, 4), Splice::insert(2, "x")]).is_err());
        // An insertion at the boundary of a replacement is fine.
        assert_eq!(
            apply("abcdef", &[Splice::delete(1, 4), Splice::insert(4, "x")])
                .ok()
                .as_deref(),
            Some("axef")
        );
    }

    #[test]
    fn splitting_a_character_is_refused() {
        assert!(apply("非同期", &[Splice::insert(1, "x")]).is_err());
    }

    #[test]
    fn lines() {
        let t = "a: 1\r\nbb: 2\r\nc";
        assert_eq!(line_ending(t), LineEnding::CrLf);
        assert_eq!(line_start(t, 8), 6);
        assert_eq!(line_end(t, 6), 11);
        assert_eq!(next_line_start(t, 6), 13);
        assert_eq!(line_end(t, 13), 14);
        assert_eq!(next_line_start(t, 13), 14);
        assert_eq!(line_at(t, 7), "bb: 2");
        assert_eq!(line_ending("a\nb\r\nc\n"), LineEnding::Lf);
        assert_eq!(line_ending_at("a\nb\r\nc\n", 2), LineEnding::CrLf);
    }

    #[test]
    fn bom_is_not_a_column() {
        let t = "\u{feff}a: 1\n  b: 2\n";
        assert_eq!(column(t, 3), 0);
        assert_eq!(column(t, 10), 2);
        assert!(has_bom(t));
        assert!(only_blank_before(t, 3));
    }

    #[test]
    fn comments_are_found_outside_quotes() {
        assert_eq!(comment_start("a: 'x # y' # z", 3), Some(11));
        assert_eq!(comment_start("a: \"x\\\" # y\" # z", 3), Some(13));
        assert_eq!(comment_start("a: b#c", 3), None);
        assert_eq!(comment_start("a: 'it''s' # q", 3), Some(11));
    }

    #[test]
    fn mode_prefers_common_then_small() {
        assert_eq!(mode(&[2, 4, 4, 2]), Some(2));
        assert_eq!(mode(&[4, 4, 2]), Some(4));
        assert_eq!(mode(&[0]), None);
    }
}
