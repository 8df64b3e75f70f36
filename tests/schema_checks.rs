//! Small configs → the schema findings they must produce: code, severity and
//! the 1-based line and column of the underline.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use slsasync::model::Framework;
use slsasync::rules::Severity::{self, Error, Warning};
use slsasync::schema;
use slsasync::source::yaml::{Dialect, parse_yaml};
use slsasync::source::{FileId, SourceFile};

const FN: &str = "service: svc\nprovider:\n  name: aws\n  runtime: nodejs18.x\nfunctions:\n  f:\n    handler: h.h\n    events:\n";

/// Findings of `text` checked against `fw`: (code, severity, line, column).
fn findings(text: &str, fw: Framework) -> Vec<(&'static str, Severity, usize, usize)> {
    let dialect = if fw == Framework::V1 {
        Dialect::JsYaml3
    } else {
        Dialect::JsYaml4
    };
    let parsed = match parse_yaml(text, FileId(0), dialect) {
        Ok(p) => p,
        Err(e) => panic!("test config does not parse: {e:?}\n{text}"),
    };
    let file = SourceFile::new("serverless.yml".into(), text.to_owned());
    schema::check(&parsed.root, &parsed.root, fw)
        .into_iter()
        .map(|f| {
            let lc = file.line_col(f.primary.loc.start);
            (f.code, f.severity, lc.line, lc.column)
        })
        .collect()
}

/// A config whose function `f` has the given events (indented under `events:`).
fn with_events(events: &str) -> String {
    format!("{FN}{events}")
}

/// `(pointer, severity, line, column)` of an expected finding.
type Expected = (&'static str, Severity, usize, usize);

#[test]
fn table() {
    let cases: Vec<(&str, String, Framework, Vec<Expected>)> = vec![
        ("shorthand ok", with_events("      - http: GET /users/{id}\n"), Framework::V3, vec![]),
        (
            "object ok with coercible values",
            with_events("      - http:\n          path: x\n          method: POST\n          private: 'true'\n          cors:\n            headers: X-Foo\n            maxAge: '60'\n"),
            Framework::V3,
            vec![],
        ),
        (
            "shorthand without leading slash",
            with_events("      - http: GET hello\n"),
            Framework::V3,
            vec![("SLS-SCHEMA-002", Warning, 9, 15)],
        ),
        (
            "shorthand without a path",
            with_events("      - http: ANY/public\n"),
            Framework::V3,
            vec![("SLS-SCHEMA-003", Error, 9, 15)],
        ),
        (
            "missing path points at the http mapping",
            with_events("      - http:\n          method: get\n"),
            Framework::V3,
            vec![("SLS-SCHEMA-003", Error, 10, 11)],
        ),
        (
            "path written next to http",
            with_events("      - http:\n          method: get\n        path: /x\n"),
            Framework::V3,
            vec![("SLS-SCHEMA-003", Error, 10, 11), ("SLS-SCHEMA-004", Warning, 11, 9)],
        ),
        (
            "invalid method: warning in warn mode",
            with_events("      - http:\n          path: /x\n          method: fetch\n"),
            Framework::V3,
            vec![("SLS-SCHEMA-002", Warning, 11, 19)],
        ),
        (
            "invalid method: error under configValidationMode error",
            format!("configValidationMode: error\n{}", with_events("      - http:\n          path: /x\n          method: fetch\n")),
            Framework::V3,
            vec![("SLS-SCHEMA-002", Error, 12, 19)],
        ),
        (
            "invalid method: error in v1",
            with_events("      - http:\n          path: /x\n          method: fetch\n"),
            Framework::V1,
            vec![("SLS-SCHEMA-002", Error, 11, 19)],
        ),
        (
            "async of the wrong type",
            with_events("      - http:\n          path: /x\n          method: get\n          async: 'yes'\n"),
            Framework::V3,
            vec![("SLS-SCHEMA-001", Warning, 12, 18)],
        ),
        (
            "request that is not a mapping crashes",
            with_events("      - http:\n          path: /x\n          method: get\n          request: abc\n"),
            Framework::V3,
            vec![("SLS-SCHEMA-001", Error, 12, 20)],
        ),
        (
            "http of the wrong type",
            with_events("      - http: 5\n"),
            Framework::V3,
            vec![("SLS-SCHEMA-001", Error, 9, 15)],
        ),
        (
            "passThrough typo",
            with_events("      - http:\n          path: /x\n          method: get\n          integration: lambda\n          request:\n            passThrough: WHEN_NO_TEMPLATE\n"),
            Framework::V3,
            vec![("SLS-SCHEMA-002", Warning, 14, 26)],
        ),
        (
            "status code key is reported at the key",
            with_events("      - http:\n          path: /x\n          method: get\n          integration: lambda\n          response:\n            statusCodes:\n              2xx:\n                pattern: ''\n"),
            Framework::V3,
            vec![("SLS-SCHEMA-002", Warning, 15, 15)],
        ),
        (
            "unknown keys inside http are SLS-KEY-001's",
            with_events("      - http:\n          path: /x\n          method: get\n          asynch: true\n"),
            Framework::V3,
            vec![],
        ),
        (
            "flow mapping event",
            with_events("      - http: {path: /x, method: fetch}\n"),
            Framework::V3,
            vec![("SLS-SCHEMA-002", Warning, 9, 34)],
        ),
        (
            "unknown apiGateway key at the key",
            "provider:\n  name: aws\n  apiGateway:\n    minimumCompresionSize: 1024\n".to_owned(),
            Framework::V3,
            vec![("SLS-SCHEMA-004", Warning, 4, 5)],
        ),
        (
            "endpointType and apiKeySourceType",
            "provider:\n  name: aws\n  endpointType: regionl\n  apiGateway:\n    apiKeySourceType: headers\n".to_owned(),
            Framework::V3,
            vec![("SLS-SCHEMA-002", Warning, 3, 17), ("SLS-SCHEMA-002", Warning, 5, 23)],
        ),
        (
            "apiGateway.stage exists in v3 only",
            "provider:\n  name: aws\n  apiGateway:\n    stage: v1\n".to_owned(),
            Framework::V2,
            vec![("SLS-SCHEMA-004", Warning, 4, 5)],
        ),
        (
            "stage with underscore: v3 warning",
            with_events("      - http: GET /\n").replace("  name: aws\n", "  name: aws\n  stage: dev_1\n"),
            Framework::V3,
            vec![("SLS-SCHEMA-002", Warning, 4, 10)],
        ),
        (
            "stage the framework refuses with http events",
            with_events("      - http: GET /\n").replace("  name: aws\n", "  name: aws\n  stage: feature.x\n"),
            Framework::V3,
            vec![("SLS-SCHEMA-002", Error, 4, 10)],
        ),
        (
            "unresolved variables are skipped",
            with_events("      - http:\n          path: ${self:custom.path}\n          method: ${opt:method}\n          async: ${env:ASYNC}\n"),
            Framework::V3,
            vec![],
        ),
        (
            "slsasync settings",
            "custom:\n  slsasync:\n    framework: 4\n    severity:\n      SLS-ASYNC-006: loud\n    ignores: []\n  plugin:\n    whatever: 1\n".to_owned(),
            Framework::V3,
            vec![("SLS-SCHEMA-002", Warning, 3, 16), ("SLS-SCHEMA-002", Warning, 5, 22), ("SLS-SCHEMA-004", Warning, 6, 5)],
        ),
        (
            "plugin keys are never flagged",
            format!("plugins:\n  - serverless-offline\nwarmup:\n  enabled: true\n{}", with_events("      - http: GET /\n      - schedule: rate(1 minute)\n")),
            Framework::V3,
            vec![],
        ),
    ];
    let mut failures = Vec::new();
    for (name, text, fw, expected) in cases {
        let got = findings(&text, fw);
        if got != expected {
            failures.push(format!(
                "{name}:\n  expected {expected:?}\n  got      {got:?}\n{text}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Speed on a 1,000-function config (run with `--ignored --nocapture`, in
/// release for meaningful numbers): compiling once, then validating.
#[test]
#[ignore = "timing report, not a check"]
#[allow(clippy::print_stdout)]
fn thousand_functions_timing() {
    let mut text = String::from(
        "service: big\nprovider:\n  name: aws\n  runtime: nodejs18.x\n  apiGateway:\n    minimumCompressionSize: 1024\nfunctions:\n",
    );
    for i in 0..1000 {
        text.push_str(&format!(
            "  fn{i}:\n    handler: h.f{i}\n    events:\n      - http: GET /items/{i}\n      - http:\n          path: /items/{i}/{{id}}\n          method: post\n          integration: lambda\n          async: true\n          cors: true\n          request:\n            passThrough: WHEN_NO_TEMPLATES\n            parameters:\n              paths:\n                id: true\n          response:\n            statusCodes:\n              202:\n                pattern: ''\n"
        ));
    }
    let parsed = match parse_yaml(&text, FileId(0), Dialect::JsYaml4) {
        Ok(p) => p,
        Err(e) => panic!("{e:?}"),
    };
    let t = std::time::Instant::now();
    let first = schema::check(&parsed.root, &parsed.root, Framework::V3);
    let cold = t.elapsed();
    let t = std::time::Instant::now();
    let runs = 20;
    for _ in 0..runs {
        let _ = schema::check(&parsed.root, &parsed.root, Framework::V3);
    }
    let warm = t.elapsed() / runs;
    assert!(first.is_empty(), "{:?}", first.first().map(|f| &f.message));
    println!(
        "1,000 functions / 2,000 http events: first check (compiles the validator) {cold:?}, then {warm:?} per check"
    );
}
