//! Route-addressed edit operations on a YAML document, turned into splices
//! that write new text in the file's own style: block or flow, the quote
//! character already used, the indentation step of the surrounding blocks,
//! the file's line ending.
//!
//! An operation names the place it changes by its route (`functions`,
//! `hello`, `events`, `0`, `http`, ...) in the parsed tree, and also says what
//! it does to the document's model ([`Op::apply_json`]): the caller re-parses
//! the edited text and compares, so an edit that does not do exactly what it
//! says is never written.
//!
//! Nothing here knows about Serverless.

use serde_json::Value as Json;

use super::EditError;
use super::text::{self, LineEnding, Quote, Splice};
use crate::source::node::is_array_index;
use crate::source::{Entry, FileId, Loc, Node, Style, Value};

/// One step of a route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// The key/index path from the document root to a node.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Route(pub Vec<Seg>);

impl Route {
    pub fn root() -> Self {
        Self(Vec::new())
    }

    /// This route extended by a mapping key.
    pub fn key(&self, k: impl Into<String>) -> Self {
        let mut r = self.clone();
        r.0.push(Seg::Key(k.into()));
        r
    }

    /// This route extended by a sequence index.
    pub fn index(&self, i: usize) -> Self {
        let mut r = self.clone();
        r.0.push(Seg::Index(i));
        r
    }

    pub fn segments(&self) -> &[Seg] {
        &self.0
    }
}

impl std::fmt::Display for Route {
    /// `functions.hello.events[0].http.async`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Seg::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A scalar to write.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
}

impl Scalar {
    pub fn str(s: impl Into<String>) -> Self {
        Scalar::Str(s.into())
    }

    pub fn to_json(&self) -> Json {
        match self {
            Scalar::Null => Json::Null,
            Scalar::Bool(b) => Json::Bool(*b),
            Scalar::Int(n) => Json::from(*n),
            Scalar::Str(s) => Json::String(s.clone()),
        }
    }
}

/// A value to write: a scalar or a mapping (written as a block or flow
/// mapping to match where it goes).
#[derive(Clone, Debug, PartialEq)]
pub enum NewValue {
    Scalar(Scalar),
    Map(Vec<(String, NewValue)>),
}

impl NewValue {
    pub fn to_json(&self) -> Json {
        match self {
            NewValue::Scalar(s) => s.to_json(),
            NewValue::Map(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// `{key: value}`.
    pub fn map1(key: impl Into<String>, value: NewValue) -> Self {
        NewValue::Map(vec![(key.into(), value)])
    }
}

impl From<Scalar> for NewValue {
    fn from(s: Scalar) -> Self {
        NewValue::Scalar(s)
    }
}

/// Where a new key goes among its siblings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Position {
    /// After the last key written in the mapping.
    End,
    /// Just before this key (above its own comment lines in a block mapping).
    Before(String),
    /// Just after this key's value (after a comment on its last line).
    After(String),
}

/// One edit.
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// Replace the scalar at `at`, keeping its quote style when the new value is a string.
    Replace { at: Route, value: Scalar },
    /// Add `key: value` to the mapping at `map`.
    Insert {
        map: Route,
        key: String,
        value: NewValue,
        position: Position,
    },
    /// Remove `key` (and its value) from the mapping at `map`.
    Remove { map: Route, key: String },
    /// Rename `from` to `to` in the mapping at `map`, keeping the value and the key's quoting.
    Rename {
        map: Route,
        from: String,
        to: String,
    },
    /// Replace the scalar at `at` with a mapping, written in the style of the
    /// mapping that holds it (block or flow).
    Expand { at: Route, value: NewValue },
}

impl Op {
    /// The route this operation is about (for messages).
    pub fn route(&self) -> Route {
        match self {
            Op::Replace { at, .. } | Op::Expand { at, .. } => at.clone(),
            Op::Insert { map, key, .. } | Op::Remove { map, key } => map.key(key.clone()),
            Op::Rename { map, from, .. } => map.key(from.clone()),
        }
    }

    /// A short name: `replace`, `insert`, `remove`, `rename`, `expand`.
    pub fn kind(&self) -> &'static str {
        match self {
            Op::Replace { .. } => "replace",
            Op::Insert { .. } => "insert",
            Op::Remove { .. } => "remove",
            Op::Rename { .. } => "rename",
            Op::Expand { .. } => "expand",
        }
    }

    /// What the operation does to the document's model.
    pub fn apply_json(&self, root: &mut Json) -> Result<(), EditError> {
        match self {
            Op::Replace { at, value } => {
                *json_at(root, at)? = value.to_json();
            }
            Op::Expand { at, value } => {
                *json_at(root, at)? = value.to_json();
            }
            Op::Insert {
                map, key, value, ..
            } => {
                json_object(root, map)?.insert(key.clone(), value.to_json());
            }
            Op::Remove { map, key } => {
                if json_object(root, map)?.shift_remove(key).is_none() {
                    return Err(EditError::new(format!("no key `{key}` at {map}")));
                }
            }
            Op::Rename { map, from, to } => {
                let obj = json_object(root, map)?;
                if !obj.contains_key(from) {
                    return Err(EditError::new(format!("no key `{from}` at {map}")));
                }
                let taken = std::mem::take(obj);
                for (k, v) in taken {
                    if &k == from {
                        obj.insert(to.clone(), v);
                    } else {
                        obj.insert(k, v);
                    }
                }
            }
        }
        Ok(())
    }
}

/// The model after `ops`.
pub fn expected_model(before: &Json, ops: &[Op]) -> Result<Json, EditError> {
    let mut out = before.clone();
    for op in ops {
        op.apply_json(&mut out)?;
    }
    Ok(out)
}

fn json_at<'a>(root: &'a mut Json, route: &Route) -> Result<&'a mut Json, EditError> {
    let mut cur = root;
    for seg in route.segments() {
        let next = match seg {
            Seg::Key(k) => cur.as_object_mut().and_then(|o| o.get_mut(k)),
            Seg::Index(i) => cur.as_array_mut().and_then(|a| a.get_mut(*i)),
        };
        cur = next.ok_or_else(|| EditError::new(format!("nothing at {route}")))?;
    }
    Ok(cur)
}

fn json_object<'a>(
    root: &'a mut Json,
    route: &Route,
) -> Result<&'a mut serde_json::Map<String, Json>, EditError> {
    json_at(root, route)?
        .as_object_mut()
        .ok_or_else(|| EditError::new(format!("{route} is not a mapping")))
}

/// One level of a resolved route: the node reached and the key that led to it.
#[derive(Clone, Copy, Debug)]
pub struct Step<'a> {
    pub node: &'a Node,
    /// The mapping key that leads to `node` (`None` for the root and sequence items).
    pub entry: Option<&'a Entry>,
}

/// A YAML text and its parsed tree, ready to plan edits.
#[derive(Debug)]
pub struct Document<'a> {
    pub text: &'a str,
    pub root: &'a Node,
    pub file: FileId,
    eol: LineEnding,
    quote: Quote,
    /// Every indentation step measured in the file (key → its block mapping's keys).
    steps: Vec<usize>,
    /// The same, per parent key name.
    steps_by_key: Vec<(String, usize)>,
}

impl<'a> Document<'a> {
    pub fn new(text: &'a str, root: &'a Node, file: FileId) -> Self {
        let mut doc = Self {
            text,
            root,
            file,
            eol: text::line_ending(text),
            quote: Quote::Single,
            steps: Vec::new(),
            steps_by_key: Vec::new(),
        };
        let (mut single, mut double) = (0, 0);
        doc.survey(root, &mut single, &mut double);
        doc.quote = Quote::from_counts(single, double);
        doc
    }

    /// The file's line ending.
    pub fn line_ending(&self) -> LineEnding {
        self.eol
    }

    /// The quote character the file prefers.
    pub fn quote(&self) -> Quote {
        self.quote
    }

    /// The most common indentation step of the file (2 when there is none).
    pub fn file_step(&self) -> usize {
        text::mode(&self.steps).unwrap_or(2)
    }

    fn survey(&mut self, node: &Node, single: &mut usize, double: &mut usize) {
        if node.loc.file != self.file {
            return;
        }
        match &node.value {
            Value::Map(m) => {
                for e in m {
                    if !self.is_own(node, e) {
                        continue;
                    }
                    if let Some(step) = self.measured_step(e) {
                        self.steps.push(step);
                        self.steps_by_key.push((e.key.clone(), step));
                    }
                    self.survey(&e.value, single, double);
                }
            }
            Value::Seq(items) => {
                for n in items {
                    if n.loc.start >= node.loc.start && n.loc.end <= node.loc.end {
                        self.survey(n, single, double);
                    }
                }
            }
            _ => match node.style {
                Style::SingleQuoted => *single += 1,
                Style::DoubleQuoted => *double += 1,
                _ => {}
            },
        }
    }

    /// Step from a key to the keys of its block-mapping value, when the value
    /// is written right there, on the following lines.
    fn measured_step(&self, e: &Entry) -> Option<usize> {
        let v = &e.value;
        if v.style != Style::Plain || v.as_map().is_none() || v.loc.file != self.file {
            return None;
        }
        if v.loc.start <= e.key_loc.end
            || text::line_start(self.text, v.loc.start) <= e.key_loc.end
            || !text::only_blank_before(self.text, v.loc.start)
        {
            return None;
        }
        let key_col = text::column(self.text, e.key_loc.start);
        let col = text::column(self.text, v.loc.start);
        col.checked_sub(key_col).filter(|s| *s > 0)
    }

    /// Is the entry written inside the mapping's own text (not merged in by `<<`)?
    pub fn is_own(&self, map: &Node, e: &Entry) -> bool {
        e.key_loc.file == map.loc.file
            && e.key_loc.start >= map.loc.start
            && e.key_loc.end <= map.loc.end
    }

    /// The entries written in the mapping's own text, in text order.
    pub fn own_entries(&self, map: &'a Node) -> Vec<&'a Entry> {
        let mut out: Vec<&Entry> = map
            .as_map()
            .map(|m| m.iter().filter(|e| self.is_own(map, e)).collect())
            .unwrap_or_default();
        out.sort_by_key(|e| e.key_loc.start);
        out
    }

    /// Every node from the root to `route`.
    pub fn resolve(&self, route: &Route) -> Result<Vec<Step<'a>>, EditError> {
        let mut steps = vec![Step {
            node: self.root,
            entry: None,
        }];
        let mut cur = self.root;
        for seg in route.segments() {
            let step = match seg {
                Seg::Key(k) => cur.as_map().and_then(|m| m.entry(k)).map(|e| Step {
                    node: &e.value,
                    entry: Some(e),
                }),
                Seg::Index(i) => cur.as_seq().and_then(|s| s.get(*i)).map(|n| Step {
                    node: n,
                    entry: None,
                }),
            };
            let Some(step) = step else {
                return Err(EditError::new(format!("nothing at {route}")).at(Some(cur.loc)));
            };
            cur = step.node;
            steps.push(step);
        }
        Ok(steps)
    }

    /// The node at `route`.
    pub fn node(&self, route: &Route) -> Result<&'a Node, EditError> {
        self.resolve(route)
            .map(|s| s.last().map_or(self.root, |st| st.node))
    }

    /// Plan every operation and apply them: the new text and the splices.
    pub fn edit(&self, ops: &[Op]) -> Result<(String, Vec<Splice>), EditError> {
        self.refuse_emptied_block_maps(ops)?;
        let mut splices: Vec<Splice> = Vec::new();
        // Removals from one flow mapping are planned together: the commas
        // between neighbouring entries depend on which of them go.
        let mut flow_removals: Vec<(Route, Vec<String>)> = Vec::new();
        for op in ops {
            if let Op::Remove { map, key } = op
                && self.node(map).is_ok_and(|n| n.style == Style::Flow)
            {
                match flow_removals.iter_mut().find(|(r, _)| r == map) {
                    Some((_, keys)) => keys.push(key.clone()),
                    None => flow_removals.push((map.clone(), vec![key.clone()])),
                }
                continue;
            }
            for s in self.plan(op)? {
                // The same edit reached twice (one anchored value, two routes) is made once.
                if !splices.contains(&s) {
                    splices.push(s);
                }
            }
        }
        for (map, keys) in &flow_removals {
            for s in self.plan_remove_flow(map, keys)? {
                // The same edit reached twice (one anchored value, two routes) is made once.
                if !splices.contains(&s) {
                    splices.push(s);
                }
            }
        }
        let mut splices = self.join_deletions(splices);
        // Insertions at one offset (where several block mappings end at
        // once): what continues the line first, then new lines from the
        // deepest mapping out, whatever order the operations came in.
        splices.sort_by_key(|s| (s.start, std::cmp::Reverse(insert_depth(s))));
        let out = text::apply(self.text, &splices)?;
        Ok((out, splices))
    }

    /// Removing every key of a block mapping (and inserting none) would
    /// leave its parent key with no value, which YAML reads as `null`, not
    /// as an empty mapping: refuse, naming the mapping.
    fn refuse_emptied_block_maps(&self, ops: &[Op]) -> Result<(), EditError> {
        let mut removed: Vec<(&Route, Vec<&str>)> = Vec::new();
        for op in ops {
            if let Op::Remove { map, key } = op {
                match removed.iter_mut().find(|(r, _)| *r == map) {
                    Some((_, keys)) if !keys.contains(&key.as_str()) => keys.push(key),
                    Some(_) => {}
                    None => removed.push((map, vec![key.as_str()])),
                }
            }
        }
        for (map, keys) in removed {
            let inserted = ops
                .iter()
                .any(|op| matches!(op, Op::Insert { map: m, .. } if m == map));
            let Ok(node) = self.node(map) else { continue };
            let Value::Map(m) = &node.value else { continue };
            if inserted || node.style == Style::Flow || keys.len() < m.len() {
                continue;
            }
            let mut e = EditError::new(format!(
                "the change would remove every key of `{map}` ({}), leaving it empty; nothing was written",
                keys.join(", ")
            ));
            e.loc = Some(node.loc);
            e.help = Some(
                "give it the keys it needs (an http event: `path` and `method`), then run the command again"
                    .to_owned(),
            );
            return Err(e);
        }
        Ok(())
    }

    /// Deletions that overlap or touch become one; a deletion of whole lines
    /// that reaches the end of a file without a final newline also takes the
    /// line break before it, so the file still ends without one.
    fn join_deletions(&self, splices: Vec<Splice>) -> Vec<Splice> {
        let (mut dels, mut out): (Vec<Splice>, Vec<Splice>) = splices
            .into_iter()
            .partition(|s| s.text.is_empty() && !s.is_insert());
        dels.sort_by_key(|s| (s.start, s.end));
        let mut joined: Vec<Splice> = Vec::new();
        for d in dels {
            match joined.last_mut() {
                Some(last) if d.start <= last.end => last.end = last.end.max(d.end),
                _ => joined.push(d),
            }
        }
        let len = self.text.len();
        let b = self.text.as_bytes();
        for d in &mut joined {
            if d.end == len
                && d.start > 0
                && !text::ends_with_newline(self.text)
                && text::line_start(self.text, d.start) == d.start
            {
                d.start -= 1;
                if d.start > 0 && b.get(d.start - 1) == Some(&b'\r') {
                    d.start -= 1;
                }
            }
        }
        out.extend(joined);
        out
    }

    /// The splices of one operation.
    pub fn plan(&self, op: &Op) -> Result<Vec<Splice>, EditError> {
        match op {
            Op::Replace { at, value } => self.plan_replace(at, value),
            Op::Insert {
                map,
                key,
                value,
                position,
            } => self.plan_insert(map, key, value, position),
            Op::Remove { map, key } => self.plan_remove(map, key),
            Op::Rename { map, from, to } => self.plan_rename(map, from, to),
            Op::Expand { at, value } => self.plan_expand(at, value),
        }
    }

    fn in_flow(steps: &[Step<'_>]) -> bool {
        steps.iter().any(|s| s.node.style == Style::Flow)
    }

    fn check_here(&self, node: &Node, route: &Route) -> Result<(), EditError> {
        if node.loc.file != self.file {
            return Err(EditError::new(format!(
                "{route} is defined in another file (a `${{file(...)}}` include)"
            ))
            .at(Some(node.loc)));
        }
        if node.style == Style::Synthetic {
            return Err(EditError::new(format!(
                "{route} is not written as plain YAML here (a tag, a variable or a computed value)"
            ))
            .at(Some(node.loc)));
        }
        if node.loc.end > self.text.len() || node.loc.start > node.loc.end {
            return Err(EditError::new(format!("{route} has no place in the text")));
        }
        Ok(())
    }

    /// The text range of a scalar, quotes included.
    pub fn scalar_range(&self, node: &Node) -> (usize, usize) {
        let b = self.text.as_bytes();
        let (mut s, mut e) = (node.loc.start, node.loc.end);
        let q = match node.style {
            Style::SingleQuoted => Some(b'\''),
            Style::DoubleQuoted => Some(b'"'),
            _ => None,
        };
        if let Some(q) = q {
            if b.get(s) != Some(&q) && s > 0 && b.get(s - 1) == Some(&q) {
                s -= 1;
            }
            if (e <= s + 1 || b.get(e - 1) != Some(&q)) && b.get(e) == Some(&q) {
                e += 1;
            }
        }
        (s, e)
    }

    /// Where the text of an entry's value ends (for an alias: the `*name` token).
    pub fn value_end(&self, map: &Node, e: &Entry) -> usize {
        let v = &e.value;
        let written_here = v.loc.file == self.file
            && v.loc.start >= e.key_loc.end
            && v.loc.end <= map.loc.end.max(e.key_loc.end)
            && v.loc.end >= v.loc.start;
        if written_here {
            return match v.style {
                Style::SingleQuoted | Style::DoubleQuoted => self.scalar_range(v).1,
                _ => v.loc.end,
            };
        }
        // An alias (the node's place is the anchor's): scan `: *name`.
        let b = self.text.as_bytes();
        let mut i = e.key_loc.end;
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if b.get(i) == Some(&b':') {
            i += 1;
        }
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if b.get(i) == Some(&b'*') {
            while let Some(&c) = b.get(i) {
                if matches!(c, b' ' | b'\t' | b'\r' | b'\n' | b',' | b']' | b'}') {
                    break;
                }
                i += 1;
            }
            return i;
        }
        let line = text::line_at(self.text, e.key_loc.end);
        let ls = text::line_start(self.text, e.key_loc.end);
        let from = e.key_loc.end.saturating_sub(ls);
        let content = text::comment_start(line, from).unwrap_or(line.len());
        ls + line
            .get(..content)
            .map_or(content, |s| s.trim_end().len())
            .max(from)
    }

    fn own_entry(&self, map: &'a Node, key: &str, route: &Route) -> Result<&'a Entry, EditError> {
        let Some(e) = map.as_map().and_then(|m| m.entry(key)) else {
            return Err(EditError::new(format!("no key `{key}` at {route}")).at(Some(map.loc)));
        };
        if !self.is_own(map, e) {
            return Err(EditError::new(format!(
                "`{key}` at {route} comes from a `<<` merge; it is defined elsewhere"
            ))
            .at(Some(e.key_loc))
            .help("change it where the merged mapping is defined, or override it by hand"));
        }
        Ok(e)
    }

    fn block_map(&self, steps: &[Step<'a>], route: &Route) -> Result<&'a Node, EditError> {
        let node = steps.last().map_or(self.root, |s| s.node);
        self.check_here(node, route)?;
        if node.as_map().is_none() {
            return Err(
                EditError::new(format!("{route} is {}, not a mapping", node.type_name()))
                    .at(Some(node.loc)),
            );
        }
        Ok(node)
    }

    fn plan_replace(&self, at: &Route, value: &Scalar) -> Result<Vec<Splice>, EditError> {
        let steps = self.resolve(at)?;
        let node = steps.last().map_or(self.root, |s| s.node);
        self.check_here(node, at)?;
        if matches!(node.value, Value::Map(_) | Value::Seq(_)) {
            return Err(
                EditError::new(format!("{at} is {}, not a scalar", node.type_name()))
                    .at(Some(node.loc)),
            );
        }
        let flow = Self::in_flow(&steps);
        let keep = match node.style {
            Style::SingleQuoted => Some(Quote::Single),
            Style::DoubleQuoted => Some(Quote::Double),
            _ => None,
        };
        let parent = steps
            .len()
            .checked_sub(2)
            .and_then(|i| steps.get(i))
            .map_or(self.root, |st| st.node);
        let mut new = self.scalar_text(value, keep, flow, &self.local(parent));
        let (s, e) = self.scalar_range(node);
        if s == e {
            // `key:` with nothing after the colon.
            new.insert(0, ' ');
        }
        Ok(vec![Splice::replace(s, e, new)])
    }

    fn plan_insert(
        &self,
        route: &Route,
        key: &str,
        value: &NewValue,
        position: &Position,
    ) -> Result<Vec<Splice>, EditError> {
        let steps = self.resolve(route)?;
        let map = self.block_map(&steps, route)?;
        if let Some(e) = map.as_map().and_then(|m| m.entry(key))
            && self.is_own(map, e)
        {
            return Err(
                EditError::new(format!("{route} already has a key `{key}`")).at(Some(e.key_loc))
            );
        }
        let own = self.own_entries(map);
        if map.style == Style::Flow {
            return self.plan_insert_flow(map, &own, key, value, position, route);
        }
        let col = text::column(self.text, map.loc.start);
        if !text::only_blank_before(self.text, map.loc.start) && !self.after_dash(map.loc.start) {
            return Err(EditError::new(format!(
                "{route}: the mapping does not start its own line; cannot add a key to it"
            ))
            .at(Some(map.loc)));
        }
        let eol = text::line_ending_at(self.text, map.loc.start).as_str();
        let step = self.child_step(&steps, Some(key));
        let entry = self.block_entry(key, value, col, step, eol, &self.local(map));
        let indent = " ".repeat(col);
        let after = |e: &Entry| -> Splice {
            let end = self.value_end(map, e);
            Splice::insert(
                text::line_end(self.text, end),
                format!("{eol}{indent}{entry}"),
            )
        };
        let at_end = || -> Splice {
            match own.last() {
                Some(last) => {
                    let end = self.value_end(map, last).max(map.loc.end);
                    Splice::insert(
                        text::line_end(self.text, end),
                        format!("{eol}{indent}{entry}"),
                    )
                }
                None => Splice::insert(
                    text::line_end(self.text, map.loc.end),
                    format!("{eol}{indent}{entry}"),
                ),
            }
        };
        let splice = match position {
            Position::End => at_end(),
            Position::After(k) => match own.iter().find(|e| &e.key == k) {
                Some(e) => after(e),
                None => at_end(),
            },
            Position::Before(k) => match own.iter().find(|e| &e.key == k) {
                Some(e) if text::only_blank_before(self.text, e.key_loc.start) => {
                    let mut at = text::line_start(self.text, e.key_loc.start);
                    // Stay above the comment lines that introduce the key.
                    while at > 0 {
                        let prev = text::line_start(self.text, at - 1);
                        let line = text::line_at(self.text, prev);
                        if text::is_comment_line(line) && text::indent_of(line) == col {
                            at = prev;
                        } else {
                            break;
                        }
                    }
                    Splice::insert(at, format!("{indent}{entry}{eol}"))
                }
                _ => at_end(),
            },
        };
        Ok(vec![splice])
    }

    /// Is `offset` the first thing after a block sequence's `- ` on its line?
    fn after_dash(&self, offset: usize) -> bool {
        let ls = text::line_start(self.text, offset);
        self.text.get(ls..offset).is_some_and(|s| {
            let t = s.trim_start_matches('\u{feff}').trim_start_matches(' ');
            !t.is_empty() && t.split_whitespace().all(|w| w == "-")
        })
    }

    fn plan_insert_flow(
        &self,
        map: &Node,
        own: &[&Entry],
        key: &str,
        value: &NewValue,
        position: &Position,
        route: &Route,
    ) -> Result<Vec<Splice>, EditError> {
        let b = self.text.as_bytes();
        if b.get(map.loc.start) != Some(&b'{') {
            return Err(EditError::new(format!(
                "{route}: cannot find the `{{` of the flow mapping"
            ))
            .at(Some(map.loc)));
        }
        let l = self.local(map);
        let entry = format!(
            "{}: {}",
            self.key_text(key, true, &l),
            self.flow_value(value, &l)
        );
        let at_end = || -> Splice {
            match own.last() {
                Some(last) => Splice::insert(self.value_end(map, last), format!(", {entry}")),
                None => {
                    let inner = self
                        .text
                        .get(map.loc.start + 1..map.loc.end.saturating_sub(1))
                        .unwrap_or("");
                    let empty = inner.lines().all(text::is_blank_or_comment);
                    if empty {
                        Splice::insert(map.loc.start + 1, entry.clone())
                    } else {
                        Splice::insert(map.loc.start + 1, format!("{entry}, "))
                    }
                }
            }
        };
        let splice = match position {
            Position::End => at_end(),
            Position::After(k) => match own.iter().find(|e| &e.key == k) {
                Some(e) => Splice::insert(self.value_end(map, e), format!(", {entry}")),
                None => at_end(),
            },
            Position::Before(k) => match own.iter().find(|e| &e.key == k) {
                Some(e) => Splice::insert(e.key_loc.start, format!("{entry}, ")),
                None => at_end(),
            },
        };
        Ok(vec![splice])
    }

    fn plan_remove(&self, route: &Route, key: &str) -> Result<Vec<Splice>, EditError> {
        let steps = self.resolve(route)?;
        let map = self.block_map(&steps, route)?;
        let e = self.own_entry(map, key, route)?;
        let end = self.value_end(map, e);
        if map.style == Style::Flow {
            return self.plan_remove_flow(route, &[key.to_owned()]);
        }
        let own = self.own_entries(map);
        if own.len() <= 1 && map.as_map().is_some_and(|m| m.len() <= 1) {
            return Err(
                EditError::new(format!("removing `{key}` would leave {route} empty"))
                    .at(Some(e.key_loc))
                    .help("remove the mapping itself instead"),
            );
        }
        if !text::only_blank_before(self.text, e.key_loc.start) {
            return Err(EditError::new(format!(
                "`{key}` at {route} shares its line with other text; cannot remove it line by line"
            ))
            .at(Some(e.key_loc)));
        }
        let start = text::line_start(self.text, e.key_loc.start);
        let stop = text::next_line_start(self.text, end);
        // Whole lines; [`Document::edit`] joins neighbouring deletions and
        // keeps a missing final newline missing.
        Ok(vec![Splice::delete(start, stop)])
    }

    /// Remove `keys` from the flow mapping at `route`: each run of removed
    /// neighbours goes with the separator before the next kept entry, or,
    /// when it ends the mapping, with the one after the previous kept entry.
    fn plan_remove_flow(&self, route: &Route, keys: &[String]) -> Result<Vec<Splice>, EditError> {
        let steps = self.resolve(route)?;
        let map = self.block_map(&steps, route)?;
        let own = self.own_entries(map);
        let mut gone = vec![false; own.len()];
        for key in keys {
            let e = self.own_entry(map, key, route)?;
            if let Some(i) = own.iter().position(|x| std::ptr::eq(*x, e)) {
                gone[i] = true;
            }
        }
        let mut out = Vec::new();
        let mut i = 0;
        while i < own.len() {
            if !gone[i] {
                i += 1;
                continue;
            }
            let mut j = i;
            while gone.get(j + 1) == Some(&true) {
                j += 1;
            }
            let (Some(first), Some(last)) = (own.get(i), own.get(j)) else {
                break;
            };
            let run_end = self.value_end(map, last);
            match (own.get(j + 1), i.checked_sub(1).and_then(|p| own.get(p))) {
                (Some(next), _) => {
                    out.push(Splice::delete(first.key_loc.start, next.key_loc.start))
                }
                (None, Some(prev)) => out.push(Splice::delete(self.value_end(map, prev), run_end)),
                (None, None) => out.push(Splice::delete(first.key_loc.start, run_end)),
            }
            i = j + 1;
        }
        Ok(out)
    }

    fn plan_rename(&self, route: &Route, from: &str, to: &str) -> Result<Vec<Splice>, EditError> {
        let steps = self.resolve(route)?;
        let map = self.block_map(&steps, route)?;
        let e = self.own_entry(map, from, route)?;
        if let Some(other) = map.as_map().and_then(|m| m.entry(to)) {
            return Err(
                EditError::new(format!("{route} already has a key `{to}`")).at(Some(other.key_loc))
            );
        }
        let old = self.text.get(e.key_loc.range()).unwrap_or("");
        let flow = Self::in_flow(&steps);
        let new = if old.starts_with('\'') {
            quote(to, Quote::Single)
        } else if old.starts_with('"') {
            quote(to, Quote::Double)
        } else {
            self.key_text(to, flow, &self.local(map))
        };
        Ok(vec![Splice::replace(e.key_loc.start, e.key_loc.end, new)])
    }

    fn plan_expand(&self, at: &Route, value: &NewValue) -> Result<Vec<Splice>, EditError> {
        let steps = self.resolve(at)?;
        let node = steps.last().map_or(self.root, |s| s.node);
        self.check_here(node, at)?;
        let NewValue::Map(entries) = value else {
            return Err(EditError::new("internal error: expand takes a mapping"));
        };
        if matches!(node.value, Value::Map(_) | Value::Seq(_)) || node.loc.is_empty() {
            return Err(EditError::new(format!("{at} is not a scalar")).at(Some(node.loc)));
        }
        let (s, e) = self.scalar_range(node);
        let parent = steps
            .len()
            .checked_sub(2)
            .and_then(|i| steps.get(i))
            .map_or(self.root, |st| st.node);
        let Some(entry) = steps.last().and_then(|st| st.entry) else {
            return Err(EditError::new(format!("{at} is not a mapping value")).at(Some(node.loc)));
        };
        if Self::in_flow(&steps) || parent.style == Style::Flow {
            return Ok(vec![Splice::replace(
                s,
                e,
                self.flow_value(value, &self.local(parent)),
            )]);
        }
        if !text::only_blank_before(self.text, entry.key_loc.start)
            && !self.after_dash(entry.key_loc.start)
        {
            return Err(EditError::new(format!(
                "{at}: the key does not start its line; cannot write a block mapping under it"
            ))
            .at(Some(entry.key_loc)));
        }
        let b = self.text.as_bytes();
        let mut from = s;
        while from > entry.key_loc.end && matches!(b.get(from - 1), Some(b' ' | b'\t')) {
            from -= 1;
        }
        let eol = text::line_ending_at(self.text, s).as_str();
        let key_col = text::column(self.text, entry.key_loc.start);
        let step = self.child_step(&steps[..steps.len().saturating_sub(1)], Some(&entry.key));
        let col = key_col + step;
        let indent = " ".repeat(col);
        let mut block = String::new();
        for (k, v) in entries {
            block.push_str(eol);
            block.push_str(&indent);
            block.push_str(&self.block_entry(k, v, col, step, eol, &self.local(parent)));
        }
        let line_end = text::line_end(self.text, e);
        Ok(vec![
            Splice::delete(from, e),
            Splice::insert(line_end, block),
        ])
    }

    /// The indentation step for the keys of a new block mapping under `key`,
    /// inside the mapping at the end of `steps`: the step the file uses for
    /// the same key elsewhere, else the nearest enclosing block's, else the
    /// file's most common, else 2.
    fn child_step(&self, steps: &[Step<'_>], key: Option<&str>) -> usize {
        if let Some(k) = key {
            let same: Vec<usize> = self
                .steps_by_key
                .iter()
                .filter(|(name, _)| name == k)
                .map(|(_, s)| *s)
                .collect();
            if let Some(s) = text::mode(&same) {
                return s;
            }
        }
        // Siblings: blocks under the keys of the target mapping.
        if let Some(target) = steps.last() {
            let inner: Vec<usize> = self
                .own_entries(target.node)
                .iter()
                .filter_map(|e| self.measured_step(e))
                .collect();
            if let Some(s) = text::mode(&inner) {
                return s;
            }
        }
        for st in steps.iter().rev() {
            if let Some(e) = st.entry
                && let Some(s) = self.measured_step(e)
            {
                return s;
            }
        }
        self.file_step()
    }

    /// `key: value` for a block mapping whose keys sit at column `col`.
    fn block_entry(
        &self,
        key: &str,
        value: &NewValue,
        col: usize,
        step: usize,
        eol: &str,
        l: &Local,
    ) -> String {
        let k = self.key_text(key, false, l);
        match value {
            NewValue::Scalar(s) => format!("{k}: {}", self.scalar_text(s, None, false, l)),
            NewValue::Map(entries) if entries.is_empty() => format!("{k}: {{}}"),
            NewValue::Map(entries) => {
                let inner_step = self.step_for_key(key).unwrap_or(step);
                let inner_col = col + inner_step;
                let indent = " ".repeat(inner_col);
                let mut out = format!("{k}:");
                for (ck, cv) in entries {
                    out.push_str(eol);
                    out.push_str(&indent);
                    out.push_str(&self.block_entry(ck, cv, inner_col, inner_step, eol, l));
                }
                out
            }
        }
    }

    fn step_for_key(&self, key: &str) -> Option<usize> {
        let same: Vec<usize> = self
            .steps_by_key
            .iter()
            .filter(|(name, _)| name == key)
            .map(|(_, s)| *s)
            .collect();
        text::mode(&same)
    }

    /// A value in flow style: `{a: b, c: {d: ''}}`.
    fn flow_value(&self, value: &NewValue, l: &Local) -> String {
        match value {
            NewValue::Scalar(s) => self.scalar_text(s, None, true, l),
            NewValue::Map(entries) => {
                let inner: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| {
                        format!("{}: {}", self.key_text(k, true, l), self.flow_value(v, l))
                    })
                    .collect();
                format!("{{{}}}", inner.join(", "))
            }
        }
    }

    fn key_text(&self, key: &str, flow: bool, l: &Local) -> String {
        if let Some(q) = l.key {
            quote(key, q)
        } else if is_array_index(key) || !needs_quotes(key, flow) {
            key.to_owned()
        } else {
            quote(key, l.value)
        }
    }

    /// How the keys and strings of a mapping are quoted: new keys are quoted
    /// like its keys when they all are; new strings that need quotes use the
    /// quote its values use most (the file's when none is quoted).
    fn local(&self, map: &Node) -> Local {
        let own = self.own_entries(map);
        let first = |e: &&Entry| self.text.as_bytes().get(e.key_loc.start).copied();
        let key = if own.is_empty() {
            None
        } else if own.iter().all(|e| first(e) == Some(b'"')) {
            Some(Quote::Double)
        } else if own.iter().all(|e| first(e) == Some(b'\'')) {
            Some(Quote::Single)
        } else {
            None
        };
        let (mut single, mut double) = (0, 0);
        for e in &own {
            match e.value.style {
                Style::SingleQuoted if e.value.loc.file == self.file => single += 1,
                Style::DoubleQuoted if e.value.loc.file == self.file => double += 1,
                _ => {}
            }
        }
        let value = if single + double == 0 {
            self.quote
        } else {
            Quote::from_counts(single, double)
        };
        Local { key, value }
    }

    /// A scalar's text: `keep` forces a quote style for strings.
    fn scalar_text(&self, s: &Scalar, keep: Option<Quote>, flow: bool, l: &Local) -> String {
        match s {
            Scalar::Null => "null".to_owned(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Int(n) => n.to_string(),
            Scalar::Str(v) => match keep {
                Some(q) => quote(v, q),
                None if needs_quotes(v, flow) => quote(v, l.value),
                None => v.clone(),
            },
        }
    }
}

/// The quoting of the place new text goes.
#[derive(Clone, Copy, Debug)]
struct Local {
    /// Every key of the mapping is quoted with this.
    key: Option<Quote>,
    /// For strings that need quotes.
    value: Quote,
}

/// Would a plain scalar `s` be read back as anything but this string?
/// Conservative: when in doubt, quote.
pub fn needs_quotes(s: &str, flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return true;
    };
    if s.trim() != s || s.chars().any(|c| c.is_control()) {
        return true;
    }
    if "-?:,[]{}#&*!|>'\"%@`=~<".contains(first) {
        return true;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return true;
    }
    if flow && s.contains([',', '[', ']', '{', '}']) {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
    ) {
        return true;
    }
    // Anything that starts like a number, a date or a special float.
    first.is_ascii_digit() || first == '+' || first == '.'
}

/// `s` in single or double quotes.
pub fn quote(s: &str, q: Quote) -> String {
    match q {
        Quote::Single if !s.chars().any(|c| c.is_control()) => {
            format!("'{}'", s.replace('\'', "''"))
        }
        _ => {
            let mut out = String::from("\"");
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\r' => out.push_str("\\r"),
                    c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
    }
}

/// The place an edit touches, for messages.
/// How deep an insertion of new lines is indented (`usize::MAX` for one
/// that continues the current line, or that is not an insertion).
fn insert_depth(s: &Splice) -> usize {
    if !s.is_insert() {
        return usize::MAX;
    }
    match s
        .text
        .strip_prefix("\r\n")
        .or_else(|| s.text.strip_prefix('\n'))
    {
        Some(rest) => rest.len() - rest.trim_start_matches(' ').len(),
        None => usize::MAX,
    }
}

pub fn splice_loc(file: FileId, s: &Splice) -> Loc {
    Loc::new(file, s.start, s.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceMap;
    use crate::source::yaml::{Dialect, parse_yaml};

    /// Apply `ops` to `text` through a [`Document`].
    fn edit(text: &str, ops: &[Op]) -> Result<String, EditError> {
        let mut sources = SourceMap::new();
        let file = sources.add("t.yml".into(), text.to_owned());
        let parsed =
            parse_yaml(text, file, Dialect::JsYaml4).map_err(|e| EditError::new(e.message))?;
        let doc = Document::new(text, &parsed.root, file);
        doc.edit(ops).map(|(t, _)| t)
    }

    fn remove(map: &[&str], keys: &[&str]) -> Vec<Op> {
        let mut route = Route::root();
        for k in map {
            route = route.key(*k);
        }
        keys.iter()
            .map(|k| Op::Remove {
                map: route.clone(),
                key: (*k).to_owned(),
            })
            .collect()
    }

    #[test]
    fn flow_removals_take_the_right_commas() {
        let t = "a: {k1: 1, k2: 2, k3: 3, k4: 4}\n";
        let cases: [(&[&str], &str); 6] = [
            (&["k1"], "a: {k2: 2, k3: 3, k4: 4}\n"),
            (&["k1", "k2"], "a: {k3: 3, k4: 4}\n"),
            (&["k2", "k3"], "a: {k1: 1, k4: 4}\n"),
            (&["k3", "k4"], "a: {k1: 1, k2: 2}\n"),
            (&["k2", "k4"], "a: {k1: 1, k3: 3}\n"),
            (&["k1", "k2", "k3", "k4"], "a: {}\n"),
        ];
        for (keys, want) in cases {
            assert_eq!(
                edit(t, &remove(&["a"], keys)).ok().as_deref(),
                Some(want),
                "{keys:?}"
            );
        }
    }

    #[test]
    fn removing_the_last_lines_keeps_a_missing_final_newline_missing() {
        let t = "a:\n  b: 1\n  c: 2\n  d:\n    e: 3";
        assert_eq!(
            edit(t, &remove(&["a"], &["c", "d"])).ok().as_deref(),
            Some("a:\n  b: 1")
        );
        let crlf = "a:\r\n  b: 1\r\n  c: 2";
        assert_eq!(
            edit(crlf, &remove(&["a"], &["c"])).ok().as_deref(),
            Some("a:\r\n  b: 1")
        );
        // With a final newline, whole lines go.
        assert_eq!(
            edit("a:\n  b: 1\n  c: 2\n", &remove(&["a"], &["c"]))
                .ok()
                .as_deref(),
            Some("a:\n  b: 1\n")
        );
    }

    #[test]
    fn new_keys_are_quoted_like_their_siblings() {
        let insert = |map: &str| Op::Insert {
            map: Route::root().key(map),
            key: "async".into(),
            value: NewValue::map1("x", Scalar::str("").into()),
            position: Position::End,
        };
        let t = "\"a\":\n  \"k\": 'v'\nb:\n  k: \"v\"\n";
        assert_eq!(
            edit(t, &[insert("a")]).ok().as_deref(),
            Some("\"a\":\n  \"k\": 'v'\n  \"async\":\n    \"x\": ''\nb:\n  k: \"v\"\n")
        );
        assert_eq!(
            edit(t, &[insert("b")]).ok().as_deref(),
            Some("\"a\":\n  \"k\": 'v'\nb:\n  k: \"v\"\n  async:\n    x: \"\"\n")
        );
    }
}
