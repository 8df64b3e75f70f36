//! SLS-RESP-006: status-code patterns on a proxy integration.

use crate::model::HttpEvent;
use crate::rules::util::{integration, is_active, status_codes};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct ProxyStatusCodes;

static META: RuleMeta = RuleMeta {
    code: "SLS-RESP-006",
    name: "proxy-status-codes",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "`response.statusCodes` on a proxy integration are dropped; the handler must set the status",
    doc: r#"## What it flags

`response.statusCodes` on an event whose integration is `lambda-proxy` (written,
or the default) or `http-proxy`.

## Why it matters

Selection patterns such as `.*\[404\].*` only exist for the non-proxy
integrations. With a proxy integration the framework deletes the whole
`response` block (with a warning that is easy to miss) and API Gateway returns
whatever `statusCode` the handler returns: an error message containing `[404]`
still gives 200 or 502.

## Example

```yaml
functions:
  api:
    handler: handler.api
    events:
      - http:
          path: items/{id}
          method: get
          response:
            statusCodes:
              404:
                pattern: '.*\[404\].*'
```

## Fixed example

```yaml
functions:
  api:
    handler: handler.api
    events:
      - http:
          path: items/{id}
          method: get
```

(and return `{statusCode: 404, body: ...}` from the handler)

## Fix

None: either move the status logic into the handler or switch to
`integration: lambda`, which changes the event the handler receives.

## References

- serverless/serverless issues #2968, #4119
"#,
};

const MESSAGE: &str = "Status-code patterns only apply to the `lambda` integration; with lambda-proxy they are dropped and the handler must return `statusCode` itself.";

impl Rule for ProxyStatusCodes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) || !integration(ev).kind().is_some_and(|k| k.is_proxy()) {
            return Vec::new();
        }
        let Some((sc, _)) = status_codes(ev) else {
            return Vec::new();
        };
        vec![
            Finding::new(&META, MESSAGE, sc.key_loc, "dropped by the proxy integration")
                .anchor(ev.http_key)
                .help("return the status code from the handler (`{statusCode: 404, ...}`), or use `integration: lambda` if you want selection patterns"),
        ]
    }
}
