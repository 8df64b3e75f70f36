//! SLS-REQ-002: `request.template` is not a mapping.

use crate::model::{Framework, HttpEvent};
use crate::rules::util::{Kind, REFUSED_BY_SCHEMA, get, integration, is_active, schema_refuses};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct RequestTemplateNotMapping;

static META: RuleMeta = RuleMeta {
    code: "SLS-REQ-002",
    name: "request-template-not-mapping",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`request.template` must map content types to templates",
    doc: r#"## What it flags

A `request.template` that is not a mapping of content type → template, e.g. a
template string written directly under `template:`.

## Why it matters

Serverless 1.x refuses the config (`Template config must be provided as an
object.`). Serverless 2/3 print a schema warning, ignore the value and keep the
default templates: the template you wrote is never used (reported as a warning
for those versions).

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
          request:
            template: '{"body": $input.json("$")}'
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
          request:
            template:
              application/json: '{"body": $input.json("$")}'
```

## Fix

None: the content type is yours to choose.
"#,
};

impl Rule for RequestTemplateNotMapping {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let Some(kind) = integration(ev)
            .kind()
            .filter(|k| matches!(k, Kind::Aws | Kind::Http | Kind::Mock))
        else {
            return Vec::new();
        };
        let Some(node) = get(ev, "request")
            .and_then(|r| r.as_map())
            .and_then(|r| r.get("template"))
        else {
            return Vec::new();
        };
        if node.is_unresolved() || !node.truthy() || node.as_map().is_some() {
            return Vec::new();
        }
        let v1_refuses =
            cx.framework() == Framework::V1 && kind != Kind::Mock && node.as_seq().is_none();
        let refused = v1_refuses || schema_refuses(cx);
        let mut message = "Template config must be provided as an object.".to_owned();
        if cx.framework() != Framework::V1 {
            message.push_str(" Serverless ignores this value and keeps the default templates.");
        }
        if schema_refuses(cx) {
            message.push_str(REFUSED_BY_SCHEMA);
        }
        let mut f = Finding::new(
            &META,
            message,
            node.loc,
            format!("{}, not a mapping", node.type_name()),
        )
        .anchor(ev.http_key)
        .help("map each content type to its template: `template: {application/json: '...'}`");
        if !refused {
            f = f.severity(Severity::Warning);
        }
        vec![f]
    }
}
