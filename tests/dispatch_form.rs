//! The dispatch form: reading `workflow_dispatch` inputs from workflow files, editing and
//! checking the form, the exact call it makes, and snapshots of the form and confirm popups.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

use std::collections::BTreeMap;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use shipdeck::app::write::{Confirm, WriteRequest};
use shipdeck::release::call::describe;
use shipdeck::release::dispatch::{
    DispatchForm, DispatchSpec, FORM_ERROR_KEY, InputField, InputKind, confirmation_matches,
    parse_workflow,
};
use shipdeck::view::confirm;
use shipdeck::view::dispatch;

const DEPLOY: &str = include_str!("../assets/demo/workflows/deploy.yml");
const ROLLBACK: &str = include_str!("../assets/demo/workflows/rollback.yml");
const E2E: &str = include_str!("../assets/demo/workflows/e2e.yml");
const CI: &str = include_str!("../assets/demo/workflows/ci.yml");
const PAYMENTS_CI: &str = include_str!("../assets/demo/workflows/payments-ci.yml");

const REPO: &str = "acme/storefront";

fn envs() -> Vec<String> {
    vec!["staging".to_string(), "production".to_string()]
}

fn deploy_form() -> DispatchForm {
    let spec = parse_workflow("deploy.yml", DEPLOY, &[]).unwrap();
    DispatchForm::new(REPO, "deploy.yml", "release/v2.4.0", spec)
}

fn field(name: &str, kind: InputKind, required: bool, default: Option<&str>) -> InputField {
    InputField {
        name: name.to_string(),
        description: None,
        kind,
        required,
        default: default.map(str::to_string),
        value: String::new(),
    }
}

fn form_with(fields: Vec<InputField>) -> DispatchForm {
    DispatchForm::new(
        REPO,
        "w.yml",
        "main",
        DispatchSpec {
            name: Some("W".to_string()),
            inputs: fields,
        },
    )
}

fn choices(options: &[&str]) -> Vec<String> {
    options.iter().map(|o| (*o).to_string()).collect()
}

// ---- parsing ------------------------------------------------------------------------------

#[test]
fn parses_the_demo_deploy_workflow() {
    let spec = parse_workflow("deploy.yml", DEPLOY, &envs()).unwrap();
    assert_eq!(spec.name.as_deref(), Some("Deploy"));
    assert_eq!(
        spec.inputs,
        vec![
            InputField {
                name: "environment".to_string(),
                description: Some("Target environment".to_string()),
                kind: InputKind::Choice(choices(&["staging", "production"])),
                required: true,
                default: Some("staging".to_string()),
                value: String::new(),
            },
            InputField {
                name: "version".to_string(),
                description: Some("Release tag or image version (e.g. v2.4.0-rc.2)".to_string()),
                kind: InputKind::String,
                required: true,
                default: None,
                value: String::new(),
            },
            InputField {
                name: "dry_run".to_string(),
                description: Some("Render the Helm diff without applying it".to_string()),
                kind: InputKind::Boolean,
                required: false,
                // YAML `default: false` becomes the string GitHub is sent.
                default: Some("false".to_string()),
                value: String::new(),
            },
        ]
    );
}

#[test]
fn parses_the_demo_rollback_workflow() {
    let spec = parse_workflow("rollback.yml", ROLLBACK, &[]).unwrap();
    assert_eq!(spec.name.as_deref(), Some("Rollback"));
    let names: Vec<_> = spec.inputs.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["environment", "version", "reason"]);
    assert_eq!(
        spec.inputs[0].kind,
        InputKind::Choice(choices(&["staging", "production"]))
    );
    assert_eq!(spec.inputs[0].default.as_deref(), Some("production"));
    assert!(spec.inputs[1].required);
    assert_eq!(spec.inputs[2].kind, InputKind::String);
    assert!(!spec.inputs[2].required);
}

#[test]
fn parses_the_demo_e2e_workflow_with_other_triggers() {
    let spec = parse_workflow("e2e.yml", E2E, &[]).unwrap();
    assert_eq!(spec.name.as_deref(), Some("E2E"));
    assert_eq!(spec.inputs.len(), 2);
    assert_eq!(
        spec.inputs[0].kind,
        InputKind::Choice(choices(&["chromium", "webkit"]))
    );
    assert_eq!(spec.inputs[1].kind, InputKind::String);
    assert!(!spec.inputs[1].required);
}

#[test]
fn workflows_without_dispatch_are_refused_by_name() {
    assert_eq!(
        parse_workflow("ci.yml", CI, &[]).unwrap_err(),
        "ci.yml has no workflow_dispatch trigger"
    );
    assert_eq!(
        parse_workflow("payments-ci.yml", PAYMENTS_CI, &[]).unwrap_err(),
        "payments-ci.yml has no workflow_dispatch trigger"
    );
    for yaml in [
        "name: x\non: push\n",
        "on: [push, pull_request]\n",
        "on:\n  push:\n",
        "name: no triggers\njobs: {}\n",
        "",
        "- a list\n",
    ] {
        assert_eq!(
            parse_workflow("x.yml", yaml, &[]).unwrap_err(),
            "x.yml has no workflow_dispatch trigger",
            "{yaml:?}"
        );
    }
}

#[test]
fn invalid_yaml_is_reported_with_its_line() {
    let err = parse_workflow(
        "deploy.yml",
        "name: x\non:\n  workflow_dispatch:\n   - [\n",
        &[],
    )
    .unwrap_err();
    assert!(err.starts_with("deploy.yml is not valid YAML: "), "{err}");
    assert!(err.contains("line"), "{err}");
    let err = parse_workflow("bad.yml", "on: workflow_dispatch\n\tjobs: x: y\n", &[]).unwrap_err();
    assert!(err.starts_with("bad.yml is not valid YAML: "), "{err}");
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn every_form_of_the_on_key_is_read() {
    // The string, list and null-mapping forms: a dispatch trigger without inputs.
    for yaml in [
        "on: workflow_dispatch\n",
        "on: [push, workflow_dispatch]\n",
        "on:\n  - push\n  - workflow_dispatch\n",
        "on: {workflow_dispatch: null}\n",
        "on:\n  workflow_dispatch:\n",
        "on:\n  workflow_dispatch: {}\n",
        "on:\n  workflow_dispatch:\n    inputs:\n",
        "\"on\": workflow_dispatch\n",
        // What a YAML 1.1 reader would have produced for `on:` is the key `true`.
        "true: workflow_dispatch\n",
    ] {
        let spec = parse_workflow("w.yml", yaml, &[]).unwrap_or_else(|e| panic!("{yaml:?}: {e}"));
        assert!(spec.inputs.is_empty(), "{yaml:?}");
        assert_eq!(spec.name, None);
    }
}

#[test]
fn inputs_without_type_are_strings_and_defaults_become_strings() {
    let yaml = "
name: Odd
on:
  workflow_dispatch:
    inputs:
      plain:
      described:
        description: no type given
        default: 3
      count:
        type: number
        default: 2.5
      flag:
        type: boolean
        default: true
      quoted_flag:
        type: boolean
        default: 'True'
      level:
        type: choice
        options: [1, 2, 3]
        default: 2
";
    let spec = parse_workflow("odd.yml", yaml, &[]).unwrap();
    let by_name = |n: &str| spec.inputs.iter().find(|f| f.name == n).unwrap();
    assert_eq!(by_name("plain").kind, InputKind::String);
    assert!(!by_name("plain").required);
    assert_eq!(by_name("described").kind, InputKind::String);
    assert_eq!(by_name("described").default.as_deref(), Some("3"));
    assert_eq!(by_name("count").kind, InputKind::Number);
    assert_eq!(by_name("count").default.as_deref(), Some("2.5"));
    assert_eq!(by_name("flag").default.as_deref(), Some("true"));
    assert_eq!(by_name("quoted_flag").default.as_deref(), Some("true"));
    assert_eq!(
        by_name("level").kind,
        InputKind::Choice(choices(&["1", "2", "3"]))
    );
    assert_eq!(by_name("level").default.as_deref(), Some("2"));
}

#[test]
fn environment_inputs_take_the_given_environments() {
    let yaml = "on:\n  workflow_dispatch:\n    inputs:\n      target:\n        type: environment\n        required: true\n";
    let spec = parse_workflow("w.yml", yaml, &envs()).unwrap();
    assert_eq!(spec.inputs[0].kind, InputKind::Environment(envs()));
    let spec = parse_workflow("w.yml", yaml, &[]).unwrap();
    assert_eq!(spec.inputs[0].kind, InputKind::Environment(vec![]));
}

#[test]
fn inputs_github_would_reject_are_refused() {
    let unknown = "on:\n  workflow_dispatch:\n    inputs:\n      x:\n        type: file\n";
    assert_eq!(
        parse_workflow("w.yml", unknown, &[]).unwrap_err(),
        "w.yml: input `x` has unknown type `file`"
    );
    let no_options = "on:\n  workflow_dispatch:\n    inputs:\n      x:\n        type: choice\n";
    assert_eq!(
        parse_workflow("w.yml", no_options, &[]).unwrap_err(),
        "w.yml: input `x` is a choice without options"
    );
}

// ---- the form -----------------------------------------------------------------------------

#[test]
fn defaults_are_prefilled() {
    let form = deploy_form();
    assert_eq!(form.workflow_name, "Deploy");
    assert_eq!(form.git_ref, "release/v2.4.0");
    assert_eq!(form.focus, 0);
    let values: Vec<_> = form.fields.iter().map(|f| f.value.as_str()).collect();
    assert_eq!(values, ["staging", "", "false"]);

    let form = form_with(vec![
        field("b", InputKind::Boolean, false, None),
        field("c", InputKind::Choice(choices(&["x", "y"])), false, None),
        field("e", InputKind::Environment(envs()), false, None),
        field("s", InputKind::String, false, Some("hi")),
    ]);
    let values: Vec<_> = form.fields.iter().map(|f| f.value.as_str()).collect();
    // An environment without default is left for the user to pick.
    assert_eq!(values, ["false", "x", "", "hi"]);
}

#[test]
fn a_workflow_without_name_is_called_by_its_file() {
    let spec = parse_workflow("w.yml", "on: workflow_dispatch\n", &[]).unwrap();
    let form = DispatchForm::new(REPO, "w.yml", "main", spec);
    assert_eq!(form.workflow_name, "w.yml");
}

#[test]
fn focus_wraps_both_ways() {
    let mut form = deploy_form();
    form.prev_field();
    assert_eq!(form.focus, 3);
    form.next_field();
    assert_eq!(form.focus, 0);
    for expected in [1, 2, 3, 0] {
        form.next_field();
        assert_eq!(form.focus, expected);
    }
    let mut empty = form_with(vec![]);
    empty.next_field();
    assert_eq!(empty.focus, 0);
    empty.prev_field();
    assert_eq!(empty.focus, 0);
}

#[test]
fn typing_edits_text_fields_only() {
    let mut form = deploy_form();
    assert!(form.is_text_focused());
    form.backspace();
    form.type_char('1');
    assert_eq!(form.git_ref, "release/v2.4.1");
    form.next_field(); // environment: a choice
    assert!(!form.is_text_focused());
    form.type_char('x');
    form.backspace();
    assert_eq!(form.fields[0].value, "staging");
    form.next_field(); // version
    for c in "v2.4.0".chars() {
        form.type_char(c);
    }
    form.type_char('\n'); // control characters are not text
    assert_eq!(form.fields[1].value, "v2.4.0");
    form.backspace();
    assert_eq!(form.fields[1].value, "v2.4.");
    form.next_field(); // dry_run: a boolean
    form.type_char('t');
    form.backspace();
    assert_eq!(form.fields[2].value, "false");
}

#[test]
fn cycle_and_toggle_choose_options_and_flip_booleans() {
    let mut form = deploy_form();
    form.cycle(1); // on the ref: nothing
    assert_eq!(form.git_ref, "release/v2.4.0");
    form.next_field();
    form.cycle(1);
    assert_eq!(form.fields[0].value, "production");
    form.cycle(1);
    assert_eq!(form.fields[0].value, "staging");
    form.cycle(-1);
    assert_eq!(form.fields[0].value, "production");
    form.toggle();
    assert_eq!(form.fields[0].value, "staging");
    form.next_field(); // version: text, not cycled
    form.cycle(1);
    form.toggle();
    assert_eq!(form.fields[1].value, "");
    form.next_field();
    form.toggle();
    assert_eq!(form.fields[2].value, "true");
    form.cycle(-1);
    assert_eq!(form.fields[2].value, "false");
    form.cycle(2); // an even step leaves a boolean as it was
    assert_eq!(form.fields[2].value, "false");
}

#[test]
fn an_unpicked_environment_starts_at_either_end() {
    let mut form = form_with(vec![field(
        "env",
        InputKind::Environment(envs()),
        true,
        None,
    )]);
    form.next_field();
    form.cycle(1);
    assert_eq!(form.fields[0].value, "staging");
    form.fields[0].value.clear();
    form.cycle(-1);
    assert_eq!(form.fields[0].value, "production");
    // A free-text environment (no known environments) is typed.
    let mut form = form_with(vec![field(
        "env",
        InputKind::Environment(vec![]),
        true,
        None,
    )]);
    form.next_field();
    assert!(form.is_text_focused());
    form.cycle(1);
    "qa".chars().for_each(|c| form.type_char(c));
    assert_eq!(form.fields[0].value, "qa");
}

#[test]
fn set_value_prefills_known_inputs_only() {
    let spec = parse_workflow("rollback.yml", ROLLBACK, &[]).unwrap();
    let mut form = DispatchForm::new(REPO, "rollback.yml", "main", spec);
    assert!(form.set_value("version", "v2.3.9"));
    assert!(!form.set_value("nope", "x"));
    assert_eq!(form.fields[1].value, "v2.3.9");
    assert_eq!(form.environment().as_deref(), Some("production"));
}

#[test]
fn required_inputs_and_the_ref_are_checked() {
    let mut form = deploy_form();
    form.git_ref = "  ".to_string();
    assert!(!form.validate());
    assert_eq!(form.errors.get("ref").map(String::as_str), Some("required"));
    assert_eq!(
        form.errors.get("version").map(String::as_str),
        Some("required")
    );
    assert_eq!(form.errors.len(), 2);
    // Editing a field clears its error.
    form.set_value("version", "v2.4.0");
    assert!(!form.errors.contains_key("version"));
    form.git_ref = "release/v2.4.0".to_string();
    assert!(form.validate());
    assert!(form.errors.is_empty());
    form.git_ref = "release v2".to_string();
    assert!(!form.validate());
    assert!(form.errors.contains_key("ref"));
}

#[test]
fn numbers_choices_and_booleans_are_checked() {
    let mut form = form_with(vec![
        field("n", InputKind::Number, false, Some("12.5")),
        field("c", InputKind::Choice(choices(&["a", "b"])), false, None),
        field("b", InputKind::Boolean, false, None),
        field("e", InputKind::Environment(envs()), false, None),
    ]);
    assert!(form.validate(), "{:?}", form.errors);
    form.set_value("n", "12x");
    form.set_value("c", "z");
    form.set_value("b", "yes");
    form.set_value("e", "qa");
    assert!(!form.validate());
    let errors: Vec<(&str, &str)> = form
        .errors
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            ("b", "must be true or false"),
            ("c", "must be one of: a, b"),
            ("e", "must be one of: staging, production"),
            ("n", "must be a number"),
        ]
    );
    for bad in ["inf", "NaN", "1,5", "-"] {
        form.set_value("n", bad);
        form.validate();
        assert!(form.errors.contains_key("n"), "{bad}");
    }
    for good in ["-3", " 1e3 ", "0.25", "7"] {
        form.set_value("n", good);
        form.validate();
        assert!(!form.errors.contains_key("n"), "{good}");
    }
}

#[test]
fn githubs_limits_are_checked() {
    let many: Vec<InputField> = (0..26)
        .map(|i| field(&format!("in{i}"), InputKind::String, false, Some("x")))
        .collect();
    let mut form = form_with(many.clone());
    assert!(!form.validate());
    assert_eq!(
        form.errors.get(FORM_ERROR_KEY).map(String::as_str),
        Some("GitHub accepts at most 25 inputs; this workflow has 26")
    );
    let mut form = form_with(many[..25].to_vec());
    assert!(form.validate());

    let mut form = form_with(vec![field("big", InputKind::String, true, None)]);
    form.set_value("big", &"x".repeat(65_535 - r#"{"big":""}"#.len()));
    assert!(form.validate(), "exactly at the limit");
    form.set_value("big", &"x".repeat(65_536 - r#"{"big":""}"#.len()));
    assert!(!form.validate());
    assert!(
        form.errors[FORM_ERROR_KEY].contains("GitHub accepts at most 65,535"),
        "{:?}",
        form.errors
    );
}

#[test]
fn inputs_are_strings_and_empty_optional_ones_are_left_out() {
    let mut form = deploy_form();
    form.set_value("version", "v2.4.0");
    let expected: BTreeMap<String, String> = [
        ("dry_run", "false"),
        ("environment", "staging"),
        ("version", "v2.4.0"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(form.inputs(), expected);

    let spec = parse_workflow("e2e.yml", E2E, &[]).unwrap();
    let mut form = DispatchForm::new(REPO, "e2e.yml", "main", spec);
    assert_eq!(form.inputs().keys().collect::<Vec<_>>(), ["browser"]);
    form.set_value("grep", "checkout");
    assert_eq!(
        form.inputs().keys().collect::<Vec<_>>(),
        ["browser", "grep"]
    );
}

#[test]
fn the_dialog_shows_the_exact_call_with_the_ref_as_validated() {
    let mut form = deploy_form();
    form.set_value("version", "v2.4.0-rc.2");
    form.next_field();
    form.cycle(1);
    // A ref typed with a trailing space passes validation, which trims it: what is sent must
    // be the trimmed ref too (GitHub answers 422 "No ref found" to the untrimmed one).
    form.git_ref = "release/v2.4.0 ".into();
    assert!(form.validate(), "{:?}", form.errors);
    let c = confirm_dialog(&form, "", None);
    assert_eq!(
        describe(&c.calls()),
        "POST /repos/acme/storefront/actions/workflows/deploy.yml/dispatches\n\
         {\"inputs\":{\"dry_run\":\"false\",\"environment\":\"production\",\"version\":\"v2.4.0-rc.2\"},\"ref\":\"release/v2.4.0\",\"return_run_details\":true}\n\
         only if GitHub refuses return_run_details (older Enterprise Server, 400), once more without it:\n\
         POST /repos/acme/storefront/actions/workflows/deploy.yml/dispatches\n\
         {\"inputs\":{\"dry_run\":\"false\",\"environment\":\"production\",\"version\":\"v2.4.0-rc.2\"},\"ref\":\"release/v2.4.0\"}"
    );
}

#[test]
fn the_environment_comes_from_the_environment_input() {
    let mut form = deploy_form();
    assert_eq!(form.environment().as_deref(), Some("staging"));
    form.set_value("environment", "");
    assert_eq!(form.environment(), None);

    // An input of kind environment wins over one that is merely named so.
    let mut form = form_with(vec![
        field("environment", InputKind::String, false, Some("named")),
        field("target", InputKind::Environment(envs()), false, None),
    ]);
    assert_eq!(form.environment().as_deref(), Some("named"));
    form.set_value("target", "production");
    assert_eq!(form.environment().as_deref(), Some("production"));

    let form = form_with(vec![field("x", InputKind::String, false, Some("y"))]);
    assert_eq!(form.environment(), None);
}

#[test]
fn typed_confirmation_must_match_exactly() {
    assert!(confirmation_matches(None, ""));
    assert!(confirmation_matches(Some("production"), "production"));
    assert!(!confirmation_matches(Some("production"), "producti"));
    assert!(!confirmation_matches(Some("production"), "Production"));
}

// ---- views --------------------------------------------------------------------------------

fn draw(width: u16, height: u16, f: impl FnOnce(&mut ratatui::Frame)) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(f).unwrap();
    terminal
}

/// The first cell of the popup's top border: the top-left corner.
fn top_left_corner(terminal: &Terminal<TestBackend>) -> (u16, u16) {
    let buffer = terminal.backend().buffer();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            if matches!(buffer[(x, y)].symbol(), "╭" | "┏") {
                return (x, y);
            }
        }
    }
    panic!("no popup border drawn");
}

#[test]
fn form_staging_with_an_error() {
    let mut form = deploy_form();
    form.validate(); // version is required and empty
    form.next_field();
    form.next_field(); // focus on version
    let terminal = draw(100, 30, |f| dispatch::render(&form, false, f, f.area()));
    insta::assert_snapshot!("form_staging_with_error", terminal.backend());
    let buffer = terminal.backend().buffer();
    let (x, y) = top_left_corner(&terminal);
    assert_eq!(buffer[(x, y)].fg, Color::Cyan);
    // The error is drawn in red.
    let error_row = (0..buffer.area.height)
        .find(|&row| {
            (0..buffer.area.width)
                .map(|col| buffer[(col, row)].symbol())
                .collect::<String>()
                .contains("✗ required")
        })
        .unwrap();
    let col = (0..buffer.area.width)
        .find(|&col| buffer[(col, error_row)].symbol() == "✗")
        .unwrap();
    assert_eq!(buffer[(col, error_row)].fg, Color::Red);
}

#[test]
fn form_production() {
    let mut form = deploy_form();
    form.set_value("version", "v2.4.0");
    form.set_value("environment", "production");
    form.next_field(); // focus on environment
    let terminal = draw(100, 30, |f| dispatch::render(&form, true, f, f.area()));
    insta::assert_snapshot!("form_production", terminal.backend());
    let buffer = terminal.backend().buffer();
    let (x, y) = top_left_corner(&terminal);
    assert_eq!(buffer[(x, y)].symbol(), "┏");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    // The PRODUCTION badge: the theme's production colour, never the NO-GO red.
    let title: String = (0..buffer.area.width)
        .map(|col| buffer[(col, y)].symbol())
        .collect();
    assert!(title.contains(" PRODUCTION  Dispatch Deploy"), "{title}");
    let badge = (0..buffer.area.width)
        .find(|&col| buffer[(col, y)].symbol() == "P")
        .unwrap();
    assert_eq!(buffer[(badge, y)].bg, Color::LightMagenta);
    assert_ne!(
        shipdeck::view::theme::DARK.production.bg,
        shipdeck::view::theme::DARK.no_go.bg
    );
}

#[test]
fn form_with_many_inputs_scrolls_to_the_focus() {
    let fields: Vec<InputField> = (0..20)
        .map(|i| {
            let mut f = field(
                &format!("input_{i:02}"),
                InputKind::String,
                i % 2 == 0,
                None,
            );
            f.description = Some(format!("Description of input {i}"));
            f
        })
        .collect();
    let mut form = form_with(fields);
    form.prev_field(); // the last input
    let terminal = draw(80, 24, |f| dispatch::render(&form, false, f, f.area()));
    let screen = terminal.backend().to_string();
    assert!(screen.contains("input_19"), "{screen}");
    assert!(screen.contains("enter review"), "{screen}");
    assert!(!screen.contains("input_00"), "{screen}");
}

/// The dialog the app opens for `form`'s dispatch.
fn confirm_dialog(form: &DispatchForm, typed: &str, requirement: Option<&str>) -> Confirm {
    let mut c = Confirm::new("Dispatch Deploy?", "", WriteRequest::dispatch(form));
    c.typed = typed.to_string();
    c.typed_requirement = requirement.map(str::to_string);
    c.danger = requirement.is_some();
    c
}

#[test]
fn confirm_plain() {
    let mut form = deploy_form();
    form.set_value("version", "v2.4.0-rc.2");
    let c = confirm_dialog(&form, "", None);
    let terminal = draw(100, 30, |f| confirm::render_dialog(&c, f, f.area()));
    insta::assert_snapshot!("confirm_plain", terminal.backend());
    let buffer = terminal.backend().buffer();
    let (x, y) = top_left_corner(&terminal);
    assert_eq!(buffer[(x, y)].fg, Color::Cyan);
    // No is the default: highlighted (black on cyan).
    let screen = terminal.backend().to_string();
    let row = screen.lines().position(|l| l.contains("[ No ]")).unwrap();
    let row = u16::try_from(row).unwrap();
    let col = (0..buffer.area.width)
        .find(|&c| buffer[(c, row)].symbol() == "N")
        .unwrap();
    assert_eq!(buffer[(col, row)].bg, Color::Cyan);
    let yes = (col..buffer.area.width)
        .find(|&c| buffer[(c, row)].symbol() == "Y")
        .unwrap();
    assert_ne!(buffer[(yes, row)].bg, Color::Cyan);
}

#[test]
fn confirm_typed_production() {
    let mut form = deploy_form();
    form.set_value("version", "v2.4.0");
    form.set_value("environment", "production");
    let mut c = confirm_dialog(&form, "prod", Some("production"));
    c.title = "Dispatch Deploy to production?".into();
    c.yes_selected = true;
    let terminal = draw(100, 30, |f| confirm::render_dialog(&c, f, f.area()));
    insta::assert_snapshot!("confirm_typed_production", terminal.backend());
    let buffer = terminal.backend().buffer();
    let (x, y) = top_left_corner(&terminal);
    assert_eq!(buffer[(x, y)].symbol(), "┏");
    assert_eq!(buffer[(x, y)].fg, Color::Red);
    // Yes is selected but stays dim until "production" is typed …
    let screen = terminal.backend().to_string();
    let row = u16::try_from(screen.lines().position(|l| l.contains("[ Yes ]")).unwrap()).unwrap();
    let yes = (0..buffer.area.width)
        .find(|&c| buffer[(c, row)].symbol() == "Y")
        .unwrap();
    assert_eq!(buffer[(yes, row)].fg, Color::DarkGray);
    // … and then turns to the danger highlight.
    c.typed = "production".into();
    let terminal = draw(100, 30, |f| confirm::render_dialog(&c, f, f.area()));
    let buffer = terminal.backend().buffer();
    assert_eq!(buffer[(yes, row)].bg, Color::Red);
}
