//! What every finding reporter shares: findings placed in files with
//! 1-based lines and character columns.

use crate::rules::{Finding, Severity};
use crate::source::{Loc, SourceMap};

/// A finding with its places resolved to file names, lines and columns.
#[derive(Clone, Debug)]
pub struct Placed<'a> {
    pub finding: &'a Finding,
    pub file: String,
    pub start: Pos,
    pub end: Pos,
}

/// A position: 1-based line, 1-based character column, byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

/// Resolve a byte range to positions.
pub fn span(sources: &SourceMap, loc: Loc) -> (Pos, Pos) {
    let f = sources.file(loc.file);
    let s = f.line_col(loc.start);
    let e = f.line_col(loc.end);
    (
        Pos {
            line: s.line,
            column: s.column,
            offset: loc.start,
        },
        Pos {
            line: e.line,
            column: e.column,
            offset: loc.end,
        },
    )
}

pub fn file_name(sources: &SourceMap, loc: Loc) -> String {
    sources.file(loc.file).path.display().to_string()
}

/// The results of checking one file.
#[derive(Debug)]
pub struct FileReport {
    /// The path as given or found.
    pub path: String,
    pub sources: Option<SourceMap>,
    pub findings: Vec<Finding>,
    /// Findings silenced by an inline comment or settings.
    pub suppressed: usize,
    /// Why the file could not be checked.
    pub fatal: Option<crate::diag::Fatal>,
    /// The release mirrored ("3.40.0").
    pub framework: Option<&'static str>,
    /// How the file was checked, when the user should know (a `frameworkVersion`
    /// that allows v4, a provider other than `aws`).
    pub notes: Vec<String>,
}

impl FileReport {
    pub fn placed(&self) -> Vec<Placed<'_>> {
        let Some(sources) = &self.sources else {
            return Vec::new();
        };
        self.findings
            .iter()
            .map(|f| {
                let (start, end) = span(sources, f.primary.loc);
                Placed {
                    finding: f,
                    file: file_name(sources, f.primary.loc),
                    start,
                    end,
                }
            })
            .collect()
    }
}

/// Counts for the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub suppressed: usize,
    pub files: usize,
    pub failed_files: usize,
}

pub fn totals(reports: &[FileReport]) -> Totals {
    let mut t = Totals {
        files: reports.len(),
        ..Totals::default()
    };
    for r in reports {
        t.suppressed += r.suppressed;
        if r.fatal.is_some() {
            t.failed_files += 1;
        }
        for f in &r.findings {
            match f.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Info => t.infos += 1,
            }
        }
    }
    t
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "Found 3 findings (1 error, 2 warnings) in 1 file; 1 suppressed."
pub fn summary_line(t: &Totals) -> String {
    let total = t.errors + t.warnings + t.infos;
    let mut s = if total == 0 {
        format!("No findings in {}", plural(t.files, "file"))
    } else {
        let mut parts = Vec::new();
        if t.errors > 0 {
            parts.push(plural(t.errors, "error"));
        }
        if t.warnings > 0 {
            parts.push(plural(t.warnings, "warning"));
        }
        if t.infos > 0 {
            parts.push(plural(t.infos, "info"));
        }
        format!(
            "Found {} ({}) in {}",
            plural(total, "finding"),
            parts.join(", "),
            plural(t.files, "file")
        )
    };
    if t.suppressed > 0 {
        s.push_str(&format!("; {} suppressed", t.suppressed));
    }
    if t.failed_files > 0 {
        s.push_str(&format!(
            "; {} could not be checked",
            plural(t.failed_files, "file")
        ));
    }
    s.push('.');
    s
}
