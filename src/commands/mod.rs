//! One module per subcommand: each reads its arguments, runs the pipeline
//! stages it needs and hands the result to [`crate::report`].

pub mod check;
pub mod fix;
pub mod info;
pub mod meta;
pub mod render;
pub mod transform;

use std::path::{Path, PathBuf};

use crate::cli::ReadArgs;
use crate::diag::Failure;
use crate::load::{self, Config, LoadOptions};
use crate::vars::EnvSource;

/// The exit status of a command that ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 0
    Success,
    /// 1: findings, or a change is pending in check mode.
    Findings,
    /// 2: some input could not be checked (already reported).
    CouldNotRun,
}

impl From<&ReadArgs> for LoadOptions {
    fn from(r: &ReadArgs) -> Self {
        LoadOptions {
            framework: r.framework.map(Into::into),
            stage: r.stage.clone(),
            region: r.region.clone(),
            env: if r.no_env {
                EnvSource::None
            } else {
                EnvSource::Process
            },
            allow_outside: r.allow_outside,
        }
    }
}

/// `-c FILE`, or the config in the current directory.
pub fn config_path(config: Option<&Path>) -> Result<PathBuf, Failure> {
    match config {
        Some(p) if p.is_dir() => Ok(load::find_in_dir(p)?),
        Some(p) => Ok(p.to_path_buf()),
        None => Ok(load::find_in_dir(Path::new(""))?),
    }
}

/// Find and load the config a function-taking command works on.
pub fn load_config(config: Option<&Path>, read: &ReadArgs) -> Result<Config, Failure> {
    let path = config_path(config)?;
    load::load(&path, &LoadOptions::from(read))
}
