//! The rule catalogue: each rule is one small unit (one file) with its code,
//! name, severity, summary, documentation and check; [`registry::RULES`]
//! lists them all.

pub mod async_;
pub mod auth;
pub mod cors;
pub mod dep;
pub mod int;
pub mod key;
pub mod path;
pub mod registry;
pub mod req;
pub mod resp;
pub mod shape;
pub mod stage;
pub mod util;

#[cfg(test)]
mod tests;

use crate::model::{Framework, HttpEvent, Target};
use crate::source::{Loc, Node, SourceMap};

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Whether a rule's fix may be applied without asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    /// Meaning unchanged; applied by `check --fix`.
    Safe,
    /// Likely right but may change behaviour; applied with `--unsafe-fixes`.
    Unsafe,
}

/// What a rule offers to fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixKind {
    None,
    Safe,
    Unsafe,
}

/// Everything about a rule that does not depend on a config. Declared once,
/// next to the check; output, SARIF, docs and `explain` read it from here.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, e.g. `SLS-ASYNC-001`.
    pub code: &'static str,
    /// Kebab-case name of the bad pattern, e.g. `async-without-integration`.
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixKind,
    /// One line.
    pub summary: &'static str,
    /// Markdown page with the fixed headings: `## What it flags`, `## Why it matters`,
    /// `## Example`, `## Fixed example`, `## Fix`, and optionally `## References`.
    pub doc: &'static str,
}

/// One text edit: replace `loc` by `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub loc: Loc,
    pub text: String,
}

/// A proposed change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

/// A labelled place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub loc: Loc,
    pub text: String,
}

/// One problem found in a config.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where: the key when the key is wrong, the value when the value is wrong,
    /// the mapping when something is missing from it.
    pub primary: Label,
    pub related: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// Extra places where a suppression comment is accepted (e.g. the event's line).
    pub anchors: Vec<Loc>,
}

impl Finding {
    /// A finding of `meta`'s rule at `loc`, with its default severity.
    pub fn new(
        meta: &'static RuleMeta,
        message: impl Into<String>,
        loc: Loc,
        label: impl Into<String>,
    ) -> Self {
        Self {
            code: meta.code,
            name: meta.name,
            severity: meta.severity,
            message: message.into(),
            primary: Label {
                loc,
                text: label.into(),
            },
            related: Vec::new(),
            help: None,
            fix: None,
            anchors: Vec::new(),
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, loc: Loc, text: impl Into<String>) -> Self {
        self.related.push(Label {
            loc,
            text: text.into(),
        });
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn anchor(mut self, loc: Loc) -> Self {
        self.anchors.push(loc);
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// What a rule may look at. Rules do no I/O and print nothing.
pub struct Context<'a> {
    /// The document the framework compiles (variables resolved where possible).
    pub root: &'a Node,
    /// The document as written.
    pub raw: &'a Node,
    pub sources: &'a SourceMap,
    pub target: &'a Target,
    /// The http events of `root`, in order.
    pub events: &'a [HttpEvent<'a>],
}

impl Context<'_> {
    pub fn framework(&self) -> Framework {
        self.target.framework
    }

    /// The text of the file a node comes from.
    pub fn text_of(&self, loc: Loc) -> &str {
        &self.sources.file(loc.file).text
    }
}

/// A check. Override the level you need; the defaults find nothing.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Once per config.
    fn check_service(&self, _cx: &Context<'_>) -> Vec<Finding> {
        Vec::new()
    }

    /// Once per http event.
    fn check_event(&self, _cx: &Context<'_>, _event: &HttpEvent<'_>) -> Vec<Finding> {
        Vec::new()
    }
}

/// Tie an event's finding to the event: a suppression on its `http:` line
/// covers it, and when the offending value is written elsewhere (an anchor
/// merged with `<<`, an alias, an included file) the event is labelled too.
fn place_in_event(mut f: Finding, ev: &HttpEvent<'_>) -> Finding {
    if !f.anchors.contains(&ev.http_key) {
        f = f.anchor(ev.http_key);
    }
    let inside = |l: Loc| {
        l.file == ev.event.loc.file && ev.event.loc.start <= l.start && l.end <= ev.event.loc.end
    };
    if !inside(f.primary.loc)
        && !f.related.iter().any(|r| inside(r.loc))
        && ev.http_key.file == ev.event.loc.file
    {
        f = f.related(
            ev.http_key,
            format!("in this http event of function `{}`", ev.function),
        );
    }
    f
}

/// Run every rule in `rules` over a config; findings sorted by place then code.
pub fn run(cx: &Context<'_>, rules: &[&dyn Rule]) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in rules {
        out.extend(rule.check_service(cx));
        for ev in cx.events {
            out.extend(
                rule.check_event(cx, ev)
                    .into_iter()
                    .map(|f| place_in_event(f, ev)),
            );
        }
    }
    out.sort_by(|a, b| {
        (a.primary.loc.file, a.primary.loc.start, a.code).cmp(&(
            b.primary.loc.file,
            b.primary.loc.start,
            b.code,
        ))
    });
    out.dedup();
    out
}
