//! Writes to GitHub that need the user's confirmation: what they are, the exact calls they
//! make (one function, drawn by the confirm dialog and sent by the executor), and the dialog.

use std::collections::BTreeMap;

use crossterm::event::KeyCode;

use super::keymap::Key;
use crate::release::call::Call;
#[cfg(test)]
use crate::release::call::describe;
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
                ..
            } => vec![Call::dispatch(repo, file, git_ref, inputs)],
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
                ..
            } => format!("dispatch {file} on {git_ref} ({repo})"),
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
            WriteRequest::MarkHealth { healthy, .. } => {
                format!(
                    "mark the release {}",
                    if *healthy { "healthy" } else { "faulty" }
                )
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

/// A choice inside a confirm dialog (approve/reject, healthy/faulty, failed jobs/all jobs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    pub options: Vec<String>,
    pub selected: usize,
}

/// A free-text field of a confirm dialog (a comment or a reason).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextField {
    pub label: String,
    pub value: String,
    /// Yes is refused while the text is empty.
    pub required: bool,
}

/// The confirm dialog. No is selected until the user moves to Yes. What it shows and what is
/// sent both come from [`Confirm::request`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    /// What the write is about, above the calls.
    pub context: String,
    /// The user must type this (a protected environment's name) before Yes works.
    pub typed_requirement: Option<String>,
    pub typed: String,
    pub yes_selected: bool,
    /// A production or otherwise dangerous change: drawn in the danger colour.
    pub danger: bool,
    /// A free-text field, when the request takes one.
    pub text: Option<TextField>,
    pub choice: Option<Choice>,
    /// The request as opened; [`Confirm::request`] applies the text and choice to it.
    base: WriteRequest,
}

/// What a key did to the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmOutcome {
    Open,
    Cancelled,
    /// Confirmed: carry out exactly these calls.
    Confirmed(Approved),
    /// Enter on Yes before the typed requirement matched.
    NeedsTyping,
    /// Enter on Yes while a required text field is empty.
    NeedsText(String),
}

impl Confirm {
    /// A dialog for `request` with No selected.
    #[must_use]
    pub fn new(title: impl Into<String>, context: &str, request: WriteRequest) -> Self {
        Confirm {
            title: title.into(),
            context: context.to_string(),
            typed_requirement: None,
            typed: String::new(),
            yes_selected: false,
            danger: false,
            text: None,
            choice: None,
            base: request,
        }
    }

    /// Adds a choice; option 0 is the request as opened.
    #[must_use]
    pub fn with_choice(mut self, label: &str, options: &[&str]) -> Self {
        self.choice = Some(Choice {
            label: label.to_string(),
            options: options.iter().map(ToString::to_string).collect(),
            selected: 0,
        });
        self
    }

    /// Adds a free-text field.
    #[must_use]
    pub fn with_text(mut self, label: &str, required: bool) -> Self {
        self.text = Some(TextField {
            label: label.to_string(),
            value: String::new(),
            required,
        });
        self
    }

    /// Whether Yes would be accepted now.
    #[must_use]
    pub fn can_confirm(&self) -> bool {
        crate::release::dispatch::confirmation_matches(
            self.typed_requirement.as_deref(),
            &self.typed,
        ) && self.missing_text().is_none()
    }

    /// The label of a required text field that is still empty.
    fn missing_text(&self) -> Option<&str> {
        self.text
            .as_ref()
            .filter(|t| t.required && t.value.trim().is_empty())
            .map(|t| t.label.as_str())
    }

    /// The calls that Yes would send now: drawn by the dialog on every frame.
    #[must_use]
    pub fn calls(&self) -> Vec<Call> {
        self.request().calls()
    }

    /// Handles one key.
    pub fn key(&mut self, key: Key) -> ConfirmOutcome {
        match key.code {
            KeyCode::Esc => ConfirmOutcome::Cancelled,
            KeyCode::Left | KeyCode::Right | KeyCode::Tab | KeyCode::BackTab => {
                self.yes_selected = !self.yes_selected;
                ConfirmOutcome::Open
            }
            KeyCode::Up | KeyCode::Down => {
                if let Some(c) = self.choice.as_mut() {
                    let n = c.options.len().max(1);
                    c.selected = if key.code == KeyCode::Down {
                        (c.selected + 1) % n
                    } else {
                        (c.selected + n - 1) % n
                    };
                }
                ConfirmOutcome::Open
            }
            KeyCode::Enter => {
                if !self.yes_selected {
                    ConfirmOutcome::Cancelled
                } else {
                    self.try_confirm()
                }
            }
            KeyCode::Backspace => {
                if self.typed_requirement.is_some() {
                    self.typed.pop();
                } else if let Some(t) = self.text.as_mut() {
                    t.value.pop();
                }
                ConfirmOutcome::Open
            }
            KeyCode::Char(c)
                if key.mods.is_empty() || key.mods == crossterm::event::KeyModifiers::SHIFT =>
            {
                if self.typed_requirement.is_some() {
                    self.typed.push(c);
                } else if let Some(t) = self.text.as_mut() {
                    t.value.push(c);
                } else if c == 'y' {
                    self.yes_selected = true;
                    return self.try_confirm();
                } else if c == 'n' {
                    return ConfirmOutcome::Cancelled;
                }
                ConfirmOutcome::Open
            }
            _ => ConfirmOutcome::Open,
        }
    }

    fn try_confirm(&self) -> ConfirmOutcome {
        if let Some(label) = self.missing_text() {
            return ConfirmOutcome::NeedsText(label.to_string());
        }
        if !self.can_confirm() {
            return ConfirmOutcome::NeedsTyping;
        }
        let request = self.request();
        ConfirmOutcome::Confirmed(Approved {
            calls: request.calls(),
            request,
        })
    }

    /// The request with the dialog's current text and choice applied: what Yes sends.
    #[must_use]
    pub fn request(&self) -> WriteRequest {
        let text = self.text.as_ref().map(|t| t.value.trim().to_string());
        let first_choice = self.choice.as_ref().is_none_or(|c| c.selected == 0);
        let mut request = self.base.clone();
        match &mut request {
            WriteRequest::Review {
                approve, comment, ..
            } => {
                *approve = first_choice;
                if let Some(t) = text {
                    *comment = t;
                }
            }
            WriteRequest::Lock { reason, .. } => {
                if let Some(t) = text {
                    *reason = t;
                }
            }
            WriteRequest::MarkHealth {
                healthy, comment, ..
            } => {
                *healthy = first_choice;
                if let Some(t) = text {
                    *comment = t;
                }
            }
            WriteRequest::Rerun { failed_only, .. } => {
                if self.choice.is_some() {
                    *failed_only = first_choice;
                }
            }
            WriteRequest::Dispatch { .. }
            | WriteRequest::Cancel { .. }
            | WriteRequest::Unlock { .. } => {}
        }
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        Key::parse(s).expect("valid key")
    }

    fn type_text(c: &mut Confirm, text: &str) {
        for ch in text.chars() {
            c.key(Key {
                code: KeyCode::Char(ch),
                mods: crossterm::event::KeyModifiers::NONE,
            });
        }
    }

    fn cancel_dialog() -> Confirm {
        Confirm::new(
            "Cancel run",
            "",
            WriteRequest::Cancel {
                repo: "acme/app".into(),
                run_id: 7,
                run_number: 3,
            },
        )
    }

    fn confirmed(c: &mut Confirm) -> Approved {
        if !c.yes_selected {
            c.key(key("right"));
        }
        match c.key(key("enter")) {
            ConfirmOutcome::Confirmed(a) => a,
            other => panic!("not confirmed: {other:?}"),
        }
    }

    #[test]
    fn enter_defaults_to_no() {
        let mut c = cancel_dialog();
        assert_eq!(c.key(key("enter")), ConfirmOutcome::Cancelled);
        let mut c = cancel_dialog();
        let approved = confirmed(&mut c);
        assert_eq!(
            describe(&approved.calls),
            "POST /repos/acme/app/actions/runs/7/cancel"
        );
    }

    #[test]
    fn protected_environment_needs_its_name_typed() {
        let mut c = cancel_dialog();
        c.typed_requirement = Some("production".into());
        c.key(key("right"));
        assert_eq!(c.key(key("enter")), ConfirmOutcome::NeedsTyping);
        type_text(&mut c, "production");
        assert!(matches!(c.key(key("enter")), ConfirmOutcome::Confirmed(_)));
    }

    fn review_dialog() -> Confirm {
        Confirm::new(
            "Review",
            "",
            WriteRequest::Review {
                repo: "acme/app".into(),
                run_id: 9,
                run_number: 4,
                environment_ids: vec![1],
                environments: vec!["production".into()],
                approve: true,
                comment: String::new(),
            },
        )
        .with_choice("decision", &["approve", "reject"])
        .with_text("comment", false)
    }

    #[test]
    fn the_shown_calls_follow_the_choice_and_text_and_are_what_yes_sends() {
        let mut c = review_dialog();
        assert_eq!(
            describe(&c.calls()),
            "POST /repos/acme/app/actions/runs/9/pending_deployments\n\
             {\"comment\":\"\",\"environment_ids\":[1],\"state\":\"approved\"}"
        );
        c.key(key("down"));
        type_text(&mut c, "not yet");
        let shown = c.calls();
        assert_eq!(
            describe(&shown),
            "POST /repos/acme/app/actions/runs/9/pending_deployments\n\
             {\"comment\":\"not yet\",\"environment_ids\":[1],\"state\":\"rejected\"}"
        );
        let approved = confirmed(&mut c);
        assert_eq!(approved.calls, shown);
        assert!(matches!(
            approved.request,
            WriteRequest::Review { approve: false, ref comment, .. } if comment == "not yet"
        ));
    }

    #[test]
    fn marking_faulty_sends_the_faulty_label_and_removes_healthy_only_when_set() {
        let dialog = |labels_now: Vec<String>| {
            Confirm::new(
                "Mark",
                "",
                WriteRequest::MarkHealth {
                    repo: "acme/app".into(),
                    number: 5,
                    healthy_label: "release:healthy".into(),
                    faulty_label: "release:faulty".into(),
                    labels_now,
                    healthy: true,
                    comment: String::new(),
                },
            )
            .with_choice("health", &["healthy", "faulty"])
            .with_text("comment", false)
        };
        let mut c = dialog(vec!["release:healthy".into()]);
        c.key(key("down"));
        type_text(&mut c, "p99 doubled");
        let calls = confirmed(&mut c).calls;
        assert_eq!(
            describe(&calls),
            "POST /repos/acme/app/issues/5/labels\n{\"labels\":[\"release:faulty\"]}\n\
             DELETE /repos/acme/app/issues/5/labels/release%3Ahealthy  (404: already removed)\n\
             POST /repos/acme/app/issues/5/comments\n\
             {\"body\":\"Release marked ❌ faulty after the deploy (via shipdeck).\\n\\np99 doubled\\n\"}"
        );
        let mut c = dialog(Vec::new());
        let calls = confirmed(&mut c).calls;
        assert_eq!(calls.len(), 2, "nothing to remove: {calls:?}");
        assert_eq!(
            calls[0].body.as_deref(),
            Some("{\"labels\":[\"release:healthy\"]}")
        );
    }

    #[test]
    fn a_lock_needs_a_reason_and_sends_it() {
        let mut c = Confirm::new(
            "Lock",
            "",
            WriteRequest::Lock {
                repo: "acme/app".into(),
                number: 5,
                milestone: "v1".into(),
                label: "deploy-locked".into(),
                reason: String::new(),
            },
        )
        .with_text("reason", true);
        c.key(key("right"));
        assert_eq!(
            c.key(key("enter")),
            ConfirmOutcome::NeedsText("reason".into())
        );
        type_text(&mut c, "incident 42");
        let calls = confirmed(&mut c).calls;
        assert_eq!(
            calls[1]
                .body_json()
                .and_then(|b| b["body"].as_str().map(str::to_string)),
            Some(DeployLock::comment("v1", "incident 42"))
        );
    }

    #[test]
    fn a_rerun_follows_its_choice() {
        let mut c = Confirm::new(
            "Re-run",
            "",
            WriteRequest::Rerun {
                repo: "acme/app".into(),
                run_id: 3,
                run_number: 1,
                failed_only: true,
            },
        )
        .with_choice("jobs", &["failed jobs only", "every job"]);
        assert_eq!(
            describe(&c.calls()),
            "POST /repos/acme/app/actions/runs/3/rerun-failed-jobs"
        );
        c.key(key("down"));
        assert_eq!(
            describe(&confirmed(&mut c).calls),
            "POST /repos/acme/app/actions/runs/3/rerun"
        );
    }
}
