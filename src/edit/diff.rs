//! Unified diffs of an edit: `--- a/<path>` / `+++ b/<path>` headers, 3 lines
//! of context, `\ No newline at end of file` where it applies, and, when
//! asked, colour (red removals, green additions, cyan hunk headers, bold file
//! headers). Line endings are printed as they are in the file.

use anstyle::{AnsiColor, Style};
use similar::{ChangeTag, TextDiff};

/// Lines of context around each change.
pub const CONTEXT: usize = 3;

/// The unified diff from `old` to `new`; empty when they are equal.
pub fn unified(old: &str, new: &str, a: &str, b: &str, color: bool) -> String {
    if old == new {
        return String::new();
    }
    let diff = TextDiff::from_lines(old, new);
    let header = Style::new().bold();
    let hunk_style = Style::new().fg_color(Some(AnsiColor::Cyan.into()));
    let del = Style::new().fg_color(Some(AnsiColor::Red.into()));
    let ins = Style::new().fg_color(Some(AnsiColor::Green.into()));
    let paint = |style: Style, s: &str| -> String {
        if color {
            format!("{}{s}{}", style.render(), style.render_reset())
        } else {
            s.to_owned()
        }
    };
    let mut out = String::new();
    out.push_str(&paint(header, &format!("--- {a}")));
    out.push('\n');
    out.push_str(&paint(header, &format!("+++ {b}")));
    out.push('\n');
    let mut unified = diff.unified_diff();
    unified.context_radius(CONTEXT);
    for hunk in unified.iter_hunks() {
        out.push_str(&paint(hunk_style, &hunk.header().to_string()));
        out.push('\n');
        for change in hunk.iter_changes() {
            let (sign, style) = match change.tag() {
                ChangeTag::Delete => ("-", Some(del)),
                ChangeTag::Insert => ("+", Some(ins)),
                ChangeTag::Equal => (" ", None),
            };
            let value = change.to_string_lossy();
            let (body, eol) = split_eol(&value);
            let line = format!("{sign}{body}");
            match style {
                Some(st) => out.push_str(&paint(st, &line)),
                None => out.push_str(&line),
            }
            out.push_str(eol);
            if change.missing_newline() {
                out.push('\n');
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// `("text", "\r\n")`: a line and its terminator.
fn split_eol(line: &str) -> (&str, &str) {
    if let Some(body) = line.strip_suffix("\r\n") {
        (body, "\r\n")
    } else if let Some(body) = line.strip_suffix('\n') {
        (body, "\n")
    } else {
        (line, "")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_diff_has_headers_and_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nE\nf\ng\nh\n";
        let d = unified(old, new, "a/x.yml", "b/x.yml", false);
        assert_eq!(
            d,
            "--- a/x.yml\n+++ b/x.yml\n@@ -2,7 +2,7 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n"
        );
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let d = unified("a\nb", "a\nc", "a/x", "b/x", false);
        assert_eq!(
            d,
            "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn colour_wraps_lines_not_line_breaks() {
        let d = unified("a\r\n", "b\r\n", "a/x", "b/x", true);
        assert!(d.contains("\u{1b}[31m-a\u{1b}[0m\r\n"));
        assert!(d.contains("\u{1b}[32m+b\u{1b}[0m\r\n"));
    }

    #[test]
    fn equal_texts_give_nothing() {
        assert_eq!(unified("a\n", "a\n", "a/x", "b/x", false), "");
    }
}
