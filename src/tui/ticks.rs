//! The tick worker: applies this session's outbox intents one at a time, in order. For each:
//! GET the current body, find the item again by text and occurrence, set its box, PATCH, read
//! back. A retry repeats the whole cycle (never a blind re-PATCH of an old body), so someone
//! else's edit made meanwhile survives. When the PATCH's answer is lost (a 5xx, a timeout or
//! reset, a truncated body) the issue is read again and the body decides whether the tick
//! landed. A sub-issue's tick (sub-issues mode) instead closes or reopens that issue with one
//! state PATCH and reads it back, under the same rules. Only GitHub refusing the edit for good (404, 403, 410, 422) or a checklist that no
//! longer has the item keeps an intent for review; every other failure is retried with backoff.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, mpsc};

use super::outbox::{Intent, Outbox};
use crate::app::Action;
use crate::app::review::ReviewItem;
use crate::github::write::edit_issue_body;
use crate::github::write::execute;
use crate::github::{ApiError, GitHubApi};
use crate::release::call::Call;
use crate::release::sub_issues::IssueRef;
use crate::release::task_list::{self, HeadingNames, Tick, TickError};
use crate::release::{Issue, State, WriteRecord};

/// Attempts per intent before it waits for the next wake-up (a refresh or a new tick).
const ATTEMPTS: u32 = 4;

/// Why one attempt failed.
#[derive(Debug)]
enum Failure {
    /// Will not work however often it is tried: keep it for review.
    Permanent(String),
    /// Worth trying again; not before the time given (a rate limit's).
    Transient(String, Option<DateTime<Utc>>),
}

impl From<ApiError> for Failure {
    /// Permanent only when GitHub understood the request and refused it for this issue (gone,
    /// locked, not editable with this token, invalid). Everything else may pass and is
    /// retried: a server error, a timeout or reset, a truncated answer, a rate limit, and a
    /// 401 (a token being rotated; a token that stays bad keeps the tick pending, not lost).
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::NotFound { .. } | ApiError::Forbidden { .. } | ApiError::Rejected { .. } => {
                Failure::Permanent(e.to_string())
            }
            ApiError::Unauthorized { .. }
            | ApiError::NoToken
            | ApiError::RateLimited { .. }
            | ApiError::Server { .. }
            | ApiError::Timeout
            | ApiError::Network(_)
            | ApiError::Decode(_)
            // A wrong server is the config's problem, not the tick's: keep it pending.
            | ApiError::NotGitHub { .. }
            | ApiError::PlainHttp { .. } => {
                Failure::Transient(e.to_string(), e.retry_at(Utc::now()))
            }
        }
    }
}

/// For a PATCH: the answer was lost but the edit may have been applied (GitHub usually did):
/// a server error, a timeout or reset, or a success whose body was cut short.
fn answer_lost(e: &ApiError) -> bool {
    e.is_ambiguous() || matches!(e, ApiError::Decode(_))
}

/// Applies ticks from the outbox in the background.
#[derive(Clone)]
pub struct TickWorker {
    api: Arc<dyn GitHubApi>,
    outbox: Arc<Outbox>,
    tx: mpsc::Sender<Action>,
    wake: Arc<Notify>,
    backoff: Duration,
    audit: super::writes::AuditLog,
}

impl TickWorker {
    /// A worker over `outbox`, reporting on `tx`. `backoff` is the first retry delay.
    #[must_use]
    pub fn new(
        api: Arc<dyn GitHubApi>,
        outbox: Arc<Outbox>,
        tx: mpsc::Sender<Action>,
        backoff: Duration,
    ) -> Self {
        Self {
            api,
            outbox,
            tx,
            wake: Arc::new(Notify::new()),
            backoff,
            audit: super::writes::AuditLog::default(),
        }
    }

    /// Records this worker's PATCHes in the audit pane and file too.
    #[must_use]
    pub fn with_audit(mut self, audit: super::writes::AuditLog) -> Self {
        self.audit = audit;
        self
    }

    /// Asks the worker to look at the outbox again.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Runs until the UI goes away: drains the outbox, then waits to be woken. An intent that
    /// keeps failing transiently stays first in line until the next wake-up.
    pub async fn run(self) {
        loop {
            loop {
                let intent = match self.outbox.next_pending() {
                    Ok(Some(intent)) => intent,
                    Ok(None) => break,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot read the tick outbox");
                        break;
                    }
                };
                let (applied, records) = self.apply(&intent).await;
                self.audit.record(records, &self.tx).await;
                let Some(action) = applied else {
                    break;
                };
                if self.tx.send(action).await.is_err() {
                    return;
                }
            }
            self.wake.notified().await;
        }
    }

    /// Applies one intent, retrying transient failures. `None` when GitHub stayed unavailable:
    /// the intent stays pending and the user has been told. Also returns the audit records of
    /// the PATCHes sent.
    async fn apply(&self, intent: &Intent) -> (Option<Action>, Vec<WriteRecord>) {
        let mut records = Vec::new();
        let action = self.apply_recording(intent, &mut records).await;
        (action, records)
    }

    async fn apply_recording(
        &self,
        intent: &Intent,
        records: &mut Vec<WriteRecord>,
    ) -> Option<Action> {
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            let attempted = match &intent.sub_issue {
                Some(target) => self.attempt_sub_issue(intent, target, records).await,
                None => self
                    .attempt(intent, records)
                    .await
                    .map(|(body, updated_at)| (body, updated_at, None)),
            };
            match attempted {
                Ok((body, updated_at, sub_issue)) => {
                    if let Err(e) = self.outbox.remove(intent.id) {
                        tracing::error!(error = %e, "could not remove an applied tick from the outbox");
                    }
                    let tick = intent.tick();
                    return Some(Action::TickApplied {
                        repo: tick.repo,
                        number: tick.number,
                        key: tick.key,
                        checked: tick.checked,
                        body,
                        updated_at,
                        sub_issue,
                    });
                }
                Err(Failure::Permanent(reason)) => {
                    if let Err(e) = self.outbox.mark_failed(intent.id, &reason) {
                        tracing::error!(error = %e, "could not mark a tick as failed in the outbox");
                    }
                    return Some(Action::TickNeedsReview(ReviewItem {
                        id: intent.id,
                        tick: intent.tick(),
                        reason,
                    }));
                }
                Err(Failure::Transient(reason, retry_at)) => {
                    let wait = self.backoff * 2u32.pow(attempt);
                    // A rate limit says how long to wait: `retry-after`, or until the reset.
                    let wait = retry_at
                        .and_then(|at| (at - Utc::now()).to_std().ok())
                        .map_or(wait, |limit| limit.max(wait));
                    tracing::warn!(%reason, attempt, ?wait, "tick attempt failed; retrying");
                    last = reason;
                    tokio::time::sleep(wait).await;
                }
            }
        }
        let _ = self
            .tx
            .send(Action::TickFailed {
                repo: intent.repo.clone(),
                number: intent.number,
                key: intent.key.clone(),
                checked: intent.checked,
                reason: format!("{last}; the tick is saved and will be retried"),
                kept_pending: true,
            })
            .await;
        None
    }

    /// GET → set → PATCH → read back. Returns the confirmed body.
    async fn attempt(
        &self,
        intent: &Intent,
        records: &mut Vec<WriteRecord>,
    ) -> Result<(String, DateTime<Utc>), Failure> {
        let headings = HeadingNames::default();
        let issue = self.api.issue(&intent.repo, intent.number).await?;
        let body = issue.body.unwrap_or_default();
        let same_text = task_list::parse(&body, &headings)
            .iter()
            .filter(|i| i.text == intent.key.text)
            .count();
        if same_text != intent.same_text && same_text > 1 {
            return Err(Failure::Permanent(format!(
                "the item \"{}\" is ambiguous now: {same_text} items have that text (there were {})",
                intent.key.text, intent.same_text
            )));
        }
        let new_body = match task_list::set_checked(&body, &headings, &intent.key, intent.checked) {
            Ok(Tick::AlreadySet) => return Ok((body, issue.updated_at)),
            Ok(Tick::Changed(new_body)) => new_body,
            Err(e @ (TickError::ItemGone(_) | TickError::BodyTooLong(_))) => {
                return Err(Failure::Permanent(e.to_string()));
            }
        };
        // Look once more right before writing (a conditional GET: free when nothing changed), so
        // an edit made since the first read is built upon rather than overwritten. GitHub has no
        // compare-and-swap for bodies; this leaves only the PATCH's own round trip exposed.
        let again = self.api.issue(&intent.repo, intent.number).await?;
        if again.body.as_deref().unwrap_or_default() != body {
            return Err(Failure::Transient(
                "the checklist changed while ticking; trying again on the new text".to_string(),
                None,
            ));
        }
        let (record, edited) =
            edit_issue_body(self.api.as_ref(), &intent.repo, intent.number, &new_body).await;
        records.push(record);
        match edited {
            Ok(_) => {
                let back = self.read_back(intent, &headings).await?;
                if let Some((back_body, _)) = &back {
                    self.report_concurrent_edit(
                        intent,
                        &again.html_url,
                        &body,
                        &new_body,
                        back_body,
                    )
                    .await;
                }
                back.ok_or_else(|| {
                    Failure::Transient("GitHub does not show the tick yet".to_string(), None)
                })
            }
            Err(e) if answer_lost(&e) => {
                // Decide from the body whether it landed, rather than report a failure that
                // invites the user to tick again.
                tracing::warn!(error = %e, "the answer to a tick's PATCH was lost; reading the issue");
                self.read_back(intent, &headings).await?.ok_or_else(|| {
                    Failure::Transient(
                        format!("{e}; GitHub does not show the tick, so it is sent again"),
                        None,
                    )
                })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// GitHub has no compare-and-swap for bodies, so an edit someone makes in the moment
    /// between the last read and the PATCH is overwritten, and cannot be seen afterwards. What
    /// can be seen is someone editing around the tick: the body read back after the PATCH
    /// differs from what was sent in other lines. Then the user is warned, with the issue's
    /// link, and both texts go to the log.
    async fn report_concurrent_edit(
        &self,
        intent: &Intent,
        url: &str,
        base: &str,
        sent: &str,
        back: &str,
    ) {
        if back == sent {
            return;
        }
        let sent_lines: std::collections::HashSet<&str> = sent.lines().collect();
        let back_lines: std::collections::HashSet<&str> = back.lines().collect();
        let changed = back_lines.symmetric_difference(&sent_lines).count();
        tracing::warn!(
            repo = intent.repo,
            number = intent.number,
            changed,
            base,
            back,
            "the checklist was edited by someone else around a tick"
        );
        let _ = self
            .tx
            .send(Action::Notice(format!(
                "{}#{} was edited by someone else while \"{}\" was ticked ({changed} line(s) differ): their edit is on GitHub, but one made in the same moment could have been overwritten; check the issue's history: {url}",
                intent.repo, intent.number, intent.key.text
            )))
            .await;
    }

    /// A sub-issue's tick: GET it, and unless it is already in the wanted state, send the
    /// state PATCH (one call through `execute`, the body untouched) and read it back. A lost
    /// answer is decided by reading the issue, like a body tick. Returns the issue as read back.
    async fn attempt_sub_issue(
        &self,
        intent: &Intent,
        target: &IssueRef,
        records: &mut Vec<WriteRecord>,
    ) -> Result<(String, DateTime<Utc>, Option<Issue>), Failure> {
        let wanted = |i: &Issue| (i.state == State::Closed) == intent.checked;
        let confirmed = |i: Issue| (String::new(), i.updated_at, Some(i));
        let issue = self.api.issue(&target.repo, target.number).await?;
        if wanted(&issue) {
            return Ok(confirmed(issue));
        }
        let call = Call::set_issue_state(&target.repo, target.number, intent.checked);
        let executed = execute(self.api.as_ref(), std::slice::from_ref(&call)).await;
        records.extend(executed.records);
        if let Err(stopped) = executed.result {
            if !answer_lost(&stopped.error) {
                return Err(stopped.error.into());
            }
            tracing::warn!(error = %stopped.error, "the answer to a sub-issue's state PATCH was lost; reading the issue");
        }
        let back = self.api.issue(&target.repo, target.number).await?;
        if wanted(&back) {
            Ok(confirmed(back))
        } else {
            Err(Failure::Transient(
                format!(
                    "GitHub does not show {}#{} {} yet",
                    target.repo,
                    target.number,
                    if intent.checked { "closed" } else { "open" }
                ),
                None,
            ))
        }
    }

    /// Reads the issue back: its body and time when the box is in the wanted state.
    async fn read_back(
        &self,
        intent: &Intent,
        headings: &HeadingNames,
    ) -> Result<Option<(String, DateTime<Utc>)>, Failure> {
        let back = self.api.issue(&intent.repo, intent.number).await?;
        let body = back.body.unwrap_or_default();
        let confirmed = task_list::parse(&body, headings)
            .iter()
            .any(|i| i.key() == intent.key && i.checked == intent.checked);
        Ok(confirmed.then_some((body, back.updated_at)))
    }
}
