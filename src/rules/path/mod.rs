//! Paths and methods: logical-ID collisions, duplicates, shorthand, methods.

pub mod method_invalid;
pub mod path_logical_id_collision;
pub mod route_duplicate;
pub mod shorthand_malformed;

/// The framework's `normalizePathPart` for one path segment (lodash
/// `capitalize`, `-` → `Dash`, `{x}` → `xVar` (first `{` to last `}`), drop
/// everything but `[0-9A-Za-z]`, upper-case the first character).
pub fn normalize_path_part(segment: &str) -> String {
    let mut chars = segment.chars();
    let capitalized: String = match chars.next() {
        Some(c) => c
            .to_uppercase()
            .chain(chars.as_str().to_lowercase().chars())
            .collect(),
        None => String::new(),
    };
    let dashed = capitalized.replace('-', "Dash");
    let braced = match (dashed.find('{'), dashed.rfind('}')) {
        (Some(a), Some(b)) if a < b => format!(
            "{}{}Var{}",
            &dashed[..a],
            &dashed[a + 1..b],
            &dashed[b + 1..]
        ),
        _ => dashed,
    };
    let kept: String = braced.chars().filter(char::is_ascii_alphanumeric).collect();
    let mut out = kept.chars();
    match out.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + out.as_str(),
        None => String::new(),
    }
}

/// The resource name of a trimmed path (`''` for the root).
pub fn resource_name(path: &str) -> String {
    if path.is_empty() {
        return String::new();
    }
    path.split('/').map(normalize_path_part).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parts_normalise_like_the_framework() {
        for (seg, name) in [
            ("testasync", "Testasync"),
            ("my-thing", "MyDashthing"),
            ("some_var", "Somevar"),
            ("file.json", "Filejson"),
            ("v1.0", "V10"),
            ("CamelCase", "Camelcase"),
            ("UPPER", "Upper"),
            ("{id}", "IdVar"),
            ("{proxy+}", "ProxyVar"),
            ("{thing_id}", "ThingidVar"),
            ("{userId}", "UseridVar"),
            ("{a}{b}", "AbVar"),
            ("sub-Items", "SubDashitems"),
            ("123abc", "123abc"),
            ("*", ""),
        ] {
            assert_eq!(normalize_path_part(seg), name, "{seg}");
        }
        assert_eq!(
            resource_name("users/{id}/my-thing/some_var/file.json/{proxy+}"),
            "UsersIdVarMyDashthingSomevarFilejsonProxyVar"
        );
    }
}
