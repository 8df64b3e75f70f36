//! SLS-RESP-003: no status code is the default.

use crate::model::HttpEvent;
use crate::rules::util::{Kind, has_empty_pattern, integration, is_active, status_codes};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct StatusCodesWithoutDefault;

static META: RuleMeta = RuleMeta {
    code: "SLS-RESP-003",
    name: "status-codes-without-default",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "No status code has `pattern: ''`; Serverless adds a 200 default",
    doc: r#"## What it flags

`response.statusCodes` (integration `lambda` or `http`) in which no entry has
`pattern: ''`.

## Why it matters

The framework then adds `200: {pattern: ''}` on its own (replacing a `200` entry
you wrote without an empty pattern). The file does not show the default response
the API really has.

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
              400:
                pattern: '.*\[400\].*'
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
              400:
                pattern: '.*\[400\].*'
```

## Fix

None.
"#,
};

impl Rule for StatusCodesWithoutDefault {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) || !matches!(integration(ev).kind(), Some(Kind::Aws | Kind::Http)) {
            return Vec::new();
        }
        let Some((sc, codes)) = status_codes(ev) else {
            return Vec::new();
        };
        if codes.iter().any(|c| {
            c.value.is_unresolved() || c.value.get("pattern").is_some_and(|p| p.is_unresolved())
        }) {
            return Vec::new();
        }
        if codes.iter().any(|c| has_empty_pattern(&c.value)) {
            return Vec::new();
        }
        vec![
            Finding::new(
                &META,
                "No default status code: Serverless adds `200` with an empty pattern.",
                sc.key_loc,
                "no `pattern: ''`",
            )
            .anchor(ev.http_key)
            .help(
                "give the code you want as the default `pattern: ''` (e.g. `200: {pattern: ''}`)",
            ),
        ]
    }
}
