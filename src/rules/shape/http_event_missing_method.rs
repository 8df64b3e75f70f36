//! SLS-SHAPE-002: an http event without a `method` string.

use crate::model::{Framework, HttpEvent};
use crate::rules::util::{get, is_active, shorthand_parts};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct HttpEventMissingMethod;

static META: RuleMeta = RuleMeta {
    code: "SLS-SHAPE-002",
    name: "http-event-missing-method",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "An http event without a `method` string: the framework refuses or crashes",
    doc: r#"## What it flags

An object-form http event without `method`, with an empty `method`, or with a
`method` that is not a string; a string shorthand starting with a space.

## Why it matters

Serverless 1.x refuses the config (`Missing or invalid "method" property in
function "f" for http event in serverless.yml…`); Serverless 2/3 crash with
`TypeError: Cannot read properties of undefined (reading 'toLowerCase')` (an
empty method makes an invalid `HttpMethod`).

## Example

```yaml
functions:
  f:
    handler: handler.f
    events:
      - http:
          path: items
```

## Fixed example

```yaml
functions:
  f:
    handler: handler.f
    events:
      - http:
          path: items
          method: get
```

## Fix

None.
"#,
};

impl Rule for HttpEventMissingMethod {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let fname = ev.function;
        let (loc, what) = match ev.http.as_str() {
            Some(s) => {
                if !shorthand_parts(s).0.is_empty() {
                    return Vec::new();
                }
                (
                    ev.http.loc,
                    format!("`{s}` starts with a space, so its method is empty"),
                )
            }
            None => match get(ev, "method") {
                None => (ev.http.loc, "`method` is missing".to_owned()),
                Some(m) if m.is_unresolved() => return Vec::new(),
                Some(m) if m.as_str().is_some_and(|s| !s.is_empty()) => return Vec::new(),
                Some(m) if m.as_str().is_some() => (m.loc, "`method` is empty".to_owned()),
                Some(m) if m.is_null() => (
                    if m.loc.is_empty() { ev.http.loc } else { m.loc },
                    "`method` is empty".to_owned(),
                ),
                Some(m) => (
                    m.loc,
                    format!("`method` is {}, not a string", m.type_name()),
                ),
            },
        };
        let message = if cx.framework() == Framework::V1 {
            format!(
                "Missing or invalid \"method\" property in function \"{fname}\" for http event in serverless.yml: {what}."
            )
        } else {
            format!(
                "Missing or invalid `method` in function \"{fname}\" ({what}): Serverless {} crashes (TypeError reading 'toLowerCase') or writes an invalid HttpMethod.",
                cx.framework().release()
            )
        };
        vec![
            Finding::new(&META, message, loc, "no method")
                .anchor(ev.http_key)
                .help("add `method: get` (or post, put, patch, delete, head, options, any); check the indentation of `method:`"),
        ]
    }
}
