//! SLS-KEY-001: unknown keys inside an http event.

use crate::model::{Framework, HttpEvent};
use crate::rules::util::{REFUSED_BY_SCHEMA, closest, fix, is_active, rename_key, schema_refuses};
use crate::rules::{Applicability, Context, Finding, FixKind, Rule, RuleMeta, Severity};
use crate::source::Map;

pub struct HttpKeyUnknown;

static META: RuleMeta = RuleMeta {
    code: "SLS-KEY-001",
    name: "http-key-unknown",
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    summary: "Unknown key inside an http event (typo or wrong level): ignored",
    doc: r#"## What it flags

A key the framework does not read, at any level of an http event: the event
itself (`asynch`, `Async`, `uri`), `request` (`passthrough`), `response`
(`statuscodes`), a status code (`patern`), `request.parameters`, a parameter
object, `cors` and `authorizer`. The known keys depend on the version:
`request.schemas` needs 2.x, `request.schema` is gone in 3.x (see
SLS-REQ-005).

## Why it matters

Serverless 1.x ignores unknown keys silently; 2.x and 3.x print `unrecognized
property` and ignore them too (and refuse the config with
`configValidationMode: error`). A misspelt `async` leaves the endpoint
synchronous; a misspelt `statusCodes` keeps the nine default codes.

## Example

```yaml
functions:
  job:
    handler: handler.job
    events:
      - http:
          path: jobs
          method: post
          integration: lambda
          asynch: true
```

## Fixed example

```yaml
functions:
  job:
    handler: handler.job
    events:
      - http:
          path: jobs
          method: post
          integration: lambda
          async: true
```

## Fix

Renames the key to the closest known key of its level when it differs only in
letter case or by 1–2 edits and that key is not already present. Unsafe: the
setting starts to take effect (e.g. the endpoint becomes asynchronous).
"#,
};

const HTTP_KEYS: &[&str] = &[
    "path",
    "method",
    "integration",
    "async",
    "cors",
    "private",
    "operationId",
    "authorizer",
    "connectionType",
    "connectionId",
    "request",
    "response",
];
const PARAMETER_GROUPS: &[&str] = &["querystrings", "paths", "headers"];
const PARAMETER_KEYS: &[&str] = &["required", "mappedValue"];
const RESPONSE_KEYS: &[&str] = &["headers", "template", "statusCodes", "contentHandling"];
const STATUS_CODE_KEYS: &[&str] = &["pattern", "template", "headers"];
const CORS_KEYS: &[&str] = &[
    "origin",
    "origins",
    "headers",
    "methods",
    "allowCredentials",
    "maxAge",
    "cacheControl",
];
const AUTHORIZER_KEYS: &[&str] = &[
    "name",
    "arn",
    "authorizerId",
    "type",
    "resultTtlInSeconds",
    "identitySource",
    "identityValidationExpression",
    "claims",
    "scopes",
    "managedExternally",
];

fn request_keys(fw: Framework) -> Vec<&'static str> {
    let mut keys = vec![
        "uri",
        "method",
        "parameters",
        "template",
        "passThrough",
        "contentHandling",
    ];
    match fw.major() {
        1 => keys.push("schema"),
        2 => keys.extend(["schema", "schemas"]),
        _ => keys.push("schemas"),
    }
    keys
}

/// Where a key written directly under `http` probably belongs.
fn misplaced(key: &str) -> Option<&'static str> {
    Some(match key {
        "uri" => "request.uri",
        "parameters" => "request.parameters",
        "template" | "templates" => "request.template",
        "passThrough" => "request.passThrough",
        "schema" | "schemas" => "request.schemas",
        "statusCodes" => "response.statusCodes",
        "headers" => "response.headers",
        "origin" | "origins" => "cors.origins",
        _ => return None,
    })
}

impl HttpKeyUnknown {
    #[allow(clippy::too_many_arguments)]
    fn check_level(
        &self,
        cx: &Context<'_>,
        ev: &HttpEvent<'_>,
        map: &Map,
        known: &[&str],
        level: &str,
        skip: &[&str],
        out: &mut Vec<Finding>,
    ) {
        for e in map {
            if known.contains(&e.key.as_str()) || skip.contains(&e.key.as_str()) {
                continue;
            }
            if level == "request" && e.key == "schemas" {
                out.push(
                    Finding::new(
                        &META,
                        "Unknown property `schemas` is ignored: `request.schemas` needs Serverless 2.28.0 or later.",
                        e.key_loc,
                        "not read by Serverless 1.x",
                    )
                    .anchor(ev.http_key)
                    .help("use `request.schema` with Serverless 1.x, or target Serverless 2/3"),
                );
                continue;
            }
            let near = closest(&e.key, known);
            let hint = if level.is_empty() {
                misplaced(&e.key)
            } else {
                None
            };
            let mut message = match (near, hint) {
                (Some(c), _) => format!(
                    "Unknown property `{}` is ignored; did you mean `{c}`?",
                    e.key
                ),
                (None, Some(h)) => format!(
                    "Unknown property `{}` is ignored; did you mean `{h}`?",
                    e.key
                ),
                (None, None) => format!("Unknown property `{}` is ignored.", e.key),
            };
            let refused = schema_refuses(cx);
            if refused {
                message.push_str(REFUSED_BY_SCHEMA);
            }
            let place = if level.is_empty() {
                "http".to_owned()
            } else {
                format!("http.{level}")
            };
            let mut f = Finding::new(&META, message, e.key_loc, format!("not a key of `{place}`"))
                .anchor(ev.http_key)
                .help(match (near, hint) {
                    (Some(c), _) => format!("rename `{}` to `{c}`", e.key),
                    (None, Some(h)) => format!("move it to `{h}`"),
                    (None, None) => {
                        format!("remove it; known keys of `{place}`: {}", known.join(", "))
                    }
                });
            if refused {
                f = f.severity(Severity::Error);
            }
            if let Some(c) = near.filter(|c| !map.contains_key(c))
                && let Some(fx) = rename_key(cx, ev, e, c)
                    .and_then(|ed| fix(format!("Rename to `{c}`"), Applicability::Unsafe, vec![ed]))
            {
                f = f.fix(fx);
            }
            out.push(f);
        }
    }
}

impl Rule for HttpKeyUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        let Some(http) = ev.http.as_map().filter(|_| is_active(ev)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        self.check_level(cx, ev, http, HTTP_KEYS, "", &[], &mut out);
        if let Some(req) = http.get("request").and_then(|r| r.as_map()) {
            // `request.schema` on 3.x is SLS-REQ-005's.
            self.check_level(
                cx,
                ev,
                req,
                &request_keys(cx.framework()),
                "request",
                &["schema"],
                &mut out,
            );
            if let Some(params) = req.get("parameters").and_then(|p| p.as_map()) {
                self.check_level(
                    cx,
                    ev,
                    params,
                    PARAMETER_GROUPS,
                    "request.parameters",
                    &[],
                    &mut out,
                );
                for g in PARAMETER_GROUPS {
                    for p in params.get(g).and_then(|g| g.as_map()).into_iter().flatten() {
                        if let Some(obj) = p.value.as_map() {
                            let level = format!("request.parameters.{g}.{}", p.key);
                            self.check_level(cx, ev, obj, PARAMETER_KEYS, &level, &[], &mut out);
                        }
                    }
                }
            }
        }
        if let Some(resp) = http.get("response").and_then(|r| r.as_map()) {
            self.check_level(cx, ev, resp, RESPONSE_KEYS, "response", &[], &mut out);
            for c in resp
                .get("statusCodes")
                .and_then(|s| s.as_map())
                .into_iter()
                .flatten()
            {
                if let Some(settings) = c.value.as_map() {
                    let level = format!("response.statusCodes.{}", c.key);
                    self.check_level(cx, ev, settings, STATUS_CODE_KEYS, &level, &[], &mut out);
                }
            }
        }
        if let Some(cors) = http.get("cors").and_then(|c| c.as_map()) {
            self.check_level(cx, ev, cors, CORS_KEYS, "cors", &[], &mut out);
        }
        if let Some(auth) = http.get("authorizer").and_then(|a| a.as_map()) {
            self.check_level(cx, ev, auth, AUTHORIZER_KEYS, "authorizer", &[], &mut out);
        }
        out
    }
}
