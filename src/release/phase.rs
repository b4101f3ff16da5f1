//! The six release phases and how issues and checklist headings map onto them.

use serde::{Deserialize, Serialize};

/// A phase of the release process, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    Plan,
    Build,
    Test,
    Prepare,
    Deploy,
    Review,
}

impl Phase {
    /// Every phase, in release order.
    pub const ALL: [Phase; 6] = [
        Phase::Plan,
        Phase::Build,
        Phase::Test,
        Phase::Prepare,
        Phase::Deploy,
        Phase::Review,
    ];

    /// The display name ("Plan", "Build", …).
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Phase::Plan => "Plan",
            Phase::Build => "Build",
            Phase::Test => "Test",
            Phase::Prepare => "Prepare",
            Phase::Deploy => "Deploy",
            Phase::Review => "Review",
        }
    }

    /// The lower-case key used in config files and JSON ("plan", …).
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Phase::Plan => "plan",
            Phase::Build => "build",
            Phase::Test => "test",
            Phase::Prepare => "prepare",
            Phase::Deploy => "deploy",
            Phase::Review => "review",
        }
    }

    /// Position in [`Phase::ALL`].
    #[must_use]
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses a phase key, case-insensitively.
    #[must_use]
    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL
            .into_iter()
            .find(|p| p.key().eq_ignore_ascii_case(s.trim()))
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.title())
    }
}
