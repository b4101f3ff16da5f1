//! Injected faults as the server answers them: queued [`Fault`](crate::sim::Fault)s, random
//! ones drawn from a [`Chaos`] spec (with its `/_sim/chaos` control), rate limits, dropped
//! connections and trickled bodies.

use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::response::Response;
use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{ApiError, Reply, Shared, finish, login_of};
use crate::sim::chaos::{Chaos, ChaosSpec};
use crate::sim::{FaultKind, lock};

/// The first queued fault matching the request, counted down.
pub(super) fn take_fault(sh: &Shared, method: &Method, path_q: &str) -> Option<FaultKind> {
    let mut faults = lock(&sh.faults);
    let i = faults.iter().position(|f| {
        f.method.as_ref().is_none_or(|m| m == method) && path_q.contains(&f.path_contains)
    })?;
    let kind = faults[i].kind.clone();
    match faults[i].times {
        0 => {}
        1 => {
            faults.remove(i);
        }
        _ => faults[i].times -= 1,
    }
    Some(kind)
}

/// GitHub's secondary-rate-limit answer with `status` and `retry-after` (whole seconds).
pub(super) fn secondary_limit(status: StatusCode, retry_after: Duration) -> Reply {
    Reply::json(
        status,
        json!({
            "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 8C3A:2F1B:5D2E1A:6B3C2D:675F0A1B.",
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            "status": status.as_str()
        }),
    )
    .with("retry-after", retry_after.as_secs().to_string())
}

/// The header that keeps a request out of the random faults (a test's own reads and edits).
pub const NO_CHAOS_HEADER: &str = "x-sim-chaos";

/// The random fault for this request, when chaos is on and the request is not exempt.
pub(super) fn draw_chaos(sh: &Shared, parts: &http::request::Parts) -> Option<FaultKind> {
    let path = parts.uri.path();
    let exempt = path.starts_with("/_sim/")
        || parts
            .headers
            .get(NO_CHAOS_HEADER)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"off"));
    if exempt {
        return None;
    }
    lock(&sh.chaos).as_mut()?.draw(&parts.method, path)
}

/// `/_sim/chaos` (the token required): `GET` its statistics (`null` when off), `PUT`
/// `{"faults": SPEC, "seed": N}` to start, `DELETE` to stop (answering the last statistics).
pub(super) fn chaos_control(sh: &Shared, parts: &http::request::Parts, body: &[u8]) -> Response {
    if login_of(sh, parts).is_none() {
        let reply = ApiError::new(StatusCode::UNAUTHORIZED, "Bad credentials").0;
        return finish(sh, reply, &parts.method, None, false);
    }
    let mut chaos = lock(&sh.chaos);
    let reply = match parts.method {
        Method::GET => Reply::ok(chaos.as_ref().map_or(Value::Null, Chaos::stats)),
        Method::DELETE => Reply::ok(chaos.take().map_or(Value::Null, |c| c.stats())),
        Method::PUT => {
            let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
            let spec = v["faults"].as_str().map(str::parse::<ChaosSpec>);
            match (spec, v["seed"].as_u64()) {
                (Some(Ok(spec)), Some(seed)) => {
                    let c = Chaos::new(spec, seed);
                    let stats = c.stats();
                    *chaos = Some(c);
                    Reply::ok(stats)
                }
                (Some(Err(e)), _) => ApiError::unprocessable(&e).0,
                _ => ApiError::unprocessable("expected {\"faults\": SPEC, \"seed\": N}").0,
            }
        }
        _ => ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed").0,
    };
    drop(chaos);
    finish(sh, reply, &parts.method, None, false)
}

/// Marks a response that is never sent: the request log records status 0.
#[derive(Debug, Clone, Copy)]
pub(super) struct Dropped;

/// Drops the connection instead of answering: the body fails before its first byte, so the
/// server closes the connection with the head unsent and the client sees it closed mid-request.
pub(super) fn reset(response: Response) -> Response {
    let (mut parts, _) = response.into_parts();
    parts.extensions.insert(Dropped);
    let failing = futures::stream::once(async {
        Err::<axum::body::Bytes, _>(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "simulated reset",
        ))
    });
    Response::from_parts(parts, Body::from_stream(failing))
}

/// The same answer with its body sent one byte every `every`.
pub(super) async fn trickle_body(response: Response, every: std::time::Duration) -> Response {
    let (parts, body) = response.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let stream = futures::stream::unfold(0usize, move |i| {
        let bytes = bytes.clone();
        async move {
            if i >= bytes.len() {
                return None;
            }
            tokio::time::sleep(every).await;
            Some((Ok::<_, std::convert::Infallible>(bytes.slice(i..=i)), i + 1))
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}
