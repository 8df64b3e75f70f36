//! SLS-ASYNC-004: `async` used while `frameworkVersion` allows releases before 1.40.0.

use nodejs_semver::Range;

use crate::model::target_for_range;
use crate::rules::util::{
    fix, framework_version, get, is_active, is_async, range_allows, replace_in_scalar,
};
use crate::rules::{Applicability, Context, Finding, FixKind, Rule, RuleMeta, Severity};

pub struct AsyncOnOldFramework;

static META: RuleMeta = RuleMeta {
    code: "SLS-ASYNC-004",
    name: "async-on-old-framework",
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    summary: "`async` is ignored by Serverless < 1.40.0, which `frameworkVersion` still allows",
    doc: r#"## What it flags

A truthy `async` on an http event when the `frameworkVersion` range allows a
release older than 1.40.0 (e.g. `>=1.28.0 <2.0.0`).

## Why it matters

`async` was introduced in Serverless 1.40.0. Older releases ignore the key
without a word: the endpoint stays `lambda-proxy` and synchronous. Whoever
deploys with an old installation gets a different API from the one the file
describes.

## Example

```yaml
frameworkVersion: '>=1.28.0 <2.0.0'
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
frameworkVersion: '>=1.40.0 <2.0.0'
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

## Fix

Rewrites the lower bound of the range to `>=1.40.0` (a `>=`/`>` comparator, a
caret range `^1.x`, or a bare major), when the result is a valid range that no
longer allows older releases and still selects the same major. Unsafe: an older
installed framework will now refuse to run the service.

## References

- serverless/serverless PR #5898 (`async` added in 1.40.0)
"#,
};

/// `range` with its lower bound raised to 1.40.0, when that can be done simply.
fn raise_lower_bound(range: &str) -> Option<String> {
    let r = range.trim();
    if r.contains("||") || r.contains(" - ") {
        return None;
    }
    // Join `>= 1.2.3` into one token.
    let mut tokens: Vec<String> = Vec::new();
    let mut pending: Option<String> = None;
    for t in r.split_whitespace() {
        if let Some(op) = pending.take() {
            tokens.push(format!("{op}{t}"));
        } else if matches!(t, ">=" | ">" | "<" | "<=" | "=" | "^" | "~") {
            pending = Some(t.to_owned());
        } else {
            tokens.push(t.to_owned());
        }
    }
    if pending.is_some() || tokens.is_empty() {
        return None;
    }
    let lowers: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.starts_with('>'))
        .map(|(i, _)| i)
        .collect();
    let candidate = match (lowers.as_slice(), tokens.as_slice()) {
        ([i], _) => {
            let mut t = tokens.clone();
            t[*i] = ">=1.40.0".to_owned();
            t.join(" ")
        }
        ([], [one]) if one.starts_with('^') => {
            let v = one.trim_start_matches('^');
            if v == "1" || v.starts_with("1.") {
                "^1.40.0".to_owned()
            } else {
                return None;
            }
        }
        ([], [one]) if matches!(one.as_str(), "1" | "1.x" | "1.X" | "1.*") => "^1.40.0".to_owned(),
        ([], _) if tokens.iter().all(|t| t.starts_with('<')) => {
            format!(">=1.40.0 {}", tokens.join(" "))
        }
        _ => return None,
    };
    let ok = Range::parse(&candidate).is_ok()
        && !range_allows(&candidate, "<1.40.0")
        && range_allows(&candidate, ">=1.40.0")
        && target_for_range(&candidate).ok().map(|t| t.framework)
            == target_for_range(range).ok().map(|t| t.framework);
    ok.then_some(candidate)
}

impl Rule for AsyncOnOldFramework {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_service(&self, cx: &Context<'_>) -> Vec<Finding> {
        let Some((range, node)) = framework_version(cx) else {
            return Vec::new();
        };
        if !range_allows(&range, "<1.40.0") {
            return Vec::new();
        }
        let asyncs: Vec<_> = cx
            .events
            .iter()
            .filter(|ev| is_active(ev) && is_async(ev) == Some(true))
            .collect();
        if asyncs.is_empty() {
            return Vec::new();
        }
        let message = format!(
            "`async` is ignored by Serverless < 1.40.0; your range `{range}` allows such versions. Raise the lower bound to `>=1.40.0`."
        );
        let mut f = Finding::new(&META, message, node.loc, "allows releases without `async`")
            .help("raise the lower bound of `frameworkVersion` to `>=1.40.0`");
        for ev in asyncs {
            if let Some(a) = get(ev, "async") {
                f = f.related(a.loc, "ignored before 1.40.0");
            }
            f = f.anchor(ev.http_key);
        }
        if let Some(new) = raise_lower_bound(&range)
            && let Some(fx) = replace_in_scalar(cx, node, &range, &new).and_then(|e| {
                fix(
                    format!("Change `frameworkVersion` to `{new}`"),
                    Applicability::Unsafe,
                    vec![e],
                )
            })
        {
            f = f.fix(fx);
        }
        vec![f]
    }
}

#[cfg(test)]
mod tests {
    use super::raise_lower_bound;

    #[test]
    fn lower_bounds_are_raised() {
        assert_eq!(
            raise_lower_bound(">=1.28.0 <2.0.0").as_deref(),
            Some(">=1.40.0 <2.0.0")
        );
        assert_eq!(
            raise_lower_bound(">= 1.28.0 < 2.0.0").as_deref(),
            Some(">=1.40.0 <2.0.0")
        );
        assert_eq!(raise_lower_bound("^1.28.0").as_deref(), Some("^1.40.0"));
        assert_eq!(raise_lower_bound("1").as_deref(), Some("^1.40.0"));
        assert_eq!(
            raise_lower_bound("<2.0.0").as_deref(),
            Some(">=1.40.0 <2.0.0")
        );
        assert_eq!(raise_lower_bound("~1.28.0"), None);
        assert_eq!(raise_lower_bound("1.28.0 || 2"), None);
    }
}
