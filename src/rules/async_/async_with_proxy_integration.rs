//! SLS-ASYNC-002: `async: true` with the `lambda-proxy` integration.

use crate::model::HttpEvent;
use crate::rules::util::{Integration, Kind, http_map, integration, is_active, is_async, shown};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct AsyncWithProxyIntegration;

static META: RuleMeta = RuleMeta {
    code: "SLS-ASYNC-002",
    name: "async-with-proxy-integration",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "`async: true` with `lambda-proxy`: API Gateway has no function result to answer with",
    doc: r#"## What it flags

An http event with a truthy `async` and an explicit `integration: lambda-proxy`
(any spelling: `aws_proxy`, `aws-proxy`, `LAMBDA_PROXY`…).

## Why it matters

The framework keeps the `AWS_PROXY` type and only adds the
`X-Amz-Invocation-Type: 'Event'` header; it prints no warning. AWS documents
asynchronous invocation only for the non-proxy Lambda integration: with the proxy
integration API Gateway expects the function's proxy response, which an
asynchronous invocation never returns. What the caller gets is not documented.

## Example

```yaml
functions:
  hook:
    handler: handler.hook
    events:
      - http:
          path: hook
          method: post
          integration: lambda-proxy
          async: true
```

## Fixed example

```yaml
functions:
  hook:
    handler: handler.hook
    events:
      - http:
          path: hook
          method: post
          integration: lambda
          async: true
          response:
            statusCodes:
              202:
                pattern: ''
```

## Fix

None: switching to `lambda` changes the event the handler receives and the
response contract.

## References

- AWS API Gateway guide, "Set up asynchronous invocation of the backend Lambda function"
- serverless-offline PRs #1247, #1451
"#,
};

const MESSAGE: &str = "Asynchronous invocation is only documented for the non-proxy Lambda integration; with `lambda-proxy` API Gateway gets no function result to turn into a response. Use `integration: lambda` (and a `response.statusCodes` default) for a fire-and-forget endpoint.";

impl Rule for AsyncWithProxyIntegration {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        let Some(map) = http_map(ev).filter(|_| is_active(ev)) else {
            return Vec::new();
        };
        let (Some(async_e), Some(true)) = (map.entry("async"), is_async(ev)) else {
            return Vec::new();
        };
        let Integration::Known {
            kind: Kind::AwsProxy,
            explicit: Some(node),
        } = integration(ev)
        else {
            return Vec::new();
        };
        vec![
            Finding::new(&META, MESSAGE, async_e.value.loc, "asynchronous invocation")
                .related(node.loc, format!("proxy integration `{}` here", shown(cx, node).trim_matches(['\'', '"'])))
                .anchor(ev.http_key)
                .help("use `integration: lambda` with a `response.statusCodes` default (e.g. `202: {pattern: ''}`), or drop `async` to keep the proxy integration synchronous"),
        ]
    }
}
