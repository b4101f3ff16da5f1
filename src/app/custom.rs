//! The user's `[[commands]]`: a key in a pane runs a program on the selected item, its
//! arguments built from the item's fields. The program gets an argument vector, never a shell
//! line, so a field holding `; rm -rf ~` is one argument. With `confirm = true` the exact
//! arguments are shown first; the output is shown in a popup.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyModifiers};

use super::effect::Effect;
use super::keymap::{Focus, Key};
use super::overlay::Overlay;
use super::state::{AppState, Level, Pane};
use crate::config::placeholders;

/// Output kept from a program: the last this many bytes of each stream.
pub const OUTPUT_LIMIT: usize = 64 * 1024;

/// One configured command, ready to bind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomCommand {
    pub name: String,
    /// The pane whose selection it acts on (`Global`: whatever is focused).
    pub focus: Focus,
    pub key: Key,
    /// The program and its arguments, `{field}`s not yet filled.
    pub argv: Vec<String>,
    pub confirm: bool,
    pub writes: bool,
}

impl CustomCommand {
    /// From the config entry; `Err` names what could not be read (the key, the scope).
    ///
    /// # Errors
    /// The key or the scope is not one shipdeck knows.
    pub fn from_config(c: &crate::config::CustomCommand) -> Result<Self, String> {
        let key = Key::parse(&c.key).map_err(|e| format!("[[commands]] {}: {e}", c.name))?;
        let focus = Focus::ALL
            .into_iter()
            .find(|f| f.name() == c.scope)
            .ok_or_else(|| format!("[[commands]] {}: unknown scope {}", c.name, c.scope))?;
        Ok(CustomCommand {
            name: c.name.clone(),
            focus,
            key,
            argv: c.argv.clone(),
            confirm: c.confirm,
            writes: c.writes,
        })
    }
}

/// The popup of a command: asking, running, or showing what it printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandRun {
    /// Matches the program's result to this popup.
    pub id: u64,
    pub name: String,
    /// The arguments exactly as they are (or were) passed to the program.
    pub argv: Vec<String>,
    pub stage: Stage,
    pub scroll: u16,
}

/// Where a command run is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// `confirm = true`: shown, waiting for y / Enter.
    Confirm,
    Running,
    /// The program ended (`Ok`: its exit code, `None` when killed by a signal) or could not
    /// start (`Err`).
    Done(Result<Finished, String>),
}

/// What a program left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// The fields of the selected item that a command's arguments may use.
#[must_use]
pub fn fields(state: &AppState) -> BTreeMap<&'static str, String> {
    let mut f = BTreeMap::new();
    let Some(release) = state.release.as_ref() else {
        return f;
    };
    f.insert("milestone", release.title.clone());
    f.insert("ref", release.release_ref.clone());
    if let [only] = release.repos.as_slice() {
        f.insert("repo", only.clone());
    }
    match state.focus {
        Pane::Runs => {
            if let Some((w, run)) = super::runs::selected(state) {
                f.insert("repo", w.repo.clone());
                if let Some(r) = run {
                    f.insert("run_id", r.id.to_string());
                    f.insert("sha", r.head_sha.clone());
                    f.insert("url", r.html_url.clone());
                }
            }
        }
        Pane::Board | Pane::Risks | Pane::Checklist => {
            if let Ok((repo, number)) = super::detail::selected(state) {
                if let Some((issue, _)) = super::detail::find_issue(state, &repo, number) {
                    f.insert("url", issue.html_url.clone());
                }
                f.insert("repo", repo);
                f.insert("number", number.to_string());
            }
        }
        _ => {}
    }
    f
}

/// The arguments with every `{field}` filled in. Each argument stays one argument, whatever
/// the values hold.
///
/// # Errors
/// The fields the selection does not have, each named with what would give it.
pub fn expand(
    argv: &[String],
    fields: &BTreeMap<&'static str, String>,
) -> Result<Vec<String>, String> {
    let mut missing: Vec<&str> = Vec::new();
    let out = argv
        .iter()
        .map(|arg| {
            // One pass over the template: a value is never read again, so a value holding
            // `{number}` stays as it is.
            let mut out = String::new();
            let mut rest = arg.as_str();
            for name in placeholders(arg) {
                let token = format!("{{{name}}}");
                let Some(at) = rest.find(&token) else {
                    continue;
                };
                out.push_str(&rest[..at]);
                match fields.get(name) {
                    Some(value) => out.push_str(value),
                    None => {
                        out.push_str(&token);
                        if !missing.contains(&name) {
                            missing.push(name);
                        }
                    }
                }
                rest = &rest[at + token.len()..];
            }
            out.push_str(rest);
            out
        })
        .collect();
    if missing.is_empty() {
        return Ok(out);
    }
    Err(format!(
        "not known for the selection: {}",
        missing
            .iter()
            .map(|m| format!("{{{m}}} ({})", hint(m)))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn hint(field: &str) -> &'static str {
    match field {
        "run_id" | "sha" => "select a run in the runs pane",
        "number" | "url" => "select an issue, a risk, a checklist item or a run",
        "repo" => "select an item; the release has several repositories",
        _ => "wait for the release to load",
    }
}

/// Runs configured command `index` on the selection: asks first when it says so.
pub fn run(state: &mut AppState, index: usize) -> Vec<Effect> {
    let Some(cmd) = state.session.commands.get(index).cloned() else {
        return Vec::new();
    };
    if cmd.writes && state.session.read_only {
        state.record(
            Level::Warn,
            format!("read-only: {} changes things, so it is disabled", cmd.name),
        );
        return Vec::new();
    }
    let argv = match expand(&cmd.argv, &fields(state)) {
        Ok(argv) => argv,
        Err(why) => {
            state.record(Level::Warn, format!("{}: {why}", cmd.name));
            return Vec::new();
        }
    };
    state.sync.next_req += 1;
    let id = state.sync.next_req;
    let stage = if cmd.confirm {
        Stage::Confirm
    } else {
        Stage::Running
    };
    let start = stage == Stage::Running;
    state.overlays.open(Overlay::Command(Box::new(CommandRun {
        id,
        name: cmd.name,
        argv: argv.clone(),
        stage,
        scroll: 0,
    })));
    state.dirty = true;
    if start {
        started(state, id, argv)
    } else {
        Vec::new()
    }
}

fn started(state: &mut AppState, id: u64, argv: Vec<String>) -> Vec<Effect> {
    state.record(Level::Info, format!("running {}", shown(&argv)));
    vec![Effect::RunProgram { id, argv }]
}

/// The arguments as one line, each quoted where it needs it, for the log and the popup.
#[must_use]
pub fn shown(argv: &[String]) -> String {
    argv.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=@#%+,".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The program ended (or could not start).
pub fn finished(state: &mut AppState, id: u64, result: Result<Finished, String>) {
    let summary = match &result {
        Ok(f) => match f.code {
            Some(0) => "exit 0".to_string(),
            Some(c) => format!("exit {c}"),
            None => "killed by a signal".to_string(),
        },
        Err(e) => e.clone(),
    };
    let level = if matches!(&result, Ok(Finished { code: Some(0), .. })) {
        Level::Info
    } else {
        Level::Warn
    };
    let mut name = None;
    for overlay in state.overlays.iter_mut() {
        if let Overlay::Command(run) = overlay
            && run.id == id
        {
            name = Some(run.name.clone());
            run.stage = Stage::Done(result.clone());
        }
    }
    if let Some(name) = name {
        state.record(level, format!("{name}: {summary}"));
    }
    state.dirty = true;
}

/// A key while a command's popup is on top.
pub fn key(state: &mut AppState, key: Key) -> Vec<Effect> {
    let Some(Overlay::Command(run)) = state.overlays.top_mut() else {
        return Vec::new();
    };
    let plain = !key
        .mods
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match (&run.stage, key.code) {
        (Stage::Confirm, KeyCode::Enter | KeyCode::Char('y')) if plain => {
            run.stage = Stage::Running;
            let (id, argv) = (run.id, run.argv.clone());
            state.dirty = true;
            return started(state, id, argv);
        }
        (_, KeyCode::Esc | KeyCode::Char('q' | 'n')) if plain => {
            if run.stage == Stage::Confirm {
                let name = run.name.clone();
                state.overlays.close_top();
                state.record(Level::Info, format!("{name} cancelled"));
            } else {
                state.overlays.close_top();
            }
        }
        (_, KeyCode::Down | KeyCode::Char('j')) => run.scroll = run.scroll.saturating_add(1),
        (_, KeyCode::Up | KeyCode::Char('k')) => run.scroll = run.scroll.saturating_sub(1),
        (_, KeyCode::PageDown) => run.scroll = run.scroll.saturating_add(10),
        (_, KeyCode::PageUp) => run.scroll = run.scroll.saturating_sub(10),
        _ => {}
    }
    state.dirty = true;
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&'static str, &str)]) -> BTreeMap<&'static str, String> {
        pairs.iter().map(|(k, v)| (*k, (*v).to_string())).collect()
    }

    #[test]
    fn a_value_with_shell_syntax_or_braces_stays_inside_its_argument() {
        let argv: Vec<String> = ["gh", "{repo}", "--title={milestone} #{number}"]
            .map(String::from)
            .to_vec();
        let f = fields(&[
            ("repo", "acme/app"),
            ("milestone", "; rm -rf ~ {number}"),
            ("number", "7"),
        ]);
        assert_eq!(
            expand(&argv, &f).unwrap(),
            vec!["gh", "acme/app", "--title=; rm -rf ~ {number} #7"],
            "three arguments in, three out, and a value is not expanded again"
        );
    }

    #[test]
    fn every_missing_field_is_named_once_with_what_gives_it() {
        let argv: Vec<String> = ["x", "{run_id}", "{sha}", "{run_id}", "{ref}"]
            .map(String::from)
            .to_vec();
        let err = expand(&argv, &fields(&[("ref", "release/v1")])).unwrap_err();
        assert_eq!(
            err,
            "not known for the selection: {run_id} (select a run in the runs pane), \
             {sha} (select a run in the runs pane)"
        );
    }

    #[test]
    fn shown_quotes_only_what_needs_it() {
        let argv = ["gh", "run", "a b", "it's", ""].map(String::from).to_vec();
        assert_eq!(shown(&argv), "gh run 'a b' 'it'\\''s' ''");
    }
}
