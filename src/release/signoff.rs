//! Sign-offs: a comment on the tracking issue whose first line is `/signoff ROLE`, written by
//! someone the config lists for that role (like Prow's `/lgtm`). GitHub records who wrote it
//! and when, so shipdeck cannot forge one; `/signoff-revoke ROLE` by the same person withdraws
//! it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Comment;

/// The command that signs off a role.
pub const SIGNOFF: &str = "/signoff";
/// The command that withdraws one's own sign-off.
pub const REVOKE: &str = "/signoff-revoke";

/// A sign-off command found in a comment, with GitHub's record of who wrote it and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    pub author: String,
    /// The role as written, lower-cased.
    pub role: String,
    pub revoke: bool,
    pub at: DateTime<Utc>,
    pub html_url: String,
}

impl Command {
    /// The command in `comment`, if its first line is `/signoff ROLE` or `/signoff-revoke
    /// ROLE` (a deleted account's comment counts for nobody).
    #[must_use]
    pub fn from_comment(comment: &Comment) -> Option<Self> {
        let (revoke, role) = parse_first_line(&comment.body)?;
        Some(Self {
            author: comment.author.clone()?,
            role,
            revoke,
            at: comment.created_at,
            html_url: comment.html_url.clone(),
        })
    }
}

/// `(revoke, role)` from a comment body whose first line is exactly a command and one role.
fn parse_first_line(body: &str) -> Option<(bool, String)> {
    let first = body.lines().next()?.trim();
    let mut words = first.split_whitespace();
    let revoke = match words.next()? {
        w if w.eq_ignore_ascii_case(SIGNOFF) => false,
        w if w.eq_ignore_ascii_case(REVOKE) => true,
        _ => return None,
    };
    let role = words.next()?.to_ascii_lowercase();
    words.next().is_none().then_some((revoke, role))
}

/// The body of the comment that signs off (or withdraws) `role`: the one description of it,
/// shown in the confirm dialog and sent.
#[must_use]
pub fn comment_body(role: &str, revoke: bool, milestone: &str) -> String {
    let command = if revoke { REVOKE } else { SIGNOFF };
    let what = if revoke { "withdrawn" } else { "given" };
    format!("{command} {role}\n\nSign-off for {milestone} {what} (via shipdeck).\n")
}

/// Who may sign for each role: role → GitHub logins (compared without case, as GitHub does).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roles(pub BTreeMap<String, Vec<String>>);

impl Roles {
    /// Whether `login` is listed for `role`.
    #[must_use]
    pub fn may_sign(&self, role: &str, login: &str) -> bool {
        self.signers(role)
            .is_some_and(|s| s.iter().any(|l| l.eq_ignore_ascii_case(login)))
    }

    /// The logins listed for `role`, if the role exists.
    #[must_use]
    pub fn signers(&self, role: &str) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(r, _)| r.eq_ignore_ascii_case(role))
            .map(|(_, l)| l.as_slice())
    }

    /// The roles `login` may sign for.
    #[must_use]
    pub fn roles_of(&self, login: &str) -> Vec<&str> {
        self.0
            .keys()
            .filter(|r| self.may_sign(r, login))
            .map(String::as_str)
            .collect()
    }
}

/// A sign-off that counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signoff {
    pub by: String,
    pub at: DateTime<Utc>,
    pub html_url: String,
}

/// One required role and who signed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleState {
    pub role: String,
    /// The standing sign-offs of listed people, oldest first.
    pub signed: Vec<Signoff>,
}

/// A command that does not count, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ignored {
    pub author: String,
    pub role: String,
    pub why: String,
}

/// Every required role's standing sign-offs, and the commands that did not count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub roles: Vec<RoleState>,
    pub ignored: Vec<Ignored>,
}

impl Tally {
    /// The required roles nobody listed has signed.
    #[must_use]
    pub fn missing(&self) -> Vec<&str> {
        self.roles
            .iter()
            .filter(|r| r.signed.is_empty())
            .map(|r| r.role.as_str())
            .collect()
    }

    /// Whether `login` has a standing sign-off for `role`.
    #[must_use]
    pub fn has_signed(&self, role: &str, login: &str) -> bool {
        self.roles.iter().any(|r| {
            r.role.eq_ignore_ascii_case(role)
                && r.signed.iter().any(|s| s.by.eq_ignore_ascii_case(login))
        })
    }
}

/// Replays `commands` (oldest first) for the `required` roles: a sign-off by a listed person
/// stands until that person revokes it; anyone else's command is ignored with the reason.
#[must_use]
pub fn tally(commands: &[Command], roles: &Roles, required: &[String]) -> Tally {
    let mut standing: Vec<(String, Signoff)> = Vec::new();
    let mut ignored = Vec::new();
    for c in commands {
        let Some(signers) = roles.signers(&c.role) else {
            ignored.push(Ignored {
                author: c.author.clone(),
                role: c.role.clone(),
                why: format!("no role \"{}\" is configured", c.role),
            });
            continue;
        };
        if !roles.may_sign(&c.role, &c.author) {
            ignored.push(Ignored {
                author: c.author.clone(),
                role: c.role.clone(),
                why: format!(
                    "{} is not listed for {} (listed: {})",
                    c.author,
                    c.role,
                    signers.join(", ")
                ),
            });
            continue;
        }
        standing.retain(|(role, s)| {
            !(role.eq_ignore_ascii_case(&c.role) && s.by.eq_ignore_ascii_case(&c.author))
        });
        if !c.revoke {
            standing.push((
                c.role.clone(),
                Signoff {
                    by: c.author.clone(),
                    at: c.at,
                    html_url: c.html_url.clone(),
                },
            ));
        }
    }
    let roles = required
        .iter()
        .map(|role| RoleState {
            role: role.clone(),
            signed: standing
                .iter()
                .filter(|(r, _)| r.eq_ignore_ascii_case(role))
                .map(|(_, s)| s.clone())
                .collect(),
        })
        .collect();
    Tally { roles, ignored }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap()
    }

    fn comment(author: &str, body: &str, h: u32) -> Comment {
        Comment {
            id: u64::from(h),
            author: Some(author.into()),
            body: body.into(),
            created_at: at(h),
            html_url: format!("https://github.com/acme/storefront/issues/1#issuecomment-{h}"),
        }
    }

    fn roles() -> Roles {
        Roles(BTreeMap::from([
            ("qa".to_string(), vec!["carol".to_string()]),
            (
                "product".to_string(),
                vec!["dave".to_string(), "Erin".to_string()],
            ),
        ]))
    }

    fn required() -> Vec<String> {
        vec!["qa".into(), "product".into()]
    }

    fn commands(comments: &[Comment]) -> Vec<Command> {
        comments.iter().filter_map(Command::from_comment).collect()
    }

    #[test]
    fn only_a_first_line_of_exactly_command_and_role_counts() {
        let found = |body: &str| parse_first_line(body);
        assert_eq!(found("/signoff qa"), Some((false, "qa".into())));
        assert_eq!(
            found("  /signoff QA  \nall good"),
            Some((false, "qa".into()))
        );
        assert_eq!(found("/signoff-revoke qa\r\n"), Some((true, "qa".into())));
        assert_eq!(found("/signoff"), None);
        assert_eq!(found("/signoff qa product"), None);
        assert_eq!(found("looks good\n/signoff qa"), None);
        assert_eq!(found("/signoffqa"), None);
        assert_eq!(found("`/signoff qa`"), None);
        assert_eq!(found(""), None);
    }

    #[test]
    fn a_listed_person_signs_and_a_role_without_one_is_missing() {
        let t = tally(
            &commands(&[comment("carol", "/signoff qa\nregression done", 9)]),
            &roles(),
            &required(),
        );
        assert_eq!(t.missing(), vec!["product"]);
        assert_eq!(t.roles[0].signed[0].by, "carol");
        assert!(t.has_signed("QA", "Carol"));
    }

    #[test]
    fn a_comment_from_someone_not_listed_does_not_count() {
        let t = tally(
            &commands(&[comment("bob", "/signoff qa", 9)]),
            &roles(),
            &required(),
        );
        assert_eq!(t.missing(), vec!["qa", "product"]);
        assert_eq!(t.ignored.len(), 1);
        assert_eq!(t.ignored[0].why, "bob is not listed for qa (listed: carol)");
    }

    #[test]
    fn logins_and_roles_compare_without_case() {
        let t = tally(
            &commands(&[comment("erin", "/signoff Product", 9)]),
            &roles(),
            &required(),
        );
        assert_eq!(t.missing(), vec!["qa"]);
    }

    #[test]
    fn a_revoke_withdraws_only_the_authors_own_signoff() {
        let c = [
            comment("dave", "/signoff product", 8),
            comment("erin", "/signoff product", 9),
            comment("erin", "/signoff-revoke product", 10),
        ];
        let t = tally(&commands(&c), &roles(), &required());
        let product = &t.roles[1];
        assert_eq!(product.signed.len(), 1);
        assert_eq!(product.signed[0].by, "dave");

        let c = [
            comment("dave", "/signoff product", 8),
            comment("dave", "/signoff-revoke product", 9),
        ];
        let t = tally(&commands(&c), &roles(), &required());
        assert_eq!(t.missing(), vec!["qa", "product"]);
        let c = [
            comment("dave", "/signoff product", 8),
            comment("dave", "/signoff-revoke product", 9),
            comment("dave", "/signoff product", 10),
        ];
        let t = tally(&commands(&c), &roles(), &required());
        assert_eq!(t.roles[1].signed[0].at, at(10));
    }

    #[test]
    fn an_unknown_role_and_a_deleted_account_count_for_nothing() {
        let mut ghost = comment("x", "/signoff qa", 9);
        ghost.author = None;
        assert_eq!(Command::from_comment(&ghost), None);
        let t = tally(
            &commands(&[comment("carol", "/signoff security", 9)]),
            &roles(),
            &required(),
        );
        assert_eq!(t.ignored[0].why, "no role \"security\" is configured");
    }

    #[test]
    fn the_comment_shipdeck_posts_is_read_back_as_the_same_command() {
        for revoke in [false, true] {
            let body = comment_body("qa", revoke, "v2.4.0");
            assert_eq!(parse_first_line(&body), Some((revoke, "qa".into())));
        }
    }
}
