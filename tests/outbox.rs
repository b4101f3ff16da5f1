//! The tick outbox shared by several processes: every tick kept, ids unique, intents bound to
//! the server they were made against.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use shipdeck::release::task_list::{self, HeadingNames, ItemKey};
use shipdeck::tui::outbox::Outbox;
use shipdeck::tui::ticks::TickWorker;
use tokio::sync::mpsc;

const REPO: &str = "acme/storefront";
const TRACKING: u64 = 200;

fn key(text: &str) -> ItemKey {
    ItemKey {
        text: text.into(),
        occurrence: 0,
    }
}

#[test]
fn two_outboxes_on_one_file_keep_every_tick_with_unique_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.json");
    let per_writer = 25;
    let writers: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|who| {
            let path = path.clone();
            std::thread::spawn(move || {
                // Each thread has its own `Outbox`, as each process does.
                let outbox = Outbox::open(&path, "https://api.github.com").unwrap();
                (0..per_writer)
                    .map(|n| {
                        outbox
                            .push(
                                REPO,
                                TRACKING,
                                key(&format!("{who}{n}")),
                                true,
                                1,
                                Utc::now(),
                            )
                            .unwrap()
                            .id
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let ids: Vec<u64> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let unique: HashSet<u64> = ids.iter().copied().collect();
    assert_eq!(unique.len(), 2 * per_writer, "every id is unique: {ids:?}");
    let kept = Outbox::open(&path, "https://api.github.com")
        .unwrap()
        .pending()
        .unwrap();
    assert_eq!(kept.len(), 2 * per_writer, "no tick was lost: {kept:?}");
    let kept_ids: HashSet<u64> = kept.iter().map(|i| i.id).collect();
    assert_eq!(kept_ids, unique);
}

/// A tick queued while shipdeck talked to github.com is never applied to another server that
/// has a repository of the same name (here the simulator).
#[tokio::test]
async fn an_intent_made_against_another_server_is_never_applied_here() {
    let sim = common::demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.json");
    let body = sim.issue_body(REPO, TRACKING).unwrap();
    let item = &task_list::parse(&body, &HeadingNames::default())[0];
    // Queued by a session against github.com that has since ended: left for the next
    // session for github.com, not for any session.
    Outbox::open(&path, "https://api.github.com")
        .unwrap()
        .push(REPO, TRACKING, item.key(), !item.checked, 1, Utc::now())
        .unwrap();
    let outbox = Arc::new(Outbox::open(&path, &sim.base_url()).unwrap());
    let (tx, mut rx) = mpsc::channel(16);
    let worker = TickWorker::new(common::client(&sim), outbox, tx, Duration::from_millis(20));
    tokio::spawn(worker.clone().run());
    worker.wake();
    let answer = tokio::time::timeout(Duration::from_millis(800), rx.recv()).await;
    assert!(answer.is_err(), "nothing is applied: {answer:?}");
    assert_eq!(sim.issue_body(REPO, TRACKING).unwrap(), body);
    assert!(
        sim.requests()
            .iter()
            .all(|r| r.method != http::Method::PATCH),
        "no PATCH was sent to this server"
    );
    let kept = std::fs::read_to_string(&path).unwrap();
    assert!(kept.contains("https://api.github.com"), "{kept}");
}
