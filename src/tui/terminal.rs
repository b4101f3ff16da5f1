//! Terminal setup and restore. `ratatui::init` installs a panic hook that restores the terminal
//! before the previous hook (color-eyre's) prints; `restore` runs on every other path.

use std::io::{self, Write};

use crossterm::event::{
    DisableFocusChange, DisableMouseCapture, EnableFocusChange, EnableMouseCapture,
};
use ratatui::DefaultTerminal;

/// Enters the alternate screen and raw mode, and asks for focus events and, with `mouse`, for
/// clicks and the wheel (given back on every way out, a panic included).
///
/// # Errors
/// There is no terminal (e.g. output is redirected).
pub fn init(mouse: bool) -> io::Result<DefaultTerminal> {
    let terminal = ratatui::try_init().map_err(|e| {
        ratatui::restore();
        io::Error::new(
            e.kind(),
            format!("the dashboard needs an interactive terminal ({e}); for scripts use `shipdeck status`"),
        )
    })?;
    // Focus reporting is optional: terminals that don't support it ignore the sequence.
    let _ = crossterm::execute!(io::stdout(), EnableFocusChange);
    if mouse {
        let _ = crossterm::execute!(io::stdout(), EnableMouseCapture);
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = crossterm::execute!(io::stdout(), DisableMouseCapture);
            previous(info);
        }));
    }
    Ok(terminal)
}

/// `NO_COLOR` is set to something non-empty (<https://no-color.org>): no colour anywhere, not in
/// the dashboard and not in messages.
#[must_use]
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// `TERM=dumb`: a terminal that cannot move the cursor or take any escape code (Emacs' shell,
/// some CI logs).
#[must_use]
pub fn is_dumb() -> bool {
    std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

/// Refuses a terminal the dashboard cannot draw on, before anything is drawn or started, with a
/// message that points at the plain-text commands.
///
/// # Errors
/// The terminal is `TERM=dumb`.
pub fn ensure_capable() -> io::Result<()> {
    if is_dumb() {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "this terminal (TERM=dumb) cannot show the dashboard, which needs cursor movement; \
             use `shipdeck status` (or `shipdeck status --json`) for a plain-text summary",
        ));
    }
    Ok(())
}

/// Leaves the alternate screen and raw mode. Safe to call more than once.
pub fn restore() {
    let _ = crossterm::execute!(io::stdout(), DisableMouseCapture, DisableFocusChange);
    ratatui::restore();
    let _ = io::stdout().flush();
}
