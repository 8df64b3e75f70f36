//! SLS-PATH-002: the same method and path declared twice.

use crate::rules::util::{is_active, method_str, path_str, route_loc, trim_path};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};
use crate::source::Loc;

pub struct RouteDuplicate;

static META: RuleMeta = RuleMeta {
    code: "SLS-PATH-002",
    name: "route-duplicate",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "The same method and path are declared twice",
    doc: r#"## What it flags

Two http events with the same method (any case) and the same path once the
framework's leading/trailing slash trimming is applied, in the same function or
in different ones.

## Why it matters

Both events produce the same `ApiGatewayMethod…` logical ID. The framework
deep-merges the second into the first without a warning: scalars of the second
win, lists merge index by index. The endpoint ends up pointing at one function
with a mix of both configurations.

## Example

```yaml
functions:
  getA:
    handler: handler.a
    events:
      - http: GET /items
  getB:
    handler: handler.b
    events:
      - http:
          path: items/
          method: get
```

## Fixed example

```yaml
functions:
  getA:
    handler: handler.a
    events:
      - http: GET /items
  getB:
    handler: handler.b
    events:
      - http:
          path: items/{id}
          method: get
```

## Fix

None.
"#,
};

impl Rule for RouteDuplicate {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_service(&self, cx: &Context<'_>) -> Vec<Finding> {
        let mut seen: Vec<(String, String, &str, Loc)> = Vec::new();
        let mut out = Vec::new();
        for ev in cx.events {
            if !is_active(ev) {
                continue;
            }
            let (Some(method), Some(raw)) = (method_str(ev), path_str(ev)) else {
                continue;
            };
            let method = method.to_lowercase();
            let path = trim_path(raw).to_owned();
            let loc = route_loc(ev);
            if let Some((_, _, f1, first_loc)) =
                seen.iter().find(|(m, p, _, _)| *m == method && *p == path)
            {
                let shown = format!("{} /{}", method.to_uppercase(), path);
                let owners = if *f1 == ev.function {
                    format!("both in function `{f1}`")
                } else {
                    format!("functions `{f1}`, `{}`", ev.function)
                };
                out.push(
                    Finding::new(
                        &META,
                        format!(
                            "`{shown}` is declared twice ({owners}); the second silently overwrites parts of the first."
                        ),
                        loc,
                        "declared again",
                    )
                    .related(*first_loc, "first declared here")
                    .anchor(ev.http_key)
                    .help("remove one of the two events, or give them different paths or methods"),
                );
            } else {
                seen.push((method, path, ev.function, loc));
            }
        }
        out
    }
}
