//! SLS-INT-006: `connectionType: vpc-link` without `connectionId`.

use crate::model::HttpEvent;
use crate::rules::util::{get, integration, is_active};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct ConnectionIdMissing;

static META: RuleMeta = RuleMeta {
    code: "SLS-INT-006",
    name: "connection-id-missing",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`connectionType: vpc-link` without `connectionId`",
    doc: r#"## What it flags

An `http`/`http-proxy` event with `connectionType: vpc-link` (any case, `-` or
`_`) and no `connectionId`.

## Why it matters

Every Serverless version refuses the config: `You need to set connectionId when
using VPC_LINK connectionType.`

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
          connectionType: vpc-link
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

None: the VPC link id is yours to give.
"#,
};

impl Rule for ConnectionIdMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) || !integration(ev).kind().is_some_and(|k| k.is_http()) {
            return Vec::new();
        }
        let Some(ct) = get(ev, "connectionType").and_then(|c| c.as_str()) else {
            return Vec::new();
        };
        if ct.to_uppercase().replacen('-', "_", 1) != "VPC_LINK" {
            return Vec::new();
        }
        if get(ev, "connectionId").is_some_and(|c| c.is_unresolved() || c.truthy()) {
            return Vec::new();
        }
        vec![
            Finding::new(
                &META,
                "You need to set connectionId when using VPC_LINK connectionType.",
                ev.http.loc,
                "no `connectionId`",
            )
            .anchor(ev.http_key)
            .help("add `connectionId: <VPC link id>` (or `${cf:...}` / `!Ref` of the VpcLink)"),
        ]
    }
}
