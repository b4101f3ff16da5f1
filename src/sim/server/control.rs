//! `/_sim/clock`: reads and sets the simulator's clock over HTTP (no token needed, like the
//! other `/_sim/` controls meant for test scripts).

use axum::response::Response;
use chrono::{DateTime, Utc};
use http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{ApiError, Reply, Shared, finish};
use crate::sim::util::iso;

/// `GET` answers `{"now": RFC3339}`; `POST {"now": RFC3339}` sets the clock to that instant
/// (it runs on from there) and answers the same shape; a missing or unparsable time is a 422.
pub(super) fn clock(sh: &Shared, parts: &http::request::Parts, body: &[u8]) -> Response {
    let reply = match parts.method {
        Method::GET => now_reply(sh),
        Method::POST | Method::PUT => {
            let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
            match v["now"]
                .as_str()
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            {
                Some(t) => {
                    sh.clock.set(t.with_timezone(&Utc));
                    now_reply(sh)
                }
                None => ApiError::unprocessable("expected {\"now\": \"RFC 3339 time\"}").0,
            }
        }
        _ => ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed").0,
    };
    finish(sh, reply, &parts.method, None, false)
}

fn now_reply(sh: &Shared) -> Reply {
    Reply::ok(json!({ "now": iso(sh.clock.now()) }))
}
