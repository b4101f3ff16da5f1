//! `[kpis]`: what the delivery KPIs count as an incident, how long after a deploy a failure
//! signal still counts against it, and how often the history is read again.

use serde::{Deserialize, Deserializer};

/// `[kpis]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Kpis {
    /// Issues with this label are incidents.
    pub incident_label: String,
    /// A rollback or incident this many hours after a production deploy (and before the next
    /// one) makes it a failed change (1–720).
    #[serde(deserialize_with = "hours")]
    pub failure_window_hours: u32,
    /// Minutes between history reads (1–1440); `r` also reads it again.
    #[serde(deserialize_with = "minutes")]
    pub refresh_minutes: u32,
}

impl Default for Kpis {
    fn default() -> Self {
        Self {
            incident_label: "incident".into(),
            failure_window_hours: 24,
            refresh_minutes: 15,
        }
    }
}

fn bounded<'de, D: Deserializer<'de>>(d: D, max: u32, what: &str) -> Result<u32, D::Error> {
    let n = u32::deserialize(d)?;
    if (1..=max).contains(&n) {
        Ok(n)
    } else {
        Err(serde::de::Error::custom(format!(
            "{what} must be 1 to {max}, not {n}"
        )))
    }
}

fn hours<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    bounded(d, 720, "failure_window_hours")
}

fn minutes<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    bounded(d, 1440, "refresh_minutes")
}
