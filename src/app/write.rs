//! Writes to GitHub that need the user's confirmation: what they are, the exact calls they
//! make (shown in the confirm dialog), and the dialog's state.

use std::collections::BTreeMap;

use super::keymap::Key;
use crossterm::event::KeyCode;

/// A change on GitHub, carried out only after the user confirmed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteRequest {
    Dispatch {
        repo: String,
        file: String,
        git_ref: String,
        inputs: BTreeMap<String, String>,
        workflow_name: String,
    },
    RerunFailed {
        repo: String,
        run_id: u64,
        run_number: u64,
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
        label: String,
        other_label: String,
        healthy: bool,
        comment: String,
    },
}

impl WriteRequest {
    /// The exact calls, as shown in the confirm dialog.
    #[must_use]
    pub fn calls(&self) -> String {
        match self {
            WriteRequest::Dispatch {
                repo,
                file,
                git_ref,
                inputs,
                ..
            } => {
                let body = serde_json::json!({
                    "ref": git_ref,
                    "inputs": inputs,
                    "return_run_details": true,
                });
                format!(
                    "POST /repos/{repo}/actions/workflows/{file}/dispatches\n{}",
                    serde_json::to_string_pretty(&body).unwrap_or_default()
                )
            }
            WriteRequest::RerunFailed { repo, run_id, .. } => {
                format!("POST /repos/{repo}/actions/runs/{run_id}/rerun-failed-jobs")
            }
            WriteRequest::Cancel { repo, run_id, .. } => {
                format!("POST /repos/{repo}/actions/runs/{run_id}/cancel")
            }
            WriteRequest::Review {
                repo,
                run_id,
                environment_ids,
                approve,
                comment,
                ..
            } => {
                let body = serde_json::json!({
                    "environment_ids": environment_ids,
                    "state": if *approve { "approved" } else { "rejected" },
                    "comment": comment,
                });
                format!(
                    "POST /repos/{repo}/actions/runs/{run_id}/pending_deployments\n{}",
                    serde_json::to_string(&body).unwrap_or_default()
                )
            }
            WriteRequest::Lock {
                repo,
                number,
                label,
                reason,
                ..
            } => format!(
                "POST /repos/{repo}/issues/{number}/labels {{\"labels\":[\"{label}\"]}}\nPOST /repos/{repo}/issues/{number}/comments  (reason: {reason})"
            ),
            WriteRequest::Unlock {
                repo,
                number,
                label,
                ..
            } => format!(
                "DELETE /repos/{repo}/issues/{number}/labels/{label}\nPOST /repos/{repo}/issues/{number}/comments"
            ),
            WriteRequest::MarkHealth {
                repo,
                number,
                label,
                other_label,
                ..
            } => format!(
                "POST /repos/{repo}/issues/{number}/labels {{\"labels\":[\"{label}\"]}}\nDELETE /repos/{repo}/issues/{number}/labels/{other_label} (if set)\nPOST /repos/{repo}/issues/{number}/comments"
            ),
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
            WriteRequest::RerunFailed {
                repo, run_number, ..
            } => format!("re-run failed jobs of #{run_number} ({repo})"),
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

/// A choice inside a confirm dialog (approve/reject, healthy/faulty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub label: String,
    pub options: Vec<String>,
    pub selected: usize,
}

/// The confirm dialog. No is selected until the user moves to Yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub title: String,
    /// Context and the exact calls.
    pub body: String,
    /// The user must type this (a protected environment's name) before Yes works.
    pub typed_requirement: Option<String>,
    pub typed: String,
    pub yes_selected: bool,
    /// A production or otherwise dangerous change: drawn in the danger colour.
    pub danger: bool,
    /// A free-text field (a comment or a reason), when the request takes one.
    pub text: Option<(String, String)>,
    pub choice: Option<Choice>,
    pub request: WriteRequest,
}

/// What a key did to the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmOutcome {
    Open,
    Cancelled,
    /// Confirmed: carry out this request (with the text and choice applied).
    Confirmed(WriteRequest),
    /// Enter on Yes before the typed requirement matched.
    NeedsTyping,
}

impl Confirm {
    /// A dialog for `request` with No selected.
    #[must_use]
    pub fn new(title: impl Into<String>, context: &str, request: WriteRequest) -> Self {
        let calls = request.calls();
        Confirm {
            title: title.into(),
            body: if context.is_empty() {
                calls
            } else {
                format!("{context}\n\n{calls}")
            },
            typed_requirement: None,
            typed: String::new(),
            yes_selected: false,
            danger: false,
            text: None,
            choice: None,
            request,
        }
    }

    /// Whether Yes would be accepted now.
    #[must_use]
    pub fn can_confirm(&self) -> bool {
        crate::release::dispatch::confirmation_matches(
            self.typed_requirement.as_deref(),
            &self.typed,
        )
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
                } else if !self.can_confirm() {
                    ConfirmOutcome::NeedsTyping
                } else {
                    ConfirmOutcome::Confirmed(self.finished_request())
                }
            }
            KeyCode::Backspace => {
                if self.typed_requirement.is_some() {
                    self.typed.pop();
                } else if let Some((_, t)) = self.text.as_mut() {
                    t.pop();
                }
                ConfirmOutcome::Open
            }
            KeyCode::Char(c)
                if key.mods.is_empty() || key.mods == crossterm::event::KeyModifiers::SHIFT =>
            {
                if self.typed_requirement.is_some() {
                    self.typed.push(c);
                } else if let Some((_, t)) = self.text.as_mut() {
                    t.push(c);
                } else if c == 'y' {
                    self.yes_selected = true;
                    return ConfirmOutcome::Confirmed(self.finished_request());
                } else if c == 'n' {
                    return ConfirmOutcome::Cancelled;
                }
                ConfirmOutcome::Open
            }
            _ => ConfirmOutcome::Open,
        }
    }

    /// The request with the dialog's text and choice filled in.
    fn finished_request(&self) -> WriteRequest {
        let text = self.text.as_ref().map(|(_, t)| t.trim().to_string());
        let first_choice = self.choice.as_ref().is_none_or(|c| c.selected == 0);
        match self.request.clone() {
            WriteRequest::Review {
                repo,
                run_id,
                run_number,
                environment_ids,
                environments,
                comment,
                ..
            } => WriteRequest::Review {
                repo,
                run_id,
                run_number,
                environment_ids,
                environments,
                approve: first_choice,
                comment: text.unwrap_or(comment),
            },
            WriteRequest::Lock {
                repo,
                number,
                milestone,
                label,
                reason,
            } => WriteRequest::Lock {
                repo,
                number,
                milestone,
                label,
                reason: text.filter(|t| !t.is_empty()).unwrap_or(reason),
            },
            WriteRequest::MarkHealth {
                repo,
                number,
                label,
                other_label,
                comment,
                ..
            } => {
                let (label, other_label) = if first_choice {
                    (label, other_label)
                } else {
                    (other_label, label)
                };
                WriteRequest::MarkHealth {
                    repo,
                    number,
                    label,
                    other_label,
                    healthy: first_choice,
                    comment: text.unwrap_or(comment),
                }
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Key {
        Key::parse(s).expect("valid key")
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

    #[test]
    fn enter_defaults_to_no() {
        let mut c = cancel_dialog();
        assert_eq!(c.key(key("enter")), ConfirmOutcome::Cancelled);
        let mut c = cancel_dialog();
        assert_eq!(c.key(key("right")), ConfirmOutcome::Open);
        assert!(matches!(
            c.key(key("enter")),
            ConfirmOutcome::Confirmed(WriteRequest::Cancel { run_id: 7, .. })
        ));
        assert_eq!(c.body, "POST /repos/acme/app/actions/runs/7/cancel");
    }

    #[test]
    fn protected_environment_needs_its_name_typed() {
        let mut c = cancel_dialog();
        c.typed_requirement = Some("production".into());
        c.key(key("right"));
        assert_eq!(c.key(key("enter")), ConfirmOutcome::NeedsTyping);
        for ch in "production".chars() {
            c.key(Key {
                code: KeyCode::Char(ch),
                mods: crossterm::event::KeyModifiers::NONE,
            });
        }
        assert!(matches!(c.key(key("enter")), ConfirmOutcome::Confirmed(_)));
    }

    #[test]
    fn review_takes_the_choice_and_comment() {
        let mut c = Confirm::new(
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
        );
        c.choice = Some(Choice {
            label: "decision".into(),
            options: vec!["approve".into(), "reject".into()],
            selected: 0,
        });
        c.text = Some(("comment".into(), String::new()));
        c.key(key("down"));
        for ch in "not yet".chars() {
            c.key(Key {
                code: KeyCode::Char(ch),
                mods: crossterm::event::KeyModifiers::NONE,
            });
        }
        c.key(key("left"));
        let ConfirmOutcome::Confirmed(WriteRequest::Review {
            approve, comment, ..
        }) = c.key(key("enter"))
        else {
            panic!("confirmed");
        };
        assert!(!approve);
        assert_eq!(comment, "not yet");
    }
}
