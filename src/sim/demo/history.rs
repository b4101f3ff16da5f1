//! The demo's commit graph: every branch, tag, pull request and run commit of a repository
//! file placed on one history, so `commits` and `compare` answer like git.
//!
//! The model: the default branch is one line of commits in time order from an "Initial
//! commit" (release tags, direct commits, runs' commits and the merge commits of merged pull
//! requests, each merge with the pull request's head commit as second parent, forked from
//! the default branch as it was when the pull request was opened). Every other branch is a
//! line forked from the default branch at its first commit's time. A branch's head must be
//! the newest commit of its line.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::super::graph::Graph;
use super::super::util::fake_sha;
use super::super::world::{Commit, Repo};

/// One commit to place on a branch's line.
pub(super) struct Placed {
    /// The branch whose line it is on.
    pub branch: String,
    /// The commit.
    pub commit: Commit,
    /// For a merge commit: the merged head commit and when its branch forked.
    pub merged: Option<(Commit, DateTime<Utc>)>,
}

/// An open pull request's head commit, forked from the default branch at `forked`.
pub(super) struct OpenHead {
    /// The head commit.
    pub commit: Commit,
    /// When its branch forked.
    pub forked: DateTime<Utc>,
}

/// The SHA of the merge commit GitHub would make for pull request `number` from `head`.
pub(super) fn merge_commit(full: &str, owner: &str, number: u64, head: &str) -> String {
    fake_sha(&format!("{full}:{}", merge_message(owner, number, head)))
}

/// "Merge pull request #N from owner/head".
pub(super) fn merge_message(owner: &str, number: u64, head: &str) -> String {
    format!("Merge pull request #{number} from {owner}/{head}")
}

/// The SHA of pull request `number`'s head commit.
pub(super) fn head_commit(full: &str, number: u64) -> String {
    fake_sha(&format!("{full}:pull/{number}/head"))
}

/// Builds `repo.graph` from `placed` (earlier entries win over later ones with the same SHA)
/// and the open pull requests' heads.
///
/// # Panics
/// When a branch head is not the newest commit of its line: the demo data is wrong.
pub(super) fn build(repo: &mut Repo, placed: Vec<Placed>, open: Vec<OpenHead>) {
    let full = repo.full_name();
    let root = Commit {
        sha: fake_sha(&format!("{full}:initial commit")),
        message: "Initial commit".to_owned(),
        author: repo.owner.clone(),
        timestamp: repo.created_at,
    };
    let mut seen = BTreeSet::new();
    let mut lines: BTreeMap<String, Vec<Placed>> = BTreeMap::new();
    for p in placed {
        if seen.insert(p.commit.sha.clone()) {
            lines.entry(p.branch.clone()).or_default().push(p);
        }
    }
    for line in lines.values_mut() {
        line.sort_by(|a, b| {
            (a.commit.timestamp, &a.commit.sha).cmp(&(b.commit.timestamp, &b.commit.sha))
        });
    }
    let mut graph = Graph::default();
    graph.add(root.clone(), Vec::new());
    // The default branch first: every other line forks from it.
    let default = repo.default_branch.clone();
    let mut main_line: Vec<Commit> = vec![root.clone()];
    let main_at = |line: &[Commit], t: DateTime<Utc>| -> String {
        line.iter()
            .rev()
            .find(|c| c.timestamp <= t)
            .unwrap_or(&line[0])
            .sha
            .clone()
    };
    for p in lines.remove(&default).unwrap_or_default() {
        let prev = main_line.last().map(|c| c.sha.clone()).unwrap_or_default();
        let mut parents = vec![prev];
        if let Some((side, forked)) = p.merged {
            graph.add(side.clone(), vec![main_at(&main_line, forked)]);
            parents.push(side.sha);
        }
        graph.add(p.commit.clone(), parents);
        main_line.push(p.commit);
    }
    let mut tips: BTreeMap<String, String> = BTreeMap::new();
    tips.insert(
        default.clone(),
        main_line.last().map(|c| c.sha.clone()).unwrap_or_default(),
    );
    for (branch, line) in lines {
        let mut prev: Option<String> = None;
        for p in line {
            let parent = prev
                .clone()
                .unwrap_or_else(|| main_at(&main_line, p.commit.timestamp));
            graph.add(p.commit.clone(), vec![parent]);
            prev = Some(p.commit.sha);
        }
        tips.insert(branch, prev.unwrap_or_default());
    }
    for h in open {
        graph.add(h.commit, vec![main_at(&main_line, h.forked)]);
    }
    for (name, head) in &repo.branches {
        assert_eq!(
            tips.get(name),
            Some(&head.sha),
            "{full}: branch {name}'s head is not the newest commit of its line in assets/demo"
        );
    }
    repo.graph = graph;
}
