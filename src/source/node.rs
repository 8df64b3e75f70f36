//! The span-keeping value tree every later stage reads.
//!
//! A [`Node`] is one YAML/JSON value after typing, exactly as the JavaScript
//! side of the framework would see it (`js-yaml` + `JSON.parse`), plus the
//! place in the source it came from. Mapping keys are strings (JavaScript
//! object keys), and a [`Map`] iterates in JavaScript property order:
//! integer-like keys ascending first, then the other keys in insertion order.
//!
//! Nothing here knows about Serverless.

use super::{FileId, Loc};

/// Presentation details of a node that the editor needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Style {
    /// Plain (unquoted) scalar, or a block collection.
    #[default]
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
    /// `{...}` or `[...]`.
    Flow,
    /// A value that does not come from text (a default, a merge result, a resolved variable).
    Synthetic,
}

/// A value whose text could not be resolved statically (`${ssm:...}`, a plugin's source...).
#[derive(Clone, Debug, PartialEq)]
pub struct Unresolved {
    /// The whole source text of the value, e.g. `${ssm:/path/to/param}`.
    pub text: String,
    /// Why: the first variable that could not be resolved, e.g. `ssm:/path/to/param`.
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// JavaScript numbers are IEEE doubles.
    Number(f64),
    String(String),
    Seq(Vec<Node>),
    Map(Map),
    /// Boxed: rare, and the largest payload.
    Unresolved(Box<Unresolved>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    /// Where the value is written (for an alias: where the anchored node is defined).
    pub loc: Loc,
    pub style: Style,
}

/// One key of a mapping with the place of the key itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_loc: Loc,
    pub value: Node,
}

/// A JavaScript-ordered mapping. Lookups in a large mapping (a service with
/// a thousand functions) go through a hash index built on first use and
/// dropped by any change.
#[derive(Default)]
pub struct Map {
    entries: Vec<Entry>,
    /// Boxed: a mapping is a node's largest variant, and most are small.
    #[allow(clippy::box_collection)]
    index: std::sync::OnceLock<Box<std::collections::HashMap<String, usize>>>,
}

/// Mappings at least this long get a hash index.
const INDEX_FROM: usize = 16;

impl Clone for Map {
    fn clone(&self) -> Self {
        Self {
            entries: self.entries.clone(),
            index: std::sync::OnceLock::new(),
        }
    }
}

impl PartialEq for Map {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl std::fmt::Debug for Map {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Map")
            .field("entries", &self.entries)
            .finish()
    }
}

/// `true` when JavaScript treats `key` as an array index (a canonical
/// non-negative integer below 2^32 - 1), which puts it first in property order.
pub fn is_array_index(key: &str) -> bool {
    if key.is_empty() || key.len() > 10 {
        return false;
    }
    if key == "0" {
        return true;
    }
    if key.starts_with('0') || !key.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    key.parse::<u64>().is_ok_and(|n| n < 4_294_967_295)
}

fn index_value(key: &str) -> Option<u64> {
    if is_array_index(key) {
        key.parse().ok()
    } else {
        None
    }
}

impl Map {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries in JavaScript property order.
    pub fn iter(&self) -> std::slice::Iter<'_, Entry> {
        self.entries.iter()
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, Entry> {
        self.index.take();
        self.entries.iter_mut()
    }

    fn position(&self, key: &str) -> Option<usize> {
        if self.entries.len() < INDEX_FROM {
            return self.entries.iter().position(|e| e.key == key);
        }
        self.index
            .get_or_init(|| {
                Box::new(
                    self.entries
                        .iter()
                        .enumerate()
                        .map(|(i, e)| (e.key.clone(), i))
                        .collect(),
                )
            })
            .get(key)
            .copied()
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.key.as_str())
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.position(key).and_then(|i| self.entries.get(i))
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        let i = self.position(key)?;
        self.entries.get_mut(i).map(|e| &mut e.value)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.entry(key).is_some()
    }

    /// JavaScript assignment `obj[key] = value`: an existing key keeps its
    /// position, a new one goes where property order puts it.
    pub fn insert(&mut self, entry: Entry) {
        if let Some(existing) = self
            .position(&entry.key)
            .and_then(|i| self.entries.get_mut(i))
        {
            existing.value = entry.value;
            existing.key_loc = entry.key_loc;
            return;
        }
        self.index.take();
        match index_value(&entry.key) {
            Some(n) => {
                let pos = self
                    .entries
                    .iter()
                    .position(|e| index_value(&e.key).is_none_or(|m| m > n))
                    .unwrap_or(self.entries.len());
                self.entries.insert(pos, entry);
            }
            None => self.entries.push(entry),
        }
    }

    /// The mapping JavaScript builds by assigning `entries` in turn (as
    /// [`Map::insert`] one by one), in O(n log n): integer-like keys
    /// ascending first, then the other keys in first-assignment order; a
    /// repeated key keeps its first position and takes the last value.
    pub fn from_entries_js(mut entries: Vec<Entry>) -> Self {
        let duplicates = if entries.len() <= 16 {
            entries
                .iter()
                .enumerate()
                .any(|(i, e)| entries[..i].iter().any(|x| x.key == e.key))
        } else {
            let mut seen = std::collections::HashSet::with_capacity(entries.len());
            !entries.iter().all(|e| seen.insert(e.key.as_str()))
        };
        if duplicates {
            let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
            let mut seen: std::collections::HashMap<String, usize> =
                std::collections::HashMap::new();
            for e in entries {
                match seen.get(&e.key) {
                    Some(&i) => out[i] = e,
                    None => {
                        seen.insert(e.key.clone(), out.len());
                        out.push(e);
                    }
                }
            }
            entries = out;
        }
        if entries.iter().any(|e| is_array_index(&e.key)) {
            // Stable: the other keys keep their order.
            entries.sort_by_key(|e| index_value(&e.key).map_or((1, 0), |n| (0, n)));
        }
        Self {
            entries,
            index: std::sync::OnceLock::new(),
        }
    }

    pub fn remove(&mut self, key: &str) -> Option<Entry> {
        let pos = self.position(key)?;
        self.index.take();
        Some(self.entries.remove(pos))
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = &'a Entry;
    type IntoIter = std::slice::Iter<'a, Entry>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}

impl Node {
    pub fn new(value: Value, loc: Loc, style: Style) -> Self {
        Self { value, loc, style }
    }

    /// A value made by the tool, not read from text.
    pub fn synthetic(value: Value, loc: Loc) -> Self {
        Self {
            value,
            loc,
            style: Style::Synthetic,
        }
    }

    pub fn file(&self) -> FileId {
        self.loc.file
    }

    pub fn as_map(&self) -> Option<&Map> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match &mut self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self.value {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    pub fn is_unresolved(&self) -> bool {
        matches!(self.value, Value::Unresolved(_))
    }

    /// `obj[key]` on a mapping; `None` for anything else.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// Walk a dotted path of mapping keys.
    pub fn get_path(&self, path: &[&str]) -> Option<&Node> {
        path.iter().try_fold(self, |node, key| node.get(key))
    }

    /// JavaScript truthiness. An unresolved value counts as truthy (it is a
    /// non-empty string in the file); callers that care check it first.
    pub fn truthy(&self) -> bool {
        match &self.value {
            Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::String(s) => !s.is_empty(),
            Value::Seq(_) | Value::Map(_) | Value::Unresolved(_) => true,
        }
    }

    /// `typeof x === 'object' && x !== null` (arrays included).
    pub fn is_js_object(&self) -> bool {
        matches!(self.value, Value::Seq(_) | Value::Map(_))
    }

    /// lodash `_.isPlainObject`-like test: a mapping, not an array.
    pub fn is_plain_object(&self) -> bool {
        matches!(self.value, Value::Map(_))
    }

    /// JavaScript `String(x)` for scalars (objects give `[object Object]`, arrays join with `,`).
    pub fn js_string(&self) -> String {
        match &self.value {
            Value::Null => "null".to_owned(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => js_number_to_string(*n),
            Value::String(s) => s.clone(),
            Value::Unresolved(u) => u.text.clone(),
            Value::Map(_) => "[object Object]".to_owned(),
            Value::Seq(items) => items
                .iter()
                .map(|n| {
                    if n.is_null() {
                        String::new()
                    } else {
                        n.js_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(","),
        }
    }

    /// A short description of the value's type for messages ("a string", "a list"...).
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
            Value::Unresolved(_) => "an unresolved variable",
        }
    }

    /// Every unresolved value below (and including) this node, in document order.
    pub fn unresolved(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        self.collect_unresolved(&mut out);
        out
    }

    fn collect_unresolved<'a>(&'a self, out: &mut Vec<&'a Node>) {
        match &self.value {
            Value::Unresolved(_) => out.push(self),
            Value::Seq(items) => items.iter().for_each(|n| n.collect_unresolved(out)),
            Value::Map(m) => m.iter().for_each(|e| e.value.collect_unresolved(out)),
            _ => {}
        }
    }
}

/// JavaScript `Number.prototype.toString()` for the values configs contain.
pub fn js_number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if n == 0.0 {
        return "0".to_owned();
    }
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        return format!("{n:.0}");
    }
    // Shortest round-trip digits, then JavaScript's exponent rules.
    let abs = n.abs();
    let sci = format!("{abs:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let sign = if n < 0.0 { "-" } else { "" };
    let e = exp + 1; // the value is 0.DIGITS x 10^e
    let body = if k <= e && e <= 21 {
        format!("{}{}", digits, "0".repeat((e - k) as usize))
    } else if 0 < e && e <= 21 {
        format!("{}.{}", &digits[..e as usize], &digits[e as usize..])
    } else if -6 < e && e <= 0 {
        format!("0.{}{}", "0".repeat((-e) as usize), digits)
    } else {
        let exp_sign = if e > 0 { "+" } else { "-" };
        let m = if k == 1 {
            digits.clone()
        } else {
            format!("{}.{}", &digits[..1], &digits[1..])
        };
        format!("{m}e{exp_sign}{}", (e - 1).abs())
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_stay_small() {
        // A million-value config must fit the memory bound of docs/bad-input.md.
        assert!(
            std::mem::size_of::<Node>() <= 72,
            "{}",
            std::mem::size_of::<Node>()
        );
    }

    fn loc() -> Loc {
        Loc::new(FileId(0), 0, 0)
    }

    fn entry(k: &str) -> Entry {
        Entry {
            key: k.to_owned(),
            key_loc: loc(),
            value: Node::synthetic(Value::Null, loc()),
        }
    }

    #[test]
    fn map_follows_javascript_property_order() {
        let mut m = Map::new();
        for k in ["500", "b", "202", "a", "007", "10"] {
            m.insert(entry(k));
        }
        let keys: Vec<_> = m.keys().collect();
        assert_eq!(keys, ["10", "202", "500", "b", "a", "007"]);
    }

    #[test]
    fn array_index_rules() {
        assert!(is_array_index("0"));
        assert!(is_array_index("4294967294"));
        assert!(!is_array_index("4294967295"));
        assert!(!is_array_index("01"));
        assert!(!is_array_index("-1"));
        assert!(!is_array_index("2xx"));
    }

    #[test]
    fn numbers_print_like_javascript() {
        assert_eq!(js_number_to_string(202.0), "202");
        assert_eq!(js_number_to_string(1.5), "1.5");
        assert_eq!(js_number_to_string(-0.25), "-0.25");
        assert_eq!(js_number_to_string(1e21), "1e+21");
        assert_eq!(js_number_to_string(0.000001), "0.000001");
        assert_eq!(js_number_to_string(1e-7), "1e-7");
        assert_eq!(js_number_to_string(123456.789), "123456.789");
    }
}
