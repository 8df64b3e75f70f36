//! SLS-ASYNC-003: `async: true` with an `http`, `http-proxy` or `mock` integration.

use crate::model::HttpEvent;
use crate::rules::util::{
    Integration, Kind, delete_entry, fix, http_map, integration, is_active, is_async, shown,
};
use crate::rules::{Applicability, Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct AsyncOnHttpOrMock;

static META: RuleMeta = RuleMeta {
    code: "SLS-ASYNC-003",
    name: "async-on-http-or-mock",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    summary: "`async` on an `http`, `http-proxy` or `mock` integration only adds a header",
    doc: r#"## What it flags

An http event with a truthy `async` and `integration: http`, `http-proxy` or `mock`.

## Why it matters

`async` only changes how API Gateway invokes a Lambda function. With these
integrations no function is invoked: the framework just adds
`X-Amz-Invocation-Type: 'Event'` to the integration request (sent on to the HTTP
backend, or ignored by the mock). Nothing becomes asynchronous.

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
          async: true
          request:
            uri: https://example.com/upstream
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

Deletes the `async` line (block style, when it is alone on its line). Safe for
`mock`; unsafe for `http`/`http-proxy`, because the backend stops receiving the
`X-Amz-Invocation-Type` header.
"#,
};

impl Rule for AsyncOnHttpOrMock {
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
            kind,
            explicit: Some(node),
        } = integration(ev)
        else {
            return Vec::new();
        };
        if !matches!(kind, Kind::Http | Kind::HttpProxy | Kind::Mock) {
            return Vec::new();
        }
        let written = shown(cx, node).trim_matches(['\'', '"']).to_owned();
        let message = format!(
            "`async` only affects Lambda invocation; with `{written}` it just adds an `X-Amz-Invocation-Type: Event` header to the integration request. Remove `async`."
        );
        let mut f = Finding::new(
            &META,
            message,
            async_e.key_loc,
            "has no effect on invocation",
        )
        .related(node.loc, "no Lambda function is invoked")
        .anchor(ev.http_key)
        .help("delete the `async` line");
        let applicability = if kind == Kind::Mock {
            Applicability::Safe
        } else {
            Applicability::Unsafe
        };
        if let Some(fx) = delete_entry(cx, ev, ev.http, async_e)
            .and_then(|e| fix("Remove `async`", applicability, vec![e]))
        {
            f = f.fix(fx);
        }
        vec![f]
    }
}
