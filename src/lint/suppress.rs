//! Inline suppressions: `# slsasync: ignore[SLS-ASYNC-006, async-default-status-200] reason`.
//!
//! The directive opens the comment, or follows another comment on the same
//! line after its own `#` (`# enable async # slsasync: ignore[...]`).

use crate::source::yaml::Comment;
use crate::source::{Loc, SourceMap};

/// One suppression comment.
#[derive(Clone, Debug)]
pub struct Suppression {
    pub loc: Loc,
    /// 1-based line of the comment.
    pub line: usize,
    /// Codes or names as written.
    pub rules: Vec<String>,
    /// Which of `rules` matched at least one finding.
    pub used: Vec<bool>,
}

/// Parse every suppression comment.
pub fn parse(comments: &[Comment], sources: &SourceMap) -> Vec<Suppression> {
    let mut out = Vec::new();
    for c in comments {
        let Some(rest) = directive(&c.text) else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(list) = rest.strip_prefix("ignore[") else {
            continue;
        };
        let Some(end) = list.find(']') else { continue };
        let rules: Vec<String> = list[..end]
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        if rules.is_empty() {
            continue;
        }
        let used = vec![false; rules.len()];
        out.push(Suppression {
            loc: c.loc,
            line: sources.line_col(c.loc).line,
            rules,
            used,
        });
    }
    out
}

/// The text after `slsasync:` when the comment holds the directive.
fn directive(text: &str) -> Option<&str> {
    if let Some(rest) = text.trim_start().strip_prefix("slsasync:") {
        return Some(rest);
    }
    text.match_indices('#')
        .find_map(|(i, _)| text[i + 1..].trim_start().strip_prefix("slsasync:"))
}

#[cfg(test)]
mod tests {
    use super::directive;

    #[test]
    fn directive_opens_or_follows_a_comment() {
        assert_eq!(directive(" slsasync: ignore[A]"), Some(" ignore[A]"));
        assert_eq!(
            directive("async on # slsasync: ignore[A]"),
            Some(" ignore[A]")
        );
        assert_eq!(directive("非同期 #slsasync:ignore[A]"), Some("ignore[A]"));
        assert_eq!(directive("see slsasync: ignore[A]"), None);
        assert_eq!(directive("plain comment"), None);
    }
}
