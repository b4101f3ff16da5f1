//! The simulator's settable clock: the `Date` header, the times it writes and the runs'
//! progress all follow it, whether set by `SimOptions::now`, the handle or `/_sim/clock`.

#[path = "sim_support/http.rs"]
mod http_client;

use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use http_client::{Client, Resp, send};
use serde_json::json;
use shipdeck::sim::{self, RunTiming, SimOptions};

const SF: &str = "/repos/acme/storefront";

fn new_year() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 1, 1, 10, 0, 0)
        .single()
        .expect("valid date")
}

/// The `Date` header as a time (RFC 7231 IMF-fixdate).
fn date_of(r: &Resp) -> DateTime<Utc> {
    let text = r.header("date").expect("a Date header");
    assert!(text.ends_with(" GMT"), "{text}");
    DateTime::parse_from_rfc2822(text)
        .unwrap_or_else(|e| panic!("{text:?}: {e}"))
        .with_timezone(&Utc)
}

fn time_of(v: &serde_json::Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().expect("a time"))
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

/// `t` lies in [from, from + 5s].
fn near(t: DateTime<Utc>, from: DateTime<Utc>) -> bool {
    t >= from && t <= from + TimeDelta::seconds(5)
}

#[tokio::test]
async fn the_clock_is_set_over_http_and_dates_every_answer() {
    let sim = sim::start(SimOptions::demo()).await.expect("starts");
    let c = Client::new(&sim.base_url(), sim.token());
    // Real time until it is set.
    let r = c.get(SF).await;
    assert!((date_of(&r) - Utc::now()).num_seconds().abs() <= 2);

    let r = send(
        &c.base,
        "POST",
        "/_sim/clock",
        &[],
        Some(r#"{"now":"2030-01-01T10:00:00Z"}"#),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(near(time_of(&r.json()["now"]), new_year()));
    let r = send(&c.base, "GET", "/_sim/clock", &[], None).await;
    assert_eq!(r.status, 200);
    assert!(near(time_of(&r.json()["now"]), new_year()));
    let bad = send(
        &c.base,
        "POST",
        "/_sim/clock",
        &[],
        Some(r#"{"now":"soon"}"#),
    )
    .await;
    assert_eq!(bad.status, 422);

    let r = c.get(SF).await;
    assert!(near(date_of(&r), new_year()), "{:?}", r.header("date"));
    let dates = r
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("date"));
    assert_eq!(dates.count(), 1, "one Date header: {:?}", r.headers);
    assert!(
        r.header("date")
            .is_some_and(|d| d.starts_with("Tue, 01 Jan 2030 10:00:")),
        "{:?}",
        r.header("date")
    );
    // Errors carry it too.
    let r = send(&c.base, "GET", SF, &[], None).await;
    assert_eq!(r.status, 401);
    assert!(near(date_of(&r), new_year()));
    // What it writes is dated by it.
    let r = c
        .post(&format!("{SF}/issues/200/comments"), &json!({"body": "hi"}))
        .await;
    assert_eq!(r.status, 201);
    assert!(near(time_of(&r.json()["created_at"]), new_year()));
    assert!(near(time_of(&r.json()["updated_at"]), new_year()));
    let issue = c.get(&format!("{SF}/issues/200")).await.json();
    assert!(near(time_of(&issue["updated_at"]), new_year()));
    // The rate-limit window runs on it.
    let r = c.get(SF).await;
    let reset: i64 = r
        .header("x-ratelimit-reset")
        .expect("reset")
        .parse()
        .expect("epoch");
    assert!(
        (reset - new_year().timestamp() - 3600).abs() <= 5,
        "{reset}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn runs_progress_on_the_sim_clock() {
    let mut opts = SimOptions::demo();
    // Slow enough that real time never finishes a step during the test.
    opts.timing = RunTiming {
        queued: Duration::from_secs(60),
        per_step: Duration::from_secs(60),
    };
    let sim = sim::start(opts).await.expect("starts");
    let c = Client::new(&sim.base_url(), sim.token());
    sim.set_now(new_year());
    let r = c
        .post(
            &format!("{SF}/actions/workflows/e2e.yml/dispatches"),
            &json!({"ref": "release/v2.4.0", "return_run_details": true}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let id = r.json()["workflow_run_id"].as_u64().expect("id");
    let path = format!("{SF}/actions/runs/{id}");
    let run = c.get(&path).await.json();
    assert_eq!(run["status"], "queued");
    assert!(near(time_of(&run["created_at"]), new_year()));
    // Past the queue wait: in progress, started at the sim's time.
    sim.set_now(new_year() + TimeDelta::seconds(90));
    let run = c.get(&path).await.json();
    assert_eq!(run["status"], "in_progress", "{run}");
    let jobs = c.get(&format!("{path}/jobs")).await.json();
    assert!(near(
        time_of(&jobs["jobs"][0]["started_at"]),
        new_year() + TimeDelta::seconds(60)
    ));
    // A day later it is long done, and its times are the sim's.
    sim.set_now(new_year() + TimeDelta::days(1));
    let run = c.get(&path).await.json();
    assert_eq!(run["status"], "completed", "{run}");
    assert!(time_of(&run["updated_at"]) < new_year() + TimeDelta::hours(2));
    assert!(time_of(&run["updated_at"]) > new_year() + TimeDelta::seconds(90));
    let now = sim.now();
    assert!(near(now, new_year() + TimeDelta::days(1)), "{now}");
    sim.shutdown().await;
}

#[tokio::test]
async fn options_start_the_clock_and_date_the_demo_from_it() {
    let opts = SimOptions {
        now: Some(new_year()),
        ..SimOptions::demo()
    };
    let sim = sim::start(opts).await.expect("starts");
    assert!(near(sim.now(), new_year()));
    let c = Client::new(&sim.base_url(), sim.token());
    let r = c.get(&format!("{SF}/milestones/7")).await;
    assert!(near(date_of(&r), new_year()));
    // The demo's v2.4.0 is due four days from "now".
    assert_eq!(r.json()["due_on"], "2030-01-05T10:00:00Z");
    let comments = c.get(&format!("{SF}/issues/200/comments")).await.json();
    let last = comments
        .as_array()
        .and_then(|a| a.last())
        .expect("comments");
    assert_eq!(last["created_at"], "2030-01-01T08:00:00Z");
    // The run still in progress in the demo is in progress at the sim's time.
    let run = c.get(&format!("{SF}/actions/runs/9000000026")).await.json();
    assert_eq!(run["status"], "in_progress", "{run}");
    assert!(time_of(&run["created_at"]) < new_year());
    assert!(time_of(&run["created_at"]) > new_year() - TimeDelta::hours(2));
    sim.shutdown().await;
}

#[test]
fn the_sim_command_takes_a_start_time_and_users() {
    use clap::Parser;
    use shipdeck::cli::{Cli, Cmd};
    let cli = Cli::try_parse_from([
        "shipdeck",
        "sim",
        "--now",
        "2030-01-01T10:00:00Z",
        "--user",
        "zoe=tok-zoe",
        "--user",
        "yan=tok=yan",
    ])
    .expect("parses");
    let Some(Cmd::Sim { now, users, .. }) = cli.command else {
        panic!("not the sim command: {:?}", cli.command);
    };
    assert_eq!(now, Some(new_year()));
    assert_eq!(
        users,
        [
            ("tok-zoe".to_owned(), "zoe".to_owned()),
            ("tok=yan".to_owned(), "yan".to_owned())
        ]
    );
    for bad in [
        ["shipdeck", "sim", "--user", "zoe"],
        ["shipdeck", "sim", "--user", "=tok"],
        ["shipdeck", "sim", "--now", "tomorrow"],
    ] {
        assert!(Cli::try_parse_from(bad).is_err(), "{bad:?}");
    }
}
