//! Checklist ticks against the simulator: exact one-byte edits, concurrent edits kept, crash
//! recovery from the outbox, retries, and failures kept for review.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use shipdeck::app::review::ReviewItem;
use shipdeck::app::{Action, Effect};
use shipdeck::release::task_list::{self, HeadingNames, ItemKey};
use shipdeck::sim::{Fault, FaultKind, SimHandle};
use shipdeck::tui::Workers;
use shipdeck::tui::outbox::Outbox;
use shipdeck::tui::ticks::TickWorker;
use tokio::sync::mpsc;

const REPO: &str = "acme/storefront";
const TRACKING: u64 = 200;

fn body(sim: &SimHandle) -> String {
    sim.issue_body(REPO, TRACKING).unwrap()
}

fn key_of(body: &str, index: usize) -> (ItemKey, bool, usize) {
    let items = task_list::parse(body, &HeadingNames::default());
    let item = &items[index];
    let same = items.iter().filter(|i| i.text == item.text).count();
    (item.key(), item.checked, same)
}

/// `checklist.checked` of the status document, fetched like `shipdeck status --json` does.
async fn status_checked(sim: &SimHandle) -> usize {
    let api = common::client(sim);
    let snapshot =
        shipdeck::github::sync::fetch_snapshot(api.as_ref(), &common::demo_plan(), Utc::now())
            .await
            .unwrap();
    let rules = common::demo_config().rules("v2.4.0");
    let release = shipdeck::release::Release::derive(&snapshot, &rules);
    let gate = shipdeck::release::gates::evaluate(
        &release,
        shipdeck::release::Phase::Deploy,
        &rules.gates,
        Utc::now(),
    );
    let report = shipdeck::release::status::StatusReport::new(&release, gate, snapshot.fetched_at);
    serde_json::to_value(&report).unwrap()["checklist"]["checked"]
        .as_u64()
        .unwrap() as usize
}

/// An empty outbox for `sim` in a temporary directory (kept alive by the returned guard).
fn temp_outbox(sim: &SimHandle) -> (tempfile::TempDir, Arc<Outbox>) {
    let dir = tempfile::tempdir().unwrap();
    let outbox = Outbox::open(&dir.path().join("o.json"), &sim.base_url()).unwrap();
    (dir, Arc::new(outbox))
}

fn differing_bytes(a: &str, b: &str) -> usize {
    assert_eq!(a.len(), b.len(), "a tick never changes the length");
    a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count()
}

fn patches(sim: &SimHandle) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == http::Method::PATCH)
        .count()
}

/// Starts a worker over `outbox`; returns the receiver of its results.
fn start_worker(sim: &SimHandle, outbox: Arc<Outbox>) -> (TickWorker, mpsc::Receiver<Action>) {
    let (tx, rx) = mpsc::channel(16);
    let worker = TickWorker::new(common::client(sim), outbox, tx, Duration::from_millis(20));
    tokio::spawn(worker.clone().run());
    (worker, rx)
}

/// The worker's next tick result (its audit records are skipped).
async fn next(rx: &mut mpsc::Receiver<Action>) -> Action {
    loop {
        let action = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("the worker answers")
            .expect("the worker is running");
        if !matches!(action, Action::Audited(_)) {
            return action;
        }
    }
}

fn push(outbox: &Outbox, key: ItemKey, checked: bool, same: usize) {
    outbox
        .push(REPO, TRACKING, key, checked, same, Utc::now())
        .unwrap();
}

#[tokio::test]
async fn tick_and_untick_change_exactly_one_byte_each() {
    let sim = common::demo_sim().await;
    let (_dir, outbox) = temp_outbox(&sim);
    let (worker, mut rx) = start_worker(&sim, outbox.clone());
    let before = body(&sim);
    let (key, checked, same) = key_of(&before, 10);
    push(&outbox, key.clone(), !checked, same);
    worker.wake();
    let Action::TickApplied {
        body: confirmed, ..
    } = next(&mut rx).await
    else {
        panic!("expected the tick to apply");
    };
    let after = body(&sim);
    assert_eq!(confirmed, after);
    assert_eq!(differing_bytes(&before, &after), 1);
    let (_, now_checked, _) = key_of(&after, 10);
    assert_eq!(now_checked, !checked);
    // `status --json` reads GitHub, so its counts follow the tick.
    let checked_now = status_checked(&sim).await;
    let before_count = task_list::parse(&before, &HeadingNames::default())
        .iter()
        .filter(|i| i.checked)
        .count();
    assert_eq!(
        checked_now,
        if checked {
            before_count - 1
        } else {
            before_count + 1
        }
    );

    push(&outbox, key, checked, same);
    worker.wake();
    assert!(matches!(next(&mut rx).await, Action::TickApplied { .. }));
    assert_eq!(body(&sim), before, "untick restores the original bytes");
    assert!(outbox.next_pending().unwrap().is_none());
}

#[tokio::test]
async fn someone_elses_edit_made_meanwhile_survives() {
    let sim = common::demo_sim().await;
    let (_dir, outbox) = temp_outbox(&sim);
    let seen = body(&sim);
    let (key, checked, same) = key_of(&seen, 3);
    // The worker's first read is slow; another client rewrites other lines meanwhile.
    sim.inject(Fault {
        method: Some(http::Method::GET),
        path_contains: format!("/issues/{TRACKING}"),
        kind: FaultKind::Delay(Duration::from_millis(400)),
        times: 1,
    });
    push(&outbox, key.clone(), !checked, same);
    let (worker, mut rx) = start_worker(&sim, outbox);
    worker.wake();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let theirs = seen.replace(
        "## Notes",
        "## Notes\n\nAdded by someone else while we ticked.",
    );
    sim.set_issue_body(REPO, TRACKING, &theirs);
    assert!(matches!(next(&mut rx).await, Action::TickApplied { .. }));
    let final_body = body(&sim);
    assert!(
        final_body.contains("Added by someone else while we ticked."),
        "their edit survives"
    );
    assert_eq!(
        differing_bytes(&theirs, &final_body),
        1,
        "ours is one byte on top of theirs"
    );
    let item = task_list::parse(&final_body, &HeadingNames::default())
        .into_iter()
        .find(|i| i.key() == key)
        .unwrap();
    assert_eq!(item.checked, !checked);
}

#[tokio::test]
async fn ticks_saved_before_a_crash_are_applied_once_after_restart() {
    let sim = common::demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.json");
    let before = body(&sim);
    let mut wanted = Vec::new();
    {
        // The process that is killed: three ticks saved, none sent.
        let outbox = Outbox::open(&path, &sim.base_url()).unwrap();
        for index in [1, 12, 20] {
            let (key, checked, same) = key_of(&before, index);
            outbox
                .push(REPO, TRACKING, key.clone(), !checked, same, Utc::now())
                .unwrap();
            wanted.push((key, !checked));
        }
    }
    let outbox = Arc::new(Outbox::open(&path, &sim.base_url()).unwrap());
    assert_eq!(outbox.pending().unwrap().len(), 3);
    let (worker, mut rx) = start_worker(&sim, outbox.clone());
    worker.wake();
    for _ in 0..3 {
        assert!(matches!(next(&mut rx).await, Action::TickApplied { .. }));
    }
    let after = body(&sim);
    assert_eq!(differing_bytes(&before, &after), 3);
    assert_eq!(patches(&sim), 3, "each tick was sent once");
    let items = task_list::parse(&after, &HeadingNames::default());
    for (key, checked) in &wanted {
        assert_eq!(
            items.iter().find(|i| &i.key() == key).unwrap().checked,
            *checked
        );
    }
    assert!(
        outbox.pending().unwrap().is_empty(),
        "the outbox is empty on disk"
    );

    // A crash after the PATCH but before the outbox was updated: applying again sends nothing.
    let (key, checked) = wanted[0].clone();
    push(&outbox, key, checked, 1);
    worker.wake();
    assert!(matches!(next(&mut rx).await, Action::TickApplied { .. }));
    assert_eq!(patches(&sim), 3, "already set: no second PATCH");
}

#[tokio::test]
async fn a_server_error_on_patch_is_retried_with_a_fresh_read() {
    let sim = common::demo_sim().await;
    let (_dir, outbox) = temp_outbox(&sim);
    let before = body(&sim);
    let (key, checked, same) = key_of(&before, 5);
    sim.inject(Fault {
        method: Some(http::Method::PATCH),
        path_contains: format!("/issues/{TRACKING}"),
        kind: FaultKind::Status(500),
        times: 1,
    });
    push(&outbox, key, !checked, same);
    let (worker, mut rx) = start_worker(&sim, outbox);
    worker.wake();
    assert!(matches!(next(&mut rx).await, Action::TickApplied { .. }));
    assert_eq!(differing_bytes(&before, &body(&sim)), 1);
    let statuses: Vec<u16> = sim
        .requests()
        .iter()
        .filter(|r| r.method == http::Method::PATCH)
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, vec![500, 200]);
}

#[tokio::test]
async fn an_item_that_is_gone_reaches_the_user_and_is_kept() {
    let sim = common::demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("o.json");
    let outbox = Arc::new(Outbox::open(&path, &sim.base_url()).unwrap());
    let before = body(&sim);
    let (key, checked, same) = key_of(&before, 2);
    let line = before
        .lines()
        .find(|l| l.contains(&key.text))
        .unwrap()
        .to_string();
    sim.set_issue_body(REPO, TRACKING, &before.replace(&format!("{line}\n"), ""));
    push(&outbox, key.clone(), !checked, same);
    let (worker, mut rx) = start_worker(&sim, outbox);
    worker.wake();
    let Action::TickNeedsReview(ReviewItem { reason, tick, .. }) = next(&mut rx).await else {
        panic!("expected a failure");
    };
    assert_eq!(tick.key, key);
    assert!(reason.contains("is no longer in the checklist"), "{reason}");
    assert_eq!(patches(&sim), 0);
    let kept = Outbox::open(&path, &sim.base_url())
        .unwrap()
        .failed()
        .unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].key, key);
}

#[tokio::test]
async fn an_ambiguous_item_is_not_guessed() {
    let sim = common::demo_sim().await;
    let (_dir, outbox) = temp_outbox(&sim);
    let before = body(&sim);
    let (key, checked, same) = key_of(&before, 2);
    let line = before
        .lines()
        .find(|l| l.contains(&key.text))
        .unwrap()
        .to_string();
    // Someone inserts a copy of the item above it.
    let doubled = before.replacen(&line, &format!("{line}\n{line}"), 1);
    sim.set_issue_body(REPO, TRACKING, &doubled);
    push(&outbox, key, !checked, same);
    let (worker, mut rx) = start_worker(&sim, outbox);
    worker.wake();
    let Action::TickNeedsReview(ReviewItem { reason, .. }) = next(&mut rx).await else {
        panic!("expected a failure");
    };
    assert!(
        reason.contains("is ambiguous now: 2 items have that text"),
        "{reason}"
    );
    assert_eq!(patches(&sim), 0);
}

#[tokio::test]
async fn a_body_over_githubs_limit_is_refused_before_sending() {
    let sim = common::demo_sim().await;
    let (_dir, outbox) = temp_outbox(&sim);
    let before = body(&sim);
    let (key, checked, same) = key_of(&before, 2);
    // Someone else grew the body past the limit (GitHub itself would not store this; the
    // simulator lets the test set it directly).
    let huge = format!("{before}\n<!-- {} -->\n", "x".repeat(70_000));
    sim.set_issue_body(REPO, TRACKING, &huge);
    push(&outbox, key, !checked, same);
    let (worker, mut rx) = start_worker(&sim, outbox);
    worker.wake();
    let Action::TickNeedsReview(ReviewItem { reason, .. }) = next(&mut rx).await else {
        panic!("expected a failure");
    };
    assert!(reason.contains("over GitHub's limit of 65536"), "{reason}");
    assert_eq!(patches(&sim), 0);
}

/// Injects `kind` into the next `times` requests of `method` on the tracking issue.
fn fault(sim: &SimHandle, method: http::Method, kind: FaultKind, times: u32) {
    sim.inject(Fault {
        method: Some(method),
        path_contains: format!("/issues/{TRACKING}"),
        kind,
        times,
    });
}

/// Pushes a tick of item `index`, runs a worker and returns its first result, the body before,
/// and the outbox.
async fn tick_through(sim: &SimHandle, index: usize) -> (Action, String, Arc<Outbox>) {
    let (dir, outbox) = temp_outbox(sim);
    // The directory must outlive the worker: leak it for the test's duration.
    std::mem::forget(dir);
    let before = body(sim);
    let (key, checked, same) = key_of(&before, index);
    push(&outbox, key, !checked, same);
    let (worker, mut rx) = start_worker(sim, outbox.clone());
    worker.wake();
    (next(&mut rx).await, before, outbox)
}

#[tokio::test]
async fn a_truncated_answer_to_the_patch_is_decided_from_the_body() {
    let sim = common::demo_sim().await;
    // GitHub applies the PATCH, then the answer is cut short.
    fault(&sim, http::Method::PATCH, FaultKind::Malformed, 1);
    let (first, before, outbox) = tick_through(&sim, 4).await;
    assert!(
        matches!(first, Action::TickApplied { .. }),
        "the tick landed: {first:?}"
    );
    assert_eq!(differing_bytes(&before, &body(&sim)), 1);
    assert_eq!(patches(&sim), 1, "decided from the body: not sent again");
    assert!(outbox.pending().unwrap().is_empty());
    assert!(outbox.failed().unwrap().is_empty());
}

#[tokio::test]
async fn a_502_after_the_patch_applied_is_decided_from_the_body() {
    let sim = common::demo_sim().await;
    fault(
        &sim,
        http::Method::PATCH,
        FaultKind::StatusAfterApply(502),
        1,
    );
    let (first, before, outbox) = tick_through(&sim, 6).await;
    assert!(
        matches!(first, Action::TickApplied { .. }),
        "the tick landed: {first:?}"
    );
    assert_eq!(differing_bytes(&before, &body(&sim)), 1);
    assert_eq!(patches(&sim), 1, "decided from the body: not sent again");
    assert!(outbox.pending().unwrap().is_empty());
}

#[tokio::test]
async fn a_truncated_read_is_retried_not_failed() {
    let sim = common::demo_sim().await;
    fault(&sim, http::Method::GET, FaultKind::Malformed, 1);
    let (first, before, _outbox) = tick_through(&sim, 7).await;
    assert!(
        matches!(first, Action::TickApplied { .. }),
        "retried: {first:?}"
    );
    assert_eq!(differing_bytes(&before, &body(&sim)), 1);
}

#[tokio::test]
async fn a_brief_401_is_retried_not_failed() {
    let sim = common::demo_sim().await;
    fault(&sim, http::Method::GET, FaultKind::Status(401), 1);
    fault(&sim, http::Method::PATCH, FaultKind::Status(401), 1);
    let (first, before, _outbox) = tick_through(&sim, 8).await;
    assert!(
        matches!(first, Action::TickApplied { .. }),
        "retried: {first:?}"
    );
    assert_eq!(differing_bytes(&before, &body(&sim)), 1);
}

#[tokio::test]
async fn server_errors_that_outlast_the_retries_keep_the_tick_pending() {
    let sim = common::demo_sim().await;
    // Every attempt's PATCH fails before it applies (the worker tries 4 times per wake-up).
    fault(&sim, http::Method::PATCH, FaultKind::Status(503), 4);
    let (dir, outbox) = temp_outbox(&sim);
    let before = body(&sim);
    let (key, checked, same) = key_of(&before, 9);
    push(&outbox, key, !checked, same);
    let (worker, mut rx) = start_worker(&sim, outbox.clone());
    worker.wake();
    let Action::TickFailed {
        kept_pending,
        reason,
        ..
    } = next(&mut rx).await
    else {
        panic!("expected the worker to report the outage");
    };
    assert!(kept_pending, "still pending: {reason}");
    assert!(reason.contains("will be retried"), "{reason}");
    assert_eq!(outbox.pending().unwrap().len(), 1);
    assert!(outbox.failed().unwrap().is_empty(), "not kept for review");
    // GitHub is back: the next wake-up (a refresh) applies it.
    worker.wake();
    assert!(matches!(next(&mut rx).await, Action::TickApplied { .. }));
    assert_eq!(differing_bytes(&before, &body(&sim)), 1);
    drop(dir);
}

/// Workers with ticking enabled over `outbox`, and the receiver of their results.
fn start_workers(sim: &SimHandle, outbox: Arc<Outbox>) -> (Workers, mpsc::Receiver<Action>) {
    let (tx, rx) = mpsc::channel(16);
    let mut workers = Workers::new(common::client(sim), common::demo_plan(), tx, None);
    tokio::spawn(workers.with_ticks(outbox, Duration::from_millis(20)));
    (workers, rx)
}

#[tokio::test]
async fn a_locked_or_gone_issue_is_kept_for_review_then_retried_or_discarded() {
    let sim = common::demo_sim().await;
    let (_dir, outbox) = temp_outbox(&sim);
    let (workers, mut rx) = start_workers(&sim, outbox.clone());
    let before = body(&sim);
    // GitHub's answers for an issue that is locked, deleted, or refuses the edit.
    let mut kept = Vec::new();
    for (index, status) in [(10, 403), (11, 410), (12, 422)] {
        fault(&sim, http::Method::PATCH, FaultKind::Status(status), 1);
        let (key, checked, same) = key_of(&before, index);
        workers.start(Effect::QueueTick {
            repo: REPO.into(),
            number: TRACKING,
            key: key.clone(),
            checked: !checked,
            same_text: same,
            sub_issue: None,
        });
        let Action::TickNeedsReview(item) = next(&mut rx).await else {
            panic!("{status}: expected the tick to be kept for review");
        };
        assert_eq!(item.tick.key, key);
        assert!(item.reason.contains(&status.to_string()), "{}", item.reason);
        assert!(outbox.failed().unwrap().iter().any(|i| i.id == item.id));
        kept.push(item);
    }
    assert_eq!(
        outbox.failed().unwrap().len(),
        3,
        "all three wait for review"
    );
    assert!(
        outbox.pending().unwrap().is_empty(),
        "none is retried on its own"
    );
    assert_eq!(body(&sim), before);

    // Retried from the review popup: it applies now (the lock was lifted).
    workers.start(Effect::RetryTick {
        id: kept[0].id,
        tick: kept[0].tick.clone(),
    });
    let Action::TickApplied { key, .. } = next(&mut rx).await else {
        panic!("expected the retried tick to apply");
    };
    assert_eq!(key, kept[0].tick.key);
    assert_eq!(differing_bytes(&before, &body(&sim)), 1);
    // Discarded: it leaves the outbox and GitHub is not touched.
    let patches_before = patches(&sim);
    for item in &kept[1..] {
        workers.start(Effect::DiscardTick { id: item.id });
    }
    assert!(outbox.failed().unwrap().is_empty());
    assert!(outbox.pending().unwrap().is_empty());
    // A retry of a tick another shipdeck already dealt with says so.
    workers.start(Effect::RetryTick {
        id: kept[1].id,
        tick: kept[1].tick.clone(),
    });
    let Action::TickFailed {
        reason,
        kept_pending,
        ..
    } = next(&mut rx).await
    else {
        panic!("expected a message");
    };
    assert!(!kept_pending);
    assert!(reason.contains("already retried or discarded"), "{reason}");
    assert_eq!(patches(&sim), patches_before);
}

#[tokio::test]
async fn a_patch_whose_answer_times_out_still_lands_once() {
    let sim = common::demo_sim().await;
    let (_dir, outbox) = temp_outbox(&sim);
    let before = body(&sim);
    let (key, checked, same) = key_of(&before, 13);
    // The answer to the PATCH comes after the client stopped waiting.
    fault(
        &sim,
        http::Method::PATCH,
        FaultKind::Delay(Duration::from_millis(900)),
        1,
    );
    push(&outbox, key.clone(), !checked, same);
    let (tx, mut rx) = mpsc::channel(16);
    let api = common::client_with(&sim, sim.token(), Duration::from_millis(300));
    let worker = TickWorker::new(api, outbox.clone(), tx, Duration::from_millis(20));
    tokio::spawn(worker.clone().run());
    worker.wake();
    let first = next(&mut rx).await;
    assert!(
        matches!(first, Action::TickApplied { .. }),
        "not a failure: {first:?}"
    );
    let after = body(&sim);
    assert_eq!(differing_bytes(&before, &after), 1, "set once, not flipped");
    let (_, now_checked, _) = key_of(&after, 13);
    assert_eq!(now_checked, !checked);
    assert!(outbox.pending().unwrap().is_empty());
}

#[tokio::test]
async fn a_ticks_audit_record_is_the_patch_as_sent() {
    let sim = common::demo_sim().await;
    let (_dir, outbox) = temp_outbox(&sim);
    let (worker, mut rx) = start_worker(&sim, outbox.clone());
    let (key, checked, same) = key_of(&body(&sim), 3);
    push(&outbox, key, !checked, same);
    worker.wake();
    let mut audited = Vec::new();
    loop {
        match tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("the worker answers")
            .expect("the worker is running")
        {
            Action::Audited(records) => audited.extend(records),
            Action::TickApplied { .. } => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    // The audit may come just after the result.
    while let Ok(Some(Action::Audited(records))) =
        tokio::time::timeout(Duration::from_millis(200), rx.recv()).await
    {
        audited.extend(records);
    }
    let sent: Vec<(String, String, Option<String>)> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == http::Method::PATCH)
        .map(|r| (r.method.to_string(), r.path, r.body))
        .collect();
    let recorded: Vec<(String, String, Option<String>)> = audited
        .into_iter()
        .map(|r| (r.method, r.path, r.body))
        .collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(recorded, sent, "the audit records the PATCH byte for byte");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(recorded[0].2.as_deref().unwrap()).unwrap()
            ["body"]
            .as_str(),
        Some(body(&sim).as_str())
    );
}

#[tokio::test]
async fn an_edit_around_the_patch_is_reported_with_the_issue_link() {
    // Every answer takes 150 ms, so an edit made as soon as the PATCH is applied lands before
    // the read-back is served.
    let sim = shipdeck::sim::start(shipdeck::sim::SimOptions {
        latency: Duration::from_millis(150),
        ..shipdeck::sim::SimOptions::demo()
    })
    .await
    .unwrap();
    let (_dir, outbox) = temp_outbox(&sim);
    let (worker, mut rx) = start_worker(&sim, outbox.clone());
    let before = body(&sim);
    let (key, checked, same) = key_of(&before, 4);
    push(&outbox, key, !checked, same);
    worker.wake();
    // Someone else adds a line right after the PATCH.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while patches(&sim) == 0 {
        assert!(tokio::time::Instant::now() < deadline, "no PATCH was sent");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let edited = format!("{}\n- [ ] Added by someone else\n", body(&sim));
    sim.set_issue_body(REPO, TRACKING, &edited);
    let mut notice = None;
    loop {
        match next(&mut rx).await {
            Action::Notice(text) => notice = Some(text),
            Action::TickApplied {
                body: confirmed, ..
            } => {
                assert_eq!(confirmed, edited, "the other edit is kept");
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let notice = notice.expect("the concurrent edit is reported");
    assert!(
        notice.contains("was edited by someone else") && notice.contains("/issues/200"),
        "{notice}"
    );
}

#[tokio::test]
async fn a_tick_nobody_else_touches_reports_nothing() {
    let sim = common::demo_sim().await;
    let (_dir, outbox) = temp_outbox(&sim);
    let (worker, mut rx) = start_worker(&sim, outbox.clone());
    let (key, checked, same) = key_of(&body(&sim), 4);
    push(&outbox, key, !checked, same);
    worker.wake();
    assert!(matches!(next(&mut rx).await, Action::TickApplied { .. }));
}
