use serde_json::json;

use super::*;
use crate::rules::Severity;
use crate::source::json::from_json;
use crate::source::{FileId, Loc};

fn node(v: Json) -> Node {
    from_json(&v, Loc::new(FileId(0), 0, 0))
}

/// (code, severity, message) of every finding.
fn run(v: Json, fw: Framework) -> Vec<(&'static str, Severity, String)> {
    let n = node(v);
    check(&n, &n, fw)
        .into_iter()
        .map(|f| (f.code, f.severity, f.message))
        .collect()
}

fn service(http: Json) -> Json {
    json!({
        "service": "svc",
        "provider": {"name": "aws", "runtime": "nodejs18.x"},
        "functions": {"f": {"handler": "h.h", "events": [{"http": http}]}}
    })
}

#[test]
fn every_variant_compiles() {
    for fw in [Framework::V1, Framework::V2, Framework::V3, Framework::Osls] {
        assert!(compiled(fw).is_some(), "{fw:?}");
    }
}

#[test]
fn rules_are_declared_once() {
    let codes: Vec<_> = rules().iter().map(|r| r.code).collect();
    assert_eq!(
        codes,
        [
            "SLS-SCHEMA-001",
            "SLS-SCHEMA-002",
            "SLS-SCHEMA-003",
            "SLS-SCHEMA-004"
        ]
    );
    for r in rules() {
        for h in [
            "## What it flags",
            "## Why it matters",
            "## Example",
            "## Fixed example",
            "## Fix",
        ] {
            assert!(r.doc.contains(h), "{} lacks {h}", r.code);
        }
        assert!(r.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
    }
}

#[test]
fn valid_configs_are_silent() {
    for http in [
        json!("GET /users/{id}"),
        json!("any /{proxy+}"),
        json!({"path": "users", "method": "POST", "integration": "lambda", "async": true,
               "request": {"passThrough": "WHEN_NO_TEMPLATES", "template": {"application/json": "{}", "text/plain": null}},
               "response": {"statusCodes": {"202": {"pattern": ""}}}}),
        json!({"path": "/x", "method": "get", "cors": {"origins": ["*"], "headers": "X-Foo", "maxAge": "86400"}}),
        json!({"path": "/x", "method": "get", "private": "true", "authorizer": {"name": "auth", "resultTtlInSeconds": "0"}}),
        json!({"path": "/x", "method": "get", "integration": "HTTP-PROXY", "request": {"uri": {"Fn::Join": ["", ["https://", {"Ref": "Host"}]]}}}),
    ] {
        assert_eq!(run(service(http.clone()), Framework::V3), [], "{http}");
    }
}

#[test]
fn coercion_is_v2_v3_only() {
    let cfg = service(json!({"path": "/x", "method": "get", "private": "true"}));
    assert!(run(cfg.clone(), Framework::V3).is_empty());
    let v1 = run(cfg, Framework::V1);
    assert_eq!(v1.len(), 1);
    assert_eq!(v1.first().map(|f| f.0), Some("SLS-SCHEMA-001"));
}

#[test]
fn missing_path_is_an_error() {
    let got = run(service(json!({"method": "get"})), Framework::V3);
    assert_eq!(got.len(), 1, "{got:?}");
    let (code, sev, msg) = &got[0];
    assert_eq!((*code, *sev), ("SLS-SCHEMA-003", Severity::Error));
    assert!(
        msg.contains("'path'") && msg.contains("functions.f.events.0.http"),
        "{msg}"
    );
}

#[test]
fn invalid_method_warns_unless_mode_error() {
    let got = run(
        service(json!({"path": "/x", "method": "fetch"})),
        Framework::V3,
    );
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].0, got[0].1), ("SLS-SCHEMA-002", Severity::Warning));
    let mut cfg = service(json!({"path": "/x", "method": "fetch"}));
    cfg["configValidationMode"] = json!("error");
    assert_eq!(run(cfg, Framework::V3)[0].1, Severity::Error);
    let v1 = run(
        service(json!({"path": "/x", "method": "fetch"})),
        Framework::V1,
    );
    assert_eq!(v1[0].1, Severity::Error);
    // osls validates in error mode by default.
    let osls = run(
        service(json!({"path": "/x", "method": "fetch"})),
        Framework::Osls,
    );
    assert_eq!(osls[0].1, Severity::Error);
}

#[test]
fn shorthand_problems() {
    let one = |s: &str| {
        let got = run(service(json!(s)), Framework::V3);
        assert_eq!(got.len(), 1, "{s}: {got:?}");
        got.into_iter()
            .next()
            .unwrap_or(("", Severity::Info, String::new()))
    };
    let (c, s, m) = one("GET hello");
    assert_eq!((c, s), ("SLS-SCHEMA-002", Severity::Warning));
    assert!(m.contains("does not start with '/'"), "{m}");
    let (c, s, _) = one("ANY/public");
    assert_eq!((c, s), ("SLS-SCHEMA-003", Severity::Error));
    let (c, s, _) = one("*");
    assert_eq!((c, s), ("SLS-SCHEMA-003", Severity::Error));
    let (c, s, m) = one("ALL /accounts");
    assert_eq!((c, s), ("SLS-SCHEMA-002", Severity::Warning));
    assert!(m.contains("invalid method 'ALL'"), "{m}");
    let (_, _, m) = one("GET  /x");
    assert!(m.contains("more than one space"), "{m}");
}

#[test]
fn http_of_the_wrong_type_is_an_error() {
    let got = run(service(json!(5)), Framework::V3);
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].0, got[0].1), ("SLS-SCHEMA-001", Severity::Error));
    assert!(
        got[0]
            .2
            .contains("expected a string or a mapping, found a number"),
        "{}",
        got[0].2
    );
    let got = run(
        service(json!({"path": "/x", "method": "get", "request": "abc"})),
        Framework::V3,
    );
    assert_eq!((got[0].0, got[0].1), ("SLS-SCHEMA-001", Severity::Error));
}

#[test]
fn unknown_keys_inside_http_are_left_to_sls_key_001() {
    let cfg = service(json!({"path": "/x", "method": "get", "asynch": true,
        "request": {"paths": {}}, "response": {"statuscodes": {}}, "cors": {"origin": "*", "allow": 1}}));
    assert_eq!(run(cfg, Framework::V3), []);
}

#[test]
fn keys_next_to_http_are_reported() {
    let cfg = json!({"provider": {"name": "aws"}, "functions": {"f": {"events": [
        {"http": {"path": "/x", "method": "get"}, "cors": true}
    ]}}});
    let got = run(cfg, Framework::V3);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "SLS-SCHEMA-004");
    assert!(got[0].2.contains("'cors' next to `http`"), "{}", got[0].2);
}

#[test]
fn provider_parts() {
    let cfg = json!({"provider": {"name": "aws", "stage": "dev_1", "endpointType": "regionl",
        "apiGateway": {"minimumCompresionSize": 1, "apiKeySourceType": "header", "stage": "v1"}},
        "functions": {"f": {"events": [{"http": "GET /"}]}}});
    let got = run(cfg.clone(), Framework::V3);
    let codes: Vec<_> = got.iter().map(|f| f.0).collect();
    assert_eq!(codes.len(), 3, "{got:?}");
    assert!(codes.contains(&"SLS-SCHEMA-004"));
    assert!(got.iter().all(|f| f.1 == Severity::Warning), "{got:?}");
    // 2.x: no stage pattern, but `apiGateway.stage` is unknown.
    let v2 = run(cfg, Framework::V2);
    assert!(
        v2.iter().any(|f| f.2.contains("unknown property 'stage'")),
        "{v2:?}"
    );
    assert!(!v2.iter().any(|f| f.2.contains("provider.stage")), "{v2:?}");
}

#[test]
fn stage_the_framework_refuses_is_an_error() {
    let cfg = json!({"provider": {"name": "aws", "stage": "feature.new"},
        "functions": {"f": {"events": [{"http": "GET /"}]}}});
    let got = run(cfg, Framework::V3);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1, Severity::Error);
}

#[test]
fn non_aws_providers_only_get_generic_checks() {
    let cfg = json!({"service": "my_service", "provider": {"name": "openwhisk", "stage": "a_b"},
        "functions": {"f": {"events": [{"http": "GET hello"}]}}});
    let got = run(cfg, Framework::V3);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].2.contains("'service'"));
}

#[test]
fn unresolved_values_are_skipped() {
    let cfg = service(
        json!({"path": "${ssm:/p}", "method": "${opt:method}", "async": "${self:custom.a}",
        "request": {"passThrough": "${env:PT}"}}),
    );
    assert_eq!(run(cfg, Framework::V3), []);
    // A Value::Unresolved node in place of the whole http value.
    let mut n = node(service(json!({"path": "/x", "method": "get"})));
    if let Some(crate::source::Value::Seq(evs)) = n
        .as_map_mut()
        .and_then(|m| m.get_mut("functions"))
        .and_then(|f| f.as_map_mut())
        .and_then(|m| m.get_mut("f"))
        .and_then(|f| f.as_map_mut())
        .and_then(|m| m.get_mut("events"))
        .map(|e| &mut e.value)
        && let Some(ev) = evs
            .first_mut()
            .and_then(|e| e.as_map_mut())
            .and_then(|m| m.get_mut("http"))
    {
        ev.value = crate::source::Value::Unresolved(Box::new(crate::source::Unresolved {
            text: "${file(./http.yml)}".to_owned(),
            reason: "file".to_owned(),
        }));
    }
    assert!(check(&n, &n, Framework::V3).is_empty());
}

#[test]
fn slsasync_settings() {
    let cfg = json!({"custom": {"slsasync": {"framework": 4, "ignore": "SLS-ASYNC-001",
        "severity": {"SLS-ASYNC-006": "loud", "Not A Rule": "off"}, "frameworks": 3}}});
    let got = run(cfg, Framework::V3);
    let codes: Vec<_> = got.iter().map(|f| f.0).collect();
    assert!(codes.contains(&"SLS-SCHEMA-001"), "{got:?}");
    assert!(codes.contains(&"SLS-SCHEMA-002"), "{got:?}");
    assert!(codes.contains(&"SLS-SCHEMA-004"), "{got:?}");
    assert!(got.iter().all(|f| f.1 == Severity::Warning));
    assert_eq!(got.len(), 5, "{got:?}");
    let ok = json!({"custom": {"slsasync": {"framework": "osls", "ignore": ["SLS-ASYNC-001", "async-without-integration"],
        "severity": {"SLS-ASYNC-006": "off"}}, "other": {"anything": [1, 2]}}});
    assert_eq!(run(ok, Framework::V3), []);
}

#[test]
fn enum_suggestions() {
    let got = run(
        service(
            json!({"path": "/x", "method": "post", "integration": "lambda",
        "request": {"passThrough": "WHEN_NO_TEMPLATE"}}),
        ),
        Framework::V3,
    );
    assert_eq!(got.len(), 1);
    assert!(
        got[0]
            .2
            .contains("expected one of NEVER, WHEN_NO_MATCH, WHEN_NO_TEMPLATES"),
        "{}",
        got[0].2
    );
    let n = node(service(
        json!({"path": "/x", "method": "post", "integration": "lambda",
        "request": {"passThrough": "WHEN_NO_TEMPLATE"}}),
    ));
    let f = check(&n, &n, Framework::V3);
    assert_eq!(
        f[0].help.as_deref(),
        Some("did you mean `WHEN_NO_TEMPLATES`?")
    );
}

#[test]
fn status_code_keys() {
    let got = run(
        service(
            json!({"path": "/x", "method": "post", "integration": "lambda",
        "response": {"statusCodes": {"2xx": {"pattern": ""}}}}),
        ),
        Framework::V3,
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0, got[0].1), ("SLS-SCHEMA-002", Severity::Warning));
    assert!(got[0].2.contains("invalid key '2xx'"), "{}", got[0].2);
}

#[test]
fn list_form_of_functions() {
    let cfg = json!({"provider": {"name": "aws"}, "functions": [
        {"a": {"events": [{"http": {"method": "get"}}]}},
        {"b": {"events": [{"http": "GET /b"}]}}
    ]});
    let got = run(cfg, Framework::V3);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0, got[0].1), ("SLS-SCHEMA-003", Severity::Error));
}

#[test]
fn framework_field_names_and_values() {
    let got = run(
        json!({"frameworkVersion": 3, "configValidationMode": "warning"}),
        Framework::V3,
    );
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].2.contains("configValidationMode"));
}

#[test]
fn variants_differ_where_the_releases_do() {
    let v2 = variant_schema(Framework::V2).unwrap_or(Json::Null);
    assert!(
        v2.pointer("/definitions/apiGateway/properties/stage")
            .is_none()
    );
    assert!(
        v2.pointer("/definitions/httpEventObject/properties/request/properties/schema")
            .is_some()
    );
    let v3 = variant_schema(Framework::V3).unwrap_or(Json::Null);
    assert!(
        v3.pointer("/definitions/apiGateway/properties/stage")
            .is_some()
    );
    assert!(
        v3.pointer("/definitions/httpEventObject/properties/request/properties/schema")
            .is_none()
    );
    let osls = variant_schema(Framework::Osls).unwrap_or(Json::Null);
    assert!(
        osls.pointer("/definitions/httpEventObject/properties/timeoutInMillis")
            .is_some()
    );
    // request.schema is unknown in 3.x: left to SLS-KEY-001 (inside http).
    let cfg = service(
        json!({"path": "/x", "method": "post", "request": {"schema": {"application/json": {}}}}),
    );
    assert!(run(cfg.clone(), Framework::V3).is_empty());
    assert!(run(cfg, Framework::V2).is_empty());
}
