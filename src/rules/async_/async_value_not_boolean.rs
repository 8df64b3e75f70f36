//! SLS-ASYNC-005: `async` is not a boolean.

use crate::model::HttpEvent;
use crate::rules::util::{
    REFUSED_BY_SCHEMA, fix, http_map, is_active, replace_raw, schema_refuses, shown,
};
use crate::rules::{Applicability, Context, Finding, FixKind, Rule, RuleMeta, Severity};
use crate::source::Value;

pub struct AsyncValueNotBoolean;

static META: RuleMeta = RuleMeta {
    code: "SLS-ASYNC-005",
    name: "async-value-not-boolean",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    summary: "`async` is not a boolean; JavaScript truthiness decides",
    doc: r#"## What it flags

An `async` value that is not `true` or `false`: a string (`'yes'`, `'false'`,
`on`), a number, or an empty value.

## Why it matters

The framework tests `if (http.async)`, JavaScript truthiness: any non-empty
string turns async on, including `'false'` and `'no'`; `0` and an empty value
turn it off. YAML 1.2 (js-yaml) reads `yes`/`on` as strings, so `async: yes`
is truthy by accident rather than by design. Serverless 2/3 also print a schema
warning (`must be boolean`), and refuse the config with
`configValidationMode: error`.

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
          async: 'false'
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
          async: true
```

## Fix

Replaces the value by the boolean it evaluates to (`'false'` → `true`, `0` →
`false`). Safe: the generated CloudFormation is unchanged; if the result is not
what you meant, change it afterwards.
"#,
};

impl Rule for AsyncValueNotBoolean {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        let Some(map) = http_map(ev).filter(|_| is_active(ev)) else {
            return Vec::new();
        };
        let Some(e) = map.entry("async") else {
            return Vec::new();
        };
        let node = &e.value;
        if matches!(node.value, Value::Bool(_) | Value::Unresolved(_)) {
            return Vec::new();
        }
        let truthy = node.truthy();
        let shown_value = if node.is_null() && node.loc.is_empty() {
            "(empty)".to_owned()
        } else {
            shown(cx, node)
        };
        let mut message =
            format!("`async` must be a boolean; the value `{shown_value}` is treated as {truthy}.");
        let refused = schema_refuses(cx);
        if refused {
            message.push_str(REFUSED_BY_SCHEMA);
        }
        let loc = if node.loc.is_empty() {
            e.key_loc
        } else {
            node.loc
        };
        let mut f = Finding::new(
            &META,
            message,
            loc,
            format!("{} ⇒ {truthy}", node.type_name()),
        )
        .anchor(ev.http_key)
        .help(format!(
            "write `async: {truthy}` (or the boolean you meant)"
        ));
        if refused {
            f = f.severity(Severity::Error);
        }
        if let Some(fx) =
            replace_raw(cx, ev, node, if truthy { "true" } else { "false" }).and_then(|e| {
                fix(
                    format!("Replace with `{truthy}`"),
                    Applicability::Safe,
                    vec![e],
                )
            })
        {
            f = f.fix(fx);
        }
        vec![f]
    }
}
