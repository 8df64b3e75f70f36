//! SLS-INT-004: `http` without `response`, or `mock` with a `response` lacking `statusCodes`.

use crate::model::{Framework, HttpEvent};
use crate::rules::util::{Kind, entry, get, integration, is_active};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct IntegrationWithoutStatusCodes;

static META: RuleMeta = RuleMeta {
    code: "SLS-INT-004",
    name: "integration-without-status-codes",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`http` without `response`, or `mock` with a `response` lacking `statusCodes`, crashes Serverless ≥ 2.3",
    doc: r#"## What it flags

`integration: http` with no `response`, and `integration: mock` with a
`response` that has no `statusCodes`.

## Why it matters

Since 2.3.0 the framework iterates `response.statusCodes` for these
integrations without a default and crashes with
`TypeError: Cannot convert undefined or null to object`. Serverless 1.x packages
the config (with empty integration responses), so the finding is only
informational when 1.x is the only target.

## Example

```yaml
functions:
  proxy:
    handler: handler.proxy
    events:
      - http:
          path: upstream
          method: get
          integration: http
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
          integration: http
          request:
            uri: https://example.com/upstream
          response:
            statusCodes:
              200:
                pattern: ''
```

## Fix

None: the responses are part of your API.
"#,
};

const MESSAGE: &str = "Serverless ≥2.3 crashes on this configuration (TypeError: Cannot convert undefined or null to object); add `response.statusCodes`.";

impl Rule for IntegrationWithoutStatusCodes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let response = get(ev, "response");
        if response.is_some_and(|r| r.is_unresolved()) {
            return Vec::new();
        }
        let loc = match integration(ev).kind() {
            Some(Kind::Http) if !response.is_some_and(|r| r.truthy()) => ev.http.loc,
            Some(Kind::Mock) => match response {
                Some(r) if r.as_map().is_some() => {
                    let sc = r.get("statusCodes");
                    if sc.is_some_and(|s| s.is_unresolved() || s.truthy()) {
                        return Vec::new();
                    }
                    entry(ev, "response").map_or(r.loc, |e| e.key_loc)
                }
                _ => return Vec::new(),
            },
            _ => return Vec::new(),
        };
        let mut f = Finding::new(&META, MESSAGE, loc, "no `response.statusCodes`")
            .anchor(ev.http_key)
            .help("add `response: {statusCodes: {200: {pattern: ''}}}` (and the other codes your backend returns)");
        if cx.framework() == Framework::V1 {
            f = f.severity(Severity::Info);
        }
        vec![f]
    }
}
