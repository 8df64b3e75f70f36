//! YAML (and JSON) text → typed, span-keeping [`Node`] trees, exactly as the
//! framework's loader types them.
//!
//! The framework reads `serverless.yml` with `js-yaml`'s `load` and a schema
//! that adds the CloudFormation short-form tags (`!Ref`, `!GetAtt`, ...):
//! js-yaml 4 in framework v2/v3 ([`Dialect::JsYaml4`]), js-yaml 3 in v1
//! ([`Dialect::JsYaml3`]). `serverless.json` goes through `JSON.parse`
//! ([`parse_json`]).
//!
//! Syntax comes from the `granit-parser` event stream; typing, mapping-key
//! stringification, duplicate keys, merge keys (`<<`), anchors and tags follow
//! js-yaml's source (see `resolve.rs` and `build.rs`).

mod build;
mod json;
mod resolve;

use super::{FileId, Loc, Node};

/// Which js-yaml the framework release uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// js-yaml 3 (framework v1).
    JsYaml3,
    /// js-yaml 4 (framework v2, v3).
    JsYaml4,
}

/// One `#` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// From `#` to the end of the line (line break excluded).
    pub loc: Loc,
    /// The text after `#`.
    pub text: String,
    /// Nothing but blanks before it on its line.
    pub own_line: bool,
}

/// A loaded document and its comments.
#[derive(Clone, Debug)]
pub struct Parsed {
    pub root: Node,
    pub comments: Vec<Comment>,
}

/// Why a file could not be loaded.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub message: String,
    /// Where (an empty range at the error point for syntax errors).
    pub loc: Loc,
    /// What to do about it, when we can tell.
    pub help: Option<String>,
}

impl YamlError {
    pub(crate) fn new(message: impl Into<String>, loc: Loc) -> Self {
        Self {
            message: message.into(),
            loc,
            help: None,
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

/// Resource bounds for hostile input.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Nodes created, alias expansion and merge copies included (text
    /// counts as one more node per 64 bytes, so that aliases of long strings
    /// are bounded as well).
    pub max_nodes: usize,
    /// Nesting depth (the root is depth 1), alias expansion included.
    pub max_depth: usize,
}

impl Default for Limits {
    /// A node costs about 140 bytes: a million keeps a refused alias bomb
    /// (or a 4 MiB file of one-character list items) under 150 MB, and is
    /// a hundred times what the largest real configs hold.
    fn default() -> Self {
        Self {
            max_nodes: 1_000_000,
            max_depth: 200,
        }
    }
}

/// Load one YAML document with the default [`Limits`].
pub fn parse_yaml(text: &str, file: FileId, dialect: Dialect) -> Result<Parsed, YamlError> {
    parse_yaml_with(text, file, dialect, &Limits::default())
}

/// Load one YAML document the way the framework's js-yaml does.
pub fn parse_yaml_with(
    text: &str,
    file: FileId,
    dialect: Dialect,
    limits: &Limits,
) -> Result<Parsed, YamlError> {
    build::load(text, file, dialect, limits)
}

/// `JSON.parse` with spans (duplicate keys: the last value wins, at the
/// first key's position).
pub fn parse_json(text: &str, file: FileId) -> Result<Parsed, YamlError> {
    json::parse(text, file, &Limits::default())
}

#[cfg(test)]
mod tests;
