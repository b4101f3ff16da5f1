//! The gate on required workflows when some have no runs: absent from a repository, or not
//! asked for because the release ref cannot exist. Fixtures built in code.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use shipdeck::release::gates::{self, Gate};
use shipdeck::release::snapshot::{Missing, MissingWorkflow, RepoSnapshot};
use shipdeck::release::{Conclusion, Phase, Release, ReleaseRules, RunStatus, Snapshot};

/// The fixture with every run green, plus a second repository, `acme/lib`, without workflows.
fn green_two_repos() -> Snapshot {
    let mut snap = common::fixture_snapshot(common::fixed_now());
    for w in &mut snap.repos[0].workflows {
        w.runs[0].status = RunStatus::Completed;
        w.runs[0].conclusion = Some(Conclusion::Success);
    }
    let lib = RepoSnapshot {
        repo: "acme/lib".into(),
        issues: Vec::new(),
        workflows: Vec::new(),
        ..snap.repos[0].clone()
    };
    snap.repos.push(lib);
    snap
}

fn absent(repo: &str, file: &str, phase: Phase, named: bool, why: Missing) -> MissingWorkflow {
    MissingWorkflow {
        repo: repo.into(),
        file: file.into(),
        phase,
        required: true,
        named,
        why,
    }
}

fn not_found() -> Missing {
    Missing::NotFound {
        checked_at: common::fixed_now(),
    }
}

fn workflows_gate(snap: &Snapshot, release_ref: &str) -> Gate {
    let rules = ReleaseRules {
        release_ref: release_ref.into(),
        ..ReleaseRules::default()
    };
    let release = Release::derive(snap, &rules);
    gates::evaluate(&release, Phase::Deploy, &rules.gates, common::fixed_now())
        .gates
        .into_iter()
        .find(|g| g.name.starts_with("required workflows green"))
        .unwrap()
}

#[test]
fn a_workflow_watched_where_it_exists_passes_and_says_where_it_is_not() {
    let mut snap = green_two_repos();
    snap.repos[1].missing = vec![absent(
        "acme/lib",
        "e2e.yml",
        Phase::Test,
        false,
        not_found(),
    )];
    let gate = workflows_gate(&snap, "release/v1.0");
    assert!(gate.passed, "{gate:?}");
    assert_eq!(gate.reason, "2 green (e2e.yml not in acme/lib)");
}

#[test]
fn a_workflow_no_repository_has_fails_naming_every_repository() {
    let mut snap = green_two_repos();
    snap.repos[0].workflows.retain(|w| w.file != "e2e.yml");
    snap.repos[0].missing = vec![absent(
        "acme/app",
        "e2e.yml",
        Phase::Test,
        false,
        not_found(),
    )];
    snap.repos[1].missing = vec![absent(
        "acme/lib",
        "e2e.yml",
        Phase::Test,
        false,
        not_found(),
    )];
    let gate = workflows_gate(&snap, "release/v1.0");
    assert!(!gate.passed, "{gate:?}");
    assert_eq!(gate.reason, "e2e.yml: not found in acme/app, acme/lib");
}

#[test]
fn a_workflow_named_for_a_repository_must_exist_there() {
    let mut snap = green_two_repos();
    snap.repos[1].missing = vec![absent(
        "acme/lib",
        "e2e.yml",
        Phase::Test,
        true,
        not_found(),
    )];
    let gate = workflows_gate(&snap, "release/v1.0");
    assert!(!gate.passed, "{gate:?}");
    assert_eq!(gate.reason, "e2e.yml: not found in acme/lib");
}

#[test]
fn an_absent_workflow_of_a_later_phase_does_not_hold_up_the_deploy_gate() {
    let mut snap = green_two_repos();
    snap.repos[1].missing = vec![absent(
        "acme/lib",
        "smoke.yml",
        Phase::Review,
        true,
        not_found(),
    )];
    let gate = workflows_gate(&snap, "release/v1.0");
    assert!(gate.passed, "{gate:?}");
    assert_eq!(gate.reason, "2 green");
}

#[test]
fn an_impossible_ref_fails_only_when_something_is_required() {
    let mut snap = green_two_repos();
    let not_asked = |repo: &str, file: &str, phase, required| MissingWorkflow {
        required,
        ..absent(repo, file, phase, false, Missing::BadRef)
    };
    snap.repos[0].workflows.clear();
    snap.repos[0].missing = vec![
        not_asked("acme/app", "ci.yml", Phase::Build, true),
        not_asked("acme/app", "deploy.yml", Phase::Deploy, false),
    ];
    let gate = workflows_gate(&snap, "release/v 1");
    assert!(!gate.passed, "{gate:?}");
    assert_eq!(
        gate.reason,
        "release ref \"release/v 1\" cannot exist (it contains a space): \
         set release.ref in the config"
    );

    snap.repos[0].missing.remove(0);
    let gate = workflows_gate(&snap, "release/v 1");
    assert!(gate.passed, "{gate:?}");
    assert_eq!(gate.reason, "none required");
}

#[test]
fn runs_not_asked_for_under_another_ref_are_not_taken_as_green() {
    // A snapshot (say, from the disk cache) made under an impossible ref, shown under a good one.
    let mut snap = green_two_repos();
    snap.repos[1].missing = vec![absent(
        "acme/lib",
        "ci.yml",
        Phase::Build,
        false,
        Missing::BadRef,
    )];
    let gate = workflows_gate(&snap, "release/v1.0");
    assert!(!gate.passed, "{gate:?}");
    assert_eq!(gate.reason, "ci.yml: runs not fetched in acme/lib");
}
