//! The authenticated user as `GET /user` shows it (`private-user`).

use serde_json::{Value, json};

use super::render;

/// `private-user` for `login`: the `simple-user` fields plus the profile and the private
/// counters GitHub shows its owner. The profile is made up but stable per login.
pub fn private_user(base: &str, login: &str) -> Value {
    let mut v = render::user(base, login);
    let mut name = login.to_owned();
    if let Some(first) = name.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let extra = json!({
        "user_view_type": "private",
        "name": name,
        "company": "Acme",
        "blog": "",
        "location": null,
        "email": null,
        "notification_email": null,
        "hireable": null,
        "bio": null,
        "twitter_username": null,
        "public_repos": 3,
        "public_gists": 0,
        "followers": 4,
        "following": 4,
        "created_at": "2019-03-04T09:00:00Z",
        "updated_at": "2026-01-12T08:30:00Z",
        "private_gists": 0,
        "total_private_repos": 2,
        "owned_private_repos": 0,
        "disk_usage": 0,
        "collaborators": 0,
        "two_factor_authentication": true,
        "plan": {"name": "free", "space": 976_562_499, "private_repos": 10_000, "collaborators": 0},
    });
    if let (Some(obj), Value::Object(more)) = (v.as_object_mut(), extra) {
        obj.extend(more);
    }
    v
}
