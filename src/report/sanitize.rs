//! Text from the input never reaches a terminal as control sequences.

/// Replace control characters that did not come from our own styling. With
/// `styled`, ESC sequences produced by the renderer are kept; the input's own
/// escapes were already made visible before rendering.
pub fn terminal_safe(text: &str, styled: bool) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            '\u{1b}' if styled => c.to_string(),
            c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
            c => c.to_string(),
        })
        .collect()
}
