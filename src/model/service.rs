//! Where things are in a serverless config: functions, their http events, and
//! the inputs the http-event compiler reads.

use crate::source::{Loc, Node};

/// One `http` event of one function.
#[derive(Clone, Copy, Debug)]
pub struct HttpEvent<'a> {
    /// The function key.
    pub function: &'a str,
    /// The span of the function key.
    pub function_loc: Loc,
    /// Index of the event in `events`.
    pub index: usize,
    /// The element of `events` (`{http: ...}`).
    pub event: &'a Node,
    /// The value of its `http` key: a string (shorthand) or a mapping.
    pub http: &'a Node,
    /// The span of the `http` key.
    pub http_key: Loc,
}

impl HttpEvent<'_> {
    pub fn is_shorthand(&self) -> bool {
        self.http.as_str().is_some()
    }
}

/// Every http event, functions in order, events in order.
pub fn http_events(root: &Node) -> Vec<HttpEvent<'_>> {
    let mut out = Vec::new();
    let Some(functions) = root.get("functions").and_then(Node::as_map) else {
        return out;
    };
    for f in functions {
        let Some(events) = f.value.get("events").and_then(Node::as_seq) else {
            continue;
        };
        for (index, event) in events.iter().enumerate() {
            let Some(entry) = event.as_map().and_then(|m| m.entry("http")) else {
                continue;
            };
            out.push(HttpEvent {
                function: &f.key,
                function_loc: f.key_loc,
                index,
                event,
                http: &entry.value,
                http_key: entry.key_loc,
            });
        }
    }
    out
}

/// Function keys, in order.
pub fn function_names(root: &Node) -> Vec<String> {
    root.get("functions")
        .and_then(Node::as_map)
        .map(|m| m.keys().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Functions that have at least one http event, in order.
pub fn functions_with_http(root: &Node) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for e in http_events(root) {
        if names.last().map(String::as_str) != Some(e.function) {
            names.push(e.function.to_owned());
        }
    }
    names
}

/// The candidate closest to `name` (edit distance at most 2, or a case-insensitive match).
pub fn closest<'a>(name: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| {
            let d = if c.eq_ignore_ascii_case(name) {
                0
            } else {
                strsim::levenshtein(&name.to_lowercase(), &c.to_lowercase()).max(1)
            };
            (d, c)
        })
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

/// Provider keys that change API Gateway output.
const PROVIDER_INPUTS: [&str; 12] = [
    "stage",
    "region",
    "apiName",
    "apiGateway",
    "endpointType",
    "vpcEndpointIds",
    "apiKeys",
    "usagePlan",
    "resourcePolicy",
    "tracing",
    "logs",
    "apiKeySourceType",
];

/// The unresolved values (`${ssm:...}` and the like) that the http-event
/// compiler would read: the service name, API-shaping provider keys, and the
/// http events (of `function` only, when given) with their function keys.
pub fn unresolved_inputs<'a>(root: &'a Node, function: Option<&str>) -> Vec<&'a Node> {
    let mut out = Vec::new();
    if let Some(s) = root.get("service") {
        out.extend(s.unresolved());
    }
    match root.get("provider") {
        Some(p) if p.is_unresolved() => out.push(p),
        Some(p) => {
            for key in PROVIDER_INPUTS {
                if let Some(v) = p.get(key) {
                    out.extend(v.unresolved());
                }
            }
        }
        None => {}
    }
    match root.get("functions") {
        Some(f) if f.is_unresolved() => out.push(f),
        Some(functions) => {
            for f in functions.as_map().into_iter().flatten() {
                if function.is_some_and(|name| name != f.key) {
                    continue;
                }
                match f.value.get("events") {
                    Some(ev) if ev.is_unresolved() => out.push(ev),
                    Some(ev) => {
                        for item in ev.as_seq().into_iter().flatten() {
                            if item.is_unresolved() {
                                out.push(item);
                            } else if let Some(http) = item.get("http") {
                                out.extend(http.unresolved());
                            }
                        }
                    }
                    None => {}
                }
            }
        }
        None => {}
    }
    out
}
