#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]
//! `--version`, `completions` and `man`, through the binary.

use std::io::Write;
use std::process::{Command, Stdio};

use assert_cmd::Command as BinCommand;
use slsasync::model::Framework;

fn bin() -> BinCommand {
    let mut c = BinCommand::new(env!("CARGO_BIN_EXE_slsasync"));
    c.env_remove("NO_COLOR");
    c
}

fn stdout_of(args: &[&str]) -> String {
    let out = bin().args(args).assert().success().get_output().clone();
    assert!(
        out.stderr.is_empty(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The visible subcommands, from `--help`.
fn subcommands() -> Vec<String> {
    let help = stdout_of(&["--help"]);
    let section = help
        .split("Commands:")
        .nth(1)
        .expect("a Commands section")
        .split("\n\n")
        .next()
        .unwrap();
    section
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| *w != "help")
        .map(str::to_owned)
        .collect()
}

fn tool(name: &str) -> bool {
    Command::new(name)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn version_names_the_framework_releases_mirrored() {
    for args in [&["--version"][..], &["-V"], &["check", "--version"]] {
        let v = stdout_of(args);
        let name = if args[0] == "check" {
            "slsasync-check"
        } else {
            "slsasync"
        };
        assert!(
            v.starts_with(&format!("{name} {} (mirrors ", env!("CARGO_PKG_VERSION"))),
            "{v}"
        );
        for f in [Framework::V1, Framework::V2, Framework::V3, Framework::Osls] {
            assert!(v.contains(f.release()), "{v} lacks {}", f.release());
        }
        assert_eq!(v.lines().count(), 1, "{v}");
    }
}

#[test]
fn completion_scripts_cover_every_subcommand() {
    let subs = subcommands();
    assert!(
        subs.len() >= 9
            && subs.iter().any(|s| s == "completions")
            && subs.iter().any(|s| s == "man"),
        "{subs:?}"
    );
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.len() > 1000, "{shell}: {} bytes", script.len());
        assert!(script.contains("slsasync"), "{shell}");
        for sub in &subs {
            assert!(
                script.contains(sub.as_str()),
                "{shell} script lacks `{sub}`"
            );
        }
        // Options come from the CLI definition too, and values where the shell completes them.
        for word in ["fail-on", "framework", "stdin-filename"] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
        if matches!(shell, "bash" | "zsh" | "fish") {
            assert!(script.contains("sarif"), "{shell} script lacks the formats");
        }
    }
}

/// The script parses in its shell (`bash -n`, `zsh -n`, `fish -n`), where that
/// shell is installed; bash is required.
#[test]
fn completion_scripts_parse_in_their_shell() {
    let mut checked = Vec::new();
    for (shell, program) in [("bash", "bash"), ("zsh", "zsh"), ("fish", "fish")] {
        if shell != "bash" && !tool(program) {
            eprintln!("note: {program} is not installed; its completion script is not parsed");
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("slsasync.{shell}"));
        std::fs::write(&path, stdout_of(&["completions", shell])).unwrap();
        let out = Command::new(program)
            .arg("-n")
            .arg(&path)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        assert!(
            out.status.success() && out.stderr.is_empty(),
            "{program} -n: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        checked.push(shell);
    }
    assert!(checked.contains(&"bash"));
}

/// Sourcing the bash script registers a completion that offers the
/// subcommands and `check`'s formats.
#[test]
fn bash_completion_completes() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("slsasync.bash");
    std::fs::write(&script, stdout_of(&["completions", "bash"])).unwrap();
    let probe = format!(
        r#"source '{}'
complete -p slsasync >/dev/null || exit 3
COMP_WORDS=(slsasync ""); COMP_CWORD=1; COMP_LINE="slsasync "; COMP_POINT=${{#COMP_LINE}}
_slsasync slsasync "" slsasync; echo "top: ${{COMPREPLY[*]}}"
COMP_WORDS=(slsasync check --format ""); COMP_CWORD=3; COMP_LINE="slsasync check --format "; COMP_POINT=${{#COMP_LINE}}
_slsasync slsasync "" --format; echo "format: ${{COMPREPLY[*]}}"
"#,
        script.display()
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &probe])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let top = text.lines().find(|l| l.starts_with("top:")).unwrap();
    for sub in subcommands() {
        assert!(
            top.split_whitespace().any(|w| w == sub),
            "`{sub}` not offered: {top}"
        );
    }
    let format = text.lines().find(|l| l.starts_with("format:")).unwrap();
    for f in ["human", "short", "json", "sarif", "github"] {
        assert!(format.split_whitespace().any(|w| w == f), "{format}");
    }
}

#[test]
fn unknown_shell_is_a_usage_error() {
    bin()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("tcsh"))
        .stderr(predicates::str::contains("bash"));
}

fn man(args: &[&str]) -> String {
    let mut all = vec!["man"];
    all.extend_from_slice(args);
    stdout_of(&all)
}

#[test]
fn man_page_has_the_sections_of_a_man_page() {
    let page = man(&[]);
    let title = page.lines().find(|l| l.starts_with(".TH ")).unwrap();
    assert_eq!(
        title,
        format!(
            ".TH slsasync 1 \"\" \"slsasync {}\" \"slsasync manual\"",
            env!("CARGO_PKG_VERSION")
        )
    );
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH \"SEE ALSO\"",
        ".SH VERSION",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    for sub in subcommands() {
        assert!(
            page.contains(&format!("slsasync\\-{}", sub.replace('-', "\\-"))),
            "no page reference for {sub}"
        );
    }
    assert!(page.contains(Framework::V3.release()));
}

#[test]
fn each_subcommand_has_its_page() {
    for sub in subcommands() {
        let page = man(&[&sub]);
        let title = page.lines().find(|l| l.starts_with(".TH ")).unwrap();
        assert!(
            title.starts_with(&format!(".TH slsasync-{sub} 1 ")),
            "{title}"
        );
        assert!(page.contains(".SH SYNOPSIS") && page.contains(".SH \"EXIT STATUS\""));
        assert!(page.contains("\\fBslsasync\\fR(1)"), "{sub}: no SEE ALSO");
    }
    let check = man(&["check"]);
    for flag in ["fail\\-on", "select", "format"] {
        assert!(check.contains(flag), "check page lacks {flag}");
    }
}

#[test]
fn man_for_an_unknown_subcommand_says_which_exist() {
    bin()
        .args(["man", "chek"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("no subcommand `chek`"))
        .stderr(predicates::str::contains("did you mean `check`"));
}

/// The page renders without a warning, with `man` and with groff, where they
/// are installed (both are on Debian-based CI images).
#[test]
fn man_page_renders() {
    let pages = [man(&[]), man(&["check"])];
    let mut rendered = 0;
    if tool("groff") {
        for page in &pages {
            let mut child = Command::new("groff")
                .args(["-man", "-Tutf8", "-ww", "-z"])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(page.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "groff warnings:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        rendered += 1;
    } else {
        eprintln!("note: groff is not installed; the page is not rendered by groff");
    }
    if tool("man") {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("slsasync.1");
        std::fs::write(&file, &pages[0]).unwrap();
        let out = Command::new("man")
            .arg("-l")
            .arg(&file)
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("MANWIDTH", "100")
            .env("LC_ALL", "C.UTF-8")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        for heading in ["NAME", "SYNOPSIS", "EXIT STATUS", "SEE ALSO"] {
            assert!(
                text.contains(heading),
                "man -l output lacks {heading}:\n{text}"
            );
        }
        assert!(text.contains("slsasync-check(1)"), "{text}");
        rendered += 1;
    } else {
        eprintln!("note: man is not installed; the page is not rendered by man");
    }
    if rendered == 0 {
        eprintln!(
            "note: neither groff nor man is installed; only the page's sections were checked"
        );
    }
}
