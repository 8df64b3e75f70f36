//! The JSON Schema of `http` events and of the provider keys that shape API
//! Gateway (`schemas/serverless-http.schema.json`), and the shape checks it
//! drives.
//!
//! The schema follows the one the framework validates with
//! (`configSchemaHandler` + the `http` event schema of
//! `lib/plugins/aws/package/compile/events/api-gateway/index.js`, 3.40.0): what
//! the framework accepts is accepted, what it warns about is flagged. It is
//! strict only for `http` events, `provider.apiGateway`, `provider.endpointType`,
//! `provider.apiName`, `provider.stage`, `frameworkVersion`,
//! `configValidationMode` and `custom.slsasync`; everything else (plugin keys
//! included) is open.
//!
//! [`check`] validates a config against the variant of the schema for the
//! mirrored release (2.x lacks `provider.apiGateway.stage` and keeps
//! `request.schema`, osls adds its keys...), with ajv's type coercion of
//! Serverless 2/3, and turns each error into a [`Finding`] of one of the
//! rules in [`rules`], underlined at the offending key or value.
//! Unknown keys inside an `http` event are left to SLS-KEY-001.

mod instance;
mod locate;
pub mod meta;
mod report;

use std::sync::OnceLock;

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind as Kind;
use serde_json::{Value as Json, json};

use crate::model::Framework;
use crate::rules::{Finding, RuleMeta};
use crate::source::Node;

use instance::{coerce, to_instance, type_names};
use locate::segments;
use report::{Reporter, http_rest};

/// The schema, for editors (`slsasync schema`) and for [`check`].
pub const SCHEMA: &str = include_str!("../../schemas/serverless-http.schema.json");

/// The rules the schema check reports under.
pub fn rules() -> &'static [&'static RuleMeta] {
    &meta::RULES
}

/// A compiled schema variant.
struct Compiled {
    schema: Json,
    validator: jsonschema::Validator,
}

/// The schema variant of each release, compiled on first use.
fn compiled(framework: Framework) -> Option<&'static Compiled> {
    static V1: OnceLock<Option<Compiled>> = OnceLock::new();
    static V2: OnceLock<Option<Compiled>> = OnceLock::new();
    static V3: OnceLock<Option<Compiled>> = OnceLock::new();
    static OSLS: OnceLock<Option<Compiled>> = OnceLock::new();
    let cell = match framework {
        Framework::V1 => &V1,
        Framework::V2 => &V2,
        Framework::V3 => &V3,
        Framework::Osls => &OSLS,
    };
    cell.get_or_init(|| {
        let schema = variant_schema(framework)?;
        let validator = jsonschema::options().build(&schema).ok()?;
        Some(Compiled { schema, validator })
    })
    .as_ref()
}

/// The schema file adapted to one release.
fn variant_schema(framework: Framework) -> Option<Json> {
    let mut s: Json = serde_json::from_str(SCHEMA).ok()?;
    match framework {
        Framework::V3 => {}
        Framework::Osls => {
            // osls 4.x: `timeoutInMillis` on the event, `response.transferMode`.
            let event = s
                .pointer_mut("/definitions/httpEventObject/properties")?
                .as_object_mut()?;
            event.insert(
                "timeoutInMillis".to_owned(),
                json!({"type": "integer", "minimum": 50, "description": "Integration timeout in milliseconds (osls)."}),
            );
            let response = s
                .pointer_mut("/definitions/httpEventObject/properties/response/properties")?
                .as_object_mut()?;
            response.insert(
                "transferMode".to_owned(),
                json!({"enum": ["BUFFERED", "STREAM"], "description": "Response transfer mode (osls)."}),
            );
        }
        Framework::V1 | Framework::V2 => {
            // 2.72.4: no `provider.apiGateway.stage` (3.24), no stage pattern,
            // `request.schema` still exists, scopes are plain strings, the
            // service may be an object, and the runtime list is older.
            s.pointer_mut("/definitions/apiGateway/properties")?
                .as_object_mut()?
                .remove("stage");
            *s.pointer_mut("/definitions/stage")? = json!({"type": "string"});
            s.pointer_mut("/definitions/httpEventObject/properties/request/properties")?
                .as_object_mut()?
                .insert(
                    "schema".to_owned(),
                    json!({
                        "type": "object",
                        "description": "Request body models by content type (replaced by `schemas` in Serverless 3).",
                        "additionalProperties": {"anyOf": [{"type": "object"}, {"type": "string"}]}
                    }),
                );
            *s.pointer_mut("/definitions/httpEventObject/properties/authorizer/anyOf/1/properties/scopes/items")? =
                json!({"type": "string"});
            let service = s.pointer_mut("/properties/service")?;
            let string_form = service.clone();
            *service = json!({
                "anyOf": [
                    string_form,
                    {"type": "object", "properties": {"name": {"type": "string", "pattern": "^[a-zA-Z][0-9a-zA-Z-]+$"}}, "required": ["name"]}
                ]
            });
            *s.pointer_mut("/definitions/awsLambdaRuntime")? = if framework == Framework::V2 {
                json!({"enum": [
                    "dotnetcore2.1", "dotnetcore3.1", "go1.x", "java11", "java8", "java8.al2",
                    "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "nodejs18.x",
                    "provided", "provided.al2", "python2.7", "python3.6", "python3.7", "python3.8",
                    "python3.9", "ruby2.5", "ruby2.7"
                ]})
            } else {
                // 1.x has no runtime list.
                json!({"type": "string"})
            };
        }
    }
    Some(s)
}

/// Validate a config and report what the mirrored release's schema (and
/// slsasync's own settings schema) says about it.
///
/// `root` is the document the framework sees (variables resolved where
/// possible), `raw` the document as written (used to underline a `${...}`
/// rather than the place its value was defined). Unresolved values are never
/// reported. Findings come sorted by place, then code.
pub fn check(root: &Node, raw: &Node, cx_framework: Framework) -> Vec<Finding> {
    let Some(compiled) = compiled(cx_framework) else {
        return Vec::new();
    };
    let mut instance = to_instance(root);
    if cx_framework != Framework::V1 {
        coerce_like_ajv(compiled, &mut instance);
    }
    let mode = root.get("configValidationMode").and_then(Node::as_str);
    let mode_error = match cx_framework {
        Framework::V1 => false,
        Framework::V2 | Framework::V3 => mode == Some("error"),
        // osls validates in `error` mode unless told otherwise.
        Framework::Osls => !matches!(mode, Some("warn" | "off")),
    };
    let aws = !matches!(root.get_path(&["provider", "name"]).and_then(Node::as_str), Some(n) if n != "aws" && !n.contains("${"));
    let mut reporter = Reporter {
        root,
        raw,
        schema: &compiled.schema,
        framework: cx_framework,
        mode_error,
        has_http: has_http_events(root),
        aws,
        out: Vec::new(),
    };
    for e in compiled.validator.iter_errors(&instance) {
        reporter.report(&e);
    }
    let mut out = reporter.out;
    out.sort_by(|a, b| {
        (a.primary.loc.file, a.primary.loc.start, a.code, &a.message).cmp(&(
            b.primary.loc.file,
            b.primary.loc.start,
            b.code,
            &b.message,
        ))
    });
    out.dedup_by(|a, b| {
        a.code == b.code && a.primary.loc == b.primary.loc && a.message == b.message
    });
    out
}

/// Apply ajv's `coerceTypes: 'array'` the way Serverless 2/3 do before
/// validating: values of a convertible type are converted in place, so they
/// are not reported (and a converted value is then checked like any other).
fn coerce_like_ajv(compiled: &Compiled, instance: &mut Json) {
    for _ in 0..3 {
        let mut fixes = Vec::new();
        for e in compiled.validator.iter_errors(instance) {
            collect_coercions(&e, &compiled.schema, &mut fixes);
        }
        let mut changed = false;
        for (ptr, value) in fixes {
            if let Some(slot) = instance.pointer_mut(&ptr)
                && *slot != value
            {
                *slot = value;
                changed = true;
            }
        }
        if !changed {
            return;
        }
    }
}

fn collect_coercions(e: &ValidationError<'_>, schema: &Json, out: &mut Vec<(String, Json)>) {
    match e.kind() {
        Kind::AnyOf { context } | Kind::OneOfNotValid { context } => {
            for branch in context {
                for sub in branch {
                    collect_coercions(sub, schema, out);
                }
            }
        }
        Kind::Type { .. } => {
            let ptr = e.instance_path().as_str();
            // Our own settings are read as written; an `http` value that is
            // not a string or mapping is reported as such (the framework
            // crashes on it either way).
            let segs: Vec<String> = segments(ptr).collect();
            if ptr.starts_with("/custom/slsasync") || matches!(http_rest(&segs), Some([])) {
                return;
            }
            let Some(types) = schema.pointer(e.schema_path().as_str()).map(type_names) else {
                return;
            };
            if let Some(v) = types.iter().find_map(|t| coerce(e.instance(), t)) {
                out.push((ptr.to_owned(), v));
            }
        }
        _ => {}
    }
}

/// Whether any function has an `http` event (map or list form of `functions`).
fn has_http_events(root: &Node) -> bool {
    let has = |functions: &Node| {
        functions.as_map().is_some_and(|m| {
            m.iter().any(|f| {
                f.value
                    .get("events")
                    .and_then(Node::as_seq)
                    .is_some_and(|evs| evs.iter().any(|ev| ev.get("http").is_some()))
            })
        })
    };
    match root.get("functions") {
        Some(f) if f.as_seq().is_some() => f.as_seq().is_some_and(|items| items.iter().any(has)),
        Some(f) => has(f),
        None => false,
    }
}

#[cfg(test)]
mod tests;
