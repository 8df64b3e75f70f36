#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]
//! Untrusted input stays harmless, through the real binary:
//! * `${file(...)}` reads nothing outside the config's directory without
//!   `--allow-outside`, whether the way out is `..`, an absolute path, a
//!   symlinked file or a symlinked directory (a FIFO outside proves that the
//!   file is not even opened: opening it would block);
//! * include cycles, `${self:}` cycles and long reference chains end with a
//!   clear error or a result, never a hang or a crash;
//! * escape sequences and other control characters in keys, values,
//!   comments and file names never reach the terminal raw: human (with and
//!   without colour), short and github output escape them; json and sarif
//!   escape them as JSON does.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_slsasync");

struct Out {
    what: String,
    out: Output,
}

impl Out {
    fn all(&self) -> String {
        format!(
            "{}{}",
            String::from_utf8_lossy(&self.out.stdout),
            String::from_utf8_lossy(&self.out.stderr)
        )
    }

    fn code(&self, code: i32) -> &Self {
        assert!(
            !self.all().contains("panicked"),
            "{}: {}",
            self.what,
            self.all()
        );
        assert_eq!(
            self.out.status.code(),
            Some(code),
            "{}:\n{}",
            self.what,
            self.all()
        );
        self
    }

    /// `fragment` is in the output, wherever the report wrapped its lines.
    fn says(&self, fragment: &str) -> &Self {
        assert!(
            flat(&self.all()).contains(&flat(fragment)),
            "{} does not say {fragment:?}:\n{}",
            self.what,
            self.all()
        );
        self
    }

    fn never_says(&self, fragment: &str) -> &Self {
        assert!(
            !self.all().contains(fragment),
            "{} says {fragment:?}:\n{}",
            self.what,
            self.all()
        );
        self
    }
}

/// Words only: no line breaks, margins or report gutters.
fn flat(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '│')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Run the binary in `dir`, killed after 60 s (a read of a FIFO would block).
fn run(dir: &Path, args: &[&str]) -> Out {
    let mut child = Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env_remove("SLSASYNC_FAULT")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "`{}` did not finish (blocked on a read?):\n{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Out {
        what: format!("`{}`", args.join(" ")),
        out: child.wait_with_output().expect("output"),
    }
}

/// `root/service/serverless.yml` with `custom: <value>`, and `root/outside/`.
struct Project {
    tmp: tempfile::TempDir,
}

const SECRET: &str = "s3cr3t-outside-the-service";

impl Project {
    fn new(custom: &str) -> Self {
        let tmp = tempfile::tempdir().expect("temp dir");
        let p = Self { tmp };
        fs::create_dir_all(p.service()).expect("mkdir");
        fs::create_dir_all(p.outside()).expect("mkdir");
        fs::write(p.outside().join("secret.yml"), format!("key: {SECRET}\n")).expect("write");
        p.config(custom);
        p
    }

    fn config(&self, custom: &str) {
        fs::write(
            self.service().join("serverless.yml"),
            format!(
                "service: svc\nprovider:\n  name: aws\ncustom:\n  value: {custom}\nfunctions:\n  hello:\n    handler: h.h\n    events:\n      - http:\n          path: hello\n          method: get\n          integration: lambda\n          request:\n            template:\n              application/json: ${{self:custom.value}}\n"
            ),
        )
        .expect("write");
    }

    fn service(&self) -> PathBuf {
        self.tmp.path().join("service")
    }

    fn outside(&self) -> PathBuf {
        self.tmp.path().join("outside")
    }

    fn run(&self, args: &[&str]) -> Out {
        run(&self.service(), args)
    }

    /// check and render refuse the include and show nothing of the file;
    /// with --allow-outside the same include is read.
    fn refused_unless_allowed(&self, allowed_reads: bool) {
        for args in [&["check"][..], &["render"][..]] {
            self.run(args)
                .code(2)
                .says("is outside the service directory; not read")
                .says("serverless.yml:5:10")
                .says("--allow-outside")
                .never_says(SECRET);
        }
        if allowed_reads {
            self.run(&["render", "--allow-outside"])
                .code(0)
                .says(SECRET);
        }
    }
}

#[test]
fn include_through_dot_dot_is_refused() {
    let p = Project::new("${file(../outside/secret.yml):key}");
    p.refused_unless_allowed(true);
}

#[test]
fn include_by_absolute_path_is_refused() {
    let p = Project::new("PLACEHOLDER");
    let abs = p.outside().join("secret.yml");
    p.config(&format!("${{file({}):key}}", abs.display()));
    p.refused_unless_allowed(true);
}

#[cfg(unix)]
#[test]
fn include_through_a_symlinked_file_is_refused() {
    let p = Project::new("${file(./inside.yml):key}");
    std::os::unix::fs::symlink(
        p.outside().join("secret.yml"),
        p.service().join("inside.yml"),
    )
    .expect("link");
    p.refused_unless_allowed(true);
}

#[cfg(unix)]
#[test]
fn include_through_a_symlinked_directory_is_refused() {
    let p = Project::new("${file(./conf/secret.yml):key}");
    std::os::unix::fs::symlink(p.outside(), p.service().join("conf")).expect("link");
    p.refused_unless_allowed(true);
}

#[cfg(unix)]
#[test]
fn an_outside_include_is_not_even_opened() {
    // Opening a FIFO for reading blocks until someone writes: if the include
    // were opened, the run would hang and be killed.
    let p = Project::new("${file(../outside/pipe.yml):key}");
    let made = Command::new("mkfifo")
        .arg(p.outside().join("pipe.yml"))
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    p.refused_unless_allowed(false);
    std::os::unix::fs::symlink(p.outside().join("pipe.yml"), p.service().join("pipe.yml"))
        .expect("link");
    p.config("${file(./pipe.yml):key}");
    p.refused_unless_allowed(false);
}

#[test]
fn include_from_the_home_directory_is_refused() {
    // Framework v1 expands `~` in `${file(~/...)}`.
    let p = Project::new("${file(~/.aws/credentials)}");
    let home = p.outside().join("home");
    fs::create_dir_all(home.join(".aws")).expect("mkdir");
    fs::write(
        home.join(".aws/credentials"),
        format!("[default]\nkey = {SECRET}\n"),
    )
    .expect("write");
    let out = Command::new(BIN)
        .current_dir(p.service())
        .args(["--color", "never", "render", "--framework", "1"])
        .env("HOME", &home)
        .output()
        .expect("run");
    let out = Out {
        what: "`render --framework 1`".into(),
        out,
    };
    out.code(2)
        .says("is outside the service directory; not read")
        .never_says(SECRET);
}

#[test]
fn an_include_inside_the_service_is_read() {
    let p = Project::new("${file(./conf/inside.yml):key}");
    fs::create_dir(p.service().join("conf")).expect("mkdir");
    fs::write(p.service().join("conf/inside.yml"), "key: from-inside\n").expect("write");
    p.run(&["render"]).code(0).says("from-inside");
}

#[test]
fn include_cycle_and_self_cycle_are_clear_errors() {
    let p = Project::new("${file(./a.yml)}");
    fs::write(p.service().join("a.yml"), "x: ${file(./a.yml)}\n").expect("write");
    p.run(&["check"])
        .code(2)
        .says("Circular file include")
        .says("a.yml:1:4");
    p.config("${self:custom.value}");
    p.run(&["render"])
        .code(2)
        .says("Circular reference")
        .says("serverless.yml:5:10");
}

/// `custom.value` → `c0` → `c1` → ... → `cN: end-of-chain`.
fn chain(p: &Project, n: usize) {
    p.config("${self:custom.c0}");
    let mut text = fs::read_to_string(p.service().join("serverless.yml")).expect("read");
    let links: String = (0..n)
        .map(|i| format!("  c{i}: ${{self:custom.c{}}}\n", i + 1))
        .collect();
    text = text.replace(
        "custom:\n",
        &format!("custom:\n{links}  c{n}: end-of-chain\n"),
    );
    fs::write(p.service().join("serverless.yml"), text).expect("write");
}

#[test]
fn a_long_reference_chain_resolves_and_an_endless_one_stops() {
    let p = Project::new("x");
    chain(&p, 500);
    p.run(&["render"]).code(0).says("end-of-chain");
    chain(&p, 5_000);
    p.run(&["render"])
        .code(2)
        .says("references nest more than 1000 levels deep")
        .says("serverless.yml:1005:10");
}

// ---------------------------------------------------------------------------
// Escape sequences and control characters.

/// A config whose keys, values and comments carry escape sequences, written
/// as YAML escapes (the loader refuses raw ones in data, as js-yaml does).
const ESCAPES: &str = r#"service: svc
provider:
  name: aws
  stage: "dev\e]0;owned\a"
functions:
  "f\e[2J\e[H":
    handler: h.h # bidi: BIDI reversed
    events:
      - http:
          path: "a\e]8;;http://x\e\\b\x9bc"
          method: get
          response:
            statusCodes: [202]
"#;

/// [`ESCAPES`] with a right-to-left override in a comment.
fn escapes() -> String {
    ESCAPES.replace("BIDI", "\u{202e}")
}

fn project_with(text: &[u8]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    fs::write(tmp.path().join("serverless.yml"), text).expect("write");
    tmp
}

/// No control character but `\n`, `\t` (and, with colour, the ESC of SGR
/// colour sequences), no bidirectional control, in what reaches a terminal.
fn assert_terminal_safe(what: &str, text: &str, colour: bool) {
    for (i, c) in text.char_indices() {
        let bidi = matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c == '\u{1b}' && colour {
            // Only `ESC [ digits ; ... m`.
            let rest = &text.as_bytes()[i + 1..];
            let sgr = rest.first() == Some(&b'[')
                && rest[1..]
                    .iter()
                    .find(|b| !(b.is_ascii_digit() || **b == b';'))
                    == Some(&b'm');
            let shown: String = text[i..].chars().take(12).collect();
            assert!(
                sgr,
                "{what}: an escape sequence that is not a colour: {shown:?}"
            );
            continue;
        }
        assert!(
            !(bidi || c.is_control() && c != '\n' && c != '\t'),
            "{what}: raw {c:?} at byte {i}:\n{text}"
        );
    }
}

/// Every output format of `check` on the config in `dir` is safe; human and
/// short output show `shown` (how the control character is made visible).
fn formats_are_safe(dir: &Path, shown: &str) {
    for (format, colour) in [("human", false), ("human", true), ("short", false)] {
        let color = if colour { "always" } else { "never" };
        let out = run(dir, &["--color", color, "check", "--format", format]);
        assert!(
            matches!(out.out.status.code(), Some(1 | 2)),
            "{}",
            out.all()
        );
        assert_terminal_safe(
            &format!("check --format {format} --color {color}"),
            &out.all(),
            colour,
        );
        assert!(
            out.all().contains(shown),
            "the escapes are shown as {shown}:\n{}",
            out.all()
        );
    }
    for format in ["json", "sarif"] {
        let out = run(dir, &["check", "--format", format]);
        let text = String::from_utf8(out.out.stdout.clone()).expect("UTF-8");
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{format}: raw escape:\n{text}"
        );
        let doc: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        if shown.starts_with("\\u") {
            assert!(
                doc.to_string().contains("\\u001b"),
                "{format}: the escape is kept, as JSON"
            );
        }
    }
}

#[test]
fn escapes_in_keys_and_values_never_reach_the_terminal() {
    let tmp = project_with(escapes().as_bytes());
    formats_are_safe(tmp.path(), "\\u{1b}");
    // make-async refuses `statusCodes: [202]`, naming the function.
    let function = "f\u{1b}[2J\u{1b}[H";
    let out = run(tmp.path(), &["--color", "never", "make-async", function]);
    out.code(2).says("is a list, not a mapping");
    assert_terminal_safe("make-async", &out.all(), false);
    let out = run(tmp.path(), &["--color", "always", "make-async", function]);
    assert_terminal_safe("make-async --color always", &out.all(), true);
}

#[test]
fn escapes_in_render_warnings_never_reach_the_terminal() {
    // A proxy integration with `response`: the framework's warning names the function.
    let text = "service: svc\nprovider:\n  name: aws\nfunctions:\n  \"f\\e]0;owned\\a\":\n    handler: h.h\n    events:\n      - http:\n          path: a\n          method: get\n          response:\n            headers:\n              X: \"'x'\"\n";
    let tmp = project_with(text.as_bytes());
    let out = run(tmp.path(), &["--color", "never", "render"]);
    out.code(0).says("AWS_PROXY");
    assert_terminal_safe("render (stderr)", &out.all(), false);
}

#[test]
fn raw_escapes_in_comments_never_reach_the_terminal() {
    // A raw ESC / BEL / CR / C1 in a comment: the loader refuses the file;
    // the error shows the line with the characters replaced.
    let text =
        b"service: svc\nprovider:\n  name: aws # \x1b]0;owned\x07 \x1b[2J\rhidden \xc2\x9b31m\n";
    let tmp = project_with(text);
    formats_are_safe(tmp.path(), "U+001B");
    let out = run(tmp.path(), &["--color", "always", "render"]);
    out.code(2).says("invisible control character");
    assert_terminal_safe("render --color always", &out.all(), true);
    let out = run(tmp.path(), &["--color", "always", "make-async", "hello"]);
    out.code(2);
    assert_terminal_safe("make-async --color always", &out.all(), true);
}

#[test]
fn escapes_in_a_file_name_never_reach_the_terminal() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let name = "evil\u{1b}]0;owned\u{7}.yml";
    fs::write(tmp.path().join(name), "service: svc\nprovider: [\n").expect("write");
    for colour in ["never", "always"] {
        let out = run(tmp.path(), &["--color", colour, "check", name]);
        out.code(2);
        assert_terminal_safe("check (file name)", &out.all(), colour == "always");
        let out = run(tmp.path(), &["--color", colour, "render", "-c", name]);
        out.code(2);
        assert_terminal_safe("render (file name)", &out.all(), colour == "always");
    }
}

#[test]
fn github_annotations_escape_control_characters() {
    let tmp = project_with(escapes().as_bytes());
    let out = run(tmp.path(), &["check", "--format", "github"]);
    assert_terminal_safe("check --format github", &out.all(), false);
}

#[test]
fn escapes_in_make_async_output_never_reach_the_terminal() {
    let text = "service: svc\nprovider:\n  name: aws\nfunctions:\n  \"f\\e]0;owned\\a\":\n    handler: h.h # note BIDI x\n    events:\n      - http:\n          path: \"a\\e[2Jb\"\n          method: get\n";
    let tmp = project_with(text.replace("BIDI", "\u{202e}").as_bytes());
    let function = "f\u{1b}]0;owned\u{7}";
    let out = run(
        tmp.path(),
        &["--color", "never", "make-async", function, "--dry-run"],
    );
    out.code(0);
    assert_terminal_safe("make-async --dry-run", &out.all(), false);
}
