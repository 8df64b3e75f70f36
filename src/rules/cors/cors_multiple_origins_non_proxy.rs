//! SLS-CORS-002: several origins with a non-proxy integration.

use super::cors_map;
use crate::model::HttpEvent;
use crate::rules::util::{Kind, entry_loc, get, integration, is_active};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct CorsMultipleOriginsNonProxy;

static META: RuleMeta = RuleMeta {
    code: "SLS-CORS-002",
    name: "cors-multiple-origins-non-proxy",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "Several CORS origins with a `lambda`/`http` integration give a comma-joined Access-Control-Allow-Origin",
    doc: r#"## What it flags

`cors.origins` with more than one entry (or an `origin` containing a comma) on an
event with the `lambda` or `http` integration (or `mock` with a `response`).

## Why it matters

For these integrations the framework writes `Access-Control-Allow-Origin` into
every integration response as the origins joined with `,`. Browsers accept only
a single origin (or `*`) in that header and reject the response. Only the
OPTIONS preflight picks the matching origin.

## Example

```yaml
functions:
  api:
    handler: handler.api
    events:
      - http:
          path: items
          method: get
          integration: lambda
          cors:
            origins:
              - https://app.example.com
              - https://admin.example.com
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
          cors:
            origin: https://app.example.com
```

## Fix

None.

## References

- serverless/serverless issue #10437
"#,
};

impl Rule for CorsMultipleOriginsNonProxy {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        match integration(ev).kind() {
            Some(Kind::Aws | Kind::Http) => {}
            Some(Kind::Mock) if get(ev, "response").is_some_and(|r| r.as_map().is_some()) => {}
            _ => return Vec::new(),
        }
        let Some(cors) = cors_map(ev) else {
            return Vec::new();
        };
        let origins = cors.get("origins");
        if origins.is_some_and(|o| o.is_unresolved()) {
            return Vec::new();
        }
        let (loc, joined) = match origins.and_then(|o| o.as_seq()) {
            Some(items) if !items.is_empty() => {
                if items.len() < 2 || items.iter().any(|i| i.is_unresolved()) {
                    return Vec::new();
                }
                let Some(o) = cors.entry("origins") else {
                    return Vec::new();
                };
                (
                    entry_loc(o),
                    items
                        .iter()
                        .map(|i| i.js_string())
                        .collect::<Vec<_>>()
                        .join(","),
                )
            }
            _ => match cors.get("origin") {
                Some(o) if o.as_str().is_some_and(|s| s.contains(',')) => (o.loc, o.js_string()),
                _ => return Vec::new(),
            },
        };
        vec![
            Finding::new(
                &META,
                format!("The non-preflight response gets `Access-Control-Allow-Origin: {joined}`, which browsers reject; only the OPTIONS response picks one origin."),
                loc,
                "joined into one header value",
            )
            .anchor(ev.http_key)
            .help("use a single origin (or `*`) here, or a proxy integration whose handler echoes the request's allowed `Origin`"),
        ]
    }
}
