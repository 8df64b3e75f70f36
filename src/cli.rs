//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::Framework;
use crate::report::ColorChoice;

#[derive(Debug, Parser)]
#[command(
    name = "slsasync",
    version = concat!(env!("CARGO_PKG_VERSION"), " (mirrors Serverless Framework 1.83.3, 2.72.4, 3.40.0 and osls 4.3.1)"),
    about = "Lint, rewrite and render the http events of Serverless Framework configs: async invocation made visible and safe, before deploy.",
    propagate_version = true
)]
pub struct Cli {
    /// When to colour output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, global = true)]
    pub color: ColorArg,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint configs: schema shape checks and the rule catalogue.
    Check(CheckArgs),
    /// Print the CloudFormation that `serverless package` generates for the http events.
    Render(RenderArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Show a rule's documentation.
    Explain(ExplainArgs),
    /// Print the JSON Schema of serverless.yml that the shape checks use (for yaml-language-server).
    Schema,
    /// Make a function's http event asynchronous (`async: true`, `integration: lambda`, a default status code), in place.
    MakeAsync(MakeAsyncArgs),
    /// Make a function's http event synchronous again (or back to lambda-proxy with --proxy), in place.
    MakeSync(MakeSyncArgs),
    /// Print a shell completion script: `slsasync completions bash > ~/.local/share/bash-completion/completions/slsasync`.
    Completions(CompletionsArgs),
    /// Print the man page (roff) of slsasync or of one subcommand: `slsasync man | man -l -`.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand (`check`, `render` ...): print its page, `slsasync-SUBCOMMAND(1)`.
    pub subcommand: Option<String>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

impl From<ColorArg> for ColorChoice {
    fn from(c: ColorArg) -> Self {
        match c {
            ColorArg::Auto => ColorChoice::Auto,
            ColorArg::Always => ColorChoice::Always,
            ColorArg::Never => ColorChoice::Never,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FrameworkArg {
    #[value(name = "1")]
    V1,
    #[value(name = "2")]
    V2,
    #[value(name = "3")]
    V3,
    Osls,
}

impl From<FrameworkArg> for Framework {
    fn from(f: FrameworkArg) -> Self {
        match f {
            FrameworkArg::V1 => Framework::V1,
            FrameworkArg::V2 => Framework::V2,
            FrameworkArg::V3 => Framework::V3,
            FrameworkArg::Osls => Framework::Osls,
        }
    }
}

/// How a config is read: shared by every command.
#[derive(Clone, Debug, Args)]
pub struct ReadArgs {
    /// Framework release to mirror (default: the highest major `frameworkVersion` allows; 3 without it).
    #[arg(long, value_enum)]
    pub framework: Option<FrameworkArg>,
    /// Stage, as `serverless --stage`.
    #[arg(long, short = 's')]
    pub stage: Option<String>,
    /// Region, as `serverless --region`.
    #[arg(long, short = 'r')]
    pub region: Option<String>,
    /// Do not read environment variables: `${env:X, 'default'}` takes its default, `${env:X}` stays unresolved.
    #[arg(long)]
    pub no_env: bool,
    /// Allow `${file(...)}` to read files outside the config's directory.
    #[arg(long)]
    pub allow_outside: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum RenderFormat {
    Json,
    Yaml,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Only what this function's http events contribute (default: the whole API).
    pub function: Option<String>,
    /// The config file (default: serverless.yml, .yaml or .json in the current directory).
    #[arg(long, short = 'c')]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RenderFormat::Json)]
    pub format: RenderFormat,
    /// With FUNCTION: also the Resource tree, RestApi and Deployment the function's methods need.
    #[arg(long)]
    pub full: bool,
    /// Deployment instant in milliseconds since the epoch (names `ApiGatewayDeployment<ms>`);
    /// default: SOURCE_DATE_EPOCH (seconds), else now.
    #[arg(long, value_name = "MS")]
    pub timestamp: Option<u64>,
    /// Say on stderr which framework release is mirrored and why.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    Human,
    Short,
    Json,
    Sarif,
    Github,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Config files or directories (default: the config in the current directory); `-` reads stdin.
    pub files: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Exit 0 even when there are findings (exit 2 still means the check could not run).
    #[arg(long)]
    pub exit_zero: bool,
    /// Only these rules: codes, code prefixes (SLS-ASYNC) or names; comma-separated or repeated.
    #[arg(long, value_name = "RULE")]
    pub select: Vec<String>,
    /// Skip these rules: codes, code prefixes or names.
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Also report every value that could not be resolved statically.
    #[arg(long)]
    pub strict: bool,
    /// The file name to report for `-` (stdin).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Apply the safe fixes in place (proven before writing), then report what remains;
    /// with `-`, print the fixed text.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// With --fix or --diff: also apply the fixes marked unsafe.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the diff of what --fix would change and write nothing; exit 1 when anything
    /// would change or findings remain.
    #[arg(long)]
    pub diff: bool,
    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule code (SLS-ASYNC-001) or name (async-without-integration).
    pub rule: String,
}

/// Which of a function's http events a transform changes.
#[derive(Clone, Debug, Args)]
pub struct EventArgs {
    /// The event at index N of the function's `events` list (0-based, counting every event,
    /// as the framework numbers them: `functions.FN.events.N`).
    #[arg(long, value_name = "N", conflicts_with_all = ["path", "method", "all"])]
    pub event: Option<usize>,
    /// The http event on this path (one leading/trailing `/` ignored).
    #[arg(long, value_name = "P")]
    pub path: Option<String>,
    /// The http event with this method (any case).
    #[arg(long, value_name = "M")]
    pub method: Option<String>,
    /// Every http event of the function.
    #[arg(long, conflicts_with_all = ["path", "method"])]
    pub all: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum TransformFormat {
    Human,
    Json,
}

/// Output and safety options shared by the transforms.
#[derive(Clone, Debug, Args)]
pub struct TransformOutputArgs {
    /// Print the diff and the CloudFormation, write nothing.
    #[arg(long, conflicts_with = "check")]
    pub dry_run: bool,
    /// Write nothing; exit 1 when the file would change (for CI).
    #[arg(long)]
    pub check: bool,
    /// Output format: the diff and CloudFormation, or one JSON document (edits, diff, fragment).
    #[arg(long, value_enum, default_value_t = TransformFormat::Human)]
    pub format: TransformFormat,
    /// Print the diff of the function's rendered CloudFormation (before/after) instead of the fragment.
    #[arg(long)]
    pub cfn_diff: bool,
    /// Deployment instant in milliseconds for the rendered CloudFormation (default:
    /// SOURCE_DATE_EPOCH in seconds, else now).
    #[arg(long, value_name = "MS")]
    pub timestamp: Option<u64>,
}

#[derive(Debug, Args)]
pub struct MakeAsyncArgs {
    /// The function (its key under `functions`).
    pub function: String,
    /// The config file (default: serverless.yml or .yaml in the current directory).
    #[arg(long, short = 'c')]
    pub config: Option<PathBuf>,
    /// The status code API Gateway answers with right away (the only default, `pattern: ''`).
    #[arg(long, default_value_t = 202, value_parser = clap::value_parser!(u16).range(100..=599))]
    pub status: u16,
    #[command(flatten)]
    pub event: EventArgs,
    #[command(flatten)]
    pub output: TransformOutputArgs,
    #[command(flatten)]
    pub read: ReadArgs,
}

#[derive(Debug, Args)]
pub struct MakeSyncArgs {
    /// The function (its key under `functions`).
    pub function: String,
    /// The config file (default: serverless.yml or .yaml in the current directory).
    #[arg(long, short = 'c')]
    pub config: Option<PathBuf>,
    /// The default status code of the lambda (non-proxy) integration.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u16).range(100..=599))]
    pub status: u16,
    /// Go back to lambda-proxy: drop `integration: lambda`, `response` and the `request` settings proxy ignores.
    #[arg(long, conflicts_with = "status")]
    pub proxy: bool,
    #[command(flatten)]
    pub event: EventArgs,
    #[command(flatten)]
    pub output: TransformOutputArgs,
    #[command(flatten)]
    pub read: ReadArgs,
}
