//! Static resolution of Serverless `${...}` variables.
//!
//! [`resolve`] takes the config's [`Node`] tree and returns it with every
//! variable that can be known without AWS, plugins or running code replaced
//! by its value, exactly as the chosen framework release would compute it:
//!
//! * `${self:a.b}` (any path in the config, in any order, recursively),
//!   `${opt:stage}` / `${opt:region}` (from [`VarOptions`]), `${sls:stage}`,
//!   `${env:NAME}` (from [`EnvSource`]), `${strToBool(...)}`,
//!   `${file(./x.yml)}` / `${file(./x.yml):a.b}` (YAML, JSON or text files
//!   relative to the config's directory; included nodes keep their spans in
//!   the included file, which is added to the [`SourceMap`]).
//! * Everything else (`ssm:`, `cf:`, `s3:`, `aws:`, `param:`,
//!   `sls:instanceId`, plugin sources, `file(x.js)`) leaves the whole string
//!   as [`Value::Unresolved`], unless the framework would pick a fallback
//!   before ever reaching it. [`Resolved::unresolved`] lists those places.
//! * Where the framework would stop with an error (a missing `--stage`
//!   without fallback, a circular reference, a syntax error...), a
//!   [`VarError`] with the framework's wording, pointing at the `${...}`.
//!
//! v3 (also v2 and osls) semantics are in [`v3`]; v1's older resolver, with
//! its regex syntax and its own fallback rules, in [`v1`].

mod files;
mod parse;
mod span;
mod tree;
mod v1;
mod v3;

use std::collections::BTreeMap;

use crate::model::Framework;
use crate::source::yaml::Dialect;
use crate::source::{Loc, Node, SourceMap};

#[cfg(doc)]
use crate::source::Value;

/// Where `${env:...}` values come from.
#[derive(Clone, Debug)]
pub enum EnvSource {
    /// The process environment.
    Process,
    /// None (`--no-env`): a variable with a fallback takes the fallback, one
    /// without stays opaque.
    None,
    /// A fixed set (tests).
    Map(BTreeMap<String, String>),
}

/// How to resolve.
#[derive(Clone, Debug)]
pub struct VarOptions {
    /// The release whose semantics to follow.
    pub framework: Framework,
    /// `--stage`.
    pub stage: Option<String>,
    /// `--region`.
    pub region: Option<String>,
    pub env: EnvSource,
    /// Allow `${file(...)}` targets outside the config's directory.
    pub allow_outside: bool,
}

impl VarOptions {
    /// v3 semantics, no options, no environment.
    pub fn new(framework: Framework) -> Self {
        Self {
            framework,
            stage: None,
            region: None,
            env: EnvSource::None,
            allow_outside: false,
        }
    }
}

/// Why the config cannot be resolved (where the framework would stop too).
#[derive(Debug, Clone)]
pub struct VarError {
    pub message: String,
    /// The `${...}` text when it can be pinned down, else the whole value.
    pub loc: Loc,
    pub help: Option<String>,
}

impl std::fmt::Display for VarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for VarError {}

/// The resolved tree.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub root: Node,
    /// Every place left opaque ([`Value::Unresolved`]), in document order.
    pub unresolved: Vec<Loc>,
}

/// Resolve the variables of a config.
///
/// `config_path` is the config file (already added to `sources` as
/// `root.loc.file`); `${file(...)}` targets are read relative to its
/// directory and added to `sources`.
pub fn resolve(
    root: Node,
    config_path: &std::path::Path,
    sources: &mut SourceMap,
    opts: &VarOptions,
) -> Result<Resolved, VarError> {
    // References resolve recursively; a thread with a roomy stack keeps long
    // chains (bounded by the resolvers) from exhausting the caller's stack.
    let fallback_loc = root.loc;
    let outcome = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("slsasync-vars".to_owned())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, || resolve_here(root, config_path, sources, opts))
            .map(|h| h.join())
    });
    match outcome {
        Ok(Ok(r)) => r,
        Ok(Err(_)) | Err(_) => Err(VarError {
            message: "variable resolution failed unexpectedly".to_owned(),
            loc: fallback_loc,
            help: None,
        }),
    }
}

/// Stack for the resolving thread.
const STACK_SIZE: usize = 256 * 1024 * 1024;

fn resolve_here(
    root: Node,
    config_path: &std::path::Path,
    sources: &mut SourceMap,
    opts: &VarOptions,
) -> Result<Resolved, VarError> {
    let (root, unresolved) = match opts.framework {
        Framework::V1 => {
            v1::Resolver::new(root, config_path, sources, opts, Dialect::JsYaml3).run()?
        }
        Framework::V2 | Framework::V3 | Framework::Osls => {
            v3::Resolver::new(root, config_path, sources, opts, Dialect::JsYaml4).run()?
        }
    };
    Ok(Resolved { root, unresolved })
}
