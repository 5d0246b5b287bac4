//! The Web Push endpoints: the VAPID public key; a phone's subscription (stored, replaced,
//! removed); and, for staff, an alert's delivery counts and a resend. Each handler checks the
//! caller, calls a named database function ([`crate::notify`]) and maps its answer.

use crate::api::{out_of_scope, JsonBody};
use crate::auth::{now_ms, Device, Staff};
use crate::error::ApiError;
use crate::openapi::{op, Auth, Documented};
use crate::web::AppState;
use crate::{audit, content, notify, publishing};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::Json;
use linli_protocol::notify::{PushStats, PushSubscriptionInput, VapidKey};
use linli_protocol::published::Alert;
use linli_protocol::sync::PulledKind;
use utoipa::openapi::path::HttpMethod::{Delete, Get, Post, Put};

pub fn routes() -> Documented<AppState> {
    Documented::new("/api")
        .route(
            "/v1/public/push-key",
            get(vapid_key),
            [op(Get, Auth::Public, "The platform's VAPID public key, for subscribing to push notifications")
                .answers::<VapidKey>(200, "The key (uncompressed P-256 point, base64url)")],
        )
        .route(
            "/v1/public/alerts/{id}",
            get(public_alert),
            [op(Get, Auth::Public, "One published alert (alerts are public content), as the phone stores it: what the service worker fetches when a push arrives")
                .answers::<Alert>(200, "The alert")
                .errors(&[404])],
        )
        .route(
            "/v1/push/subscription",
            put(subscribe).delete(unsubscribe),
            [
                op(Put, Auth::Device, "Store (or replace) this phone's push subscription and the language of its notifications")
                    .body::<PushSubscriptionInput>()
                    .answers_empty(204, "Stored"),
                op(Delete, Auth::Device, "Remove this phone's push subscription (sign-out, notifications turned off)")
                    .answers_empty(204, "Removed (or there was none)"),
            ],
        )
        .route(
            "/v1/staff/alerts/{id}/push",
            get(stats),
            [op(Get, Auth::Staff, "How the alert's push notifications went: notified, pending, failed, devices without a subscription")
                .answers::<PushStats>(200, "The counts")
                .errors(&[404])],
        )
        .route(
            "/v1/staff/alerts/{id}/push/resend",
            post(resend),
            [op(Post, Auth::Staff, "Send the alert's push notification again to every subscribed device in its area")
                .answers::<PushStats>(200, "The counts after queueing")
                .errors(&[404])],
        )
}

async fn vapid_key(State(st): State<AppState>) -> Json<VapidKey> {
    Json(VapidKey {
        public_key: st.push.public_key().to_owned(),
    })
}

async fn public_alert(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let body = st
        .db
        .call(move |c| Ok(content::get(c, PulledKind::Alert, &id)?))
        .await
        .map_err(ApiError::internal)?;
    body.map(Json)
        .ok_or_else(|| ApiError::not_found("no such alert"))
}

async fn subscribe(
    State(st): State<AppState>,
    device: Device,
    JsonBody(sub): JsonBody<PushSubscriptionInput>,
) -> Result<StatusCode, ApiError> {
    if sub.endpoint.is_loopback() && !st.push_allow_loopback {
        return Err(ApiError::bad_request("endpoint: must be an https:// URL"));
    }
    let now = now_ms();
    st.db
        .call(move |c| Ok(notify::subscribe(c, &device.id, &sub, now)?))
        .await
        .map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

async fn unsubscribe(State(st): State<AppState>, device: Device) -> Result<StatusCode, ApiError> {
    st.db
        .call(move |c| Ok(notify::unsubscribe(c, &device.id)?))
        .await
        .map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Why staff cannot see or resend an alert's notifications.
enum Refusal {
    NotFound,
    OutOfScope,
}

/// Runs `f` on alert `id` if it exists and `staff`'s scope covers its area.
async fn in_scope<T: Send + 'static>(
    st: &AppState,
    staff: Staff,
    id: String,
    f: impl FnOnce(&mut rusqlite::Connection, &str, &Staff) -> anyhow::Result<T> + Send + 'static,
) -> Result<T, ApiError> {
    let done = st
        .db
        .call(move |c| {
            let Some(body) = content::get(c, PulledKind::Alert, &id)? else {
                return Ok(Err(Refusal::NotFound));
            };
            let (grids, buildings) = content::alert_area(&body);
            if !publishing::covers_area(c, &staff.scope, &grids, &buildings)? {
                return Ok(Err(Refusal::OutOfScope));
            }
            Ok(Ok(f(c, &id, &staff)?))
        })
        .await
        .map_err(ApiError::internal)?;
    done.map_err(|r| match r {
        Refusal::NotFound => ApiError::not_found("no such alert"),
        Refusal::OutOfScope => out_of_scope(),
    })
}

fn counts(c: &rusqlite::Connection, id: &str) -> anyhow::Result<PushStats> {
    Ok(notify::stats(c, id)?.unwrap_or_default())
}

async fn stats(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<PushStats>, ApiError> {
    Ok(Json(
        in_scope(&st, staff, id, |c, id, _| counts(c, id)).await?,
    ))
}

async fn resend(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<PushStats>, ApiError> {
    let now = now_ms();
    let stats = in_scope(&st, staff, id, move |c, id, staff| {
        let tx = c.transaction()?;
        if let Some(body) = content::get(&tx, PulledKind::Alert, id)? {
            notify::enqueue_alert(&tx, id, &body, true, now)?;
        }
        audit::append(&tx, now, &staff.username, "alert_push_resend", id, "")?;
        tx.commit()?;
        counts(c, id)
    })
    .await?;
    st.push_wake.notify_one();
    Ok(Json(stats))
}
