//! SLS-PATH-003: a string shorthand that is not `<METHOD> /<path>`.

use crate::model::HttpEvent;
use crate::rules::util::{
    REFUSED_BY_SCHEMA, fix, is_active, replace_raw, replace_string, schema_refuses, shorthand_parts,
};
use crate::rules::{Applicability, Context, Finding, FixKind, Rule, RuleMeta, Severity};
use crate::source::Style;

pub struct ShorthandMalformed;

static META: RuleMeta = RuleMeta {
    code: "SLS-PATH-003",
    name: "shorthand-malformed",
    severity: Severity::Warning,
    fix: FixKind::Safe,
    summary: "`http: <METHOD> <path>` shorthand without a leading `/`, with double spaces or extra words",
    doc: r#"## What it flags

A string `http` event whose method is valid but which does not read
`<METHOD> /<path>` with exactly one space: a path without leading `/`
(`GET users`), two spaces (`GET  /users`, which makes the path empty), or
words after the path (`GET /users list`).

## Why it matters

The framework splits the string on every single space and keeps elements 0 and
1: two spaces give the root path, extra words are dropped. Serverless 2/3 print
a schema warning (`does not satisfy pattern`), and refuse the config with
`configValidationMode: error`.

## Example

```yaml
functions:
  hello:
    handler: handler.hello
    events:
      - http: GET hello
```

## Fixed example

```yaml
functions:
  hello:
    handler: handler.hello
    events:
      - http: GET /hello
```

## Fix

Rewrites the string as `<METHOD> /<path>`, taking the first word after the
method as the path. Safe when only a leading `/` is added (or trailing spaces
removed): the framework already uses that path. Unsafe when words are dropped,
or when a double space made today's path the root: the fixed event serves the
path you wrote, not the root it serves now.
"#,
};

const METHODS: [&str; 8] = [
    "get", "post", "put", "patch", "options", "head", "delete", "any",
];

/// The schema's `^(?:\*|(METHOD) (\/\S*))$` with a valid method.
fn matches_schema(s: &str) -> bool {
    if s == "*" {
        return true;
    }
    let Some((m, rest)) = s.split_once(' ') else {
        return false;
    };
    METHODS.contains(&m.to_lowercase().as_str())
        && rest.starts_with('/')
        && !rest.chars().any(char::is_whitespace)
}

impl Rule for ShorthandMalformed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_event(&self, cx: &Context<'_>, ev: &HttpEvent<'_>) -> Vec<Finding> {
        if !is_active(ev) {
            return Vec::new();
        }
        let Some(s) = ev.http.as_str() else {
            return Vec::new();
        };
        let (method, path) = shorthand_parts(s);
        let Some(path) = path else {
            return Vec::new();
        };
        if !METHODS.contains(&method.to_lowercase().as_str()) || matches_schema(s) {
            return Vec::new();
        }
        let tokens: Vec<&str> = s.split(' ').skip(1).collect();
        let chosen = tokens.iter().copied().find(|t| !t.is_empty()).unwrap_or("");
        let candidate = format!("{method} /{}", chosen.strip_prefix('/').unwrap_or(chosen));
        let mut message = format!("Write `http: {candidate}`.");
        if path.is_empty() {
            message = format!(
                "`{s}` has two spaces in a row, so its path is empty (the API root). {message}"
            );
        } else if !path.starts_with('/') {
            message = format!("The path of `{s}` has no leading `/`. {message}");
        } else {
            message = format!(
                "`{s}` has more than one space; Serverless ignores everything after `{method} {path}`. {message}"
            );
        }
        let refused = schema_refuses(cx);
        if refused {
            message.push_str(REFUSED_BY_SCHEMA);
        }
        let mut f = Finding::new(&META, message, ev.http.loc, "not `<METHOD> /<path>`")
            .anchor(ev.http_key)
            .help(format!(
                "write `http: {candidate}` (one space, path starting with `/`)"
            ));
        if refused {
            f = f.severity(Severity::Error);
        }
        if matches_schema(&candidate) {
            let safe =
                chosen == path && !path.is_empty() && tokens.iter().skip(1).all(|r| r.is_empty());
            let applicability = if safe {
                Applicability::Safe
            } else {
                Applicability::Unsafe
            };
            let keeps_plain = ev.http.style == Style::Plain
                && candidate.chars().all(|c| c == '/' || s.contains(c))
                && !candidate.contains(" #")
                && !candidate.contains(": ");
            let edit = if keeps_plain {
                replace_raw(cx, ev, ev.http, &candidate)
            } else {
                replace_string(cx, ev, ev.http, &candidate)
            };
            if let Some(fx) =
                edit.and_then(|e| fix(format!("Write `{candidate}`"), applicability, vec![e]))
            {
                f = f.fix(fx);
            }
        }
        vec![f]
    }
}
