//! A large release for benchmarks and for trying shipdeck at size: the demo world grown to N
//! milestone issues over R repositories, a tracking issue of M checklist items and W workflow
//! runs, all drawn from a fixed seed (the same [`Scale`] always gives the same world).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, TimeDelta, Utc};

use super::chaos::mix;
use super::clock::shift_run;
use super::demo::demo_world;
use super::world::{Issue, Repo, World};

/// The release phases, in the order the tracking issue lists them (the demo's labels).
const PHASES: [&str; 6] = ["plan", "build", "test", "prepare", "deploy", "review"];

/// The seed every scaled world is drawn from.
const SEED: u64 = 0x5ced_0c4e;

/// The repository the tracking issue lives in, and its number there (the demo's).
const TRACKING: (&str, u64) = ("acme/storefront", 200);

/// The milestone every generated issue belongs to (the demo's release).
const RELEASE: &str = "v2.4.0";

/// How large a scaled world is. Counts smaller than the demo's own are raised to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    /// Issues in the release milestone, over all repositories.
    pub issues: usize,
    /// Checklist items in the tracking issue.
    pub items: usize,
    /// Workflow runs, over all repositories.
    pub runs: usize,
    /// Repositories (the demo's two, then `acme/service-03` …).
    pub repos: usize,
}

impl Default for Scale {
    /// The size the issue on scale names: 5,000 issues, 1,000 items, 500 runs, 20 repos.
    fn default() -> Self {
        Self {
            issues: 5000,
            items: 1000,
            runs: 500,
            repos: 20,
        }
    }
}

impl fmt::Display for Scale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "issues={},items={},runs={},repos={}",
            self.issues, self.items, self.runs, self.repos
        )
    }
}

impl FromStr for Scale {
    type Err = String;

    /// `issues=5000,items=1000,runs=500,repos=20`; keys left out keep [`Scale::default`]'s.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut scale = Self::default();
        for entry in s.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (key, value) = entry
                .split_once('=')
                .ok_or_else(|| format!("{entry:?}: expected KEY=COUNT"))?;
            let (key, value) = (key.trim(), value.trim());
            let count: usize = value
                .parse()
                .map_err(|_| format!("{key}={value:?}: the count must be a whole number"))?;
            match key {
                "issues" => scale.issues = count,
                "items" => scale.items = count,
                "runs" => scale.runs = count,
                "repos" => scale.repos = count,
                _ => {
                    return Err(format!(
                        "unknown key {key:?} (known: issues, items, runs, repos)"
                    ));
                }
            }
        }
        Ok(scale)
    }
}

impl Scale {
    /// The repositories of a world of this scale, in order (at least the demo's two).
    pub fn repo_names(&self) -> Vec<String> {
        let mut names = vec!["acme/storefront".to_owned(), "acme/payments".to_owned()];
        names.extend((3..=self.repos).map(|n| format!("acme/service-{n:02}")));
        names
    }
}

/// A deterministic stream of numbers from [`SEED`].
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(1);
        mix(SEED ^ self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

/// The demo world grown to `scale`, dated from `now` (see the module docs).
pub fn scaled_world(scale: Scale, now: DateTime<Utc>) -> World {
    let mut world = demo_world(now);
    let mut draw = Draw(0);
    add_repos(&mut world, &scale);
    add_issues(&mut world, &scale, &mut draw, now);
    set_checklist(&mut world, scale.items);
    add_runs(&mut world, scale.runs, &mut draw);
    world
}

/// Clones of `acme/payments` without its issues, runs and statuses, up to `scale.repos`.
fn add_repos(world: &mut World, scale: &Scale) {
    let Some(template) = world.repo("acme/payments").cloned() else {
        return;
    };
    for (n, full) in scale.repo_names().iter().enumerate().skip(2) {
        let mut repo = template.clone();
        if let Some((_, name)) = full.split_once('/') {
            name.clone_into(&mut repo.name);
        }
        repo.id = template.id + 1000 + n as u64;
        repo.issues.clear();
        repo.runs.clear();
        repo.statuses.clear();
        repo.releases.clear();
        world.repos.push(repo);
    }
}

/// The release milestone's number in `repo`.
fn release_milestone(repo: &Repo) -> Option<u64> {
    repo.milestones
        .iter()
        .find(|m| m.title == RELEASE)
        .map(|m| m.number)
}

fn milestone_count(world: &World) -> usize {
    world
        .repos
        .iter()
        .map(|r| {
            let m = release_milestone(r);
            r.issues.iter().filter(|i| i.milestone == m).count()
        })
        .sum()
}

/// Issues in the release milestone until it holds `scale.issues`, round-robin over the
/// repositories: each with a phase label, about a third closed, one in 25 a risk.
fn add_issues(world: &mut World, scale: &Scale, draw: &mut Draw, now: DateTime<Utc>) {
    let missing = scale.issues.saturating_sub(milestone_count(world));
    let repo_count = world.repos.len();
    for k in 0..missing {
        let World { repos, ids, .. } = &mut *world;
        let repo = &mut repos[k % repo_count];
        let Some(milestone) = release_milestone(repo) else {
            continue;
        };
        let number = repo.issues.iter().map(|i| i.number).max().unwrap_or(0) + 1;
        let phase = PHASES[draw.below(PHASES.len())];
        let mut labels = vec![format!("phase:{phase}")];
        if draw.chance(4) {
            labels.push("risk".to_owned());
            labels.push(format!("likelihood:{}", 1 + draw.below(5)));
            labels.push(format!("impact:{}", 1 + draw.below(4)));
        }
        let created = now - TimeDelta::minutes(i64::try_from(10 + draw.below(20_000)).unwrap_or(0));
        let closed = draw.chance(35).then(|| created + TimeDelta::hours(2));
        let author = ["alice", "bob", "carol", "dave", "erin"][draw.below(5)].to_owned();
        repo.issues.push(Issue {
            id: ids.object(),
            number,
            title: format!("Scaled {phase} task {}", k + 1),
            body: Some(format!("Generated for a scaled release ({phase}).")),
            state: if closed.is_some() { "closed" } else { "open" }.to_owned(),
            state_reason: closed.map(|_| "completed".to_owned()),
            labels,
            assignees: vec![author.clone()],
            closed_by: closed.map(|_| author.clone()),
            author,
            milestone: Some(milestone),
            created_at: created,
            updated_at: closed.unwrap_or(created),
            closed_at: closed,
            comments: Vec::new(),
            pull: None,
            locked: false,
            sub_issues: Vec::new(),
        });
    }
}

/// The tracking issue's body: `items` checklist items under the phase headings (the demo's
/// own list when `items` is no larger).
fn set_checklist(world: &mut World, items: usize) {
    let Some(issue) = world
        .repo_mut(TRACKING.0)
        .and_then(|r| r.issue_mut(TRACKING.1))
    else {
        return;
    };
    let current = issue
        .body
        .as_deref()
        .unwrap_or("")
        .lines()
        .filter(|l| l.trim_start().starts_with("- ["))
        .count();
    if items <= current {
        return;
    }
    let mut body = format!("Release checklist for **{RELEASE}** at scale ({items} items).\n");
    let per_phase = items.div_ceil(PHASES.len());
    let mut written = 0;
    for phase in PHASES {
        let mut heading = phase.to_owned();
        heading[..1].make_ascii_uppercase();
        body.push_str(&format!("\n## {heading}\n\n"));
        for _ in 0..per_phase.min(items - written) {
            written += 1;
            let mark = if written % 3 == 0 { ' ' } else { 'x' };
            body.push_str(&format!("- [{mark}] {heading} step {written}\n"));
        }
    }
    issue.body = Some(body);
}

/// Copies of finished runs until the world holds `runs`, spread over the repositories, each
/// an hour older than the one before.
fn add_runs(world: &mut World, runs: usize, draw: &mut Draw) {
    let existing: usize = world.repos.iter().map(|r| r.runs.len()).sum();
    let missing = runs.saturating_sub(existing);
    let repo_count = world.repos.len();
    // Every repository's workflows have the ids of the repository they were cloned from, so
    // payments' finished runs fit every clone.
    let templates: Vec<_> = world
        .repos
        .iter()
        .take(2)
        .map(|r| {
            r.runs
                .iter()
                .filter(|run| run.status == "completed" && run.live.is_none())
                .cloned()
                .collect::<Vec<_>>()
        })
        .collect();
    for k in 0..missing {
        let World { repos, ids, .. } = &mut *world;
        let slot = k % repo_count;
        let pool = &templates[slot.min(1)];
        if pool.is_empty() {
            continue;
        }
        let mut run = pool[draw.below(pool.len())].clone();
        run.id = ids.next_run;
        ids.next_run += 1;
        for job in &mut run.jobs {
            job.id = ids.next_job;
            ids.next_job += 1;
        }
        let repo = &mut repos[slot];
        run.run_number = repo
            .runs
            .iter()
            .filter(|r| r.workflow_id == run.workflow_id)
            .map(|r| r.run_number)
            .max()
            .unwrap_or(0)
            + 1;
        let age = i64::try_from(k / repo_count + 1).unwrap_or(0);
        shift_run(&mut run, -TimeDelta::hours(age) - TimeDelta::days(120));
        repo.runs.push(run);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_spec_and_names_a_bad_key() {
        let s: Scale = "issues=10,items=5,runs=3,repos=4".parse().expect("valid");
        assert_eq!(
            s,
            Scale {
                issues: 10,
                items: 5,
                runs: 3,
                repos: 4
            }
        );
        assert_eq!(s.to_string().parse::<Scale>(), Ok(s));
        let e = "issues=10,isues=3".parse::<Scale>().expect_err("bad key");
        assert!(e.contains("\"isues\""), "{e}");
        let e = "runs=many".parse::<Scale>().expect_err("bad count");
        assert!(e.contains("runs"), "{e}");
    }
}
