//! SLS-REQ-001: `request.passThrough` not one of the three values.

use crate::model::HttpEvent;
use crate::rules::util::{Kind, closest, fix, get, integration, is_active, replace_string, shown};
use crate::rules::{Applicability, Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct PassThroughInvalid;

static META: RuleMeta = RuleMeta {
    code: "SLS-REQ-001",
    name: "pass-through-invalid",
    severity: Severity::Error,
    fix: FixKind::Safe,
    summary: "`request.passThrough` is not NEVER, WHEN_NO_MATCH or WHEN_NO_TEMPLATES",
    doc: r#"## What it flags

A `request.passThrough` (integrations `lambda`, `http`, `mock`) that is not
exactly `NEVER`, `WHEN_NO_MATCH` or `WHEN_NO_TEMPLATES`: wrong case (`never`),
typos (`WHEN_NO_TEMPLATE`), or other values (`ALWAYS`).

## Why it matters

Serverless 1.x refuses the config (`Request passThrough "never" is not one of
NEVER, WHEN_NO_MATCH, WHEN_NO_TEMPLATES`). Serverless 2/3 only warn and write the
value verbatim as `PassthroughBehavior`, so the CloudFormation update fails.
For `mock` no version checks it.

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
          request:
            passThrough: WHEN_NO_TEMPLATE
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
          request:
            passThrough: WHEN_NO_TEMPLATES
```

## Fix

Upper-cases the value when that makes it valid (safe), or replaces a near miss
(edit distance 1–2, e.g. `WHEN_NO_TEMPLATE` → `WHEN_NO_TEMPLATES`) by the
closest valid value (unsafe: it picks a behaviour for you). No fix for values
like `ALWAYS`.
"#,
};

const VALUES: [&str; 3] = ["NEVER", "WHEN_NO_MATCH", "WHEN_NO_TEMPLATES"];

impl Rule for PassThroughInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev)
            || !matches!(
                integration(ev).kind(),
                Some(Kind::Aws | Kind::Http | Kind::Mock)
            )
        {
            return Vec::new();
        }
        let Some(node) = get(ev, "request")
            .and_then(|r| r.as_map())
            .and_then(|r| r.get("passThrough"))
        else {
            return Vec::new();
        };
        if node.is_unresolved() || !node.truthy() {
            return Vec::new();
        }
        if node.as_str().is_some_and(|s| VALUES.contains(&s)) {
            return Vec::new();
        }
        let mut f = Finding::new(
            &META,
            format!(
                "passThrough must be NEVER, WHEN_NO_MATCH or WHEN_NO_TEMPLATES (got `{}`).",
                shown(cx, node)
            ),
            node.loc,
            "not a pass-through behaviour",
        )
        .anchor(ev.http_key);
        let suggestion = node.as_str().and_then(|s| {
            let up = s.trim().to_uppercase().replace('-', "_");
            if VALUES.contains(&up.as_str()) {
                Some((
                    VALUES.iter().copied().find(|v| *v == up)?,
                    Applicability::Safe,
                ))
            } else {
                closest(&up, &VALUES).map(|c| (c, Applicability::Unsafe))
            }
        });
        match suggestion {
            Some((value, applicability)) => {
                f = f.help(format!("write `passThrough: {value}`"));
                if let Some(fx) = replace_string(cx, ev, node, value)
                    .and_then(|e| fix(format!("Write `{value}`"), applicability, vec![e]))
                {
                    f = f.fix(fx);
                }
            }
            None => {
                f = f.help("use NEVER (415 for content types without a template), WHEN_NO_MATCH (pass unmatched types through) or WHEN_NO_TEMPLATES");
            }
        }
        vec![f]
    }
}
