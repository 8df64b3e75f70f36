//! `lib/cors.js`: one `OPTIONS` preflight method per path with CORS.

use super::js::{
    Jv, Obj, ObjRef, arr, arr_recv, empty_obj, obj, replace_first, s, str_recv, type_error,
};
use super::{CompileError, Ctx, naming};
use crate::model::Framework;

impl Ctx<'_> {
    pub(crate) fn compile_cors(&mut self) -> Result<(), CompileError> {
        let entries: Vec<(String, Jv)> = self.cors_preflight.entries();
        for (path, config) in entries {
            let cors_loc = self.cors_loc(&path);
            let resource_name = self.get_resource_name(&path).map_err(|e| e.at(cors_loc))?;
            let resource_ref = self.get_resource_id(&path).map_err(|e| e.at(cors_loc))?;
            let cors_method_logical_id =
                naming::method_logical_id(&resource_name.to_js_string(), "options");

            let mut origin = config.get("origin");
            let mut origins = match config.get("origins") {
                o @ Jv::Arr(_) => o,
                _ => Jv::Undef,
            };
            if origin.truthy() && js_index_of_comma(&origin).map_err(|e| e.at(cors_loc))? {
                let text = str_recv(&origin, "origin", "split").map_err(|e| e.at(cors_loc))?;
                origins = arr(text.split(',').map(|a| s(js_trim(a))).collect());
            }
            if let Jv::Arr(list) = &origins
                && let Some(first) = list.first()
            {
                origin = first;
            }
            if self.fw == Framework::V1 && !origin.truthy() {
                return Err(CompileError::new("must specify either origin or origins").at(cors_loc));
            }

            let headers = config.get("headers");
            let methods = config.get("methods");
            let mut preflight = Obj::new();
            preflight.set(
                "Access-Control-Allow-Origin",
                s(format!("'{}'", origin.to_js_string())),
            );
            preflight.set(
                "Access-Control-Allow-Headers",
                s(format!("'{}'", js_join(&headers, "config.headers")?)),
            );
            preflight.set(
                "Access-Control-Allow-Methods",
                s(format!("'{}'", js_join(&methods, "config.methods")?)),
            );
            // Only set Access-Control-Allow-Credentials when explicitly allowed (omit if false)
            let cred = config.get("allowCredentials");
            if cred.truthy() {
                preflight.set(
                    "Access-Control-Allow-Credentials",
                    s(format!("'{}'", cred.to_js_string())),
                );
            }
            // Enable CORS Max Age usage if set
            let max_age = config.get("maxAge");
            if max_age.truthy() {
                preflight.set(
                    "Access-Control-Max-Age",
                    s(format!("'{}'", max_age.to_js_string())),
                );
            }
            // Allow Cache-Control header if set
            let cache_control = config.get("cacheControl");
            if cache_control.truthy() {
                preflight.set(
                    "Cache-Control",
                    s(format!("'{}'", cache_control.to_js_string())),
                );
            }
            if methods
                .items()
                .is_some_and(|m| m.iter().any(|x| x.strict_eq(&s("ANY"))))
            {
                let current = preflight
                    .get("Access-Control-Allow-Methods")
                    .map(Jv::to_js_string)
                    .unwrap_or_default();
                preflight.set(
                    "Access-Control-Allow-Methods",
                    s(replace_first(
                        &current,
                        "ANY",
                        "DELETE,GET,HEAD,PATCH,POST,PUT",
                    )),
                );
            }

            self.method_logical_ids.push(cors_method_logical_id.clone());

            let method_response_parameters = Obj::from_pairs(
                preflight
                    .keys()
                    .map(|h| (format!("method.response.header.{h}"), Jv::Bool(true))),
            );
            let integration_response_parameters = Obj::from_pairs(
                preflight
                    .iter()
                    .map(|(h, v)| (format!("method.response.header.{h}"), v.clone())),
            );
            let template = match &origins {
                Jv::Arr(list) if !list.is_empty() => {
                    s(cors_response_template(&list.items()).map_err(|e| e.at(cors_loc))?)
                }
                _ => s(""),
            };
            let resource = obj([
                ("Type", s("AWS::ApiGateway::Method")),
                (
                    "Properties",
                    obj([
                        ("AuthorizationType", s("NONE")),
                        ("HttpMethod", s("OPTIONS")),
                        (
                            "MethodResponses",
                            arr(vec![obj([
                                ("StatusCode", s("200")),
                                (
                                    "ResponseParameters",
                                    Jv::Obj(ObjRef::new(method_response_parameters)),
                                ),
                                ("ResponseModels", empty_obj()),
                            ])]),
                        ),
                        ("RequestParameters", empty_obj()),
                        (
                            "Integration",
                            obj([
                                ("Type", s("MOCK")),
                                (
                                    "RequestTemplates",
                                    obj([("application/json", s("{statusCode:200}"))]),
                                ),
                                ("ContentHandling", s("CONVERT_TO_TEXT")),
                                (
                                    "IntegrationResponses",
                                    arr(vec![obj([
                                        ("StatusCode", s("200")),
                                        (
                                            "ResponseParameters",
                                            Jv::Obj(ObjRef::new(integration_response_parameters)),
                                        ),
                                        (
                                            "ResponseTemplates",
                                            obj([("application/json", template)]),
                                        ),
                                    ])]),
                                ),
                            ]),
                        ),
                        ("ResourceId", resource_ref),
                        ("RestApiId", self.rest_api_id()),
                    ]),
                ),
            ]);
            self.merge_resource(&cors_method_logical_id, resource);
        }
        Ok(())
    }

    /// The `cors` key of the first event on `path` that has one.
    fn cors_loc(&self, path: &str) -> Option<crate::source::Loc> {
        self.events
            .iter()
            .find(|e| e.http.get("path").as_str() == Some(path) && e.http.get("cors").truthy())
            .and_then(|e| self.event_loc(&e.function_name, e.event_index, &["cors"]))
    }
}

/// `origin.indexOf(',') !== -1` for a string or array origin.
fn js_index_of_comma(origin: &Jv) -> Result<bool, CompileError> {
    match origin {
        Jv::Str(t) => Ok(t.contains(',')),
        Jv::Arr(items) => Ok(items.items().iter().any(|i| i.strict_eq(&s(",")))),
        other => Err(str_recv(other, "origin", "indexOf")
            .err()
            .unwrap_or_else(|| type_error(""))),
    }
}

/// `String.prototype.trim`.
fn js_trim(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .to_owned()
}

/// `list.join(',')`.
fn js_join(list: &Jv, expr: &str) -> Result<String, CompileError> {
    let items = arr_recv(list, expr, "join")?.items();
    Ok(items
        .iter()
        .map(|v| {
            if v.is_nullish() {
                String::new()
            } else {
                v.to_js_string()
            }
        })
        .collect::<Vec<_>>()
        .join(","))
}

/// `generateCorsResponseTemplate`: origins as Java regexes (`.` → `[.]`,
/// the first `*` → `.+`).
fn cors_response_template(origins: &[Jv]) -> Result<String, CompileError> {
    let mut regexes = Vec::new();
    for o in origins {
        let text = str_recv(o, "str", "replace")?;
        regexes.push(replace_first(&text.replace('.', "[.]"), "*", ".+"));
    }
    let conditions = regexes
        .iter()
        .map(|r| format!("$origin.matches(\"{r}\")"))
        .collect::<Vec<_>>()
        .join(" || ");
    Ok(format!(
        "#set($origin = $input.params(\"Origin\"))\n#if($origin == \"\") #set($origin = $input.params(\"origin\")) #end\n#if({conditions}) #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin) #end"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_template_regexifies_origins() {
        let t = cors_response_template(&[s("*.example.com"), s("https://a.b")]).unwrap_or_default();
        assert_eq!(
            t,
            "#set($origin = $input.params(\"Origin\"))\n#if($origin == \"\") #set($origin = $input.params(\"origin\")) #end\n#if($origin.matches(\".+[.]example[.]com\") || $origin.matches(\"https://a[.]b\")) #set($context.responseOverride.header.Access-Control-Allow-Origin = $origin) #end"
        );
    }
}
