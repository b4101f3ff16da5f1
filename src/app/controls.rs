//! The run and release controls that need a confirmation: re-run, cancel, approve
//! or reject a deployment, lock or unlock deploys, mark the release healthy or faulty, sign
//! off, post the release status comment, close the milestone.

use super::action::Command;
use super::effect::Effect;
use super::runs::{refuse_if_read_only, target_run};
use super::state::{AppState, Level};
use super::write::{Confirm, WriteRequest};
use crate::release::{Conclusion, Phase, Release, RunStatus, State, status_update};

/// `R`: re-run the selected completed run, after confirmation: its failed jobs (the default
/// when it failed) or every job.
pub fn rerun(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some((repo, run)) = target_run(state) else {
        return Vec::new();
    };
    if run.status != RunStatus::Completed {
        state.record(
            Level::Warn,
            format!(
                "#{} is still running; cancel it first or wait",
                run.run_number
            ),
        );
        return Vec::new();
    }
    let failed = run
        .conclusion
        .is_some_and(|c| c.is_bad() || c == Conclusion::Cancelled);
    let context = format!(
        "Re-run {} #{} ({})?",
        run.name.clone().unwrap_or_default(),
        run.run_number,
        run.display_title
    );
    let c = Confirm::new(
        "Re-run",
        &context,
        WriteRequest::Rerun {
            repo,
            run_id: run.id,
            run_number: run.run_number,
            failed_only: failed,
        },
    );
    // Only a failed run has failed jobs to pick out.
    state.overlays.ask(if failed {
        c.with_choice("jobs", &["failed jobs only", "every job"])
    } else {
        c
    });
    Vec::new()
}

/// `X`: cancel the selected run, after confirmation.
pub fn cancel(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some((repo, run)) = target_run(state) else {
        return Vec::new();
    };
    if !run.status.is_active() {
        state.record(Level::Warn, format!("#{} is not running", run.run_number));
        return Vec::new();
    }
    let mut c = Confirm::new(
        "Cancel run",
        &format!(
            "Cancel {} #{} ({})?",
            run.name.clone().unwrap_or_default(),
            run.run_number,
            run.display_title
        ),
        WriteRequest::Cancel {
            repo,
            run_id: run.id,
            run_number: run.run_number,
        },
    );
    c.danger = true;
    state.overlays.ask(c);
    Vec::new()
}

/// `a`: loads what a waiting run waits for, then asks approve or reject.
pub fn review(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some((repo, run)) = target_run(state) else {
        return Vec::new();
    };
    if run.status != RunStatus::Waiting {
        state.record(
            Level::Warn,
            format!("#{} is not waiting for a review", run.run_number),
        );
        return Vec::new();
    }
    vec![Effect::LoadPendingDeployments {
        repo,
        run_id: run.id,
        run_number: run.run_number,
    }]
}

/// The tracking issue a release-level write goes to: `(repo, number, milestone)`. `None`
/// (with the reason in the status line) when read-only or when there is no tracking issue.
fn tracking_target(state: &mut AppState, what: &str) -> Option<(String, u64, String)> {
    if refuse_if_read_only(state) {
        return None;
    }
    let release = state.release.as_ref()?;
    match &release.tracking {
        Some(t) => Some((t.repo.clone(), t.number, release.title.clone())),
        None => {
            state.record(
                Level::Warn,
                format!(
                    "the {what} lives on the tracking issue, and there is none (shipdeck init)"
                ),
            );
            None
        }
    }
}

/// `L`: lock deploys (with a reason) or unlock them.
pub fn toggle_lock(state: &mut AppState) -> Vec<Effect> {
    let Some((repo, number, milestone)) = tracking_target(state, "lock") else {
        return Vec::new();
    };
    let label = state.session.lock_label.clone();
    let lock = state.release.as_ref().and_then(|r| r.lock.clone());
    state.overlays.ask(if let Some(lock) = lock {
        Confirm::new(
            "Unlock deploys",
            &format!("Deploys of {milestone} are locked: {}", lock.reason),
            WriteRequest::Unlock {
                repo,
                number,
                milestone,
                label,
            },
        )
    } else {
        Confirm::new(
            "Lock deploys",
            &format!(
                "Lock deploys of {milestone}? Dispatches of deploy workflows will be refused until unlocked."
            ),
            WriteRequest::Lock {
                repo,
                number,
                milestone,
                label,
                reason: String::new(),
            },
        )
        .with_text("reason", true)
    });
    Vec::new()
}

/// `m`: mark the release healthy or faulty after a deploy.
pub fn mark_health(state: &mut AppState) -> Vec<Effect> {
    let Some((repo, number, milestone)) = tracking_target(state, "health mark") else {
        return Vec::new();
    };
    let labels_now = state
        .release
        .as_ref()
        .and_then(|r| r.tracking.as_ref())
        .map(|t| t.labels.clone())
        .unwrap_or_default();
    state.overlays.ask(
        Confirm::new(
            "Mark the release",
            &format!("After the deploy, {milestone} is:"),
            WriteRequest::MarkHealth {
                repo,
                number,
                healthy_label: state.rules.healthy_label.clone(),
                faulty_label: state.rules.faulty_label.clone(),
                labels_now,
                healthy: true,
                comment: String::new(),
            },
        )
        .with_choice("health", &["healthy", "faulty"])
        .with_text("comment", false),
    );
    Vec::new()
}

/// The pending deployments of a waiting run: ask approve or reject.
pub fn pending_loaded(
    state: &mut AppState,
    repo: String,
    run_id: u64,
    run_number: u64,
    result: Result<Vec<crate::release::PendingDeployment>, String>,
) {
    let pending = match result {
        Ok(p) if !p.is_empty() => p,
        Ok(_) => {
            state.record(
                Level::Info,
                format!("#{run_number} has nothing waiting for review"),
            );
            return;
        }
        Err(e) => {
            state.record(
                Level::Error,
                format!("reading what #{run_number} waits for failed: {e}"),
            );
            return;
        }
    };
    let can: Vec<_> = pending
        .iter()
        .filter(|p| p.current_user_can_approve)
        .collect();
    if can.is_empty() {
        let who: Vec<String> = pending.iter().flat_map(|p| p.reviewers.clone()).collect();
        state.record(
            Level::Warn,
            format!(
                "you are not a required reviewer of #{run_number}; reviewers: {}",
                who.join(", ")
            ),
        );
        return;
    }
    let environments: Vec<String> = can.iter().map(|p| p.environment.clone()).collect();
    let production = environments.contains(&state.session.production_env);
    let mut c = Confirm::new(
        "Review deployment",
        &format!(
            "Run #{run_number} waits to deploy to {}.",
            environments.join(", ")
        ),
        WriteRequest::Review {
            repo,
            run_id,
            run_number,
            environment_ids: can.iter().map(|p| p.environment_id).collect(),
            environments,
            approve: true,
            comment: String::new(),
        },
    );
    c.danger = production;
    state.overlays.ask(
        c.with_choice("decision", &["approve", "reject"])
            .with_text("comment", false),
    );
}

/// `S` in the gates pane: sign off a role the token's user is listed for, or withdraw their
/// standing sign-off; a confirm dialog shows the comment that will be posted.
pub fn signoff(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some(login) = state.session.login.clone() else {
        return wait_for_login(state, Command::Signoff);
    };
    let policy = &state.rules.gates;
    let roles: Vec<String> = policy
        .roles
        .roles_of(&login)
        .into_iter()
        .map(str::to_string)
        .collect();
    if roles.is_empty() {
        let listed: Vec<String> = policy
            .roles
            .0
            .iter()
            .map(|(r, l)| format!("{r}: {}", l.join(", ")))
            .collect();
        let text = if listed.is_empty() {
            "no sign-off roles are configured ([signoffs] in the config)".to_string()
        } else {
            format!(
                "{login} is not listed for any sign-off role ({})",
                listed.join("; ")
            )
        };
        state.record(Level::Warn, text);
        return Vec::new();
    }
    let Some((repo, number, milestone)) = tracking_target(state, "sign-off") else {
        return Vec::new();
    };
    let Some(release) = &state.release else {
        return Vec::new();
    };
    let tally = crate::release::gates::signoffs(release, &state.rules.gates, Some(&roles));
    let options: Vec<(String, bool)> = roles
        .iter()
        .map(|r| (r.clone(), tally.has_signed(r, &login)))
        .collect();
    let labels: Vec<String> = options
        .iter()
        .map(|(r, revoke)| {
            if *revoke {
                format!("withdraw my {r} sign-off")
            } else {
                format!("sign off as {r}")
            }
        })
        .collect();
    let label_refs: Vec<&str> = labels.iter().map(String::as_str).collect();
    let (role, revoke) = options[0].clone();
    state.overlays.ask(
        Confirm::new(
            "Sign-off",
            &format!("As {login}, on the tracking issue of {milestone}:"),
            WriteRequest::Signoff {
                repo,
                number,
                milestone,
                role,
                revoke,
                options,
            },
        )
        .with_choice("sign-off", &label_refs),
    );
    Vec::new()
}

/// Asks GitHub who the token's user is, once, when first needed: `cmd` carries on when it
/// answers (the last command asked for wins).
fn wait_for_login(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    let first = state.sync.user_asked.is_none();
    state.sync.user_asked = Some(cmd);
    if first {
        state.record(Level::Info, "asking GitHub who you are…");
        vec![Effect::LoadUser]
    } else {
        Vec::new()
    }
}

/// The command that waited for the token's login, now that it is known.
pub fn after_login(state: &mut AppState, cmd: Command) -> Vec<Effect> {
    match cmd {
        Command::Signoff => signoff(state),
        Command::StatusUpdate => status_update(state),
        _ => Vec::new(),
    }
}

/// `U`: post the release status comment on the tracking issue, or edit the token user's own
/// one in place (found by its marker), after a confirm showing the exact call.
pub fn status_update(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let Some(login) = state.session.login.clone() else {
        return wait_for_login(state, Command::StatusUpdate);
    };
    let Some((repo, number, milestone)) = tracking_target(state, "status comment") else {
        return Vec::new();
    };
    let (Some(release), Some(report)) = (&state.release, &state.verdict) else {
        return Vec::new();
    };
    let now = super::gates::github_now(state);
    let window = super::gates::window_status(state).map(|w| w.describe(now));
    let mine = release
        .tracking
        .as_ref()
        .and_then(|t| status_update::mine(&t.status_comments, &login));
    let body = status_update::body(&status_update::Facts {
        release,
        report,
        risk_threshold: state.rules.gates.risk_threshold,
        window: window.as_deref(),
        now,
        login: &login,
        previous: mine.map(|c| c.body.as_str()),
        history_cap: state.session.status_history,
    });
    let context = match mine {
        Some(c) => format!(
            "As {login}, update the status comment of {milestone} in place ({}):",
            c.html_url
        ),
        None => format!("As {login}, post the status comment of {milestone}:"),
    };
    let request = WriteRequest::StatusUpdate {
        repo,
        number,
        comment_id: mine.map(|c| c.id),
        body,
    };
    state
        .overlays
        .ask(Confirm::new("Status update", &context, request));
    Vec::new()
}

/// How many open issues and PRs the close dialog names one by one.
const OPEN_NAMED: usize = 5;

/// `C`: close the release's milestone in every repository where it is open, after a confirm
/// listing what is still open (and warning when the release is not yet in Review).
pub fn close_milestone(state: &mut AppState) -> Vec<Effect> {
    if refuse_if_read_only(state) {
        return Vec::new();
    }
    let (Some(release), Some(snapshot)) = (&state.release, &state.snapshot) else {
        return Vec::new();
    };
    let milestones: Vec<(String, u64)> = snapshot
        .repos
        .iter()
        .filter(|r| r.milestone.state == State::Open)
        .map(|r| (r.repo.clone(), r.milestone.number))
        .collect();
    let title = release.title.clone();
    if milestones.is_empty() {
        state.record(
            Level::Info,
            format!("the milestone {title} is already closed everywhere"),
        );
        return Vec::new();
    }
    let context = close_context(release, &milestones);
    let mut c = Confirm::new(
        "Close the milestone",
        &context,
        WriteRequest::CloseMilestone { milestones, title },
    );
    c.danger = release.current_phase != Phase::Review;
    state.overlays.ask(c);
    Vec::new()
}

/// The close dialog's text: the phase warning, then what is still open.
fn close_context(release: &Release, milestones: &[(String, u64)]) -> String {
    let mut lines = vec![format!(
        "Close {} in {}?",
        release.title,
        milestones
            .iter()
            .map(|(r, _)| r.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )];
    if release.current_phase != Phase::Review {
        lines.push(format!(
            "⚠ the release is in {}: closing the milestone now ends it early",
            release.current_phase.title()
        ));
    }
    let open = release.issue_counts().open;
    let (ticked, items) = release.checklist_progress();
    let risks = crate::release::gates::open_risks_at(release, 0).count();
    if open == 0 && ticked == items && release.blockers.is_empty() && risks == 0 {
        lines.push("Nothing is left open.".to_string());
        return lines.join("\n");
    }
    lines.push("Still open:".to_string());
    if open > 0 {
        lines.push(format!("- {open} open issue(s) / PR(s) on the board"));
        let board = release.board();
        let cards = board
            .iter()
            .flat_map(|col| col.cards.iter())
            .filter(|c| c.state == State::Open);
        for c in cards.take(OPEN_NAMED) {
            lines.push(format!("    {}#{} {}", c.repo, c.number, c.title));
        }
        if open > OPEN_NAMED {
            lines.push(format!("    … and {} more", open - OPEN_NAMED));
        }
    }
    if ticked < items {
        lines.push(format!(
            "- {} of {items} checklist items unticked",
            items - ticked
        ));
    }
    if !release.blockers.is_empty() {
        lines.push(format!("- {} open blocker(s)", release.blockers.len()));
        for b in &release.blockers {
            lines.push(format!("    {}#{} {}", b.repo, b.number, b.title));
        }
    }
    if risks > 0 {
        lines.push(format!("- {risks} open risk(s)"));
    }
    lines.join("\n")
}
