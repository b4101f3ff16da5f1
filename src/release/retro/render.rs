//! The retrospective as Markdown (numbered lines, continuing across sections, so a line is
//! picked by its number) and as JSON. Line texts quote titles, reasons and logins anyone can
//! write, so each is one escaped line, as in the release notes.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Retro, Section};
use crate::release::notes::render::{escape, link_target};

/// The draft as Markdown: a heading, a note on the phase, then one `## Section` per section
/// with its lines as `N. text`, each linking to what it is about.
#[must_use]
pub fn markdown(retro: &Retro) -> String {
    let mut out = format!("# Retrospective: {}\n\n", escape(&retro.milestone));
    let _ = writeln!(
        out,
        "_Draft from the facts at {}, phase {}. Pick lines by number to file follow-up issues._",
        retro.at.format("%Y-%m-%d %H:%M UTC"),
        retro.phase.title()
    );
    if !retro.is_review() {
        let _ = writeln!(
            out,
            "\n**Note:** the release is in its {} phase, not Review: the facts are not final.",
            retro.phase.title()
        );
    }
    let lines = retro.lines();
    for section in Section::ALL {
        let mut of = lines.iter().filter(|l| l.section == section).peekable();
        if of.peek().is_none() {
            continue;
        }
        let _ = write!(out, "\n## {}\n\n", section.title());
        for l in of {
            let link = l
                .url
                .as_deref()
                .and_then(link_target)
                .map(|u| format!(" ([link]({u}))"))
                .unwrap_or_default();
            let _ = writeln!(out, "{}. {}{link}", l.number, escape(&l.text));
        }
    }
    out
}

/// The draft as JSON: `{"milestone", "phase", "at", "in_review", "lines": [{"number",
/// "section", "text", "repo", "url"}], "facts": {…}}` (the caller escapes it for a terminal).
#[must_use]
pub fn json(retro: &Retro) -> Value {
    json!({
        "milestone": retro.milestone,
        "phase": retro.phase,
        "at": retro.at,
        "in_review": retro.is_review(),
        "lines": retro.lines(),
        "facts": retro,
    })
}
