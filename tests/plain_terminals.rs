//! Usable without colour: with `NO_COLOR` set the selected row is still marked (reverse video)
//! and no colour reaches the terminal; `TERM=dumb` gets a message pointing at `shipdeck status`
//! instead of escape codes; at narrow widths the header shows the GO/NO-GO verdict first.
//! The terminal cases drive the real binary in tmux (skipped with a message where tmux is
//! missing, except in CI, which installs it).
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use common::tmux::{have_tmux as has_tmux, kill_on_drop, tmux, wait_for};

use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use shipdeck::app::{Action, AppState, Command, update};
use shipdeck::release::ReleaseRules;

/// The pane's text with its attributes as escape sequences (`capture-pane -e`).
fn screen_with_attributes(session: &str) -> String {
    tmux(&["capture-pane", "-e", "-p", "-t", session])
}

/// One character of a captured screen with the attributes it was drawn with.
#[derive(Debug, Clone, Copy)]
struct Shown {
    ch: char,
    reverse: bool,
}

/// Parses `capture-pane -e` output into lines of characters with their reverse-video state,
/// and every SGR parameter that sets a colour.
fn parse_sgr(captured: &str) -> (Vec<Vec<Shown>>, Vec<String>) {
    let mut lines = vec![Vec::new()];
    let mut colours = Vec::new();
    let mut reverse = false;
    let mut chars = captured.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            let mut seq = String::new();
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    seq.push(d);
                    break;
                }
                seq.push(d);
            }
            let Some(params) = seq.strip_suffix('m') else {
                continue;
            };
            let params: Vec<u16> = params.split(';').map(|p| p.parse().unwrap_or(0)).collect();
            let mut i = 0;
            while i < params.len() {
                match params[i] {
                    0 => reverse = false,
                    7 => reverse = true,
                    27 => reverse = false,
                    38 | 48 | 58 => {
                        colours.push(format!("\\e[{params:?}"));
                        // 38;5;N or 38;2;R;G;B
                        i += if params.get(i + 1) == Some(&2) { 4 } else { 2 };
                    }
                    p @ (30..=37 | 40..=47 | 90..=97 | 100..=107) => {
                        colours.push(format!("\\e[{p}m"));
                    }
                    _ => {}
                }
                i += 1;
            }
        } else if c == '\n' {
            lines.push(Vec::new());
        } else {
            lines.last_mut().unwrap().push(Shown { ch: c, reverse });
        }
    }
    (lines, colours)
}

/// The line that shows `needle`, and whether each of the needle's characters is in reverse
/// video.
fn reversed_at(lines: &[Vec<Shown>], needle: &str) -> Vec<bool> {
    for line in lines {
        let text: String = line.iter().map(|s| s.ch).collect();
        if let Some(byte) = text.find(needle) {
            let start = text[..byte].chars().count();
            return line[start..start + needle.chars().count()]
                .iter()
                .map(|s| s.reverse)
                .collect();
        }
    }
    panic!("{needle:?} is not on the screen");
}

#[test]
fn with_no_color_the_selected_row_is_in_reverse_video_and_nothing_is_coloured() {
    if !has_tmux() {
        return;
    }
    let session = format!("shipdeck-no-color-{}", std::process::id());
    let data = tempfile::tempdir().expect("temp dir");
    let command = format!(
        "NO_COLOR=1 SHIPDECK_DATA_DIR={} {} demo",
        data.path().display(),
        env!("CARGO_BIN_EXE_shipdeck")
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "120",
        "-y",
        "40",
        &command,
    ]);
    let _guard = kill_on_drop(&session);
    wait_for(&session, "2 Checklist 15/34", Duration::from_secs(30));

    // The runs pane, second run selected.
    tmux(&["send-keys", "-t", &session, "4", "j"]);
    wait_for(&session, "enter details", Duration::from_secs(5));
    std::thread::sleep(Duration::from_millis(300));
    let captured = screen_with_attributes(&session);
    let (lines, colours) = parse_sgr(&captured);
    assert!(
        reversed_at(&lines, "#1485").iter().all(|r| *r),
        "the selected run is not marked:\n{captured}"
    );
    assert!(
        reversed_at(&lines, "#1482").iter().all(|r| !*r),
        "an unselected run is marked:\n{captured}"
    );
    assert_eq!(colours, Vec::<String>::new(), "{captured}");

    // The checklist: the first item selected, the second not.
    tmux(&["send-keys", "-t", &session, "2", "g"]);
    wait_for(&session, "space tick", Duration::from_secs(5));
    std::thread::sleep(Duration::from_millis(300));
    let captured = screen_with_attributes(&session);
    let (lines, colours) = parse_sgr(&captured);
    assert!(
        reversed_at(&lines, "Scope agreed with product")
            .iter()
            .all(|r| *r),
        "the selected item is not marked:\n{captured}"
    );
    assert!(
        reversed_at(&lines, "Saved carts data model reviewed")
            .iter()
            .all(|r| !*r),
        "{captured}"
    );
    assert_eq!(colours, Vec::<String>::new(), "{captured}");
}

#[test]
fn term_dumb_gets_a_message_instead_of_escape_codes() {
    if !has_tmux() {
        return;
    }
    let session = format!("shipdeck-dumb-{}", std::process::id());
    let data = tempfile::tempdir().expect("temp dir");
    let command = format!(
        "TERM=dumb SHIPDECK_DATA_DIR={} {} demo; echo \"shipdeck exited $?\"; sleep 60",
        data.path().display(),
        env!("CARGO_BIN_EXE_shipdeck")
    );
    tmux(&[
        "new-session",
        "-d",
        "-s",
        &session,
        "-x",
        "120",
        "-y",
        "40",
        "sh",
        "-c",
        &command,
    ]);
    let _guard = kill_on_drop(&session);
    let screen = wait_for(&session, "shipdeck exited", Duration::from_secs(30));
    assert!(screen.contains("shipdeck exited 1"), "{screen}");
    assert!(screen.contains("TERM=dumb"), "{screen}");
    assert!(screen.contains("shipdeck status"), "{screen}");
    assert!(
        !screen.contains("Checklist"),
        "the dashboard was drawn:\n{screen}"
    );
    let captured = screen_with_attributes(&session);
    assert!(
        !captured.contains('\u{1b}'),
        "escape codes reached the terminal:\n{captured}"
    );
}

/// The fixture release, loaded (its deploy verdict is NO-GO: a blocker is open).
fn loaded() -> AppState {
    let now = common::fixed_now();
    let mut s = AppState::new(
        now,
        vec!["acme/app".into()],
        ReleaseRules::default(),
        "release/{milestone}".into(),
    );
    update(&mut s, Action::Tick { now });
    update(
        &mut s,
        Action::SnapshotLoaded {
            req: 1,
            result: Ok(Box::new(common::fixture_snapshot(now))),
            rate: None,
        },
    );
    s
}

fn draw(state: &AppState, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| shipdeck::view::render(state, f)).unwrap();
    terminal.backend().buffer().clone()
}

fn first_line(state: &AppState, width: u16, height: u16) -> String {
    let buffer = draw(state, width, height);
    (0..width)
        .map(|x| buffer[(x, 0)].symbol().to_string())
        .collect()
}

/// Each line of the screen as text; under a line with cells in reverse video, a line that marks
/// them with `^`.
fn marked_screen(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let (mut text, mut marks) = (String::new(), String::new());
        let mut skip = 0usize;
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            let width = unicode_width(cell.symbol());
            if skip == 0 {
                text.push_str(cell.symbol());
                let mark = if cell.modifier.contains(Modifier::REVERSED) {
                    "^"
                } else {
                    " "
                };
                marks.push_str(&mark.repeat(width.max(1)));
            }
            skip = width.max(skip).saturating_sub(1);
        }
        out.push_str(&format!("{text:?}\n"));
        if marks.contains('^') {
            out.push_str(&format!("{:?}\n", marks.trim_end()));
        }
    }
    out
}

/// Display width of a cell's symbol (ratatui's own measure).
fn unicode_width(symbol: &str) -> usize {
    ratatui::text::Span::raw(symbol).width()
}

fn text_of(buffer: &Buffer) -> Vec<String> {
    buffer
        .content
        .iter()
        .map(|c| c.symbol().to_string())
        .collect()
}

/// Asserts that no cell has a colour and that the text is what the coloured screen shows.
fn assert_colourless_and_same_text(state: &AppState, width: u16, height: u16) -> Buffer {
    let mono = draw(state, width, height);
    for (i, cell) in mono.content.iter().enumerate() {
        assert_eq!(
            (cell.fg, cell.bg),
            (Color::Reset, Color::Reset),
            "cell {i} ({:?}) has a colour",
            cell.symbol()
        );
    }
    let mut coloured = state.clone();
    coloured.session.no_color = false;
    assert_eq!(
        text_of(&mono),
        text_of(&draw(&coloured, width, height)),
        "only the attributes change without colour"
    );
    mono
}

/// Rows of the buffer, from `top` on, with at least one cell in reverse video.
fn reversed_rows(buffer: &Buffer, top: u16) -> Vec<u16> {
    (top..buffer.area.height)
        .filter(|y| {
            (0..buffer.area.width).any(|x| buffer[(x, *y)].modifier.contains(Modifier::REVERSED))
        })
        .collect()
}

#[test]
fn without_colour_every_pane_marks_its_selection_in_reverse_video() {
    let mut state = loaded();
    state.session.no_color = true;
    let mut screens = String::new();
    for (focus, name, selectable) in [
        (Command::FocusBoard, "board", true),
        (Command::FocusChecklist, "checklist", true),
        (Command::FocusRisks, "risks", true),
        (Command::FocusRuns, "runs", true),
        (Command::FocusGates, "gates", true),
        (Command::FocusActivity, "activity", true),
        (Command::FocusAudit, "audit (no writes yet)", false),
    ] {
        update(&mut state, Action::Command(focus));
        if selectable {
            update(&mut state, Action::Command(Command::Down));
        }
        let buffer = assert_colourless_and_same_text(&state, 80, 24);
        // Below the header and the tabs line; above the footer.
        let body = reversed_rows(&buffer, 3)
            .into_iter()
            .filter(|y| *y < 23)
            .count();
        assert_eq!(body > 0, selectable, "{name}:\n{}", marked_screen(&buffer));
        screens.push_str(&format!("{name}:\n{}\n", marked_screen(&buffer)));
    }
    insta::assert_snapshot!("no_color_every_pane_80x24", screens);

    update(&mut state, Action::Command(Command::FocusChecklist));
    let buffer = assert_colourless_and_same_text(&state, 120, 40);
    insta::assert_snapshot!("no_color_dashboard_120x40", marked_screen(&buffer));
}

#[test]
fn without_colour_popups_mark_their_choice_in_reverse_video() {
    let mut state = loaded();
    state.session.no_color = true;
    update(&mut state, Action::Command(Command::Help));
    let buffer = assert_colourless_and_same_text(&state, 100, 30);
    insta::assert_snapshot!("no_color_help_100x30", marked_screen(&buffer));
    update(&mut state, Action::Command(Command::Close));

    // Cancel the run in progress: a confirm dialog, No chosen; then Yes.
    update(&mut state, Action::Command(Command::FocusRuns));
    update(&mut state, Action::Command(Command::CancelRun));
    assert!(state.overlays.confirm().is_some(), "a confirm dialog opens");
    let buffer = assert_colourless_and_same_text(&state, 100, 30);
    insta::assert_snapshot!("no_color_confirm_no_100x30", marked_screen(&buffer));
    let right = shipdeck::app::keymap::Key::parse("right").unwrap();
    update(&mut state, Action::Input(right));
    assert!(state.overlays.confirm().is_some_and(|c| c.yes_selected));
    let buffer = assert_colourless_and_same_text(&state, 100, 30);
    insta::assert_snapshot!("no_color_confirm_yes_100x30", marked_screen(&buffer));
}

#[test]
fn at_narrow_widths_the_header_shows_the_verdict_before_anything_else() {
    let state = loaded();
    let verdict = state.verdict.as_ref().unwrap().verdict.label();
    assert_eq!(verdict, "NO-GO");
    for width in [24, 40, 60, 80, 99] {
        let line = first_line(&state, width, 24);
        assert!(
            line.trim_start().starts_with("NO-GO"),
            "{width} columns: {line:?}"
        );
    }
    // Wide terminals keep the usual order: name, release, due date, phase, verdict.
    let line = first_line(&state, 120, 40);
    assert!(line.starts_with(" shipdeck "), "{line:?}");
    assert!(line.contains(" NO-GO "), "{line:?}");
}
