//! Terminal setup and restore. `ratatui::init` installs a panic hook that restores the terminal
//! before the previous hook (color-eyre's) prints; `restore` runs on every other path.

use std::io::{self, Write};

use crossterm::event::{DisableFocusChange, EnableFocusChange};
use ratatui::DefaultTerminal;

/// Enters the alternate screen and raw mode, and asks for focus events.
///
/// # Errors
/// There is no terminal (e.g. output is redirected).
pub fn init() -> io::Result<DefaultTerminal> {
    let terminal = ratatui::try_init().map_err(|e| {
        ratatui::restore();
        io::Error::new(
            e.kind(),
            format!("the dashboard needs an interactive terminal ({e}); for scripts use `shipdeck status`"),
        )
    })?;
    // Focus reporting is optional: terminals that don't support it ignore the sequence.
    let _ = crossterm::execute!(io::stdout(), EnableFocusChange);
    Ok(terminal)
}

/// Leaves the alternate screen and raw mode. Safe to call more than once.
pub fn restore() {
    let _ = crossterm::execute!(io::stdout(), DisableFocusChange);
    ratatui::restore();
    let _ = io::stdout().flush();
}
