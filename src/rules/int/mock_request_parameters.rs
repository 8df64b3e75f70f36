//! SLS-INT-005: `request.parameters` on a mock integration.

use crate::model::HttpEvent;
use crate::rules::util::{Kind, get, integration, is_active};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct MockRequestParameters;

static META: RuleMeta = RuleMeta {
    code: "SLS-INT-005",
    name: "mock-request-parameters",
    severity: Severity::Error,
    fix: FixKind::None,
    summary: "`request.parameters` on a mock integration produce invalid CloudFormation",
    doc: r#"## What it flags

`request.parameters` with at least one group on an event with
`integration: mock`.

## Why it matters

For mock integrations the framework skips the flattening of request
parameters into `method.request.querystring.<name>` keys: the method gets
`"RequestParameters": {"querystrings": …}`, which CloudFormation rejects.

## Example

```yaml
functions:
  stub:
    handler: handler.stub
    events:
      - http:
          path: stub
          method: get
          integration: mock
          request:
            parameters:
              querystrings:
                q: true
          response:
            statusCodes:
              200:
                pattern: ''
```

## Fixed example

```yaml
functions:
  stub:
    handler: handler.stub
    events:
      - http:
          path: stub
          method: get
          integration: mock
          response:
            statusCodes:
              200:
                pattern: ''
```

## Fix

None.
"#,
};

const MESSAGE: &str = "Request parameters are not translated for mock integrations; the generated `RequestParameters` is invalid CloudFormation.";

impl Rule for MockRequestParameters {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) || integration(ev).kind() != Some(Kind::Mock) {
            return Vec::new();
        }
        let Some(params) = get(ev, "request")
            .and_then(|r| r.as_map())
            .and_then(|r| r.entry("parameters"))
        else {
            return Vec::new();
        };
        if params.value.as_map().is_none_or(|m| m.is_empty()) {
            return Vec::new();
        }
        vec![
            Finding::new(&META, MESSAGE, params.key_loc, "not flattened for `mock`")
                .anchor(ev.http_key)
                .help("remove `request.parameters` from the mock event (a mock integration does not need them)"),
        ]
    }
}
