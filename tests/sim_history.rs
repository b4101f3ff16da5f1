//! The simulator's commit graph and the demo's 90-day history, read over real HTTP:
//! `commits`, `compare/{base}...{head}` and `pulls` agree with each other and with the
//! production deploy runs' `head_sha`.

#[path = "sim_support/http.rs"]
mod http_client;

use std::collections::BTreeSet;

use http_client::Client;
use serde_json::Value;
use shipdeck::sim::{self, SimHandle, SimOptions};

const PAY: &str = "/repos/acme/payments";
const SF: &str = "/repos/acme/storefront";

async fn start() -> (SimHandle, Client) {
    let sim = sim::start(SimOptions::demo())
        .await
        .expect("simulator starts");
    let c = Client::new(&sim.base_url(), sim.token());
    (sim, c)
}

/// Every item of a paginated list, following `Link: rel="next"`; also the number of pages.
async fn all_pages(c: &Client, first: &str) -> (Vec<Value>, usize) {
    let mut out = Vec::new();
    let mut next = Some(first.to_owned());
    let mut pages = 0;
    while let Some(path) = next.take() {
        let r = c.get(&path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        pages += 1;
        out.extend(r.json().as_array().expect("array").iter().cloned());
        next = r.header("link").and_then(|l| {
            l.split(", ")
                .find(|p| p.ends_with("rel=\"next\""))
                .map(|p| {
                    let url = p.trim_start_matches('<').split('>').next().expect("url");
                    url.trim_start_matches(&c.base).to_owned()
                })
        });
    }
    (out, pages)
}

/// The head SHA of the successful production deploy of `version` in `repo`.
async fn deploy_sha(c: &Client, repo: &str, version: &str) -> String {
    let runs = c
        .get(&format!(
            "{repo}/actions/workflows/deploy.yml/runs?per_page=100"
        ))
        .await
        .json();
    let title = format!("Deploy {version} to production");
    runs["workflow_runs"]
        .as_array()
        .expect("runs")
        .iter()
        .find(|r| r["display_title"] == title.as_str() && r["conclusion"] == "success")
        .unwrap_or_else(|| panic!("no successful {title}"))["head_sha"]
        .as_str()
        .expect("sha")
        .to_owned()
}

fn shas(commits: &Value) -> Vec<String> {
    commits
        .as_array()
        .expect("commits")
        .iter()
        .map(|c| c["sha"].as_str().expect("sha").to_owned())
        .collect()
}

/// The SHAs of the merge commits (two parents) among `commits`.
fn merges(commits: &Value) -> BTreeSet<String> {
    commits
        .as_array()
        .expect("commits")
        .iter()
        .filter(|c| c["parents"].as_array().is_some_and(|p| p.len() == 2))
        .map(|c| c["sha"].as_str().expect("sha").to_owned())
        .collect()
}

/// The merge commits of the pull requests `numbers`, read from `GET pulls/{n}`.
async fn merge_commits_of(c: &Client, repo: &str, numbers: &[u64]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for n in numbers {
        let pr = c.get(&format!("{repo}/pulls/{n}")).await.json();
        assert_eq!(pr["merged"], true, "#{n}");
        assert_eq!(pr["base"]["ref"], "main", "#{n}");
        out.insert(
            pr["merge_commit_sha"]
                .as_str()
                .expect("merge sha")
                .to_owned(),
        );
    }
    out
}

#[tokio::test]
async fn compare_between_production_deploys_lists_the_merged_pull_requests() {
    let (sim, c) = start().await;
    // v2.3.3 → v2.3.4 shipped #67 and #68; v2.3.4 → v2.3.5 shipped #69 and #87.
    for (from, to, prs) in [
        ("v2.3.3", "v2.3.4", &[67u64, 68][..]),
        ("v2.3.4", "v2.3.5", &[69, 87][..]),
        ("v2.2.0", "v2.2.1", &[54, 55, 56][..]),
    ] {
        let base = deploy_sha(&c, PAY, from).await;
        let head = deploy_sha(&c, PAY, to).await;
        let cmp = c.get(&format!("{PAY}/compare/{base}...{head}")).await;
        assert_eq!(cmp.status, 200, "{}", cmp.body);
        let v = cmp.json();
        assert_eq!(v["status"], "ahead", "{from}...{to}");
        assert_eq!(v["behind_by"], 0);
        let commits = &v["commits"];
        let n = commits.as_array().expect("commits").len();
        assert_eq!(v["ahead_by"], n as u64);
        assert_eq!(v["total_commits"], n as u64);
        assert_eq!(v["base_commit"]["sha"], base.as_str());
        assert_eq!(v["merge_base_commit"]["sha"], base.as_str());
        // Oldest first: the deployed tag's commit comes last.
        assert_eq!(shas(commits).last(), Some(&head), "{from}...{to}");
        assert_eq!(
            commits[n - 1]["commit"]["message"],
            format!("Release {to}"),
            "{from}...{to}"
        );
        assert_eq!(
            merges(commits),
            merge_commits_of(&c, PAY, prs).await,
            "{from}...{to}"
        );
    }
    // v2.2.2 shipped a direct commit and no pull request.
    let base = deploy_sha(&c, PAY, "v2.2.1").await;
    let head = deploy_sha(&c, PAY, "v2.2.2").await;
    let v = c
        .get(&format!("{PAY}/compare/{base}...{head}"))
        .await
        .json();
    let messages: Vec<&str> = v["commits"]
        .as_array()
        .expect("commits")
        .iter()
        .map(|k| k["commit"]["message"].as_str().expect("message"))
        .collect();
    assert_eq!(
        messages,
        ["Raise PSP client timeout to 8s", "Release v2.2.2"]
    );
    // Backwards it is behind; the same SHA twice is identical.
    let back = c
        .get(&format!("{PAY}/compare/{head}...{base}"))
        .await
        .json();
    assert_eq!(back["status"], "behind");
    assert_eq!(back["behind_by"], 2);
    assert_eq!(back["total_commits"], 0);
    let same = c
        .get(&format!("{PAY}/compare/{head}...{head}"))
        .await
        .json();
    assert_eq!(same["status"], "identical");
    sim.shutdown().await;
}

#[tokio::test]
async fn tags_and_runs_point_into_the_main_history() {
    let (sim, c) = start().await;
    for repo in [SF, PAY] {
        let (main, pages) = all_pages(&c, &format!("{repo}/commits?sha=main&per_page=100")).await;
        assert!(pages >= 1);
        let on_main: BTreeSet<String> = shas(&Value::Array(main.clone())).into_iter().collect();
        // Newest first.
        let dates: Vec<&str> = main
            .iter()
            .map(|k| k["commit"]["author"]["date"].as_str().expect("date"))
            .collect();
        let mut sorted = dates.clone();
        sorted.sort_unstable_by(|a, b| b.cmp(a));
        assert_eq!(dates, sorted, "{repo}: newest first");
        for tag in ["v2.2.0", "v2.3.0"] {
            let t = c
                .get(&format!("{repo}/commits?sha={tag}&per_page=1"))
                .await
                .json();
            let sha = t[0]["sha"].as_str().expect("sha").to_owned();
            assert!(on_main.contains(&sha), "{repo}: {tag} is on main");
            let v = c.get(&format!("{repo}/compare/{tag}...main")).await.json();
            assert_eq!(v["status"], "ahead", "{repo}: main is ahead of {tag}");
            assert_eq!(
                deploy_sha(&c, repo, tag).await,
                sha,
                "{repo}: deploy of {tag}"
            );
        }
        // The release branch forked from main: they have diverged.
        let v = c
            .get(&format!("{repo}/compare/main...release/v2.4.0"))
            .await
            .json();
        assert_eq!(v["status"], "diverged", "{repo}");
        let fork = v["merge_base_commit"]["sha"].as_str().expect("sha");
        assert!(on_main.contains(fork), "{repo}: the fork point is on main");
        let rc = c
            .get(&format!("{repo}/commits?sha=release/v2.4.0&per_page=100"))
            .await
            .json();
        let rc_shas = shas(&rc);
        for tag in ["v2.4.0-rc.1", "v2.4.0-rc.2"] {
            let t = c
                .get(&format!("{repo}/commits?sha=refs/tags/{tag}&per_page=1"))
                .await
                .json();
            assert!(
                rc_shas.contains(&t[0]["sha"].as_str().expect("sha").to_owned()),
                "{repo}: {tag} is on the release branch"
            );
        }
        // Every run's commit is in the graph.
        let runs = c
            .get(&format!("{repo}/actions/runs?per_page=100"))
            .await
            .json();
        for run in runs["workflow_runs"].as_array().expect("runs") {
            let sha = run["head_sha"].as_str().expect("sha");
            let r = c.get(&format!("{repo}/commits?sha={sha}&per_page=1")).await;
            assert_eq!(r.status, 200, "{repo}: run {}'s commit", run["id"]);
            assert_eq!(r.json()[0]["sha"], sha);
        }
    }
    // Unknown refs are 404s.
    for path in [
        format!("{PAY}/compare/main...no-such-branch"),
        format!("{PAY}/compare/0123456789abcdef0123456789abcdef01234567...main"),
        format!("{PAY}/commits?sha=no-such-branch"),
    ] {
        assert_eq!(c.get(&path).await.status, 404, "{path}");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn commits_filter_by_time_and_page() {
    let (sim, c) = start().await;
    let (all, _) = all_pages(&c, &format!("{PAY}/commits?per_page=100")).await;
    let (paged, pages) = all_pages(&c, &format!("{PAY}/commits?per_page=7")).await;
    assert_eq!(shas(&Value::Array(all.clone())), shas(&Value::Array(paged)));
    assert!(pages > 3, "{pages}");
    let date = |k: &Value| {
        k["commit"]["author"]["date"]
            .as_str()
            .expect("date")
            .to_owned()
    };
    let since = date(&all[10]);
    let until = date(&all[3]);
    let window = c
        .get(&format!(
            "{PAY}/commits?since={since}&until={until}&per_page=100"
        ))
        .await
        .json();
    assert_eq!(shas(&window), shas(&Value::Array(all[3..=10].to_vec())));
    sim.shutdown().await;
}

#[tokio::test]
async fn pulls_list_pages_and_agrees_with_the_issues() {
    let (sim, c) = start().await;
    let (closed, pages) = all_pages(&c, &format!("{PAY}/pulls?state=closed&per_page=10")).await;
    assert!(pages >= 3, "{pages}");
    let (main, _) = all_pages(&c, &format!("{PAY}/commits?sha=main&per_page=100")).await;
    let on_main: BTreeSet<String> = shas(&Value::Array(main)).into_iter().collect();
    let created: Vec<&str> = closed
        .iter()
        .map(|p| p["created_at"].as_str().expect("created"))
        .collect();
    let mut sorted = created.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(created, sorted, "newest first by default");
    for p in &closed {
        assert_eq!(p["state"], "closed");
        let sha = p["merge_commit_sha"].as_str().expect("merged");
        assert!(
            on_main.contains(sha),
            "#{}: merge commit on main",
            p["number"]
        );
        let issue = c.get(&format!("{PAY}/issues/{}", p["number"])).await.json();
        assert_eq!(issue["pull_request"]["merged_at"], p["merged_at"]);
        assert_eq!(issue["closed_at"], p["closed_at"]);
    }
    let open = c.get(&format!("{PAY}/pulls")).await.json();
    let open: Vec<u64> = open
        .as_array()
        .expect("pulls")
        .iter()
        .map(|p| p["number"].as_u64().expect("number"))
        .collect();
    assert_eq!(open, [92], "the draft is the one open pull request");
    let asc = c
        .get(&format!(
            "{PAY}/pulls?state=all&sort=created&direction=asc&base=main&per_page=1"
        ))
        .await
        .json();
    assert_eq!(asc[0]["number"], 40, "the oldest pull request first");
    let none = c
        .get(&format!("{PAY}/pulls?state=all&base=release/v2.4.0"))
        .await
        .json();
    assert_eq!(none.as_array().map(Vec::len), Some(0));
    let pr = c.get(&format!("{SF}/pulls/176")).await.json();
    assert_eq!(pr["head"]["ref"], "checkout-latency-probe");
    // The storefront rollback ran on #176's merge commit.
    let rollback = c.get(&format!("{SF}/actions/runs/9000000001")).await.json();
    assert_eq!(rollback["head_sha"], pr["merge_commit_sha"]);
    assert_eq!(
        c.get(&format!("{SF}/pulls/200")).await.status,
        404,
        "an issue"
    );
    assert_eq!(
        c.get(&format!("{PAY}/pulls?state=merged")).await.status,
        422
    );
    sim.shutdown().await;
}
