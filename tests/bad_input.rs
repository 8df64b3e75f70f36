#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]
//! The bad-input catalogue (docs/bad-input.md), each input through the real
//! binary: `check`, `render` and `make-async` where they apply. Every run
//! must end with exit 2 and a message that says what, where and what to do
//! (or, for valid YAML with bad values, with findings), never with a panic
//! or a signal, and must leave every file in the directory exactly as it
//! was, with no temporary file behind.
//!
//! Small inputs are in fixtures/bad/; the huge ones (100 MB, a 1 MB key,
//! 10,000 levels of nesting, an alias bomb) are generated here, into a
//! temporary directory. Timing and memory are measured by
//! scripts/bad-input-limits.py, not here.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_slsasync");

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bad")
}

/// A scratch directory holding copies of fixtures.
struct Dir {
    tmp: tempfile::TempDir,
}

impl Dir {
    fn new() -> Self {
        Self {
            tmp: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A directory with one fixture (a file, or every file of a fixture directory).
    fn with(fixture: &str) -> Self {
        let d = Self::new();
        d.copy(fixture);
        d
    }

    fn path(&self) -> &Path {
        self.tmp.path()
    }

    fn copy(&self, fixture: &str) {
        let from = fixtures().join(fixture);
        if from.is_dir() {
            for e in fs::read_dir(&from).expect("fixture dir") {
                let e = e.expect("entry");
                fs::copy(e.path(), self.path().join(e.file_name())).expect("copy");
            }
        } else {
            fs::copy(&from, self.path().join(fixture)).expect("copy");
        }
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) {
        fs::write(self.path().join(name), bytes).expect("write");
    }

    /// Run the binary in this directory.
    fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(BIN);
        if !args.contains(&"--color") {
            cmd.args(["--color", "never"]);
        }
        cmd.current_dir(self.path())
            .args(args)
            .env_remove("SLSASYNC_FAULT")
            .env("NO_COLOR", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run {
            args: args.iter().map(|s| (*s).to_owned()).collect(),
            out: cmd.output().expect("run slsasync"),
        }
    }

    /// Every file under the directory: bytes, or the target of a symlink.
    fn contents(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for e in fs::read_dir(dir).expect("read dir") {
                let p = e.expect("entry").path();
                let rel = p.strip_prefix(root).expect("inside").to_path_buf();
                let meta = fs::symlink_metadata(&p).expect("metadata");
                if meta.file_type().is_symlink() {
                    let target = fs::read_link(&p).expect("link");
                    out.insert(rel, target.to_string_lossy().as_bytes().to_vec());
                } else if meta.is_dir() {
                    walk(&p, root, out);
                } else {
                    out.insert(rel, fs::read(&p).expect("read"));
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(self.path(), self.path(), &mut out);
        out
    }

    /// Run `args` and check the directory is exactly as before.
    fn run_untouched(&self, args: &[&str]) -> Run {
        self.run_env_untouched(args, &[])
    }

    fn run_env_untouched(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let before = self.contents();
        let run = self.run_env(args, env);
        let after = self.contents();
        assert_eq!(
            before.keys().collect::<Vec<_>>(),
            after.keys().collect::<Vec<_>>(),
            "`{}` added or removed files",
            run.args.join(" ")
        );
        for (k, v) in &before {
            assert!(
                after.get(k) == Some(v),
                "`{}` changed {}",
                run.args.join(" "),
                k.display()
            );
        }
        run
    }
}

/// One run of the binary.
struct Run {
    args: Vec<String>,
    out: Output,
}

impl Run {
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }

    fn all(&self) -> String {
        format!("{}{}", self.stdout(), self.stderr())
    }

    /// It ended by itself (no signal), without a panic.
    fn no_crash(&self) -> &Self {
        let code = self.out.status.code();
        assert!(
            code.is_some() && code != Some(101),
            "`{}` crashed ({:?}):\n{}",
            self.args.join(" "),
            self.out.status,
            self.all()
        );
        assert!(
            !self.all().contains("panicked"),
            "`{}` panicked:\n{}",
            self.args.join(" "),
            self.all()
        );
        self
    }

    fn code(&self, code: i32) -> &Self {
        self.no_crash();
        assert_eq!(
            self.out.status.code(),
            Some(code),
            "`{}`:\n{}",
            self.args.join(" "),
            self.all()
        );
        self
    }

    /// Exit 2 with a message holding every fragment (what, where) and a help line.
    fn fails(&self, fragments: &[&str]) -> &Self {
        self.code(2).says(fragments);
        assert!(
            self.all().contains("help:"),
            "`{}` says nothing about what to do:\n{}",
            self.args.join(" "),
            self.all()
        );
        self
    }

    fn says(&self, fragments: &[&str]) -> &Self {
        let all = self.all();
        for f in fragments {
            assert!(
                all.contains(f),
                "`{}` does not say {f:?}:\n{all}",
                self.args.join(" ")
            );
        }
        self
    }
}

/// `check F`, `render -c F` and `make-async hello -c F` all fail the same way
/// and change nothing.
fn all_commands_fail(d: &Dir, file: &str, fragments: &[&str]) {
    d.run_untouched(&["check", file]).fails(fragments);
    d.run_untouched(&["render", "-c", file]).fails(fragments);
    d.run_untouched(&["make-async", "hello", "-c", file])
        .fails(fragments);
}

#[test]
fn empty_file() {
    let d = Dir::with("empty.yml");
    all_commands_fail(&d, "empty.yml", &["empty.yml is empty", "empty.yml:1:1"]);
}

#[test]
fn only_comments() {
    let d = Dir::with("only-comments.yml");
    all_commands_fail(
        &d,
        "only-comments.yml",
        &["only-comments.yml is empty", "only-comments.yml:1:1"],
    );
}

#[test]
fn yaml_syntax_error_shows_the_place_and_a_snippet() {
    let d = Dir::with("syntax-error.yml");
    all_commands_fail(
        &d,
        "syntax-error.yml",
        &[
            "illegal placement of ':' indicator",
            "syntax-error.yml:5:10",
            "  tags: [team, api",
            "may not be closed",
        ],
    );
}

#[test]
fn tab_indentation() {
    let d = Dir::with("tab-indent.yml");
    all_commands_fail(
        &d,
        "tab-indent.yml",
        &[
            "tab character",
            "tab-indent.yml:3:1",
            "replace the tab with spaces",
        ],
    );
}

#[test]
fn functions_as_a_list() {
    let d = Dir::with("functions-list.yml");
    d.run_untouched(&["check", "functions-list.yml"])
        .code(1)
        .says(&["functions-list.yml:5:", "expected a mapping"]);
    d.run_untouched(&["render", "-c", "functions-list.yml"])
        .fails(&[
            "Non-object value specified in functions array",
            "functions-list.yml:5:",
        ]);
    d.run_untouched(&["make-async", "hello", "-c", "functions-list.yml"])
        .fails(&["no function `hello`"]);
}

#[test]
fn events_as_a_map() {
    let d = Dir::with("events-map.yml");
    d.run_untouched(&["check", "events-map.yml"])
        .code(1)
        .says(&["events-map.yml:8:7", "expected a list"]);
    d.run_untouched(&["render", "-c", "events-map.yml"])
        .fails(&["forEach is not a function", "events-map.yml:8:7"]);
    d.run_untouched(&["make-async", "hello", "-c", "events-map.yml"])
        .fails(&["function `hello` has no http event"]);
}

#[test]
fn http_as_a_number() {
    let d = Dir::with("http-number.yml");
    d.run_untouched(&["check", "http-number.yml"])
        .code(1)
        .says(&["http-number.yml:8:15", "expected a string or a mapping"]);
    d.run_untouched(&["render", "-c", "http-number.yml"])
        .fails(&["http-number.yml:8:15"]);
    d.run_untouched(&["make-async", "hello", "-c", "http-number.yml"])
        .fails(&["is a number", "http-number.yml:8:15"]);
}

#[test]
fn path_as_a_list() {
    // Serverless 2 and 3 turn `[a]` into "a" (String([a])); 1 refuses.
    let d = Dir::with("path-list.yml");
    d.run_untouched(&["check", "path-list.yml"]).no_crash();
    d.run_untouched(&["render", "-c", "path-list.yml"])
        .code(0)
        .says(&["\"PathPart\": \"a\""]);
    d.run_untouched(&["render", "--framework", "1", "-c", "path-list.yml"])
        .fails(&["Missing or invalid \"path\"", "path-list.yml:"]);
    d.run_untouched(&["make-async", "hello", "--dry-run", "-c", "path-list.yml"])
        .code(0)
        .says(&["+          async: true"]);
}

#[test]
fn status_codes_as_a_list() {
    let d = Dir::with("status-codes-list.yml");
    d.run_untouched(&["check", "status-codes-list.yml"])
        .code(1)
        .says(&["status-codes-list.yml:14:"]);
    d.run_untouched(&["make-async", "hello", "-c", "status-codes-list.yml"])
        .fails(&["is a list, not a mapping", "status-codes-list.yml:14:26"]);
    d.run_untouched(&["make-sync", "hello", "-c", "status-codes-list.yml"])
        .fails(&["is a list, not a mapping", "status-codes-list.yml:14:26"]);
}

#[test]
fn missing_function_for_make_async() {
    let d = Dir::with("valid.yml");
    d.run_untouched(&["make-async", "nope", "-c", "valid.yml"])
        .fails(&["no function `nope` in valid.yml", "hello"]);
    d.run_untouched(&["render", "nope", "-c", "valid.yml"])
        .fails(&["nope", "hello"]);
}

#[test]
fn directory_without_a_config() {
    let d = Dir::new();
    d.write("README.md", "# not a config\n");
    let here = "no serverless.yml, serverless.yaml or serverless.json in the current directory";
    d.run_untouched(&["check"]).fails(&[here]);
    d.run_untouched(&["render"]).fails(&[here]);
    d.run_untouched(&["make-async", "hello"]).fails(&[here]);
    fs::create_dir(d.path().join("empty")).expect("mkdir");
    d.run_untouched(&["check", "empty"])
        .fails(&["no serverless.yml, serverless.yaml or serverless.json under empty"]);
    d.run_untouched(&["render", "-c", "empty"])
        .fails(&["no serverless.yml, serverless.yaml or serverless.json in empty"]);
}

#[test]
fn two_configs_in_one_directory() {
    let d = Dir::new();
    let valid = fs::read(fixtures().join("valid.yml")).expect("fixture");
    d.write("serverless.yml", &valid);
    d.write("serverless.yaml", &valid);
    let several = "several configs in the current directory: serverless.yml, serverless.yaml";
    d.run_untouched(&["check"])
        .fails(&[several, "-c serverless.yml"]);
    d.run_untouched(&["render"]).fails(&[several]);
    d.run_untouched(&["make-async", "hello"]).fails(&[several]);
    // Named as a directory to lint, each config is checked.
    d.run_untouched(&["check", "."])
        .code(0)
        .says(&["No findings in 2 files"]);
}

#[test]
fn binary_file() {
    let d = Dir::with("binary.yml");
    all_commands_fail(
        &d,
        "binary.yml",
        &["binary.yml:3:1: not a text file", "NUL byte"],
    );
}

#[test]
fn invalid_utf8() {
    let d = Dir::with("invalid-utf8.yml");
    all_commands_fail(
        &d,
        "invalid-utf8.yml",
        &[
            "invalid-utf8.yml:4:11: invalid UTF-8",
            "save the file as UTF-8",
        ],
    );
}

#[test]
fn utf16_with_bom() {
    let d = Dir::with("utf16-bom.yml");
    all_commands_fail(
        &d,
        "utf16-bom.yml",
        &["utf16-bom.yml:1:1: UTF-16 text", "save it as UTF-8"],
    );
}

/// One billion laughs: ten levels of ten aliases of the level below.
fn alias_bomb() -> String {
    let mut s = String::from("service: svc\nprovider:\n  name: aws\ncustom:\n");
    s.push_str("  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*l{}", i - 1); 10].join(", ");
        s.push_str(&format!("  l{i}: &l{i} [{refs}]\n"));
    }
    s
}

#[test]
fn billion_laughs_alias_bomb() {
    let d = Dir::new();
    d.write("serverless.yml", alias_bomb());
    all_commands_fail(
        &d,
        "serverless.yml",
        &["serverless.yml:", "each `*alias` copies the anchored value"],
    );
}

/// The same with variables: each level repeats the one below ten times.
fn variable_bomb(strings: bool) -> String {
    let mut s = String::from("service: svc\nprovider:\n  name: aws\ncustom:\n");
    if strings {
        s.push_str("  l0: lollollollollollollollollollol\n");
        for i in 1..10 {
            let refs = format!("${{self:custom.l{}}}", i - 1).repeat(10);
            s.push_str(&format!("  l{i}: \"{refs}\"\n"));
        }
    } else {
        s.push_str("  l0: [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            s.push_str(&format!("  l{i}:\n"));
            for _ in 0..10 {
                s.push_str(&format!("    - ${{self:custom.l{}}}\n", i - 1));
            }
        }
    }
    s
}

#[test]
fn billion_laughs_through_variables() {
    for strings in [true, false] {
        let d = Dir::new();
        d.write("serverless.yml", variable_bomb(strings));
        all_commands_fail(
            &d,
            "serverless.yml",
            &["serverless.yml:", "grow exponentially"],
        );
    }
}

#[test]
fn ten_thousand_levels_of_flow_nesting() {
    let d = Dir::new();
    let n = 10_000;
    d.write(
        "serverless.yml",
        format!("service: svc\ncustom: {}{}\n", "[".repeat(n), "]".repeat(n)),
    );
    all_commands_fail(
        &d,
        "serverless.yml",
        &["nests deeper than", "serverless.yml:2:", "flatten"],
    );
}

#[test]
fn ten_thousand_levels_of_block_nesting() {
    let d = Dir::new();
    // Compact block sequences: `- - - ... - x`, one level per `- `.
    let n = 10_000;
    d.write(
        "serverless.yml",
        format!("service: svc\ncustom:\n  {}x\n", "- ".repeat(n)),
    );
    all_commands_fail(&d, "serverless.yml", &["serverless.yml:3:", "flatten"]);
    // Block mappings, one more space of indentation per level.
    let mut s = String::from("service: svc\ncustom:\n");
    for i in 0..2_000 {
        s.push_str(&" ".repeat(i + 1));
        s.push_str("k:\n");
    }
    d.write("serverless.yml", s);
    all_commands_fail(&d, "serverless.yml", &["serverless.yml:", "flatten"]);
}

#[test]
fn hundred_megabyte_file() {
    let d = Dir::new();
    let line = "  key: \"a value that is long enough to fill a hundred megabytes\"\n";
    let mut s = String::with_capacity(100 * 1024 * 1024 + line.len());
    s.push_str("service: svc\nprovider:\n  name: aws\ncustom:\n");
    while s.len() < 100 * 1024 * 1024 {
        s.push_str(line);
    }
    d.write("serverless.yml", &s);
    all_commands_fail(
        &d,
        "serverless.yml",
        &[
            "cannot read serverless.yml",
            "too large (100.0 MiB",
            "at most 4 MiB",
        ],
    );
    // The same through stdin.
    let mut child = Command::new(BIN)
        .current_dir(d.path())
        .args(["--color", "never", "check", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        // The reader may stop early: a broken pipe is fine.
        let _ = stdin.write_all(s.as_bytes());
    }
    let out = child.wait_with_output().expect("wait");
    let run = Run {
        args: vec!["check".into(), "-".into()],
        out,
    };
    run.fails(&["too large"]);
}

#[test]
fn most_values_a_file_under_the_size_limit_can_hold() {
    // 4 MiB of one-character list items: two million values.
    let d = Dir::new();
    let items = "1,".repeat(2 * 1024 * 1024 - 16);
    d.write(
        "serverless.yml",
        format!("service: svc\ncustom: [{items}1]\n"),
    );
    all_commands_fail(
        &d,
        "serverless.yml",
        &[
            "holds more than 1000000 values",
            "serverless.yml:2:",
            "split the data",
        ],
    );
}

#[test]
fn one_megabyte_key() {
    let d = Dir::new();
    let key = "k".repeat(1024 * 1024);
    // Valid YAML: a key that long is allowed (js-yaml has no limit either).
    d.write(
        "serverless.yml",
        format!("service: svc\nprovider:\n  name: aws\ncustom:\n  {key}: 1\n"),
    );
    d.run_untouched(&["check", "serverless.yml"]).code(0);
    d.run_untouched(&["render", "-c", "serverless.yml"]).code(0);
    // As a function name, with an http event: the framework's resource names
    // are built from it; the output stays proportional to the input.
    d.write(
        "serverless.yml",
        format!(
            "service: svc\nprovider:\n  name: aws\nfunctions:\n  {key}:\n    handler: h.h\n    events:\n      - http: GET /a\n"
        ),
    );
    let run = d.run_untouched(&["check", "serverless.yml"]);
    run.no_crash();
    assert!(
        run.all().len() < 16 * 1024 * 1024,
        "{} bytes of output",
        run.all().len()
    );
    let run = d.run_untouched(&["render", "-c", "serverless.yml"]);
    run.no_crash();
    assert!(
        run.all().len() < 64 * 1024 * 1024,
        "{} bytes of output",
        run.all().len()
    );
}

#[test]
fn minified_json_config_with_findings_far_into_its_one_line() {
    // Findings at column 200,000 of a one-line serverless.json: the report
    // shows a window of the line, not all of it.
    let d = Dir::new();
    let pad = "x".repeat(200_000);
    d.write(
        "serverless.json",
        format!(
            r#"{{"service":"svc","provider":{{"name":"aws"}},"custom":{{"pad":"{pad}"}},"functions":{{"hello":{{"handler":"h.h","events":[{{"http":{{"path":"a","method":"get","async":true,"cors":true}}}}]}}}}}}"#
        ),
    );
    for colour in ["never", "always"] {
        let run = d.run_untouched(&["--color", colour, "check", "serverless.json"]);
        run.code(1).says(&["serverless.json:1:2001"]);
        assert!(
            run.all().len() < 64 * 1024,
            "{} bytes of output",
            run.all().len()
        );
    }
    d.run_untouched(&["check", "--format", "short", "serverless.json"])
        .code(1);
}

#[test]
fn include_cycle() {
    let d = Dir::with("include-cycle");
    all_commands_fail(
        &d,
        "serverless.yml",
        &[
            "Circular file include",
            "a.yml",
            "b.yml:1:4",
            "includes itself",
        ],
    );
}

#[test]
fn missing_include() {
    let d = Dir::with("include-missing");
    all_commands_fail(
        &d,
        "serverless.yml",
        &[
            "serverless.yml:4:9",
            "${file(./settings.yml)}",
            "add a fallback",
        ],
    );
}

#[test]
fn self_reference_cycle() {
    let d = Dir::with("self-cycle.yml");
    all_commands_fail(
        &d,
        "self-cycle.yml",
        &["Circular reference", "self-cycle.yml:", "the cycle: "],
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    let d = Dir::new();
    std::os::unix::fs::symlink("b.yml", d.path().join("a.yml")).expect("link");
    std::os::unix::fs::symlink("a.yml", d.path().join("b.yml")).expect("link");
    all_commands_fail(
        &d,
        "a.yml",
        &["cannot read a.yml", "loop of symbolic links"],
    );
    // A loop named serverless.yml is not a config file to find.
    std::os::unix::fs::symlink("serverless.yml", d.path().join("serverless.yml")).expect("link");
    d.run_untouched(&["check", "serverless.yml"])
        .fails(&["loop of symbolic links"]);
}

#[test]
fn javascript_and_typescript_configs() {
    for (dir, name) in [("code-ts", "serverless.ts"), ("code-js", "serverless.js")] {
        let d = Dir::with(dir);
        let says = [
            name,
            "JavaScript/TypeScript config: not supported",
            "never runs code",
        ];
        d.run_untouched(&["check"]).fails(&says);
        d.run_untouched(&["check", name]).fails(&says);
        d.run_untouched(&["render", "-c", name]).fails(&says);
        d.run_untouched(&["make-async", "hello", "-c", name])
            .fails(&says);
        d.run_untouched(&["make-async", "hello"]).fails(&says);
    }
}

// ---------------------------------------------------------------------------
// The editor: files that cannot or must not be written.

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(unix)]
#[test]
fn read_only_file() {
    let d = Dir::with("valid.yml");
    chmod(&d.path().join("valid.yml"), 0o444);
    d.run_untouched(&["make-async", "hello", "-c", "valid.yml"])
        .fails(&["valid.yml is read-only; nothing was written", "--dry-run"]);
    // Reading it is fine.
    d.run_untouched(&["make-async", "hello", "--dry-run", "-c", "valid.yml"])
        .code(0);
}

#[cfg(unix)]
#[test]
fn read_only_directory() {
    let d = Dir::with("valid.yml");
    chmod(d.path(), 0o555);
    let run = d.run_untouched(&["make-async", "hello", "-c", "valid.yml"]);
    chmod(d.path(), 0o755);
    run.fails(&[
        "valid.yml is in a read-only directory",
        "nothing was written",
    ]);
}

/// The faults below are injected through a hook that only debug builds have.
fn fault_hook() -> bool {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: SLSASYNC_FAULT is honoured by debug builds only");
    }
    cfg!(debug_assertions)
}

#[test]
fn file_that_disappears_between_read_and_write() {
    if !fault_hook() {
        return;
    }
    let d = Dir::with("valid.yml");
    let run = d.run_env(
        &["make-async", "hello", "-c", "valid.yml"],
        &[("SLSASYNC_FAULT", "remove-before-rename")],
    );
    run.fails(&["valid.yml was removed or renamed", "nothing was written"]);
    assert!(d.contents().is_empty(), "{:?}", d.contents().keys());
}

#[test]
fn file_changed_by_another_process_between_read_and_write() {
    if !fault_hook() {
        return;
    }
    let d = Dir::with("valid.yml");
    let original = fs::read_to_string(d.path().join("valid.yml")).expect("read");
    let run = d.run_env(
        &["make-async", "hello", "-c", "valid.yml"],
        &[("SLSASYNC_FAULT", "change-before-rename")],
    );
    run.fails(&[
        "valid.yml changed on disk",
        "nothing was written",
        "run the command again",
    ]);
    // The other process's write is what is on disk; nothing else is there.
    let now = fs::read_to_string(d.path().join("valid.yml")).expect("read");
    assert_eq!(now, format!("{original}# changed by another process\n"));
    assert_eq!(d.contents().len(), 1);
}

#[test]
fn disk_full_while_writing() {
    if !fault_hook() {
        return;
    }
    let d = Dir::with("valid.yml");
    d.run_env_untouched(
        &["make-async", "hello", "-c", "valid.yml"],
        &[("SLSASYNC_FAULT", "disk-full")],
    )
    .fails(&[
        "could not write valid.yml: writing the temporary file: No space left on device",
        "the file is unchanged",
        "free space",
    ]);
}

#[test]
fn rename_that_fails() {
    if !fault_hook() {
        return;
    }
    let d = Dir::with("valid.yml");
    d.run_env_untouched(
        &["make-async", "hello", "-c", "valid.yml"],
        &[("SLSASYNC_FAULT", "rename")],
    )
    .fails(&[
        "renaming the temporary file over it",
        "the file is unchanged",
    ]);
}

#[test]
fn process_killed_between_write_and_rename() {
    if !fault_hook() {
        return;
    }
    let d = Dir::new();
    fs::copy(
        fixtures().join("valid.yml"),
        d.path().join("serverless.yml"),
    )
    .expect("copy");
    let original = fs::read(d.path().join("serverless.yml")).expect("read");
    let run = d.run_env(
        &["make-async", "hello"],
        &[("SLSASYNC_FAULT", "abort-before-rename")],
    );
    assert_eq!(run.out.status.code(), None, "not killed: {}", run.all());
    // The original is intact; a complete temporary file is left beside it.
    assert_eq!(
        fs::read(d.path().join("serverless.yml")).expect("read"),
        original
    );
    let left: Vec<PathBuf> = d
        .contents()
        .into_keys()
        .filter(|p| p != Path::new("serverless.yml"))
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    let tmp = left[0].to_string_lossy().into_owned();
    assert!(
        tmp.starts_with(".serverless.yml.slsasync-") && tmp.ends_with(".tmp"),
        "{tmp}"
    );
    // Nothing reads it as a config.
    d.run(&["check", "."])
        .code(0)
        .says(&["No findings in 1 file."]);
    // The next run writes the file; the leftover never replaces it, and is
    // removed once its process is known to be gone.
    d.run(&["make-async", "hello"]).code(0);
    let now = fs::read_to_string(d.path().join("serverless.yml")).expect("read");
    assert!(now.contains("async: true"), "{now}");
    if Path::new("/proc/self").exists() {
        assert_eq!(d.contents().len(), 1, "{:?}", d.contents().keys());
    }
}

/// Inputs on which `cargo fuzz` (fuzz/fuzz_targets/edit.rs) found the editor
/// planning an edit its own proof then rejects. Whatever the editor does
/// with them, the file is either edited into a config that loads, with the
/// event async, or left byte for byte as it was.
#[test]
fn editor_inputs_found_by_fuzzing_are_edited_or_left_untouched() {
    for (file, args) in [
        // make-sync --proxy removes `response: >-` whose (empty) folded
        // scalar is followed by a key at column 0.
        (
            "fuzz-edit-folded-response.yml",
            &["make-sync", "f", "--proxy"][..],
        ),
        // make-async inserts keys at the end of `http` and of its last
        // key's mapping, at the same offset.
        ("fuzz-edit-nested-insert.yml", &["make-async", "k"][..]),
        // `request.template: null` takes effect with the lambda integration:
        // the framework then fails (TypeError).
        ("fuzz-edit-null-template.yml", &["make-async", "hook"][..]),
        // A lone `\r` (not `\r\n`) is a line break to YAML, not to the
        // editor's line model: refused up front.
        ("fuzz-edit-lone-cr.yml", &["make-async", "job", "--all"][..]),
        // An empty `request.template` behind a `!` tag, ignored by the proxy
        // integration: after make-async the framework fails on it, and the
        // refusal names the settings that now take effect.
        (
            "fuzz-edit-tagged-null-template.yml",
            &["make-async", "hello"][..],
        ),
        // make-sync --proxy removes `request` and `response`, the only keys
        // of this event: refused, since `http:` would be left null.
        (
            "fuzz-edit-emptied-http.yml",
            &["make-sync", "hello", "--proxy"][..],
        ),
        // An explicit `? key` spanning lines: refused up front.
        ("fuzz-edit-explicit-key.yml", &["make-async", "report"][..]),
        // A status code renamed and its `pattern` added at the end of the
        // file, where `http` ends too: the deeper insertion goes first.
        (
            "fuzz-edit-same-offset-inserts.yml",
            &["make-async", "profile", "--event", "0"][..],
        ),
    ] {
        let d = Dir::with(file);
        let before = fs::read(d.path().join(file)).expect("read");
        let mut cmd = args.to_vec();
        cmd.extend(["-c", file]);
        let run = d.run(&cmd);
        run.no_crash();
        let after = fs::read(d.path().join(file)).expect("read");
        match run.out.status.code() {
            Some(0) => {
                d.run(&["check", file]).no_crash();
                assert_ne!(before, after, "exit 0 but nothing written");
            }
            Some(2) => {
                assert_eq!(before, after, "{file} changed although the edit failed");
                run.says(&["nothing was written"]);
                assert!(
                    !run.all().contains("this is a bug"),
                    "{file}: a refusal the input explains is not a bug:\n{}",
                    run.all()
                );
            }
            other => panic!("{file}: exit {other:?}:\n{}", run.all()),
        }
        assert_eq!(d.contents().len(), 1, "{:?}", d.contents().keys());
    }
}

#[cfg(unix)]
#[test]
fn symlinked_config_is_written_through_the_link() {
    let d = Dir::new();
    fs::create_dir(d.path().join("real")).expect("mkdir");
    fs::copy(
        fixtures().join("valid.yml"),
        d.path().join("real/serverless.yml"),
    )
    .expect("copy");
    std::os::unix::fs::symlink("real/serverless.yml", d.path().join("serverless.yml"))
        .expect("link");
    d.run(&["make-async", "hello"]).code(0);
    let link = fs::symlink_metadata(d.path().join("serverless.yml")).expect("stat");
    assert!(link.file_type().is_symlink(), "the link is kept");
    let target = fs::read_to_string(d.path().join("real/serverless.yml")).expect("read");
    assert!(target.contains("async: true"), "{target}");
    assert_eq!(d.contents().len(), 2, "{:?}", d.contents().keys());
}
