//! Fatal errors: why the tool could not do its job (exit status 2).

use crate::source::Loc;

/// Something that stops a command: what is wrong, where, and what to do.
#[derive(Clone, Debug)]
pub struct Fatal {
    pub message: String,
    /// The offending place, when there is one.
    pub loc: Option<Loc>,
    /// The label under the underlined text.
    pub label: Option<String>,
    /// What the user should do.
    pub help: Option<String>,
    /// Further places that explain the error (e.g. each unresolved value).
    pub related: Vec<(Loc, String)>,
}

impl Fatal {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            loc: None,
            label: None,
            help: None,
            related: Vec::new(),
        }
    }

    pub fn at(mut self, loc: Loc) -> Self {
        self.loc = Some(loc);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn related(mut self, loc: Loc, text: impl Into<String>) -> Self {
        self.related.push((loc, text.into()));
        self
    }
}

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fatal {}

/// A fatal error together with the files it points into.
#[derive(Debug)]
pub struct Failure {
    pub fatal: Box<Fatal>,
    pub sources: Option<Box<crate::source::SourceMap>>,
}

impl From<Fatal> for Failure {
    fn from(fatal: Fatal) -> Self {
        Self {
            fatal: Box::new(fatal),
            sources: None,
        }
    }
}

impl Fatal {
    /// Attach the files the error points into.
    pub fn with_sources(self, sources: crate::source::SourceMap) -> Failure {
        Failure {
            fatal: Box::new(self),
            sources: Some(Box::new(sources)),
        }
    }
}
