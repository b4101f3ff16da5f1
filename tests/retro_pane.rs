//! The retrospective overlay end to end against the simulator with the real workers: `V` opens
//! the draft (warning before Review), space picks a line, `F` shows the confirm dialog with
//! the exact call, Yes files it in the next milestone; `F` again files nothing twice;
//! `--read-only` refuses and reads nothing.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use common::harness::Harness;
use shipdeck::app::overlay::Overlay;
use shipdeck::release::call::Method;
use shipdeck::sim::SimHandle;

/// `(title, milestone)` of payments' issues labelled `follow-up`.
fn follow_ups(sim: &SimHandle) -> Vec<(String, Option<u64>)> {
    sim.with_world(|w| {
        w.repo("acme/payments")
            .unwrap()
            .issues
            .iter()
            .filter(|i| i.labels.iter().any(|l| l == "follow-up"))
            .map(|i| (i.title.clone(), i.milestone))
            .collect()
    })
}

/// Opens the draft with `V` and moves the cursor to the first line starting with `prefix`;
/// returns its text.
fn open_at(h: &mut Harness, prefix: &str) -> String {
    h.key("V");
    let view = h.state.overlays.retro().expect("the draft is open");
    let at = view
        .lines
        .iter()
        .position(|l| l.text.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line {prefix:?}"));
    let text = view.lines[at].text.clone();
    for _ in 0..at {
        h.key("j");
    }
    text
}

#[tokio::test]
async fn v_space_f_files_the_picked_line_once_in_the_next_milestone() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    let text = open_at(&mut h, "Not delivered: acme/payments#");
    assert!(h.status().contains("not Review"), "{}", h.status());
    assert!(matches!(h.state.overlays.top(), Some(Overlay::Retro(_))));
    h.key("space");
    assert_eq!(h.state.overlays.retro().unwrap().picked.len(), 1);
    h.key("F");
    h.until(|s| s.overlays.confirm().is_some(), "the follow-up dialog")
        .await;
    let calls = h.state.overlays.confirm().unwrap().calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        (calls[0].method, calls[0].path.as_str()),
        (Method::Post, "/repos/acme/payments/issues")
    );
    let body = calls[0].body_json().unwrap();
    assert_eq!(body["title"], text.as_str());
    assert_eq!(body["milestone"], 5);
    assert!(follow_ups(&sim).is_empty(), "nothing sent before Yes");
    h.yes_and_refresh().await;
    assert_eq!(follow_ups(&sim), [(text.clone(), Some(5))]);

    // Again: already filed, so no dialog and nothing sent.
    h.key("esc");
    while h.state.overlays.top().is_some() {
        h.key("esc");
    }
    open_at(&mut h, "Not delivered: acme/payments#");
    h.key("space");
    h.key("F");
    h.until(
        |s| {
            s.status
                .as_ref()
                .is_some_and(|e| e.text.starts_with("nothing to file"))
        },
        "nothing to file",
    )
    .await;
    assert!(h.state.overlays.confirm().is_none());
    assert!(
        h.status().contains("already filed in acme/payments"),
        "{}",
        h.status()
    );
    assert_eq!(follow_ups(&sim).len(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn read_only_refuses_to_file_and_reads_nothing() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    h.state.session.read_only = true;
    open_at(&mut h, "Not delivered: acme/payments#");
    h.key("space");
    let asked = sim.requests().len();
    h.key("F");
    assert!(h.state.overlays.confirm().is_none());
    assert!(h.status().contains("read-only"), "{}", h.status());
    assert_eq!(sim.requests().len(), asked, "nothing read or sent");
    assert!(follow_ups(&sim).is_empty());
    sim.shutdown().await;
}
