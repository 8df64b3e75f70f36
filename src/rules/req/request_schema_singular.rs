//! SLS-REQ-005: `request.schema` on Serverless 3.

use crate::model::HttpEvent;
use crate::rules::util::{REFUSED_BY_SCHEMA, fix, get, is_active, rename_key, schema_refuses};
use crate::rules::{Applicability, Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct RequestSchemaSingular;

static META: RuleMeta = RuleMeta {
    code: "SLS-REQ-005",
    name: "request-schema-singular",
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    summary: "`request.schema` was removed in Serverless 3; use `request.schemas`",
    doc: r#"## What it flags

`request.schema` when Serverless 3 is targeted.

## Why it matters

Serverless 3 removed `request.schema`: it prints `unrecognized property
'schema'` and ignores it, so no model and no request validator are created and
request bodies are no longer validated.

## Example

```yaml
frameworkVersion: '3'
functions:
  create:
    handler: handler.create
    events:
      - http:
          path: items
          method: post
          request:
            schema:
              application/json:
                type: object
                required: [name]
```

## Fixed example

```yaml
frameworkVersion: '3'
functions:
  create:
    handler: handler.create
    events:
      - http:
          path: items
          method: post
          request:
            schemas:
              application/json:
                type: object
                required: [name]
```

## Fix

Renames the key to `schemas` (when there is no `schemas` key yet). Unsafe:
validation starts again, so requests that do not match the schema get 400.
"#,
};

impl Rule for RequestSchemaSingular {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if cx.framework().major() < 3 || !is_active(ev) {
            return Vec::new();
        }
        let Some(req) = get(ev, "request").and_then(|r| r.as_map()) else {
            return Vec::new();
        };
        let Some(e) = req.entry("schema") else {
            return Vec::new();
        };
        let mut message = "`request.schema` was removed in v3; use `request.schemas`.".to_owned();
        let refused = schema_refuses(cx);
        if refused {
            message.push_str(REFUSED_BY_SCHEMA);
        }
        let mut f = Finding::new(&META, message, e.key_loc, "ignored by Serverless 3")
            .anchor(ev.http_key)
            .help("rename `schema` to `schemas`");
        if refused {
            f = f.severity(Severity::Error);
        }
        if !req.contains_key("schemas")
            && let Some(fx) = rename_key(cx, ev, e, "schemas")
                .and_then(|ed| fix("Rename to `schemas`", Applicability::Unsafe, vec![ed]))
        {
            f = f.fix(fx);
        }
        vec![f]
    }
}
