//! `slsasync render` through the real binary: the options around the
//! byte-exact output that `tests/conformance.rs` checks (FUNCTION, `--full`,
//! `--format yaml`, the deployment instant, `--verbose`, `--stage`/`--region`,
//! the release chosen from `frameworkVersion`, and every refusal).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value as Json;
use slsasync::source::SourceMap;
use slsasync::source::json::to_json;
use slsasync::source::yaml::{Dialect, parse_yaml};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn seed() -> String {
    root()
        .join("fixtures/seed/serverless.yml")
        .to_string_lossy()
        .into_owned()
}

/// Run the binary with a clean environment (plus `env`), in `dir`.
fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_slsasync"));
    cmd.args(args).env_clear().current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.timeout(std::time::Duration::from_secs(20));
    let out = cmd.output().unwrap();
    assert_ne!(out.status.code(), Some(101), "panic: {}", stderr(&out));
    assert!(out.status.code().is_some(), "killed by a signal");
    out
}

fn run(args: &[&str]) -> Output {
    run_in(&root(), args, &[("SOURCE_DATE_EPOCH", "1704067200")])
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json_of(o: &Output) -> Json {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    serde_json::from_str(&stdout(o)).unwrap()
}

fn resource_ids(doc: &Json) -> Vec<String> {
    doc["Resources"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// Every conformance case the framework packaged (v3), with the functions
/// that have http events.
fn packaged_cases() -> Vec<(PathBuf, Json)> {
    let dir = root().join("fixtures/conformance/cases");
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for case in names {
        let Ok(expected) = std::fs::read_to_string(case.join("expected-apigw.json")) else {
            continue;
        };
        let config = ["serverless.yml", "serverless.yaml", "serverless.json"]
            .iter()
            .map(|n| case.join(n))
            .find(|p| p.is_file())
            .unwrap();
        out.push((config, serde_json::from_str(&expected).unwrap()));
    }
    out
}

/// The functions whose permission the whole-API render holds.
fn functions_of(full: &Json) -> Vec<String> {
    resource_ids(full)
        .into_iter()
        .filter(|id| full["Resources"][id]["Type"] == "AWS::Lambda::Permission")
        .filter_map(|id| {
            id.strip_suffix("LambdaPermissionApiGateway")
                .map(str::to_owned)
        })
        .collect()
}

#[test]
fn function_render_is_the_functions_part_of_the_whole_api() {
    let mut checked = 0;
    for (config, full) in packaged_cases() {
        let cfg = config.to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&config).unwrap();
        // Logical function IDs are normalised keys; find the keys in the file.
        let mut sources = SourceMap::new();
        let file = sources.add(config.clone(), text.clone());
        let Ok(parsed) = parse_yaml(&text, file, Dialect::JsYaml4) else {
            continue;
        };
        let functions = parsed
            .root
            .get("functions")
            .map(to_json)
            .unwrap_or(Json::Null);
        let Some(functions) = functions.as_object() else {
            continue;
        };
        let permissions = functions_of(&full);
        for name in functions.keys() {
            let out = run(&["render", name, "-c", &cfg, "--framework", "3"]);
            if out.status.code() == Some(2) {
                assert!(
                    stderr(&out).contains("has no http event"),
                    "{cfg} {name}: {}",
                    stderr(&out)
                );
                continue;
            }
            let part = json_of(&out);
            let ids = resource_ids(&part);
            assert!(!ids.is_empty(), "{cfg} {name}: empty");
            for id in &ids {
                assert_eq!(
                    part["Resources"][id], full["Resources"][id],
                    "{cfg} {name}: {id} differs from the whole-API render"
                );
                let ty = part["Resources"][id]["Type"].as_str().unwrap_or("");
                // The function's methods and permission, and what only they use:
                // their authorizer (and its permission), models and validator.
                assert!(
                    matches!(
                        ty,
                        "AWS::ApiGateway::Method"
                            | "AWS::Lambda::Permission"
                            | "AWS::ApiGateway::Authorizer"
                            | "AWS::ApiGateway::Model"
                            | "AWS::ApiGateway::RequestValidator"
                    ),
                    "{cfg} {name}: {id} is a {ty}"
                );
            }
            // The function's own permission is there, and no other function's.
            let own: Vec<_> = ids
                .iter()
                .filter(|id| id.ends_with("LambdaPermissionApiGateway"))
                .collect();
            assert!(!own.is_empty(), "{cfg} {name}: no permission");
            assert!(
                own.iter().all(|id| permissions
                    .iter()
                    .any(|p| id.as_str() == format!("{p}LambdaPermissionApiGateway"))),
                "{cfg} {name}: {own:?}"
            );
            assert_eq!(part["Outputs"], Json::Object(Default::default()));

            // --full adds what the methods need, all of it from the whole API.
            let full_part = json_of(&run(&[
                "render",
                name,
                "-c",
                &cfg,
                "--framework",
                "3",
                "--full",
            ]));
            let full_ids = resource_ids(&full_part);
            for id in &ids {
                assert!(full_ids.contains(id), "{cfg} {name}: --full lost {id}");
            }
            for id in &full_ids {
                assert_eq!(
                    full_part["Resources"][id], full["Resources"][id],
                    "{cfg} {name} --full: {id}"
                );
            }
            let has_own_api = resource_ids(&full).iter().any(|i| i == "ApiGatewayRestApi");
            if has_own_api {
                assert!(
                    full_ids.iter().any(|i| i == "ApiGatewayRestApi"),
                    "{cfg} {name}"
                );
            }
            assert!(
                full_ids
                    .iter()
                    .any(|i| i.starts_with("ApiGatewayDeployment")),
                "{cfg} {name}: --full without the Deployment"
            );
            checked += 1;
        }
    }
    println!("{checked} function renders checked against the whole-API render");
    assert!(checked > 40, "only {checked} functions checked");
}

#[test]
fn yaml_output_reads_back_as_the_json_output() {
    let mut checked = 0;
    for (config, _) in packaged_cases() {
        let cfg = config.to_string_lossy().into_owned();
        let json = json_of(&run(&["render", "-c", &cfg, "--framework", "3"]));
        let out = run(&["render", "-c", &cfg, "--framework", "3", "--format", "yaml"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        let mut sources = SourceMap::new();
        let file = sources.add(PathBuf::from("out.yml"), text.clone());
        for dialect in [Dialect::JsYaml4, Dialect::JsYaml3] {
            let parsed = parse_yaml(&text, file, dialect)
                .unwrap_or_else(|e| panic!("{cfg}: YAML output does not parse: {}", e.message));
            assert_eq!(to_json(&parsed.root), json, "{cfg} ({dialect:?})");
        }
        checked += 1;
    }
    assert!(checked > 30, "only {checked} cases");
}

#[test]
fn deployment_instant_comes_from_timestamp_then_source_date_epoch() {
    let s = seed();
    let by_flag = json_of(&run_in(
        &root(),
        &[
            "render",
            "-c",
            &s,
            "--full",
            "TestAsync",
            "--timestamp",
            "123",
        ],
        &[("SOURCE_DATE_EPOCH", "5")],
    ));
    assert!(resource_ids(&by_flag).contains(&"ApiGatewayDeployment123".to_owned()));
    let by_env = json_of(&run_in(
        &root(),
        &["render", "-c", &s],
        &[("SOURCE_DATE_EPOCH", "5")],
    ));
    assert!(resource_ids(&by_env).contains(&"ApiGatewayDeployment5000".to_owned()));
    // Without either, the current instant: thirteen digits, within a minute of now.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let by_clock = json_of(&run_in(&root(), &["render", "-c", &s], &[]));
    let ms: u64 = resource_ids(&by_clock)
        .iter()
        .find_map(|id| id.strip_prefix("ApiGatewayDeployment")?.parse().ok())
        .unwrap();
    assert!(ms.abs_diff(now) < 60_000, "{ms} vs {now}");

    let bad = run_in(
        &root(),
        &["render", "-c", &s],
        &[("SOURCE_DATE_EPOCH", "yesterday")],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("SOURCE_DATE_EPOCH"),
        "{}",
        stderr(&bad)
    );
    assert!(stderr(&bad).contains("--timestamp"), "{}", stderr(&bad));
}

#[test]
fn release_follows_framework_version_and_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let body = "provider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  f:\n    handler: h.f\n    events:\n      - http: GET x\n";
    for (fv, release, note) in [
        (Some("'>=1.28.0 <2.0.0'"), "1.83.3", false),
        (Some("'3'"), "3.40.0", false),
        (Some("'^2.0.0'"), "2.72.4", false),
        (Some("'>=3'"), "3.40.0", true),
        (None, "3.40.0", false),
    ] {
        let mut text = "service: rel\n".to_owned();
        if let Some(fv) = fv {
            text.push_str(&format!("frameworkVersion: {fv}\n"));
        }
        text.push_str(body);
        let cfg = write(dir.path(), "serverless.yml", &text);
        let out = run(&["render", "-c", &cfg, "--verbose"]);
        assert_eq!(out.status.code(), Some(0), "{fv:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(&format!("Serverless Framework {release}")),
            "{fv:?}: {err}"
        );
        assert_eq!(err.contains("note:"), note, "{fv:?}: {err}");
        // Each release's own output: v1 has no DependsOn on methods, v3 does.
        let doc = json_of(&out);
        let method = &doc["Resources"]["ApiGatewayMethodXGet"];
        assert_eq!(method["DependsOn"].is_null(), release == "1.83.3", "{fv:?}");
    }
    let out = run(&[
        "render",
        "-c",
        &write(
            dir.path(),
            "serverless.yml",
            &format!("service: rel\nframeworkVersion: '3'\n{body}"),
        ),
        "--framework",
        "1",
        "-v",
    ]);
    assert!(
        stderr(&out).contains("Serverless Framework 1.83.3"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--framework"), "{}", stderr(&out));
}

#[test]
fn stage_and_region_options_reach_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "serverless.yml",
        "service: opts\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  stage: ${opt:stage, 'dev'}\nfunctions:\n  f:\n    handler: h.f\n    events:\n      - http: GET ${sls:stage}/x\n",
    );
    let default = json_of(&run(&["render", "-c", &cfg]));
    assert!(resource_ids(&default).contains(&"ApiGatewayResourceDev".to_owned()));
    let prod = json_of(&run(&["render", "-c", &cfg, "--stage", "prod"]));
    assert!(resource_ids(&prod).contains(&"ApiGatewayResourceProd".to_owned()));
    assert_eq!(
        prod["Resources"]["ApiGatewayRestApi"]["Properties"]["Name"],
        "prod-opts"
    );
    let endpoint = prod["Outputs"]["ServiceEndpoint"]["Value"]["Fn::Join"][1]
        .as_array()
        .unwrap()
        .last()
        .cloned();
    assert_eq!(endpoint, Some(Json::from("/prod")));
}

#[test]
fn environment_is_read_unless_no_env() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "serverless.yml",
        "service: envs\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  f:\n    handler: h.f\n    events:\n      - http: GET ${env:ROUTE, 'fallback'}\n",
    );
    let with_env = json_of(&run_in(
        &root(),
        &["render", "-c", &cfg],
        &[("ROUTE", "fromenv")],
    ));
    assert!(resource_ids(&with_env).contains(&"ApiGatewayResourceFromenv".to_owned()));
    let no_env = json_of(&run_in(
        &root(),
        &["render", "-c", &cfg, "--no-env"],
        &[("ROUTE", "fromenv")],
    ));
    assert!(resource_ids(&no_env).contains(&"ApiGatewayResourceFallback".to_owned()));
}

#[test]
fn unresolved_values_are_named_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(
        dir.path(),
        "serverless.yml",
        "service: opaque\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  f:\n    handler: h.f\n    events:\n      - http:\n          path: ${ssm:/api/path}\n          method: get\n  g:\n    handler: h.g\n    events:\n      - http: GET plain\n",
    );
    let out = run(&["render", "-c", &cfg]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("${ssm:/api/path}"), "{err}");
    assert!(err.contains("serverless.yml:10:17"), "{err}");
    assert!(stdout(&out).is_empty());
    // Another function's output does not depend on it.
    let g = json_of(&run(&["render", "g", "-c", &cfg]));
    assert!(resource_ids(&g).contains(&"ApiGatewayMethodPlainGet".to_owned()));
}

#[test]
fn refusals_exit_2_with_what_where_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let s = seed();
    // A function that is not there: the closest name and the candidates.
    let out = run(&["render", "TestAsinc", "-c", &s]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("no function `TestAsinc`") && err.contains("did you mean `TestAsync`"),
        "{err}"
    );
    // A function without http events.
    let cfg = write(
        dir.path(),
        "serverless.yml",
        "service: s\nprovider:\n  name: aws\nfunctions:\n  cron:\n    handler: h.c\n    events:\n      - schedule: rate(1 hour)\n  web:\n    handler: h.w\n    events:\n      - http: GET web\n",
    );
    let out = run(&["render", "cron", "-c", &cfg]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no http event") && stderr(&out).contains("web"),
        "{}",
        stderr(&out)
    );
    // A config the framework refuses: its reason, at the place.
    let cfg = write(
        dir.path(),
        "serverless.yml",
        "service: s\nframeworkVersion: '3'\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: h.f\n    events:\n      - http:\n          path: x\n          method: get\n          integration: http\n",
    );
    let out = run(&["render", "-c", &cfg]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("You need to set the request uri when using the HTTP integration."),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
    // Code configs are never run.
    for name in ["serverless.js", "serverless.ts"] {
        let cfg = write(dir.path(), name, "module.exports = { service: 'x' };\n");
        let out = run(&["render", "-c", &cfg]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("not supported"), "{}", stderr(&out));
    }
}

#[test]
fn config_is_found_in_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    // None there.
    let out = run_in(dir.path(), &["render"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("serverless.yml"), "{}", stderr(&out));
    // Exactly one: used.
    std::fs::copy(
        root().join("fixtures/seed/serverless.yml"),
        dir.path().join("serverless.yml"),
    )
    .unwrap();
    let out = run_in(dir.path(), &["render", "--timestamp", "1"], &[]);
    assert!(resource_ids(&json_of(&out)).contains(&"ApiGatewayMethodTestasyncGet".to_owned()));
    // Two: ambiguous.
    std::fs::write(dir.path().join("serverless.json"), "{}").unwrap();
    let out = run_in(dir.path(), &["render", "--timestamp", "1"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("serverless.yml") && err.contains("serverless.json"),
        "{err}"
    );
}

#[test]
fn json_configs_render_like_yaml_ones() {
    let dir = tempfile::tempdir().unwrap();
    let yml = json_of(&run(&["render", "-c", &seed(), "--framework", "1"]));
    let text = std::fs::read_to_string(seed()).unwrap();
    let mut sources = SourceMap::new();
    let file = sources.add(PathBuf::from("s.yml"), text.clone());
    let as_json = to_json(&parse_yaml(&text, file, Dialect::JsYaml3).unwrap().root);
    let cfg = write(
        dir.path(),
        "serverless.json",
        &serde_json::to_string_pretty(&as_json).unwrap(),
    );
    let json = json_of(&run(&["render", "-c", &cfg, "--framework", "1"]));
    assert_eq!(yml, json);
}
