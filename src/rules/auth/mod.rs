//! Authorizers: what the framework needs to resolve them.

pub mod authorizer_function_undefined;
pub mod authorizer_without_name_or_arn;

use crate::source::Node;

/// The function an authorizer names (string without `:`, not `aws_iam`; or an
/// object with `name` and neither `arn` nor `type` + `authorizerId`), with the node holding the name.
pub fn authorizer_function(a: &Node) -> Option<(&str, &Node)> {
    if let Some(s) = a.as_str() {
        if s.eq_ignore_ascii_case("aws_iam") || s.contains(':') {
            return None;
        }
        return Some((s, a));
    }
    let m = a.as_map()?;
    let ty = m.get("type");
    if ty.is_some_and(Node::truthy) && m.get("authorizerId").is_some_and(Node::truthy) {
        return None;
    }
    if ty
        .and_then(Node::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("aws_iam"))
    {
        return None;
    }
    if m.get("arn").is_some_and(Node::truthy) {
        return None;
    }
    let name = m.get("name")?;
    name.as_str().filter(|s| !s.is_empty()).map(|s| (s, name))
}
