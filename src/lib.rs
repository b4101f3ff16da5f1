//! shipdeck: a keyboard-driven terminal dashboard for running software releases on GitHub.
//!
//! Layers, each using only those below it: `tui` → `view` → `app` → `release`, and
//! `tui` → `github` → `release`. `sim` stands apart: the GitHub simulator.

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod files;
pub mod github;
pub mod release;
pub mod sim;
pub mod tui;
pub mod view;
