//! Helpers the rules share: the framework's reading of an http event
//! (integration normalisation, JavaScript truthiness, shorthand splitting),
//! version questions, and span-based text edits for fixes.
//!
//! Fix helpers refuse (return `None`) whenever the layout is not simple: the
//! node comes through an alias or a merge, the text at the node's span is not
//! the literal value (a resolved variable), the mapping is in flow style where
//! a line edit is needed, or an anchor would be removed.

use nodejs_semver::Range;

use crate::model::{Framework, HttpEvent};
use crate::source::{Entry, Loc, Map, Node, Style, Value};

use super::{Applicability, Context, Edit, Fix};

// ---------------------------------------------------------------------------
// The framework's reading of an event
// ---------------------------------------------------------------------------

/// The five CloudFormation integration types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Aws,
    AwsProxy,
    Http,
    HttpProxy,
    Mock,
}

impl Kind {
    /// The CloudFormation `Type` (and the name the framework's warnings use).
    pub fn cfn(self) -> &'static str {
        match self {
            Kind::Aws => "AWS",
            Kind::AwsProxy => "AWS_PROXY",
            Kind::Http => "HTTP",
            Kind::HttpProxy => "HTTP_PROXY",
            Kind::Mock => "MOCK",
        }
    }

    /// The spelling the docs use.
    pub fn canonical(self) -> &'static str {
        match self {
            Kind::Aws => "lambda",
            Kind::AwsProxy => "lambda-proxy",
            Kind::Http => "http",
            Kind::HttpProxy => "http-proxy",
            Kind::Mock => "mock",
        }
    }

    pub fn is_proxy(self) -> bool {
        matches!(self, Kind::AwsProxy | Kind::HttpProxy)
    }

    pub fn is_http(self) -> bool {
        matches!(self, Kind::Http | Kind::HttpProxy)
    }
}

/// The framework's normalisation: upper-case, first `-` → `_`, then
/// `LAMBDA` → `AWS`, `LAMBDA_PROXY` → `AWS_PROXY`.
pub fn normalize_integration(raw: &str) -> String {
    let up = raw.to_uppercase().replacen('-', "_", 1);
    match up.as_str() {
        "LAMBDA" => "AWS".to_owned(),
        "LAMBDA_PROXY" => "AWS_PROXY".to_owned(),
        _ => up,
    }
}

/// The integration type a normalised spelling stands for.
pub fn kind_of(normalized: &str) -> Option<Kind> {
    match normalized {
        "AWS" => Some(Kind::Aws),
        "AWS_PROXY" => Some(Kind::AwsProxy),
        "HTTP" => Some(Kind::Http),
        "HTTP_PROXY" => Some(Kind::HttpProxy),
        "MOCK" => Some(Kind::Mock),
        _ => None,
    }
}

/// What the framework makes of an event's `integration`.
#[derive(Clone, Copy, Debug)]
pub enum Integration<'a> {
    /// A valid type; `explicit` is the `integration` value when it was written.
    Known {
        kind: Kind,
        explicit: Option<&'a Node>,
    },
    /// A value the framework cannot use (not a string, or an unknown spelling).
    Invalid(&'a Node),
    /// Depends on a value that could not be resolved.
    Unresolved,
}

impl Integration<'_> {
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Integration::Known { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

/// The `http` value when it is the object form.
pub fn http_map<'a>(ev: &HttpEvent<'a>) -> Option<&'a Map> {
    ev.http.as_map()
}

/// `http.<key>` for the object form.
pub fn get<'a>(ev: &HttpEvent<'a>, key: &str) -> Option<&'a Node> {
    ev.http.as_map().and_then(|m| m.get(key))
}

/// `http.<key>` entry for the object form.
pub fn entry<'a>(ev: &HttpEvent<'a>, key: &str) -> Option<&'a Entry> {
    ev.http.as_map().and_then(|m| m.entry(key))
}

/// Does the framework process this event at all (`if (event.http)`), and can we tell?
pub fn is_active(ev: &HttpEvent<'_>) -> bool {
    !ev.http.is_unresolved()
        && ev.http.truthy()
        && (ev.http.as_str().is_some() || ev.http.as_map().is_some())
}

/// JavaScript truthiness of an optional value; `None` when it cannot be known.
pub fn truthy(node: Option<&Node>) -> Option<bool> {
    match node {
        None => Some(false),
        Some(n) if n.is_unresolved() => None,
        Some(n) => Some(n.truthy()),
    }
}

/// Is `async` truthy? `None` when unresolved.
pub fn is_async(ev: &HttpEvent<'_>) -> Option<bool> {
    if ev.http.as_str().is_some() {
        return Some(false);
    }
    truthy(get(ev, "async"))
}

/// The framework's `getIntegration`.
pub fn integration<'a>(ev: &HttpEvent<'a>) -> Integration<'a> {
    if ev.http.as_str().is_some() {
        return Integration::Known {
            kind: Kind::AwsProxy,
            explicit: None,
        };
    }
    if let Some(node) = get(ev, "integration") {
        if node.is_unresolved() {
            return Integration::Unresolved;
        }
        if node.truthy() {
            return match node
                .as_str()
                .map(normalize_integration)
                .as_deref()
                .and_then(kind_of)
            {
                Some(kind) => Integration::Known {
                    kind,
                    explicit: Some(node),
                },
                None => Integration::Invalid(node),
            };
        }
    }
    match is_async(ev) {
        None => Integration::Unresolved,
        Some(true) => Integration::Known {
            kind: Kind::Aws,
            explicit: None,
        },
        Some(false) => Integration::Known {
            kind: Kind::AwsProxy,
            explicit: None,
        },
    }
}

/// Method and path of the string shorthand, split the framework's way
/// (`split(' ')`, element 0 and 1). The path is `None` without a space.
pub fn shorthand_parts(s: &str) -> (&str, Option<&str>) {
    let mut it = s.split(' ');
    let method = it.next().unwrap_or("");
    (method, it.next())
}

/// The event's method as the framework reads it, when it is a string.
pub fn method_str<'a>(ev: &HttpEvent<'a>) -> Option<&'a str> {
    match ev.http.as_str() {
        Some(s) => Some(shorthand_parts(s).0),
        None => get(ev, "method").and_then(Node::as_str),
    }
}

/// The event's raw path string (before slash trimming), when it is a string.
pub fn path_str<'a>(ev: &HttpEvent<'a>) -> Option<&'a str> {
    match ev.http.as_str() {
        Some(s) => shorthand_parts(s).1,
        None => get(ev, "path").and_then(Node::as_str),
    }
}

/// The framework's `getHttpPath`: one leading `/` and one trailing `/` removed.
pub fn trim_path(path: &str) -> &str {
    let p = path.strip_prefix('/').unwrap_or(path);
    p.strip_suffix('/').unwrap_or(p)
}

/// The place that stands for the event's method + path: the shorthand string,
/// or the `path` value, or the http mapping.
pub fn route_loc(ev: &HttpEvent<'_>) -> Loc {
    if ev.http.as_str().is_some() {
        return ev.http.loc;
    }
    get(ev, "path").map_or(ev.http.loc, |p| p.loc)
}

/// `response.statusCodes` of the object form: the entry and its mapping.
pub fn status_codes<'a>(ev: &HttpEvent<'a>) -> Option<(&'a Entry, &'a Map)> {
    let sc = get(ev, "response")?.as_map()?.entry("statusCodes")?;
    Some((sc, sc.value.as_map()?))
}

/// The selection pattern the framework emits for a status-code entry
/// (`config.pattern || ''`): `Some("")` for an empty or missing pattern,
/// `None` when unresolved.
pub fn selection_pattern(code: &Node) -> Option<String> {
    match code.get("pattern") {
        None => Some(String::new()),
        Some(p) if p.is_unresolved() => None,
        Some(p) if !p.truthy() => Some(String::new()),
        Some(p) => Some(p.js_string()),
    }
}

/// Is the entry's `pattern` exactly `''` (what makes it the default)?
pub fn has_empty_pattern(code: &Node) -> bool {
    matches!(code.get("pattern").map(|p| &p.value), Some(Value::String(s)) if s.is_empty())
}

/// The key and value of an entry as one span.
pub fn entry_loc(e: &Entry) -> Loc {
    if e.value.loc.file == e.key_loc.file
        && e.value.loc.end >= e.key_loc.start
        && !e.value.loc.is_empty()
    {
        Loc::new(
            e.key_loc.file,
            e.key_loc.start,
            e.value.loc.end.max(e.key_loc.end),
        )
    } else {
        e.key_loc
    }
}

/// The source text of a node as written (trimmed), or its JavaScript string.
pub fn shown(cx: &Context<'_>, node: &Node) -> String {
    if node.style != Style::Synthetic
        && !node.loc.is_empty()
        && let Some(t) = cx.text_of(node.loc).get(node.loc.range())
    {
        let t = t.trim();
        if !t.is_empty() && !t.contains('\n') {
            return t.to_owned();
        }
    }
    match &node.value {
        Value::String(s) => format!("'{s}'"),
        _ => node.js_string(),
    }
}

/// `functions.<name>` of the resolved document.
pub fn function_node<'a>(cx: &Context<'a>, name: &str) -> Option<&'a Node> {
    cx.root.get("functions").and_then(|f| f.get(name))
}

/// The closest candidate (case-insensitive match or edit distance 1–2).
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .iter()
        .map(|c| {
            let d = if c.eq_ignore_ascii_case(name) {
                0
            } else {
                strsim::levenshtein(&lower, &c.to_lowercase()).max(1)
            };
            (d, *c)
        })
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

// ---------------------------------------------------------------------------
// Versions and validation mode
// ---------------------------------------------------------------------------

/// `frameworkVersion` as text, with its node.
pub fn framework_version<'a>(cx: &Context<'a>) -> Option<(String, &'a Node)> {
    let node = cx.root.get("frameworkVersion")?;
    match &node.value {
        Value::String(s) => Some((s.clone(), node)),
        Value::Number(_) => Some((node.js_string(), node)),
        _ => None,
    }
}

/// Does the npm range `range` allow any version matching `other`?
pub fn range_allows(range: &str, other: &str) -> bool {
    match (Range::parse(range.trim()), Range::parse(other)) {
        (Ok(r), Ok(o)) => r.allows_any(&o),
        _ => false,
    }
}

/// `configValidationMode: error` on a release that validates with a schema
/// (2.x/3.x): schema warnings then refuse the config.
pub fn schema_refuses(cx: &Context<'_>) -> bool {
    cx.framework().major() >= 2
        && cx
            .root
            .get("configValidationMode")
            .and_then(Node::as_str)
            .is_some_and(|m| m == "error")
}

/// The note appended to schema-level messages when the schema refuses.
pub const REFUSED_BY_SCHEMA: &str =
    " (`configValidationMode: error` makes Serverless refuse the config)";

// ---------------------------------------------------------------------------
// Text edits
// ---------------------------------------------------------------------------

fn text<'a>(cx: &Context<'a>, loc: Loc) -> &'a str {
    let t: &'a str = &cx.sources.file(loc.file).text;
    t
}

/// Is `loc` written inside the event's own http mapping text (not reached
/// through an alias or a merge), and is that text free of anchors whose
/// aliases an edit would also change?
pub fn editable(cx: &Context<'_>, ev: &HttpEvent<'_>, loc: Loc) -> bool {
    let http = ev.http.loc;
    if loc.file != http.file
        || loc.start < http.start
        || loc.end > http.end
        || http.file != ev.http_key.file
    {
        return false;
    }
    if ev.http.style == Style::Synthetic {
        return false;
    }
    let t = text(cx, http);
    // The value must follow its key directly: no alias, anchor or tag in between.
    let Some(between) = t.get(ev.http_key.end..http.start) else {
        return false;
    };
    if http.start < ev.http_key.end || between.contains(['&', '*', '!']) {
        return false;
    }
    let Some(body) = t.get(http.range()) else {
        return false;
    };
    !has_anchor(body)
}

/// Does YAML text define an anchor (`&name` at a token start)?
fn has_anchor(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b'&'
            && (i == 0
                || matches!(
                    b[i - 1],
                    b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b',' | b':' | b'-'
                ))
            && b.get(i + 1).is_some_and(|n| !n.is_ascii_whitespace())
    })
}

/// Does the text at the node's span spell the node's value (no variable in between)?
fn literal_at(cx: &Context<'_>, node: &Node) -> bool {
    if node.style == Style::Synthetic || node.loc.is_empty() {
        return false;
    }
    let Some(src) = text(cx, node.loc).get(node.loc.range()) else {
        return false;
    };
    if src.contains('\n') || src.contains("${") {
        return false;
    }
    let inner = match node.style {
        Style::SingleQuoted => src
            .strip_prefix('\'')
            .and_then(|s| s.strip_suffix('\''))
            .map(|s| s.replace("''", "'")),
        Style::DoubleQuoted => src
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .filter(|s| !s.contains('\\'))
            .map(str::to_owned),
        Style::Plain => Some(src.to_owned()),
        _ => None,
    };
    let Some(inner) = inner else {
        return false;
    };
    match &node.value {
        Value::String(s) => *s == inner,
        Value::Bool(b) => inner.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
        Value::Number(_) => {
            !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'))
        }
        Value::Null => matches!(inner.as_str(), "~" | "null" | "Null" | "NULL"),
        _ => false,
    }
}

/// Replace a scalar by raw YAML text (e.g. `true`).
pub fn replace_raw(cx: &Context<'_>, ev: &HttpEvent<'_>, node: &Node, raw: &str) -> Option<Edit> {
    if !editable(cx, ev, node.loc) || !literal_at(cx, node) {
        return None;
    }
    Some(Edit {
        loc: node.loc,
        text: raw.to_owned(),
    })
}

/// Replace a string scalar by another string, keeping its quoting style.
pub fn replace_string(
    cx: &Context<'_>,
    ev: &HttpEvent<'_>,
    node: &Node,
    new: &str,
) -> Option<Edit> {
    let quoted = match node.style {
        Style::SingleQuoted => single_quoted(new),
        Style::DoubleQuoted => {
            if new.contains(['"', '\\']) || new.chars().any(char::is_control) {
                single_quoted(new)
            } else {
                format!("\"{new}\"")
            }
        }
        Style::Plain if plain_safe(new) => new.to_owned(),
        Style::Plain => single_quoted(new),
        _ => return None,
    };
    replace_raw(cx, ev, node, &quoted)
}

fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Can `s` be written as a plain scalar in block and flow context, reading back as the same string?
fn plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || s.ends_with(' ') || s.starts_with(' ') {
        return false;
    }
    if s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.contains([',', '[', ']', '{', '}', '\n', '\t'])
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "null" | "~" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) {
        return false;
    }
    !s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '.')
}

/// Replace the substring `old` inside a single-line scalar that is not part
/// of an http event (e.g. `frameworkVersion`), keeping the quotes around it.
pub fn replace_in_scalar(cx: &Context<'_>, node: &Node, old: &str, new: &str) -> Option<Edit> {
    if node.style == Style::Synthetic || node.loc.is_empty() || old.is_empty() {
        return None;
    }
    let src = text(cx, node.loc).get(node.loc.range())?;
    if src.contains('\n') || src.contains("${") || src.matches(old).count() != 1 {
        return None;
    }
    if node.style == Style::DoubleQuoted && (new.contains(['"', '\\'])) {
        return None;
    }
    if node.style == Style::SingleQuoted && new.contains('\'') {
        return None;
    }
    let at = src.find(old)?;
    let start = node.loc.start + at;
    let replacement = if node.style == Style::Plain && !plain_safe_block(&src.replacen(old, new, 1))
    {
        return None;
    } else {
        new.to_owned()
    };
    Some(Edit {
        loc: Loc::new(node.loc.file, start, start + old.len()),
        text: replacement,
    })
}

/// Can `s` be a plain scalar in block context (flow indicators allowed inside)?
fn plain_safe_block(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    !("-?:,[]{}#&*!|>'\"%@`".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.ends_with(' '))
}

/// Rename a mapping key in place, keeping its quoting.
pub fn rename_key(cx: &Context<'_>, ev: &HttpEvent<'_>, e: &Entry, new: &str) -> Option<Edit> {
    if !editable(cx, ev, e.key_loc) {
        return None;
    }
    let src = text(cx, e.key_loc).get(e.key_loc.range())?;
    let replacement = if src == e.key {
        if !plain_safe(new) {
            return None;
        }
        new.to_owned()
    } else if src == format!("'{}'", e.key.replace('\'', "''")) {
        single_quoted(new)
    } else if src == format!("\"{}\"", e.key) && !new.contains(['"', '\\']) {
        format!("\"{new}\"")
    } else {
        return None;
    };
    Some(Edit {
        loc: e.key_loc,
        text: replacement,
    })
}

/// Byte offset of the start of the line holding `pos`.
fn line_start(t: &str, pos: usize) -> usize {
    t.get(..pos)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1)
}

/// Byte offset just after the line break ending the line holding `pos` (or the text end).
fn next_line_start(t: &str, pos: usize) -> usize {
    t.get(pos..)
        .and_then(|s| s.find('\n'))
        .map_or(t.len(), |i| pos + i + 1)
}

/// The line break used by the line holding `pos` (`\r\n` or `\n`).
fn eol_at(t: &str, pos: usize) -> &'static str {
    let end = next_line_start(t, pos);
    if t.get(..end).is_some_and(|s| s.ends_with("\r\n")) {
        "\r\n"
    } else if end == t.len() && !t.get(..end).is_some_and(|s| s.ends_with('\n')) {
        // Last line without a break: follow the file's first break.
        if t.contains("\r\n") { "\r\n" } else { "\n" }
    } else {
        "\n"
    }
}

fn is_blank_or_comment(line: &str) -> bool {
    let l = line.trim();
    l.is_empty() || l.starts_with('#')
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The lines an entry of a block mapping occupies: from the start of its
/// key's line to the start of the line after its value (trailing blank and
/// comment lines excluded), and the key's column. `None` if the key does not
/// start its line (after indentation, or after `- ` when `allow_dash`), or a
/// value written on the entry's lines is followed by something other than a
/// comment.
fn block_entry_lines(t: &str, e: &Entry, allow_dash: bool) -> Option<(usize, usize, usize)> {
    let ls = line_start(t, e.key_loc.start);
    let before = t.get(ls..e.key_loc.start)?;
    let key_col = before.len();
    let only_spaces = before.bytes().all(|c| c == b' ');
    let dash = allow_dash && {
        let rest = before.trim_start_matches(' ');
        rest.starts_with('-') && rest.len() > 1 && rest[1..].bytes().all(|c| c == b' ')
    };
    if !only_spaces && !dash {
        return None;
    }
    let v = &e.value;
    if v.loc.file != e.key_loc.file || v.loc.start < e.key_loc.end {
        return None;
    }
    let is_seq = matches!(v.value, Value::Seq(_));
    let mut end = next_line_start(t, e.key_loc.start);
    let mut pos = end;
    while pos < t.len() {
        let nl = next_line_start(t, pos);
        let line = t.get(pos..nl)?.trim_end_matches(['\n', '\r']);
        if is_blank_or_comment(line) {
            pos = nl;
            continue;
        }
        let ind = indent_of(line);
        let item =
            is_seq && ind == key_col && (line[ind..].starts_with("- ") || &line[ind..] == "-");
        if ind > key_col || item {
            end = nl;
            pos = nl;
        } else {
            break;
        }
    }
    if v.loc.start > end {
        return None;
    }
    let scalar = !matches!(v.value, Value::Map(_) | Value::Seq(_)) || v.style == Style::Flow;
    if scalar {
        if v.loc.end > end {
            return None;
        }
        let rest_end = next_line_start(t, v.loc.end.max(e.key_loc.end));
        let rest = t.get(v.loc.end.max(e.key_loc.end)..rest_end)?.trim();
        let rest = rest.strip_prefix(':').map_or(rest, str::trim);
        if !(rest.is_empty() || rest.starts_with('#')) {
            return None;
        }
    }
    Some((ls, end, key_col))
}

/// Delete an entry of a block mapping (whole lines). Refuses flow mappings,
/// entries that share a line with another, and text defining anchors.
pub fn delete_entry(
    cx: &Context<'_>,
    ev: &HttpEvent<'_>,
    parent: &Node,
    e: &Entry,
) -> Option<Edit> {
    if parent.style == Style::Flow
        || parent.style == Style::Synthetic
        || !editable(cx, ev, e.key_loc)
    {
        return None;
    }
    if !e.value.loc.is_empty()
        && !editable(cx, ev, e.value.loc)
        && e.value.loc.file == e.key_loc.file
    {
        // The value is written elsewhere (alias): deleting the key is still fine
        // only if the alias token sits on the key's lines; keep it simple and refuse.
        return None;
    }
    let t = text(cx, e.key_loc);
    let (start, end, _) = block_entry_lines(t, e, false)?;
    if has_anchor(t.get(start..end)?) {
        return None;
    }
    Some(Edit {
        loc: Loc::new(e.key_loc.file, start, end),
        text: String::new(),
    })
}

/// Insert `line` (e.g. `integration: lambda`) as a new entry right after
/// `e`, at the indentation of `e`'s key, in a block mapping.
pub fn insert_after(
    cx: &Context<'_>,
    ev: &HttpEvent<'_>,
    parent: &Node,
    e: &Entry,
    line: &str,
) -> Option<Edit> {
    if parent.style == Style::Flow
        || parent.style == Style::Synthetic
        || !editable(cx, ev, e.key_loc)
    {
        return None;
    }
    let t = text(cx, e.key_loc);
    let (_, end, key_col) = block_entry_lines(t, e, true)?;
    let eol = eol_at(t, e.key_loc.start);
    let indent = " ".repeat(key_col);
    let ends_with_break = t.get(..end).is_some_and(|s| s.ends_with('\n'));
    let text = if ends_with_break {
        format!("{indent}{line}{eol}")
    } else {
        format!("{eol}{indent}{line}")
    };
    Some(Edit {
        loc: Loc::new(e.key_loc.file, end, end),
        text,
    })
}

/// Insert `line` as the first entry of a block mapping `map` (a value of
/// `holder`), at the indentation of its first key.
pub fn insert_first(cx: &Context<'_>, ev: &HttpEvent<'_>, map: &Node, line: &str) -> Option<Edit> {
    if map.style != Style::Plain {
        return None;
    }
    let first = map.as_map()?.iter().next()?;
    if !editable(cx, ev, first.key_loc) {
        return None;
    }
    let t = text(cx, first.key_loc);
    let ls = line_start(t, first.key_loc.start);
    let before = t.get(ls..first.key_loc.start)?;
    if !before.chars().all(|c| c == ' ') {
        return None;
    }
    let eol = eol_at(t, first.key_loc.start);
    Some(Edit {
        loc: Loc::new(first.key_loc.file, ls, ls),
        text: format!("{before}{line}{eol}"),
    })
}

/// A fix from edits; `None` when there are none.
pub fn fix(
    title: impl Into<String>,
    applicability: Applicability,
    edits: Vec<Edit>,
) -> Option<Fix> {
    if edits.is_empty() {
        return None;
    }
    Some(Fix {
        title: title.into(),
        applicability,
        edits,
    })
}

/// The event's framework name for messages: `functions.<fn>.events[<i>]`.
pub fn where_(ev: &HttpEvent<'_>) -> String {
    format!("functions.{}.events[{}].http", ev.function, ev.index)
}

/// Is `fw` a release where version-specific behaviour `since_major` applies?
pub fn at_least(fw: Framework, major: u32) -> bool {
    fw.major() >= major
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integration_spellings_normalise_like_the_framework() {
        assert_eq!(normalize_integration("lambda-proxy"), "AWS_PROXY");
        assert_eq!(normalize_integration("Lambda"), "AWS");
        assert_eq!(normalize_integration("aws-proxy"), "AWS_PROXY");
        assert_eq!(normalize_integration("http-proxy"), "HTTP_PROXY");
        assert_eq!(normalize_integration("lambda_proxyy"), "LAMBDA_PROXYY");
        assert_eq!(normalize_integration("a-b-c"), "A_B-C");
    }

    #[test]
    fn shorthand_splits_on_single_spaces() {
        assert_eq!(shorthand_parts("GET /a"), ("GET", Some("/a")));
        assert_eq!(shorthand_parts("GET  /a"), ("GET", Some("")));
        assert_eq!(shorthand_parts("GET"), ("GET", None));
    }

    #[test]
    fn paths_lose_one_slash_each_side() {
        assert_eq!(trim_path("/a/"), "a");
        assert_eq!(trim_path("//a//"), "/a/");
        assert_eq!(trim_path("/"), "");
    }

    #[test]
    fn anchors_are_seen() {
        assert!(has_anchor("a: &x 1"));
        assert!(has_anchor("- &x\n"));
        assert!(!has_anchor("pattern: a&b"));
        assert!(!has_anchor("x: '& '"));
    }

    #[test]
    fn plain_scalars_are_only_written_when_safe() {
        assert!(!plain_safe("GET /a/{id}"));
        assert!(plain_safe("lambda"));
        assert!(!plain_safe("yes"));
        assert!(!plain_safe("a: b"));
    }
}
