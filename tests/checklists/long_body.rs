//! Generates a long, realistic checklist body; shared by the checklist tests and the benchmark.

/// Phase headings used by [`long_body`], decorated the way people write them.
const HEADINGS: [&str; 6] = [
    "## 📋 Plan",
    "## 🔨 Build",
    "## 🧪 Test",
    "## 📦 Prepare",
    "## 🚀 Deploy",
    "## 🔍 Review",
];

/// A checklist body with exactly `n` task items spread evenly over the six phase sections,
/// mixing `-`, `*`, `+` and ordered markers, nested items, checked boxes, inline markup and
/// duplicate texts. Deterministic: the same `n` always gives the same body.
#[must_use]
pub fn long_body(n: usize) -> String {
    let mut body = String::from("Release train tracking issue (generated).\n");
    let per_section = n.div_ceil(HEADINGS.len()).max(1);
    for i in 0..n {
        if i % per_section == 0 {
            body.push('\n');
            body.push_str(HEADINGS[(i / per_section).min(HEADINGS.len() - 1)]);
            body.push_str("\n\n");
        }
        let box_ = if i % 3 == 0 { "[x]" } else { "[ ]" };
        let text = match i % 4 {
            0 => format!("Verify `component-{}` in region **eu-{}**", i % 37, i % 7),
            1 => format!("Step {i}: check the [dashboard](https://example.com/d/{i})"),
            2 => "Smoke tests".to_string(),
            _ => format!("Ask _team {}_ to sign off", i % 11),
        };
        let line = match i % 5 {
            0 => format!("- {box_} {text}\n"),
            // Nested under the previous `-` item (or the start of a new list at a boundary).
            1 if i % per_section != 0 => format!("  - {box_} {text}\n"),
            2 => format!("* {box_} {text}\n"),
            3 => format!("1. {box_} {text}\n"),
            _ => format!("+ {box_} {text}\n"),
        };
        body.push_str(&line);
    }
    body
}
