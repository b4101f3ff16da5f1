//! The HTTP side of the simulator: auth, rate-limit headers, ETags and 304s, injected
//! faults, latency and the request log around the routes.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use http::{HeaderValue, Method, StatusCode, header};
use serde_json::{Value, json};

use super::chaos::Chaos;
use super::clock::{Clock, http_date};
use super::util::fnv64;
use super::world::World;
use super::{Fault, FaultKind, RequestRecord, RunTiming, lock, read, write};

/// State shared by the handle and the server task.
#[derive(Debug)]
pub struct Shared {
    /// The data. Reads of the hot routes take a shared lock (see [`route_read`]); writes,
    /// reads that move live runs on, and request accounting take the write lock briefly.
    pub world: RwLock<World>,
    pub faults: Mutex<Vec<Fault>>,
    /// Random faults drawn for every request, when on.
    pub chaos: Mutex<Option<Chaos>>,
    pub requests: Mutex<Vec<RequestRecord>>,
    /// The main token; it belongs to `World::login`.
    pub token: String,
    /// Further tokens → the logins they belong to.
    pub users: Mutex<BTreeMap<String, String>>,
    /// The simulator's time.
    pub clock: Clock,
    pub base_url: String,
    pub timing: RunTiming,
    pub latency: Duration,
}

/// The parsed request a route sees.
pub struct Req<'a> {
    pub method: &'a Method,
    /// Percent-decoded path segments.
    pub segs: Vec<String>,
    /// The raw path (still encoded), for Link URLs.
    pub path: &'a str,
    /// The raw query string.
    pub raw_query: &'a str,
    /// Decoded query pairs.
    pub query: Vec<(String, String)>,
    pub body: &'a [u8],
    /// The sim clock's time when the request arrived.
    pub now: DateTime<Utc>,
    /// Login of the user whose token the request sent.
    pub login: String,
    pub base: &'a str,
    pub timing: RunTiming,
}

impl Req<'_> {
    /// The first value of query parameter `key`.
    pub fn q(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The JSON body (an empty body is `{}`); a parse error is GitHub's 400.
    pub fn json(&self) -> Result<Value, ApiError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(json!({}));
        }
        serde_json::from_slice(self.body)
            .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "Problems parsing JSON"))
    }
}

/// What a route answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: ReplyBody,
    pub headers: Vec<(&'static str, String)>,
}

/// A reply's body.
#[derive(Debug, Clone)]
pub enum ReplyBody {
    Json(Value),
    Text(String),
    Empty,
}

impl Reply {
    /// 200 with JSON.
    pub fn ok(v: Value) -> Self {
        Self::json(StatusCode::OK, v)
    }

    /// Any status with JSON.
    pub fn json(status: StatusCode, v: Value) -> Self {
        Self {
            status,
            body: ReplyBody::Json(v),
            headers: Vec::new(),
        }
    }

    /// A status without a body.
    pub fn empty(status: StatusCode) -> Self {
        Self {
            status,
            body: ReplyBody::Empty,
            headers: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// An error answer with GitHub's body shape.
#[derive(Debug, Clone)]
pub struct ApiError(pub Reply);

const DOCS: &str = "https://docs.github.com/rest";

impl ApiError {
    /// `{"message", "documentation_url", "status"}` with `status`.
    pub fn new(status: StatusCode, message: &str) -> Self {
        Self(Reply::json(
            status,
            json!({"message": message, "documentation_url": DOCS, "status": status.as_str()}),
        ))
    }

    /// 404 Not Found.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not Found")
    }

    /// 422 with a plain message.
    pub fn unprocessable(message: &str) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }

    /// 422 Validation Failed with one entry in `errors`.
    pub fn validation(resource: &str, field: &str, code: &str, message: Option<&str>) -> Self {
        let mut e = json!({"resource": resource, "code": code, "field": field});
        if let Some(m) = message {
            e["message"] = json!(m);
        }
        Self(Reply::json(
            StatusCode::UNPROCESSABLE_ENTITY,
            json!({"message": "Validation Failed", "errors": [e], "documentation_url": DOCS, "status": "422"}),
        ))
    }
}

pub type Res = Result<Reply, ApiError>;

/// The axum router: one fallback handler does its own routing.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new().fallback(handle).with_state(shared)
}

mod control;
mod faults;

use faults::{
    Dropped, chaos_control, draw_chaos, reset, secondary_limit, take_fault, trickle_body,
};

static REQUEST_SEQ: AtomicU64 = AtomicU64::new(1);

async fn handle(State(sh): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, 16 * 1024 * 1024).await.unwrap_or_default();
    let path_q = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    let if_none_match = parts
        .headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut reply = process(&sh, &parts, &path_q, &bytes, if_none_match.as_deref()).await;
    // Like GitHub, every answer says the server's time: the sim clock's.
    if let Ok(date) = HeaderValue::from_str(&http_date(sh.clock.now())) {
        reply.headers_mut().insert(header::DATE, date);
    }
    lock(&sh.requests).push(RequestRecord {
        method: parts.method.clone(),
        path: path_q,
        status: if reply.extensions().get::<Dropped>().is_some() {
            0
        } else {
            reply.status().as_u16()
        },
        had_if_none_match: if_none_match.is_some(),
        body: (!bytes.is_empty()).then(|| String::from_utf8_lossy(&bytes).into_owned()),
    });
    reply
}

/// The login of the token the request sent (`Authorization: Bearer|token <token>`); `None`
/// without a known token.
fn login_of(sh: &Shared, parts: &http::request::Parts) -> Option<String> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())?;
    let (scheme, token) = value.trim().split_once(' ')?;
    if !(scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("token")) {
        return None;
    }
    let token = token.trim();
    if token == sh.token {
        return Some(read(&sh.world).login.clone());
    }
    lock(&sh.users).get(token).cloned()
}

fn etag_of(body: &[u8]) -> String {
    format!(
        "W/\"{:016x}{:016x}\"",
        fnv64(body),
        fnv64(&[body, b"#etag"].concat())
    )
}

fn etag_matches(header_value: &str, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    header_value
        .split(',')
        .any(|t| t.trim() == "*" || bare(t) == bare(etag))
}

async fn process(
    sh: &Shared,
    parts: &http::request::Parts,
    path_q: &str,
    body: &[u8],
    inm: Option<&str>,
) -> Response {
    if !sh.latency.is_zero() {
        tokio::time::sleep(sh.latency).await;
    }
    let path = parts.uri.path();
    if path == "/_sim/chaos" {
        return chaos_control(sh, parts, body);
    }
    if path == "/_sim/clock" {
        return control::clock(sh, parts, body);
    }
    let mut malformed = false;
    let mut after_apply = None;
    let mut trickle = None;
    let mut reshape = None;
    let fault = take_fault(sh, &parts.method, path_q).or_else(|| draw_chaos(sh, parts));
    match fault {
        Some(FaultKind::Reset) => {
            // Never reached the server proper: not counted.
            let reply = finish(sh, Reply::empty(StatusCode::OK), &parts.method, None, false);
            return reset(reply);
        }
        Some(FaultKind::Trickle(every)) => trickle = Some(every),
        Some(FaultKind::StatusAfterApply(code)) => after_apply = Some(code),
        Some(FaultKind::Delay(d)) => tokio::time::sleep(d).await,
        Some(FaultKind::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let message = status.canonical_reason().unwrap_or("Server Error");
            return finish(
                sh,
                ApiError::new(status, message).0,
                &parts.method,
                None,
                true,
            );
        }
        Some(FaultKind::Message { status, message }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return finish(
                sh,
                ApiError::new(status, &message).0,
                &parts.method,
                None,
                true,
            );
        }
        Some(FaultKind::SecondaryRateLimit) => {
            let reply = secondary_limit(StatusCode::FORBIDDEN, Duration::from_secs(60));
            return finish(sh, reply, &parts.method, None, true);
        }
        Some(FaultKind::Limited {
            status,
            retry_after,
        }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN);
            let reply = secondary_limit(status, retry_after);
            return finish(sh, reply, &parts.method, None, true);
        }
        Some(FaultKind::Malformed) => malformed = true,
        Some(FaultKind::Reshape(r)) => reshape = Some(r),
        None => {}
    }
    if let Some(rest) = path.strip_prefix("/_sim/logs/") {
        let mut world = write(&sh.world);
        let reply = super::logs::serve(&mut world, rest, sh.clock.now());
        return finish_plain(reply, malformed);
    }
    let Some(login) = login_of(sh, parts) else {
        let reply = Reply::json(
            StatusCode::UNAUTHORIZED,
            json!({"message": "Bad credentials", "documentation_url": DOCS, "status": "401"}),
        );
        return finish(sh, reply, &parts.method, None, false);
    };
    let counted = path != "/rate_limit";
    {
        let mut world = write(&sh.world);
        let now = sh.clock.now().timestamp();
        // A window that ended, or one that has not begun because the clock was set back.
        if now >= world.rate.reset || world.rate.reset > now + 3600 {
            world.rate.used = 0;
            world.rate.reset = now + 3600;
        }
        if counted && world.rate.remaining() == 0 {
            drop(world);
            let reply = ApiError::new(
                StatusCode::FORBIDDEN,
                "API rate limit exceeded for user ID 1204501. If you reach out to GitHub Support for help, please include the request ID 8C3A:2F1B:5D2E1A:6B3C2D:675F0A1C.",
            )
            .0;
            return finish(sh, reply, &parts.method, None, false);
        }
    }
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD);
    if unsafe_method
        && (parts.headers.contains_key(header::IF_NONE_MATCH)
            || parts.headers.contains_key(header::IF_MATCH))
    {
        let reply = ApiError::new(
            StatusCode::BAD_REQUEST,
            "Conditional request headers are not allowed in unsafe requests unless supported by the endpoint",
        )
        .0;
        return finish(sh, reply, &parts.method, None, counted);
    }
    let query = url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let segs = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(percent_decode)
        .collect();
    let req = Req {
        method: &parts.method,
        segs,
        path,
        raw_query: parts.uri.query().unwrap_or(""),
        query,
        body,
        now: sh.clock.now(),
        login,
        base: &sh.base_url,
        timing: sh.timing,
    };
    // The hot reads share the lock; the rest (writes, and reads that move live runs on) take
    // it alone.
    let read_only = route_read(&read(&sh.world), &req);
    let mut reply = read_only
        .unwrap_or_else(|| route(&mut write(&sh.world), &req))
        .unwrap_or_else(|e| e.0);
    if let Some(code) = after_apply {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
        let message = status.canonical_reason().unwrap_or("Bad Gateway");
        return finish(
            sh,
            ApiError::new(status, message).0,
            &parts.method,
            None,
            counted,
        );
    }
    if let (Some(r), ReplyBody::Json(v)) = (&reshape, &mut reply.body) {
        r.apply(v);
    }
    if malformed {
        let text = match &reply.body {
            ReplyBody::Json(v) => v.to_string(),
            ReplyBody::Text(t) => t.clone(),
            ReplyBody::Empty => "{\"message\":\"\"}".to_owned(),
        };
        let cut: String = text
            .chars()
            .take(text.chars().count().div_ceil(2))
            .collect();
        let reply = Reply {
            status: StatusCode::OK,
            body: ReplyBody::Text(cut),
            headers: vec![("content-type", "application/json; charset=utf-8".to_owned())],
        };
        return finish(sh, reply, &parts.method, None, counted);
    }
    let response = finish(sh, reply, &parts.method, inm, counted);
    match trickle {
        Some(every) => trickle_body(response, every).await,
        None => response,
    }
}

/// A path segment with its `%XX` escapes decoded (invalid UTF-8 replaced); `+` stays `+`.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// The routes that only read, answered under the shared lock; `None` for the rest, which
/// [`route`] answers.
fn route_read(world: &World, req: &Req) -> Option<Res> {
    if req.method != Method::GET {
        return None;
    }
    let segs: Vec<&str> = req.segs.iter().map(String::as_str).collect();
    match segs.as_slice() {
        ["rate_limit"] => Some(Ok(rate_limit(world))),
        ["user"] => Some(Ok(Reply::ok(super::users::private_user(
            req.base, &req.login,
        )))),
        ["repos", owner, name, rest @ ..] if rest.first() != Some(&"actions") => {
            let Some(repo) = world.repo(&format!("{owner}/{name}")) else {
                return Some(Err(ApiError::not_found()));
            };
            super::comments::route_read(repo, rest, req)
                .or_else(|| super::issues::route_read(repo, rest, req))
                .or_else(|| super::commits::route(repo, rest, req))
                .or_else(|| super::pulls::route(repo, rest, req))
        }
        _ => None,
    }
}

fn route(world: &mut World, req: &Req) -> Res {
    let segs: Vec<&str> = req.segs.iter().map(String::as_str).collect();
    match (req.method, segs.as_slice()) {
        (_, ["repos", owner, name, rest @ ..]) => {
            let full = format!("{owner}/{name}");
            if world.repo(&full).is_none() {
                return Err(ApiError::not_found());
            }
            if rest.first() == Some(&"actions") {
                super::actions::route(world, &full, &rest[1..], req)
            } else {
                super::issues::route(world, &full, rest, req)
            }
        }
        _ => Err(ApiError::not_found()),
    }
}

fn rate_limit(world: &World) -> Reply {
    let r = world.rate;
    let core = json!({"limit": r.limit, "used": r.used, "remaining": r.remaining(), "reset": r.reset, "resource": "core"});
    let other = |limit: u32, resource: &str| json!({"limit": limit, "used": 0, "remaining": limit, "reset": r.reset, "resource": resource});
    Reply::ok(json!({
        "resources": {
            "core": core,
            "search": other(30, "search"),
            "graphql": other(5000, "graphql"),
            "integration_manifest": other(5000, "integration_manifest"),
            "code_search": other(10, "code_search"),
        },
        "rate": core,
    }))
}

/// Adds rate-limit and common headers, the ETag/304 logic, and counts the request.
fn finish(
    sh: &Shared,
    reply: Reply,
    method: &Method,
    inm: Option<&str>,
    counted: bool,
) -> Response {
    let bytes: Vec<u8> = match &reply.body {
        ReplyBody::Json(v) => v.to_string().into_bytes(),
        ReplyBody::Text(t) => t.clone().into_bytes(),
        ReplyBody::Empty => Vec::new(),
    };
    let is_json = matches!(reply.body, ReplyBody::Json(_));
    let etag = (*method == Method::GET && reply.status == StatusCode::OK && is_json)
        .then(|| etag_of(&bytes));
    let not_modified = matches!((&etag, inm), (Some(e), Some(h)) if etag_matches(h, e));
    let rate = {
        let mut world = write(&sh.world);
        if counted && !not_modified && reply.status != StatusCode::UNAUTHORIZED {
            world.rate.used = (world.rate.used + 1).min(world.rate.limit);
        }
        world.rate
    };
    let status = if not_modified {
        StatusCode::NOT_MODIFIED
    } else {
        reply.status
    };
    let mut builder = Response::builder()
        .status(status)
        .header("x-ratelimit-limit", rate.limit.to_string())
        .header("x-ratelimit-remaining", rate.remaining().to_string())
        .header("x-ratelimit-used", rate.used.to_string())
        .header("x-ratelimit-reset", rate.reset.to_string())
        .header("x-ratelimit-resource", "core")
        .header("x-github-api-version-selected", "2022-11-28")
        .header("x-github-media-type", "github.v3; format=json")
        .header(
            "x-github-request-id",
            format!(
                "8C3A:{:06X}:1A2B3C",
                REQUEST_SEQ.fetch_add(1, Ordering::Relaxed)
            ),
        );
    if let Some(e) = &etag {
        builder = builder.header(header::ETAG, e.as_str());
    }
    let has_ct = reply.headers.iter().any(|(n, _)| *n == "content-type");
    if !bytes.is_empty() && !not_modified && !has_ct {
        let ct = if is_json {
            "application/json; charset=utf-8"
        } else {
            "text/plain; charset=utf-8"
        };
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    for (name, value) in &reply.headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            builder = builder.header(*name, v);
        }
    }
    let body = if not_modified {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    builder
        .body(body)
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

/// Answers for the unauthenticated log-download URLs (like GitHub's signed blob URLs).
fn finish_plain(reply: Reply, malformed: bool) -> Response {
    let mut text = match reply.body {
        ReplyBody::Text(t) => t,
        ReplyBody::Json(v) => v.to_string(),
        ReplyBody::Empty => String::new(),
    };
    if malformed {
        text = text.chars().take(text.chars().count() / 2).collect();
    }
    let ct = if reply.status == StatusCode::OK {
        "text/plain; charset=utf-8"
    } else {
        "application/json; charset=utf-8"
    };
    Response::builder()
        .status(reply.status)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(text))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("phase%3Aplan"), "phase:plan");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%E2%9C%93"), "✓");
    }

    #[test]
    fn etags_compare_weakly() {
        let e = etag_of(b"{}");
        assert!(etag_matches(&e, &e));
        assert!(etag_matches(
            &format!("\"x\", {}", e.trim_start_matches("W/")),
            &e
        ));
        assert!(!etag_matches("\"other\"", &e));
    }
}
