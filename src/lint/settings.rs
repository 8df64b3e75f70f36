//! Per-service settings in `custom.slsasync`.

use crate::model::Framework;
use crate::rules::{Finding, Severity};
use crate::source::{Loc, Node, Value};

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

/// Read `custom.slsasync`; problems become findings.
pub fn read(root: &Node, known: &dyn Fn(&str) -> bool) -> (Settings, Vec<Finding>) {
    let mut s = Settings::default();
    let mut problems = Vec::new();
    let Some(node) = root.get_path(&["custom", "slsasync"]) else {
        return (s, problems);
    };
    let bad = |loc: Loc, msg: String, help: &str| {
        Finding::new(&INVALID_SETTINGS, msg, loc, "").help(help)
    };
    let Some(map) = node.as_map() else {
        problems.push(bad(
            node.loc,
            format!(
                "`custom.slsasync` must be a mapping, found {}",
                node.type_name()
            ),
            "write `custom: {slsasync: {ignore: [...], severity: {...}, framework: 3}}`",
        ));
        return (s, problems);
    };
    for e in map {
        match e.key.as_str() {
            "framework" => {
                s.framework = match e.value.js_string().as_str() {
                    "1" => Some(Framework::V1),
                    "2" => Some(Framework::V2),
                    "3" => Some(Framework::V3),
                    "osls" => Some(Framework::Osls),
                    other => {
                        problems.push(bad(
                            e.value.loc,
                            format!("`framework` must be 1, 2, 3 or osls, found `{other}`"),
                            "write `framework: 3`",
                        ));
                        None
                    }
                }
            }
            "ignore" => match &e.value.value {
                Value::Seq(items) => {
                    for i in items {
                        match i.as_str() {
                            Some(r) if known(r) => s.ignore.push(r.to_owned()),
                            Some(r) => problems.push(bad(
                                i.loc,
                                format!("unknown rule `{r}` in `ignore`"),
                                "list rule codes or names: `slsasync rules` shows them",
                            )),
                            None => problems.push(bad(
                                i.loc,
                                format!(
                                    "`ignore` entries must be rule codes, found {}",
                                    i.type_name()
                                ),
                                "write e.g. `- SLS-ASYNC-006`",
                            )),
                        }
                    }
                }
                _ => problems.push(bad(
                    e.value.loc,
                    format!("`ignore` must be a list, found {}", e.value.type_name()),
                    "write `ignore: [SLS-ASYNC-006]`",
                )),
            },
            "severity" => {
                match e.value.as_map() {
                    Some(m) => {
                        for r in m {
                            if !known(&r.key) {
                                problems.push(bad(
                                    r.key_loc,
                                    format!("unknown rule `{}` in `severity`", r.key),
                                    "use rule codes or names: `slsasync rules` shows them",
                                ));
                                continue;
                            }
                            let level = match r.value.as_str() {
                                Some("error") => Level::Is(Severity::Error),
                                Some("warning") => Level::Is(Severity::Warning),
                                Some("info") => Level::Is(Severity::Info),
                                Some("off") => Level::Off,
                                _ => {
                                    problems.push(bad(r.value.loc, format!("severity must be error, warning, info or off, found `{}`", r.value.js_string()), "write e.g. `SLS-ASYNC-006: warning`"));
                                    continue;
                                }
                            };
                            s.severity.push((r.key.clone(), level));
                        }
                    }
                    None => problems.push(bad(
                        e.value.loc,
                        format!(
                            "`severity` must be a mapping, found {}",
                            e.value.type_name()
                        ),
                        "write `severity: {SLS-ASYNC-006: warning}`",
                    )),
                }
            }
            other => problems.push(bad(
                e.key_loc,
                format!("unknown setting `custom.slsasync.{other}`"),
                "known settings: framework, ignore, severity",
            )),
        }
    }
    (s, problems)
}
