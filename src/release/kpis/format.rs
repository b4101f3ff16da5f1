//! Numbers in words for the KPI texts.

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
