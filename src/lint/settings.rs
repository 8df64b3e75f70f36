//! Per-service settings in `custom.slsasync`.
//!
//! Their shape (types, allowed severities, known setting names) is checked
//! by the JSON Schema (`#/definitions/slsasync` in `schemas/`), whose
//! findings the engine reports as `SLS-CONF-001`. What the schema cannot
//! know is checked here: that every rule a setting names exists. A value of
//! the wrong shape is skipped, never half-applied.

use crate::model::Framework;
use crate::rules::{Finding, Severity};
use crate::source::{Node, Value};

use super::builtin::INVALID_SETTINGS;

/// What a severity setting says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    Is(Severity),
}

#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub framework: Option<Framework>,
    pub ignore: Vec<String>,
    pub severity: Vec<(String, Level)>,
}

/// The release `custom.slsasync.framework` asks for (1, 2, 3 or osls).
pub fn framework(root: &Node) -> Option<Framework> {
    let node = root.get_path(&["custom", "slsasync", "framework"])?;
    if !matches!(node.value, Value::String(_) | Value::Number(_)) {
        return None;
    }
    match node.js_string().as_str() {
        "1" => Some(Framework::V1),
        "2" => Some(Framework::V2),
        "3" => Some(Framework::V3),
        "osls" => Some(Framework::Osls),
        _ => None,
    }
}

fn unknown_rule(loc: crate::source::Loc, rule: &str, setting: &str) -> Finding {
    Finding::new(
        &INVALID_SETTINGS,
        format!("unknown rule `{rule}` in `custom.slsasync.{setting}`"),
        loc,
        "no such rule",
    )
    .help(match super::suggest(rule) {
        Some(s) => format!("did you mean `{s}`? `slsasync rules` lists every rule"),
        None => "use rule codes (SLS-ASYNC-006), code prefixes (SLS-ASYNC) or names; `slsasync rules` lists them".to_owned(),
    })
}

/// Read `custom.slsasync`; references to unknown rules become findings.
pub fn read(root: &Node, known: &dyn Fn(&str) -> bool) -> (Settings, Vec<Finding>) {
    let mut s = Settings {
        framework: framework(root),
        ..Settings::default()
    };
    let mut problems = Vec::new();
    let Some(map) = root
        .get_path(&["custom", "slsasync"])
        .and_then(Node::as_map)
    else {
        return (s, problems);
    };
    for e in map {
        match e.key.as_str() {
            "ignore" => {
                let Value::Seq(items) = &e.value.value else {
                    continue;
                };
                for r in items.iter().filter_map(|i| Some((i, i.as_str()?))) {
                    match r {
                        (_, name) if known(name) => s.ignore.push(name.to_owned()),
                        (node, name) => problems.push(unknown_rule(node.loc, name, "ignore")),
                    }
                }
            }
            "severity" => {
                let Some(m) = e.value.as_map() else { continue };
                for r in m {
                    if !known(&r.key) {
                        problems.push(unknown_rule(r.key_loc, &r.key, "severity"));
                        continue;
                    }
                    let level = match r.value.as_str() {
                        Some("error") => Level::Is(Severity::Error),
                        Some("warning") => Level::Is(Severity::Warning),
                        Some("info") => Level::Is(Severity::Info),
                        Some("off") => Level::Off,
                        _ => continue,
                    };
                    s.severity.push((r.key.clone(), level));
                }
            }
            _ => {}
        }
    }
    (s, problems)
}
