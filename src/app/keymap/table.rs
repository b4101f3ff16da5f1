//! The keymap's tables: the default bindings, and the keys of the dialogs that `[keys]` does not
//! rebind.

use super::Focus;
use crate::app::action::Command;

/// The default table: (focus, command, keys, description, shown in the footer).
#[rustfmt::skip]
pub(super) const DEFAULTS: &[(Focus, Command, &[&str], &str, bool)] = &[
    (Focus::Global, Command::Quit, &["q"], "quit", true),
    (Focus::Global, Command::Help, &["?"], "help", true),
    (Focus::Global, Command::NextPane, &["tab"], "next pane", false),
    (Focus::Global, Command::PrevPane, &["shift-tab"], "previous pane", false),
    (Focus::Global, Command::FocusBoard, &["1"], "phase board", false),
    (Focus::Global, Command::FocusChecklist, &["2"], "checklist", false),
    (Focus::Global, Command::FocusRisks, &["3"], "risks", false),
    (Focus::Global, Command::FocusRuns, &["4"], "runs", false),
    (Focus::Global, Command::FocusGates, &["5"], "gates", false),
    (Focus::Global, Command::FocusActivity, &["6"], "activity log", false),
    (Focus::Global, Command::Up, &["k", "up"], "up", false),
    (Focus::Global, Command::Down, &["j", "down"], "down", false),
    (Focus::Global, Command::Top, &["g", "home"], "first", false),
    (Focus::Global, Command::Bottom, &["G", "end"], "last", false),
    (Focus::Global, Command::PageUp, &["pgup", "ctrl-u"], "page up", false),
    (Focus::Global, Command::PageDown, &["pgdn", "ctrl-d"], "page down", false),
    (Focus::Global, Command::Refresh, &["r", "f5"], "refresh", true),
    (Focus::Global, Command::Zoom, &["z"], "zoom", true),
    (Focus::Global, Command::OpenInBrowser, &["o"], "open", true),
    (Focus::Global, Command::CopyUrl, &["y"], "copy URL", false),
    (Focus::Global, Command::Filter, &["/"], "filter the list", false),
    (Focus::Global, Command::Close, &["esc"], "clear the filter / unzoom", false),
    (Focus::Board, Command::Left, &["h", "left"], "prev phase", true),
    (Focus::Board, Command::Right, &["l", "right"], "next phase", true),
    (Focus::Board, Command::Drill, &["enter"], "issue / PR details", false),
    (Focus::Risks, Command::Drill, &["enter"], "risk details", false),
    (Focus::Risks, Command::NewRisk, &["n"], "new risk", true),
    (Focus::Risks, Command::RaiseLikelihood, &["+"], "likelihood +1", false),
    (Focus::Risks, Command::LowerLikelihood, &["-"], "likelihood −1", false),
    (Focus::Risks, Command::RaiseImpact, &[">"], "impact +1", false),
    (Focus::Risks, Command::LowerImpact, &["<"], "impact −1", false),
    (Focus::Risks, Command::RetireRisk, &["x"], "retire risk", true),
    (Focus::Checklist, Command::Drill, &["i"], "linked issue details", false),
    (Focus::Checklist, Command::ToggleItem, &["space", "enter"], "tick", true),
    (Focus::Checklist, Command::Undo, &["u"], "undo tick", true),
    (Focus::Global, Command::ReviewTicks, &["T"], "ticks to review", false),
    (Focus::Global, Command::FocusAudit, &["7"], "audit log", false),
    (Focus::Global, Command::FocusBurnup, &["8"], "burn-up chart", false),
    (Focus::Global, Command::FocusNotes, &["9"], "release notes", false),
    (Focus::Global, Command::FocusKpis, &["0"], "delivery KPIs", false),
    (Focus::Global, Command::Palette, &[":"], "command palette", false),
    (Focus::Global, Command::ToggleLock, &["L"], "lock / unlock deploys", false),
    (Focus::Global, Command::MarkHealth, &["m"], "mark release healthy / faulty", false),
    (Focus::Global, Command::StatusUpdate, &["U"], "post / edit status comment", false),
    (Focus::Global, Command::CloseMilestone, &["C"], "close the milestone", false),
    (Focus::Global, Command::Retro, &["V"], "retrospective draft", false),
    (Focus::Runs, Command::Drill, &["enter"], "details", true),
    (Focus::Runs, Command::Close, &["esc"], "close details", false),
    (Focus::Runs, Command::Dispatch, &["d"], "dispatch", true),
    (Focus::Runs, Command::Rerun, &["R"], "re-run", true),
    (Focus::Runs, Command::CancelRun, &["X"], "cancel run", true),
    (Focus::Runs, Command::Rollback, &["b"], "roll back", true),
    (Focus::Runs, Command::Review, &["a"], "approve / reject", true),
    (Focus::Runs, Command::Compact, &["c"], "compact", false),
    (Focus::Gates, Command::Signoff, &["S"], "sign off / withdraw", true),
    (Focus::Notes, Command::WriteNotes, &["w"], "write notes-<milestone>.md", true),
    (Focus::Notes, Command::PublishNotes, &["P"], "create / update draft releases", true),
    (Focus::Notes, Command::GeneratedNotes, &["n"], "GitHub's generated notes side by side", false),
    (Focus::Kpis, Command::Drill, &["enter"], "events behind the number", true),
    (Focus::Kpis, Command::Close, &["esc"], "back to the metrics", false),
    (Focus::Retro, Command::Up, &["k", "up"], "up", false),
    (Focus::Retro, Command::Down, &["j", "down"], "down", false),
    (Focus::Retro, Command::ToggleItem, &["space"], "pick line", true),
    (Focus::Retro, Command::FileFollowUps, &["F"], "file picked lines as follow-ups", true),
    (Focus::Retro, Command::Close, &["esc", "q"], "close", true),
    (Focus::Issue, Command::Close, &["esc"], "close", true),
    (Focus::Issue, Command::Comment, &["c"], "comment", true),
    (Focus::Popup, Command::Close, &["esc", "q", "?"], "close", true),
    (Focus::Popup, Command::Up, &["k", "up"], "scroll up", false),
    (Focus::Popup, Command::Down, &["j", "down"], "scroll down", false),
];

/// The keys of the popups that take keys raw because they have text to type (and of the tick
/// review), which `[keys]` does not rebind: (where, [(keys, what they do)]). `?` and the README
/// list them; their handlers are `dispatch::edit_form` (both forms), `Confirm::key`, `lists::key`,
/// `palette::key`, `custom::key` and `review::key`.
pub const DIALOG_KEYS: &[(&str, &[(&str, &str)])] = &[
    (
        "In the dispatch form",
        &[
            ("tab/↓ shift-tab/↑", "next / previous field"),
            ("←/→", "choose an option"),
            ("space", "flip a yes/no field"),
            ("typing", "edit a text field (q too)"),
            ("enter", "review; on an edited ref, read the workflow again"),
            ("esc", "cancel"),
        ],
    ),
    (
        "In a confirm dialog",
        &[
            ("←/→ tab", "No / Yes (No first)"),
            ("↑/↓", "change the choice"),
            ("typing", "the comment, reason or name asked for"),
            ("y / n", "Yes / No, where there is nothing to type"),
            ("enter", "the selected button"),
            ("esc q", "cancel (q where there is nothing to type)"),
        ],
    ),
    (
        "In a pane's / filter",
        &[
            (
                "typing",
                "narrow the rows: text @login label:x is:open repo:name",
            ),
            ("ctrl-u", "clear the query"),
            ("↑/↓", "move among the rows shown"),
            ("enter", "keep the filter, keys back to the pane"),
            ("esc", "clear the filter"),
        ],
    ),
    (
        "In the : palette",
        &[
            (
                "typing",
                "search commands; also theme [dark|light], repo [name], q",
            ),
            ("↑/↓", "choose"),
            ("enter", "run it (from its pane)"),
            ("esc", "close"),
        ],
    ),
    (
        "In a [[commands]] popup",
        &[
            ("y/enter n/esc", "run / cancel (confirm = true)"),
            ("j/k pgup/pgdn", "scroll the output"),
            ("esc q", "close"),
        ],
    ),
    (
        "In the ticks to review (T)",
        &[
            ("j/k", "move"),
            ("r/enter", "retry the tick"),
            ("d/x/delete", "discard it"),
            ("?", "help"),
            ("esc q", "close"),
        ],
    ),
    (
        "With the mouse ([ui] mouse)",
        &[
            ("click", "focus a pane, select a row, switch tab"),
            ("wheel", "move in the pane, scroll a popup"),
        ],
    ),
];
