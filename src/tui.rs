//! The runtime: the event loop that owns the terminal, terminal setup and restore, and the
//! workers that carry out effects.

pub mod actions;
pub mod jobs;
pub mod outbox;
pub mod run;
pub mod terminal;
pub mod ticks;

pub use jobs::Jobs;
pub use run::run;
