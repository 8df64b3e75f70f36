//! `lib/method/integration.js`: the method's `Integration`.

use crate::compile::js::{Jv, Obj, ObjRef, arr, empty_obj, obj, s, str_recv, to_upper};
use crate::compile::merge::merge;
use crate::compile::validate::and;
use crate::compile::{CompileError, Ctx};

/// `http.response.*` header maps as `_.mapKeys(headers, h => 'method.response.header.' + h)`.
pub(crate) fn map_header_keys(headers: &Jv) -> Obj {
    Obj::from_pairs(
        headers
            .lodash_entries()
            .into_iter()
            .map(|(h, v)| (format!("method.response.header.{h}"), v)),
    )
}

/// The common response headers: CORS origin/credentials, then `response.headers`.
pub(crate) fn response_headers(http: &Jv) -> Jv {
    let headers = empty_obj();
    let cors = http.get("cors");
    if cors.truthy() {
        let mut origin = cors.get("origin");
        let origins = cors.get("origins");
        // TODO remove once "origins" config is deprecated (sic, framework)
        if origins.truthy() && origins.get("length").truthy() {
            origin = s(join_comma(&origins));
        }
        merge(
            &headers,
            &obj([(
                "Access-Control-Allow-Origin",
                s(format!("'{}'", origin.to_js_string())),
            )]),
        );
        // Only set Access-Control-Allow-Credentials when explicitly allowed (omit if false)
        if cors.get("allowCredentials").truthy() {
            let _ = headers.assign("Access-Control-Allow-Credentials", s("true"));
        }
    }
    let response_headers = http.get("response").get("headers");
    if response_headers.truthy() {
        merge(&headers, &response_headers);
    }
    headers
}

/// `origins.join(',')` (non-arrays: their string form).
fn join_comma(list: &Jv) -> String {
    match list {
        Jv::Arr(items) => items
            .items()
            .iter()
            .map(|v| {
                if v.is_nullish() {
                    String::new()
                } else {
                    v.to_js_string()
                }
            })
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_js_string(),
    }
}

impl Ctx<'_> {
    pub(crate) fn get_method_integration(
        &self,
        http: &Jv,
        lambda_logical_id: &str,
        lambda_alias_name: &Jv,
    ) -> Result<Jv, CompileError> {
        let integration_value = http.get("integration");
        let ty = if integration_value.truthy() {
            integration_value.to_js_string()
        } else {
            "AWS_PROXY".to_owned()
        };
        let integration = obj([
            ("IntegrationHttpMethod", s("POST")),
            ("Type", s(ty.clone())),
        ]);

        if ty == "AWS" || ty == "AWS_PROXY" {
            let mut parts = vec![
                s("arn:"),
                obj([("Ref", s("AWS::Partition"))]),
                s(":apigateway:"),
                obj([("Ref", s("AWS::Region"))]),
                s(":lambda:path/2015-03-31/functions/"),
                obj([("Fn::GetAtt", arr(vec![s(lambda_logical_id), s("Arn")]))]),
            ];
            if lambda_alias_name.truthy() {
                parts.push(s(":"));
                parts.push(lambda_alias_name.clone());
            }
            parts.push(s("/invocations"));
            integration.assign("Uri", obj([("Fn::Join", arr(vec![s(""), arr(parts)]))]))?;
        } else if ty == "HTTP" || ty == "HTTP_PROXY" {
            let request = http.get("request");
            let request_method = and(&request, || request.get("method"));
            let method = if request_method.truthy() {
                request_method
            } else {
                http.get("method")
            };
            let upper = to_upper(str_recv(&method, "integrationHttpMethod", "toUpperCase")?);
            integration.assign("Uri", and(&request, || request.get("uri")))?;
            integration.assign("IntegrationHttpMethod", s(upper))?;
            if http.get("connectionType").truthy() {
                integration.assign("ConnectionType", http.get("connectionType"))?;
                integration.assign("ConnectionId", http.get("connectionId"))?;
            }
        }

        if ty == "AWS" || ty == "HTTP" || ty == "MOCK" {
            let request = http.get("request");
            integration.assign(
                "PassthroughBehavior",
                and(&request, || request.get("passThrough")),
            )?;
            integration.assign(
                "ContentHandling",
                and(&request, || request.get("contentHandling")),
            )?;
            integration.assign(
                "RequestTemplates",
                self.get_integration_request_templates(http, ty == "AWS")?,
            )?;
            integration.assign(
                "IntegrationResponses",
                self.get_integration_responses(http)?,
            )?;
        }

        let request = http.get("request");
        let parameters = request.get("parameters");
        let with_parameters = (ty == "AWS" || ty == "HTTP" || ty == "HTTP_PROXY")
            && request.truthy()
            && parameters.truthy()
            && !parameters.object_keys()?.is_empty();
        if with_parameters || http.get("async").truthy() {
            integration.assign(
                "RequestParameters",
                get_integration_request_parameters(http)?,
            )?;
        }

        Ok(obj([("Properties", obj([("Integration", integration)]))]))
    }

    fn get_integration_responses(&self, http: &Jv) -> Result<Jv, CompileError> {
        let mut out = Vec::new();
        let response = http.get("response");
        if !response.truthy() {
            return Ok(arr(out));
        }
        let headers = response_headers(http);
        let status_codes = response.get("statusCodes");
        let entries = match self.fw {
            // 1.x iterates with `_.forEach`, which skips nullish maps.
            crate::model::Framework::V1 => status_codes.lodash_entries(),
            _ => status_codes.object_entries()?,
        };
        for (status_code, config) in entries {
            let response_parameters = map_header_keys(&headers);
            let pattern = config.read("pattern")?;
            let content_handling = if status_code.starts_with('2') {
                response.get("contentHandling")
            } else {
                Jv::Undef
            };
            let response_parameters = Jv::Obj(ObjRef::new(response_parameters));
            let response_templates = empty_obj();
            let integration_response = obj([
                ("StatusCode", s(status_code.clone())),
                (
                    "SelectionPattern",
                    if pattern.truthy() { pattern } else { s("") },
                ),
                ("ResponseParameters", response_parameters.clone()),
                ("ResponseTemplates", response_templates.clone()),
                ("ContentHandling", content_handling),
            ]);
            let code_headers = config.get("headers");
            if code_headers.truthy() {
                merge(
                    &response_parameters,
                    &Jv::Obj(ObjRef::new(map_header_keys(&code_headers))),
                );
            }
            let template = response.get("template");
            if template.truthy() {
                merge(&response_templates, &obj([("application/json", template)]));
            }
            let code_template = config.get("template");
            if code_template.truthy() {
                let t = match code_template {
                    Jv::Str(_) => obj([("application/json", code_template)]),
                    other => other,
                };
                merge(&response_templates, &t);
            }
            out.push(integration_response);
        }
        Ok(arr(out))
    }

    fn get_integration_request_templates(
        &self,
        http: &Jv,
        use_defaults: bool,
    ) -> Result<Jv, CompileError> {
        let mut templates = Obj::new();
        if use_defaults {
            templates.set("application/json", Jv::Str(self.templates.json.clone()));
            templates.set(
                "application/x-www-form-urlencoded",
                Jv::Str(self.templates.form.clone()),
            );
        }
        let request = http.get("request");
        let custom = request.get("template");
        if request.truthy() && custom.typeof_object() {
            let entries = match self.fw {
                // 1.x: `_.entries` (a null template gives nothing)
                crate::model::Framework::V1 => custom.lodash_entries(),
                _ => custom.object_entries()?,
            };
            for (content_type, template) in entries {
                if matches!(template, Jv::Null) {
                    templates.remove(&content_type);
                } else {
                    templates.set(content_type, template);
                }
            }
        }
        Ok(if templates.is_empty() {
            Jv::Undef
        } else {
            Jv::Obj(ObjRef::new(templates))
        })
    }
}

/// `getIntegrationRequestParameters`.
fn get_integration_request_parameters(http: &Jv) -> Result<Jv, CompileError> {
    let mut out = Obj::new();
    let request = http.get("request");
    let parameters = request.get("parameters");
    if request.truthy() && parameters.truthy() {
        for (key, value) in parameters.object_entries()? {
            let mapped = value.read("mappedValue")?;
            let suffix: String = {
                let units: Vec<u16> = key.encode_utf16().collect();
                String::from_utf16_lossy(units.get(7..).unwrap_or(&[]))
            };
            out.set(
                format!("integration.{suffix}"),
                if mapped.truthy() {
                    mapped
                } else {
                    s(key.clone())
                },
            );
        }
    }
    if http.get("async").truthy() {
        out.set(
            "integration.request.header.X-Amz-Invocation-Type",
            s("'Event'"),
        );
    }
    Ok(Jv::Obj(ObjRef::new(out)))
}
