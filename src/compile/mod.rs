//! The compiler: a resolved config → the CloudFormation that
//! `serverless package` writes for its `http` events, byte for byte.
//!
//! One module per file of the framework's
//! `lib/plugins/aws/package/compile/events/api-gateway/` (v3 names; v1/v2
//! call the directory `apiGateway/` and use camel-case file names), run in
//! the order of that plugin's `package:compileEvents` hook:
//!
//! validate → restApi → resources → cors → methods → requestValidators
//! (2.x/3.x) → authorizers → deployment → apiKeys → usagePlan →
//! usagePlanKeys → permissions.
//!
//! Before that, the config is prepared the way the framework prepares it
//! (service normalisation, and in 2.x/3.x the schema validation, which also
//! coerces values: see [`schema`]); after it, the user's `resources` are
//! merged in as the package step does, and the template is cut down to its
//! API Gateway part, like the conformance files.
//!
//! Framework behaviour is mirrored on JavaScript values ([`js::Jv`]) so that
//! every odd type follows the JavaScript semantics, including the
//! `TypeError`s the framework crashes with.

mod api_keys;
mod authorizers;
mod cors;
mod deployment;
pub(crate) mod js;
pub(crate) mod merge;
mod method;
pub(crate) mod naming;
mod permissions;
mod request_validator;
mod resources;
mod rest_api;
mod schema;
mod templates;
mod validate;

use std::collections::{HashMap, HashSet};

use serde_json::{Map as JsonMap, Value as Json};

use crate::model::Framework;
use crate::source::{Loc, Node};

use js::{Jv, Obj, ObjRef, arr, empty_obj, obj, reference, s};

/// How to compile.
#[derive(Clone, Debug)]
pub struct Options {
    pub framework: Framework,
    /// The packaging instant: names `ApiGatewayDeployment<ms>`.
    pub timestamp_ms: u64,
    /// `--stage`.
    pub stage: Option<String>,
    /// `--region`.
    pub region: Option<String>,
}

/// A warning the framework prints (v3 wording, without `Warning: `).
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    pub message: String,
    pub loc: Option<Loc>,
}

/// Why the framework refuses (or crashes on) a config.
#[derive(Debug, Clone, PartialEq)]
pub struct CompileError {
    /// What the framework says (for a crash: the first line of the JavaScript error).
    pub message: String,
    /// The offending key, value or event.
    pub loc: Option<Loc>,
    /// What the user should change, in plain words.
    pub help: Option<String>,
}

impl CompileError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            loc: None,
            help: None,
        }
    }

    /// Set the location unless one is already known.
    pub(crate) fn at(mut self, loc: Option<Loc>) -> Self {
        if self.loc.is_none() {
            self.loc = loc;
        }
        self
    }

    /// Set the help text unless one is already known.
    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        if self.help.is_none() {
            self.help = Some(help.into());
        }
        self
    }
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CompileError {}

/// What one function's http events contributed (for [`Output::function_document`]).
#[derive(Clone, Debug, Default)]
struct Contribution {
    /// Method logical IDs of its events, in event order.
    methods: Vec<String>,
    /// CORS preflight method IDs of its paths.
    cors_methods: Vec<String>,
    /// Its `<F>LambdaPermissionApiGateway`.
    permission: Option<String>,
    /// Authorizers, authorizer permissions, models and validators its methods use.
    extras: Vec<String>,
    /// Resource tree entries its methods (and preflights) need.
    tree: Vec<String>,
}

/// The compiled API Gateway part of the template.
#[derive(Clone, Debug, Default)]
pub struct Output {
    /// Template order, as in `expected-apigw.json` `Resources`.
    resources: Vec<(String, Jv)>,
    /// `Outputs.ServiceEndpoint`, when the API is the service's own.
    service_endpoint: Option<Jv>,
    pub warnings: Vec<Warning>,
    /// Function name → what its events contributed, in function order.
    contributions: Vec<(String, Contribution)>,
    rest_api: Option<String>,
    deployment: Option<String>,
}

impl Output {
    /// `{"Resources": ..., "Outputs": ...}` exactly as `expected-apigw.json`.
    pub fn document(&self) -> Json {
        let all: Vec<&(String, Jv)> = self.resources.iter().collect();
        self.document_of(&all, true)
    }

    /// Only what function `name`'s http events contribute (see the module
    /// docs of [`Contribution`]); with `full`, also the resource tree entries
    /// those methods need, the RestApi and the Deployment. `None` if the
    /// function has no http event.
    pub fn function_document(&self, name: &str, full: bool) -> Option<Json> {
        let picked = self.function_resources(name, full)?;
        Some(self.document_of(&picked, false))
    }

    /// Function `name` has http events in this API.
    pub fn has_http_events(&self, name: &str) -> bool {
        self.contributions.iter().any(|(n, _)| n == name)
    }

    fn function_resources(&self, name: &str, full: bool) -> Option<Vec<&(String, Jv)>> {
        let (_, c) = self.contributions.iter().find(|(n, _)| n == name)?;
        let mut wanted: HashSet<&str> = HashSet::new();
        if full {
            wanted.extend(self.rest_api.as_deref());
            wanted.extend(c.tree.iter().map(String::as_str));
            wanted.extend(self.deployment.as_deref());
        }
        wanted.extend(c.cors_methods.iter().map(String::as_str));
        wanted.extend(c.methods.iter().map(String::as_str));
        wanted.extend(c.extras.iter().map(String::as_str));
        wanted.extend(c.permission.as_deref());
        Some(
            self.resources
                .iter()
                .filter(|(id, _)| wanted.contains(id.as_str()))
                .collect(),
        )
    }

    fn outputs(&self, with_outputs: bool) -> Option<&Jv> {
        self.service_endpoint.as_ref().filter(|_| with_outputs)
    }

    fn document_of(&self, resources: &[&(String, Jv)], with_outputs: bool) -> Json {
        let mut res = JsonMap::new();
        for (id, r) in resources {
            res.insert(id.clone(), r.to_json());
        }
        let mut outputs = JsonMap::new();
        if let Some(ep) = self.outputs(with_outputs) {
            outputs.insert("ServiceEndpoint".into(), ep.to_json());
        }
        let mut doc = JsonMap::new();
        doc.insert("Resources".into(), Json::Object(res));
        doc.insert("Outputs".into(), Json::Object(outputs));
        Json::Object(doc)
    }

    /// [`Output::document`] as `JSON.stringify(_, null, 2)` text plus a
    /// newline, written to `w` a resource at a time from the compiled
    /// values: a large template is never held as one string or JSON value.
    pub fn write_document(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        let all: Vec<&(String, Jv)> = self.resources.iter().collect();
        self.write_of(w, &all, true)
    }

    /// [`Output::function_document`] written to `w` like
    /// [`Output::write_document`]; `Ok(false)` when
    /// the function has no http event.
    pub fn write_function_document(
        &self,
        w: &mut impl std::io::Write,
        name: &str,
        full: bool,
    ) -> std::io::Result<bool> {
        let Some(picked) = self.function_resources(name, full) else {
            return Ok(false);
        };
        self.write_of(w, &picked, false)?;
        Ok(true)
    }

    fn write_of(
        &self,
        w: &mut impl std::io::Write,
        resources: &[&(String, Jv)],
        with_outputs: bool,
    ) -> std::io::Result<()> {
        let mut out = js::JsonText::with_capacity(1 << 16);
        out.buf.push_str("{\n  \"Resources\": ");
        let mut any = false;
        for (id, r) in resources {
            if r.is_undef() {
                continue;
            }
            out.buf.push_str(if any { ",\n    " } else { "{\n    " });
            any = true;
            crate::source::json::write_string(&mut out.buf, id);
            out.buf.push_str(": ");
            r.write_json(&mut out, 2);
            if out.buf.len() >= 1 << 16 {
                w.write_all(out.buf.as_bytes())?;
                out.buf.clear();
            }
        }
        out.buf.push_str(if any { "\n  }" } else { "{}" });
        out.buf.push_str(",\n  \"Outputs\": ");
        js::write_json_members(
            &mut out,
            self.outputs(with_outputs)
                .map(|ep| ("ServiceEndpoint", ep))
                .into_iter(),
            1,
        );
        out.buf.push_str("\n}\n");
        w.write_all(out.buf.as_bytes())
    }
}

/// One step of a path into the config, for locating messages.
#[derive(Clone, Debug)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

impl From<&str> for Seg {
    fn from(k: &str) -> Self {
        Seg::Key(k.to_owned())
    }
}

impl From<String> for Seg {
    fn from(k: String) -> Self {
        Seg::Key(k)
    }
}

impl From<usize> for Seg {
    fn from(i: usize) -> Self {
        Seg::Index(i)
    }
}

/// A validated http event: `{functionName, http}`.
#[derive(Clone, Debug)]
pub(crate) struct Event {
    pub(crate) function_name: String,
    /// Index in the function's `events`.
    pub(crate) event_index: usize,
    pub(crate) http: Jv,
}

/// One `permissionMapping` entry of the methods step.
#[derive(Clone, Debug)]
pub(crate) struct PermissionMapping {
    pub(crate) lambda_logical_id: String,
    pub(crate) lambda_alias_name: Jv,
    pub(crate) lambda_alias_logical_id: Jv,
    pub(crate) event: usize,
}

/// The plugin's state (`this` in the framework's mixins).
pub(crate) struct Ctx<'a> {
    pub(crate) config: &'a Node,
    pub(crate) fw: Framework,
    pub(crate) opts: &'a Options,
    /// `serverless.service.service`.
    pub(crate) service: Jv,
    /// `serverless.service.provider`.
    pub(crate) provider: Jv,
    /// `serverless.service.functions` after the service's normalisation.
    pub(crate) functions: ObjRef,
    /// `provider.getStage()`.
    pub(crate) stage: Jv,
    /// `compiledCloudFormationTemplate.Resources` (only what this plugin writes).
    pub(crate) resources: ObjRef,
    /// `compiledCloudFormationTemplate.Outputs`.
    pub(crate) outputs: ObjRef,
    pub(crate) warnings: Vec<Warning>,
    /// `apiGatewayMethodLogicalIds`.
    pub(crate) method_logical_ids: Vec<String>,
    /// `validated.events`.
    pub(crate) events: Vec<Event>,
    /// `validated.corsPreflight`.
    pub(crate) cors_preflight: ObjRef,
    /// `apiGatewayResources`.
    pub(crate) tree: resources::Tree,
    pub(crate) permission_mapping: Vec<PermissionMapping>,
    /// `apiGatewayRestApiLogicalId`.
    pub(crate) rest_api_logical_id: Option<String>,
    /// `apiGatewayDeploymentLogicalId`.
    pub(crate) deployment_logical_id: Option<String>,
    /// `apiGatewayUsagePlanNames`.
    pub(crate) usage_plan_names: Vec<String>,
    /// The memoized `createRequestValidator()` result.
    pub(crate) request_validator: Option<String>,
    /// Resource IDs each event's method uses besides the method itself.
    pub(crate) event_extras: Vec<Vec<String>>,
    /// Request templates shared between methods.
    pub(crate) templates: templates::Shared,
}

impl<'a> Ctx<'a> {
    /// The node at `path` in the config, or the deepest ancestor that exists.
    pub(crate) fn loc_of(&self, path: &[Seg]) -> Option<Loc> {
        let mut node = self.config;
        for seg in path {
            let next = match seg {
                Seg::Key(k) => node.get(k),
                Seg::Index(i) => node.as_seq().and_then(|items| items.get(*i)),
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        Some(node.loc)
    }

    /// The location of an event's `http` value, or of one of its keys.
    pub(crate) fn event_loc(
        &self,
        function_name: &str,
        index: usize,
        keys: &[&str],
    ) -> Option<Loc> {
        let mut node = self.config;
        for key in ["functions", function_name, "events"] {
            match node.get(key) {
                Some(n) => node = n,
                None => return Some(node.loc),
            }
        }
        match node.as_seq().and_then(|items| items.get(index)) {
            Some(n) => node = n,
            None => return Some(node.loc),
        }
        for key in std::iter::once("http").chain(keys.iter().copied()) {
            match node.get(key) {
                Some(n) => node = n,
                None => break,
            }
        }
        Some(node.loc)
    }

    pub(crate) fn warn(&mut self, message: String, loc: Option<Loc>) {
        self.warnings.push(Warning { message, loc });
    }

    /// `provider.apiGateway`.
    pub(crate) fn api_gateway(&self) -> Jv {
        self.provider.get("apiGateway")
    }

    /// `provider.getStage()` as a string.
    pub(crate) fn stage_str(&self) -> String {
        self.stage.to_js_string()
    }

    /// `serverless.service.service` as a string.
    pub(crate) fn service_str(&self) -> String {
        self.service.to_js_string()
    }

    /// `provider.getApiGatewayRestApiId()`.
    pub(crate) fn rest_api_id(&self) -> Jv {
        let api = self.api_gateway();
        if api.truthy() {
            let id = api.get("restApiId");
            if id.truthy() {
                return id;
            }
        }
        reference(naming::REST_API_LOGICAL_ID)
    }

    /// `provider.getApiGatewayRestApiRootResourceId()`.
    pub(crate) fn rest_api_root_resource_id(&self) -> Jv {
        let api = self.api_gateway();
        if api.truthy() {
            let id = api.get("restApiRootResourceId");
            if id.truthy() {
                return id;
            }
        }
        obj([(
            "Fn::GetAtt",
            arr(vec![s(naming::REST_API_LOGICAL_ID), s("RootResourceId")]),
        )])
    }

    /// `_.merge(Resources, { [id]: resource })`.
    ///
    /// `_.merge` deep-copies `resource` into a new ID; only the parts that
    /// something else also holds need the copy, the rest is moved in.
    pub(crate) fn merge_resource(&mut self, id: &str, resource: Jv) {
        if !self.resources.contains(id) {
            self.resources.set(id, resource.into_unshared(1));
        } else {
            merge::merge_into(&self.resources, &obj([(id, resource)]));
        }
    }

    /// `Object.assign(Resources, { [id]: resource })`.
    pub(crate) fn assign_resource(&mut self, id: &str, resource: Jv) {
        self.resources.set(id, resource);
    }

    /// `serverless.service.functions[name]`.
    pub(crate) fn function_object(&self, name: &str) -> Jv {
        self.functions.get(name).unwrap_or(Jv::Undef)
    }
}

/// Compile the `http` events of a whole resolved config.
pub fn compile(config: &Node, opts: &Options) -> Result<Output, CompileError> {
    let root = Jv::from_node(config);
    let mut warnings = Vec::new();

    // Only the AWS provider compiles http events.
    let provider_name = match root.get("provider") {
        Jv::Str(name) if opts.framework == Framework::V1 => Jv::Str(name),
        p => p.get("name"),
    };
    if provider_name.as_str() != Some("aws") {
        return Ok(Output::default());
    }

    // 2.x/3.x: the schema validation runs first and coerces values in place.
    if opts.framework != Framework::V1 {
        schema::validate(&root, config, opts.framework, &mut warnings)?;
    }

    let mut ctx = prepare(config, opts, &root)?;
    ctx.warnings = warnings;
    run(&mut ctx)?;
    finalize(&mut ctx, &root);
    Ok(finish(ctx))
}

/// The service as the framework holds it when the plugin runs.
fn prepare<'a>(config: &'a Node, opts: &'a Options, root: &Jv) -> Result<Ctx<'a>, CompileError> {
    let fw = opts.framework;
    let mut provider = match root.get("provider") {
        Jv::Str(name) if fw == Framework::V1 => obj([("name", Jv::Str(name))]),
        p => p,
    };
    if !provider.is_object() {
        provider = empty_obj();
    }
    let service = match root.get("service") {
        Jv::Obj(o) => {
            if fw == Framework::V1 {
                o.get("name").unwrap_or(Jv::Undef)
            } else {
                return Err(CompileError::new(
                    "Object notation for \"service\" property is not supported. Set \"service\" property directly with service name.",
                )
                .at(Some(config.get("service").map_or(config.loc, |n| n.loc)))
                .help("Write the service name as a string: `service: my-service`."));
            }
        }
        other => other,
    };

    let functions = normalize_functions(config, root, fw, &service, &provider)?;

    // provider.getStage(): --stage, then provider.stage, then 'dev'.
    let stage = match opts.stage.as_deref() {
        Some(st) if !st.is_empty() => s(st),
        _ => {
            let st = provider.get("stage");
            if st.truthy() { st } else { s("dev") }
        }
    };

    Ok(Ctx {
        config,
        fw,
        opts,
        service,
        provider,
        functions,
        stage,
        resources: ObjRef::default(),
        outputs: ObjRef::default(),
        warnings: Vec::new(),
        method_logical_ids: Vec::new(),
        events: Vec::new(),
        cors_preflight: ObjRef::default(),
        tree: resources::Tree::default(),
        permission_mapping: Vec::new(),
        rest_api_logical_id: None,
        deployment_logical_id: None,
        usage_plan_names: Vec::new(),
        request_validator: None,
        event_extras: Vec::new(),
        templates: templates::Shared::default(),
    })
}

/// `Service.mergeArrays` + `Service.setFunctionNames` + the target alias the
/// functions compiler assigns (provisioned concurrency, SnapStart).
fn normalize_functions(
    config: &Node,
    root: &Jv,
    fw: Framework,
    _service: &Jv,
    _provider: &Jv,
) -> Result<ObjRef, CompileError> {
    let loc = Some(config.get("functions").map_or(config.loc, |n| n.loc));
    let raw = root.get("functions");
    let raw = if raw.truthy() { raw } else { empty_obj() };
    // mergeArrays: an array of objects is merged into one object.
    let merged = match raw {
        Jv::Arr(items) => {
            let memo = empty_obj();
            for item in &items.items() {
                if !item.truthy() {
                    continue;
                }
                if item.typeof_object() {
                    merge::merge(&memo, item);
                } else {
                    return Err(CompileError::new(format!(
                        "Non-object value specified in functions array: {}",
                        item.to_js_string()
                    ))
                    .at(loc));
                }
            }
            memo
        }
        other => other,
    };
    let functions = match merged {
        Jv::Obj(o) => o,
        other => {
            if fw != Framework::V1 && !other.is_object() {
                return Err(CompileError::new(format!(
                    "Unexpected \"functions\" configuration: Expected object received: {}",
                    inspect(&other)
                ))
                .at(loc));
            }
            // Object.entries of anything else gives nothing useful.
            ObjRef::new(Obj::from_pairs(other.lodash_entries()))
        }
    };
    for name in functions.keys() {
        let Some(f) = functions.get(&name) else {
            continue;
        };
        if fw == Framework::V1 && f.is_nullish() {
            // 1.x reads `functionObj.events` without a check.
            return Err(f
                .read("events")
                .err()
                .unwrap_or_else(|| CompileError::new(""))
                .at(loc));
        }
        if fw != Framework::V1 {
            if f.is_nullish() {
                functions.remove(&name);
                continue;
            }
            if !f.is_object() {
                return Err(CompileError::new(format!(
                    "Unexpected \"{name}\" function configuration: Expected object received {})",
                    inspect(&f)
                ))
                .at(loc));
            }
        }
        if let Jv::Obj(o) = f {
            if !o.get("events").is_some_and(|e| e.truthy()) {
                o.set("events", arr(Vec::new()));
            }
            // compile/functions.js: the alias http events invoke.
            let provisioned = o.get("provisionedConcurrency").is_some_and(|v| v.truthy());
            let snap_start = fw == Framework::V3 || fw == Framework::Osls;
            let snap = snap_start && o.get("snapStart").is_some_and(|v| v.truthy());
            if snap && provisioned {
                return Err(CompileError::new(format!(
                    "Functions with enabled SnapStart does not support provisioned concurrency. Please remove at least one of the settings on function \"{name}\"."
                ))
                .at(loc));
            }
            if snap {
                // 3.x: SnapStart (checked after provisioned concurrency, so it wins).
                o.set(
                    "targetAlias",
                    obj([
                        ("name", s("snapstart")),
                        ("logicalId", s(naming::snap_start_alias_logical_id(&name))),
                    ]),
                );
            } else if provisioned {
                o.set(
                    "targetAlias",
                    obj([
                        ("name", s("provisioned")),
                        (
                            "logicalId",
                            s(naming::provisioned_concurrency_alias_logical_id(&name)),
                        ),
                    ]),
                );
            }
        }
    }
    Ok(functions)
}

/// A rough `util.inspect` for messages.
fn inspect(v: &Jv) -> String {
    match v {
        Jv::Str(t) => format!("'{t}'"),
        Jv::Undef => "undefined".into(),
        other => other.to_js_string(),
    }
}

/// The `package:compileEvents` hook.
fn run(ctx: &mut Ctx) -> Result<(), CompileError> {
    ctx.validate()?;
    if ctx.events.is_empty() {
        return Ok(());
    }
    ctx.event_extras = vec![Vec::new(); ctx.events.len()];
    ctx.compile_rest_api()?;
    ctx.compile_resources()?;
    ctx.compile_cors()?;
    ctx.compile_methods()?;
    if ctx.fw != Framework::V1 {
        // 2.x: request validators moved out of the methods step.
        ctx.compile_request_validators()?;
    }
    ctx.compile_authorizers()?;
    ctx.compile_deployment();
    ctx.compile_api_keys()?;
    ctx.compile_usage_plan()?;
    ctx.compile_usage_plan_keys()?;
    ctx.compile_permissions()?;
    Ok(())
}

/// The package step's `finalize` lifecycle: `addExportNameForOutputs`
/// (2.x), `mergeCustomProviderResources`, `stripNullPropsFromTemplateResources` (2.x).
fn finalize(ctx: &mut Ctx, root: &Jv) {
    if ctx.fw != Framework::V1 {
        let prefix = format!("sls-{}-{}", ctx.service_str(), ctx.stage_str());
        for (key, data) in ctx.outputs.entries() {
            if !data.get("Export").truthy() {
                let _ = data.assign("Export", obj([("Name", s(format!("{prefix}-{key}")))]));
            }
        }
    }
    user_resources(ctx, root);
    if ctx.fw != Framework::V1 {
        for (_, resource) in ctx.resources.entries() {
            let Jv::Obj(res) = resource else { continue };
            match res.get("Properties") {
                Some(props) if props.truthy() => strip_null_props(&props, 0),
                _ => {
                    res.remove("Properties");
                }
            }
        }
    }
}

/// `stripNullPropsFromObj`: `null` members of objects are deleted, at any depth.
fn strip_null_props(value: &Jv, depth: usize) {
    if depth > 10_000 {
        return;
    }
    // Nulls go first, then the objects and arrays left are visited: every
    // object reachable through non-null members ends up without nulls, as
    // when each member is looked at in turn.
    let children = match value {
        Jv::Obj(o) => o.strip_nulls(),
        Jv::Arr(items) => items.containers(),
        _ => return,
    };
    for child in &children {
        strip_null_props(child, depth + 1);
    }
}

/// The package step's `mergeCustomProviderResources`: the user's
/// `resources.Resources` / `Outputs` are `_.merge`d into the template, and
/// `resources.extensions` applied.
fn user_resources(ctx: &mut Ctx, root: &Jv) {
    let user = root.get("resources");
    let user = match user {
        Jv::Arr(items) => {
            let memo = empty_obj();
            for item in items
                .items()
                .iter()
                .filter(|i| i.truthy() && i.typeof_object())
            {
                merge::merge(&memo, item);
            }
            memo
        }
        other => other,
    };
    if !user.truthy() {
        return;
    }
    let res = user.get("Resources");
    if res.is_object() {
        merge::merge_into(&ctx.resources, &res);
    }
    let outs = user.get("Outputs");
    if outs.is_object() {
        merge::merge_into(&ctx.outputs, &outs);
    }
    if let Jv::Obj(ext) = user.get("extensions") {
        for (id, def) in ext.entries() {
            let Some(Jv::Obj(target)) = ctx.resources.get(&id) else {
                continue;
            };
            for (attr, value) in def.lodash_entries() {
                match attr.as_str() {
                    "Condition"
                    | "CreationPolicy"
                    | "DeletionPolicy"
                    | "UpdatePolicy"
                    | "UpdateReplacePolicy" => target.set(attr, value),
                    "Properties" | "Metadata" => {
                        let mut current = target.get(&attr).unwrap_or(Jv::Undef);
                        if !current.truthy() {
                            current = empty_obj();
                        }
                        for (k, v) in value.lodash_entries() {
                            let _ = current.assign(&k, v);
                        }
                        target.set(attr, current);
                    }
                    "DependsOn" => {
                        let mut list = match target.get("DependsOn") {
                            None | Some(Jv::Undef) | Some(Jv::Null) => Vec::new(),
                            Some(Jv::Arr(a)) => a.items(),
                            Some(other) => vec![other],
                        };
                        if let Jv::Arr(more) = value {
                            list.extend(more.items());
                        }
                        target.set("DependsOn", arr(list));
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Cut the template down to its API Gateway part (what `expected-apigw.json` holds).
fn finish(ctx: Ctx) -> Output {
    let mut resources = Vec::new();
    for (id, res) in ctx.resources.entries() {
        if !res.typeof_object() || matches!(res, Jv::Null) {
            continue;
        }
        let ty = res.get("Type").to_js_string();
        let is_permission = ty == "AWS::Lambda::Permission" && {
            let p = res.get("Properties").get("Principal");
            let text = if p.is_undef() {
                "null".to_owned()
            } else {
                p.to_json().to_string()
            };
            text.contains("apigateway")
        };
        if ty.starts_with("AWS::ApiGateway::")
            || ty.starts_with("Custom::ApiGateway")
            || is_permission
        {
            resources.push((id, res));
        }
    }
    // JSON.stringify leaves an `undefined` member out.
    let service_endpoint = ctx
        .outputs
        .get("ServiceEndpoint")
        .filter(|ep| !ep.is_undef());

    // What each function contributed.
    let mut contributions: Vec<(String, Contribution)> = Vec::new();
    let mut position: HashMap<&str, usize> = HashMap::new();
    for (i, ev) in ctx.events.iter().enumerate() {
        let pos = *position
            .entry(ev.function_name.as_str())
            .or_insert_with(|| {
                contributions.push((ev.function_name.clone(), Contribution::default()));
                contributions.len() - 1
            });
        let Some((_, c)) = contributions.get_mut(pos) else {
            continue;
        };
        let path = ev.http.get("path").to_js_string();
        let method = ev.http.get("method").to_js_string();
        let name = ctx.tree.name_of(&path);
        let method_id = naming::method_logical_id(&name, &method);
        push_unique(&mut c.methods, method_id);
        if ctx.cors_preflight.contains(&path) {
            push_unique(
                &mut c.cors_methods,
                naming::method_logical_id(&name, "options"),
            );
        }
        c.permission = Some(naming::lambda_permission_logical_id(&ev.function_name));
        for extra in ctx.event_extras.get(i).into_iter().flatten() {
            push_unique(&mut c.extras, extra.clone());
        }
        for id in ctx.tree.logical_ids_for(&path) {
            push_unique(&mut c.tree, id);
        }
    }

    Output {
        resources,
        service_endpoint,
        warnings: ctx.warnings,
        contributions,
        rest_api: ctx.rest_api_logical_id,
        deployment: ctx.deployment_logical_id,
    }
}

fn push_unique(list: &mut Vec<String>, id: String) {
    if !list.contains(&id) {
        list.push(id);
    }
}
