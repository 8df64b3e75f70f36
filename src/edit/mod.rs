//! Format-preserving edits that prove themselves before they are written.
//!
//! * [`text`]: splices on byte ranges, and the layout facts new text copies
//!   (line ending, BOM, indentation step, quote character).
//! * [`ops`]: route-addressed operations (replace a scalar, insert, remove or
//!   rename a key, expand a scalar into a mapping), planned as splices in the
//!   file's own style, each with its effect on the document's model.
//! * [`write`]: the atomic write (temporary file in the same directory, fsync,
//!   rename, mode kept), refused when the file changed since it was read.
//! * [`fix`]: `check --fix`: the rules' text edits read as operations,
//!   applied in rounds until stable, each proven like the transforms.
//! * [`intent`]: `make-async` / `make-sync` turned into operations, then the
//!   proof: the edited text is parsed again and must give exactly the
//!   intended model.
//!
//! `text`, `ops` and `write` know nothing of Serverless.

pub mod diff;
pub mod fix;
pub mod intent;
pub mod ops;
pub mod text;
pub mod write;

use crate::source::Loc;

/// Why an edit cannot be made.
#[derive(Clone, Debug, PartialEq)]
pub struct EditError {
    pub message: String,
    pub loc: Option<Loc>,
    pub help: Option<String>,
}

impl EditError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            loc: None,
            help: None,
        }
    }

    pub fn at(mut self, loc: Option<Loc>) -> Self {
        if self.loc.is_none() {
            self.loc = loc;
        }
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EditError {}

impl From<EditError> for crate::diag::Fatal {
    fn from(e: EditError) -> Self {
        let mut f = crate::diag::Fatal::new(e.message).with_help(e.help);
        if let Some(loc) = e.loc {
            f = f.at(loc);
        }
        f
    }
}
