//! The release domain: pure types and rules, no I/O. The floor every other layer stands on.

pub mod burnup;
pub mod call;
pub mod dispatch;
pub mod error;
pub mod gates;
pub mod git_ref;
pub mod kpis;
pub mod model;
pub mod notes;
pub mod overrides;
pub mod phase;
pub mod retro;
pub mod risk;
pub mod rollback;
pub mod signoff;
pub mod snapshot;
pub mod status;
pub mod status_update;
pub mod sub_issues;
pub mod task_list;
pub mod text;
pub mod time;
pub mod web;
pub mod window;

pub use model::*;
pub use phase::Phase;
pub use snapshot::{Release, ReleaseRules, Snapshot};
