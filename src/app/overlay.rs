//! The popups over the panes, as one stack: the topmost popup owns the keys, and `q` / Esc
//! close it (one at a time) instead of quitting. Ctrl-C quits from anywhere (see `update`).

use super::action::Command;
use super::dispatch;
use super::effect::Effect;
use super::keymap::{Focus, Key};
use super::state::{AppState, RunDetail};
use super::write::Confirm;
use crate::release::dispatch::DispatchForm;
use crate::release::risk::form::RiskForm;

/// A popup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The key list (`?`), scrolled down by `scroll` lines.
    Help { scroll: u16 },
    /// The drill-down of one run; run commands act on its run.
    RunDetail(RunDetail),
    /// A workflow's dispatch form, and the ref it was read at (editing the ref and pressing
    /// Enter reads the workflow again).
    DispatchForm {
        form: Box<DispatchForm>,
        read_at: String,
    },
    /// The new-risk form (`n` in the Risks pane).
    RiskForm(Box<RiskForm>),
    /// A write waiting for the user's Yes.
    Confirm(Box<Confirm>),
    /// The retrospective draft (`V`), lines picked to file as follow-ups.
    Retro(Box<super::retro::RetroView>),
    /// The `:` command palette; it takes the keys raw (its query is typed).
    Palette(super::palette::Palette),
    /// The detail view of an issue or pull request.
    Issue(super::detail::IssueView),
    /// A `[[commands]]` entry: asking, running, or its output.
    Command(Box<super::custom::CommandRun>),
    /// The ticks that cannot apply, each to retry or discard (their list is
    /// `AppState::tick_review`, kept while the popup is closed).
    TickReview,
}

impl Overlay {
    /// Whose bindings the keys go through while this popup is on top; `None` for a dialog that
    /// takes the keys raw because it has text to type (the dispatch form, a confirm).
    #[must_use]
    pub fn key_focus(&self) -> Option<Focus> {
        match self {
            Overlay::Help { .. } => Some(Focus::Popup),
            Overlay::RunDetail(_) => Some(Focus::Runs),
            Overlay::Retro(_) => Some(Focus::Retro),
            Overlay::Issue(_) => Some(Focus::Issue),
            Overlay::DispatchForm { .. }
            | Overlay::RiskForm(_)
            | Overlay::Confirm(_)
            | Overlay::Palette(_)
            | Overlay::Command(_)
            | Overlay::TickReview => None,
        }
    }

    /// Help and confirm dialogs keep the keys until the user closes or answers them.
    fn keeps_keys(&self) -> bool {
        matches!(self, Overlay::Help { .. } | Overlay::Confirm(_))
    }

    fn same_kind(&self, other: &Overlay) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// What a command means while a popup is on top: `q` (quit) closes it.
#[must_use]
pub fn in_popup(cmd: Command) -> Command {
    match cmd {
        Command::Quit => Command::Close,
        other => other,
    }
}

/// The open popups, bottom first. Only the topmost one gets keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overlays {
    stack: Vec<Overlay>,
}

impl Overlays {
    /// Opens a popup. A help, run drill-down or dispatch form that is already open is replaced
    /// where it is; an identical confirm dialog is not opened twice. Anything else goes on top,
    /// except beneath a help or confirm dialog on top: a result that arrives while the user
    /// reads help or answers a dialog never takes the keys from them; it shows once they close.
    pub fn open(&mut self, overlay: Overlay) {
        if let Overlay::Confirm(_) = overlay {
            if self.stack.contains(&overlay) {
                return;
            }
        } else if let Some(slot) = self.stack.iter_mut().find(|o| o.same_kind(&overlay)) {
            *slot = overlay;
            return;
        }
        let mut at = self.stack.len();
        while at > 0 && self.stack[at - 1].keeps_keys() {
            at -= 1;
        }
        self.stack.insert(at, overlay);
    }

    /// Opens a popup that arrived on its own (a tick GitHub refused, found in the background)
    /// beneath every open one: it never takes the keys from a form, a dialog or a view the
    /// user is in, and shows once they close. Already open, it stays where it is.
    pub fn open_beneath(&mut self, overlay: Overlay) {
        if !self.stack.iter().any(|o| o.same_kind(&overlay)) {
            self.stack.insert(0, overlay);
        }
    }

    /// Opens a confirm dialog for a write (see [`Self::open`] for where it goes).
    pub fn ask(&mut self, confirm: Confirm) {
        self.open(Overlay::Confirm(Box::new(confirm)));
    }

    /// The popup that owns the keys.
    #[must_use]
    pub fn top(&self) -> Option<&Overlay> {
        self.stack.last()
    }

    /// The popups, bottom first (the order they are drawn in).
    pub fn iter(&self) -> impl Iterator<Item = &Overlay> {
        self.stack.iter()
    }

    /// The popups, to change them (a result for one that is not on top).
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Overlay> {
        self.stack.iter_mut()
    }

    /// Whether no popup is open.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.stack.is_empty()
    }

    /// The topmost popup, to change it.
    pub fn top_mut(&mut self) -> Option<&mut Overlay> {
        self.stack.last_mut()
    }

    /// The issue detail view, when open.
    #[must_use]
    pub fn issue(&self) -> Option<&super::detail::IssueView> {
        self.stack.iter().find_map(|o| match o {
            Overlay::Issue(v) => Some(v),
            _ => None,
        })
    }

    /// Closes the topmost popup.
    pub fn close_top(&mut self) -> Option<Overlay> {
        self.stack.pop()
    }

    /// Closes the dispatch form.
    pub fn close_form(&mut self) {
        self.stack
            .retain(|o| !matches!(o, Overlay::DispatchForm { .. }));
    }

    /// Whether the review of ticks that cannot apply is open.
    #[must_use]
    pub fn tick_review(&self) -> bool {
        self.stack.contains(&Overlay::TickReview)
    }

    /// Closes the review of ticks that cannot apply.
    pub fn close_tick_review(&mut self) {
        self.stack.retain(|o| *o != Overlay::TickReview);
    }

    /// Closes the topmost confirm dialog.
    pub fn close_confirm(&mut self) {
        if let Some(i) = self
            .stack
            .iter()
            .rposition(|o| matches!(o, Overlay::Confirm(_)))
        {
            self.stack.remove(i);
        }
    }

    /// The help's scroll, when help is open.
    #[must_use]
    pub fn help_scroll(&self) -> Option<u16> {
        self.stack.iter().find_map(|o| match o {
            Overlay::Help { scroll } => Some(*scroll),
            _ => None,
        })
    }

    /// The run drill-down, when open.
    #[must_use]
    pub fn detail(&self) -> Option<&RunDetail> {
        self.stack.iter().find_map(|o| match o {
            Overlay::RunDetail(d) => Some(d),
            _ => None,
        })
    }

    /// The run drill-down, to update it.
    pub fn detail_mut(&mut self) -> Option<&mut RunDetail> {
        self.stack.iter_mut().find_map(|o| match o {
            Overlay::RunDetail(d) => Some(d),
            _ => None,
        })
    }

    /// The dispatch form, when open.
    #[must_use]
    pub fn form(&self) -> Option<&DispatchForm> {
        self.stack.iter().find_map(|o| match o {
            Overlay::DispatchForm { form, .. } => Some(form.as_ref()),
            _ => None,
        })
    }

    /// The ref the open dispatch form was read at.
    #[must_use]
    pub fn form_read_at(&self) -> Option<&str> {
        self.stack.iter().find_map(|o| match o {
            Overlay::DispatchForm { read_at, .. } => Some(read_at.as_str()),
            _ => None,
        })
    }

    /// The dispatch form, to edit it.
    pub fn form_mut(&mut self) -> Option<&mut DispatchForm> {
        self.stack.iter_mut().find_map(|o| match o {
            Overlay::DispatchForm { form, .. } => Some(form.as_mut()),
            _ => None,
        })
    }

    /// The new-risk form, when open.
    #[must_use]
    pub fn risk_form(&self) -> Option<&RiskForm> {
        self.stack.iter().find_map(|o| match o {
            Overlay::RiskForm(f) => Some(f.as_ref()),
            _ => None,
        })
    }

    /// The new-risk form, to edit it.
    pub fn risk_form_mut(&mut self) -> Option<&mut RiskForm> {
        self.stack.iter_mut().find_map(|o| match o {
            Overlay::RiskForm(f) => Some(f.as_mut()),
            _ => None,
        })
    }

    /// Closes the new-risk form.
    pub fn close_risk_form(&mut self) {
        self.stack.retain(|o| !matches!(o, Overlay::RiskForm(_)));
    }

    /// The retrospective draft, when open.
    #[must_use]
    pub fn retro(&self) -> Option<&super::retro::RetroView> {
        self.stack.iter().find_map(|o| match o {
            Overlay::Retro(v) => Some(v.as_ref()),
            _ => None,
        })
    }

    /// The retrospective draft, to move its cursor and pick lines.
    pub fn retro_mut(&mut self) -> Option<&mut super::retro::RetroView> {
        self.stack.iter_mut().find_map(|o| match o {
            Overlay::Retro(v) => Some(v.as_mut()),
            _ => None,
        })
    }

    /// The topmost confirm dialog, when one is open.
    #[must_use]
    pub fn confirm(&self) -> Option<&Confirm> {
        self.stack.iter().rev().find_map(|o| match o {
            Overlay::Confirm(c) => Some(c.as_ref()),
            _ => None,
        })
    }

    /// The topmost confirm dialog, to answer it.
    pub fn confirm_mut(&mut self) -> Option<&mut Confirm> {
        self.stack.iter_mut().rev().find_map(|o| match o {
            Overlay::Confirm(c) => Some(c.as_mut()),
            _ => None,
        })
    }
}

/// A command while a popup is on top. `None`: the popup lets it through to the panes (run
/// commands and navigation under the run drill-down).
pub fn command(state: &mut AppState, cmd: Command) -> Option<Vec<Effect>> {
    let top = state.overlays.top()?;
    let cmd = in_popup(cmd);
    match top {
        Overlay::Help { .. } => {
            if let Some(Overlay::Help { scroll }) = state.overlays.stack.last_mut() {
                match cmd {
                    Command::Close | Command::Help => {
                        state.overlays.close_top();
                    }
                    Command::Up => *scroll = scroll.saturating_sub(1),
                    Command::Down => *scroll = scroll.saturating_add(1),
                    _ => {}
                }
            }
            Some(Vec::new())
        }
        Overlay::RunDetail(_) => {
            let detail = state.overlays.detail_mut()?;
            match cmd {
                Command::Close => {
                    state.overlays.close_top();
                }
                Command::Up => detail.scroll = detail.scroll.saturating_sub(1),
                Command::Down => detail.scroll = detail.scroll.saturating_add(1),
                _ => return None,
            }
            Some(Vec::new())
        }
        Overlay::Retro(_) => Some(super::retro::command(state, cmd)),
        Overlay::Issue(_) => super::detail::command(state, cmd),
        Overlay::DispatchForm { .. }
        | Overlay::RiskForm(_)
        | Overlay::Confirm(_)
        | Overlay::Palette(_)
        | Overlay::Command(_)
        | Overlay::TickReview => Some(match cmd {
            Command::Close => dialog_key(state, ESC),
            _ => Vec::new(),
        }),
    }
}

const ESC: Key = Key {
    code: crossterm::event::KeyCode::Esc,
    mods: crossterm::event::KeyModifiers::NONE,
};

const Q: Key = Key {
    code: crossterm::event::KeyCode::Char('q'),
    mods: crossterm::event::KeyModifiers::NONE,
};

/// A raw key for the dialog on top (dispatch form or confirm). `q` is offered to it as text
/// first; when it has nowhere to type it, `q` closes it like Esc.
pub fn dialog_key(state: &mut AppState, key: Key) -> Vec<Effect> {
    let before = state.overlays.top().cloned();
    let fx = match &before {
        Some(Overlay::Confirm(_)) => dispatch::confirm_key(state, key),
        Some(Overlay::DispatchForm { .. }) => dispatch::form_key(state, key),
        Some(Overlay::Command(_)) => return super::custom::key(state, key),
        Some(Overlay::RiskForm(_)) => super::risks::form_key(state, key),
        Some(Overlay::TickReview) => return super::review::key(state, key),
        _ => return Vec::new(),
    };
    if key == Q && fx.is_empty() && state.overlays.top() == before.as_ref() {
        return dialog_key(state, ESC);
    }
    fx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::write::WriteRequest;
    use crate::release::call::describe;
    use crate::release::dispatch::DispatchSpec;

    fn detail(run_id: u64) -> Overlay {
        Overlay::RunDetail(RunDetail {
            repo: "acme/app".into(),
            run_id,
            scroll: 0,
            log: None,
        })
    }

    fn form(git_ref: &str) -> Overlay {
        let spec = DispatchSpec {
            name: None,
            inputs: Vec::new(),
        };
        Overlay::DispatchForm {
            form: Box::new(DispatchForm::new("acme/app", "w.yml", git_ref, spec)),
            read_at: git_ref.into(),
        }
    }

    fn confirm(run_id: u64) -> Confirm {
        Confirm::new(
            "Cancel run",
            "",
            WriteRequest::Cancel {
                repo: "acme/app".into(),
                run_id,
                run_number: 1,
            },
        )
    }

    fn kinds(o: &Overlays) -> Vec<String> {
        o.iter()
            .map(|o| match o {
                Overlay::Help { .. } => "help".to_string(),
                Overlay::RunDetail(d) => format!("run {}", d.run_id),
                Overlay::DispatchForm { read_at, .. } => format!("form at {read_at}"),
                Overlay::Confirm(c) => format!("confirm {}", describe(&c.calls())),
                Overlay::Retro(_) => "retro".to_string(),
                Overlay::Palette(p) => format!("palette {}", p.query),
                Overlay::Issue(v) => format!("issue {}#{}", v.repo, v.number),
                Overlay::Command(c) => format!("command {}", c.name),
                Overlay::RiskForm(_) => "risk form".to_string(),
                Overlay::TickReview => "tick review".to_string(),
            })
            .collect()
    }

    #[test]
    fn a_result_never_takes_the_keys_from_help_or_a_dialog() {
        let mut o = Overlays::default();
        o.open(detail(1));
        o.open(Overlay::Help { scroll: 0 });
        // A review dialog and then a form arrive while the user reads help.
        o.ask(confirm(1));
        o.open(form("main"));
        assert_eq!(
            kinds(&o),
            [
                "run 1",
                "form at main",
                "confirm POST /repos/acme/app/actions/runs/1/cancel",
                "help"
            ]
        );
        assert_eq!(o.top().and_then(Overlay::key_focus), Some(Focus::Popup));
        o.close_top();
        assert_eq!(
            o.top().and_then(Overlay::key_focus),
            None,
            "the dialog is next"
        );
        // Another dialog waits beneath the one being answered.
        o.ask(confirm(2));
        assert_eq!(
            kinds(&o)[2..],
            [
                "confirm POST /repos/acme/app/actions/runs/2/cancel",
                "confirm POST /repos/acme/app/actions/runs/1/cancel"
            ]
        );
    }

    #[test]
    fn the_same_popup_is_replaced_where_it_is_and_a_dialog_is_not_asked_twice() {
        let mut o = Overlays::default();
        o.open(detail(1));
        o.open(form("main"));
        o.open(detail(2));
        o.open(form("release/v1"));
        assert_eq!(kinds(&o), ["run 2", "form at release/v1"]);
        o.ask(confirm(3));
        o.ask(confirm(3));
        assert_eq!(o.iter().count(), 3);
        o.close_confirm();
        o.close_form();
        assert_eq!(kinds(&o), ["run 2"]);
    }
}
