//! JSON for each GitHub object, built from the simulator's world with the schema's fields.

use serde_json::{Value, json};

use super::util::{base64, fake_sha, iso, user_id};
use super::world::{Comment, Commit, Issue, Job, Label, Milestone, Repo, Run, Workflow};

/// What every renderer needs: the server's base URL and the repository.
pub struct Ctx<'a> {
    pub base: &'a str,
    pub repo: &'a Repo,
}

impl Ctx<'_> {
    /// `{base}/repos/{owner}/{name}`.
    pub fn api(&self) -> String {
        format!("{}/repos/{}/{}", self.base, self.repo.owner, self.repo.name)
    }

    /// `{base}/{owner}/{name}`: the simulator's web pages live on its own host, as GitHub
    /// Enterprise Server's live on `HOST` beside `HOST/api/v3` (so `o` may open them).
    pub fn html(&self) -> String {
        format!("{}/{}/{}", self.base, self.repo.owner, self.repo.name)
    }
}

fn node_id(prefix: &str, id: u64) -> String {
    base64(format!("{prefix}{id}").as_bytes(), false)
}

/// `simple-user`.
pub fn user(base: &str, login: &str) -> Value {
    let id = user_id(login);
    let u = format!("{base}/users/{login}");
    let kind = if login.ends_with("[bot]") || login == "acme" {
        if login == "acme" {
            "Organization"
        } else {
            "Bot"
        }
    } else {
        "User"
    };
    json!({
        "login": login,
        "id": id,
        "node_id": node_id("04:User", id),
        "avatar_url": format!("https://avatars.githubusercontent.com/u/{id}?v=4"),
        "gravatar_id": "",
        "url": u,
        "html_url": format!("{base}/{login}"),
        "followers_url": format!("{u}/followers"),
        "following_url": format!("{u}/following{{/other_user}}"),
        "gists_url": format!("{u}/gists{{/gist_id}}"),
        "starred_url": format!("{u}/starred{{/owner}}{{/repo}}"),
        "subscriptions_url": format!("{u}/subscriptions"),
        "organizations_url": format!("{u}/orgs"),
        "repos_url": format!("{u}/repos"),
        "events_url": format!("{u}/events{{/privacy}}"),
        "received_events_url": format!("{u}/received_events"),
        "type": kind,
        "user_view_type": "public",
        "site_admin": false
    })
}

/// URL templates of a repository, relative to its API URL.
const REPO_URLS: &[(&str, &str)] = &[
    ("archive_url", "/{archive_format}{/ref}"),
    ("assignees_url", "/assignees{/user}"),
    ("blobs_url", "/git/blobs{/sha}"),
    ("branches_url", "/branches{/branch}"),
    ("collaborators_url", "/collaborators{/collaborator}"),
    ("comments_url", "/comments{/number}"),
    ("commits_url", "/commits{/sha}"),
    ("compare_url", "/compare/{base}...{head}"),
    ("contents_url", "/contents/{+path}"),
    ("contributors_url", "/contributors"),
    ("deployments_url", "/deployments"),
    ("downloads_url", "/downloads"),
    ("events_url", "/events"),
    ("forks_url", "/forks"),
    ("git_commits_url", "/git/commits{/sha}"),
    ("git_refs_url", "/git/refs{/sha}"),
    ("git_tags_url", "/git/tags{/sha}"),
    ("hooks_url", "/hooks"),
    ("issue_comment_url", "/issues/comments{/number}"),
    ("issue_events_url", "/issues/events{/number}"),
    ("issues_url", "/issues{/number}"),
    ("keys_url", "/keys{/key_id}"),
    ("labels_url", "/labels{/name}"),
    ("languages_url", "/languages"),
    ("merges_url", "/merges"),
    ("milestones_url", "/milestones{/number}"),
    (
        "notifications_url",
        "/notifications{?since,all,participating}",
    ),
    ("pulls_url", "/pulls{/number}"),
    ("releases_url", "/releases{/id}"),
    ("stargazers_url", "/stargazers"),
    ("statuses_url", "/statuses/{sha}"),
    ("subscribers_url", "/subscribers"),
    ("subscription_url", "/subscription"),
    ("tags_url", "/tags"),
    ("teams_url", "/teams"),
    ("trees_url", "/git/trees{/sha}"),
];

/// `minimal-repository`.
pub fn repo_minimal(ctx: &Ctx) -> Value {
    let r = ctx.repo;
    let a = ctx.api();
    let mut v = json!({
        "id": r.id,
        "node_id": node_id("010:Repository", r.id),
        "name": r.name,
        "full_name": r.full_name(),
        "owner": user(ctx.base, &r.owner),
        "private": true,
        "html_url": ctx.html(),
        "description": r.description,
        "fork": false,
        "url": a
    });
    if let Some(obj) = v.as_object_mut() {
        for (key, suffix) in REPO_URLS {
            obj.insert((*key).to_owned(), json!(format!("{a}{suffix}")));
        }
    }
    v
}

/// `full-repository`.
pub fn repo_full(ctx: &Ctx) -> Value {
    let r = ctx.repo;
    let open = r.issues.iter().filter(|i| i.state == "open").count();
    let pushed = r
        .branches
        .values()
        .map(|c| c.timestamp)
        .max()
        .unwrap_or(r.created_at);
    let mut v = repo_minimal(ctx);
    let extra = json!({
        "git_url": format!("git://github.com/{}.git", r.full_name()),
        "ssh_url": format!("git@github.com:{}.git", r.full_name()),
        "clone_url": format!("{}.git", ctx.html()),
        "svn_url": ctx.html(),
        "mirror_url": null,
        "homepage": null,
        "language": r.language,
        "default_branch": r.default_branch,
        "forks": 0, "forks_count": 0,
        "stargazers_count": 12, "watchers": 12, "watchers_count": 12,
        "subscribers_count": 6, "network_count": 0,
        "size": 48_213,
        "open_issues": open, "open_issues_count": open,
        "has_issues": true, "has_projects": true, "has_wiki": false, "has_pages": false,
        "has_discussions": false, "has_downloads": true,
        "archived": false, "disabled": false, "is_template": false,
        "visibility": "private",
        "license": null,
        "topics": [],
        "allow_forking": false,
        "web_commit_signoff_required": false,
        "pushed_at": iso(pushed),
        "created_at": iso(r.created_at),
        "updated_at": iso(pushed),
        "permissions": {"admin": false, "maintain": true, "push": true, "triage": true, "pull": true}
    });
    if let (Some(obj), Value::Object(more)) = (v.as_object_mut(), extra) {
        obj.extend(more);
    }
    v
}

/// `label`.
pub fn label(ctx: &Ctx, l: &Label) -> Value {
    json!({
        "id": l.id,
        "node_id": node_id("05:Label", l.id),
        "url": format!("{}/labels/{}", ctx.api(), url_escape(&l.name)),
        "name": l.name,
        "description": l.description,
        "color": l.color,
        "default": l.default
    })
}

/// Percent-escapes a path segment (label names contain `:` and spaces).
pub fn url_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The label objects of an issue (names that lost their label render with a default colour).
pub fn issue_labels(ctx: &Ctx, names: &[String]) -> Vec<Value> {
    names
        .iter()
        .map(|n| match ctx.repo.label(n) {
            Some(l) => label(ctx, l),
            None => label(
                ctx,
                &Label {
                    id: 0,
                    name: n.clone(),
                    color: "ededed".to_owned(),
                    description: None,
                    default: false,
                },
            ),
        })
        .collect()
}

/// `milestone`, with open/closed counts computed from the issues.
pub fn milestone(ctx: &Ctx, m: &Milestone) -> Value {
    let of = |state: &str| {
        ctx.repo
            .issues
            .iter()
            .filter(|i| i.milestone == Some(m.number) && i.state == state)
            .count()
    };
    let url = format!("{}/milestones/{}", ctx.api(), m.number);
    json!({
        "url": url,
        "html_url": format!("{}/milestone/{}", ctx.html(), m.number),
        "labels_url": format!("{url}/labels"),
        "id": m.id,
        "node_id": node_id("09:Milestone", m.id),
        "number": m.number,
        "state": m.state,
        "title": m.title,
        "description": m.description,
        "creator": user(ctx.base, &m.creator),
        "open_issues": of("open"),
        "closed_issues": of("closed"),
        "created_at": iso(m.created_at),
        "updated_at": iso(m.updated_at),
        "closed_at": m.closed_at.map(iso),
        "due_on": m.due_on.map(iso)
    })
}

/// `issue` (a pull request carries `pull_request` and `draft`).
pub fn issue(ctx: &Ctx, i: &Issue) -> Value {
    issue_with(ctx, i, i.milestone.and_then(|n| milestone_number(ctx, n)))
}

/// The `milestone` answer of milestone `number` of the context's repository, if it exists.
pub fn milestone_number(ctx: &Ctx, number: u64) -> Option<Value> {
    ctx.repo
        .milestones
        .iter()
        .find(|m| m.number == number)
        .map(|m| milestone(ctx, m))
}

/// `issue` with its milestone already rendered (a list renders each milestone once: its
/// counts cost a pass over the repository's issues).
pub fn issue_with(ctx: &Ctx, i: &Issue, milestone_json: Option<Value>) -> Value {
    let url = format!("{}/issues/{}", ctx.api(), i.number);
    let kind = if i.pull.is_some() { "pull" } else { "issues" };
    let assignees: Vec<Value> = i.assignees.iter().map(|a| user(ctx.base, a)).collect();
    let mut v = json!({
        "id": i.id,
        "node_id": node_id("05:Issue", i.id),
        "url": url,
        "repository_url": ctx.api(),
        "labels_url": format!("{url}/labels{{/name}}"),
        "comments_url": format!("{url}/comments"),
        "events_url": format!("{url}/events"),
        "timeline_url": format!("{url}/timeline"),
        "html_url": format!("{}/{kind}/{}", ctx.html(), i.number),
        "number": i.number,
        "state": i.state,
        "state_reason": i.state_reason,
        "title": i.title,
        "body": i.body,
        "user": user(ctx.base, &i.author),
        "labels": issue_labels(ctx, &i.labels),
        "assignee": assignees.first().cloned(),
        "assignees": assignees,
        "milestone": milestone_json,
        "locked": i.locked,
        "active_lock_reason": null,
        "comments": i.comments.len(),
        "closed_at": i.closed_at.map(iso),
        "closed_by": i.closed_by.as_deref().map(|c| user(ctx.base, c)),
        "created_at": iso(i.created_at),
        "updated_at": iso(i.updated_at),
        "author_association": "MEMBER",
        "reactions": {
            "url": format!("{url}/reactions"), "total_count": 0, "+1": 0, "-1": 0, "laugh": 0,
            "hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0
        }
    });
    if let Some(p) = &i.pull {
        let pr = format!("{}/pull/{}", ctx.html(), i.number);
        v["pull_request"] = json!({
            "url": format!("{}/pulls/{}", ctx.api(), i.number),
            "html_url": pr,
            "diff_url": format!("{pr}.diff"),
            "patch_url": format!("{pr}.patch"),
            "merged_at": p.merged_at.map(iso)
        });
        v["draft"] = json!(p.draft);
    }
    v
}

/// `issue-comment`.
pub fn comment(ctx: &Ctx, issue_number: u64, c: &Comment) -> Value {
    json!({
        "id": c.id,
        "node_id": node_id("012:IssueComment", c.id),
        "url": format!("{}/issues/comments/{}", ctx.api(), c.id),
        "html_url": format!("{}/issues/{issue_number}#issuecomment-{}", ctx.html(), c.id),
        "issue_url": format!("{}/issues/{issue_number}", ctx.api()),
        "body": c.body,
        "user": user(ctx.base, &c.author),
        "created_at": iso(c.created_at),
        "updated_at": iso(c.updated_at),
        "author_association": "MEMBER"
    })
}

/// `workflow`.
pub fn workflow(ctx: &Ctx, w: &Workflow) -> Value {
    json!({
        "id": w.id,
        "node_id": node_id("08:Workflow", w.id),
        "name": w.name,
        "path": w.path,
        "state": w.state,
        "created_at": iso(w.created_at),
        "updated_at": iso(w.updated_at),
        "url": format!("{}/actions/workflows/{}", ctx.api(), w.id),
        "html_url": format!("{}/blob/{}/{}", ctx.html(), ctx.repo.default_branch, w.path),
        "badge_url": format!("{}/workflows/{}/badge.svg", ctx.html(), url_escape(&w.name))
    })
}

fn commit_json(c: &Commit) -> Value {
    let person = |login: &str| json!({"name": login, "email": format!("{login}@acme.example")});
    json!({
        "id": c.sha,
        "tree_id": fake_sha(&format!("tree:{}", c.sha)),
        "message": c.message,
        "timestamp": iso(c.timestamp),
        "author": person(&c.author),
        "committer": {"name": "GitHub", "email": "noreply@github.com"}
    })
}

/// `workflow-run`.
pub fn run(ctx: &Ctx, r: &Run) -> Value {
    let url = format!("{}/actions/runs/{}", ctx.api(), r.id);
    let suite = 30_000_000_000 + r.id % 1_000_000_000;
    let mut v = json!({
        "id": r.id,
        "name": r.name,
        "node_id": node_id("011:WorkflowRun", r.id),
        "check_suite_id": suite,
        "check_suite_node_id": node_id("010:CheckSuite", suite),
        "head_branch": r.head_branch,
        "head_sha": r.head_commit.sha,
        "path": r.path,
        "display_title": r.display_title,
        "run_number": r.run_number,
        "event": r.event,
        "status": r.status,
        "conclusion": r.conclusion,
        "workflow_id": r.workflow_id,
        "url": url,
        "html_url": format!("{}/actions/runs/{}", ctx.html(), r.id),
        "pull_requests": [],
        "created_at": iso(r.created_at),
        "updated_at": iso(r.updated_at),
        "actor": user(ctx.base, &r.actor),
        "triggering_actor": user(ctx.base, &r.triggering_actor),
        "run_attempt": r.run_attempt,
        "referenced_workflows": [],
        "run_started_at": iso(r.run_started_at),
        "jobs_url": format!("{url}/jobs"),
        "logs_url": format!("{url}/logs"),
        "check_suite_url": format!("{}/check-suites/{suite}", ctx.api()),
        "artifacts_url": format!("{url}/artifacts"),
        "cancel_url": format!("{url}/cancel"),
        "rerun_url": format!("{url}/rerun"),
        "previous_attempt_url": null,
        "workflow_url": format!("{}/actions/workflows/{}", ctx.api(), r.workflow_id),
        "head_commit": commit_json(&r.head_commit),
        "repository": repo_minimal(ctx),
        "head_repository": repo_minimal(ctx),
        "head_repository_id": ctx.repo.id
    });
    if r.run_attempt > 1 {
        v["previous_attempt_url"] = json!(format!("{url}/attempts/{}", r.run_attempt - 1));
    }
    v
}

/// `job`.
pub fn job(ctx: &Ctx, r: &Run, j: &Job) -> Value {
    let steps: Vec<Value> = j
        .steps
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "status": s.status,
                "conclusion": s.conclusion,
                "number": s.number,
                "started_at": s.started_at.map(iso),
                "completed_at": s.completed_at.map(iso)
            })
        })
        .collect();
    json!({
        "id": j.id,
        "run_id": r.id,
        "run_url": format!("{}/actions/runs/{}", ctx.api(), r.id),
        "run_attempt": r.run_attempt,
        "node_id": node_id("08:CheckRun", j.id),
        "head_sha": r.head_commit.sha,
        "url": format!("{}/actions/jobs/{}", ctx.api(), j.id),
        "html_url": format!("{}/actions/runs/{}/job/{}", ctx.html(), r.id, j.id),
        "status": j.status,
        "conclusion": j.conclusion,
        "created_at": iso(j.created_at),
        "started_at": iso(j.started_at),
        "completed_at": j.completed_at.map(iso),
        "name": j.name,
        "steps": steps,
        "check_run_url": format!("{}/check-runs/{}", ctx.api(), j.id),
        "labels": j.labels,
        "runner_id": j.runner,
        "runner_name": j.runner.map(|n| format!("GitHub Actions {n}")),
        "runner_group_id": j.runner.map(|_| 2),
        "runner_group_name": j.runner.map(|_| "GitHub Actions"),
        "workflow_name": r.name,
        "head_branch": r.head_branch
    })
}

/// `content-file` for `path` with `content` at `r`.
pub fn content_file(ctx: &Ctx, path: &str, content: &str, r: &str) -> Value {
    let sha = fake_sha(&format!("blob:{content}"));
    let url = format!("{}/contents/{path}?ref={}", ctx.api(), url_escape(r));
    let git = format!("{}/git/blobs/{sha}", ctx.api());
    let html = format!("{}/blob/{r}/{path}", ctx.html());
    json!({
        "type": "file",
        "encoding": "base64",
        "size": content.len(),
        "name": path.rsplit('/').next().unwrap_or(path),
        "path": path,
        "content": base64(content.as_bytes(), true),
        "sha": sha,
        "url": url,
        "git_url": git,
        "html_url": html,
        "download_url": format!("https://raw.githubusercontent.com/{}/{r}/{path}", ctx.repo.full_name()),
        "_links": {"self": url, "git": git, "html": html}
    })
}

/// One entry of a `content-directory` listing.
pub fn content_entry(ctx: &Ctx, path: &str, content: Option<&str>, r: &str) -> Value {
    let kind = if content.is_some() { "file" } else { "dir" };
    let sha = fake_sha(&format!("{kind}:{path}:{}", content.unwrap_or("")));
    let url = format!("{}/contents/{path}?ref={}", ctx.api(), url_escape(r));
    let html = format!(
        "{}/{}/{r}/{path}",
        ctx.html(),
        if content.is_some() { "blob" } else { "tree" }
    );
    let git = format!(
        "{}/git/{}/{sha}",
        ctx.api(),
        if content.is_some() { "blobs" } else { "trees" }
    );
    json!({
        "type": kind,
        "size": content.map_or(0, str::len),
        "name": path.rsplit('/').next().unwrap_or(path),
        "path": path,
        "sha": sha,
        "url": url,
        "git_url": git,
        "html_url": html,
        "download_url": content.map(|_| format!("https://raw.githubusercontent.com/{}/{r}/{path}", ctx.repo.full_name())),
        "_links": {"self": url, "git": git, "html": html}
    })
}
