//! SLS-INT-003: `http`/`http-proxy` without `request.uri`.

use crate::model::HttpEvent;
use crate::rules::util::{Kind, entry, get, integration, is_active};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct HttpIntegrationWithoutUri;

static META: RuleMeta = RuleMeta {
    code: "SLS-INT-003",
    name: "http-integration-without-uri",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`http`/`http-proxy` integration without `request.uri`",
    doc: r#"## What it flags

An event with `integration: http` or `http-proxy` whose `request.uri` is
missing or empty.

## Why it matters

Every Serverless version refuses the config: `You need to set the request uri
when using the HTTP integration.`

## Example

```yaml
functions:
  proxy:
    handler: handler.proxy
    events:
      - http:
          path: upstream
          method: get
          integration: http-proxy
```

## Fixed example

```yaml
functions:
  proxy:
    handler: handler.proxy
    events:
      - http:
          path: upstream
          method: get
          integration: http-proxy
          request:
            uri: https://example.com/upstream
```

## Fix

None: the backend URL is yours to give.
"#,
};

impl Rule for HttpIntegrationWithoutUri {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let Some(kind) = integration(ev)
            .kind()
            .filter(|k| matches!(k, Kind::Http | Kind::HttpProxy))
        else {
            return Vec::new();
        };
        let request = get(ev, "request");
        if request.is_some_and(|r| r.is_unresolved()) {
            return Vec::new();
        }
        let uri = request.and_then(|r| r.get("uri"));
        if uri.is_some_and(|u| u.is_unresolved() || u.truthy()) {
            return Vec::new();
        }
        let request_key = entry(ev, "request")
            .filter(|e| e.value.as_map().is_some())
            .map(|e| e.key_loc);
        let loc = match (uri, request_key) {
            (Some(u), _) if !u.loc.is_empty() => u.loc,
            (_, Some(k)) => k,
            _ => ev.http.loc,
        };
        let t = kind.cfn();
        vec![
            Finding::new(&META, format!("You need to set the request uri when using the {t} integration."), loc, "no `request.uri`")
                .anchor(ev.http_key)
                .help("add `request: {uri: https://...}` with the backend URL (path parameters as `{name}`)"),
        ]
    }
}
