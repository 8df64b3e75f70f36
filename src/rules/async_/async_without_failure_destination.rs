//! SLS-ASYNC-007: async endpoint without an on-failure destination or DLQ.

use crate::rules::util::{Kind, function_node, integration, is_active, is_async};
use crate::rules::{Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct AsyncWithoutFailureDestination;

static META: RuleMeta = RuleMeta {
    code: "SLS-ASYNC-007",
    name: "async-without-failure-destination",
    severity: Severity::Info,
    fix: FixKind::None,
    summary: "Errors of asynchronously invoked functions are invisible without a destination or DLQ",
    doc: r#"## What it flags

A function invoked asynchronously by one of its http events (truthy `async` with
the `lambda` or `lambda-proxy` integration) that has neither
`destinations.onFailure` nor `onError` (dead-letter queue). Reported once per
function, at its first async event.

## Why it matters

The caller gets its answer before the function runs. When the function fails,
Lambda retries twice and then drops the event; without an on-failure destination
or a DLQ the failure only shows up in the logs.

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
          async: true
```

## Fixed example

```yaml
functions:
  job:
    handler: handler.job
    destinations:
      onFailure: arn:aws:sqs:us-east-1:123456789012:job-failures
    events:
      - http:
          path: jobs
          method: post
          integration: lambda
          async: true
```

## Fix

None: the destination is a resource of your own.

## References

- probot/adapter-aws-lambda-serverless PR #91 (issue #78)
"#,
};

const MESSAGE: &str = "Errors of asynchronously invoked functions are invisible to the caller; configure an on-failure destination or DLQ.";

impl Rule for AsyncWithoutFailureDestination {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_service(&self, cx: &Context<'_>) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for ev in cx.events {
            if seen.contains(&ev.function) || !is_active(ev) || is_async(ev) != Some(true) {
                continue;
            }
            if !matches!(integration(ev).kind(), Some(Kind::Aws | Kind::AwsProxy)) {
                continue;
            }
            seen.push(ev.function);
            let Some(func) = function_node(cx, ev.function) else {
                continue;
            };
            if func.is_unresolved() {
                continue;
            }
            let on_failure = func.get_path(&["destinations", "onFailure"]);
            let dlq = func.get("onError");
            let destinations_unknown = func.get("destinations").is_some_and(|d| d.is_unresolved());
            if on_failure.is_some_and(|n| n.is_unresolved() || n.truthy())
                || dlq.is_some_and(|n| n.is_unresolved() || n.truthy())
                || destinations_unknown
            {
                continue;
            }
            let loc = ev.http.get("async").map_or(ev.http_key, |a| a.loc);
            out.push(
                Finding::new(&META, MESSAGE, loc, "invoked asynchronously")
                    .related(ev.function_loc, format!("function `{}` has no `destinations.onFailure` or `onError`", ev.function))
                    .anchor(ev.http_key)
                    .help(format!(
                        "add `destinations: {{onFailure: <SQS/SNS/Lambda/EventBridge ARN>}}` (or `onError: <SNS/SQS ARN>`) to function `{}`",
                        ev.function
                    )),
            );
        }
        out
    }
}
