//! Terminal setup and restore. `ratatui::init` installs a panic hook that restores the terminal
//! before the previous hook (color-eyre's) prints; `restore` runs on every other path.

use std::io::{self, Write};

use crossterm::event::{DisableFocusChange, EnableFocusChange};
use ratatui::DefaultTerminal;

/// Enters the alternate screen and raw mode, and asks for focus events.
pub fn init() -> DefaultTerminal {
    let terminal = ratatui::init();
    // Focus reporting is optional: terminals that don't support it ignore the sequence.
    let _ = crossterm::execute!(io::stdout(), EnableFocusChange);
    terminal
}

/// Leaves the alternate screen and raw mode. Safe to call more than once.
pub fn restore() {
    let _ = crossterm::execute!(io::stdout(), DisableFocusChange);
    ratatui::restore();
    let _ = io::stdout().flush();
}
