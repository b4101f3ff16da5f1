//! The notes pane end to end against the simulator with the real workers: `w` writes the
//! Markdown the CLI writes, `P` creates one draft release per repository after a confirm
//! showing the exact calls, `P` again updates the same drafts, and `--read-only` refuses.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use common::harness::Harness;
use shipdeck::app::{Command, notes};
use shipdeck::release::call::{Call, Method};
use shipdeck::release::notes::render;
use shipdeck::sim::{SimHandle, SimRelease};

const REPOS: [&str; 2] = ["acme/storefront", "acme/payments"];

fn releases(sim: &SimHandle, repo: &str) -> Vec<SimRelease> {
    sim.with_world(|w| w.repo(repo).unwrap().releases.clone())
}

/// Presses `P` in the notes pane, waits for the dialog, and returns the calls it shows.
async fn press_p(h: &mut Harness) -> Vec<Call> {
    h.cmd(Command::FocusNotes);
    h.key("P");
    h.until(|s| s.overlays.confirm().is_some(), "the publish dialog")
        .await;
    h.state.overlays.confirm().unwrap().calls()
}

#[tokio::test]
async fn w_writes_the_notes_file_in_the_notes_directory() {
    let sim = common::demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let mut h = Harness::new(&sim).await;
    h.state.session.notes.dir = dir.path().to_path_buf();
    // Outside the notes pane, w does nothing.
    h.key("w");
    h.cmd(Command::FocusNotes);
    h.key("w");
    h.until(
        |s| {
            s.status
                .as_ref()
                .is_some_and(|e| e.text.contains("release notes"))
        },
        "the file",
    )
    .await;
    let path = dir.path().join("notes-v2.4.0.md");
    assert_eq!(
        h.status(),
        format!("wrote the release notes to {}", path.display())
    );
    let md = std::fs::read_to_string(&path).unwrap();
    let expected = render::markdown(&notes::current(&h.state).unwrap());
    assert_eq!(md, expected);
    assert!(md.starts_with("# v2\\.4\\.0\n"), "{md}");
    assert!(md.contains("\n## Features\n"), "{md}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "one file, no leftovers"
    );

    // A directory that cannot be made (a file is in the way): the status line says why.
    h.state.session.notes.dir = path.clone();
    h.key("w");
    h.until(
        |s| {
            s.status
                .as_ref()
                .is_some_and(|e| e.text.starts_with("could not write"))
        },
        "the error",
    )
    .await;
    assert!(
        h.status().starts_with(&format!(
            "could not write the release notes to {}/",
            path.display()
        )),
        "{}",
        h.status()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn p_creates_one_draft_per_repository_then_updates_the_same_drafts() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    let calls = press_p(&mut h).await;
    let shown: Vec<(Method, String)> = calls.iter().map(|c| (c.method, c.path.clone())).collect();
    assert_eq!(
        shown,
        REPOS
            .iter()
            .map(|r| (Method::Post, format!("/repos/{r}/releases")))
            .collect::<Vec<_>>()
    );
    let notes = notes::current(&h.state).unwrap();
    for (c, repo) in calls.iter().zip(REPOS) {
        let body = c.body_json().unwrap();
        assert_eq!(body["draft"], true);
        assert_eq!(body["tag_name"], "v2.4.0");
        assert_eq!(body["body"], render::markdown(&notes.for_repo(repo)));
    }
    for repo in REPOS {
        assert!(releases(&sim, repo).is_empty(), "nothing sent before Yes");
    }
    h.yes_and_refresh().await;
    let mut ids = Vec::new();
    for repo in REPOS {
        let all = releases(&sim, repo);
        assert_eq!(all.len(), 1, "one draft in {repo}: {all:?}");
        assert!(
            all[0].draft && all[0].published_at.is_none(),
            "{:?}",
            all[0]
        );
        ids.push(all[0].id);
    }

    // Again: the same drafts are updated, none created.
    let calls = press_p(&mut h).await;
    let shown: Vec<(Method, String)> = calls.iter().map(|c| (c.method, c.path.clone())).collect();
    assert_eq!(
        shown,
        REPOS
            .iter()
            .zip(&ids)
            .map(|(r, id)| (Method::Patch, format!("/repos/{r}/releases/{id}")))
            .collect::<Vec<_>>()
    );
    h.yes_and_refresh().await;
    for repo in REPOS {
        let all = releases(&sim, repo);
        assert_eq!(all.len(), 1, "still one draft in {repo}: {all:?}");
        assert!(all[0].draft, "never published: {:?}", all[0]);
    }
    // Every call went through the write path: in the audit log, as sent.
    let audit = std::fs::read_to_string(&h.audit_file).unwrap();
    let methods: Vec<String> = audit
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!(
                "{} {}",
                v["method"].as_str().unwrap(),
                v["path"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(methods.len(), 4, "{methods:?}");
    assert!(
        methods[..2].iter().all(|m| m.starts_with("POST ")),
        "{methods:?}"
    );
    assert!(
        methods[2..].iter().all(|m| m.starts_with("PATCH ")),
        "{methods:?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn read_only_refuses_to_publish_and_reads_nothing() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    h.state.session.read_only = true;
    let asked = sim.requests().len();
    h.cmd(Command::FocusNotes);
    h.key("P");
    assert!(h.state.overlays.confirm().is_none());
    assert!(h.status().contains("read-only"), "{}", h.status());
    assert!(
        !sim.requests()[asked..]
            .iter()
            .any(|r| r.path.contains("/releases")),
        "no release was read"
    );
    for repo in REPOS {
        assert!(releases(&sim, repo).is_empty());
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn n_shows_githubs_generated_notes_beside_shipdecks_and_hides_them_again() {
    let sim = common::demo_sim().await;
    let mut h = Harness::new(&sim).await;
    let before = sim.requests().len();
    h.cmd(Command::FocusNotes);
    h.key("n");
    h.until(
        |s| matches!(s.generated_notes, notes::Generated::Shown(_)),
        "GitHub's notes",
    )
    .await;
    let notes::Generated::Shown(got) = h.state.generated_notes.clone() else {
        unreachable!()
    };
    assert_eq!(
        got.iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>(),
        REPOS
    );
    // What GitHub generated for the storefront: its merged PR of the milestone, by its author.
    assert!(
        got[0]
            .1
            .contains("* Saved carts: persist cart to account by @carol"),
        "{}",
        got[0].1
    );
    let generate: Vec<_> = sim.requests()[before..]
        .iter()
        .filter(|r| r.path.ends_with("/releases/generate-notes"))
        .map(|r| r.method.clone())
        .collect();
    assert_eq!(generate, [http::Method::POST, http::Method::POST]);
    assert!(
        REPOS.iter().all(|r| releases(&sim, r).is_empty()),
        "generating notes saves nothing"
    );
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(140, 30)).unwrap();
    terminal
        .draw(|f| shipdeck::view::render(&h.state, f))
        .unwrap();
    let screen = format!("{}", terminal.backend());
    assert!(screen.contains("GitHub's generate-notes"), "{screen}");
    assert!(screen.contains("What's Changed"), "{screen}");
    h.key("n");
    assert_eq!(h.state.generated_notes, notes::Generated::Hidden);
}
