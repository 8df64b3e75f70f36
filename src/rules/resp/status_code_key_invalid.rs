//! SLS-RESP-004: a status-code key that is not three digits.

use crate::model::HttpEvent;
use crate::rules::util::{integration, is_active, status_codes};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct StatusCodeKeyInvalid;

static META: RuleMeta = RuleMeta {
    code: "SLS-RESP-004",
    name: "status-code-key-invalid",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "A `response.statusCodes` key is not a three-digit HTTP status code",
    doc: r#"## What it flags

A key of `response.statusCodes` that is not three digits, such as `2xx`, `20`
or `default`.

## Why it matters

Serverless 1.x writes the key as the `StatusCode` of the integration and method
responses, which CloudFormation/API Gateway reject at deploy time; Serverless
2/3 print a schema warning (`must match pattern "^\d{3}$"`) and do the same.
With a proxy integration the whole `response` is dropped, so it is only a
warning there.

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
          response:
            statusCodes:
              2xx:
                pattern: ''
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
          response:
            statusCodes:
              200:
                pattern: ''
```

## Fix

None: the intended code cannot be guessed.
"#,
};

impl Rule for StatusCodeKeyInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let Some((_, codes)) = status_codes(ev) else {
            return Vec::new();
        };
        let proxy = integration(ev).kind().is_some_and(|k| k.is_proxy());
        codes
            .iter()
            .filter(|c| !(c.key.len() == 3 && c.key.bytes().all(|b| b.is_ascii_digit())))
            .map(|c| {
                let mut f = Finding::new(
                    &META,
                    format!(
                        "`{}` is not an HTTP status code (expected three digits).",
                        c.key
                    ),
                    c.key_loc,
                    "not a status code",
                )
                .anchor(ev.http_key)
                .help("use one key per HTTP status code, e.g. `200`, `202`, `400`");
                if proxy {
                    f = f.severity(Severity::Warning);
                }
                f
            })
            .collect()
    }
}
