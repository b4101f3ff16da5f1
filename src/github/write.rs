//! Carrying out a write's calls: each sent once, in order, stopping at the first failure; a
//! 404 on a call that allows it is the wanted state; the dispatch fallback is sent only on
//! GitHub's 400 naming `return_run_details`. Also reads the answers a caller needs.

use super::api::{ApiResult, GitHubApi, Reply};
use super::dto;
use super::error::ApiError;
use crate::release::call::{Call, RUN_DETAILS_FIELD, Stopped};
use crate::release::{Comment, DispatchOutcome, Issue, WriteRecord};

/// What carrying out a list of calls did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Executed {
    /// Every call sent, oldest first, with its outcome: the audit.
    pub records: Vec<WriteRecord>,
    /// The last answer, or the failure that stopped the list.
    pub result: Result<Answer, Stopped>,
}

/// The answer to the last call sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub reply: Reply,
    /// `false` when the dispatch fallback had to be used (no run id will come back).
    pub details_supported: bool,
}

/// Sends `calls` in order, each exactly once, and stops at the first failure.
pub async fn execute(api: &dyn GitHubApi, calls: &[Call]) -> Executed {
    let mut records = Vec::new();
    let mut last = None;
    for (i, call) in calls.iter().enumerate() {
        let sent = api.send(call).await;
        records.push(sent.record);
        let (result, details_supported) = match (sent.result, call.fallback.as_deref()) {
            (
                Err(ApiError::Rejected {
                    status: 400,
                    message,
                }),
                Some(fallback),
            ) if message.contains(RUN_DETAILS_FIELD) => {
                tracing::info!(
                    path = call.path,
                    "{RUN_DETAILS_FIELD} refused; sending the fallback"
                );
                let again = api.send(fallback).await;
                records.push(again.record);
                (again.result, false)
            }
            (other, _) => (other, true),
        };
        match result {
            Ok(reply) => {
                last = Some(Answer {
                    reply,
                    details_supported,
                });
            }
            Err(ApiError::NotFound { .. }) if call.absent_ok => {
                last = Some(Answer {
                    reply: Reply {
                        status: 404,
                        body: String::new(),
                    },
                    details_supported,
                });
            }
            Err(error) => {
                return Executed {
                    records,
                    result: Err(Stopped {
                        error,
                        done: i,
                        of: calls.len(),
                    }),
                };
            }
        }
    }
    Executed {
        records,
        result: last.ok_or(Stopped {
            error: ApiError::Decode("no calls to send".into()),
            done: 0,
            of: 0,
        }),
    }
}

/// Sends one call and reads the answer's body as `T`.
async fn send_one<T: serde::de::DeserializeOwned>(
    api: &dyn GitHubApi,
    call: &Call,
) -> (WriteRecord, ApiResult<T>) {
    let sent = api.send(call).await;
    let result = sent
        .result
        .and_then(|r| serde_json::from_str(&r.body).map_err(|e| ApiError::Decode(e.to_string())));
    (sent.record, result)
}

/// A dispatch's outcome from its answer. The workflow was dispatched whatever the body says:
/// an unreadable body must not look like a failure (the user would dispatch again), so it
/// becomes "no run id".
#[must_use]
pub fn dispatch_outcome(answer: &Answer) -> DispatchOutcome {
    let details = (answer.reply.status == 200)
        .then(|| serde_json::from_str::<dto::DispatchResponseDto>(&answer.reply.body))
        .transpose()
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, "dispatch answer unreadable");
            None
        });
    DispatchOutcome {
        run_id: details.as_ref().map(|d| d.workflow_run_id),
        html_url: details.and_then(|d| d.html_url),
        details_supported: answer.details_supported,
    }
}

/// `PATCH`es an issue's body; returns the issue as GitHub stored it.
pub async fn edit_issue_body(
    api: &dyn GitHubApi,
    repo: &str,
    number: u64,
    body: &str,
) -> (WriteRecord, ApiResult<Issue>) {
    let (record, result) =
        send_one::<dto::IssueDto>(api, &Call::edit_issue_body(repo, number, body)).await;
    (record, result.map(|i| i.into_issue(repo)))
}

/// Opens an issue; returns it as GitHub stored it.
pub async fn create_issue(
    api: &dyn GitHubApi,
    repo: &str,
    title: &str,
    body: &str,
    labels: &[String],
    milestone: Option<u64>,
) -> (WriteRecord, ApiResult<Issue>) {
    let call = Call::create_issue(repo, title, body, labels, milestone);
    let (record, result) = send_one::<dto::IssueDto>(api, &call).await;
    (record, result.map(|i| i.into_issue(repo)))
}

/// Comments on an issue; returns the comment as GitHub stored it.
pub async fn create_comment(
    api: &dyn GitHubApi,
    repo: &str,
    number: u64,
    body: &str,
) -> (WriteRecord, ApiResult<Comment>) {
    let (record, result) =
        send_one::<dto::CommentDto>(api, &Call::comment(repo, number, body)).await;
    (record, result.map(Into::into))
}

/// Opens an issue and makes it a sub-issue of `parent` in `parent_repo` (by the new issue's
/// id, as GitHub wants); returns it as GitHub stored it, with both calls' audit records.
pub async fn create_sub_issue(
    api: &dyn GitHubApi,
    parent_repo: &str,
    parent: u64,
    repo: &str,
    title: &str,
    labels: &[String],
    milestone: Option<u64>,
) -> (Vec<WriteRecord>, ApiResult<Issue>) {
    let call = Call::create_issue(repo, title, "", labels, milestone);
    let (record, created) = send_one::<dto::IssueDto>(api, &call).await;
    let mut records = vec![record];
    let created = match created {
        Ok(c) => c,
        Err(e) => return (records, Err(e)),
    };
    let Some(id) = created.id else {
        return (
            records,
            Err(ApiError::Decode(format!(
                "the new issue {repo}#{} came back without its id",
                created.number
            ))),
        );
    };
    let sent = api
        .send(&Call::add_sub_issue(parent_repo, parent, id))
        .await;
    records.push(sent.record);
    (records, sent.result.map(|_| created.into_issue(repo)))
}
