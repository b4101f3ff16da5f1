//! What the simulator reads from a workflow file: triggers, `workflow_dispatch` inputs,
//! jobs and steps, and the `${{ }}` expressions it expands in names.

use std::collections::BTreeMap;

use super::yaml::{Yaml, parse};

/// One `workflow_dispatch` input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputSpec {
    /// The input's key.
    pub name: String,
    /// Its description, if any.
    pub description: Option<String>,
    /// Whether it must be given (unless it has a default).
    pub required: bool,
    /// The default value, as text.
    pub default: Option<String>,
    /// `string`, `boolean`, `choice`, `number` or `environment`.
    pub kind: String,
    /// The options of a `choice` input.
    pub options: Vec<String>,
}

/// One job of a workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSpec {
    /// The job's key under `jobs:`.
    pub key: String,
    /// The display name (may contain `${{ }}` expressions).
    pub name: String,
    /// `runs-on` labels.
    pub runs_on: Vec<String>,
    /// Keys of jobs this one needs.
    pub needs: Vec<String>,
    /// The deployment environment (may contain expressions).
    pub environment: Option<String>,
    /// Step display names, as GitHub shows them (without "Set up job"/"Complete job").
    pub steps: Vec<String>,
}

/// What the simulator needs to know about a workflow file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkflowSpec {
    /// `name:` of the workflow.
    pub name: Option<String>,
    /// `run-name:` of the workflow.
    pub run_name: Option<String>,
    /// Trigger event names under `on:`.
    pub triggers: Vec<String>,
    /// `on.push.branches` patterns (empty = every branch).
    pub push_branches: Vec<String>,
    /// `on.workflow_dispatch.inputs`, in file order.
    pub inputs: Vec<InputSpec>,
    /// Jobs in file order.
    pub jobs: Vec<JobSpec>,
}

impl WorkflowSpec {
    /// Reads a workflow file.
    ///
    /// # Errors
    /// The YAML parser's message when the file is not valid YAML (GitHub rejects such a file).
    pub fn parse(text: &str) -> Result<Self, String> {
        let doc = parse(text)?;
        let on = doc.get("on").cloned().unwrap_or(Yaml::Null);
        let triggers = match &on {
            Yaml::Map(m) => m.iter().map(|(k, _)| k.clone()).collect(),
            other => other.as_list(),
        };
        let inputs = match on.get("workflow_dispatch").and_then(|w| w.get("inputs")) {
            Some(Yaml::Map(m)) => m
                .iter()
                .map(|(name, spec)| InputSpec {
                    name: name.clone(),
                    description: text_of(spec, "description"),
                    required: text_of(spec, "required").as_deref() == Some("true"),
                    default: text_of(spec, "default"),
                    kind: text_of(spec, "type").unwrap_or_else(|| "string".to_owned()),
                    options: spec.get("options").map(Yaml::as_list).unwrap_or_default(),
                })
                .collect(),
            _ => Vec::new(),
        };
        let jobs = match doc.get("jobs") {
            Some(Yaml::Map(m)) => m.iter().map(|(key, j)| job_spec(key, j)).collect(),
            _ => Vec::new(),
        };
        Ok(Self {
            name: text_of(&doc, "name"),
            run_name: text_of(&doc, "run-name"),
            push_branches: on
                .get("push")
                .and_then(|p| p.get("branches"))
                .map(Yaml::as_list)
                .unwrap_or_default(),
            triggers,
            inputs,
            jobs,
        })
    }

    /// Whether a push to `branch` triggers the workflow (`*` and `**` globs are supported).
    pub fn runs_on_push(&self, branch: &str) -> bool {
        self.triggers.iter().any(|t| t == "push")
            && (self.push_branches.is_empty()
                || self.push_branches.iter().any(|p| glob_match(p, branch)))
    }

    /// Whether the workflow can be dispatched by hand.
    pub fn has_dispatch(&self) -> bool {
        self.triggers.iter().any(|t| t == "workflow_dispatch")
    }
}

/// GitHub's branch-filter globs, simplified: `**` matches anything, `*` anything but `/`.
fn glob_match(pattern: &str, text: &str) -> bool {
    if let Some(rest) = pattern.strip_prefix("**") {
        return (0..=text.len())
            .filter(|i| text.is_char_boundary(*i))
            .any(|i| glob_match(rest, &text[i..]));
    }
    if let Some(rest) = pattern.strip_prefix('*') {
        return (0..=text.len())
            .filter(|i| text.is_char_boundary(*i) && !text[..*i].contains('/'))
            .any(|i| glob_match(rest, &text[i..]));
    }
    match (pattern.chars().next(), text.chars().next()) {
        (None, None) => true,
        (Some(p), Some(t)) if p == t => glob_match(&pattern[p.len_utf8()..], &text[t.len_utf8()..]),
        _ => false,
    }
}

fn text_of(node: &Yaml, key: &str) -> Option<String> {
    node.get(key).and_then(Yaml::as_str).map(str::to_owned)
}

fn job_spec(key: &str, j: &Yaml) -> JobSpec {
    let environment = match j.get("environment") {
        Some(Yaml::Str(s)) => Some(s.clone()),
        Some(m @ Yaml::Map(_)) => text_of(m, "name"),
        _ => None,
    };
    let steps = match j.get("steps") {
        Some(Yaml::Seq(items)) => items.iter().map(step_name).collect(),
        _ => Vec::new(),
    };
    JobSpec {
        key: key.to_owned(),
        name: text_of(j, "name").unwrap_or_else(|| key.to_owned()),
        runs_on: j.get("runs-on").map(Yaml::as_list).unwrap_or_default(),
        needs: j.get("needs").map(Yaml::as_list).unwrap_or_default(),
        environment,
        steps,
    }
}

/// The name GitHub shows for a step: its `name`, else `Run <uses>` or `Run <first line>`.
fn step_name(step: &Yaml) -> String {
    if let Some(n) = text_of(step, "name") {
        return n;
    }
    if let Some(u) = text_of(step, "uses") {
        return format!("Run {u}");
    }
    let run = text_of(step, "run").unwrap_or_default();
    format!("Run {}", run.lines().next().unwrap_or("").trim())
}

/// Expands `${{ inputs.x }}`, `${{ github.event.inputs.x }}`, `${{ github.ref_name }}` and
/// `${{ github.actor }}`; anything else becomes empty, as GitHub does for unknown values.
pub fn expand(
    template: &str,
    inputs: &BTreeMap<String, String>,
    ref_name: &str,
    actor: &str,
) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 3..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let expr = after[..end].trim();
        let value = if let Some(k) = expr
            .strip_prefix("inputs.")
            .or_else(|| expr.strip_prefix("github.event.inputs."))
        {
            inputs.get(k).cloned().unwrap_or_default()
        } else if expr == "github.ref_name" {
            ref_name.to_owned()
        } else if expr == "github.actor" || expr == "github.triggering_actor" {
            actor.to_owned()
        } else {
            String::new()
        };
        out.push_str(&value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEPLOY: &str = r#"
name: Deploy
run-name: "Deploy ${{ inputs.version }} to ${{ inputs.environment }}"

on:
  workflow_dispatch:
    inputs:
      environment:
        description: Target environment   # where to
        type: choice
        required: true
        default: staging
        options:
          - staging
          - production
      version:
        description: "Version tag: e.g. v2.4.0"
        required: true
        type: string
      dry_run:
        type: boolean
        default: false

jobs:
  deploy:
    name: Deploy to ${{ inputs.environment }}
    runs-on: [ubuntu-latest]
    environment: ${{ inputs.environment }}
    steps:
      - uses: actions/checkout@v4
      - name: Helm upgrade
        run: |
          helm upgrade web ./chart \
            --set image.tag=${{ inputs.version }}

          echo done
      - run: 'echo "ok: fine"' # trailing
  verify:
    needs: deploy
    runs-on: ubuntu-latest
    steps:
      - name: Smoke
        run: curl -f https://example.com/healthz
"#;

    #[test]
    fn parses_deploy_workflow() {
        let spec = WorkflowSpec::parse(DEPLOY).expect("valid");
        assert_eq!(spec.name.as_deref(), Some("Deploy"));
        assert_eq!(
            spec.run_name.as_deref(),
            Some("Deploy ${{ inputs.version }} to ${{ inputs.environment }}")
        );
        assert!(spec.has_dispatch());
        assert_eq!(spec.inputs.len(), 3);
        let env = &spec.inputs[0];
        assert_eq!(env.kind, "choice");
        assert!(env.required);
        assert_eq!(env.default.as_deref(), Some("staging"));
        assert_eq!(env.options, vec!["staging", "production"]);
        assert_eq!(env.description.as_deref(), Some("Target environment"));
        assert_eq!(
            spec.inputs[1].description.as_deref(),
            Some("Version tag: e.g. v2.4.0")
        );
        assert_eq!(spec.inputs[2].kind, "boolean");
        assert_eq!(spec.jobs.len(), 2);
        let deploy = &spec.jobs[0];
        assert_eq!(
            deploy.environment.as_deref(),
            Some("${{ inputs.environment }}")
        );
        assert_eq!(deploy.runs_on, vec!["ubuntu-latest"]);
        assert_eq!(
            deploy.steps,
            vec![
                "Run actions/checkout@v4",
                "Helm upgrade",
                "Run echo \"ok: fine\""
            ]
        );
        assert_eq!(spec.jobs[1].needs, vec!["deploy"]);
        assert_eq!(spec.jobs[1].name, "verify");
    }

    #[test]
    fn triggers_in_all_forms() {
        assert_eq!(
            WorkflowSpec::parse("on: push\n").expect("valid").triggers,
            vec!["push"]
        );
        assert_eq!(
            WorkflowSpec::parse("on: [push, pull_request]\n")
                .expect("valid")
                .triggers,
            vec!["push", "pull_request"]
        );
        let spec = WorkflowSpec::parse(
            "on:\n  push:\n    branches: [main, \"release/**\"]\n  pull_request:\n",
        )
        .expect("valid");
        assert_eq!(spec.triggers, vec!["push", "pull_request"]);
        assert!(!spec.has_dispatch());
        assert!(spec.runs_on_push("main"));
        assert!(spec.runs_on_push("release/v2.4.0"));
        assert!(!spec.runs_on_push("feature/x"));
        assert!(
            WorkflowSpec::parse("on: push\n")
                .expect("valid")
                .runs_on_push("anything")
        );
        assert!(glob_match("release/*", "release/v1"));
        assert!(!glob_match("release/*", "release/v1/x"));
    }

    #[test]
    fn expands_expressions() {
        let inputs = BTreeMap::from([("version".to_owned(), "v1".to_owned())]);
        assert_eq!(
            expand(
                "Deploy ${{ inputs.version }} by ${{ github.actor }}${{ secrets.X }}",
                &inputs,
                "main",
                "alice"
            ),
            "Deploy v1 by alice"
        );
    }

    /// A workflow whose last step opens a quote it never closes: GitHub rejects the file, so
    /// the simulator must not read triggers or jobs from it.
    const INVALID: &str = "name: Deploy\non:\n  workflow_dispatch:\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - name: \"Deploy\n        run: echo hi\n";

    #[test]
    fn an_invalid_workflow_file_is_rejected() {
        let mut world = super::super::demo_world(chrono::Utc::now());
        let repo = world.repo_mut("acme/storefront").expect("demo repo");
        let path = ".github/workflows/deploy.yml";
        repo.files.insert(path.to_owned(), INVALID.to_owned());
        let wf = repo.workflow("deploy.yml").expect("demo workflow").clone();
        let spec = repo.workflow_spec(&wf, None);
        assert!(!spec.has_dispatch(), "{spec:?}");
        assert!(spec.jobs.is_empty(), "{spec:?}");
        assert!(WorkflowSpec::parse(INVALID).is_err());
    }
}
