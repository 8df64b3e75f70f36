//! CloudFormation JSON written as YAML (`render --format yaml`): block style,
//! strings quoted whenever a plain scalar could be read back as something else.

use serde_json::Value as Json;

/// YAML text for `value`, ending with a newline.
pub fn to_yaml(value: &Json) -> String {
    let mut out = String::new();
    match value {
        Json::Object(m) if !m.is_empty() => write_map(&mut out, m, 0),
        Json::Array(a) if !a.is_empty() => write_seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn is_plain_safe(s: &str) -> bool {
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '_' || first == '/') {
        return false;
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | '-' | ':'))
    {
        return false;
    }
    if s.ends_with(':') || s.contains(": ") {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "nan" | "inf"
    )
}

fn quote(s: &str) -> String {
    if is_plain_safe(s) {
        s.to_owned()
    } else {
        Json::String(s.to_owned()).to_string()
    }
}

fn scalar(v: &Json) -> String {
    match v {
        Json::String(s) => quote(s),
        Json::Object(_) => "{}".to_owned(),
        Json::Array(_) => "[]".to_owned(),
        other => other.to_string(),
    }
}

fn is_nested(v: &Json) -> bool {
    matches!(v, Json::Object(m) if !m.is_empty()) || matches!(v, Json::Array(a) if !a.is_empty())
}

fn write_map(out: &mut String, m: &serde_json::Map<String, Json>, indent: usize) {
    for (k, v) in m {
        out.push_str(&" ".repeat(indent));
        out.push_str(&quote(k));
        out.push(':');
        write_value(out, v, indent);
    }
}

fn write_seq(out: &mut String, a: &[Json], indent: usize) {
    for v in a {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        match v {
            Json::Object(m) if !m.is_empty() => {
                // First key on the dash line, the rest aligned under it.
                let mut first = true;
                for (k, val) in m {
                    if first {
                        out.push(' ');
                        first = false;
                    } else {
                        out.push_str(&" ".repeat(indent + 2));
                    }
                    out.push_str(&quote(k));
                    out.push(':');
                    write_value(out, val, indent + 2);
                }
            }
            Json::Array(inner) if !inner.is_empty() => {
                out.push('\n');
                write_seq(out, inner, indent + 2);
            }
            other => {
                out.push(' ');
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
}

fn write_value(out: &mut String, v: &Json, indent: usize) {
    if is_nested(v) {
        out.push('\n');
        match v {
            Json::Object(m) => write_map(out, m, indent + 2),
            Json::Array(a) => write_seq(out, a, indent + 2),
            _ => {}
        }
    } else {
        out.push(' ');
        out.push_str(&scalar(v));
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_block_yaml_with_safe_quoting() {
        let v = json!({"Resources": {"A": {"Type": "AWS::ApiGateway::Method", "DependsOn": ["B"],
            "Properties": {"X": "yes", "N": 1, "E": {}, "L": [{"StatusCode": "200", "S": ""}], "T": "a\nb"}}}});
        assert_eq!(
            to_yaml(&v),
            "Resources:\n  A:\n    Type: AWS::ApiGateway::Method\n    DependsOn:\n      - B\n    Properties:\n      X: \"yes\"\n      \"N\": 1\n      E: {}\n      L:\n        - StatusCode: \"200\"\n          S: \"\"\n      T: \"a\\nb\"\n"
        );
    }
}
