//! Clear messages when `api_url` points at something that is not GitHub's REST API: an HTML
//! page, a JSON service without GitHub's headers, or `https://` on a plain-HTTP port. Each
//! server here is a real one on 127.0.0.1, talked to by the real octocrab client.
#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use shipdeck::github::sync::fetch_snapshot;
use shipdeck::github::{ApiError, GitHubApi, Octo};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const HTML: &str =
    "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>Welcome</body></html>\n";

/// Serves `app` on a free loopback port; returns `http://127.0.0.1:PORT`.
async fn serve(app: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// A server answering every request with `status`, `content_type` and `body`, counting them.
async fn serve_fixed(
    status: StatusCode,
    content_type: &'static str,
    body: &'static str,
) -> (String, Arc<AtomicUsize>) {
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let app = Router::new().fallback(move || {
        let counter = counter.clone();
        async move {
            counter.fetch_add(1, Ordering::SeqCst);
            (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
        }
    });
    (serve(app).await, hits)
}

fn client(base: &str) -> Octo {
    Octo::new(base, "some-token", Duration::from_secs(5)).unwrap()
}

fn host_port(base: &str) -> &str {
    base.split_once("://").unwrap().1
}

#[tokio::test]
async fn an_html_page_is_not_githubs_api() {
    let (base, hits) = serve_fixed(StatusCode::OK, "text/html; charset=utf-8", HTML).await;
    let api = client(&base);
    let err = api.milestones("acme/storefront", "open").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "the server at {base} did not answer with GitHub's JSON API (it answered 200 text/html); GitHub Enterprise Server uses https://{}/api/v3",
            host_port(&base)
        )
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        1,
        "a wrong server is not retried"
    );
    assert!(!err.is_transient());

    // The refresh says the same, not "unexpected answer" or "repository not found".
    let sync = fetch_snapshot(&api, &common::demo_plan(), chrono::Utc::now())
        .await
        .unwrap_err();
    assert!(
        sync.to_string().contains(&format!(
            "the server at {base} did not answer with GitHub's JSON API"
        )),
        "{sync}"
    );
}

#[tokio::test]
async fn an_html_404_is_not_githubs_api_either() {
    let (base, _) = serve_fixed(StatusCode::NOT_FOUND, "text/html", HTML).await;
    let err = client(&base)
        .milestones("acme/storefront", "open")
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::NotGitHub { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(&format!(
            "the server at {base} did not answer with GitHub's JSON API (it answered 404 text/html)"
        )),
        "{err}"
    );
}

#[tokio::test]
async fn the_web_host_of_github_com_points_at_the_api_host() {
    // `https://github.com` instead of `https://api.github.com`: GitHub's web pages are HTML.
    let err = shipdeck::github::error::not_github("https://github.com", "200 text/html");
    assert_eq!(
        err.to_string(),
        "the server at https://github.com did not answer with GitHub's JSON API (it answered 200 text/html); GitHub.com's API is https://api.github.com"
    );
    let err = shipdeck::github::error::not_github("https://ghe.acme.test/api/v3", "200 text/html");
    assert!(
        err.to_string().ends_with(
            "(it answered 200 text/html); is it the API root of GitHub Enterprise Server?"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn a_first_404_without_githubs_headers_blames_the_api_root() {
    let (base, _) = serve_fixed(
        StatusCode::NOT_FOUND,
        "application/json",
        r#"{"error":"no such route"}"#,
    )
    .await;
    let err = client(&base)
        .milestones("acme/storefront", "open")
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "the server at {base} did not answer with GitHub's JSON API (it answered 404 without GitHub's headers: the API root is wrong, not the repository); GitHub Enterprise Server uses https://{}/api/v3",
            host_port(&base)
        )
    );
}

#[tokio::test]
async fn a_404_after_github_answered_is_about_the_repository() {
    // GitHub answered once (its headers were there), so a later bare 404 is about the
    // repository, as the simulator's 404s are (tests/client.rs).
    let app = Router::new()
        .route(
            "/rate_limit",
            axum::routing::get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "application/json"),
                        (header::HeaderName::from_static("x-github-request-id"), "1:2:3"),
                    ],
                    r#"{"resources":{"core":{"limit":5000,"remaining":4999,"reset":1,"used":1}},"rate":{"limit":5000,"remaining":4999,"reset":1,"used":1}}"#,
                )
            }),
        )
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"message":"Not Found"}"#,
            )
        });
    let base = serve(app).await;
    let api = client(&base);
    api.rate_limit().await.unwrap();
    let err = api.milestones("acme/nope", "open").await.unwrap_err();
    assert!(matches!(err, ApiError::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn https_on_a_plain_http_port_says_so() {
    // A plain TCP listener that answers HTTP/1.1 to whatever arrives (a TLS ClientHello here),
    // as any plain-HTTP server does.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                let _ = sock.read(&mut buf).await;
                let _ = sock
                    .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .await;
                let _ = sock.shutdown().await;
            });
        }
    });
    let err = client(&format!("https://{addr}"))
        .milestones("acme/storefront", "open")
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("the server at https://{addr} speaks plain HTTP, not HTTPS; use http://{addr}")
    );
    assert_eq!(accepted.load(Ordering::SeqCst), 1, "not retried");
}

#[tokio::test]
async fn https_to_the_simulator_says_it_speaks_plain_http() {
    let sim = common::demo_sim().await;
    let base = sim.base_url();
    let https = base.replacen("http://", "https://", 1);
    let err = client(&https).rate_limit().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("the server at {https} speaks plain HTTP, not HTTPS; use {base}")
    );
}

#[tokio::test]
async fn a_truncated_answer_is_never_served_again_from_the_etag_cache() {
    // First answer: 200, an ETag, and JSON cut short (a proxy dropped the end). Asked again
    // with that ETag, the server says 304; asked without, it gives the whole list.
    let app = Router::new().fallback(|headers: axum::http::HeaderMap| async move {
        let inm = headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let github = [
            ("x-github-request-id", "1:2:3"),
            ("x-github-media-type", "github.v3; format=json"),
        ];
        match inm.as_deref() {
            Some("\"cut\"") => (StatusCode::NOT_MODIFIED, github).into_response(),
            _ if COUNT.fetch_add(1, Ordering::SeqCst) == 0 => (
                StatusCode::OK,
                github,
                [(header::ETAG, "\"cut\"")],
                r#"[{"number":1,"title":"v2.4.0","state":"op"#,
            )
                .into_response(),
            _ => (
                StatusCode::OK,
                github,
                [(header::ETAG, "\"whole\"")],
                r#"[{"number":1,"title":"v2.4.0","state":"open"}]"#,
            )
                .into_response(),
        }
    });
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let api = client(&serve(app).await);
    let err = api.milestones("acme/storefront", "open").await.unwrap_err();
    assert!(matches!(err, ApiError::Decode(_)), "{err:?}");
    let again = api.milestones("acme/storefront", "open").await.unwrap();
    assert_eq!(again.len(), 1, "the whole answer, not the cached cut one");
}
