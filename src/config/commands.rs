//! `[[commands]]`: the user's own commands, run on the selected item like lazygit's custom
//! commands or k9s plugins. Each is an argument vector, never a shell line: a field's value
//! (an issue title, a branch) is always one argument, whatever it holds.

use serde::{Deserialize, Deserializer};

/// The fields a command's arguments may name, e.g. `{run_id}`.
pub const FIELDS: [&str; 7] = ["repo", "number", "url", "run_id", "sha", "milestone", "ref"];

/// The panes a command may be bound in (`global`: everywhere).
pub const SCOPES: [&str; 8] = [
    "global",
    "board",
    "checklist",
    "risks",
    "runs",
    "gates",
    "notes",
    "kpis",
];

/// One `[[commands]]` entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomCommand {
    /// What help and the `:` palette call it.
    pub name: String,
    /// The key, like `[keys]` writes them (`L`, `ctrl-g`).
    pub key: String,
    /// The pane whose selection the command acts on; `global` (the default) works anywhere.
    #[serde(default = "global", deserialize_with = "scope")]
    pub scope: String,
    /// The program and its arguments; `{field}` is replaced inside each argument.
    #[serde(deserialize_with = "argv")]
    pub argv: Vec<String>,
    /// Show the exact arguments and ask before running.
    #[serde(default)]
    pub confirm: bool,
    /// The command changes something (disabled by `--read-only`).
    #[serde(default)]
    pub writes: bool,
}

fn global() -> String {
    "global".into()
}

fn scope<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let s = String::deserialize(d)?;
    if SCOPES.contains(&s.as_str()) {
        Ok(s)
    } else {
        Err(serde::de::Error::custom(format!(
            "unknown scope \"{s}\"; one of {}",
            SCOPES.join(", ")
        )))
    }
}

fn argv<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let argv = Vec::<String>::deserialize(d)?;
    if argv.first().is_none_or(|p| p.trim().is_empty()) {
        return Err(serde::de::Error::custom(
            "argv needs at least the program, e.g. [\"gh\", \"run\", \"view\", \"{run_id}\"]",
        ));
    }
    for arg in &argv {
        for name in placeholders(arg) {
            if !FIELDS.contains(&name) {
                return Err(serde::de::Error::custom(format!(
                    "unknown field {{{name}}} in \"{arg}\"; the fields are {}",
                    FIELDS.map(|f| format!("{{{f}}}")).join(" ")
                )));
            }
        }
    }
    Ok(argv)
}

/// The `{name}` placeholders of one argument, in order.
#[must_use]
pub fn placeholders(arg: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = arg;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            found.push(name);
        }
        rest = &after[close + 1..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_the_braced_words() {
        assert_eq!(placeholders("{repo}#{number}"), vec!["repo", "number"]);
        assert_eq!(placeholders("--jq={.x}"), Vec::<&str>::new());
        assert_eq!(placeholders("{ref"), Vec::<&str>::new());
    }
}
