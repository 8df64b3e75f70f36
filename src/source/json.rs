//! [`Node`] ⇄ `serde_json::Value`, in JavaScript property order, and the
//! `JSON.stringify(value, null, 2)` text layout.

use serde_json::Value as Json;

use super::Loc;
use super::node::{Entry, Map, Node, Style, Value, is_array_index, js_number_to_string};

/// Convert a node to JSON. Unresolved values become their source text; use
/// [`Node::unresolved`] first when that matters.
pub fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => number(*n),
        Value::String(s) => Json::String(s.clone()),
        Value::Unresolved(u) => Json::String(u.text.clone()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(m) => Json::Object(
            m.iter()
                .map(|e| (e.key.clone(), to_json(&e.value)))
                .collect(),
        ),
    }
}

/// A JavaScript number as JSON: integral values print without a fraction.
pub fn number(n: f64) -> Json {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        Json::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Json::Null, Json::Number)
    }
}

/// Build a node tree from JSON (tests, and values made by the tool). Every
/// node gets `loc` and [`Style::Synthetic`].
pub fn from_json(value: &Json, loc: Loc) -> Node {
    let v = match value {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::Seq(items.iter().map(|v| from_json(v, loc)).collect()),
        Json::Object(obj) => {
            let mut m = Map::new();
            for (k, v) in obj {
                m.insert(Entry {
                    key: k.clone(),
                    key_loc: loc,
                    value: from_json(v, loc),
                });
            }
            Value::Map(m)
        }
    };
    Node::new(v, loc, Style::Synthetic)
}

/// Reorder every object the way JavaScript enumerates properties:
/// integer-like keys ascending, then the rest in insertion order.
pub fn js_order(value: &mut Json) {
    match value {
        Json::Object(obj) => {
            if obj.keys().any(|k| is_array_index(k)) {
                let taken = std::mem::take(obj);
                let (mut ints, rest): (Vec<_>, Vec<_>) =
                    taken.into_iter().partition(|(k, _)| is_array_index(k));
                ints.sort_by_key(|(k, _)| k.parse::<u64>().unwrap_or(u64::MAX));
                obj.extend(ints);
                obj.extend(rest);
            }
            obj.values_mut().for_each(js_order);
        }
        Json::Array(items) => items.iter_mut().for_each(js_order),
        _ => {}
    }
}

/// `JSON.stringify(value, null, 2)` followed by a newline. Objects are
/// emitted in JavaScript property order.
pub fn stringify_pretty(value: &Json) -> String {
    let mut out = String::new();
    write_pretty(&mut out, value, 0);
    out.push('\n');
    out
}

fn write_pretty(out: &mut String, value: &Json, depth: usize) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => match n.as_f64() {
            // JSON.stringify writes NaN and the infinities as null.
            Some(f) if f.is_finite() => out.push_str(&js_number_to_string(f)),
            _ => out.push_str("null"),
        },
        Json::String(s) => write_string(out, s),
        Json::Array(items) if items.is_empty() => out.push_str("[]"),
        Json::Object(obj) if obj.is_empty() => out.push_str("{}"),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, depth + 1);
                write_pretty(out, item, depth + 1);
            }
            newline_indent(out, depth);
            out.push(']');
        }
        Json::Object(obj) => {
            out.push('{');
            let mut write_entry = |i: usize, k: &str, v: &Json| {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, depth + 1);
                write_string(out, k);
                out.push_str(": ");
                write_pretty(out, v, depth + 1);
            };
            if obj.keys().any(|k| is_array_index(k)) {
                // Integer-like keys first, ascending, then the rest in
                // insertion order (JavaScript property order).
                let mut ints: Vec<(u64, &String, &Json)> = obj
                    .iter()
                    .filter(|(k, _)| is_array_index(k))
                    .map(|(k, v)| (k.parse::<u64>().unwrap_or(u64::MAX), k, v))
                    .collect();
                ints.sort_by_key(|(n, _, _)| *n);
                let rest = obj.iter().filter(|(k, _)| !is_array_index(k));
                let ordered = ints.into_iter().map(|(_, k, v)| (k, v)).chain(rest);
                for (i, (k, v)) in ordered.enumerate() {
                    write_entry(i, k, v);
                }
            } else {
                for (i, (k, v)) in obj.iter().enumerate() {
                    write_entry(i, k, v);
                }
            }
            newline_indent(out, depth);
            out.push('}');
        }
    }
}

pub(crate) fn newline_indent(out: &mut String, depth: usize) {
    const SPACES: &str = "                                                                ";
    out.push('\n');
    let mut width = depth * 2;
    while width > 0 {
        let n = width.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        width -= n;
    }
}

/// The bytes `JSON.stringify` escapes: `"`, `\` and the control characters.
const ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// A string as `JSON.stringify` quotes it: only `"`, `\` and control
/// characters are escaped, with lower-case hex.
pub(crate) fn write_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    // Copy runs of bytes that need no escape in one go; every byte that does
    // is ASCII, so the runs end on character boundaries.
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(offset) = bytes
        .get(start..)
        .and_then(|rest| rest.iter().position(|&b| ESCAPED[usize::from(b)]))
    {
        let i = start + offset;
        out.push_str(s.get(start..i).unwrap_or_default());
        match bytes.get(i).copied().unwrap_or_default() {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{b:04x}");
            }
        }
        start = i + 1;
    }
    out.push_str(s.get(start..).unwrap_or_default());
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn stringify_matches_javascript_layout() {
        let v = json!({"b": [], "500": {}, "a": [1, {"x": "ü\n"}], "202": 1.5});
        assert_eq!(
            stringify_pretty(&v),
            "{\n  \"202\": 1.5,\n  \"500\": {},\n  \"b\": [],\n  \"a\": [\n    1,\n    {\n      \"x\": \"ü\\n\"\n    }\n  ]\n}\n"
        );
    }

    #[test]
    fn numbers_and_strings_are_written_like_javascript() {
        let v = json!([
            1e20,
            1.2345678901234567e19,
            1e21,
            1e-7,
            0.5,
            -0.0,
            "\u{1}\u{8}\"\\/\u{7f}é"
        ]);
        assert_eq!(
            stringify_pretty(&v),
            "[\n  100000000000000000000,\n  12345678901234567000,\n  1e+21,\n  1e-7,\n  0.5,\n  0,\n  \"\\u0001\\b\\\"\\\\/\u{7f}é\"\n]\n"
        );
    }

    #[test]
    fn strings_escape_exactly_what_json_stringify_escapes() {
        // serde_json escapes the same bytes the same way as JSON.stringify.
        let mut text: String = (0u8..0x80).map(char::from).collect();
        text.push_str("é\u{2028}\u{10ffff}\"\"\\");
        let mut out = String::new();
        write_string(&mut out, &text);
        assert_eq!(out, serde_json::to_string(&text).unwrap());
    }

    #[test]
    fn integral_numbers_have_no_fraction() {
        assert_eq!(number(202.0), json!(202));
        assert_eq!(number(0.5), json!(0.5));
    }
}
