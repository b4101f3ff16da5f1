//! Editing the risk register from the Risks pane: `n` files a new risk through a form, `+`/`-`
//! and `>`/`<` move the selected risk's likelihood and impact by one (label edits), `x`
//! retires it. Each is a [`WriteRequest`], confirmed and sent like every write.

use super::dispatch::{FormKey, edit_form};
use super::effect::Effect;
use super::keymap::Key;
use super::lists::selected_risk;
use super::overlay::Overlay;
use super::runs::refuse_if_read_only;
use super::state::{AppState, Level, Pane};
use super::write::{Confirm, WriteRequest};
use crate::release::State;
use crate::release::risk::form::{IMPACT, LIKELIHOOD, MITIGATION, RiskForm, TITLE};
use crate::release::risk::{Axis, Risk, new_risk_body};

/// Whether the Risks pane has the keys.
#[must_use]
pub fn focused(state: &AppState) -> bool {
    state.focus == Pane::Risks
}

/// `n`: opens the new-risk form.
pub fn new_risk(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some(release) = &state.release else {
        return Vec::new();
    };
    let form = RiskForm::new(&release.repos);
    state.overlays.open(Overlay::RiskForm(Box::new(form)));
    Vec::new()
}

/// A key while the new-risk form is open.
pub fn form_key(state: &mut AppState, key: Key) -> Vec<Effect> {
    let Some(form) = state.overlays.risk_form_mut() else {
        return Vec::new();
    };
    match edit_form(form, key) {
        FormKey::Cancel => {
            state.overlays.close_risk_form();
            state.record(Level::Info, "new risk cancelled");
        }
        FormKey::Submit => submit(state),
        FormKey::Edited => {}
    }
    Vec::new()
}

/// Enter in the form: check it, then ask to confirm the one call that files the risk.
fn submit(state: &mut AppState) {
    let Some(form) = state.overlays.risk_form_mut() else {
        return;
    };
    if !form.validate() {
        state.record(Level::Warn, "fix the marked fields");
        return;
    }
    let form = form.clone();
    let (Some(repo), Some(likelihood), Some(impact)) =
        (form.repo(), form.level(LIKELIHOOD), form.level(IMPACT))
    else {
        return;
    };
    let milestone = state
        .snapshot
        .as_ref()
        .and_then(|s| s.repos.iter().find(|r| r.repo == repo))
        .map(|r| r.milestone.number);
    let rules = &state.rules;
    let title = form.value(TITLE).to_string();
    let mut context = format!(
        "File a new risk in {repo}: likelihood {likelihood} × impact {impact} = {}{}.",
        likelihood * impact,
        form.owner()
            .map(|o| format!(", owned by @{o}"))
            .unwrap_or_default()
    );
    if milestone.is_none() {
        context.push_str(
            "\n⚠ the release's milestone was not read in this repository: the issue is filed without it and will not show in this register.",
        );
    }
    let request = WriteRequest::NewRisk {
        repo: repo.to_string(),
        title,
        body: new_risk_body(form.value(MITIGATION)),
        labels: vec![
            rules.risk_label.clone(),
            format!("{}{likelihood}", rules.likelihood_prefix),
            format!("{}{impact}", rules.impact_prefix),
        ],
        assignees: form.owner().map(str::to_string).into_iter().collect(),
        milestone,
    };
    state
        .overlays
        .ask(Confirm::new("New risk", &context, request));
}

/// The selected open risk, or why there is none to edit (recorded in the status line).
fn editable(state: &mut AppState) -> Option<Risk> {
    if refuse_if_read_only(state) {
        return None;
    }
    let Some(risk) = selected_risk(state).cloned() else {
        state.record(Level::Info, "no risk selected");
        return None;
    };
    if risk.state == State::Closed {
        state.record(
            Level::Warn,
            format!("{}#{} is retired (closed)", risk.repo, risk.number),
        );
        return None;
    }
    Some(risk)
}

/// `+`/`-` (likelihood) and `>`/`<` (impact): asks to move the selected risk's level by
/// `delta`. Contradictory or unreadable labels are refused, never guessed.
pub fn step(state: &mut AppState, axis: Axis, delta: i8) -> Vec<Effect> {
    let Some(risk) = editable(state) else {
        return Vec::new();
    };
    let prefix = match axis {
        Axis::Likelihood => &state.rules.likelihood_prefix,
        Axis::Impact => &state.rules.impact_prefix,
    };
    let edit = match risk.step(axis, delta, prefix) {
        Ok(edit) => edit,
        Err(why) => {
            state.record(Level::Warn, why);
            return Vec::new();
        }
    };
    let other = match axis {
        Axis::Likelihood => risk.impact.value(),
        Axis::Impact => risk.likelihood.value(),
    };
    let score = |level: Option<u8>| {
        level
            .zip(other)
            .map_or_else(|| "?".to_string(), |(a, b)| (a * b).to_string())
    };
    let context = format!(
        "{}#{} {}\n{}: {} → {} (score {} → {})",
        risk.repo,
        risk.number,
        risk.title,
        axis.name(),
        edit.from
            .map_or_else(|| "none".to_string(), |v| v.to_string()),
        edit.to,
        score(edit.from),
        score(Some(edit.to)),
    );
    let title = format!(
        "{} the {}",
        if delta > 0 { "Raise" } else { "Lower" },
        axis.name()
    );
    let request = WriteRequest::RiskLevel {
        repo: risk.repo,
        number: risk.number,
        axis,
        edit,
    };
    state.overlays.ask(Confirm::new(title, &context, request));
    Vec::new()
}

/// `x`: asks to retire the selected risk (a comment with an optional reason, then the issue
/// closed as completed).
pub fn retire(state: &mut AppState) -> Vec<Effect> {
    let Some(risk) = editable(state) else {
        return Vec::new();
    };
    let context = format!(
        "Retire {}#{} {}: a comment says it was retired, then the issue is closed as completed.",
        risk.repo, risk.number, risk.title
    );
    let request = WriteRequest::RetireRisk {
        repo: risk.repo,
        number: risk.number,
        reason: String::new(),
    };
    state
        .overlays
        .ask(Confirm::new("Retire risk", &context, request).with_text("reason", false));
    Vec::new()
}
