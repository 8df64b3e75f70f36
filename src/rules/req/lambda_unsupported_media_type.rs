//! SLS-REQ-003: the `lambda` integration answers 415 to other content types.

use crate::model::HttpEvent;
use crate::rules::util::{Kind, entry, get, integration, is_active};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct LambdaUnsupportedMediaType;

static META: RuleMeta = RuleMeta {
    code: "SLS-REQ-003",
    name: "lambda-unsupported-media-type",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "`lambda` integration with the default templates and passThrough NEVER rejects other content types",
    doc: r#"## What it flags

An event with the non-proxy `lambda` integration (written, or chosen by `async`)
that sets neither `request.passThrough` nor `request.template`.

## Why it matters

The framework then sets `PassthroughBehavior: NEVER` and templates only for
`application/json` and `application/x-www-form-urlencoded`. A request with any
other `Content-Type` (`text/plain`, `application/xml`, a JSON body sent as
`application/json; charset=utf-8` works, but `text/json` does not) is answered
`415 Unsupported Media Type` by API Gateway before your function runs.

## Example

```yaml
functions:
  job:
    handler: handler.job
    events:
      - http:
          path: jobs
          method: post
          integration: lambda
```

## Fixed example

```yaml
functions:
  job:
    handler: handler.job
    events:
      - http:
          path: jobs
          method: post
          integration: lambda
          request:
            passThrough: WHEN_NO_TEMPLATES
```

## Fix

None: accepting more content types is a decision.

## References

- serverless/serverless issue #1168, PR #1992
"#,
};

impl Rule for LambdaUnsupportedMediaType {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, _cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) || integration(ev).kind() != Some(Kind::Aws) {
            return Vec::new();
        }
        let request = get(ev, "request");
        if request.is_some_and(|r| r.is_unresolved() || (r.truthy() && r.as_map().is_none())) {
            return Vec::new();
        }
        let pass = request.and_then(|r| r.get("passThrough"));
        let template = request.and_then(|r| r.get("template"));
        if pass.is_some_and(|p| p.is_unresolved() || p.truthy())
            || template.is_some_and(|t| t.is_unresolved() || t.truthy())
        {
            return Vec::new();
        }
        let loc = entry(ev, "request")
            .filter(|e| e.value.as_map().is_some())
            .map_or(ev.http.loc, |e| e.key_loc);
        vec![
            Finding::new(&META, "Requests with other content types get 415 Unsupported Media Type.", loc, "passThrough NEVER, default templates only")
                .anchor(ev.http_key)
                .help("set `request.passThrough: WHEN_NO_TEMPLATES` (or add templates for the content types you accept) if clients may send other content types"),
        ]
    }
}
