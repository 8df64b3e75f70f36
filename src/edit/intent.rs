//! `make-async` / `make-sync`: what they mean for one `http` event, as
//! [`Op`]s, and the proof that the edited text means exactly that.
//!
//! make-async (status S, default 202), the form the seed article recommends:
//! * `async: true`;
//! * the non-proxy `integration: lambda`, made explicit (absent, the framework
//!   picks it only while `async` is on; an explicit `lambda-proxy` becomes
//!   `lambda`, since the proxy integration has no response mapping for an
//!   asynchronous invocation);
//! * `response.statusCodes` whose only default (`pattern: ''`) is S: status
//!   codes with real patterns are kept, an existing default is re-keyed to S
//!   (keeping its headers and templates), a default without `pattern` gets
//!   `pattern: ''`;
//! * the `request`/`response` settings a proxy integration had been ignoring,
//!   which now take effect, are listed.
//!
//! make-sync (status S, default 200):
//! * `async` off: `async: false` (the article's explicit sync form) for the
//!   lambda integration; for lambda-proxy the key is removed unless its line
//!   carries a comment or another http event of the file writes `async: false`;
//! * the integration is kept; when it was the framework's async default
//!   (`async` on, no `integration`), `integration: lambda` is made explicit so
//!   the event stays on the non-proxy integration;
//! * for the lambda integration, the default status code is re-keyed to S. A
//!   `statusCodes` map left holding only `200: {pattern: ''}` is removed (with
//!   `response` if nothing else is in it): the framework's own defaults are that
//!   same 200 plus its error mappings.
//!
//! make-sync --proxy: `async` off as above, the integration back to
//! lambda-proxy (an explicit `lambda` is removed, or rewritten to
//! `lambda-proxy` when its line carries a comment), and `response` and the
//! `request` keys the proxy ignores (all but `parameters`, `schema`,
//! `schemas`) removed and listed.
//!
//! A string shorthand (`http: GET hello`) is expanded to the object form when
//! it must change. Only Lambda integrations are transformed (`http`,
//! `http-proxy` and `mock` do not invoke the function).
//!
//! Decisions read the resolved tree (variables resolved); edits go to the raw
//! text. A value that comes from a `${...}` variable or another file is never
//! edited. A value reached through an alias or a `<<` merge is edited where it
//! is defined only when that changes exactly the intended events; scalar keys
//! merged in with `<<` are overridden by an explicit key in the event instead.
//! The proof ([`prove`]) decides: the edited text is loaded again, and both
//! its raw and its resolved model must equal the model before with the
//! operations applied, and planning again must find nothing to do.

use serde_json::Value as Json;

use super::EditError;
use super::ops::{Document, NewValue, Op, Position, Route, Scalar, Seg};
use super::text::{self, Splice};
use crate::diag::Fatal;
use crate::load::{self, Config, LoadOptions};
use crate::model::{self, HttpEvent};
use crate::source::json::to_json;
use crate::source::{Entry, Loc, Node, Value};

/// What to do to the events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transform {
    /// `make-async --status S`.
    Async { status: u16 },
    /// `make-sync --status S [--proxy]`.
    Sync { status: u16, proxy: bool },
}

impl Transform {
    pub fn command(&self) -> &'static str {
        match self {
            Transform::Async { .. } => "make-async",
            Transform::Sync { .. } => "make-sync",
        }
    }

    /// The state the transform establishes, for messages.
    pub fn goal(&self) -> &'static str {
        match self {
            Transform::Async { .. } => "async",
            Transform::Sync { proxy: false, .. } => "sync",
            Transform::Sync { proxy: true, .. } => "sync on lambda-proxy",
        }
    }
}

/// Which of the function's http events.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Selector {
    /// The only one; several is an error listing them.
    #[default]
    Only,
    /// `--event N`: index in the function's `events` list (0-based, the
    /// framework's own numbering: `functions.<fn>.events.N.http`).
    Index(usize),
    /// `--path` / `--method`.
    Match {
        path: Option<String>,
        method: Option<String>,
    },
    /// `--all`.
    All,
}

/// One transform request.
#[derive(Clone, Debug)]
pub struct Request {
    pub function: String,
    pub transform: Transform,
    pub select: Selector,
}

/// The note for `request`/`response` settings a proxy integration ignored
/// and the new integration reads.
pub const NOW_IN_EFFECT: &str = "now in effect (the proxy integration ignored them)";

/// What the transform does to one event.
#[derive(Clone, Debug)]
pub struct EventPlan {
    /// Index in the function's `events`.
    pub index: usize,
    pub method: String,
    pub path: String,
    /// Route of the `http` value.
    pub route: Route,
    /// Empty: the event is already in the intended state.
    pub ops: Vec<Op>,
    /// Things the user should know (settings that now take effect or were dropped).
    pub notes: Vec<String>,
}

impl EventPlan {
    /// `events[0] (GET /hello)`
    pub fn label(&self) -> String {
        format!(
            "events[{}] ({} /{})",
            self.index,
            self.method.to_uppercase(),
            self.path
        )
    }
}

/// The whole edit.
#[derive(Clone, Debug)]
pub struct Plan {
    pub events: Vec<EventPlan>,
    pub splices: Vec<Splice>,
    pub new_text: String,
    /// Values the edits change that are written once and used in several
    /// places (anchors/aliases, `<<` merges), with every place that uses them.
    pub shared: Vec<Shared>,
    /// Values that come from a `${self:...}` variable, changed where the
    /// variable's value is written: the operation on the event as the
    /// resolved document sees it, and the place edited instead.
    pub through_variables: Vec<ThroughVariable>,
}

/// An event value changed at the `${self:...}` variable it comes from.
#[derive(Clone, Debug)]
pub struct ThroughVariable {
    /// The operation on the event (resolved document).
    pub intended: Op,
    /// The variable, as written (`${self:custom.flag}`).
    pub variable: String,
    /// Where the variable's value is written, and its route.
    pub loc: Loc,
    pub route: Route,
}

/// A value changed where it is defined, and the places that use it.
#[derive(Clone, Debug)]
pub struct Shared {
    /// Where the value is written.
    pub loc: Loc,
    /// The route the edit is about.
    pub route: Route,
    /// Every route whose value is this one.
    pub users: Vec<Route>,
    /// The users outside the events being changed.
    pub outside: Vec<Route>,
}

impl Plan {
    pub fn changed(&self) -> bool {
        self.new_text_differs()
    }

    fn new_text_differs(&self) -> bool {
        !self.splices.is_empty()
    }

    pub fn ops(&self) -> impl Iterator<Item = &Op> {
        self.events.iter().flat_map(|e| e.ops.iter())
    }
}

/// Integration as the framework normalises it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Integration {
    Absent,
    Aws,
    AwsProxy,
    /// HTTP, HTTP_PROXY, MOCK, or something the framework does not know.
    Other(String),
}

fn integration_of(http: &Node) -> Result<Integration, EditError> {
    let Some(v) = http.get("integration") else {
        return Ok(Integration::Absent);
    };
    let Some(s) = v.as_str() else {
        return Err(EditError::new(format!(
            "`integration` is {}, not one of lambda, lambda-proxy",
            v.type_name()
        ))
        .at(Some(v.loc)));
    };
    let upper = s.to_uppercase().replacen('-', "_", 1);
    Ok(match upper.as_str() {
        "LAMBDA" | "AWS" => Integration::Aws,
        "LAMBDA_PROXY" | "AWS_PROXY" => Integration::AwsProxy,
        _ => Integration::Other(s.to_owned()),
    })
}

/// Request keys a proxy integration keeps (all versions; `schemas` is 2.28+).
const PROXY_REQUEST_KEYS: [&str; 3] = ["parameters", "schema", "schemas"];

/// Find the events a request is about, or say which exist.
pub fn select<'a>(config: &'a Config, req: &Request) -> Result<Vec<HttpEvent<'a>>, Fatal> {
    let all: Vec<HttpEvent<'a>> = model::http_events(&config.root)
        .into_iter()
        .filter(|e| e.function == req.function)
        .collect();
    if all.is_empty() {
        return Err(crate::commands::render::no_http_function(
            config,
            &req.function,
        ));
    }
    let list = || candidates(&all);
    match &req.select {
        Selector::All => Ok(all),
        Selector::Only if all.len() == 1 => Ok(all),
        Selector::Only => Err(Fatal::new(format!(
            "function `{}` has {} http events; say which one to change",
            req.function,
            all.len()
        ))
        .at(all.first().map_or(Loc::default(), |e| e.function_loc))
        .help(format!(
            "pass --event N (N is the index in `events`, from 0), --path/--method, or --all. {}",
            list()
        ))),
        Selector::Index(n) => match all.iter().find(|e| e.index == *n) {
            Some(e) => Ok(vec![*e]),
            None => Err(Fatal::new(format!(
                "function `{}` has no http event at index {n} of `events`",
                req.function
            ))
            .help(format!(
                "--event counts every entry of `events` from 0. {}",
                list()
            ))),
        },
        Selector::Match { path, method } => {
            let found: Vec<HttpEvent<'a>> = all
                .iter()
                .filter(|e| {
                    let (m, p) = method_path(e.http);
                    path.as_ref().is_none_or(|want| trim_path(want) == p)
                        && method
                            .as_ref()
                            .is_none_or(|want| want.eq_ignore_ascii_case(&m))
                })
                .copied()
                .collect();
            match found.len() {
                0 => Err(Fatal::new(format!(
                    "function `{}` has no http event{}{}",
                    req.function,
                    method.as_ref().map_or(String::new(), |m| format!(
                        " with method {}",
                        m.to_uppercase()
                    )),
                    path.as_ref()
                        .map_or(String::new(), |p| format!(" on path /{}", trim_path(p)))
                ))
                .help(list())),
                1 => Ok(found),
                n => Err(Fatal::new(format!(
                    "{n} http events of function `{}` match; say which one to change",
                    req.function
                ))
                .help(format!(
                    "pass --event N, both --path and --method, or --all. {}",
                    candidates(&found)
                ))),
            }
        }
    }
}

fn candidates(events: &[HttpEvent<'_>]) -> String {
    let items: Vec<String> = events
        .iter()
        .map(|e| {
            let (m, p) = method_path(e.http);
            format!("--event {}: {} /{}", e.index, m.to_uppercase(), p)
        })
        .collect();
    format!("Its http events: {}", items.join("; "))
}

/// One leading and one trailing `/` removed, as the framework does.
fn trim_path(p: &str) -> String {
    let p = p.strip_prefix('/').unwrap_or(p);
    p.strip_suffix('/').unwrap_or(p).to_owned()
}

/// Method and path of an event (lower-case method, slash-trimmed path).
fn method_path(http: &Node) -> (String, String) {
    match &http.value {
        Value::String(s) => {
            let mut parts = s.split(' ');
            let m = parts.next().unwrap_or("").to_lowercase();
            let p = parts.next().map(trim_path).unwrap_or_default();
            (m, p)
        }
        Value::Map(_) => (
            http.get("method")
                .map(|n| n.js_string().to_lowercase())
                .unwrap_or_default(),
            http.get("path")
                .map(|n| trim_path(&n.js_string()))
                .unwrap_or_default(),
        ),
        _ => (String::new(), String::new()),
    }
}

/// Plan the transform for the selected events.
/// The byte offset of the first explicit-key indicator (`? ` or a lone `?`
/// starting a line's content, after indentation or a `- `). The editor's
/// line model places keys by indentation, which an explicit key (possibly
/// spanning lines) breaks. A line of a block scalar that happens to look
/// like one is refused too: safe, and no real config has one.
fn explicit_key(text: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let mut rest = body.trim_start_matches(' ');
        while let Some(r) = rest.strip_prefix("- ") {
            rest = r.trim_start_matches(' ');
        }
        if rest == "?" || rest.starts_with("? ") || rest.starts_with("?\t") {
            return Some(offset + (body.len() - rest.len()));
        }
        offset += line.len();
    }
    None
}

/// The byte offset of the first `\r` that is not part of `\r\n`. YAML
/// reads it as a line break; the editor's line model does not.
fn lone_carriage_return(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .find(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .map(|(i, _)| i)
}

pub fn plan(config: &Config, req: &Request) -> Result<Plan, Fatal> {
    let text = &config.sources.file(config.file).text;
    if let Some(at) = explicit_key(text) {
        return Err(Fatal::new(
            "this file writes a mapping key with the explicit `?` indicator",
        )
        .at(crate::source::Loc::new(config.file, at, at + 1))
        .label("explicit key")
        .help("slsasync edits plain `key: value` mappings; write this key as `key:` and run the command again; nothing was written"));
    }
    if let Some(at) = lone_carriage_return(text) {
        return Err(Fatal::new(
            "this file breaks a line with a lone carriage return (\\r without \\n)",
        )
        .at(crate::source::Loc::new(config.file, at, at + 1))
        .label("a line break YAML reads here")
        .help("slsasync edits files whose lines end in \\n or \\r\\n; convert the line endings (e.g. `sed -i 's/\\r$//; s/\\r/\\n/g'`) and run the command again; nothing was written"));
    }
    let doc = Document::new(text, &config.raw, config.file);
    let events = select(config, req)?;
    let mut plans = Vec::new();
    let mut through: Vec<ThroughVariable> = Vec::new();
    for ev in &events {
        let route = Route::root()
            .key("functions")
            .key(ev.function)
            .key("events")
            .index(ev.index)
            .key("http");
        let (method, path) = method_path(ev.http);
        let mut p = EventPlan {
            index: ev.index,
            method,
            path,
            route: route.clone(),
            ops: Vec::new(),
            notes: Vec::new(),
        };
        let planner = Planner {
            config,
            doc: &doc,
            route: &route,
            http: ev.http,
            label: p.label(),
        };
        let (ops, notes) = planner
            .plan(req.transform)
            .map_err(|e| Fatal::from(e).help_if_missing(planner.default_help()))?;
        let mut edits = Vec::with_capacity(ops.len());
        for op in ops {
            match planner.check_literal(&op) {
                Ok(()) => edits.push(op),
                Err(e) => match planner.through_variable(&op) {
                    Some(Ok((edit, via))) => {
                        edits.push(edit);
                        through.push(via);
                    }
                    Some(Err(f)) => return Err(f),
                    None => return Err(Fatal::from(e)),
                },
            }
        }
        p.ops = edits;
        p.notes = notes;
        plans.push(p);
    }
    let ops: Vec<Op> = plans.iter().flat_map(|p| p.ops.iter().cloned()).collect();
    let (new_text, splices) = doc.edit(&ops).map_err(Fatal::from)?;
    let targets: Vec<Route> = plans.iter().map(|p| p.route.clone()).collect();
    let shared = shared_values(&doc, &config.raw, &ops, &targets);
    if let Some(sh) = shared.iter().find(|sh| !sh.outside.is_empty()) {
        return Err(shared_error(sh));
    }
    if let Some(f) = dangling_aliases(&doc, &config.raw, &ops) {
        return Err(f);
    }
    Ok(Plan {
        events: plans,
        splices,
        new_text,
        shared,
        through_variables: through,
    })
}

/// The values the operations change that are also used elsewhere.
fn shared_values(doc: &Document<'_>, raw: &Node, ops: &[Op], targets: &[Route]) -> Vec<Shared> {
    let mut out: Vec<Shared> = Vec::new();
    for op in ops {
        let mut touched: Vec<(Route, &Node)> = Vec::new();
        match op {
            Op::Replace { at, .. } | Op::Expand { at, .. } => {
                if let Ok(n) = doc.node(at) {
                    touched.push((at.clone(), n));
                }
            }
            Op::Insert { map, .. } | Op::Rename { map, .. } => {
                if let Ok(n) = doc.node(map) {
                    touched.push((map.clone(), n));
                }
            }
            Op::Remove { map, key } => {
                if let Ok(n) = doc.node(map) {
                    touched.push((map.clone(), n));
                    // Removing an alias (`key: *name`) leaves the anchored value alone;
                    // removing the anchored value itself takes it from its other users.
                    if let Some(e) = n.as_map().and_then(|m| m.entry(key))
                        && e.value.loc.file == e.key_loc.file
                        && e.value.loc.start >= e.key_loc.end
                    {
                        touched.push((map.key(key.clone()), &e.value));
                    }
                }
            }
        }
        for (route, node) in touched {
            if node.loc.is_empty() || out.iter().any(|s| s.loc == node.loc) {
                continue;
            }
            let mut users = Vec::new();
            routes_with_loc(raw, node.loc, &mut Route::root(), &mut users);
            if users.len() <= 1 {
                continue;
            }
            // A user is covered when its own event gets the same operation.
            let home = targets
                .iter()
                .find(|t| op.route().segments().starts_with(t.segments()));
            let outside = users
                .iter()
                .filter(|u| {
                    let Some(t) = targets
                        .iter()
                        .find(|t| u.segments().starts_with(t.segments()))
                    else {
                        return true;
                    };
                    match home {
                        Some(h) => !rebase(op, h, t).is_some_and(|same| ops.contains(&same)),
                        None => true,
                    }
                })
                .cloned()
                .collect();
            out.push(Shared {
                loc: node.loc,
                route,
                users,
                outside,
            });
        }
    }
    out
}

/// `op` with the route prefix `from` replaced by `to`.
fn rebase(op: &Op, from: &Route, to: &Route) -> Option<Op> {
    let move_route = |r: &Route| -> Option<Route> {
        let rest = r.segments().strip_prefix(from.segments())?;
        let mut out = to.clone();
        out.0.extend(rest.iter().cloned());
        Some(out)
    };
    let mut op = op.clone();
    match &mut op {
        Op::Replace { at, .. } | Op::Expand { at, .. } => *at = move_route(at)?,
        Op::Insert { map, .. } | Op::Remove { map, .. } | Op::Rename { map, .. } => {
            *map = move_route(map)?;
        }
    }
    Some(op)
}

/// Every `self:` reference in the strings of the document as written: the
/// route of the string, the referenced path, and the string's place.
fn self_references(node: &Node, here: &mut Route, out: &mut Vec<(Route, String, Loc)>) {
    match &node.value {
        Value::String(s) => {
            let mut rest = s.as_str();
            while let Some(i) = rest.find("self:") {
                let after = &rest[i + 5..];
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
                    .unwrap_or(after.len());
                out.push((here.clone(), after[..end].to_owned(), node.loc));
                rest = &after[end..];
            }
        }
        Value::Map(m) => {
            for e in m {
                here.0.push(Seg::Key(e.key.clone()));
                self_references(&e.value, here, out);
                here.0.pop();
            }
        }
        Value::Seq(items) => {
            for (i, n) in items.iter().enumerate() {
                here.0.push(Seg::Index(i));
                self_references(n, here, out);
                here.0.pop();
            }
        }
        _ => {}
    }
}

/// A removal that takes away text defining an anchor whose alias stays:
/// every node written inside a removed value must be used only under a
/// removed route.
fn dangling_aliases(doc: &Document<'_>, raw: &Node, ops: &[Op]) -> Option<Fatal> {
    let removed: Vec<Route> = ops
        .iter()
        .filter_map(|op| match op {
            Op::Remove { map, key } => Some(map.key(key.clone())),
            _ => None,
        })
        .collect();
    for op in ops {
        let Op::Remove { map, key } = op else {
            continue;
        };
        let Some(e) = doc
            .node(map)
            .ok()
            .and_then(|m| m.as_map())
            .and_then(|m| m.entry(key))
        else {
            continue;
        };
        let v = e.value.loc;
        if v.file != e.key_loc.file || v.start < e.key_loc.end || v.is_empty() {
            // An alias (`key: *name`): removing it leaves the anchor alone.
            continue;
        }
        let mut inside = Vec::new();
        routes_within(raw, v, &mut Route::root(), &mut inside);
        if let Some(user) = inside.iter().find(|r| {
            !removed
                .iter()
                .any(|x| r.segments().starts_with(x.segments()))
        }) {
            return Some(
                Fatal::new(format!(
                    "removing `{}` would take away an anchored value that `{user}` still uses through an alias",
                    map.key(key.clone())
                ))
                .at(v)
                .label("the anchored value is defined here")
                .help("give the other event its own copy of the value (write the mapping out instead of the alias), or make the change by hand; nothing was written"),
            );
        }
    }
    None
}

/// Every route whose node is written inside `span`.
fn routes_within(node: &Node, span: Loc, here: &mut Route, out: &mut Vec<Route>) {
    if node.loc.file == span.file
        && !node.loc.is_empty()
        && node.loc.start >= span.start
        && node.loc.end <= span.end
        && node.style != crate::source::Style::Synthetic
    {
        out.push(here.clone());
    }
    match &node.value {
        Value::Map(m) => {
            for e in m {
                here.0.push(Seg::Key(e.key.clone()));
                routes_within(&e.value, span, here, out);
                here.0.pop();
            }
        }
        Value::Seq(items) => {
            for (i, n) in items.iter().enumerate() {
                here.0.push(Seg::Index(i));
                routes_within(n, span, here, out);
                here.0.pop();
            }
        }
        _ => {}
    }
}

/// Every route whose node is written at `loc` (an anchored value and its aliases).
fn routes_with_loc(node: &Node, loc: Loc, here: &mut Route, out: &mut Vec<Route>) {
    if node.loc == loc && node.style != crate::source::Style::Synthetic {
        out.push(here.clone());
    }
    match &node.value {
        Value::Map(m) => {
            for e in m {
                here.0.push(Seg::Key(e.key.clone()));
                routes_with_loc(&e.value, loc, here, out);
                here.0.pop();
            }
        }
        Value::Seq(items) => {
            for (i, n) in items.iter().enumerate() {
                here.0.push(Seg::Index(i));
                routes_with_loc(n, loc, here, out);
                here.0.pop();
            }
        }
        _ => {}
    }
}

/// The value is written once and used elsewhere too.
fn shared_error(sh: &Shared) -> Fatal {
    let others: Vec<String> = sh.outside.iter().map(|r| format!("`{r}`")).collect();
    Fatal::new(format!(
        "`{}` is written once and used in several places (a YAML anchor and alias, or a `<<` merge): changing it would also change {}",
        sh.route,
        others.join(", ")
    ))
    .at(sh.loc)
    .label("the value is defined here")
    .help("give the event its own copy of the value (write the mapping out instead of the alias), or make the change by hand; nothing was written")
}

trait HelpIfMissing {
    fn help_if_missing(self, help: String) -> Self;
}

impl HelpIfMissing for Fatal {
    fn help_if_missing(self, help: String) -> Self {
        if self.help.is_some() {
            self
        } else {
            self.help(help)
        }
    }
}

struct Planner<'a, 'b> {
    config: &'a Config,
    doc: &'b Document<'a>,
    route: &'b Route,
    /// The resolved `http` value.
    http: &'a Node,
    label: String,
}

/// The operation that edits a variable's value instead, with what it stands for;
/// `None` when the value is not such a variable, an error when it cannot be edited.
type Redirect = Option<Result<(Op, ThroughVariable), Fatal>>;

/// Operations and notes for one event.
type EventOps = (Vec<Op>, Vec<String>);

impl<'a> Planner<'a, '_> {
    fn default_help(&self) -> String {
        format!(
            "change {} of `{}` by hand, or pick another event with --event",
            self.label, self.route
        )
    }

    /// The raw node at a route below the event (`None` when absent there).
    fn raw(&self, route: &Route) -> Option<&'a Node> {
        self.doc.node(route).ok()
    }

    /// Is `key` written in the raw mapping at `map` itself (not merged)?
    fn own(&self, map: &Route, key: &str) -> Option<&'a Entry> {
        let node = self.raw(map)?;
        let e = node.as_map()?.entry(key)?;
        self.doc.is_own(node, e).then_some(e)
    }

    /// Refuse an operation on a value that comes from a variable or another file.
    fn check_literal(&self, op: &Op) -> Result<(), EditError> {
        let (route, need_scalar_equal) = match op {
            Op::Replace { at, .. } | Op::Expand { at, .. } => (at.clone(), true),
            Op::Insert { map, .. } | Op::Remove { map, .. } | Op::Rename { map, .. } => {
                (map.clone(), false)
            }
        };
        let resolved = resolve_node(&self.config.root, &route);
        let raw = self.raw(&route);
        let Some(resolved) = resolved else {
            return Err(EditError::new(format!("nothing at {route}")));
        };
        let origin = || -> EditError {
            let (what, loc) = match self.variable_on(&route) {
                Some((text, loc)) => (format!("the variable `{text}`"), Some(loc)),
                None if resolved.loc.file != self.config.file => {
                    ("another file".to_owned(), Some(resolved.loc))
                }
                None => ("a variable".to_owned(), Some(resolved.loc)),
            };
            EditError::new(format!(
                "{route} comes from {what}; slsasync does not edit values it cannot see written in the file"
            ))
            .at(loc)
            .help("edit where the value is defined, or write the value out in the event, then run the command again")
        };
        let Some(raw) = raw else {
            return Err(origin());
        };
        if resolved.loc.file != self.config.file || raw.loc.file != self.config.file {
            return Err(origin());
        }
        if need_scalar_equal {
            if to_json(raw) != to_json(resolved) {
                return Err(origin());
            }
        } else if raw.as_map().is_none() || resolved.as_map().is_none() {
            return Err(origin());
        }
        Ok(())
    }

    /// A value replaced in the event that is exactly one `${self:PATH}`
    /// reference, with PATH a scalar written in this file and referenced
    /// nowhere else: the replacement goes to PATH instead. `None` when the
    /// value is not such a reference; an error when PATH is used elsewhere.
    fn through_variable(&self, op: &Op) -> Redirect {
        let Op::Replace { at, value } = op else {
            return None;
        };
        let raw = self.raw(at)?;
        let text = raw.as_str()?;
        let path = text.strip_prefix("${self:")?.strip_suffix('}')?;
        if path.is_empty()
            || !path
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return None;
        }
        let mut def = Route::root();
        for k in path.split('.') {
            def = def.key(k);
        }
        let def_node = self.raw(&def)?;
        let resolved = resolve_node(&self.config.root, at)?;
        if def_node.loc.file != self.config.file
            || def_node.style == crate::source::Style::Synthetic
            || matches!(
                def_node.value,
                Value::Map(_) | Value::Seq(_) | Value::Unresolved(_)
            )
            || def_node.as_str().is_some_and(|s| s.contains("${"))
            || to_json(def_node) != to_json(resolved)
        {
            return None;
        }
        // Every other reference to PATH, a part of it, or something inside it.
        let mut users = Vec::new();
        self_references(&self.config.raw, &mut Route::root(), &mut users);
        let others: Vec<String> = users
            .iter()
            .filter(|(route, _, _)| route != at)
            .filter(|(_, refd, _)| {
                refd == path
                    || path.starts_with(&format!("{refd}."))
                    || refd.starts_with(&format!("{path}."))
            })
            .map(|(route, _, loc)| format!("`{route}` ({})", self.config.sources.describe(*loc)))
            .collect();
        if !others.is_empty() {
            return Some(Err(Fatal::new(format!(
                "{at} comes from the variable `{text}`, whose value `{def}` is also used by {}: changing it would change them too",
                others.join(", ")
            ))
            .at(def_node.loc)
            .label("the value is defined here")
            .help("write the value out in the event, then run the command again; nothing was written")));
        }
        let via = ThroughVariable {
            intended: op.clone(),
            variable: text.to_owned(),
            loc: def_node.loc,
            route: def.clone(),
        };
        Some(Ok((
            Op::Replace {
                at: def,
                value: value.clone(),
            },
            via,
        )))
    }

    /// The first raw node on `route` that is a `${...}` string, with its place.
    fn variable_on(&self, route: &Route) -> Option<(String, Loc)> {
        let mut cur = &self.config.raw;
        for seg in route.segments() {
            if let Some(s) = cur.as_str()
                && s.contains("${")
            {
                return Some((s.to_owned(), cur.loc));
            }
            cur = match seg {
                Seg::Key(k) => cur.get(k)?,
                Seg::Index(i) => cur.as_seq()?.get(*i)?,
            };
        }
        match &cur.value {
            Value::String(s) if s.contains("${") => Some((s.clone(), cur.loc)),
            Value::Unresolved(u) => Some((u.text.clone(), cur.loc)),
            _ => None,
        }
    }

    fn plan(&self, t: Transform) -> Result<EventOps, EditError> {
        match &self.http.value {
            Value::String(s) => self.plan_shorthand(s, t),
            Value::Map(_) => match t {
                Transform::Async { status } => self.plan_async(status),
                Transform::Sync { status, proxy } => self.plan_sync(status, proxy),
            },
            Value::Unresolved(u) => Err(EditError::new(format!(
                "{} is `{}`, which cannot be resolved here",
                self.label, u.text
            ))
            .at(Some(self.http.loc))),
            _ => Err(EditError::new(format!(
                "{} is {}, neither the `METHOD path` shorthand nor a mapping",
                self.label,
                self.http.type_name()
            ))
            .at(Some(self.http.loc))),
        }
    }

    fn plan_shorthand(&self, s: &str, t: Transform) -> Result<EventOps, EditError> {
        let Transform::Async { status } = t else {
            // The shorthand is the synchronous lambda-proxy form already.
            return Ok((Vec::new(), Vec::new()));
        };
        let mut parts = s.split(' ');
        let method = parts.next().unwrap_or("");
        let Some(path) = parts.next() else {
            return Err(EditError::new(format!(
                "{}: `{s}` has no path (the shorthand is `METHOD path`)",
                self.label
            ))
            .at(Some(self.http.loc))
            .help(
                "write the event as `http: GET /path` or as a mapping with `method` and `path`",
            ));
        };
        let value = NewValue::Map(vec![
            ("method".into(), Scalar::str(method).into()),
            ("path".into(), Scalar::str(path).into()),
            ("integration".into(), Scalar::str("lambda").into()),
            ("async".into(), Scalar::Bool(true).into()),
            ("response".into(), status_codes_value(status)),
        ]);
        Ok((
            vec![Op::Expand {
                at: self.route.clone(),
                value,
            }],
            Vec::new(),
        ))
    }

    fn check_lambda(&self) -> Result<Integration, EditError> {
        let integ = integration_of(self.http)?;
        if let Integration::Other(name) = &integ {
            let loc = self.http.get("integration").map(|n| n.loc);
            return Err(EditError::new(format!(
                "{} uses `integration: {name}`, which does not invoke the function; make-async and make-sync change Lambda integrations only",
                self.label
            ))
            .at(loc)
            .help("use `integration: lambda` or `lambda-proxy` for a Lambda function, or pick another event with --event"));
        }
        Ok(integ)
    }

    /// After `method`/`path`, whichever is written last.
    fn after_method_path(&self) -> Position {
        let m = self.own(self.route, "method");
        let p = self.own(self.route, "path");
        match (m, p) {
            (Some(m), Some(p)) if m.key_loc.start > p.key_loc.start => {
                Position::After("method".into())
            }
            (_, Some(_)) => Position::After("path".into()),
            (Some(_), None) => Position::After("method".into()),
            (None, None) => Position::End,
        }
    }

    /// Set a scalar key of the event: replace it where it is written, insert
    /// it when absent, override it with an explicit key when it is merged in.
    fn set_key(&self, key: &str, value: Scalar, position: Position) -> Op {
        if self.own(self.route, key).is_some() {
            Op::Replace {
                at: self.route.key(key),
                value,
            }
        } else {
            Op::Insert {
                map: self.route.clone(),
                key: key.into(),
                value: value.into(),
                position,
            }
        }
    }

    fn plan_async(&self, status: u16) -> Result<EventOps, EditError> {
        let mut ops = Vec::new();
        let mut notes = Vec::new();
        let integ = self.check_lambda()?;
        let async_on = self.http.get("async").is_some_and(Node::truthy);
        let was_proxy =
            integ == Integration::AwsProxy || (integ == Integration::Absent && !async_on);
        match integ {
            Integration::Absent => {
                let pos = if self.own(self.route, "async").is_some() {
                    Position::Before("async".into())
                } else {
                    self.after_method_path()
                };
                ops.push(self.set_key("integration", Scalar::str("lambda"), pos));
            }
            Integration::AwsProxy => {
                let from = self
                    .http
                    .get("integration")
                    .map(Node::js_string)
                    .unwrap_or_default();
                ops.push(self.set_key("integration", Scalar::str("lambda"), Position::End));
                notes.push(format!(
                    "{}: `integration: {from}` became `lambda`: API Gateway maps an asynchronous invocation's response only with the non-proxy integration",
                    self.label
                ));
            }
            Integration::Aws | Integration::Other(_) => {}
        }
        match self.http.get("async") {
            Some(n) if n.as_bool() == Some(true) => {}
            _ => {
                let pos = if self.own(self.route, "integration").is_some() {
                    Position::After("integration".into())
                } else {
                    self.after_method_path()
                };
                ops.push(self.set_key("async", Scalar::Bool(true), pos));
            }
        }
        if was_proxy {
            let ignored = self.proxy_ignored();
            if !ignored.is_empty() {
                notes.push(format!(
                    "{}: {NOW_IN_EFFECT}: {}",
                    self.label,
                    ignored.join(", ")
                ));
            }
        }
        ops.extend(self.status_ops(status, true)?);
        Ok((ops, notes))
    }

    /// `request.*` / `response.*` settings a proxy integration drops.
    fn proxy_ignored(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(req) = self.http.get("request").and_then(Node::as_map) {
            out.extend(
                req.keys()
                    .filter(|k| !PROXY_REQUEST_KEYS.contains(k))
                    .map(|k| format!("request.{k}")),
            );
        }
        if let Some(resp) = self.http.get("response") {
            match resp.as_map() {
                Some(m) => out.extend(m.keys().map(|k| format!("response.{k}"))),
                None => out.push("response".into()),
            }
        }
        out
    }

    /// Operations that make `status` the only default status code.
    /// `explicit`: also when the framework's own defaults would do (make-async).
    fn status_ops(&self, status: u16, explicit: bool) -> Result<Vec<Op>, EditError> {
        let s = status.to_string();
        let needs_explicit = explicit || status != 200;
        let response_route = self.route.key("response");
        let Some(response) = self.http.get("response") else {
            if !needs_explicit {
                return Ok(Vec::new());
            }
            return Ok(vec![Op::Insert {
                map: self.route.clone(),
                key: "response".into(),
                value: status_codes_value(status),
                position: Position::End,
            }]);
        };
        if response.as_map().is_none() {
            return Err(EditError::new(format!(
                "{}: `response` is {}, not a mapping",
                self.label,
                response.type_name()
            ))
            .at(Some(response.loc)));
        }
        let codes_route = response_route.key("statusCodes");
        let Some(codes) = response.get("statusCodes") else {
            if !needs_explicit {
                return Ok(Vec::new());
            }
            return Ok(vec![Op::Insert {
                map: response_route,
                key: "statusCodes".into(),
                value: NewValue::map1(s, default_code()),
                position: Position::End,
            }]);
        };
        let Some(map) = codes.as_map() else {
            return Err(EditError::new(format!(
                "{}: `response.statusCodes` is {}, not a mapping",
                self.label,
                codes.type_name()
            ))
            .at(Some(codes.loc)));
        };
        let mut defaults: Vec<&Entry> = Vec::new();
        for e in map {
            match e.value.get("pattern") {
                Some(p) if p.as_str() == Some("") || p.is_null() => defaults.push(e),
                None => defaults.push(e),
                Some(p) => {
                    if e.key == s {
                        return Err(EditError::new(format!(
                            "{}: status code {s} already has the pattern `{}`, so it cannot be the default",
                            self.label,
                            p.js_string()
                        ))
                        .at(Some(p.loc))
                        .help("choose another --status, or change that status code by hand"));
                    }
                }
            }
        }
        let d = match defaults.as_slice() {
            [] => {
                if !needs_explicit {
                    return Ok(Vec::new());
                }
                return Ok(vec![Op::Insert {
                    map: codes_route,
                    key: s,
                    value: default_code(),
                    position: Position::End,
                }]);
            }
            [one] => *one,
            several => {
                let keys: Vec<&str> = several.iter().map(|e| e.key.as_str()).collect();
                return Err(EditError::new(format!(
                    "{}: several default status codes ({}) in `response.statusCodes`",
                    self.label,
                    keys.join(", ")
                ))
                .at(several.get(1).map(|e| e.key_loc))
                .help("API Gateway needs one default (`pattern: ''`); keep one of them, then run the command again"));
            }
        };
        let entry_route = codes_route.key(d.key.clone());
        if d.value.as_map().is_none() {
            return Err(EditError::new(format!(
                "{}: status code {} is {}, not a mapping",
                self.label,
                d.key,
                d.value.type_name()
            ))
            .at(Some(d.key_loc))
            .help(format!(
                "write `{}: {{pattern: ''}}` or a block mapping with `pattern: ''`",
                d.key
            )));
        }
        // make-sync back to 200: a lone bare default is what the framework does by itself.
        let only_pattern = d
            .value
            .as_map()
            .is_some_and(|m| m.keys().all(|k| k == "pattern"));
        if !explicit && status == 200 && d.key != s && map.len() == 1 && only_pattern {
            let lone_response = response.as_map().is_some_and(|m| m.len() == 1);
            return Ok(vec![if lone_response {
                Op::Remove {
                    map: self.route.clone(),
                    key: "response".into(),
                }
            } else {
                Op::Remove {
                    map: response_route,
                    key: "statusCodes".into(),
                }
            }]);
        }
        let mut ops = Vec::new();
        match d.value.get("pattern") {
            None => ops.push(Op::Insert {
                map: entry_route.clone(),
                key: "pattern".into(),
                value: Scalar::str("").into(),
                position: Position::End,
            }),
            Some(p) if p.is_null() => ops.push(Op::Replace {
                at: entry_route.key("pattern"),
                value: Scalar::str(""),
            }),
            Some(_) => {}
        }
        if d.key != s {
            ops.push(Op::Rename {
                map: codes_route,
                from: d.key.clone(),
                to: s,
            });
        }
        Ok(ops)
    }

    /// Turn `async` off: `async: false` for the explicit non-proxy form
    /// (`prefer_false`), when the key's line carries a comment, or when the
    /// file writes `async: false` elsewhere; otherwise the key is removed.
    fn async_off(&self, ops: &mut Vec<Op>, prefer_false: bool) {
        let Some(v) = self.http.get("async") else {
            return;
        };
        if !v.truthy() {
            return;
        }
        let own = self.own(self.route, "async");
        let keep = match own {
            None => true,
            Some(e) => prefer_false || self.has_line_comment(e) || self.file_writes_async_false(),
        };
        if keep {
            ops.push(self.set_key("async", Scalar::Bool(false), Position::End));
        } else {
            ops.push(Op::Remove {
                map: self.route.clone(),
                key: "async".into(),
            });
        }
    }

    /// Does the entry's key line end with a comment?
    fn has_line_comment(&self, e: &Entry) -> bool {
        let text = self.doc.text;
        let line = text::line_at(text, e.key_loc.start);
        let from = e.key_loc.start - text::line_start(text, e.key_loc.start);
        text::comment_start(line, from).is_some()
    }

    /// Does any http event of the file write `async: false`?
    fn file_writes_async_false(&self) -> bool {
        model::http_events(&self.config.raw)
            .iter()
            .any(|e| e.http.get("async").and_then(Node::as_bool) == Some(false))
    }

    fn plan_sync(&self, status: u16, proxy: bool) -> Result<EventOps, EditError> {
        let mut ops = Vec::new();
        let mut notes = Vec::new();
        let integ = self.check_lambda()?;
        let async_on = self.http.get("async").is_some_and(Node::truthy);
        if !proxy {
            let effective = match &integ {
                Integration::Absent if async_on => Integration::Aws,
                Integration::Absent => Integration::AwsProxy,
                other => (*other).clone(),
            };
            if integ == Integration::Absent && async_on {
                let pos = if self.own(self.route, "async").is_some() {
                    Position::Before("async".into())
                } else {
                    self.after_method_path()
                };
                ops.push(self.set_key("integration", Scalar::str("lambda"), pos));
                notes.push(format!(
                    "{}: `integration: lambda` made explicit: without `async` the framework's default is lambda-proxy",
                    self.label
                ));
            }
            self.async_off(&mut ops, effective == Integration::Aws);
            if effective == Integration::Aws {
                ops.extend(self.status_ops(status, false)?);
            }
            return Ok((ops, notes));
        }
        if integ == Integration::Aws {
            match self.own(self.route, "integration") {
                Some(e) if !self.has_line_comment(e) => ops.push(Op::Remove {
                    map: self.route.clone(),
                    key: "integration".into(),
                }),
                _ => ops.push(self.set_key(
                    "integration",
                    Scalar::str("lambda-proxy"),
                    Position::End,
                )),
            }
        }
        self.async_off(&mut ops, false);
        let mut dropped = Vec::new();
        if let Some(resp) = self.http.get("response") {
            match resp.as_map() {
                Some(m) if !m.is_empty() => {
                    dropped.extend(m.keys().map(|k| format!("response.{k}")));
                }
                _ => dropped.push("response".into()),
            }
            ops.push(Op::Remove {
                map: self.route.clone(),
                key: "response".into(),
            });
        }
        if let Some(req) = self.http.get("request").and_then(Node::as_map) {
            let drop: Vec<&str> = req
                .keys()
                .filter(|k| !PROXY_REQUEST_KEYS.contains(k))
                .collect();
            if !drop.is_empty() {
                dropped.extend(drop.iter().map(|k| format!("request.{k}")));
                if drop.len() == req.len() {
                    ops.push(Op::Remove {
                        map: self.route.clone(),
                        key: "request".into(),
                    });
                } else {
                    for k in drop {
                        ops.push(Op::Remove {
                            map: self.route.key("request"),
                            key: k.to_owned(),
                        });
                    }
                }
            }
        }
        if !dropped.is_empty() {
            notes.push(format!(
                "{}: removed (lambda-proxy ignores them): {}",
                self.label,
                dropped.join(", ")
            ));
        }
        Ok((ops, notes))
    }
}

/// `{pattern: ''}`
fn default_code() -> NewValue {
    NewValue::map1("pattern", Scalar::str("").into())
}

/// `{statusCodes: {S: {pattern: ''}}}`
fn status_codes_value(status: u16) -> NewValue {
    NewValue::map1(
        "statusCodes",
        NewValue::map1(status.to_string(), default_code()),
    )
}

fn resolve_node<'n>(root: &'n Node, route: &Route) -> Option<&'n Node> {
    let mut cur = root;
    for seg in route.segments() {
        cur = match seg {
            Seg::Key(k) => cur.get(k)?,
            Seg::Index(i) => cur.as_seq()?.get(*i)?,
        };
    }
    Some(cur)
}

/// The edited text, loaded again and checked against the intent.
pub fn prove(
    before: &Config,
    plan: &Plan,
    req: &Request,
    opts: &LoadOptions,
) -> Result<Config, Fatal> {
    let after = load::load_text(&before.path, plan.new_text.clone(), opts).map_err(|f| {
        Fatal::new(format!(
            "internal error: the edited file would not load ({}); nothing was written",
            f.fatal.message
        ))
        .help("this is a bug in slsasync; please report it with the file")
    })?;
    let ops: Vec<Op> = plan.ops().cloned().collect();
    // The resolved document also sees each variable's change where it is used.
    let mut resolved_ops = ops.clone();
    resolved_ops.extend(plan.through_variables.iter().map(|t| t.intended.clone()));
    let check = |what: &str, before_node: &Node, after_node: &Node| -> Result<(), Fatal> {
        let ops = if what == "resolved" {
            &resolved_ops
        } else {
            &ops
        };
        let expected =
            super::ops::expected_model(&to_json(before_node), ops).map_err(Fatal::from)?;
        let actual = to_json(after_node);
        if expected == actual {
            return Ok(());
        }
        let at = first_difference(&expected, &actual, &mut Vec::new()).unwrap_or_default();
        if let Some(sh) = plan.shared.iter().find(|sh| !sh.outside.is_empty()) {
            return Err(shared_error(sh));
        }
        Err(Fatal::new(format!(
            "internal error: the edit would also change `{at}` ({what} model); nothing was written"
        ))
        .help("this is a bug in slsasync; please report it with the file"))
    };
    check("raw", &before.raw, &after.raw)?;
    check("resolved", &before.root, &after.root)?;
    if after.target.framework != before.target.framework {
        return Err(Fatal::new(
            "internal error: the edit changed the framework release the file targets; nothing was written",
        ));
    }
    let again = plan_again(&after, req)?;
    if again.changed() {
        return Err(Fatal::new(format!(
            "internal error: running {} again on the edited file would change it again; nothing was written",
            req.transform.command()
        ))
        .help("this is a bug in slsasync; please report it with the file"));
    }
    Ok(after)
}

fn plan_again(after: &Config, req: &Request) -> Result<Plan, Fatal> {
    plan(after, req).map_err(|f| {
        Fatal::new(format!(
            "internal error: the edited file cannot be transformed again ({}); nothing was written",
            f.message
        ))
    })
}

/// Dotted path of the first place two JSON values differ.
pub(crate) fn first_difference(a: &Json, b: &Json, path: &mut Vec<String>) -> Option<String> {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            for (k, v) in x {
                path.push(k.clone());
                match y.get(k) {
                    Some(w) => {
                        if let Some(d) = first_difference(v, w, path) {
                            return Some(d);
                        }
                    }
                    None => return Some(path.join(".")),
                }
                path.pop();
            }
            y.keys().find(|k| !x.contains_key(*k)).map(|k| {
                path.push(k.clone());
                path.join(".")
            })
        }
        (Json::Array(x), Json::Array(y)) => {
            if x.len() != y.len() {
                return Some(path.join("."));
            }
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                path.push(i.to_string());
                if let Some(d) = first_difference(v, w, path) {
                    return Some(d);
                }
                path.pop();
            }
            None
        }
        _ if a == b => None,
        _ => Some(path.join(".")),
    }
}
