//! The `/` filter of the list panes as pure functions: a query parsed into terms, and a row
//! (its [`Subject`]) matched against them. Which rows each pane shows lives in `lists`.
//!
//! Free text is a case-insensitive substring of the row's words, like GitHub's own search box
//! and gh-dash: a fuzzy matcher finds "apple" in any long title holding a, p, p, l, e in order,
//! which narrows a list of issue titles far less than people expect. Fuzzy belongs to lists of
//! short names (the command palette), not here.

/// One term of a query; every term must match (AND).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A word (or a quoted phrase) found in the row's text, case-insensitive.
    Text(String),
    /// `@login`: an assignee or the author whose login starts with it (so it narrows as it is
    /// typed), case-insensitive.
    Login(String),
    /// `label:x`: a label named exactly `x`, case-insensitive (as GitHub compares labels).
    Label(String),
    /// `is:open` (`true`) or `is:closed` (`false`).
    Open(bool),
    /// `repo:name`: the repository `owner/name`, or any owner's `name`, case-insensitive.
    Repo(String),
}

/// A parsed query. The empty filter matches every row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// The terms in the order typed; all must match.
    pub terms: Vec<Term>,
}

/// What a row offers to the filter. Built per row kind by `lists`.
#[derive(Debug, Clone, Default)]
pub struct Subject<'a> {
    /// The row's main text: an issue's title, a checklist item, a run's title.
    pub title: &'a str,
    /// `owner/name`.
    pub repo: &'a str,
    /// The issue or run number, matched by `#12` or `12`.
    pub number: Option<u64>,
    pub labels: &'a [String],
    /// Assignees, author, actor: who `@login` finds.
    pub people: Vec<&'a str>,
    /// Open or closed; `None` where neither applies (no term `is:` matches it then).
    pub open: Option<bool>,
    /// More words free text looks in (a workflow's name and file, a branch, a status).
    pub text: Vec<&'a str>,
}

impl Filter {
    /// Parses a query. Never fails: what is not a known `key:value` is free text, and an
    /// unterminated quote runs to the end.
    #[must_use]
    pub fn parse(query: &str) -> Filter {
        let terms = words(query).into_iter().filter_map(term).collect();
        Filter { terms }
    }

    /// Whether the filter has no term (it then matches everything).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether every term matches the row.
    #[must_use]
    pub fn matches(&self, subject: &Subject<'_>) -> bool {
        self.terms.iter().all(|t| term_matches(t, subject))
    }
}

/// Splits on whitespace, keeping a double-quoted part (`label:"good first issue"`) whole.
fn words(query: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in query.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn term(word: String) -> Option<Term> {
    let lower = word.to_lowercase();
    if let Some(login) = lower.strip_prefix('@') {
        // A lone `@` while typing matches everything.
        return (!login.is_empty()).then(|| Term::Login(login.to_string()));
    }
    if let Some((key, value)) = lower.split_once(':') {
        match (key, value) {
            (_, "") if matches!(key, "label" | "is" | "repo") => return None,
            ("label", v) => return Some(Term::Label(v.to_string())),
            ("repo", v) => return Some(Term::Repo(v.to_string())),
            ("is", "open") => return Some(Term::Open(true)),
            ("is", "closed") => return Some(Term::Open(false)),
            _ => {}
        }
    }
    Some(Term::Text(lower))
}

fn term_matches(term: &Term, s: &Subject<'_>) -> bool {
    match term {
        Term::Text(word) => text_matches(word, s),
        Term::Login(login) => s
            .people
            .iter()
            .any(|p| p.to_lowercase().starts_with(login.as_str())),
        Term::Label(label) => s.labels.iter().any(|l| l.to_lowercase() == *label),
        Term::Open(open) => s.open == Some(*open),
        Term::Repo(repo) => {
            let full = s.repo.to_lowercase();
            full == *repo || full.rsplit('/').next() == Some(repo.as_str())
        }
    }
}

fn text_matches(word: &str, s: &Subject<'_>) -> bool {
    if let Some(n) = s.number
        && word.strip_prefix('#').unwrap_or(word) == n.to_string()
    {
        return true;
    }
    std::iter::once(s.title)
        .chain(std::iter::once(s.repo))
        .chain(s.text.iter().copied())
        .any(|t| t.to_lowercase().contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue<'a>(labels: &'a [String]) -> Subject<'a> {
        Subject {
            title: "Apple Pay button on checkout",
            repo: "acme/storefront",
            number: Some(212),
            labels,
            people: vec!["Erin", "dave"],
            open: Some(true),
            text: vec!["phase:build"],
        }
    }

    #[test]
    fn parses_each_kind_of_term() {
        let f = Filter::parse(r#"  Apple @Erin label:"Good First" is:closed repo:Payments x:y"#);
        assert_eq!(
            f.terms,
            vec![
                Term::Text("apple".into()),
                Term::Login("erin".into()),
                Term::Label("good first".into()),
                Term::Open(false),
                Term::Repo("payments".into()),
                Term::Text("x:y".into()),
            ]
        );
        assert!(Filter::parse("   ").is_empty());
        assert!(Filter::parse("@ label: is: repo:").is_empty());
        assert_eq!(
            Filter::parse("is:merged").terms,
            vec![Term::Text("is:merged".into())]
        );
    }

    #[test]
    fn every_term_must_match() {
        let labels = vec!["Phase:Build".to_string(), "bug".to_string()];
        let s = issue(&labels);
        for yes in [
            "",
            "apple",
            "APPLE pay",
            "#212",
            "212",
            "@er",
            "@DAVE",
            "label:phase:build",
            "label:BUG",
            "is:open",
            "repo:storefront",
            "repo:acme/storefront",
            "storefront",
            "apple @erin label:bug is:open repo:storefront",
        ] {
            assert!(Filter::parse(yes).matches(&s), "{yes:?} should match");
        }
        for no in [
            "pear",
            "apple pear",
            "#21",
            "@frank",
            "label:bu",
            "is:closed",
            "repo:store",
            "repo:acme/payments",
        ] {
            assert!(!Filter::parse(no).matches(&s), "{no:?} should not match");
        }
    }

    #[test]
    fn a_row_with_no_state_matches_neither_open_nor_closed() {
        let s = Subject {
            title: "Tests pass",
            ..Subject::default()
        };
        assert!(!Filter::parse("is:open").matches(&s));
        assert!(!Filter::parse("is:closed").matches(&s));
        assert!(Filter::parse("tests").matches(&s));
    }

    #[test]
    fn case_folding_that_changes_length_is_not_a_panic() {
        let s = Subject {
            title: "İstanbul \u{212A}elvin",
            ..Subject::default()
        };
        assert!(Filter::parse("kelvin").matches(&s));
        assert!(Filter::parse("İSTANBUL").matches(&s));
    }
}

#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn parsing_never_panics_and_the_empty_filter_matches_everything(
            query in "\\PC{0,40}",
            title in "\\PC{0,20}",
            repo in "\\PC{0,12}",
            labels in prop::collection::vec("\\PC{0,8}", 0..3),
            people in prop::collection::vec("\\PC{0,8}", 0..3),
            open in proptest::option::of(any::<bool>()),
        ) {
            let subject = Subject {
                title: &title,
                repo: &repo,
                number: Some(7),
                labels: &labels,
                people: people.iter().map(String::as_str).collect(),
                open,
                text: vec![&title],
            };
            let _ = Filter::parse(&query).matches(&subject);
            prop_assert!(Filter::default().matches(&subject));
            prop_assert!(Filter::parse("").matches(&subject));
        }
    }
}
