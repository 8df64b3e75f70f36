//! SLS-INT-001: an `integration` value the framework does not know.

use crate::model::HttpEvent;
use crate::rules::util::{Integration, closest, integration, is_active, shown};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct IntegrationInvalid;

static META: RuleMeta = RuleMeta {
    code: "SLS-INT-001",
    name: "integration-invalid",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "Unknown `integration` value",
    doc: r#"## What it flags

An `integration` that is not one of `lambda`, `lambda-proxy`, `aws`,
`aws-proxy`, `http`, `http-proxy`, `mock` (any letter case, `_` or `-`), or is
not a string.

## Why it matters

Serverless 1.x refuses the config (`Invalid APIG integration "lamda" in function
"hello"`). Serverless 2/3 only print a schema warning (`unsupported string
format`) and write the upper-cased value as the CloudFormation integration
`Type` (`LAMDA`), which fails at deploy time. A value that is not a string
crashes every version (`toUpperCase is not a function`).

## Example

```yaml
functions:
  hello:
    handler: handler.hello
    events:
      - http:
          path: hello
          method: get
          integration: lamda
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
          integration: lambda
```

## Fix

None (the help names the closest valid spelling).
"#,
};

const SPELLINGS: [&str; 7] = [
    "lambda",
    "lambda-proxy",
    "aws",
    "aws-proxy",
    "http",
    "http-proxy",
    "mock",
];

impl Rule for IntegrationInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let Integration::Invalid(node) = integration(ev) else {
            return Vec::new();
        };
        let v = node.as_str().map_or_else(|| shown(cx, node), str::to_owned);
        let message = format!(
            "Invalid integration `{v}`; supported: lambda, lambda-proxy, aws, aws-proxy, http, http-proxy, mock."
        );
        let help = match node
            .as_str()
            .map(|s| s.replace('_', "-"))
            .and_then(|s| closest(&s, &SPELLINGS))
        {
            Some(c) => format!("did you mean `integration: {c}`?"),
            None if node.as_str().is_none() => {
                format!("`integration` must be a string, not {}", node.type_name())
            }
            None => "use one of lambda, lambda-proxy, http, http-proxy, mock".to_owned(),
        };
        vec![
            Finding::new(&META, message, node.loc, "unknown integration")
                .anchor(ev.http_key)
                .help(help),
        ]
    }
}
