//! `rules`, `explain` and `schema`: what slsasync knows, for people and editors.

use serde_json::json;

use crate::cli::{ExplainArgs, ListFormat, RulesArgs};
use crate::diag::{Failure, Fatal};
use crate::lint;
use crate::report;
use crate::rules::{FixKind, RuleMeta};

fn fixable(m: &RuleMeta) -> &'static str {
    match m.fix {
        FixKind::None => "no",
        FixKind::Safe => "safe",
        FixKind::Unsafe => "unsafe",
    }
}

/// The rule table as Markdown (docs/rules/README.md, README.md), each code
/// linking to `{link_dir}CODE.md`.
pub fn rules_markdown(link_dir: &str) -> String {
    let mut out = String::from(
        "| Code | Name | Severity | Fix | Summary |\n| --- | --- | --- | --- | --- |\n",
    );
    for m in lint::catalogue() {
        out.push_str(&format!(
            "| [{code}]({link_dir}{code}.md) | `{}` | {} | {} | {} |\n",
            m.name,
            m.severity.as_str(),
            fixable(m),
            m.summary.replace('|', "\\|"),
            code = m.code,
        ));
    }
    out
}

/// The rule table, as printed by `slsasync rules`.
pub fn rules_table() -> String {
    let all = lint::catalogue();
    let mut out = String::new();
    let w_code = all.iter().map(|m| m.code.len()).max().unwrap_or(4);
    let w_name = all.iter().map(|m| m.name.len()).max().unwrap_or(4);
    out.push_str(&format!(
        "{:w_code$}  {:w_name$}  {:8}  {:6}  SUMMARY\n",
        "CODE", "NAME", "SEVERITY", "FIX"
    ));
    for m in &all {
        out.push_str(&format!(
            "{:w_code$}  {:w_name$}  {:8}  {:6}  {}\n",
            m.code,
            m.name,
            m.severity.as_str(),
            fixable(m),
            m.summary
        ));
    }
    out
}

pub fn rules(args: &RulesArgs) -> Result<(), Failure> {
    let text = match args.format {
        ListFormat::Table => rules_table(),
        ListFormat::Json => {
            let list: Vec<_> = lint::catalogue()
                .iter()
                .map(|m| {
                    json!({"code": m.code, "name": m.name, "severity": m.severity.as_str(),
                           "fix": fixable(m), "summary": m.summary})
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
            s.push('\n');
            s
        }
    };
    report::stdout(&text);
    Ok(())
}

/// A rule's page: title, metadata, then its documentation.
pub fn rule_page(m: &RuleMeta) -> String {
    let fix = match m.fix {
        FixKind::None => "none",
        FixKind::Safe => "safe (`slsasync check --fix`)",
        FixKind::Unsafe => "unsafe (`slsasync check --fix --unsafe-fixes`)",
    };
    format!(
        "# {} `{}`\n\nDefault severity: {}. Automatic fix: {fix}.\n\n{}\n\n{}",
        m.code,
        m.name,
        m.severity.as_str(),
        m.summary,
        m.doc.trim_start()
    )
}

pub fn explain(args: &ExplainArgs) -> Result<(), Failure> {
    let all = lint::catalogue();
    let wanted = args.rule.trim();
    let Some(m) = all
        .iter()
        .find(|m| m.code.eq_ignore_ascii_case(wanted) || m.name == wanted)
    else {
        let names: Vec<String> = all.iter().map(|m| m.name.to_owned()).collect();
        let mut f = Fatal::new(format!("no rule `{wanted}`"));
        f = match crate::model::closest(wanted, &names) {
            Some(c) => f.help(format!(
                "did you mean `{c}`? `slsasync rules` lists every rule"
            )),
            None => f.help("`slsasync rules` lists every rule"),
        };
        return Err(f.into());
    };
    report::stdout(&rule_page(m));
    Ok(())
}

pub fn schema() -> Result<(), Failure> {
    report::stdout(crate::schema::SCHEMA);
    Ok(())
}
