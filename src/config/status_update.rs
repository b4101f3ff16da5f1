//! `[status_update]`: the release status comment `U` posts on the tracking issue.

use serde::{Deserialize, Deserializer};

use crate::release::status_update::DEFAULT_HISTORY;

/// The most history lines the comment may keep.
pub const MAX_HISTORY: usize = 200;

/// `[status_update]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StatusUpdate {
    /// History lines the comment keeps, newest last (1–200): older ones are dropped, so the
    /// comment never grows without bound.
    #[serde(deserialize_with = "history")]
    pub history: usize,
}

impl Default for StatusUpdate {
    fn default() -> Self {
        Self {
            history: DEFAULT_HISTORY,
        }
    }
}

fn history<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    let n = usize::deserialize(d)?;
    if (1..=MAX_HISTORY).contains(&n) {
        Ok(n)
    } else {
        Err(serde::de::Error::custom(format!(
            "history must be 1 to {MAX_HISTORY} lines, not {n}"
        )))
    }
}
