//! Facts about the sample release that the dashboard and its tests rely on.

use chrono::TimeZone;

use super::*;

fn world() -> World {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 21, 10, 0, 0)
        .single()
        .expect("valid date");
    demo_world(now)
}

#[test]
fn release_facts() {
    let w = world();
    assert_eq!(w.login, "alice");
    let all: Vec<(&Repo, &Issue)> = w
        .repos
        .iter()
        .flat_map(|r| r.issues.iter().map(move |i| (r, i)))
        .collect();
    let in_release = |r: &Repo, i: &Issue| {
        let m = r
            .milestones
            .iter()
            .find(|m| m.title == "v2.4.0")
            .expect("milestone");
        i.milestone == Some(m.number)
    };
    let release: Vec<_> = all.iter().filter(|(r, i)| in_release(r, i)).collect();
    assert!((40..=50).contains(&release.len()), "{}", release.len());
    let has = |i: &Issue, l: &str| i.labels.iter().any(|x| x == l);
    let blockers: Vec<_> = all
        .iter()
        .filter(|(_, i)| has(i, "release-blocker") && i.state == "open")
        .collect();
    assert_eq!(blockers.len(), 1);
    assert_eq!(blockers[0].1.number, 255);
    let risks: Vec<_> = release.iter().filter(|(_, i)| has(i, "risk")).collect();
    assert_eq!(risks.len(), 6);
    assert_eq!(risks.iter().filter(|(_, i)| i.state == "closed").count(), 1);
    let unmitigated = risks
        .iter()
        .filter(|(_, i)| !i.body.as_deref().unwrap_or("").contains("## Mitigation"))
        .count();
    assert_eq!(unmitigated, 1);
    // Every label used exists in its repository.
    for (r, i) in &all {
        for l in &i.labels {
            assert!(
                r.label(l).is_some(),
                "{} #{} uses missing label {l}",
                r.name,
                i.number
            );
        }
    }
    // "auto" picks the open milestone with the nearest due date.
    for r in &w.repos {
        let next = r
            .milestones
            .iter()
            .filter(|m| m.state == "open")
            .min_by_key(|m| m.due_on)
            .expect("open milestone");
        assert_eq!(next.title, "v2.4.0");
    }
}

#[test]
fn checklist_shape() {
    let w = world();
    let tracking = w
        .repo("acme/storefront")
        .and_then(|r| r.issue(200))
        .expect("#200");
    assert_eq!(tracking.title, "Release v2.4.0 checklist");
    assert_eq!(tracking.labels, vec!["release-checklist"]);
    let body = tracking.body.as_deref().expect("body");
    for h in [
        "## Plan",
        "## Build",
        "## Test",
        "## Prepare",
        "## Deploy",
        "## Review",
        "## Notes",
    ] {
        assert!(body.contains(h), "{h}");
    }
    let items = body
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with("- [ ]") || t.starts_with("- [x]") || t.starts_with("- [X]")
        })
        .count();
    assert!(items >= 32, "{items}");
    assert!(body.contains("- [X]"));
    assert!(body.contains("  - [x]"));
}

#[test]
fn run_history() {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 21, 10, 0, 0)
        .single()
        .expect("valid date");
    let w = demo_world(now);
    let runs: Vec<&crate::sim::Run> = w.repos.iter().flat_map(|r| &r.runs).collect();
    assert_eq!(runs.len(), 49);
    for r in &runs {
        assert!(r.created_at <= now);
        assert!(r.updated_at <= now + chrono::TimeDelta::minutes(2));
        if r.id != 9_000_000_026 {
            assert_eq!(r.status, "completed", "run {}", r.id);
        }
    }
    let live = w.run(9_000_000_026).expect("live run");
    assert_eq!(live.status, "in_progress");
    let red = w.run(9_000_000_023).expect("red e2e");
    assert_eq!(red.conclusion.as_deref(), Some("failure"));
    assert_eq!(
        w.run(9_000_000_014).and_then(|r| r.conclusion.as_deref()),
        Some("cancelled")
    );
    let deploy = w.run(9_000_000_021).expect("rc.2 deploy");
    assert_eq!(deploy.display_title, "Deploy v2.4.0-rc.2 to staging");
    assert_eq!(deploy.inputs["version"], "v2.4.0-rc.2");
    assert_eq!(deploy.inputs["dry_run"], "false");
    assert_eq!(w.ids.next_run, 9_000_000_027);
    let prod = w.run(9_000_000_005).expect("v2.3.0 production");
    assert_eq!(prod.display_title, "Deploy v2.3.0 to production");
    assert_eq!(prod.conclusion.as_deref(), Some("success"));
    // Production's history before this release, for a rollback to propose from.
    let storefront = w.repo("acme/storefront").expect("storefront");
    let production: Vec<(&str, Option<&str>)> = storefront
        .runs
        .iter()
        .filter(|r| {
            r.display_title.starts_with("Deploy") && r.inputs["environment"] == "production"
        })
        .map(|r| (r.inputs["version"].as_str(), r.conclusion.as_deref()))
        .collect();
    assert_eq!(
        production,
        vec![
            ("v2.2.0", Some("success")),
            ("v2.2.1", Some("failure")),
            ("v2.3.0", Some("success"))
        ]
    );
    // Run numbers on the release branch stay as they were.
    assert_eq!(deploy.run_number, 215);
}
