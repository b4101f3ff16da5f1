//! Writes to GitHub that need the user's confirmation: what they are, and the exact calls they
//! make (one function, drawn by the confirm dialog and sent by the executor).

use std::collections::BTreeMap;

pub use super::confirm::{Choice, Confirm, ConfirmOutcome, TextField};
use crate::release::call::Call;
use crate::release::overrides::OVERRIDE_MARKER;
use crate::release::risk::{Axis, LevelEdit};
use crate::release::snapshot::{DeployLock, UNLOCK_MARKER};

/// A change on GitHub, carried out only after the user confirmed it. Its calls are computed in
/// one place, [`WriteRequest::calls`]: the confirm dialog draws them, the executor sends them,
/// and the audit records them as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteRequest {
    Dispatch {
        repo: String,
        file: String,
        git_ref: String,
        inputs: BTreeMap<String, String>,
        workflow_name: String,
        /// Dispatching while the deploy verdict is NO-GO: the override, recorded on the
        /// tracking issue before the dispatch is sent.
        gate_override: Option<GateOverride>,
    },
    /// A new attempt of a completed run: only its failed jobs, or every job.
    Rerun {
        repo: String,
        run_id: u64,
        run_number: u64,
        failed_only: bool,
    },
    Cancel {
        repo: String,
        run_id: u64,
        run_number: u64,
    },
    Review {
        repo: String,
        run_id: u64,
        run_number: u64,
        environment_ids: Vec<u64>,
        environments: Vec<String>,
        approve: bool,
        comment: String,
    },
    Lock {
        repo: String,
        number: u64,
        milestone: String,
        label: String,
        reason: String,
    },
    Unlock {
        repo: String,
        number: u64,
        milestone: String,
        label: String,
    },
    /// A sign-off comment (or its withdrawal) on the tracking issue, as the token's user.
    /// `options` are the dialog's choices, (role, revoke); `role` and `revoke` the chosen one.
    Signoff {
        repo: String,
        number: u64,
        milestone: String,
        role: String,
        revoke: bool,
        options: Vec<(String, bool)>,
    },
    /// Commit status `context` on `repo`'s head commit `sha` (the go/no-go verdict).
    CommitStatus {
        repo: String,
        sha: String,
        state: String,
        context: String,
        description: String,
        target_url: Option<String>,
    },
    MarkHealth {
        repo: String,
        number: u64,
        healthy_label: String,
        faulty_label: String,
        /// The tracking issue's labels when the dialog opened: the opposite mark is removed
        /// only when it is set.
        labels_now: Vec<String>,
        healthy: bool,
        comment: String,
    },
    /// The release status comment on the tracking issue: `comment_id` is the token user's
    /// own status comment, edited in place; `None` posts the first one.
    StatusUpdate {
        repo: String,
        number: u64,
        comment_id: Option<u64>,
        body: String,
    },
    /// Closes milestone `title` in every repository: (repository, milestone number) each.
    CloseMilestone {
        milestones: Vec<(String, u64)>,
        title: String,
    },
    /// A draft GitHub Release for `tag` per repository, created or updated: the calls are
    /// [`crate::release::notes::publish::draft_calls`]'s, built when the releases were read.
    PublishDrafts { tag: String, calls: Vec<Call> },
    /// Follow-up issues from picked retrospective lines: the calls are
    /// [`crate::release::retro::follow_up_calls`]'s, built after the labelled issues and the
    /// milestones were read.
    FileFollowUps { milestone: String, calls: Vec<Call> },
    /// A new risk (`n` in the Risks pane): an issue with the risk and level labels, its owner
    /// as assignee, the release's milestone, and its mitigation under `## Mitigation`.
    NewRisk {
        repo: String,
        title: String,
        body: String,
        labels: Vec<String>,
        assignees: Vec<String>,
        milestone: Option<u64>,
    },
    /// A risk's likelihood or impact moved by one (`+`/`-`, `>`/`<`): the old label removed,
    /// the new one added.
    RiskLevel {
        repo: String,
        number: u64,
        axis: Axis,
        edit: LevelEdit,
    },
    /// A risk retired (`x`): a comment saying so, with the user's reason, then the issue
    /// closed as completed.
    RetireRisk {
        repo: String,
        number: u64,
        reason: String,
    },
    /// A comment on an issue or pull request, written in its detail view (`c`).
    Comment {
        repo: String,
        number: u64,
        body: String,
    },
}

/// How a retired risk's issue is closed.
pub const RETIRED_STATE_REASON: &str = "completed";

/// A dispatch made against a NO-GO verdict: who reads the tracking issue learns why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateOverride {
    /// The tracking issue the override comment goes on.
    pub repo: String,
    pub number: u64,
    pub milestone: String,
    /// The gates that failed, "name: reason".
    pub failing: Vec<String>,
    /// Typed by the user; required.
    pub reason: String,
}

impl GateOverride {
    /// An override of `report`'s failing gates, recorded on `tracking`, with no reason yet.
    #[must_use]
    pub fn of(
        report: &crate::release::gates::GateReport,
        tracking: &crate::release::snapshot::TrackingIssue,
        milestone: &str,
    ) -> Self {
        GateOverride {
            repo: tracking.repo.clone(),
            number: tracking.number,
            milestone: milestone.to_string(),
            failing: report
                .failing()
                .map(|g| format!("{}: {}", g.name, g.reason))
                .collect(),
            reason: String::new(),
        }
    }

    /// The comment that records the override.
    #[must_use]
    pub fn comment(&self, file: &str, repo: &str, git_ref: &str) -> String {
        let mut text = format!(
            "{OVERRIDE_MARKER} for {} (via shipdeck): {file} dispatched in {repo} on {git_ref} while the deploy verdict is NO-GO.\n\nReason: {}\n\nFailing gates:\n",
            self.milestone, self.reason
        );
        for g in &self.failing {
            text.push_str(&format!("- {g}\n"));
        }
        text
    }
}

impl WriteRequest {
    /// The dispatch the form describes: the ref as validated (surrounding spaces removed) and
    /// the inputs as they will be sent.
    #[must_use]
    pub fn dispatch(form: &crate::release::dispatch::DispatchForm) -> Self {
        WriteRequest::Dispatch {
            repo: form.repo.clone(),
            file: form.workflow_file.clone(),
            git_ref: form.sent_ref().to_string(),
            inputs: form.inputs(),
            workflow_name: form.workflow_name.clone(),
            gate_override: None,
        }
    }

    /// The exact calls, in the order they are sent. The one description of this write.
    #[must_use]
    pub fn calls(&self) -> Vec<Call> {
        match self {
            WriteRequest::Dispatch {
                repo,
                file,
                git_ref,
                inputs,
                gate_override,
                ..
            } => {
                let mut calls = Vec::new();
                if let Some(o) = gate_override {
                    calls.push(Call::comment(
                        &o.repo,
                        o.number,
                        &o.comment(file, repo, git_ref),
                    ));
                }
                calls.push(Call::dispatch(repo, file, git_ref, inputs));
                calls
            }
            WriteRequest::Rerun {
                repo,
                run_id,
                failed_only,
                ..
            } => vec![if *failed_only {
                Call::rerun_failed_jobs(repo, *run_id)
            } else {
                Call::rerun(repo, *run_id)
            }],
            WriteRequest::Cancel { repo, run_id, .. } => vec![Call::cancel_run(repo, *run_id)],
            WriteRequest::Review {
                repo,
                run_id,
                environment_ids,
                approve,
                comment,
                ..
            } => vec![Call::review_deployments(
                repo,
                *run_id,
                environment_ids,
                *approve,
                comment,
            )],
            WriteRequest::Lock {
                repo,
                number,
                milestone,
                label,
                reason,
            } => vec![
                Call::add_labels(repo, *number, std::slice::from_ref(label)),
                Call::comment(repo, *number, &DeployLock::comment(milestone, reason)),
            ],
            WriteRequest::Unlock {
                repo,
                number,
                milestone,
                label,
            } => vec![
                Call::remove_label(repo, *number, label),
                Call::comment(
                    repo,
                    *number,
                    &format!("{UNLOCK_MARKER} for {milestone} (via shipdeck).\n"),
                ),
            ],
            WriteRequest::Signoff {
                repo,
                number,
                milestone,
                role,
                revoke,
                ..
            } => vec![Call::comment(
                repo,
                *number,
                &crate::release::signoff::comment_body(role, *revoke, milestone),
            )],
            WriteRequest::CommitStatus {
                repo,
                sha,
                state,
                context,
                description,
                target_url,
            } => vec![Call::commit_status(
                repo,
                sha,
                state,
                context,
                description,
                target_url.as_deref(),
            )],
            WriteRequest::MarkHealth {
                repo,
                number,
                healthy_label,
                faulty_label,
                labels_now,
                healthy,
                comment,
            } => {
                let (set, unset) = if *healthy {
                    (healthy_label, faulty_label)
                } else {
                    (faulty_label, healthy_label)
                };
                let word = if *healthy {
                    "✅ healthy"
                } else {
                    "❌ faulty"
                };
                let mut text = format!("Release marked {word} after the deploy (via shipdeck).\n");
                if !comment.is_empty() {
                    text.push_str(&format!("\n{comment}\n"));
                }
                let mut calls = vec![Call::add_labels(repo, *number, std::slice::from_ref(set))];
                if labels_now.iter().any(|l| l.eq_ignore_ascii_case(unset)) {
                    calls.push(Call::remove_label(repo, *number, unset));
                }
                calls.push(Call::comment(repo, *number, &text));
                calls
            }
            WriteRequest::StatusUpdate {
                repo,
                number,
                comment_id,
                body,
            } => vec![match comment_id {
                Some(id) => Call::edit_comment(repo, *id, body),
                None => Call::comment(repo, *number, body),
            }],
            WriteRequest::CloseMilestone { milestones, .. } => milestones
                .iter()
                .map(|(repo, number)| Call::close_milestone(repo, *number))
                .collect(),
            WriteRequest::PublishDrafts { calls, .. }
            | WriteRequest::FileFollowUps { calls, .. } => calls.clone(),
            WriteRequest::NewRisk {
                repo,
                title,
                body,
                labels,
                assignees,
                milestone,
            } => vec![Call::create_assigned_issue(
                repo, title, body, labels, assignees, *milestone,
            )],
            WriteRequest::RiskLevel {
                repo, number, edit, ..
            } => {
                let mut calls = Vec::new();
                if let Some(old) = &edit.remove {
                    calls.push(Call::remove_label(repo, *number, old));
                }
                calls.push(Call::add_labels(
                    repo,
                    *number,
                    std::slice::from_ref(&edit.add),
                ));
                calls
            }
            WriteRequest::RetireRisk {
                repo,
                number,
                reason,
            } => {
                let mut text = "Risk retired (via shipdeck).\n".to_string();
                if !reason.is_empty() {
                    text.push_str(&format!("\nReason: {reason}\n"));
                }
                vec![
                    Call::comment(repo, *number, &text),
                    Call::close_issue(repo, *number, RETIRED_STATE_REASON),
                ]
            }
            WriteRequest::Comment { repo, number, body } => {
                vec![Call::comment(repo, *number, body)]
            }
        }
    }

    /// A short description for the status line and the activity log.
    #[must_use]
    pub fn summary(&self) -> String {
        match self {
            WriteRequest::Dispatch {
                repo,
                file,
                git_ref,
                gate_override,
                ..
            } => format!(
                "dispatch {file} on {git_ref} ({repo}){}",
                if gate_override.is_some() {
                    ", overriding NO-GO"
                } else {
                    ""
                }
            ),
            WriteRequest::Rerun {
                repo,
                run_number,
                failed_only,
                ..
            } => format!(
                "re-run {} of #{run_number} ({repo})",
                if *failed_only {
                    "the failed jobs"
                } else {
                    "every job"
                }
            ),
            WriteRequest::Cancel {
                repo, run_number, ..
            } => format!("cancel #{run_number} ({repo})"),
            WriteRequest::Review {
                repo,
                run_number,
                approve,
                environments,
                ..
            } => format!(
                "{} {} for #{run_number} ({repo})",
                if *approve { "approve" } else { "reject" },
                environments.join(", ")
            ),
            WriteRequest::Lock { milestone, .. } => format!("lock deploys of {milestone}"),
            WriteRequest::Unlock { milestone, .. } => format!("unlock deploys of {milestone}"),
            WriteRequest::Signoff { role, revoke, .. } => {
                if *revoke {
                    format!("withdraw the {role} sign-off")
                } else {
                    format!("sign off as {role}")
                }
            }
            WriteRequest::CommitStatus {
                repo, state, sha, ..
            } => format!(
                "set {} = {state} on {} ({repo})",
                super::gates::STATUS_CONTEXT,
                sha.get(..7).unwrap_or(sha)
            ),
            WriteRequest::MarkHealth { healthy, .. } => {
                format!(
                    "mark the release {}",
                    if *healthy { "healthy" } else { "faulty" }
                )
            }
            WriteRequest::StatusUpdate {
                repo,
                number,
                comment_id,
                ..
            } => format!(
                "{} the status comment on {repo}#{number}",
                if comment_id.is_some() {
                    "update"
                } else {
                    "post"
                }
            ),
            WriteRequest::CloseMilestone { milestones, title } => format!(
                "close the milestone {title} in {} repositor{}",
                milestones.len(),
                if milestones.len() == 1 { "y" } else { "ies" }
            ),
            WriteRequest::PublishDrafts { tag, calls } => {
                format!(
                    "create or update the draft release {tag} ({} repositories)",
                    calls.len()
                )
            }
            WriteRequest::FileFollowUps { milestone, calls } => format!(
                "file {} follow-up issue{} from the retrospective of {milestone}",
                calls.len(),
                if calls.len() == 1 { "" } else { "s" }
            ),
            WriteRequest::NewRisk { repo, title, .. } => {
                format!("file the risk {title:?} ({repo})")
            }
            WriteRequest::RiskLevel {
                repo,
                number,
                axis,
                edit,
            } => format!("set the {} of {repo}#{number} to {}", axis.name(), edit.to),
            WriteRequest::RetireRisk { repo, number, .. } => {
                format!("retire the risk {repo}#{number}")
            }
            WriteRequest::Comment { repo, number, .. } => {
                format!("comment on {repo}#{number}")
            }
        }
    }
}

/// A confirmed write: the request and the calls the dialog showed when the user said yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approved {
    pub request: WriteRequest,
    pub calls: Vec<Call>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closing_the_milestone_patches_each_repository_s_own_number() {
        let r = WriteRequest::CloseMilestone {
            milestones: vec![("acme/storefront".into(), 7), ("acme/payments".into(), 3)],
            title: "v2.4.0".into(),
        };
        let sent: Vec<(String, String, Option<String>)> = r
            .calls()
            .into_iter()
            .map(|c| (c.method.to_string(), c.path, c.body))
            .collect();
        let closed = Some(r#"{"state":"closed"}"#.to_string());
        assert_eq!(
            sent,
            vec![
                (
                    "PATCH".into(),
                    "/repos/acme/storefront/milestones/7".into(),
                    closed.clone()
                ),
                (
                    "PATCH".into(),
                    "/repos/acme/payments/milestones/3".into(),
                    closed
                ),
            ]
        );
        assert_eq!(r.summary(), "close the milestone v2.4.0 in 2 repositories");
    }
}
