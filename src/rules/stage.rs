//! SLS-STAGE-001: a stage name API Gateway does not accept.

use crate::rules::util::is_active;
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct StageNameInvalid;

static META: RuleMeta = RuleMeta {
    code: "SLS-STAGE-001",
    name: "stage-name-invalid",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "The stage name has characters outside `[-_a-zA-Z0-9]` while http events exist",
    doc: r#"## What it flags

`provider.stage` containing anything but letters, digits, `-` and `_` (for
example a dot or a slash from a branch name) in a service with http events.

## Why it matters

API Gateway stage names are limited to `[-_a-zA-Z0-9]`; from 1.36.0 on the
framework refuses the config: `Invalid stage name feature.new-login: it should
contains only [-_a-zA-Z0-9] for AWS provider if http event are present
according to API Gateway limitation.` (The stage given with `--stage` is checked
the same way; this rule sees the stage of the file, after variable resolution.)

## Example

```yaml
provider:
  name: aws
  stage: feature.new-login
functions:
  hello:
    handler: handler.hello
    events:
      - http: GET /hello
```

## Fixed example

```yaml
provider:
  name: aws
  stage: feature-new-login
functions:
  hello:
    handler: handler.hello
    events:
      - http: GET /hello
```

## Fix

None.
"#,
};

impl Rule for StageNameInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_service(&self, cx: &Context<'_>) -> Vec<Finding> {
        if !cx.events.iter().any(is_active) {
            return Vec::new();
        }
        let Some(stage) = cx.root.get_path(&["provider", "stage"]) else {
            return Vec::new();
        };
        if stage.is_unresolved() || !stage.truthy() || stage.is_js_object() {
            return Vec::new();
        }
        let s = stage.js_string();
        if s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Vec::new();
        }
        let suggestion: String = s
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        vec![
            Finding::new(
                &META,
                format!(
                    "Invalid stage name {s}: it should contains only [-_a-zA-Z0-9] for AWS provider if http event are present according to API Gateway limitation."
                ),
                stage.loc,
                "not a valid API Gateway stage name",
            )
            .help(format!("use only letters, digits, `-` and `_`, e.g. `{suggestion}`")),
        ]
    }
}
