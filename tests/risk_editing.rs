//! Editing the risk register from the Risks pane, end to end against the simulator with the
//! real workers: `n` files a risk, `+`/`-` and `>`/`<` move its likelihood and impact by
//! label edits, `x` retires it; each exactly as the confirm dialog showed it.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use common::harness::Harness;
use shipdeck::app::write::WriteRequest;
use shipdeck::release::call::Method;
use shipdeck::release::risk::{Axis, LevelEdit};
use shipdeck::sim::SimHandle;

const STOREFRONT: &str = "acme/storefront";

// ---- the calls each request makes (pure) -----------------------------------------------------

fn sent(r: &WriteRequest) -> Vec<String> {
    r.calls().iter().map(ToString::to_string).collect()
}

#[test]
fn a_new_risk_is_one_issue_with_its_labels_owner_milestone_and_mitigation() {
    let r = WriteRequest::NewRisk {
        repo: "acme/payments".into(),
        title: "Risk: PSP limits".into(),
        body: shipdeck::release::risk::new_risk_body("Raise the limit first"),
        labels: vec!["risk".into(), "likelihood:2".into(), "impact:5".into()],
        assignees: vec!["erin".into()],
        milestone: Some(4),
    };
    assert_eq!(
        sent(&r),
        ["POST /repos/acme/payments/issues\n\
          {\"assignees\":[\"erin\"],\"body\":\"## Mitigation\\n\\nRaise the limit first\\n\",\
          \"labels\":[\"risk\",\"likelihood:2\",\"impact:5\"],\"milestone\":4,\"title\":\"Risk: PSP limits\"}"]
    );
}

#[test]
fn a_level_change_removes_the_old_label_percent_encoded_then_adds_the_new_one() {
    let r = WriteRequest::RiskLevel {
        repo: "acme/app".into(),
        number: 12,
        axis: Axis::Impact,
        edit: LevelEdit {
            remove: Some("impact: high".into()),
            add: "impact: 4".into(),
            from: Some(5),
            to: 4,
        },
    };
    assert_eq!(
        sent(&r),
        [
            "DELETE /repos/acme/app/issues/12/labels/impact%3A%20high  (404: already removed)",
            "POST /repos/acme/app/issues/12/labels\n{\"labels\":[\"impact: 4\"]}"
        ]
    );
    assert!(r.calls()[0].absent_ok);
    assert_eq!(r.summary(), "set the impact of acme/app#12 to 4");
    // A level without a label only gains one.
    let r = WriteRequest::RiskLevel {
        repo: "acme/app".into(),
        number: 12,
        axis: Axis::Likelihood,
        edit: LevelEdit {
            remove: None,
            add: "likelihood:1".into(),
            from: None,
            to: 1,
        },
    };
    assert_eq!(
        sent(&r),
        ["POST /repos/acme/app/issues/12/labels\n{\"labels\":[\"likelihood:1\"]}"]
    );
}

#[test]
fn retiring_comments_then_closes_as_completed() {
    let r = WriteRequest::RetireRisk {
        repo: "acme/app".into(),
        number: 250,
        reason: "certificate renewed".into(),
    };
    assert_eq!(
        sent(&r),
        [
            "POST /repos/acme/app/issues/250/comments\n\
             {\"body\":\"Risk retired (via shipdeck).\\n\\nReason: certificate renewed\\n\"}",
            "PATCH /repos/acme/app/issues/250\n{\"state\":\"closed\",\"state_reason\":\"completed\"}"
        ]
    );
}

// ---- end to end against the simulator --------------------------------------------------------

/// (state, state_reason, labels, assignees, milestone, body, comment bodies) of an issue on the
/// simulator.
type SimIssue = (
    String,
    Option<String>,
    Vec<String>,
    Vec<String>,
    Option<u64>,
    Option<String>,
    Vec<String>,
);

fn sim_issue(sim: &SimHandle, repo: &str, number: u64) -> SimIssue {
    sim.with_world(|w| {
        let i = w.repo(repo).unwrap().issue(number).unwrap();
        (
            i.state.clone(),
            i.state_reason.clone(),
            i.labels.clone(),
            i.assignees.clone(),
            i.milestone,
            i.body.clone(),
            i.comments.iter().map(|c| c.body.clone()).collect(),
        )
    })
}

/// Focuses the Risks pane and selects `repo#number`.
fn select_risk(h: &mut Harness, repo: &str, number: u64) {
    h.key("3");
    let release = h.state.release.as_ref().unwrap();
    let pos = shipdeck::app::lists::risk_rows(&h.state)
        .iter()
        .position(|&i| release.risks[i].repo == repo && release.risks[i].number == number)
        .unwrap();
    h.state.risks.selected = pos;
}

/// (method, path, body) of each call the open dialog shows.
fn dialog_calls(h: &Harness) -> Vec<(Method, String, Option<String>)> {
    h.state
        .overlays
        .confirm()
        .unwrap()
        .calls()
        .into_iter()
        .map(|c| (c.method, c.path, c.body))
        .collect()
}

#[tokio::test]
async fn n_files_a_risk_with_exactly_the_confirmed_labels_owner_milestone_and_mitigation() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    let next = sim.with_world(|w| {
        w.repo(STOREFRONT)
            .unwrap()
            .issues
            .iter()
            .map(|i| i.number)
            .max()
            .unwrap()
            + 1
    });
    h.key("3");
    h.key("n");
    h.type_text("Risk: search index rebuild overloads the cluster");
    h.key("tab");
    for _ in 0..4 {
        h.key("right"); // likelihood: unpicked → 1 → … → 4
    }
    h.key("tab");
    for _ in 0..3 {
        h.key("right"); // impact 3
    }
    h.key("tab");
    h.type_text("bob");
    h.key("tab");
    h.type_text("Rebuild behind the flag, one shard at a time");
    h.key("tab");
    h.key("right"); // repository: the first, acme/storefront
    h.key("enter");
    assert!(
        h.state.overlays.confirm().is_some(),
        "Enter on the form asks to confirm; status: {}",
        h.status()
    );
    let body = "## Mitigation\n\nRebuild behind the flag, one shard at a time\n";
    let sent = serde_json::json!({
        "assignees": ["bob"],
        "body": body,
        "labels": ["risk", "likelihood:4", "impact:3"],
        "milestone": 7,
        "title": "Risk: search index rebuild overloads the cluster",
    })
    .to_string();
    assert_eq!(
        dialog_calls(&h),
        vec![(
            Method::Post,
            "/repos/acme/storefront/issues".to_string(),
            Some(sent)
        )]
    );
    h.yes_and_refresh().await;

    let (state, _, labels, assignees, milestone, sim_body, _) = sim_issue(&sim, STOREFRONT, next);
    assert_eq!(state, "open");
    assert_eq!(labels, ["risk", "likelihood:4", "impact:3"]);
    assert_eq!(assignees, ["bob"]);
    assert_eq!(milestone, Some(7));
    assert_eq!(sim_body.as_deref(), Some(body));
    h.until(
        |s| {
            s.release
                .as_ref()
                .is_some_and(|r| r.risks.iter().any(|x| x.number == next))
        },
        "the new risk in the register",
    )
    .await;
    let release = h.state.release.as_ref().unwrap();
    let risk = release.risks.iter().find(|r| r.number == next).unwrap();
    assert_eq!(risk.score(), 12);
    assert_eq!(risk.owner.as_deref(), Some("bob"));
    assert_eq!(
        risk.mitigation.as_deref(),
        Some("Rebuild behind the flag, one shard at a time")
    );
}

#[tokio::test]
async fn plus_raises_the_likelihood_by_exactly_the_confirmed_label_edits() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    select_risk(&mut h, STOREFRONT, 251); // likelihood:3, impact:4
    h.key("+");
    assert_eq!(
        dialog_calls(&h),
        vec![
            (
                Method::Delete,
                "/repos/acme/storefront/issues/251/labels/likelihood%3A3".to_string(),
                None
            ),
            (
                Method::Post,
                "/repos/acme/storefront/issues/251/labels".to_string(),
                Some(r#"{"labels":["likelihood:4"]}"#.to_string())
            ),
        ]
    );
    h.yes_and_refresh().await;
    let (_, _, labels, ..) = sim_issue(&sim, STOREFRONT, 251);
    assert_eq!(labels, ["risk", "impact:4", "likelihood:4"]);

    // `<` lowers the impact the same way.
    select_risk(&mut h, STOREFRONT, 251);
    h.key("<");
    let calls = dialog_calls(&h);
    assert_eq!(
        calls[0].1,
        "/repos/acme/storefront/issues/251/labels/impact%3A4"
    );
    assert_eq!(calls[1].2.as_deref(), Some(r#"{"labels":["impact:3"]}"#));
    h.yes_and_refresh().await;
    let (_, _, labels, ..) = sim_issue(&sim, STOREFRONT, 251);
    assert_eq!(labels, ["risk", "likelihood:4", "impact:3"]);
}

#[tokio::test]
async fn contradictory_labels_are_flagged_and_plus_refuses_to_guess() {
    let sim = common::demo_sim().await;
    sim.with_world(|w| {
        let repo = w.repo_mut(STOREFRONT).unwrap();
        repo.issue_mut(252)
            .unwrap()
            .labels
            .push("likelihood:5".into());
    });
    let mut h = Harness::new(&sim).await;
    select_risk(&mut h, STOREFRONT, 252);
    let sent = sim.requests().len();
    h.key("+");
    assert!(h.state.overlays.confirm().is_none(), "no dialog opens");
    assert!(
        h.status().contains("two likelihood labels"),
        "{}",
        h.status()
    );
    assert_eq!(sim.requests().len(), sent, "nothing was sent");
}

#[tokio::test]
async fn x_retires_the_risk_with_a_comment_then_closes_it() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    select_risk(&mut h, STOREFRONT, 250);
    h.key("x");
    let calls = dialog_calls(&h);
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(
        (calls[0].0, calls[0].1.as_str()),
        (Method::Post, "/repos/acme/storefront/issues/250/comments")
    );
    assert_eq!(
        calls[1],
        (
            Method::Patch,
            "/repos/acme/storefront/issues/250".to_string(),
            Some(r#"{"state":"closed","state_reason":"completed"}"#.to_string())
        )
    );
    h.yes_and_refresh().await;
    let (state, reason, _, _, _, _, comments) = sim_issue(&sim, STOREFRONT, 250);
    assert_eq!(state, "closed");
    assert_eq!(reason.as_deref(), Some("completed"));
    assert!(
        comments.last().unwrap().contains("Risk retired"),
        "{comments:?}"
    );
}

#[tokio::test]
async fn read_only_disables_risk_edits() {
    let sim = common::demo_sim().await;
    let mut h = Harness::posting_with(&sim, false, |s| s.session.read_only = true).await;
    select_risk(&mut h, STOREFRONT, 251);
    for key in ["n", "+", "-", ">", "<", "x"] {
        h.key(key);
        assert!(h.state.overlays.is_empty(), "{key} opened nothing");
        assert!(h.status().starts_with("read-only"), "{key}: {}", h.status());
    }
}
