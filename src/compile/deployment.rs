//! `lib/deployment.js`: the `AWS::ApiGateway::Deployment` and the
//! `ServiceEndpoint` output.

use super::js::{Jv, arr, obj, s};
use super::merge::merge_into;
use super::{Ctx, naming};
use crate::model::Framework;

impl Ctx<'_> {
    pub(crate) fn compile_deployment(&mut self) {
        let id = naming::deployment_logical_id(self.opts.timestamp_ms);
        self.deployment_logical_id = Some(id.clone());

        let stage_name = match self.fw {
            // 3.24.0: provider.apiGateway.stage
            Framework::V3 | Framework::Osls => {
                let api = self.api_gateway();
                let st = if api.truthy() {
                    api.get("stage")
                } else {
                    Jv::Undef
                };
                if st.truthy() { st } else { self.stage.clone() }
            }
            _ => self.stage.clone(),
        };
        let api = self.api_gateway();
        let description = if api.truthy() && api.get("description").truthy() {
            api.get("description")
        } else {
            Jv::Undef
        };
        let deployment = obj([
            ("Type", s("AWS::ApiGateway::Deployment")),
            (
                "Properties",
                obj([
                    ("RestApiId", self.rest_api_id()),
                    ("StageName", stage_name),
                    ("Description", description),
                ]),
            ),
            (
                "DependsOn",
                arr(self
                    .method_logical_ids
                    .iter()
                    .map(|m| s(m.clone()))
                    .collect()),
            ),
        ]);
        self.merge_resource(&id, deployment);

        let endpoint = obj([(
            "ServiceEndpoint",
            obj([
                ("Description", s("URL of the service endpoint")),
                (
                    "Value",
                    obj([(
                        "Fn::Join",
                        arr(vec![
                            s(""),
                            arr(vec![
                                s("https://"),
                                self.rest_api_id(),
                                s(".execute-api."),
                                obj([("Ref", s("AWS::Region"))]),
                                s("."),
                                obj([("Ref", s("AWS::URLSuffix"))]),
                                s(format!("/{}", self.stage_str())),
                            ]),
                        ]),
                    )]),
                ),
            ]),
        )]);
        merge_into(&self.outputs, &endpoint);
    }
}
