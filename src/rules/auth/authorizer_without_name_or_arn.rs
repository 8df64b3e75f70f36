//! SLS-AUTH-002: an authorizer object without `name` or `arn`.

use crate::model::HttpEvent;
use crate::rules::util::{get, is_active};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};
use crate::source::Node;

pub struct AuthorizerWithoutNameOrArn;

static META: RuleMeta = RuleMeta {
    code: "SLS-AUTH-002",
    name: "authorizer-without-name-or-arn",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "An authorizer object with neither `name`, `arn`, nor `type` + `authorizerId`",
    doc: r#"## What it flags

An `authorizer` mapping that is not `type: aws_iam`, has no `type` +
`authorizerId` pair, and gives neither `arn` nor `name`.

## Why it matters

Every Serverless version refuses the config: `Please provide either an
authorizer name or ARN`.

## Example

```yaml
functions:
  api:
    handler: handler.api
    events:
      - http:
          path: items
          method: get
          authorizer:
            type: request
            identitySource: method.request.header.Authorization
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
          authorizer:
            name: auth
            type: request
            identitySource: method.request.header.Authorization
```

## Fix

None.
"#,
};

impl Rule for AuthorizerWithoutNameOrArn {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let Some(a) = get(ev, "authorizer") else {
            return Vec::new();
        };
        let Some(m) = a.as_map() else {
            return Vec::new();
        };
        if !a.unresolved().is_empty() {
            return Vec::new();
        }
        let ty = m.get("type");
        let ok = (ty.is_some_and(Node::truthy) && m.get("authorizerId").is_some_and(Node::truthy))
            || ty
                .and_then(Node::as_str)
                .is_some_and(|t| t.eq_ignore_ascii_case("aws_iam"))
            || m.get("arn").is_some_and(Node::truthy)
            || m.get("name").is_some_and(Node::truthy);
        if ok {
            return Vec::new();
        }
        let loc = if a.loc.is_empty() { ev.http_key } else { a.loc };
        vec![
            Finding::new(
                &META,
                "Please provide either an authorizer name or ARN.",
                loc,
                "no `name` or `arn`",
            )
            .anchor(ev.http_key)
            .help("add `name: <authorizer function>` or `arn: <Lambda or Cognito user pool ARN>`"),
        ]
    }
}
