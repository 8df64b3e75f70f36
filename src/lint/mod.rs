//! The check engine: settings, rules, schema, framework parity and
//! suppressions for one loaded config. Pure: no I/O, nothing printed.

pub mod builtin;
pub mod settings;
pub mod suppress;

use crate::compile;
use crate::load::{self, Config};
use crate::model::http_events;
use crate::rules::{self, Context, Finding, RuleMeta, Severity, registry::RULES};
use crate::source::{Loc, Node};

use settings::Level;

/// Every rule slsasync knows: the catalogue, the schema checks and the engine's own.
pub fn catalogue() -> Vec<&'static RuleMeta> {
    let mut all: Vec<&'static RuleMeta> = RULES.iter().map(|r| r.meta()).collect();
    all.extend(crate::schema::rules().iter().copied());
    all.extend(builtin::BUILTIN.iter().copied());
    all.sort_by_key(|m| m.code);
    all
}

/// Does a selector (code, code prefix such as `SLS-ASYNC`, or name) pick `meta`?
pub fn selects(selector: &str, meta: &RuleMeta) -> bool {
    let sel = selector.trim();
    if sel.eq_ignore_ascii_case(meta.code) || sel == meta.name || sel.eq_ignore_ascii_case("ALL") {
        return true;
    }
    let upper = sel.to_ascii_uppercase();
    meta.code.starts_with(&upper) && meta.code.as_bytes().get(upper.len()) == Some(&b'-')
}

/// Is `selector` a known code, prefix or name?
pub fn is_known(selector: &str) -> bool {
    catalogue().iter().any(|m| selects(selector, m))
}

/// The code or name closest to an unknown selector (a typo).
pub fn suggest(selector: &str) -> Option<&'static str> {
    let all = catalogue();
    let words: Vec<String> = all
        .iter()
        .flat_map(|m| [m.code.to_owned(), m.name.to_owned()])
        .collect();
    let best = crate::model::closest(selector.trim(), &words)?;
    all.iter()
        .flat_map(|m| [m.code, m.name])
        .find(|w| *w == best)
}

#[derive(Clone, Debug, Default)]
pub struct LintOptions {
    /// Report values that could not be resolved.
    pub strict: bool,
    /// Only these rules (codes, prefixes, names); empty = all.
    pub select: Vec<String>,
    pub ignore: Vec<String>,
}

#[derive(Debug, Default)]
pub struct LintResult {
    pub findings: Vec<Finding>,
    pub suppressed: usize,
    /// What the user should know about how the config was checked.
    pub notes: Vec<String>,
}

fn meta_of(code: &str) -> Option<&'static RuleMeta> {
    catalogue().into_iter().find(|m| m.code == code)
}

/// The provider named in the config when it is not `aws` (nor a variable).
pub fn other_provider(root: &Node) -> Option<&str> {
    let name = root.get_path(&["provider", "name"])?.as_str()?;
    (name != "aws" && !name.contains("${")).then_some(name)
}

/// Check one config.
pub fn lint(config: &Config, opts: &LintOptions) -> LintResult {
    let known = |s: &str| is_known(s);
    let schema = settings_findings(
        config,
        crate::schema::check(&config.root, &config.raw, config.target.framework),
    );
    let (settings, unknown_rules) = settings::read(&config.raw, &known);
    // A reference the schema already rejects by its shape is reported once.
    let mut findings: Vec<Finding> = unknown_rules
        .into_iter()
        .filter(|f| !schema.iter().any(|s| s.primary.loc == f.primary.loc))
        .collect();
    let mut notes = Vec::new();
    if let Some(provider) = other_provider(&config.root) {
        // The AWS http-event compiler never runs for another provider: its
        // `http` events have another shape, and no rule applies.
        notes.push(format!(
            "provider `{provider}` is not `aws`: its http events are not API Gateway events, so only the config's shape and `custom.slsasync` were checked"
        ));
        findings.extend(schema);
        findings.extend(version_finding(config));
    } else {
        let events = http_events(&config.root);
        let cx = Context {
            root: &config.root,
            raw: &config.raw,
            sources: &config.sources,
            target: &config.target,
            events: &events,
        };
        let ruled = rules::run(&cx, RULES);
        findings.extend(defer_to_rules(schema, &ruled));
        findings.extend(ruled);
        findings.extend(parity(config, &findings));
    }
    if opts.strict {
        for loc in &config.unresolved {
            findings.push(
                Finding::new(
                    &builtin::UNRESOLVED_VALUE,
                    "this value cannot be resolved statically; rules that need it were skipped",
                    *loc,
                    "unresolved",
                )
                .help("pass --stage/--region, set the environment variable, or make the value static to have it checked"),
            );
        }
    }
    // Severity settings, then selection.
    let mut kept = Vec::new();
    for mut f in findings {
        let mut off = false;
        if let Some(meta) = meta_of(f.code) {
            for (sel, level) in &settings.severity {
                if selects(sel, meta) {
                    match level {
                        Level::Off => off = true,
                        Level::Is(s) => f.severity = *s,
                    }
                }
            }
            let chosen = (opts.select.is_empty() || opts.select.iter().any(|s| selects(s, meta)))
                && !opts.ignore.iter().any(|s| selects(s, meta))
                && !settings.ignore.iter().any(|s| selects(s, meta));
            off |= !chosen;
        }
        if !off {
            kept.push(f);
        }
    }
    let (mut findings, suppressed) = apply_suppressions(config, kept, opts);
    findings.sort_by(|a, b| {
        (a.primary.loc.file, a.primary.loc.start, a.code).cmp(&(
            b.primary.loc.file,
            b.primary.loc.start,
            b.code,
        ))
    });
    findings.dedup();
    LintResult {
        findings,
        suppressed,
        notes,
    }
}

/// Schema problems inside `custom.slsasync` are settings problems: reported
/// as [`builtin::INVALID_SETTINGS`], at error level (a broken setting silently
/// does nothing).
fn settings_findings(config: &Config, schema: Vec<Finding>) -> Vec<Finding> {
    let Some(node) = config.raw.get_path(&["custom", "slsasync"]) else {
        return schema;
    };
    let within =
        |l: Loc| l.file == node.loc.file && node.loc.start <= l.start && l.end <= node.loc.end;
    schema
        .into_iter()
        .map(|f| {
            if !within(f.primary.loc) {
                return f;
            }
            let meta = &builtin::INVALID_SETTINGS;
            Finding {
                code: meta.code,
                name: meta.name,
                severity: meta.severity,
                ..f
            }
        })
        .collect()
}

/// A schema finding at the very place where a rule reports something at
/// least as severe says the same thing less precisely: the rule's message,
/// help and fix win.
fn defer_to_rules(schema: Vec<Finding>, ruled: &[Finding]) -> Vec<Finding> {
    schema
        .into_iter()
        .filter(|s| {
            !ruled.iter().any(|r| {
                r.primary.loc.file == s.primary.loc.file
                    && r.primary.loc.start == s.primary.loc.start
                    && r.severity >= s.severity
            })
        })
        .collect()
}

/// The framework's first check, whatever the provider: its own version must
/// satisfy `frameworkVersion`.
fn version_finding(config: &Config) -> Option<Finding> {
    let (message, loc) = load::version_mismatch(config)?;
    Some(
        Finding::new(
            &builtin::VERSION_MISMATCH,
            message,
            loc,
            "outside this range",
        )
        .help("widen `frameworkVersion`, or check against a release it allows (--framework)"),
    )
}

/// What the framework refuses must be an error finding even when no rule
/// explains it.
fn parity(config: &Config, found: &[Finding]) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(f) = version_finding(config) {
        out.push(f);
        return out;
    }
    let opts = compile::Options {
        framework: config.target.framework,
        timestamp_ms: 0,
        stage: None,
        region: None,
    };
    if !crate::model::unresolved_inputs(&config.root, None).is_empty() {
        return out;
    }
    if let Err(e) = compile::compile(&config.root, &opts) {
        let has_error = found.iter().any(|f| {
            f.severity == Severity::Error
                && e.loc.is_none_or(|l| {
                    f.primary.loc.file == l.file
                        && f.primary.loc.start <= l.end
                        && l.start <= f.primary.loc.end
                })
        });
        if !has_error {
            let loc = e.loc.unwrap_or(config.root.loc);
            out.push(
                Finding::new(
                    &builtin::FRAMEWORK_REFUSES,
                    format!(
                        "Serverless Framework {} refuses this config: {}",
                        config.target.framework.release(),
                        e.message
                    ),
                    loc,
                    "here",
                )
                .help(
                    e.help
                        .unwrap_or_else(|| "fix the value the message names".to_owned()),
                ),
            );
        }
    }
    out
}

fn apply_suppressions(
    config: &Config,
    findings: Vec<Finding>,
    opts: &LintOptions,
) -> (Vec<Finding>, usize) {
    let mut sups = suppress::parse(&config.comments, &config.sources);
    let mut kept = Vec::new();
    let mut suppressed = 0;
    for f in findings {
        let lines: Vec<usize> = std::iter::once(f.primary.loc)
            .chain(f.anchors.iter().copied())
            .filter(|l| l.file == config.file)
            .map(|l| config.sources.line_col(l).line)
            .collect();
        let meta = meta_of(f.code);
        let mut hit = false;
        for s in sups.iter_mut().filter(|s| lines.contains(&s.line)) {
            for (i, r) in s.rules.iter().enumerate() {
                if meta.is_some_and(|m| selects(r, m)) {
                    s.used[i] = true;
                    hit = true;
                }
            }
        }
        if hit {
            suppressed += 1;
        } else {
            kept.push(f);
        }
    }
    let active = |m: &RuleMeta| {
        (opts.select.is_empty() || opts.select.iter().any(|s| selects(s, m)))
            && !opts.ignore.iter().any(|s| selects(s, m))
    };
    for s in &sups {
        for (i, r) in s.rules.iter().enumerate() {
            if !is_known(r) {
                if active(&builtin::UNKNOWN_SUPPRESSION) {
                    kept.push(
                        Finding::new(
                            &builtin::UNKNOWN_SUPPRESSION,
                            format!("`{r}` is not a slsasync rule"),
                            s.loc,
                            "unknown rule",
                        )
                        .help(match suggest(r) {
                            Some(s) => {
                                format!("did you mean `{s}`? `slsasync rules` lists every rule")
                            }
                            None => "use a code or name from `slsasync rules`".to_owned(),
                        }),
                    );
                }
            } else if !s.used[i]
                && catalogue().iter().any(|m| selects(r, m) && active(m))
                && active(&builtin::UNUSED_SUPPRESSION)
            {
                kept.push(
                    Finding::new(&builtin::UNUSED_SUPPRESSION, format!("`{r}` suppresses nothing on this line"), s.loc, "unused suppression")
                        .help("delete the suppression, or move it to the line of the finding or of its http event"),
                );
            }
        }
    }
    (kept, suppressed)
}
