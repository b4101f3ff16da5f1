//! Gate evaluation as pure functions over fixtures: each configurable gate both ways, profiles
//! chosen by a label, sign-offs from comments, and the one-line summary a commit status
//! carries.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use chrono::{DateTime, Duration, Utc};
use shipdeck::release::gates::{
    self, Gate, GateKind, GateReport, PhaseGates, Policy, Profile, Verdict,
};
use shipdeck::release::signoff::{Command, Roles};
use shipdeck::release::snapshot::DeployLock;
use shipdeck::release::{Phase, Release, ReleaseRules, Snapshot};

fn parse(text: &str) -> Result<shipdeck::config::Config, String> {
    shipdeck::config::Config::parse(text, std::path::Path::new("/etc/shipdeck.toml"))
        .map_err(|e| e.to_string())
}

fn now() -> DateTime<Utc> {
    common::fixed_now()
}

fn roles() -> Roles {
    Roles(
        [
            ("qa".to_string(), vec!["carol".to_string()]),
            (
                "product".to_string(),
                vec!["dave".to_string(), "erin".to_string()],
            ),
        ]
        .into(),
    )
}

/// The fixture with only `kinds` before Deploy.
fn policy(kinds: Vec<GateKind>) -> Policy {
    Policy {
        phases: PhaseGates([(Phase::Deploy, kinds)].into()),
        roles: roles(),
        ..Policy::default()
    }
}

fn release(snap: &Snapshot) -> Release {
    Release::derive(snap, &ReleaseRules::default())
}

fn deploy(snap: &Snapshot, policy: &Policy, at: DateTime<Utc>) -> GateReport {
    gates::evaluate(&release(snap), Phase::Deploy, policy, at)
}

fn only(report: &GateReport) -> &Gate {
    assert_eq!(report.gates.len(), 1, "{report:?}");
    &report.gates[0]
}

fn signoff(author: &str, role: &str, revoke: bool, hours_ago: i64) -> Command {
    Command {
        author: author.into(),
        role: role.into(),
        revoke,
        at: now() - Duration::hours(hours_ago),
        html_url: String::new(),
    }
}

#[test]
fn the_default_deploy_gates_are_the_four_of_every_phase_plus_window_freeze_lock_signoffs() {
    let snap = common::fixture_snapshot(now());
    let report = gates::evaluate(&release(&snap), Phase::Deploy, &Policy::default(), now());
    let names: Vec<&str> = report.gates.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Plan checklist complete",
            "Build checklist complete",
            "Test checklist complete",
            "Prepare checklist complete",
            "no open blockers",
            "required workflows green on main",
            "no unmitigated risk scoring 12+",
            "inside a deploy window",
            "not in a freeze",
            "deploys not locked",
            "sign-offs",
        ]
    );
    assert_eq!(report.verdict, Verdict::NoGo);
    assert_eq!(report.profile, "standard");
    let test = gates::evaluate(&release(&snap), Phase::Test, &Policy::default(), now());
    assert_eq!(test.gates.len(), 5, "{test:?}");
}

#[test]
fn a_named_checklist_gate_reads_only_that_phase() {
    let snap = common::fixture_snapshot(now());
    let plan = deploy(
        &snap,
        &policy(vec![GateKind::Checklist(Phase::Plan)]),
        now(),
    );
    assert!(only(&plan).passed, "{plan:?}");
    assert_eq!(plan.verdict, Verdict::Go);
    let build = deploy(
        &snap,
        &policy(vec![GateKind::Checklist(Phase::Build)]),
        now(),
    );
    assert!(!only(&build).passed);
    assert_eq!(only(&build).reason, "1 of 2 ticked; next: build green");
}

#[test]
fn overdue_passes_before_the_due_date_and_fails_after() {
    let snap = common::fixture_snapshot(now());
    let p = policy(vec![GateKind::NotOverdue]);
    let before = deploy(&snap, &p, now());
    assert!(only(&before).passed, "{before:?}");
    assert!(only(&before).reason.contains("in 2d 0h"), "{before:?}");
    let after = deploy(&snap, &p, now() + Duration::days(3));
    assert!(!only(&after).passed);
    assert!(only(&after).reason.contains("overdue 1d 0h"), "{after:?}");
    let mut no_date = snap.clone();
    no_date.repos[0].milestone.due_on = None;
    assert_eq!(only(&deploy(&no_date, &p, now())).reason, "no due date");
}

#[test]
fn a_lock_fails_the_unlocked_gate_naming_who_and_why() {
    let mut snap = common::fixture_snapshot(now());
    let p = policy(vec![GateKind::Unlocked]);
    assert!(only(&deploy(&snap, &p, now())).passed);
    snap.tracking.as_mut().unwrap().lock = Some(DeployLock {
        reason: "incident 42".into(),
        author: Some("alice".into()),
        at: Some(now()),
    });
    let locked = deploy(&snap, &p, now());
    assert!(!only(&locked).passed);
    assert_eq!(only(&locked).reason, "locked by alice: incident 42");
}

#[test]
fn signoffs_list_who_signed_and_the_missing_roles_with_who_may_sign() {
    let mut snap = common::fixture_snapshot(now());
    let p = policy(vec![GateKind::Signoffs(None)]);
    snap.tracking.as_mut().unwrap().signoffs = vec![
        signoff("carol", "qa", false, 3),
        // Not listed for product: does not count.
        signoff("bob", "product", false, 2),
    ];
    let report = deploy(&snap, &p, now());
    let gate = only(&report);
    assert_eq!(gate.name, "sign-offs: product, qa");
    assert!(!gate.passed);
    assert_eq!(gate.reason, "qa by carol; missing: product (dave or erin)");

    snap.tracking
        .as_mut()
        .unwrap()
        .signoffs
        .push(signoff("erin", "product", false, 1));
    assert_eq!(deploy(&snap, &p, now()).verdict, Verdict::Go);

    snap.tracking
        .as_mut()
        .unwrap()
        .signoffs
        .push(signoff("erin", "product", true, 0));
    assert_eq!(deploy(&snap, &p, now()).verdict, Verdict::NoGo);
}

#[test]
fn a_named_signoff_gate_needs_only_its_roles() {
    let mut snap = common::fixture_snapshot(now());
    snap.tracking.as_mut().unwrap().signoffs = vec![signoff("carol", "qa", false, 3)];
    let qa_only = policy(vec![GateKind::Signoffs(Some(vec!["qa".into()]))]);
    assert_eq!(deploy(&snap, &qa_only, now()).verdict, Verdict::Go);
    let none = Policy {
        roles: Roles::default(),
        ..policy(vec![GateKind::Signoffs(None)])
    };
    let report = deploy(&snap, &none, now());
    assert_eq!(only(&report).reason, "no roles configured");
    assert!(only(&report).passed);
}

#[test]
fn a_label_on_the_tracking_issue_selects_a_lighter_profile() {
    let mut snap = common::fixture_snapshot(now());
    let p = Policy {
        profiles: vec![Profile {
            name: "hotfix".into(),
            label: "release:hotfix".into(),
            phases: PhaseGates([(Phase::Deploy, vec![GateKind::Risks])].into()),
        }],
        ..Policy::default()
    };
    assert_eq!(deploy(&snap, &p, now()).profile, "standard");
    snap.tracking
        .as_mut()
        .unwrap()
        .labels
        .push("release:hotfix".into());
    let hotfix = deploy(&snap, &p, now());
    assert_eq!(hotfix.profile, "hotfix");
    assert_eq!(only(&hotfix).name, "no unmitigated risk scoring 12+");
    assert_eq!(hotfix.verdict, Verdict::Go);
}

#[test]
fn the_summary_names_the_failing_gates_within_140_characters() {
    let snap = common::fixture_snapshot(now());
    let report = gates::evaluate(&release(&snap), Phase::Deploy, &Policy::default(), now());
    let summary = report.summary(140);
    assert!(summary.chars().count() <= 140, "{summary}");
    assert!(
        summary.starts_with("no-go: Build checklist complete"),
        "{summary}"
    );
    let go = deploy(&snap, &policy(vec![GateKind::Unlocked]), now());
    assert_eq!(go.summary(140), "go: the one gate passes");
}

#[test]
fn the_config_reads_phases_profiles_and_signoff_roles() {
    let text = r#"
[gates]
risk_threshold = 9
[gates.phases]
deploy = ["blockers", "signoff:qa", "checklist:test"]
[gates.profiles.hotfix]
deploy = ["blockers"]
[signoffs]
QA = ["carol"]
"#;
    let config = parse(text).unwrap();
    let policy = config.rules("v1").gates;
    assert_eq!(policy.risk_threshold, 9);
    assert_eq!(
        policy.phases.of(Phase::Deploy),
        [
            GateKind::Blockers,
            GateKind::Signoffs(Some(vec!["qa".into()])),
            GateKind::Checklist(Phase::Test)
        ]
    );
    assert_eq!(
        policy.phases.of(Phase::Test),
        PhaseGates::defaults().of(Phase::Test),
        "a phase left out keeps its defaults"
    );
    assert_eq!(policy.profiles[0].label, "release:hotfix");
    assert!(policy.roles.may_sign("qa", "Carol"));

    let err = parse("[gates.phases]\ndeploy = [\"windows\"]\n").unwrap_err();
    assert!(err.contains("shipdeck.toml:2:"), "the line is named: {err}");
    assert!(err.contains("unknown gate \"windows\""), "{err}");
    let err = parse("[signoffs]\nqa = [\"carol smith\"]\n").unwrap_err();
    assert!(err.contains("is not a GitHub login"), "{err}");
}

#[test]
fn the_demo_gate_config_parses_at_every_hour_with_its_window_open() {
    for hour in 0..24 {
        let at = now() + Duration::hours(hour);
        let (gates, roles) = shipdeck::config::demo_gates(at);
        assert_eq!(gates.windows.len(), 1, "hour {hour}");
        assert_eq!(gates.freezes.len(), 1, "hour {hour}");
        assert!(roles.may_sign("product", "alice"));
        let policy = gates.policy(&roles);
        let (open, why) =
            shipdeck::release::window::window_gate(&policy.windows, &policy.freezes, at);
        assert!(open, "hour {hour}: {why}");
    }
}

#[test]
fn a_required_workflow_with_no_run_yet_fails_and_a_green_latest_run_passes() {
    let mut snap = common::fixture_snapshot(now());
    let p = policy(vec![GateKind::Workflows]);
    snap.repos[0].workflows[0].runs.clear();
    let report = deploy(&snap, &p, now());
    assert!(!only(&report).passed);
    assert!(
        only(&report).reason.starts_with("ci.yml has no run"),
        "{report:?}"
    );
    // The latest run decides: an older failure does not count once the newest is green.
    let mut snap = common::fixture_snapshot(now());
    for w in &mut snap.repos[0].workflows {
        let mut green = w.runs[0].clone();
        green.id += 1000;
        green.status = shipdeck::release::RunStatus::Completed;
        green.conclusion = Some(shipdeck::release::Conclusion::Success);
        w.runs.insert(0, green);
    }
    let report = deploy(&snap, &p, now());
    assert!(only(&report).passed, "{report:?}");
}
