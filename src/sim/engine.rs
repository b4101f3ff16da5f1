//! Workflow runs that move by themselves: creation from a workflow file, lazy progress
//! from the clock (queued → in_progress → waiting → completed), cancel, re-run and reviews.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::RunTiming;
use super::util::{fnv64, plus};
use super::workflow::{WorkflowSpec, expand};
use super::world::{Commit, Ids, Job, Progress, Repo, Review, Run, Step, Workflow, World};

/// What starts a run.
#[derive(Debug, Clone)]
pub struct NewRun {
    /// Triggering event.
    pub event: String,
    /// Branch or tag.
    pub branch: String,
    /// Commit it runs on.
    pub commit: Commit,
    /// Who started it.
    pub actor: String,
    /// Dispatch inputs, defaults applied.
    pub inputs: BTreeMap<String, String>,
    /// Creation time.
    pub created: DateTime<Utc>,
    /// Pacing.
    pub pace: RunTiming,
    /// Vary step durations (for history).
    pub vary: bool,
}

/// Builds a queued run of `wf` (parsed as `spec`) in `repo`; the caller stores it.
/// Consumes the workflow's `fail_next` flag by marking the first job's last step to fail.
pub fn new_run(
    repo: &mut Repo,
    ids: &mut Ids,
    wf_index: usize,
    spec: &WorkflowSpec,
    req: NewRun,
) -> Run {
    let wf: &Workflow = &repo.workflows[wf_index];
    let (wf_id, wf_path, wf_name) = (wf.id, wf.path.clone(), wf.name.clone());
    let run_number = repo
        .runs
        .iter()
        .filter(|r| r.workflow_id == wf_id)
        .map(|r| r.run_number)
        .max()
        .unwrap_or(0)
        + 1;
    let display_title = match (req.event.as_str(), &spec.run_name) {
        (_, Some(t)) => expand(t, &req.inputs, &req.branch, &req.actor),
        ("workflow_dispatch", None) => wf_name.clone(),
        _ => req.commit.message.lines().next().unwrap_or("").to_owned(),
    };
    let jobs: Vec<Job> = spec
        .jobs
        .iter()
        .map(|j| {
            let environment = j
                .environment
                .as_ref()
                .map(|e| expand(e, &req.inputs, &req.branch, &req.actor));
            let protected = environment.as_deref().is_some_and(|e| repo.is_protected(e));
            ids.next_job += 1;
            let mut names = vec!["Set up job".to_owned()];
            names.extend(j.steps.iter().cloned());
            names.push("Complete job".to_owned());
            Job {
                id: ids.next_job - 1,
                key: j.key.clone(),
                name: expand(&j.name, &req.inputs, &req.branch, &req.actor),
                needs: j.needs.clone(),
                environment,
                protected,
                labels: j.runs_on.clone(),
                status: "queued".to_owned(),
                conclusion: None,
                created_at: req.created,
                started_at: req.created,
                completed_at: None,
                steps: names
                    .into_iter()
                    .zip(1..)
                    .map(|(name, number)| Step {
                        number,
                        name,
                        status: "queued".to_owned(),
                        conclusion: None,
                        started_at: None,
                        completed_at: None,
                    })
                    .collect(),
                runner: None,
                fail_at: None,
                error_log: None,
            }
        })
        .collect();
    ids.next_run += 1;
    let mut run = Run {
        id: ids.next_run - 1,
        run_number,
        run_attempt: 1,
        workflow_id: wf_id,
        path: wf_path,
        name: wf_name,
        display_title,
        event: req.event,
        head_branch: req.branch,
        head_commit: req.commit,
        actor: req.actor.clone(),
        triggering_actor: req.actor,
        status: "queued".to_owned(),
        conclusion: None,
        created_at: req.created,
        updated_at: req.created,
        run_started_at: req.created,
        inputs: req.inputs,
        jobs,
        reviews: BTreeMap::new(),
        waiting_since: None,
        live: Some(Progress {
            pace: req.pace,
            cursor: req.created,
            job: 0,
            step: 0,
            vary: req.vary,
        }),
    };
    if std::mem::take(&mut repo.workflows[wf_index].fail_next) {
        mark_default_failure(&mut run);
    }
    run
}

/// Makes the first job fail at its last real step.
pub fn mark_default_failure(run: &mut Run) {
    if let Some(job) = run.jobs.first_mut() {
        let n = job.steps.len() as u64;
        job.fail_at = Some(n.saturating_sub(1).max(1));
    }
}

fn step_duration(p: &Progress, name: &str) -> Duration {
    if !p.vary {
        return p.pace.per_step;
    }
    let weight = match name {
        "Set up job" => 0.25,
        "Complete job" => 0.1,
        _ => 0.5 + (fnv64(name.as_bytes()) % 100) as f64 / 100.0,
    };
    p.pace.per_step.mul_f64(weight)
}

/// Total weight of a run's steps, used to pace history so it lasts a given time.
pub fn total_weight(run: &Run) -> f64 {
    let p = Progress {
        pace: RunTiming {
            queued: Duration::ZERO,
            per_step: Duration::from_secs(1000),
        },
        cursor: run.created_at,
        job: 0,
        step: 0,
        vary: true,
    };
    run.jobs
        .iter()
        .flat_map(|j| &j.steps)
        .map(|s| step_duration(&p, &s.name).as_secs_f64() / 1000.0)
        .sum()
}

fn finish_job(job: &mut Job, conclusion: &str, at: DateTime<Utc>) {
    for s in &mut job.steps {
        if s.status != "completed" {
            s.status = "completed".to_owned();
            s.conclusion = Some("skipped".to_owned());
            s.started_at = s.started_at.or(Some(at));
            s.completed_at = Some(at);
        }
    }
    job.status = "completed".to_owned();
    job.conclusion = Some(conclusion.to_owned());
    job.completed_at = Some(at);
}

/// Brings a live run up to `now`. Frozen runs are left alone.
pub fn advance(run: &mut Run, now: DateTime<Utc>) {
    let Some(mut p) = run.live else {
        return;
    };
    loop {
        match run.status.as_str() {
            "queued" => {
                let t = plus(p.cursor, p.pace.queued);
                if now < t {
                    break;
                }
                run.status = "in_progress".to_owned();
                run.updated_at = t;
                p.cursor = t;
            }
            "in_progress" => {
                if !step_job(run, &mut p, now) {
                    break;
                }
            }
            _ => break,
        }
    }
    run.live = if run.status == "completed" {
        None
    } else {
        Some(p)
    };
}

/// One move of an in-progress run; false when it has to wait for the clock or a review.
fn step_job(run: &mut Run, p: &mut Progress, now: DateTime<Utc>) -> bool {
    let Some(job) = run.jobs.get(p.job) else {
        let concl = |c: &str| run.jobs.iter().any(|j| j.conclusion.as_deref() == Some(c));
        let conclusion = if concl("failure") {
            "failure"
        } else if concl("cancelled") {
            "cancelled"
        } else {
            "success"
        };
        run.status = "completed".to_owned();
        run.conclusion = Some(conclusion.to_owned());
        run.updated_at = p.cursor;
        return false;
    };
    match job.status.as_str() {
        "completed" => {
            p.job += 1;
            p.step = 0;
            true
        }
        "queued" | "waiting" => {
            let blocked = job.needs.iter().any(|n| {
                run.jobs
                    .iter()
                    .any(|o| &o.key == n && o.conclusion.as_deref().is_some_and(|c| c != "success"))
            });
            let review = job
                .environment
                .as_ref()
                .and_then(|e| run.reviews.get(e))
                .copied();
            let at = p.cursor;
            let job = &mut run.jobs[p.job];
            if blocked {
                finish_job(job, "skipped", at);
                job.started_at = at;
            } else if job.protected && review.is_none() {
                job.status = "waiting".to_owned();
                run.status = "waiting".to_owned();
                run.waiting_since.get_or_insert(at);
                run.updated_at = at;
                return false;
            } else if review == Some(Review::Rejected) {
                finish_job(job, "failure", at);
                job.started_at = at;
            } else {
                job.status = "in_progress".to_owned();
                job.started_at = at;
                job.runner = Some(1_000 + job.id % 97);
                p.step = 0;
                run.waiting_since = None;
                run.updated_at = at;
            }
            true
        }
        _ => {
            let at = p.cursor;
            let pp = *p;
            let job = &mut run.jobs[p.job];
            let Some(step) = job.steps.get_mut(p.step) else {
                finish_job(job, "success", at);
                run.updated_at = at;
                return true;
            };
            if step.status == "queued" {
                step.status = "in_progress".to_owned();
                step.started_at = Some(at);
            }
            let done = plus(at, step_duration(&pp, &step.name));
            if now < done {
                return false;
            }
            step.status = "completed".to_owned();
            step.completed_at = Some(done);
            let failed = job.fail_at == Some(step.number);
            step.conclusion = Some(if failed { "failure" } else { "success" }.to_owned());
            p.cursor = done;
            p.step += 1;
            if failed {
                // Later steps are skipped, except "Complete job" which still runs.
                let last = job.steps.len().saturating_sub(1);
                for (i, s) in job.steps.iter_mut().enumerate().skip(p.step) {
                    s.status = "completed".to_owned();
                    s.started_at = Some(done);
                    s.completed_at = Some(done);
                    s.conclusion = Some(if i == last { "success" } else { "skipped" }.to_owned());
                }
                finish_job(job, "failure", done);
                run.updated_at = done;
            } else if p.step == job.steps.len() {
                finish_job(job, "success", done);
                run.updated_at = done;
            }
            true
        }
    }
}

/// Error when an operation does not fit the run's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateError(pub String);

/// Cancels a run that has not completed (after bringing it up to `now`).
pub fn cancel(run: &mut Run, now: DateTime<Utc>) -> Result<(), StateError> {
    advance(run, now);
    if run.status == "completed" {
        return Err(StateError(
            "Cannot cancel a workflow run that is completed.".to_owned(),
        ));
    }
    for job in &mut run.jobs {
        if job.status == "completed" {
            continue;
        }
        for s in &mut job.steps {
            if s.status == "in_progress" {
                s.status = "completed".to_owned();
                s.conclusion = Some("cancelled".to_owned());
                s.completed_at = Some(now);
            }
        }
        finish_job(job, "cancelled", now);
    }
    run.status = "completed".to_owned();
    run.conclusion = Some("cancelled".to_owned());
    run.updated_at = now;
    run.waiting_since = None;
    run.live = None;
    Ok(())
}

/// Starts a new attempt of a completed run: every job, or only those that did not succeed.
pub fn rerun(
    run: &mut Run,
    ids: &mut Ids,
    now: DateTime<Utc>,
    pace: RunTiming,
    failed_only: bool,
    fail: bool,
) -> Result<(), StateError> {
    advance(run, now);
    if run.status != "completed" {
        return Err(StateError("This workflow is already running".to_owned()));
    }
    if failed_only
        && run
            .jobs
            .iter()
            .all(|j| j.conclusion.as_deref() == Some("success"))
    {
        return Err(StateError(
            "This workflow run has no failed jobs to re-run.".to_owned(),
        ));
    }
    for job in &mut run.jobs {
        if failed_only && job.conclusion.as_deref() == Some("success") {
            continue;
        }
        job.id = ids.next_job;
        ids.next_job += 1;
        job.status = "queued".to_owned();
        job.conclusion = None;
        job.created_at = now;
        job.started_at = now;
        job.completed_at = None;
        job.runner = None;
        job.fail_at = None;
        job.error_log = None;
        for s in &mut job.steps {
            s.status = "queued".to_owned();
            s.conclusion = None;
            s.started_at = None;
            s.completed_at = None;
        }
    }
    run.run_attempt += 1;
    run.status = "queued".to_owned();
    run.conclusion = None;
    run.updated_at = now;
    run.run_started_at = now;
    run.reviews.clear();
    run.waiting_since = None;
    run.live = Some(Progress {
        pace,
        cursor: now,
        job: 0,
        step: 0,
        vary: false,
    });
    if fail && let Some(job) = run.jobs.iter_mut().find(|j| j.status == "queued") {
        job.fail_at = Some((job.steps.len() as u64).saturating_sub(1).max(1));
    }
    Ok(())
}

/// The environment a waiting run waits on, if any.
pub fn waiting_environment(run: &Run) -> Option<&str> {
    if run.status != "waiting" {
        return None;
    }
    run.jobs
        .iter()
        .find(|j| j.status == "waiting")
        .and_then(|j| j.environment.as_deref())
}

/// Records a review for the waiting environment and lets the run continue from `now`.
pub fn review(run: &mut Run, env: &str, decision: Review, now: DateTime<Utc>) {
    run.reviews.insert(env.to_owned(), decision);
    run.status = "in_progress".to_owned();
    run.updated_at = now;
    if let Some(p) = run.live.as_mut() {
        p.cursor = now;
    }
    advance(run, now);
}

impl World {
    /// Starts a run of `workflow` (id or file name) in `repo` (`owner/name`), as a push,
    /// schedule or dispatch would; returns its id. Dispatch inputs are not validated here.
    pub fn start_run(&mut self, repo: &str, workflow: &str, run: NewRun) -> Option<u64> {
        let World { repos, ids, .. } = self;
        let repo = repos.iter_mut().find(|r| r.full_name() == repo)?;
        let wf_id = repo.workflow(workflow)?.id;
        let wf_index = repo.workflows.iter().position(|w| w.id == wf_id)?;
        let spec = repo.workflow_spec(&repo.workflows[wf_index], Some(&run.branch));
        let run = new_run(repo, ids, wf_index, &spec, run);
        let id = run.id;
        repo.runs.push(run);
        Some(id)
    }

    /// Pushes a commit to `branch` at `now`: the branch head moves and every workflow whose
    /// `on.push` matches the branch starts a run. Returns the new runs' ids, or `None` when
    /// the repository or branch does not exist.
    pub fn push_commit(
        &mut self,
        repo: &str,
        branch: &str,
        message: &str,
        author: &str,
        now: DateTime<Utc>,
        pace: RunTiming,
    ) -> Option<Vec<u64>> {
        let r = self.repo_mut(repo)?;
        let head = r.branches.get_mut(branch)?;
        let parent = head.sha.clone();
        *head = Commit {
            sha: super::util::fake_sha(&format!("{repo}:{branch}:{message}:{now}")),
            message: message.to_owned(),
            author: author.to_owned(),
            timestamp: now,
        };
        let commit = head.clone();
        r.graph.add(commit.clone(), vec![parent]);
        let triggered: Vec<String> = r
            .workflows
            .iter()
            .filter(|w| r.workflow_spec(w, Some(branch)).runs_on_push(branch))
            .map(|w| w.id.to_string())
            .collect();
        let runs = triggered
            .iter()
            .filter_map(|wf| {
                self.start_run(
                    repo,
                    wf,
                    NewRun {
                        event: "push".to_owned(),
                        branch: branch.to_owned(),
                        commit: commit.clone(),
                        actor: author.to_owned(),
                        inputs: BTreeMap::new(),
                        created: now,
                        pace,
                        vary: false,
                    },
                )
            })
            .collect();
        Some(runs)
    }
}
