//! The sample release: `assets/demo/*.toml` turned into a [`World`] dated relative to `now`.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::RunTiming;
use super::engine::{self, NewRun};
use super::util::{fake_sha, parse_duration, parse_offset};
use super::world::{
    Comment, Commit, Environment, Issue, Label, Milestone, PullInfo, Repo, Review, Workflow, World,
};

const LABELS: &str = include_str!("../../assets/demo/labels.toml");
const REPOS: [&str; 2] = [
    include_str!("../../assets/demo/storefront.toml"),
    include_str!("../../assets/demo/payments.toml"),
];
const CHECKLIST: &str = include_str!("../../assets/demo/checklist.md");

/// Workflow files by asset name.
fn workflow_source(name: &str) -> Option<&'static str> {
    Some(match name {
        "ci.yml" => include_str!("../../assets/demo/workflows/ci.yml"),
        "payments-ci.yml" => include_str!("../../assets/demo/workflows/payments-ci.yml"),
        "e2e.yml" => include_str!("../../assets/demo/workflows/e2e.yml"),
        "deploy.yml" => include_str!("../../assets/demo/workflows/deploy.yml"),
        "rollback.yml" => include_str!("../../assets/demo/workflows/rollback.yml"),
        _ => return None,
    })
}

#[derive(Deserialize)]
struct LabelsFile {
    labels: Vec<LabelDef>,
}

#[derive(Deserialize)]
struct RepoFile {
    repo: RepoMeta,
    branches: BTreeMap<String, CommitDef>,
    #[serde(default)]
    tags: BTreeMap<String, CommitDef>,
    #[serde(default)]
    environments: Vec<EnvDef>,
    #[serde(default)]
    labels: Vec<LabelDef>,
    #[serde(default)]
    milestones: Vec<MilestoneDef>,
    #[serde(default)]
    issues: Vec<IssueDef>,
    #[serde(default)]
    workflows: Vec<WorkflowDef>,
    #[serde(default)]
    runs: Vec<RunDef>,
    #[serde(default)]
    history: HistoryDef,
}

/// The 90-day history: direct commits on the default branch and merged pull requests.
#[derive(Deserialize, Default)]
struct HistoryDef {
    #[serde(default)]
    commits: Vec<CommitDef>,
    #[serde(default)]
    prs: Vec<PrDef>,
}

/// A pull request merged into the default branch.
#[derive(Deserialize)]
struct PrDef {
    number: u64,
    title: String,
    author: String,
    head: String,
    created: String,
    merged: String,
}

#[derive(Deserialize)]
struct RepoMeta {
    owner: String,
    name: String,
    id: u64,
    description: Option<String>,
    language: Option<String>,
    default_branch: String,
    created: String,
}

#[derive(Deserialize)]
struct CommitDef {
    message: String,
    author: String,
    at: String,
    /// The branch a tag or direct commit is on (default: the default branch).
    branch: Option<String>,
}

#[derive(Deserialize)]
struct EnvDef {
    id: u64,
    name: String,
    #[serde(default)]
    reviewers: Vec<String>,
    #[serde(default)]
    wait_timer: u32,
}

#[derive(Deserialize)]
struct LabelDef {
    name: String,
    color: String,
    description: Option<String>,
    #[serde(default)]
    default: bool,
}

#[derive(Deserialize)]
struct MilestoneDef {
    number: u64,
    title: String,
    state: String,
    description: Option<String>,
    due: Option<String>,
    created: String,
    closed: Option<String>,
    creator: String,
}

#[derive(Deserialize)]
struct IssueDef {
    number: u64,
    title: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    draft: bool,
    merged: Option<String>,
    state: Option<String>,
    #[serde(default)]
    labels: Vec<String>,
    #[serde(default)]
    assignees: Vec<String>,
    author: String,
    milestone: Option<String>,
    created: String,
    updated: Option<String>,
    closed: Option<String>,
    body: Option<String>,
    body_file: Option<String>,
    #[serde(default)]
    comments: Vec<CommentDef>,
    /// A pull request's head branch (default: from its number).
    head: Option<String>,
}

#[derive(Deserialize)]
struct CommentDef {
    author: String,
    at: String,
    body: String,
}

#[derive(Deserialize)]
struct WorkflowDef {
    id: u64,
    file: String,
    source: Option<String>,
    created: String,
    first_run_number: u64,
}

#[derive(Deserialize)]
struct RunDef {
    id: u64,
    workflow: String,
    branch: String,
    event: Option<String>,
    actor: String,
    commit: Option<String>,
    created: String,
    duration: String,
    outcome: Option<String>,
    cancel_after: Option<String>,
    fail_job: Option<String>,
    fail_step: Option<String>,
    error_log: Option<String>,
    #[serde(default)]
    inputs: BTreeMap<String, String>,
}

/// Resolves an offset from the demo files; they are compiled in, so a bad one is a bug.
fn at(now: DateTime<Utc>, offset: &str) -> DateTime<Utc> {
    now + parse_offset(offset).unwrap_or_else(|| panic!("bad offset {offset:?} in assets/demo"))
}

fn duration(s: &str) -> Duration {
    parse_duration(s).unwrap_or_else(|| panic!("bad duration {s:?} in assets/demo"))
}

/// The sample release: `acme/storefront` and `acme/payments` with milestone `v2.4.0`,
/// its tracking issue, risks, a blocker, workflows and a history of runs, all dated
/// relative to `now`. The authenticated user is `alice`.
///
/// Key facts (tests rely on them):
/// - branches `main` and `release/v2.4.0`; tags `v2.2.0` (and `v2.2.1` in storefront),
///   `v2.3.0`, `v2.4.0-rc.1`, `v2.4.0-rc.2`.
/// - milestones: storefront #6 `v2.3.0` (closed), #7 `v2.4.0` (due +4d), #8 `v2.5.0`
///   (+35d); payments #3, #4, #5 with the same titles.
/// - tracking issue: acme/storefront#200 (`release-checklist`, body = `checklist.md`).
/// - the one open `release-blocker`: acme/storefront#255.
/// - risks: storefront #250, #251, #252 (no mitigation), #253 (closed = retired);
///   payments #102, #103.
/// - environments: `staging` (open) and `production` (reviewers alice, erin; ids 4100202
///   in storefront, 4100302 in payments).
/// - workflows: `ci.yml`, `e2e.yml` (storefront only), `deploy.yml`, `rollback.yml`.
/// - production's earlier history: 8999999901/8999999902 the `v2.2.0` production deploys,
///   8999999903 storefront's `v2.2.1` (failed its post-deploy checks, then rolled back).
/// - runs 9000000001..=9000000026 in time order; 9000000023 is the red E2E on the release
///   branch, 9000000014 the cancelled CI, 9000000026 the CI still in progress,
///   9000000021/9000000020 the `v2.4.0-rc.2` staging deploys, 9000000005/9000000004 the
///   `v2.3.0` production deploys.
///
/// The 90-day history (for the KPIs; none of it is on the release branch, so the dashboard's
/// runs are unchanged):
/// - commit graph: `main` is one line from "Initial commit" (release tags `vX` = "Release vX"
///   commits, direct commits, runs' commits, and for each merged pull request a merge commit
///   whose second parent is the pull request's head); `release/v2.4.0` forks from `main`
///   and carries the `-rc.N` tags. See `demo/history.rs`.
/// - merged pull requests on `main`: storefront #150–#171 and #176 (the `-40d` rollback ran
///   on #176's merge commit), payments #40–#69; with #210, #85, #87 of this release.
/// - storefront production deploys stay v2.2.0 ✓, v2.2.1 ✗, v2.3.0 ✓ (rollback proposals
///   rely on them); incident storefront#180 opened 3h49m after v2.3.0 completed, closed 4h later.
/// - payments production deploys (ids 8999999801..=8999999820, in time order with their
///   staging deploys and rollbacks): v2.1.3 -96d, v2.1.4 -88d, v2.1.5 -81d ✗ then -80d20h ✓,
///   v2.1.6 -74d (rolled back to v2.1.5 at -73d22h, and that rolled back to v2.1.6 at
///   -73d19h), v2.1.7 -67d, v2.2.0 -61d, v2.2.1 -54d (its tracking issue payments#71,
///   milestone #2 `v2.2.1`, is labelled `release:faulty`), v2.2.2 -47d (a direct commit, no
///   pull request), v2.2.3 -40d, v2.3.0 -31d2h, v2.3.1 -26d, v2.3.2 -19d, v2.3.3 -15d
///   (incident payments#72 opened 1h51m after, closed 3h later), v2.3.4 -10d ✗ then -9d21h ✓,
///   v2.3.5 -4d (incident payments#73 opened 1h51m after, still open).
pub fn demo_world(now: DateTime<Utc>) -> World {
    let mut world = World::new("alice", now);
    let shared: LabelsFile = toml::from_str(LABELS).expect("assets/demo/labels.toml is valid");
    let mut all_runs = Vec::new();
    for text in REPOS {
        let file: RepoFile = toml::from_str(text).expect("assets/demo repo file is valid");
        let (repo, runs, bases) = build_repo(&mut world, &shared.labels, file, now);
        world.repos.push(repo);
        all_runs.push((runs, bases));
    }
    for (i, (runs, bases)) in all_runs.into_iter().enumerate() {
        add_runs(&mut world, i, runs, &bases, now);
    }
    let max_run = world.repos.iter().flat_map(|r| &r.runs).map(|r| r.id).max();
    world.ids.next_run = max_run.map_or(world.ids.next_run, |m| m + 1);
    world
}

fn commit(now: DateTime<Utc>, repo: &str, def: &CommitDef) -> Commit {
    Commit {
        sha: fake_sha(&format!("{repo}:{}", def.message)),
        message: def.message.clone(),
        author: def.author.clone(),
        timestamp: at(now, &def.at),
    }
}

/// A repository from its file, with its run definitions sorted by time and the first run
/// number of each workflow file.
fn build_repo(
    world: &mut World,
    shared: &[LabelDef],
    f: RepoFile,
    now: DateTime<Utc>,
) -> (Repo, Vec<RunDef>, BTreeMap<String, u64>) {
    let full = format!("{}/{}", f.repo.owner, f.repo.name);
    let mut f = f;
    let history_prs = std::mem::take(&mut f.history.prs);
    f.issues.extend(history_prs.into_iter().map(|p| IssueDef {
        number: p.number,
        title: p.title,
        kind: Some("pr".to_owned()),
        draft: false,
        merged: Some(p.merged.clone()),
        state: Some("closed".to_owned()),
        labels: Vec::new(),
        assignees: vec![p.author.clone()],
        author: p.author,
        milestone: None,
        created: p.created,
        updated: None,
        closed: Some(p.merged),
        body: None,
        body_file: None,
        comments: Vec::new(),
        head: Some(p.head),
    }));
    let ids = &mut world.ids;
    let labels = shared
        .iter()
        .chain(&f.labels)
        .map(|l| Label {
            id: ids.object(),
            name: l.name.clone(),
            color: l.color.clone(),
            description: l.description.clone(),
            default: l.default,
        })
        .collect();
    let milestones: Vec<Milestone> = f
        .milestones
        .iter()
        .map(|m| Milestone {
            id: ids.object(),
            number: m.number,
            title: m.title.clone(),
            description: m.description.clone(),
            state: m.state.clone(),
            due_on: m.due.as_deref().map(|d| at(now, d)),
            created_at: at(now, &m.created),
            updated_at: at(now, m.closed.as_deref().unwrap_or(&m.created)),
            closed_at: m.closed.as_deref().map(|d| at(now, d)),
            creator: m.creator.clone(),
        })
        .collect();
    let issues = f
        .issues
        .iter()
        .map(|d| {
            let created = at(now, &d.created);
            let closed = d.closed.as_deref().map(|c| at(now, c));
            let comments: Vec<Comment> = d
                .comments
                .iter()
                .map(|c| Comment {
                    id: ids.object(),
                    author: c.author.clone(),
                    body: c.body.clone(),
                    created_at: at(now, &c.at),
                    updated_at: at(now, &c.at),
                })
                .collect();
            let updated = d
                .updated
                .as_deref()
                .map(|u| at(now, u))
                .or(closed)
                .unwrap_or(created);
            let body = match d.body_file.as_deref() {
                Some("checklist.md") => Some(CHECKLIST.to_owned()),
                Some(other) => panic!("unknown body_file {other:?} in assets/demo"),
                None => d.body.clone(),
            };
            let state = d.state.clone().unwrap_or_else(|| "open".to_owned());
            Issue {
                id: ids.object(),
                number: d.number,
                title: d.title.clone(),
                body,
                state_reason: (state == "closed").then(|| "completed".to_owned()),
                state,
                labels: d.labels.clone(),
                assignees: d.assignees.clone(),
                author: d.author.clone(),
                milestone: d.milestone.as_ref().map(|t| {
                    milestones
                        .iter()
                        .find(|m| &m.title == t)
                        .unwrap_or_else(|| panic!("unknown milestone {t:?} in assets/demo"))
                        .number
                }),
                created_at: created,
                updated_at: updated,
                closed_at: closed,
                closed_by: closed.map(|_| d.assignees.first().unwrap_or(&d.author).clone()),
                comments,
                pull: (d.kind.as_deref() == Some("pr")).then(|| {
                    let head = d.head.clone().unwrap_or_else(|| format!("pr-{}", d.number));
                    let merged_at = d.merged.as_deref().map(|m| at(now, m));
                    PullInfo {
                        draft: d.draft,
                        merged_at,
                        merge_commit_sha: merged_at
                            .map(|_| history::merge_commit(&full, &f.repo.owner, d.number, &head)),
                        head_sha: history::head_commit(&full, d.number),
                        head_ref: head,
                        base_ref: f.repo.default_branch.clone(),
                    }
                }),
                locked: false,
                sub_issues: Vec::new(),
            }
        })
        .collect();
    let mut files = BTreeMap::new();
    let workflows = f
        .workflows
        .iter()
        .map(|w| {
            let source = w.source.as_deref().unwrap_or(&w.file);
            let text = workflow_source(source)
                .unwrap_or_else(|| panic!("unknown workflow source {source:?} in assets/demo"));
            let path = format!(".github/workflows/{}", w.file);
            files.insert(path.clone(), text.to_owned());
            let spec = super::workflow::WorkflowSpec::parse(text)
                .unwrap_or_else(|e| panic!("assets/demo workflow {source:?} is not valid: {e}"));
            Workflow {
                id: w.id,
                name: spec.name.unwrap_or_else(|| path.clone()),
                path,
                state: "active".to_owned(),
                created_at: at(now, &w.created),
                updated_at: at(now, &w.created),
                fail_next: false,
            }
        })
        .collect();
    files.insert(
        "README.md".to_owned(),
        format!(
            "# {}\n\n{}\n",
            f.repo.name,
            f.repo.description.clone().unwrap_or_default()
        ),
    );
    let mut repo = Repo {
        owner: f.repo.owner.clone(),
        name: f.repo.name.clone(),
        id: f.repo.id,
        description: f.repo.description.clone(),
        default_branch: f.repo.default_branch.clone(),
        language: f.repo.language.clone(),
        created_at: at(now, &f.repo.created),
        branches: f
            .branches
            .iter()
            .map(|(n, c)| (n.clone(), commit(now, &full, c)))
            .collect(),
        tags: f
            .tags
            .iter()
            .map(|(n, c)| (n.clone(), commit(now, &full, c)))
            .collect(),
        files,
        ref_files: BTreeMap::new(),
        labels,
        milestones,
        issues,
        workflows,
        runs: Vec::new(),
        environments: f
            .environments
            .iter()
            .map(|e| Environment {
                id: e.id,
                name: e.name.clone(),
                reviewers: e.reviewers.clone(),
                wait_timer: e.wait_timer,
            })
            .collect(),
        statuses: BTreeMap::new(),
        releases: Vec::new(),
        graph: super::graph::Graph::default(),
    };
    // Run numbers continue from each workflow's `first_run_number`.
    let mut runs = std::mem::take(&mut f.runs);
    runs.sort_by_key(|r| at(now, &r.created));
    let bases: BTreeMap<String, u64> = f
        .workflows
        .iter()
        .map(|w| (w.file.clone(), w.first_run_number))
        .collect();
    for r in &runs {
        assert!(
            bases.contains_key(&r.workflow),
            "run {} uses unknown workflow {:?} in assets/demo",
            r.id,
            r.workflow
        );
    }
    place_commits(&mut repo, &f, &runs, now);
    (repo, runs, bases)
}

fn add_runs(
    world: &mut World,
    repo_index: usize,
    defs: Vec<RunDef>,
    bases: &BTreeMap<String, u64>,
    now: DateTime<Utc>,
) {
    let World { repos, ids, .. } = world;
    let repo = &mut repos[repo_index];
    let full = repo.full_name();
    let mut numbers: BTreeMap<String, u64> = BTreeMap::new();
    for d in defs {
        let wf_index = repo
            .workflows
            .iter()
            .position(|w| w.path.ends_with(&format!("/{}", d.workflow)))
            .unwrap_or_else(|| panic!("unknown workflow {:?}", d.workflow));
        let spec = repo.workflow_spec(&repo.workflows[wf_index], Some(&d.branch));
        let created = at(now, &d.created);
        let total = duration(&d.duration);
        let head = repo
            .resolve_ref(&d.branch)
            .unwrap_or_else(|| panic!("unknown ref {:?} in assets/demo", d.branch))
            .1;
        let commit = match &d.commit {
            Some(message) if *message != head.message => {
                run_commit(repo, &full, message, &d.actor, created)
            }
            _ => head,
        };
        let mut inputs = d.inputs.clone();
        for i in &spec.inputs {
            if let (false, Some(def)) = (inputs.contains_key(&i.name), &i.default) {
                inputs.insert(i.name.clone(), def.clone());
            }
        }
        let event = d
            .event
            .clone()
            .unwrap_or_else(|| "workflow_dispatch".to_owned());
        let queued = Duration::from_secs((total.as_secs() / 12).clamp(3, 20));
        let mut run = engine::new_run(
            repo,
            ids,
            wf_index,
            &spec,
            NewRun {
                event,
                branch: d.branch.clone(),
                commit,
                actor: d.actor.clone(),
                inputs,
                created,
                pace: RunTiming {
                    queued,
                    per_step: Duration::from_secs(1),
                },
                vary: true,
            },
        );
        run.id = d.id;
        let n = numbers
            .entry(d.workflow.clone())
            .or_insert(bases[&d.workflow]);
        run.run_number = *n;
        *n += 1;
        let outcome = d.outcome.as_deref().unwrap_or("success");
        let in_progress = outcome == "in_progress";
        let steps_weight = engine::total_weight(&run);
        if let Some(p) = run.live.as_mut() {
            let work = total.saturating_sub(queued);
            if in_progress {
                let steps = run.jobs.iter().map(|j| j.steps.len()).sum::<usize>().max(1);
                p.pace.per_step = work / u32::try_from(steps).unwrap_or(1);
                p.vary = false;
            } else {
                p.pace.per_step = work.div_f64(steps_weight.max(0.1));
            }
        }
        for job in &mut run.jobs {
            if let (true, Some(env)) = (job.protected, &job.environment) {
                run.reviews.insert(env.clone(), Review::Approved);
            }
        }
        if let (Some(job), Some(step)) = (&d.fail_job, &d.fail_step) {
            let j = run
                .jobs
                .iter_mut()
                .find(|j| &j.key == job || &j.name == job)
                .unwrap_or_else(|| panic!("unknown job {job:?} in run {}", d.id));
            let s = j
                .steps
                .iter()
                .find(|s| &s.name == step)
                .unwrap_or_else(|| panic!("unknown step {step:?} in run {}", d.id));
            j.fail_at = Some(s.number);
            j.error_log = d.error_log.clone();
        }
        match outcome {
            "in_progress" => engine::advance(&mut run, now),
            "cancelled" => {
                let t = created
                    + chrono::TimeDelta::from_std(duration(
                        d.cancel_after.as_deref().unwrap_or("1m"),
                    ))
                    .unwrap_or_default();
                engine::advance(&mut run, t);
                // A run cancelled in the past was still running then.
                let _ = engine::cancel(&mut run, t);
            }
            _ => engine::advance(&mut run, created + chrono::TimeDelta::days(1)),
        }
        repo.runs.push(run);
    }
}

/// The commit a run names by message: the graph's, or a new one a minute before the run.
fn run_commit(
    repo: &Repo,
    full: &str,
    message: &str,
    actor: &str,
    created: DateTime<Utc>,
) -> Commit {
    let sha = fake_sha(&format!("{full}:{message}"));
    repo.graph.get(&sha).cloned().unwrap_or_else(|| Commit {
        sha,
        message: message.to_owned(),
        author: actor.to_owned(),
        timestamp: created - chrono::TimeDelta::minutes(1),
    })
}

/// Places tags, branch heads, direct commits, merged pull requests and runs' commits on the
/// commit graph (see [`history`]).
fn place_commits(repo: &mut Repo, f: &RepoFile, runs: &[RunDef], now: DateTime<Utc>) {
    let full = repo.full_name();
    let default = repo.default_branch.clone();
    let on = |b: &Option<String>| b.clone().unwrap_or_else(|| default.clone());
    let mut placed: Vec<history::Placed> = Vec::new();
    for (name, def) in &f.tags {
        placed.push(history::Placed {
            branch: on(&def.branch),
            commit: repo.tags[name].clone(),
            merged: None,
        });
    }
    for (name, head) in &repo.branches {
        placed.push(history::Placed {
            branch: name.clone(),
            commit: head.clone(),
            merged: None,
        });
    }
    for def in &f.history.commits {
        placed.push(history::Placed {
            branch: on(&def.branch),
            commit: commit(now, &full, def),
            merged: None,
        });
    }
    let mut open = Vec::new();
    for i in &repo.issues {
        let Some(p) = &i.pull else { continue };
        let side = |t: DateTime<Utc>| Commit {
            sha: p.head_sha.clone(),
            message: i.title.clone(),
            author: i.author.clone(),
            timestamp: t,
        };
        match p.merged_at {
            Some(merged) => placed.push(history::Placed {
                branch: p.base_ref.clone(),
                commit: Commit {
                    sha: p.merge_commit_sha.clone().unwrap_or_default(),
                    message: history::merge_message(&repo.owner, i.number, &p.head_ref),
                    author: i.author.clone(),
                    timestamp: merged,
                },
                merged: Some((
                    side(i.created_at + (merged - i.created_at) / 2),
                    i.created_at,
                )),
            }),
            None => open.push(history::OpenHead {
                commit: side(i.updated_at),
                forked: i.created_at,
            }),
        }
    }
    for d in runs {
        if let (Some(message), Some(head)) = (&d.commit, repo.branches.get(&d.branch))
            && *message != head.message
        {
            placed.push(history::Placed {
                branch: d.branch.clone(),
                commit: run_commit(repo, &full, message, &d.actor, at(now, &d.created)),
                merged: None,
            });
        }
    }
    history::build(repo, placed, open);
}

mod history;
#[cfg(test)]
mod tests;
