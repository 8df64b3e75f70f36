//! The JSON the schema validates, built the way the framework hands the
//! config to ajv, and ajv's type coercion.
//!
//! * Mapping keys whose value is `null` are deleted before validation and put
//!   back afterwards (`normalizeUserConfig` in the framework's
//!   `config-schema-handler`), so `path: ~` is a missing `path`.
//! * Serverless 2 and 3 compile the validator with `coerceTypes: 'array'`:
//!   where the schema says `type: X` and the value is of another type, ajv
//!   converts it in place when it can (`'true'` → `true`, `'512'` → `512`,
//!   `5` → `'5'`, `'x'` → `['x']`, `['x']` → `'x'`) and the value then
//!   counts as valid. [`coerce`] reproduces those conversions.

use serde_json::Value as Json;

use crate::source::json::number;
use crate::source::node::js_number_to_string;
use crate::source::{Node, Value};

/// Convert a config tree to the JSON the framework validates. Unresolved
/// values become their source text; findings at them are dropped later.
pub(crate) fn to_instance(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(n) => number(*n),
        Value::String(s) => Json::String(s.clone()),
        Value::Unresolved(u) => Json::String(u.text.clone()),
        Value::Seq(items) => Json::Array(items.iter().map(to_instance).collect()),
        Value::Map(m) => Json::Object(
            m.iter()
                .filter(|e| !e.value.is_null())
                .map(|e| (e.key.clone(), to_instance(&e.value)))
                .collect(),
        ),
    }
}

/// ajv's `coerceTypes: 'array'` conversion of `value` to the JSON type
/// `to` (`string`, `number`, `integer`, `boolean`, `null`, `array`), or
/// `None` when ajv would leave the value alone and report the type error.
pub(crate) fn coerce(value: &Json, to: &str) -> Option<Json> {
    // A one-element array is unwrapped first when a scalar is expected.
    if let Json::Array(items) = value {
        if to != "array" && items.len() == 1 {
            let item = items.first()?;
            if has_type(item, to) {
                return Some(item.clone());
            }
            return coerce_scalar(item, to);
        }
        return None;
    }
    if to == "array" {
        return match value {
            Json::String(_) | Json::Number(_) | Json::Bool(_) | Json::Null => {
                Some(Json::Array(vec![value.clone()]))
            }
            _ => None,
        };
    }
    coerce_scalar(value, to)
}

fn coerce_scalar(value: &Json, to: &str) -> Option<Json> {
    match (to, value) {
        ("string", Json::Number(n)) => Some(Json::String(js_number_to_string(n.as_f64()?))),
        ("string", Json::Bool(b)) => Some(Json::String(b.to_string())),
        ("string", Json::Null) => Some(Json::String(String::new())),
        ("number" | "integer", Json::Bool(b)) => Some(Json::from(u8::from(*b))),
        ("number" | "integer", Json::Null) => Some(Json::from(0)),
        ("number" | "integer", Json::String(s)) => {
            let n = js_numeric(s)?;
            if to == "integer" && n.fract() != 0.0 {
                return None;
            }
            Some(number(n))
        }
        ("boolean", Json::String(s)) => match s.as_str() {
            "true" => Some(Json::Bool(true)),
            "false" => Some(Json::Bool(false)),
            _ => None,
        },
        ("boolean", Json::Number(n)) => match n.as_f64() {
            Some(1.0) => Some(Json::Bool(true)),
            Some(0.0) => Some(Json::Bool(false)),
            _ => None,
        },
        ("boolean", Json::Null) => Some(Json::Bool(false)),
        ("null", Json::String(s)) if s.is_empty() => Some(Json::Null),
        ("null", Json::Number(n)) if n.as_f64() == Some(0.0) => Some(Json::Null),
        ("null", Json::Bool(false)) => Some(Json::Null),
        _ => None,
    }
}

/// JavaScript's `data && data == +data` for a string: a non-empty decimal
/// number, surrounding whitespace allowed.
fn js_numeric(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty()
        || !t
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// `true` when `value` already has JSON type `ty`.
pub(crate) fn has_type(value: &Json, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.as_f64().is_some_and(|n| n.fract() == 0.0),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// The JSON type names a `type` keyword lists.
pub(crate) fn type_names(type_keyword: &Json) -> Vec<&str> {
    match type_keyword {
        Json::String(s) => vec![s.as_str()],
        Json::Array(items) => items.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

/// "a string", "an integer", "a mapping" ... for messages.
pub(crate) fn type_phrase(ty: &str) -> &'static str {
    match ty {
        "string" => "a string",
        "number" => "a number",
        "integer" => "an integer",
        "boolean" => "a boolean",
        "null" => "null",
        "array" => "a list",
        "object" => "a mapping",
        _ => "a value",
    }
}

/// The type of a JSON value, as a phrase.
pub(crate) fn found_phrase(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "a mapping",
    }
}

/// A short rendering of a value for messages: `'fetch'`, `12`, `true`.
pub(crate) fn show(value: &Json) -> String {
    match value {
        Json::String(s) => {
            let mut t: String = s.chars().take(60).collect();
            if s.chars().count() > 60 {
                t.push('…');
            }
            format!("'{t}'")
        }
        Json::Number(n) => n.as_f64().map(js_number_to_string).unwrap_or_default(),
        Json::Bool(b) => b.to_string(),
        Json::Null => "null".to_owned(),
        Json::Array(_) => "a list".to_owned(),
        Json::Object(_) => "a mapping".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::json::from_json;
    use crate::source::{FileId, Loc};
    use serde_json::json;

    #[test]
    fn null_valued_keys_are_left_out() {
        let n = from_json(
            &json!({"a": null, "b": [null, 1], "c": {"d": null}}),
            Loc::new(FileId(0), 0, 0),
        );
        assert_eq!(to_instance(&n), json!({"b": [null, 1], "c": {}}));
    }

    #[test]
    fn coercions_follow_ajv() {
        assert_eq!(coerce(&json!("true"), "boolean"), Some(json!(true)));
        assert_eq!(coerce(&json!("yes"), "boolean"), None);
        assert_eq!(coerce(&json!(0), "boolean"), Some(json!(false)));
        assert_eq!(coerce(&json!(2), "boolean"), None);
        assert_eq!(coerce(&json!("512"), "integer"), Some(json!(512)));
        assert_eq!(coerce(&json!(" 1.5 "), "number"), Some(json!(1.5)));
        assert_eq!(coerce(&json!("1.5"), "integer"), None);
        assert_eq!(coerce(&json!("1536MB"), "integer"), None);
        assert_eq!(coerce(&json!(""), "integer"), None);
        assert_eq!(coerce(&json!(5), "string"), Some(json!("5")));
        assert_eq!(coerce(&json!(true), "string"), Some(json!("true")));
        assert_eq!(coerce(&json!("X-Foo"), "array"), Some(json!(["X-Foo"])));
        assert_eq!(coerce(&json!(["GET"]), "string"), Some(json!("GET")));
        assert_eq!(coerce(&json!(["a", "b"]), "string"), None);
        assert_eq!(coerce(&json!({"a": 1}), "string"), None);
        assert_eq!(coerce(&json!("x"), "object"), None);
    }

    #[test]
    fn phrases() {
        assert_eq!(found_phrase(&json!(1)), "a number");
        assert_eq!(found_phrase(&json!({})), "a mapping");
        assert_eq!(show(&json!("fetch")), "'fetch'");
        assert_eq!(show(&json!(1.5)), "1.5");
        assert_eq!(type_names(&json!(["string", "null"])), ["string", "null"]);
    }
}
