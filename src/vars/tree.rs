//! Helpers shared by the resolvers: paths into the tree, JavaScript string
//! coercion, the work budget.

use crate::source::{Loc, Node, Value};

use super::VarError;

/// A property path: mapping keys and sequence indexes, as strings (the
/// framework's `propertyPath.split('\0')`).
pub type Path = Vec<String>;

/// `humanizePropertyPathKeys`: `custom.a.0`.
pub fn humanize(path: &[String]) -> String {
    path.join(".")
}

pub fn get<'n>(root: &'n Node, path: &[String]) -> Option<&'n Node> {
    path.iter().try_fold(root, |node, key| match &node.value {
        Value::Map(m) => m.get(key),
        Value::Seq(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

pub fn get_mut<'n>(root: &'n mut Node, path: &[String]) -> Option<&'n mut Node> {
    let mut node = root;
    for key in path {
        node = match &mut node.value {
            Value::Map(m) => m.get_mut(key)?,
            Value::Seq(items) => items.get_mut(key.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Every string leaf below `node` that may hold a variable (it contains
/// `${`), in JavaScript property order, with its path.
pub fn string_leaves(node: &Node, prefix: &[String], out: &mut Vec<(Path, String)>) {
    let mut path: Path = prefix.to_vec();
    let base = prefix.len();
    // (depth below prefix, key to enter, node); children pushed in reverse.
    let mut stack: Vec<(usize, Option<String>, &Node)> = vec![(0, None, node)];
    while let Some((depth, key, n)) = stack.pop() {
        path.truncate(base + depth.saturating_sub(1));
        if let Some(k) = key {
            path.push(k);
        }
        match &n.value {
            Value::String(s) if s.contains("${") => out.push((path.clone(), s.clone())),
            Value::Map(m) => {
                let children: Vec<_> = m.iter().collect();
                for e in children.into_iter().rev() {
                    stack.push((depth + 1, Some(e.key.clone()), &e.value));
                }
            }
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push((depth + 1, Some(i.to_string()), item));
                }
            }
            _ => {}
        }
    }
}

/// The first unresolved value inside `node`, if any.
pub fn first_unresolved(node: &Node) -> Option<&Node> {
    node.unresolved().into_iter().next()
}

/// `type/string/coerce`: what `${a}-${b}` puts in place of a value; `None`
/// for null and plain objects (the framework refuses those).
pub fn coerce_string(node: &Node) -> Option<String> {
    match &node.value {
        Value::Null | Value::Map(_) => None,
        _ => Some(node.js_string()),
    }
}

/// A short rendering of a value for messages (`util.inspect`-like).
pub fn inspect(node: &Node) -> String {
    match &node.value {
        Value::String(s) => format!("'{s}'"),
        Value::Map(_) | Value::Seq(_) => {
            let json = crate::source::json::to_json(node).to_string();
            if json.len() > 60 {
                format!("{}...", json.chars().take(57).collect::<String>())
            } else {
                json
            }
        }
        _ => node.js_string(),
    }
}

/// Number of nodes in a tree (what a copy costs).
pub fn size(node: &Node) -> usize {
    let mut n = 0;
    let mut stack = vec![node];
    while let Some(x) = stack.pop() {
        n += 1;
        match &x.value {
            Value::Map(m) => stack.extend(m.iter().map(|e| &e.value)),
            Value::Seq(items) => stack.extend(items.iter()),
            Value::String(s) => n += s.len() / 32,
            _ => {}
        }
    }
    n
}

/// Bounds the work variables may cause: copies made by references and the
/// size of strings built.
#[derive(Debug)]
pub struct Budget {
    units: usize,
    limit: usize,
}

/// Default budget: half a million copied nodes (or 16 MB of built text).
pub const DEFAULT_BUDGET: usize = 500_000;

impl Budget {
    pub fn new(limit: usize) -> Self {
        Self { units: 0, limit }
    }

    /// Charge `units`; an error once the total passes the limit.
    pub fn charge(&mut self, units: usize, loc: Loc) -> Result<(), VarError> {
        self.units = self.units.saturating_add(units);
        if self.units > self.limit {
            return Err(VarError {
                message: format!(
                    "variable expansion is too large (over {} nodes copied or built); stopped",
                    self.limit
                ),
                loc,
                help: Some(
                    "references that copy large values many times (e.g. each level repeating the previous one twice) grow exponentially"
                        .to_owned(),
                ),
            });
        }
        Ok(())
    }
}
