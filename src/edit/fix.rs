//! `check --fix`: the rule catalogue's fixes applied through the editor, with
//! the editor's guarantees.
//!
//! Rules propose fixes as byte-range text edits ([`crate::rules::Fix`]). Each
//! edit is read as the one route-addressed operation ([`Op`]) it performs on
//! the document as written:
//!
//! * an edit inside one scalar's text (quotes included) replaces that scalar
//!   with the value its new text spells ([`Op::Replace`]);
//! * an edit inside one key's text renames the key ([`Op::Rename`]);
//! * a deletion that holds whole entries of a mapping removes them
//!   ([`Op::Remove`], one per outermost entry whose key it holds);
//! * an insertion of whole lines `key: value` at the indentation of a block
//!   mapping's keys, at a place inside that mapping's lines, adds the entries
//!   to it ([`Op::Insert`]).
//!
//! An edit that is none of these, or that touches a value written once and
//! used in several places (an anchor and its aliases), has no stated intent
//! and its fix is dropped.
//!
//! The invariant checked before anything is written: the edited text loads
//! again, and both its model as written and its resolved model equal the
//! model before with exactly those operations applied
//! (`expected_model(before, ops) == model(after)`). A fix whose result does not
//! load or does not give that model is dropped, with its rule and place.
//!
//! Rounds: the findings of the current text are collected, their fixes
//! ordered by position, fixes whose edits overlap an earlier one deferred to
//! the next round, each remaining fix proven on its own, then all of them
//! together (if the combination fails its proof, only the first is applied).
//! The text is loaded and checked again, until no fix is left or
//! [`MAX_ROUNDS`] rounds have applied something.

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value as Json;

use super::ops::{self, Document, NewValue, Op, Route, Scalar};
use super::text::{self, Splice};
use crate::diag::Failure;
use crate::lint::{self, LintOptions, LintResult};
use crate::load::{self, Config, LoadOptions};
use crate::model::Framework;
use crate::rules::{Applicability, Finding};
use crate::source::json::to_json;
use crate::source::yaml::{self, Dialect};
use crate::source::{Entry, Node, SourceMap, Style, Value};

/// Rounds that apply something before the engine gives up converging.
pub const MAX_ROUNDS: usize = 16;

/// Which fixes to apply.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FixSettings {
    /// Also the fixes marked unsafe.
    pub unsafe_fixes: bool,
}

/// One fix, applied or dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixRecord {
    pub code: &'static str,
    pub title: String,
    /// `file:line:col` of the finding, in the text the fix was computed on.
    pub place: String,
    /// Why it was dropped (`None` when applied).
    pub reason: Option<String>,
}

/// The result of fixing one file.
#[derive(Debug)]
pub struct FixRun {
    pub original: String,
    /// The text after every applied fix.
    pub text: String,
    pub applied: Vec<FixRecord>,
    pub dropped: Vec<FixRecord>,
    /// The final text, loaded.
    pub config: Config,
    /// The findings of the final text.
    pub lint: LintResult,
    /// Rounds that applied at least one fix.
    pub rounds: usize,
    /// `false` when [`MAX_ROUNDS`] was reached with fixes still pending.
    pub converged: bool,
    pub settings: FixSettings,
}

impl FixRun {
    pub fn changed(&self) -> bool {
        self.text != self.original
    }

    /// Remaining findings whose fix is unsafe and was not asked for.
    pub fn unsafe_available(&self) -> usize {
        if self.settings.unsafe_fixes {
            return 0;
        }
        self.lint
            .findings
            .iter()
            .filter(|f| {
                f.fix
                    .as_ref()
                    .is_some_and(|x| x.applicability == Applicability::Unsafe)
            })
            .count()
    }
}

/// Identity of a fix across rounds (offsets move; these do not).
type FixKey = (&'static str, String, String);

fn key_of(f: &Finding) -> FixKey {
    (
        f.code,
        f.message.clone(),
        f.fix.as_ref().map(|x| x.title.clone()).unwrap_or_default(),
    )
}

/// Apply the fixes of `text` (the content of `path`) until it is stable.
pub fn run(
    path: &Path,
    text: String,
    load_opts: &LoadOptions,
    lint_opts: &LintOptions,
    settings: FixSettings,
) -> Result<FixRun, Failure> {
    let original = text.clone();
    let mut config = load::load_text(path, text, load_opts)?;
    let mut result = lint::lint(&config, lint_opts);
    let mut applied = Vec::new();
    let mut dropped = Vec::new();
    let mut refused: HashSet<FixKey> = HashSet::new();
    let mut rounds = 0;
    let converged = loop {
        let mut candidates: Vec<&Finding> = result
            .findings
            .iter()
            .filter(|f| {
                f.fix.as_ref().is_some_and(|x| {
                    x.applicability == Applicability::Safe || settings.unsafe_fixes
                }) && !refused.contains(&key_of(f))
            })
            .collect();
        if candidates.is_empty() {
            break true;
        }
        if rounds == MAX_ROUNDS {
            break false;
        }
        candidates.sort_by_key(|f| first_edit(f));
        let mut round = Round {
            config: &config,
            load_opts,
            dropped: Vec::new(),
        };
        let outcome = round.run(&candidates);
        for d in round.dropped {
            refused.insert(d.0);
            dropped.push(d.1);
        }
        if let Some((after, fixed)) = outcome {
            rounds += 1;
            applied.extend(fixed);
            config = after;
            result = lint::lint(&config, lint_opts);
        }
    };
    let text = config.sources.file(config.file).text.clone();
    Ok(FixRun {
        original,
        text,
        applied,
        dropped,
        config,
        lint: result,
        rounds,
        converged,
        settings,
    })
}

fn first_edit(f: &Finding) -> (usize, usize) {
    f.fix
        .as_ref()
        .and_then(|x| x.edits.iter().map(|e| (e.loc.start, e.loc.end)).min())
        .unwrap_or((usize::MAX, usize::MAX))
}

/// Do two splices of the same text contradict each other?
fn conflict(a: &Splice, b: &Splice) -> bool {
    match (a.is_insert(), b.is_insert()) {
        (true, true) => a.start == b.start,
        (true, false) => b.start < a.start && a.start < b.end,
        (false, true) => a.start < b.start && b.start < a.end,
        (false, false) => a.start < b.end && b.start < a.end,
    }
}

struct Round<'c> {
    config: &'c Config,
    load_opts: &'c LoadOptions,
    dropped: Vec<(FixKey, FixRecord)>,
}

struct Chosen<'f> {
    finding: &'f Finding,
    splices: Vec<Splice>,
    ops: Vec<Op>,
}

impl Round<'_> {
    fn drop_fix(&mut self, f: &Finding, reason: impl Into<String>) {
        self.dropped.push((
            key_of(f),
            FixRecord {
                code: f.code,
                title: f.fix.as_ref().map(|x| x.title.clone()).unwrap_or_default(),
                place: self.config.sources.describe(f.primary.loc),
                reason: Some(reason.into()),
            },
        ));
    }

    fn record(&self, f: &Finding) -> FixRecord {
        FixRecord {
            code: f.code,
            title: f.fix.as_ref().map(|x| x.title.clone()).unwrap_or_default(),
            place: self.config.sources.describe(f.primary.loc),
            reason: None,
        }
    }

    /// Apply what can be applied this round: the loaded result and what was applied.
    fn run(&mut self, candidates: &[&Finding]) -> Option<(Config, Vec<FixRecord>)> {
        let config = self.config;
        let text = config.sources.file(config.file).text.as_str();
        let doc = Document::new(text, &config.raw, config.file);
        let index = Index::new(&config.raw, config.file);
        let dialect = if config.target.framework == Framework::V1 {
            Dialect::JsYaml3
        } else {
            Dialect::JsYaml4
        };
        let mut chosen: Vec<Chosen<'_>> = Vec::new();
        let mut duplicates: Vec<&Finding> = Vec::new();
        for &f in candidates {
            let Some(fix) = f.fix.as_ref() else { continue };
            if fix.edits.iter().any(|e| e.loc.file != config.file) {
                self.drop_fix(
                    f,
                    "it edits a file included with `${file(...)}`; --fix writes only the config itself",
                );
                continue;
            }
            if fix.edits.is_empty() {
                self.drop_fix(f, "it has no edits");
                continue;
            }
            let splices: Vec<Splice> = fix
                .edits
                .iter()
                .map(|e| Splice::replace(e.loc.start, e.loc.end, e.text.clone()))
                .collect();
            if chosen.iter().any(|c| c.splices == splices) {
                duplicates.push(f);
                continue;
            }
            let clash = chosen
                .iter()
                .flat_map(|c| c.splices.iter())
                .any(|a| splices.iter().any(|b| conflict(a, b)));
            if clash {
                // Deferred to the next round, against the text as it will be then.
                continue;
            }
            let intent = Intent {
                doc: &doc,
                index: &index,
                text,
                dialect,
                finding: f,
            };
            let ops = match intent.ops(&splices) {
                Ok(ops) => ops,
                Err(reason) => {
                    self.drop_fix(f, reason);
                    continue;
                }
            };
            chosen.push(Chosen {
                finding: f,
                splices,
                ops,
            });
        }
        if chosen.is_empty() {
            return None;
        }
        // All together first (one load); when that fails, each alone to find
        // the ones to drop, then the rest together again.
        let mut together = self.prove_all(&chosen);
        if together.is_err() {
            let mut kept = Vec::new();
            for c in chosen {
                let alone = text::apply(text, &c.splices)
                    .map_err(|e| e.message)
                    .and_then(|t| prove(config, &c.ops, t, self.load_opts));
                match alone {
                    Ok(_) => kept.push(c),
                    Err(reason) => self.drop_fix(c.finding, reason),
                }
            }
            chosen = kept;
            if chosen.is_empty() {
                return None;
            }
            together = self.prove_all(&chosen);
        }
        let mut records: Vec<FixRecord> = Vec::new();
        let after = match together {
            Ok(after) => {
                records.extend(chosen.iter().map(|c| self.record(c.finding)));
                records.extend(
                    duplicates
                        .iter()
                        .filter(|d| {
                            let s = d.fix.as_ref().map(|x| &x.edits);
                            chosen
                                .iter()
                                .any(|c| c.finding.fix.as_ref().map(|x| &x.edits) == s)
                        })
                        .map(|d| self.record(d)),
                );
                after
            }
            Err(_) => {
                // Each proven alone, not together: apply the first alone.
                let first = chosen.first()?;
                let t = text::apply(text, &first.splices).ok()?;
                let after = prove(config, &first.ops, t, self.load_opts).ok()?;
                records.push(self.record(first.finding));
                after
            }
        };
        Some((after, records))
    }
}

impl Round<'_> {
    fn prove_all(&self, chosen: &[Chosen<'_>]) -> Result<Config, String> {
        let text = self.config.sources.file(self.config.file).text.as_str();
        let splices: Vec<Splice> = chosen.iter().flat_map(|c| c.splices.clone()).collect();
        let ops: Vec<Op> = chosen.iter().flat_map(|c| c.ops.clone()).collect();
        text::apply(text, &splices)
            .map_err(|e| e.message)
            .and_then(|t| prove(self.config, &ops, t, self.load_opts))
    }
}

/// Load the edited text and compare its models with the intended ones.
fn prove(
    before: &Config,
    ops: &[Op],
    new_text: String,
    opts: &LoadOptions,
) -> Result<Config, String> {
    let after = load::load_text(&before.path, new_text, opts).map_err(|f| {
        format!(
            "the fixed file would not load: {}",
            f.fatal.message.lines().next().unwrap_or("")
        )
    })?;
    for (what, b, a) in [
        ("as written", &before.raw, &after.raw),
        ("resolved", &before.root, &after.root),
    ] {
        let expected = ops::expected_model(&to_json(b), ops).map_err(|e| e.message)?;
        let actual = to_json(a);
        if expected != actual {
            let at = super::intent::first_difference(&expected, &actual, &mut Vec::new())
                .unwrap_or_default();
            return Err(format!(
                "the fixed file would not be the intended change: `{at}` would differ (model {what})"
            ));
        }
    }
    Ok(after)
}

/// A node of the document as written, with its place in the tree.
struct Placed<'a> {
    route: Route,
    node: &'a Node,
    /// The mapping entry that leads to it, and that mapping.
    entry: Option<(&'a Entry, &'a Node)>,
}

/// Every node of the tree (aliases expanded: one node may have several routes).
struct Index<'a> {
    nodes: Vec<Placed<'a>>,
}

impl<'a> Index<'a> {
    fn new(root: &'a Node, file: crate::source::FileId) -> Self {
        let mut nodes = Vec::new();
        walk(root, Route::root(), None, file, &mut nodes);
        Self { nodes }
    }

    /// Every route whose node is written at the same place as `node`.
    fn routes_of(&self, node: &Node) -> Vec<&Route> {
        self.nodes
            .iter()
            .filter(|p| p.node.loc == node.loc && p.node.style == node.style)
            .map(|p| &p.route)
            .collect()
    }
}

fn walk<'a>(
    node: &'a Node,
    route: Route,
    entry: Option<(&'a Entry, &'a Node)>,
    file: crate::source::FileId,
    out: &mut Vec<Placed<'a>>,
) {
    match &node.value {
        Value::Map(m) => {
            for e in m {
                walk(
                    &e.value,
                    route.key(e.key.clone()),
                    Some((e, node)),
                    file,
                    out,
                );
            }
        }
        Value::Seq(items) => {
            for (i, n) in items.iter().enumerate() {
                walk(n, route.index(i), None, file, out);
            }
        }
        _ => {}
    }
    if node.loc.file == file {
        out.push(Placed { route, node, entry });
    }
}

/// Reads text edits as operations.
struct Intent<'x, 'a> {
    doc: &'x Document<'a>,
    index: &'x Index<'a>,
    text: &'a str,
    dialect: Dialect,
    finding: &'x Finding,
}

impl Intent<'_, '_> {
    fn ops(&self, splices: &[Splice]) -> Result<Vec<Op>, String> {
        let mut out = Vec::new();
        for s in splices {
            out.extend(self.op_of(s)?);
        }
        Ok(out)
    }

    fn unique<'r>(&self, routes: Vec<&'r Route>) -> Result<&'r Route, String> {
        match routes.as_slice() {
            [one] => Ok(one),
            [] => Err("it edits text the parsed document does not place".to_owned()),
            several => Err(format!(
                "it edits a value written once and used in {} places (a YAML anchor and its aliases, or a `<<` merge): {}",
                several.len(),
                several
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    fn op_of(&self, s: &Splice) -> Result<Vec<Op>, String> {
        if s.is_insert() {
            return self.insert_ops(s);
        }
        // Inside one scalar's text: replace the scalar.
        let scalar = self
            .index
            .nodes
            .iter()
            .filter(|p| {
                !matches!(p.node.value, Value::Map(_) | Value::Seq(_))
                    && p.node.style != Style::Synthetic
                    && !p.node.loc.is_empty()
            })
            .filter(|p| {
                let (a, b) = self.doc.scalar_range(p.node);
                a <= s.start && s.end <= b
            })
            .min_by_key(|p| p.node.loc.end - p.node.loc.start);
        if let Some(p) = scalar {
            let route = self.unique(self.index.routes_of(p.node))?;
            let (a, b) = self.doc.scalar_range(p.node);
            let new_src = format!(
                "{}{}{}",
                self.text.get(a..s.start).unwrap_or(""),
                s.text,
                self.text.get(s.end..b).unwrap_or("")
            );
            let value = self.parse_scalar(&new_src)?;
            return Ok(vec![Op::Replace {
                at: route.clone(),
                value,
            }]);
        }
        // Inside one key's text: rename it.
        let key = self.index.nodes.iter().find_map(|p| {
            let (e, map) = p.entry?;
            (e.key_loc.file == map.loc.file
                && e.key_loc.start <= s.start
                && s.end <= e.key_loc.end
                && self.doc.is_own(map, e))
            .then_some((e, map))
        });
        if let Some((e, map)) = key {
            let route = self.unique(self.index.routes_of(map))?;
            let new_src = format!(
                "{}{}{}",
                self.text.get(e.key_loc.start..s.start).unwrap_or(""),
                s.text,
                self.text.get(s.end..e.key_loc.end).unwrap_or("")
            );
            let to = self.parse_key(&new_src)?;
            return Ok(vec![Op::Rename {
                map: route.clone(),
                from: e.key.clone(),
                to,
            }]);
        }
        // A deletion of whole entries: remove them.
        if s.text.is_empty() {
            let mut held: Vec<(&Route, &Entry, &Node)> = Vec::new();
            for p in &self.index.nodes {
                let Some((e, map)) = p.entry else { continue };
                if e.key_loc.file == map.loc.file
                    && s.start <= e.key_loc.start
                    && e.key_loc.start < s.end
                    && self.doc.is_own(map, e)
                {
                    held.push((&p.route, e, map));
                }
            }
            // Only the outermost: an entry inside another removed entry goes with it.
            let outer: Vec<&(&Route, &Entry, &Node)> = held
                .iter()
                .filter(|(r, _, _)| {
                    !held.iter().any(|(o, _, _)| {
                        o.segments().len() < r.segments().len()
                            && r.segments().starts_with(o.segments())
                    })
                })
                .collect();
            if !outer.is_empty() {
                let mut ops = Vec::new();
                for (_, e, map) in outer {
                    let route = self.unique(self.index.routes_of(map))?;
                    ops.push(Op::Remove {
                        map: route.clone(),
                        key: e.key.clone(),
                    });
                }
                return Ok(ops);
            }
        }
        Err("the edit is not one of: a new value for a scalar, a new key name, the removal of whole entries, new entries".to_owned())
    }

    /// Whole lines `key: value` inserted among a block mapping's keys.
    fn insert_ops(&self, s: &Splice) -> Result<Vec<Op>, String> {
        let at = s.start;
        let b = self.text.as_bytes();
        let at_line_start = text::line_start(self.text, at) == at;
        let at_line_end = matches!(b.get(at), None | Some(b'\n' | b'\r'));
        let body = if at_line_start && s.text.ends_with('\n') {
            s.text.as_str()
        } else if at_line_end && (s.text.starts_with('\n') || s.text.starts_with("\r\n")) {
            s.text.trim_start_matches('\r').trim_start_matches('\n')
        } else {
            return Err("it inserts text that is not whole lines".to_owned());
        };
        let lines: Vec<&str> = body.lines().filter(|l| !l.trim().is_empty()).collect();
        let Some(first) = lines.first() else {
            return Err("it inserts only blank lines".to_owned());
        };
        let col = text::indent_of(first);
        if lines.iter().any(|l| text::indent_of(l) < col) {
            return Err("it inserts lines that are not one block".to_owned());
        }
        let dedented: String = lines
            .iter()
            .map(|l| format!("{}\n", l.get(col..).unwrap_or("").trim_end_matches('\r')))
            .collect();
        let parsed = self.parse(&dedented)?;
        let Some(entries) = parsed.as_map() else {
            return Err("it inserts lines that are not `key: value` entries".to_owned());
        };
        // The block mappings whose keys sit at that column and whose lines hold `at`.
        let mut maps: Vec<&Placed<'_>> = Vec::new();
        for p in &self.index.nodes {
            if p.node.style != Style::Plain || p.node.as_map().is_none() {
                continue;
            }
            let own = self.doc.own_entries(p.node);
            let (Some(first_key), Some(last)) = (own.first(), own.last()) else {
                continue;
            };
            if text::column(self.text, first_key.key_loc.start) != col {
                continue;
            }
            let from = text::line_start(self.text, first_key.key_loc.start);
            let end = own
                .iter()
                .map(|e| self.doc.value_end(p.node, e))
                .max()
                .unwrap_or(last.key_loc.end);
            let to = text::next_line_start(self.text, end);
            let within = (from <= at && at <= to) || at == text::line_end(self.text, end);
            if within && !maps.iter().any(|m| m.node.loc == p.node.loc) {
                maps.push(p);
            }
        }
        let primary = self.finding.primary.loc.start;
        let target = match maps.as_slice() {
            [] => {
                return Err(
                    "it inserts lines outside any block mapping at their indentation".to_owned(),
                );
            }
            [one] => *one,
            several => several
                .iter()
                .find(|m| m.node.loc.start <= primary && primary < m.node.loc.end)
                .or(several.first())
                .copied()
                .ok_or_else(|| "no mapping".to_owned())?,
        };
        let route = self.unique(self.index.routes_of(target.node))?;
        let mut ops = Vec::new();
        for e in entries {
            ops.push(Op::Insert {
                map: route.clone(),
                key: e.key.clone(),
                value: new_value(&to_json(&e.value))?,
                position: ops::Position::End,
            });
        }
        Ok(ops)
    }

    fn parse(&self, src: &str) -> Result<Node, String> {
        let mut sources = SourceMap::new();
        let id = sources.add("fix".into(), src.to_owned());
        yaml::parse_yaml(src, id, self.dialect)
            .map(|p| p.root)
            .map_err(|e| format!("its new text does not parse: {}", e.message))
    }

    fn parse_scalar(&self, src: &str) -> Result<Scalar, String> {
        let root = self.parse(&format!("v: {src}\n"))?;
        match root.get("v").map(to_json) {
            Some(j) => match new_value(&j)? {
                NewValue::Scalar(s) => Ok(s),
                NewValue::Map(_) => Err("its new text is a mapping, not a scalar".to_owned()),
            },
            None => Err("its new text is not one scalar".to_owned()),
        }
    }

    fn parse_key(&self, src: &str) -> Result<String, String> {
        let root = self.parse(&format!("{src}: x\n"))?;
        match root
            .as_map()
            .map(|m| m.iter().collect::<Vec<_>>())
            .as_deref()
        {
            Some([e]) => Ok(e.key.clone()),
            _ => Err("its new text is not one key".to_owned()),
        }
    }
}

/// A JSON value as something the editor can state.
fn new_value(j: &Json) -> Result<NewValue, String> {
    Ok(match j {
        Json::Null => Scalar::Null.into(),
        Json::Bool(b) => Scalar::Bool(*b).into(),
        Json::String(s) => Scalar::Str(s.clone()).into(),
        Json::Number(n) => match n.as_i64() {
            Some(i) => Scalar::Int(i).into(),
            None => return Err(format!("its new value {n} is not an integer")),
        },
        Json::Object(m) => NewValue::Map(
            m.iter()
                .map(|(k, v)| new_value(v).map(|nv| (k.clone(), nv)))
                .collect::<Result<_, _>>()?,
        ),
        Json::Array(_) => return Err("its new value is a list".to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Edit, Fix, FixKind, RuleMeta, Severity};
    use crate::source::Loc;

    static META: RuleMeta = RuleMeta {
        code: "SLS-TEST-001",
        name: "test-rule",
        severity: Severity::Warning,
        fix: FixKind::Safe,
        summary: "test",
        doc: "",
    };

    const TEXT: &str = "service: s\nprovider:\n  name: aws\ncustom:\n  shared: &s lambda\nfunctions:\n  a:\n    handler: h.a\n    events:\n      - http:\n          path: a\n          method: get\n          async: 'true' # keep\n          integration: *s\n      - http:\n          path: b\n          method: get\n";

    fn config(text: &str) -> Config {
        let loaded = load::load_text(
            Path::new("serverless.yml"),
            text.to_owned(),
            &LoadOptions::default(),
        );
        assert!(loaded.is_ok(), "{text}");
        let Ok(c) = loaded else { unreachable!() };
        c
    }

    fn finding(config: &Config, edits: &[(&str, &str)]) -> Finding {
        let text = &config.sources.file(config.file).text;
        let edits = edits
            .iter()
            .map(|(old, new)| {
                let start = text.find(old).unwrap_or(0);
                Edit {
                    loc: Loc::new(config.file, start, start + old.len()),
                    text: (*new).to_owned(),
                }
            })
            .collect();
        Finding::new(&META, "m", Loc::new(config.file, 0, 1), "l").fix(Fix {
            title: "t".into(),
            applicability: Applicability::Safe,
            edits,
        })
    }

    fn round(config: &Config, findings: &[&Finding]) -> (Option<String>, Vec<String>) {
        let opts = LoadOptions::default();
        let mut r = Round {
            config,
            load_opts: &opts,
            dropped: Vec::new(),
        };
        let out = r.run(findings);
        let reasons = r
            .dropped
            .into_iter()
            .filter_map(|(_, rec)| rec.reason)
            .collect();
        (
            out.map(|(c, _)| c.sources.file(c.file).text.clone()),
            reasons,
        )
    }

    #[test]
    fn a_scalar_edit_is_a_replace_and_is_applied() {
        let c = config(TEXT);
        let f = finding(&c, &[("'true'", "true")]);
        let (text, dropped) = round(&c, &[&f]);
        assert!(dropped.is_empty(), "{dropped:?}");
        assert_eq!(text, Some(TEXT.replace("'true'", "true")));
    }

    #[test]
    fn whole_lines_inserted_and_removed_are_entries() {
        let c = config(TEXT);
        let ins = finding(
            &c,
            &[(
                "          method: get\n          async",
                "          method: get\n          cors: true\n          async",
            )],
        );
        // Written as a replacement spanning two entries: not one of the four shapes.
        let (_, dropped) = round(&c, &[&ins]);
        assert_eq!(dropped.len(), 1);
        let at = TEXT.find("          async").unwrap_or(0);
        let mut ins = finding(&c, &[]);
        if let Some(fx) = ins.fix.as_mut() {
            fx.edits = vec![Edit {
                loc: Loc::new(c.file, at, at),
                text: "          cors: true\n".into(),
            }];
        }
        let (text, dropped) = round(&c, &[&ins]);
        assert!(dropped.is_empty(), "{dropped:?}");
        assert!(
            text.is_some_and(|t| t.contains("method: get\n          cors: true\n          async"))
        );
        let del = finding(&c, &[("          path: b\n", "")]);
        let (text, dropped) = round(&c, &[&del]);
        assert!(dropped.is_empty(), "{dropped:?}");
        assert!(text.is_some_and(|t| !t.contains("path: b")));
    }

    #[test]
    fn an_edit_that_breaks_the_file_is_dropped() {
        let c = config(TEXT);
        let f = finding(&c, &[("'true'", "'true")]);
        let (text, dropped) = round(&c, &[&f]);
        assert_eq!(text, None);
        assert_eq!(dropped.len(), 1);
        assert!(
            dropped[0].contains("does not parse") || dropped[0].contains("would not load"),
            "{dropped:?}"
        );
    }

    #[test]
    fn an_edit_with_side_effects_is_dropped() {
        let c = config(TEXT);
        // The new text of `async` also closes the mapping and adds a key.
        let f = finding(&c, &[("'true' # keep", "true\n          cors: true")]);
        let (text, dropped) = round(&c, &[&f]);
        assert_eq!(text, None);
        assert_eq!(dropped.len(), 1, "{dropped:?}");
    }

    #[test]
    fn an_anchored_value_is_not_edited_through_its_alias() {
        let c = config(TEXT);
        let f = finding(&c, &[("lambda", "lambda-proxy")]);
        let (text, dropped) = round(&c, &[&f]);
        assert_eq!(text, None);
        assert!(dropped[0].contains("used in 2 places"), "{dropped:?}");
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let c = config(TEXT);
        let a = finding(&c, &[("'true'", "true")]);
        let b = finding(&c, &[("'true' # keep", "false # keep")]);
        let opts = LoadOptions::default();
        let mut r = Round {
            config: &c,
            load_opts: &opts,
            dropped: Vec::new(),
        };
        let out = r.run(&[&a, &b]);
        assert!(r.dropped.is_empty());
        let Some((after, applied)) = out else {
            panic!("nothing applied");
        };
        assert_eq!(applied.len(), 1);
        assert!(
            after
                .sources
                .file(after.file)
                .text
                .contains("async: true # keep")
        );
    }

    #[test]
    fn conflicts_are_strict_overlaps_and_same_point_inserts() {
        let s = |a, b, t: &str| Splice::replace(a, b, t);
        assert!(conflict(&s(1, 4, ""), &s(3, 5, "")));
        assert!(!conflict(&s(1, 4, ""), &s(4, 5, "")));
        assert!(conflict(&s(2, 2, "x"), &s(2, 2, "y")));
        assert!(conflict(&s(2, 2, "x"), &s(1, 4, "")));
        assert!(!conflict(&s(1, 1, "x"), &s(1, 4, "")));
    }
}
