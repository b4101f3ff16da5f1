//! What `update` asks the workers to do.

use crate::release::task_list::ItemKey;

/// Work for the runtime, carried out off the UI task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Fetch the whole release; answer with `Action::SnapshotLoaded { req, .. }`.
    FetchSnapshot { req: u64 },
    /// Open a URL in the browser.
    OpenUrl(String),
    /// Put text on the clipboard (OSC 52, works over SSH).
    CopyToClipboard(String),
    /// Ring the terminal bell.
    Bell,
    /// Write the tick to the outbox, then apply it: item `key` of `repo#number` should be
    /// `checked`. `same_text` items had that text when the user ticked.
    QueueTick {
        repo: String,
        number: u64,
        key: ItemKey,
        checked: bool,
        same_text: usize,
    },
}
