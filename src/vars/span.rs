//! Where a part of a scalar's value is written in the source.
//!
//! A variable error points at the `${...}` text itself when the scalar is
//! written on one line (plain, single- or double-quoted): the value is walked
//! back through the quoting to find each byte's source position. Anything
//! else (block scalars, folded lines, tags, values from a resolved variable)
//! falls back to the whole scalar.

use crate::source::{Loc, Node, SourceMap, Style};

/// For each byte of a scalar's value, the source range that produced it.
#[derive(Debug, Clone)]
pub struct SpanMap {
    file: crate::source::FileId,
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl SpanMap {
    /// Build the map for a string node, when its source text can be matched.
    pub fn new(node: &Node, value: &str, sources: &SourceMap) -> Option<Self> {
        let loc = node.loc;
        let file = sources.files().find(|(id, _)| *id == loc.file)?.1;
        let src = file.text.get(loc.start..loc.end)?;
        if src.contains('\n') || src.contains('\r') {
            return None;
        }
        let (out, starts, ends) = match node.style {
            Style::Plain => plain(src),
            Style::SingleQuoted => single(src)?,
            Style::DoubleQuoted => double(src)?,
            _ => return None,
        };
        if out != value {
            return None;
        }
        Some(Self {
            file: loc.file,
            starts: starts.into_iter().map(|s| s + loc.start).collect(),
            ends: ends.into_iter().map(|e| e + loc.start).collect(),
        })
    }

    /// The source range of value bytes `a..b`.
    pub fn span(&self, a: usize, b: usize) -> Option<Loc> {
        if b <= a {
            return None;
        }
        let start = *self.starts.get(a)?;
        let end = *self.ends.get(b - 1)?;
        Some(Loc::new(self.file, start, end))
    }
}

type Walk = (String, Vec<usize>, Vec<usize>);

fn push(
    out: &mut String,
    starts: &mut Vec<usize>,
    ends: &mut Vec<usize>,
    c: char,
    s: usize,
    e: usize,
) {
    out.push(c);
    for _ in 0..c.len_utf8() {
        starts.push(s);
        ends.push(e);
    }
}

fn plain(src: &str) -> Walk {
    let mut out = String::new();
    let (mut starts, mut ends) = (Vec::new(), Vec::new());
    for (i, c) in src.char_indices() {
        push(&mut out, &mut starts, &mut ends, c, i, i + c.len_utf8());
    }
    (out, starts, ends)
}

fn single(src: &str) -> Option<Walk> {
    let inner = src.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::new();
    let (mut starts, mut ends) = (Vec::new(), Vec::new());
    let mut it = inner.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c == '\'' {
            // `''` is one quote.
            let (j, _) = it.next().filter(|(_, d)| *d == '\'')?;
            push(&mut out, &mut starts, &mut ends, '\'', i + 1, j + 2);
        } else {
            push(
                &mut out,
                &mut starts,
                &mut ends,
                c,
                i + 1,
                i + 1 + c.len_utf8(),
            );
        }
    }
    Some((out, starts, ends))
}

fn double(src: &str) -> Option<Walk> {
    let inner = src.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let (mut starts, mut ends) = (Vec::new(), Vec::new());
    let bytes = inner.as_bytes();
    let mut it = inner.char_indices();
    while let Some((i, c)) = it.next() {
        if c != '\\' {
            push(
                &mut out,
                &mut starts,
                &mut ends,
                c,
                i + 1,
                i + 1 + c.len_utf8(),
            );
            continue;
        }
        let (_, e) = it.next()?;
        let simple = match e {
            '0' => Some('\0'),
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            't' | '\t' => Some('\t'),
            'n' => Some('\n'),
            'v' => Some('\u{b}'),
            'f' => Some('\u{c}'),
            'r' => Some('\r'),
            'e' => Some('\u{1b}'),
            ' ' => Some(' '),
            '"' => Some('"'),
            '/' => Some('/'),
            '\\' => Some('\\'),
            'N' => Some('\u{85}'),
            '_' => Some('\u{a0}'),
            'L' => Some('\u{2028}'),
            'P' => Some('\u{2029}'),
            _ => None,
        };
        if let Some(ch) = simple {
            push(&mut out, &mut starts, &mut ends, ch, i + 1, i + 3);
            continue;
        }
        let digits = match e {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            _ => return None,
        };
        let hex = inner.get(i + 2..i + 2 + digits)?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) || bytes.len() < i + 2 + digits {
            return None;
        }
        let ch = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
        push(&mut out, &mut starts, &mut ends, ch, i + 1, i + 3 + digits);
        for _ in 0..digits {
            it.next();
        }
    }
    Some((out, starts, ends))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Value};

    fn map(text: &str, style: Style, value: &str) -> Option<SpanMap> {
        let mut sm = SourceMap::new();
        let id: FileId = sm.add("x.yml".into(), text.to_owned());
        let node = Node::new(
            Value::String(value.to_owned()),
            Loc::new(id, 3, text.len()),
            style,
        );
        SpanMap::new(&node, value, &sm)
    }

    #[test]
    fn plain_maps_directly() {
        let m = map("a: x-${opt:stage}", Style::Plain, "x-${opt:stage}");
        let loc = m.and_then(|m| m.span(2, 14));
        assert_eq!(loc.map(|l| (l.start, l.end)), Some((5, 17)));
    }

    #[test]
    fn quoted_scalars_walk_escapes() {
        let m = map("a: 'it''s ${x:y}'", Style::SingleQuoted, "it's ${x:y}");
        assert_eq!(
            m.and_then(|m| m.span(5, 11)).map(|l| (l.start, l.end)),
            Some((10, 16))
        );
        let m = map("a: \"\\t${x:y}\\u00e9\"", Style::DoubleQuoted, "\t${x:y}é");
        assert_eq!(
            m.and_then(|m| m.span(1, 7)).map(|l| (l.start, l.end)),
            Some((6, 12))
        );
        assert!(map("a: \"x\"", Style::DoubleQuoted, "y").is_none());
    }
}
