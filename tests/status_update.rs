//! The release status comment (`U`): the template on fixtures built in code, and end to end
//! against the simulator with the real workers — one living comment, edited in place.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use chrono::{DateTime, Duration, Utc};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag};
use shipdeck::release::gates::{self, GateReport, Verdict};
use shipdeck::release::snapshot::WorkflowRuns;
use shipdeck::release::status_update::{self, Facts, HISTORY_HEADING, MARKER};
use shipdeck::release::{Conclusion, Phase, Release, ReleaseRules, RunStatus, Snapshot};

fn release_of(snap: &Snapshot) -> Release {
    Release::derive(snap, &ReleaseRules::default())
}

fn report_of(release: &Release, now: DateTime<Utc>) -> GateReport {
    gates::evaluate(release, Phase::Deploy, &ReleaseRules::default().gates, now)
}

/// The body `login` would post at `now` over `previous`, keeping `cap` history lines.
fn body(
    release: &Release,
    report: &GateReport,
    now: DateTime<Utc>,
    previous: Option<&str>,
    cap: usize,
) -> String {
    status_update::body(&Facts {
        release,
        report,
        risk_threshold: 12,
        window: Some("window open, closes in 3h"),
        now,
        login: "alice",
        previous,
        history_cap: cap,
    })
}

/// The fixture with a deploy workflow: two completed production deploys and one running.
fn with_deploys(now: DateTime<Utc>) -> Snapshot {
    let mut snap = common::fixture_snapshot(now);
    let repo = "acme/app";
    let mut older = common::run(
        repo,
        301,
        RunStatus::Completed,
        Some(Conclusion::Success),
        now,
    );
    older.updated_at = now - Duration::days(2);
    let mut newer = common::run(
        repo,
        302,
        RunStatus::Completed,
        Some(Conclusion::Failure),
        now,
    );
    newer.updated_at = now - Duration::hours(3);
    newer.head_sha = "feedbeef00".into();
    let running = common::run(repo, 303, RunStatus::InProgress, None, now);
    snap.repos[0].workflows.push(WorkflowRuns {
        repo: repo.into(),
        file: "deploy.yml".into(),
        name: "Deploy".into(),
        phase: Phase::Deploy,
        required: false,
        runs: vec![running, newer, older],
    });
    snap
}

#[test]
fn the_marker_comes_first_then_the_facts_then_one_history_line() {
    let now = common::fixed_now();
    let release = release_of(&with_deploys(now));
    let report = report_of(&release, now);
    assert_eq!(report.verdict, Verdict::NoGo);
    let text = body(&release, &report, now, None, 20);

    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(MARKER));
    assert_eq!(lines.next(), Some("## Release status: `v1.0`"));
    assert!(text.contains("**Phase:** Build\n"), "{text}");
    assert!(text.contains("**Deploy verdict:** ⛔ NO-GO\n"), "{text}");
    for g in report.failing() {
        assert!(
            text.contains(&format!("- `{}`\n", g.line())),
            "{}: {text}",
            g.line()
        );
    }
    assert!(text.contains("`✗ no open blockers — #5 is open`"), "{text}");
    assert!(
        text.contains("**Checklist:** 2 of 4 items ticked\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "**Open risks scoring 12+:**\n- acme/app#7 `Risk: migration locks` (score 16, mitigated)\n"
        ),
        "{text}"
    );
    // The latest completed deploy, not the running one nor the older success.
    assert!(
        text.contains(
            "**Last production deploy:** `Deploy` #302 in acme/app: failure, 2026-11-21 09:00 UTC, commit `feedbee`\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("**Deploy window:** `window open, closes in 3h`\n"),
        "{text}"
    );
    assert_eq!(
        status_update::history(&text),
        vec!["- 2026-11-21 12:00 UTC: NO-GO (alice)"]
    );
    assert!(text.ends_with(&format!(
        "{HISTORY_HEADING}\n- 2026-11-21 12:00 UTC: NO-GO (alice)\n"
    )));
}

#[test]
fn no_deploy_and_no_risk_are_said_not_left_out() {
    let now = common::fixed_now();
    let mut snap = common::fixture_snapshot(now);
    snap.repos[0].issues.retain(|i| i.number != 7);
    let release = release_of(&snap);
    let text = body(&release, &report_of(&release, now), now, None, 20);
    assert!(
        text.contains("**Open risks scoring 12+:** none\n"),
        "{text}"
    );
    assert!(
        text.contains("**Last production deploy:** none yet\n"),
        "{text}"
    );
}

#[test]
fn history_is_kept_from_the_previous_body_marks_changes_and_is_capped() {
    let now = common::fixed_now();
    let release = release_of(&common::fixture_snapshot(now));
    let no_go = report_of(&release, now);
    let go = GateReport {
        verdict: Verdict::Go,
        gates: Vec::new(),
        ..no_go.clone()
    };
    let first = body(&release, &no_go, now, None, 3);
    let second = body(&release, &go, now + Duration::minutes(5), Some(&first), 3);
    assert_eq!(
        status_update::history(&second),
        vec![
            "- 2026-11-21 12:00 UTC: NO-GO (alice)",
            "- 2026-11-21 12:05 UTC: NO-GO → GO (alice)",
        ]
    );
    let third = body(&release, &go, now + Duration::minutes(9), Some(&second), 3);
    let fourth = body(
        &release,
        &no_go,
        now + Duration::minutes(12),
        Some(&third),
        3,
    );
    assert_eq!(
        status_update::history(&fourth),
        vec![
            "- 2026-11-21 12:05 UTC: NO-GO → GO (alice)",
            "- 2026-11-21 12:09 UTC: GO (alice)",
            "- 2026-11-21 12:12 UTC: GO → NO-GO (alice)",
        ],
        "the oldest line is dropped at the cap"
    );
    // Many updates later the body is no longer than after a few: it never grows unbounded.
    let mut text = fourth.clone();
    for k in 0..50 {
        text = body(&release, &go, now + Duration::hours(k), Some(&text), 3);
    }
    assert_eq!(status_update::history(&text).len(), 3);
    assert!(
        text.len() <= fourth.len() + 40,
        "{} vs {}",
        text.len(),
        fourth.len()
    );
}

/// Texts of the Markdown events in `body` of each kind: (code spans, everything else as text,
/// HTML, headings).
fn markdown(body: &str) -> (Vec<String>, String, Vec<String>, usize) {
    let (mut code, mut text, mut html, mut headings) = (Vec::new(), String::new(), Vec::new(), 0);
    for e in Parser::new(body) {
        match e {
            Event::Code(c) => code.push(c.to_string()),
            Event::Text(t) => text.push_str(&t),
            Event::Html(h) | Event::InlineHtml(h) => html.push(h.to_string()),
            Event::Start(Tag::Heading { level, .. }) if level <= HeadingLevel::H2 => headings += 1,
            _ => {}
        }
    }
    (code, text, html, headings)
}

#[test]
fn hostile_titles_and_reasons_stay_inside_code_spans() {
    let now = common::fixed_now();
    let mut snap = with_deploys(now);
    let hostile =
        "x` **bold** @everyone <img src=x onerror=alert(1)>\n## Injected [link](http://evil) ``";
    snap.milestone = format!("v1.0{hostile}");
    for i in &mut snap.repos[0].issues {
        if i.number == 7 || i.number == 5 {
            i.title = hostile.to_string();
        }
    }
    snap.repos[0].workflows[2].name = hostile.to_string();
    // A checklist item's text reaches a gate's reason.
    if let Some(t) = snap.tracking.as_mut() {
        t.body = format!("## Plan\n- [ ] {}\n", hostile.replace('\n', " "));
    }
    let release = release_of(&snap);
    let report = report_of(&release, now);
    let text = body(&release, &report, now, None, 20);

    assert!(text.starts_with(&format!("{MARKER}\n")));
    let (code, plain, html, headings) = markdown(&text);
    assert_eq!(
        html,
        vec![MARKER.to_string() + "\n"],
        "only the marker is HTML"
    );
    assert_eq!(headings, 1, "only our heading is a heading:\n{text}");
    assert!(
        !plain.contains("@everyone"),
        "a mention escaped a code span:\n{text}"
    );
    assert!(!plain.contains("bold"), "{text}");
    assert!(
        code.iter().filter(|c| c.contains("@everyone")).count() >= 4,
        "title, risk, deploy and gate are each in a code span: {code:?}"
    );
    assert!(!text.contains("](http://evil)") || code.iter().any(|c| c.contains("[link]")));
    // Nothing hostile becomes a link.
    assert!(
        !Parser::new(&text).any(|e| matches!(e, Event::Start(Tag::Link { .. }))),
        "{text}"
    );
}

#[test]
fn the_token_users_own_newest_status_comment_is_the_one_edited() {
    use shipdeck::release::Comment;
    let c = |id: u64, author: &str, body: &str| Comment {
        id,
        author: Some(author.into()),
        body: body.into(),
        created_at: common::fixed_now(),
        html_url: format!("https://github.com/acme/app/issues/6#issuecomment-{id}"),
    };
    let status = format!("{MARKER}\n## Release status: `v1.0`\n");
    let comments = vec![
        c(1, "alice", &status),
        c(2, "bob", &status),
        c(3, "alice", "LGTM, quoting:\n<!-- shipdeck:status -->"),
        c(4, "alice", &status),
        c(5, "mallory", &status),
    ];
    let found = status_update::newest_per_author(&comments);
    assert_eq!(
        found.iter().map(|f| f.id).collect::<Vec<_>>(),
        vec![2, 4, 5]
    );
    assert_eq!(status_update::mine(&found, "Alice").map(|f| f.id), Some(4));
    assert_eq!(status_update::mine(&found, "carol"), None);
}

mod end_to_end {
    use super::common;
    use super::common::harness::Harness;
    use shipdeck::app::{AppState, Command, update};
    use shipdeck::github::GitHubApi as _;
    use shipdeck::release::call::{Call, Method};
    use shipdeck::release::status_update::{self, MARKER};
    use shipdeck::sim::SimHandle;

    const TRACKING: (&str, u64) = ("acme/storefront", 200);

    /// The status comments on the tracking issue as GitHub has them: (id, author, body).
    async fn status_comments(sim: &SimHandle) -> Vec<(u64, Option<String>, String)> {
        common::client(sim)
            .comments(TRACKING.0, TRACKING.1)
            .await
            .unwrap()
            .into_iter()
            .filter(|c| c.body.starts_with(MARKER))
            .map(|c| (c.id, c.author, c.body))
            .collect()
    }

    /// Presses `U`, waits for the dialog, and returns the calls it shows.
    async fn press_u(h: &mut Harness) -> Vec<Call> {
        h.cmd(Command::StatusUpdate);
        h.until(|s| s.overlays.confirm().is_some(), "the status dialog")
            .await;
        h.state.overlays.confirm().unwrap().calls()
    }

    #[tokio::test]
    async fn u_posts_one_status_comment_then_edits_the_same_one_in_place() {
        let sim = common::demo_sim().await;
        let mut h = Harness::gated(&sim).await;
        // Someone else's status comment is never the one edited.
        let bob = common::client_with(&sim, "shipdeck-demo-bob", std::time::Duration::from_secs(5));
        bob.send(&Call::comment(
            TRACKING.0,
            TRACKING.1,
            &format!("{MARKER}\n## Release status: bob's own\n"),
        ))
        .await
        .result
        .unwrap();

        let first = press_u(&mut h).await;
        assert_eq!(h.state.session.login.as_deref(), Some("alice"));
        assert_eq!(first.len(), 1, "{first:?}");
        assert_eq!(first[0].method, Method::Post);
        assert_eq!(first[0].path, "/repos/acme/storefront/issues/200/comments");
        h.yes_and_refresh().await;

        let mine: Vec<_> = status_comments(&sim)
            .await
            .into_iter()
            .filter(|c| c.1.as_deref() == Some("alice"))
            .collect();
        assert_eq!(mine.len(), 1, "one status comment by alice");
        let (id, _, body) = &mine[0];
        assert!(body.starts_with(&format!("{MARKER}\n## Release status: `v2.4.0`\n")));
        assert!(body.contains("**Deploy verdict:** ⛔ NO-GO"), "{body}");
        assert_eq!(status_update::history(body).len(), 1);

        // The second U edits that comment: a PATCH of its id, no new comment.
        let second = press_u(&mut h).await;
        assert_eq!(second.len(), 1, "{second:?}");
        assert_eq!(second[0].method, Method::Patch);
        assert_eq!(
            second[0].path,
            format!("/repos/acme/storefront/issues/comments/{id}")
        );
        h.yes_and_refresh().await;

        let all = status_comments(&sim).await;
        let mine: Vec<_> = all
            .iter()
            .filter(|c| c.1.as_deref() == Some("alice"))
            .collect();
        assert_eq!(mine.len(), 1, "still one status comment by alice");
        assert_eq!(mine[0].0, *id, "the same comment");
        let history = status_update::history(&mine[0].2);
        assert_eq!(history.len(), 2, "{history:?}");
        assert!(
            history.iter().all(|l| l.ends_with(": NO-GO (alice)")),
            "{history:?}"
        );
        assert!(
            all.iter()
                .any(|c| c.1.as_deref() == Some("bob") && c.2.contains("bob's own")),
            "bob's comment is untouched"
        );

        // The audit records both calls, as sent, with GitHub's answers.
        let calls: Vec<_> = h
            .state
            .audit
            .records
            .iter()
            .filter(|r| {
                r.path.contains("/issues/200/comments") || r.path.contains("/issues/comments/")
            })
            .map(|r| (r.method.clone(), r.path.clone(), r.status))
            .collect();
        assert_eq!(
            calls,
            vec![
                (
                    "POST".to_string(),
                    "/repos/acme/storefront/issues/200/comments".to_string(),
                    Some(201)
                ),
                (
                    "PATCH".to_string(),
                    format!("/repos/acme/storefront/issues/comments/{id}"),
                    Some(200)
                ),
            ]
        );
        let file = std::fs::read_to_string(&h.audit_file).unwrap();
        assert!(file.contains("\"PATCH\"") && file.contains(&format!("/issues/comments/{id}")));
    }

    #[test]
    fn read_only_refuses_before_asking_anything() {
        let mut state: AppState = common::demo_app_state();
        state.session.read_only = true;
        let effects = update(
            &mut state,
            shipdeck::app::Action::Command(Command::StatusUpdate),
        );
        assert!(effects.is_empty(), "{effects:?}");
        assert!(state.overlays.confirm().is_none());
        assert!(
            state
                .status
                .as_ref()
                .is_some_and(|s| s.text.starts_with("read-only")),
            "{:?}",
            state.status
        );
    }
}

#[test]
fn the_history_cap_comes_from_the_config_and_is_checked() {
    let parse = |text: &str| {
        shipdeck::config::Config::parse(text, std::path::Path::new("/etc/shipdeck.toml"))
            .map_err(|e| e.to_string())
    };
    assert_eq!(
        parse("").unwrap().status_update.history,
        status_update::DEFAULT_HISTORY
    );
    assert_eq!(
        parse("[status_update]\nhistory = 5\n")
            .unwrap()
            .status_update
            .history,
        5
    );
    let err = parse("[status_update]\nhistory = 0\n").unwrap_err();
    assert!(
        err.contains("history must be 1 to 200 lines, not 0") && err.contains(":2:"),
        "{err}"
    );
    let err = parse("[status_update]\nwebhook = \"x\"\n").unwrap_err();
    assert!(err.contains("unknown field `webhook`"), "{err}");
}
