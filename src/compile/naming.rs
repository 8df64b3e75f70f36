//! Logical IDs and names: `lib/plugins/aws/lib/naming.js` (the parts the
//! API Gateway compiler uses) and the lodash string helpers they call.

/// lodash `_.upperFirst`.
pub(crate) fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// lodash `_.capitalize`: lower-case everything, then upper-case the first character.
pub(crate) fn capitalize(text: &str) -> String {
    upper_first(&text.to_lowercase())
}

/// `normalizeName`.
pub(crate) fn normalize_name(name: &str) -> String {
    upper_first(name)
}

/// `normalizeNameToAlphaNumericOnly`.
pub(crate) fn normalize_name_to_alpha_numeric_only(name: &str) -> String {
    normalize_name(
        &name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>(),
    )
}

/// `getNormalizedResourceName` / `getNormalizedFunctionName`: `-` → `Dash`,
/// `_` → `Underscore`, first character upper-cased.
pub(crate) fn normalized_function_name(name: &str) -> String {
    normalize_name(&name.replace('-', "Dash").replace('_', "Underscore"))
}

/// `normalizePathPart` (spec §3.3.1).
pub(crate) fn normalize_path_part(part: &str) -> String {
    let capitalized = capitalize(part).replace('-', "Dash");
    // `.replace(/\{(.*)\}/g, '$1Var')`: greedy from the first `{` to the last `}`.
    let replaced = match (capitalized.find('{'), capitalized.rfind('}')) {
        (Some(open), Some(close)) if open < close => format!(
            "{}{}Var{}",
            &capitalized[..open],
            &capitalized[open + 1..close],
            &capitalized[close + 1..]
        ),
        _ => capitalized,
    };
    upper_first(
        &replaced
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>(),
    )
}

/// `normalizePath`: every `/`-separated part normalised and concatenated.
pub(crate) fn normalize_path(path: &str) -> String {
    path.split('/').map(normalize_path_part).collect()
}

pub(crate) fn resource_logical_id(path: &str) -> String {
    format!("ApiGatewayResource{}", normalize_path(path))
}

/// `normalizeMethodName`.
pub(crate) fn normalize_method_name(method: &str) -> String {
    normalize_name(&method.to_lowercase())
}

pub(crate) fn method_logical_id(resource_name: &str, method: &str) -> String {
    format!(
        "ApiGatewayMethod{resource_name}{}",
        normalize_method_name(method)
    )
}

pub(crate) fn lambda_logical_id(function_name: &str) -> String {
    format!("{}LambdaFunction", normalized_function_name(function_name))
}

pub(crate) fn lambda_permission_logical_id(function_name: &str) -> String {
    format!(
        "{}LambdaPermissionApiGateway",
        normalized_function_name(function_name)
    )
}

pub(crate) fn authorizer_logical_id(name: &str) -> String {
    format!("{}ApiGatewayAuthorizer", normalized_function_name(name))
}

/// `extractAuthorizerNameFromArn`: the part after the last `:`, then after the last `-`.
pub(crate) fn extract_authorizer_name_from_arn(arn: &str) -> String {
    let last = arn.rsplit(':').next().unwrap_or(arn);
    last.rsplit('-').next().unwrap_or(last).to_owned()
}

pub(crate) const REST_API_LOGICAL_ID: &str = "ApiGatewayRestApi";

pub(crate) fn deployment_logical_id(instance: u64) -> String {
    format!("ApiGatewayDeployment{instance}")
}

/// 2.x/3.x shared request validator.
pub(crate) fn validator_logical_id(service: &str) -> String {
    format!(
        "ApiGateway{}RequestValidator",
        normalize_name_to_alpha_numeric_only(service)
    )
}

/// 1.x per-method validator.
pub(crate) fn v1_validator_logical_id(resource_name: &str, method: &str) -> String {
    format!("{}Validator", method_logical_id(resource_name, method))
}

/// 2.x/3.x provider-level model (`provider.apiGateway.request.schemas.<id>`).
pub(crate) fn model_logical_id(schema_id: &str) -> String {
    format!("ApiGateway{}Model", upper_first(&camel_case(schema_id)))
}

/// Per-method model: `getEndpointModelLogicalId` (2.x/3.x) and 1.x `getModelLogicalId`.
pub(crate) fn endpoint_model_logical_id(
    resource_name: &str,
    method: &str,
    content_type: &str,
) -> String {
    format!(
        "{}{}Model",
        method_logical_id(resource_name, method),
        start_case(content_type).replace(' ', "")
    )
}

pub(crate) fn api_key_logical_id(number: usize, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("ApiGatewayApiKey{}{number}", normalize_name(n)),
        None => format!("ApiGatewayApiKey{number}"),
    }
}

pub(crate) fn usage_plan_logical_id(name: Option<&str>) -> String {
    match name {
        Some(n) => format!("ApiGatewayUsagePlan{}", normalize_name(n)),
        None => "ApiGatewayUsagePlan".to_owned(),
    }
}

pub(crate) fn usage_plan_key_logical_id(number: usize, name: Option<&str>) -> String {
    match name {
        Some(n) => format!("ApiGatewayUsagePlanKey{}{number}", normalize_name(n)),
        None => format!("ApiGatewayUsagePlanKey{number}"),
    }
}

pub(crate) fn provisioned_concurrency_alias_logical_id(function_name: &str) -> String {
    format!(
        "{}ProvConcLambdaAlias",
        normalized_function_name(function_name)
    )
}

pub(crate) fn snap_start_alias_logical_id(function_name: &str) -> String {
    format!(
        "{}SnapStartLambdaAlias",
        normalized_function_name(function_name)
    )
}

// ---- lodash word splitting -------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Class {
    Upper,
    Lower,
    Digit,
    Break,
}

fn class(c: char) -> Class {
    if c.is_ascii_digit() {
        Class::Digit
    } else if c.is_uppercase() {
        Class::Upper
    } else if c.is_alphabetic() {
        Class::Lower
    } else {
        Class::Break
    }
}

/// lodash `_.words` for the strings configs contain: runs of letters split
/// at lower→upper changes and before the last capital of an all-caps run
/// followed by lower case (`XMLHttp` → `XML`, `Http`), digit runs separate.
pub(crate) fn words(text: &str) -> Vec<String> {
    // Apostrophes are removed before splitting by startCase/camelCase.
    let chars: Vec<char> = text
        .chars()
        .filter(|c| *c != '\'' && *c != '\u{2019}')
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let Some(&c) = chars.get(i) else { break };
        match class(c) {
            Class::Break => i += 1,
            Class::Digit => {
                let start = i;
                while chars.get(i).is_some_and(|c| class(*c) == Class::Digit) {
                    i += 1;
                }
                out.push(chars[start..i].iter().collect());
            }
            Class::Lower => {
                let start = i;
                while chars.get(i).is_some_and(|c| class(*c) == Class::Lower) {
                    i += 1;
                }
                out.push(chars[start..i].iter().collect());
            }
            Class::Upper => {
                let start = i;
                let mut j = i;
                while chars.get(j).is_some_and(|c| class(*c) == Class::Upper) {
                    j += 1;
                }
                let uppers = j - start;
                if chars.get(j).is_some_and(|c| class(*c) == Class::Lower) {
                    if uppers == 1 {
                        // `Abc`
                        let mut k = j;
                        while chars.get(k).is_some_and(|c| class(*c) == Class::Lower) {
                            k += 1;
                        }
                        out.push(chars[start..k].iter().collect());
                        i = k;
                    } else {
                        // `ABc` → `A`, `Bc`
                        out.push(chars[start..j - 1].iter().collect());
                        i = j - 1;
                    }
                } else {
                    out.push(chars[start..j].iter().collect());
                    i = j;
                }
            }
        }
    }
    out
}

/// lodash `_.startCase`: words with their first letter upper-cased, joined by spaces.
pub(crate) fn start_case(text: &str) -> String {
    words(text)
        .iter()
        .map(|w| upper_first(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// lodash `_.camelCase`.
pub(crate) fn camel_case(text: &str) -> String {
    words(text)
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let lower = w.to_lowercase();
            if i == 0 { lower } else { capitalize(&lower) }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parts_follow_the_spec_table() {
        let table = [
            ("testasync", "Testasync"),
            ("users", "Users"),
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
            ("", ""),
        ];
        for (part, name) in table {
            assert_eq!(normalize_path_part(part), name, "{part}");
        }
        assert_eq!(
            normalize_path("users/{id}/my-thing/some_var/file.json/{proxy+}"),
            "UsersIdVarMyDashthingSomevarFilejsonProxyVar"
        );
    }

    #[test]
    fn function_names() {
        assert_eq!(
            normalized_function_name("my-func_name"),
            "MyDashfuncUnderscorename"
        );
        assert_eq!(lambda_logical_id("hello"), "HelloLambdaFunction");
        assert_eq!(
            method_logical_id("Users", "get"),
            "ApiGatewayMethodUsersGet"
        );
        assert_eq!(method_logical_id("", "ANY"), "ApiGatewayMethodAny");
    }

    #[test]
    fn arn_names() {
        assert_eq!(
            extract_authorizer_name_from_arn("arn:aws:lambda:us-east-1:1:function:svc-dev-auth"),
            "auth"
        );
        assert_eq!(extract_authorizer_name_from_arn("abc"), "abc");
    }

    #[test]
    fn lodash_case_helpers() {
        assert_eq!(start_case("application/json"), "Application Json");
        assert_eq!(
            start_case("application/vnd.api+json"),
            "Application Vnd Api Json"
        );
        assert_eq!(start_case("text/xml2"), "Text Xml 2");
        assert_eq!(camel_case("my-schema_id"), "mySchemaId");
        assert_eq!(camel_case("XMLHttpRequest"), "xmlHttpRequest");
        assert_eq!(model_logical_id("post-create"), "ApiGatewayPostCreateModel");
        assert_eq!(
            validator_logical_id("my-service"),
            "ApiGatewayMyserviceRequestValidator"
        );
    }
}
