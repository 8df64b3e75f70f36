//! `lib/permissions.js`: the `AWS::Lambda::Permission` that lets API
//! Gateway invoke each function (one per function, not per event), and the
//! one for each Lambda authorizer.

use super::js::{Jv, Obj, ObjRef, arr, obj, s, str_recv, to_upper};
use super::validate::is_cognito_arn;
use super::{CompileError, Ctx, naming};

impl Ctx<'_> {
    fn source_arn(&self) -> Jv {
        obj([(
            "Fn::Join",
            arr(vec![
                s(""),
                arr(vec![
                    s("arn:"),
                    obj([("Ref", s("AWS::Partition"))]),
                    s(":execute-api:"),
                    obj([("Ref", s("AWS::Region"))]),
                    s(":"),
                    obj([("Ref", s("AWS::AccountId"))]),
                    s(":"),
                    self.rest_api_id(),
                    s("/*/*"),
                ]),
            ]),
        )])
    }

    pub(crate) fn compile_permissions(&mut self) -> Result<(), CompileError> {
        let mappings = self.permission_mapping.clone();
        for mapping in mappings {
            let Some(event) = self.events.get(mapping.event).cloned() else {
                continue;
            };
            let loc = self.event_loc(&event.function_name, event.event_index, &["authorizer"]);
            let permission_id = naming::lambda_permission_logical_id(&event.function_name);
            let get_att = obj([(
                "Fn::GetAtt",
                arr(vec![s(mapping.lambda_logical_id.clone()), s("Arn")]),
            )]);
            let function_name = if mapping.lambda_alias_name.truthy() {
                obj([(
                    "Fn::Join",
                    arr(vec![
                        s(":"),
                        arr(vec![get_att, mapping.lambda_alias_name.clone()]),
                    ]),
                )])
            } else {
                get_att
            };
            let mut resource = Obj::new();
            resource.set("Type", s("AWS::Lambda::Permission"));
            resource.set(
                "Properties",
                obj([
                    ("FunctionName", function_name),
                    ("Action", s("lambda:InvokeFunction")),
                    ("Principal", s("apigateway.amazonaws.com")),
                    ("SourceArn", self.source_arn()),
                ]),
            );
            resource.set(
                "DependsOn",
                if mapping.lambda_alias_logical_id.truthy() {
                    mapping.lambda_alias_logical_id.clone()
                } else {
                    Jv::Undef
                },
            );
            self.assign_resource(&permission_id, Jv::Obj(ObjRef::new(resource)));

            let authorizer = event.http.get("authorizer");
            if !(authorizer.truthy() && authorizer.get("arn").truthy()) {
                continue;
            }
            let name = authorizer.get("name");
            let text = str_recv(&name, "resourceName", "replace").map_err(|e| e.at(loc))?;
            let authorizer_permission_id = naming::lambda_permission_logical_id(text);
            let ty = authorizer.get("type");
            let ty_upper = if ty.truthy() {
                to_upper(
                    str_recv(&ty, "(authorizer.type || \"\")", "toUpperCase")
                        .map_err(|e| e.at(loc))?,
                )
            } else {
                String::new()
            };
            if ty_upper == "COGNITO_USER_POOLS" || is_cognito_arn(&authorizer.get("arn")) {
                continue;
            }
            if self
                .resources
                .get(&authorizer_permission_id)
                .is_some_and(|r| r.truthy())
            {
                self.note_extra(mapping.event, authorizer_permission_id);
                continue;
            }
            if authorizer.get("managedExternally").truthy() {
                continue;
            }
            let logical_id = authorizer.get("logicalId");
            let target = if logical_id.truthy() {
                obj([("Ref", logical_id)])
            } else {
                authorizer.get("arn")
            };
            let permission = obj([
                ("Type", s("AWS::Lambda::Permission")),
                (
                    "Properties",
                    obj([
                        ("FunctionName", target),
                        ("Action", s("lambda:InvokeFunction")),
                        ("Principal", s("apigateway.amazonaws.com")),
                        ("SourceArn", self.source_arn()),
                    ]),
                ),
            ]);
            self.assign_resource(&authorizer_permission_id, permission);
            self.note_extra(mapping.event, authorizer_permission_id);
        }
        Ok(())
    }
}
