//! `lib/authorizers.js`: one `AWS::ApiGateway::Authorizer` per event whose
//! authorizer has an ARN (a function of the service, an ARN, Cognito).

use super::js::{Jv, Obj, ObjRef, arr, obj, s, str_recv, to_upper};
use super::validate::is_cognito_arn;
use super::{CompileError, Ctx, naming};
use crate::model::Framework;

impl Ctx<'_> {
    pub(crate) fn compile_authorizers(&mut self) -> Result<(), CompileError> {
        for index in 0..self.events.len() {
            let Some(event) = self.events.get(index).cloned() else {
                continue;
            };
            let authorizer = event.http.get("authorizer");
            if !(authorizer.truthy() && authorizer.get("arn").truthy()) {
                continue;
            }
            let loc = self.event_loc(&event.function_name, event.event_index, &["authorizer"]);
            let mut properties = Obj::new();
            properties.set(
                "AuthorizerResultTtlInSeconds",
                authorizer.get("resultTtlInSeconds"),
            );
            properties.set("IdentitySource", authorizer.get("identitySource"));
            properties.set("Name", authorizer.get("name"));
            properties.set("RestApiId", self.rest_api_id());
            let expression = authorizer.get("identityValidationExpression");
            if let Jv::Str(_) = expression {
                properties.set("IdentityValidationExpression", expression);
            }

            let name = authorizer.get("name");
            let text = str_recv(&name, "resourceName", "replace").map_err(|e| e.at(loc))?;
            let logical_id = naming::authorizer_logical_id(text);

            let ty = authorizer.get("type");
            let ty_upper = if ty.truthy() {
                to_upper(
                    str_recv(&ty, "(authorizer.type || \"\")", "toUpperCase")
                        .map_err(|e| e.at(loc))?,
                )
            } else {
                String::new()
            };
            let arn = authorizer.get("arn");
            if ty_upper == "COGNITO_USER_POOLS" || is_cognito_arn(&arn) {
                properties.set("Type", s("COGNITO_USER_POOLS"));
                properties.set("ProviderARNs", arr(vec![arn]));
            } else {
                properties.set(
                    "AuthorizerUri",
                    obj([(
                        "Fn::Join",
                        arr(vec![
                            s(""),
                            arr(vec![
                                s("arn:"),
                                obj([("Ref", s("AWS::Partition"))]),
                                s(":apigateway:"),
                                obj([("Ref", s("AWS::Region"))]),
                                s(":lambda:path/2015-03-31/functions/"),
                                arn,
                                s("/invocations"),
                            ]),
                        ]),
                    )]),
                );
                properties.set("Type", if ty.truthy() { s(ty_upper) } else { s("TOKEN") });
            }

            let mut resource = Obj::new();
            resource.set("Type", s("AWS::ApiGateway::Authorizer"));
            if matches!(self.fw, Framework::V3 | Framework::Osls) {
                // 3.x: the authorizer waits for the function's alias
                resource.set("DependsOn", authorizer.get("logicalId"));
            }
            resource.set("Properties", Jv::Obj(ObjRef::new(properties)));
            self.merge_resource(&logical_id, Jv::Obj(ObjRef::new(resource)));
            self.note_extra(index, logical_id);
        }
        Ok(())
    }
}
