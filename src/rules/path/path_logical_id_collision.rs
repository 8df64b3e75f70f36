//! SLS-PATH-001: textually different paths that share a resource logical ID.

use super::resource_name;
use crate::rules::util::{is_active, path_str, route_loc, trim_path};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};
use crate::source::Loc;

pub struct PathLogicalIdCollision;

static META: RuleMeta = RuleMeta {
    code: "SLS-PATH-001",
    name: "path-logical-id-collision",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "Different paths map to the same `ApiGatewayResource…` logical ID and are merged",
    doc: r#"## What it flags

Two http events whose paths (or path prefixes) differ as text but produce the
same resource logical ID: case (`Users` / `users`), `_`, `.`, `+`, `*` and other
punctuation (`some_var` / `somevar`, `file.json` / `filejson`, `x` / `x/*`).

## Why it matters

The framework names each resource `ApiGatewayResource` + the path with
punctuation removed and each segment capitalised. Two paths with the same name
become one CloudFormation resource, deep-merged without a warning: one of the
paths silently does not exist, or gets the other's parent and methods.

## Example

```yaml
functions:
  list:
    handler: handler.list
    events:
      - http: GET /users
  legacy:
    handler: handler.legacy
    events:
      - http: GET /Users/legacy
```

## Fixed example

```yaml
functions:
  list:
    handler: handler.list
    events:
      - http: GET /users
  legacy:
    handler: handler.legacy
    events:
      - http: GET /users/legacy
```

## Fix

None: renaming a path changes the API.

## References

- serverless/serverless issues #11956, #2021, #3343
"#,
};

impl Rule for PathLogicalIdCollision {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_service(&self, cx: &Context<'_>) -> Vec<Finding> {
        // resource name -> (prefix text, where first seen)
        let mut seen: Vec<(String, String, Loc)> = Vec::new();
        let mut reported: Vec<(String, String)> = Vec::new();
        let mut out = Vec::new();
        for ev in cx.events {
            if !is_active(ev) {
                continue;
            }
            let Some(raw) = path_str(ev) else {
                continue;
            };
            let path = trim_path(raw);
            if path.is_empty() {
                continue;
            }
            let loc = route_loc(ev);
            let segments: Vec<&str> = path.split('/').collect();
            for n in 1..=segments.len() {
                let prefix = segments[..n].join("/");
                let name = resource_name(&prefix);
                match seen.iter().find(|(nm, _, _)| *nm == name) {
                    None => seen.push((name, prefix, loc)),
                    Some((_, first, first_loc)) if *first != prefix => {
                        let key = (first.clone(), prefix.clone());
                        if reported.contains(&key) {
                            break;
                        }
                        reported.push(key);
                        out.push(
                            Finding::new(
                                &META,
                                format!(
                                    "Paths `/{first}` and `/{prefix}` both map to `ApiGatewayResource{name}`; Serverless merges them silently."
                                ),
                                loc,
                                format!("`/{prefix}` collides with `/{first}`"),
                            )
                            .related(*first_loc, format!("`/{first}` here"))
                            .anchor(ev.http_key)
                            .help("spell both paths the same way (case and punctuation included), or rename one so the names differ"),
                        );
                        // Deeper prefixes of this path collide as a consequence.
                        break;
                    }
                    Some(_) => {}
                }
            }
        }
        out
    }
}
