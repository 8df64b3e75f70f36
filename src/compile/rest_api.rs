//! `lib/rest-api.js` (1.x/2.x `lib/restApi.js`): the `AWS::ApiGateway::RestApi`.

use super::js::{Jv, Obj, ObjRef, arr, empty_obj, obj, s, str_recv, to_upper};
use super::{CompileError, Ctx, Seg, naming};
use crate::model::Framework;

impl Ctx<'_> {
    pub(crate) fn compile_rest_api(&mut self) -> Result<(), CompileError> {
        let fw = self.fw;
        let api = self.api_gateway();
        let api = if api.truthy() { api } else { empty_obj() };

        // immediately return if we're using an external REST API id
        if api.get("restApiId").truthy() {
            return Ok(());
        }

        let id = naming::REST_API_LOGICAL_ID.to_owned();
        self.rest_api_logical_id = Some(id.clone());

        let provider_loc = |key: &str| -> Vec<Seg> { vec!["provider".into(), key.into()] };
        let mut endpoint_type = s("EDGE");
        let mut vpc_endpoint_ids = Jv::Undef;
        let binary_media_types = {
            let b = api.get("binaryMediaTypes");
            if b.truthy() { b } else { Jv::Undef }
        };

        let configured = self.provider.get("endpointType");
        if configured.truthy() {
            let loc = self.loc_of(&provider_loc("endpointType"));
            let text = if fw == Framework::V1 {
                let Jv::Str(t) = &configured else {
                    return Err(CompileError::new("endpointType must be a string").at(loc));
                };
                let upper = to_upper(t);
                if !["REGIONAL", "EDGE", "PRIVATE"].contains(&upper.as_str()) {
                    return Err(CompileError::new(format!(
                        "endpointType must be one of \"REGIONAL\" or \"EDGE\" or \"PRIVATE\". You provided {t}."
                    ))
                    .at(loc)
                    .help("Use REGIONAL, EDGE or PRIVATE."));
                }
                upper
            } else {
                to_upper(
                    str_recv(
                        &configured,
                        "this.serverless.service.provider.endpointType",
                        "toUpperCase",
                    )
                    .map_err(|e| e.at(loc))?,
                )
            };
            endpoint_type = s(text.clone());

            let ids = self.provider.get("vpcEndpointIds");
            if ids.truthy() {
                vpc_endpoint_ids = ids.clone();
                let loc = self.loc_of(&provider_loc("vpcEndpointIds"));
                if text != "PRIVATE" {
                    return Err(CompileError::new(
                        "VPC endpoint IDs are only available for private APIs",
                    )
                    .at(loc)
                    .help("Remove `vpcEndpointIds`, or set `endpointType: PRIVATE`."));
                }
                if fw == Framework::V1 && !matches!(ids, Jv::Arr(_)) {
                    return Err(CompileError::new("vpcEndpointIds must be an array").at(loc));
                }
            }
        }

        let endpoint_configuration = obj([("Types", arr(vec![endpoint_type]))]);
        if vpc_endpoint_ids.truthy() {
            endpoint_configuration.assign("VpcEndpointIds", vpc_endpoint_ids)?;
        }

        let mut properties = Obj::new();
        properties.set("Name", s(self.api_gateway_name()));
        properties.set("BinaryMediaTypes", binary_media_types);
        if fw != Framework::V1 {
            // 2.x: disableDefaultEndpoint
            let d = api.get("disableDefaultEndpoint");
            properties.set(
                "DisableExecuteApiEndpoint",
                if d.is_nullish() { Jv::Undef } else { d },
            );
        }
        properties.set("EndpointConfiguration", endpoint_configuration);
        self.merge_resource(
            &id,
            obj([
                ("Type", s("AWS::ApiGateway::RestApi")),
                ("Properties", Jv::Obj(ObjRef::new(properties))),
            ]),
        );

        // 1.x reads provider.resourcePolicy, 2.x provider.apiGateway.resourcePolicy
        // first, 3.x only provider.apiGateway.resourcePolicy.
        let resource_policy = match fw {
            Framework::V1 => self.provider.get("resourcePolicy"),
            Framework::V2 => {
                let p = api.get("resourcePolicy");
                if p.truthy() {
                    p
                } else {
                    self.provider.get("resourcePolicy")
                }
            }
            Framework::V3 | Framework::Osls => self.api_gateway().get("resourcePolicy"),
        };
        let policy = if resource_policy.truthy() && !resource_policy.object_keys()?.is_empty() {
            obj([("Version", s("2012-10-17")), ("Statement", resource_policy)])
        } else {
            // a policy with no restrictions, so that a policy is always present
            s("")
        };
        self.merge_properties(&id, obj([("Policy", policy)]));

        let key_source = api.get("apiKeySourceType");
        if key_source.truthy() {
            let loc = self.loc_of(&[
                "provider".into(),
                "apiGateway".into(),
                "apiKeySourceType".into(),
            ]);
            let upper = to_upper(
                str_recv(&key_source, "apiGateway.apiKeySourceType", "toUpperCase")
                    .map_err(|e| e.at(loc))?,
            );
            if fw == Framework::V1 && !["HEADER", "AUTHORIZER"].contains(&upper.as_str()) {
                return Err(CompileError::new(format!(
                    "apiKeySourceType must be one of \"HEADER\" or \"AUTHORIZER\". You provided {upper}."
                ))
                .at(loc)
                .help("Use HEADER or AUTHORIZER."));
            }
            self.merge_properties(&id, obj([("ApiKeySourceType", s(upper))]));
        }

        let size = api.get("minimumCompressionSize");
        let present = if fw == Framework::V1 {
            size.truthy()
        } else {
            !size.is_nullish()
        };
        if present {
            if fw == Framework::V1 {
                let n = match &size {
                    Jv::Num(n) => *n,
                    Jv::Str(t) => t.trim().parse().unwrap_or(f64::NAN),
                    Jv::Bool(b) => f64::from(u8::from(*b)),
                    _ => f64::NAN,
                };
                if !(0.0..=10_485_760.0).contains(&n) {
                    return Err(CompileError::new(format!(
                        "minimumCompressionSize must be between 0 and 10485760. You provided {}.",
                        size.to_js_string()
                    ))
                    .at(self.loc_of(&[
                        "provider".into(),
                        "apiGateway".into(),
                        "minimumCompressionSize".into(),
                    ])));
                }
            }
            self.merge_properties(&id, obj([("MinimumCompressionSize", size)]));
        }

        if matches!(fw, Framework::V3 | Framework::Osls) {
            // 3.4.0
            let description = api.get("description");
            if description.truthy() {
                self.merge_properties(&id, obj([("Description", description)]));
            }
        }
        Ok(())
    }

    /// `_.merge(Resources[id].Properties, props)`.
    pub(crate) fn merge_properties(&mut self, id: &str, props: Jv) {
        if let Some(res) = self.resources.get(id) {
            let target = res.get("Properties");
            if target.is_object() {
                super::merge::merge(&target, &props);
            }
        }
    }

    /// `naming.getApiGatewayName()`.
    pub(crate) fn api_gateway_name(&self) -> String {
        let api_name = self.provider.get("apiName");
        let use_api_name = match self.fw {
            Framework::V1 => matches!(api_name, Jv::Str(ref t) if !t.is_empty()),
            _ => api_name.truthy(),
        };
        if use_api_name {
            return api_name.to_js_string();
        }
        let starts_with_service = self.fw != Framework::V1
            && self
                .api_gateway()
                .get("shouldStartNameWithService")
                .truthy();
        if starts_with_service {
            format!("{}-{}", self.service_str(), self.stage_str())
        } else {
            format!("{}-{}", self.stage_str(), self.service_str())
        }
    }
}
