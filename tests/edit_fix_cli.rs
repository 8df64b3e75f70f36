//! `check --fix`, `--unsafe-fixes` and `--diff` through the real binary, on
//! `fixtures/edit/fix/serverless.yml` (CRLF line endings, a Japanese
//! comment, safe and unsafe fixes) and on the rule fixtures: what is written,
//! what is printed, the exit status, the file untouched when nothing may be
//! written, a second run with nothing left to do, and the line endings kept.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};
use std::time::SystemTime;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn slsasync(dir: &Path, args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_slsasync"));
    cmd.args(args)
        .env_clear()
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .timeout(std::time::Duration::from_secs(30));
    if let Some(s) = stdin {
        cmd.write_stdin(s);
    }
    let out = cmd.output().unwrap();
    let r = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        r.code.is_some() && r.code != Some(101),
        "crashed: {}",
        r.stderr
    );
    r
}

fn state(p: &Path) -> (Vec<u8>, SystemTime) {
    (
        std::fs::read(p).unwrap(),
        std::fs::metadata(p).unwrap().modified().unwrap(),
    )
}

fn copy(rel: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("serverless.yml");
    std::fs::copy(root().join(rel), &to).unwrap();
    (dir, to)
}

const FIX: &str = "fixtures/edit/fix/serverless.yml";

#[test]
fn diff_prints_the_change_and_writes_nothing() {
    let (dir, file) = copy(FIX);
    let before = state(&file);
    let r = slsasync(dir.path(), &["check", "--diff", "serverless.yml"], None);
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert_eq!(state(&file), before);
    assert_eq!(
        r.stdout,
        "--- a/serverless.yml\r\n+++ b/serverless.yml\r\n".replace("\r\n", "\n")
            + "@@ -10,14 +10,12 @@\n"
            + "       - http:\r\n"
            + "           path: jobs\r\n"
            + "           method: post\r\n"
            + "-          async: 'true' # 非同期\r\n"
            + "+          async: true # 非同期\r\n"
            + "+          integration: lambda\r\n"
            + "       - http:\r\n"
            + "           path: ping\r\n"
            + "           method: get\r\n"
            + "-          integration: Lambda-Proxy\r\n"
            + "-          response:\r\n"
            + "-            headers:\r\n"
            + "-              X: \"'y'\"\r\n"
            + "+          integration: lambda-proxy\r\n"
            + "       - http:\r\n"
            + "           path: old\r\n"
            + "           method: get\r\n"
    );
    assert_eq!(
        r.stderr,
        "Would fix 4 findings in 1 file (4 remaining); 1 more fix available with --unsafe-fixes.\n"
    );
}

#[test]
fn fix_writes_keeps_crlf_and_reports_what_remains() {
    let (dir, file) = copy(FIX);
    let original = std::fs::read_to_string(&file).unwrap();
    let r = slsasync(
        dir.path(),
        &["check", "--fix", "--format", "short", "serverless.yml"],
        None,
    );
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.contains("          async: true # 非同期\r\n          integration: lambda\r\n"));
    assert!(after.contains("          integration: lambda-proxy\r\n      - http:\r\n"));
    assert!(
        !after.replace("\r\n", "").contains('\n'),
        "a bare LF was written"
    );
    assert_eq!(original.lines().count() - 2, after.lines().count());
    // What remains is reported as by a plain check, with its exit status.
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("Fixed 4 findings in 1 file (4 remaining)"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.contains("warning[SLS-REQ-005]"), "{}", r.stdout);
    assert!(!r.stdout.contains("SLS-ASYNC-005"), "{}", r.stdout);
    assert!(
        r.stdout
            .ends_with("Found 4 findings (1 warning, 3 infos) in 1 file.\n"),
        "{}",
        r.stdout
    );
    // Nothing left: the second run writes nothing.
    let second = state(&file);
    let r = slsasync(dir.path(), &["check", "--fix", "serverless.yml"], None);
    assert!(
        r.stderr.starts_with("No fixes to apply (4 remaining)"),
        "{}",
        r.stderr
    );
    assert_eq!(state(&file), second);
    let r = slsasync(dir.path(), &["check", "--diff", "serverless.yml"], None);
    assert_eq!(r.stdout, "");
    // Unfixable warnings remain: --diff still fails.
    assert_eq!(r.code, Some(1));
    let r = slsasync(
        dir.path(),
        &["check", "--diff", "--fail-on", "error", "serverless.yml"],
        None,
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

#[test]
fn unsafe_fixes_apply_only_when_asked() {
    let (dir, file) = copy(FIX);
    let r = slsasync(
        dir.path(),
        &["check", "--fix", "--unsafe-fixes", "serverless.yml"],
        None,
    );
    assert!(
        r.stderr
            .starts_with("Fixed 5 findings in 1 file (3 remaining)."),
        "{}",
        r.stderr
    );
    let after = std::fs::read_to_string(&file).unwrap();
    assert!(after.contains("          request:\r\n            schemas:\r\n"));
    let r = slsasync(
        dir.path(),
        &[
            "check",
            "--diff",
            "--unsafe-fixes",
            "--fail-on",
            "error",
            "serverless.yml",
        ],
        None,
    );
    assert_eq!((r.code, r.stdout.as_str()), (Some(0), ""));
}

#[test]
fn unsafe_fixes_alone_is_a_usage_error() {
    let (dir, file) = copy(FIX);
    let before = state(&file);
    let r = slsasync(
        dir.path(),
        &["check", "--unsafe-fixes", "serverless.yml"],
        None,
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("--unsafe-fixes does nothing without --fix or --diff"),
        "{}",
        r.stderr
    );
    assert_eq!(state(&file), before);
}

#[test]
fn stdin_gets_the_fixed_text_on_stdout() {
    let text = std::fs::read_to_string(root().join(FIX)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let r = slsasync(
        dir.path(),
        &["check", "--fix", "--fail-on", "error", "-"],
        Some(&text),
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("          async: true # 非同期\r\n          integration: lambda\r\n")
    );
    assert_eq!(text.lines().count() - 2, r.stdout.lines().count());
    assert!(
        r.stderr.starts_with("Fixed 4 findings in 1 file"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_file_that_does_not_parse_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("serverless.yml");
    std::fs::write(&file, "service: x\nfunctions:\n  a: [\n").unwrap();
    let before = state(&file);
    for mode in ["--fix", "--diff"] {
        let r = slsasync(dir.path(), &["check", mode, "serverless.yml"], None);
        assert_eq!(r.code, Some(2), "{mode}: {}", r.stderr);
        // The place of the error, on stdout (the check report) or stderr (--diff).
        assert!(
            format!("{}{}", r.stdout, r.stderr).contains("serverless.yml:3:"),
            "{}{}",
            r.stdout,
            r.stderr
        );
        assert!(!r.stderr.contains("fixes to apply"), "{}", r.stderr);
        assert_eq!(state(&file), before);
    }
}

#[test]
fn a_read_only_file_is_reported_and_untouched() {
    let (dir, file) = copy(FIX);
    let mut perms = std::fs::metadata(&file).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&file, perms).unwrap();
    let before = state(&file);
    let r = slsasync(dir.path(), &["check", "--fix", "serverless.yml"], None);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("read-only; nothing was written"),
        "{}",
        r.stderr
    );
    assert_eq!(state(&file), before);
}

/// Every rule fixture with fixes: the fixes apply (none dropped), the result
/// has none of the fixed findings left, and a second pass is a no-op.
#[test]
fn every_rule_fixture_fixes_cleanly() {
    let mut fixed_files = 0;
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/rules"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for d in dirs {
        let bad = d.join("bad.yml");
        if !bad.is_file() {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("serverless.yml");
        std::fs::copy(&bad, &file).unwrap();
        let r = slsasync(
            dir.path(),
            &[
                "check",
                "--fix",
                "--unsafe-fixes",
                "--exit-zero",
                "serverless.yml",
            ],
            None,
        );
        assert!(
            r.code == Some(0) || r.code == Some(2),
            "{}: {:?} {}",
            d.display(),
            r.code,
            r.stderr
        );
        assert!(
            !r.stderr.contains("dropped the fix"),
            "{}: {}",
            d.display(),
            r.stderr
        );
        if r.stderr.starts_with("Fixed") {
            fixed_files += 1;
            let again = state(&file);
            let r = slsasync(
                dir.path(),
                &[
                    "check",
                    "--diff",
                    "--unsafe-fixes",
                    "--exit-zero",
                    "serverless.yml",
                ],
                None,
            );
            assert_eq!(r.stdout, "", "{}: fixes left after --fix", d.display());
            assert_eq!(state(&file), again);
        }
    }
    assert!(
        fixed_files >= 10,
        "only {fixed_files} rule fixtures had fixes"
    );
}
