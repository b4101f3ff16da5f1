//! The pure core: state, actions, effects, `update`, and the keymap. No I/O, no clock, no
//! terminal: time and results arrive as actions, work leaves as effects.

pub mod action;
pub mod checklist;
pub mod confirm;
pub mod controls;
pub mod custom;
pub mod detail;
pub mod dispatch;
pub mod effect;
pub mod filter;
pub mod gates;
mod input;
pub mod keymap;
pub mod kpis;
pub mod lists;
pub mod mouse;
pub mod notes;
pub mod overlay;
pub mod palette;
pub mod retro;
pub mod review;
pub mod risks;
pub mod runs;
pub mod state;
pub mod update;
pub mod write;

pub use action::{Action, Command};
pub use effect::Effect;
pub use state::{AppState, Pane};
pub use update::update;
