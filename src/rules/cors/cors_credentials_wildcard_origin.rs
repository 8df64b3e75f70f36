//! SLS-CORS-003: `allowCredentials: true` with origin `*`.

use super::cors_map;
use crate::model::HttpEvent;
use crate::rules::util::is_active;
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct CorsCredentialsWildcardOrigin;

static META: RuleMeta = RuleMeta {
    code: "SLS-CORS-003",
    name: "cors-credentials-wildcard-origin",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "`allowCredentials: true` with the `*` origin",
    doc: r#"## What it flags

A `cors` mapping with a truthy `allowCredentials` whose effective origin is
`*`: `origin: '*'`, `'*'` among `origins`, or no origin at all (the framework's
default is `*`).

## Why it matters

Browsers refuse credentialed requests when `Access-Control-Allow-Origin` is
`*`: cookies and `Authorization` headers are not sent, or the response is
rejected.

## Example

```yaml
functions:
  api:
    handler: handler.api
    events:
      - http:
          path: me
          method: get
          cors:
            allowCredentials: true
```

## Fixed example

```yaml
functions:
  api:
    handler: handler.api
    events:
      - http:
          path: me
          method: get
          cors:
            origin: https://app.example.com
            allowCredentials: true
```

## Fix

None: the allowed origin is yours to give.

## References

- serverless/serverless issue #7060
"#,
};

impl Rule for CorsCredentialsWildcardOrigin {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let Some(cors) = cors_map(ev) else {
            return Vec::new();
        };
        let Some(creds) = cors.get("allowCredentials") else {
            return Vec::new();
        };
        if creds.is_unresolved() || !creds.truthy() {
            return Vec::new();
        }
        let origins = cors.get("origins");
        let origin = cors.get("origin");
        if origins.is_some_and(|o| o.is_unresolved()) || origin.is_some_and(|o| o.is_unresolved()) {
            return Vec::new();
        }
        let wildcard_at = match origins.and_then(|o| o.as_seq()).filter(|s| !s.is_empty()) {
            Some(items) => items
                .iter()
                .find(|i| i.as_str() == Some("*"))
                .map(|i| Some(i.loc)),
            None => match origin {
                Some(o) if o.truthy() => (o.as_str() == Some("*")).then_some(Some(o.loc)),
                _ => Some(None),
            },
        };
        let Some(origin_loc) = wildcard_at else {
            return Vec::new();
        };
        let mut f = Finding::new(
            &META,
            "Browsers ignore credentials when the allowed origin is `*`.",
            creds.loc,
            "credentials allowed",
        )
        .anchor(ev.http_key)
        .help("set `origin` (or `origins`) to the exact site(s) that send credentials");
        f = match origin_loc {
            Some(l) => f.related(l, "origin `*` here"),
            None => f.related(ev.http_key, "no origin: the default is `*`"),
        };
        vec![f]
    }
}
