//! `schemas/serverless-http.schema.json` is a valid JSON Schema that editors
//! (yaml-language-server) can use: checked against its draft's meta-schema,
//! documented key by key, with ECMA-262-compatible patterns.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::print_stderr
)]

use serde_json::Value as Json;
use slsasync::schema::SCHEMA;

fn schema() -> Json {
    match serde_json::from_str(SCHEMA) {
        Ok(v) => v,
        Err(e) => panic!("schema is not JSON: {e}"),
    }
}

#[test]
fn valid_against_the_meta_schema() {
    let s = schema();
    assert_eq!(s["$schema"], "http://json-schema.org/draft-07/schema#");
    if let Err(e) = jsonschema::meta::validate(&s) {
        panic!(
            "not a valid draft-07 schema: {e} at {}",
            e.instance_path().as_str()
        );
    }
    let built = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&s);
    assert!(built.is_ok(), "{:?}", built.err().map(|e| e.to_string()));
}

#[test]
fn titled_and_documented_for_editors() {
    let s = schema();
    assert!(s["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(s["description"].as_str().is_some_and(|t| !t.is_empty()));
    for object in [
        "/definitions/httpEventObject/properties",
        "/definitions/httpEventObject/properties/request/properties",
        "/definitions/httpEventObject/properties/response/properties",
        "/definitions/apiGateway/properties",
        "/definitions/slsasync/properties",
        "/properties/provider/properties",
        "/properties",
    ] {
        let Some(props) = s.pointer(object).and_then(Json::as_object) else {
            panic!("{object} missing");
        };
        for (k, v) in props {
            let direct = v.get("description").and_then(Json::as_str).is_some();
            let via_ref = v
                .get("$ref")
                .and_then(Json::as_str)
                .and_then(|r| s.pointer(r.trim_start_matches('#')))
                .and_then(|t| t.get("description"))
                .is_some();
            assert!(direct || via_ref, "{object}/{k} has no description");
        }
    }
}

#[test]
fn covers_every_key_of_an_http_event() {
    let s = schema();
    let keys = |p: &str| -> Vec<String> {
        s.pointer(p)
            .and_then(Json::as_object)
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut event = keys("/definitions/httpEventObject/properties");
    event.sort();
    assert_eq!(
        event,
        [
            "async",
            "authorizer",
            "connectionId",
            "connectionType",
            "cors",
            "integration",
            "method",
            "operationId",
            "path",
            "private",
            "request",
            "response"
        ]
    );
    let mut request = keys("/definitions/httpEventObject/properties/request/properties");
    request.sort();
    assert_eq!(
        request,
        [
            "contentHandling",
            "method",
            "parameters",
            "passThrough",
            "schemas",
            "template",
            "uri"
        ]
    );
    let mut response = keys("/definitions/httpEventObject/properties/response/properties");
    response.sort();
    assert_eq!(
        response,
        ["contentHandling", "headers", "statusCodes", "template"]
    );
    for strict in [
        "/definitions/httpEventObject",
        "/definitions/apiGateway",
        "/definitions/slsasync",
        "/definitions/httpEventObject/properties/request",
        "/definitions/httpEventObject/properties/response",
    ] {
        assert_eq!(
            s.pointer(&format!("{strict}/additionalProperties")),
            Some(&Json::Bool(false)),
            "{strict}"
        );
    }
    for open in [
        "",
        "/properties/provider",
        "/properties/custom",
        "/definitions/function",
    ] {
        assert_eq!(
            s.pointer(&format!("{open}/additionalProperties")),
            Some(&Json::Bool(true)),
            "{open}"
        );
    }
}

/// Every `pattern` in the schema, with its place.
fn patterns(v: &Json, at: String, out: &mut Vec<(String, String)>) {
    match v {
        Json::Object(o) => {
            for (k, child) in o {
                if k == "pattern"
                    && let Some(p) = child.as_str()
                {
                    out.push((at.clone(), p.to_owned()));
                }
                patterns(child, format!("{at}/{k}"), out);
            }
        }
        Json::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                patterns(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn patterns_are_portable_and_examples_match() {
    let s = schema();
    let mut all = Vec::new();
    patterns(&s, String::new(), &mut all);
    assert!(all.len() > 10);
    for (at, p) in &all {
        // JavaScript (yaml-language-server) has no inline flags, \A/\z, named
        // groups of the Python form or possessive quantifiers.
        for bad in [
            "(?i", "(?s", "(?m", "(?x", "(?P", "\\A", "\\z", "\\Z", "*+", "++",
        ] {
            assert!(!p.contains(bad), "{at}: pattern {p} uses {bad}");
        }
    }
    // Each example listed next to a pattern satisfies it.
    for (at, p) in &all {
        let Some(examples) = s
            .pointer(at)
            .and_then(|n| n.get("examples"))
            .and_then(Json::as_array)
        else {
            continue;
        };
        let one = serde_json::json!({"type": "string", "pattern": p});
        let Ok(v) = jsonschema::validator_for(&one) else {
            panic!("{at}: pattern {p} does not compile");
        };
        for ex in examples {
            assert!(v.is_valid(ex), "{at}: example {ex} does not match {p}");
        }
    }
}
