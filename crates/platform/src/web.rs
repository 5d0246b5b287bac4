//! The HTTP application: health, the API, and the built PWA with its header rules.

use crate::config::ServeConfig;
use crate::db::Db;
use crate::error::ApiError;
use crate::ratelimit::RateLimiter;
use crate::{headers, seed};
use axum::body::Body;
use axum::extract::{OriginalUri, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub dist: PathBuf,
    /// Enrolment attempts per client IP.
    pub enroll_limit: Arc<RateLimiter>,
    /// Staff sign-in attempts per client IP.
    pub login_limit: Arc<RateLimiter>,
    /// The reverse proxy whose `X-Forwarded-For` names the client (`--trusted-proxy`); from any
    /// other peer the header is ignored.
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// How long a help request may wait before the queue marks it overdue.
    pub targets: linli_protocol::staff::ResponseTargets,
    /// Sends Web Push notifications (its VAPID public key is what phones subscribe with).
    pub push: Arc<crate::webpush::Sender>,
    /// Wakes the push worker when a publish queued notifications.
    pub push_wake: Arc<tokio::sync::Notify>,
    /// Accept plain-http push endpoints on this machine (`--push-allow-loopback`).
    pub push_allow_loopback: bool,
    /// Signs what is published; opens what phones relayed for each other.
    pub keys: Arc<crate::signing::Keys>,
}

impl AppState {
    /// State with the production rate limits: 10 enrolments and 10 sign-ins per IP per minute.
    pub fn new(db: Db, dist: PathBuf) -> AppState {
        AppState::with_limits(db, dist, 10)
    }

    pub fn with_limits(db: Db, dist: PathBuf, per_minute: u32) -> AppState {
        let limiter = || {
            Arc::new(RateLimiter::new(
                per_minute,
                std::time::Duration::from_secs(crate::ratelimit::WINDOW_S),
            ))
        };
        AppState {
            db,
            dist,
            enroll_limit: limiter(),
            login_limit: limiter(),
            trusted_proxy: None,
            targets: Default::default(),
            push: Arc::new(crate::webpush::Sender::ephemeral()),
            push_wake: Arc::new(tokio::sync::Notify::new()),
            push_allow_loopback: false,
            keys: Arc::new(crate::signing::Keys::ephemeral()),
        }
    }
}

/// The whole router: `/healthz`, `/api/…`, and the PWA (client routes fall back to index.html).
pub fn app(state: AppState) -> Router {
    let index = state.dist.join("index.html");
    let console_index = state.dist.join("console/index.html");
    let spa = tower::service_fn(move |req: Request| {
        // The staff console's routes get the console's shell, every other route the phone app's.
        let shell = if is_console(req.uri().path()) {
            console_index.clone()
        } else {
            index.clone()
        };
        async move { Ok::<_, Infallible>(spa_fallback(req.uri().path(), &shell).await) }
    });
    let static_files = ServeDir::new(&state.dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(spa);

    Router::new()
        .route("/healthz", get(healthz))
        .route(
            "/console",
            get(|| async { axum::response::Redirect::permanent("/console/") }),
        )
        .nest("/api", api_router())
        .fallback_service(static_files)
        .with_state(state)
        .layer(middleware::from_fn(apply_headers))
        // Static assets are precompressed at build time; this covers API answers and the shell.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(5)))
        .layer(TraceLayer::new_for_http())
}

fn api_router() -> Router<AppState> {
    crate::api::router()
        .0
        .layer(middleware::map_response(crate::error::in_error_shape))
        .method_not_allowed_fallback(|method: axum::http::Method, uri: OriginalUri| async move {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                format!("{method} is not allowed on {}", uri.path()),
            )
        })
        .fallback(|method: axum::http::Method, uri: OriginalUri| async move {
            ApiError::not_found(format!("no API endpoint at {method} {}", uri.path()))
        })
}

async fn healthz() -> impl IntoResponse {
    Json(serde_json::json!({"status": "ok"}))
}

/// Whether `path` is the staff console's (served from `dist/console/`).
fn is_console(path: &str) -> bool {
    path.starts_with("/console/")
}

/// A path that is not a file: a client route gets the shell; a missing asset (it has an
/// extension) is a plain 404 so a stale hashed file never masquerades as HTML.
async fn spa_fallback(path: &str, index: &std::path::Path) -> Response {
    let last = path.rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    match tokio::fs::read(index).await {
        Ok(html) => {
            let mut res = Response::new(Body::from(html));
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            res
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (
            StatusCode::NOT_FOUND,
            format!(
                "not built: {} is missing (cargo xtask build)",
                index.display()
            ),
        )
            .into_response(),
        Err(e) => ApiError::internal(format!("reading {}: {e}", index.display())).into_response(),
    }
}

async fn apply_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    let status = res.status();
    headers::apply(&path, status, res.headers_mut());
    res
}

/// Opens the database, seeds the demo if asked, listens, and serves until SIGTERM or Ctrl-C.
pub async fn serve(config: ServeConfig) -> anyhow::Result<()> {
    let db = Db::open(&config.db)?;
    let demo = if config.demo {
        {
            let logins = seed::demo(&db, config.admin_password.clone())?;
            seed::demo_content(&db, crate::auth::now_ms())?;
            Some(logins)
        }
    } else {
        None
    };
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| anyhow::anyhow!("--addr {}: cannot listen: {e}", config.addr))?;
    let local = listener.local_addr()?;
    println!("Linli platform listening on http://{local}");
    println!("  database: {}", config.db.display());
    println!("  serving:  {}", config.dist.display());
    if let Some(logins) = &demo {
        for (username, password, grid) in &logins.grid_workers {
            println!("  demo grid worker login ({grid}): {username} / {password}");
        }
        println!(
            "  demo resident join link (G1-B1): http://{local}/join?code={}",
            logins.resident_code
        );
        println!(
            "  demo volunteer join link (G1-B1): http://{local}/join?code={}",
            logins.volunteer_code
        );
        println!(
            "  demo staff login: {} / {}",
            logins.admin_username, logins.admin_password
        );
    }
    tracing::info!(%local, "listening");
    let state = AppState {
        trusted_proxy: config.trusted_proxy,
        targets: config.targets,
        push_allow_loopback: config.push_allow_loopback,
        push: Arc::new(crate::webpush::Sender::load_or_create(
            &config.vapid_key,
            config.vapid_subject.clone(),
        )?),
        keys: Arc::new(crate::signing::Keys::load_or_create(&config.signing_key)?),
        ..AppState::with_limits(db, config.dist, config.auth_attempts_per_minute)
    };
    // Notifications queued before a restart go out now.
    tokio::spawn(crate::webpush::run(
        state.db.clone(),
        state.push.clone(),
        state.push_wake.clone(),
        config.push_retry_ms,
    ));
    let app = app(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("shut down cleanly");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
