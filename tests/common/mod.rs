//! Shared helpers for the end-to-end tests: run the real binary with a clean
//! environment, read its JSON, redact paths for snapshots.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

/// Environment variables that change what the binary prints.
const SCRUBBED: [&str; 10] = [
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "FORCE_COLOR",
    "TERM",
    "CI",
    "GITHUB_ACTIONS",
    "SOURCE_DATE_EPOCH",
    "COLUMNS",
    "RUST_BACKTRACE",
];

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as JSON (panics with the output when it is not).
    pub fn json(&self) -> Json {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}); exit {}\nstdout:\n{}\nstderr:\n{}",
                self.code, self.stdout, self.stderr
            )
        })
    }

    /// Panics unless the exit code is `code`.
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code {} (expected {code})\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

/// A run of the binary in `dir`, with `env` added to a scrubbed environment.
pub struct Bin {
    cmd: assert_cmd::Command,
}

impl Bin {
    pub fn new(args: &[&str]) -> Self {
        let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_slsasync"));
        for v in SCRUBBED {
            cmd.env_remove(v);
        }
        cmd.current_dir(root()).args(args);
        Self { cmd }
    }

    pub fn dir(mut self, dir: &Path) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.cmd.write_stdin(text.to_owned());
        self
    }

    pub fn run(mut self) -> Run {
        let out = self.cmd.output().expect("the binary runs");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
        }
    }
}

/// Run the binary from the repository root.
pub fn run(args: &[&str]) -> Run {
    Bin::new(args).run()
}

/// `slsasync check --format json ARGS`, any exit code but 2.
pub fn check_json(args: &[&str]) -> Json {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert!(
        r.code == 0 || r.code == 1,
        "check {args:?} exited {}\nstdout:\n{}\nstderr:\n{}",
        r.code,
        r.stdout,
        r.stderr
    );
    r.json()
}

/// The findings array of a JSON report.
pub fn findings(report: &Json) -> Vec<Json> {
    report["findings"].as_array().cloned().unwrap_or_default()
}

/// `(rule, line)` of every finding of a JSON report.
pub fn codes_and_lines(report: &Json) -> BTreeSet<(String, u64)> {
    findings(report)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

/// Lines (1-based) carrying `# expect: CODE` markers, per code. Several codes
/// may follow one marker, separated by spaces or commas.
pub fn markers(text: &str) -> BTreeSet<(String, u64)> {
    let mut out = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        if let Some((_, codes)) = line.split_once("# expect:") {
            for c in codes
                .split([' ', ','])
                .map(str::trim)
                .filter(|c| !c.is_empty())
            {
                out.insert((c.to_owned(), i as u64 + 1));
            }
        }
    }
    out
}

/// Replace `dir` (and its canonical form) by `[DIR]`, and the crate version by `[VERSION]`.
pub fn redact(text: &str, dir: &Path) -> String {
    let mut out = text.to_owned();
    let mut forms = vec![dir.display().to_string()];
    if let Ok(c) = dir.canonicalize() {
        forms.push(c.display().to_string());
    }
    forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
    for f in forms {
        if !f.is_empty() {
            out = out.replace(&f, "[DIR]");
        }
    }
    out.replace(
        &format!("\"{}\"", env!("CARGO_PKG_VERSION")),
        "\"[VERSION]\"",
    )
}

/// A scratch directory holding `files` (relative path → text).
pub fn workspace(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let p = dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, text).expect("write");
    }
    dir
}

/// Read a file of the repository.
pub fn read(rel: &str) -> String {
    let p = root().join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}
