//! Release notes as Markdown (the file, the GitHub Release body) and as JSON. Titles come from
//! anyone who can open an issue, so they are made one plain line and Markdown-escaped: a title
//! cannot add a link, an image, HTML, a heading or a mention to the notes.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Entry, Notes};
use crate::release::text;

/// What the Markdown says for a milestone with nothing to tell.
pub const EMPTY: &str = "No closed issues or merged pull requests in this milestone.";

/// The notes as Markdown: `# milestone`, then `## Section` and one bullet per entry:
/// `- Title (acme/app#12, @login)` with the reference linking to the issue or PR.
#[must_use]
pub fn markdown(notes: &Notes) -> String {
    let mut out = format!("# {}\n", escape(&notes.milestone));
    if notes.is_empty() {
        let _ = write!(out, "\n{EMPTY}\n");
        return out;
    }
    for section in notes.sections.iter().filter(|s| !s.entries.is_empty()) {
        let _ = write!(out, "\n## {}\n\n", escape(&section.title));
        for e in &section.entries {
            let _ = writeln!(out, "- {}", bullet(e));
        }
    }
    out
}

/// One entry's line, without the bullet.
fn bullet(e: &Entry) -> String {
    let reference = escape(&format!("{}#{}", e.repo, e.number));
    let reference = match link_target(&e.html_url) {
        Some(url) => format!("[{reference}]({url})"),
        None => reference,
    };
    let author = e
        .author
        .as_deref()
        .map(|a| format!(", {}", mention(a)))
        .unwrap_or_default();
    format!("{} ({reference}{author})", escape(&e.title))
}

/// `@login`, a mention GitHub links; a login with anything but letters, digits and `-` (a
/// bot's `name[bot]`, or a server that is not GitHub) is escaped.
fn mention(login: &str) -> String {
    if !login.is_empty() && login.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        format!("@{login}")
    } else {
        format!("@{}", escape(login))
    }
}

/// The notes as the JSON object `{"milestone", "sections": [{"title", "entries": [{"repo",
/// "number", "title", "author", "html_url", "is_pull_request"}]}]}` (text as GitHub has it;
/// the caller escapes it for a terminal).
#[must_use]
pub fn json(notes: &Notes) -> Value {
    json!(notes)
}

/// ASCII punctuation that is never Markdown syntax inside a line of text: left as it is, so
/// the file stays readable.
const PLAIN: &str = "/,'\"?;=%^";

/// `s` as one line of Markdown text: made one terminal-safe line, then every ASCII
/// punctuation character that Markdown could read as syntax backslash-escaped (links,
/// images, emphasis, HTML, autolinks, headings, tables, mentions).
#[must_use]
pub fn escape(s: &str) -> String {
    let line = text::line(s);
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.trim().chars() {
        if c.is_ascii_punctuation() && !PLAIN.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A URL fit for a Markdown link: `http(s)://` only, with the characters that could end or
/// break the link percent-encoded; `None` otherwise.
#[must_use]
pub fn link_target(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '(' | ')' | '<' | '>' | '[' | ']' | '\\' | '"' | '\'' | '`' => {
                let _ = write!(out, "%{:02X}", u32::from(c));
            }
            c if c.is_whitespace() || c.is_control() || !c.is_ascii() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "%{b:02X}");
                }
            }
            c => out.push(c),
        }
    }
    Some(out)
}
