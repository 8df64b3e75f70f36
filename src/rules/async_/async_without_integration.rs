//! SLS-ASYNC-001: `async: true` with no `integration`.

use crate::model::HttpEvent;
use crate::rules::util::{
    fix, framework_version, get, http_map, insert_after, is_active, is_async, range_allows,
};
use crate::rules::{Applicability, Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct AsyncWithoutIntegration;

static META: RuleMeta = RuleMeta {
    code: "SLS-ASYNC-001",
    name: "async-without-integration",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    summary: "`async: true` without `integration` silently switches the endpoint to the non-proxy `lambda` integration",
    doc: r#"## What it flags

An http event with a truthy `async` and no `integration` key (or an empty one).

## Why it matters

From Serverless 1.40.0 on, when `integration` is absent and `async` is truthy the
framework picks the non-proxy `lambda` integration (`AWS`) instead of the default
`lambda-proxy`. The handler then receives the mapping-template event (`body`,
`method`, `headers`, `stage`…) rather than the API Gateway proxy event, and the
caller gets the default integration response (200) immediately. Nothing in the
file says so.

## Example

```yaml
functions:
  job:
    handler: handler.job
    events:
      - http:
          path: jobs
          method: post
          async: true
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
          async: true
          integration: lambda
```

## Fix

Inserts `integration: lambda` on the line after `async`, at the same indentation
(block style only). Safe: it spells out what the framework already does. Marked
unsafe when `frameworkVersion` also allows releases before 1.40.0, which ignore
`async` and would now switch to `lambda`.

## References

- serverless/serverless PR #5898 (feature), issue #4862
- serverless-offline #1023, #1159
"#,
};

const MESSAGE: &str = "`async: true` without `integration` makes Serverless switch this endpoint to the non-proxy `lambda` integration: your handler receives the mapping-template event, not the API Gateway proxy event, and the caller gets 200 immediately. Add `integration: lambda` to make this explicit.";

impl Rule for AsyncWithoutIntegration {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        let Some(map) = http_map(ev).filter(|_| is_active(ev)) else {
            return Vec::new();
        };
        let Some(async_e) = map.entry("async") else {
            return Vec::new();
        };
        if is_async(ev) != Some(true) {
            return Vec::new();
        }
        if get(ev, "integration").is_some_and(|i| i.is_unresolved() || i.truthy()) {
            return Vec::new();
        }
        let mut f = Finding::new(&META, MESSAGE, async_e.value.loc, "no `integration`: the framework switches to `lambda`")
            .anchor(ev.http_key)
            .help("add `integration: lambda` next to `async` (what Serverless uses anyway); if the handler expects the proxy event, adapt it to the mapping-template event");
        if !map.contains_key("integration") {
            let old = framework_version(cx).is_some_and(|(r, _)| range_allows(&r, "<1.40.0"));
            let applicability = if old {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            if let Some(fx) = insert_after(cx, ev, ev.http, async_e, "integration: lambda")
                .and_then(|e| fix("Add `integration: lambda`", applicability, vec![e]))
            {
                f = f.fix(fx);
            }
        }
        vec![f]
    }
}
