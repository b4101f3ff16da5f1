//! `o` opens only http(s) pages on the configured GitHub's web host; anything else (another
//! host, `javascript:`, `file:`, a look-alike host, credentials in the URL) is refused with a
//! status-line message that names the URL without its control characters.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use shipdeck::app::state::Level;
use shipdeck::app::{Action, AppState, Command, Effect, update};
use shipdeck::github::sync::fetch_snapshot;
use shipdeck::release::web::WebHost;
use shipdeck::release::{ReleaseRules, Snapshot};

/// A state for `api_url` with `snapshot` loaded and the checklist focused.
fn state_with(api_url: &str, snapshot: Snapshot) -> AppState {
    let mut s = AppState::new(
        common::fixed_now(),
        vec!["acme/app".into()],
        ReleaseRules::default(),
        "release/{milestone}".into(),
    );
    s.session.web = WebHost::for_api(api_url);
    update(&mut s, Action::CachedSnapshot(Box::new(snapshot)));
    update(&mut s, Action::Command(Command::FocusChecklist));
    s
}

/// What `o` does on the checklist when the tracking issue's `html_url` is `url`.
fn open(api_url: &str, url: &str) -> (Vec<Effect>, AppState) {
    let mut snapshot = common::fixture_snapshot(common::fixed_now());
    snapshot.tracking.as_mut().unwrap().html_url = url.to_string();
    let mut s = state_with(api_url, snapshot);
    let fx = update(&mut s, Action::Command(Command::OpenInBrowser));
    (fx, s)
}

fn opens(api_url: &str, url: &str) -> bool {
    let (fx, _) = open(api_url, url);
    fx == vec![Effect::OpenUrl(url.to_string())]
}

#[test]
fn github_com_pages_open_for_api_github_com() {
    let api = "https://api.github.com";
    assert!(opens(api, "https://github.com/acme/app/issues/6"));
    assert!(opens(api, "https://GitHub.com/acme/app/pull/7#discussion"));
    for url in [
        "https://evil.example/acme/app/issues/6",
        "https://github.com.evil.example/acme/app",
        "https://api.github.com/repos/acme/app",
        "https://github.com:8443/acme/app",
        "https://user:pass@github.com/acme/app",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ftp://github.com/x",
        "--help",
        "",
    ] {
        assert!(!opens(api, url), "{url:?} must not open");
    }
}

#[test]
fn enterprise_server_pages_open_on_its_host() {
    let api = "https://ghe.acme.test/api/v3";
    assert!(opens(api, "https://ghe.acme.test/acme/app/issues/6"));
    assert!(!opens(api, "https://github.com/acme/app/issues/6"));
    let api = "https://ghe.acme.test:8443/api/v3";
    assert!(opens(api, "https://ghe.acme.test:8443/acme/app/issues/6"));
    assert!(!opens(api, "https://ghe.acme.test/acme/app/issues/6"));
    // GitHub Enterprise Cloud with data residency: api.SUB.ghe.com serves SUB.ghe.com.
    assert!(opens(
        "https://api.octocorp.ghe.com",
        "https://octocorp.ghe.com/acme/app/issues/6"
    ));
}

#[test]
fn a_refused_url_is_named_without_its_control_characters() {
    let hostile = "https://evil.example/\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{202e}x\u{1b}[2J";
    let (fx, s) = open("https://api.github.com", hostile);
    assert_eq!(fx, vec![]);
    let status = s.status.unwrap();
    assert_eq!(status.level, Level::Warn);
    assert_eq!(
        status.text,
        "not opening https://evil.example/%1B]52;c;cm0gLXJmIH4=%07%E2%80%AEx%1B[2J: only http(s) pages on github.com are opened"
    );
    let (_, s) = open("https://api.github.com", "jav\u{1b}ascript\u{0}:x");
    let text = s.status.unwrap().text;
    assert!(
        text.chars().all(|c| c == ' ' || c.is_ascii_graphic()),
        "{text:?}"
    );
    assert!(
        text.ends_with(": only http(s) pages on github.com are opened"),
        "{text}"
    );
}

#[tokio::test]
async fn the_demo_opens_the_simulators_pages() {
    let sim = common::demo_sim().await;
    let api = common::client(&sim);
    let snapshot = fetch_snapshot(api.as_ref(), &common::demo_plan(), chrono::Utc::now())
        .await
        .unwrap();
    let mut s = state_with(&sim.base_url(), snapshot);
    let fx = update(&mut s, Action::Command(Command::OpenInBrowser));
    let [Effect::OpenUrl(url)] = fx.as_slice() else {
        panic!("opens the tracking issue: {fx:?}, {:?}", s.status);
    };
    assert_eq!(
        url,
        &format!("{}/acme/storefront/issues/200", sim.base_url())
    );
}
