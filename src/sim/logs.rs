//! Job logs in GitHub's plain-text format, served from the simulator's "signed" log URLs.

use chrono::{DateTime, TimeDelta, Utc};
use http::StatusCode;

use super::engine;
use super::server::{ApiError, Reply, ReplyBody};
use super::util::log_stamp;
use super::world::{Job, Run, Step, World};

/// Answers `/_sim/logs/{owner}/{repo}/jobs/{id}`.
pub fn serve(world: &mut World, rest: &str, now: DateTime<Utc>) -> Reply {
    let parts: Vec<&str> = rest.split('/').collect();
    let [owner, name, "jobs", id] = parts.as_slice() else {
        return ApiError::not_found().0;
    };
    let Ok(id) = id.parse::<u64>() else {
        return ApiError::not_found().0;
    };
    let Some(repo) = world.repo_mut(&format!("{owner}/{name}")) else {
        return ApiError::not_found().0;
    };
    let full = repo.full_name();
    for run in &mut repo.runs {
        engine::advance(run, now);
    }
    let found = repo
        .runs
        .iter()
        .find_map(|r| r.jobs.iter().find(|j| j.id == id).map(|j| (r, j)));
    match found {
        Some((run, job)) => Reply {
            status: StatusCode::OK,
            body: ReplyBody::Text(job_log(&full, run, job, now)),
            headers: Vec::new(),
        },
        None => ApiError::not_found().0,
    }
}

/// The full log text of a job as far as it has run.
pub fn job_log(repo: &str, run: &Run, job: &Job, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    for step in &job.steps {
        let Some(start) = step.started_at else {
            break;
        };
        if step.conclusion.as_deref() == Some("skipped") {
            continue;
        }
        let end = step.completed_at.unwrap_or(now).max(start);
        let lines = step_lines(repo, run, job, step);
        let n = lines.len().max(1) as i32;
        let span = end - start;
        for (i, line) in lines.iter().enumerate() {
            let t = start + span / n * i32::try_from(i).unwrap_or(0) + TimeDelta::microseconds(137);
            out.push_str(&log_stamp(t));
            out.push(' ');
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn step_lines(repo: &str, run: &Run, job: &Job, step: &Step) -> Vec<String> {
    let name = step.name.as_str();
    if name == "Set up job" {
        return vec![
            "Current runner version: '2.321.0'".to_owned(),
            "##[group]Operating System".to_owned(),
            "Ubuntu".to_owned(),
            "24.04.1".to_owned(),
            "LTS".to_owned(),
            "##[endgroup]".to_owned(),
            "##[group]Runner Image".to_owned(),
            "Image: ubuntu-24.04".to_owned(),
            "Version: 20261116.1.0".to_owned(),
            "##[endgroup]".to_owned(),
            format!("Job defined at: {repo}/{}@refs/heads/{}", run.path, run.head_branch),
            "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)".to_owned(),
            "Complete job name: ".to_owned() + &job.name,
        ];
    }
    if name == "Complete job" {
        return vec!["Cleaning up orphan processes".to_owned()];
    }
    let mut lines = vec![format!(
        "##[group]{}",
        if name.starts_with("Run ") {
            name.to_owned()
        } else {
            format!("Run {name}")
        }
    )];
    let lower = name.to_lowercase();
    let body: &[&str] = if lower.contains("checkout") {
        &[
            "Syncing repository: acme",
            "Fetching the repository",
            "HEAD is now at commit",
        ]
    } else if lower.contains("node") {
        &[
            "Attempting to download 20.x...",
            "Found in cache @ /opt/hostedtoolcache/node/20.18.0/x64",
            "Environment details",
        ]
    } else if lower.contains("install") {
        &[
            "added 1412 packages, and audited 1413 packages in 41s",
            "found 0 vulnerabilities",
        ]
    } else if lower.contains("lint") || lower.contains("typecheck") || lower.contains("vet") {
        &["> eslint . --max-warnings 0", "Done in 12.4s"]
    } else if lower.contains("test") || lower.contains("playwright") {
        &["Running 214 tests using 4 workers", "  214 passed (3.2m)"]
    } else if lower.contains("build") || lower.contains("image") {
        &[
            "#12 exporting to image",
            "#12 naming to ghcr.io/acme/app done",
            "#12 DONE 8.1s",
        ]
    } else if lower.contains("deploy") || lower.contains("helm") || lower.contains("rollout") {
        &[
            "Release \"web\" has been upgraded. Happy Helming!",
            "deployment \"web\" successfully rolled out",
        ]
    } else {
        &["Done."]
    };
    let failed = step.conclusion.as_deref() == Some("failure");
    let body: Vec<String> = if failed && (lower.contains("test") || lower.contains("playwright")) {
        vec!["Running 214 tests using 4 workers".to_owned()]
    } else {
        body.iter().map(|s| (*s).to_owned()).collect()
    };
    lines.push("##[endgroup]".to_owned());
    lines.extend(body);
    if failed {
        match &job.error_log {
            Some(custom) => lines.extend(custom.lines().map(str::to_owned)),
            None => lines.extend([
                "Error: command failed".to_owned(),
                format!("  step \"{name}\" exited with a non-zero status"),
            ]),
        }
        lines.push("##[error]Process completed with exit code 1.".to_owned());
    }
    lines
}
