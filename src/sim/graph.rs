//! The commit graph of a repository: commits with their parents, so that branches and tags
//! point into one history and `commits` / `compare` can walk it like git does.

use std::collections::{BTreeMap, BTreeSet};

use super::world::Commit;

/// A commit with its parents (two for a merge commit, none for a root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The commit itself.
    pub commit: Commit,
    /// Parent SHAs, first parent first.
    pub parents: Vec<String>,
}

/// Every commit of a repository by SHA. A commit that is not in the graph (a world built by
/// hand) reads as a root: its history is itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Graph {
    /// SHA → node.
    pub nodes: BTreeMap<String, Node>,
}

/// How `head` relates to `base`, as `GET compare/{base}...{head}` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// `ahead`, `behind`, `identical` or `diverged`.
    pub status: &'static str,
    /// Commits reachable from head but not from base, oldest first.
    pub ahead: Vec<Commit>,
    /// How many commits are reachable from base but not from head.
    pub behind_by: usize,
    /// The newest common ancestor (base itself when head is ahead of it).
    pub merge_base: Commit,
}

impl Graph {
    /// Adds `commit` with `parents` (a commit already there keeps its first definition).
    pub fn add(&mut self, commit: Commit, parents: Vec<String>) {
        self.nodes
            .entry(commit.sha.clone())
            .or_insert(Node { commit, parents });
    }

    /// The parents of `sha` (none when unknown).
    pub fn parents(&self, sha: &str) -> &[String] {
        self.nodes
            .get(sha)
            .map_or(&[][..], |n| n.parents.as_slice())
    }

    /// `start` and every commit reachable from it, newest first (by commit time, then SHA).
    pub fn history(&self, start: &Commit) -> Vec<Commit> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        let mut todo = vec![start.sha.clone()];
        while let Some(sha) = todo.pop() {
            if !seen.insert(sha.clone()) {
                continue;
            }
            match self.nodes.get(&sha) {
                Some(n) => {
                    out.push(n.commit.clone());
                    todo.extend(n.parents.iter().cloned());
                }
                None if sha == start.sha => out.push(start.clone()),
                None => {}
            }
        }
        out.sort_by(|a, b| b.timestamp.cmp(&a.timestamp).then(b.sha.cmp(&a.sha)));
        out
    }

    /// Compares `head` with `base` like git's three-dot compare.
    pub fn compare(&self, base: &Commit, head: &Commit) -> Comparison {
        let from_base = self.history(base);
        let from_head = self.history(head);
        let in_base: BTreeSet<&str> = from_base.iter().map(|c| c.sha.as_str()).collect();
        let in_head: BTreeSet<&str> = from_head.iter().map(|c| c.sha.as_str()).collect();
        let mut ahead: Vec<Commit> = from_head
            .iter()
            .filter(|c| !in_base.contains(c.sha.as_str()))
            .cloned()
            .collect();
        ahead.reverse();
        let behind_by = from_base
            .iter()
            .filter(|c| !in_head.contains(c.sha.as_str()))
            .count();
        // Both lists are newest first: the first shared commit is the newest common one.
        let merge_base = from_head
            .iter()
            .find(|c| in_base.contains(c.sha.as_str()))
            .cloned()
            .unwrap_or_else(|| base.clone());
        let status = match (ahead.is_empty(), behind_by == 0) {
            (true, true) => "identical",
            (false, true) => "ahead",
            (true, false) => "behind",
            (false, false) => "diverged",
        };
        Comparison {
            status,
            ahead,
            behind_by,
            merge_base,
        }
    }

    /// The commit with this SHA.
    pub fn get(&self, sha: &str) -> Option<&Commit> {
        self.nodes.get(sha).map(|n| &n.commit)
    }

    /// Whether `ancestor` is `head` or reachable from it.
    pub fn reaches(&self, head: &Commit, ancestor: &str) -> bool {
        self.history(head).iter().any(|c| c.sha == ancestor)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone, Utc};

    use super::*;

    fn c(name: &str, minute: i64) -> Commit {
        Commit {
            sha: format!("{name:0>40}"),
            message: name.to_owned(),
            author: "alice".to_owned(),
            timestamp: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
                + TimeDelta::minutes(minute),
        }
    }

    #[test]
    fn compares_like_three_dot_git() {
        // a - b - m (merge of x) - d ;  x branches from a.
        let mut g = Graph::default();
        let (a, b, x, m, d) = (c("a", 0), c("b", 1), c("x", 2), c("m", 3), c("d", 4));
        g.add(a.clone(), vec![]);
        g.add(b.clone(), vec![a.sha.clone()]);
        g.add(x.clone(), vec![a.sha.clone()]);
        g.add(m.clone(), vec![b.sha.clone(), x.sha.clone()]);
        g.add(d.clone(), vec![m.sha.clone()]);
        let cmp = g.compare(&b, &d);
        assert_eq!(cmp.status, "ahead");
        let msgs: Vec<&str> = cmp.ahead.iter().map(|c| c.message.as_str()).collect();
        assert_eq!(msgs, ["x", "m", "d"]);
        assert_eq!(cmp.merge_base, b);
        let back = g.compare(&d, &b);
        assert_eq!((back.status, back.behind_by), ("behind", 3));
        assert_eq!(g.compare(&d, &d).status, "identical");
        let side = g.compare(&x, &b);
        assert_eq!(
            (side.status, side.ahead.len(), side.behind_by),
            ("diverged", 1, 1)
        );
        assert_eq!(side.merge_base, a);
        assert!(g.reaches(&d, &x.sha) && !g.reaches(&b, &x.sha));
    }
}
