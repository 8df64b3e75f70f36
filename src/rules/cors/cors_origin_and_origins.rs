//! SLS-CORS-001: both `origin` and `origins`.

use super::cors_map;
use crate::model::{Framework, HttpEvent};
use crate::rules::util::is_active;
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct CorsOriginAndOrigins;

static META: RuleMeta = RuleMeta {
    code: "SLS-CORS-001",
    name: "cors-origin-and-origins",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`cors` sets both `origin` and `origins`",
    doc: r#"## What it flags

A `cors` mapping with both `origin` and `origins`.

## Why it matters

Serverless 1.x refuses the config (`You can only use "origin" or "origins", but
not both at the same time to configure CORS.`). Serverless 2/3 accept it and
silently use `origins`, ignoring `origin` (reported as a warning for them).

## Example

```yaml
functions:
  api:
    handler: handler.api
    events:
      - http:
          path: items
          method: get
          cors:
            origin: https://app.example.com
            origins:
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
          cors:
            origins:
              - https://app.example.com
              - https://admin.example.com
```

## Fix

None: merge the two into `origins` yourself.
"#,
};

impl Rule for CorsOriginAndOrigins {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let Some(cors) = cors_map(ev) else {
            return Vec::new();
        };
        let (Some(a), Some(b)) = (cors.entry("origin"), cors.entry("origins")) else {
            return Vec::new();
        };
        if !(a.value.is_unresolved() || a.value.truthy())
            || !(b.value.is_unresolved() || b.value.truthy())
        {
            return Vec::new();
        }
        let (first, second) = if a.key_loc.start <= b.key_loc.start {
            (a, b)
        } else {
            (b, a)
        };
        let mut message = "You can only use \"origin\" or \"origins\", but not both at the same time to configure CORS.".to_owned();
        if cx.framework() != Framework::V1 {
            message.push_str(" Serverless 2/3 accept it and ignore `origin`.");
        }
        let mut f = Finding::new(
            &META,
            message,
            second.key_loc,
            format!("`{}` here", second.key),
        )
        .related(first.key_loc, format!("and `{}` here", first.key))
        .anchor(ev.http_key)
        .help("keep only `origins` and list every allowed origin in it");
        if cx.framework() != Framework::V1 {
            f = f.severity(Severity::Warning);
        }
        vec![f]
    }
}
