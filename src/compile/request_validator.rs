//! `lib/request-validator.js` (2.x `lib/requestValidator.js`): the shared
//! `AWS::ApiGateway::RequestValidator` and the `AWS::ApiGateway::Model`s of
//! `request.schemas` (and, in 2.x, the deprecated `request.schema`).

use super::js::{Jv, empty_obj, obj, reference, s};
use super::{CompileError, Ctx, naming};
use crate::model::Framework;

impl Ctx<'_> {
    pub(crate) fn compile_request_validators(&mut self) -> Result<(), CompileError> {
        let api = self.api_gateway();
        let api_config = if api.truthy() { api } else { empty_obj() };

        for index in 0..self.events.len() {
            let Some(event) = self.events.get(index).cloned() else {
                continue;
            };
            let http = &event.http;
            let loc = self.event_loc(&event.function_name, event.event_index, &["request"]);
            let path = http.get("path").to_js_string();
            let resource_name = self.get_resource_name(&path)?.to_js_string();
            let method = http.get("method").to_js_string();
            let method_logical_id = naming::method_logical_id(&resource_name, &method);
            let mut validator_logical_id: Option<String> = None;

            let request = http.get("request");
            let parameters = request.get("parameters");
            if request.truthy() && parameters.truthy() {
                // 2.53.0: a required parameter attaches the validator
                let mut any_required = false;
                for x in parameters.object_values()? {
                    let required = if !x.is_object() {
                        x
                    } else {
                        let r = x.get("required");
                        if r.is_nullish() { Jv::Bool(true) } else { r }
                    };
                    if required.truthy() {
                        any_required = true;
                        break;
                    }
                }
                if any_required {
                    let id = self.create_request_validator();
                    validator_logical_id = Some(id.clone());
                    self.set_method_property(
                        &method_logical_id,
                        "RequestValidatorId",
                        reference(&id),
                    )
                    .map_err(|e| e.at(loc))?;
                    self.note_extra(index, id);
                }
            }

            let schemas = request.get("schemas");
            if request.truthy() && schemas.truthy() {
                for (content_type, schema_config) in schemas.object_entries()? {
                    let referenced = if schema_config.is_object() {
                        Jv::Undef
                    } else {
                        lodash_get_path(
                            &api_config,
                            &format!("request.schemas.{}", schema_config.to_js_string()),
                        )
                    };
                    let validator = match &validator_logical_id {
                        Some(v) => v.clone(),
                        None => {
                            let id = self.create_request_validator();
                            validator_logical_id = Some(id.clone());
                            id
                        }
                    };
                    let model_logical_id = if referenced.truthy() {
                        let schema_id = schema_config.to_js_string();
                        let definition = api_config.get("request").get("schemas").get(&schema_id);
                        self.create_provider_model(&schema_id, &definition)
                            .map_err(|e| e.at(loc))?
                    } else {
                        let mut model_name = Jv::Undef;
                        let mut description = Jv::Undef;
                        let definition = if schema_config.is_object() {
                            let schema = schema_config.get("schema");
                            if schema.truthy() {
                                model_name = schema_config.get("name");
                                description = schema_config.get("description");
                                schema
                            } else {
                                schema_config.clone()
                            }
                        } else {
                            schema_config.clone()
                        };
                        let id = naming::endpoint_model_logical_id(
                            &resource_name,
                            &method,
                            &content_type,
                        );
                        let rest_api_id = self.rest_api_id();
                        self.assign_resource(
                            &id,
                            obj([
                                ("Type", s("AWS::ApiGateway::Model")),
                                (
                                    "Properties",
                                    obj([
                                        ("RestApiId", rest_api_id),
                                        ("ContentType", s(content_type.clone())),
                                        ("Schema", definition),
                                        ("Name", model_name),
                                        ("Description", description),
                                    ]),
                                ),
                            ]),
                        );
                        id
                    };
                    self.set_method_property(
                        &method_logical_id,
                        "RequestValidatorId",
                        reference(&validator),
                    )
                    .map_err(|e| e.at(loc))?;
                    self.add_request_model(&method_logical_id, &content_type, &model_logical_id)
                        .map_err(|e| e.at(loc))?;
                    self.note_extra(index, validator);
                    self.note_extra(index, model_logical_id);
                }
            } else if self.fw == Framework::V2 && request.truthy() && request.get("schema").truthy()
            {
                // Old functionality (removed in 3.0.0)
                for (content_type, schema) in request.get("schema").lodash_entries() {
                    let model_logical_id =
                        naming::endpoint_model_logical_id(&resource_name, &method, &content_type);
                    let validator = match &validator_logical_id {
                        Some(v) => v.clone(),
                        None => {
                            let id = self.create_request_validator();
                            validator_logical_id = Some(id.clone());
                            id
                        }
                    };
                    self.set_method_property(
                        &method_logical_id,
                        "RequestValidatorId",
                        reference(&validator),
                    )
                    .map_err(|e| e.at(loc))?;
                    self.add_request_model(&method_logical_id, &content_type, &model_logical_id)
                        .map_err(|e| e.at(loc))?;
                    let rest_api_id = self.rest_api_id();
                    self.assign_resource(
                        &model_logical_id,
                        obj([
                            ("Type", s("AWS::ApiGateway::Model")),
                            (
                                "Properties",
                                obj([
                                    ("RestApiId", rest_api_id),
                                    ("ContentType", s(content_type.clone())),
                                    ("Schema", schema),
                                ]),
                            ),
                        ]),
                    );
                    self.note_extra(index, validator);
                    self.note_extra(index, model_logical_id);
                }
            }
        }
        Ok(())
    }

    /// `template.Properties[key] = value` on the method resource.
    fn set_method_property(
        &mut self,
        method_logical_id: &str,
        key: &str,
        value: Jv,
    ) -> Result<(), CompileError> {
        let Some(template) = self.resources.get(method_logical_id) else {
            return Err(super::js::type_error(
                "Cannot read properties of undefined (reading 'Properties')",
            ));
        };
        template.read("Properties")?.assign(key, value)
    }

    /// `RequestModels = RequestModels || {}; RequestModels[type] = { Ref: model }`.
    fn add_request_model(
        &mut self,
        method_logical_id: &str,
        content_type: &str,
        model: &str,
    ) -> Result<(), CompileError> {
        let Some(template) = self.resources.get(method_logical_id) else {
            return Err(super::js::type_error(
                "Cannot read properties of undefined (reading 'Properties')",
            ));
        };
        let props = template.read("Properties")?;
        let mut models = props.get("RequestModels");
        if !models.truthy() {
            models = empty_obj();
            props.assign("RequestModels", models.clone())?;
        }
        models.assign(content_type, reference(model))
    }

    /// `createProviderModel`: a model defined once in `provider.apiGateway.request.schemas`.
    fn create_provider_model(
        &mut self,
        schema_id: &str,
        config: &Jv,
    ) -> Result<String, CompileError> {
        let schema = config.read("schema")?;
        let definition = if schema.truthy() {
            schema
        } else {
            config.clone()
        };
        let id = naming::model_logical_id(schema_id);
        let rest_api = match &self.rest_api_logical_id {
            Some(r) => s(r.clone()),
            None => Jv::Undef,
        };
        let properties = obj([
            ("RestApiId", obj([("Ref", rest_api)])),
            ("Schema", definition),
            ("ContentType", s("application/json")),
        ]);
        let name = config.get("name");
        if name.truthy() {
            properties.assign("Name", name)?;
        }
        let description = config.get("description");
        if description.truthy() {
            properties.assign("Description", description)?;
        }
        self.assign_resource(
            &id,
            obj([
                ("Type", s("AWS::ApiGateway::Model")),
                ("Properties", properties),
            ]),
        );
        Ok(id)
    }

    /// The memoized `createRequestValidator()`: the resource is written on the first call.
    pub(crate) fn create_request_validator(&mut self) -> String {
        if let Some(id) = &self.request_validator {
            return id.clone();
        }
        let id = naming::validator_logical_id(&self.service_str());
        let properties = obj([
            ("RestApiId", self.rest_api_id()),
            ("ValidateRequestBody", Jv::Bool(true)),
            ("ValidateRequestParameters", Jv::Bool(true)),
        ]);
        // 2.58.0: named
        let _ = properties.assign(
            "Name",
            s(format!(
                "{}-{} | Validate request body and querystring parameters",
                self.service_str(),
                self.stage_str()
            )),
        );
        self.resources.set(
            id.clone(),
            obj([
                ("Type", s("AWS::ApiGateway::RequestValidator")),
                ("Properties", properties),
            ]),
        );
        self.request_validator = Some(id.clone());
        id
    }
}

/// lodash `_.get(object, 'a.b.c')` for a dotted path.
fn lodash_get_path(value: &Jv, path: &str) -> Jv {
    let mut cur = value.clone();
    for part in path.split('.') {
        if cur.is_nullish() {
            return Jv::Undef;
        }
        cur = cur.get(part);
    }
    cur
}
