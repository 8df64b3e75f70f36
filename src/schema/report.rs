//! Validation errors → findings: which branch of an `anyOf` to blame, which
//! span to underline, what to say, and how bad it is for the mirrored release.

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind as Kind;
use serde_json::Value as Json;

use super::instance::{found_phrase, show, type_names, type_phrase};
use super::locate::{Place, dotted, escape, locate, passes_unresolved, segments};
use super::meta::{INVALID_TYPE, INVALID_VALUE, MISSING_REQUIRED, UNKNOWN_PROPERTY};
use crate::model::Framework;
use crate::rules::{Finding, RuleMeta, Severity};
use crate::source::{Loc, Node, Value};

/// The methods API Gateway accepts (any letter case).
pub(crate) const METHODS: [&str; 8] = [
    "GET", "POST", "PUT", "PATCH", "OPTIONS", "HEAD", "DELETE", "ANY",
];

/// The keys of an `http` event mapping (for "indent it under `http:`" hints).
const HTTP_KEYS: [&str; 12] = [
    "path",
    "method",
    "integration",
    "async",
    "authorizer",
    "connectionType",
    "connectionId",
    "cors",
    "operationId",
    "private",
    "request",
    "response",
];

/// What the mirrored release does with a problem; decides the severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Impact {
    /// Refused or a crash in every release (missing path, `http: 5`,
    /// `request: 'abc'`, a stage name API Gateway rejects...).
    Crash,
    /// Serverless 1 refuses it; 2 and 3 warn and go on.
    V1Refuses,
    /// A schema warning in 2 and 3; silently accepted by 1.
    Warn,
    /// slsasync's own settings (`custom.slsasync`).
    Ours,
}

/// Everything a finding needs besides the error.
pub(crate) struct Reporter<'a> {
    pub root: &'a Node,
    pub raw: &'a Node,
    pub schema: &'a Json,
    pub framework: Framework,
    /// `configValidationMode: error` (the default of osls): every schema
    /// problem stops packaging.
    pub mode_error: bool,
    pub has_http: bool,
    /// `provider.name` is `aws` (or not given / unresolved).
    pub aws: bool,
    pub out: Vec<Finding>,
}

/// Where to underline.
struct Spot {
    loc: Loc,
    key: Option<Loc>,
    related: Option<Loc>,
}

impl Reporter<'_> {
    pub(crate) fn severity(&self, impact: Impact) -> Severity {
        match impact {
            Impact::Crash => Severity::Error,
            Impact::V1Refuses if self.framework == Framework::V1 || self.mode_error => {
                Severity::Error
            }
            Impact::Warn if self.mode_error => Severity::Error,
            Impact::V1Refuses | Impact::Warn | Impact::Ours => Severity::Warning,
        }
    }

    /// Report one error of the validator (recursing into the branch of an
    /// `anyOf`/`oneOf` that the value was meant to match).
    pub(crate) fn report(&mut self, e: &ValidationError<'_>) {
        let ptr = e.instance_path().as_str();
        if !self.in_scope(ptr) || passes_unresolved(self.root, ptr) {
            return;
        }
        match e.kind() {
            Kind::AnyOf { context } | Kind::OneOfNotValid { context } => self.choice(e, context),
            Kind::AdditionalProperties { unexpected } => self.unknown(e, unexpected),
            Kind::Required { property } => {
                if let Some(p) = property.as_str() {
                    self.required(ptr, p);
                }
            }
            Kind::Type { .. } => {
                let expected = self
                    .schema
                    .pointer(e.schema_path().as_str())
                    .map(type_names)
                    .unwrap_or_default()
                    .into_iter()
                    .map(str::to_owned)
                    .collect::<Vec<_>>();
                self.wrong_type(ptr, &expected, e.instance());
            }
            Kind::Enum { options } => {
                let mut allowed: Vec<String> = Vec::new();
                for o in options.as_array().into_iter().flatten() {
                    push_unique(&mut allowed, plain(o));
                }
                let msg = format!("expected one of {}", allowed.join(", "));
                self.bad_value(ptr, e.instance(), &msg, &allowed, true);
            }
            Kind::Pattern { pattern } => self.pattern(e, pattern),
            Kind::PropertyNames { error } => self.bad_key(ptr, error),
            kind => {
                let msg = match kind {
                    Kind::Minimum { limit } => format!("must be >= {limit}"),
                    Kind::Maximum { limit } => format!("must be <= {limit}"),
                    Kind::ExclusiveMinimum { limit } => format!("must be > {limit}"),
                    Kind::ExclusiveMaximum { limit } => format!("must be < {limit}"),
                    Kind::MinLength { limit: 1 } => "must not be empty".to_owned(),
                    Kind::MinLength { limit } => {
                        format!("must be at least {limit} characters long")
                    }
                    Kind::MaxLength { limit } => format!("must be at most {limit} characters long"),
                    Kind::MinItems { limit } => format!("must have at least {limit} items"),
                    Kind::MaxItems { limit } => format!("must have at most {limit} items"),
                    Kind::MinProperties { limit } => format!("must have at least {limit} keys"),
                    Kind::MaxProperties { limit } => format!("must have at most {limit} keys"),
                    Kind::Constant { expected_value } => {
                        format!("must be {}", show(expected_value))
                    }
                    Kind::AdditionalItems { limit } => format!("must have at most {limit} items"),
                    Kind::OneOfMultipleValid { .. } => {
                        "matches more than one of the allowed forms".to_owned()
                    }
                    Kind::UniqueItems => "must not repeat items".to_owned(),
                    _ => format!("is not allowed here ({})", e.kind().keyword()),
                };
                self.bad_value(ptr, e.instance(), &msg, &[], false);
            }
        }
    }

    /// Findings for a non-aws provider are limited to the keys the framework
    /// still validates then.
    fn in_scope(&self, ptr: &str) -> bool {
        if self.aws {
            return true;
        }
        ptr.is_empty()
            || [
                "/service",
                "/frameworkVersion",
                "/configValidationMode",
                "/custom",
            ]
            .iter()
            .any(|p| ptr == *p || ptr.starts_with(&format!("{p}/")))
    }

    fn choice(&mut self, e: &ValidationError<'_>, context: &[Vec<ValidationError<'static>>]) {
        let ptr = e.instance_path().as_str();
        let matching: Vec<&Vec<ValidationError<'static>>> =
            context.iter().filter(|b| !mismatch(b, ptr)).collect();
        if matching.is_empty() {
            let mut types = Vec::new();
            for b in context {
                self.branch_types(b, ptr, &mut types);
            }
            self.wrong_type(ptr, &types, e.instance());
            return;
        }
        let chosen = if matching.len() == 1 {
            matching.first().copied()
        } else {
            // The framework's heuristic: the variant whose errors go deepest
            // into the value is the one the author meant.
            let depth = |b: &Vec<ValidationError<'static>>| {
                b.iter()
                    .map(|x| x.instance_path().as_str().matches('/').count())
                    .max()
                    .unwrap_or(0)
            };
            let max = matching.iter().map(|b| depth(b)).max().unwrap_or(0);
            let deepest: Vec<_> = matching.iter().filter(|b| depth(b) == max).collect();
            if deepest.len() == 1 {
                deepest.first().map(|b| **b)
            } else {
                None
            }
        };
        match chosen {
            Some(branch) => {
                for sub in branch {
                    self.report(sub);
                }
            }
            None => {
                let parent = parent_pointer(e.schema_path().as_str());
                let hint = self
                    .schema
                    .pointer(parent)
                    .and_then(|s| s.get("description"))
                    .and_then(Json::as_str)
                    .map(str::to_owned);
                let msg = "does not match any of the allowed forms".to_owned();
                let before = self.out.len();
                self.bad_value(ptr, e.instance(), &msg, &[], false);
                if let (Some(h), Some(f)) = (hint, self.out.get_mut(before)) {
                    f.help = Some(h);
                }
            }
        }
    }

    /// The types a branch would have accepted at `ptr`.
    fn branch_types(&self, branch: &[ValidationError<'static>], ptr: &str, out: &mut Vec<String>) {
        for x in branch.iter().filter(|x| x.instance_path().as_str() == ptr) {
            match x.kind() {
                Kind::Type { .. } => {
                    if let Some(t) = self.schema.pointer(x.schema_path().as_str()) {
                        for name in type_names(t) {
                            push_unique(out, name.to_owned());
                        }
                    }
                }
                Kind::Constant { expected_value } => {
                    push_unique(out, format!("={}", show(expected_value)))
                }
                Kind::AnyOf { context } | Kind::OneOfNotValid { context } => {
                    for b in context {
                        self.branch_types(b, ptr, out);
                    }
                }
                _ => {}
            }
        }
    }

    fn wrong_type(&mut self, ptr: &str, expected: &[String], found: &Json) {
        let Some(spot) = self.spot(ptr) else { return };
        let phrases: Vec<String> = expected
            .iter()
            .map(|t| match t.strip_prefix('=') {
                Some(v) => v.to_owned(),
                None => type_phrase(t).to_owned(),
            })
            .collect();
        let exp = join_or(&phrases);
        let segs: Vec<String> = segments(ptr).collect();
        let http_rest = http_rest(&segs);
        let impact = match http_rest {
            Some([]) => Impact::Crash,
            Some([k]) if matches!(k.as_str(), "path" | "method" | "request" | "response") => {
                Impact::Crash
            }
            Some([a, b])
                if matches!(
                    (a.as_str(), b.as_str()),
                    ("request", "template")
                        | ("response", "headers")
                        | ("cors", "headers")
                        | ("cors", "maxAge")
                ) =>
            {
                Impact::V1Refuses
            }
            _ if ptr == "/service" && self.framework >= Framework::V3 => Impact::Crash,
            _ => self.default_impact(ptr),
        };
        let message = format!(
            "invalid type at '{}': expected {exp}, found {}",
            dotted(ptr),
            found_phrase(found)
        );
        let help = match http_rest {
            Some([]) => "write `http: METHOD /path` or a mapping with `path` and `method`; Serverless 2 and 3 crash on anything else".to_owned(),
            Some([k]) if matches!(k.as_str(), "request" | "response") => format!(
                "`{k}` must be a mapping; Serverless 2 and 3 crash on a {} here (TypeError: Cannot create property ... on {})",
                found_phrase(found).trim_start_matches("a ").trim_start_matches("an "),
                found_phrase(found)
            ),
            _ if ptr == "/service" && self.framework >= Framework::V3 => {
                "Serverless 3 refuses the object notation: write `service: <name>`".to_owned()
            }
            _ => type_help(expected),
        };
        self.push(
            &INVALID_TYPE,
            impact,
            message,
            &spot,
            format!("expected {exp}"),
            Some(help),
        );
    }

    /// `allowed` lists every accepted value when `exhaustive` (an enum), or
    /// examples of them.
    fn bad_value(
        &mut self,
        ptr: &str,
        value: &Json,
        what: &str,
        allowed: &[String],
        exhaustive: bool,
    ) {
        let Some(spot) = self.spot(ptr) else { return };
        let impact = self.value_impact(ptr, value);
        let message = format!("invalid value {} at '{}': {what}", show(value), dotted(ptr));
        let mut help = value.as_str().and_then(|v| did_you_mean(v, allowed));
        if help.is_none() && ptr == "/provider/stage" {
            help = Some(stage_help(impact));
        }
        if help.is_none() && exhaustive && !allowed.is_empty() {
            help = Some(format!("write {}", join_or(allowed)));
        }
        self.push(
            &INVALID_VALUE,
            impact,
            message,
            &spot,
            what.to_owned(),
            help,
        );
    }

    fn pattern(&mut self, e: &ValidationError<'_>, pattern: &str) {
        let ptr = e.instance_path().as_str();
        let segs: Vec<String> = segments(ptr).collect();
        if let (Some([]), Some(s)) = (http_rest(&segs), e.instance().as_str()) {
            self.shorthand(ptr, s);
            return;
        }
        let node = self
            .schema
            .pointer(parent_pointer(e.schema_path().as_str()));
        let what = node
            .and_then(|n| n.get("patternErrorMessage"))
            .and_then(Json::as_str)
            .map_or_else(
                || format!("does not match the pattern `{pattern}`"),
                str::to_owned,
            );
        let allowed: Vec<String> = node
            .and_then(|n| n.get("examples"))
            .and_then(Json::as_array)
            .map(|a| a.iter().map(plain).collect())
            .unwrap_or_default();
        self.bad_value(ptr, e.instance(), &what, &allowed, false);
    }

    /// `http: '<METHOD> <path>'` that the framework's pattern rejects: say
    /// which part is wrong, and how bad that is.
    fn shorthand(&mut self, ptr: &str, s: &str) {
        let Some(spot) = self.spot(ptr) else { return };
        let parts: Vec<&str> = s.split(' ').collect();
        let method = parts.first().copied().unwrap_or("");
        let where_ = dotted(ptr);
        let Some(path) = parts.get(1).copied() else {
            let help = match s.find('/') {
                Some(i) if i > 0 => format!(
                    "write `{} {}`",
                    s.get(..i).unwrap_or(""),
                    s.get(i..).unwrap_or("")
                ),
                _ => "write `METHOD /path`, e.g. `GET /users/{id}`".to_owned(),
            };
            let message = format!(
                "the http shorthand '{s}' at '{where_}' has no path: Serverless splits it on a space and crashes (TypeError: Cannot read properties of undefined (reading 'replace'))"
            );
            self.push(
                &MISSING_REQUIRED,
                Impact::Crash,
                message,
                &spot,
                "no path".to_owned(),
                Some(help),
            );
            return;
        };
        if !METHODS.iter().any(|m| m.eq_ignore_ascii_case(method)) {
            let allowed: Vec<String> = METHODS.iter().map(|m| (*m).to_owned()).collect();
            let message = format!(
                "invalid method '{method}' in the http shorthand '{s}' at '{where_}': expected one of {} (any letter case)",
                METHODS.join(", ")
            );
            let help = did_you_mean(method, &allowed).unwrap_or_else(|| {
                "write `METHOD /path` with an HTTP method API Gateway accepts".to_owned()
            });
            self.push(
                &INVALID_VALUE,
                Impact::V1Refuses,
                message,
                &spot,
                "unknown method".to_owned(),
                Some(help),
            );
            return;
        }
        let rest: Vec<&str> = parts.iter().skip(2).copied().collect();
        let (what, help) = if path.is_empty() {
            let real = rest.iter().find(|p| !p.is_empty()).copied().unwrap_or("/");
            (
                "more than one space after the method: Serverless reads the path as empty (the root resource)".to_owned(),
                format!("write `{method} {real}` with one space"),
            )
        } else if !path.starts_with('/') {
            (
                format!(
                    "the path '{path}' does not start with '/' (Serverless accepts it but warns)"
                ),
                format!("write `{method} /{path}`"),
            )
        } else if !rest.is_empty() {
            (
                format!("the text after the path ('{}') is ignored", rest.join(" ")),
                format!("write `{method} {path}`; use the mapping form for other settings"),
            )
        } else {
            (
                "expected `METHOD /path` (no whitespace in the path)".to_owned(),
                "write `METHOD /path`, e.g. `GET /users/{id}`".to_owned(),
            )
        };
        let message = format!("invalid http shorthand '{s}' at '{where_}': {what}");
        self.push(
            &INVALID_VALUE,
            Impact::Warn,
            message,
            &spot,
            "expected `METHOD /path`".to_owned(),
            Some(help),
        );
    }

    fn required(&mut self, ptr: &str, prop: &str) {
        let Some(spot) = self.spot(ptr) else { return };
        let segs: Vec<String> = segments(ptr).collect();
        let where_ = dotted(ptr);
        let is_http = matches!(http_rest(&segs), Some([]));
        let (impact, message, help) = if is_http {
            let reading = if prop == "method" {
                "toLowerCase"
            } else {
                "replace"
            };
            let sibling = self.event_has_sibling(ptr, prop);
            let example = if prop == "method" {
                "method: get"
            } else {
                "path: /hello"
            };
            let help = if sibling {
                format!("`{prop}` is written next to `http:`; indent it under `http:`")
            } else {
                format!("add `{example}` under `http:`")
            };
            (
                Impact::Crash,
                format!(
                    "missing required property '{prop}' at '{where_}': Serverless 2 and 3 crash without it (TypeError: Cannot read properties of undefined (reading '{reading}'))"
                ),
                help,
            )
        } else {
            (
                self.default_impact(ptr),
                format!("missing required property '{prop}' at '{where_}'"),
                format!("add `{prop}`"),
            )
        };
        self.push(
            &MISSING_REQUIRED,
            impact,
            message,
            &spot,
            format!("`{prop}` missing"),
            Some(help),
        );
    }

    /// `- http: {...}` with `prop` written beside `http:` in the same event.
    fn event_has_sibling(&self, http_ptr: &str, prop: &str) -> bool {
        let event_ptr = parent_pointer(http_ptr);
        matches!(locate(self.root, event_ptr), Place::Found { node, .. } if node.get(prop).is_some())
    }

    fn unknown(&mut self, e: &ValidationError<'_>, unexpected: &[String]) {
        let ptr = e.instance_path().as_str();
        let segs: Vec<String> = segments(ptr).collect();
        if http_rest(&segs).is_some() {
            // Unknown keys inside an http event are SLS-KEY-001's.
            return;
        }
        let event_level = is_event_pointer(&segs);
        let known: Vec<String> = self
            .schema
            .pointer(parent_pointer(e.schema_path().as_str()))
            .and_then(|s| s.get("properties"))
            .and_then(Json::as_object)
            .map(|p| {
                p.keys()
                    .filter(|k| !event_level || *k != "http")
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let impact = self.default_impact(ptr);
        for key in unexpected {
            let child = format!("{ptr}/{}", escape(key));
            let Some(mut spot) = self.spot(&child) else {
                continue;
            };
            if let Some(k) = spot.key {
                spot.loc = k;
            }
            let (message, help) = if event_level {
                let help = if HTTP_KEYS.contains(&key.as_str()) {
                    format!("`{key}` is an http setting: indent it under `http:`")
                } else {
                    format!(
                        "an event holds only its type (`http:`); move `{key}` under `http:` or remove it"
                    )
                };
                (
                    format!(
                        "unknown property '{key}' next to `http` at '{}'",
                        dotted(ptr)
                    ),
                    help,
                )
            } else {
                let help = did_you_mean(key, &known)
                    .unwrap_or_else(|| format!("known properties: {}", known.join(", ")));
                (
                    format!("unknown property '{key}' at '{}'", dotted(ptr)),
                    help,
                )
            };
            self.push(
                &UNKNOWN_PROPERTY,
                impact,
                message,
                &spot,
                "unknown property".to_owned(),
                Some(help),
            );
        }
    }

    fn bad_key(&mut self, ptr: &str, error: &ValidationError<'_>) {
        let Some(key) = error.instance().as_str() else {
            return;
        };
        let child = format!("{ptr}/{}", escape(key));
        let Some(mut spot) = self.spot(&child) else {
            return;
        };
        if let Some(k) = spot.key {
            spot.loc = k;
        }
        let schema_node = self
            .schema
            .pointer(parent_pointer(error.schema_path().as_str()));
        let what = schema_node
            .and_then(|n| n.get("patternErrorMessage"))
            .and_then(Json::as_str)
            .map_or_else(|| "is not a valid key here".to_owned(), str::to_owned);
        let impact = self.default_impact(ptr);
        let message = format!("invalid key '{key}' at '{}': {what}", dotted(ptr));
        self.push(
            &INVALID_VALUE,
            impact,
            message,
            &spot,
            "invalid key".to_owned(),
            None,
        );
    }

    fn value_impact(&self, ptr: &str, value: &Json) -> Impact {
        let segs: Vec<String> = segments(ptr).collect();
        match http_rest(&segs) {
            Some([k]) if matches!(k.as_str(), "method" | "integration" | "connectionType") => {
                return Impact::V1Refuses;
            }
            Some([a, b]) if (a.as_str(), b.as_str()) == ("request", "passThrough") => {
                return Impact::V1Refuses;
            }
            Some([a, b]) if (a.as_str(), b.as_str()) == ("cors", "maxAge") => {
                return Impact::V1Refuses;
            }
            _ => {}
        }
        match ptr {
            "/provider/endpointType" | "/provider/apiGateway/apiKeySourceType" => Impact::V1Refuses,
            "/provider/stage" => {
                let refused = value.as_str().is_some_and(|s| {
                    s.is_empty()
                        || !s
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                });
                if refused && self.has_http {
                    Impact::Crash
                } else {
                    Impact::Warn
                }
            }
            _ => self.default_impact(ptr),
        }
    }

    fn default_impact(&self, ptr: &str) -> Impact {
        if ptr == "/custom/slsasync" || ptr.starts_with("/custom/slsasync/") {
            Impact::Ours
        } else {
            Impact::Warn
        }
    }

    /// The place to underline for the value at `ptr`. When the value was
    /// substituted for a `${...}` written at that place, underline the
    /// variable and point at the resolved value's definition as related.
    fn spot(&self, ptr: &str) -> Option<Spot> {
        let Place::Found { node, key } = locate(self.root, ptr) else {
            return None;
        };
        let mut spot = Spot {
            loc: node.loc,
            key,
            related: None,
        };
        if let Some(raw) = locate_raw(self.raw, ptr)
            && matches!(&raw.value, Value::String(s) if s.contains("${"))
            && raw.loc != node.loc
        {
            spot.related = Some(node.loc);
            spot.loc = raw.loc;
        }
        Some(spot)
    }

    fn push(
        &mut self,
        meta: &'static RuleMeta,
        impact: Impact,
        message: String,
        spot: &Spot,
        label: String,
        help: Option<String>,
    ) {
        let mut f = Finding::new(meta, message, spot.loc, label).severity(self.severity(impact));
        if let Some(h) = help {
            f = f.help(h);
        }
        if let Some(r) = spot.related {
            f = f.related(r, "the value comes from here");
        }
        if let Some(k) = spot.key
            && k != spot.loc
        {
            f = f.anchor(k);
        }
        self.out.push(f);
    }
}

/// A branch of an `anyOf`/`oneOf` that cannot apply to the value's type.
fn mismatch(branch: &[ValidationError<'static>], ptr: &str) -> bool {
    branch.iter().any(|x| {
        x.instance_path().as_str() == ptr
            && match x.kind() {
                Kind::Type { .. } => true,
                Kind::Constant { expected_value } => {
                    json_type(expected_value) != json_type(x.instance())
                }
                Kind::Enum { options } => options
                    .as_array()
                    .is_some_and(|o| o.iter().all(|v| json_type(v) != json_type(x.instance()))),
                Kind::AnyOf { context } | Kind::OneOfNotValid { context } => {
                    context.iter().all(|b| mismatch(b, ptr))
                }
                _ => false,
            }
    })
}

fn json_type(v: &Json) -> u8 {
    match v {
        Json::Null => 0,
        Json::Bool(_) => 1,
        Json::Number(_) => 2,
        Json::String(_) => 3,
        Json::Array(_) => 4,
        Json::Object(_) => 5,
    }
}

/// Segments below the `http` key when `segs` is inside an http event
/// (`functions/<f>/events/<i>/http/...`, or the list form
/// `functions/<n>/<f>/events/<i>/http/...`).
pub(crate) fn http_rest(segs: &[String]) -> Option<&[String]> {
    let is_index = |s: &String| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match segs {
        [functions, _, events, i, http, rest @ ..]
            if functions == "functions" && events == "events" && is_index(i) && http == "http" =>
        {
            Some(rest)
        }
        [functions, n, _, events, i, http, rest @ ..]
            if functions == "functions"
                && is_index(n)
                && events == "events"
                && is_index(i)
                && http == "http" =>
        {
            Some(rest)
        }
        _ => None,
    }
}

/// `functions/<f>/events/<i>` (or the list form).
fn is_event_pointer(segs: &[String]) -> bool {
    let is_index = |s: &String| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match segs {
        [functions, _, events, i] => functions == "functions" && events == "events" && is_index(i),
        [functions, n, _, events, i] => {
            functions == "functions" && is_index(n) && events == "events" && is_index(i)
        }
        _ => false,
    }
}

/// Walk the as-written tree without stopping at `${...}` texts.
fn locate_raw<'a>(raw: &'a Node, ptr: &str) -> Option<&'a Node> {
    let mut node = raw;
    for seg in segments(ptr) {
        node = match &node.value {
            Value::Map(m) => m.get(&seg)?,
            Value::Seq(items) => items.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

fn parent_pointer(ptr: &str) -> &str {
    ptr.rfind('/').map_or("", |i| ptr.get(..i).unwrap_or(""))
}

fn plain(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn push_unique(out: &mut Vec<String>, s: String) {
    if !out.contains(&s) {
        out.push(s);
    }
}

fn join_or(items: &[String]) -> String {
    match items {
        [] => "another type".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn type_help(expected: &[String]) -> String {
    match expected {
        [t] if t == "boolean" => "write `true` or `false`, without quotes".to_owned(),
        [t] if t == "integer" => "write a whole number, without quotes or units".to_owned(),
        [t] if t == "number" => "write a number, without quotes or units".to_owned(),
        [t] if t == "string" => {
            "write a string (quote it if YAML would read it as something else)".to_owned()
        }
        [t] if t == "object" => {
            "write a mapping (`key: value` lines indented below the key)".to_owned()
        }
        [t] if t == "array" => "write a list (`- item` lines)".to_owned(),
        _ => "change the value to one of the expected types".to_owned(),
    }
}

fn stage_help(impact: Impact) -> String {
    if impact == Impact::Crash {
        "use only letters, digits, '-' and '_' (the framework refuses other characters when the service has http events)".to_owned()
    } else {
        "use only letters, digits and '-' (Serverless 3's schema warns about '_', which API Gateway accepts)".to_owned()
    }
}

/// "did you mean `X`?" when `value` is a likely typo of one of `allowed`
/// (letter case ignored; at most two edits, and at most a third of the text).
pub(crate) fn did_you_mean(value: &str, allowed: &[String]) -> Option<String> {
    let v = value.to_ascii_lowercase();
    let (d, candidate) = allowed
        .iter()
        .map(|a| (strsim::osa_distance(&v, &a.to_ascii_lowercase()), a))
        .min_by_key(|(d, _)| *d)?;
    if d == 0 {
        return (candidate != value)
            .then(|| format!("did you mean `{candidate}`? (letter case matters here)"));
    }
    (d <= 2 && d * 3 <= v.chars().count()).then(|| format!("did you mean `{candidate}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn http_pointers() {
        let segs = |p: &str| segments(p).collect::<Vec<_>>();
        assert_eq!(
            http_rest(&segs("/functions/f/events/0/http")),
            Some(&[][..])
        );
        assert_eq!(
            http_rest(&segs("/functions/f/events/2/http/request/passThrough")).map(<[String]>::len),
            Some(2)
        );
        assert_eq!(
            http_rest(&segs("/functions/0/f/events/1/http")),
            Some(&[][..])
        );
        assert_eq!(
            http_rest(&segs("/functions/0/events/1/http")),
            Some(&[][..])
        );
        assert!(http_rest(&segs("/functions/f/events/0")).is_none());
        assert!(is_event_pointer(&segs("/functions/f/events/0")));
        assert!(!is_event_pointer(&segs("/functions/f/events")));
    }

    #[test]
    fn suggestions() {
        let pt = strings(&["NEVER", "WHEN_NO_MATCH", "WHEN_NO_TEMPLATES"]);
        assert_eq!(
            did_you_mean("WHEN_NO_TEMPLATE", &pt).as_deref(),
            Some("did you mean `WHEN_NO_TEMPLATES`?")
        );
        assert!(did_you_mean("never", &pt).is_some_and(|h| h.contains("letter case")));
        assert_eq!(did_you_mean("ALWAYS", &pt), None);
        let m = strings(&METHODS);
        assert_eq!(
            did_you_mean("GTE", &m).as_deref(),
            Some("did you mean `GET`?")
        );
        assert_eq!(did_you_mean("fetch", &m), None);
    }

    #[test]
    fn pointer_parents() {
        assert_eq!(parent_pointer("/a/b/pattern"), "/a/b");
        assert_eq!(parent_pointer("/a"), "");
        assert_eq!(
            join_or(&strings(&["a string", "a mapping"])),
            "a string or a mapping"
        );
    }
}
