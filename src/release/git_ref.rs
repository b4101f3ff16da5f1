//! The release ref: the branch or tag built from the config's pattern and the milestone title,
//! and git's rules for whether such a ref can exist at all (`git check-ref-format --branch`).

/// The release ref for `milestone`: `pattern` with `{milestone}` replaced by the title.
#[must_use]
pub fn release_ref(pattern: &str, milestone: &str) -> String {
    pattern.replace("{milestone}", milestone)
}

/// Why a name cannot be a git branch or tag. Each reads after "it", e.g. "it contains a space".
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RefNameError {
    #[error("is empty")]
    Empty,
    #[error("contains a space")]
    Space,
    #[error("contains the control character U+{:04X}", u32::from(*.0))]
    Control(char),
    /// One of `~ ^ : ? * [ \`.
    #[error("contains '{0}'")]
    Forbidden(char),
    #[error("contains \"..\"")]
    DoubleDot,
    #[error("contains \"@{{\"")]
    AtBrace,
    #[error("contains \"//\"")]
    DoubleSlash,
    #[error("starts with '/'")]
    LeadingSlash,
    #[error("ends with '/'")]
    TrailingSlash,
    #[error("ends with '.'")]
    TrailingDot,
    #[error("has a part starting with '.'")]
    PartStartsWithDot,
    #[error("has a part ending with \".lock\"")]
    PartEndsWithLock,
    #[error("starts with '-'")]
    LeadingDash,
    /// `@` alone, or `HEAD`: names git reserves.
    #[error("is the reserved name \"{0}\"")]
    Reserved(&'static str),
}

/// Checks `name` against git's ref-name rules (`git check-ref-format`, plus the names `git
/// branch` refuses): no
/// space, control character or any of `~ ^ : ? * [ \`; no `..`, `@{` or `//`; not starting with
/// `/` or `-`; not ending with `/` or `.`; no part starting with `.` or ending with `.lock`;
/// not `@` or `HEAD`.
///
/// # Errors
/// The first rule `name` breaks, in the order above.
pub fn check_ref_name(name: &str) -> Result<(), RefNameError> {
    if name.is_empty() {
        return Err(RefNameError::Empty);
    }
    for c in name.chars() {
        match c {
            ' ' => return Err(RefNameError::Space),
            c if c.is_ascii_control() => return Err(RefNameError::Control(c)),
            '~' | '^' | ':' | '?' | '*' | '[' | '\\' => return Err(RefNameError::Forbidden(c)),
            _ => {}
        }
    }
    for (bad, err) in [
        ("..", RefNameError::DoubleDot),
        ("@{", RefNameError::AtBrace),
        ("//", RefNameError::DoubleSlash),
    ] {
        if name.contains(bad) {
            return Err(err);
        }
    }
    if name.starts_with('/') {
        return Err(RefNameError::LeadingSlash);
    }
    if name.ends_with('/') {
        return Err(RefNameError::TrailingSlash);
    }
    if name.ends_with('.') {
        return Err(RefNameError::TrailingDot);
    }
    if name.split('/').any(|part| part.starts_with('.')) {
        return Err(RefNameError::PartStartsWithDot);
    }
    if name.split('/').any(|part| part.ends_with(".lock")) {
        return Err(RefNameError::PartEndsWithLock);
    }
    if name.starts_with('-') {
        return Err(RefNameError::LeadingDash);
    }
    match name {
        "@" => Err(RefNameError::Reserved("@")),
        "HEAD" => Err(RefNameError::Reserved("HEAD")),
        _ => Ok(()),
    }
}

/// What to tell the user about a release ref that cannot exist, with the fix: one text for the
/// gate, the runs pane and `status`.
#[must_use]
pub fn bad_ref_reason(name: &str, error: RefNameError) -> String {
    format!("release ref \"{name}\" cannot exist (it {error}): set release.ref in the config")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pattern_takes_the_milestone_title() {
        assert_eq!(
            release_ref("release/{milestone}", "v2.4.0"),
            "release/v2.4.0"
        );
        assert_eq!(release_ref("v{milestone}", "1.0"), "v1.0");
        assert_eq!(release_ref("main", "v1.0"), "main");
    }

    #[test]
    fn ordinary_branch_and_tag_names_pass() {
        for ok in [
            "main",
            "release/v2.4.0",
            "release/2024-11",
            "v1.0",
            "feature/a.b",
            "hotfix/ümlaut",
            "a/b/c",
            "x.lockx",
            "foo@bar",
            "@x",
            "release/v0.4-rc.1",
        ] {
            assert_eq!(check_ref_name(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn names_git_refuses_fail_with_the_rule_they_break() {
        use RefNameError as E;
        for (bad, why) in [
            ("", E::Empty),
            ("release/Version 0.4", E::Space),
            ("release/v1\t", E::Control('\t')),
            ("release/v1\u{7f}", E::Control('\u{7f}')),
            ("release/v1~1", E::Forbidden('~')),
            ("v1^", E::Forbidden('^')),
            ("a:b", E::Forbidden(':')),
            ("what?", E::Forbidden('?')),
            ("release/*", E::Forbidden('*')),
            ("release/[1]", E::Forbidden('[')),
            ("release\\v1", E::Forbidden('\\')),
            ("release/v1..2", E::DoubleDot),
            ("v1@{u}", E::AtBrace),
            ("release//v1", E::DoubleSlash),
            ("/release", E::LeadingSlash),
            ("release/", E::TrailingSlash),
            ("release/v1.", E::TrailingDot),
            ("release/.hidden", E::PartStartsWithDot),
            (".release/v1", E::PartStartsWithDot),
            ("release/v1.lock", E::PartEndsWithLock),
            ("release.lock/v1", E::PartEndsWithLock),
            ("-release", E::LeadingDash),
            ("@", E::Reserved("@")),
            ("HEAD", E::Reserved("HEAD")),
        ] {
            assert_eq!(check_ref_name(bad), Err(why), "{bad:?}");
        }
    }

    #[test]
    fn the_reason_names_the_ref_the_rule_and_the_fix() {
        assert_eq!(
            bad_ref_reason("release/Version 0.4", RefNameError::Space),
            "release ref \"release/Version 0.4\" cannot exist (it contains a space): \
             set release.ref in the config"
        );
        assert_eq!(
            RefNameError::Control('\t').to_string(),
            "contains the control character U+0009"
        );
        assert_eq!(RefNameError::AtBrace.to_string(), "contains \"@{\"");
    }
}
