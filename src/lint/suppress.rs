//! Inline suppressions: `# slsasync: ignore[SLS-ASYNC-006, async-default-status-200] reason`.

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
        let text = c.text.trim_start();
        let Some(rest) = text.strip_prefix("slsasync:") else {
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
