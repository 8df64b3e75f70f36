//! SLS-PATH-004: a method API Gateway does not support.

use crate::model::HttpEvent;
use crate::rules::util::{closest, get, is_active, method_str, shorthand_parts};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct MethodInvalid;

static META: RuleMeta = RuleMeta {
    code: "SLS-PATH-004",
    name: "method-invalid",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "The method is not one of get, post, put, patch, options, head, delete, any",
    doc: r#"## What it flags

An http event whose method (object form `method`, or the first word of the
string shorthand) is not `get`, `post`, `put`, `patch`, `options`, `head`,
`delete` or `any` in any letter case, e.g. `fetch`, `ALL`, `*`.

## Why it matters

Serverless 1.x refuses the config (`Invalid APIG method "fetch" in function
"f"`). Serverless 2/3 print a schema warning and generate
`ApiGatewayMethod…Fetch` with `HttpMethod: FETCH`, which CloudFormation rejects
at deploy time; with `configValidationMode: error` they refuse it too.

## Example

```yaml
functions:
  f:
    handler: handler.f
    events:
      - http:
          path: items
          method: fetch
```

## Fixed example

```yaml
functions:
  f:
    handler: handler.f
    events:
      - http:
          path: items
          method: get
```

## Fix

None (the help names the closest method when there is one).
"#,
};

const METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "options", "head", "delete", "any",
];

impl Rule for MethodInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let Some(m) = method_str(ev) else {
            return Vec::new();
        };
        // `http: ANY/users` (no space) has no path: the whole text is not a
        // method gone wrong but a route without its space, SLS-SHAPE-001's.
        if ev
            .http
            .as_str()
            .is_some_and(|s| shorthand_parts(s).1.is_none())
        {
            return Vec::new();
        }
        if m.is_empty() || METHODS.contains(&m.to_lowercase().as_str()) {
            return Vec::new();
        }
        let loc = if ev.http.as_str().is_some() {
            ev.http.loc
        } else {
            get(ev, "method").map_or(ev.http.loc, |n| n.loc)
        };
        let message = format!(
            "Invalid APIG method \"{m}\" in function \"{}\". AWS supported methods are: get, post, put, patch, options, head, delete, any.",
            ev.function
        );
        let help = match closest(m, &METHODS) {
            Some(c) => format!("did you mean `{c}`? (`any` matches every method)"),
            None => {
                "use one of get, post, put, patch, options, head, delete, or `any` for all of them"
                    .to_owned()
            }
        };
        vec![
            Finding::new(&META, message, loc, "not an API Gateway method")
                .anchor(ev.http_key)
                .help(help),
        ]
    }
}
