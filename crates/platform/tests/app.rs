//! In-process tests of the router: static files, client-route fallback, headers, API errors.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use linli_platform::db::Db;
use linli_platform::web::{app, AppState};
use tower::ServiceExt;

const JS: &str = "linli-0123456789abcdef.js";

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let html = format!("<!doctype html><html><head><script type=module src=/{JS}></script></head><body>Linli shell</body></html>");
    std::fs::write(dir.path().join("index.html"), html).unwrap();
    std::fs::write(dir.path().join(JS), "console.log('linli');".repeat(50)).unwrap();
    std::fs::write(dir.path().join(format!("{JS}.br")), b"pretend-brotli").unwrap();
    std::fs::write(dir.path().join("sw.js"), "const VERSION = \"x\";").unwrap();
    std::fs::write(
        dir.path().join("manifest.webmanifest"),
        "{\"name\":\"Linli\"}",
    )
    .unwrap();
    dir
}

async fn get(
    dist: &tempfile::TempDir,
    path: &str,
    accept_encoding: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let router = app(AppState::new(
        Db::open_in_memory().unwrap(),
        dist.path().to_owned(),
    ));
    let mut req = Request::get(path);
    if let Some(enc) = accept_encoding {
        req = req.header("accept-encoding", enc);
    }
    let res = router
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, body)
}

#[tokio::test]
async fn the_shell_is_served_no_cache_with_security_headers() {
    let d = dist();
    let (status, h, body) = get(&d, "/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(body).unwrap().contains("Linli shell"));
    assert_eq!(h["cache-control"], "no-cache");
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
}

#[tokio::test]
async fn client_routes_fall_back_to_the_shell() {
    let d = dist();
    for path in [
        "/alerts",
        "/join",
        "/alerts/0190c7a8-0000-7000-8000-000000000000",
        "/never/visited",
    ] {
        let (status, h, body) = get(&d, path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            h["content-type"].to_str().unwrap().starts_with("text/html"),
            "{path}"
        );
        assert_eq!(h["cache-control"], "no-cache", "{path}");
        assert!(
            String::from_utf8(body).unwrap().contains("Linli shell"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_missing_asset_is_a_404_not_the_shell() {
    let d = dist();
    let (status, _, body) = get(&d, "/linli-ffffffffffffffff.js", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!String::from_utf8(body).unwrap().contains("Linli shell"));
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_served_precompressed() {
    let d = dist();
    let (status, h, _) = get(&d, &format!("/{JS}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
    assert!(h["content-type"].to_str().unwrap().contains("javascript"));

    let (status, h, body) = get(&d, &format!("/{JS}"), Some("br, gzip")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["content-encoding"], "br");
    assert_eq!(body, b"pretend-brotli");
}

#[tokio::test]
async fn worker_and_manifest_revalidate_and_responses_are_compressed() {
    let d = dist();
    let (_, h, _) = get(&d, "/sw.js", None).await;
    assert_eq!(h["cache-control"], "no-cache");
    let (_, h, _) = get(&d, "/manifest.webmanifest", None).await;
    assert_eq!(h["cache-control"], "no-cache");
    assert_eq!(h["content-type"], "application/manifest+json");
    let (status, h, _) = get(&d, "/alerts", Some("gzip")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["content-encoding"], "gzip");
}

#[tokio::test]
async fn unknown_api_paths_answer_in_the_error_shape() {
    let d = dist();
    let (status, h, body) = get(&d, "/api/v1/nothing-here", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(h["cache-control"], "no-store");
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("/api/v1/nothing-here"));
}

#[tokio::test]
async fn healthz_is_ok() {
    let d = dist();
    let (status, h, body) = get(&d, "/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&body).unwrap()["status"],
        "ok"
    );
}

#[tokio::test]
async fn the_staff_console_is_served_at_console_with_its_own_shell_and_the_same_headers() {
    let d = dist();
    // Before the console is built: a plain 404 saying so, not the phone app.
    let (status, _, body) = get(&d, "/console/", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(String::from_utf8(body).unwrap().contains("not built"));

    let console = d.path().join("console");
    std::fs::create_dir(&console).unwrap();
    std::fs::write(
        console.join("index.html"),
        "<!doctype html><title>console</title>Console shell",
    )
    .unwrap();
    std::fs::write(console.join("linli-console-0123456789abcdef.js"), "x").unwrap();
    for path in [
        "/console/",
        "/console/requests/0190c7a8-0000-7000-8000-00000000d001",
        "/console/alerts",
    ] {
        let (status, h, body) = get(&d, path, None).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(
            String::from_utf8(body).unwrap().contains("Console shell"),
            "{path}"
        );
        assert_eq!(h["cache-control"], "no-cache", "{path}");
        assert!(h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("script-src 'self' 'wasm-unsafe-eval'"));
        assert_eq!(h["x-frame-options"], "DENY");
    }
    let (status, h, _) = get(&d, "/console/linli-console-0123456789abcdef.js", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
    let (status, h, _) = get(&d, "/console", None).await;
    assert_eq!(status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(h["location"], "/console/");
    // The phone app's routes still get the phone app.
    let (_, _, body) = get(&d, "/alerts", None).await;
    assert!(String::from_utf8(body).unwrap().contains("Linli shell"));
    // A missing console asset is a 404, never a shell.
    let (status, _, _) = get(&d, "/console/gone-0123456789abcdef.js", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
