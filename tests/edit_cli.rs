//! `make-async` / `make-sync` through the real binary, on every file of
//! `fixtures/edit/` and the two seed configs of `fixtures/seed/`:
//!
//! * the diff of every transform of every function (insta snapshots);
//! * a second run changes nothing (idempotence);
//! * make-async then make-sync with the event's original options (and the
//!   reverse for asynchronous events) gives the same CloudFormation;
//! * `--check`, `--dry-run`, `--format json`;
//! * refusals (unknown function, no http event, ambiguous event, values
//!   shared through anchors, merges, variables and includes): exit 2 naming
//!   the place, the file untouched byte for byte, mtime included;
//! * the seed article's two configs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde_json::Value as Json;
use slsasync::load::{self, LoadOptions};

const EPOCH_SECONDS: &str = "1704067200";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixtures the transforms are tried on (relative to the crate root).
const FIXTURES: [&str; 15] = [
    "fixtures/edit/anchors.yml",
    "fixtures/edit/bom-nonl.yml",
    "fixtures/edit/crlf-four.yml",
    "fixtures/edit/crlf-tabs.yml",
    "fixtures/edit/flow.yml",
    "fixtures/edit/four.yml",
    "fixtures/edit/include/serverless.yml",
    "fixtures/edit/japanese.yml",
    "fixtures/edit/merge.yml",
    "fixtures/edit/mixed.yml",
    "fixtures/edit/shorthand.yml",
    "fixtures/edit/variables.yml",
    "fixtures/edit/quoting.yml",
    "fixtures/seed/serverless.yml",
    "fixtures/seed/serverless-sync.yml",
];

const TRANSFORMS: [(&str, &[&str]); 3] = [
    ("make-async", &["make-async"]),
    ("make-sync", &["make-sync"]),
    ("make-sync-proxy", &["make-sync", "--proxy"]),
];

/// A copy of a fixture (and the files beside it, for includes) in a temporary directory.
struct Copy {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    file: PathBuf,
    name: String,
}

fn copy(rel: &str) -> Copy {
    let src = root().join(rel);
    let dir = tempfile::tempdir().unwrap();
    let from = src.parent().unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.path().is_file() {
            std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
        }
    }
    let name = src.file_name().unwrap().to_string_lossy().into_owned();
    Copy {
        dir: dir.path().to_path_buf(),
        file: dir.path().join(&name),
        name,
        _dir: dir,
    }
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn slsasync(dir: &Path, args: &[&str]) -> Run {
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_slsasync"))
        .args(args)
        .env_clear()
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", EPOCH_SECONDS)
        .current_dir(dir)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    let r = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        r.code.is_some() && r.code != Some(101),
        "crashed: {args:?}\n{}",
        r.stderr
    );
    r
}

/// Bytes and modification time.
fn state(p: &Path) -> (Vec<u8>, SystemTime) {
    (
        std::fs::read(p).unwrap(),
        std::fs::metadata(p).unwrap().modified().unwrap(),
    )
}

/// Function names with http events, in file order.
fn functions(path: &Path) -> Vec<String> {
    let config = load::load(path, &LoadOptions::default()).unwrap();
    let mut out: Vec<String> = Vec::new();
    for e in slsasync::model::http_events(&config.root) {
        if !out.iter().any(|f| f == e.function) {
            out.push(e.function.to_owned());
        }
    }
    out
}

/// The diff part of the human output (the CloudFormation follows a blank line).
fn diff_part(stdout: &str) -> &str {
    match stdout.find("\n\n{") {
        Some(i) => &stdout[..=i],
        None => stdout,
    }
}

/// Line endings and a BOM made visible for the snapshots.
fn visible(s: &str) -> String {
    s.replace('\r', "␍").replace('\u{feff}', "<BOM>")
}

/// The text without whitespace and frame characters: messages compare
/// however miette wraps them.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !"│╰─╭×·▶├".contains(*c))
        .collect()
}

fn snapshot_name(rel: &str, function: &str, transform: &str) -> String {
    let stem = rel
        .trim_start_matches("fixtures/")
        .trim_end_matches(".yml")
        .replace(['/', '.'], "-");
    let f: String = if function.is_ascii() {
        function.to_owned()
    } else {
        format!(
            "u{}",
            function
                .chars()
                .map(|c| format!("{:x}", c as u32))
                .collect::<Vec<_>>()
                .join("-")
        )
    };
    format!("{stem}__{f}__{transform}")
}

#[test]
fn every_transform_of_every_fixture() {
    for rel in FIXTURES {
        let c = copy(rel);
        for function in functions(&c.file) {
            for (label, args) in TRANSFORMS {
                let before = state(&c.file);
                let mut a: Vec<&str> = args.to_vec();
                a.extend([
                    function.as_str(),
                    "--all",
                    "--dry-run",
                    "-c",
                    c.name.as_str(),
                ]);
                let r = slsasync(&c.dir, &a);
                assert_eq!(state(&c.file), before, "--dry-run wrote {rel}");
                let text = format!(
                    "$ slsasync {}\nexit: {:?}\n--- diff ---\n{}--- stderr ---\n{}",
                    a.join(" "),
                    r.code,
                    visible(diff_part(&r.stdout)),
                    visible(&r.stderr)
                );
                insta::assert_snapshot!(snapshot_name(rel, &function, label), text);
            }
        }
    }
}

/// Apply a transform in place; `None` when it refused (exit 2).
fn apply(c: &Copy, args: &[&str]) -> Option<Run> {
    let mut a: Vec<&str> = args.to_vec();
    a.extend(["-c", c.name.as_str()]);
    let before = state(&c.file);
    let r = slsasync(&c.dir, &a);
    match r.code {
        Some(0) => Some(r),
        Some(2) => {
            assert_eq!(state(&c.file), before, "a refusal wrote the file: {a:?}");
            None
        }
        other => panic!("{a:?}: exit {other:?}\n{}", r.stderr),
    }
}

#[test]
fn a_second_run_changes_nothing() {
    let mut checked = 0;
    for rel in FIXTURES {
        for function in functions(&root().join(rel)) {
            for (_, args) in TRANSFORMS {
                let c = copy(rel);
                let mut a: Vec<&str> = args.to_vec();
                a.extend([function.as_str(), "--all"]);
                let original = state(&c.file).0;
                let Some(_) = apply(&c, &a) else { continue };
                let first = state(&c.file);
                if first.0 == original {
                    continue;
                }
                let r = slsasync(&c.dir, &[&a[..], &["-c", c.name.as_str()]].concat());
                assert_eq!(r.code, Some(0), "{rel} {a:?}: {}", r.stderr);
                assert!(
                    r.stderr.contains("nothing to do") && r.stdout.is_empty(),
                    "{rel} {a:?} again:\n{}{}",
                    r.stdout,
                    r.stderr
                );
                assert_eq!(state(&c.file), first, "{rel} {a:?}: the second run wrote");
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} transforms changed something");
}

/// The framework's reading of one event, enough to name its original options.
struct EventShape {
    function: String,
    index: usize,
    lambda: bool,
    is_async: bool,
    default_status: Option<String>,
}

fn event_shapes(path: &Path) -> Vec<EventShape> {
    let config = load::load(path, &LoadOptions::default()).unwrap();
    slsasync::model::http_events(&config.root)
        .iter()
        .map(|e| {
            let http = slsasync::source::json::to_json(e.http);
            let integration = http
                .get("integration")
                .and_then(Json::as_str)
                .map(|s| s.to_ascii_lowercase().replace('_', "-"));
            // JavaScript truthiness, as the framework reads `async`.
            let is_async = match http.get("async") {
                None | Some(Json::Null) => false,
                Some(Json::Bool(b)) => *b,
                Some(Json::String(s)) => !s.is_empty(),
                Some(Json::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
                Some(_) => true,
            };
            let lambda = match integration.as_deref() {
                Some("lambda" | "aws") => true,
                Some(_) => false,
                None => is_async,
            };
            let default_status = http
                .pointer("/response/statusCodes")
                .and_then(Json::as_object)
                .and_then(|m| {
                    m.iter()
                        .find(|(_, v)| v.get("pattern").is_none_or(|p| p == "" || p.is_null()))
                        .map(|(k, _)| k.clone())
                });
            EventShape {
                function: e.function.to_owned(),
                index: e.index,
                lambda,
                is_async,
                default_status,
            }
        })
        .collect()
}

fn render_all(c: &Copy) -> String {
    let r = slsasync(&c.dir, &["render", "-c", c.name.as_str()]);
    assert_eq!(r.code, Some(0), "render: {}", r.stderr);
    r.stdout
}

#[test]
fn there_and_back_gives_the_same_cloudformation() {
    let (mut checked, mut same_bytes) = (0, 0);
    for rel in FIXTURES {
        for ev in event_shapes(&root().join(rel)) {
            let c = copy(rel);
            let original = state(&c.file).0;
            let r = slsasync(&c.dir, &["render", "-c", c.name.as_str()]);
            if r.code != Some(0) {
                // Does not render (e.g. an unresolved variable): nothing to compare.
                continue;
            }
            let before = r.stdout;
            let n = ev.index.to_string();
            let status = ev.default_status.clone().unwrap_or_else(|| "200".into());
            if ev.is_async && ev.default_status.is_none() {
                // make-async writes the default status code out; the framework's own
                // defaults (200 and its error mappings) cannot come back.
                continue;
            }
            let (there, back): (Vec<&str>, Vec<&str>) = if ev.is_async {
                (
                    vec!["make-sync", &ev.function, "--event", &n],
                    vec![
                        "make-async",
                        &ev.function,
                        "--event",
                        &n,
                        "--status",
                        &status,
                    ],
                )
            } else if ev.lambda {
                (
                    vec!["make-async", &ev.function, "--event", &n],
                    vec![
                        "make-sync",
                        &ev.function,
                        "--event",
                        &n,
                        "--status",
                        &status,
                    ],
                )
            } else {
                (
                    vec!["make-async", &ev.function, "--event", &n],
                    vec!["make-sync", &ev.function, "--event", &n, "--proxy"],
                )
            };
            let Some(_) = apply(&c, &there) else { continue };
            let mut b: Vec<&str> = back.clone();
            b.extend(["-c", c.name.as_str()]);
            let r = slsasync(&c.dir, &b);
            if r.code == Some(2)
                && r.stderr
                    .contains("slsasync does not edit values it cannot see")
            {
                // The way back needs to change a value from an included file: refused, as it must be.
                continue;
            }
            assert_eq!(
                r.code,
                Some(0),
                "{rel}: {back:?} after {there:?}: {}",
                r.stderr
            );
            let after = render_all(&c);
            assert!(
                after == before,
                "{rel}: {there:?} then {back:?} changed the CloudFormation:\n{}",
                similar::TextDiff::from_lines(&before, &after).unified_diff()
            );
            checked += 1;
            if state(&c.file).0 == original {
                same_bytes += 1;
            }
        }
    }
    println!("round trips: {checked}, byte-identical: {same_bytes}");
    assert!(checked >= 15, "only {checked} round trips");
    assert!(
        same_bytes >= 5,
        "only {same_bytes} byte-identical round trips"
    );
}

#[test]
fn check_mode_exits_1_when_a_change_is_pending_and_writes_nothing() {
    let c = copy("fixtures/seed/serverless-sync.yml");
    let before = state(&c.file);
    let r = slsasync(
        &c.dir,
        &["make-async", "TestAsync", "--check", "-c", c.name.as_str()],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("--- a/serverless-sync.yml\n+++ b/serverless-sync.yml\n")
    );
    assert!(r.stderr.contains("would change the file"), "{}", r.stderr);
    assert_eq!(state(&c.file), before);
    // Already async: exit 0.
    let c = copy("fixtures/seed/serverless.yml");
    let r = slsasync(
        &c.dir,
        &["make-sync", "TestAsync", "--check", "-c", c.name.as_str()],
    );
    assert_eq!(r.code, Some(1));
    let r = slsasync(&c.dir, &["make-sync", "TestAsync", "-c", c.name.as_str()]);
    assert_eq!(r.code, Some(0));
    let after = state(&c.file);
    let r = slsasync(
        &c.dir,
        &["make-sync", "TestAsync", "--check", "-c", c.name.as_str()],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stderr.contains("is already sync: nothing to do"));
    assert_eq!(state(&c.file), after);
}

#[test]
fn json_format_has_the_documented_shape() {
    let c = copy("fixtures/edit/four.yml");
    let before = state(&c.file);
    let r = slsasync(
        &c.dir,
        &[
            "make-async",
            "submit",
            "--dry-run",
            "--format",
            "json",
            "-c",
            c.name.as_str(),
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(state(&c.file), before);
    let doc: Json = serde_json::from_str(&r.stdout).unwrap();
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "version",
            "command",
            "file",
            "function",
            "framework",
            "changed",
            "written",
            "events",
            "edits",
            "diff",
            "cloudformation",
            "cloudformation_diff"
        ]
    );
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["command"], "make-async");
    assert_eq!(doc["file"], "four.yml");
    assert_eq!(doc["framework"], "3.40.0", "frameworkVersion: '3'");
    assert_eq!(doc["changed"], true);
    assert_eq!(doc["written"], false);
    let ev = &doc["events"][0];
    assert_eq!(ev["index"], 0);
    assert_eq!(ev["method"], "post");
    assert_eq!(ev["path"], "submit");
    let ops: Vec<String> = ev["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            format!(
                "{} {}",
                o["op"].as_str().unwrap(),
                o["route"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        ops,
        [
            "insert functions.submit.events[0].http.integration",
            "insert functions.submit.events[0].http.async",
            "insert functions.submit.events[0].http.response"
        ]
    );
    // Every edit is a byte range of the original with its text.
    let text = String::from_utf8(before.0).unwrap();
    let mut rebuilt = String::new();
    let mut cursor = 0;
    for e in doc["edits"].as_array().unwrap() {
        let (s, end) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..end], e["removed"].as_str().unwrap());
        assert!(e["line"].as_u64().unwrap() >= 1 && e["column"].as_u64().unwrap() >= 1);
        rebuilt.push_str(&text[cursor..s]);
        rebuilt.push_str(e["inserted"].as_str().unwrap());
        cursor = end;
    }
    rebuilt.push_str(&text[cursor..]);
    assert!(
        doc["diff"]
            .as_str()
            .unwrap()
            .starts_with("--- a/four.yml\n+++ b/four.yml\n@@ ")
    );
    let resources = doc["cloudformation"]["Resources"].as_object().unwrap();
    let method = &resources["ApiGatewayMethodSubmitPost"]["Properties"]["Integration"];
    assert_eq!(method["Type"], "AWS");
    assert_eq!(
        method["RequestParameters"]["integration.request.header.X-Amz-Invocation-Type"],
        "'Event'"
    );
    assert_eq!(doc["cloudformation_diff"], Json::Null);
    // The edits rebuild what the write would hold.
    let r = slsasync(&c.dir, &["make-async", "submit", "-c", c.name.as_str()]);
    assert_eq!(r.code, Some(0));
    assert_eq!(std::fs::read_to_string(&c.file).unwrap(), rebuilt);
}

#[test]
fn cfn_diff_shows_what_changes_at_deploy_time() {
    let c = copy("fixtures/seed/serverless-sync.yml");
    let r = slsasync(
        &c.dir,
        &[
            "make-async",
            "TestAsync",
            "--cfn-diff",
            "--dry-run",
            "-c",
            c.name.as_str(),
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let cfn = &r.stdout[r.stdout.find("\n\n").unwrap() + 2..];
    assert!(cfn.starts_with(
        "--- a/serverless-sync.yml (TestAsync CloudFormation)\n+++ b/serverless-sync.yml (TestAsync CloudFormation)\n"
    ));
    assert!(cfn.contains("+          \"RequestParameters\": {\n+            \"integration.request.header.X-Amz-Invocation-Type\": \"'Event'\"\n"), "{cfn}");
}

/// A refusal: exit 2, the message parts, and the file untouched.
fn refused(rel: &str, args: &[&str], wants: &[&str]) {
    let c = copy(rel);
    let before = state(&c.file);
    let mut a: Vec<&str> = args.to_vec();
    a.extend(["-c", c.name.as_str()]);
    let r = slsasync(&c.dir, &a);
    assert_eq!(r.code, Some(2), "{rel} {a:?}: {}{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let folded = fold(&r.stderr);
    for w in wants {
        assert!(
            folded.contains(&fold(w)),
            "{rel} {a:?}: `{w}` missing in\n{}",
            r.stderr
        );
    }
    assert_eq!(state(&c.file), before, "{rel} {a:?} touched the file");
}

#[test]
fn unknown_function_lists_the_candidates() {
    refused(
        "fixtures/edit/anchors.yml",
        &["make-async", "tow"],
        &[
            "no function `tow`",
            "did you mean `two`?",
            "functions with http events: one, two",
        ],
    );
}

#[test]
fn a_function_without_http_events_lists_the_candidates() {
    refused(
        "fixtures/edit/shorthand.yml",
        &["make-sync", "worker"],
        &[
            "function `worker` has no http event",
            "functions with http events: hello, users",
        ],
    );
}

#[test]
fn an_ambiguous_event_lists_the_candidates() {
    refused(
        "fixtures/edit/shorthand.yml",
        &["make-async", "users"],
        &[
            "function `users` has 2 http events",
            "shorthand.yml:12:3",
            "--event 0: POST /users/{id}; --event 2: GET /users",
        ],
    );
    refused(
        "fixtures/edit/shorthand.yml",
        &["make-async", "users", "--event", "1"],
        &["no http event at index 1", "--event 0: POST /users/{id}"],
    );
    refused(
        "fixtures/edit/shorthand.yml",
        &["make-async", "users", "--path", "/nope"],
        &["no http event on path /nope", "--event 2: GET /users"],
    );
}

#[test]
fn a_value_shared_with_other_events_is_refused_where_it_is_defined() {
    // The anchored statusCodes are used by both events of `two`: one alone cannot change them.
    refused(
        "fixtures/edit/anchors.yml",
        &["make-async", "two", "--event", "0"],
        &[
            "`functions.two.events[0].http.response.statusCodes` is written once and used in several places",
            "functions.two.events[1].http.response.statusCodes",
            "anchors.yml:26:15",
            "nothing was written",
        ],
    );
    // Merged from `x-base`, which is not an event.
    refused(
        "fixtures/edit/merge.yml",
        &["make-async", "one"],
        &[
            "written once and used in several places",
            "x-base.response.statusCodes",
            "merge.yml:11:7",
        ],
    );
    refused(
        "fixtures/edit/merge.yml",
        &["make-sync", "one", "--proxy"],
        &[
            "`response` at functions.one.events[0].http comes from a `<<` merge",
            "merge.yml:9:3",
        ],
    );
}

#[test]
fn a_value_shared_only_by_the_changed_events_is_edited_where_it_is_defined() {
    let c = copy("fixtures/edit/anchors.yml");
    let r = slsasync(
        &c.dir,
        &["make-async", "two", "--all", "-c", c.name.as_str()],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let text = std::fs::read_to_string(&c.file).unwrap();
    assert!(
        text.contains("          response: &resp\n            statusCodes:\n              202:\n")
    );
    assert!(text.contains("          response: *resp\n"));
    assert!(fold(&r.stderr).contains(&fold(
        "note: edited `functions.two.events[0].http.response.statusCodes` where it is defined, at anchors.yml:26:15"
    )), "{}", r.stderr);
}

#[test]
fn a_variable_used_only_by_the_event_is_edited_where_its_value_is_written() {
    let c = copy("fixtures/edit/variables.yml");
    let before = std::fs::read_to_string(&c.file).unwrap();
    let r = slsasync(&c.dir, &["make-async", "job", "-c", c.name.as_str()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let after = std::fs::read_to_string(&c.file).unwrap();
    let (old, new) = changed_lines(&before, &after);
    assert_eq!(old, ["  asyncFlag: false\n"]);
    assert_eq!(new[0], "  asyncFlag: true\n");
    assert!(after.contains("          async: ${self:custom.asyncFlag}\n"));
    assert!(
        fold(&r.stderr).contains(&fold(
            "note: `functions.job.events[0].http.async` comes from `${self:custom.asyncFlag}`: edited `custom.asyncFlag` where its value is written, at variables.yml:5:14"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn values_from_shared_variables_and_includes_are_not_edited() {
    refused(
        "fixtures/edit/variables.yml",
        &["make-async", "shared"],
        &[
            "comes from the variable `${self:custom.sharedFlag}`",
            "also used by `provider.environment.FLAG` (variables.yml:12:11)",
            "variables.yml:6:15",
        ],
    );
    refused(
        "fixtures/edit/include/serverless.yml",
        &["make-async", "inc"],
        &[
            "comes from the variable `${file(./events.yml)}`",
            "serverless.yml:9:13",
        ],
    );
    refused(
        "fixtures/edit/include/serverless.yml",
        &["make-sync", "local", "--proxy"],
        &[
            "comes from the variable `${file(./request.yml)}`",
            "serverless.yml:16:20",
        ],
    );
    // The included files are untouched too.
    let c = copy("fixtures/edit/include/serverless.yml");
    let events = state(&c.dir.join("events.yml"));
    let _ = slsasync(&c.dir, &["make-async", "inc", "-c", c.name.as_str()]);
    assert_eq!(state(&c.dir.join("events.yml")), events);
}

#[test]
fn a_read_only_file_is_not_written() {
    let c = copy("fixtures/edit/four.yml");
    let mut perms = std::fs::metadata(&c.file).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&c.file, perms).unwrap();
    let before = state(&c.file);
    let r = slsasync(&c.dir, &["make-async", "submit", "-c", c.name.as_str()]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("read-only; nothing was written"),
        "{}",
        r.stderr
    );
    assert_eq!(state(&c.file), before);
}

/// Lines that differ between two texts (old, new), in order.
fn changed_lines(a: &str, b: &str) -> (Vec<String>, Vec<String>) {
    let diff = similar::TextDiff::from_lines(a, b);
    let mut old = Vec::new();
    let mut new = Vec::new();
    for c in diff.iter_all_changes() {
        match c.tag() {
            similar::ChangeTag::Delete => old.push(c.to_string()),
            similar::ChangeTag::Insert => new.push(c.to_string()),
            similar::ChangeTag::Equal => {}
        }
    }
    (old, new)
}

#[test]
fn the_seed_sync_config_made_async_changes_one_line() {
    let c = copy("fixtures/seed/serverless-sync.yml");
    let before = std::fs::read_to_string(&c.file).unwrap();
    let r = slsasync(&c.dir, &["make-async", "TestAsync", "-c", c.name.as_str()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let after = std::fs::read_to_string(&c.file).unwrap();
    assert_eq!(
        changed_lines(&before, &after),
        (
            vec!["          async: false # 非同期呼び出しを有効化\n".to_owned()],
            vec!["          async: true # 非同期呼び出しを有効化\n".to_owned()]
        )
    );
    assert_eq!(before.len(), after.len() + 1);
}

#[test]
fn the_seed_async_config_made_async_only_gets_its_integration_explicit() {
    let c = copy("fixtures/seed/serverless.yml");
    let before = std::fs::read_to_string(&c.file).unwrap();
    let r = slsasync(&c.dir, &["make-async", "TestAsync", "-c", c.name.as_str()]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let after = std::fs::read_to_string(&c.file).unwrap();
    assert_eq!(
        changed_lines(&before, &after),
        (
            Vec::new(),
            vec!["          integration: lambda\n".to_owned()]
        )
    );
    // The explicit integration changes nothing at deploy time.
    let r = slsasync(
        &c.dir,
        &["make-async", "TestAsync", "--check", "-c", c.name.as_str()],
    );
    assert_eq!(r.code, Some(0));
}
