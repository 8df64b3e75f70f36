//! `JSON.parse` with spans: what the framework does with `serverless.json`.
//!
//! Semantics kept: RFC 8259 grammar only (no comments, no trailing commas,
//! no byte-order mark), numbers as doubles, a repeated key keeps the position
//! of its first occurrence and takes the last value. Iterative, so deep
//! nesting cannot overflow the stack; nesting beyond [`Limits::max_depth`]
//! is an error.

use super::{Limits, Parsed, YamlError};
use crate::source::node::{Entry, Map, Node, Style, Value};
use crate::source::{FileId, Loc};

enum Container {
    Arr {
        start: usize,
        items: Vec<Node>,
    },
    Obj {
        start: usize,
        entries: Vec<Entry>,
        key: Option<(String, Loc)>,
    },
}

struct P<'a> {
    text: &'a str,
    b: &'a [u8],
    file: FileId,
}

impl P<'_> {
    /// A span, kept inside the text and on character boundaries (an error
    /// span such as "`\\` and the character after it" may run past the end
    /// or into a multi-byte character).
    fn loc(&self, start: usize, end: usize) -> Loc {
        let clamp = |mut at: usize| {
            at = at.min(self.text.len());
            while !self.text.is_char_boundary(at) {
                at += 1;
            }
            at
        };
        let start = clamp(start);
        Loc::new(self.file, start, clamp(end).max(start))
    }

    fn ws(&self, mut i: usize) -> usize {
        while matches!(self.b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    }

    fn unexpected(&self, i: usize, expected: &str) -> YamlError {
        match self.text.get(i..).and_then(|s| s.chars().next()) {
            None => YamlError::new("unexpected end of JSON input", self.loc(i, i))
                .help(format!("the file ends where {expected} was expected")),
            Some(c) => {
                let shown = if c.is_control() || c == '\u{feff}' {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                };
                YamlError::new(
                    format!("unexpected `{shown}` in JSON"),
                    self.loc(i, i + c.len_utf8()),
                )
                .help(format!("{expected} was expected here"))
            }
        }
    }

    fn hex4(&self, i: usize) -> Option<u32> {
        let s = self.text.get(i..i + 4)?;
        if !s.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(s, 16).ok()
    }

    /// A string starting at the `"` at `i`: (value, end after the closing quote).
    fn string(&self, i: usize) -> Result<(String, usize), YamlError> {
        let start = i + 1;
        let mut j = start;
        // Fast path: no escapes.
        while let Some(&c) = self.b.get(j) {
            match c {
                b'"' => return Ok((self.text.get(start..j).unwrap_or("").to_owned(), j + 1)),
                b'\\' => break,
                0..=0x1f => return Err(self.bad_control(j)),
                _ => j += 1,
            }
        }
        let mut out = String::from(self.text.get(start..j).unwrap_or(""));
        loop {
            let Some(&c) = self.b.get(j) else {
                return Err(
                    YamlError::new("unterminated string in JSON", self.loc(i, j))
                        .help("add the closing `\"`"),
                );
            };
            match c {
                b'"' => return Ok((out, j + 1)),
                0..=0x1f => return Err(self.bad_control(j)),
                b'\\' => {
                    let esc = self.b.get(j + 1).copied();
                    let simple = match esc {
                        Some(b'"') => Some('"'),
                        Some(b'\\') => Some('\\'),
                        Some(b'/') => Some('/'),
                        Some(b'b') => Some('\u{8}'),
                        Some(b'f') => Some('\u{c}'),
                        Some(b'n') => Some('\n'),
                        Some(b'r') => Some('\r'),
                        Some(b't') => Some('\t'),
                        _ => None,
                    };
                    if let Some(ch) = simple {
                        out.push(ch);
                        j += 2;
                        continue;
                    }
                    if esc != Some(b'u') {
                        return Err(YamlError::new(
                            "bad escape in a JSON string",
                            self.loc(j, j + 2),
                        )
                        .help("valid escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"));
                    }
                    let Some(u) = self.hex4(j + 2) else {
                        return Err(YamlError::new(
                            "bad Unicode escape in a JSON string",
                            self.loc(j, j + 2),
                        )
                        .help("`\\u` takes exactly four hexadecimal digits"));
                    };
                    j += 6;
                    let ch = if (0xD800..0xDC00).contains(&u) {
                        match (self.b.get(j), self.b.get(j + 1), self.hex4(j + 2)) {
                            (Some(b'\\'), Some(b'u'), Some(lo))
                                if (0xDC00..0xE000).contains(&lo) =>
                            {
                                j += 6;
                                char::from_u32(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00))
                            }
                            // A lone surrogate: JavaScript keeps it; UTF-8 cannot.
                            _ => None,
                        }
                    } else {
                        char::from_u32(u)
                    };
                    out.push(ch.unwrap_or('\u{fffd}'));
                }
                _ => {
                    // Copy a run of ordinary characters.
                    let run_start = j;
                    while let Some(&c) = self.b.get(j) {
                        if c == b'"' || c == b'\\' || c < 0x20 {
                            break;
                        }
                        j += 1;
                    }
                    out.push_str(self.text.get(run_start..j).unwrap_or(""));
                }
            }
        }
    }

    fn bad_control(&self, j: usize) -> YamlError {
        YamlError::new("bad control character in a JSON string", self.loc(j, j + 1))
            .help("write line breaks as \\n and tabs as \\t inside JSON strings")
    }

    /// A number at `i`: (value, end).
    fn number(&self, i: usize) -> Result<(f64, usize), YamlError> {
        let b = self.b;
        let mut j = i;
        if b.get(j) == Some(&b'-') {
            j += 1;
        }
        match b.get(j) {
            Some(b'0') => j += 1,
            Some(b'1'..=b'9') => {
                while b.get(j).is_some_and(u8::is_ascii_digit) {
                    j += 1;
                }
            }
            _ => return Err(self.unexpected(j, "a digit")),
        }
        if b.get(j) == Some(&b'.') {
            j += 1;
            if !b.get(j).is_some_and(u8::is_ascii_digit) {
                return Err(self.unexpected(j, "a digit after the decimal point"));
            }
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
        }
        if matches!(b.get(j), Some(b'e' | b'E')) {
            j += 1;
            if matches!(b.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            if !b.get(j).is_some_and(u8::is_ascii_digit) {
                return Err(self.unexpected(j, "a digit in the exponent"));
            }
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
        }
        let v = self
            .text
            .get(i..j)
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(f64::NAN);
        Ok((v, j))
    }

    fn literal(&self, i: usize, word: &str) -> Result<usize, YamlError> {
        if self.text.get(i..i + word.len()) == Some(word) {
            Ok(i + word.len())
        } else {
            Err(self.unexpected(i, "a JSON value"))
        }
    }

    /// `"key" :` at `i` (after whitespace): (key, key loc, index after the colon and whitespace).
    fn key(&self, i: usize) -> Result<(String, Loc, usize), YamlError> {
        if self.b.get(i) != Some(&b'"') {
            return Err(self.unexpected(i, "a double-quoted property name"));
        }
        let (key, end) = self.string(i)?;
        let j = self.ws(end);
        if self.b.get(j) != Some(&b':') {
            return Err(self.unexpected(j, "`:`"));
        }
        Ok((key, self.loc(i, end), self.ws(j + 1)))
    }
}

pub(super) fn parse(text: &str, file: FileId, limits: &Limits) -> Result<Parsed, YamlError> {
    let p = P {
        text,
        b: text.as_bytes(),
        file,
    };
    if text.starts_with('\u{feff}') {
        return Err(YamlError::new(
            "the file starts with a byte-order mark, which JSON.parse rejects",
            p.loc(0, 3),
        )
        .help("save the file as UTF-8 without a byte-order mark"));
    }
    let mut stack: Vec<Container> = Vec::new();
    let mut i = p.ws(0);
    loop {
        // Parse one value at `i`.
        let (mut node, mut end) = match p.b.get(i) {
            Some(b'{') | Some(b'[') => {
                if stack.len() >= limits.max_depth {
                    return Err(YamlError::new(
                        format!("the document nests deeper than {} levels", limits.max_depth),
                        p.loc(i, i + 1),
                    )
                    .help("flatten the structure; no serverless config needs this much nesting"));
                }
                let is_obj = p.b.get(i) == Some(&b'{');
                let j = p.ws(i + 1);
                let close = if is_obj { b'}' } else { b']' };
                if p.b.get(j) == Some(&close) {
                    let v = if is_obj {
                        Value::Map(Map::new())
                    } else {
                        Value::Seq(Vec::new())
                    };
                    (Node::new(v, p.loc(i, j + 1), Style::Flow), j + 1)
                } else if is_obj {
                    let (key, key_loc, next) = p.key(j)?;
                    stack.push(Container::Obj {
                        start: i,
                        entries: Vec::new(),
                        key: Some((key, key_loc)),
                    });
                    i = next;
                    continue;
                } else {
                    stack.push(Container::Arr {
                        start: i,
                        items: Vec::new(),
                    });
                    i = j;
                    continue;
                }
            }
            Some(b'"') => {
                let (s, end) = p.string(i)?;
                (
                    Node::new(Value::String(s), p.loc(i, end), Style::DoubleQuoted),
                    end,
                )
            }
            Some(b'-' | b'0'..=b'9') => {
                let (n, end) = p.number(i)?;
                (
                    Node::new(Value::Number(n), p.loc(i, end), Style::Plain),
                    end,
                )
            }
            Some(b't') => {
                let end = p.literal(i, "true")?;
                (
                    Node::new(Value::Bool(true), p.loc(i, end), Style::Plain),
                    end,
                )
            }
            Some(b'f') => {
                let end = p.literal(i, "false")?;
                (
                    Node::new(Value::Bool(false), p.loc(i, end), Style::Plain),
                    end,
                )
            }
            Some(b'n') => {
                let end = p.literal(i, "null")?;
                (Node::new(Value::Null, p.loc(i, end), Style::Plain), end)
            }
            _ => return Err(p.unexpected(i, "a JSON value")),
        };
        // Attach it, closing containers as far as they end here.
        loop {
            let j = p.ws(end);
            match stack.last_mut() {
                None => {
                    if j < p.b.len() {
                        return Err(p.unexpected(j, "the end of the file"));
                    }
                    return Ok(Parsed {
                        root: node,
                        comments: Vec::new(),
                    });
                }
                Some(Container::Arr { start, items }) => {
                    items.push(node);
                    match p.b.get(j) {
                        Some(b',') => {
                            i = p.ws(j + 1);
                            break;
                        }
                        Some(b']') => {
                            let loc = p.loc(*start, j + 1);
                            let items = std::mem::take(items);
                            stack.pop();
                            node = Node::new(Value::Seq(items), loc, Style::Flow);
                            end = j + 1;
                        }
                        _ => return Err(p.unexpected(j, "`,` or `]`")),
                    }
                }
                Some(Container::Obj {
                    start,
                    entries,
                    key,
                }) => {
                    if let Some((k, key_loc)) = key.take() {
                        entries.push(Entry {
                            key: k,
                            key_loc,
                            value: node,
                        });
                    }
                    match p.b.get(j) {
                        Some(b',') => {
                            let (k, key_loc, next) = p.key(p.ws(j + 1))?;
                            *key = Some((k, key_loc));
                            i = next;
                            break;
                        }
                        Some(b'}') => {
                            let loc = p.loc(*start, j + 1);
                            let entries = std::mem::take(entries);
                            stack.pop();
                            node = Node::new(
                                Value::Map(Map::from_entries_js(entries)),
                                loc,
                                Style::Flow,
                            );
                            end = j + 1;
                        }
                        _ => return Err(p.unexpected(j, "`,` or `}`")),
                    }
                }
            }
        }
    }
}
