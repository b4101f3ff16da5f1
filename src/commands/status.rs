//! `shipdeck status [--json]`: fetch once, print a summary.

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::Utc;

use super::Setup;
use crate::github::sync::fetch_within;
use crate::release::gates::{self, GateReport};
use crate::release::status::StatusReport;
use crate::release::{Phase, Release, State, kpis, text};

/// Fetches the release and prints it.
///
/// # Errors
/// The fetch failed; the message says why.
pub async fn run(setup: &Setup, json: bool) -> color_eyre::Result<()> {
    let now = Utc::now();
    let snapshot = fetch_within(setup.api.as_ref(), &setup.plan, now, None, true).await?;
    let rules = setup.config.rules(&snapshot.milestone);
    let release = Release::derive(&snapshot, &rules);
    let at = github_time(setup.api.as_ref()).await;
    let gate = gates::evaluate(&release, Phase::Deploy, &rules.gates, at);
    let plan = super::setup::history_plan_for(&setup.config);
    let kpis = history(setup, &plan, at)
        .await
        .map(|history| {
            kpis::report_for(
                &history,
                &snapshot,
                &plan.production,
                chrono::TimeDelta::hours(i64::from(setup.config.kpis.failure_window_hours)),
                at,
            )
        })
        .map_err(|e| e.to_string());
    if json {
        let mut report = StatusReport::new(&release, gate, snapshot.fetched_at);
        match kpis {
            Ok(k) => report.kpis = Some(k),
            Err(e) => report.kpis_error = Some(e),
        }
        println!("{}", escape_unsafe(&serde_json::to_string_pretty(&report)?));
    } else {
        let mut out = human(&release, &gate, now);
        out.push_str(&kpi_lines(&kpis));
        print!("{}", text::lines(&out));
    }
    Ok(())
}

/// The delivery history: the one cached beside the dashboard's snapshot when it was read less
/// than `[kpis] refresh_minutes` ago (so a script calling `status` every minute does not read
/// 90 days of history each time), else read now, and cached for the next call.
async fn history(
    setup: &Setup,
    plan: &crate::github::history::HistoryPlan,
    at: chrono::DateTime<Utc>,
) -> Result<kpis::History, crate::github::history::HistoryError> {
    let snapshot_cache = super::dashboard::cache_path(setup);
    let fresh = chrono::TimeDelta::minutes(i64::from(setup.config.kpis.refresh_minutes));
    let cached = crate::tui::workers::load_history_cache(&snapshot_cache);
    if let Some(c) = cached
        .as_ref()
        .filter(|c| at - c.read_at < fresh && c.read_at <= at)
    {
        return Ok(c.history.clone());
    }
    let prev = cached.as_ref().map(|c| &c.history);
    let history = crate::github::history::fetch_history(setup.api.as_ref(), plan, at, prev).await?;
    let record = crate::tui::workers::CachedHistory {
        read_at: at,
        history: history.clone(),
    };
    let path = crate::tui::workers::history_cache_path(&snapshot_cache);
    let written = serde_json::to_vec(&record)
        .map_err(std::io::Error::other)
        .and_then(|json| {
            if let Some(dir) = path.parent() {
                crate::files::create_dir(dir)?;
            }
            crate::files::write_atomic(&path, &json)
        });
    if let Err(e) = written {
        tracing::warn!(error = %e, path = %path.display(), "could not cache the delivery history");
    }
    Ok(history)
}

/// The KPIs as text: one line per metric, its 30-day, 90-day and release values.
fn kpi_lines(kpis: &Result<kpis::KpiReport, String>) -> String {
    let mut out = String::from("\ndelivery KPIs (30 days | 90 days | this release)\n");
    match kpis {
        Ok(r) => {
            for m in &r.metrics {
                let cells: Vec<String> = kpis::Scope::ALL
                    .iter()
                    .map(|&s| {
                        m.measure(s).map_or_else(String::new, |x| match x.band {
                            Some(b) => format!("{} [{}]", x.text, b.name()),
                            None => x.text.clone(),
                        })
                    })
                    .collect();
                let _ = writeln!(out, "  {:<22} {}", m.kind.title(), cells.join(" | "));
            }
            for c in &r.caveats {
                let _ = writeln!(out, "  note: {c}");
            }
        }
        Err(e) => {
            let _ = writeln!(out, "  could not read the delivery history: {e}");
        }
    }
    out
}

/// GitHub's clock (the `Date` of the free `GET /rate_limit`), or the local clock when GitHub
/// does not say: deploy windows and freezes are judged by it.
pub async fn github_time(api: &dyn crate::github::GitHubApi) -> chrono::DateTime<Utc> {
    api.rate_limit()
        .await
        .ok()
        .and_then(|r| r.server_time)
        .unwrap_or_else(Utc::now)
}

/// JSON with every character the sanitiser would remove written as a `\uXXXX` escape: the same
/// JSON value, byte-safe for a terminal (serde_json escapes only C0 controls; bidi overrides
/// and C1 controls would otherwise reach the terminal raw).
#[must_use]
pub fn escape_unsafe(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c != '\n' && matches!(text::line(c.encode_utf8(&mut [0; 4])), Cow::Owned(_)) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The short human summary.
#[must_use]
pub fn human(release: &Release, gate: &GateReport, now: chrono::DateTime<Utc>) -> String {
    let mut s = String::new();
    let due = release.due_on.map_or_else(
        || "no due date".to_string(),
        |d| {
            let (text, _) = crate::view::format::countdown(d, now);
            format!("due {} ({text})", d.format("%Y-%m-%d"))
        },
    );
    let (ticked, items) = release.checklist_progress();
    let issues = release.issue_counts();
    let _ = writeln!(
        s,
        "{} — {} — {}",
        release.title,
        release.repos.join(", "),
        due
    );
    let _ = writeln!(
        s,
        "phase {} · issues {}/{} closed · checklist {ticked}/{items} · deploy gate {}",
        release.current_phase,
        issues.closed,
        issues.total(),
        gate.verdict.label()
    );
    for c in &release.phases {
        let _ = writeln!(
            s,
            "  {:<8} issues {:>2}/{:<2} checklist {:>2}/{:<2}{}",
            c.phase.title(),
            c.closed,
            c.open + c.closed,
            c.checklist_checked,
            c.checklist_total,
            if c.phase == release.current_phase {
                "  ◀ now"
            } else {
                ""
            }
        );
    }
    if !release.unsorted.is_empty() {
        let c = crate::release::snapshot::IssueCounts::of(&release.unsorted);
        let _ = writeln!(
            s,
            "  {:<8} issues {:>2}/{:<2} (no phase label)",
            "Unsorted",
            c.closed,
            c.total()
        );
    }
    for g in &gate.gates {
        let _ = writeln!(s, "  {}", g.line());
    }
    let open_risks: Vec<_> = release
        .risks
        .iter()
        .filter(|r| r.state == State::Open)
        .collect();
    if let Some(top) = open_risks.first() {
        let _ = writeln!(
            s,
            "  risks: {} open, highest #{} {} (score {})",
            open_risks.len(),
            top.number,
            top.title,
            top.score()
        );
    }
    for w in &release.workflows {
        if let Some(r) = w.runs.first() {
            let (_, word, _) = crate::view::format::run_state(r.status, r.conclusion);
            let _ = writeln!(s, "  {}/{} #{}: {word}", w.repo, w.file, r.run_number);
        }
    }
    s
}
