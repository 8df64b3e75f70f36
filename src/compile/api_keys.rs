//! `lib/api-keys.js`, `lib/usage-plan.js`, `lib/usage-plan-keys.js`
//! (1.x/2.x: `apiKeys.js`, `usagePlan.js`, `usagePlanKeys.js`): API keys,
//! usage plans and the keys attached to them.
//!
//! 1.x reads `provider.apiKeys` / `provider.usagePlan`; 2.x reads
//! `provider.apiGateway.*` first and falls back to them; 3.x reads only
//! `provider.apiGateway.*`.

use super::js::{Jv, arr, arr_recv, empty_obj, obj, reference, s};
use super::merge::{merge, merged};
use super::{CompileError, Ctx, Seg, naming};
use crate::model::Framework;

impl Ctx<'_> {
    fn setting(&self, key: &str) -> Jv {
        let from_api = self.api_gateway().get(key);
        match self.fw {
            Framework::V1 => self.provider.get(key),
            Framework::V2 => {
                if from_api.truthy() {
                    from_api
                } else {
                    self.provider.get(key)
                }
            }
            Framework::V3 | Framework::Osls => from_api,
        }
    }

    fn setting_loc(&self, key: &str) -> Option<crate::source::Loc> {
        let path: Vec<Seg> = if self.fw == Framework::V1 {
            vec!["provider".into(), key.into()]
        } else {
            vec!["provider".into(), "apiGateway".into(), key.into()]
        };
        self.loc_of(&path)
    }

    fn api_keys_list(&self) -> Result<Option<Vec<Jv>>, CompileError> {
        let api_keys = self.setting("apiKeys");
        if !api_keys.truthy() {
            return Ok(None);
        }
        let loc = self.setting_loc("apiKeys");
        if self.fw == Framework::V1 && !matches!(api_keys, Jv::Arr(_)) {
            return Err(CompileError::new("apiKeys property must be an array")
                .at(loc)
                .help("Write `apiKeys` as a list."));
        }
        Ok(Some(
            arr_recv(&api_keys, "apiKeys", "forEach")
                .map_err(|e| e.at(loc))?
                .items(),
        ))
    }

    pub(crate) fn compile_api_keys(&mut self) -> Result<(), CompileError> {
        let Some(api_keys) = self.api_keys_list()? else {
            return Ok(());
        };
        let loc = self.setting_loc("apiKeys");
        let usage_plan = self.setting("usagePlan");
        let mut key_number = 0usize;
        for definition in &api_keys {
            // if multiple API key types are used
            let name = definition
                .object_keys()
                .map_err(|e| e.at(loc))?
                .into_iter()
                .next();
            let plan_names = plan_key_names(&usage_plan)?;
            let grouped = definition.is_object()
                && matches!(usage_plan, Jv::Arr(_))
                && name.as_ref().is_some_and(|n| plan_names.contains(n));
            if grouped {
                let name = name.unwrap_or_default();
                key_number = 0;
                let keys = definition.get(&name);
                let keys = arr_recv(&keys, "apiKeyDefinition[name]", "forEach")
                    .map_err(|e| e.at(loc))?
                    .items();
                for key in &keys {
                    if self.fw == Framework::V1 && !valid_api_key_input(key) {
                        return Err(invalid_api_key().at(loc));
                    }
                    key_number += 1;
                    let id = naming::api_key_logical_id(key_number, Some(&name));
                    let resource = self.api_key_resource(key)?;
                    self.merge_resource(&id, resource);
                }
            } else {
                key_number += 1;
                if self.fw == Framework::V1 && !valid_api_key_input(definition) {
                    return Err(invalid_api_key().at(loc));
                }
                let id = naming::api_key_logical_id(key_number, None);
                let resource = self.api_key_resource(definition)?;
                self.merge_resource(&id, resource);
            }
        }
        Ok(())
    }

    /// `createApiKeyResource`.
    fn api_key_resource(&self, key: &Jv) -> Result<Jv, CompileError> {
        let name = match key {
            Jv::Str(_) => key.clone(),
            other => other.read("name")?,
        };
        let value = if key.is_object() && key.get("value").truthy() {
            key.get("value")
        } else {
            Jv::Undef
        };
        let description = if key.is_object() {
            key.get("description")
        } else {
            Jv::Undef
        };
        let customer_id = if key.is_object() {
            key.get("customerId")
        } else {
            Jv::Undef
        };
        let enabled = match self.fw {
            Framework::V1 => Jv::Bool(true),
            _ => {
                if key.is_object() && !key.get("enabled").is_nullish() {
                    key.get("enabled")
                } else {
                    Jv::Bool(true)
                }
            }
        };
        Ok(obj([
            ("Type", s("AWS::ApiGateway::ApiKey")),
            (
                "Properties",
                obj([
                    ("Enabled", enabled),
                    ("Name", name),
                    ("Value", value),
                    ("Description", description),
                    ("CustomerId", customer_id),
                    (
                        "StageKeys",
                        arr(vec![obj([
                            ("RestApiId", self.rest_api_id()),
                            ("StageName", self.stage.clone()),
                        ])]),
                    ),
                ]),
            ),
            ("DependsOn", self.deployment_ref()),
        ]))
    }

    fn deployment_ref(&self) -> Jv {
        match &self.deployment_logical_id {
            Some(d) => s(d.clone()),
            None => Jv::Undef,
        }
    }

    pub(crate) fn compile_usage_plan(&mut self) -> Result<(), CompileError> {
        let api_keys = self.setting("apiKeys");
        let usage_plan = self.setting("usagePlan");
        if !(usage_plan.truthy() || api_keys.truthy()) {
            return Ok(());
        }
        self.usage_plan_names = Vec::new();
        let loc = self.setting_loc("usagePlan");
        if let Jv::Arr(plans) = &usage_plan {
            for plan in plans.items() {
                let name = plan
                    .object_keys()
                    .map_err(|e| e.at(loc))?
                    .into_iter()
                    .next();
                let name_jv = name.clone().map_or(Jv::Undef, s);
                let id = naming::usage_plan_logical_id(name.as_deref());
                let resource = self.usage_plan_resource(&name_jv).map_err(|e| e.at(loc))?;
                self.merge_resource(&id, resource);
                self.usage_plan_names
                    .push(name.unwrap_or_else(|| "undefined".to_owned()));
            }
        } else {
            let id = naming::usage_plan_logical_id(None);
            let resource = self
                .usage_plan_resource(&s("default"))
                .map_err(|e| e.at(loc))?;
            self.merge_resource(&id, resource);
            self.usage_plan_names.push("default".to_owned());
        }
        Ok(())
    }

    /// `createUsagePlanResource`.
    fn usage_plan_resource(&self, name: &Jv) -> Result<Jv, CompileError> {
        let service = self.service_str();
        let stage = self.stage_str();
        let name_text = name.to_js_string();
        let template = obj([
            ("Type", s("AWS::ApiGateway::UsagePlan")),
            ("DependsOn", self.deployment_ref()),
            (
                "Properties",
                obj([
                    (
                        "ApiStages",
                        arr(vec![obj([
                            ("ApiId", self.rest_api_id()),
                            ("Stage", self.stage.clone()),
                        ])]),
                    ),
                    (
                        "Description",
                        s(format!(
                            "Usage plan \"{name_text}\" for {service} {stage} stage"
                        )),
                    ),
                    ("UsagePlanName", s(format!("{service}-{name_text}-{stage}"))),
                ]),
            ),
        ]);
        let usage_plan = self.setting("usagePlan");
        if name_text == "default" {
            // create old legacy resources (backward compatibility)
            let props = template.get("Properties");
            props.assign("UsagePlanName", s(format!("{service}-{stage}")))?;
            props.assign(
                "Description",
                s(format!("Usage plan for {service} {stage} stage")),
            )?;
            let quota = usage_plan.get("quota");
            if quota.truthy() {
                let q = merged(
                    obj([("Limit", quota.get("limit"))]),
                    &[
                        &obj([("Offset", quota.get("offset"))]),
                        &obj([("Period", quota.get("period"))]),
                    ],
                );
                merge(&template, &obj([("Properties", obj([("Quota", q)]))]));
            }
            // 1.x tests `usagePlan.quota` again here (a bug), then reads `throttle`.
            let throttle_present = match self.fw {
                Framework::V1 => quota.truthy(),
                _ => usage_plan.get("throttle").truthy(),
            };
            if throttle_present {
                let throttle = usage_plan.read("throttle")?;
                let t = merged(
                    obj([("BurstLimit", throttle.read("burstLimit")?)]),
                    &[&obj([("RateLimit", throttle.read("rateLimit")?)])],
                );
                merge(&template, &obj([("Properties", obj([("Throttle", t)]))]));
            }
        } else {
            let plans = arr_recv(&usage_plan, "usagePlan", "reduce")?.items();
            let mut quota = empty_obj();
            let mut throttle = empty_obj();
            for plan in &plans {
                let entry = plan.read(&name_text)?;
                if entry.truthy() && entry.get("quota").truthy() {
                    quota = entry.get("quota");
                }
            }
            if !quota.object_keys()?.is_empty() {
                let q = merged(
                    obj([("Limit", quota.get("limit"))]),
                    &[
                        &obj([("Offset", quota.get("offset"))]),
                        &obj([("Period", quota.get("period"))]),
                    ],
                );
                merge(&template, &obj([("Properties", obj([("Quota", q)]))]));
            }
            for plan in &plans {
                let entry = plan.read(&name_text)?;
                if entry.truthy() && entry.get("throttle").truthy() {
                    throttle = entry.get("throttle");
                }
            }
            let throttle_present = match self.fw {
                // 1.x tests the quota's keys again here
                Framework::V1 => !quota.object_keys()?.is_empty(),
                _ => !throttle.object_keys()?.is_empty(),
            };
            if throttle_present {
                let t = merged(
                    obj([("BurstLimit", throttle.get("burstLimit"))]),
                    &[&obj([("RateLimit", throttle.get("rateLimit"))])],
                );
                merge(&template, &obj([("Properties", obj([("Throttle", t)]))]));
            }
        }
        Ok(template)
    }

    pub(crate) fn compile_usage_plan_keys(&mut self) -> Result<(), CompileError> {
        let Some(api_keys) = self.api_keys_list()? else {
            return Ok(());
        };
        let loc = self.setting_loc("apiKeys");
        let mut key_number = 0usize;
        for definition in &api_keys {
            // if multiple API key types are used
            let entries = definition.object_entries().map_err(|e| e.at(loc))?;
            let Some((name, value)) = entries.into_iter().next() else {
                return Err(super::js::type_error(
                    "Cannot read properties of undefined (reading '0')",
                )
                .at(loc));
            };
            let includes = self.usage_plan_names.contains(&name);
            if !self.usage_plan_names.is_empty() && !includes && value.is_object() {
                return Err(CompileError::new(format!(
                    "API key \"{name}\" has no usage plan defined"
                ))
                .at(loc)
                .help("Add a usage plan with that name to `usagePlan`."));
            }
            if definition.is_object() && includes {
                key_number = 0;
                let keys = definition.get(&name);
                let keys = arr_recv(&keys, "apiKeyDefinition[name]", "forEach")
                    .map_err(|e| e.at(loc))?
                    .items();
                for key in &keys {
                    if self.fw == Framework::V1 && !valid_api_key_input(key) {
                        return Err(invalid_api_key().at(loc));
                    }
                    key_number += 1;
                    let id = naming::usage_plan_key_logical_id(key_number, Some(&name));
                    let plan = naming::usage_plan_logical_id(Some(&name));
                    let resource = usage_plan_key_resource(&plan, key_number, Some(&name));
                    self.merge_resource(&id, resource);
                }
            } else {
                key_number += 1;
                let id = naming::usage_plan_key_logical_id(key_number, None);
                let plan = naming::usage_plan_logical_id(None);
                let resource = usage_plan_key_resource(&plan, key_number, None);
                self.merge_resource(&id, resource);
            }
        }
        Ok(())
    }
}

/// `usagePlan.map(item => Object.keys(item)).flat()` (empty when not a list).
fn plan_key_names(usage_plan: &Jv) -> Result<Vec<String>, CompileError> {
    let Jv::Arr(items) = usage_plan else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in items.items() {
        out.extend(item.object_keys()?);
    }
    Ok(out)
}

/// `createUsagePlanKeyResource`.
fn usage_plan_key_resource(plan: &str, number: usize, name: Option<&str>) -> Jv {
    obj([
        ("Type", s("AWS::ApiGateway::UsagePlanKey")),
        (
            "Properties",
            obj([
                (
                    "KeyId",
                    reference(&naming::api_key_logical_id(number, name)),
                ),
                ("KeyType", s("API_KEY")),
                ("UsagePlanId", reference(plan)),
            ]),
        ),
    ])
}

/// 1.x `validateApiKeyInput`.
fn valid_api_key_input(key: &Jv) -> bool {
    if key.is_object() && (!key.get("name").is_nullish() || !key.get("value").is_nullish()) {
        return true;
    }
    matches!(key, Jv::Str(_))
}

fn invalid_api_key() -> CompileError {
    CompileError::new("API Key must be a string or an object which contains name and/or value")
        .help("Write each API key as a name, or as a mapping with `name` and/or `value`.")
}
