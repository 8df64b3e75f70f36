//! Which Serverless Framework release is mirrored.

use std::fmt;

/// A framework release whose behaviour slsasync reproduces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Framework {
    /// Serverless Framework 1.83.3 (js-yaml 3).
    V1,
    /// Serverless Framework 2.72.4.
    V2,
    /// Serverless Framework 3.40.0.
    V3,
    /// osls 4.3.1, the open-source continuation of v3.
    Osls,
}

impl Framework {
    /// The exact release mirrored.
    pub fn release(self) -> &'static str {
        match self {
            Framework::V1 => "1.83.3",
            Framework::V2 => "2.72.4",
            Framework::V3 => "3.40.0",
            Framework::Osls => "osls 4.3.1",
        }
    }

    /// Major version as the framework's own code sees it (osls behaves as 3).
    pub fn major(self) -> u32 {
        match self {
            Framework::V1 => 1,
            Framework::V2 => 2,
            Framework::V3 | Framework::Osls => 3,
        }
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.release())
    }
}
