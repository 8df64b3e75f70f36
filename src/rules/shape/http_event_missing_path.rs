//! SLS-SHAPE-001: an http event without a `path` string.

use crate::model::{Framework, HttpEvent};
use crate::rules::util::{get, is_active, shorthand_parts};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct HttpEventMissingPath;

static META: RuleMeta = RuleMeta {
    code: "SLS-SHAPE-001",
    name: "http-event-missing-path",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "An http event without a `path` string: the framework refuses or crashes",
    doc: r#"## What it flags

An object-form http event without `path` (or whose `path` is not a string), and
a string shorthand without a space (`http: GET`, `http: '*'`), which has no path.

## Why it matters

Serverless 1.x refuses the config (`Missing or invalid "path" property in
function "f" for http event in serverless.yml…`); Serverless 2/3 crash with
`TypeError: Cannot read properties of undefined (reading 'replace')`. A common
cause is indentation: `path:` written one level too deep or too shallow.

## Example

```yaml
functions:
  f:
    handler: handler.f
    events:
      - http:
          method: get
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

impl Rule for HttpEventMissingPath {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let fname = ev.function;
        let (loc, what, crash) = match ev.http.as_str() {
            Some(s) => {
                if shorthand_parts(s).1.is_some() {
                    return Vec::new();
                }
                (
                    ev.http.loc,
                    format!("`{s}` has no path (no space after the method)"),
                    "Cannot read properties of undefined (reading 'replace')".to_owned(),
                )
            }
            None => match get(ev, "path") {
                None => (
                    ev.http.loc,
                    "`path` is missing".to_owned(),
                    "Cannot read properties of undefined (reading 'replace')".to_owned(),
                ),
                Some(p) if p.is_unresolved() || p.as_str().is_some() => return Vec::new(),
                Some(p) if p.is_null() => (
                    if p.loc.is_empty() { ev.http.loc } else { p.loc },
                    "`path` is empty".to_owned(),
                    "Cannot read properties of null (reading 'replace')".to_owned(),
                ),
                Some(p) => (
                    p.loc,
                    format!("`path` is {}, not a string", p.type_name()),
                    "http.path.replace is not a function".to_owned(),
                ),
            },
        };
        let message = if cx.framework() == Framework::V1 {
            format!(
                "Missing or invalid \"path\" property in function \"{fname}\" for http event in serverless.yml: {what}."
            )
        } else {
            format!(
                "Missing or invalid `path` in function \"{fname}\" ({what}): Serverless {} crashes with TypeError: {crash}.",
                cx.framework().release()
            )
        };
        vec![
            Finding::new(&META, message, loc, "no path")
                .anchor(ev.http_key)
                .help("give the event a path: `path: items` in the object form, or `http: GET /items`; check the indentation of `path:`"),
        ]
    }
}
