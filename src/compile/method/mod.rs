//! `lib/method/index.js`: one `AWS::ApiGateway::Method` per event.

mod authorization;
mod integration;
mod responses;

use super::js::{Jv, Obj, ObjRef, arr, arr_recv, empty_obj, obj, s, str_recv, to_upper};
use super::merge::merged_owned;
use super::{CompileError, Ctx, PermissionMapping, naming};
use crate::model::Framework;

impl Ctx<'_> {
    pub(crate) fn compile_methods(&mut self) -> Result<(), CompileError> {
        self.permission_mapping = Vec::new();
        for index in 0..self.events.len() {
            self.compile_method(index)?;
        }
        Ok(())
    }

    fn compile_method(&mut self, index: usize) -> Result<(), CompileError> {
        let Some(event) = self.events.get(index).cloned() else {
            return Ok(());
        };
        let fw = self.fw;
        let http = &event.http;
        let loc = self.event_loc(&event.function_name, event.event_index, &[]);
        let path = http.get("path").to_js_string();
        let resource_id = self.get_resource_id(&path).map_err(|e| e.at(loc))?;
        let resource_name = self
            .get_resource_name(&path)
            .map_err(|e| e.at(loc))?
            .to_js_string();

        let mut request_parameters = Obj::new();
        let request = http.get("request");
        let parameters = request.get("parameters");
        if request.truthy() && parameters.truthy() {
            let entries = match fw {
                Framework::V1 => parameters.lodash_entries(),
                _ => parameters.object_entries()?,
            };
            for (key, value) in entries {
                let v = match fw {
                    // 1.75.0 – 2.4.x: `required` if defined, else the whole value
                    Framework::V1 => {
                        let required = value.read("required").map_err(|e| e.at(loc))?;
                        if required.is_undef() { value } else { required }
                    }
                    // 2.5.0: an object without `required` means required
                    _ => {
                        if !value.is_object() {
                            value
                        } else {
                            let required = value.get("required");
                            if required.is_nullish() {
                                Jv::Bool(true)
                            } else {
                                required
                            }
                        }
                    }
                };
                request_parameters.set(key, v);
            }
        }

        let permission = naming::lambda_permission_logical_id(&event.function_name);
        let method = http.get("method");
        let method_text = str_recv(&method, "event.http.method", "toUpperCase")?.to_owned();
        let mut properties = Obj::new();
        properties.set("HttpMethod", s(to_upper(&method_text)));
        properties.set(
            "RequestParameters",
            Jv::Obj(ObjRef::new(request_parameters)),
        );
        properties.set("ResourceId", resource_id);
        properties.set("RestApiId", self.rest_api_id());
        properties.set("OperationName", http.get("operationId"));
        properties.set("ApiKeyRequired", Jv::Bool(http.get("private").truthy()));
        let template = obj([
            ("Type", s("AWS::ApiGateway::Method")),
            ("Properties", Jv::Obj(ObjRef::new(properties))),
        ]);
        if fw != Framework::V1 {
            // 2.48.1 (#9525): every method depends on the function's permission
            template.assign("DependsOn", arr(vec![s(permission)]))?;
        }

        let method_logical_id = naming::method_logical_id(&resource_name, &method_text);
        let lambda_logical_id = naming::lambda_logical_id(&event.function_name);
        let function_object = self.function_object(&event.function_name);
        let alias = function_object.get("targetAlias");
        let lambda_alias_name = super::validate::and(&alias, || alias.get("name"));
        let lambda_alias_logical_id = super::validate::and(&alias, || alias.get("logicalId"));
        self.permission_mapping.push(PermissionMapping {
            lambda_logical_id: lambda_logical_id.clone(),
            lambda_alias_name: lambda_alias_name.clone(),
            lambda_alias_logical_id: lambda_alias_logical_id.clone(),
            event: index,
        });
        if matches!(fw, Framework::V3 | Framework::Osls)
            && lambda_alias_logical_id.truthy()
            && let Jv::Arr(deps) = template.get("DependsOn")
        {
            deps.push(lambda_alias_logical_id.clone());
        }

        let authorization = self.get_method_authorization(http).map_err(|e| {
            e.at(self.event_loc(&event.function_name, event.event_index, &["authorizer"]))
        })?;
        let integration = self
            .get_method_integration(http, &lambda_logical_id, &lambda_alias_name)
            .map_err(|e| e.at(loc))?;
        let responses = self.get_method_responses(http).map_err(|e| e.at(loc))?;
        let template = merged_owned(template, vec![authorization, integration, responses]);

        let authorizer = http.get("authorizer");
        let mut claims_string = String::new();
        if authorizer.truthy() {
            let claims = authorizer.get("claims");
            let claims = if claims.truthy() {
                claims
            } else {
                arr(Vec::new())
            };
            let list = arr_recv(&claims, "claims", "map")
                .map_err(|e| e.at(loc))?
                .items();
            let extra: Vec<String> = list
                .iter()
                .map(|claim| {
                    if let Jv::Str(c) = claim
                        && let Some(colon) = c.find(':')
                    {
                        let sub = &c[colon + 1..];
                        return format!("\"{sub}\": \"$context.authorizer.claims['{c}']\"");
                    }
                    let c = claim.to_js_string();
                    format!("\"{c}\": \"$context.authorizer.claims.{c}\"")
                })
                .collect();
            if !extra.is_empty() {
                claims_string = format!("{},", extra.join(","));
            }
        }
        if let Jv::Obj(templates) = template
            .get("Properties")
            .get("Integration")
            .get("RequestTemplates")
        {
            for (key, value) in templates.entries() {
                str_recv(&value, "value", "replace").map_err(|e| e.at(loc))?;
                if let Jv::Str(text) = &value {
                    let filled = self.templates.fill_claims(text, &claims_string);
                    templates.set(key, Jv::Str(filled));
                }
            }
        }

        self.method_logical_ids.push(method_logical_id.clone());

        if fw == Framework::V1 {
            // 1.42.0 – 1.x: request.schema → per-method validator and models
            let schema = http.get("request").get("schema");
            if http.get("request").truthy() && schema.truthy() {
                let validator_logical_id =
                    naming::v1_validator_logical_id(&resource_name, &method_text);
                for (content_type, schema_value) in schema.lodash_entries() {
                    let model_logical_id = naming::endpoint_model_logical_id(
                        &resource_name,
                        &method_text,
                        &content_type,
                    );
                    if let Jv::Obj(props) = template.get("Properties") {
                        props.set(
                            "RequestValidatorId",
                            obj([("Ref", s(validator_logical_id.clone()))]),
                        );
                        let mut models = props.get("RequestModels").unwrap_or(Jv::Undef);
                        if !models.truthy() {
                            models = empty_obj();
                        }
                        models
                            .assign(&content_type, obj([("Ref", s(model_logical_id.clone()))]))?;
                        props.set("RequestModels", models);
                    }
                    let rest_api_id = self.rest_api_id();
                    super::merge::merge_into(
                        &self.resources,
                        &obj([
                            (
                                model_logical_id.clone(),
                                obj([
                                    ("Type", s("AWS::ApiGateway::Model")),
                                    (
                                        "Properties",
                                        obj([
                                            ("RestApiId", rest_api_id.clone()),
                                            ("ContentType", s(content_type.clone())),
                                            ("Schema", schema_value),
                                        ]),
                                    ),
                                ]),
                            ),
                            (
                                validator_logical_id.clone(),
                                obj([
                                    ("Type", s("AWS::ApiGateway::RequestValidator")),
                                    (
                                        "Properties",
                                        obj([
                                            ("RestApiId", rest_api_id),
                                            ("ValidateRequestBody", Jv::Bool(true)),
                                            ("ValidateRequestParameters", Jv::Bool(true)),
                                        ]),
                                    ),
                                ]),
                            ),
                        ]),
                    );
                    self.note_extra(index, model_logical_id);
                    self.note_extra(index, validator_logical_id.clone());
                }
            }
        }

        self.merge_resource(&method_logical_id, template);
        Ok(())
    }

    /// Remember that event `index`'s method uses resource `id`.
    pub(crate) fn note_extra(&mut self, index: usize, id: String) {
        if let Some(list) = self.event_extras.get_mut(index)
            && !list.contains(&id)
        {
            list.push(id);
        }
    }
}
