//! SLS-INT-002: a valid but non-canonical `integration` spelling.

use crate::model::HttpEvent;
use crate::rules::util::{Integration, fix, integration, is_active, replace_string};
use crate::rules::{Applicability, Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct IntegrationSpellingNoncanonical;

static META: RuleMeta = RuleMeta {
    code: "SLS-INT-002",
    name: "integration-spelling-noncanonical",
    severity: Severity::Info,
    fix: FixKind::Safe,
    summary: "`integration` spelled another way than the documented `lambda` / `lambda-proxy` / `http` / `http-proxy` / `mock`",
    doc: r#"## What it flags

A valid `integration` written in another spelling than the documented one:
`AWS_PROXY`, `aws-proxy`, `lambda_proxy`, `Lambda`, `aws`, `HTTP`, `MOCK`…

## Why it matters

All these spellings mean the same to the framework (upper-cased, first `-`
turned into `_`, `LAMBDA` → `AWS`), but readers and other tools
(serverless-offline, linters, search) recognise the documented ones. `aws` in
particular looks like "any AWS service" while it only ever means the Lambda
non-proxy integration.

## Example

```yaml
functions:
  hello:
    handler: handler.hello
    events:
      - http:
          path: hello
          method: get
          integration: AWS_PROXY
```

## Fixed example

```yaml
functions:
  hello:
    handler: handler.hello
    events:
      - http:
          path: hello
          method: get
          integration: lambda-proxy
```

## Fix

Replaces the value by the canonical spelling, keeping its quotes. Safe: the
framework normalises both to the same type.
"#,
};

impl Rule for IntegrationSpellingNoncanonical {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let Integration::Known {
            kind,
            explicit: Some(node),
        } = integration(ev)
        else {
            return Vec::new();
        };
        let Some(raw) = node.as_str() else {
            return Vec::new();
        };
        let canonical = kind.canonical();
        if raw == canonical {
            return Vec::new();
        }
        let mut f = Finding::new(
            &META,
            format!("Use `{canonical}` for clarity (`{raw}` means the same)."),
            node.loc,
            format!("same as `{canonical}`"),
        )
        .anchor(ev.http_key)
        .help(format!("write `integration: {canonical}`"));
        if let Some(fx) = replace_string(cx, ev, node, canonical)
            .and_then(|e| fix(format!("Write `{canonical}`"), Applicability::Safe, vec![e]))
        {
            f = f.fix(fx);
        }
        vec![f]
    }
}
