//! The confirm dialog: No selected first, an optional choice and text field, a typed
//! confirmation for protected environments. What it shows and what Yes sends both come from
//! [`Confirm::request`].

use crossterm::event::KeyCode;

use super::keymap::Key;
use super::write::{Approved, WriteRequest};
use crate::release::call::Call;

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

/// Which field typed characters go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Typing {
    Requirement,
    Text,
    Nothing,
}

/// What a key did to the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmOutcome {
    Open,
    Cancelled,
    /// Confirmed: carry out exactly these calls.
    Confirmed(Box<Approved>),
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
                match self.typing_into() {
                    Typing::Requirement => {
                        self.typed.pop();
                    }
                    Typing::Text => {
                        if let Some(t) = self.text.as_mut() {
                            if t.value.is_empty() && self.typed_requirement.is_some() {
                                self.typed.pop();
                            } else {
                                t.value.pop();
                            }
                        }
                    }
                    Typing::Nothing => {}
                }
                ConfirmOutcome::Open
            }
            KeyCode::Char(c)
                if key.mods.is_empty() || key.mods == crossterm::event::KeyModifiers::SHIFT =>
            {
                let into = self.typing_into();
                match into {
                    Typing::Requirement => self.typed.push(c),
                    Typing::Text => {
                        if let Some(t) = self.text.as_mut() {
                            t.value.push(c);
                        }
                    }
                    Typing::Nothing => {}
                }
                if into != Typing::Nothing {
                    // Typed into a field.
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

    /// Where typed characters go: the typed requirement until it matches, when the dialog
    /// also has a text field (an override: "override", then the reason); else the requirement,
    /// else the text field.
    fn typing_into(&self) -> Typing {
        match (&self.typed_requirement, &self.text) {
            (Some(need), Some(_))
                if crate::release::dispatch::confirmation_matches(Some(need), &self.typed) =>
            {
                Typing::Text
            }
            (Some(_), _) => Typing::Requirement,
            (None, Some(_)) => Typing::Text,
            (None, None) => Typing::Nothing,
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
        ConfirmOutcome::Confirmed(Box::new(Approved {
            calls: request.calls(),
            request,
        }))
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
            WriteRequest::Dispatch { gate_override, .. } => {
                if let (Some(o), Some(t)) = (gate_override.as_mut(), text) {
                    o.reason = t;
                }
            }
            WriteRequest::Cancel { .. }
            | WriteRequest::Unlock { .. }
            | WriteRequest::CommitStatus { .. }
            | WriteRequest::StatusUpdate { .. }
            | WriteRequest::CloseMilestone { .. } => {}
            WriteRequest::PublishDrafts { .. }
            | WriteRequest::FileFollowUps { .. }
            | WriteRequest::NewRisk { .. }
            | WriteRequest::RiskLevel { .. } => {}
            WriteRequest::Comment { body, .. } => {
                if let Some(t) = text {
                    *body = t;
                }
            }
            WriteRequest::RetireRisk { reason, .. } => {
                if let Some(t) = text {
                    *reason = t;
                }
            }
            WriteRequest::Signoff {
                role,
                revoke,
                options,
                ..
            } => {
                let chosen = self.choice.as_ref().map_or(0, |c| c.selected);
                if let Some((r, v)) = options.get(chosen) {
                    role.clone_from(r);
                    *revoke = *v;
                }
            }
        }
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::call::describe;
    use crate::release::snapshot::DeployLock;

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
            ConfirmOutcome::Confirmed(a) => *a,
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
