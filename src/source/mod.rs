//! Source layer: bytes on disk → typed, span-keeping [`Node`] trees.
//!
//! * [`SourceMap`] owns every file read (the config and its `${file(...)}`
//!   includes) and answers "which line and column is this byte".
//! * [`yaml`] turns YAML (and JSON) text into a [`Node`] tree the way `js-yaml`
//!   types it, keeping comments for the editor.
//! * [`json`] converts a [`Node`] tree into `serde_json` values in JavaScript
//!   property order, with an index from JSON pointers back to spans.
//!
//! Nothing in this module knows about Serverless.

pub mod json;
pub mod node;
pub mod yaml;

pub use node::{Entry, Map, Node, Style, Unresolved, Value};

use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Loc {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Loc {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Self { file, start, end }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// 1-based line and column; the column counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// One file's text and the byte offset of each line start.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The text as read (a UTF-8 BOM, if any, is kept here; parsers skip it).
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: PathBuf, text: String) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self {
            path,
            text,
            line_starts,
        }
    }

    /// Line and character column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// The text of a 1-based line without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// Every file read for one config.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, path: PathBuf, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(path, text));
        id
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| FileId(i as u32))
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    pub fn line_col(&self, loc: Loc) -> LineCol {
        self.file(loc.file).line_col(loc.start)
    }

    /// `path:line:col` for messages.
    pub fn describe(&self, loc: Loc) -> String {
        let f = self.file(loc.file);
        let lc = f.line_col(loc.start);
        format!("{}:{}:{}", f.path.display(), lc.line, lc.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let f = SourceFile::new("x".into(), "a: 1\n# 非同期\nb: 2\r\n".into());
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        let b = f.text.find('b').unwrap_or(0);
        assert_eq!(f.line_col(b), LineCol { line: 3, column: 1 });
        let after = f.text.find('期').unwrap_or(0) + '期'.len_utf8();
        assert_eq!(f.line_col(after), LineCol { line: 2, column: 6 });
        assert_eq!(f.line_text(3), "b: 2");
    }
}
