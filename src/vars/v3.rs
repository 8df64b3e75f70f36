//! Variable resolution as framework v3 (and v2, osls) does it: a port of
//! `lib/configuration/variables/resolve.js` and its sources, made static.
//!
//! Every string with variables is a *property*. Properties resolve on demand:
//! `${self:a.b}` first resolves whatever property lies on the way to `a.b` (or
//! inside it), so the order properties are written in does not matter, and a
//! property met again while it is being resolved is a circular reference.
//!
//! A source that cannot be known without AWS, a plugin or running code
//! (`ssm:`, `cf:`, `file(x.js)`, ...) makes its variable *opaque*: the whole
//! property becomes [`Value::Unresolved`]. Fallbacks after an opaque source
//! are not tried (the real source might well have a value); the framework
//! too only moves to a fallback when a source answers null.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::rc::Rc;

use crate::source::{Loc, Node, SourceMap, Unresolved, Value};

use super::files::{Content, Files};
use super::parse::{self, Lit, Meta, Source, Var, VarKind};
use super::span::SpanMap;
use super::tree::{self, Budget, Path, humanize};
use super::{EnvSource, VarError, VarOptions};

/// How many times a property's value may turn up new variables (the
/// framework's limit too).
const MAX_NEST: u32 = 10;
/// How deep a chain of references may go before we give up.
const MAX_CHAIN: usize = 1000;

/// When the framework can resolve a source, if at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Late {
    /// Resolvable in the framework from the start (we just cannot know it:
    /// a JavaScript file, a variable from the environment under `--no-env`).
    No,
    /// Only once the Serverless instance exists (`sls:instanceId`, `param:`).
    AfterInit,
    /// Only once the AWS provider or plugins are loaded (`ssm:`, `cf:`, ...).
    Aws,
}

#[derive(Clone, Debug)]
pub(super) struct Opaque {
    reason: String,
    late: Late,
}

/// What resolving something gave.
#[derive(Clone, Debug)]
enum Got {
    Val(Node),
    /// null/undefined; `soft` when only we do not know it (the framework
    /// might have a value): no fallback left then means opaque, not an error.
    Null {
        soft: bool,
    },
    Opaque(Opaque),
    /// The framework leaves the variable as written, forever (a literal as
    /// first source, `${'x'}`); so does every property that depends on it.
    Stuck,
}

#[derive(Clone, Debug)]
enum State {
    Pending,
    InProgress,
    Done,
    Opaque(Opaque),
    Stuck,
    Failed(VarError),
}

/// A (file, address) pair being expanded, for include cycles.
type IncludeKey = (std::path::PathBuf, Option<String>);

#[derive(Clone, Debug)]
struct Prop {
    state: State,
    includes: Rc<Vec<IncludeKey>>,
    nest: u32,
    /// Touches a source the framework's first resolution phase must wait
    /// for (an option outside the `package` command's own, directly or
    /// through a reference): `provider.stage` and friends cannot use it.
    early_pending: bool,
}

/// The place a string is being resolved for.
struct Ctx {
    path: Path,
    loc: Loc,
    spans: Option<Rc<SpanMap>>,
    includes: Rc<Vec<IncludeKey>>,
}

impl Ctx {
    fn var_loc(&self, v: &Var) -> Loc {
        self.spans
            .as_ref()
            .and_then(|m| m.span(v.abs_start, v.abs_end))
            .unwrap_or(self.loc)
    }

    fn unspanned(&self, extra: &[IncludeKey]) -> Ctx {
        let includes = if extra.is_empty() {
            self.includes.clone()
        } else {
            let mut v = (*self.includes).clone();
            v.extend(extra.iter().cloned());
            Rc::new(v)
        };
        Ctx {
            path: self.path.clone(),
            loc: self.loc,
            spans: None,
            includes,
        }
    }

    fn err(&self, loc: Loc, detail: impl std::fmt::Display) -> VarError {
        VarError {
            message: format!(
                "Cannot resolve variable at \"{}\": {detail}",
                humanize(&self.path)
            ),
            loc,
            help: None,
        }
    }
}

pub(super) struct Resolver<'a> {
    root: Node,
    props: BTreeMap<Path, Prop>,
    order: Vec<Path>,
    stack: Vec<Path>,
    /// Nesting of `resolve_property` calls (Rust recursion).
    depth: usize,
    /// Per property being resolved: whether it touched a phase-1-pending source.
    taint: Vec<bool>,
    opts: &'a VarOptions,
    sources: &'a mut SourceMap,
    files: Files,
    budget: Budget,
    config_name: String,
    /// Opaque values by where they are written, with how late they resolve.
    lateness: Vec<(Loc, Late)>,
}

/// Options of `serverless package` (with the AWS provider): the framework
/// knows these from the start; any other `${opt:...}` waits until plugins
/// are loaded.
const CORE_OPTIONS: [&str; 14] = [
    "config",
    "stage",
    "param",
    "help",
    "version",
    "verbose",
    "debug",
    "region",
    "aws-profile",
    "app",
    "org",
    "use-local-credentials",
    "package",
    "minify-template",
];

/// Sources the static resolver answers.
const STATIC_SOURCES: [&str; 6] = ["self", "opt", "env", "file", "strToBool", "sls"];

fn lit_node(l: &Lit, loc: Loc) -> Node {
    let v = match l {
        Lit::Null => Value::Null,
        Lit::Bool(b) => Value::Bool(*b),
        Lit::Number(n) => Value::Number(*n),
        Lit::Str(s) => Value::String(s.clone()),
    };
    Node::synthetic(v, loc)
}

fn string_node(s: String, loc: Loc) -> Node {
    Node::synthetic(Value::String(s), loc)
}

/// Under `prefix` (strictly).
fn under(path: &[String], prefix: &[String]) -> bool {
    path.len() > prefix.len() && path.starts_with(prefix)
}

/// A canonical array index (`"0"`, `"12"`; not `"01"` or `"+1"`).
fn index_key(key: &str) -> Option<usize> {
    key.parse::<usize>().ok().filter(|i| i.to_string() == key)
}

/// `'abc'[key]`, `[..][key]`, `x.length` on a value outside the tree.
fn member(node: &Node, key: &str) -> Option<Node> {
    match &node.value {
        Value::Map(m) => m.get(key).cloned(),
        Value::Seq(items) => {
            if key == "length" {
                return Some(Node::synthetic(Value::Number(items.len() as f64), node.loc));
            }
            index_key(key).and_then(|i| items.get(i)).cloned()
        }
        Value::String(s) => {
            let units: Vec<u16> = s.encode_utf16().collect();
            if key == "length" {
                return Some(Node::synthetic(Value::Number(units.len() as f64), node.loc));
            }
            let i = index_key(key)?;
            let unit = *units.get(i)?;
            let ch = String::from_utf16_lossy(&[unit]);
            Some(string_node(ch, node.loc))
        }
        _ => None,
    }
}

impl<'a> Resolver<'a> {
    pub(super) fn new(
        root: Node,
        config_path: &std::path::Path,
        sources: &'a mut SourceMap,
        opts: &'a VarOptions,
        dialect: crate::source::yaml::Dialect,
    ) -> Self {
        Self {
            root,
            props: BTreeMap::new(),
            order: Vec::new(),
            stack: Vec::new(),
            depth: 0,
            taint: Vec::new(),
            opts,
            sources,
            files: Files::new(config_path, opts.allow_outside, dialect),
            budget: Budget::new(super::tree::DEFAULT_BUDGET),
            config_name: config_path.file_name().map_or_else(
                || "serverless.yml".to_owned(),
                |n| n.to_string_lossy().into_owned(),
            ),
            lateness: Vec::new(),
        }
    }

    /// Resolve everything; the tree and where values stayed opaque.
    pub(super) fn run(mut self) -> Result<(Node, Vec<Loc>), VarError> {
        let mut leaves = Vec::new();
        tree::string_leaves(&self.root, &[], &mut leaves);
        for (path, text) in leaves {
            match parse::parse(&text) {
                Ok(None) => {}
                Ok(Some(_)) => {
                    self.props.insert(
                        path.clone(),
                        Prop {
                            state: State::Pending,
                            includes: Rc::new(Vec::new()),
                            nest: 0,
                            early_pending: false,
                        },
                    );
                    self.order.push(path);
                }
                Err(e) => {
                    return Err(self.syntax_error(&path, &text, &e, "Variable syntax error at"));
                }
            }
        }
        self.check_untouchable()?;
        let order = std::mem::take(&mut self.order);
        for path in &order {
            self.resolve_property(path)?;
        }
        self.check_early()?;
        let mut locs: Vec<Loc> = Vec::new();
        for n in self.root.unresolved() {
            if !locs.contains(&n.loc) {
                locs.push(n.loc);
            }
        }
        Ok((self.root, locs))
    }

    fn syntax_error(
        &self,
        path: &[String],
        text: &str,
        e: &parse::ParseError,
        lead: &str,
    ) -> VarError {
        let node = tree::get(&self.root, path);
        let loc = node.map_or_else(Loc::default, |n| n.loc);
        let at = node
            .and_then(|n| SpanMap::new(n, text, self.sources))
            .and_then(|m| m.span(e.at, e.end.max(e.at + 1).min(text.len())))
            .unwrap_or(loc);
        VarError {
            message: format!("{lead} \"{}\": {}", humanize(path), e.message),
            loc: at,
            help: Some(
                "v3 syntax: ${source:address, fallback, 'literal'}; a fallback is a source or a quoted string, not another ${...}"
                    .to_owned(),
            ),
        }
    }

    /// `disabledDeprecations` and `deprecationNotificationMode` are read
    /// before any variable is resolved.
    fn check_untouchable(&self) -> Result<(), VarError> {
        for key in ["disabledDeprecations", "deprecationNotificationMode"] {
            let p = vec![key.to_owned()];
            if let Some((path, _)) = self
                .props
                .iter()
                .find(|(path, _)| **path == p || under(path, &p))
            {
                let loc = tree::get(&self.root, path).map_or_else(Loc::default, |n| n.loc);
                return Err(self.inaccessible(key, loc));
            }
        }
        Ok(())
    }

    fn inaccessible(&self, property: &str, loc: Loc) -> VarError {
        VarError {
            message: format!(
                "Cannot resolve {}: \"{property}\" property is not accessible (configured behind variables which cannot be resolved at this stage)",
                self.config_name
            ),
            loc,
            help: Some(
                "the framework reads this property before AWS, plugin and dashboard variable sources are available".to_owned(),
            ),
        }
    }

    /// Properties the framework needs before the late sources exist.
    fn check_early(&self) -> Result<(), VarError> {
        let before_init = [
            "provider.name",
            "provider.stage",
            "useDotenv",
            "plugins",
            "package.path",
            "frameworkVersion",
            "app",
            "org",
            "dashboard",
            "service",
        ];
        let before_aws = [
            "provider.credentials",
            "provider.deploymentBucket.serverSideEncryption",
            "provider.profile",
            "provider.region",
        ];
        for (list, blocking) in [(&before_init[..], true), (&before_aws[..], false)] {
            for prop in list {
                let path: Path = prop.split('.').map(str::to_owned).collect();
                if let Some(loc) = self.blocked(&path, blocking) {
                    return Err(self.inaccessible(prop, loc));
                }
            }
        }
        Ok(())
    }

    /// Where `path` (or a value on the way to it, or inside it) waits for a
    /// late source.
    fn blocked(&self, path: &[String], after_init_blocks: bool) -> Option<Loc> {
        let late = |l: Late| l == Late::Aws || (after_init_blocks && l == Late::AfterInit);
        for (p, prop) in &self.props {
            let related = p.starts_with(path) || path.starts_with(p);
            if !related {
                continue;
            }
            if after_init_blocks && prop.early_pending {
                return Some(tree::get(&self.root, p).map_or_else(Loc::default, |n| n.loc));
            }
            match &prop.state {
                State::Stuck => {
                    return Some(tree::get(&self.root, p).map_or_else(Loc::default, |n| n.loc));
                }
                State::Opaque(o) if late(o.late) => {
                    return Some(tree::get(&self.root, p).map_or_else(Loc::default, |n| n.loc));
                }
                _ => {}
            }
        }
        // Opaque values copied in by references.
        let mut node = &self.root;
        let mut found = None;
        for key in path {
            if node.is_unresolved() {
                found = Some(node);
                break;
            }
            match tree::get(node, std::slice::from_ref(key)) {
                Some(n) => node = n,
                None => return None,
            }
        }
        let candidates: Vec<&Node> = match found {
            Some(n) => vec![n],
            None => node.unresolved(),
        };
        candidates
            .into_iter()
            .find(|n| late(self.late_of(n.loc)))
            .map(|n| n.loc)
    }

    fn late_of(&self, loc: Loc) -> Late {
        self.lateness
            .iter()
            .find(|(l, _)| *l == loc)
            .map_or(Late::No, |(_, late)| *late)
    }

    fn state(&self, path: &[String]) -> Option<&State> {
        self.props.get(path).map(|p| &p.state)
    }

    fn set_state(&mut self, path: &[String], state: State) {
        if let Some(p) = self.props.get_mut(path) {
            p.state = state;
        }
    }

    /// Resolve one property (a string with variables) in place.
    fn resolve_property(&mut self, path: &[String]) -> Result<(), VarError> {
        if self.depth >= MAX_CHAIN {
            let e = VarError {
                message: format!(
                    "Cannot resolve variable at \"{}\": references nest more than {MAX_CHAIN} levels deep",
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
        let Some(prop) = self.props.get(path).cloned() else {
            return Ok(());
        };
        match prop.state {
            State::Pending => {}
            State::Failed(e) => return Err(e),
            _ => return Ok(()),
        }
        let Some(node) = tree::get(&self.root, path).cloned() else {
            self.set_state(path, State::Done);
            return Ok(());
        };
        let Value::String(text) = &node.value else {
            self.set_state(path, State::Done);
            return Ok(());
        };
        let text = text.clone();
        self.set_state(path, State::InProgress);
        self.stack.push(path.to_vec());
        self.taint.push(false);
        let ctx = Ctx {
            path: path.to_vec(),
            loc: node.loc,
            spans: SpanMap::new(&node, &text, self.sources).map(Rc::new),
            includes: prop.includes.clone(),
        };
        let mut origin = Vec::new();
        let result = match parse::parse(&text) {
            Ok(Some(vars)) => self.resolve_string(&ctx, &text, &vars, 0, true, &mut origin),
            Ok(None) => Ok(Got::Val(node.clone())),
            Err(e) => Err(self.syntax_error(path, &text, &e, "Cannot resolve variable at")),
        };
        self.stack.pop();
        let tainted = self.taint.pop().unwrap_or(false);
        if let Some(p) = self.props.get_mut(path) {
            p.early_pending = tainted;
        }
        match result {
            Err(e) => {
                self.set_state(path, State::Failed(e.clone()));
                Err(e)
            }
            Ok(Got::Stuck) => {
                self.set_state(path, State::Stuck);
                Ok(())
            }
            Ok(Got::Opaque(o)) => {
                if let Some(slot) = tree::get_mut(&mut self.root, path) {
                    *slot = Node::new(
                        Value::Unresolved(Box::new(Unresolved {
                            text: text.clone(),
                            reason: o.reason.clone(),
                        })),
                        node.loc,
                        node.style,
                    );
                }
                self.lateness.push((node.loc, o.late));
                self.set_state(path, State::Opaque(o));
                Ok(())
            }
            Ok(Got::Null { .. }) => {
                if let Some(slot) = tree::get_mut(&mut self.root, path) {
                    *slot = Node::synthetic(Value::Null, node.loc);
                }
                self.set_state(path, State::Done);
                Ok(())
            }
            Ok(Got::Val(value)) => {
                let is_container = matches!(value.value, Value::Map(_) | Value::Seq(_));
                let includes = Rc::new(
                    prop.includes
                        .iter()
                        .cloned()
                        .chain(origin)
                        .collect::<Vec<_>>(),
                );
                if let Some(slot) = tree::get_mut(&mut self.root, path) {
                    *slot = value;
                }
                self.set_state(path, State::Done);
                if is_container {
                    self.resolve_children(path, &includes, prop.nest + 1, node.loc)?;
                }
                Ok(())
            }
        }
    }

    /// Register and resolve the variables a resolved object or list brought.
    fn resolve_children(
        &mut self,
        path: &[String],
        includes: &Rc<Vec<IncludeKey>>,
        nest: u32,
        loc: Loc,
    ) -> Result<(), VarError> {
        let Some(node) = tree::get(&self.root, path) else {
            return Ok(());
        };
        let mut leaves = Vec::new();
        tree::string_leaves(node, path, &mut leaves);
        let mut new = Vec::new();
        for (p, text) in leaves {
            match parse::parse(&text) {
                Ok(None) => {}
                Ok(Some(_)) => {
                    if nest > MAX_NEST {
                        return Err(VarError {
                            message: format!(
                                "Cannot resolve variable at \"{}\": Excessive property variables nest depth",
                                humanize(path)
                            ),
                            loc,
                            help: None,
                        });
                    }
                    self.props.insert(
                        p.clone(),
                        Prop {
                            state: State::Pending,
                            includes: includes.clone(),
                            nest,
                            early_pending: false,
                        },
                    );
                    new.push(p);
                }
                Err(e) => {
                    return Err(self.syntax_error(&p, &text, &e, "Cannot resolve variable at"));
                }
            }
        }
        for p in &new {
            self.resolve_property(p)?;
        }
        Ok(())
    }

    /// Resolve the variables of one string; `whole` values keep their type.
    fn resolve_string(
        &mut self,
        ctx: &Ctx,
        text: &str,
        vars: &[Var],
        nest: u32,
        top: bool,
        origin: &mut Vec<IncludeKey>,
    ) -> Result<Got, VarError> {
        if nest > MAX_NEST {
            let what = if top {
                "Excessive property variables nest depth"
            } else {
                "Excessive variables nest depth"
            };
            return Err(ctx.err(ctx.loc, what));
        }
        let mut results: Vec<Got> = Vec::with_capacity(vars.len());
        let mut first_err = None;
        for v in vars {
            match &v.kind {
                VarKind::Escape(s) => results.push(Got::Val(string_node(s.clone(), ctx.loc))),
                VarKind::Sources(srcs) => match self.resolve_variable(ctx, v, srcs, origin) {
                    Ok(g) => results.push(g),
                    Err(e) => {
                        first_err.get_or_insert(e);
                        results.push(Got::Stuck);
                    }
                },
            }
        }
        if let Some(e) = first_err {
            return Err(e);
        }
        if results.iter().any(|g| matches!(g, Got::Stuck)) {
            return Ok(Got::Stuck);
        }
        if let Some(o) = results.iter().find_map(|g| match g {
            Got::Opaque(o) => Some(o.clone()),
            _ => None,
        }) {
            return Ok(Got::Opaque(o));
        }
        if let [v] = vars
            && v.whole
        {
            let value = match results.into_iter().next() {
                Some(Got::Val(n)) => n,
                _ => Node::synthetic(Value::Null, ctx.loc),
            };
            if let Value::String(s) = &value.value
                && let Some(new_vars) = self.reparse(ctx, s, &[s.as_str()])?
            {
                let s = s.clone();
                let inner = ctx.unspanned(origin);
                return self.resolve_string(&inner, &s, &new_vars, nest + 1, top, origin);
            }
            return Ok(Got::Val(value));
        }
        // Built from several parts: always a string.
        let mut pieces: Vec<String> = Vec::with_capacity(vars.len() * 2 + 1);
        let mut last = 0;
        for (v, g) in vars.iter().zip(&results) {
            let node = match g {
                Got::Val(n) => n.clone(),
                _ => Node::synthetic(Value::Null, ctx.loc),
            };
            if let Some(u) = tree::first_unresolved(&node)
                && let Value::Unresolved(u) = &u.value
            {
                return Ok(Got::Opaque(Opaque {
                    reason: u.reason.clone(),
                    late: Late::No,
                }));
            }
            let Some(s) = tree::coerce_string(&node) else {
                return Err(ctx.err(
                    ctx.var_loc(v),
                    "String value consist of variable which resolve with non-string value",
                ));
            };
            pieces.push(text.get(last..v.start).unwrap_or("").to_owned());
            pieces.push(s);
            last = v.end;
        }
        pieces.push(text.get(last..).unwrap_or("").to_owned());
        let joined: String = pieces.concat();
        self.budget.charge(joined.len() / 32 + 1, ctx.loc)?;
        let parts: Vec<&str> = pieces.iter().map(String::as_str).collect();
        if let Some(new_vars) = self.reparse(ctx, &joined, &parts)? {
            let inner = ctx.unspanned(origin);
            return self.resolve_string(&inner, &joined, &new_vars, nest + 1, top, origin);
        }
        Ok(Got::Val(string_node(joined, ctx.loc)))
    }

    /// Variables in a resolved string: each part parsed on its own, so text
    /// joined from two parts never forms a variable
    /// (`resolveSourceValuesVariables`).
    fn reparse(
        &self,
        ctx: &Ctx,
        joined: &str,
        parts: &[&str],
    ) -> Result<Option<Vec<Var>>, VarError> {
        let mut base = 0;
        let mut out: Vec<Var> = Vec::new();
        for part in parts {
            match parse::parse(part) {
                Ok(Some(vars)) => {
                    for mut v in vars {
                        if v.whole {
                            v.start = 0;
                            v.end = part.len();
                        }
                        v.start += base;
                        v.end += base;
                        v.whole = false;
                        out.push(v);
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    return Err(ctx.err(
                        ctx.loc,
                        format!(
                            "Approached variable syntax error in resolved value \"{joined}\": {}",
                            e.message
                        ),
                    ));
                }
            }
            base += part.len();
        }
        if out.is_empty() {
            return Ok(None);
        }
        if let [v] = out.as_mut_slice()
            && v.start == 0
            && v.end == joined.len()
        {
            v.whole = true;
        }
        Ok(Some(out))
    }

    /// One variable: its sources in order until one has a value.
    fn resolve_variable(
        &mut self,
        ctx: &Ctx,
        v: &Var,
        srcs: &[Source],
        origin: &mut Vec<IncludeKey>,
    ) -> Result<Got, VarError> {
        let vloc = ctx.var_loc(v);
        let count = srcs.len();
        for (i, src) in srcs.iter().enumerate() {
            match src {
                Source::Literal(l) => {
                    if i == 0 {
                        // `${'x'}`: the framework has no source for it and
                        // leaves the text as it is.
                        return Ok(Got::Stuck);
                    }
                    return Ok(Got::Val(lit_node(l, ctx.loc)));
                }
                Source::Typed {
                    ty,
                    params,
                    address,
                } => {
                    let got = self.resolve_source(
                        ctx,
                        vloc,
                        src,
                        (ty, params.as_deref(), address.as_ref()),
                        origin,
                    )?;
                    let soft = match got {
                        Got::Val(n) if !n.is_null() => return Ok(Got::Val(n)),
                        Got::Val(_) => false,
                        Got::Null { soft } => soft,
                        other => return Ok(other),
                    };
                    if i + 1 < count {
                        continue;
                    }
                    if soft {
                        return Ok(Got::Opaque(Opaque {
                            reason: parse::source_text(src),
                            late: Late::No,
                        }));
                    }
                    let mut e = ctx.err(vloc, format!("Value not found at \"{ty}\" source"));
                    e.help = Some(match ty.as_str() {
                        "opt" => "pass the option (e.g. --stage dev) or add a fallback: ${opt:stage, 'dev'}".to_owned(),
                        "env" => "set the environment variable or add a fallback: ${env:NAME, 'default'}".to_owned(),
                        "file" => "the file does not exist (or has no such key); add a fallback: ${file(./x.yml), 'default'}".to_owned(),
                        _ => "add a fallback: ${source:address, 'default'}".to_owned(),
                    });
                    return Err(e);
                }
            }
        }
        Ok(Got::Null { soft: false })
    }

    /// Resolve a parameter or an address: its own variables, fully.
    fn resolve_meta(&mut self, ctx: &Ctx, m: &Meta) -> Result<Got, VarError> {
        match (&m.value, &m.variables) {
            (Lit::Str(s), Some(vars)) => {
                let got = self.resolve_string(ctx, s, vars, 0, false, &mut Vec::new())?;
                match got {
                    Got::Val(n) => self.resolve_internal(ctx, n, 0),
                    other => Ok(other),
                }
            }
            (l, _) => Ok(Got::Val(lit_node(l, ctx.loc))),
        }
    }

    /// `resolveInternalResult`: variables inside an object a parameter
    /// resolved to.
    fn resolve_internal(&mut self, ctx: &Ctx, mut node: Node, nest: u32) -> Result<Got, VarError> {
        if !matches!(node.value, Value::Map(_) | Value::Seq(_)) {
            return Ok(Got::Val(node));
        }
        if nest > MAX_NEST {
            return Err(ctx.err(ctx.loc, "Excessive variables nest depth"));
        }
        let mut leaves = Vec::new();
        tree::string_leaves(&node, &[], &mut leaves);
        for (p, text) in leaves {
            let vars = match parse::parse(&text) {
                Ok(Some(v)) => v,
                Ok(None) => continue,
                Err(e) => {
                    return Err(ctx.err(
                        ctx.loc,
                        format!(
                            "Approached variable syntax error in resolved value \"{text}\": {}",
                            e.message
                        ),
                    ));
                }
            };
            let inner = ctx.unspanned(&[]);
            let got =
                self.resolve_string(&inner, &text, &vars, nest + 1, false, &mut Vec::new())?;
            let value = match got {
                Got::Val(n) => match self.resolve_internal(ctx, n, nest + 1)? {
                    Got::Val(n) => n,
                    other => return Ok(other),
                },
                other => return Ok(other),
            };
            if let Some(slot) = tree::get_mut(&mut node, &p) {
                *slot = value;
            }
        }
        Ok(Got::Val(node))
    }

    fn resolve_source(
        &mut self,
        ctx: &Ctx,
        vloc: Loc,
        src: &Source,
        (ty, params, address): (&str, Option<&[Meta]>, Option<&Meta>),
        origin: &mut Vec<IncludeKey>,
    ) -> Result<Got, VarError> {
        if !STATIC_SOURCES.contains(&ty) {
            let late = if ty == "param" {
                Late::AfterInit
            } else {
                Late::Aws
            };
            return Ok(Got::Opaque(Opaque {
                reason: parse::source_text(src),
                late,
            }));
        }
        let mut param_values: Vec<Node> = Vec::new();
        for p in params.unwrap_or(&[]) {
            match self.resolve_meta(ctx, p)? {
                Got::Val(n) => param_values.push(n),
                Got::Null { .. } => param_values.push(Node::synthetic(Value::Null, ctx.loc)),
                other => return Ok(other),
            }
        }
        let address = match address {
            None => None,
            Some(m) => match self.resolve_meta(ctx, m)? {
                Got::Val(n) if n.is_null() => None,
                Got::Val(n) => Some(n),
                Got::Null { .. } => None,
                other => return Ok(other),
            },
        };
        let address_str = |n: &Option<Node>, what: &str| -> Result<Option<String>, VarError> {
            match n {
                None => Ok(None),
                Some(n) => match (&n.value, tree::coerce_string(n)) {
                    (Value::Seq(_), _) | (_, None) => Err(ctx.err(
                        vloc,
                        format!("Non-string address argument {what}: {}", tree::inspect(n)),
                    )),
                    (_, Some(s)) => Ok(Some(s)),
                },
            }
        };
        match ty {
            "self" => {
                let addr = address_str(&address, "in variable \"self\" source")?;
                let keys: Vec<String> = match addr.as_deref() {
                    None | Some("") => Vec::new(),
                    Some(a) => a.split('.').map(str::to_owned).collect(),
                };
                self.resolve_dependent(ctx, vloc, &keys)
            }
            "opt" => {
                let addr = address_str(&address, "in variable \"opt\" source")?;
                match addr.as_deref() {
                    None => Ok(Got::Opaque(Opaque {
                        reason: "opt:".to_owned(),
                        late: Late::No,
                    })),
                    Some("stage") => Ok(self
                        .opts
                        .stage
                        .clone()
                        .map_or(Got::Null { soft: false }, |s| {
                            Got::Val(string_node(s, ctx.loc))
                        })),
                    Some("region") => Ok(self
                        .opts
                        .region
                        .clone()
                        .map_or(Got::Null { soft: false }, |s| {
                            Got::Val(string_node(s, ctx.loc))
                        })),
                    Some(name) => {
                        if !CORE_OPTIONS.contains(&name) {
                            self.mark_early_pending();
                        }
                        Ok(Got::Null { soft: true })
                    }
                }
            }
            "env" => {
                let addr = address_str(&address, "in variable \"env\" source")?;
                let Some(name) = addr.filter(|a| !a.is_empty()) else {
                    return Err(
                        ctx.err(vloc, "Missing address argument in variable \"env\" source")
                    );
                };
                Ok(match &self.opts.env {
                    EnvSource::None => Got::Null { soft: true },
                    EnvSource::Map(m) => m.get(&name).map_or(Got::Null { soft: false }, |v| {
                        Got::Val(string_node(v.clone(), ctx.loc))
                    }),
                    EnvSource::Process => std::env::var_os(&name)
                        .map_or(Got::Null { soft: false }, |v| {
                            Got::Val(string_node(v.to_string_lossy().into_owned(), ctx.loc))
                        }),
                })
            }
            "sls" => {
                let addr = address_str(&address, "in variable \"sls\" source")?;
                match addr.as_deref() {
                    None | Some("") => {
                        Err(ctx.err(vloc, "Missing address argument in variable \"sls\" source"))
                    }
                    Some("instanceId") => Ok(Got::Opaque(Opaque {
                        reason: "sls:instanceId".to_owned(),
                        late: Late::AfterInit,
                    })),
                    Some("stage") => {
                        if let Some(s) = self.opts.stage.clone().filter(|s| !s.is_empty()) {
                            return Ok(Got::Val(string_node(s, ctx.loc)));
                        }
                        let keys = ["provider".to_owned(), "stage".to_owned()];
                        match self.resolve_dependent(ctx, vloc, &keys)? {
                            Got::Val(n) if n.truthy() => Ok(Got::Val(n)),
                            Got::Val(_) | Got::Null { .. } => {
                                Ok(Got::Val(string_node("dev".to_owned(), ctx.loc)))
                            }
                            other => Ok(other),
                        }
                    }
                    Some(a) => Err(ctx.err(
                        vloc,
                        format!("Unsupported \"{a}\" address argument in variable \"sls\" source"),
                    )),
                }
            }
            "strToBool" => {
                let Some(p) = param_values.first().filter(|p| !p.is_null()) else {
                    return Err(ctx.err(vloc, "Missing \"strToBool\" input"));
                };
                let raw = match (&p.value, tree::coerce_string(p)) {
                    (Value::Seq(_), _) | (_, None) => {
                        return Err(ctx.err(
                            vloc,
                            format!(
                                "Non-string \"strToBool\" input:. Received: {}",
                                tree::inspect(p)
                            ),
                        ));
                    }
                    (_, Some(s)) => s,
                };
                match raw.trim().to_lowercase().as_str() {
                    "true" | "1" => Ok(Got::Val(Node::synthetic(Value::Bool(true), ctx.loc))),
                    "false" | "0" => Ok(Got::Val(Node::synthetic(Value::Bool(false), ctx.loc))),
                    _ => Err(ctx.err(
                        vloc,
                        format!(
                            "Invalid \"strToBool\" input: Expected either \"true\", \"false\", \"0\", or \"1\". Received: {raw}"
                        ),
                    )),
                }
            }
            _ => {
                // file
                let Some(p) = param_values.first().filter(|p| p.truthy()) else {
                    return Err(ctx.err(vloc, "Missing path argument in variable \"file\" source"));
                };
                let path = match (&p.value, tree::coerce_string(p)) {
                    (Value::Seq(_), _) | (_, None) => {
                        return Err(ctx.err(
                            vloc,
                            format!(
                                "Non-string path argument in variable \"file\" source: {}",
                                tree::inspect(p)
                            ),
                        ));
                    }
                    (_, Some(s)) => s,
                };
                let addr = address_str(&address, "for variable \"file\" source")?;
                self.resolve_file(ctx, vloc, src, (&path, addr), origin)
            }
        }
    }

    fn resolve_file(
        &mut self,
        ctx: &Ctx,
        vloc: Loc,
        src: &Source,
        (path, address): (&str, Option<String>),
        origin: &mut Vec<IncludeKey>,
    ) -> Result<Got, VarError> {
        let key: IncludeKey = (self.files.identity(path), address.clone());
        if ctx.includes.contains(&key) {
            let mut chain: Vec<String> = ctx
                .includes
                .iter()
                .skip_while(|k| **k != key)
                .map(|(p, a)| include_text(&self.files, p, a.as_deref()))
                .collect();
            chain.push(include_text(&self.files, &key.0, key.1.as_deref()));
            let mut e = ctx.err(
                vloc,
                format!("Circular file include: {}", chain.join(" → ")),
            );
            e.help = Some("an included value includes itself again, without end".to_owned());
            return Err(e);
        }
        let content = match self.files.load(path, self.sources) {
            Ok(c) => c,
            Err(fe) => {
                let here = self.describe(vloc);
                let mut e = ctx.err(fe.loc.unwrap_or(vloc), fe.message);
                e.help = Some(match fe.help {
                    Some(h) if fe.loc.is_some() => format!("{h} (included from {here})"),
                    Some(h) => h,
                    None if fe.loc.is_some() => format!("included from {here}"),
                    None => "check the path; it is relative to the service directory".to_owned(),
                });
                return Err(e);
            }
        };
        let data = match content {
            Content::Missing => return Ok(Got::Null { soft: false }),
            Content::Code => {
                return Ok(Got::Opaque(Opaque {
                    reason: parse::source_text(src),
                    late: Late::No,
                }));
            }
            Content::Data(n) => n,
        };
        let mut current = data;
        if let Some(addr) = &address {
            for step in addr.split('.') {
                if let Value::String(s) = &current.value
                    && let Some(vars) = parse::parse(s).map_err(|e| {
                        ctx.err(
                            vloc,
                            format!(
                                "Approached variable syntax error in resolved value \"{s}\": {}",
                                e.message
                            ),
                        )
                    })?
                {
                    let s = s.clone();
                    let inner = ctx.unspanned(std::slice::from_ref(&key));
                    match self.resolve_string(&inner, &s, &vars, 0, false, &mut Vec::new())? {
                        Got::Val(n) => current = n,
                        Got::Null { .. } => return Ok(Got::Null { soft: false }),
                        other => return Ok(other),
                    }
                }
                match member(&current, step) {
                    Some(n) if !n.is_null() => current = n,
                    _ => return Ok(Got::Null { soft: false }),
                }
            }
        }
        self.budget.charge(tree::size(&current), vloc)?;
        origin.push(key);
        Ok(Got::Val(current))
    }

    fn describe(&self, loc: Loc) -> String {
        self.sources
            .files()
            .find(|(id, _)| *id == loc.file)
            .map_or_else(String::new, |(_, f)| {
                let lc = f.line_col(loc.start);
                format!("{}:{}:{}", f.path.display(), lc.line, lc.column)
            })
    }

    /// `resolveDependentProperty`: the value at `keys` in the configuration,
    /// resolving whatever lies on the way or inside first.
    fn resolve_dependent(
        &mut self,
        ctx: &Ctx,
        vloc: Loc,
        keys: &[String],
    ) -> Result<Got, VarError> {
        let mut path: Path = Vec::new();
        let mut detached: Option<Node> = None;
        if self.props.contains_key(&path) {
            // The whole document is one string with variables (`${self:}`
            // inside it is a cycle).
            self.depend(ctx, vloc, &path)?;
            match self.state(&path) {
                Some(State::Opaque(o)) => return Ok(Got::Opaque(o.clone())),
                Some(State::Stuck) => return Ok(Got::Stuck),
                Some(State::Failed(e)) => return Err(e.clone()),
                _ => {}
            }
        }
        for key in keys {
            if let Some(d) = &detached {
                match member(d, key) {
                    Some(n) if !n.is_null() => detached = Some(n),
                    _ => return Ok(Got::Null { soft: false }),
                }
                continue;
            }
            match tree::get(&self.root, &path) {
                None => return Ok(Got::Null { soft: false }),
                Some(n) if n.is_null() => return Ok(Got::Null { soft: false }),
                Some(_) => {}
            }
            let mut child = path.clone();
            child.push(key.clone());
            if self.props.contains_key(&child) {
                self.depend(ctx, vloc, &child)?;
                match self.state(&child) {
                    Some(State::Opaque(o)) => return Ok(Got::Opaque(o.clone())),
                    Some(State::Stuck) => return Ok(Got::Stuck),
                    Some(State::Failed(e)) => return Err(e.clone()),
                    _ => {}
                }
            }
            let Some(node) = tree::get(&self.root, &path) else {
                return Ok(Got::Null { soft: false });
            };
            match &node.value {
                Value::Map(m) if m.contains_key(key) => path = child,
                Value::Map(_) => return Ok(Got::Null { soft: false }),
                Value::Seq(items) => {
                    if index_key(key).is_some_and(|i| i < items.len()) {
                        path = child;
                    } else {
                        match member(node, key) {
                            Some(n) => detached = Some(n),
                            None => return Ok(Got::Null { soft: false }),
                        }
                    }
                }
                Value::String(_) => match member(node, key) {
                    Some(n) => detached = Some(n),
                    None => return Ok(Got::Null { soft: false }),
                },
                Value::Unresolved(u) => {
                    return Ok(Got::Opaque(Opaque {
                        reason: u.reason.clone(),
                        late: self.late_of(node.loc),
                    }));
                }
                _ => return Ok(Got::Null { soft: false }),
            }
        }
        if let Some(d) = detached {
            return Ok(if d.is_null() {
                Got::Null { soft: false }
            } else {
                Got::Val(d)
            });
        }
        let is_container = tree::get(&self.root, &path)
            .is_some_and(|n| matches!(n.value, Value::Map(_) | Value::Seq(_)));
        if is_container {
            // Everything inside must be resolved first.
            loop {
                let next = self
                    .props
                    .range::<Path, _>((Bound::Excluded(&path), Bound::Unbounded))
                    .take_while(|(p, _)| under(p, &path))
                    .find(|(_, prop)| matches!(prop.state, State::Pending | State::InProgress))
                    .map(|(p, _)| p.clone());
                let Some(next) = next else { break };
                self.depend(ctx, vloc, &next)?;
            }
            let inside: Vec<State> = self
                .props
                .range::<Path, _>((Bound::Excluded(&path), Bound::Unbounded))
                .take_while(|(p, _)| under(p, &path))
                .map(|(_, prop)| prop.state.clone())
                .collect();
            if self
                .props
                .range::<Path, _>((Bound::Excluded(&path), Bound::Unbounded))
                .take_while(|(p, _)| under(p, &path))
                .any(|(_, prop)| prop.early_pending)
            {
                self.mark_early_pending();
            }
            for s in inside {
                match s {
                    State::Failed(e) => return Err(e),
                    State::Stuck => return Ok(Got::Stuck),
                    _ => {}
                }
            }
        }
        let Some(node) = tree::get(&self.root, &path) else {
            return Ok(Got::Null { soft: false });
        };
        if node.is_null() {
            return Ok(Got::Null { soft: false });
        }
        if let Value::Unresolved(u) = &node.value {
            return Ok(Got::Opaque(Opaque {
                reason: u.reason.clone(),
                late: self.late_of(node.loc),
            }));
        }
        let copy = node.clone();
        self.budget.charge(tree::size(&copy), vloc)?;
        Ok(Got::Val(copy))
    }

    /// Make sure `dep` is resolved before `ctx.path` uses it.
    fn depend(&mut self, ctx: &Ctx, vloc: Loc, dep: &[String]) -> Result<(), VarError> {
        let r = match self.state(dep) {
            Some(State::InProgress) => return Err(self.cycle_error(ctx, vloc, dep)),
            Some(State::Pending) => self.resolve_property(dep),
            _ => Ok(()),
        };
        if self.props.get(dep).is_some_and(|p| p.early_pending) {
            self.mark_early_pending();
        }
        r
    }

    fn mark_early_pending(&mut self) {
        if let Some(t) = self.taint.last_mut() {
            *t = true;
        }
    }

    fn cycle_error(&self, ctx: &Ctx, vloc: Loc, dep: &[String]) -> VarError {
        let me = humanize(&ctx.path);
        if ctx.path == dep {
            let mut e = ctx.err(
                vloc,
                format!("Circular reference. \"{me}\" refers to itself"),
            );
            e.help = Some(
                "a value cannot be defined in terms of itself (or of a mapping that contains it)"
                    .to_owned(),
            );
            return e;
        }
        // The framework names the property and the one that led to it.
        let before = self
            .stack
            .len()
            .checked_sub(2)
            .and_then(|i| self.stack.get(i))
            .map_or_else(|| humanize(dep), |p| humanize(p));
        let start = self.stack.iter().position(|p| p == dep).unwrap_or(0);
        let mut chain: Vec<String> = self
            .stack
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .map(|p| humanize(p))
            .collect();
        chain.push(humanize(dep));
        let mut e = ctx.err(
            vloc,
            format!("Circular reference among \"{me}\" and \"{before}\" properties"),
        );
        e.help = Some(format!("the cycle: {}", chain.join(" → ")));
        e
    }
}

fn include_text(files: &Files, p: &std::path::Path, addr: Option<&str>) -> String {
    let rel = files.relative(p);
    match addr {
        Some(a) => format!("{rel}:{a}"),
        None => rel,
    }
}
