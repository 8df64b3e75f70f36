//! SLS-RESP-007: a status code whose settings are empty (`null`).

use crate::model::HttpEvent;
use crate::rules::util::{Kind, integration, is_active, status_codes};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct StatusCodeSettingsNull;

static META: RuleMeta = RuleMeta {
    code: "SLS-RESP-007",
    name: "status-code-settings-null",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "A status code with an empty value crashes Serverless",
    doc: r#"## What it flags

An entry of `response.statusCodes` written with nothing after the colon
(`202:`), which YAML reads as `null`, with the `lambda`, `http` or `mock`
integration.

## Why it matters

The framework reads `pattern` of every entry (`code.pattern`); on `null` that is
`TypeError: Cannot read properties of null (reading 'pattern')` and packaging
stops, in every major version.

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
              202:
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
              202:
                pattern: ''
```

## Fix

None: say what the code is for (`pattern: ''` for the default).
"#,
};

impl Rule for StatusCodeSettingsNull {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev)
            || !matches!(
                integration(ev).kind(),
                Some(Kind::Aws | Kind::Http | Kind::Mock)
            )
        {
            return Vec::new();
        }
        let Some((_, codes)) = status_codes(ev) else {
            return Vec::new();
        };
        codes
            .iter()
            .filter(|c| c.value.is_null())
            .map(|c| {
                Finding::new(
                    &META,
                    format!(
                        "Status code `{}` has no settings (`null`); Serverless crashes reading its pattern (TypeError: Cannot read properties of null (reading 'pattern')).",
                        c.key
                    ),
                    c.key_loc,
                    "empty value",
                )
                .anchor(ev.http_key)
                .help(format!("give `{}` its settings, e.g. `{}: {{pattern: ''}}` for the default response", c.key, c.key))
            })
            .collect()
    }
}
