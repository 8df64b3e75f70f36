//! `completions` and `man`: shell completion scripts and man pages, generated
//! from the command-line definition in [`crate::cli`] so they never drift
//! from it.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::diag::{Failure, Fatal};
use crate::report;

/// The name the scripts complete and the pages document.
const BIN: &str = "slsasync";

/// `slsasync completions SHELL`: the completion script for that shell.
pub fn completions(args: &CompletionsArgs) -> Result<(), Failure> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, BIN, &mut out);
    report::stdout(&String::from_utf8_lossy(&out));
    Ok(())
}

/// `slsasync man [SUBCOMMAND]`: the roff source of `slsasync(1)` or of
/// `slsasync-SUBCOMMAND(1)`.
pub fn man(args: &ManArgs) -> Result<(), Failure> {
    report::stdout(&man_page(args.subcommand.as_deref())?);
    Ok(())
}

/// The man page of the whole tool, or of one (visible) subcommand.
pub fn man_page(subcommand: Option<&str>) -> Result<String, Failure> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let visible: Vec<String> = root
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name().to_owned())
        .collect();
    let (cmd, see_also) = match subcommand {
        None => (
            root.clone(),
            visible.iter().map(|s| format!("{BIN}-{s}")).collect(),
        ),
        Some(name) => {
            let Some(sub) = root
                .get_subcommands()
                .find(|c| !c.is_hide_set() && c.get_name() == name)
            else {
                let mut f = Fatal::new(format!("no subcommand `{name}` to document"));
                f = match crate::model::closest(name, &visible) {
                    Some(c) => f.help(format!(
                        "did you mean `{c}`? pages exist for: {}",
                        visible.join(", ")
                    )),
                    None => f.help(format!("pages exist for: {}", visible.join(", "))),
                };
                return Err(f.into());
            };
            (sub.clone(), vec![BIN.to_owned()])
        }
    };
    let page = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    page.render_name_section(&mut out).map_err(internal)?;
    page.render_synopsis_section(&mut out).map_err(internal)?;
    page.render_description_section(&mut out)
        .map_err(internal)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        page.render_options_section(&mut out).map_err(internal)?;
    }
    if cmd.get_subcommands().any(|c| !c.is_hide_set()) {
        page.render_subcommands_section(&mut out)
            .map_err(internal)?;
    }
    // Each section clap_mangen renders starts with the same two-line
    // preamble (the `Aq` string): keep one, before the title. The title is
    // written here: clap_mangen leaves the date argument out when it is
    // empty, which shifts the source and manual into the wrong fields.
    let title = cmd
        .get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_owned();
    let mut text = format!(
        "{PREAMBLE}.TH {title} 1 \"\" \"{BIN} {}\" \"slsasync manual\"\n",
        env!("CARGO_PKG_VERSION")
    );
    for line in String::from_utf8_lossy(&out).lines() {
        if !PREAMBLE.lines().any(|p| p == line) {
            text.push_str(line);
            text.push('\n');
        }
    }
    text.push_str(EXIT_STATUS);
    if subcommand.is_none() {
        text.push_str(ENVIRONMENT);
        text.push_str(FILES);
    }
    text.push_str(".SH \"SEE ALSO\"\n");
    let refs: Vec<String> = see_also
        .iter()
        .map(|name| format!("\\fB{}\\fR(1)", name.replace('-', "\\-")))
        .collect();
    text.push_str(&refs.join(", "));
    text.push('\n');
    let mut version = Vec::new();
    page.render_version_section(&mut version)
        .map_err(internal)?;
    for line in String::from_utf8_lossy(&version).lines() {
        if !PREAMBLE.lines().any(|p| p == line) {
            text.push_str(line);
            text.push('\n');
        }
    }
    Ok(text)
}

fn internal(e: std::io::Error) -> Failure {
    Fatal::new(format!("could not write the man page: {e}")).into()
}

const PREAMBLE: &str = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";

const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
Success: no finding at or above \fB\-\-fail\-on\fR, nothing to change.
.TP
\fB1\fR
Findings at or above \fB\-\-fail\-on\fR (default \fBwarning\fR); \fB\-\-fix\fR changed a file; \fB\-\-check\fR or \fB\-\-diff\fR found a change to make.
.TP
\fB2\fR
slsasync could not do its job: a usage error, an unreadable or unparsable file, an unknown function, unsupported input. The message says what, where (file:line:column) and what to do.
"#;

const ENVIRONMENT: &str = r#".SH ENVIRONMENT
.TP
\fBNO_COLOR\fR
When set and not empty, no colour unless \fB\-\-color always\fR.
.TP
\fBSOURCE_DATE_EPOCH\fR
Seconds since the epoch: the packaging instant that names the \fBApiGatewayDeployment\fR resource in \fBrender\fR and the transforms' output (\fB\-\-timestamp\fR, in milliseconds, wins).
.PP
\fB${env:NAME}\fR variables in a config read the environment, unless \fB\-\-no\-env\fR is given.
"#;

const FILES: &str = r#".SH FILES
.TP
\fBserverless.yml\fR, \fBserverless.yaml\fR, \fBserverless.json\fR
The config in the current directory, when no file is given. Settings live in the config itself, under \fBcustom.slsasync\fR (\fBframework\fR, \fBignore\fR, \fBseverity\fR); a comment \fB# slsasync: ignore[RULE] reason\fR suppresses a finding on its line.
"#;
