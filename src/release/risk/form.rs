//! The new-risk form (`n` in the Risks pane): title, likelihood, impact, owner, mitigation and,
//! when the release spans several repositories, the repository. Its fields are the dispatch
//! form's [`InputField`]s, edited through the same [`Form`] keys. Pure: no I/O, no terminal.

use std::collections::BTreeMap;

use crate::release::dispatch::{Form, InputField, InputKind};

/// The field names, in the order the form shows them.
pub const TITLE: &str = "title";
pub const LIKELIHOOD: &str = "likelihood";
pub const IMPACT: &str = "impact";
pub const OWNER: &str = "owner";
pub const MITIGATION: &str = "mitigation";
pub const REPOSITORY: &str = "repository";

/// The new risk being filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskForm {
    /// Title, likelihood, impact, owner, mitigation, then the repository when there are several.
    pub fields: Vec<InputField>,
    /// The focused field, an index into `fields`.
    pub focus: usize,
    /// Errors from the last [`RiskForm::validate`], by field name; editing a field clears its
    /// error.
    pub errors: BTreeMap<String, String>,
    /// The release's repositories: the risk goes in the only one, or the one picked.
    pub repos: Vec<String>,
}

fn field(name: &str, description: &str, kind: InputKind, required: bool) -> InputField {
    InputField {
        name: name.to_string(),
        description: Some(description.to_string()),
        kind,
        required,
        default: None,
        value: String::new(),
    }
}

impl RiskForm {
    /// An empty form for a release over `repos`. The levels start unpicked: the user chooses
    /// them, nothing is assumed.
    #[must_use]
    pub fn new(repos: &[String]) -> Self {
        let levels: Vec<String> = (1..=5).map(|n: u8| n.to_string()).collect();
        let mut fields = vec![
            field(TITLE, "What could go wrong", InputKind::String, true),
            field(
                LIKELIHOOD,
                "1 rare … 5 almost certain",
                InputKind::Choice(levels.clone()),
                true,
            ),
            field(
                IMPACT,
                "1 negligible … 5 severe",
                InputKind::Choice(levels),
                true,
            ),
            field(
                OWNER,
                "GitHub login of the owner (the assignee)",
                InputKind::String,
                false,
            ),
            field(
                MITIGATION,
                "The plan, under ## Mitigation in the issue body",
                InputKind::String,
                false,
            ),
        ];
        if repos.len() > 1 {
            fields.push(field(
                REPOSITORY,
                "Where the issue is filed",
                InputKind::Choice(repos.to_vec()),
                true,
            ));
        }
        RiskForm {
            fields,
            focus: 0,
            errors: BTreeMap::new(),
            repos: repos.to_vec(),
        }
    }

    /// The value of field `name` (trimmed), empty when the form has no such field.
    #[must_use]
    pub fn value(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map_or("", |f| f.value.trim())
    }

    /// The repository the risk goes in: the picked one, or the release's only one.
    #[must_use]
    pub fn repo(&self) -> Option<&str> {
        match self.repos.as_slice() {
            [only] => Some(only.as_str()),
            _ => Some(self.value(REPOSITORY)).filter(|r| !r.is_empty()),
        }
    }

    /// The owner's login without a leading `@`, if given.
    #[must_use]
    pub fn owner(&self) -> Option<&str> {
        Some(self.value(OWNER).trim_start_matches('@')).filter(|o| !o.is_empty())
    }

    /// A 1–5 level field as picked.
    #[must_use]
    pub fn level(&self, name: &str) -> Option<u8> {
        self.value(name).parse().ok()
    }

    /// Checks the form, filling [`Self::errors`]; `true` when it may be sent.
    pub fn validate(&mut self) -> bool {
        self.errors.clear();
        for f in &self.fields {
            if let Some(message) = f.error() {
                self.errors.insert(f.name.clone(), message);
            }
        }
        if let Some(owner) = self.owner()
            && !is_login(owner)
        {
            self.errors.insert(
                OWNER.to_string(),
                "a GitHub login: letters, digits and single hyphens".to_string(),
            );
        }
        self.errors.is_empty()
    }

    fn focused(&mut self) -> Option<&mut InputField> {
        self.fields.get_mut(self.focus)
    }

    fn edited(&mut self, changed: bool) {
        if changed && let Some(name) = self.fields.get(self.focus).map(|f| f.name.clone()) {
            self.errors.remove(&name);
        }
    }
}

/// Whether `s` can be a GitHub login: ASCII letters, digits and single hyphens, not at either
/// end, at most 39 characters.
fn is_login(s: &str) -> bool {
    s.len() <= 39
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

impl Form for RiskForm {
    fn next_field(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    fn prev_field(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    fn is_text_focused(&self) -> bool {
        self.fields
            .get(self.focus)
            .is_some_and(|f| f.kind.is_text())
    }

    fn type_char(&mut self, c: char) {
        let changed = self.focused().is_some_and(|f| f.type_char(c));
        self.edited(changed);
    }

    fn backspace(&mut self) {
        let changed = self.focused().is_some_and(InputField::backspace);
        self.edited(changed);
    }

    fn cycle(&mut self, delta: i32) {
        let changed = self.focused().is_some_and(|f| f.cycle(delta));
        self.edited(changed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repos(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_string()).collect()
    }

    #[test]
    fn the_repository_is_asked_only_when_there_are_several() {
        let one = RiskForm::new(&repos(&["acme/app"]));
        assert!(one.fields.iter().all(|f| f.name != REPOSITORY));
        assert_eq!(one.repo(), Some("acme/app"));
        let mut two = RiskForm::new(&repos(&["acme/app", "acme/api"]));
        assert_eq!(two.repo(), None);
        two.focus = 5;
        two.cycle(-1);
        assert_eq!(two.repo(), Some("acme/api"));
    }

    #[test]
    fn levels_are_picked_not_assumed_and_the_owner_must_be_a_login() {
        let mut f = RiskForm::new(&repos(&["acme/app"]));
        for c in "Risk: x".chars() {
            f.type_char(c);
        }
        f.next_field();
        f.type_char('4'); // a choice takes no typing
        assert_eq!(f.level(LIKELIHOOD), None);
        f.focus = 3;
        for c in "@bad login".chars() {
            f.type_char(c);
        }
        assert!(!f.validate());
        assert_eq!(
            f.errors.keys().map(String::as_str).collect::<Vec<_>>(),
            [IMPACT, LIKELIHOOD, OWNER]
        );
        f.focus = 1;
        f.cycle(1);
        f.cycle(1);
        assert_eq!(f.level(LIKELIHOOD), Some(2));
        assert!(
            !f.errors.contains_key(LIKELIHOOD),
            "editing clears the error"
        );
        f.focus = 3;
        for _ in 0.." login".len() {
            f.backspace();
        }
        assert_eq!(f.owner(), Some("bad"));
        f.focus = 2;
        f.cycle(-1);
        assert!(f.validate(), "{:?}", f.errors);
        assert_eq!(f.level(IMPACT), Some(5));
    }
}
