//! `lib/validate.js`: normalises every http event (path, method,
//! authorizer, CORS, integration, request, response) and collects the CORS
//! preflight configuration per path.

use super::js::{
    Jv, Obj, ObjRef, arr, arr_recv, empty_obj, obj, parse_int, replace_first, s, split, str_recv,
    to_lower, to_upper, type_error,
};
use super::merge::union;
use super::{CompileError, Ctx, Event, naming};
use crate::model::Framework;

/// `DEFAULT_STATUS_CODES`.
pub(crate) fn default_status_codes() -> Jv {
    let pattern = |p: &str| obj([("pattern", s(p))]);
    obj([
        ("200", pattern("")),
        ("400", pattern("[\\s\\S]*\\[400\\][\\s\\S]*")),
        ("401", pattern("[\\s\\S]*\\[401\\][\\s\\S]*")),
        ("403", pattern("[\\s\\S]*\\[403\\][\\s\\S]*")),
        ("404", pattern("[\\s\\S]*\\[404\\][\\s\\S]*")),
        ("422", pattern("[\\s\\S]*\\[422\\][\\s\\S]*")),
        (
            "500",
            pattern(
                "[\\s\\S]*(Process\\s?exited\\s?before\\s?completing\\s?request|\\[500\\])[\\s\\S]*",
            ),
        ),
        ("502", pattern("[\\s\\S]*\\[502\\][\\s\\S]*")),
        (
            "504",
            pattern("([\\s\\S]*\\[504\\][\\s\\S]*)|(.*Task timed out after \\d+\\.\\d+ seconds$)"),
        ),
    ])
}

/// JavaScript `a && b`.
pub(crate) fn and(a: &Jv, b: impl FnOnce() -> Jv) -> Jv {
    if a.truthy() { b() } else { a.clone() }
}

/// `Object.assign({}, x)` for the values a config holds.
pub(crate) fn object_assign_copy(v: &Jv) -> Jv {
    Jv::Obj(ObjRef::new(Obj::from_pairs(v.lodash_entries())))
}

/// `/^arn:[a-zA-Z-]*:cognito-idp/`.
pub(crate) fn is_cognito_arn(arn: &Jv) -> bool {
    let Some(t) = arn.as_str() else { return false };
    let Some(rest) = t.strip_prefix("arn:") else {
        return false;
    };
    let partition_end = rest
        .find(|c: char| !(c.is_ascii_alphabetic() || c == '-'))
        .unwrap_or(rest.len());
    rest[partition_end..].starts_with(":cognito-idp")
}

const STAGE_ERROR_TAIL: &str = "it should contains only [-_a-zA-Z0-9] for AWS provider if http event are present according to API Gateway limitation.";

fn is_valid_stage(stage: &str) -> bool {
    !stage.is_empty()
        && stage
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Ctx<'_> {
    pub(crate) fn validate(&mut self) -> Result<(), CompileError> {
        let api_gateway = self.api_gateway();
        let api_loc = self.loc_of(&["provider".into(), "apiGateway".into()]);
        if self.fw != Framework::V1 && api_gateway.truthy() && api_gateway.get("restApiId").truthy()
        {
            // 2.70.0
            if !api_gateway.get("restApiRootResourceId").truthy() {
                return Err(CompileError::new(
                    "Missing required \"provider.apiGateway.restApiRootResourceId\" property (needed if \"provider.apiGateway.restApiId\" is provided)",
                )
                .at(api_loc)
                .help("Add `provider.apiGateway.restApiRootResourceId` (the root resource ID of the imported REST API)."));
            }
            if matches!(self.fw, Framework::V3 | Framework::Osls) {
                let tracing = self.provider.get("tracing");
                if tracing.truthy() && !tracing.get("apiGateway").is_nullish() {
                    return Err(CompileError::new(
                        "When external API Gateway resource is imported via \"provider.apiGateway.restApiId\", property \"provider.tracing.apiGateway\" is ineffective.",
                    )
                    .at(self.loc_of(&["provider".into(), "tracing".into(), "apiGateway".into()]))
                    .help("Remove `provider.tracing.apiGateway`: tracing of an imported API is configured where the API is defined."));
                }
                let logs = self.provider.get("logs");
                if logs.truthy() && !logs.get("restApi").is_nullish() {
                    return Err(CompileError::new(
                        "When external API Gateway resource is imported via \"provider.apiGateway.restApiId\", property \"provider.logs.restApi\" is ineffective.",
                    )
                    .at(self.loc_of(&["provider".into(), "logs".into(), "restApi".into()]))
                    .help("Remove `provider.logs.restApi`: logging of an imported API is configured where the API is defined."));
                }
            }
        }

        for function_name in self.functions.keys() {
            let function_object = self.function_object(&function_name);
            let events = function_object.get("events");
            let events = if events.truthy() {
                events
            } else {
                arr(Vec::new())
            };
            let fn_loc = self.loc_of(&[
                "functions".into(),
                function_name.clone().into(),
                "events".into(),
            ]);
            let list = arr_recv(&events, "(functionObject.events || [])", "forEach")
                .map_err(|e| e.at(fn_loc))?
                .items();
            for (index, event) in list.iter().enumerate() {
                let loc = self.event_loc(&function_name, index, &[]);
                let http_value = event.read("http").map_err(|e| e.at(loc))?;
                if !http_value.truthy() {
                    continue;
                }
                self.validate_event(&function_name, index, &http_value)?;
            }
        }
        Ok(())
    }

    fn validate_event(
        &mut self,
        function_name: &str,
        index: usize,
        http_value: &Jv,
    ) -> Result<(), CompileError> {
        let fw = self.fw;
        let loc = self.event_loc(function_name, index, &[]);
        let key_loc = |ctx: &Ctx, k: &str| ctx.event_loc(function_name, index, &[k]);

        // getHttp
        let http = match http_value {
            v if v.typeof_object() => v.clone(),
            Jv::Str(t) => {
                let parts = split(t, " ");
                obj([
                    ("method", parts.first().map_or(Jv::Undef, |p| s(p.clone()))),
                    ("path", parts.get(1).map_or(Jv::Undef, |p| s(p.clone()))),
                ])
            }
            other => {
                if fw == Framework::V1 {
                    return Err(CompileError::new(format!(
                        "Invalid http event in function \"{function_name}\" in serverless.yml. If you define an http event, make sure you pass a valid value for it, either as string syntax, or object syntax. Please check the docs for more options."
                    ))
                    .at(loc)
                    .help("Write the event as `http: GET /path` or as a mapping with `path` and `method`."));
                }
                return Err(str_recv(other, "event.http", "split")
                    .err()
                    .unwrap_or_else(|| type_error("event.http.split is not a function"))
                    .at(loc)
                    .help("Write the event as `http: GET /path` or as a mapping with `path` and `method`."));
            }
        };

        // getHttpPath
        let path = http.get("path");
        let trimmed = match (&path, fw) {
            (Jv::Str(p), _) => trim_slashes(p),
            (_, Framework::V1) => {
                return Err(CompileError::new(format!(
                    "Missing or invalid \"path\" property in function \"{function_name}\" for http event in serverless.yml. If you define an http event, make sure you pass a valid value for it, either as string syntax, or object syntax. Please check the indentation of your config values if you use the object syntax. Please check the docs for more options."
                ))
                .at(key_loc(self, "path"))
                .help("Give the http event a `path` (a string such as `users/{id}`)."));
            }
            (other, _) => {
                return Err(str_recv(other, "http.path", "replace")
                    .err()
                    .unwrap_or_else(|| type_error(""))
                    .at(key_loc(self, "path"))
                    .help("Give the http event a `path` (a string such as `users/{id}`)."));
            }
        };
        http.assign("path", s(trimmed.clone()))?;

        // getHttpMethod
        let method = http.get("method");
        let lower = match (&method, fw) {
            (Jv::Str(m), Framework::V1) => {
                let lower = to_lower(m);
                let allowed = [
                    "get", "post", "put", "patch", "options", "head", "delete", "any",
                ];
                if !allowed.contains(&lower.as_str()) {
                    return Err(CompileError::new(format!(
                        "Invalid APIG method \"{m}\" in function \"{function_name}\". AWS supported methods are: get, post, put, patch, options, head, delete, any."
                    ))
                    .at(key_loc(self, "method"))
                    .help("Use one of get, post, put, patch, options, head, delete or any."));
                }
                lower
            }
            (Jv::Str(m), _) => to_lower(m),
            (_, Framework::V1) => {
                return Err(CompileError::new(format!(
                    "Missing or invalid \"method\" property in function \"{function_name}\" for http event in serverless.yml. If you define an http event, make sure you pass a valid value for it, either as string syntax, or object syntax. Please check the docs for more options."
                ))
                .at(key_loc(self, "method"))
                .help("Give the http event a `method` (get, post, put, patch, options, head, delete or any)."));
            }
            (other, _) => {
                return Err(str_recv(other, "http.method", "toLowerCase")
                    .err()
                    .unwrap_or_else(|| type_error(""))
                    .at(key_loc(self, "method"))
                    .help("Give the http event a `method` (get, post, put, patch, options, head, delete or any)."));
            }
        };
        http.assign("method", s(lower.clone()))?;

        if http.get("authorizer").truthy() {
            let authorizer = self
                .get_authorizer(&http, function_name)
                .map_err(|e| e.at(key_loc(self, "authorizer")))?;
            http.assign("authorizer", authorizer)?;
        }

        if http.get("cors").truthy() {
            let cors = self
                .get_cors(&http, &lower)
                .map_err(|e| e.at(key_loc(self, "cors")))?;
            http.assign("cors", cors.clone())?;
            let merged = match self.cors_preflight.get(&trimmed) {
                Some(existing) => existing,
                None => empty_obj(),
            };
            let headers = union(&[&cors.get("headers"), &merged.get("headers")]);
            merged.assign("headers", arr(headers))?;
            let methods = union(&[&cors.get("methods"), &merged.get("methods")]);
            merged.assign("methods", arr(methods))?;
            let origins = union(&[&cors.get("origins"), &merged.get("origins")]);
            merged.assign("origins", arr(origins))?;
            let origin = cors.get("origin");
            let origin = if fw == Framework::V1 && !origin.truthy() {
                s("*")
            } else {
                origin
            };
            merged.assign("origin", origin)?;
            let cred = merged.get("allowCredentials");
            let cred = if cred.truthy() {
                cred
            } else {
                cors.get("allowCredentials")
            };
            merged.assign("allowCredentials", cred)?;
            // when merging, last one defined wins
            let max_age = cors.get("maxAge");
            if max_age.truthy() {
                merged.assign("maxAge", max_age)?;
            }
            let cache_control = cors.get("cacheControl");
            if cache_control.truthy() {
                merged.assign("cacheControl", cache_control)?;
            }
            self.cors_preflight.set(trimmed.clone(), merged);
        }

        let integration = self
            .get_integration(&http, Some(function_name))
            .map_err(|e| e.at(key_loc(self, "integration")))?;
        http.assign("integration", s(integration.clone()))?;

        if integration == "HTTP" || integration == "HTTP_PROXY" {
            let request = http.get("request");
            if !request.truthy() || !request.get("uri").truthy() {
                return Err(CompileError::new(format!(
                    "You need to set the request uri when using the {integration} integration."
                ))
                .at(loc)
                .help("Add `request.uri` with the URL of the HTTP backend."));
            }
            let connection_type = self
                .get_connection_type(&http, function_name)
                .map_err(|e| e.at(key_loc(self, "connectionType")))?;
            http.assign("connectionType", connection_type.clone())?;
            if connection_type.as_str() == Some("VPC_LINK") && !http.get("connectionId").truthy() {
                return Err(CompileError::new(
                    "You need to set connectionId when using VPC_LINK connectionType.",
                )
                .at(key_loc(self, "connectionType"))
                .help("Add `connectionId` with the ID of the VPC link."));
            }
        }

        if integration == "AWS" || integration == "HTTP" {
            let request = self
                .get_request(&http)
                .map_err(|e| e.at(key_loc(self, "request")))?;
            http.assign("request", request)?;
            let pass_through = self.get_request_pass_through(&http).map_err(|e| {
                e.at(self.event_loc(function_name, index, &["request", "passThrough"]))
            })?;
            let request = http.get("request");
            request.assign("passThrough", pass_through).map_err(|e| {
                e.at(key_loc(self, "request"))
                    .help("Write `request` as a mapping.")
            })?;
            http.assign("request", request)?;
            let response = self
                .get_response(&http)
                .map_err(|e| e.at(key_loc(self, "response")))?;
            http.assign("response", response)?;
            let response = http.get("response");
            if integration == "AWS" && response.object_keys()?.is_empty() {
                http.assign("response", obj([("statusCodes", default_status_codes())]))?;
            }
        } else if integration == "AWS_PROXY" || integration == "HTTP_PROXY" {
            // a warning when request / response config is used with a proxy integration
            let request = http.get("request");
            if request.truthy() {
                let keys = request.object_keys()?;
                let allowed: &[&str] = match (integration.as_str(), fw) {
                    ("AWS_PROXY", Framework::V1) => &["parameters", "schema"],
                    ("AWS_PROXY", _) => &["parameters", "schema", "schemas"],
                    (_, Framework::V1) => &["parameters", "uri", "schema"],
                    _ => &["parameters", "uri", "schema", "schemas"],
                };
                if keys.iter().any(|k| !allowed.contains(&k.as_str())) {
                    let list = allowed
                        .iter()
                        .map(|k| format!("request.{k}"))
                        .collect::<Vec<_>>()
                        .join(", ");
                    self.warn(
                        format!(
                            "You're using the {integration} in combination with a request configuration in your function \"{function_name}\". Only the {list} configs are available in conjunction with {integration}. Serverless will remove this configuration automatically before deployment."
                        ),
                        key_loc(self, "request"),
                    );
                    for key in &keys {
                        if !allowed.contains(&key.as_str()) {
                            if let Jv::Str(_) = request {
                                return Err(type_error(format!(
                                    "Cannot delete property '{key}' of [object String]"
                                ))
                                .at(key_loc(self, "request")));
                            }
                            request.delete(key);
                        }
                    }
                    http.assign("request", request)?;
                }
                if http.get("request").object_keys()?.is_empty() {
                    http.delete("request");
                } else {
                    let request = self
                        .get_request(&http)
                        .map_err(|e| e.at(key_loc(self, "request")))?;
                    http.assign("request", request)?;
                }
            }
            if http.get("response").truthy() {
                self.warn(
                    format!(
                        "You're using the {integration} in combination with response configuration in your function \"{function_name}\". Serverless will remove this configuration automatically before deployment."
                    ),
                    key_loc(self, "response"),
                );
                http.delete("response");
            }
        }

        let stage = self.stage_str();
        if !is_valid_stage(&stage) {
            return Err(CompileError::new(format!(
                "Invalid stage name {stage}: {STAGE_ERROR_TAIL}"
            ))
            .at(self.loc_of(&["provider".into(), "stage".into()]))
            .help("Use a stage name made of letters, digits, `-` and `_` only."));
        }

        self.events.push(Event {
            function_name: function_name.to_owned(),
            event_index: index,
            http,
        });
        Ok(())
    }

    fn get_authorizer(&self, http: &Jv, function_name: &str) -> Result<Jv, CompileError> {
        let fw = self.fw;
        let authorizer = http.get("authorizer");

        let mut ty = Jv::Undef;
        let mut name = Jv::Undef;
        let mut arn = Jv::Undef;
        let mut managed_externally = Jv::Undef;
        let mut identity_source = Jv::Undef;
        let mut result_ttl = Jv::Undef;
        let mut identity_validation_expression = Jv::Undef;
        let mut claims = Jv::Undef;
        let mut authorizer_id = Jv::Undef;
        let mut scopes = Jv::Undef;
        let mut authorizer_function_name = Jv::Undef;
        let mut logical_id = Jv::Undef;

        match &authorizer {
            Jv::Str(a) => {
                if to_upper(a) == "AWS_IAM" {
                    ty = s("AWS_IAM");
                } else if !a.contains(':') {
                    authorizer_function_name = authorizer.clone();
                    name = authorizer.clone();
                } else {
                    arn = authorizer.clone();
                    name = s(naming::extract_authorizer_name_from_arn(a));
                }
            }
            a if a.typeof_object() => {
                let a_type = a.get("type");
                if a_type.truthy() && a.get("authorizerId").truthy() {
                    ty = a_type.clone();
                    authorizer_id = a.get("authorizerId");
                } else if a_type.truthy()
                    && to_upper(str_recv(&a_type, "authorizer.type", "toUpperCase")?) == "AWS_IAM"
                {
                    ty = s("AWS_IAM");
                } else if a.get("arn").truthy() {
                    arn = a.get("arn");
                    let a_name = a.get("name");
                    if let Jv::Str(_) = a_name {
                        name = a_name;
                    } else if a_type.truthy()
                        && to_upper(str_recv(&a_type, "authorizer.type", "toUpperCase")?)
                            == "COGNITO_USER_POOLS"
                        && arn.is_object()
                    {
                        return Err(CompileError::new(
                            "Please provide an authorizer name for authorizers of type COGNITO_USER_POOLS",
                        )
                        .help("Add `name` to the authorizer."));
                    } else {
                        let text = str_recv(&arn, "functionArn", "split")?;
                        name = s(naming::extract_authorizer_name_from_arn(text));
                    }
                } else if a.get("name").truthy() {
                    authorizer_function_name = a.get("name");
                    name = a.get("name");
                } else {
                    return Err(CompileError::new(
                        "Please provide either an authorizer name or ARN",
                    )
                    .help(
                        "Give the authorizer a `name` (a function of this service) or an `arn`.",
                    ));
                }

                if !ty.truthy() {
                    ty = a.get("type");
                }
                result_ttl = match parse_int(&a.get("resultTtlInSeconds")) {
                    Some(n) => Jv::Num(n),
                    None => Jv::Num(300.0),
                };
                let c = a.get("claims");
                claims = if c.truthy() { c } else { arr(Vec::new()) };
                scopes = a.get("scopes");
                identity_source = a.get("identitySource");
                identity_validation_expression = a.get("identityValidationExpression");
                let me = a.get("managedExternally");
                if fw == Framework::V1 {
                    managed_externally = match me {
                        Jv::Undef => Jv::Bool(false),
                        Jv::Bool(b) => Jv::Bool(b),
                        _ => {
                            return Err(CompileError::new(format!(
                                "managedExternally property in authorizer for function {function_name} is not boolean. Please check the docs for more info."
                            ))
                            .help("Set `managedExternally` to true or false."));
                        }
                    };
                } else {
                    managed_externally = if me.is_nullish() { Jv::Bool(false) } else { me };
                }
            }
            _ => {
                if fw == Framework::V1 {
                    return Err(CompileError::new(format!(
                        "authorizer property in function {function_name} is not an object nor a string. The correct format is: authorizer: functionName OR an object containing a name property. Please check the docs for more info."
                    ))
                    .help("Write the authorizer as a function name, an ARN, or a mapping with `name`/`arn`."));
                }
            }
        }

        if authorizer_function_name.truthy() {
            let fname = authorizer_function_name.to_js_string();
            // service.getFunction: `functionName in this.functions`
            if !self.functions.contains(&fname) && !is_object_prototype_key(&fname) {
                return Err(CompileError::new(format!(
                    "Function \"{fname}\" doesn't exist in this Service"
                ))
                .help("Name a function of this service, or give the authorizer's `arn`."));
            }
            let function_object = self.function_object(&fname);
            // resolveLambdaTarget
            let text = str_recv(&authorizer_function_name, "resourceName", "replace")?;
            let get_att = obj([(
                "Fn::GetAtt",
                arr(vec![s(naming::lambda_logical_id(text)), s("Arn")]),
            )]);
            let alias = function_object.get("targetAlias");
            arn = if alias.truthy() {
                obj([(
                    "Fn::Join",
                    arr(vec![s(":"), arr(vec![get_att, alias.get("name")])]),
                )])
            } else {
                get_att
            };
            if alias.truthy() {
                logical_id = alias.get("logicalId");
            }
        }

        if managed_externally.is_undef() {
            managed_externally = Jv::Bool(false);
        }

        let default_identity_source = match fw {
            Framework::V1 | Framework::V2 => identity_source.is_undef(),
            // 3.0.0: REQUEST authorizers without caching get no default identity source.
            Framework::V3 | Framework::Osls => {
                // `!identitySource && !(type && type.toUpperCase() === 'REQUEST' && resultTtlInSeconds === 0)`
                let uncached_request = ty.truthy()
                    && to_upper(str_recv(&ty, "type", "toUpperCase")?) == "REQUEST"
                    && result_ttl.strict_eq(&Jv::Num(0.0));
                !identity_source.truthy() && !uncached_request
            }
        };
        if default_identity_source {
            identity_source = s("method.request.header.Authorization");
        }

        let integration = self.get_integration(http, None)?;
        if integration == "AWS_PROXY"
            && is_cognito_arn(&arn)
            && claims.truthy()
            && claims.get("length").truthy()
        {
            return Err(CompileError::new(
                "Cognito claims can only be filtered when using the lambda integration type",
            )
            .help("Remove `claims`, or use `integration: lambda`."));
        }

        Ok(obj([
            ("type", ty),
            ("name", name),
            ("arn", arn),
            ("managedExternally", managed_externally),
            ("authorizerId", authorizer_id),
            ("logicalId", logical_id),
            ("resultTtlInSeconds", result_ttl),
            ("identitySource", identity_source),
            (
                "identityValidationExpression",
                identity_validation_expression,
            ),
            ("claims", claims),
            ("scopes", scopes),
        ]))
    }

    fn get_cors(&self, http: &Jv, method: &str) -> Result<Jv, CompileError> {
        let fw = self.fw;
        let mut headers: Vec<Jv> = [
            "Content-Type",
            "X-Amz-Date",
            "Authorization",
            "X-Api-Key",
            "X-Amz-Security-Token",
            "X-Amz-User-Agent",
        ]
        .iter()
        .map(|h| s(*h))
        .collect();
        if matches!(fw, Framework::V3 | Framework::Osls) {
            // 3.20.0
            headers.push(s("X-Amzn-Trace-Id"));
        }
        let headers_list = headers;
        let upper = to_upper(method);
        let user = http.get("cors");

        if !user.typeof_object() {
            let mut cors = Obj::new();
            if fw == Framework::V1 {
                // removed in 2.59.0
                cors.set("origins", arr(vec![s("*")]));
            }
            cors.set("origin", s("*"));
            cors.set("methods", arr(vec![s("OPTIONS"), s(upper)]));
            cors.set("headers", arr(headers_list));
            cors.set("allowCredentials", Jv::Bool(false));
            return Ok(Jv::Obj(ObjRef::new(cors)));
        }

        let cors = if fw == Framework::V1 {
            // 1.x takes the user's object itself (and changes it in place).
            user.clone()
        } else {
            let base = obj([
                ("origin", s("*")),
                ("methods", arr(vec![s("OPTIONS")])),
                ("headers", arr(headers_list.clone())),
                ("allowCredentials", Jv::Bool(false)),
            ]);
            if user.get("origins").truthy() {
                base.delete("origin");
            }
            for (k, v) in user.lodash_entries() {
                base.assign(&k, v)?;
            }
            base
        };
        let methods = cors.get("methods");
        cors.assign(
            "methods",
            if methods.truthy() {
                methods
            } else {
                arr(Vec::new())
            },
        )?;
        let cred = cors.get("allowCredentials").truthy();
        cors.assign("allowCredentials", Jv::Bool(cred))?;

        if fw == Framework::V1 && cors.get("origins").truthy() && cors.get("origin").truthy() {
            return Err(CompileError::new(
                "You can only use \"origin\" or \"origins\", but not both at the same time to configure CORS. Please check the docs for more info.",
            )
            .help("Keep either `origin` or `origins`."));
        }

        let cors_headers = cors.get("headers");
        if cors_headers.truthy() {
            if let Jv::Str(_) = cors_headers {
                cors.assign("headers", arr(vec![cors_headers]))?;
            } else if fw == Framework::V1 && !matches!(cors_headers, Jv::Arr(_)) {
                return Err(CompileError::new(
                    "CORS header values must be provided as an array or a single string value. Please check the docs for more info.",
                )
                .help("Write `headers` as a list of header names."));
            }
        } else {
            cors.assign("headers", arr(headers_list))?;
        }

        for wanted in ["OPTIONS", upper.as_str()] {
            let methods = cors.get("methods");
            if !js_index_of(&methods, "cors.methods", wanted)? {
                match methods {
                    Jv::Arr(items) => items.push(s(wanted)),
                    other => {
                        return Err(arr_recv(&other, "cors.methods", "push")
                            .err()
                            .unwrap_or_else(|| type_error("")));
                    }
                }
            }
        }

        if fw == Framework::V1 {
            let max_age = cors.get("maxAge");
            if max_age.truthy() && js_less_than_one(&max_age) {
                return Err(CompileError::new("maxAge should be an integer over 0")
                    .help("Set `maxAge` to a number of seconds above 0."));
            }
        }
        Ok(cors)
    }

    /// `getIntegration`; `function_name` is `None` where 1.x calls it
    /// without one (the authorizer step), which shows up in its message.
    pub(crate) fn get_integration(
        &self,
        http: &Jv,
        function_name: Option<&str>,
    ) -> Result<String, CompileError> {
        let integration = http.get("integration");
        if integration.truthy() {
            let text = str_recv(&integration, "http.integration", "toUpperCase")?;
            let normalized = replace_first(&to_upper(text), "-", "_");
            if self.fw == Framework::V1 {
                let allowed = [
                    "LAMBDA_PROXY",
                    "LAMBDA",
                    "AWS",
                    "AWS_PROXY",
                    "HTTP",
                    "HTTP_PROXY",
                    "MOCK",
                ];
                if !allowed.contains(&normalized.as_str()) {
                    return Err(CompileError::new(format!(
                        "Invalid APIG integration \"{text}\" in function \"{}\". Supported integrations are: lambda, lambda-proxy, aws, aws-proxy, http, http-proxy, mock.",
                        function_name.unwrap_or("undefined")
                    ))
                    .help("Use lambda, lambda-proxy, http, http-proxy or mock."));
                }
            }
            return Ok(match normalized.as_str() {
                "LAMBDA" => "AWS".to_owned(),
                "LAMBDA_PROXY" => "AWS_PROXY".to_owned(),
                _ => normalized,
            });
        }
        if http.get("async").truthy() {
            return Ok("AWS".to_owned());
        }
        Ok("AWS_PROXY".to_owned())
    }

    fn get_connection_type(&self, http: &Jv, function_name: &str) -> Result<Jv, CompileError> {
        let ct = http.get("connectionType");
        if ct.truthy() {
            let text = str_recv(&ct, "http.connectionType", "toUpperCase")?;
            let normalized = replace_first(&to_upper(text), "-", "_");
            if self.fw == Framework::V1 && normalized != "VPC_LINK" {
                return Err(CompileError::new(format!(
                    "Invalid APIG connectionType \"{text}\" in function \"{function_name}\". Supported connectionTyps are: vpc-link."
                ))
                .help("Use `connectionType: vpc-link`."));
            }
            return Ok(s(normalized));
        }
        Ok(Jv::Null)
    }

    /// `getRequest`: the request with its parameters flattened, or `{}`.
    pub(crate) fn get_request(&self, http: &Jv) -> Result<Jv, CompileError> {
        let request = http.get("request");
        if !request.truthy() {
            return Ok(empty_obj());
        }
        if self.fw == Framework::V1 {
            if !request.typeof_object() {
                return Err(CompileError::new(
                    "Request config must be provided as an object. Please check the docs for more info.",
                )
                .help("Write `request` as a mapping."));
            }
            let template = request.get("template");
            if template.truthy() && !template.typeof_object() {
                return Err(CompileError::new(
                    "Template config must be provided as an object. Please check the docs for more info.",
                )
                .help("Write `request.template` as a mapping of content type to template."));
            }
        }
        if request.get("parameters").truthy() {
            let flat = get_request_parameters(&request)?;
            request.assign("parameters", flat)?;
        }
        Ok(request)
    }

    fn get_request_pass_through(&self, http: &Jv) -> Result<Jv, CompileError> {
        let pass_through = http.get("request").get("passThrough");
        if pass_through.truthy() {
            if self.fw == Framework::V1 {
                let allowed = ["NEVER", "WHEN_NO_MATCH", "WHEN_NO_TEMPLATES"];
                if !pass_through.as_str().is_some_and(|p| allowed.contains(&p)) {
                    return Err(CompileError::new(format!(
                        "Request passThrough \"{}\" is not one of NEVER, WHEN_NO_MATCH, WHEN_NO_TEMPLATES",
                        pass_through.to_js_string()
                    ))
                    .help("Use NEVER, WHEN_NO_MATCH or WHEN_NO_TEMPLATES (upper case)."));
                }
            }
            return Ok(pass_through);
        }
        let integration = http.get("integration");
        let ty = if integration.truthy() {
            integration.to_js_string()
        } else {
            "AWS_PROXY".to_owned()
        };
        Ok(match ty.as_str() {
            "AWS" => s("NEVER"),
            "HTTP" | "MOCK" => Jv::Undef,
            _ => s("WHEN_NO_MATCH"),
        })
    }

    fn get_response(&self, http: &Jv) -> Result<Jv, CompileError> {
        let response = http.get("response");
        if !response.truthy() {
            return Ok(empty_obj());
        }
        if self.fw == Framework::V1 {
            if !response.typeof_object() {
                return Err(CompileError::new(
                    "Response config must be provided as an object. Please check the docs for more info.",
                )
                .help("Write `response` as a mapping."));
            }
            let headers = response.get("headers");
            if headers.truthy() && !headers.typeof_object() {
                return Err(CompileError::new(
                    "Response headers must be provided as an object. Please check the docs for more info.",
                )
                .help("Write `response.headers` as a mapping of header name to value."));
            }
        }
        let status_codes = response.get("statusCodes");
        if status_codes.truthy() {
            let copy = object_assign_copy(&status_codes);
            let mut has_default = false;
            for code in copy.object_values()? {
                if code.read("pattern")?.strict_eq(&s("")) {
                    has_default = true;
                    break;
                }
            }
            if !has_default {
                copy.assign("200", default_status_codes().get("200"))?;
            }
            response.assign("statusCodes", copy)?;
        } else {
            response
                .assign("statusCodes", default_status_codes())
                .map_err(|e| e.help("Write `response` as a mapping."))?;
        }
        Ok(response)
    }
}

/// `getRequestParameters`: `{querystrings, paths, headers}` → `method.request.<loc>.<name>`.
pub(crate) fn get_request_parameters(request: &Jv) -> Result<Jv, CompileError> {
    let mut out = Obj::new();
    let parameters = request.get("parameters");
    for (location, singular) in [
        ("querystrings", "querystring"),
        ("paths", "path"),
        ("headers", "header"),
    ] {
        let group = parameters.get(location);
        if group.truthy() {
            for (key, value) in group.object_entries()? {
                out.set(format!("method.request.{singular}.{key}"), value);
            }
        }
    }
    Ok(Jv::Obj(ObjRef::new(out)))
}

/// One leading and one trailing `/` removed.
pub(crate) fn trim_slashes(path: &str) -> String {
    let p = path.strip_prefix('/').unwrap_or(path);
    p.strip_suffix('/').unwrap_or(p).to_owned()
}

/// `x.indexOf(item) !== -1` for a string or an array receiver.
fn js_index_of(v: &Jv, expr: &str, item: &str) -> Result<bool, CompileError> {
    match v {
        Jv::Arr(items) => Ok(items.items().iter().any(|i| i.strict_eq(&s(item)))),
        Jv::Str(t) => Ok(t.contains(item)),
        other => Err(str_recv(other, expr, "indexOf")
            .err()
            .unwrap_or_else(|| type_error(""))),
    }
}

/// `x < 1` with JavaScript's number conversion.
fn js_less_than_one(v: &Jv) -> bool {
    let n = match v {
        Jv::Num(n) => *n,
        Jv::Bool(b) => f64::from(u8::from(*b)),
        Jv::Str(t) => {
            let t = t.trim();
            if t.is_empty() {
                0.0
            } else {
                t.parse().unwrap_or(f64::NAN)
            }
        }
        Jv::Arr(items) if items.is_empty() => 0.0,
        Jv::Arr(items) if items.len() == 1 => {
            return items.first().is_some_and(|i| js_less_than_one(&i));
        }
        _ => f64::NAN,
    };
    n < 1.0
}

/// Names `in` finds on every object through `Object.prototype`.
pub(crate) fn is_object_prototype_key(key: &str) -> bool {
    matches!(
        key,
        "constructor"
            | "hasOwnProperty"
            | "isPrototypeOf"
            | "propertyIsEnumerable"
            | "toLocaleString"
            | "toString"
            | "valueOf"
            | "__proto__"
            | "__defineGetter__"
            | "__defineSetter__"
            | "__lookupGetter__"
            | "__lookupSetter__"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_status_codes_are_the_nine() {
        let codes = default_status_codes();
        let keys = codes.object_keys().unwrap_or_default();
        assert_eq!(
            keys,
            [
                "200", "400", "401", "403", "404", "422", "500", "502", "504"
            ]
        );
        assert_eq!(codes.get("200").get("pattern"), s(""));
        assert_eq!(
            codes.get("504").get("pattern"),
            s("([\\s\\S]*\\[504\\][\\s\\S]*)|(.*Task timed out after \\d+\\.\\d+ seconds$)")
        );
    }

    #[test]
    fn paths_lose_one_slash_each_side() {
        assert_eq!(trim_slashes("/users/"), "users");
        assert_eq!(trim_slashes("//a//"), "/a/");
        assert_eq!(trim_slashes("/"), "");
        assert_eq!(trim_slashes(""), "");
    }

    #[test]
    fn cognito_arns() {
        assert!(is_cognito_arn(&s(
            "arn:aws:cognito-idp:us-east-1:1:userpool/x"
        )));
        assert!(is_cognito_arn(&s("arn:aws-cn:cognito-idp:x")));
        assert!(!is_cognito_arn(&s("arn:aws:lambda:us-east-1:1:function:x")));
        assert!(!is_cognito_arn(&Jv::Null));
    }

    #[test]
    fn request_parameters_are_flattened_in_fixed_order() {
        let request = obj([(
            "parameters",
            obj([
                ("headers", obj([("h", Jv::Bool(true))])),
                ("paths", obj([("id", Jv::Bool(true))])),
                ("querystrings", obj([("q", Jv::Bool(false))])),
            ]),
        )]);
        let flat = get_request_parameters(&request).unwrap_or_default();
        assert_eq!(
            flat.object_keys().unwrap_or_default(),
            [
                "method.request.querystring.q",
                "method.request.path.id",
                "method.request.header.h"
            ]
        );
    }

    #[test]
    fn stage_names() {
        assert!(is_valid_stage("dev-1_x"));
        assert!(!is_valid_stage("feature.new"));
        assert!(!is_valid_stage(""));
    }
}
