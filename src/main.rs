use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

use slsasync::cli::{Cli, Command};
use slsasync::commands::{self, Outcome, info};
use slsasync::report;

// A compiled template is many small objects built and dropped at once; the
// system allocator spends a third of a large render in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = report::use_color(cli.color.into(), std::io::stderr().is_terminal());
    let result = match &cli.command {
        Command::Render(args) => commands::render::run(args, color),
        Command::MakeAsync(args) => commands::transform::run_async(args, cli.color.into()),
        Command::MakeSync(args) => commands::transform::run_sync(args, cli.color.into()),
        Command::Check(args) => commands::check::run(
            args,
            report::use_color(cli.color.into(), std::io::stdout().is_terminal()),
        ),
        Command::Rules(args) => info::rules(args).map(|()| Outcome::Success),
        Command::Explain(args) => info::explain(args).map(|()| Outcome::Success),
        Command::Schema => info::schema().map(|()| Outcome::Success),
        Command::Completions(args) => commands::meta::completions(args).map(|()| Outcome::Success),
        Command::Man(args) => commands::meta::man(args).map(|()| Outcome::Success),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Ok(Outcome::CouldNotRun) => ExitCode::from(2),
        Err(failure) => {
            report::stderr(&report::render_fatal(
                &failure.fatal,
                failure.sources.as_deref(),
                color,
            ));
            ExitCode::from(2)
        }
    }
}
