//! The retrospective as numbered lines of plain text, one fact each, grouped in sections: what
//! the Markdown, the JSON, the TUI and the follow-up issues are all made from.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{KpiVs, Retro};
use crate::release::time::span;

/// A section of the draft, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Scope,
    Gates,
    Overrides,
    Phases,
    Kpis,
    Incidents,
}

impl Section {
    /// Every section, in order.
    pub const ALL: [Section; 6] = [
        Section::Scope,
        Section::Gates,
        Section::Overrides,
        Section::Phases,
        Section::Kpis,
        Section::Incidents,
    ];

    /// Its heading.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Section::Scope => "Scope: planned vs delivered",
            Section::Gates => "Gates that failed",
            Section::Overrides => "Overrides used",
            Section::Phases => "Time in each phase",
            Section::Kpis => "KPIs: this release vs 90 days",
            Section::Incidents => "Incidents",
        }
    }
}

/// One fact: its number (from 1, across the draft), its section and its text (plain, not yet
/// escaped); `repo` is where a follow-up about it belongs, when it names one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub number: usize,
    pub section: Section,
    pub text: String,
    pub repo: Option<String>,
    pub url: Option<String>,
}

const TIME: &str = "%Y-%m-%d %H:%M UTC";

fn issues(n: usize) -> String {
    format!("{n} issue{}", if n == 1 { "" } else { "s" })
}

fn at(t: DateTime<Utc>) -> String {
    t.format(TIME).to_string()
}

impl Retro {
    /// The draft's lines, numbered from 1 in section order.
    #[must_use]
    pub fn lines(&self) -> Vec<Line> {
        let mut out: Vec<Line> = Vec::new();
        let mut push = |section: Section, text: String, repo: Option<&str>, url: Option<&str>| {
            out.push(Line {
                number: out.len() + 1,
                section,
                text,
                repo: repo.map(str::to_string),
                url: url.map(str::to_string),
            });
        };
        self.scope_lines(&mut push);
        self.gate_lines(&mut push);
        self.override_lines(&mut push);
        self.phase_lines(&mut push);
        self.kpi_lines(&mut push);
        self.incident_lines(&mut push);
        out
    }

    fn scope_lines(&self, push: &mut impl FnMut(Section, String, Option<&str>, Option<&str>)) {
        let s = &self.scope;
        let froze = s.freeze.map_or_else(
            || "scope never froze (the Plan phase still has open issues)".to_string(),
            |f| format!("scope froze {}", at(f)),
        );
        push(
            Section::Scope,
            format!(
                "Planned {} issues and PRs, {} delivered; {} added after the freeze; {froze}",
                s.planned,
                s.planned_done,
                s.late.len()
            ),
            None,
            None,
        );
        for l in &s.late {
            push(
                Section::Scope,
                format!(
                    "Added late: {}#{} {} (created {}, {})",
                    l.repo,
                    l.number,
                    l.title,
                    at(l.created_at),
                    if l.is_open { "still open" } else { "closed" }
                ),
                Some(&l.repo),
                Some(&l.html_url),
            );
        }
        for o in &s.open {
            push(
                Section::Scope,
                format!("Not delivered: {}#{} {}", o.repo, o.number, o.title),
                Some(&o.repo),
                Some(&o.html_url),
            );
        }
    }

    fn gate_lines(&self, push: &mut impl FnMut(Section, String, Option<&str>, Option<&str>)) {
        match &self.verdicts {
            None => push(
                Section::Gates,
                "No verdict history: no status comment with history lines on the tracking issue \
                 (post one with U to start it)"
                    .to_string(),
                None,
                None,
            ),
            Some(v) if v.no_go.is_empty() => push(
                Section::Gates,
                format!(
                    "GO at every one of {} status updates ({} to {})",
                    v.updates,
                    at(v.first),
                    at(v.last)
                ),
                None,
                None,
            ),
            Some(v) => {
                for n in &v.no_go {
                    let text = match n.until {
                        Some(until) => format!(
                            "Deploy verdict NO-GO for {} ({} to {})",
                            span(n.duration()),
                            at(n.from),
                            at(until)
                        ),
                        None => format!(
                            "Deploy verdict NO-GO since {}, at least {} (still NO-GO at the last update)",
                            at(n.from),
                            span(n.duration())
                        ),
                    };
                    push(Section::Gates, text, None, None);
                }
            }
        }
        for g in &self.failing_now {
            push(Section::Gates, format!("Failing now: {g}"), None, None);
        }
    }

    fn override_lines(&self, push: &mut impl FnMut(Section, String, Option<&str>, Option<&str>)) {
        if self.overrides.is_empty() {
            push(
                Section::Overrides,
                "No gate override recorded on the tracking issue".to_string(),
                None,
                None,
            );
        }
        for o in &self.overrides {
            let gates = if o.failing.is_empty() {
                String::new()
            } else {
                format!("; failing: {}", o.failing.join(", "))
            };
            push(
                Section::Overrides,
                format!(
                    "Override {} by {}: {} (reason: {}{gates})",
                    at(o.at),
                    o.author.as_deref().unwrap_or("a deleted user"),
                    o.what,
                    o.reason
                ),
                None,
                Some(&o.html_url),
            );
        }
    }

    fn phase_lines(&self, push: &mut impl FnMut(Section, String, Option<&str>, Option<&str>)) {
        for p in &self.phases {
            let text = match (p.duration(self.at), p.end) {
                (None, _) => format!("{}: no issues", p.phase.title()),
                (Some(d), Some(end)) => format!(
                    "{}: {} ({}, done {})",
                    p.phase.title(),
                    span(d),
                    issues(p.issues),
                    at(end)
                ),
                (Some(d), None) => format!(
                    "{}: {} so far ({}, still open)",
                    p.phase.title(),
                    span(d),
                    issues(p.issues)
                ),
            };
            push(Section::Phases, text, None, None);
        }
    }

    fn kpi_lines(&self, push: &mut impl FnMut(Section, String, Option<&str>, Option<&str>)) {
        match &self.kpis {
            Err(e) => push(
                Section::Kpis,
                format!("Could not read the delivery history: {e}"),
                None,
                None,
            ),
            Ok(list) => {
                for k in list {
                    push(Section::Kpis, kpi_text(k), None, None);
                }
            }
        }
    }

    fn incident_lines(&self, push: &mut impl FnMut(Section, String, Option<&str>, Option<&str>)) {
        match &self.incidents {
            Err(e) => push(
                Section::Incidents,
                format!("Could not read the incidents: {e}"),
                None,
                None,
            ),
            Ok(list) if list.is_empty() => push(
                Section::Incidents,
                "No incident opened during the release".to_string(),
                None,
                None,
            ),
            Ok(list) => {
                for x in list {
                    let i = &x.item;
                    let state = match i.closed_at {
                        Some(c) => format!("closed after {}", span(c - i.created_at)),
                        None => format!("still open after {}", span(self.at - i.created_at)),
                    };
                    push(
                        Section::Incidents,
                        format!(
                            "Incident {}#{} {} (opened {}, {state})",
                            i.repo,
                            i.number,
                            i.title,
                            at(i.created_at)
                        ),
                        Some(&i.repo),
                        Some(&i.html_url),
                    );
                }
            }
        }
    }
}

/// "Lead time for changes: this release 1d 2h (elite); 90 days 2d (high); better than the
/// 90-day band".
fn kpi_text(k: &KpiVs) -> String {
    let cell = |m: Option<&crate::release::kpis::Measure>| match m {
        None => "not measured".to_string(),
        Some(m) => match m.band {
            Some(b) => format!("{} ({})", m.text, b.name()),
            None => m.text.clone(),
        },
    };
    let (r, d) = (k.release.as_ref(), k.days90.as_ref());
    // Per release, deployment frequency is a count, not a rate: it has no band to compare.
    let rb = r.and_then(|m| m.band).or_else(|| {
        r.and_then(|m| m.value)
            .filter(|_| k.kind != crate::release::kpis::Kind::DeploymentFrequency)
            .and_then(|v| crate::release::kpis::Band::of(k.kind, v))
    });
    let vs = match (rb, d.and_then(|m| m.band)) {
        (Some(a), Some(b)) if a < b => "; better than the 90-day band",
        (Some(a), Some(b)) if a > b => "; worse than the 90-day band",
        (Some(_), Some(_)) => "; same band as the 90 days",
        _ => "",
    };
    format!(
        "{}: this release {}; 90 days {}{vs}",
        k.kind.title(),
        cell(r),
        cell(d)
    )
}
