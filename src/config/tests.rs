//! Config tests: defaults, every section read back, and errors that name the line.
use std::path::Path;

use super::*;

fn parse(text: &str) -> Result<Config, String> {
    Config::parse(text, Path::new("/etc/shipdeck.toml")).map_err(|e| e.to_string())
}

#[test]
fn example_file_equals_the_defaults() {
    assert_eq!(parse(EXAMPLE), Ok(Config::default()));
}

#[test]
fn empty_file_is_all_defaults() {
    assert_eq!(parse(""), Ok(Config::default()));
}

#[test]
fn unknown_key_names_file_line_and_column() {
    let err = parse("refresh_secs = 10\n\n[github]\nrepo = [\"a/b\"]\n").unwrap_err();
    assert!(
        err.starts_with("/etc/shipdeck.toml:4:1: unknown field `repo`, expected one of"),
        "{err}"
    );
}

#[test]
fn wrong_type_names_line() {
    let err = parse("refresh_secs = \"fast\"\n").unwrap_err();
    assert!(err.starts_with("/etc/shipdeck.toml:1:16: "), "{err}");
    assert!(
        err.contains("invalid type: string \"fast\", expected u64"),
        "{err}"
    );
}

#[test]
fn bad_values_are_explained() {
    let err = parse("[github]\nrepos = [\"acme/ok\", \"oops\"]\n").unwrap_err();
    assert!(
        err.starts_with(
            "/etc/shipdeck.toml:2:9: \"oops\" is not a repository name; expected OWNER/NAME"
        ),
        "{err}"
    );
    let err = parse("refresh_secs = 1\n").unwrap_err();
    assert!(err.contains("use 2 or more"), "{err}");
    let err = parse("[[workflows]]\nfile = \"x.yml\"\nphase = \"ship\"\n").unwrap_err();
    assert!(
        err.starts_with("/etc/shipdeck.toml:3:9: unknown variant `ship`"),
        "{err}"
    );
    let err = parse("[gates]\nrisk_threshold = 30\n").unwrap_err();
    assert!(err.contains("outside 1-25"), "{err}");
    let err = parse("[github]\napi_url = \"ftp://x\"\n").unwrap_err();
    assert!(err.contains("is not an API URL"), "{err}");
}

#[test]
fn ui_theme_and_colours_with_errors_that_name_the_line() {
    let c = parse("[ui]\ntheme = \"light\"\nmouse = false\n[ui.colors]\nok = \"bold #00aa00\"\n")
        .unwrap();
    assert_eq!(c.ui.theme, ThemeName::Light);
    assert!(!c.ui.mouse);
    assert!(c.ui.colors.ok.is_some());
    let err = parse("[ui]\ntheme = \"light\"\n[ui.colors]\nno_go = \"white on\"\n").unwrap_err();
    assert!(
        err.contains(":4:") && err.contains("needs a background"),
        "{err}"
    );
    let err = parse("[ui.colors]\nnogo = \"red\"\n").unwrap_err();
    assert!(err.contains(":2:") && err.contains("no_go"), "{err}");
    let err = parse("[ui]\ntheme = \"solarized\"\n").unwrap_err();
    assert!(err.contains(":2:") && err.contains("light"), "{err}");
}

#[test]
fn custom_commands_with_errors_that_name_the_line() {
    let c = parse("[[commands]]\nname = \"x\"\nkey = \"I\"\nscope = \"runs\"\nargv = [\"echo\", \"{run_id}\"]\n")
        .unwrap();
    assert_eq!(c.commands[0].argv, vec!["echo", "{run_id}"]);
    assert!(!c.commands[0].writes && !c.commands[0].confirm);
    let err = parse("[[commands]]\nname = \"x\"\nkey = \"I\"\nargv = [\"echo\", \"{title}\"]\n")
        .unwrap_err();
    assert!(
        err.contains(":4:") && err.contains("unknown field {title}"),
        "{err}"
    );
    let err =
        parse("[[commands]]\nname = \"x\"\nkey = \"I\"\nscope = \"pods\"\nargv = [\"echo\"]\n")
            .unwrap_err();
    assert!(
        err.contains(":4:") && err.contains("unknown scope \"pods\""),
        "{err}"
    );
    let err = parse("[[commands]]\nname = \"x\"\nkey = \"I\"\nargv = []\n").unwrap_err();
    assert!(
        err.contains(":4:") && err.contains("at least the program"),
        "{err}"
    );
}

#[test]
fn scope_freeze_per_milestone_and_kpis() {
    let c = parse(
        "[release.scope_freeze]\n\"v2.4.0\" = \"2026-11-20\"\n\"v2.5.0\" = \"2026-12-10T09:00:00+01:00\"\n[kpis]\nfailure_window_hours = 48\n",
    )
    .unwrap();
    assert_eq!(
        c.rules("v2.4.0").scope_freeze.map(|t| t.to_rfc3339()),
        Some("2026-11-20T00:00:00+00:00".into())
    );
    assert_eq!(
        c.rules("v2.5.0").scope_freeze.map(|t| t.to_rfc3339()),
        Some("2026-12-10T08:00:00+00:00".into())
    );
    assert_eq!(c.rules("v2.6.0").scope_freeze, None);
    assert_eq!(c.kpis.failure_window_hours, 48);
    let err = parse("[release.scope_freeze]\n\"v2.4.0\" = \"next friday\"\n").unwrap_err();
    assert!(err.starts_with("/etc/shipdeck.toml:1:"), "{err}");
    assert!(err.contains("\"next friday\" is neither a date"), "{err}");
    let err = parse("[kpis]\nfailure_window_hours = 0\n").unwrap_err();
    assert!(err.starts_with("/etc/shipdeck.toml:2:"), "{err}");
    assert!(
        err.contains("failure_window_hours must be 1 to 720, not 0"),
        "{err}"
    );
}

#[test]
fn syntax_error_names_line() {
    let err = parse("[github\nrepos = []\n").unwrap_err();
    assert!(err.starts_with("/etc/shipdeck.toml:1:"), "{err}");
}

#[test]
fn custom_workflows_and_keys() {
    let c = parse(
        "[[workflows]]\nfile = \"ship.yml\"\nrepo = \"acme/x\"\nphase = \"deploy\"\ndispatch = true\nprotected = true\nenvironment = \"production\"\n[keys.global]\nquit = \"ctrl-q\"\nrefresh = [\"r\", \"f5\"]\n",
    )
    .unwrap();
    assert_eq!(c.workflows.len(), 1);
    assert!(c.workflows[0].applies_to("acme/x"));
    assert!(!c.workflows[0].applies_to("acme/y"));
    assert_eq!(c.keys["global"]["refresh"].keys(), vec!["r", "f5"]);
    assert_eq!(c.release_ref("v1.0"), "release/v1.0");
}

#[test]
fn missing_default_file_is_fine_but_explicit_must_exist() {
    let err = Config::load(Some(Path::new("/nonexistent/shipdeck.toml"))).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("cannot read config file /nonexistent/shipdeck.toml")
    );
}
