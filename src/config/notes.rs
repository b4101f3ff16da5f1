//! `[notes]`: the sections of the release notes, the label that keeps an entry out, and the
//! tag of the draft GitHub Release they are published to.

use serde::{Deserialize, Deserializer};

use crate::release::notes::{NotesRules, SectionRule, default_sections};

/// `[notes]`
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Notes {
    /// An issue or PR with this label is left out of the notes.
    pub skip_label: String,
    /// The tag of the draft GitHub Release (`notes --publish-draft`); `{milestone}` is replaced
    /// by the milestone title.
    pub tag: String,
    /// `[[notes.sections]]`, in order: the first whose labels an entry has takes it; a section
    /// without labels takes everything else.
    #[serde(deserialize_with = "sections")]
    pub sections: Vec<SectionRule>,
}

impl Default for Notes {
    fn default() -> Self {
        Self {
            skip_label: "skip-notes".into(),
            tag: "{milestone}".into(),
            sections: default_sections(),
        }
    }
}

impl Notes {
    /// The grouping rules.
    #[must_use]
    pub fn rules(&self) -> NotesRules {
        NotesRules {
            sections: self.sections.clone(),
            skip_label: self.skip_label.clone(),
        }
    }

    /// The release tag for `milestone`.
    #[must_use]
    pub fn tag_for(&self, milestone: &str) -> String {
        crate::release::git_ref::release_ref(&self.tag, milestone)
    }
}

/// At least one section, each with a non-empty title.
fn sections<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<SectionRule>, D::Error> {
    let list = Vec::<SectionRule>::deserialize(d)?;
    if list.is_empty() {
        return Err(serde::de::Error::custom(
            "[[notes.sections]] needs at least one section (leave it out for the defaults)",
        ));
    }
    if list.iter().any(|s| s.title.trim().is_empty()) {
        return Err(serde::de::Error::custom(
            "every [[notes.sections]] needs a title",
        ));
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("/etc/shipdeck.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn sections_replace_the_defaults_in_their_order() {
        let c = parse(
            "[notes]\nskip_label = \"internal\"\ntag = \"v{milestone}\"\n\
             [[notes.sections]]\ntitle = \"Breaking\"\nlabels = [\"breaking\"]\n\
             [[notes.sections]]\ntitle = \"Everything else\"\n",
        )
        .expect("valid");
        let rules = c.notes.rules();
        assert_eq!(rules.skip_label, "internal");
        let titles: Vec<&str> = rules.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Breaking", "Everything else"]);
        assert!(rules.sections[1].labels.is_empty());
        assert_eq!(c.notes.tag_for("2.4.0"), "v2.4.0");
    }

    #[test]
    fn a_section_without_a_title_or_no_section_at_all_is_an_error_naming_the_line() {
        let err = parse("[notes]\nsections = []\n").expect_err("no sections");
        assert!(err.contains("needs at least one section"), "{err}");
        assert!(err.starts_with("/etc/shipdeck.toml:2:"), "{err}");
        let err =
            parse("[[notes.sections]]\ntitle = \" \"\nlabels = [\"bug\"]\n").expect_err("untitled");
        assert!(err.contains("needs a title"), "{err}");
        let err =
            parse("[[notes.sections]]\ntitle = \"X\"\nlabel = \"bug\"\n").expect_err("unknown key");
        assert!(err.contains("label"), "{err}");
    }
}
