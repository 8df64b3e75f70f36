//! The JavaScript values the framework's compiler works on.
//!
//! The framework reads the configuration as plain JavaScript objects and
//! mutates them while it compiles (it trims paths, replaces `request`
//! parameters by their flattened form, fills in default status codes...).
//! [`Jv`] models exactly those values: `undefined` is a value of its own,
//! objects and arrays are *references* (a YAML alias or a `<<` merge shares
//! one object between events, and the framework's in-place changes show
//! through every use, as in JavaScript), objects enumerate in JavaScript
//! property order (array-index keys first, ascending, then insertion order)
//! and every operation that can throw in JavaScript returns the `TypeError`
//! Node.js 20 prints.
//!
//! Interior mutability never panics here: every borrow is short and taken
//! with `try_borrow`; nothing holds a borrow across a call.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value as Json;

use super::CompileError;
use crate::source::node::{is_array_index, js_number_to_string};
use crate::source::{Loc, Node, Value};

/// A JavaScript value.
#[derive(Clone, Debug, Default)]
pub(crate) enum Jv {
    #[default]
    Undef,
    Null,
    Bool(bool),
    Num(f64),
    /// Shared text: templates and names are copied into many resources.
    Str(Rc<str>),
    Arr(ArrRef),
    Obj(ObjRef),
}

/// Structural equality (for tests and comparisons of plain data).
impl PartialEq for Jv {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Jv::Undef, Jv::Undef) | (Jv::Null, Jv::Null) => true,
            (Jv::Bool(a), Jv::Bool(b)) => a == b,
            (Jv::Num(a), Jv::Num(b)) => a == b,
            (Jv::Str(a), Jv::Str(b)) => a == b,
            (Jv::Arr(a), Jv::Arr(b)) => a.same(b) || a.items() == b.items(),
            (Jv::Obj(a), Jv::Obj(b)) => a.same(b) || a.entries() == b.entries(),
            _ => false,
        }
    }
}

/// A reference to a JavaScript array.
#[derive(Clone, Debug, Default)]
pub(crate) struct ArrRef(Rc<RefCell<Vec<Jv>>>);

/// A reference to a plain JavaScript object.
#[derive(Clone, Debug, Default)]
pub(crate) struct ObjRef(Rc<RefCell<Obj>>);

impl ArrRef {
    pub(crate) fn new(items: Vec<Jv>) -> Self {
        Self(Rc::new(RefCell::new(items)))
    }

    /// The same array (JavaScript `===`).
    pub(crate) fn same(&self, other: &ArrRef) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// A snapshot of the items.
    pub(crate) fn items(&self) -> Vec<Jv> {
        self.0.try_borrow().map(|v| v.clone()).unwrap_or_default()
    }

    pub(crate) fn len(&self) -> usize {
        self.0.try_borrow().map(|v| v.len()).unwrap_or(0)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub(crate) fn get(&self, i: usize) -> Option<Jv> {
        self.0.try_borrow().ok().and_then(|v| v.get(i).cloned())
    }

    pub(crate) fn first(&self) -> Option<Jv> {
        self.get(0)
    }

    /// The objects and arrays among the items.
    pub(crate) fn containers(&self) -> Vec<Jv> {
        self.0
            .try_borrow()
            .map(|v| {
                v.iter()
                    .filter(|v| matches!(v, Jv::Obj(_) | Jv::Arr(_)))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(crate) fn push(&self, item: Jv) {
        if let Ok(mut v) = self.0.try_borrow_mut() {
            v.push(item);
        }
    }

    /// `arr[i] = value` (holes are `undefined`).
    pub(crate) fn set(&self, i: usize, value: Jv) {
        if let Ok(mut v) = self.0.try_borrow_mut() {
            if i >= v.len() {
                v.resize(i + 1, Jv::Undef);
            }
            if let Some(slot) = v.get_mut(i) {
                *slot = value;
            }
        }
    }
}

impl ObjRef {
    pub(crate) fn new(o: Obj) -> Self {
        Self(Rc::new(RefCell::new(o)))
    }

    /// The same object (JavaScript `===`).
    pub(crate) fn same(&self, other: &ObjRef) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    pub(crate) fn get(&self, key: &str) -> Option<Jv> {
        self.0.try_borrow().ok().and_then(|o| o.get(key).cloned())
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.0.try_borrow().is_ok_and(|o| o.contains(key))
    }

    pub(crate) fn set(&self, key: impl Into<String>, value: Jv) {
        if let Ok(mut o) = self.0.try_borrow_mut() {
            o.set(key, value);
        }
    }

    pub(crate) fn remove(&self, key: &str) -> Option<Jv> {
        self.0.try_borrow_mut().ok().and_then(|mut o| o.remove(key))
    }

    /// The entries of an object nothing else holds, taken out of it; the
    /// object itself back if something else holds it.
    pub(crate) fn into_entries(self) -> Result<Vec<(String, Jv)>, ObjRef> {
        Rc::try_unwrap(self.0)
            .map(|cell| cell.into_inner().entries)
            .map_err(ObjRef)
    }

    /// Delete every `null` member; the objects and arrays left among the
    /// members.
    pub(crate) fn strip_nulls(&self) -> Vec<Jv> {
        let Ok(mut o) = self.0.try_borrow_mut() else {
            return Vec::new();
        };
        let before = o.entries.len();
        o.entries.retain(|(_, v)| !matches!(v, Jv::Null));
        if o.entries.len() != before && o.index.is_some() {
            o.reindex();
        }
        o.entries
            .iter()
            .map(|(_, v)| v)
            .filter(|v| matches!(v, Jv::Obj(_) | Jv::Arr(_)))
            .cloned()
            .collect()
    }

    /// A snapshot of the entries, in property order.
    pub(crate) fn entries(&self) -> Vec<(String, Jv)> {
        self.0
            .try_borrow()
            .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    pub(crate) fn keys(&self) -> Vec<String> {
        self.0
            .try_borrow()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// The storage of a plain JavaScript object: keys in property order. Small
/// objects (most of a template) are searched linearly; a hash index is built
/// once an object grows past [`INDEX_FROM`] keys.
#[derive(Clone, Debug, Default)]
pub(crate) struct Obj {
    entries: Vec<(String, Jv)>,
    index: Option<HashMap<String, usize>>,
}

const INDEX_FROM: usize = 12;

fn array_index(key: &str) -> Option<u64> {
    if is_array_index(key) {
        key.parse().ok()
    } else {
        None
    }
}

impl Obj {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k == key),
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Jv> {
        let i = self.position(key)?;
        self.entries.get(i).map(|(_, v)| v)
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Jv> {
        let i = self.position(key)?;
        self.entries.get_mut(i).map(|(_, v)| v)
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    fn reindex(&mut self) {
        self.index = (self.entries.len() >= INDEX_FROM).then(|| {
            self.entries
                .iter()
                .enumerate()
                .map(|(i, (k, _))| (k.clone(), i))
                .collect()
        });
    }

    /// `obj[key] = value`: an existing key keeps its place, a new one goes
    /// where JavaScript property order puts it.
    pub(crate) fn set(&mut self, key: impl Into<String>, value: Jv) {
        let key = key.into();
        if let Some(slot) = self.get_mut(&key) {
            *slot = value;
            return;
        }
        match array_index(&key) {
            Some(n) => {
                let pos = self
                    .entries
                    .iter()
                    .position(|(k, _)| array_index(k).is_none_or(|m| m > n))
                    .unwrap_or(self.entries.len());
                self.entries.insert(pos, (key, value));
                if pos + 1 == self.entries.len() && self.index.is_some() {
                    if let (Some(index), Some((k, _))) = (&mut self.index, self.entries.last()) {
                        index.insert(k.clone(), pos);
                    }
                } else {
                    self.reindex();
                }
            }
            None => {
                let pos = self.entries.len();
                match &mut self.index {
                    Some(index) => {
                        index.insert(key.clone(), pos);
                        self.entries.push((key, value));
                    }
                    None => {
                        self.entries.push((key, value));
                        if self.entries.len() >= INDEX_FROM {
                            self.reindex();
                        }
                    }
                }
            }
        }
    }

    /// `delete obj[key]`.
    pub(crate) fn remove(&mut self, key: &str) -> Option<Jv> {
        let i = self.position(key)?;
        if i >= self.entries.len() {
            return None;
        }
        let (_, v) = self.entries.remove(i);
        if self.index.is_some() {
            self.reindex();
        }
        Some(v)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &Jv)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Build from `(key, value)` pairs (later duplicates overwrite in place).
    pub(crate) fn from_pairs<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Jv)>) -> Self {
        let mut o = Obj::new();
        for (k, v) in pairs {
            o.set(k, v);
        }
        o
    }
}

/// Text being written as `JSON.stringify(_, null, 2)` writes it. A long
/// string that several values share (a request template repeated in every
/// method) is escaped once and copied from then on.
#[derive(Default)]
pub(crate) struct JsonText {
    pub(crate) buf: String,
    /// Keyed by the string's address; the entry keeps the string alive, so
    /// the address cannot be reused while the entry exists.
    escaped: HashMap<*const u8, (Rc<str>, String)>,
}

impl JsonText {
    /// Strings shorter than this are escaped every time.
    const REMEMBER_FROM: usize = 256;

    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            buf: String::with_capacity(capacity),
            escaped: HashMap::new(),
        }
    }

    fn string(&mut self, text: &Rc<str>) {
        use crate::source::json::write_string;
        if text.len() < Self::REMEMBER_FROM || Rc::strong_count(text) == 1 {
            write_string(&mut self.buf, text);
            return;
        }
        let (_, escaped) = self.escaped.entry(text.as_ptr()).or_insert_with(|| {
            let mut escaped = String::new();
            write_string(&mut escaped, text);
            (text.clone(), escaped)
        });
        self.buf.push_str(escaped);
    }
}

/// The members of an object as `JSON.stringify(_, null, 2)` writes them
/// (`undefined` members left out), keys in the order given.
pub(crate) fn write_json_members<'a>(
    out: &mut JsonText,
    members: impl Iterator<Item = (&'a str, &'a Jv)>,
    depth: usize,
) {
    use crate::source::json::{newline_indent, write_string};
    let mut any = false;
    for (k, v) in members {
        if matches!(v, Jv::Undef) {
            continue;
        }
        out.buf.push_str(if any { "," } else { "{" });
        any = true;
        newline_indent(&mut out.buf, depth + 1);
        write_string(&mut out.buf, k);
        out.buf.push_str(": ");
        v.write_json(out, depth + 1);
    }
    if any {
        newline_indent(&mut out.buf, depth);
        out.buf.push('}');
    } else {
        out.buf.push_str("{}");
    }
}

/// A fresh object: `obj([("Ref", s("X"))])`.
pub(crate) fn obj<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Jv)>) -> Jv {
    Jv::Obj(ObjRef::new(Obj::from_pairs(pairs)))
}

/// A fresh empty object `{}`.
pub(crate) fn empty_obj() -> Jv {
    Jv::Obj(ObjRef::default())
}

/// A fresh array.
pub(crate) fn arr(items: Vec<Jv>) -> Jv {
    Jv::Arr(ArrRef::new(items))
}

/// A string value.
pub(crate) fn s(text: impl Into<Rc<str>>) -> Jv {
    Jv::Str(text.into())
}

/// `{ Ref: id }`.
pub(crate) fn reference(id: &str) -> Jv {
    obj([("Ref", s(id))])
}

/// Turns nodes into values; nodes written at the same place (an anchor
/// and its aliases, merged-in values) become the same object.
#[derive(Default)]
struct FromNode {
    seen: HashMap<(Loc, bool), Jv>,
}

impl FromNode {
    fn convert(&mut self, node: &Node) -> Jv {
        let key = (node.loc, matches!(node.value, Value::Map(_)));
        let shareable = !node.loc.is_empty() && matches!(node.value, Value::Map(_) | Value::Seq(_));
        if shareable && let Some(v) = self.seen.get(&key) {
            return v.clone();
        }
        let v = match &node.value {
            Value::Null => Jv::Null,
            Value::Bool(b) => Jv::Bool(*b),
            Value::Number(n) => Jv::Num(*n),
            Value::String(t) => Jv::Str(t.as_str().into()),
            // An unresolved variable is an opaque, non-empty string here.
            Value::Unresolved(u) => Jv::Str(u.text.as_str().into()),
            Value::Seq(items) => arr(items.iter().map(|n| self.convert(n)).collect()),
            Value::Map(m) => {
                let mut o = Obj::new();
                for e in m.iter() {
                    let v = self.convert(&e.value);
                    o.set(e.key.clone(), v);
                }
                Jv::Obj(ObjRef::new(o))
            }
        };
        if shareable {
            self.seen.insert(key, v.clone());
        }
        v
    }
}

/// Deeper than any config; guards against reference cycles.
const MAX_DEPTH: usize = 10_000;

impl Jv {
    pub(crate) fn from_node(node: &Node) -> Jv {
        FromNode::default().convert(node)
    }

    /// `JSON.stringify` semantics: `undefined` members vanish, `undefined`
    /// array items and non-finite numbers become `null`.
    pub(crate) fn to_json(&self) -> Json {
        self.to_json_at(0)
    }

    fn to_json_at(&self, depth: usize) -> Json {
        if depth > MAX_DEPTH {
            return Json::Null;
        }
        match self {
            Jv::Undef | Jv::Null => Json::Null,
            Jv::Bool(b) => Json::Bool(*b),
            Jv::Num(n) => {
                if n.is_finite() {
                    crate::source::json::number(*n)
                } else {
                    Json::Null
                }
            }
            Jv::Str(t) => Json::String(t.to_string()),
            Jv::Arr(items) => Json::Array(
                items
                    .0
                    .try_borrow()
                    .map(|items| items.iter().map(|v| v.to_json_at(depth + 1)).collect())
                    .unwrap_or_default(),
            ),
            Jv::Obj(o) => Json::Object(
                o.0.try_borrow()
                    .map(|o| {
                        o.iter()
                            .filter(|(_, v)| !matches!(v, Jv::Undef))
                            .map(|(k, v)| (k.clone(), v.to_json_at(depth + 1)))
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
        }
    }

    /// A copy that shares no object or array with anything else: what
    /// `_.merge` writes into a key its destination does not have yet.
    /// Past `depth` [`MAX_DEPTH`] an object or array copies as empty, where
    /// the merge stops too.
    pub(crate) fn deep_copy(&self, depth: usize) -> Jv {
        match self {
            Jv::Obj(o) => {
                let copy = match o.0.try_borrow() {
                    Ok(src) if depth <= MAX_DEPTH => Obj {
                        entries: src
                            .entries
                            .iter()
                            .map(|(k, v)| (k.clone(), v.deep_copy(depth + 1)))
                            .collect(),
                        index: src.index.clone(),
                    },
                    _ => Obj::new(),
                };
                Jv::Obj(ObjRef::new(copy))
            }
            Jv::Arr(a) => {
                let copy = match a.0.try_borrow() {
                    Ok(src) if depth <= MAX_DEPTH => {
                        src.iter().map(|v| v.deep_copy(depth + 1)).collect()
                    }
                    _ => Vec::new(),
                };
                Jv::Arr(ArrRef::new(copy))
            }
            other => other.clone(),
        }
    }

    /// This value with every object and array that something else also
    /// holds replaced by a [`deep_copy`](Jv::deep_copy); what nothing else
    /// holds is moved. Indistinguishable from a deep copy to every holder.
    pub(crate) fn into_unshared(self, depth: usize) -> Jv {
        match self {
            Jv::Obj(_) | Jv::Arr(_) if depth > MAX_DEPTH => self.deep_copy(depth),
            Jv::Obj(o) if Rc::strong_count(&o.0) == 1 => {
                if let Ok(mut inner) = o.0.try_borrow_mut() {
                    for (_, v) in &mut inner.entries {
                        *v = std::mem::take(v).into_unshared(depth + 1);
                    }
                }
                Jv::Obj(o)
            }
            Jv::Arr(a) if Rc::strong_count(&a.0) == 1 => {
                if let Ok(mut items) = a.0.try_borrow_mut() {
                    for v in items.iter_mut() {
                        *v = std::mem::take(v).into_unshared(depth + 1);
                    }
                }
                Jv::Arr(a)
            }
            shared @ (Jv::Obj(_) | Jv::Arr(_)) => shared.deep_copy(depth),
            other => other,
        }
    }

    /// `JSON.stringify(value, null, 2)` of this value, written at `depth`
    /// straight into `out` (the same text as [`Jv::to_json`] then
    /// [`crate::source::json::stringify_pretty`], without the copy).
    pub(crate) fn write_json(&self, out: &mut JsonText, depth: usize) {
        use crate::source::json::newline_indent;
        match self {
            _ if depth > MAX_DEPTH => out.buf.push_str("null"),
            Jv::Undef | Jv::Null => out.buf.push_str("null"),
            Jv::Bool(b) => out.buf.push_str(if *b { "true" } else { "false" }),
            Jv::Num(n) if n.is_finite() => out.buf.push_str(&js_number_to_string(*n)),
            Jv::Num(_) => out.buf.push_str("null"),
            Jv::Str(t) => out.string(t),
            Jv::Arr(items) => match items.0.try_borrow() {
                Ok(items) if !items.is_empty() => {
                    out.buf.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.buf.push(',');
                        }
                        newline_indent(&mut out.buf, depth + 1);
                        item.write_json(out, depth + 1);
                    }
                    newline_indent(&mut out.buf, depth);
                    out.buf.push(']');
                }
                _ => out.buf.push_str("[]"),
            },
            Jv::Obj(o) => match o.0.try_borrow() {
                Ok(o) => write_json_members(out, o.iter().map(|(k, v)| (k.as_str(), v)), depth),
                Err(_) => out.buf.push_str("{}"),
            },
        }
    }

    /// JavaScript truthiness.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Jv::Undef | Jv::Null => false,
            Jv::Bool(b) => *b,
            Jv::Num(n) => *n != 0.0 && !n.is_nan(),
            Jv::Str(t) => !t.is_empty(),
            Jv::Arr(_) | Jv::Obj(_) => true,
        }
    }

    pub(crate) fn is_undef(&self) -> bool {
        matches!(self, Jv::Undef)
    }

    /// `x == null`.
    pub(crate) fn is_nullish(&self) -> bool {
        matches!(self, Jv::Undef | Jv::Null)
    }

    /// lodash `_.isObject` (arrays included).
    pub(crate) fn is_object(&self) -> bool {
        matches!(self, Jv::Arr(_) | Jv::Obj(_))
    }

    /// `typeof x === 'object'` (null and arrays included).
    pub(crate) fn typeof_object(&self) -> bool {
        matches!(self, Jv::Null | Jv::Arr(_) | Jv::Obj(_))
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Jv::Str(t) => Some(t),
            _ => None,
        }
    }

    /// The items of an array (a snapshot).
    pub(crate) fn items(&self) -> Option<Vec<Jv>> {
        match self {
            Jv::Arr(a) => Some(a.items()),
            _ => None,
        }
    }

    /// The name JavaScript prints for a nullish receiver.
    fn nullish_name(&self) -> &'static str {
        if matches!(self, Jv::Null) {
            "null"
        } else {
            "undefined"
        }
    }

    /// Property read `x[key]` on a value that is not nullish (nullish gives
    /// `undefined`, as lodash `_.get` does). Strings answer `length` and
    /// indices, arrays `length` and indices.
    pub(crate) fn get(&self, key: &str) -> Jv {
        match self {
            Jv::Obj(o) => o.get(key).unwrap_or(Jv::Undef),
            Jv::Arr(a) => {
                if key == "length" {
                    Jv::Num(a.len() as f64)
                } else {
                    array_index(key)
                        .and_then(|i| a.get(usize::try_from(i).ok()?))
                        .unwrap_or(Jv::Undef)
                }
            }
            Jv::Str(t) => {
                let units: Vec<u16> = t.encode_utf16().collect();
                if key == "length" {
                    Jv::Num(units.len() as f64)
                } else {
                    array_index(key)
                        .and_then(|i| units.get(usize::try_from(i).ok()?))
                        .map(|u| Jv::Str(String::from_utf16_lossy(&[*u]).into()))
                        .unwrap_or(Jv::Undef)
                }
            }
            _ => Jv::Undef,
        }
    }

    /// `key in x` for own keys of objects (and indices of arrays).
    pub(crate) fn has_own(&self, key: &str) -> bool {
        match self {
            Jv::Obj(o) => o.contains(key),
            Jv::Arr(a) => array_index(key)
                .and_then(|i| usize::try_from(i).ok())
                .is_some_and(|i| i < a.len()),
            _ => false,
        }
    }

    /// Property read that throws on a nullish receiver, like `x.key` in JavaScript.
    pub(crate) fn read(&self, key: &str) -> Result<Jv, CompileError> {
        if self.is_nullish() {
            return Err(type_error(format!(
                "Cannot read properties of {} (reading '{key}')",
                self.nullish_name()
            )));
        }
        Ok(self.get(key))
    }

    /// `x[key] = value` in strict mode: objects take it, arrays take indices,
    /// primitives throw.
    pub(crate) fn assign(&self, key: &str, value: Jv) -> Result<(), CompileError> {
        match self {
            Jv::Obj(o) => {
                o.set(key, value);
                Ok(())
            }
            Jv::Arr(a) => {
                if let Some(i) = array_index(key).and_then(|i| usize::try_from(i).ok()) {
                    a.set(i, value);
                }
                Ok(())
            }
            Jv::Undef | Jv::Null => Err(type_error(format!(
                "Cannot set properties of {} (setting '{key}')",
                self.nullish_name()
            ))),
            other => Err(type_error(format!(
                "Cannot create property '{key}' on {} '{}'",
                other.typeof_name(),
                other.to_js_string()
            ))),
        }
    }

    /// `delete x[key]` (a no-op on anything but objects).
    pub(crate) fn delete(&self, key: &str) {
        if let Jv::Obj(o) = self {
            o.remove(key);
        }
    }

    /// `typeof x`.
    pub(crate) fn typeof_name(&self) -> &'static str {
        match self {
            Jv::Undef => "undefined",
            Jv::Null | Jv::Arr(_) | Jv::Obj(_) => "object",
            Jv::Bool(_) => "boolean",
            Jv::Num(_) => "number",
            Jv::Str(_) => "string",
        }
    }

    /// `String(x)` / template-literal interpolation.
    pub(crate) fn to_js_string(&self) -> String {
        self.to_js_string_at(0)
    }

    fn to_js_string_at(&self, depth: usize) -> String {
        match self {
            Jv::Undef => "undefined".to_owned(),
            Jv::Null => "null".to_owned(),
            Jv::Bool(b) => b.to_string(),
            Jv::Num(n) => js_number_to_string(*n),
            Jv::Str(t) => t.to_string(),
            Jv::Obj(_) => "[object Object]".to_owned(),
            Jv::Arr(items) => {
                if depth > MAX_DEPTH {
                    return String::new();
                }
                items
                    .items()
                    .iter()
                    .map(|v| {
                        if v.is_nullish() {
                            String::new()
                        } else {
                            v.to_js_string_at(depth + 1)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            }
        }
    }

    /// `Object.keys(x)` (strings give their indices; nullish throws).
    pub(crate) fn object_keys(&self) -> Result<Vec<String>, CompileError> {
        Ok(self.object_entries()?.into_iter().map(|(k, _)| k).collect())
    }

    /// `Object.entries(x)`.
    pub(crate) fn object_entries(&self) -> Result<Vec<(String, Jv)>, CompileError> {
        match self {
            Jv::Undef | Jv::Null => Err(type_error("Cannot convert undefined or null to object")),
            Jv::Obj(o) => Ok(o.entries()),
            Jv::Arr(a) => Ok(a
                .items()
                .into_iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect()),
            Jv::Str(t) => Ok(t
                .encode_utf16()
                .enumerate()
                .map(|(i, u)| {
                    (
                        i.to_string(),
                        Jv::Str(String::from_utf16_lossy(&[u]).into()),
                    )
                })
                .collect()),
            Jv::Bool(_) | Jv::Num(_) => Ok(Vec::new()),
        }
    }

    /// `Object.values(x)`.
    pub(crate) fn object_values(&self) -> Result<Vec<Jv>, CompileError> {
        Ok(self.object_entries()?.into_iter().map(|(_, v)| v).collect())
    }

    /// lodash own enumerable entries for `_.forEach`/`_.entries` on
    /// collections: nullish and primitives other than strings give nothing.
    pub(crate) fn lodash_entries(&self) -> Vec<(String, Jv)> {
        if self.is_nullish() {
            return Vec::new();
        }
        self.object_entries().unwrap_or_default()
    }

    /// `SameValueZero` as lodash `eq` uses it (objects compare by identity).
    pub(crate) fn same_value_zero(&self, other: &Jv) -> bool {
        match (self, other) {
            (Jv::Undef, Jv::Undef) | (Jv::Null, Jv::Null) => true,
            (Jv::Bool(a), Jv::Bool(b)) => a == b,
            (Jv::Num(a), Jv::Num(b)) => a == b || (a.is_nan() && b.is_nan()),
            (Jv::Str(a), Jv::Str(b)) => a == b,
            (Jv::Arr(a), Jv::Arr(b)) => a.same(b),
            (Jv::Obj(a), Jv::Obj(b)) => a.same(b),
            _ => false,
        }
    }

    /// `===`.
    pub(crate) fn strict_eq(&self, other: &Jv) -> bool {
        match (self, other) {
            (Jv::Num(a), Jv::Num(b)) => a == b,
            _ => self.same_value_zero(other),
        }
    }
}

/// A JavaScript `TypeError` as the framework prints it (first line).
pub(crate) fn type_error(message: impl AsRef<str>) -> CompileError {
    CompileError {
        message: format!("TypeError: {}", message.as_ref()),
        loc: None,
        help: None,
    }
}

/// The receiver of a string method call `expr.method(...)`: a string, or
/// the `TypeError` Node.js throws (`expr` is the source text before `.method`).
pub(crate) fn str_recv<'a>(v: &'a Jv, expr: &str, method: &str) -> Result<&'a str, CompileError> {
    match v {
        Jv::Str(t) => Ok(t),
        Jv::Undef | Jv::Null => Err(type_error(format!(
            "Cannot read properties of {} (reading '{method}')",
            v.nullish_name()
        ))),
        _ => Err(type_error(format!("{expr}.{method} is not a function"))),
    }
}

/// The receiver of an array method call `expr.method(...)`.
pub(crate) fn arr_recv<'a>(
    v: &'a Jv,
    expr: &str,
    method: &str,
) -> Result<&'a ArrRef, CompileError> {
    match v {
        Jv::Arr(a) => Ok(a),
        Jv::Undef | Jv::Null => Err(type_error(format!(
            "Cannot read properties of {} (reading '{method}')",
            v.nullish_name()
        ))),
        _ => Err(type_error(format!("{expr}.{method} is not a function"))),
    }
}

/// `String.prototype.toUpperCase`.
pub(crate) fn to_upper(t: &str) -> String {
    t.to_uppercase()
}

/// `String.prototype.toLowerCase`.
pub(crate) fn to_lower(t: &str) -> String {
    t.to_lowercase()
}

/// `str.replace(pattern, replacement)` with a string pattern: the first
/// occurrence only, and the replacement's `$` patterns expanded.
pub(crate) fn replace_first(text: &str, pattern: &str, replacement: &str) -> String {
    match text.find(pattern) {
        Some(pos) => {
            let before = &text[..pos];
            let after = &text[pos + pattern.len()..];
            let mut out = String::with_capacity(text.len() + replacement.len());
            out.push_str(before);
            out.push_str(&expand_replacement(replacement, pattern, before, after));
            out.push_str(after);
            out
        }
        None => text.to_owned(),
    }
}

/// `GetSubstitution` for a string pattern (no capture groups).
fn expand_replacement(replacement: &str, matched: &str, before: &str, after: &str) -> String {
    let mut out = String::new();
    let mut chars = replacement.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('$') => {
                out.push('$');
                chars.next();
            }
            Some('&') => {
                out.push_str(matched);
                chars.next();
            }
            Some('`') => {
                out.push_str(before);
                chars.next();
            }
            Some('\'') => {
                out.push_str(after);
                chars.next();
            }
            _ => out.push('$'),
        }
    }
    out
}

/// `String.prototype.split(sep)` with a non-empty string separator.
pub(crate) fn split(text: &str, sep: &str) -> Vec<String> {
    text.split(sep).map(str::to_owned).collect()
}

/// `Number.parseInt(x, 10)` (`None` for `NaN`).
pub(crate) fn parse_int(v: &Jv) -> Option<f64> {
    let text = match v {
        Jv::Str(t) => t.to_string(),
        other => other.to_js_string(),
    };
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    let digits = &digits[..end];
    if digits.is_empty() {
        return None;
    }
    let n: f64 = digits.parse().ok()?;
    Some(if neg { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn into_unshared_copies_what_others_hold_and_moves_the_rest() {
        let shared = obj([("Ref", s("X"))]);
        let inner = arr(vec![s("a"), shared.clone()]);
        let Jv::Arr(inner_ref) = &inner else {
            unreachable!()
        };
        let inner_ptr = Rc::as_ptr(&inner_ref.0);
        let value = obj([("A", inner), ("B", shared.clone()), ("C", Jv::Undef)]);
        let before = value.clone();
        drop(before);
        let out = value.into_unshared(0);
        // Equal content, nothing shared with `shared`, the unshared array moved.
        assert_eq!(
            out,
            obj([
                ("A", arr(vec![s("a"), obj([("Ref", s("X"))])])),
                ("B", obj([("Ref", s("X"))])),
                ("C", Jv::Undef)
            ])
        );
        assert!(!out.get("B").same_value_zero(&shared));
        assert!(!out.get("A").get("1").same_value_zero(&shared));
        let Jv::Arr(moved) = out.get("A") else {
            unreachable!()
        };
        assert_eq!(Rc::as_ptr(&moved.0), inner_ptr);
        // Changing the original leaves the copy alone.
        let _ = shared.assign("Ref", s("Y"));
        assert_eq!(out.get("B").get("Ref"), s("X"));
    }

    #[test]
    fn a_shared_long_string_is_written_the_same_every_time() {
        let text: Rc<str> = "\"quoted\"\n\t".repeat(40).into();
        let value = arr(vec![Jv::Str(text.clone()), Jv::Str(text.clone()), s("x")]);
        let mut out = JsonText::default();
        value.write_json(&mut out, 0);
        let mut one = String::new();
        crate::source::json::write_string(&mut one, &text);
        assert_eq!(out.buf, format!("[\n  {one},\n  {one},\n  \"x\"\n]"));
        assert_eq!(out.escaped.len(), 1);
    }

    #[test]
    fn deep_copy_keeps_order_and_stops_where_merge_stops() {
        let mut o = Obj::new();
        for k in ["b", "500", "a", "202"] {
            o.set(k, obj([("x", arr(vec![Jv::Null]))]));
        }
        let v = Jv::Obj(ObjRef::new(o));
        let copy = v.deep_copy(0);
        assert_eq!(copy, v);
        assert!(!copy.get("a").same_value_zero(&v.get("a")));
        assert_eq!(v.deep_copy(MAX_DEPTH + 1), empty_obj());
        assert_eq!(v.deep_copy(MAX_DEPTH).get("a"), empty_obj());
    }

    #[test]
    fn object_order_is_javascript_order() {
        let mut o = Obj::new();
        for k in ["b", "500", "a", "202"] {
            o.set(k, Jv::Null);
        }
        let keys: Vec<_> = o.keys().cloned().collect();
        assert_eq!(keys, ["202", "500", "b", "a"]);
        o.remove("500");
        o.set("b", Jv::Bool(true));
        let keys: Vec<_> = o.keys().cloned().collect();
        assert_eq!(keys, ["202", "b", "a"]);
        assert_eq!(o.get("b"), Some(&Jv::Bool(true)));
    }

    #[test]
    fn objects_are_references() {
        let shared = obj([("methods", arr(vec![s("GET")]))]);
        let a = obj([("cors", shared.clone())]);
        let b = obj([("cors", shared)]);
        if let Jv::Arr(m) = a.get("cors").get("methods") {
            m.push(s("POST"));
        }
        assert_eq!(b.get("cors").get("methods"), arr(vec![s("GET"), s("POST")]));
        assert!(a.get("cors").same_value_zero(&b.get("cors")));
        assert!(!a.same_value_zero(&b));
    }

    #[test]
    fn truthiness_follows_javascript() {
        assert!(!Jv::Str("".into()).truthy());
        assert!(Jv::Str("false".into()).truthy());
        assert!(!Jv::Num(0.0).truthy());
        assert!(!Jv::Num(f64::NAN).truthy());
        assert!(Jv::Num(-1.0).truthy());
        assert!(arr(vec![]).truthy());
        assert!(empty_obj().truthy());
        assert!(!Jv::Undef.truthy());
        assert!(!Jv::Null.truthy());
    }

    #[test]
    fn replace_expands_dollar_patterns() {
        assert_eq!(replace_first("a-b-c", "-", "_"), "a_b-c");
        assert_eq!(replace_first("xTOKy", "TOK", "[$&]"), "x[TOK]y");
        assert_eq!(replace_first("xTOKy", "TOK", "$$c"), "x$cy");
        assert_eq!(replace_first("xTOKy", "TOK", "$context"), "x$contexty");
        assert_eq!(replace_first("xTOKy", "TOK", "$`"), "xxy");
    }

    #[test]
    fn parse_int_like_javascript() {
        assert_eq!(parse_int(&s("300")), Some(300.0));
        assert_eq!(parse_int(&s(" 12abc")), Some(12.0));
        assert_eq!(parse_int(&s("abc")), None);
        assert_eq!(parse_int(&Jv::Num(4.7)), Some(4.0));
        assert_eq!(parse_int(&Jv::Undef), None);
        assert_eq!(parse_int(&s("-0")), Some(-0.0));
    }

    #[test]
    fn type_errors_read_like_node() {
        let e = str_recv(&Jv::Undef, "http.path", "replace").err();
        assert_eq!(
            e.map(|e| e.message),
            Some("TypeError: Cannot read properties of undefined (reading 'replace')".into())
        );
        let e = str_recv(&Jv::Num(5.0), "event.http", "split").err();
        assert_eq!(
            e.map(|e| e.message),
            Some("TypeError: event.http.split is not a function".into())
        );
        let e = s("abc").assign("passThrough", Jv::Null).err();
        assert_eq!(
            e.map(|e| e.message),
            Some("TypeError: Cannot create property 'passThrough' on string 'abc'".into())
        );
    }
}
