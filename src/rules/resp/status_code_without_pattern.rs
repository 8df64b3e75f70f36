//! SLS-RESP-001: a `response.statusCodes` entry without `pattern`.

use crate::model::HttpEvent;
use crate::rules::util::{
    Kind, fix, insert_first, integration, is_active, replace_raw, status_codes,
};
use crate::rules::{Applicability, Context, Finding, FixKind, Rule, RuleMeta, Severity};
use crate::source::Style;

pub struct StatusCodeWithoutPattern;

static META: RuleMeta = RuleMeta {
    code: "SLS-RESP-001",
    name: "status-code-without-pattern",
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    summary: "A status code without `pattern` is not the default response, yet gets an empty selection pattern",
    doc: r#"## What it flags

An entry of `response.statusCodes` (integration `lambda` or `http`) that has no
`pattern` key, e.g. `202: {}`.

## Why it matters

Serverless only treats an entry whose `pattern` is exactly `''` as the default.
When none is, it adds `200: {pattern: ''}`, and the entry without a pattern is
still emitted with `SelectionPattern: ""`: two responses with an empty pattern,
and the one you wrote is not necessarily the one API Gateway picks.

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
              202: {}
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

When the entry is the only status code, adds `pattern: ''` to it (`{}` becomes
`{pattern: ''}`; in a block mapping a `pattern: ''` line is inserted first).
Unsafe: the framework then no longer adds its `200`, so the default response
changes to the code you wrote, which is what the configuration suggests but not
what is deployed today.
"#,
};

impl Rule for StatusCodeWithoutPattern {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) || !matches!(integration(ev).kind(), Some(Kind::Aws | Kind::Http)) {
            return Vec::new();
        }
        let Some((_, codes)) = status_codes(ev) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for c in codes {
            let Some(settings) = c.value.as_map() else {
                continue;
            };
            if settings.contains_key("pattern") {
                continue;
            }
            let code = &c.key;
            let message = format!(
                "Status code `{code}` has no `pattern`, so it is not the default response; Serverless will add a 200 default and `{code}` will also get an empty selection pattern. Add `pattern: ''` if `{code}` is meant to be the default, or a real pattern otherwise."
            );
            let mut f = Finding::new(&META, message, c.key_loc, "no `pattern`")
                .anchor(ev.http_key)
                .help(format!("add `pattern: ''` under `{code}` to make it the default, or a selection pattern such as `.*\\[{code}\\].*`"));
            if codes.len() == 1 {
                let edit = if settings.is_empty() && c.value.style == Style::Flow {
                    replace_raw(cx, ev, &c.value, "{pattern: ''}")
                } else if c.value.style == Style::Plain {
                    insert_first(cx, ev, &c.value, "pattern: ''")
                } else {
                    None
                };
                if let Some(fx) = edit.and_then(|e| {
                    fix(
                        format!("Add `pattern: ''` to `{code}`"),
                        Applicability::Unsafe,
                        vec![e],
                    )
                }) {
                    f = f.fix(fx);
                }
            }
            out.push(f);
        }
        out
    }
}
