//! SLS-DEP-001: custom authorizers lose the method → permission dependency (2.48.1+).

use crate::model::HttpEvent;
use crate::rules::util::{get, http_map, is_active};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};
use crate::source::Node;

pub struct AuthorizerDropsPermissionDependency;

static META: RuleMeta = RuleMeta {
    code: "SLS-DEP-001",
    name: "authorizer-drops-permission-dependency",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "With a custom authorizer the method no longer depends on the Lambda permission (2.48.1+)",
    doc: r#"## What it flags

An http event with a Lambda (`CUSTOM`) or Cognito authorizer when Serverless 2
or 3 is targeted.

## Why it matters

Since 2.48.1 every method depends on its function's
`…LambdaPermissionApiGateway`, so API Gateway never calls a function it may not
invoke yet. For methods with an authorizer the authorizer dependency replaces
(2.x) or overwrites (3.x) that entry: during a deployment that replaces the
function, the method can be live before the permission and answer 5xx for a
short time.

## Example

```yaml
frameworkVersion: '3'
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

## Fixed example

```yaml
frameworkVersion: '3'
functions:
  auth:
    handler: handler.auth
  api:
    handler: handler.api
    events:
      - http:
          path: items
          method: get
          authorizer: aws_iam
```

(or accept the risk: the finding is informational)

## Fix

None.

## References

- serverless/serverless issue #9525 (fixed in 2.48.1 for methods without authorizer), #7284
"#,
};

const MESSAGE: &str = "With an authorizer the method no longer depends on the Lambda permission; expect brief 5xx during deployments that replace the function (#9525).";

/// Does this authorizer value make the method depend on an authorizer resource?
fn is_custom(a: &Node) -> bool {
    if let Some(s) = a.as_str() {
        return !s.eq_ignore_ascii_case("aws_iam");
    }
    let Some(m) = a.as_map() else {
        return false;
    };
    if ["type", "authorizerId", "arn", "name"]
        .iter()
        .any(|k| m.get(k).is_some_and(Node::is_unresolved))
    {
        return false;
    }
    let ty = m.get("type").and_then(Node::as_str);
    if m.get("type").is_some_and(Node::truthy) && m.get("authorizerId").is_some_and(Node::truthy) {
        return false;
    }
    if ty.is_some_and(|t| t.eq_ignore_ascii_case("aws_iam")) {
        return false;
    }
    m.get("arn").is_some_and(Node::truthy) || m.get("name").is_some_and(Node::truthy)
}

impl Rule for AuthorizerDropsPermissionDependency {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if cx.framework().major() < 2 {
            return Vec::new();
        }
        let Some(map) = http_map(ev).filter(|_| is_active(ev)) else {
            return Vec::new();
        };
        let (Some(e), Some(a)) = (map.entry("authorizer"), get(ev, "authorizer")) else {
            return Vec::new();
        };
        if a.is_unresolved() || !a.truthy() || !is_custom(a) {
            return Vec::new();
        }
        vec![
            Finding::new(&META, MESSAGE, e.key_loc, "method depends on the authorizer only")
                .anchor(ev.http_key)
                .help("deploy function replacements with care (or add the permission to the method's `DependsOn` through `resources.extensions`)"),
        ]
    }
}
