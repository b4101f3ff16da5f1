//! Every metric on a hand-computed fixture, and the empty and edge cases.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::release::{Conclusion, RunStatus, State};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0)
        .single()
        .expect("valid date")
}

fn ago(days: i64, plus_hours: i64) -> DateTime<Utc> {
    now() - Duration::days(days) + Duration::hours(plus_hours)
}

/// A run finishing at `done`, ten minutes after it was created.
fn run(id: u64, title: &str, done: DateTime<Utc>, outcome: Option<Conclusion>) -> Run {
    Run {
        repo: "acme/app".into(),
        id,
        run_number: id,
        run_attempt: 1,
        workflow_id: 7,
        name: Some("Deploy".into()),
        display_title: title.into(),
        event: "workflow_dispatch".into(),
        status: if outcome.is_some() {
            RunStatus::Completed
        } else {
            RunStatus::InProgress
        },
        conclusion: outcome,
        head_branch: None,
        head_sha: format!("sha{id}"),
        actor: Some("alice".into()),
        created_at: done - Duration::minutes(10),
        updated_at: done,
        run_started_at: None,
        html_url: format!("https://github.com/acme/app/actions/runs/{id}"),
        waiting_for: Vec::new(),
    }
}

fn created_at(mut r: Run, at: DateTime<Utc>, done: DateTime<Utc>) -> Run {
    r.created_at = at;
    r.updated_at = done;
    r
}

const OK: Option<Conclusion> = Some(Conclusion::Success);
const FAILED: Option<Conclusion> = Some(Conclusion::Failure);

fn pr(number: u64, merged: DateTime<Utc>) -> MergedPr {
    MergedPr {
        number,
        title: format!("PR {number}"),
        author: Some("bob".into()),
        merged_at: merged,
        merge_commit_sha: format!("m{number}"),
        html_url: format!("https://github.com/acme/app/pull/{number}"),
    }
}

fn issue(number: u64, created: DateTime<Utc>, closed: Option<DateTime<Utc>>) -> Issue {
    Issue {
        repo: "acme/app".into(),
        number,
        title: format!("issue {number}"),
        state: if closed.is_some() {
            State::Closed
        } else {
            State::Open
        },
        is_pull_request: false,
        labels: vec!["incident".into()],
        assignees: Vec::new(),
        author: None,
        body: None,
        html_url: format!("https://github.com/acme/app/issues/{number}"),
        created_at: created,
        updated_at: created,
        closed_at: closed,
        merged_at: None,
        state_reason: None,
    }
}

fn known(run_id: u64, shas: &[&str]) -> Shipped {
    Shipped {
        run_id,
        commits: ShippedCommits::Known {
            shas: shas.iter().map(|s| (*s).to_string()).collect(),
        },
    }
}

fn settings() -> Settings {
    Settings {
        production: "production".into(),
        failure_window: Duration::hours(24),
        milestone: "v1.4.0".into(),
    }
}

/// The fixture whose answers are worked out by hand in the tests below (days before `now`):
/// - D1 v1.0.0 -100d ok (only the predecessor of D2).
/// - D2 v1.1.0 -80d ok, ships PR1 (merged -81d: 24 h) and PR2 (-83d: 72 h); rolled back at
///   +2h (done +3h) and the rollback rolled back at +5h (done +6h): one failure, restored in 1 h.
/// - D3 v1.2.0 -60d failed run.  D4 v1.2.1 -59d to staging (not counted).
/// - D5 v1.2.1 -50d ok, ships PR3 (merged 12 h before) and a direct commit; incident #21
///   opened +1h, closed +5h: restored in 4 h.
/// - D6 v1.3.0 -20d ok, ships only a direct commit; v1.3.0 marked faulty: restored by D7
///   10 days later.
/// - D7 v1.4.0-rc.1 -10d ok, ships PR4 (merged -12d: 48 h); incident #22 opened 30 h later
///   (outside the 24 h window), still open.
/// - D8 v1.4.0 -2d ok, compare failed; incident #23 opened +1h, still open.
/// - D9 v1.4.0 still running.
fn history() -> History {
    let d = |id, title: &str, days, outcome| run(id, title, ago(days, 0), outcome);
    let rollback = |id, at: i64, done: i64| {
        let mut r = run(id, "Rollback production to v1.0.0", ago(80, done), OK);
        r.created_at = ago(80, at);
        r
    };
    History {
        repos: vec![RepoHistory {
            repo: "acme/app".into(),
            deploys: vec![
                d(1, "Deploy v1.0.0 to production", 100, OK),
                d(2, "Deploy v1.1.0 to production", 80, OK),
                d(3, "Deploy v1.2.0 to production", 60, FAILED),
                d(4, "Deploy v1.2.1 to staging", 59, OK),
                d(5, "Deploy v1.2.1 to production", 50, OK),
                d(6, "Deploy v1.3.0 to production", 20, OK),
                d(7, "Deploy v1.4.0-rc.1 to production", 10, OK),
                d(8, "Deploy v1.4.0 to production", 2, OK),
                created_at(
                    run(9, "Deploy v1.4.0 to production", now(), None),
                    ago(0, -1),
                    now(),
                ),
            ],
            rollbacks: vec![rollback(31, 2, 3), rollback(32, 5, 6)],
            merged: vec![
                pr(1, ago(81, 0)),
                pr(2, ago(83, 0)),
                pr(3, ago(50, -12)),
                pr(4, ago(12, 0)),
                // Merged but never deployed.
                pr(5, ago(1, 0)),
            ],
            incidents: vec![
                issue(21, ago(50, 1), Some(ago(50, 5))),
                issue(22, ago(10, 30), None),
                issue(23, ago(2, 1), None),
            ],
            shipped: vec![
                known(2, &["m1", "m2"]),
                known(5, &["m3", "direct"]),
                known(6, &["direct2"]),
                known(7, &["m4"]),
                Shipped {
                    run_id: 8,
                    commits: ShippedCommits::Unknown {
                        why: "compare failed: 404".into(),
                    },
                },
            ],
        }],
        faulty_releases: vec!["v1.3.0".into()],
        since: Some(ago(100, 0)),
    }
}

fn milestone_issues() -> Vec<Issue> {
    let mut tracking = issue(1, ago(50, 0), Some(ago(1, 0)));
    tracking.labels = vec!["release-checklist".into()];
    let mut pull = issue(13, ago(5, 0), Some(ago(4, 0)));
    pull.is_pull_request = true;
    vec![
        issue(10, ago(10, 0), Some(ago(7, 0))),
        issue(11, ago(40, 0), Some(ago(35, 0))),
        issue(12, ago(3, 0), None),
        Issue {
            state_reason: Some("not_planned".into()),
            ..issue(14, ago(60, 0), Some(ago(2, 0)))
        },
        pull,
        tracking,
    ]
}

fn computed() -> KpiReport {
    report(
        &history(),
        &milestone_issues(),
        Some(("acme/app", 1)),
        &settings(),
        now(),
    )
}

/// (value, count, text, band) of `kind` over `scope`.
fn cell(r: &KpiReport, kind: Kind, scope: Scope) -> (Option<f64>, usize, String, Option<Band>) {
    let m = r
        .metric(kind)
        .and_then(|m| m.measure(scope))
        .expect("every metric has every scope");
    (
        m.value.map(|v| (v * 1000.0).round() / 1000.0),
        m.count,
        m.text.clone(),
        m.band,
    )
}

const H: f64 = 3600.0;

#[test]
fn deployment_frequency_counts_successful_production_deploys_per_week() {
    let r = computed();
    let k = Kind::DeploymentFrequency;
    // 30 d: D6, D7, D8 = 3 in 30/7 weeks.
    assert_eq!(
        cell(&r, k, Scope::Days30),
        (Some(0.7), 3, "0.70/week (3)".into(), Some(Band::Medium))
    );
    // 90 d: D2, D5, D6, D7, D8 = 5; D1 is older, D3 failed, D4 went to staging, D9 runs.
    assert_eq!(
        cell(&r, k, Scope::Days90),
        (Some(0.389), 5, "0.39/week (5)".into(), Some(Band::Medium))
    );
    assert_eq!(
        cell(&r, k, Scope::Release),
        (Some(2.0), 2, "2 deploys".into(), None)
    );
    let weekly = &r.metric(k).expect("present").weekly;
    let counts: Vec<f64> = weekly.iter().map(|w| w.unwrap_or(-1.0)).collect();
    assert_eq!(
        counts,
        [0., 1., 0., 0., 0., 1., 0., 0., 0., 0., 1., 1., 1.],
        "D2 in week 1 (80 d back), D5 in week 5, D6 10, D7 11, D8 12"
    );
}

#[test]
fn deploy_success_rate_counts_failed_runs_but_not_staging_or_running_ones() {
    let r = computed();
    let k = Kind::DeploySuccessRate;
    assert_eq!(
        cell(&r, k, Scope::Days30),
        (Some(1.0), 3, "100 % (3 of 3)".into(), None)
    );
    assert_eq!(
        cell(&r, k, Scope::Days90),
        (Some(0.833), 6, "83 % (5 of 6)".into(), None)
    );
}

#[test]
fn lead_time_is_the_median_from_merge_to_the_deploy_that_shipped_it() {
    let r = computed();
    let k = Kind::LeadTime;
    // 30 d: PR4 (48 h); D8's compare failed, D6 shipped no PR, PR5 is not deployed.
    assert_eq!(
        cell(&r, k, Scope::Days30),
        (Some(48.0 * H), 1, "2d 0h (1 PR)".into(), Some(Band::High))
    );
    // 90 d: 12, 24, 48, 72 h → 36 h.
    assert_eq!(
        cell(&r, k, Scope::Days90),
        (Some(36.0 * H), 4, "1d 12h (4 PRs)".into(), Some(Band::High))
    );
    assert_eq!(cell(&r, k, Scope::Release).0, Some(48.0 * H));
    assert_eq!(
        r.caveats,
        ["acme/app: deploy #8 v1.4.0 not in the lead time: compare failed: 404"]
    );
    let events = &r.metric(k).expect("present").events;
    assert_eq!(events.len(), 4);
    assert_eq!(
        events[0].text,
        "PR #4 merged → deploy #7 v1.4.0-rc.1: 2d 0h"
    );
}

#[test]
fn change_failure_rate_counts_rollbacks_incidents_and_faulty_marks_once_each() {
    let r = computed();
    let k = Kind::ChangeFailureRate;
    // 30 d: D6 (faulty) and D8 (incident #23) of D6, D7, D8. Incident #22 came 30 h after D7.
    assert_eq!(
        cell(&r, k, Scope::Days30),
        (Some(0.667), 3, "67 % (2 of 3)".into(), Some(Band::Low))
    );
    // 90 d: D2 (two rollbacks, one failure), D5, D6, D8 of 5.
    assert_eq!(
        cell(&r, k, Scope::Days90),
        (Some(0.8), 5, "80 % (4 of 5)".into(), Some(Band::Low))
    );
    assert_eq!(cell(&r, k, Scope::Release).2, "50 % (1 of 2)");
    let events = &r.metric(k).expect("present").events;
    let d2 = events
        .iter()
        .find(|e| e.text.starts_with("deploy #2 "))
        .expect("D2 listed");
    assert_eq!(
        d2.text,
        "deploy #2 v1.1.0 failed: rollback run #31; rollback run #32"
    );
}

#[test]
fn time_to_restore_takes_the_first_remedy_and_leaves_open_failures_out_of_the_median() {
    let r = computed();
    let k = Kind::TimeToRestore;
    // 30 d: D6 restored by D7 after 10 d; D8 still failing.
    assert_eq!(
        cell(&r, k, Scope::Days30),
        (
            Some(240.0 * H),
            1,
            "10d 0h (1 restored, 1 open)".into(),
            Some(Band::Low)
        )
    );
    // 90 d: 1 h (D2, the first rollback), 4 h (D5, incident closed), 240 h → 4 h.
    assert_eq!(
        cell(&r, k, Scope::Days90),
        (
            Some(4.0 * H),
            3,
            "4h 0m (3 restored, 1 open)".into(),
            Some(Band::High)
        )
    );
    assert_eq!(
        cell(&r, k, Scope::Release),
        (None, 0, "1 failure still failing".into(), None)
    );
    let texts: Vec<String> = r
        .metric(k)
        .expect("present")
        .events
        .iter()
        .map(|e| e.text.clone())
        .collect();
    assert_eq!(
        texts,
        [
            "deploy #8 v1.4.0: still failing, 1d 23h so far",
            "deploy #6 v1.3.0: restored in 10d 0h by the next production deploy",
            "deploy #5 v1.2.1: restored in 4h 0m by closing the incident",
            "deploy #2 v1.1.0: restored in 1h 0m by rollback run #31",
        ]
    );
}

#[test]
fn cycle_time_is_over_issues_closed_as_done_without_prs_or_the_tracking_issue() {
    let r = computed();
    let k = Kind::CycleTime;
    assert_eq!(
        cell(&r, k, Scope::Days30),
        (Some(72.0 * H), 1, "3d 0h (1 issue)".into(), None)
    );
    assert_eq!(cell(&r, k, Scope::Days90).0, Some(96.0 * H));
    assert_eq!(cell(&r, k, Scope::Release).2, "4d 0h (2 issues)");
}

#[test]
fn without_history_every_metric_says_what_is_missing() {
    let r = report(&History::default(), &[], None, &settings(), now());
    let texts: Vec<String> = Kind::ALL
        .iter()
        .map(|&k| cell(&r, k, Scope::Days30).2)
        .collect();
    assert_eq!(
        texts,
        [
            "no production deploys in 30 days",
            "no production deploys in 30 days",
            "no production deploys in 30 days",
            "no failed deploys in 30 days",
            "no completed production deploys in 30 days",
            "no milestone issues closed in 30 days",
        ]
    );
    assert_eq!(
        cell(&r, Kind::DeploymentFrequency, Scope::Release).2,
        "no production deploys of v1.4.0"
    );
    assert!(
        r.metrics
            .iter()
            .all(|m| m.measures.iter().all(|x| x.band.is_none()))
    );
}

#[test]
fn a_deploy_with_no_prs_still_counts_for_frequency_but_not_for_lead_time() {
    let mut h = history();
    h.repos[0].deploys.retain(|d| d.id == 5 || d.id == 6);
    h.repos[0].shipped.retain(|s| s.run_id == 6);
    h.faulty_releases.clear();
    let r = report(&h, &[], None, &settings(), now());
    assert_eq!(cell(&r, Kind::DeploymentFrequency, Scope::Days30).1, 1);
    assert_eq!(
        cell(&r, Kind::LeadTime, Scope::Days30).2,
        "no merged PRs traced to a deploy in 30 days"
    );
    assert_eq!(
        r.caveats,
        ["acme/app: deploy #5 v1.2.1 was not compared; not in the lead time"]
    );
}

#[test]
fn version_families_and_production_titles() {
    assert!(belongs_to("v2.4.0-rc.3", "v2.4.0"));
    assert!(belongs_to("v2.4.0", "v2.4.0"));
    assert!(!belongs_to("v2.4.00", "v2.4.0"));
    assert!(!belongs_to("v2.4.1", "v2.4.0"));
    let r = run(1, "Rollback production to v2.3.0", now(), OK);
    assert!(is_production_rollback(&r, "production"));
    assert!(!is_production_rollback(&r, "prod"));
    assert!(
        !is_production_deploy(&r, "production"),
        "no \"to production\""
    );
    assert_eq!(week_of(now(), now()), Some(WEEKS - 1));
    assert_eq!(week_of(now() - Duration::days(91), now()), None);
    assert_eq!(median(&mut [3.0, 1.0, 2.0, 10.0]), Some(2.5));
}

#[test]
fn deploy_runs_whose_titles_name_no_environment_are_explained_not_counted() {
    let mut h = History::default();
    h.repos.push(RepoHistory {
        repo: "acme/old".into(),
        // Older servers name a run by its commit's first line.
        deploys: vec![run(1, "Bump version to 1.2.3", ago(3, 0), OK)],
        ..RepoHistory::default()
    });
    let r = report(&h, &[], None, &settings(), now());
    assert_eq!(
        cell(&r, Kind::DeploymentFrequency, Scope::Days30).2,
        "no production deploys in 30 days"
    );
    assert_eq!(
        r.caveats,
        [
            "acme/old: none of its 1 deploy runs names production in its title; the KPIs read the \
          environment from the title (run-name: \"Deploy ${{ inputs.version }} to ${{ \
          inputs.environment }}\")"
        ]
    );
}
