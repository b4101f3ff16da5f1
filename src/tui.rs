//! The runtime: the event loop that owns the terminal, terminal setup and restore, and the
//! workers that carry out effects.

pub mod browser;
pub mod outbox;
pub mod program;
pub mod run;
pub mod terminal;
pub mod ticks;
pub mod workers;
pub mod writes;

pub use run::run;
pub use workers::Workers;
