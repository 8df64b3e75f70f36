//! Checks shared by the fuzz targets: every span points into its file, on
//! character boundaries; every report renders without panicking and without
//! an unescaped control character.

#![allow(dead_code)]

use slsasync::diag::Fatal;
use slsasync::model::Framework;
use slsasync::report;
use slsasync::source::{Loc, Node, SourceMap, Style, Value};

/// A framework release picked by one input byte.
pub fn framework(b: u8) -> Framework {
    match b % 4 {
        0 => Framework::V1,
        1 => Framework::V2,
        2 => Framework::V3,
        _ => Framework::Osls,
    }
}

/// `loc` lies inside its file, on character boundaries.
pub fn check_loc(loc: Loc, sources: &SourceMap, what: &str) {
    let n = sources.files().count();
    assert!(
        (loc.file.0 as usize) < n,
        "{what}: file {:?} of {n}",
        loc.file
    );
    let text = &sources.file(loc.file).text;
    assert!(
        loc.start <= loc.end && loc.end <= text.len(),
        "{what}: {}..{} outside 0..{}",
        loc.start,
        loc.end,
        text.len()
    );
    assert!(
        text.is_char_boundary(loc.start) && text.is_char_boundary(loc.end),
        "{what}: {}..{} splits a character",
        loc.start,
        loc.end
    );
    let _ = sources.describe(loc);
}

/// Every node (and key) of a tree read from text has a span into that text.
pub fn check_tree(node: &Node, sources: &SourceMap) {
    if node.style != Style::Synthetic {
        check_loc(node.loc, sources, "node");
    }
    match &node.value {
        Value::Seq(items) => items.iter().for_each(|n| check_tree(n, sources)),
        Value::Map(map) => {
            for e in map.iter() {
                check_loc(e.key_loc, sources, "key");
                check_tree(&e.value, sources);
            }
        }
        _ => {}
    }
}

/// Nothing from the input reaches a terminal raw.
pub fn assert_terminal_safe(text: &str, what: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| report::sanitize::is_unsafe(c))
        .collect();
    assert!(bad.is_empty(), "{what}: raw {bad:?} in {text:?}");
}

/// Render a fatal error the way the binary does, in both colour modes.
pub fn render_fatal(f: &Fatal, sources: Option<&SourceMap>) {
    if let (Some(s), Some(loc)) = (sources, f.loc) {
        check_loc(loc, s, "error");
    }
    let plain = report::render_fatal(f, sources, false);
    assert_terminal_safe(&plain, "fatal error");
    let _ = report::render_fatal(f, sources, true);
}
