//! The dispatch form: `workflow_dispatch` inputs read from a workflow file, edited, checked and
//! turned into the exact dispatch call. Pure: no I/O, no terminal.

use std::collections::BTreeMap;

use serde_yaml_ng::{Mapping, Value};

mod field;
pub use field::Form;

/// GitHub accepts at most this many top-level `workflow_dispatch` inputs (25 since 2025-12-04).
pub const MAX_INPUTS: usize = 25;

/// GitHub accepts an `inputs` payload of at most this many characters (as JSON).
pub const MAX_INPUTS_JSON_CHARS: usize = 65_535;

/// The key of [`DispatchForm::errors`] for the ref field.
pub const REF_ERROR_KEY: &str = "ref";

/// The key of [`DispatchForm::errors`] for errors about the whole form (GitHub's limits).
/// It cannot clash with an input name: those are letters, digits, `-` and `_` only.
pub const FORM_ERROR_KEY: &str = "(form)";

/// What kind of value an input takes, from its `type:` in the workflow file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKind {
    /// Free text (also an input without a `type`).
    String,
    /// Text that must parse as a number.
    Number,
    /// A toggle, sent as the string `"true"` or `"false"`.
    Boolean,
    /// One of the listed options.
    Choice(Vec<String>),
    /// A deployment environment: one of these names, or free text when the list is empty.
    Environment(Vec<String>),
}

impl InputKind {
    /// A short hint for the form: "string", "number", "bool", "choice", "environment".
    #[must_use]
    pub fn hint(&self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Number => "number",
            Self::Boolean => "bool",
            Self::Choice(_) => "choice",
            Self::Environment(_) => "environment",
        }
    }

    /// The options to pick from, if the value is picked rather than typed.
    #[must_use]
    pub fn options(&self) -> Option<&[String]> {
        match self {
            Self::Choice(options) => Some(options),
            Self::Environment(options) if !options.is_empty() => Some(options),
            _ => None,
        }
    }

    /// Whether the value is typed in (ref, string, number, free-text environment).
    #[must_use]
    pub fn is_text(&self) -> bool {
        match self {
            Self::String | Self::Number => true,
            Self::Environment(options) => options.is_empty(),
            Self::Boolean | Self::Choice(_) => false,
        }
    }
}

/// One `workflow_dispatch` input and the value the user gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputField {
    /// The input's id, the key under `inputs:`.
    pub name: String,
    /// Its `description:`.
    pub description: Option<String>,
    /// Its `type:`.
    pub kind: InputKind,
    /// Its `required:`.
    pub required: bool,
    /// Its `default:`, as a string (YAML booleans and numbers converted).
    pub default: Option<String>,
    /// The current value; booleans are `"true"`/`"false"`.
    pub value: String,
}

/// What a workflow file says about being dispatched: its name and its inputs, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchSpec {
    /// The workflow's `name:`.
    pub name: Option<String>,
    /// The `on.workflow_dispatch.inputs`, in the order the file lists them.
    pub inputs: Vec<InputField>,
}

/// Reads `on.workflow_dispatch.inputs` from a workflow file.
///
/// Accepts `on: workflow_dispatch`, `on: [push, workflow_dispatch]`,
/// `on: {workflow_dispatch: null}` and the full mapping form; the `on` key is also found when a
/// YAML 1.1 reader turned it into `true`. An input without `type` is a string; a `default` given
/// as a boolean or number becomes a string; `type: environment` takes its options from
/// `environments` (free text when that is empty).
///
/// # Errors
///
/// A message for the user: the file is not valid YAML (with the line), has no
/// `workflow_dispatch` trigger, or declares an input GitHub would reject.
pub fn parse_workflow(
    file_name: &str,
    yaml: &str,
    environments: &[String],
) -> Result<DispatchSpec, String> {
    let root: Value = serde_yaml_ng::from_str(yaml)
        .map_err(|e| format!("{file_name} is not valid YAML: {}", yaml_error(&e)))?;
    let no_trigger = || format!("{file_name} has no workflow_dispatch trigger");
    let Value::Mapping(root) = root else {
        return Err(no_trigger());
    };
    let name = root.get("name").and_then(scalar_to_string);
    // serde_yaml_ng follows YAML 1.2 and reads `on` as a string; a YAML 1.1 reader makes it
    // the boolean `true`. Accept both.
    let on = root
        .get("on")
        .or_else(|| root.get(Value::Bool(true)))
        .ok_or_else(no_trigger)?;
    let dispatch = match on {
        Value::String(s) if s == "workflow_dispatch" => &Value::Null,
        Value::Sequence(events) if events.iter().any(|e| e == "workflow_dispatch") => &Value::Null,
        Value::Mapping(events) => events.get("workflow_dispatch").ok_or_else(no_trigger)?,
        _ => return Err(no_trigger()),
    };
    let inputs = match dispatch {
        Value::Null => None,
        Value::Mapping(m) => m.get("inputs"),
        _ => {
            return Err(format!(
                "{file_name}: on.workflow_dispatch must be a mapping"
            ));
        }
    };
    let inputs = match inputs {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Mapping(inputs)) => parse_inputs(file_name, inputs, environments)?,
        Some(_) => {
            return Err(format!(
                "{file_name}: on.workflow_dispatch.inputs must be a mapping"
            ));
        }
    };
    Ok(DispatchSpec { name, inputs })
}

/// The parser's message with its position, always naming the line.
fn yaml_error(e: &serde_yaml_ng::Error) -> String {
    let text = e.to_string();
    match e.location() {
        Some(at) if !text.contains("line") => {
            format!("{text} (line {}, column {})", at.line(), at.column())
        }
        _ => text,
    }
}

fn parse_inputs(
    file_name: &str,
    inputs: &Mapping,
    environments: &[String],
) -> Result<Vec<InputField>, String> {
    let mut fields = Vec::with_capacity(inputs.len());
    for (key, spec) in inputs {
        let name = scalar_to_string(key)
            .ok_or_else(|| format!("{file_name}: an input name is not a string"))?;
        let empty = Mapping::new();
        let spec = match spec {
            Value::Mapping(m) => m,
            Value::Null => &empty,
            _ => return Err(format!("{file_name}: input `{name}` must be a mapping")),
        };
        let type_name = match spec.get("type") {
            None | Some(Value::Null) => "string".to_string(),
            Some(t) => scalar_to_string(t)
                .ok_or_else(|| format!("{file_name}: input `{name}` has a non-text type"))?,
        };
        let kind = match type_name.as_str() {
            "string" => InputKind::String,
            "number" => InputKind::Number,
            "boolean" => InputKind::Boolean,
            "environment" => InputKind::Environment(environments.to_vec()),
            "choice" => {
                let options: Vec<String> = match spec.get("options") {
                    Some(Value::Sequence(options)) => {
                        options.iter().filter_map(scalar_to_string).collect()
                    }
                    _ => Vec::new(),
                };
                if options.is_empty() {
                    return Err(format!(
                        "{file_name}: input `{name}` is a choice without options"
                    ));
                }
                InputKind::Choice(options)
            }
            other => {
                return Err(format!(
                    "{file_name}: input `{name}` has unknown type `{other}`"
                ));
            }
        };
        let required = match spec.get("required") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        };
        let mut default = spec.get("default").and_then(scalar_to_string);
        if kind == InputKind::Boolean {
            default = default.map(|d| normalize_bool(&d).unwrap_or(d));
        }
        let description = spec.get("description").and_then(scalar_to_string);
        fields.push(InputField {
            name,
            description,
            kind,
            required,
            default,
            value: String::new(),
        });
    }
    Ok(fields)
}

/// A YAML scalar as text: strings as they are, booleans and numbers formatted; else `None`.
fn scalar_to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Tagged(t) => scalar_to_string(&t.value),
        Value::Null | Value::Sequence(_) | Value::Mapping(_) => None,
    }
}

/// `"true"`/`"false"` from any casing of them.
fn normalize_bool(s: &str) -> Option<String> {
    if s.eq_ignore_ascii_case("true") {
        Some("true".to_string())
    } else if s.eq_ignore_ascii_case("false") {
        Some("false".to_string())
    } else {
        None
    }
}

/// Whether the text the user typed satisfies a typed-confirmation requirement (exact match;
/// no requirement is always satisfied). The confirm dialog's Yes is enabled only then.
#[must_use]
pub fn confirmation_matches(requirement: Option<&str>, typed: &str) -> bool {
    requirement.is_none_or(|r| r == typed)
}

/// The dispatch form being filled in: the ref to run on and the workflow's inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchForm {
    /// `owner/name`.
    pub repo: String,
    /// The workflow file name, e.g. `deploy.yml` (used as the workflow id in the call).
    pub workflow_file: String,
    /// The workflow's `name:`, or the file name when it has none.
    pub workflow_name: String,
    /// The branch or tag to run on.
    pub git_ref: String,
    /// The inputs, in file order.
    pub fields: Vec<InputField>,
    /// 0 = the ref field, 1.. = inputs
    pub focus: usize,
    /// Errors from the last [`DispatchForm::validate`]: [`REF_ERROR_KEY`], an input name, or
    /// [`FORM_ERROR_KEY`] → message. Editing a field clears its error.
    pub errors: BTreeMap<String, String>,
    /// Where the pre-filled values came from (a rollback's proposal), shown in the form and in
    /// its confirm dialog.
    pub note: Option<String>,
}

impl DispatchForm {
    /// A form with defaults pre-filled: a default as given, a boolean without default `"false"`,
    /// a choice without default its first option. Focus starts on the ref field.
    #[must_use]
    pub fn new(repo: &str, workflow_file: &str, git_ref: &str, spec: DispatchSpec) -> Self {
        let fields = spec
            .inputs
            .into_iter()
            .map(|mut f| {
                f.value = match (&f.default, &f.kind) {
                    (Some(d), _) => d.clone(),
                    (None, InputKind::Boolean) => "false".to_string(),
                    (None, InputKind::Choice(options)) => {
                        options.first().cloned().unwrap_or_default()
                    }
                    // An environment without default stays unpicked: the user chooses.
                    (None, _) => String::new(),
                };
                f
            })
            .collect();
        Self {
            repo: repo.to_string(),
            workflow_file: workflow_file.to_string(),
            workflow_name: spec.name.unwrap_or_else(|| workflow_file.to_string()),
            git_ref: git_ref.to_string(),
            fields,
            focus: 0,
            errors: BTreeMap::new(),
            note: None,
        }
    }

    /// Moves the focus to the next field, from the last back to the ref.
    pub fn next_field(&mut self) {
        self.focus = (self.focus + 1) % (self.fields.len() + 1);
    }

    /// Moves the focus to the previous field, from the ref round to the last.
    pub fn prev_field(&mut self) {
        let n = self.fields.len() + 1;
        self.focus = (self.focus + n - 1) % n;
    }

    /// The focused input, `None` on the ref field.
    #[must_use]
    pub fn focused_field(&self) -> Option<&InputField> {
        self.focus.checked_sub(1).and_then(|i| self.fields.get(i))
    }

    /// Whether the focused field takes typed text (ref, string, number, free-text
    /// environment), so that keys such as space and letters should go to [`Self::type_char`].
    #[must_use]
    pub fn is_text_focused(&self) -> bool {
        self.focused_field().is_none_or(|f| f.kind.is_text())
    }

    /// Types a character into the focused text field; ignored on booleans and choices, and for
    /// control characters.
    pub fn type_char(&mut self, c: char) {
        match self.focus.checked_sub(1) {
            None if !c.is_control() => {
                self.git_ref.push(c);
                self.errors.remove(REF_ERROR_KEY);
            }
            None => {}
            Some(i) => {
                if let Some(f) = self.fields.get_mut(i)
                    && f.type_char(c)
                {
                    self.errors.remove(&f.name);
                }
            }
        }
    }

    /// Deletes the last character of the focused text field; ignored on booleans and choices.
    pub fn backspace(&mut self) {
        match self.focus.checked_sub(1) {
            None => {
                self.git_ref.pop();
                self.errors.remove(REF_ERROR_KEY);
            }
            Some(i) => {
                if let Some(f) = self.fields.get_mut(i)
                    && f.backspace()
                {
                    self.errors.remove(&f.name);
                }
            }
        }
    }

    /// Steps through the options of a choice or environment by `delta` (wrapping); flips a
    /// boolean when `delta` is odd. Ignored on text fields.
    pub fn cycle(&mut self, delta: i32) {
        if let Some(f) = self
            .focus
            .checked_sub(1)
            .and_then(|i| self.fields.get_mut(i))
            && f.cycle(delta)
        {
            self.errors.remove(&f.name);
        }
    }

    /// Flips a boolean; steps a choice or environment to its next option. Ignored on text.
    pub fn toggle(&mut self) {
        self.cycle(1);
    }

    /// Sets an input's value (e.g. pre-filling a rollback's version). Returns `false` if the
    /// workflow has no such input. The value is not checked until [`Self::validate`].
    pub fn set_value(&mut self, name: &str, value: &str) -> bool {
        let Some(field) = self.fields.iter_mut().find(|f| f.name == name) else {
            return false;
        };
        field.value = value.to_string();
        self.errors.remove(name);
        true
    }

    /// Checks the form the way GitHub would, filling [`Self::errors`]; `true` when it may be
    /// sent.
    pub fn validate(&mut self) -> bool {
        self.errors.clear();
        let git_ref = self.sent_ref();
        if git_ref.is_empty() {
            self.errors
                .insert(REF_ERROR_KEY.to_string(), "required".to_string());
        } else if git_ref.contains(char::is_whitespace) {
            self.errors.insert(
                REF_ERROR_KEY.to_string(),
                "a branch or tag name has no spaces".to_string(),
            );
        }
        for field in &self.fields {
            if let Some(message) = field_error(field) {
                self.errors.insert(field.name.clone(), message);
            }
        }
        if self.fields.len() > MAX_INPUTS {
            self.errors.insert(
                FORM_ERROR_KEY.to_string(),
                format!(
                    "GitHub accepts at most {MAX_INPUTS} inputs; this workflow has {}",
                    self.fields.len()
                ),
            );
        } else {
            let size = serde_json::to_string(&self.inputs()).map_or(0, |s| s.chars().count());
            if size > MAX_INPUTS_JSON_CHARS {
                self.errors.insert(
                    FORM_ERROR_KEY.to_string(),
                    format!(
                        "the inputs are {size} characters as JSON; GitHub accepts at most 65,535"
                    ),
                );
            }
        }
        self.errors.is_empty()
    }

    /// The inputs to send, every value a string (booleans `"true"`/`"false"`); optional inputs
    /// left empty are omitted so that the workflow's own default applies.
    #[must_use]
    pub fn inputs(&self) -> BTreeMap<String, String> {
        self.fields
            .iter()
            .filter(|f| f.required || !f.value.is_empty())
            .map(|f| (f.name.clone(), f.value.clone()))
            .collect()
    }

    /// The ref as it will be sent (surrounding spaces removed).
    #[must_use]
    pub fn sent_ref(&self) -> &str {
        self.git_ref.trim()
    }

    /// The environment this dispatch targets: the value of the `type: environment` input, else
    /// of an input named `environment`, if non-empty.
    #[must_use]
    pub fn environment(&self) -> Option<String> {
        let by_kind = self
            .fields
            .iter()
            .find(|f| matches!(f.kind, InputKind::Environment(_)) && !f.value.is_empty());
        by_kind
            .or_else(|| {
                self.fields
                    .iter()
                    .find(|f| f.name == "environment" && !f.value.is_empty())
            })
            .map(|f| f.value.clone())
    }
}

impl Form for DispatchForm {
    fn next_field(&mut self) {
        DispatchForm::next_field(self);
    }
    fn prev_field(&mut self) {
        DispatchForm::prev_field(self);
    }
    fn is_text_focused(&self) -> bool {
        DispatchForm::is_text_focused(self)
    }
    fn type_char(&mut self, c: char) {
        DispatchForm::type_char(self, c);
    }
    fn backspace(&mut self) {
        DispatchForm::backspace(self);
    }
    fn cycle(&mut self, delta: i32) {
        DispatchForm::cycle(self, delta);
    }
}

/// What is wrong with one input's value, if anything.
fn field_error(field: &InputField) -> Option<String> {
    let value = field.value.as_str();
    if value.trim().is_empty() {
        return field.required.then(|| "required".to_string());
    }
    match &field.kind {
        InputKind::String => None,
        InputKind::Number => match value.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => None,
            _ => Some("must be a number".to_string()),
        },
        InputKind::Boolean => {
            (value != "true" && value != "false").then(|| "must be true or false".to_string())
        }
        InputKind::Choice(options) | InputKind::Environment(options) => (!options.is_empty()
            && !options.iter().any(|o| o == value))
        .then(|| format!("must be one of: {}", options.join(", "))),
    }
}
