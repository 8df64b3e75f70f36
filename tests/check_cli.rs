//! `slsasync check` end to end through the real binary: exit codes in every
//! format, `--fail-on`, `--exit-zero`, rule selection, `--strict`, inline
//! suppressions, `custom.slsasync` settings, directories, stdin, file order,
//! colour, character columns, and the README quick start.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

mod common;

use std::collections::BTreeSet;

use common::{Bin, Run, codes_and_lines, findings, read, run, workspace};
use serde_json::Value as Json;

const HEAD: &str = "service: demo\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  hello:\n    handler: handler.hello\n    events:\n";

/// A service whose one function has `events` (indented under `events:`).
fn service(events: &str) -> String {
    format!("{HEAD}{events}")
}

/// No finding at all.
fn clean() -> String {
    service("      - http:\n          path: /hello\n          method: get\n")
}

/// One info finding (SLS-CORS-004).
fn info_only() -> String {
    service("      - http:\n          path: /hello\n          method: get\n          cors: true\n")
}

/// One warning (SLS-PATH-003).
fn warning() -> String {
    service("      - http: GET hello\n")
}

/// One error (SLS-PATH-004).
fn error() -> String {
    service("      - http:\n          path: /hello\n          method: fetch\n")
}

const FORMATS: [&str; 5] = ["human", "short", "json", "sarif", "github"];

fn check_in(dir: &std::path::Path, args: &[&str]) -> Run {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    Bin::new(&all).dir(dir).run()
}

/// stdout must be well-formed in the machine formats whatever the exit code.
fn assert_parses(format: &str, r: &Run) {
    if matches!(format, "json" | "sarif") {
        r.json();
    }
}

#[test]
fn exit_codes_are_the_same_in_every_format() {
    let ws = workspace(&[
        ("clean.yml", &clean()),
        ("info.yml", &info_only()),
        ("warning.yml", &warning()),
        ("error.yml", &error()),
        ("broken.yml", "service: demo\nprovider: [aws\n"),
    ]);
    let cases: [(&[&str], i32); 13] = [
        (&["clean.yml"], 0),
        (&["info.yml"], 0),
        (&["warning.yml"], 1),
        (&["error.yml"], 1),
        (&["broken.yml"], 2),
        (&["missing.yml"], 2),
        (&["clean.yml", "broken.yml"], 2),
        (&["--exit-zero", "warning.yml", "error.yml"], 0),
        (&["--exit-zero", "broken.yml"], 2),
        (&["--fail-on", "info", "info.yml"], 1),
        (&["--fail-on", "error", "warning.yml"], 0),
        (&["--fail-on", "error", "error.yml"], 1),
        (&["--fail-on", "warning", "info.yml", "warning.yml"], 1),
    ];
    let mut errors = Vec::new();
    for format in FORMATS {
        for (args, want) in &cases {
            let mut all = vec!["--format", format];
            all.extend_from_slice(args);
            let r = check_in(ws.path(), &all);
            if r.code != *want {
                errors.push(format!(
                    "--format {format} {args:?}: exit {} (expected {want})\n{}{}",
                    r.code, r.stdout, r.stderr
                ));
            }
            assert_parses(format, &r);
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn a_file_that_cannot_be_checked_is_reported_in_the_format_with_its_place() {
    let ws = workspace(&[
        ("broken.yml", "service: demo\nprovider: [aws\n"),
        ("warning.yml", &warning()),
        ("serverless.js", "module.exports = { service: 'demo' };\n"),
    ]);
    let short = check_in(
        ws.path(),
        &["--format", "short", "broken.yml", "warning.yml"],
    );
    short.expect_code(2);
    assert!(
        short.stdout.contains("broken.yml:2:11: fatal: "),
        "{}",
        short.stdout
    );
    // The other file is still checked and reported.
    assert!(
        short
            .stdout
            .contains("warning.yml:9:15: warning[SLS-PATH-003]"),
        "{}",
        short.stdout
    );
    assert!(
        short.stdout.contains("1 file could not be checked"),
        "{}",
        short.stdout
    );

    let json = check_in(ws.path(), &["--format", "json", "broken.yml"]).json();
    let error = &json["files"][0]["error"];
    assert_eq!(error["location"]["line"], 2);
    assert_eq!(error["location"]["column"], 11);
    assert!(error["message"].as_str().unwrap().contains('['));

    let sarif = check_in(ws.path(), &["--format", "sarif", "broken.yml"]).json();
    let inv = &sarif["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    assert_eq!(inv["toolExecutionNotifications"][0]["level"], "error");

    let github = check_in(ws.path(), &["--format", "github", "broken.yml"]);
    assert!(
        github
            .stdout
            .starts_with("::error file=broken.yml,line=2,col=11,"),
        "{}",
        github.stdout
    );

    let human = check_in(ws.path(), &["broken.yml"]);
    assert!(human.stdout.contains("broken.yml:2:11"), "{}", human.stdout);
    assert!(human.stdout.contains("help:"), "{}", human.stdout);

    let code = Bin::new(&["check", "serverless.js"]).dir(ws.path()).run();
    code.expect_code(2);
    assert!(code.stdout.contains("not supported"), "{}", code.stdout);
}

/// A config with findings of several rules and areas.
fn several_rules() -> String {
    service(
        "      - http:\n          path: /jobs\n          method: post\n          async: 'yes'\n      - http: GET hello\n",
    )
}

fn rules_of(report: &Json) -> BTreeSet<String> {
    findings(report)
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_owned())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn select_and_ignore_by_code_prefix_and_name() {
    let ws = workspace(&[("serverless.yml", &several_rules())]);
    let json = |args: &[&str]| {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let r = check_in(ws.path(), &all);
        assert!(r.code < 2, "{args:?}: {}{}", r.stdout, r.stderr);
        rules_of(&r.json())
    };
    let all = json(&[]);
    assert_eq!(
        all,
        set(&[
            "SLS-ASYNC-001",
            "SLS-ASYNC-005",
            "SLS-ASYNC-006",
            "SLS-ASYNC-007",
            "SLS-PATH-003",
            "SLS-REQ-003"
        ])
    );
    assert_eq!(
        json(&["--select", "SLS-ASYNC-005"]),
        set(&["SLS-ASYNC-005"])
    );
    assert_eq!(
        json(&["--select", "sls-async-005"]),
        set(&["SLS-ASYNC-005"])
    );
    assert_eq!(
        json(&["--select", "async-value-not-boolean"]),
        set(&["SLS-ASYNC-005"])
    );
    assert_eq!(
        json(&["--select", "SLS-ASYNC"]),
        set(&[
            "SLS-ASYNC-001",
            "SLS-ASYNC-005",
            "SLS-ASYNC-006",
            "SLS-ASYNC-007"
        ])
    );
    assert_eq!(
        json(&["--select", "SLS-ASYNC-005,shorthand-malformed"]),
        set(&["SLS-ASYNC-005", "SLS-PATH-003"])
    );
    assert_eq!(
        json(&["--select", "SLS-ASYNC-005", "--select", "SLS-PATH"]),
        set(&["SLS-ASYNC-005", "SLS-PATH-003"])
    );
    assert_eq!(
        json(&["--ignore", "SLS-ASYNC"]),
        set(&["SLS-PATH-003", "SLS-REQ-003"])
    );
    assert_eq!(
        json(&["--ignore", "shorthand-malformed,SLS-REQ-003"]),
        set(&[
            "SLS-ASYNC-001",
            "SLS-ASYNC-005",
            "SLS-ASYNC-006",
            "SLS-ASYNC-007"
        ])
    );
    assert_eq!(
        json(&[
            "--select",
            "SLS-ASYNC",
            "--ignore",
            "SLS-ASYNC-006,async-without-failure-destination"
        ]),
        set(&["SLS-ASYNC-001", "SLS-ASYNC-005"])
    );
    // Selection changes the exit code: only infos left.
    let infos = check_in(ws.path(), &["--select", "SLS-ASYNC-006,SLS-REQ-003"]);
    infos.expect_code(0);
}

#[test]
fn an_unknown_selector_is_exit_2_with_a_message() {
    let ws = workspace(&[("serverless.yml", &several_rules())]);
    for (flag, value, suggestion) in [
        ("--select", "SLS-ASYNC-01", Some("SLS-ASYNC-001")),
        (
            "--ignore",
            "async-without-integratoin",
            Some("async-without-integration"),
        ),
        ("--select", "SLS-NOPE", None),
    ] {
        for format in FORMATS {
            let r = check_in(ws.path(), &["--format", format, flag, value]);
            r.expect_code(2);
            assert!(r.stdout.is_empty(), "{}", r.stdout);
            assert!(
                r.stderr.contains(&format!("unknown rule `{value}`")),
                "{}",
                r.stderr
            );
            assert!(r.stderr.contains("slsasync rules"), "{}", r.stderr);
            if let Some(s) = suggestion {
                assert!(
                    r.stderr.contains(&format!("did you mean `{s}`")),
                    "{}",
                    r.stderr
                );
            }
        }
    }
}

#[test]
fn strict_reports_the_values_rules_could_not_check() {
    let text = service(concat!(
        "      - http:\n",
        "          path: /jobs\n",
        "          method: post\n",
        "          async: ${ssm:/jobs/async}\n",
        "      - http:\n",
        "          path: /hooks\n",
        "          method: post\n",
        "          async: true\n",
        "          integration: ${ssm:/hooks/integration}\n",
    ));
    let ws = workspace(&[("serverless.yml", &text)]);
    // Without --strict: the rules that need these values stay silent.
    let plain = check_in(ws.path(), &["--format", "json"]);
    let report = plain.json();
    let found = codes_and_lines(&report);
    assert!(
        !found
            .iter()
            .any(|(c, _)| c == "SLS-ASYNC-001" || c == "SLS-VAR-001"),
        "{found:?}"
    );
    // With --strict: each opaque value is reported where it is written.
    let strict = check_in(ws.path(), &["--format", "json", "--strict"]).json();
    let vars: Vec<(u64, u64)> = findings(&strict)
        .iter()
        .filter(|f| f["rule"] == "SLS-VAR-001")
        .map(|f| (f["line"].as_u64().unwrap(), f["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(vars, [(12, 18), (17, 24)]);
    assert!(
        findings(&strict)
            .iter()
            .all(|f| f["rule"] != "SLS-ASYNC-001")
    );
    // They are infos: failing only with --fail-on info.
    check_in(ws.path(), &["--strict", "--select", "SLS-VAR"]).expect_code(0);
    check_in(
        ws.path(),
        &["--strict", "--select", "SLS-VAR", "--fail-on", "info"],
    )
    .expect_code(1);
}

#[test]
fn inline_suppressions() {
    let text = service(concat!(
        "      - http:\n",                                           // 9
        "          path: /a\n",                                      // 10
        "          method: post\n",                                  // 11
        "          async: true # slsasync: ignore[SLS-ASYNC-001]\n", // 12
        "      - http: # slsasync: ignore[async-without-integration, SLS-ASYNC-006] fire and forget\n", // 13
        "          path: /b\n",     // 14
        "          method: post\n", // 15
        "          async: true\n",  // 16
        "      - http:\n",          // 17
        "          path: /c\n",     // 18
        "          method: post\n", // 19
        "          async: true # 非同期 # slsasync: ignore[SLS-ASYNC-001]\n", // 20
        "      - http:\n",          // 21
        "          path: /d\n",     // 22
        "          method: get # slsasync: ignore[SLS-ASYNC-001]\n", // 23
        "      - http:\n",          // 24
        "          path: /e\n",     // 25
        "          method: get # slsasync: ignore[SLS-ASYNC-01]\n", // 26
    ));
    let ws = workspace(&[("serverless.yml", &text)]);
    let report = check_in(ws.path(), &["--format", "json"]).json();
    let found = codes_and_lines(&report);
    let of = |code: &str| -> Vec<u64> {
        found
            .iter()
            .filter(|(c, _)| c == code)
            .map(|(_, l)| *l)
            .collect()
    };
    // By code on the finding's line, by name and with a reason on the event's
    // line, after another comment.
    assert_eq!(of("SLS-ASYNC-001"), Vec::<u64>::new(), "{found:?}");
    // Only the rules named are silenced: 006 stays on /a and /c, not on /b.
    assert_eq!(of("SLS-ASYNC-006"), [12, 20], "{found:?}");
    assert_eq!(of("SLS-SUPPRESS-002"), [23], "{found:?}");
    assert_eq!(of("SLS-SUPPRESS-001"), [26], "{found:?}");
    assert_eq!(report["summary"]["suppressed"], 4);
    let unknown = findings(&report)
        .into_iter()
        .find(|f| f["rule"] == "SLS-SUPPRESS-001")
        .unwrap();
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .contains("`SLS-ASYNC-01`")
    );
    assert!(
        unknown["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `SLS-ASYNC-001`")
    );
    // The summary line counts them.
    let human = check_in(ws.path(), &[]);
    assert!(human.stdout.contains("; 4 suppressed."), "{}", human.stdout);
    // A suppression of a rule that is not selected is not "unused".
    let only_path = check_in(
        ws.path(),
        &["--format", "json", "--select", "SLS-PATH,SLS-SUPPRESS"],
    )
    .json();
    assert_eq!(
        rules_of(&only_path),
        set(&["SLS-SUPPRESS-001"]),
        "{only_path}"
    );
}

#[test]
fn custom_slsasync_settings() {
    let events = "      - http:\n          path: /jobs\n          method: post\n          async: true\n          integration: lambda\n";
    let base = service(events);
    // Without settings: SLS-ASYNC-006/007 and SLS-REQ-003, all infos.
    let ws = workspace(&[("serverless.yml", &base)]);
    let r = check_in(ws.path(), &["--format", "json"]);
    r.expect_code(0);
    assert_eq!(
        rules_of(&r.json()),
        set(&["SLS-ASYNC-006", "SLS-ASYNC-007", "SLS-REQ-003"])
    );

    let settings = "custom:\n  slsasync:\n    framework: 1\n    ignore: [SLS-REQ, async-without-failure-destination]\n    severity:\n      async-default-status-200: error\n";
    let ws = workspace(&[("serverless.yml", &format!("{settings}{base}"))]);
    let r = check_in(ws.path(), &["--format", "json"]);
    r.expect_code(1);
    let report = r.json();
    assert_eq!(rules_of(&report), set(&["SLS-ASYNC-006"]));
    assert_eq!(findings(&report)[0]["severity"], "error");
    assert_eq!(report["files"][0]["framework"], "1.83.3");
    // --framework wins over the setting.
    let r = check_in(ws.path(), &["--format", "json", "--framework", "3"]).json();
    assert_eq!(r["files"][0]["framework"], "3.40.0");
    // `off` and the CLI selection compose with the settings.
    let off = "custom:\n  slsasync:\n    severity:\n      SLS-ASYNC: off\n";
    let ws_off = workspace(&[("serverless.yml", &format!("{off}{base}"))]);
    let r = check_in(ws_off.path(), &["--format", "json"]).json();
    assert_eq!(rules_of(&r), set(&["SLS-REQ-003"]));

    // Schema errors in the settings are findings at the offending key or value.
    let bad = "custom:\n  slsasync:\n    framework: 5\n    ignore: SLS-ASYNC-006\n    severity:\n      SLS-ASYNC-006: loud\n      SLS-ASYNC-099: off\n    ignores: []\n";
    let ws_bad = workspace(&[("serverless.yml", &format!("{bad}{base}"))]);
    let r = check_in(ws_bad.path(), &["--format", "json", "--select", "SLS-CONF"]);
    r.expect_code(1);
    let conf: Vec<(u64, u64, String, String)> = findings(&r.json())
        .iter()
        .map(|f| {
            (
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let places: Vec<(u64, u64)> = conf.iter().map(|c| (c.0, c.1)).collect();
    assert_eq!(
        places,
        [(3, 16), (4, 13), (6, 22), (7, 7), (8, 5)],
        "{conf:#?}"
    );
    assert!(conf.iter().all(|c| c.3 == "error"), "{conf:#?}");
    assert!(
        conf[0].2.contains("expected one of 1, 2, 3, osls"),
        "{conf:#?}"
    );
    assert!(conf[1].2.contains("expected a list"), "{conf:#?}");
    assert!(
        conf[2]
            .2
            .contains("expected one of error, warning, info, off"),
        "{conf:#?}"
    );
    assert!(
        conf[3].2.contains("unknown rule `SLS-ASYNC-099`"),
        "{conf:#?}"
    );
    assert!(
        conf[4].2.contains("unknown property 'ignores'"),
        "{conf:#?}"
    );
}

#[test]
fn directories_skip_dependencies_build_output_and_gitignored_files() {
    let ws = workspace(&[
        ("svc-b/serverless.yml", &warning()),
        ("svc-a/serverless.yaml", &warning()),
        (
            "svc-c/serverless.json",
            "{\"service\": \"json-svc\", \"provider\": {\"name\": \"aws\"}}",
        ),
        ("svc-a/node_modules/dep/serverless.yml", &error()),
        ("svc-b/.serverless/serverless.yml", &error()),
        ("generated/serverless.yml", &error()),
        (".gitignore", "generated/\n"),
        ("svc-b/notes.yml", &error()),
    ]);
    let r = check_in(ws.path(), &["--format", "json", "."]);
    r.expect_code(1);
    let files: Vec<String> = r.json()["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap().replace('\\', "/"))
        .collect();
    assert_eq!(
        files,
        [
            "./svc-a/serverless.yaml",
            "./svc-b/serverless.yml",
            "./svc-c/serverless.json"
        ]
    );
    // Nothing found under a directory is a usage error.
    let empty = workspace(&[("README.md", "nothing here\n")]);
    let r = check_in(empty.path(), &["."]);
    r.expect_code(2);
    assert!(r.stderr.contains("no serverless.yml"), "{}", r.stderr);
    // No argument: the config of the current directory.
    let r = check_in(&ws.path().join("svc-b"), &["--format", "short"]);
    r.expect_code(1);
    assert!(
        r.stdout
            .starts_with("serverless.yml:9:15: warning[SLS-PATH-003]"),
        "{}",
        r.stdout
    );
}

#[test]
fn several_files_keep_the_order_given() {
    let ws = workspace(&[
        ("a/serverless.yml", &warning()),
        ("b/serverless.yml", &error()),
        ("c/serverless.yml", &info_only()),
    ]);
    let args = [
        "--format",
        "short",
        "c/serverless.yml",
        "a/serverless.yml",
        "b/serverless.yml",
    ];
    let first = check_in(ws.path(), &args);
    first.expect_code(1);
    let order: Vec<&str> = first
        .stdout
        .lines()
        .filter_map(|l| l.split(':').next())
        .filter(|f| f.ends_with(".yml"))
        .collect();
    assert_eq!(
        order,
        ["c/serverless.yml", "a/serverless.yml", "b/serverless.yml"]
    );
    for _ in 0..3 {
        assert_eq!(check_in(ws.path(), &args).stdout, first.stdout);
    }
}

#[test]
fn stdin_with_a_file_name() {
    let r = Bin::new(&[
        "check",
        "--format",
        "short",
        "-",
        "--stdin-filename",
        "services/api/serverless.yml",
    ])
    .stdin(&warning())
    .run();
    r.expect_code(1);
    assert!(
        r.stdout
            .starts_with("services/api/serverless.yml:9:15: warning[SLS-PATH-003]"),
        "{}",
        r.stdout
    );
    let clean = Bin::new(&["check", "-", "--format", "json"])
        .stdin(&clean())
        .run();
    clean.expect_code(0);
    assert_eq!(clean.json()["files"][0]["file"], "serverless.yml");
    let broken = Bin::new(&["check", "-"]).stdin("a: [").run();
    broken.expect_code(2);
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let ws = workspace(&[("serverless.yml", &warning())]);
    let esc = |r: &Run| r.stdout.contains('\u{1b}');
    let run_with = |args: &[&str], no_color: Option<&str>| {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        let mut b = Bin::new(&all).dir(ws.path());
        if let Some(v) = no_color {
            b = b.env("NO_COLOR", v);
        }
        b.run()
    };
    // Not a terminal: no colour unless asked for.
    assert!(!esc(&run_with(&[], None)));
    assert!(esc(&run_with(&["--color", "always"], None)));
    assert!(!esc(&run_with(&["--color", "never"], None)));
    assert!(!esc(&run_with(&["--color", "auto"], Some("1"))));
    // An explicit request wins over NO_COLOR.
    assert!(esc(&run_with(&["--color", "always"], Some("1"))));
    // Machine formats never carry escapes.
    for format in ["short", "json", "sarif", "github"] {
        assert!(
            !esc(&run_with(&["--color", "always", "--format", format], None)),
            "{format}"
        );
    }
}

/// 1-based character column of byte offset `at` in `text`.
fn char_column(text: &str, at: usize) -> u64 {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at].chars().count() as u64 + 1
}

#[test]
fn columns_count_characters_not_bytes() {
    let text = concat!(
        "# 注文サービスの設定\n",
        "service: orders # サービス名\n",
        "provider:\n",
        "  name: aws\n",
        "  runtime: nodejs20.x\n",
        "functions:\n",
        "  create:\n",
        "    handler: handler.create # ハンドラー\n",
        "    events:\n",
        "      # 非同期で受け付ける\n",
        "      - http: {operationId: 注文を受け付ける, path: /orders, method: post, integration: lambda, async: 'はい'}\n",
    );
    let ws = workspace(&[("serverless.yml", text)]);
    let at = text.find("'はい'").unwrap();
    let column = char_column(text, at);
    let end_column = column + "'はい'".chars().count() as u64;
    assert_ne!(
        column as usize,
        at - text[..at].rfind('\n').unwrap(),
        "the test needs multi-byte text before the finding"
    );

    let report = check_in(
        ws.path(),
        &["--format", "json", "--select", "SLS-ASYNC-005"],
    )
    .json();
    let f = &findings(&report)[0];
    assert_eq!(f["line"], 11);
    assert_eq!(f["column"], column);
    assert_eq!(f["end_line"], 11);
    assert_eq!(f["end_column"], end_column);
    assert_eq!(f["offset"], at);
    assert_eq!(f["length"], "'はい'".len());

    let short = check_in(
        ws.path(),
        &["--format", "short", "--select", "SLS-ASYNC-005"],
    );
    assert!(
        short.stdout.starts_with(&format!(
            "serverless.yml:11:{column}: warning[SLS-ASYNC-005]"
        )),
        "{}",
        short.stdout
    );
    let github = check_in(
        ws.path(),
        &["--format", "github", "--select", "SLS-ASYNC-005"],
    );
    assert!(
        github.stdout.contains(&format!(
            "line=11,col={column},endLine=11,endColumn={end_column},"
        )),
        "{}",
        github.stdout
    );
    let sarif = check_in(
        ws.path(),
        &["--format", "sarif", "--select", "SLS-ASYNC-005"],
    )
    .json();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"], column);
    assert_eq!(region["endColumn"], end_column);
    let human = check_in(ws.path(), &["--select", "SLS-ASYNC-005"]);
    assert!(
        human
            .stdout
            .contains(&format!("serverless.yml:11:{column}]")),
        "{}",
        human.stdout
    );
}

#[test]
fn frameworkversion_allowing_v4_is_checked_as_v3_with_a_note() {
    let text = format!("frameworkVersion: '>=3'\n{}", clean());
    let ws = workspace(&[("serverless.yml", &text)]);
    let report = check_in(ws.path(), &["--format", "json"]).json();
    assert_eq!(report["files"][0]["framework"], "3.40.0");
    let notes = report["files"][0]["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n.as_str().unwrap().contains('4')),
        "{notes:?}"
    );
    let human = check_in(ws.path(), &[]);
    human.expect_code(0);
    assert!(
        human.stdout.contains("note: serverless.yml: "),
        "{}",
        human.stdout
    );
}

#[test]
fn other_providers_are_not_checked_as_api_gateway() {
    // For `provider: google` the http event names a trigger, not a route.
    let text = "service: fn\nprovider:\n  name: google\n  runtime: nodejs20\nfunctions:\n  first:\n    handler: http\n    events:\n      - http: path\n";
    let ws = workspace(&[("serverless.yml", text)]);
    let r = check_in(ws.path(), &["--format", "json"]);
    r.expect_code(0);
    let report = r.json();
    assert_eq!(findings(&report), Vec::<Json>::new());
    let notes = report["files"][0]["notes"].as_array().unwrap();
    assert!(notes[0].as_str().unwrap().contains("`google`"), "{notes:?}");
    // The framework's own version check still applies.
    let pinned = format!("frameworkVersion: '>=1.0.0 <2.0.0'\n{text}");
    let ws = workspace(&[("serverless.yml", &pinned)]);
    let r = check_in(ws.path(), &["--format", "json", "--framework", "3"]);
    r.expect_code(1);
    assert_eq!(rules_of(&r.json()), set(&["SLS-FW-002"]));
}

/// The README's quick start: the first `check` command of its first shell
/// block runs, fails on the seed's findings and says why.
#[test]
fn readme_quick_start() {
    let readme = read("README.md");
    let quick = readme
        .split("## Quick start")
        .nth(1)
        .expect("README.md has a Quick start section");
    let line = quick
        .lines()
        .find(|l| l.contains(" check "))
        .expect("the quick start runs `check`");
    let args: Vec<&str> = line
        .split_once(" check ")
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap();
    assert_eq!(args, ["fixtures/seed/serverless.yml"], "{line}");
    let mut all = vec!["check"];
    all.extend(&args);
    let r = run(&all);
    // The seed's range allows releases that ignore `async`, and its async
    // endpoint relies on the framework switching the integration.
    r.expect_code(1);
    for needle in [
        "SLS-ASYNC-004(async-on-old-framework)",
        "frameworkVersion: '>=1.28.0 <2.0.0'",
        "SLS-ASYNC-001(async-without-integration)",
        "fixtures/seed/serverless.yml:30:18",
        "run `slsasync explain SLS-ASYNC-004` for details",
        "Found 4 findings (2 warnings, 2 infos) in 1 file.",
    ] {
        assert!(
            r.stdout.contains(needle),
            "missing {needle:?} in\n{}",
            r.stdout
        );
    }
}

// ---------------------------------------------------------------------------
// Output formats: snapshots, the SARIF schema, the documented JSON fields.

/// The files the format snapshots are taken on, copied into a scratch
/// directory and named by absolute path (redacted to `[DIR]`).
fn snapshot_corpus() -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    vec![
        (
            "seed",
            vec![("serverless.yml", read("fixtures/seed/serverless.yml"))],
        ),
        (
            "formats",
            vec![(
                "serverless.yml",
                read("fixtures/check/formats/serverless.yml"),
            )],
        ),
        (
            "several",
            vec![
                ("a/serverless.yml", clean()),
                (
                    "b/serverless.yml",
                    "service: demo\nprovider: [aws\n".to_owned(),
                ),
                (
                    "c/serverless.yml",
                    format!("frameworkVersion: '>=3'\n{}", warning()),
                ),
            ],
        ),
    ]
}

/// Run `check` on a corpus entry: the redacted exit code and stdout.
fn run_corpus(files: &[(&str, String)], format: &str) -> (i32, String) {
    let owned: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let ws = workspace(&owned);
    let paths: Vec<String> = files
        .iter()
        .map(|(n, _)| ws.path().join(n).display().to_string())
        .collect();
    let mut args = vec!["check", "--format", format];
    args.extend(paths.iter().map(String::as_str));
    let r = Bin::new(&args).run();
    (r.code, common::redact(&r.stdout, ws.path()))
}

#[test]
fn format_snapshots() {
    for (case, files) in snapshot_corpus() {
        for format in FORMATS {
            let (code, out) = run_corpus(&files, format);
            insta::assert_snapshot!(format!("{case}__{format}"), format!("exit: {code}\n{out}"));
        }
    }
}

#[test]
fn sarif_is_valid_sarif_2_1_0() {
    let mut schema: Json =
        serde_json::from_str(&read("tests/data/sarif-2.1.0-rtm.5.json")).unwrap();
    // The official schema's `language` patterns end in a lone `]`, a literal
    // in JavaScript's legacy regex syntax that Rust's regex (and ECMAScript's
    // `u` mode) reject. Escaping it keeps its meaning; slsasync never writes
    // `language`.
    let language = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    let mut patched = 0;
    for p in ["run", "toolComponent"] {
        let slot = schema
            .pointer_mut(&format!("/definitions/{p}/properties/language/pattern"))
            .unwrap();
        assert_eq!(slot, language);
        *slot = Json::from(language.replace("]?$", "\\]?$"));
        patched += 1;
    }
    assert_eq!(
        read("tests/data/sarif-2.1.0-rtm.5.json")
            .matches(language)
            .count(),
        patched
    );
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    let mut outputs: Vec<(String, Json)> = snapshot_corpus()
        .into_iter()
        .map(|(case, files)| {
            let (_, out) = run_corpus(&files, "sarif");
            (case.to_owned(), serde_json::from_str(&out).unwrap())
        })
        .collect();
    // Every rule's bad fixture, and a file that cannot be read.
    for entry in std::fs::read_dir(common::root().join("fixtures/rules")).unwrap() {
        let dir = entry.unwrap().path();
        let bad = dir.join("bad.yml").display().to_string();
        let r = run(&["check", "--format", "sarif", "--strict", &bad]);
        outputs.push((bad, r.json()));
    }
    outputs.push((
        "missing".to_owned(),
        run(&["check", "--format", "sarif", "missing.yml"]).json(),
    ));
    // The validator does reject what is not SARIF.
    let mut broken = outputs[1].1.clone();
    broken["runs"][0]["results"][0]["level"] = Json::from("fatal");
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Json::from(0);
    assert_eq!(validator.iter_errors(&broken).count(), 2);
    for (name, doc) in &outputs {
        let errors: Vec<String> = validator
            .iter_errors(doc)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{name}: not valid SARIF 2.1.0:\n{}",
            errors.join("\n")
        );
        // Beyond the schema: rules are those that fired, results point into them.
        let run = &doc["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for result in run["results"].as_array().unwrap() {
            let i = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], result["ruleId"], "{name}");
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert!(region["startLine"].as_u64().unwrap() >= 1, "{name}");
            assert!(region["startColumn"].as_u64().unwrap() >= 1, "{name}");
        }
        let fired: BTreeSet<&str> = run["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["ruleId"].as_str().unwrap())
            .collect();
        let listed: BTreeSet<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(fired, listed, "{name}");
    }
}

/// `(path, allowed types)` of every field in the table of docs/json-output.md.
fn documented_fields() -> Vec<(String, BTreeSet<String>)> {
    let doc = read("docs/json-output.md");
    doc.lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let path = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            let types = cells.get(2)?.split(" or ").map(str::to_owned).collect();
            Some((path.to_owned(), types))
        })
        .collect()
}

fn json_type(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(n) if n.is_u64() || n.is_i64() => "integer",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// Every field path (arrays as `[]`) with the types seen there.
fn observe(v: &Json, path: &str, out: &mut std::collections::BTreeMap<String, BTreeSet<String>>) {
    if !path.is_empty() {
        out.entry(path.to_owned())
            .or_default()
            .insert(json_type(v).to_owned());
    }
    match v {
        Json::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                observe(x, &p, out);
            }
        }
        Json::Array(items) => {
            for x in items.iter().filter(|x| x.is_object()) {
                for (k, y) in x.as_object().unwrap() {
                    observe(y, &format!("{path}[].{k}"), out);
                }
            }
        }
        _ => {}
    }
}

#[test]
fn json_output_has_the_documented_fields() {
    let documented = documented_fields();
    assert!(
        documented.len() > 40,
        "the field table of docs/json-output.md was not read"
    );
    let mut seen = std::collections::BTreeMap::new();
    let mut reports = Vec::new();
    for (_, files) in snapshot_corpus() {
        let (_, out) = run_corpus(&files, "json");
        reports.push(serde_json::from_str::<Json>(&out).unwrap());
    }
    for bad in ["SLS-ASYNC-007", "SLS-ASYNC-001", "SLS-SCHEMA-002"] {
        let p = format!("fixtures/rules/{bad}/bad.yml");
        reports.push(run(&["check", "--format", "json", &p]).json());
    }
    reports.push(run(&["check", "--format", "json", "missing.yml"]).json());
    for r in &reports {
        observe(r, "", &mut seen);
        assert_eq!(r["version"], 1);
    }
    let mut errors = Vec::new();
    for (path, types) in &seen {
        match documented.iter().find(|(p, _)| p == path) {
            None => errors.push(format!("`{path}` is in the output but not documented")),
            Some((_, allowed)) => {
                for t in types.difference(allowed) {
                    errors.push(format!("`{path}` is {t}; documented as {allowed:?}"));
                }
            }
        }
    }
    for (path, _) in &documented {
        if !seen.contains_key(path) {
            errors.push(format!("`{path}` is documented but never in the output"));
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The framework release in force, per file.
    assert_eq!(reports[0]["files"][0]["framework"], "1.83.3");
    assert_eq!(reports[1]["files"][0]["framework"], "3.40.0");
    assert_eq!(reports[2]["files"][1]["framework"], Json::Null);
}

#[test]
fn json_output_example_in_the_docs_is_what_the_binary_prints() {
    let doc = read("docs/json-output.md");
    let config = doc
        .split("```yaml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap();
    let example: Json = serde_json::from_str(
        doc.split("```json\n")
            .nth(1)
            .and_then(|b| b.split("```").next())
            .unwrap(),
    )
    .unwrap();
    let ws = workspace(&[("serverless.yml", config)]);
    let mut got = check_in(ws.path(), &["--format", "json", "serverless.yml"]).json();
    got["tool"]["version"] = example["tool"]["version"].clone();
    assert_eq!(got, example);
}

#[test]
fn shape_checks_point_at_the_key_or_value_and_suggest() {
    let text = concat!(
        "service: shop\n",
        "configValidationMode: warnn\n",
        "provider:\n",
        "  name: aws\n",
        "  runtime: nodejs20.x\n",
        "  apiGateway:\n",
        "    minimumCompresionSize: 1024\n",
        "    shouldStartNameWithService: maybe\n",
        "    usagePlan:\n",
        "      quota:\n",
        "        limit: 10\n",
        "        period: MONTHS\n",
        "plugins:\n",
        "  - serverless-offline\n",
        "serverless-offline:\n",
        "  httpPort: 4000\n",
        "custom:\n",
        "  anything: {goes: [1]}\n",
        "  webpack: {includeModules: true}\n",
        "functions:\n",
        "  hello:\n",
        "    handler: h.hello\n",
        "    events:\n",
        "      - http:\n",
        "          path: /hello\n",
        "          method: get\n",
        "          asnyc: true\n",
    );
    let ws = workspace(&[("serverless.yml", text)]);
    let report = check_in(ws.path(), &["--format", "json"]).json();
    let got: Vec<(String, u64, u64, String, String)> = findings(&report)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_owned(),
                f["help"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let want: [(&str, u64, u64, &str, &str); 5] = [
        (
            "SLS-SCHEMA-002",
            2,
            23,
            "expected one of error, warn, off",
            "did you mean `warn`?",
        ),
        (
            "SLS-SCHEMA-004",
            7,
            5,
            "unknown property 'minimumCompresionSize'",
            "did you mean `minimumCompressionSize`?",
        ),
        (
            "SLS-SCHEMA-001",
            8,
            33,
            "expected a boolean, found a string",
            "`true` or `false`",
        ),
        (
            "SLS-SCHEMA-002",
            12,
            17,
            "expected one of DAY, WEEK, MONTH",
            "did you mean `MONTH`?",
        ),
        (
            "SLS-KEY-001",
            27,
            11,
            "Unknown property `asnyc`",
            "rename `asnyc` to `async`",
        ),
    ];
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!((g.0.as_str(), g.1, g.2), (w.0, w.1, w.2), "{got:#?}");
        assert!(g.3.contains(w.3), "{:?} lacks {:?}", g.3, w.3);
        assert!(g.4.contains(w.4), "{:?} lacks {:?}", g.4, w.4);
    }
}

#[test]
fn schema_command_prints_the_schema_editors_use() {
    let r = run(&["schema"]);
    r.expect_code(0);
    assert_eq!(r.stdout, read("schemas/serverless-http.schema.json"));
    let schema = r.json();
    assert!(
        schema["$schema"]
            .as_str()
            .unwrap()
            .contains("json-schema.org")
    );
    assert!(
        schema
            .pointer("/definitions/slsasync/properties/severity")
            .is_some()
    );
}
