//! The retrospective's facts on a hand-built release with hand-computed answers.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};

use super::*;
use crate::release::kpis::{Band, Kind, Measure, Metric, RepoHistory};
use crate::release::snapshot::{RepoSnapshot, TrackingIssue};
use crate::release::status_update::{HISTORY_HEADING, MARKER, StatusComment};
use crate::release::{Milestone, ReleaseRules};

const REPO: &str = "acme/app";

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

fn issue(
    number: u64,
    labels: &[&str],
    created: DateTime<Utc>,
    closed: Option<DateTime<Utc>>,
) -> Issue {
    Issue {
        repo: REPO.into(),
        number,
        title: format!("Issue {number}"),
        state: if closed.is_some() {
            State::Closed
        } else {
            State::Open
        },
        is_pull_request: false,
        labels: labels.iter().map(|s| (*s).to_string()).collect(),
        assignees: Vec::new(),
        author: None,
        body: None,
        html_url: format!("https://github.com/{REPO}/issues/{number}"),
        created_at: created,
        updated_at: created,
        closed_at: closed,
        merged_at: None,
        state_reason: None,
    }
}

fn status(author: &str, lines: &[&str]) -> StatusComment {
    StatusComment {
        id: 1,
        author: Some(author.into()),
        body: format!("{MARKER}\nstuff\n{HISTORY_HEADING}\n{}\n", lines.join("\n")),
        html_url: String::new(),
    }
}

/// Plan #1 #2 (done d3 12:00: the freeze), Build #3 and the late #4 (done d6 12:00), Test #5
/// open, the late unsorted #6 open; #9 the tracking issue.
fn snapshot(status_comments: Vec<StatusComment>) -> Snapshot {
    let issues = vec![
        issue(1, &["phase:plan"], at(1, 10), Some(at(3, 12))),
        issue(2, &["phase:plan"], at(1, 10), Some(at(2, 9))),
        issue(3, &["phase:build"], at(1, 11), Some(at(5, 12))),
        issue(4, &["phase:build"], at(4, 8), Some(at(6, 12))),
        issue(5, &["phase:test"], at(2, 10), None),
        issue(6, &[], at(5, 10), None),
        issue(9, &["release-checklist"], at(1, 9), None),
    ];
    Snapshot {
        milestone: "v1.0".into(),
        repos: vec![RepoSnapshot {
            repo: REPO.into(),
            verdict_status: None,
            milestone: Milestone {
                number: 1,
                title: "v1.0".into(),
                description: None,
                state: State::Open,
                due_on: Some(at(10, 0)),
                open_issues: 3,
                closed_issues: 4,
                html_url: String::new(),
            },
            issues,
            workflows: Vec::new(),
            missing: Vec::new(),
        }],
        tracking: Some(TrackingIssue {
            repo: REPO.into(),
            number: 9,
            title: "Release v1.0".into(),
            body: String::new(),
            html_url: format!("https://github.com/{REPO}/issues/9"),
            updated_at: at(1, 9),
            labels: vec!["release-checklist".into()],
            lock: None,
            sub_issues: None,
            signoffs: Vec::new(),
            status_comments,
            overrides: Vec::new(),
        }),
        fetched_at: at(7, 12),
    }
}

fn measure(scope: Scope, value: f64, text: &str, band: Option<Band>) -> Measure {
    Measure {
        scope,
        value: Some(value),
        count: 1,
        text: text.into(),
        band,
    }
}

fn kpi_report() -> KpiReport {
    KpiReport {
        milestone: "v1.0".into(),
        evaluated_at: at(7, 12),
        metrics: vec![Metric {
            kind: Kind::LeadTime,
            measures: vec![
                measure(Scope::Release, 20.0 * 3600.0, "20h", Some(Band::Elite)),
                measure(Scope::Days90, 3.0 * 86_400.0, "3d", Some(Band::High)),
            ],
            weekly: Vec::new(),
            events: Vec::new(),
        }],
        caveats: Vec::new(),
    }
}

fn history() -> History {
    History {
        repos: vec![RepoHistory {
            repo: REPO.into(),
            incidents: vec![
                issue(40, &["incident"], at(5, 14), Some(at(5, 17))),
                issue(
                    30,
                    &["incident"],
                    Utc.with_ymd_and_hms(2026, 10, 2, 0, 0, 0).unwrap(),
                    None,
                ),
            ],
            ..RepoHistory::default()
        }],
        ..History::default()
    }
}

fn build(s: &Snapshot, h: &History, k: &KpiReport) -> Retro {
    let release = Release::derive(s, &ReleaseRules::default());
    Retro::build(&Inputs {
        snapshot: s,
        release: &release,
        history: Ok((h, k)),
        gate: None,
        now: at(7, 12),
    })
}

#[test]
fn planned_delivered_and_late_scope_come_from_the_burn_up_freeze() {
    let (h, k) = (history(), kpi_report());
    let r = build(&snapshot(Vec::new()), &h, &k);
    assert_eq!(r.scope.freeze, Some(at(3, 12)));
    assert_eq!((r.scope.planned, r.scope.planned_done), (4, 3));
    let late: Vec<u64> = r.scope.late.iter().map(|i| i.number).collect();
    assert_eq!(late, [4, 6]);
    let open: Vec<u64> = r.scope.open.iter().map(|i| i.number).collect();
    assert_eq!(open, [5, 6]);
    assert_eq!(
        r.lines()[0].text,
        "Planned 4 issues and PRs, 3 delivered; 2 added after the freeze; scope froze 2026-11-03 12:00 UTC"
    );
}

#[test]
fn phase_spans_run_from_the_previous_phase_s_completion_to_the_last_close() {
    let (h, k) = (history(), kpi_report());
    let r = build(&snapshot(Vec::new()), &h, &k);
    let spans: Vec<(Phase, usize, Option<TimeDelta>)> = r
        .phases
        .iter()
        .map(|p| (p.phase, p.issues, p.duration(r.at)))
        .collect();
    assert_eq!(
        spans,
        [
            (Phase::Plan, 2, Some(TimeDelta::hours(50))),
            (Phase::Build, 2, Some(TimeDelta::hours(72))),
            (Phase::Test, 1, Some(TimeDelta::hours(24))),
            (Phase::Prepare, 0, None),
            (Phase::Deploy, 0, None),
            (Phase::Review, 0, None),
        ]
    );
    let texts: Vec<String> = r
        .lines()
        .into_iter()
        .filter(|l| l.section == Section::Phases)
        .map(|l| l.text)
        .collect();
    assert_eq!(
        texts[0],
        "Plan: 2d 2h (2 issues, done 2026-11-03 12:00 UTC)"
    );
    assert_eq!(texts[2], "Test: 1d 0h so far (1 issue, still open)");
    assert_eq!(texts[3], "Prepare: no issues");
    assert!(!r.is_review());
}

#[test]
fn a_no_go_of_three_hours_is_read_from_consecutive_history_lines_of_two_comments() {
    let comments = vec![
        status(
            "alice",
            &[
                "- 2026-11-06 09:00 UTC: GO (alice)",
                "- 2026-11-06 10:00 UTC: GO → NO-GO (alice)",
                "- 2026-11-06 13:00 UTC: NO-GO → GO (alice)",
            ],
        ),
        status("bob", &["- 2026-11-06 11:00 UTC: NO-GO (bob)"]),
    ];
    let (h, k) = (history(), kpi_report());
    let r = build(&snapshot(comments), &h, &k);
    let v = r.verdicts.clone().unwrap();
    assert_eq!(v.updates, 4);
    assert_eq!(v.no_go.len(), 1);
    assert_eq!(v.no_go[0].duration(), TimeDelta::hours(3));
    let gates: Vec<String> = r
        .lines()
        .into_iter()
        .filter(|l| l.section == Section::Gates)
        .map(|l| l.text)
        .collect();
    assert_eq!(
        gates,
        ["Deploy verdict NO-GO for 3h 0m (2026-11-06 10:00 UTC to 2026-11-06 13:00 UTC)"]
    );
}

#[test]
fn a_no_go_still_on_at_the_last_update_counts_to_that_update() {
    let v = verdict_history(&[status(
        "alice",
        &[
            "- 2026-11-06 10:00 UTC: NO-GO (alice)",
            "- 2026-11-06 12:30 UTC: NO-GO (alice)",
        ],
    )])
    .unwrap();
    assert_eq!(v.no_go[0].until, None);
    assert_eq!(v.no_go[0].duration(), TimeDelta::minutes(150));
}

#[test]
fn no_history_is_said_plainly() {
    let (h, k) = (history(), kpi_report());
    let r = build(&snapshot(vec![status("alice", &[])]), &h, &k);
    assert_eq!(r.verdicts, None);
    let texts: Vec<String> = r.lines().into_iter().map(|l| l.text).collect();
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("No verdict history: no status comment with history lines"))
    );
    assert!(texts.contains(&"No gate override recorded on the tracking issue".to_string()));
    assert!(markdown(&r).contains("in its Test phase, not Review"));
}

#[test]
fn kpis_compare_the_release_with_the_90_day_band_and_incidents_keep_to_the_release() {
    let (h, k) = (history(), kpi_report());
    let r = build(&snapshot(Vec::new()), &h, &k);
    let lines = r.lines();
    let kpi: Vec<&str> = lines
        .iter()
        .filter(|l| l.section == Section::Kpis)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        kpi,
        [
            "Lead time for changes: this release 20h (elite); 90 days 3d (high); better than the 90-day band"
        ]
    );
    let inc: Vec<&str> = lines
        .iter()
        .filter(|l| l.section == Section::Incidents)
        .map(|l| l.text.as_str())
        .collect();
    assert_eq!(
        inc,
        ["Incident acme/app#40 Issue 40 (opened 2026-11-05 14:00 UTC, closed after 3h 0m)"]
    );
}

#[test]
fn markdown_numbers_lines_across_sections_and_escapes_titles() {
    let mut s = snapshot(Vec::new());
    s.repos[0].issues[4].title = "[click](http://evil) <b>@all</b>".into();
    let (h, k) = (history(), kpi_report());
    let r = build(&s, &h, &k);
    let md = markdown(&r);
    assert!(md.contains("\n1. Planned 4 issues and PRs"), "{md}");
    assert!(md.contains(r"Not delivered\: acme/app\#5 \[click\]\(http\://evil\) \<b\>\@all\</b\>"));
    let numbers: Vec<usize> = r.lines().iter().map(|l| l.number).collect();
    assert_eq!(numbers, (1..=numbers.len()).collect::<Vec<_>>());
}

#[test]
fn follow_ups_go_to_the_next_milestone_once_and_skip_what_is_filed() {
    let (h, k) = (history(), kpi_report());
    let r = build(&snapshot(Vec::new()), &h, &k);
    let lines = r.lines();
    let not_delivered = lines
        .iter()
        .find(|l| l.text.starts_with("Not delivered: acme/app#5"))
        .unwrap();
    let plan = FollowUpPlan {
        label: "follow-up".into(),
        next_milestone: vec![(REPO.to_string(), Some(2))],
        existing: vec![(REPO.to_string(), vec![lines[0].text.clone()])],
    };
    let origin = r.origin();
    let picked = [1, not_delivered.number, not_delivered.number];
    let f = follow_up_calls(&origin, &lines, &picked, &plan).unwrap();
    assert_eq!(f.calls.len(), 1);
    assert_eq!(f.calls[0].path, "/repos/acme/app/issues");
    let body: serde_json::Value =
        serde_json::from_str(f.calls[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["title"], "Not delivered: acme/app#5 Issue 5");
    assert_eq!(body["labels"], serde_json::json!(["follow-up"]));
    assert_eq!(body["milestone"], 2);
    assert!(
        body["body"]
            .as_str()
            .unwrap()
            .contains("Tracking issue: acme/app#9")
    );
    assert_eq!(f.skipped.len(), 2);
    assert!(f.without_milestone.is_empty());
    assert!(follow_up_calls(&origin, &lines, &[999], &plan).is_err());
}

#[test]
fn the_next_milestone_is_the_open_one_due_soonest_after_the_current() {
    let m = |number: u64, title: &str, due: Option<DateTime<Utc>>, state: State| Milestone {
        number,
        title: title.into(),
        description: None,
        state,
        due_on: due,
        open_issues: 0,
        closed_issues: 0,
        html_url: String::new(),
    };
    let current = m(7, "v2.4.0", Some(at(10, 0)), State::Open);
    let all = [
        m(6, "v2.3.0", Some(at(1, 0)), State::Closed),
        current.clone(),
        m(9, "v2.6.0", Some(at(30, 0)), State::Open),
        m(8, "v2.5.0", Some(at(20, 0)), State::Open),
        m(10, "someday", None, State::Open),
        m(11, "old", Some(at(2, 0)), State::Open),
    ];
    assert_eq!(next_milestone(&all, &current), Some(8));
    assert_eq!(next_milestone(&all[..2], &current), None);
}
