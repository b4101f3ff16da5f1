//! The runs pane's actions end to end without a terminal: `update` + the real workers + the
//! real octocrab client + the simulator on loopback. Keys go in as commands and raw keys, as
//! the event loop would send them.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use chrono::Utc;
use shipdeck::app::runs;
use shipdeck::app::{Action, AppState, Command, Effect, update};
use shipdeck::github::GitHubApi as _;
use shipdeck::release::call::{Call, describe};
use shipdeck::release::gates::Verdict;
use shipdeck::release::{Conclusion, RunStatus};
use shipdeck::sim::{Fault, FaultKind, SimHandle};

use common::harness::Harness;

fn posts(sim: &SimHandle, fragment: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == http::Method::POST && r.path.contains(fragment))
        .count()
}

/// Opens the deploy form of storefront, fills `version`, and confirms.
async fn dispatch_deploy(h: &mut Harness, version: &str, production: bool) {
    h.select_workflow("acme/storefront", "deploy.yml");
    h.cmd(Command::Dispatch);
    h.until(
        |s| {
            s.overlays.form().is_some()
                || s.status
                    .as_ref()
                    .is_some_and(|x| x.text.starts_with("cannot"))
        },
        "the form",
    )
    .await;
    let form = h.state.overlays.form().expect("the dispatch form opened");
    assert_eq!(
        form.git_ref, "release/v2.4.0",
        "the release branch is the default ref"
    );
    h.key("tab");
    if production {
        h.key("right");
    }
    h.key("tab");
    h.type_text(version);
    h.key("enter");
    let confirm = h.state.overlays.confirm().expect("a confirm dialog");
    assert!(!confirm.yes_selected, "No is the default");
    let shown = describe(&confirm.calls());
    assert!(
        shown.starts_with("POST /repos/acme/storefront/actions/workflows/deploy.yml/dispatches"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("\"version\":\"{version}\"")),
        "{shown}"
    );
    assert!(
        shown.contains("\"dry_run\":\"false\""),
        "booleans go as strings: {shown}"
    );
    if production {
        assert_eq!(confirm.typed_requirement.as_deref(), Some("production"));
        assert!(confirm.danger);
        h.key("right");
        h.key("enter");
        assert!(
            h.state.overlays.confirm().is_some(),
            "Yes does nothing until the name is typed"
        );
        h.type_text("production");
    } else {
        h.key("right");
    }
    h.key("enter");
    assert!(h.state.overlays.confirm().is_none());
}

/// Waits for the dispatch to be answered and returns the run id GitHub named.
async fn dispatched_run_id(h: &mut Harness) -> u64 {
    h.dispatched_run_id("deploy.yml").await
}

#[tokio::test]
async fn dispatch_with_inputs_finds_the_run_by_id_and_watches_it_to_completion() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    dispatch_deploy(&mut h, "v2.4.0", false).await;
    let id = dispatched_run_id(&mut h).await;
    h.until(
        |s| runs::find_run(s, "acme/storefront", id).is_some(),
        "the new run in the runs pane",
    )
    .await;
    let selected = runs::selected(&h.state).and_then(|(_, r)| r.map(|r| r.id));
    assert_eq!(selected, Some(id), "the new run is selected");
    h.until(
        |s| {
            runs::find_run(s, "acme/storefront", id)
                .is_some_and(|r| r.status == RunStatus::Completed)
        },
        "the run to complete without a key press",
    )
    .await;
    assert_eq!(
        h.run("acme/storefront", id).unwrap().conclusion,
        Some(Conclusion::Success)
    );
    assert!(
        h.state
            .activity
            .log
            .iter()
            .any(|e| e.text.starts_with("deploy.yml #") && e.text.ends_with("finished: success"))
    );
    assert_eq!(posts(&sim, "/dispatches"), 1);
    let audit = std::fs::read_to_string(&h.audit_file).unwrap();
    assert!(
        audit.contains("\"method\":\"POST\"") && audit.contains("deploy.yml/dispatches"),
        "{audit}"
    );
    assert!(
        h.state
            .audit
            .records
            .iter()
            .any(|r| r.path.ends_with("deploy.yml/dispatches") && r.status == Some(200))
    );
}

#[tokio::test]
async fn without_run_details_the_run_is_found_as_a_best_guess() {
    let sim = common::demo_sim().await;
    sim.with_world(|w| w.legacy_dispatch = true);
    let mut h = Harness::new(&sim).await;
    dispatch_deploy(&mut h, "v2.4.1", false).await;
    h.until(|s| !s.runs.best_guess.is_empty(), "the best guess")
        .await;
    assert!(
        h.status().starts_with("best guess: deploy.yml run #"),
        "{}",
        h.status()
    );
    let id = h.state.runs.best_guess[0];
    h.until(
        |s| runs::find_run(s, "acme/storefront", id).is_some(),
        "the guessed run shown",
    )
    .await;
    assert_eq!(
        posts(&sim, "/dispatches"),
        2,
        "refused once for return_run_details, sent once without"
    );
}

#[tokio::test]
async fn githubs_422_is_shown_verbatim() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    // The workflow on GitHub gains a required input after the form was read.
    h.select_workflow("acme/storefront", "deploy.yml");
    h.cmd(Command::Dispatch);
    h.until(|s| s.overlays.form().is_some(), "the form").await;
    sim.with_world(|w| {
        let repo = w.repo_mut("acme/storefront").unwrap();
        for text in repo.files.values_mut().filter(|t| t.contains("dry_run:")) {
            *text = text.replacen("      dry_run:", "      ticket:\n        description: Change ticket\n        required: true\n        type: string\n      dry_run:", 1);
        }
    });
    h.key("tab");
    h.key("tab");
    h.type_text("v2.4.0");
    h.key("enter");
    h.key("right");
    h.key("enter");
    h.until(
        |s| s.status.as_ref().is_some_and(|x| x.text.contains("failed")),
        "the refusal",
    )
    .await;
    assert!(
        h.status()
            .contains("GitHub said (422): Required input 'ticket' not provided"),
        "{}",
        h.status()
    );
}

#[tokio::test]
async fn a_server_error_on_dispatch_is_not_retried() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    sim.inject(Fault {
        method: Some(http::Method::POST),
        path_contains: "/dispatches".into(),
        kind: FaultKind::Status(502),
        times: 1,
    });
    dispatch_deploy(&mut h, "v2.4.0", false).await;
    // The 502 came before anything ran: it is still ambiguous to the client, which looks for a
    // run, finds none, and says so.
    h.until(
        |s| {
            s.status
                .as_ref()
                .is_some_and(|x| x.text.starts_with("no run of deploy.yml found"))
        },
        "the search to give up",
    )
    .await;
    assert!(
        h.state.activity.log.iter().any(|e| e
            .text
            .starts_with("GitHub answered 502; the dispatch of deploy.yml may have started")),
        "{:?}",
        h.state.activity.log
    );
    assert_eq!(posts(&sim, "/dispatches"), 1, "never sent twice");
    assert!(h.state.audit.records.iter().any(|r| r.status == Some(502)));
}

#[tokio::test]
async fn production_needs_the_name_typed_and_an_approval() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    let id = review_production_deploy(&mut h, &["ship it"]).await;
    assert_eq!(
        h.run("acme/storefront", id).unwrap().conclusion,
        Some(Conclusion::Success)
    );
    assert_eq!(posts(&sim, "/pending_deployments"), 1);
}

#[tokio::test]
async fn a_rejected_deployment_fails_the_run() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    let id = review_production_deploy(&mut h, &["down"]).await;
    assert_eq!(
        h.run("acme/storefront", id).unwrap().conclusion,
        Some(Conclusion::Failure)
    );
}

/// Dispatches deploy.yml to production, waits for it to wait for review, opens the review
/// dialog, applies `keys` (text is typed; "down" switches approve → reject), confirms, and
/// waits for the run to end. Returns its id.
async fn review_production_deploy(h: &mut Harness, keys: &[&str]) -> u64 {
    dispatch_deploy(h, "v2.4.0", true).await;
    let id = dispatched_run_id(h).await;
    h.until(
        |s| {
            runs::find_run(s, "acme/storefront", id)
                .is_some_and(|r| r.status == RunStatus::Waiting && r.waiting_for == ["production"])
        },
        "the run waiting for production",
    )
    .await;
    h.select_run("acme/storefront", id);
    h.cmd(Command::Review);
    h.until(|s| s.overlays.confirm().is_some(), "the review dialog")
        .await;
    for k in keys {
        if *k == "down" {
            h.key("down");
        } else {
            h.type_text(k);
        }
    }
    h.key("right");
    h.key("enter");
    h.until(
        |s| {
            runs::find_run(s, "acme/storefront", id)
                .is_some_and(|r| r.status == RunStatus::Completed)
        },
        "the reviewed run to end",
    )
    .await;
    id
}

#[tokio::test]
async fn rerun_failed_jobs_and_cancel() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    h.select_run("acme/storefront", 9_000_000_023);
    h.cmd(Command::Rerun);
    assert_eq!(
        describe(&h.state.overlays.confirm().unwrap().calls()),
        "POST /repos/acme/storefront/actions/runs/9000000023/rerun-failed-jobs",
        "a failed run re-runs its failed jobs unless told otherwise"
    );
    h.key("y");
    h.until(
        |s| {
            runs::find_run(s, "acme/storefront", 9_000_000_023)
                .is_some_and(|r| r.run_attempt == 2 && r.is_green())
        },
        "the re-run to go green",
    )
    .await;

    h.select_run("acme/storefront", 9_000_000_026);
    if h.run("acme/storefront", 9_000_000_026)
        .unwrap()
        .status
        .is_active()
    {
        h.cmd(Command::CancelRun);
        assert!(h.state.overlays.confirm().unwrap().danger);
        h.key("enter");
        assert!(
            h.state.overlays.confirm().is_none() && h.status().starts_with("cancelled"),
            "Enter on No cancels the dialog"
        );
        h.cmd(Command::CancelRun);
        h.key("right");
        h.key("enter");
        h.until(
            |s| {
                runs::find_run(s, "acme/storefront", 9_000_000_026)
                    .is_some_and(|r| r.conclusion == Some(Conclusion::Cancelled))
            },
            "the run cancelled",
        )
        .await;
    }
    assert_eq!(
        posts(&sim, "/cancel"),
        usize::from(
            h.state
                .audit
                .records
                .iter()
                .any(|r| r.path.ends_with("/cancel"))
        )
    );
}

#[tokio::test]
async fn a_deploy_lock_blocks_deploys_but_not_rollbacks() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    h.cmd(Command::ToggleLock);
    h.type_text("INC-42 payments outage");
    h.key("right");
    h.key("enter");
    h.until(
        |s| s.release.as_ref().is_some_and(|r| r.lock.is_some()),
        "the lock",
    )
    .await;
    let lock = h.state.release.as_ref().unwrap().lock.clone().unwrap();
    assert_eq!(lock.reason, "INC-42 payments outage");
    assert_eq!(lock.author.as_deref(), Some("alice"));
    h.select_workflow("acme/storefront", "deploy.yml");
    h.cmd(Command::Dispatch);
    assert!(h.state.overlays.form().is_none());
    assert_eq!(
        h.status(),
        "deploys are locked by @alice: INC-42 payments outage (press L to unlock)"
    );
    let proposed = h.roll_back().await;
    assert_eq!(
        proposed.get("version").map(String::as_str),
        Some("v2.4.0-rc.1"),
        "the deploy before the current one"
    );
    h.key("esc");

    h.cmd(Command::ToggleLock);
    h.key("y");
    h.until(
        |s| s.release.as_ref().is_some_and(|r| r.lock.is_none()),
        "the unlock",
    )
    .await;
    h.select_workflow("acme/storefront", "deploy.yml");
    h.cmd(Command::Dispatch);
    h.until(|s| s.overlays.form().is_some(), "the form after unlocking")
        .await;
}

#[tokio::test]
async fn read_only_refuses_every_action() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    h.state.session.read_only = true;
    h.select_run("acme/storefront", 9_000_000_023);
    for c in [
        Command::Dispatch,
        Command::Rerun,
        Command::CancelRun,
        Command::Rollback,
        Command::Review,
        Command::ToggleLock,
        Command::MarkHealth,
    ] {
        assert_eq!(
            update(&mut h.state, Action::Command(c)),
            Vec::<Effect>::new(),
            "{c:?}"
        );
        assert!(h.state.overlays.confirm().is_none() && h.state.overlays.form().is_none());
        assert!(h.status().starts_with("read-only"), "{c:?}: {}", h.status());
    }
    assert_eq!(
        sim.requests()
            .iter()
            .filter(|r| r.method != http::Method::GET)
            .count(),
        0
    );
}

#[tokio::test]
async fn marking_the_release_faulty() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    h.cmd(Command::MarkHealth);
    h.key("down");
    h.type_text("error rate up after deploy");
    h.key("right");
    h.key("enter");
    h.until(
        |s| s.release.as_ref().is_some_and(|r| r.health == Some(false)),
        "the faulty mark",
    )
    .await;
    let comments = sim.with_world(|w| {
        w.repo("acme/storefront")
            .unwrap()
            .issue(200)
            .unwrap()
            .comments
            .iter()
            .map(|c| c.body.clone())
            .collect::<Vec<_>>()
    });
    assert!(
        comments.last().unwrap().contains("faulty")
            && comments
                .last()
                .unwrap()
                .contains("error rate up after deploy")
    );
}

/// The writes the simulator received from request number `from` on: (method, path, body).
fn writes_since(sim: &SimHandle, from: usize) -> Vec<(String, String, Option<String>, u16)> {
    sim.requests()
        .into_iter()
        .skip(from)
        .filter(|r| r.method != http::Method::GET)
        .map(|r| (r.method.to_string(), r.path, r.body, r.status))
        .collect()
}

/// Presses Yes on the open dialog and checks that the simulator received exactly the calls the
/// dialog showed at that moment, byte for byte, in order: a call's fallback only after GitHub
/// refused the call with a 400, and a failed call ends the list.
async fn yes_sends_what_was_shown(h: &mut Harness, sim: &SimHandle) -> Vec<Call> {
    let shown = h.state.overlays.confirm().expect("an open dialog").calls();
    let from = sim.requests().len();
    let audited = h.state.audit.records.len();
    let summary = h.state.overlays.confirm().unwrap().request().summary();
    let logged = h.state.activity.log.len();
    h.key("right");
    h.key("enter");
    assert!(h.state.overlays.confirm().is_none(), "Yes was accepted");
    h.until(
        |s| {
            s.activity.log[logged..].iter().any(|e| {
                (e.text.starts_with(&summary)
                    && (e.text.ends_with(": done") || e.text.contains("failed: ")))
                    || e.text.starts_with("dispatched ")
            })
        },
        "the write's result",
    )
    .await;
    let got = writes_since(sim, from);
    let mut expected = Vec::new();
    for call in &shown {
        expected.push(call.clone());
        let status = got.get(expected.len() - 1).map(|g| g.3);
        if status == Some(400)
            && let Some(fallback) = &call.fallback
        {
            expected.push((**fallback).clone());
        }
    }
    let expected: Vec<(String, String, Option<String>)> = expected
        .iter()
        .map(|c| (c.method.to_string(), c.path.clone(), c.body.clone()))
        .collect();
    let got_calls: Vec<(String, String, Option<String>)> = got
        .iter()
        .map(|(m, p, b, _)| (m.clone(), p.clone(), b.clone()))
        .collect();
    assert_eq!(
        got_calls, expected,
        "the simulator received exactly the shown calls"
    );
    // The audit records the same calls, as sent.
    let audit: Vec<(String, String, Option<String>)> = h.state.audit.records[audited..]
        .iter()
        .map(|r| (r.method.clone(), r.path.clone(), r.body.clone()))
        .collect();
    assert_eq!(audit, got_calls, "the audit records what was sent");
    shown
}

#[tokio::test]
async fn a_rerun_of_the_failed_jobs_sends_what_its_dialog_showed() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    h.select_run("acme/storefront", 9_000_000_023);
    h.cmd(Command::Rerun);
    let calls = yes_sends_what_was_shown(&mut h, &sim).await;
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert!(
        calls[0]
            .path
            .ends_with("/runs/9000000023/rerun-failed-jobs"),
        "the first choice re-runs the failed jobs: {calls:?}"
    );
}

#[tokio::test]
async fn every_write_sends_exactly_what_its_dialog_showed() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;

    // Re-run: a failed run, switched to every job.
    h.select_run("acme/storefront", 9_000_000_023);
    h.cmd(Command::Rerun);
    h.key("down");
    let calls = yes_sends_what_was_shown(&mut h, &sim).await;
    assert!(
        calls[0].path.ends_with("/runs/9000000023/rerun"),
        "{calls:?}"
    );

    // Lock with a reason, then unlock.
    h.cmd(Command::ToggleLock);
    h.type_text("INC-7 \"db\" failover");
    let calls = yes_sends_what_was_shown(&mut h, &sim).await;
    assert!(
        calls[1]
            .body
            .as_deref()
            .unwrap()
            .contains("INC-7 \\\"db\\\" failover"),
        "{calls:?}"
    );
    h.until(
        |s| s.release.as_ref().is_some_and(|r| r.lock.is_some()),
        "the lock",
    )
    .await;
    h.cmd(Command::ToggleLock);
    yes_sends_what_was_shown(&mut h, &sim).await;
    h.until(
        |s| s.release.as_ref().is_some_and(|r| r.lock.is_none()),
        "the unlock",
    )
    .await;

    // Healthy, then faulty with a comment: the second removes the healthy label it set.
    h.cmd(Command::MarkHealth);
    let calls = yes_sends_what_was_shown(&mut h, &sim).await;
    assert_eq!(calls.len(), 2, "no opposite label to remove yet: {calls:?}");
    h.until(
        |s| s.release.as_ref().is_some_and(|r| r.health == Some(true)),
        "healthy",
    )
    .await;
    h.cmd(Command::MarkHealth);
    h.key("down");
    h.type_text("p99 doubled");
    let calls = yes_sends_what_was_shown(&mut h, &sim).await;
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert!(calls[0].body.as_deref().unwrap().contains("release:faulty"));
    assert!(calls[1].path.ends_with("/labels/release%3Ahealthy"));
    h.until(
        |s| s.release.as_ref().is_some_and(|r| r.health == Some(false)),
        "faulty",
    )
    .await;

    // Dispatch with a ref typed with a trailing space: the dialog and the call have it trimmed.
    h.select_workflow("acme/storefront", "deploy.yml");
    h.cmd(Command::Dispatch);
    h.until(|s| s.overlays.form().is_some(), "the form").await;
    h.type_text(" ");
    h.key("tab");
    h.key("tab");
    h.type_text("v2.4.0 ");
    h.key("enter");
    let calls = yes_sends_what_was_shown(&mut h, &sim).await;
    let body = calls[0].body_json().unwrap();
    assert_eq!(body["ref"], "release/v2.4.0");
    assert_eq!(
        body["inputs"]["version"], "v2.4.0 ",
        "input values are sent as typed"
    );
    let id = dispatched_run_id(&mut h).await;

    // Cancel the run it started.
    h.until(
        |s| runs::find_run(s, "acme/storefront", id).is_some_and(|r| r.status.is_active()),
        "the dispatched run, going",
    )
    .await;
    h.select_run("acme/storefront", id);
    h.cmd(Command::CancelRun);
    yes_sends_what_was_shown(&mut h, &sim).await;
}

/// Dispatches a production deploy, waits for it to wait for a reviewer and opens the review
/// dialog on it; returns the run's id.
async fn open_review_of_a_production_deploy(h: &mut Harness) -> u64 {
    dispatch_deploy(h, "v2.4.0", true).await;
    let id = dispatched_run_id(h).await;
    h.until(
        |s| {
            runs::find_run(s, "acme/storefront", id).is_some_and(|r| r.status == RunStatus::Waiting)
        },
        "the run waiting for production",
    )
    .await;
    h.select_run("acme/storefront", id);
    h.cmd(Command::Review);
    h.until(|s| s.overlays.confirm().is_some(), "the review dialog")
        .await;
    id
}

#[tokio::test]
async fn a_review_sends_the_decision_and_comment_shown() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    let _ = open_review_of_a_production_deploy(&mut h).await;
    h.key("down");
    h.type_text("not during the freeze");
    let calls = yes_sends_what_was_shown(&mut h, &sim).await;
    let body = calls[0].body_json().unwrap();
    assert_eq!(body["state"], "rejected");
    assert_eq!(body["comment"], "not during the freeze");
}

#[tokio::test]
async fn a_review_approval_sends_the_decision_and_comment_shown() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    let id = open_review_of_a_production_deploy(&mut h).await;
    let confirm = h.state.overlays.confirm().unwrap();
    assert!(confirm.danger, "approving production is marked dangerous");
    // Through every decision and back to approve; a comment with quotes and a non-ASCII mark.
    h.key("down");
    h.key("down");
    h.type_text("QA signed off; \"smoke\" green ✓");
    let calls = yes_sends_what_was_shown(&mut h, &sim).await;
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(
        calls[0].path,
        format!("/repos/acme/storefront/actions/runs/{id}/pending_deployments")
    );
    let body = calls[0].body_json().unwrap();
    assert_eq!(body["state"], "approved");
    assert_eq!(body["comment"], "QA signed off; \"smoke\" green ✓");
    assert_eq!(body["environment_ids"], serde_json::json!([4_100_202]));
    h.until(
        |s| {
            runs::find_run(s, "acme/storefront", id)
                .is_some_and(|r| r.conclusion == Some(Conclusion::Success))
        },
        "the approved run to succeed",
    )
    .await;
}

/// Replaces the focused form field's text with `text`.
fn retype(h: &mut Harness, text: &str) {
    let form = h.state.overlays.form().unwrap();
    let len = form
        .focused_field()
        .map_or(form.git_ref.chars().count(), |f| f.value.chars().count());
    for _ in 0..len {
        h.key("backspace");
    }
    h.type_text(text);
}

#[tokio::test]
async fn a_rollback_sends_the_environment_version_and_reason_shown() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    // The newest deploy.yml run is rc.2 on staging: the proposal is staging, v2.4.0-rc.1.
    h.select_workflow("acme/storefront", "deploy.yml");
    let proposed = h.roll_back().await;
    assert_eq!(proposed["environment"], "staging");
    assert_eq!(proposed["version"], "v2.4.0-rc.1");
    assert!(proposed["reason"].starts_with("roll back v2.4.0-rc.2"));
    // Every field changed: environment → production, another version, another reason.
    h.key("tab");
    h.key("right");
    h.key("tab");
    retype(&mut h, "v2.3.0");
    h.key("tab");
    retype(&mut h, "INC-9: \"checkout\" 5xx");
    h.key("enter");
    let confirm = h.state.overlays.confirm().expect("the confirm dialog");
    assert_eq!(confirm.typed_requirement.as_deref(), Some("production"));
    assert!(confirm.danger);
    assert_eq!(confirm.title, "Dispatch to PRODUCTION");
    // Yes is refused until the environment's name is typed; nothing is sent.
    let before = sim.requests().len();
    h.key("right");
    h.key("enter");
    assert!(
        h.state.overlays.confirm().is_some(),
        "refused without typing"
    );
    assert!(writes_since(&sim, before).is_empty(), "nothing was sent");
    h.key("left");
    h.type_text("production");
    let calls = yes_sends_what_was_shown(&mut h, &sim).await;
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(
        calls[0].path,
        "/repos/acme/storefront/actions/workflows/rollback.yml/dispatches"
    );
    let body = calls[0].body_json().unwrap();
    assert_eq!(body["ref"], "release/v2.4.0");
    assert_eq!(
        body["inputs"],
        serde_json::json!({
            "environment": "production",
            "version": "v2.3.0",
            "reason": "INC-9: \"checkout\" 5xx",
        })
    );
    // The run it started is the one GitHub names, titled from those inputs.
    let id = h.dispatched_run_id("rollback.yml").await;
    h.until(
        |s| runs::find_run(s, "acme/storefront", id).is_some(),
        "the rollback run shown",
    )
    .await;
    assert_eq!(
        h.run("acme/storefront", id).unwrap().display_title,
        "Rollback production to v2.3.0"
    );
}

#[tokio::test]
async fn a_dispatch_answered_502_after_it_ran_is_ambiguous_and_its_run_is_found() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    sim.inject(Fault {
        method: Some(http::Method::POST),
        path_contains: "/dispatches".into(),
        kind: FaultKind::StatusAfterApply(502),
        times: 1,
    });
    dispatch_deploy(&mut h, "v2.4.0", false).await;
    h.until(
        |s| {
            s.activity
                .log
                .iter()
                .any(|e| e.text.contains("may have started"))
        },
        "the ambiguous answer",
    )
    .await;
    let said = h
        .state
        .activity
        .log
        .iter()
        .find(|e| e.text.contains("may have started"))
        .unwrap()
        .text
        .clone();
    assert!(
        said.starts_with(
            "GitHub answered 502; the dispatch of deploy.yml may have started (ambiguous)"
        ),
        "{said}"
    );
    assert!(
        !h.state
            .activity
            .log
            .iter()
            .any(|e| e.text.contains("failed")),
        "never called a failure: {:?}",
        h.state.activity.log
    );
    h.until(|s| !s.runs.best_guess.is_empty(), "the run it started")
        .await;
    assert!(
        h.status().starts_with("best guess: deploy.yml run #"),
        "{}",
        h.status()
    );
    assert_eq!(posts(&sim, "/dispatches"), 1, "never sent twice");
}

/// Fills the storefront deploy form with `version` for staging and presses Enter: the confirm
/// dialog opens.
async fn open_deploy_confirm(h: &mut Harness, version: &str) {
    h.select_workflow("acme/storefront", "deploy.yml");
    h.cmd(Command::Dispatch);
    h.until(|s| s.overlays.form().is_some(), "the form").await;
    h.key("tab");
    h.key("tab");
    h.type_text(version);
    h.key("enter");
}

#[tokio::test]
async fn a_no_go_dispatch_needs_override_and_a_reason_posted_before_it() {
    let sim = common::demo_sim().await;
    let mut h = Harness::gated(&sim).await;
    assert_eq!(
        h.state.verdict.as_ref().unwrap().verdict,
        shipdeck::release::gates::Verdict::NoGo
    );
    open_deploy_confirm(&mut h, "v2.4.0").await;
    let confirm = h.state.overlays.confirm().expect("a confirm dialog");
    assert_eq!(confirm.typed_requirement.as_deref(), Some("override"));
    assert!(confirm.danger);
    assert!(
        confirm
            .context
            .contains("✗ no open blockers — #255 is open"),
        "the dialog lists the failing gates: {}",
        confirm.context
    );

    // Yes without typing anything, then with "override" but no reason: nothing is sent.
    let before = sim.requests().len();
    h.key("right");
    h.key("enter");
    assert!(
        h.state.overlays.confirm().is_some(),
        "refused without typing"
    );
    h.type_text("override");
    h.key("enter");
    assert!(
        h.state.overlays.confirm().is_some(),
        "refused without a reason"
    );
    assert!(writes_since(&sim, before).is_empty(), "nothing was sent");

    h.type_text("INC-42 hotfix, QA on call");
    h.key("left"); // back to No: the helper below moves to Yes itself
    let calls = yes_sends_what_was_shown(&mut h, &sim).await;
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[0].path, "/repos/acme/storefront/issues/200/comments");
    let comment = calls[0].body_json().unwrap()["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        comment.contains("Reason: INC-42 hotfix, QA on call"),
        "{comment}"
    );
    assert!(
        comment.contains("- no open blockers: #255 is open"),
        "{comment}"
    );
    assert!(
        calls[1].path.ends_with("/deploy.yml/dispatches"),
        "{calls:?}"
    );
    // The override is on GitHub, by the token's user, and in the audit file.
    let on_github = sim.with_world(|w| {
        w.repo("acme/storefront")
            .unwrap()
            .issues
            .iter()
            .find(|i| i.number == 200)
            .unwrap()
            .comments
            .iter()
            .any(|c| c.author == "alice" && c.body == comment)
    });
    assert!(on_github, "the override comment is on the tracking issue");
    let audit = std::fs::read_to_string(&h.audit_file).unwrap();
    assert!(audit.contains("INC-42 hotfix"), "{audit}");
    assert!(audit.contains("deploy.yml/dispatches"), "{audit}");
}

#[tokio::test]
async fn a_rollback_is_never_blocked_but_shows_the_verdict() {
    let sim = common::demo_sim().await;
    let mut h = Harness::gated(&sim).await;
    h.select_workflow("acme/storefront", "deploy.yml");
    h.roll_back().await;
    h.key("enter");
    let confirm = h.state.overlays.confirm().expect("a confirm dialog");
    assert_ne!(confirm.typed_requirement.as_deref(), Some("override"));
    assert!(
        confirm.context.contains("Go/no-go: NO-GO")
            && confirm.context.contains("a rollback is never blocked"),
        "{}",
        confirm.context
    );
    assert_eq!(confirm.calls().len(), 1, "no override comment");
}

#[tokio::test]
async fn signing_off_posts_the_command_as_the_tokens_user_and_turns_the_gate() {
    let sim = common::demo_sim().await;
    let mut h = Harness::gated(&sim).await;
    h.state.rules.gates.roles = shipdeck::release::signoff::Roles(
        [
            ("qa".to_string(), vec!["carol".to_string()]),
            ("product".to_string(), vec!["alice".to_string()]),
        ]
        .into(),
    );
    h.send(Action::Tick { now: Utc::now() });
    let gate = |s: &AppState| {
        s.verdict.as_ref().and_then(|r| {
            r.gates
                .iter()
                .find(|g| g.name.starts_with("sign-offs"))
                .cloned()
        })
    };
    let before = gate(&h.state).unwrap();
    assert!(!before.passed);
    assert_eq!(before.reason, "qa by carol; missing: product (alice)");

    h.cmd(Command::FocusGates);
    h.cmd(Command::Signoff);
    h.until(|s| s.overlays.confirm().is_some(), "the sign-off dialog")
        .await;
    let calls = yes_sends_what_was_shown(&mut h, &sim).await;
    assert_eq!(
        calls[0].body_json().unwrap()["body"],
        "/signoff product\n\nSign-off for v2.4.0 given (via shipdeck).\n"
    );
    h.cmd(Command::Refresh);
    h.until(
        |s| gate(s).is_some_and(|g| g.passed),
        "the sign-off gate passes",
    )
    .await;
    assert_eq!(
        gate(&h.state).unwrap().reason,
        "product by alice; qa by carol"
    );

    // S again offers to withdraw it.
    h.cmd(Command::Signoff);
    let confirm = h.state.overlays.confirm().expect("the dialog");
    assert_eq!(
        confirm.choice.as_ref().unwrap().options,
        ["withdraw my product sign-off"]
    );
}

#[tokio::test]
async fn the_verdict_is_posted_as_a_commit_status_once_per_change_not_per_refresh() {
    let sim = common::demo_sim().await;
    let posted = |sim: &SimHandle| -> Vec<(String, String)> {
        sim.requests()
            .into_iter()
            .filter(|r| r.method == http::Method::POST && r.path.contains("/statuses/"))
            .map(|r| (r.path, r.body.unwrap_or_default()))
            .collect()
    };
    let mut h = Harness::posting(&sim, true).await;
    h.until(|_| posted(&sim).len() == 2, "a status on each release head")
        .await;
    for (path, body) in posted(&sim) {
        assert!(body.contains("\"state\":\"failure\""), "{path}: {body}");
        assert!(body.contains("\"context\":\"shipdeck/go-no-go\""), "{body}");
    }
    // Refreshes with the verdict unchanged post nothing more.
    for _ in 0..3 {
        let done = h.state.sync.next_req;
        h.cmd(Command::Refresh);
        h.until(
            |s| s.sync.in_flight.is_none() && s.sync.next_req > done,
            "a refresh",
        )
        .await;
    }
    assert_eq!(posted(&sim).len(), 2, "{:?}", posted(&sim));

    // The verdict turns GO: one success status per repository.
    h.state
        .rules
        .gates
        .phases
        .0
        .insert(shipdeck::release::Phase::Deploy, Vec::new());
    h.cmd(Command::Refresh);
    h.until(|_| posted(&sim).len() == 4, "the GO statuses")
        .await;
    for (_, body) in &posted(&sim)[2..] {
        assert!(body.contains("\"state\":\"success\""), "{body}");
    }
    let audit = std::fs::read_to_string(&h.audit_file).unwrap();
    assert_eq!(audit.matches("/statuses/").count(), 4, "{audit}");

    // A second dashboard started now finds GitHub up to date and posts nothing.
    let mut second = Harness::posting_with(&sim, true, |s| {
        s.rules
            .gates
            .phases
            .0
            .insert(shipdeck::release::Phase::Deploy, Vec::new());
    })
    .await;
    let done = second.state.sync.next_req;
    second.cmd(Command::Refresh);
    second
        .until(
            |s| s.sync.in_flight.is_none() && s.sync.next_req > done,
            "a refresh",
        )
        .await;
    assert_eq!(posted(&sim).len(), 4, "{:?}", posted(&sim));
}

/// `shipdeck gate`'s own evaluation (fetch, derive, evaluate at GitHub's time) against `sim`.
async fn cli_verdict(sim: &SimHandle, config: &shipdeck::config::Config) -> Verdict {
    let api: std::sync::Arc<dyn shipdeck::github::GitHubApi> = common::client(sim);
    let setup = shipdeck::commands::Setup {
        config: config.clone(),
        config_path: None,
        plan: shipdeck::commands::setup::plan_for(config),
        api,
        read_only: true,
        source: "test".into(),
        api_url: sim.base_url(),
        warnings: Vec::new(),
    };
    shipdeck::commands::gate::evaluate(&setup, shipdeck::release::Phase::Deploy)
        .await
        .unwrap()
        .1
        .verdict
}

#[tokio::test]
async fn the_dashboard_and_shipdeck_gate_agree_at_every_step_to_go() {
    let sim = common::demo_sim().await;
    let mut config = common::demo_config();
    (config.gates, config.signoffs) = shipdeck::config::demo_gates(Utc::now());
    let policy = config.rules("v2.4.0").gates;
    let mut h = Harness::posting_with(&sim, false, |s| s.rules.gates = policy).await;
    let api = common::client(&sim);
    let failing = |s: &AppState| -> Vec<String> {
        s.verdict
            .as_ref()
            .unwrap()
            .failing()
            .map(|g| g.name.clone())
            .collect()
    };
    let refresh = |h: &mut Harness| {
        let done = h.state.sync.next_req;
        h.cmd(Command::Refresh);
        done
    };
    async fn refreshed(h: &mut Harness, done: u64) {
        h.until(
            |s| s.sync.in_flight.is_none() && s.sync.next_req > done,
            "a refresh",
        )
        .await;
    }
    assert_eq!(cli_verdict(&sim, &config).await, Verdict::NoGo);
    assert_eq!(
        failing(&h.state),
        [
            "Build checklist complete",
            "Test checklist complete",
            "Prepare checklist complete",
            "no open blockers",
            "required workflows green on release/v2.4.0",
            "sign-offs: product, qa",
        ]
    );

    // The remaining items ticked and the blocker closed (on GitHub, by others).
    let tracking = api.issue("acme/storefront", 200).await.unwrap();
    let body = tracking.body.unwrap().replace("- [ ]", "- [x]");
    api.send(&Call::edit_issue_body("acme/storefront", 200, &body))
        .await
        .result
        .unwrap();
    api.send(&Call::set_issue_state("acme/storefront", 255, true))
        .await
        .result
        .unwrap();
    let done = refresh(&mut h);
    refreshed(&mut h, done).await;
    assert_eq!(
        failing(&h.state),
        [
            "required workflows green on release/v2.4.0",
            "sign-offs: product, qa"
        ]
    );
    assert_eq!(cli_verdict(&sim, &config).await, Verdict::NoGo);

    // E2E re-run from the runs pane, green; CI finishes.
    let e2e = api
        .workflow_runs("acme/storefront", "e2e.yml", Some("release/v2.4.0"), 1)
        .await
        .unwrap()[0]
        .id;
    h.select_run("acme/storefront", e2e);
    h.cmd(Command::Rerun);
    yes_sends_what_was_shown(&mut h, &sim).await;
    // CI on the release branch takes 70 s: the simulator's clock moves on.
    sim.set_now(sim.now() + chrono::Duration::minutes(2));
    h.until(
        |s| failing(s) == ["sign-offs: product, qa"],
        "the workflows green",
    )
    .await;
    assert_eq!(cli_verdict(&sim, &config).await, Verdict::NoGo);

    // Signing off as alice (listed for product): GO, and the CLI agrees.
    h.cmd(Command::FocusGates);
    h.cmd(Command::Signoff);
    h.until(|s| s.overlays.confirm().is_some(), "the sign-off dialog")
        .await;
    yes_sends_what_was_shown(&mut h, &sim).await;
    let done = refresh(&mut h);
    refreshed(&mut h, done).await;
    assert_eq!(h.state.verdict.as_ref().unwrap().verdict, Verdict::Go);
    assert_eq!(cli_verdict(&sim, &config).await, Verdict::Go);
}
