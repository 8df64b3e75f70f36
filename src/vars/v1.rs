//! Variable resolution as framework v1.83.3 does it (`lib/classes/Variables.js`).
//!
//! v1 differs from v3 in ways that change values:
//! * Syntax is the regex `\${([^{}]+?)}`: innermost `${...}` first, the
//!   result pasted into the text, and the text scanned again. So
//!   `${opt:stage, ${self:custom.x}}` works (differently from what one
//!   expects: the pasted value must itself be a valid source), and
//!   CloudFormation's `${AWS::Region}` is an error unless
//!   `provider.variableSyntax` is customised.
//! * Fallbacks (`a, b, c`) evaluate every source and take the first that is
//!   neither null/undefined nor an empty object; a failing source is skipped.
//! * A missing value is `undefined` (the key disappears), not an error; a
//!   non-string, non-number value pasted into a string is.
//! * `self:` reads the framework's `Service` object: `provider.stage`
//!   defaults to `dev`, `provider.region` to `--region` or `us-east-1`,
//!   `self:service` is the name, `self:provider` is `provider.name`.
//! * `sls:` knows only `instanceId` (anything else is `{}`); there is no
//!   escape syntax.
//! * Circular references make v1 loop forever; here they are an error.

use std::collections::BTreeMap;
use std::ops::Bound;

use crate::source::{Loc, Node, SourceMap, Unresolved, Value};

use super::files::{Content, Files};
use super::span::SpanMap;
use super::tree::{self, Budget, Path, humanize};
use super::{EnvSource, VarError, VarOptions};

const DEFAULT_SYNTAX: &str = "\\${([^{}]+?)}";
/// Rounds of "resolve, paste, scan again" for one string.
const MAX_ROUNDS: usize = 32;
const MAX_CHAIN: usize = 1000;

/// What one source or variable gave.
#[derive(Clone, Debug)]
enum V {
    Val(Node),
    /// `undefined`.
    Undef,
    /// Unknown to us only (no environment, an unknown option): a fallback
    /// may still apply; without one the value is opaque.
    Soft(String),
    /// Needs AWS, a plugin or code; `aws` when only AWS can answer.
    Opaque {
        reason: String,
        aws: bool,
    },
    /// With a custom `variableSyntax`, text that is not a variable for it.
    Keep,
}

#[derive(Clone, Debug)]
enum State {
    Pending,
    InProgress,
    Done,
    Opaque { aws: bool },
    Failed(VarError),
}

struct Ctx {
    path: Path,
    loc: Loc,
    spans: Option<SpanMap>,
}

struct Match {
    start: usize,
    end: usize,
}

pub(super) struct Resolver<'a> {
    root: Node,
    props: BTreeMap<Path, State>,
    stack: Vec<Path>,
    /// Nesting of `resolve_property` calls (Rust recursion).
    depth: usize,
    opts: &'a VarOptions,
    sources: &'a mut SourceMap,
    files: Files,
    budget: Budget,
    custom_syntax: bool,
}

/// Non-overlapping `\${([^{}]+?)}` matches, left to right.
fn matches(s: &str) -> Vec<Match> {
    let b = s.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < b.len() {
        if at(i) == b'$' && at(i + 1) == b'{' {
            let mut j = i + 2;
            while j < b.len() && at(j) != b'{' && at(j) != b'}' {
                j += 1;
            }
            if at(j) == b'}' && j > i + 2 {
                out.push(Match {
                    start: i,
                    end: j + 1,
                });
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// `cleanVariable`: the contents, trimmed; whitespace removed unless quoted.
fn clean(inner: &str) -> String {
    let t = inner.trim();
    let quoted = ['"', '\''].iter().any(|q| t.matches(*q).count() >= 2);
    if quoted {
        t.to_owned()
    } else {
        t.chars().filter(|c| !c.is_whitespace()).collect()
    }
}

/// `splitByComma`: split at commas outside quoted strings.
fn split_by_comma(s: &str) -> Vec<String> {
    let input = s.trim();
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let ch = |k: usize| chars.get(k).map_or('\0', |c| c.1);
    let pos = |k: usize| chars.get(k).map_or(input.len(), |c| c.0);
    // Quoted regions: `('|").*?\1`.
    let mut quoted: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let c = ch(k);
        if (c == '\'' || c == '"')
            && let Some(off) = chars.iter().skip(k + 1).position(|(_, d)| *d == c)
        {
            let end_k = k + 1 + off;
            quoted.push((pos(k), pos(end_k) + 1));
            k = end_k + 1;
            continue;
        }
        k += 1;
    }
    // Separators: `\s*(?:,\s*)+`.
    let mut parts = Vec::new();
    let mut prior = 0;
    let mut k = 0;
    while k < chars.len() {
        let start = pos(k);
        let mut m = k;
        while m < chars.len() && ch(m).is_whitespace() {
            m += 1;
        }
        if m < chars.len() && ch(m) == ',' {
            while m < chars.len() && (ch(m) == ',' || ch(m).is_whitespace()) {
                m += 1;
            }
            let end = pos(m);
            let inside = quoted.iter().any(|&(qs, qe)| qs < start && end < qe);
            if !inside {
                parts.push(input.get(prior..start).unwrap_or("").to_owned());
                prior = end;
            }
            k = m.max(k + 1);
            continue;
        }
        k += 1;
    }
    parts.push(input.get(prior..).unwrap_or("").to_owned());
    parts
}

fn charset(s: &str, ok: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(ok)
}

fn region_chars(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

fn ssm_chars(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/')
}

/// `^cf(?:\.([a-zA-Z0-9-]+))?:(.+?)\.(.+)$`
fn is_cf(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("cf") else {
        return false;
    };
    let rest = match rest.strip_prefix('.') {
        Some(r) => match r.split_once(':') {
            Some((region, after)) if charset(region, region_chars) => after,
            _ => return false,
        },
        None => match rest.strip_prefix(':') {
            Some(r) => r,
            None => return false,
        },
    };
    rest.get(1..).is_some_and(|r| {
        r.get(..r.len().saturating_sub(1))
            .is_some_and(|m| m.contains('.'))
    })
}

/// `^ssm(?:\.([a-zA-Z0-9-]+))?:([a-zA-Z0-9_.\-/]+)`
fn is_ssm(v: &str) -> bool {
    let Some(rest) = v.strip_prefix("ssm") else {
        return false;
    };
    let after = if let Some(r) = rest.strip_prefix(':') {
        r
    } else if let Some(r) = rest.strip_prefix('.') {
        match r.split_once(':') {
            Some((region, after)) if charset(region, region_chars) => after,
            _ => return false,
        }
    } else {
        return false;
    };
    after.chars().next().is_some_and(ssm_chars)
}

/// `^s3:(.+?)\/(.+)$`
fn is_s3(v: &str) -> bool {
    v.strip_prefix("s3:")
        .and_then(|r| r.get(1..))
        .is_some_and(|r| {
            r.get(..r.len().saturating_sub(1))
                .is_some_and(|m| m.contains('/'))
        })
}

/// `^file\(([^?%*:|"<>]+?)\)`: the path and what follows the `)`.
fn file_ref(v: &str) -> Option<(String, &str)> {
    let rest = v.strip_prefix("file(")?;
    let close = rest.find(')')?;
    let path = rest.get(..close)?;
    if path.is_empty() || path.chars().any(|c| "?%*:|\"<>".contains(c)) {
        return None;
    }
    Some((path.trim().to_owned(), rest.get(close + 1..).unwrap_or("")))
}

fn valid(v: &V) -> bool {
    match v {
        V::Val(n) => match &n.value {
            Value::Null => false,
            Value::Map(m) => !m.is_empty(),
            _ => true,
        },
        _ => false,
    }
}

fn synth(v: Value, loc: Loc) -> Node {
    Node::synthetic(v, loc)
}

impl<'a> Resolver<'a> {
    pub(super) fn new(
        root: Node,
        config_path: &std::path::Path,
        sources: &'a mut SourceMap,
        opts: &'a VarOptions,
        dialect: crate::source::yaml::Dialect,
    ) -> Self {
        let custom_syntax = root
            .get_path(&["provider", "variableSyntax"])
            .and_then(Node::as_str)
            .is_some_and(|s| s != DEFAULT_SYNTAX);
        Self {
            root,
            props: BTreeMap::new(),
            stack: Vec::new(),
            depth: 0,
            opts,
            sources,
            files: Files::new(config_path, opts.allow_outside, dialect),
            budget: Budget::new(tree::DEFAULT_BUDGET),
            custom_syntax,
        }
    }

    pub(super) fn run(mut self) -> Result<(Node, Vec<Loc>), VarError> {
        let order = self.register(&[]);
        for p in &order {
            self.resolve_property(p)?;
        }
        self.check_prepopulation()?;
        let mut locs: Vec<Loc> = Vec::new();
        for n in self.root.unresolved() {
            if !locs.contains(&n.loc) {
                locs.push(n.loc);
            }
        }
        Ok((self.root, locs))
    }

    /// Register the string leaves with variables under `prefix`.
    fn register(&mut self, prefix: &[String]) -> Vec<Path> {
        let Some(node) = tree::get(&self.root, prefix) else {
            return Vec::new();
        };
        let mut leaves = Vec::new();
        tree::string_leaves(node, prefix, &mut leaves);
        // `provider.variableSyntax` is taken out while resolving.
        let syntax_path = ["provider".to_owned(), "variableSyntax".to_owned()];
        let mut out = Vec::new();
        for (p, text) in leaves {
            if p == syntax_path || matches(&text).is_empty() {
                continue;
            }
            self.props.insert(p.clone(), State::Pending);
            out.push(p);
        }
        out
    }

    /// `prepopulateService`: stage, region, profile and credentials cannot
    /// come from CloudFormation, S3 or SSM.
    fn check_prepopulation(&self) -> Result<(), VarError> {
        let mut checks: Vec<&[&str]> = vec![&["provider", "profile"], &["provider", "credentials"]];
        if self.opts.stage.is_none() {
            checks.push(&["provider", "stage"]);
        }
        if self.opts.region.is_none() {
            checks.push(&["provider", "region"]);
        }
        for c in checks {
            let path: Path = c.iter().map(|s| (*s).to_owned()).collect();
            for (p, st) in &self.props {
                if (p.starts_with(&path) || path.starts_with(p))
                    && matches!(st, State::Opaque { aws: true })
                {
                    let node = tree::get(&self.root, p);
                    let loc = node.map_or_else(Loc::default, |n| n.loc);
                    let text = node
                        .and_then(|n| match &n.value {
                            Value::Unresolved(u) => Some(u.text.clone()),
                            _ => None,
                        })
                        .unwrap_or_default();
                    return Err(VarError {
                        message: format!(
                            "Variable dependency failure: variable '{text}' references an AWS service but using that service requires a concrete value to be called."
                        ),
                        loc,
                        help: Some(format!(
                            "`{}` is resolved before CloudFormation, S3 and SSM variables are available",
                            humanize(&path)
                        )),
                    });
                }
            }
        }
        Ok(())
    }

    fn state(&self, p: &[String]) -> Option<&State> {
        self.props.get(p)
    }

    fn resolve_property(&mut self, path: &[String]) -> Result<(), VarError> {
        if self.depth >= MAX_CHAIN {
            let e = VarError {
                message: format!(
                    "Cannot resolve \"{}\": references nest more than {MAX_CHAIN} levels deep",
                    humanize(path)
                ),
                loc: tree::get(&self.root, path).map_or_else(Loc::default, |n| n.loc),
                help: Some("shorten the chain of ${self:...} references".to_owned()),
            };
            return Err(e);
        }
        self.depth += 1;
        let r = self.resolve_property_inner(path);
        self.depth -= 1;
        r
    }

    fn resolve_property_inner(&mut self, path: &[String]) -> Result<(), VarError> {
        match self.state(path) {
            Some(State::Pending) => {}
            Some(State::Failed(e)) => return Err(e.clone()),
            _ => return Ok(()),
        }
        let Some(node) = tree::get(&self.root, path).cloned() else {
            self.props.insert(path.to_vec(), State::Done);
            return Ok(());
        };
        let Value::String(text) = &node.value else {
            self.props.insert(path.to_vec(), State::Done);
            return Ok(());
        };
        let text = text.clone();
        self.props.insert(path.to_vec(), State::InProgress);
        self.stack.push(path.to_vec());
        let ctx = Ctx {
            path: path.to_vec(),
            loc: node.loc,
            spans: SpanMap::new(&node, &text, self.sources),
        };
        let result = self.populate(&ctx, &text);
        self.stack.pop();
        match result {
            Err(e) => {
                self.props.insert(path.to_vec(), State::Failed(e.clone()));
                Err(e)
            }
            Ok(v @ (V::Opaque { .. } | V::Soft(_))) => {
                let (reason, aws) = match v {
                    V::Opaque { reason, aws } => (reason, aws),
                    V::Soft(reason) => (reason, false),
                    _ => (String::new(), false),
                };
                if let Some(slot) = tree::get_mut(&mut self.root, path) {
                    *slot = Node::new(
                        Value::Unresolved(Box::new(Unresolved {
                            text: text.clone(),
                            reason,
                        })),
                        node.loc,
                        node.style,
                    );
                }
                self.props.insert(path.to_vec(), State::Opaque { aws });
                Ok(())
            }
            Ok(V::Undef) => {
                self.set_undefined(path, node.loc);
                self.props.insert(path.to_vec(), State::Done);
                Ok(())
            }
            Ok(V::Val(value)) => {
                let container = matches!(value.value, Value::Map(_) | Value::Seq(_));
                if let Some(slot) = tree::get_mut(&mut self.root, path) {
                    *slot = value;
                }
                self.props.insert(path.to_vec(), State::Done);
                if container {
                    for p in self.register(path) {
                        self.resolve_property(&p)?;
                    }
                }
                Ok(())
            }
            Ok(_) => {
                self.props.insert(path.to_vec(), State::Done);
                Ok(())
            }
        }
    }

    /// `_.set(obj, path, undefined)`: the key is gone for every later reader.
    fn set_undefined(&mut self, path: &[String], loc: Loc) {
        let Some((last, parent)) = path.split_last() else {
            return;
        };
        if let Some(p) = tree::get_mut(&mut self.root, parent) {
            match &mut p.value {
                Value::Map(m) => {
                    m.remove(last);
                }
                Value::Seq(items) => {
                    if let Some(slot) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                        *slot = synth(Value::Null, loc);
                    }
                }
                _ => {}
            }
        }
    }

    fn err(&self, _ctx: &Ctx, loc: Loc, message: String) -> VarError {
        VarError {
            message,
            loc,
            help: None,
        }
    }

    /// `populateValue` until nothing matches: resolve every `${...}`, paste,
    /// scan again.
    fn populate(&mut self, ctx: &Ctx, text: &str) -> Result<V, VarError> {
        let mut cur = synth(Value::String(text.to_owned()), ctx.loc);
        let mut first = true;
        for _ in 0..MAX_ROUNDS {
            let Value::String(s) = &cur.value else {
                return Ok(V::Val(cur));
            };
            let s = s.clone();
            let ms = matches(&s);
            if ms.is_empty() {
                return Ok(V::Val(cur));
            }
            let mut vals = Vec::with_capacity(ms.len());
            for m in &ms {
                let loc = if first {
                    ctx.spans
                        .as_ref()
                        .and_then(|sp| sp.span(m.start, m.end))
                        .unwrap_or(ctx.loc)
                } else {
                    ctx.loc
                };
                let inner = s.get(m.start + 2..m.end - 1).unwrap_or("");
                vals.push(self.split_and_get(
                    ctx,
                    loc,
                    inner,
                    s.get(m.start..m.end).unwrap_or(""),
                )?);
            }
            if vals.iter().all(|v| matches!(v, V::Keep)) {
                return Ok(V::Val(cur));
            }
            if let Some(v) = vals
                .iter()
                .find(|v| matches!(v, V::Opaque { .. } | V::Soft(_)))
            {
                return Ok(v.clone());
            }
            // renderMatches
            let mut result = V::Val(cur.clone());
            for (m, v) in ms.iter().zip(vals) {
                let matched = s.get(m.start..m.end).unwrap_or("");
                let V::Val(rnode) = &result else { break };
                let Value::String(prop) = &rnode.value else {
                    break;
                };
                if prop == matched {
                    result = match v {
                        V::Keep => result,
                        V::Val(n) => V::Val(n),
                        _ => V::Undef,
                    };
                    continue;
                }
                let piece = match &v {
                    V::Keep => continue,
                    V::Val(n) => match &n.value {
                        Value::String(x) => Some(x.clone()),
                        Value::Number(_) => Some(n.js_string()),
                        _ => None,
                    },
                    _ => None,
                };
                let Some(piece) = piece else {
                    let loc = if first {
                        ctx.spans
                            .as_ref()
                            .and_then(|sp| sp.span(m.start, m.end))
                            .unwrap_or(ctx.loc)
                    } else {
                        ctx.loc
                    };
                    return Err(VarError {
                        message: format!(
                            "Trying to populate non string value into a string for variable {matched}. Please make sure the value of the property is a string."
                        ),
                        loc,
                        help: Some(format!("at \"{}\"", humanize(&ctx.path))),
                    });
                };
                let replaced = prop.replace(matched, &piece);
                self.budget.charge(replaced.len() / 32 + 1, ctx.loc)?;
                result = V::Val(synth(Value::String(replaced), ctx.loc));
            }
            first = false;
            match result {
                V::Val(n) => cur = n,
                other => return Ok(other),
            }
        }
        Err(VarError {
            message: format!(
                "Cannot resolve \"{}\": variables keep producing variables after {MAX_ROUNDS} rounds",
                humanize(&ctx.path)
            ),
            loc: ctx.loc,
            help: Some("framework v1 would loop forever on this".to_owned()),
        })
    }

    /// `splitAndGet`: one `${...}`, with fallbacks.
    fn split_and_get(
        &mut self,
        ctx: &Ctx,
        loc: Loc,
        inner: &str,
        whole: &str,
    ) -> Result<V, VarError> {
        let variable = clean(inner);
        let parts = split_by_comma(&variable);
        if parts.len() <= 1 {
            return self.get_value(ctx, loc, &variable, whole);
        }
        // `overwrite`: every source is tried, failures are skipped, the first
        // valid value wins.
        let mut vals = Vec::with_capacity(parts.len());
        for p in &parts {
            match self.get_value(ctx, loc, p, whole) {
                Ok(v) => vals.push(v),
                Err(e) if e.message.starts_with("Circular") => return Err(e),
                Err(_) => {}
            }
        }
        let mut soft = None;
        for v in vals {
            match v {
                V::Opaque { .. } => return Ok(v),
                V::Soft(r) => {
                    soft.get_or_insert(r);
                }
                V::Keep => {}
                ref x if valid(x) => return Ok(v),
                _ => {}
            }
        }
        Ok(soft.map_or(V::Undef, V::Soft))
    }

    /// `getValueFromSource`: one source.
    fn get_value(&mut self, ctx: &Ctx, loc: Loc, v: &str, whole: &str) -> Result<V, VarError> {
        let after_colon = || v.split(':').nth(1).unwrap_or("").to_owned();
        if v.starts_with("sls:") {
            return Ok(if after_colon() == "instanceId" {
                V::Opaque {
                    reason: v.to_owned(),
                    aws: false,
                }
            } else {
                V::Val(synth(Value::Map(crate::source::Map::new()), ctx.loc))
            });
        }
        if v.starts_with("env:") {
            let name = after_colon();
            if name.is_empty() {
                return Ok(V::Opaque {
                    reason: v.to_owned(),
                    aws: false,
                });
            }
            return Ok(match &self.opts.env {
                EnvSource::None => V::Soft(v.to_owned()),
                EnvSource::Map(m) => m.get(&name).map_or(V::Undef, |x| {
                    V::Val(synth(Value::String(x.clone()), ctx.loc))
                }),
                EnvSource::Process => std::env::var_os(&name).map_or(V::Undef, |x| {
                    V::Val(synth(
                        Value::String(x.to_string_lossy().into_owned()),
                        ctx.loc,
                    ))
                }),
            });
        }
        if v.starts_with("opt:") {
            let name = after_colon();
            let known = match name.as_str() {
                "stage" => Some(&self.opts.stage),
                "region" => Some(&self.opts.region),
                "" => {
                    return Ok(V::Opaque {
                        reason: v.to_owned(),
                        aws: false,
                    });
                }
                _ => None,
            };
            return Ok(match known {
                Some(Some(s)) => V::Val(synth(Value::String(s.clone()), ctx.loc)),
                Some(None) => V::Undef,
                None => V::Soft(v.to_owned()),
            });
        }
        if v.starts_with("self:") {
            return self.self_value(ctx, loc, v);
        }
        if let Some((path, rest)) = file_ref(v) {
            return self.file_value(ctx, loc, v, &path, rest);
        }
        if is_cf(v) || is_s3(v) {
            return Ok(V::Opaque {
                reason: v.to_owned(),
                aws: true,
            });
        }
        let b = v.as_bytes();
        if b.len() >= 2 && matches!(b.first(), Some(b'\'' | b'"')) && b.last() == b.first() {
            let s = v.get(1..v.len() - 1).unwrap_or("");
            return Ok(V::Val(synth(Value::String(s.to_owned()), ctx.loc)));
        }
        if v == "true" || v == "false" {
            return Ok(V::Val(synth(Value::Bool(v == "true"), ctx.loc)));
        }
        if charset(v, |c| c.is_ascii_digit()) {
            let n = v.parse::<f64>().unwrap_or(f64::NAN);
            return Ok(V::Val(synth(Value::Number(n), ctx.loc)));
        }
        if is_ssm(v) {
            return Ok(V::Opaque {
                reason: v.to_owned(),
                aws: true,
            });
        }
        if let Some(param) = v
            .strip_prefix("strToBool(")
            .and_then(|r| r.split_once(')'))
            .map(|(p, _)| p)
            .filter(|p| charset(p, ssm_chars))
        {
            return match param {
                "true" | "1" => Ok(V::Val(synth(Value::Bool(true), ctx.loc))),
                "false" | "0" => Ok(V::Val(synth(Value::Bool(false), ctx.loc))),
                _ => Err(self.err(
                    ctx,
                    loc,
                    "Unexpected strToBool input; expected either \"true\", \"false\", \"0\", or \"1\".".to_owned(),
                )),
            };
        }
        if self.custom_syntax {
            return Ok(V::Keep);
        }
        // A plugin may register `name:` sources; anything else is refused.
        let plugin_like = v.split_once(':').is_some_and(|(name, rest)| {
            charset(name, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                && !rest.starts_with(':')
        });
        if plugin_like {
            return Ok(V::Opaque {
                reason: v.to_owned(),
                aws: true,
            });
        }
        let mut e = self.err(
            ctx,
            loc,
            format!(
                "Invalid variable reference syntax for variable {v}. You can only reference env vars, options, & files. You can check our docs for more info."
            ),
        );
        e.help = Some(if v.contains("::") {
            format!(
                "v1 reads {whole} as a Serverless variable; set provider.variableSyntax (e.g. \"\\\\${{((?!AWS)[ ~:a-zA-Z0-9._@'\\\",\\\\-\\\\/\\\\(\\\\)]+?)}}\") to leave CloudFormation's ${{AWS::...}} alone"
            )
        } else {
            "sources are self:, opt:, env:, file(...), sls:, cf:, s3:, ssm:, strToBool(...), or a quoted string, true/false or an integer".to_owned()
        });
        Err(e)
    }

    /// `getValueFromSelf`, on the framework's `Service` view of the config.
    fn self_value(&mut self, ctx: &Ctx, loc: Loc, v: &str) -> Result<V, VarError> {
        let mut variable = v.to_owned();
        if variable == "self:service.name" {
            variable = "self:service".to_owned();
        } else if let Some(rest) = variable.strip_prefix("self:service.") {
            variable = format!("self:serviceObject.{rest}");
        } else if variable == "self:provider" {
            variable = "self:provider.name".to_owned();
        }
        let keys: Vec<String> = variable
            .split(':')
            .nth(1)
            .unwrap_or("")
            .split('.')
            .filter(|k| !k.is_empty())
            .map(str::to_owned)
            .collect();
        let Some((top, rest)) = keys.split_first() else {
            return Ok(V::Opaque {
                reason: v.to_owned(),
                aws: false,
            });
        };
        let raw_service = self.root.get("service").cloned();
        let (start_path, start_value): (Option<Path>, Option<Node>) = match top.as_str() {
            "service" => match raw_service.as_ref().map(|n| &n.value) {
                Some(Value::Map(_)) => (Some(vec!["service".into(), "name".into()]), None),
                _ => (Some(vec!["service".into()]), None),
            },
            "serviceObject" => match raw_service.as_ref().map(|n| &n.value) {
                Some(Value::Map(_)) => (Some(vec!["service".into()]), None),
                _ => {
                    let mut m = crate::source::Map::new();
                    if let Some(n) = raw_service {
                        m.insert(crate::source::Entry {
                            key: "name".into(),
                            key_loc: n.loc,
                            value: n,
                        });
                    }
                    (None, Some(synth(Value::Map(m), ctx.loc)))
                }
            },
            "provider" => return self.provider_value(ctx, loc, rest),
            "custom"
            | "plugins"
            | "resources"
            | "outputs"
            | "app"
            | "tenant"
            | "org"
            | "disabledDeprecations" => (Some(vec![top.clone()]), None),
            "functions" | "package" | "layers" if self.root.get(top).is_none() => (
                None,
                Some(synth(Value::Map(crate::source::Map::new()), ctx.loc)),
            ),
            "functions" | "package" | "layers" => (Some(vec![top.clone()]), None),
            "configValidationMode" if self.root.get(top).is_none() => {
                (None, Some(synth(Value::String("warn".into()), ctx.loc)))
            }
            "configValidationMode" => (Some(vec![top.clone()]), None),
            _ => (None, None),
        };
        self.walk(ctx, loc, start_path, start_value, rest)
    }

    fn provider_value(&mut self, ctx: &Ctx, loc: Loc, rest: &[String]) -> Result<V, VarError> {
        let provider = self.root.get("provider").cloned();
        let is_map = provider.as_ref().is_some_and(Node::is_plain_object);
        let Some((first, after)) = rest.split_first() else {
            // The merged provider object.
            let mut m = provider
                .as_ref()
                .and_then(|p| p.as_map().cloned())
                .unwrap_or_default();
            for (k, d) in [("stage", "dev"), ("variableSyntax", DEFAULT_SYNTAX)] {
                if !m.contains_key(k) {
                    m.insert(crate::source::Entry {
                        key: k.into(),
                        key_loc: ctx.loc,
                        value: synth(Value::String(d.into()), ctx.loc),
                    });
                }
            }
            return self.walk(ctx, loc, None, Some(synth(Value::Map(m), ctx.loc)), &[]);
        };
        if !is_map {
            // `provider: aws` is `{ name: 'aws' }`.
            return match first.as_str() {
                "name" => self.walk(ctx, loc, Some(vec!["provider".into()]), None, after),
                "stage" => self.walk(
                    ctx,
                    loc,
                    None,
                    Some(synth(Value::String("dev".into()), ctx.loc)),
                    after,
                ),
                "region" => {
                    let r = self
                        .opts
                        .region
                        .clone()
                        .unwrap_or_else(|| "us-east-1".into());
                    self.walk(
                        ctx,
                        loc,
                        None,
                        Some(synth(Value::String(r), ctx.loc)),
                        after,
                    )
                }
                _ => Ok(V::Undef),
            };
        }
        let has = |k: &str| provider.as_ref().is_some_and(|p| p.get(k).is_some());
        let path = vec!["provider".to_owned(), first.clone()];
        match first.as_str() {
            "region" => {
                if let Some(r) = self.opts.region.clone() {
                    return self.walk(
                        ctx,
                        loc,
                        None,
                        Some(synth(Value::String(r), ctx.loc)),
                        after,
                    );
                }
                if has("region") {
                    return self.walk(ctx, loc, Some(path), None, after);
                }
                self.walk(
                    ctx,
                    loc,
                    None,
                    Some(synth(Value::String("us-east-1".into()), ctx.loc)),
                    after,
                )
            }
            "stage" if !has("stage") => self.walk(
                ctx,
                loc,
                None,
                Some(synth(Value::String("dev".into()), ctx.loc)),
                after,
            ),
            "variableSyntax" if !has("variableSyntax") => self.walk(
                ctx,
                loc,
                None,
                Some(synth(Value::String(DEFAULT_SYNTAX.into()), ctx.loc)),
                after,
            ),
            _ => self.walk(ctx, loc, Some(path), None, after),
        }
    }

    /// `getDeeperValue` from a tree path (resolving what lies on the way) or
    /// a value outside the tree.
    fn walk(
        &mut self,
        ctx: &Ctx,
        loc: Loc,
        start_path: Option<Path>,
        start_value: Option<Node>,
        keys: &[String],
    ) -> Result<V, VarError> {
        let mut path = start_path;
        let mut detached = start_value;
        if let Some(p) = &path {
            // The start itself may be a property.
            if let Some(v) = self.settle(ctx, loc, p)? {
                return Ok(v);
            }
            if tree::get(&self.root, p).is_none() {
                path = None;
                detached = None;
            }
        }
        let mut undefined = path.is_none() && detached.is_none();
        for key in keys {
            if undefined {
                // `undefined` becomes `{}` for the next step.
                undefined = false;
                path = None;
                detached = Some(synth(Value::Map(crate::source::Map::new()), ctx.loc));
                continue;
            }
            if let Some(p) = &path {
                let mut child = p.clone();
                child.push(key.clone());
                let node = tree::get(&self.root, p);
                let in_tree = match node.map(|n| &n.value) {
                    Some(Value::Map(m)) => m.contains_key(key),
                    Some(Value::Seq(items)) => key
                        .parse::<usize>()
                        .is_ok_and(|i| i < items.len() && i.to_string() == *key),
                    Some(Value::Unresolved(u)) => {
                        return Ok(V::Opaque {
                            reason: u.reason.clone(),
                            aws: false,
                        });
                    }
                    _ => false,
                };
                if in_tree {
                    if let Some(v) = self.settle(ctx, loc, &child)? {
                        return Ok(v);
                    }
                    if tree::get(&self.root, &child).is_some() {
                        path = Some(child);
                    } else {
                        path = None;
                        undefined = true;
                    }
                    continue;
                }
                let value = node.and_then(|n| member(n, key));
                path = None;
                match value {
                    Some(n) => detached = Some(n),
                    None => undefined = true,
                }
                continue;
            }
            let next = detached.as_ref().and_then(|d| member(d, key));
            match next {
                Some(n) => detached = Some(n),
                None => {
                    detached = None;
                    undefined = true;
                }
            }
        }
        if undefined {
            return Ok(V::Undef);
        }
        if let Some(d) = detached {
            return Ok(V::Val(d));
        }
        let Some(p) = path else { return Ok(V::Undef) };
        // Inside an object, everything is resolved first.
        let is_container = tree::get(&self.root, &p)
            .is_some_and(|n| matches!(n.value, Value::Map(_) | Value::Seq(_)));
        if is_container {
            loop {
                let next = self
                    .props
                    .range::<Path, _>((Bound::Excluded(&p), Bound::Unbounded))
                    .take_while(|(q, _)| q.len() > p.len() && q.starts_with(&p))
                    .find(|(_, s)| matches!(s, State::Pending | State::InProgress))
                    .map(|(q, _)| q.clone());
                let Some(next) = next else { break };
                self.depend(ctx, loc, &next)?;
            }
        }
        let Some(node) = tree::get(&self.root, &p) else {
            return Ok(V::Undef);
        };
        if let Value::Unresolved(u) = &node.value {
            return Ok(V::Opaque {
                reason: u.reason.clone(),
                aws: false,
            });
        }
        let copy = node.clone();
        self.budget.charge(tree::size(&copy), loc)?;
        Ok(V::Val(copy))
    }

    /// Resolve the property at `p` if it is one; its outcome when that ends
    /// the walk.
    fn settle(&mut self, ctx: &Ctx, loc: Loc, p: &[String]) -> Result<Option<V>, VarError> {
        if !self.props.contains_key(p) {
            return Ok(None);
        }
        self.depend(ctx, loc, p)?;
        match self.state(p) {
            Some(State::Opaque { aws }) => {
                let reason = tree::get(&self.root, p)
                    .and_then(|n| match &n.value {
                        Value::Unresolved(u) => Some(u.reason.clone()),
                        _ => None,
                    })
                    .unwrap_or_default();
                Ok(Some(V::Opaque { reason, aws: *aws }))
            }
            Some(State::Failed(e)) => Err(e.clone()),
            _ => Ok(None),
        }
    }

    fn depend(&mut self, ctx: &Ctx, loc: Loc, dep: &[String]) -> Result<(), VarError> {
        match self.state(dep) {
            Some(State::InProgress) => {
                let start = self.stack.iter().position(|p| p == dep).unwrap_or(0);
                let mut chain: Vec<String> = self
                    .stack
                    .get(start..)
                    .unwrap_or(&[])
                    .iter()
                    .map(|p| humanize(p))
                    .collect();
                chain.push(humanize(dep));
                Err(VarError {
                    message: format!(
                        "Circular reference at \"{}\": {}",
                        humanize(&ctx.path),
                        chain.join(" → ")
                    ),
                    loc,
                    help: Some("framework v1 loops forever on circular references".to_owned()),
                })
            }
            Some(State::Pending) => self.resolve_property(dep),
            _ => Ok(()),
        }
    }

    /// `getValueFromFile`.
    fn file_value(
        &mut self,
        ctx: &Ctx,
        loc: Loc,
        v: &str,
        path: &str,
        rest: &str,
    ) -> Result<V, VarError> {
        let path = match path.strip_prefix('~') {
            Some(r) => match std::env::var("HOME") {
                Ok(h) => format!("{h}{r}"),
                Err(_) => path.to_owned(),
            },
            None => path.to_owned(),
        };
        if !rest.is_empty() && !rest.starts_with(':') {
            return Err(self.err(
                ctx,
                loc,
                format!(
                    "Invalid variable syntax when referencing file \"{path}\" sub properties Please use \":\" to reference sub properties."
                ),
            ));
        }
        let content = match self.files.load(&path, self.sources) {
            Ok(c) => c,
            Err(fe) => {
                return Err(VarError {
                    message: fe.message,
                    loc: fe.loc.unwrap_or(loc),
                    help: fe.help,
                });
            }
        };
        let mut data = match content {
            Content::Missing => return Ok(V::Undef),
            Content::Code => {
                return Ok(V::Opaque {
                    reason: v.to_owned(),
                    aws: false,
                });
            }
            Content::Data(n) => n,
        };
        // v1 trims plain text files.
        let ext = std::path::Path::new(&path)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        if !matches!(ext, "yml" | "yaml" | "json")
            && let Value::String(s) = &data.value
        {
            data.value = Value::String(s.trim().to_owned());
        }
        if rest.is_empty() {
            self.budget.charge(tree::size(&data), loc)?;
            return Ok(V::Val(data));
        }
        let keys: Vec<String> = rest
            .get(1..)
            .unwrap_or("")
            .split('.')
            .map(str::to_owned)
            .collect();
        let mut cur = Some(data);
        for key in &keys {
            cur = match cur {
                None => Some(synth(Value::Map(crate::source::Map::new()), ctx.loc)),
                Some(n) => {
                    if key.is_empty() {
                        Some(n)
                    } else {
                        member(&n, key)
                    }
                }
            };
            // A string with variables is resolved before going on.
            if let Some(Node {
                value: Value::String(s),
                ..
            }) = &cur
                && !matches(s).is_empty()
            {
                let s = s.clone();
                let sub = Ctx {
                    path: ctx.path.clone(),
                    loc: ctx.loc,
                    spans: None,
                };
                match self.populate(&sub, &s)? {
                    V::Val(n) => cur = Some(n),
                    V::Undef => cur = None,
                    other => return Ok(other),
                }
            }
        }
        match cur {
            Some(n) => {
                self.budget.charge(tree::size(&n), loc)?;
                Ok(V::Val(n))
            }
            None => Ok(V::Undef),
        }
    }
}

/// `value[key]` on a value outside the tree.
fn member(node: &Node, key: &str) -> Option<Node> {
    match &node.value {
        Value::Map(m) => m.get(key).cloned(),
        Value::Seq(items) => {
            if key == "length" {
                return Some(synth(Value::Number(items.len() as f64), node.loc));
            }
            key.parse::<usize>()
                .ok()
                .filter(|i| i.to_string() == key)
                .and_then(|i| items.get(i))
                .cloned()
        }
        Value::String(s) => {
            let units: Vec<u16> = s.encode_utf16().collect();
            if key == "length" {
                return Some(synth(Value::Number(units.len() as f64), node.loc));
            }
            let i = key.parse::<usize>().ok().filter(|i| i.to_string() == key)?;
            let unit = *units.get(i)?;
            Some(synth(
                Value::String(String::from_utf16_lossy(&[unit])),
                node.loc,
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_matches() {
        let m: Vec<(usize, usize)> = matches("a${x}${opt:s, ${self:y}}${}")
            .iter()
            .map(|m| (m.start, m.end))
            .collect();
        assert_eq!(m, vec![(1, 5), (14, 23)]);
    }

    #[test]
    fn split_commas_outside_quotes() {
        assert_eq!(
            split_by_comma("opt:stage,'a,b'"),
            vec!["opt:stage", "'a,b'"]
        );
        assert_eq!(split_by_comma("a , b"), vec!["a", "b"]);
        assert_eq!(clean(" opt:stage , dev "), "opt:stage,dev");
        assert_eq!(clean("opt:x, 'a b'"), "opt:x, 'a b'");
    }

    #[test]
    fn source_shapes() {
        assert!(is_cf("cf:stack.Output"));
        assert!(is_cf("cf.us-east-1:stack.Output"));
        assert!(!is_cf("cf:stack"));
        assert!(is_ssm("ssm:/a/b~true"));
        assert!(!is_ssm("ssm:"));
        assert!(is_s3("s3:bucket/key"));
        assert!(!is_s3("s3:bucket"));
        assert_eq!(
            file_ref("file(./a.yml):x").map(|(p, r)| (p, r.to_owned())),
            Some(("./a.yml".into(), ":x".into()))
        );
        assert!(file_ref("file(a:b)").is_none());
    }
}
