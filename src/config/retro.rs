//! `[retro]`: how the retrospective files its follow-up issues.

use serde::{Deserialize, Deserializer};

/// `[retro]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Retro {
    /// The label on every follow-up issue; an open issue with this label and a line's title
    /// means the line is already filed.
    #[serde(deserialize_with = "label")]
    pub follow_up_label: String,
}

impl Default for Retro {
    fn default() -> Self {
        Self {
            follow_up_label: "follow-up".into(),
        }
    }
}

fn label<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if s.trim().is_empty() {
        return Err(serde::de::Error::custom(
            "retro.follow_up_label must not be empty",
        ));
    }
    Ok(s.trim().to_string())
}
