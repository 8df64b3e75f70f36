//! Text from the input never reaches a terminal as control sequences.
//!
//! Two tools: [`terminal_safe`] makes every control character (and every
//! character that reorders or hides text: bidirectional overrides, isolates
//! and marks) visible as `\u{..}`, for messages and whole rendered reports;
//! [`snippet_safe`] does the same job for source text shown in a snippet,
//! where every byte must stay at its offset (labels point into it), by
//! replacing each such character with a visible one of the same UTF-8 length.

/// Does `c` move the cursor, start an escape sequence, or change how the
/// text around it is ordered or shown? (`\n` and `\t` are layout, not danger.)
pub fn is_unsafe(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        c if c.is_control() => true,
        // Bidirectional marks, embeddings, overrides and isolates
        // ("Trojan Source", CVE-2021-42574), and the Arabic letter mark.
        '\u{061c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// Replace control characters that did not come from our own styling. With
/// `styled`, ESC sequences produced by the renderer are kept: text from the
/// input must already have gone through this function (or [`snippet_safe`])
/// before it was rendered, as [`crate::report::fatal`] does.
pub fn terminal_safe(text: &str, styled: bool) -> String {
    if !text.chars().any(is_unsafe) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\u{1b}' if styled => out.push(c),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// [`terminal_safe`] for a whole file shown line by line (a diff): the
/// `\r` of a `\r\n` line ending stays, every other unsafe character is
/// made visible.
pub fn lines_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let needs =
        |(i, c): (usize, char)| is_unsafe(c) && !(c == '\r' && bytes.get(i + 1) == Some(&b'\n'));
    if !text.char_indices().any(needs) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, c) in text.char_indices() {
        if needs((i, c)) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Source text for a snippet, with every unsafe character replaced by a
/// visible one of the same UTF-8 length, so that byte offsets still hold:
/// `?` for one-byte controls (C0 but `\t` and `\n`, a `\r` that is not part
/// of `\r\n`, DEL), `¿` for two-byte ones (C1 controls, U+061C), `�` for the
/// three-byte bidirectional controls. `None` when nothing needs replacing.
pub fn snippet_safe(text: &str) -> Option<String> {
    if !may_need_snippet_safe(text.as_bytes()) {
        return None;
    }
    let needs = |(i, c): (usize, char)| {
        is_unsafe(c) && !(c == '\r' && text.as_bytes().get(i + 1) == Some(&b'\n'))
    };
    if !text.char_indices().any(needs) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if needs((i, c)) {
            out.push(match c.len_utf8() {
                1 => '?',
                2 => '¿',
                _ => '\u{fffd}',
            });
        } else {
            out.push(c);
        }
    }
    debug_assert_eq!(out.len(), text.len());
    Some(out)
}

/// A fast byte scan (a report renders one snippet per finding): false when
/// no byte can start an unsafe character: C0 controls but `\t`, `\n` and
/// the `\r` of `\r\n`, DEL, and the lead bytes of C1 controls (`0xC2`),
/// U+061C (`0xD8`) and the bidirectional controls (`0xE2`).
fn may_need_snippet_safe(bytes: &[u8]) -> bool {
    const CHUNK: usize = 256;
    let lead = |b: u8| matches!(b, 0..=8 | 0x0b..=0x1f | 0x7f | 0xc2 | 0xd8 | 0xe2);
    for (n, chunk) in bytes.chunks(CHUNK).enumerate() {
        // No early exit inside a chunk: the compiler vectorises this fold.
        if !chunk.iter().fold(false, |acc, &b| acc | lead(b)) {
            continue;
        }
        for (i, &b) in chunk.iter().enumerate() {
            let unsafe_cr = b == b'\r' && bytes.get(n * CHUNK + i + 1) != Some(&b'\n');
            if unsafe_cr || (b != b'\r' && lead(b)) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi_but_keeps_layout() {
        assert_eq!(terminal_safe("a\tb\nc", false), "a\tb\nc");
        assert_eq!(
            terminal_safe("\u{1b}]0;x\u{7}\r\u{9b}", false),
            "\\u{1b}]0;x\\u{7}\\u{d}\\u{9b}"
        );
        assert_eq!(terminal_safe("\u{1b}[1m", true), "\u{1b}[1m");
        assert_eq!(terminal_safe("a\u{202e}b", true), "a\\u{202e}b");
        assert_eq!(terminal_safe("\u{7f}", false), "\\u{7f}");
        assert_eq!(terminal_safe("é 非 😀", false), "é 非 😀");
    }

    #[test]
    fn snippet_text_keeps_every_offset() {
        assert_eq!(snippet_safe("a: 1\r\nb: 2\n\t"), None);
        assert_eq!(snippet_safe("é → ¿ 非"), None);
        assert_eq!(snippet_safe("a\rb").as_deref(), Some("a?b"));
        let long_crlf = "key: value\r\n".repeat(100);
        assert_eq!(snippet_safe(&long_crlf), None);
        assert!(snippet_safe(&format!("{long_crlf}\r")).is_some());
        assert!(snippet_safe(&format!("{long_crlf}\u{1b}")).is_some());
        let text = "a\u{1b}[2J\r b\u{9b}c\u{202e}d\u{7f}\r\n";
        let Some(safe) = snippet_safe(text) else {
            panic!("nothing replaced");
        };
        assert_eq!(safe, "a?[2J? b¿c\u{fffd}d?\r\n");
        assert_eq!(safe.len(), text.len());
        for (i, _) in text.char_indices() {
            assert!(safe.is_char_boundary(i));
        }
        assert!(!safe.chars().any(|c| is_unsafe(c) && c != '\r'));
    }
}
