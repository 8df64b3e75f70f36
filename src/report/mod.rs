//! Output layer: everything the tool prints goes through here.

pub mod fatal;
pub mod findings;
pub mod github;
pub mod human;
pub mod json;
pub mod sanitize;
pub mod sarif;
pub mod short;
pub mod yaml_out;

use std::io::Write;

use miette::{GraphicalReportHandler, GraphicalTheme};

use crate::diag::Fatal;
use crate::source::SourceMap;

/// Whether to colour human output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Decide once whether stderr/stdout get colour: `--color` wins, then
/// `NO_COLOR`, then whether the stream is a terminal.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    color_decision(choice, is_terminal, std::env::var_os("NO_COLOR").as_deref())
}

/// [`use_color`] with the environment passed in: a non-empty `NO_COLOR`
/// turns colour off unless `--color always` asks for it.
fn color_decision(
    choice: ColorChoice,
    is_terminal: bool,
    no_color: Option<&std::ffi::OsStr>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => no_color.is_none_or(|v| v.is_empty()) && is_terminal,
    }
}

/// A graphical miette handler in our house style.
pub fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100)
}

/// Render a fatal error as text.
pub fn render_fatal(f: &Fatal, sources: Option<&SourceMap>, color: bool) -> String {
    let report = fatal::fatal_report(f, sources);
    let mut out = String::new();
    if handler(color).render_report(&mut out, &report).is_err() {
        out = format!("error: {}\n", f.message);
    }
    out
}

/// Write to stdout, ignoring a closed pipe (`slsasync render | head`).
pub fn stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Write to stderr.
pub fn stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

#[cfg(test)]
mod tests {
    use super::{ColorChoice, color_decision};
    use std::ffi::OsStr;

    #[test]
    fn colour_on_a_terminal_unless_no_color_or_the_flag_says_otherwise() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        assert!(color_decision(ColorChoice::Auto, true, None));
        assert!(color_decision(ColorChoice::Auto, true, empty));
        assert!(!color_decision(ColorChoice::Auto, true, set));
        assert!(!color_decision(ColorChoice::Auto, false, None));
        assert!(color_decision(ColorChoice::Always, false, set));
        assert!(!color_decision(ColorChoice::Never, true, None));
    }
}
