//! `lib/method/authorization.js`: `AuthorizationType`, `AuthorizerId`,
//! `AuthorizationScopes` and the authorizer dependency.

use crate::compile::js::{Jv, arr, obj, reference, s, str_recv, to_upper};
use crate::compile::validate::is_cognito_arn;
use crate::compile::{CompileError, Ctx, naming};
use crate::model::Framework;

impl Ctx<'_> {
    pub(crate) fn get_method_authorization(&self, http: &Jv) -> Result<Jv, CompileError> {
        let authorizer = http.get("authorizer");
        if authorizer.get("type").strict_eq(&s("AWS_IAM")) {
            return Ok(obj([(
                "Properties",
                obj([("AuthorizationType", s("AWS_IAM"))]),
            )]));
        }

        if authorizer.truthy() {
            let ty = authorizer.read("type")?;
            if ty.truthy() && authorizer.get("authorizerId").truthy() {
                let upper = || -> Result<String, CompileError> {
                    Ok(to_upper(str_recv(
                        &ty,
                        "http.authorizer.type",
                        "toUpperCase",
                    )?))
                };
                let authorization_type = match self.fw {
                    Framework::V1 => ty.clone(),
                    // 2.70.0: TOKEN/REQUEST → CUSTOM
                    _ => {
                        let u = upper()?;
                        if u == "TOKEN" || u == "REQUEST" {
                            s("CUSTOM")
                        } else {
                            ty.clone()
                        }
                    }
                };
                let properties = obj([
                    ("AuthorizationType", authorization_type),
                    ("AuthorizerId", authorizer.get("authorizerId")),
                ]);
                let scopes = authorizer.get("scopes");
                if upper()? == "COGNITO_USER_POOLS"
                    && scopes.truthy()
                    && scopes.get("length").truthy()
                {
                    properties.assign("AuthorizationScopes", scopes)?;
                }
                return Ok(obj([("Properties", properties)]));
            }

            let name = authorizer.get("name");
            let text = str_recv(&name, "resourceName", "replace")?;
            let authorizer_logical_id = naming::authorizer_logical_id(text);
            let arn = authorizer.get("arn");
            let ty_upper = if ty.truthy() {
                to_upper(str_recv(
                    &ty,
                    "(http.authorizer.type || \"\")",
                    "toUpperCase",
                )?)
            } else {
                String::new()
            };
            let depends_on = match self.fw {
                // 3.29.0: kept as an array
                Framework::V3 | Framework::Osls => arr(vec![s(authorizer_logical_id.clone())]),
                _ => s(authorizer_logical_id.clone()),
            };
            if ty_upper == "COGNITO_USER_POOLS" || is_cognito_arn(&arn) {
                let properties = obj([
                    ("AuthorizationType", s("COGNITO_USER_POOLS")),
                    ("AuthorizerId", reference(&authorizer_logical_id)),
                ]);
                let scopes = authorizer.get("scopes");
                if scopes.truthy() && scopes.get("length").truthy() {
                    properties.assign("AuthorizationScopes", scopes)?;
                }
                return Ok(obj([("Properties", properties), ("DependsOn", depends_on)]));
            }
            return Ok(obj([
                (
                    "Properties",
                    obj([
                        ("AuthorizationType", s("CUSTOM")),
                        ("AuthorizerId", reference(&authorizer_logical_id)),
                    ]),
                ),
                ("DependsOn", depends_on),
            ]));
        }

        Ok(obj([(
            "Properties",
            obj([("AuthorizationType", s("NONE"))]),
        )]))
    }
}
