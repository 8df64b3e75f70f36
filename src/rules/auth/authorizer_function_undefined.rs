//! SLS-AUTH-001: an authorizer naming a function the service does not define.

use super::authorizer_function;
use crate::model::HttpEvent;
use crate::rules::util::{closest, get, is_active};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct AuthorizerFunctionUndefined;

static META: RuleMeta = RuleMeta {
    code: "SLS-AUTH-001",
    name: "authorizer-function-undefined",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "The authorizer names a function that is not in `functions`",
    doc: r#"## What it flags

An `authorizer` given as a function name (`authorizer: auth`, or
`authorizer: {name: auth}` without `arn`) when the service has no function with
that key.

## Why it matters

The framework looks the function up to build the authorizer's ARN and stops:
`Function "auth" doesn't exist in this Service`. To use a function of another
service, give its `arn`.

## Example

```yaml
functions:
  api:
    handler: handler.api
    events:
      - http:
          path: items
          method: get
          authorizer: auth
```

## Fixed example

```yaml
functions:
  auth:
    handler: handler.auth
  api:
    handler: handler.api
    events:
      - http:
          path: items
          method: get
          authorizer: auth
```

## Fix

None.
"#,
};

impl Rule for AuthorizerFunctionUndefined {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let Some(a) = get(ev, "authorizer") else {
            return Vec::new();
        };
        if !a.truthy() || !a.unresolved().is_empty() {
            return Vec::new();
        }
        let Some((name, node)) = authorizer_function(a) else {
            return Vec::new();
        };
        let Some(functions) = cx.root.get("functions") else {
            return Vec::new();
        };
        let Some(fmap) = functions.as_map() else {
            return Vec::new();
        };
        if fmap.contains_key(name) {
            return Vec::new();
        }
        // A function list with unresolved entries (e.g. `${file(...)}` merged in) might define it.
        if fmap.iter().any(|f| f.value.is_unresolved()) {
            return Vec::new();
        }
        let names: Vec<&str> = fmap.keys().collect();
        let help = match closest(name, &names) {
            Some(c) => format!("did you mean `{c}`? To use a function of another service, give its `arn`"),
            None => "define the authorizer function under `functions`, or give the `arn` of an existing one".to_owned(),
        };
        let loc = if node.loc.is_empty() {
            ev.http_key
        } else {
            node.loc
        };
        vec![
            Finding::new(&META, format!("Function \"{name}\" doesn't exist in this Service (authorizer of function \"{}\").", ev.function), loc, "no such function")
                .anchor(ev.http_key)
                .help(help),
        ]
    }
}
