//! Talking to GitHub: the API trait, its octocrab implementation, wire types, and the sync
//! that turns API answers into a release [`Snapshot`](crate::release::Snapshot).
//! Octocrab and wire types never leave this module.

pub mod api;
pub mod dto;
pub mod error;
pub mod follow_up;
pub mod history;
pub mod history_dto;
pub mod octo;
pub mod progress;
pub mod sync;
pub mod write;

pub use api::GitHubApi;
pub use error::ApiError;
pub use octo::Octo;
