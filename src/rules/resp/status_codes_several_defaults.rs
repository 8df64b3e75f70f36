//! SLS-RESP-002: several status codes with an empty selection pattern.

use crate::model::HttpEvent;
use crate::rules::util::{Kind, integration, is_active, selection_pattern, status_codes};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct StatusCodesSeveralDefaults;

static META: RuleMeta = RuleMeta {
    code: "SLS-RESP-002",
    name: "status-codes-several-defaults",
    severity: Severity::Warning,
    fix: FixKind::None,
    summary: "More than one status code has an empty pattern; only one can be the default",
    doc: r#"## What it flags

Two or more entries of `response.statusCodes` whose selection pattern ends up
empty: `pattern: ''`, or no `pattern` at all (the framework writes
`SelectionPattern: ""` for those too). Integrations `lambda`, `http` and `mock`.

## Why it matters

API Gateway uses the integration response with an empty selection pattern as the
default. With several, which one answers is not something the framework checks
or documents.

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
              201:
                pattern: ''
              202:
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
              202:
                pattern: ''
              400:
                pattern: '.*\[400\].*'
```

## Fix

None: only you know which code is the default.
"#,
};

impl Rule for StatusCodesSeveralDefaults {
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
        if codes.iter().any(|c| c.value.is_unresolved()) {
            return Vec::new();
        }
        let empties: Vec<_> = codes
            .iter()
            .filter(|c| {
                c.value.as_map().is_some()
                    && selection_pattern(&c.value).is_some_and(|p| p.is_empty())
            })
            .collect();
        let Some((first, rest)) = empties.split_first() else {
            return Vec::new();
        };
        rest.iter()
            .map(|c| {
                Finding::new(
                    &META,
                    format!(
                        "Status codes `{}` and `{}` both have an empty pattern; only one can act as the default response and Serverless does not say which.",
                        first.key, c.key
                    ),
                    c.key_loc,
                    "also an empty selection pattern",
                )
                .related(first.key_loc, "empty selection pattern here too")
                .anchor(ev.http_key)
                .help(format!(
                    "keep `pattern: ''` on the one default code and give `{}` a real selection pattern (e.g. `.*\\[{}\\].*`)",
                    c.key, c.key
                ))
            })
            .collect()
    }
}
