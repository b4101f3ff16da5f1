//! Shared test helpers: a demo simulator on loopback and a real octocrab client for it.
#![allow(dead_code)]

pub mod cli;
pub mod harness;
pub mod tmux;

use std::sync::Arc;
use std::time::Duration;

use shipdeck::config::Config;
use shipdeck::github::Octo;
use shipdeck::github::sync::SyncPlan;
use shipdeck::sim::{self, RunTiming, SimHandle, SimOptions};

pub const REPOS: [&str; 2] = ["acme/storefront", "acme/payments"];

/// The demo simulator with fast runs.
pub async fn demo_sim() -> SimHandle {
    sim::start(SimOptions {
        timing: RunTiming {
            queued: Duration::from_millis(50),
            per_step: Duration::from_millis(30),
        },
        ..SimOptions::demo()
    })
    .await
    .expect("the simulator starts on loopback")
}

/// A client with the simulator's token.
pub fn client(sim: &SimHandle) -> Arc<Octo> {
    client_with(sim, sim.token(), Duration::from_secs(5))
}

/// A client with any token and timeout.
pub fn client_with(sim: &SimHandle, token: &str, timeout: Duration) -> Arc<Octo> {
    Arc::new(Octo::new(&sim.base_url(), token, timeout).expect("client builds"))
}

/// The demo config: both repos, the default workflows, milestone auto.
pub fn demo_config() -> Config {
    let mut c = Config::default();
    c.github.repos = REPOS
        .iter()
        .map(|r| shipdeck::config::RepoName::parse(r).expect("valid"))
        .collect();
    c
}

/// A fresh app state for the demo config: both repos, the demo's rules and its workflows (every
/// one watched in every repository, none protected).
pub fn demo_app_state() -> shipdeck::app::AppState {
    let config = demo_config();
    let mut state = shipdeck::app::AppState::new(
        Utc::now(),
        REPOS.iter().map(|r| (*r).to_string()).collect(),
        config.rules("v2.4.0"),
        config.release.ref_pattern.clone(),
    );
    state.session.workflow_rules = config
        .workflows
        .iter()
        .map(|w| shipdeck::app::state::WorkflowRule {
            file: w.file.clone(),
            repo: None,
            phase: w.phase,
            dispatch: w.dispatch,
            rollback: w.rollback,
            environment: None,
            protected: false,
        })
        .collect();
    state
}

/// The sync plan of the demo config.
pub fn demo_plan() -> SyncPlan {
    shipdeck::commands::setup::plan_for(&demo_config())
}

use chrono::{DateTime, Duration as Span, TimeZone, Utc};
use shipdeck::release::snapshot::{RepoSnapshot, TrackingIssue, WorkflowRuns};
use shipdeck::release::{Issue, Milestone, Phase, Run, RunStatus, Snapshot, State};

/// The fixed clock of fixtures and snapshots.
pub fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0)
        .single()
        .expect("valid date")
}

fn issue(
    repo: &str,
    number: u64,
    title: &str,
    labels: &[&str],
    state: State,
    now: DateTime<Utc>,
) -> Issue {
    Issue {
        repo: repo.into(),
        number,
        title: title.into(),
        state,
        is_pull_request: false,
        labels: labels.iter().map(|l| (*l).to_string()).collect(),
        assignees: vec!["alice".into()],
        author: Some("bob".into()),
        body: None,
        html_url: format!("https://github.com/{repo}/issues/{number}"),
        created_at: now - Span::days(5),
        updated_at: now - Span::days(1),
        closed_at: None,
        merged_at: None,
        state_reason: None,
    }
}

/// A run of the fixture.
pub fn run(
    repo: &str,
    id: u64,
    status: RunStatus,
    conclusion: Option<shipdeck::release::Conclusion>,
    now: DateTime<Utc>,
) -> Run {
    Run {
        repo: repo.into(),
        id,
        run_number: id % 1000,
        run_attempt: 1,
        workflow_id: 1,
        name: Some("CI".into()),
        display_title: "Bump version".into(),
        event: "push".into(),
        status,
        conclusion,
        head_branch: Some("release/v1.0".into()),
        head_sha: "0123456789abcdef".into(),
        actor: Some("alice".into()),
        created_at: now - Span::minutes(10),
        updated_at: now - Span::minutes(2),
        run_started_at: Some(now - Span::minutes(10)),
        html_url: format!("https://github.com/{repo}/actions/runs/{id}"),
        waiting_for: Vec::new(),
    }
}

/// A small release built in code: one repo, a checklist, a risk, a blocker, two workflows.
pub fn fixture_snapshot(now: DateTime<Utc>) -> Snapshot {
    use shipdeck::release::Conclusion;
    let repo = "acme/app";
    let mut risk = issue(
        repo,
        7,
        "Risk: migration locks",
        &["risk", "likelihood:4", "impact:4"],
        State::Open,
        now,
    );
    risk.body = Some("## Mitigation\nOnline migration.".into());
    let issues = vec![
        issue(repo, 1, "Scope", &["phase:plan"], State::Closed, now),
        issue(repo, 2, "Build it", &["phase:build"], State::Open, now),
        issue(repo, 3, "Build more", &["phase:build"], State::Closed, now),
        issue(repo, 4, "Test it", &["phase:test"], State::Open, now),
        issue(
            repo,
            5,
            "Blocker!",
            &["phase:test", "release-blocker"],
            State::Open,
            now,
        ),
        issue(
            repo,
            6,
            "Checklist",
            &["release-checklist"],
            State::Open,
            now,
        ),
        risk,
    ];
    Snapshot {
        milestone: "v1.0".into(),
        repos: vec![RepoSnapshot {
            verdict_status: None,
            repo: repo.into(),
            milestone: Milestone {
                number: 1,
                title: "v1.0".into(),
                description: None,
                state: State::Open,
                due_on: Some(now + Span::days(2)),
                open_issues: 5,
                closed_issues: 2,
                html_url: format!("https://github.com/{repo}/milestone/1"),
            },
            issues,
            workflows: vec![
                WorkflowRuns {
                    repo: repo.into(),
                    file: "ci.yml".into(),
                    name: "CI".into(),
                    phase: Phase::Build,
                    required: true,
                    runs: vec![run(repo, 101, RunStatus::InProgress, None, now)],
                },
                WorkflowRuns {
                    repo: repo.into(),
                    file: "e2e.yml".into(),
                    name: "E2E".into(),
                    phase: Phase::Test,
                    required: true,
                    runs: vec![run(repo, 202, RunStatus::Completed, Some(Conclusion::Failure), now)],
                },
            ],
            missing: Vec::new(),
        }],
        tracking: Some(TrackingIssue {
            signoffs: Vec::new(),
            status_comments: Vec::new(),
            overrides: Vec::new(),
            repo: repo.into(),
            number: 6,
            title: "Release v1.0".into(),
            body: "## Plan\n- [x] scope\n## Build\n- [x] branch cut\n- [ ] build green\n## Test\n- [ ] e2e\n".into(),
            html_url: format!("https://github.com/{repo}/issues/6"),
            updated_at: now,
            labels: vec!["release-checklist".into()],
            lock: None,
            sub_issues: None,
        }),
        fetched_at: now,
    }
}

/// Adds `count` copies of an issue to payments' v2.4.0 milestone; returns the milestone number.
pub fn add_payments_issues(sim: &shipdeck::sim::SimHandle, count: u64) -> u64 {
    sim.with_world(|w| {
        let repo = w.repo_mut("acme/payments").expect("the demo has payments");
        let m = repo
            .milestones
            .iter()
            .find(|m| m.title == "v2.4.0")
            .expect("payments has v2.4.0")
            .number;
        let template = repo
            .issues
            .iter()
            .find(|i| i.milestone == Some(m))
            .expect("the milestone has an issue")
            .clone();
        let top = repo
            .issues
            .iter()
            .map(|i| i.number)
            .max()
            .expect("payments has issues");
        for n in 1..=count {
            let mut issue = template.clone();
            issue.number = top + n;
            issue.id = 7_000_000 + n;
            issue.title = format!("Generated issue {n}");
            repo.issues.push(issue);
        }
        m
    })
}
