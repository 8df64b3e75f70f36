//! SLS-CORS-004: `cors` on a proxy integration.

use crate::model::HttpEvent;
use crate::rules::util::{get, http_map, integration, is_active};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct CorsOnProxy;

static META: RuleMeta = RuleMeta {
    code: "SLS-CORS-004",
    name: "cors-on-proxy",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "With a proxy integration `cors` only creates the OPTIONS preflight",
    doc: r#"## What it flags

`cors` on an event whose integration is `lambda-proxy` (written, or the
default) or `http-proxy`.

## Why it matters

For proxy integrations the framework only generates the OPTIONS preflight
method. The actual responses come from your handler (or backend), which must
set `Access-Control-Allow-Origin` (and `…-Credentials`) itself; otherwise the
browser blocks them even though the preflight succeeds.

## Example

```yaml
functions:
  api:
    handler: handler.api
    events:
      - http:
          path: items
          method: get
          cors: true
```

## Fixed example

```yaml
functions:
  api:
    handler: handler.api
    events:
      - http:
          path: items
          method: get
          integration: lambda
          cors: true
```

(or keep the proxy integration and return the `Access-Control-Allow-*` headers
from the handler)

## Fix

None.
"#,
};

impl Rule for CorsOnProxy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        let Some(map) = http_map(ev).filter(|_| is_active(ev)) else {
            return Vec::new();
        };
        let Some(kind) = integration(ev).kind().filter(|k| k.is_proxy()) else {
            return Vec::new();
        };
        let Some(e) = map.entry("cors") else {
            return Vec::new();
        };
        if get(ev, "cors").is_some_and(|c| c.is_unresolved() || !c.truthy()) {
            return Vec::new();
        }
        let t = if kind == crate::rules::util::Kind::AwsProxy {
            "lambda-proxy"
        } else {
            "http-proxy"
        };
        vec![
            Finding::new(
                &META,
                format!("With {t} only the OPTIONS response is generated; your handler must return the Access-Control-* headers."),
                e.key_loc,
                "preflight only",
            )
            .anchor(ev.http_key)
            .help("return `Access-Control-Allow-Origin` (and `Access-Control-Allow-Credentials` if used) from the handler's responses"),
        ]
    }
}
