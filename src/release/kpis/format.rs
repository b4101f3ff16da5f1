//! Numbers in words for the KPI texts.

use chrono::TimeDelta;

use super::Kind;
use crate::release::time::span;

/// "1 deploy", "3 deploys".
#[must_use]
pub fn count_text(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "83 %": a fraction as a whole percentage.
#[must_use]
pub fn percent(fraction: f64) -> String {
    format!("{:.0} %", fraction * 100.0)
}

/// A measure's value alone, short: "1.2/week", "2d 6h", "40 %".
#[must_use]
pub fn value_text(kind: Kind, value: f64) -> String {
    match kind {
        Kind::DeploymentFrequency if value < 0.95 => format!("{value:.2}/week"),
        Kind::DeploymentFrequency => format!("{value:.1}/week"),
        Kind::ChangeFailureRate | Kind::DeploySuccessRate => percent(value),
        Kind::LeadTime | Kind::TimeToRestore | Kind::CycleTime =>
        {
            #[allow(clippy::cast_possible_truncation, reason = "seconds within years")]
            span(TimeDelta::seconds(value.round() as i64))
        }
    }
}
