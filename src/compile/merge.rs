//! lodash helpers the compiler relies on: `_.merge` (how every resource is
//! written into the template, so a repeated logical ID is deep-merged into
//! the first one's position) and `_.union`.

use super::js::{Jv, ObjRef, arr, empty_obj};

/// `_.merge(dest, src)`: plain objects merge key-wise, arrays index-wise
/// (into a fresh array unless the destination already holds one), scalars
/// from `src` win, `undefined` from `src` never overwrites an existing key
/// but does create a missing one. Sources are deep-copied.
pub(crate) fn merge(dest: &Jv, src: &Jv) {
    merge_at(dest, src, 0);
}

/// `_.merge(dest, ...sources)` returning the destination.
pub(crate) fn merged(dest: Jv, sources: &[&Jv]) -> Jv {
    for s in sources {
        merge(&dest, s);
    }
    dest
}

/// `_.merge(dest, ...sources)` for sources that nothing else holds: what
/// the merge would deep-copy out of them is moved instead (the same result,
/// since no one can see the sources afterwards).
pub(crate) fn merged_owned(dest: Jv, sources: Vec<Jv>) -> Jv {
    for s in sources {
        merge_owned(&dest, s, 0);
    }
    dest
}

/// `_.merge` into an object reference.
pub(crate) fn merge_into(dest: &ObjRef, src: &Jv) {
    merge(&Jv::Obj(dest.clone()), src);
}

/// Deeper than any config (guards against reference cycles).
const MAX_DEPTH: usize = 10_000;

fn merge_at(dest: &Jv, src: &Jv, depth: usize) {
    if depth > MAX_DEPTH || (dest.is_object() && dest.same_value_zero(src)) {
        return;
    }
    let entries: Vec<(String, Jv)> = match src {
        Jv::Obj(o) => o.entries(),
        Jv::Arr(a) => a
            .items()
            .into_iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        // A string source is array-like for `keysIn`: its characters merge
        // in under index keys.
        Jv::Str(t) => t
            .encode_utf16()
            .enumerate()
            .map(|(i, u)| {
                (
                    i.to_string(),
                    Jv::Str(String::from_utf16_lossy(&[u]).into()),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    for (key, value) in entries {
        match value {
            // Merged into a fresh object or array, that is, copied.
            Jv::Obj(_) | Jv::Arr(_) if !dest.has_own(&key) => {
                assign_merge_value(dest, &key, value.deep_copy(depth + 1));
            }
            Jv::Obj(_) | Jv::Arr(_) => merge_deep(dest, &key, &value, depth),
            other => assign_merge_value(dest, &key, other),
        }
    }
}

/// [`merge_at`] consuming its source.
fn merge_owned(dest: &Jv, src: Jv, depth: usize) {
    if depth > MAX_DEPTH || (dest.is_object() && dest.same_value_zero(&src)) {
        return;
    }
    let entries = match src {
        Jv::Obj(o) => match o.into_entries() {
            Ok(entries) => entries,
            Err(shared) => return merge_at(dest, &Jv::Obj(shared), depth),
        },
        other => return merge_at(dest, &other, depth),
    };
    for (key, value) in entries {
        match value {
            Jv::Obj(_) | Jv::Arr(_) if !dest.has_own(&key) => {
                assign_merge_value(dest, &key, value.into_unshared(depth + 1));
            }
            Jv::Obj(_) | Jv::Arr(_) => {
                let target = merge_target(dest, &key, &value);
                merge_owned(&target, value, depth + 1);
                assign_merge_value(dest, &key, target);
            }
            other => assign_merge_value(dest, &key, other),
        }
    }
}

/// The value `baseMergeDeep` merges `src_value` into: the existing one when
/// the kinds allow it, else a fresh object or array.
fn merge_target(dest: &Jv, key: &str, src_value: &Jv) -> Jv {
    let current = if dest.has_own(key) {
        dest.get(key)
    } else {
        Jv::Undef
    };
    match (src_value, current) {
        // An array source merges into an existing array only.
        (Jv::Arr(_), current @ Jv::Arr(_)) => current,
        (Jv::Arr(_), _) => arr(Vec::new()),
        // A plain-object source merges into any existing object (arrays included).
        (_, current @ (Jv::Obj(_) | Jv::Arr(_))) => current,
        _ => empty_obj(),
    }
}

/// `baseMergeDeep`.
fn merge_deep(dest: &Jv, key: &str, src_value: &Jv, depth: usize) {
    let target = merge_target(dest, key, src_value);
    merge_at(&target, src_value, depth + 1);
    assign_merge_value(dest, key, target);
}

/// `assignMergeValue`.
fn assign_merge_value(dest: &Jv, key: &str, value: Jv) {
    let exists = dest.has_own(key);
    if value.is_undef() {
        if !exists {
            let _ = dest.assign(key, Jv::Undef);
        }
        return;
    }
    if exists && dest.get(key).same_value_zero(&value) {
        return;
    }
    // Non-index keys on arrays are invisible in JSON; ignore them.
    if matches!(dest, Jv::Arr(_))
        && key.parse::<usize>().map(|i| i.to_string()).as_deref() != Ok(key)
    {
        return;
    }
    let _ = dest.assign(key, value);
}

/// `_.union(a, b)`: the items of every array argument (non-arrays are
/// skipped), first occurrence kept, compared with `SameValueZero`.
pub(crate) fn union(arrays: &[&Jv]) -> Vec<Jv> {
    let mut out: Vec<Jv> = Vec::new();
    for a in arrays {
        if let Jv::Arr(items) = a {
            for item in items.items() {
                if !out.iter().any(|o| o.same_value_zero(&item)) {
                    out.push(item);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::js::{arr, obj, s};

    #[test]
    fn scalars_of_the_later_source_win_and_keep_position() {
        let a = obj([("A", s("1")), ("B", s("2"))]);
        merge(&a, &obj([("B", s("3")), ("C", s("4"))]));
        assert_eq!(a, obj([("A", s("1")), ("B", s("3")), ("C", s("4"))]));
    }

    #[test]
    fn arrays_merge_index_wise() {
        let a = obj([("D", arr(vec![s("x"), s("y")]))]);
        merge(&a, &obj([("D", arr(vec![s("z")]))]));
        assert_eq!(a, obj([("D", arr(vec![s("z"), s("y")]))]));
    }

    #[test]
    fn array_replaces_a_scalar_and_object_merges_into_array() {
        let a = obj([("D", s("x"))]);
        merge(&a, &obj([("D", arr(vec![s("z")]))]));
        assert_eq!(a, obj([("D", arr(vec![s("z")]))]));
        let b = obj([("P", obj([("Ref", s("R"))]))]);
        merge(&b, &obj([("P", obj([("Fn::GetAtt", arr(vec![s("X")]))]))]));
        assert_eq!(
            b,
            obj([(
                "P",
                obj([("Ref", s("R")), ("Fn::GetAtt", arr(vec![s("X")]))])
            )])
        );
    }

    #[test]
    fn undefined_creates_but_never_overwrites() {
        let a = obj([("A", s("1"))]);
        merge(&a, &obj([("A", Jv::Undef), ("B", Jv::Undef)]));
        assert_eq!(a, obj([("A", s("1")), ("B", Jv::Undef)]));
        merge(&a, &obj([("B", s("2"))]));
        assert_eq!(a, obj([("A", s("1")), ("B", s("2"))]));
    }

    #[test]
    fn sources_are_deep_copied() {
        let src = obj([("X", obj([("Y", arr(vec![s("1")]))]))]);
        let a = obj::<&str>([]);
        merge(&a, &src);
        assert_eq!(a, src);
        assert!(!a.get("X").same_value_zero(&src.get("X")));
    }

    #[test]
    fn merging_owned_sources_gives_what_merging_copies_gives() {
        let shared = obj([("Ref", s("R"))]);
        let make = || {
            (
                obj([
                    ("Type", s("T")),
                    ("Properties", obj([("A", s("1")), ("L", arr(vec![s("x")]))])),
                ]),
                vec![
                    obj([("Properties", obj([("B", shared.clone()), ("A", Jv::Undef)]))]),
                    obj([(
                        "Properties",
                        obj([("L", arr(vec![s("y"), s("z")])), ("C", Jv::Null)]),
                    )]),
                    obj([("DependsOn", arr(vec![shared.clone()]))]),
                ],
            )
        };
        let (dest, sources) = make();
        let copied = merged(dest, &sources.iter().collect::<Vec<_>>());
        let (dest, sources) = make();
        let moved = merged_owned(dest, sources);
        assert_eq!(moved, copied);
        // What the config still holds is copied, never moved in.
        assert!(!moved.get("Properties").get("B").same_value_zero(&shared));
        assert!(!moved.get("DependsOn").get("0").same_value_zero(&shared));
    }

    #[test]
    fn union_keeps_first_occurrences() {
        let a = arr(vec![s("GET"), s("OPTIONS")]);
        let b = arr(vec![s("OPTIONS"), s("POST"), s("GET")]);
        assert_eq!(union(&[&a, &b]), vec![s("GET"), s("OPTIONS"), s("POST")]);
        assert_eq!(
            union(&[&s("abc"), &Jv::Undef, &a]),
            vec![s("GET"), s("OPTIONS")]
        );
    }
}
