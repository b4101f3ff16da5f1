//! A write to GitHub described once: the method, the path as sent and the JSON body as sent.
//! The confirm dialog draws these, the sender sends exactly these, and the audit keeps them.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::ApiError;

/// The HTTP method of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Post,
    Patch,
    Delete,
}

impl Method {
    /// `POST`, `PATCH` or `DELETE`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One write call, exactly as it goes over the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Call {
    pub method: Method,
    /// The path from the API root, percent-encoded as sent, e.g.
    /// `/repos/acme/app/issues/7/labels/release%3Ahealthy`.
    pub path: String,
    /// The JSON body, byte for byte as sent; `None` for a call without a body.
    pub body: Option<String>,
    /// A 404 means the wanted state is already there (removing a label the issue lacks), not a
    /// failure.
    pub absent_ok: bool,
    /// Sent once instead when GitHub answers this call with a 400 that names
    /// `return_run_details` (older GitHub Enterprise Server refuses the field and runs
    /// nothing, so the second call cannot run the workflow twice).
    pub fallback: Option<Box<Call>>,
}

/// The field older GitHub Enterprise Server refuses on a dispatch.
pub const RUN_DETAILS_FIELD: &str = "return_run_details";

impl Call {
    fn new(method: Method, path: String, body: Option<&serde_json::Value>) -> Self {
        Call {
            method,
            path,
            body: body.map(serde_json::Value::to_string),
            absent_ok: false,
            fallback: None,
        }
    }

    /// `PATCH /repos/{repo}/issues/{number}` replacing the body.
    #[must_use]
    pub fn edit_issue_body(repo: &str, number: u64, body: &str) -> Self {
        Call::new(
            Method::Patch,
            format!("/repos/{repo}/issues/{number}"),
            Some(&serde_json::json!({ "body": body })),
        )
    }

    /// `PATCH /repos/{repo}/issues/{number}` closing (`closed`) or reopening it: a change to
    /// that issue's own state, never its body.
    #[must_use]
    pub fn set_issue_state(repo: &str, number: u64, closed: bool) -> Self {
        Call::new(
            Method::Patch,
            format!("/repos/{repo}/issues/{number}"),
            Some(&serde_json::json!({ "state": if closed { "closed" } else { "open" } })),
        )
    }

    /// `POST /repos/{repo}/issues/{number}/sub_issues`: makes the issue whose *id* (not
    /// number) is `sub_issue_id` a sub-issue of issue `number`.
    #[must_use]
    pub fn add_sub_issue(repo: &str, number: u64, sub_issue_id: u64) -> Self {
        Call::new(
            Method::Post,
            format!("/repos/{repo}/issues/{number}/sub_issues"),
            Some(&serde_json::json!({ "sub_issue_id": sub_issue_id })),
        )
    }

    /// `POST /repos/{repo}/issues`: a new issue.
    #[must_use]
    pub fn create_issue(
        repo: &str,
        title: &str,
        body: &str,
        labels: &[String],
        milestone: Option<u64>,
    ) -> Self {
        Call::create_assigned_issue(repo, title, body, labels, &[], milestone)
    }

    /// `POST /repos/{repo}/issues`: a new issue assigned to `assignees` (the field is sent only
    /// when there are some).
    #[must_use]
    pub fn create_assigned_issue(
        repo: &str,
        title: &str,
        body: &str,
        labels: &[String],
        assignees: &[String],
        milestone: Option<u64>,
    ) -> Self {
        let mut v = serde_json::json!({ "title": title, "body": body, "labels": labels });
        if !assignees.is_empty() {
            v["assignees"] = assignees.into();
        }
        if let Some(m) = milestone {
            v["milestone"] = m.into();
        }
        Call::new(Method::Post, format!("/repos/{repo}/issues"), Some(&v))
    }

    /// `PATCH /repos/{repo}/issues/{number}` closing the issue with `state_reason`
    /// (`completed` or `not_planned`): its state only.
    #[must_use]
    pub fn close_issue(repo: &str, number: u64, state_reason: &str) -> Self {
        Call::new(
            Method::Patch,
            format!("/repos/{repo}/issues/{number}"),
            Some(&serde_json::json!({ "state": "closed", "state_reason": state_reason })),
        )
    }

    /// `POST …/labels`: adds labels, keeping the ones the issue has.
    #[must_use]
    pub fn add_labels(repo: &str, number: u64, labels: &[String]) -> Self {
        Call::new(
            Method::Post,
            format!("/repos/{repo}/issues/{number}/labels"),
            Some(&serde_json::json!({ "labels": labels })),
        )
    }

    /// `DELETE …/labels/{label}`; a label the issue lacks (404) is already the wanted state.
    #[must_use]
    pub fn remove_label(repo: &str, number: u64, label: &str) -> Self {
        Call {
            absent_ok: true,
            ..Call::new(
                Method::Delete,
                format!("/repos/{repo}/issues/{number}/labels/{}", segment(label)),
                None,
            )
        }
    }

    /// `POST …/comments`.
    #[must_use]
    pub fn comment(repo: &str, number: u64, body: &str) -> Self {
        Call::new(
            Method::Post,
            format!("/repos/{repo}/issues/{number}/comments"),
            Some(&serde_json::json!({ "body": body })),
        )
    }

    /// `PATCH /repos/{repo}/issues/comments/{id}` replacing a comment's body (only its author
    /// may).
    #[must_use]
    pub fn edit_comment(repo: &str, comment_id: u64, body: &str) -> Self {
        Call::new(
            Method::Patch,
            format!("/repos/{repo}/issues/comments/{comment_id}"),
            Some(&serde_json::json!({ "body": body })),
        )
    }

    /// `POST /repos/{repo}/statuses/{sha}`: sets commit status `context` on a commit.
    #[must_use]
    pub fn commit_status(
        repo: &str,
        sha: &str,
        state: &str,
        context: &str,
        description: &str,
        target_url: Option<&str>,
    ) -> Self {
        let mut body = serde_json::json!({
            "state": state,
            "context": context,
            "description": description,
        });
        if let Some(url) = target_url {
            body["target_url"] = serde_json::Value::String(url.to_string());
        }
        Call::new(
            Method::Post,
            format!("/repos/{repo}/statuses/{}", segment(sha)),
            Some(&body),
        )
    }

    /// `POST …/dispatches` asking for the run's id, falling back to the same call without
    /// `return_run_details` where older GitHub Enterprise Server refuses the field.
    #[must_use]
    pub fn dispatch(
        repo: &str,
        workflow_file: &str,
        git_ref: &str,
        inputs: &BTreeMap<String, String>,
    ) -> Self {
        let path = format!(
            "/repos/{repo}/actions/workflows/{}/dispatches",
            segment(workflow_file)
        );
        let plain = serde_json::json!({ "ref": git_ref, "inputs": inputs });
        let mut with_details = plain.clone();
        with_details[RUN_DETAILS_FIELD] = serde_json::Value::Bool(true);
        Call {
            fallback: Some(Box::new(Call::new(
                Method::Post,
                path.clone(),
                Some(&plain),
            ))),
            ..Call::new(Method::Post, path, Some(&with_details))
        }
    }

    /// `POST …/runs/{id}/rerun-failed-jobs`.
    #[must_use]
    pub fn rerun_failed_jobs(repo: &str, run_id: u64) -> Self {
        Call::new(
            Method::Post,
            format!("/repos/{repo}/actions/runs/{run_id}/rerun-failed-jobs"),
            None,
        )
    }

    /// `POST …/runs/{id}/rerun`: every job again.
    #[must_use]
    pub fn rerun(repo: &str, run_id: u64) -> Self {
        Call::new(
            Method::Post,
            format!("/repos/{repo}/actions/runs/{run_id}/rerun"),
            None,
        )
    }

    /// `POST …/runs/{id}/cancel`.
    #[must_use]
    pub fn cancel_run(repo: &str, run_id: u64) -> Self {
        Call::new(
            Method::Post,
            format!("/repos/{repo}/actions/runs/{run_id}/cancel"),
            None,
        )
    }

    /// `POST …/runs/{id}/pending_deployments`: approves or rejects the waiting deployments.
    #[must_use]
    pub fn review_deployments(
        repo: &str,
        run_id: u64,
        environment_ids: &[u64],
        approve: bool,
        comment: &str,
    ) -> Self {
        Call::new(
            Method::Post,
            format!("/repos/{repo}/actions/runs/{run_id}/pending_deployments"),
            Some(&serde_json::json!({
                "environment_ids": environment_ids,
                "state": if approve { "approved" } else { "rejected" },
                "comment": comment,
            })),
        )
    }

    /// `POST /repos/{repo}/releases`: a new **draft** release for `tag` (never published).
    #[must_use]
    pub fn create_release(repo: &str, tag: &str, name: &str, body: &str) -> Self {
        Call::new(
            Method::Post,
            format!("/repos/{repo}/releases"),
            Some(&release_fields(tag, name, body)),
        )
    }

    /// `PATCH /repos/{repo}/releases/{id}`: replaces a draft release's tag, name and body; it
    /// stays a draft.
    #[must_use]
    pub fn update_release(repo: &str, id: u64, tag: &str, name: &str, body: &str) -> Self {
        Call::new(
            Method::Patch,
            format!("/repos/{repo}/releases/{id}"),
            Some(&release_fields(tag, name, body)),
        )
    }

    /// `PATCH /repos/{repo}/milestones/{number}` closing the milestone: its state only.
    #[must_use]
    pub fn close_milestone(repo: &str, number: u64) -> Self {
        Call::new(
            Method::Patch,
            format!("/repos/{repo}/milestones/{number}"),
            Some(&serde_json::json!({ "state": "closed" })),
        )
    }

    /// The body parsed back, for tests and for reading a field of what was sent.
    #[must_use]
    pub fn body_json(&self) -> Option<serde_json::Value> {
        self.body
            .as_deref()
            .and_then(|b| serde_json::from_str(b).ok())
    }
}

/// `POST /path` and, on the next line, the body exactly as sent; then the fallback, if any.
impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if self.absent_ok {
            f.write_str("  (404: already removed)")?;
        }
        if let Some(body) = &self.body {
            write!(f, "\n{body}")?;
        }
        if let Some(fallback) = &self.fallback {
            write!(
                f,
                "\nonly if GitHub refuses {RUN_DETAILS_FIELD} (older Enterprise Server, 400), once more without it:\n{fallback}"
            )?;
        }
        Ok(())
    }
}

/// What a draft release is created or updated with: always `draft: true`.
fn release_fields(tag: &str, name: &str, body: &str) -> serde_json::Value {
    serde_json::json!({ "tag_name": tag, "name": name, "body": body, "draft": true })
}

/// A list of calls that stopped at a failure.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", stopped_text(self))]
pub struct Stopped {
    pub error: ApiError,
    /// Calls that succeeded before the failing one.
    pub done: usize,
    /// Calls in the list.
    pub of: usize,
}

fn stopped_text(s: &Stopped) -> String {
    let mut text = s.error.to_string();
    if s.of > 1 {
        text = format!(
            "call {} of {} failed ({} before it applied, {} not sent): {text}",
            s.done + 1,
            s.of,
            s.done,
            s.of - s.done - 1
        );
    }
    if s.error.is_ambiguous() {
        text.push_str(
            "; the outcome is ambiguous: GitHub may have applied it, so check before trying again",
        );
    }
    text
}

/// Calls as the confirm dialog shows them, one after the other in the order they are sent.
#[must_use]
pub fn describe(calls: &[Call]) -> String {
    calls
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Percent-encodes one path segment (label names hold `:` and spaces; file names `.`).
#[must_use]
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_in_the_path_and_the_body_is_compact_json() {
        let c = Call::remove_label("acme/app", 7, "release:faulty");
        assert_eq!(c.path, "/repos/acme/app/issues/7/labels/release%3Afaulty");
        assert_eq!(
            c.to_string(),
            "DELETE /repos/acme/app/issues/7/labels/release%3Afaulty  (404: already removed)"
        );
        let c = Call::add_labels("acme/app", 7, &["release:healthy".into()]);
        assert_eq!(c.body.as_deref(), Some(r#"{"labels":["release:healthy"]}"#));
    }

    #[test]
    fn a_dispatch_names_its_fallback() {
        let inputs = BTreeMap::from([("version".to_string(), "v1 ".to_string())]);
        let c = Call::dispatch("acme/app", "deploy.yml", "release/v1", &inputs);
        assert_eq!(
            c.to_string(),
            "POST /repos/acme/app/actions/workflows/deploy.yml/dispatches\n\
             {\"inputs\":{\"version\":\"v1 \"},\"ref\":\"release/v1\",\"return_run_details\":true}\n\
             only if GitHub refuses return_run_details (older Enterprise Server, 400), once more without it:\n\
             POST /repos/acme/app/actions/workflows/deploy.yml/dispatches\n\
             {\"inputs\":{\"version\":\"v1 \"},\"ref\":\"release/v1\"}"
        );
    }

    #[test]
    fn a_state_change_sends_only_the_state() {
        let c = Call::set_issue_state("acme/app", 12, true);
        assert_eq!(
            c.to_string(),
            "PATCH /repos/acme/app/issues/12\n{\"state\":\"closed\"}"
        );
        let c = Call::set_issue_state("acme/app", 12, false);
        assert_eq!(c.body.as_deref(), Some(r#"{"state":"open"}"#));
        let c = Call::add_sub_issue("acme/app", 7, 3_000_000_123);
        assert_eq!(
            c.to_string(),
            "POST /repos/acme/app/issues/7/sub_issues\n{\"sub_issue_id\":3000000123}"
        );
    }

    #[test]
    fn release_calls_always_keep_the_draft() {
        let c = Call::create_release("acme/app", "v1.0", "v1.0", "# v1.0\n");
        assert_eq!(
            c.to_string(),
            "POST /repos/acme/app/releases\n\
             {\"body\":\"# v1.0\\n\",\"draft\":true,\"name\":\"v1.0\",\"tag_name\":\"v1.0\"}"
        );
        let c = Call::update_release("acme/app", 42, "v1.0", "v1.0", "x");
        assert_eq!(
            c.to_string(),
            "PATCH /repos/acme/app/releases/42\n\
             {\"body\":\"x\",\"draft\":true,\"name\":\"v1.0\",\"tag_name\":\"v1.0\"}"
        );
    }

    #[test]
    fn an_assigned_issue_names_its_assignees_and_a_closed_one_its_reason() {
        let c = Call::create_assigned_issue(
            "acme/app",
            "Risk: x",
            "b",
            &["risk".into()],
            &["bob".into()],
            Some(7),
        );
        assert_eq!(
            c.to_string(),
            "POST /repos/acme/app/issues\n\
             {\"assignees\":[\"bob\"],\"body\":\"b\",\"labels\":[\"risk\"],\"milestone\":7,\"title\":\"Risk: x\"}"
        );
        let plain = Call::create_issue("acme/app", "t", "b", &[], None);
        assert_eq!(
            plain.body.as_deref(),
            Some(r#"{"body":"b","labels":[],"title":"t"}"#)
        );
        let c = Call::close_issue("acme/app", 250, "completed");
        assert_eq!(
            c.to_string(),
            "PATCH /repos/acme/app/issues/250\n{\"state\":\"closed\",\"state_reason\":\"completed\"}"
        );
    }

    #[test]
    fn closing_a_milestone_sends_only_the_state() {
        let c = Call::close_milestone("acme/app", 7);
        assert_eq!(
            c.to_string(),
            "PATCH /repos/acme/app/milestones/7\n{\"state\":\"closed\"}"
        );
    }

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(segment("phase:deploy"), "phase%3Adeploy");
        assert_eq!(segment("good first issue"), "good%20first%20issue");
        assert_eq!(segment("deploy.yml"), "deploy.yml");
    }
}
