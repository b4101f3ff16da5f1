//! The subcommands: dashboard, demo, status, gate, dispatch, init, notes, retro, sim. Each builds what it
//! needs from the config and the command line, then runs.

pub mod dashboard;
pub mod dispatch;
pub mod gate;
pub mod init;
pub mod notes;
pub mod retro;
pub mod setup;
pub mod status;

pub use setup::Setup;
