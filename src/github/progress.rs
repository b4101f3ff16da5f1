//! Progress of long reads: a refresh runs inside [`reporting`], and every paged list read
//! within it reports each page (`reading acme/storefront issues 12/50`) to the sink given.
//! Outside such a scope reports go nowhere.

use std::sync::Arc;

/// Where progress lines go.
pub type Sink = Arc<dyn Fn(String) + Send + Sync>;

tokio::task_local! {
    static SINK: Sink;
}

/// Runs `work`, sending the progress of the lists it reads to `sink`.
pub async fn reporting<F: Future>(sink: Sink, work: F) -> F::Output {
    SINK.scope(sink, work).await
}

/// Reports that `done` of `total` pages of `what` have been read.
pub fn report(what: &str, done: u32, total: u32) {
    let _ = SINK.try_with(|sink| sink(line(what, done, total)));
}

/// `reading acme/storefront issues 12/50`.
#[must_use]
pub fn line(what: &str, done: u32, total: u32) -> String {
    format!("reading {what} {done}/{total}")
}
