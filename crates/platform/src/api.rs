//! Protocol v1 HTTP handlers. Each parses with `linli_protocol` types (validation lives there),
//! checks role and scope through the auth extractors, and answers in the error shape.

use crate::auth::{hash_secret, new_secret, now_ms, now_s, Device, Staff};
use crate::error::ApiError;
use crate::help::StaffChangeError;
use crate::openapi::{op, Auth, Documented};
use crate::web::AppState;
use crate::{content, enroll, help, password, pull, push, staff};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use linli_protocol::limits::Checked;
use linli_protocol::published::{
    AlertInput, Facility, Guide, HelpRequestState, HelpStatusChange, MsgType, Notice, Rebuttal,
};
use linli_protocol::staff::{
    AccountRequest, AuditLog, CreatedIdResponse, HelpQueue, HelpQueueQuery, RollCall,
};
use linli_protocol::sync::{
    self, CreatedResponse, EnrollRequest, EnrollResponse, InviteRequest, InviteResponse, PullQuery,
    PullResponse, PulledKind, PushRequest, PushResponse, StaffLoginRequest, TokenResponse,
};
use linli_protocol::time::Timestamp;
use rusqlite::params;
use serde::de::DeserializeOwned;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use utoipa::openapi::path::HttpMethod;
use utoipa::openapi::OpenApi;
use utoipa::ToSchema;

/// The `/api` routes (nested under `/api`) and their OpenAPI document, built from one table.
pub fn router() -> (Router<AppState>, OpenApi) {
    use HttpMethod::{Delete, Get, Post, Put};
    let (router, doc) = Documented::new("/api")
        .route(
            "/v1/enroll",
            post(enroll_device),
            [op(Post, Auth::Public, "Enrol a phone with an invite code")
                .body::<EnrollRequest>()
                .answers::<EnrollResponse>(201, "Enrolled; the token is shown once")
                .errors(&[429])],
        )
        .route(
            "/v1/sync/push",
            post(push_items),
            [op(
                Post,
                Auth::Device,
                "Push records made on the phone; one result per item, in order",
            )
            .body::<PushRequest>()
            .answers::<PushResponse>(200, "Each item accepted, duplicate or rejected")],
        )
        .route(
            "/v1/sync/pull",
            get(pull_changes),
            [
                op(Get, Auth::Device, "Changes for this phone after a cursor")
                    .query("cursor", "The next_cursor of the previous pull (default 0)")
                    .query("limit", "Page size, 1–500 (default 200)")
                    .query("log", "The log_id the cursor came from")
                    .answers::<PullResponse>(200, "A page of changes"),
            ],
        )
        .route(
            "/v1/staff/login",
            post(staff_login),
            [op(
                Post,
                Auth::Public,
                "Staff sign-in with username and password",
            )
            .body::<StaffLoginRequest>()
            .answers::<TokenResponse>(200, "Signed in; a session token for 12 hours")
            .errors(&[401, 429])],
        )
        .route(
            "/v1/staff/logout",
            post(staff_logout),
            [op(Post, Auth::Staff, "End this staff session").answers_empty(204, "Signed out")],
        )
        .route(
            "/v1/staff/devices/{id}",
            axum::routing::delete(revoke_device),
            [op(Delete, Auth::Staff, "Revoke a phone's token")
                .answers::<CreatedResponse>(200, "Revoked")
                .errors(&[404])],
        )
        .route(
            "/v1/staff/invites",
            post(create_invites),
            [op(Post, Auth::Staff, "Make invite codes for a building")
                .body::<InviteRequest>()
                .answers::<InviteResponse>(200, "The codes, shown once")],
        )
        .route(
            "/v1/staff/alerts",
            post(publish_alert),
            [op(Post, Auth::Staff, "Publish an alert to its area")
                .body::<AlertInput>()
                .answers::<CreatedResponse>(201, "Published")
                .feeds(Put, "/v1/staff/alerts/{id}")
                .feeds(Delete, "/v1/staff/alerts/{id}")
                .feeds(Post, "/v1/staff/alerts/{id}/cancel")],
        )
        .route(
            "/v1/staff/alerts/{id}",
            axum::routing::put(update_alert)
                .delete(|s, st, p| retract(s, st, p, PulledKind::Alert)),
            [
                op(
                    Put,
                    Auth::Staff,
                    "Update an alert (sent as msg_type update)",
                )
                .body::<AlertInput>()
                .answers::<CreatedResponse>(200, "Updated")
                .errors(&[404]),
                op(Delete, Auth::Staff, "Withdraw an alert from every phone")
                    .answers::<CreatedResponse>(200, "Withdrawn")
                    .errors(&[404]),
            ],
        )
        .route(
            "/v1/staff/alerts/{id}/cancel",
            post(cancel_alert),
            [op(Post, Auth::Staff, "Cancel an alert (msg_type cancel)")
                .answers::<CreatedResponse>(200, "Cancelled")
                .errors(&[404])],
        )
        .merge(published::<Rebuttal>(
            "/v1/staff/rebuttals",
            PulledKind::Rebuttal,
        ))
        .merge(published::<Notice>("/v1/staff/notices", PulledKind::Notice))
        .merge(published::<Guide>("/v1/staff/guides", PulledKind::Guide))
        .merge(published::<Facility>(
            "/v1/staff/facilities",
            PulledKind::Facility,
        ))
        .route(
            "/v1/staff/help-requests/{id}/status",
            post(change_help_status),
            [
                op(Post, Auth::Staff, "Dispatch: set a help request's status")
                    .body::<HelpStatusChange>()
                    .answers::<HelpRequestState>(200, "The request with its history")
                    .errors(&[404, 409]),
            ],
        )
        .route(
            "/v1/staff/help-requests",
            get(help_queue),
            [op(Get, Auth::Staff, "The help-request queue in the caller's scope: open first, most urgent and oldest first")
                .query("status", "received, assigned, in_progress, resolved, confirmed or cancelled")
                .query("grid", "A grid code")
                .query("building", "A building code")
                .query("urgency", "normal, urgent or life_threatening")
                .answers::<HelpQueue>(200, "At most 500 requests")],
        )
        .route(
            "/v1/staff/alerts/{id}/roll-call",
            get(roll_call),
            [op(Get, Auth::Staff, "Per building of the alert's area in scope: households, safe, need help, no reply")
                .answers::<RollCall>(200, "The roll-call")
                .errors(&[404])],
        )
        .route(
            "/v1/staff/accounts",
            post(create_account),
            [op(Post, Auth::Staff, "Create a staff account (admin only)")
                .body::<AccountRequest>()
                .answers::<CreatedIdResponse>(201, "Created")
                .errors(&[409])],
        )
        .route(
            "/v1/staff/audit",
            get(audit_log),
            [op(Get, Auth::Staff, "The audit log, newest first (admin only)")
                .query("action", "Only this action, e.g. sign_in_failed")
                .answers::<AuditLog>(200, "At most 500 entries")],
        )
        .merge(crate::console_api::routes())
        .merge(crate::structure_api::routes())
        .components({
            let mut pushed = Vec::new();
            linli_protocol::schema::pushed_components(&mut pushed);
            pushed
        })
        .split();
    let json = Json(doc.clone());
    let router = router.route(
        "/v1/openapi.json",
        get(move || std::future::ready(json.clone())),
    );
    (router, doc)
}

async fn help_queue(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<HelpQueueQuery>,
) -> Result<Json<HelpQueue>, ApiError> {
    let filter = q
        .filter()
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    if filter
        .grid
        .as_deref()
        .is_some_and(|g| !staff.scope.covers_grid(g))
    {
        return Err(out_of_scope());
    }
    let targets = st.targets;
    let items = st
        .db
        .call(move |c| {
            if let Some(b) = &filter.building {
                if !staff.scope.covers_building(c, b)? {
                    return Ok(None);
                }
            }
            Ok(Some(help::queue(
                c,
                &staff.scope,
                &filter,
                &targets,
                now_ms(),
            )?))
        })
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(out_of_scope)?;
    Ok(Json(HelpQueue { items }))
}

async fn roll_call(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<RollCall>, ApiError> {
    let result = st
        .db
        .call(move |c| crate::rollcall::for_alert(c, &id, &staff.scope))
        .await
        .map_err(ApiError::internal)?;
    match result {
        Ok(buildings) => Ok(Json(RollCall { buildings })),
        Err(e @ crate::rollcall::RollCallError::NotFound(_)) => {
            Err(ApiError::not_found(e.to_string()))
        }
        Err(crate::rollcall::RollCallError::OutOfScope) => Err(out_of_scope()),
    }
}

async fn create_account(
    State(st): State<AppState>,
    staff: Staff,
    JsonBody(req): JsonBody<AccountRequest>,
) -> Result<impl IntoResponse, ApiError> {
    staff.require_admin()?;
    let req = checked(req)?;
    let password = req.password.as_str().to_owned();
    let hash = tokio::task::spawn_blocking(move || password::hash(&password))
        .await
        .map_err(|e| ApiError::internal(anyhow::anyhow!(e)))?
        .map_err(ApiError::internal)?;
    let now = now_s();
    let username = req.username.as_str().to_owned();
    let created = st
        .db
        .call(move |c| staff::create_account(c, &req, &hash, now))
        .await
        .map_err(ApiError::internal)?;
    let id = match created {
        Ok(id) => id,
        Err(e @ staff::AccountError::UsernameTaken(_)) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                e.to_string(),
            ))
        }
        Err(e) => return Err(ApiError::bad_request(e.to_string())),
    };
    audit(&st, &staff.username, "account_create", &username).await?;
    Ok((StatusCode::CREATED, Json(CreatedIdResponse { id })))
}

/// `GET /api/v1/staff/audit` query.
#[derive(serde::Deserialize)]
struct AuditQuery {
    action: Option<String>,
}

async fn audit_log(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditLog>, ApiError> {
    staff.require_admin()?;
    let action = q.action.filter(|a| !a.is_empty());
    let items = st
        .db
        .call(move |c| Ok(crate::audit::list(c, action.as_deref(), 500)?))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(AuditLog { items }))
}

/// Create (`POST path`), replace (`PUT path/{id}`) and withdraw (`DELETE path/{id}`) for one
/// kind of community-wide published content.
fn published<T>(path: &str, kind: PulledKind) -> Documented<AppState>
where
    T: DeserializeOwned + serde::Serialize + Checked + ToSchema + Send + 'static,
{
    use HttpMethod::{Delete, Post, Put};
    let what = kind.as_str();
    let item = format!("{path}/{{id}}");
    Documented::new("/api")
        .route(
            path,
            post(move |s, st, b| create::<T>(s, st, b, kind)),
            [op(Post, Auth::Staff, format!("Publish a {what}"))
                .body::<T>()
                .answers::<CreatedResponse>(201, "Published")
                .feeds(Put, &item)
                .feeds(Delete, &item)],
        )
        .route(
            &item,
            axum::routing::put(move |s, st, p, b| replace::<T>(s, st, p, b, kind))
                .delete(move |s, st, p| retract(s, st, p, kind)),
            [
                op(Put, Auth::Staff, format!("Replace a {what}"))
                    .body::<T>()
                    .answers::<CreatedResponse>(200, "Replaced")
                    .errors(&[404]),
                op(
                    Delete,
                    Auth::Staff,
                    format!("Withdraw a {what} from every phone"),
                )
                .answers::<CreatedResponse>(200, "Withdrawn")
                .errors(&[404]),
            ],
        )
}

/// A JSON body parsed with the protocol types; errors are 400 `bad_request` naming the field.
pub struct JsonBody<T>(pub T);

/// The largest body any endpoint but push accepts.
const MAX_BODY_BYTES: usize = 256 * 1024;

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, _: &S) -> Result<JsonBody<T>, ApiError> {
        let bytes = read_limited(req.into_body(), MAX_BODY_BYTES).await?;
        sync::parse_body(&bytes)
            .map(JsonBody)
            .map_err(|e| ApiError::bad_request(e.to_string()))
    }
}

/// How much of an oversized body is read and thrown away before answering 413. Answering
/// while the client is still sending makes the connection close with a reset, and the client
/// never sees the 413 — a phone would take it for a network error and resend the same batch
/// for ever instead of splitting it.
const DRAIN_MAX_BYTES: usize = 8 * 1024 * 1024;

pub(crate) async fn read_limited(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    use http_body_util::BodyExt;
    let mut body = body;
    let mut buf = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame =
            frame.map_err(|e| ApiError::bad_request(format!("body: could not be read: {e}")))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen <= limit {
            buf.extend_from_slice(&data);
        } else if seen > DRAIN_MAX_BYTES {
            break;
        }
    }
    if seen > limit {
        return Err(ApiError::too_large(format!(
            "body: more than {limit} bytes"
        )));
    }
    Ok(Bytes::from(buf))
}

/// The client's IP address: the TCP peer, or — when the peer is the trusted reverse proxy —
/// the last address in its `X-Forwarded-For` (the one the proxy itself saw). Unspecified when
/// the server was not started with connect info, as in in-process tests.
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        st: &AppState,
    ) -> Result<ClientIp, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        if st.trusted_proxy != Some(peer) {
            return Ok(ClientIp(peer));
        }
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .last()
            .and_then(|a| a.trim().parse::<IpAddr>().ok());
        Ok(ClientIp(forwarded.unwrap_or(peer)))
    }
}

/// Whether the client reached us over HTTPS: only the trusted reverse proxy can say so (with
/// `X-Forwarded-Proto: https`); the platform itself listens on plain HTTP.
pub struct Https(pub bool);

impl FromRequestParts<AppState> for Https {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        st: &AppState,
    ) -> Result<Https, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let via_proxy = peer.is_some() && st.trusted_proxy == peer;
        let https = parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"));
        Ok(Https(via_proxy && https))
    }
}

async fn enroll_device(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(req): JsonBody<EnrollRequest>,
) -> Result<impl IntoResponse, ApiError> {
    if !st.enroll_limit.allow(ip) {
        return Err(ApiError::too_many(
            "too many enrolment attempts; wait a minute and try again",
        ));
    }
    let now = now_ms();
    let res = st
        .db
        .call(move |c| enroll::enroll(c, &req, now))
        .await
        .map_err(ApiError::internal)?;
    match res {
        Some(r) => Ok((StatusCode::CREATED, Json(r))),
        None => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_invite",
            "invite_code: unknown, already used or expired",
        )),
    }
}

async fn push_items(
    State(st): State<AppState>,
    device: Device,
    req: Request,
) -> Result<Json<PushResponse>, ApiError> {
    let bytes = read_limited(req.into_body(), sync::MAX_PUSH_BYTES).await?;
    let push: PushRequest =
        sync::parse_body(&bytes).map_err(|e| ApiError::bad_request(e.to_string()))?;
    if push.items.len() > sync::MAX_PUSH_ITEMS {
        return Err(ApiError::too_large(format!(
            "items: {} items, at most {} per push",
            push.items.len(),
            sync::MAX_PUSH_ITEMS
        )));
    }
    let results = st
        .db
        .call(move |c| push::ingest(c, &device, &push.items))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(PushResponse { results }))
}

async fn pull_changes(
    State(st): State<AppState>,
    device: Device,
    Query(q): Query<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    let p = q
        .params()
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let now = now_ms();
    let page = st
        .db
        .call(move |c| {
            pull::expire(c, now)?;
            pull::page(c, &device, p.cursor, p.log.as_deref(), p.limit)
        })
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(page))
}

/// How long a staff session lasts.
pub(crate) const STAFF_SESSION_S: i64 = 12 * 3600;

async fn staff_login(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(req): JsonBody<StaffLoginRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let (token, _) = sign_in(&st, ip, req).await?;
    Ok(Json(TokenResponse { token }))
}

/// Checks a staff sign-in (rate-limited per client address, audited either way) and opens a
/// session: its secret token and the account's id.
pub(crate) async fn sign_in(
    st: &AppState,
    ip: IpAddr,
    req: StaffLoginRequest,
) -> Result<(String, i64), ApiError> {
    if !st.login_limit.allow(ip) {
        return Err(ApiError::too_many(
            "too many sign-in attempts; wait a minute and try again",
        ));
    }
    let username = req.username.as_str().to_owned();
    let username_for_audit = username.clone();
    let account = st
        .db
        .call(move |c| staff::find(c, &username))
        .await
        .map_err(ApiError::internal)?;
    // Argon2 is slow on purpose: it runs on the blocking pool with the database free, so a burst
    // of sign-ins never stalls pushes and pulls. An unknown user is checked against a dummy hash.
    let password = req.password;
    let signed_in = tokio::task::spawn_blocking(move || {
        let ok =
            password::verify_or_dummy(password.as_str(), account.as_ref().map(|(_, h)| h.as_str()));
        account.filter(|_| ok).map(|(id, _)| id)
    })
    .await
    .map_err(|e| ApiError::internal(anyhow::anyhow!(e)))?;
    let Some(id) = signed_in else {
        audit(st, &username_for_audit, "sign_in_failed", "").await?;
        return Err(ApiError::unauthorized("username or password is wrong"));
    };
    let now = now_s();
    let token = new_secret();
    let hash = hash_secret(&token);
    st.db
        .call(move |c| staff::open_session(c, id, &hash, now, now + STAFF_SESSION_S))
        .await
        .map_err(ApiError::internal)?;
    audit(st, &username_for_audit, "sign_in", "").await?;
    Ok((token, id))
}

/// Ends the staff session the request was made with.
async fn staff_logout(State(st): State<AppState>, staff: Staff) -> Result<StatusCode, ApiError> {
    st.db
        .call(move |c| staff::close_session(c, &staff.session_hash))
        .await
        .map_err(ApiError::internal)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes a device's token (a lost phone, a household that moved): it gets 401 from then on.
async fn revoke_device(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<CreatedResponse>, ApiError> {
    let now = now_ms();
    let key = id.clone();
    let scope = staff.scope.clone();
    let revoked = st
        .db
        .call(move |c| {
            let Some(building) = staff::device_building(c, &key)? else {
                return Ok(Err(ApiError::not_found(format!(
                    "no enrolled device {key}"
                ))));
            };
            if !scope.covers_building(c, &building)? {
                return Ok(Err(out_of_scope()));
            }
            if !staff::revoke_device(c, &key, now)? {
                return Ok(Err(ApiError::not_found(format!(
                    "no enrolled device {key}"
                ))));
            }
            Ok(Ok(()))
        })
        .await
        .map_err(ApiError::internal)?;
    revoked?;
    audit(&st, &staff.username, "device_revoke", &id).await?;
    Ok(Json(CreatedResponse { id }))
}

/// 403 for a grid worker acting outside their grids.
pub(crate) fn out_of_scope() -> ApiError {
    ApiError::forbidden("outside the grids this account works in")
}

/// Appends to the audit log (its own statement, after the action it records succeeded).
pub(crate) async fn audit(
    st: &AppState,
    actor: &str,
    action: &'static str,
    target: &str,
) -> Result<(), ApiError> {
    let (actor, target) = (actor.to_owned(), target.to_owned());
    st.db
        .call(move |c| {
            Ok(crate::audit::append(
                c,
                now_ms(),
                &actor,
                action,
                &target,
                "",
            )?)
        })
        .await
        .map_err(ApiError::internal)
}

async fn create_invites(
    State(st): State<AppState>,
    staff: Staff,
    JsonBody(req): JsonBody<InviteRequest>,
) -> Result<Json<InviteResponse>, ApiError> {
    let now = now_s();
    let scope = staff.scope.clone();
    let building = req.building.clone();
    let res = st
        .db
        .call(move |c| {
            // An unknown building is the invite code's own error (400), checked below.
            let known = c
                .query_row(
                    "SELECT 1 FROM buildings WHERE code = ?1",
                    params![req.building],
                    |_| Ok(()),
                )
                .is_ok();
            if known && !scope.covers_building(c, &req.building)? {
                return Ok(None);
            }
            Ok(Some(enroll::create_invites(
                c,
                req.role,
                &req.building,
                req.count,
                now,
            )?))
        })
        .await
        .map_err(ApiError::internal)?;
    let codes = res
        .ok_or_else(out_of_scope)?
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    audit(&st, &staff.username, "invites_create", &building).await?;
    Ok(Json(InviteResponse { codes }))
}

/// Checks that an alert's area names known grids and buildings.
fn check_area(
    c: &rusqlite::Connection,
    grids: &[String],
    buildings: &[String],
) -> anyhow::Result<Result<(), String>> {
    for (i, g) in grids.iter().enumerate() {
        if c.query_row(
            "SELECT 1 FROM grids WHERE code = ?1",
            params![g],
            |_| Ok(()),
        )
        .is_err()
        {
            return Ok(Err(format!("area.grids[{i}]: unknown grid {g:?}")));
        }
    }
    for (i, b) in buildings.iter().enumerate() {
        if c.query_row(
            "SELECT 1 FROM buildings WHERE code = ?1",
            params![b],
            |_| Ok(()),
        )
        .is_err()
        {
            return Ok(Err(format!("area.buildings[{i}]: unknown building {b:?}")));
        }
    }
    Ok(Ok(()))
}

/// Whether `scope` covers an alert area: a grid worker only an area naming grids and buildings
/// all within their grids (never the whole community).
fn covers_area(
    c: &rusqlite::Connection,
    scope: &staff::Scope,
    grids: &[String],
    buildings: &[String],
) -> rusqlite::Result<bool> {
    if scope.is_community() {
        return Ok(true);
    }
    if grids.is_empty() && buildings.is_empty() {
        return Ok(false);
    }
    for b in buildings {
        if !scope.covers_building(c, b)? {
            return Ok(false);
        }
    }
    Ok(grids.iter().all(|g| scope.covers_grid(g)))
}

/// Stores an alert (new or replacing `id`) with its area as the audience.
async fn store_alert(
    st: &AppState,
    staff: &Staff,
    id: String,
    input: AlertInput,
    existing: bool,
) -> Result<String, ApiError> {
    let input = checked(input)?;
    let now = now_ms();
    let scope = staff.scope.clone();
    st.db
        .call(move |c| {
            let tx = c.transaction()?;
            let previous = content::get(&tx, PulledKind::Alert, &id)?;
            if existing && previous.is_none() {
                return Ok(Err(ApiError::not_found(format!("no alert {id}"))));
            }
            if let Some(p) = &previous {
                let (grids, buildings) = content::alert_area(p);
                if !covers_area(&tx, &scope, &grids, &buildings)? {
                    return Ok(Err(out_of_scope()));
                }
            }
            // Unknown codes are the body's error (400), whoever sends it.
            if let Err(m) = check_area(&tx, &input.area.grids, &input.area.buildings)? {
                return Ok(Err(ApiError::bad_request(m)));
            }
            if !covers_area(&tx, &scope, &input.area.grids, &input.area.buildings)? {
                return Ok(Err(out_of_scope()));
            }
            let identifier = previous
                .as_ref()
                .and_then(|p| p["identifier"].as_str().map(str::to_owned))
                .unwrap_or_else(|| format!("linli-{id}"));
            let mut input = input;
            if existing && input.msg_type == MsgType::Alert {
                input.msg_type = MsgType::Update;
            }
            let alert = match input.complete(&identifier, Timestamp::from_unix_ms(now)) {
                Ok(a) => a,
                Err(m) => return Ok(Err(ApiError::bad_request(format!("identifier: {m}")))),
            };
            if let Err(m) = check_area(&tx, &alert.area.grids, &alert.area.buildings)? {
                return Ok(Err(ApiError::bad_request(m)));
            }
            let body = serde_json::to_value(&alert)?;
            let expires = (alert.expires.as_str(), alert.expires.unix_ms());
            content::put(
                &tx,
                content::Item {
                    kind: PulledKind::Alert,
                    id: &id,
                    body: &body,
                    grids: &alert.area.grids,
                    buildings: &alert.area.buildings,
                    expires: Some(expires),
                },
                now,
            )?;
            tx.commit()?;
            Ok(Ok(id))
        })
        .await
        .map_err(ApiError::internal)?
}

async fn publish_alert(
    State(st): State<AppState>,
    staff: Staff,
    JsonBody(input): JsonBody<AlertInput>,
) -> Result<impl IntoResponse, ApiError> {
    let id = enroll::new_id(now_ms()).to_string();
    let id = store_alert(&st, &staff, id, input, false).await?;
    audit(&st, &staff.username, "alert_publish", &id).await?;
    Ok((StatusCode::CREATED, Json(CreatedResponse { id })))
}

async fn update_alert(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<AlertInput>,
) -> Result<Json<CreatedResponse>, ApiError> {
    let id = store_alert(&st, &staff, id, input, true).await?;
    audit(&st, &staff.username, "alert_update", &id).await?;
    Ok(Json(CreatedResponse { id }))
}

async fn cancel_alert(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<CreatedResponse>, ApiError> {
    let now = now_ms();
    let scope = staff.scope.clone();
    let res = st
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let Some(mut body) = content::get(&tx, PulledKind::Alert, &id)? else {
                return Ok(Err(ApiError::not_found(format!("no alert {id}"))));
            };
            let (grids, buildings) = content::alert_area(&body);
            if !covers_area(&tx, &scope, &grids, &buildings)? {
                return Ok(Err(out_of_scope()));
            }
            body["msg_type"] = serde_json::json!("cancel");
            let (grids, buildings) = content::alert_area(&body);
            let expires = body["expires"]
                .as_str()
                .and_then(|e| Timestamp::parse(e).ok());
            let exp = expires.as_ref().map(|e| (e.as_str(), e.unix_ms()));
            content::put(
                &tx,
                content::Item {
                    kind: PulledKind::Alert,
                    id: &id,
                    body: &body,
                    grids: &grids,
                    buildings: &buildings,
                    expires: exp,
                },
                now,
            )?;
            tx.commit()?;
            Ok(Ok(Json(CreatedResponse { id })))
        })
        .await
        .map_err(ApiError::internal)??;
    audit(&st, &staff.username, "alert_cancel", &res.0.id).await?;
    Ok(res)
}

/// Stores non-alert published content for the whole community.
async fn store<T: serde::Serialize + Send + 'static>(
    st: &AppState,
    kind: PulledKind,
    id: String,
    value: T,
    must_exist: bool,
) -> Result<String, ApiError> {
    let now = now_ms();
    st.db
        .call(move |c| {
            let tx = c.transaction()?;
            if must_exist && content::get(&tx, kind, &id)?.is_none() {
                return Ok(Err(ApiError::not_found(format!(
                    "no {} {id}",
                    kind.as_str()
                ))));
            }
            let body = serde_json::to_value(&value)?;
            let expires = body
                .get("expires")
                .and_then(|e| e.as_str())
                .and_then(|e| Timestamp::parse(e).ok());
            let exp = expires.as_ref().map(|e| (e.as_str(), e.unix_ms()));
            content::put(
                &tx,
                content::Item {
                    kind,
                    id: &id,
                    body: &body,
                    grids: &[],
                    buildings: &[],
                    expires: exp,
                },
                now,
            )?;
            tx.commit()?;
            Ok(Ok(id))
        })
        .await
        .map_err(ApiError::internal)?
}

/// Runs the protocol's cross-field checks on a staff body (400 naming the field).
pub(crate) fn checked<T: Checked>(value: T) -> Result<T, ApiError> {
    value
        .check(now_ms())
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    Ok(value)
}

async fn create<T: DeserializeOwned + serde::Serialize + Checked + Send + 'static>(
    State(st): State<AppState>,
    staff: Staff,
    JsonBody(value): JsonBody<T>,
    kind: PulledKind,
) -> Result<impl IntoResponse, ApiError> {
    staff.require_admin()?;
    let value = checked(value)?;
    let id = enroll::new_id(now_ms()).to_string();
    let id = store(&st, kind, id, value, false).await?;
    audit(
        &st,
        &staff.username,
        "content_publish",
        &format!("{}:{id}", kind.as_str()),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(CreatedResponse { id })))
}

async fn replace<T: DeserializeOwned + serde::Serialize + Checked + Send + 'static>(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(value): JsonBody<T>,
    kind: PulledKind,
) -> Result<Json<CreatedResponse>, ApiError> {
    staff.require_admin()?;
    let value = checked(value)?;
    let id = store(&st, kind, id, value, true).await?;
    audit(
        &st,
        &staff.username,
        "content_replace",
        &format!("{}:{id}", kind.as_str()),
    )
    .await?;
    Ok(Json(CreatedResponse { id }))
}

/// Withdraws published content: phones that saw it get a tombstone and drop it.
async fn retract(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    kind: PulledKind,
) -> Result<Json<CreatedResponse>, ApiError> {
    if kind != PulledKind::Alert {
        staff.require_admin()?;
    }
    let now = now_ms();
    let scope = staff.scope.clone();
    let res = st
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let Some(body) = content::get(&tx, kind, &id)? else {
                return Ok(Err(ApiError::not_found(format!(
                    "no {} {id}",
                    kind.as_str()
                ))));
            };
            let (grids, buildings) = content::alert_area(&body);
            if kind == PulledKind::Alert && !covers_area(&tx, &scope, &grids, &buildings)? {
                return Ok(Err(out_of_scope()));
            }
            content::tombstone(&tx, kind.as_str(), &id, 1, now)?;
            tx.commit()?;
            Ok(Ok(Json(CreatedResponse { id })))
        })
        .await
        .map_err(ApiError::internal)??;
    let target = format!("{}:{}", kind.as_str(), res.0.id);
    audit(&st, &staff.username, "content_withdraw", &target).await?;
    Ok(res)
}

async fn change_help_status(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(change): JsonBody<HelpStatusChange>,
) -> Result<impl IntoResponse, ApiError> {
    let now = now_ms();
    let by = staff.display_name.clone();
    let scope = staff.scope.clone();
    let (actor, target) = (staff.username.clone(), id.clone());
    let result = st
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            let status = help::status_str(change.status);
            let r = help::staff_change(&tx, &id, &change, by.as_deref(), &scope, now)?;
            if r.is_ok() {
                crate::audit::append(&tx, now, &actor, "help_status", &target, &status)?;
                tx.commit()?;
            }
            Ok(r)
        })
        .await
        .map_err(ApiError::internal)?;
    match result {
        Ok(state) => Ok(Json(state)),
        Err(StaffChangeError::OutOfScope) => Err(out_of_scope()),
        Err(StaffChangeError::NotFound) => Err(ApiError::not_found("no help request with this id")),
        Err(StaffChangeError::NotSettable) => Err(ApiError::bad_request(
            "status: staff may set assigned, in_progress or resolved",
        )),
        Err(StaffChangeError::Closed) => Err(ApiError::new(
            StatusCode::CONFLICT,
            "conflict",
            "status: the request is already confirmed or cancelled",
        )),
    }
}
