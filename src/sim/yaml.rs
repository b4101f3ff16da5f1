//! A tiny block-style YAML reader, enough for workflow files, and the workflow spec built from it.
//!
//! Supports maps, sequences (including `- key: value` items), plain and quoted scalars,
//! flow sequences (`[a, b]`), `|`/`>` block scalars and comments. Anchors, flow maps and
//! multi-document streams are not supported; the simulator only reads files it ships.

use std::collections::BTreeMap;

/// A parsed YAML node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Yaml {
    /// A mapping, in file order.
    Map(Vec<(String, Yaml)>),
    /// A sequence.
    Seq(Vec<Yaml>),
    /// Any scalar, as text.
    Str(String),
    /// An empty value.
    Null,
}

impl Yaml {
    /// The value under `key` when this is a map.
    pub fn get(&self, key: &str) -> Option<&Yaml> {
        match self {
            Yaml::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The scalar text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Yaml::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Scalars and sequences of scalars as a list of strings.
    pub fn as_list(&self) -> Vec<String> {
        match self {
            Yaml::Str(s) => vec![s.clone()],
            Yaml::Seq(items) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Parses a YAML document (block style subset).
pub fn parse(text: &str) -> Yaml {
    let mut p = Parser {
        lines: text
            .lines()
            .map(|l| {
                let trimmed = l.trim_start_matches(' ');
                (l.len() - trimmed.len(), trimmed.trim_end().to_owned())
            })
            .collect(),
        i: 0,
    };
    p.node(0)
}

struct Parser {
    lines: Vec<(usize, String)>,
    i: usize,
}

impl Parser {
    /// Skips blank and comment lines; returns the indent and text of the next line.
    fn peek(&mut self) -> Option<(usize, String)> {
        while let Some((ind, text)) = self.lines.get(self.i) {
            if text.is_empty() || text.starts_with('#') || text == "---" {
                self.i += 1;
                continue;
            }
            return Some((*ind, text.clone()));
        }
        None
    }

    fn node(&mut self, min_indent: usize) -> Yaml {
        match self.peek() {
            Some((ind, text)) if ind >= min_indent => {
                if is_seq_item(&text) {
                    self.seq(ind)
                } else {
                    self.map(ind)
                }
            }
            _ => Yaml::Null,
        }
    }

    fn map(&mut self, ind: usize) -> Yaml {
        let mut entries = Vec::new();
        while let Some((i, text)) = self.peek() {
            if i != ind || is_seq_item(&text) {
                break;
            }
            let Some((key, value)) = split_key(&text) else {
                break;
            };
            self.i += 1;
            let value = strip_comment(value);
            let node = if value.is_empty() {
                match self.peek() {
                    Some((ni, nt)) if ni > ind || (ni == ind && is_seq_item(&nt)) => self.node(ni),
                    _ => Yaml::Null,
                }
            } else if is_block_indicator(value) {
                self.block_scalar(ind, value.starts_with('>'))
            } else {
                scalar(value)
            };
            entries.push((unquote(key), node));
        }
        Yaml::Map(entries)
    }

    fn seq(&mut self, ind: usize) -> Yaml {
        let mut items = Vec::new();
        while let Some((i, text)) = self.peek() {
            if i != ind || !is_seq_item(&text) {
                break;
            }
            let rest = text[1..].trim_start();
            if rest.is_empty() {
                self.i += 1;
                items.push(self.node(ind + 1));
            } else if split_key(rest).is_some() {
                // `- key: value` starts a map whose indent is where `key` begins.
                let inner = ind + (text.len() - rest.len());
                self.lines[self.i] = (inner, rest.to_owned());
                items.push(self.map(inner));
            } else {
                self.i += 1;
                items.push(scalar(strip_comment(rest)));
            }
        }
        Yaml::Seq(items)
    }

    fn block_scalar(&mut self, parent_indent: usize, folded: bool) -> Yaml {
        let mut raw: Vec<(usize, String)> = Vec::new();
        while let Some((ind, text)) = self.lines.get(self.i) {
            if !text.is_empty() && *ind <= parent_indent {
                break;
            }
            raw.push((*ind, text.clone()));
            self.i += 1;
        }
        while raw.last().is_some_and(|(_, t)| t.is_empty()) {
            raw.pop();
        }
        let base = raw
            .iter()
            .filter(|(_, t)| !t.is_empty())
            .map(|(i, _)| *i)
            .min()
            .unwrap_or(0);
        let lines: Vec<String> = raw
            .iter()
            .map(|(i, t)| {
                if t.is_empty() {
                    String::new()
                } else {
                    format!("{}{}", " ".repeat(i - base), t)
                }
            })
            .collect();
        let sep = if folded { " " } else { "\n" };
        let mut s = lines.join(sep);
        s.push('\n');
        Yaml::Str(s)
    }
}

fn is_seq_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

fn is_block_indicator(v: &str) -> bool {
    matches!(v, "|" | "|-" | "|+" | ">" | ">-" | ">+")
}

/// Splits `key: value` (or `key:`) outside quotes.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if (b == b'"' || b == b'\'') && i == 0 => quote = Some(b),
            None if b == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') => {
                return Some((text[..i].trim(), text[i + 1..].trim()));
            }
            None => {}
        }
    }
    None
}

/// Removes a trailing ` # comment` that is not inside quotes.
fn strip_comment(v: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    for (i, c) in v.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && i == 0 => quote = Some(c),
            None if c == '#' && prev_space => return v[..i].trim_end(),
            None => {}
        }
        prev_space = c == ' ';
    }
    v
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        v[1..v.len() - 1].to_owned()
    } else {
        v.to_owned()
    }
}

fn scalar(v: &str) -> Yaml {
    let v = v.trim();
    if v.starts_with('[') && v.ends_with(']') {
        let inner = &v[1..v.len() - 1];
        return Yaml::Seq(
            inner
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Yaml::Str(unquote(s)))
                .collect(),
        );
    }
    if v == "~" || v == "null" {
        return Yaml::Null;
    }
    Yaml::Str(unquote(v))
}

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
    pub fn parse(text: &str) -> Self {
        let doc = parse(text);
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
        Self {
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
        }
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
      - run: echo "ok: fine" # trailing
  verify:
    needs: deploy
    runs-on: ubuntu-latest
    steps:
      - name: Smoke
        run: curl -f https://example.com/healthz
"#;

    #[test]
    fn parses_deploy_workflow() {
        let spec = WorkflowSpec::parse(DEPLOY);
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
    fn block_scalars_keep_lines() {
        let doc = parse("a:\n  run: |\n    one\n\n      two\n  b: x\n");
        let a = doc.get("a").expect("a");
        assert_eq!(a.get("run").and_then(Yaml::as_str), Some("one\n\n  two\n"));
        assert_eq!(a.get("b").and_then(Yaml::as_str), Some("x"));
    }

    #[test]
    fn triggers_in_all_forms() {
        assert_eq!(WorkflowSpec::parse("on: push\n").triggers, vec!["push"]);
        assert_eq!(
            WorkflowSpec::parse("on: [push, pull_request]\n").triggers,
            vec!["push", "pull_request"]
        );
        let spec = WorkflowSpec::parse(
            "on:\n  push:\n    branches: [main, \"release/**\"]\n  pull_request:\n",
        );
        assert_eq!(spec.triggers, vec!["push", "pull_request"]);
        assert!(!spec.has_dispatch());
        assert!(spec.runs_on_push("main"));
        assert!(spec.runs_on_push("release/v2.4.0"));
        assert!(!spec.runs_on_push("feature/x"));
        assert!(WorkflowSpec::parse("on: push\n").runs_on_push("anything"));
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
}
