//! SLS-INT-007: a `connectionType` other than `vpc-link`.

use crate::model::HttpEvent;
use crate::rules::util::{get, integration, is_active, shown};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct ConnectionTypeInvalid;

static META: RuleMeta = RuleMeta {
    code: "SLS-INT-007",
    name: "connection-type-invalid",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`connectionType` is not `vpc-link`",
    doc: r#"## What it flags

A `connectionType` other than `vpc-link` / `VPC_LINK` (any case).

## Why it matters

Serverless 1.x refuses it (`Invalid APIG connectionType "…"`); Serverless 2/3
print a schema warning and, for `http`/`http-proxy`, write the normalised value
as the integration's `ConnectionType`, which CloudFormation rejects. A value
that is not a string crashes the framework. With other integrations the key is
not read at all (warning).

## Example

```yaml
functions:
  private:
    handler: handler.private
    events:
      - http:
          path: internal
          method: get
          integration: http-proxy
          connectionType: vpclink
          connectionId: abc123
          request:
            uri: http://internal.example.com/
```

## Fixed example

```yaml
functions:
  private:
    handler: handler.private
    events:
      - http:
          path: internal
          method: get
          integration: http-proxy
          connectionType: vpc-link
          connectionId: abc123
          request:
            uri: http://internal.example.com/
```

## Fix

None.
"#,
};

impl Rule for ConnectionTypeInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let Some(node) = get(ev, "connectionType") else {
            return Vec::new();
        };
        if node.is_unresolved() || !node.truthy() {
            return Vec::new();
        }
        if node
            .as_str()
            .is_some_and(|s| s.to_uppercase().replacen('-', "_", 1) == "VPC_LINK")
        {
            return Vec::new();
        }
        let read = integration(ev).kind().is_some_and(|k| k.is_http());
        let mut f = Finding::new(
            &META,
            format!(
                "Invalid connectionType `{}`; the only supported value is `vpc-link`.",
                shown(cx, node)
            ),
            node.loc,
            "not `vpc-link`",
        )
        .anchor(ev.http_key)
        .help("write `connectionType: vpc-link`, or remove it for a public backend");
        if !read {
            f = f.severity(Severity::Warning);
        }
        vec![f]
    }
}
