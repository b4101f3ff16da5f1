//! STUB (replaced by the window helper's module).
use chrono::{DateTime, Utc};
use serde::Deserialize;
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Window(String);
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Freeze {
    reason: String,
}
pub fn window_gate(_w: &[Window], _f: &[Freeze], _now: DateTime<Utc>) -> (bool, String) {
    (true, String::new())
}
pub fn freeze_gate(_f: &[Freeze], _now: DateTime<Utc>) -> (bool, String) {
    (true, String::new())
}
