//! The release status comment: one living comment on the tracking issue, found by its marker
//! and its author and edited in place, written from a template of the release's facts with a
//! history line per update (kept from the previous body, capped).

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

use super::gates::{self, GateReport};
use super::snapshot::{Release, WorkflowRuns};
use super::{Comment, Phase, Run, RunStatus};

/// The comment's first line: an HTML comment, invisible on GitHub, that marks it as shipdeck's
/// status comment.
pub const MARKER: &str = "<!-- shipdeck:status -->";

/// The heading above the history lines.
pub const HISTORY_HEADING: &str = "### History";

/// History lines kept by default: the body never grows without bound.
pub const DEFAULT_HISTORY: usize = 20;

/// How a history line's time is written (always UTC).
const TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

/// A status comment found on the tracking issue (its body starts with [`MARKER`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusComment {
    pub id: u64,
    /// The commenter's login; `None` for a deleted account.
    pub author: Option<String>,
    pub body: String,
    pub html_url: String,
}

impl StatusComment {
    /// The status comment in `comment`, if its body starts with the marker.
    #[must_use]
    pub fn from_comment(comment: &Comment) -> Option<Self> {
        comment
            .body
            .trim_start()
            .starts_with(MARKER)
            .then(|| StatusComment {
                id: comment.id,
                author: comment.author.clone(),
                body: comment.body.clone(),
                html_url: comment.html_url.clone(),
            })
    }
}

/// The newest status comment of each author among `comments` (oldest first): what the sync
/// keeps, so the app can pick the token user's own without reading the comments again.
#[must_use]
pub fn newest_per_author(comments: &[Comment]) -> Vec<StatusComment> {
    let mut found: Vec<StatusComment> = Vec::new();
    for c in comments.iter().filter_map(StatusComment::from_comment) {
        found.retain(|f| f.author != c.author);
        found.push(c);
    }
    found
}

/// The status comment `login` wrote (GitHub compares logins without case), the newest one.
#[must_use]
pub fn mine<'a>(found: &'a [StatusComment], login: &str) -> Option<&'a StatusComment> {
    found.iter().rev().find(|c| {
        c.author
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(login))
    })
}

/// Everything the status comment says, gathered by the caller.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub release: &'a Release,
    /// The deploy verdict.
    pub report: &'a GateReport,
    /// Open risks scoring this or more are listed.
    pub risk_threshold: u8,
    /// The deploy window line (`WindowStatus::describe`), `None` when none is configured.
    pub window: Option<&'a str>,
    pub now: DateTime<Utc>,
    /// Who posts the update (the token's user).
    pub login: &'a str,
    /// The body of the comment being replaced, whose history is kept.
    pub previous: Option<&'a str>,
    /// History lines kept, newest last.
    pub history_cap: usize,
}

/// The comment's body: marker first, then the facts, then the history with one new line.
#[must_use]
pub fn body(f: &Facts<'_>) -> String {
    let r = f.release;
    let mut out = format!("{MARKER}\n## Release status: {}\n\n", code(&r.title));
    out.push_str(&format!("**Phase:** {}\n\n", r.current_phase.title()));
    out.push_str(&format!(
        "**Deploy verdict:** {} {}\n",
        if f.report.verdict == gates::Verdict::Go {
            "✅"
        } else {
            "⛔"
        },
        f.report.verdict.label()
    ));
    for g in f.report.failing() {
        out.push_str(&format!("- {}\n", code(&g.line())));
    }
    let (ticked, total) = r.checklist_progress();
    out.push_str(&format!(
        "\n**Checklist:** {ticked} of {total} items ticked\n\n"
    ));
    let risks: Vec<_> = gates::open_risks_at(r, f.risk_threshold).collect();
    out.push_str(&format!(
        "**Open risks scoring {}+:**{}\n",
        f.risk_threshold,
        if risks.is_empty() { " none" } else { "" }
    ));
    for risk in risks {
        out.push_str(&format!(
            "- {}#{} {} (score {}, {})\n",
            code_or_plain_repo(&risk.repo),
            risk.number,
            code(&risk.title),
            risk.score(),
            if risk.mitigation.is_some() {
                "mitigated"
            } else {
                "no mitigation"
            }
        ));
    }
    out.push_str(&format!(
        "\n**Last production deploy:** {}\n\n",
        last_deploy(r).map_or_else(|| "none yet".to_string(), |(w, run)| deploy_line(w, run))
    ));
    if let Some(window) = f.window {
        out.push_str(&format!("**Deploy window:** {}\n\n", code(window)));
    }
    out.push_str(&format!(
        "_Updated {} UTC by {} via shipdeck._\n\n{HISTORY_HEADING}\n",
        f.now.format(TIME_FORMAT),
        code(f.login)
    ));
    let mut lines = f.previous.map(history).unwrap_or_default();
    let before = lines.last().and_then(|l| last_verdict(l));
    let now_label = f.report.verdict.label();
    let change = match before {
        Some(b) if b != now_label => format!("{b} → {now_label}"),
        _ => now_label.to_string(),
    };
    lines.push(format!(
        "- {} UTC: {change} ({})",
        f.now.format(TIME_FORMAT),
        login_text(f.login)
    ));
    let skip = lines.len().saturating_sub(f.history_cap.max(1));
    for line in &lines[skip..] {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The history lines of a status comment's body, oldest first: only lines in the form
/// shipdeck writes (anything else, edited in by hand, is dropped rather than copied along).
#[must_use]
pub fn history(body: &str) -> Vec<String> {
    body.lines()
        .skip_while(|l| l.trim() != HISTORY_HEADING)
        .skip(1)
        .map(str::trim_end)
        .filter(|l| parse_history_line(l).is_some())
        .map(str::to_string)
        .collect()
}

/// One history line read back: when, the verdict it ended on, and whether it changed there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// The verdict after this update: `true` for GO.
    pub go: bool,
    /// Who posted the update.
    pub login: String,
}

/// A history line in the form [`body`] writes it, read back; `None` for anything else.
#[must_use]
pub fn history_entry(line: &str) -> Option<HistoryEntry> {
    let (time, _, login) = parse_history_line(line)?;
    Some(HistoryEntry {
        at: time.and_utc(),
        go: last_verdict(line)? == "GO",
        login: login.to_string(),
    })
}

/// `(time, verdicts, login)` of a line `- 2026-12-01 10:05 UTC: NO-GO → GO (alice)`.
fn parse_history_line(line: &str) -> Option<(NaiveDateTime, &str, &str)> {
    let rest = line.strip_prefix("- ")?;
    let (time, rest) = rest.split_once(" UTC: ")?;
    let time = NaiveDateTime::parse_from_str(time, TIME_FORMAT).ok()?;
    let (verdicts, login) = rest.strip_suffix(')')?.rsplit_once(" (")?;
    let verdict_ok = |v: &str| v == "GO" || v == "NO-GO";
    let parts: Vec<&str> = verdicts.split(" → ").collect();
    let login_ok = !login.is_empty()
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '[' || c == ']');
    (parts.len() <= 2 && parts.iter().all(|v| verdict_ok(v)) && login_ok)
        .then_some((time, verdicts, login))
}

/// The verdict a history line ends on.
fn last_verdict(line: &str) -> Option<&str> {
    let (_, verdicts, _) = parse_history_line(line)?;
    verdicts.rsplit(" → ").next()
}

/// A login as a history line holds it: GitHub logins are letters, digits and hyphens (bots
/// end in `[bot]`); anything else is dropped.
fn login_text(login: &str) -> String {
    let kept: String = login
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '[' | ']'))
        .collect();
    if kept.is_empty() {
        "unknown".to_string()
    } else {
        kept
    }
}

/// The latest completed run of a deploy-phase workflow on the release ref.
#[must_use]
pub fn last_deploy(release: &Release) -> Option<(&WorkflowRuns, &Run)> {
    release
        .workflows
        .iter()
        .filter(|w| w.phase == Phase::Deploy)
        .flat_map(|w| w.runs.iter().map(move |r| (w, r)))
        .filter(|(_, r)| r.status == RunStatus::Completed)
        .max_by_key(|(_, r)| r.updated_at)
}

fn deploy_line(w: &WorkflowRuns, run: &Run) -> String {
    format!(
        "{} #{} in {}: {}, {} UTC, commit {}",
        code(&w.name),
        run.run_number,
        code_or_plain_repo(&w.repo),
        run.conclusion.map_or("unknown", |c| c.as_str()),
        run.updated_at.format(TIME_FORMAT),
        code(run.short_sha())
    )
}

/// A repository name (`owner/name`, checked by the config) as plain text, code-spanned if it
/// holds anything else.
fn code_or_plain_repo(repo: &str) -> String {
    if repo
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
    {
        repo.to_string()
    } else {
        code(repo)
    }
}

/// `text` as an inline code span on one line: no Markdown, HTML or @mention inside it takes
/// effect. Control characters and line breaks become spaces (the terminal sanitiser), and the
/// fence is one backtick longer than the longest run of backticks in the text.
#[must_use]
pub fn code(text: &str) -> String {
    let clean = super::text::line(text);
    let clean = clean.trim();
    if clean.is_empty() {
        return "` `".to_string();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in clean.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    // A space on each side keeps a leading or trailing backtick out of the fence (CommonMark
    // strips one space from each side).
    if clean.starts_with('`') || clean.ends_with('`') {
        format!("{fence} {clean} {fence}")
    } else {
        format!("{fence}{clean}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_fence_past_backticks_and_flatten_lines() {
        assert_eq!(code("v2.4.0"), "`v2.4.0`");
        assert_eq!(code("a ``b`` c"), "```a ``b`` c```");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("one\ntwo"), "`one two`");
        assert_eq!(code(""), "` `");
    }

    #[test]
    fn history_keeps_only_lines_in_shipdeck_form() {
        let body = format!(
            "{MARKER}\n- 2026-01-01 10:00 UTC: GO (alice)\n{HISTORY_HEADING}\n- 2026-12-01 10:05 UTC: NO-GO (alice)\n- 2026-12-01 11:00 UTC: NO-GO → GO (bob)\n- 2026-12-01 11:00 UTC: GO (<b>x</b>)\n- [click](http://evil)\nnot a line\n"
        );
        assert_eq!(
            history(&body),
            vec![
                "- 2026-12-01 10:05 UTC: NO-GO (alice)",
                "- 2026-12-01 11:00 UTC: NO-GO → GO (bob)"
            ]
        );
        assert_eq!(
            last_verdict("- 2026-12-01 11:00 UTC: NO-GO → GO (bob)"),
            Some("GO")
        );
    }
}
