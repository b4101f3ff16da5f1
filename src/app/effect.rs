//! What `update` asks the workers to do.

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
}
