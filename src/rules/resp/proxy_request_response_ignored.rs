//! SLS-RESP-005: `request`/`response` settings that a proxy integration drops.

use crate::model::{Framework, HttpEvent};
use crate::rules::util::{Kind, delete_entry, fix, http_map, integration, is_active};
use crate::rules::{Applicability, Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct ProxyRequestResponseIgnored;

static META: RuleMeta = RuleMeta {
    code: "SLS-RESP-005",
    name: "proxy-request-response-ignored",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    summary: "`response`, and `request` keys other than parameters/uri/schema(s), are removed on proxy integrations",
    doc: r#"## What it flags

On an event whose integration is `lambda-proxy` (written, or the default) or
`http-proxy`: a `response` block, or `request` keys other than `parameters`,
`schema`, `schemas` (and `uri` for `http-proxy`), e.g. `request.template`,
`request.passThrough`, `request.method`. Serverless 1.x also drops `schemas`.

## Why it matters

The framework deletes these settings before compiling and only prints
`You're using the AWS_PROXY in combination with … Serverless will remove this
configuration automatically before deployment.` Templates, pass-through,
status codes and headers written there never reach API Gateway; with
`http-proxy`, even `request.method` is dropped, so the backend is called with
the event's method.

## Example

```yaml
functions:
  api:
    handler: handler.api
    events:
      - http:
          path: items
          method: post
          request:
            template:
              application/json: '{"body": $input.json("$")}'
          response:
            headers:
              Content-Type: "'application/json'"
```

## Fixed example

```yaml
functions:
  api:
    handler: handler.api
    events:
      - http:
          path: items
          method: post
```

## Fix

Deletes the ignored keys (the whole `request` when nothing else remains, and
the whole `response`), in block style when each key starts its own line. Safe:
the framework removes them anyway, so the generated CloudFormation does not
change.
"#,
};

fn allowed(kind: Kind, fw: Framework) -> Vec<&'static str> {
    let mut keys = vec!["parameters"];
    if kind == Kind::HttpProxy {
        keys.push("uri");
    }
    keys.push("schema");
    if fw.major() >= 2 {
        keys.push("schemas");
    }
    keys
}

impl Rule for ProxyRequestResponseIgnored {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        let Some(map) = http_map(ev).filter(|_| is_active(ev)) else {
            return Vec::new();
        };
        let Some(kind) = integration(ev).kind().filter(|k| k.is_proxy()) else {
            return Vec::new();
        };
        let t = kind.cfn();
        let fname = ev.function;
        let mut out = Vec::new();
        if let Some(req_e) = map.entry("request")
            && let Some(req) = req_e.value.as_map()
        {
            let ok = allowed(kind, cx.framework());
            let dropped: Vec<_> = req
                .iter()
                .filter(|e| !ok.contains(&e.key.as_str()))
                .collect();
            if let Some(first) = dropped.first() {
                let names = dropped
                    .iter()
                    .map(|e| format!("`request.{}`", e.key))
                    .collect::<Vec<_>>()
                    .join(", ");
                let kept = ok
                    .iter()
                    .map(|k| format!("request.{k}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut f = Finding::new(
                    &META,
                    format!("You're using the {t} in combination with request configuration in function \"{fname}\"; Serverless removes it before deployment."),
                    first.key_loc,
                    format!("removed: only {kept} are used with {t}"),
                )
                .anchor(ev.http_key)
                .help(format!(
                    "delete {names}; if you need them, use a non-proxy integration (`integration: lambda` or `http`), which changes the event your handler receives"
                ));
                for e in dropped.iter().skip(1) {
                    f = f.related(e.key_loc, "also removed");
                }
                let edits: Option<Vec<_>> = if dropped.len() == req.len() {
                    delete_entry(cx, ev, ev.http, req_e).map(|e| vec![e])
                } else {
                    dropped
                        .iter()
                        .map(|e| delete_entry(cx, ev, &req_e.value, e))
                        .collect()
                };
                if let Some(fx) =
                    edits.and_then(|e| fix(format!("Remove {names}"), Applicability::Safe, e))
                {
                    f = f.fix(fx);
                }
                out.push(f);
            }
        }
        if let Some(resp_e) = map.entry("response")
            && !resp_e.value.is_unresolved()
            && resp_e.value.truthy()
        {
            let mut f = Finding::new(
                &META,
                format!("You're using the {t} in combination with response configuration in function \"{fname}\"; Serverless removes it before deployment."),
                resp_e.key_loc,
                format!("removed with {t}"),
            )
            .anchor(ev.http_key)
            .help("delete `response`; with a proxy integration the handler's return value (`statusCode`, `headers`, `body`) is the response");
            if let Some(fx) = delete_entry(cx, ev, ev.http, resp_e)
                .and_then(|e| fix("Remove `response`", Applicability::Safe, vec![e]))
            {
                f = f.fix(fx);
            }
            out.push(f);
        }
        out
    }
}
