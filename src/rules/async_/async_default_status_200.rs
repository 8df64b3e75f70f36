//! SLS-ASYNC-006: an async endpoint still answers 200 by default.

use crate::model::HttpEvent;
use crate::rules::util::{Integration, Kind, http_map, integration, is_active, is_async};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};
use crate::source::Value;

pub struct AsyncDefaultStatus200;

static META: RuleMeta = RuleMeta {
    code: "SLS-ASYNC-006",
    name: "async-default-status-200",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "An async endpoint answers 200, not 202 Accepted",
    doc: r#"## What it flags

An asynchronous `lambda` endpoint whose default integration response is the
framework's `200`: no `response`, a `response` without `statusCodes`, or
`statusCodes` in which no code has `pattern: ''`.

## Why it matters

With asynchronous invocation API Gateway answers at once with the default
integration response. Serverless makes that `200` unless another code has an
empty pattern. The framework's docs once promised `202`; clients written
against that promise break.

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
          integration: lambda
          async: true
          response:
            statusCodes:
              202:
                pattern: ''
```

## Fix

None: the status code is part of the API contract.

## References

- serverless/serverless PR #5957 (docs corrected from 202 to 200)
"#,
};

const MESSAGE: &str = "API Gateway answers asynchronous calls with the default integration response, 200 here. If clients expect 202 Accepted set `response.statusCodes: {202: {pattern: ''}}`.";

impl Rule for AsyncDefaultStatus200 {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        let Some(map) = http_map(ev).filter(|_| is_active(ev)) else {
            return Vec::new();
        };
        let (Some(async_e), Some(true)) = (map.entry("async"), is_async(ev)) else {
            return Vec::new();
        };
        if !matches!(
            integration(ev),
            Integration::Known {
                kind: Kind::Aws,
                ..
            }
        ) {
            return Vec::new();
        }
        let loc = match map.entry("response") {
            Some(r) if r.value.is_unresolved() => return Vec::new(),
            Some(r) if r.value.as_map().is_some_and(|m| !m.is_empty()) => {
                match r.value.as_map().and_then(|m| m.entry("statusCodes")) {
                    Some(sc) => {
                        let Some(codes) = sc.value.as_map() else {
                            // Unresolved or not a mapping: another rule's business.
                            return Vec::new();
                        };
                        if codes.iter().any(|c| {
                            c.value.is_unresolved()
                                || c.value.get("pattern").is_some_and(|p| p.is_unresolved())
                        }) {
                            return Vec::new();
                        }
                        let has_default = codes
                        .iter()
                        .any(|c| matches!(c.value.get("pattern").map(|p| &p.value), Some(Value::String(s)) if s.is_empty()));
                        if has_default {
                            return Vec::new();
                        }
                        sc.key_loc
                    }
                    None => r.key_loc,
                }
            }
            Some(r) if r.value.truthy() && r.value.as_map().is_none() => return Vec::new(),
            _ => async_e.value.loc,
        };
        vec![
            Finding::new(&META, MESSAGE, loc, "default response: 200")
                .anchor(ev.http_key)
                .help("add `response: {statusCodes: {202: {pattern: ''}}}` if callers should get 202 Accepted"),
        ]
    }
}
