//! Protocol v1 HTTP handlers. Each parses with `linli_protocol` types (validation lives there),
//! checks role and scope through the auth extractors, and answers in the error shape.

use crate::auth::{hash_secret, new_secret, now_ms, now_s, Device, Staff};
use crate::error::ApiError;
use crate::openapi::{op, Auth, Documented};
use crate::web::AppState;
use crate::{enroll, help, password, publishing, pull, push, staff};
use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use linli_protocol::limits::Checked;
use linli_protocol::published::{
    AlertInput, Facility, Guide, HelpRequestState, HelpStatusChange, Notice, Rebuttal,
};
use linli_protocol::staff::{
    AccountRequest, AuditLog, CreatedIdResponse, HelpQueue, HelpQueueQuery, RollCall,
};
use linli_protocol::sync::{
    self, CreatedResponse, EnrollRequest, EnrollResponse, InviteRequest, InviteResponse,
    KeysResponse, PublicBuildings, PullQuery, PullResponse, PulledKind, PushRequest, PushResponse,
    StaffLoginRequest, TokenResponse,
};
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
            "/v1/public/pull",
            get(public_pull),
            [op(
                Get,
                Auth::Public,
                "Public content for a phone that has not enrolled: alerts, rebuttals, notices, guides, facilities — never a household's records",
            )
            .query("cursor", "The next_cursor of the previous pull (default 0)")
            .query("limit", "Page size, 1–500 (default 200)")
            .query("log", "The log_id the cursor came from")
            .query("building", "A building code the reader picked: its building's and grid's alerts too")
            .answers::<PullResponse>(200, "A page of public changes")
            .errors(&[404])],
        )
        .route(
            "/v1/public/keys",
            get(public_keys),
            [op(
                Get,
                Auth::Public,
                "The community's signing-key history: key sets, each signed by the key before (the first self-signed), with the key relayed records are sealed to",
            )
            .answers::<KeysResponse>(200, "The key sets, oldest first")],
        )
        .route(
            "/v1/public/buildings",
            get(public_buildings),
            [op(Get, Auth::Public, "The buildings a reader may pick (code, grid, name)")
                .answers::<PublicBuildings>(200, "Every building")],
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
                .query(
                    "category",
                    "medicine, food_water, medical_care, elderly_care, utilities or other",
                )
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
        .merge(crate::household_api::routes())
        .merge(crate::push_api::routes())
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
    let id = created?;
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
    let keys = st.keys.clone();
    let results = st
        .db
        .call(move |c| push::ingest(c, &device, &push.items, &keys))
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
    let keys = st.keys.clone();
    let page = st
        .db
        .call(move |c| {
            pull::expire(c, now)?;
            let reader = pull::Reader::device(c, &device)?;
            let mut page = pull::page(c, &reader, p.cursor, p.log.as_deref(), p.limit)?;
            keys.sign_page(&mut page);
            Ok(page)
        })
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(page))
}

async fn public_pull(
    State(st): State<AppState>,
    Query(q): Query<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    let p = q
        .params()
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    let now = now_ms();
    let keys = st.keys.clone();
    let page = st
        .db
        .call(move |c| {
            let place = match &p.building {
                None => Some(None),
                Some(b) => crate::structure::grid_of(c, b)?.map(|g| Some((g, b.clone()))),
            };
            let Some(place) = place else { return Ok(None) };
            pull::expire(c, now)?;
            pull::page(
                c,
                &pull::Reader::public(place),
                p.cursor,
                p.log.as_deref(),
                p.limit,
            )
            .map(|mut page| {
                keys.sign_page(&mut page);
                Some(page)
            })
        })
        .await
        .map_err(ApiError::internal)?;
    page.map(Json)
        .ok_or_else(|| ApiError::not_found("building: no such building"))
}

async fn public_keys(State(st): State<AppState>) -> Json<KeysResponse> {
    Json(KeysResponse {
        keys: st.keys.chain().to_vec(),
    })
}

async fn public_buildings(State(st): State<AppState>) -> Result<Json<PublicBuildings>, ApiError> {
    let buildings = st
        .db
        .call(|c| crate::structure::public_buildings(c))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(PublicBuildings { buildings }))
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
            let known = crate::structure::building_exists(c, &req.building)?;
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

/// Runs a publishing operation as `staff`, mapping its refusal.
async fn publish_as<T: Send + 'static>(
    st: &AppState,
    staff: &Staff,
    f: impl FnOnce(
            &mut rusqlite::Connection,
            &publishing::Actor<'_>,
            i64,
        ) -> anyhow::Result<Result<T, publishing::PublishError>>
        + Send
        + 'static,
) -> Result<T, ApiError> {
    let (username, scope) = (staff.username.clone(), staff.scope.clone());
    let done = st
        .db
        .call(move |c| {
            let actor = publishing::Actor {
                username: &username,
                scope: &scope,
            };
            f(c, &actor, now_ms())
        })
        .await
        .map_err(ApiError::internal)?;
    // An alert published, updated or cancelled may have queued push notifications.
    st.push_wake.notify_one();
    Ok(done?)
}

async fn publish_alert(
    State(st): State<AppState>,
    staff: Staff,
    JsonBody(input): JsonBody<AlertInput>,
) -> Result<impl IntoResponse, ApiError> {
    let input = checked(input)?;
    let id = enroll::new_id(now_ms()).to_string();
    let id = publish_as(&st, &staff, move |c, actor, now| {
        publishing::store_alert(c, &id, input, false, actor, now)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(CreatedResponse { id })))
}

async fn update_alert(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<AlertInput>,
) -> Result<Json<CreatedResponse>, ApiError> {
    let input = checked(input)?;
    let id = publish_as(&st, &staff, move |c, actor, now| {
        publishing::store_alert(c, &id, input, true, actor, now)
    })
    .await?;
    Ok(Json(CreatedResponse { id }))
}

async fn cancel_alert(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<CreatedResponse>, ApiError> {
    let target = id.clone();
    publish_as(&st, &staff, move |c, actor, now| {
        publishing::cancel_alert(c, &target, actor, now)
    })
    .await?;
    Ok(Json(CreatedResponse { id }))
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
    let body = serde_json::to_value(checked(value)?).map_err(ApiError::internal)?;
    let id = enroll::new_id(now_ms()).to_string();
    let stored = id.clone();
    publish_as(&st, &staff, move |c, actor, now| {
        publishing::store_content(c, kind, &stored, &body, false, actor, now)
    })
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
    let body = serde_json::to_value(checked(value)?).map_err(ApiError::internal)?;
    let stored = id.clone();
    publish_as(&st, &staff, move |c, actor, now| {
        publishing::store_content(c, kind, &stored, &body, true, actor, now)
    })
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
    let target = id.clone();
    publish_as(&st, &staff, move |c, actor, now| {
        publishing::withdraw(c, kind, &target, actor, now)
    })
    .await?;
    Ok(Json(CreatedResponse { id }))
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
    Ok(Json(result?))
}
