//! JSON pointer → place in the source.
//!
//! The validated JSON is built from the [`Node`] tree with the same keys and
//! indices (null-valued keys are left out, which never shifts an index), so a
//! pointer of a validation error walks the tree directly. Walking on demand
//! costs nothing for the nodes that have no error, unlike an index of every
//! pointer built up front.

use crate::source::{Loc, Node, Value};

/// What a pointer designates in a tree.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Place<'a> {
    /// The node, and the span of its key when its parent is a mapping.
    Found { node: &'a Node, key: Option<Loc> },
    /// The pointer reaches a value that could not be resolved (`${...}`); such
    /// values are never reported.
    Unresolved,
    /// Nothing there.
    Missing,
}

/// Split a JSON pointer into its unescaped segments (`~1` → `/`, `~0` → `~`).
pub(crate) fn segments(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer
        .split('/')
        .skip(1)
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
}

/// Escape one segment for a JSON pointer.
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The framework's dotted form of a pointer (`functions.f.events.0.http`),
/// `root` for the whole document.
pub(crate) fn dotted(pointer: &str) -> String {
    if pointer.is_empty() {
        return "root".to_owned();
    }
    segments(pointer).collect::<Vec<_>>().join(".")
}

/// A string the variable resolver left as written (`${...}`): the framework
/// never sees such a text, so it is treated like [`Value::Unresolved`].
pub(crate) fn is_variable_text(node: &Node) -> bool {
    matches!(&node.value, Value::String(s) if s.contains("${"))
}

/// Walk `pointer` from `root`.
pub(crate) fn locate<'a>(root: &'a Node, pointer: &str) -> Place<'a> {
    let mut node = root;
    let mut key = None;
    for seg in segments(pointer) {
        match &node.value {
            Value::Unresolved(_) => return Place::Unresolved,
            _ if is_variable_text(node) => return Place::Unresolved,
            Value::Map(m) => match m.entry(&seg) {
                Some(e) => {
                    key = Some(e.key_loc);
                    node = &e.value;
                }
                None => return Place::Missing,
            },
            Value::Seq(items) => match seg.parse::<usize>().ok().and_then(|i| items.get(i)) {
                Some(n) => {
                    key = None;
                    node = n;
                }
                None => return Place::Missing,
            },
            // The framework wraps a scalar into a one-element list where a
            // list is expected; element 0 is the scalar itself.
            _ if seg == "0" => {}
            _ => return Place::Missing,
        }
    }
    if node.is_unresolved() || is_variable_text(node) {
        return Place::Unresolved;
    }
    Place::Found { node, key }
}

/// `true` when some value on the way to `pointer` (or at it) is unresolved.
pub(crate) fn passes_unresolved(root: &Node, pointer: &str) -> bool {
    matches!(locate(root, pointer), Place::Unresolved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::json::from_json;
    use crate::source::{FileId, Loc};
    use serde_json::json;

    fn tree(v: serde_json::Value) -> Node {
        from_json(&v, Loc::new(FileId(0), 0, 0))
    }

    #[test]
    fn pointers_unescape() {
        let segs: Vec<_> = segments("/a~1b/c~0d/0").collect();
        assert_eq!(segs, ["a/b", "c~d", "0"]);
        assert_eq!(escape("application/json"), "application~1json");
        assert_eq!(
            dotted("/functions/f/events/0/http"),
            "functions.f.events.0.http"
        );
        assert_eq!(dotted(""), "root");
    }

    #[test]
    fn walks_maps_lists_and_wrapped_scalars() {
        let t = tree(json!({"a": {"b/c": [1, {"d": "x"}]}, "s": "one"}));
        assert!(
            matches!(locate(&t, "/a/b~1c/1/d"), Place::Found { node, .. } if node.as_str() == Some("x"))
        );
        assert!(matches!(locate(&t, "/a/b~1c/5"), Place::Missing));
        assert!(
            matches!(locate(&t, "/s/0"), Place::Found { node, .. } if node.as_str() == Some("one"))
        );
        assert!(matches!(locate(&t, "/zz"), Place::Missing));
    }

    #[test]
    fn variable_text_counts_as_unresolved() {
        let t = tree(json!({"provider": {"stage": "${opt:stage, 'dev'}"}}));
        assert!(passes_unresolved(&t, "/provider/stage"));
        assert!(passes_unresolved(&t, "/provider/stage/x"));
        assert!(!passes_unresolved(&t, "/provider"));
    }
}
