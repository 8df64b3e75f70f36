//! SLS-REQ-004: (1.x) a request parameter object with `mappedValue` but no `required`.

use crate::model::{Framework, HttpEvent};
use crate::rules::util::{Kind, fix, get, insert_first, integration, is_active};
use crate::rules::{Applicability, Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct RequestParameterWithoutRequired;

static META: RuleMeta = RuleMeta {
    code: "SLS-REQ-004",
    name: "request-parameter-without-required",
    severity: Severity::Error,
    fix: FixKind::Unsafe,
    summary: "Serverless 1.x writes a parameter object without `required` into RequestParameters (invalid)",
    doc: r#"## What it flags

Only when Serverless 1.x is targeted: an object-form request parameter with
`mappedValue` but no `required`.

## Why it matters

From 1.75.0 to 2.4.x the framework writes the parameter's `required` into the
method's `RequestParameters`, or, when it is missing, the whole object, which
CloudFormation rejects. 2.5.0 defaults `required` to `true`.

## Example

```yaml
frameworkVersion: '>=1.75.0 <2.0.0'
functions:
  job:
    handler: handler.job
    events:
      - http:
          path: jobs
          method: get
          integration: lambda
          request:
            parameters:
              querystrings:
                id:
                  mappedValue: method.request.querystring.id
```

## Fixed example

```yaml
frameworkVersion: '>=1.75.0 <2.0.0'
functions:
  job:
    handler: handler.job
    events:
      - http:
          path: jobs
          method: get
          integration: lambda
          request:
            parameters:
              querystrings:
                id:
                  required: true
                  mappedValue: method.request.querystring.id
```

## Fix

Inserts `required: true` as the first key of the parameter object (block style
only). Unsafe: it makes the parameter required, which is what Serverless 2.5+
does, but it may not be what you want.

## References

- serverless/serverless PR #8329
"#,
};

impl Rule for RequestParameterWithoutRequired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if cx.framework() != Framework::V1 || !is_active(ev) {
            return Vec::new();
        }
        if !matches!(
            integration(ev).kind(),
            Some(Kind::Aws | Kind::AwsProxy | Kind::Http | Kind::HttpProxy)
        ) {
            return Vec::new();
        }
        let Some(params) = get(ev, "request")
            .and_then(|r| r.get("parameters"))
            .and_then(|p| p.as_map())
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for group in ["querystrings", "paths", "headers"] {
            let Some(items) = params.get(group).and_then(|g| g.as_map()) else {
                continue;
            };
            for p in items {
                let Some(obj) = p.value.as_map() else {
                    continue;
                };
                if !obj.contains_key("mappedValue")
                    || obj.get("required").is_some_and(|r| !r.is_null())
                {
                    continue;
                }
                let loc = if p.value.loc.is_empty() {
                    p.key_loc
                } else {
                    p.value.loc
                };
                let mut f = Finding::new(
                    &META,
                    "Serverless 1.x writes this object into the method's RequestParameters (invalid CloudFormation); add `required: true|false`.",
                    loc,
                    "no `required`",
                )
                .related(p.key_loc, format!("parameter `{}`", p.key))
                .anchor(ev.http_key)
                .help(format!("add `required: true` (or `false`) to parameter `{}`", p.key));
                if let Some(fx) = insert_first(cx, ev, &p.value, "required: true")
                    .and_then(|e| fix("Add `required: true`", Applicability::Unsafe, vec![e]))
                {
                    f = f.fix(fx);
                }
                out.push(f);
            }
        }
        out
    }
}
