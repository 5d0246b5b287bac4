//! The endpoints the staff console needs beyond the scripts' API: a cookie session (sign-in,
//! who is signed in, sign-out, password change), a help request's page, and the rumor-tip
//! inbox. Each handler parses, calls a named database function and maps its typed error.

use crate::api::{checked, sign_in, ClientIp, Https, JsonBody};
use crate::auth::{csrf_for, hash_secret, now_ms, Staff, SESSION_COOKIE};
use crate::error::ApiError;
use crate::openapi::{op, Auth, Documented};
use crate::staff::Scope;
use crate::web::AppState;
use crate::{help, password, staff, tips};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use linli_protocol::staff::{
    AccountUpdate, Accounts, ConsoleSession, CreatedIdResponse, HelpRequestDetail, PasswordChange,
    PendingHouseholds, RumorTips, StaffAlerts, StaffRebuttals, StaffRole, TipHandled,
};
use linli_protocol::sync::{CreatedResponse, StaffLoginRequest};
use utoipa::openapi::path::HttpMethod::{Delete, Get, Post, Put};

/// The console's routes and their descriptions, merged into the API's table.
pub fn routes() -> Documented<AppState> {
    Documented::new("/api")
        .route(
            "/v1/staff/session",
            post(open).get(current).delete(close),
            [
                op(
                    Post,
                    Auth::Public,
                    "Console sign-in: sets the HttpOnly session cookie",
                )
                .body::<StaffLoginRequest>()
                .answers::<ConsoleSession>(
                    200,
                    "Signed in; the session is in the cookie, the CSRF token in the answer",
                )
                .errors(&[401, 429]),
                op(
                    Get,
                    Auth::Staff,
                    "Who is signed in, with the session's CSRF token",
                )
                .answers::<ConsoleSession>(200, "The signed-in account"),
                op(
                    Delete,
                    Auth::Staff,
                    "Console sign-out: ends the session, clears the cookie",
                )
                .answers_empty(204, "Signed out"),
            ],
        )
        .route(
            "/v1/staff/password",
            post(change_password),
            [op(
                Post,
                Auth::Staff,
                "Change your own password; every session of the account ends",
            )
            .body::<PasswordChange>()
            .answers_empty(204, "Changed; sign in again")
            .errors(&[400, 429])],
        )
        .route(
            "/v1/staff/help-requests/{id}",
            get(request_page),
            [op(
                Get,
                Auth::Staff,
                "One help request with its member and building",
            )
            .answers::<HelpRequestDetail>(200, "The request")
            .errors(&[404])],
        )
        .route(
            "/v1/staff/accounts",
            get(accounts),
            [op(Get, Auth::Staff, "Every staff account (admin only)")
                .answers::<Accounts>(200, "By username")],
        )
        .route(
            "/v1/staff/accounts/{id}",
            axum::routing::put(update_account),
            [op(
                Put,
                Auth::Staff,
                "Change an account's name, role, grids, or disable it (admin only)",
            )
            .body::<AccountUpdate>()
            .answers::<CreatedIdResponse>(200, "Updated")
            .errors(&[400, 404])],
        )
        .route(
            "/v1/staff/alerts",
            get(alerts),
            [op(
                Get,
                Auth::Staff,
                "Alerts whose area reaches your scope, newest first",
            )
            .answers::<StaffAlerts>(200, "At most 200 alerts")],
        )
        .route(
            "/v1/staff/alerts/{id}/roll-call/{building}",
            get(roll_call_pending),
            [op(
                Get,
                Auth::Staff,
                "A building's households with no reply to an alert, care needs first",
            )
            .answers::<PendingHouseholds>(200, "The door-knock list")
            .errors(&[404])],
        )
        .route(
            "/v1/staff/rebuttals",
            get(rebuttals),
            [op(
                Get,
                Auth::Staff,
                "Published rebuttals, newest first (to link tips to)",
            )
            .answers::<StaffRebuttals>(200, "At most 500")],
        )
        .route(
            "/v1/staff/rumor-tips",
            get(rumor_tips),
            [op(
                Get,
                Auth::Staff,
                "Residents' rumor tips in your scope, unhandled first",
            )
            .answers::<RumorTips>(200, "At most 500 tips")],
        )
        .route(
            "/v1/staff/rumor-tips/{id}/handled",
            post(tip_handled),
            [op(
                Post,
                Auth::Staff,
                "Mark a rumor tip handled, optionally linked to a rebuttal",
            )
            .body::<TipHandled>()
            .answers::<CreatedResponse>(200, "Marked")
            .errors(&[400, 404])],
        )
}

/// `Set-Cookie` for the session: script cannot read it, no other site can send it, it goes
/// only to the API, and it lasts as long as the session.
fn session_cookie(token: &str, https: bool, max_age_s: i64) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    let value = format!(
        "{SESSION_COOKIE}={token}; Path=/api/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}"
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn with_cookie(mut res: Response, cookie: HeaderValue) -> Response {
    res.headers_mut().append(header::SET_COOKIE, cookie);
    res
}

/// The answer describing `staff`'s session.
fn describe(staff: &Staff) -> ConsoleSession {
    let (role, grids) = match &staff.scope {
        Scope::Community => (StaffRole::Admin, Vec::new()),
        Scope::Grids(g) => (StaffRole::GridWorker, g.clone()),
    };
    ConsoleSession {
        csrf: staff.csrf.clone(),
        username: staff.username.clone(),
        display_name: staff
            .display_name
            .clone()
            .unwrap_or_else(|| staff.username.clone()),
        role,
        grids,
    }
}

async fn open(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Https(https): Https,
    headers: axum::http::HeaderMap,
    JsonBody(req): JsonBody<StaffLoginRequest>,
) -> Result<Response, ApiError> {
    // Only a script can send JSON: a form on another site (text/plain) cannot sign a staff
    // member's browser into someone else's account.
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().starts_with("application/json"));
    if !json {
        return Err(ApiError::bad_request(
            "Content-Type: application/json is required",
        ));
    }
    let (token, id) = sign_in(&st, ip, req).await?;
    let hash = hash_secret(&token);
    let account = st
        .db
        .call(move |c| staff::account(c, id))
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| ApiError::unauthorized("the account was disabled meanwhile"))?;
    let session = describe(&Staff {
        id,
        username: account.username,
        display_name: account.display_name,
        session_hash: hash,
        csrf: csrf_for(&token),
        scope: account.scope,
    });
    let cookie = session_cookie(&token, https, crate::api::STAFF_SESSION_S);
    Ok(with_cookie(Json(session).into_response(), cookie))
}

async fn current(staff: Staff) -> Json<ConsoleSession> {
    Json(describe(&staff))
}

async fn close(
    State(st): State<AppState>,
    Https(https): Https,
    staff: Staff,
) -> Result<Response, ApiError> {
    st.db
        .call(move |c| staff::close_session(c, &staff.session_hash))
        .await
        .map_err(ApiError::internal)?;
    Ok(with_cookie(
        StatusCode::NO_CONTENT.into_response(),
        session_cookie("", https, 0),
    ))
}

async fn change_password(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Https(https): Https,
    staff: Staff,
    JsonBody(req): JsonBody<PasswordChange>,
) -> Result<Response, ApiError> {
    let req = checked(req)?;
    // Checking the current password is a password guess: limited like sign-in.
    if !st.login_limit.allow(ip) {
        return Err(ApiError::too_many(
            "too many password attempts; wait a minute and try again",
        ));
    }
    let username = staff.username.clone();
    let account = st
        .db
        .call(move |c| staff::find(c, &username))
        .await
        .map_err(ApiError::internal)?;
    let (current, new) = (req.current, req.new);
    let hash = tokio::task::spawn_blocking(move || {
        let ok =
            password::verify_or_dummy(current.as_str(), account.as_ref().map(|(_, h)| h.as_str()));
        ok.then(|| password::hash(new.as_str()))
    })
    .await
    .map_err(|e| ApiError::internal(anyhow::anyhow!(e)))?;
    let Some(hash) = hash else {
        return Err(ApiError::bad_request("current: the password is wrong"));
    };
    let hash = hash.map_err(ApiError::internal)?;
    let (id, actor) = (staff.id, staff.username.clone());
    st.db
        .call(move |c| {
            let tx = c.transaction()?;
            staff::replace_password(&tx, id, &hash)?;
            crate::audit::append(&tx, now_ms(), &actor, "password_change", &actor, "")?;
            tx.commit()?;
            Ok(())
        })
        .await
        .map_err(ApiError::internal)?;
    Ok(with_cookie(
        StatusCode::NO_CONTENT.into_response(),
        session_cookie("", https, 0),
    ))
}

async fn request_page(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<HelpRequestDetail>, ApiError> {
    let targets = st.targets;
    let found = st
        .db
        .call(move |c| help::detail(c, &id, &staff.scope, &targets, now_ms()))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(found?))
}

async fn accounts(State(st): State<AppState>, staff: Staff) -> Result<Json<Accounts>, ApiError> {
    staff.require_admin()?;
    let items = st
        .db
        .call(|c| staff::accounts(c))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(Accounts { items }))
}

async fn update_account(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<AccountUpdate>,
) -> Result<Json<CreatedIdResponse>, ApiError> {
    staff.require_admin()?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found(format!("no staff account {id:?}")))?;
    let req = checked(req)?;
    let (by, actor) = (staff.id, staff.username.clone());
    let done = st
        .db
        .call(move |c| staff::update_account(c, id, (by, &actor), &req, now_ms()))
        .await
        .map_err(ApiError::internal)?;
    done?;
    Ok(Json(CreatedIdResponse { id }))
}

async fn alerts(State(st): State<AppState>, staff: Staff) -> Result<Json<StaffAlerts>, ApiError> {
    let items = st
        .db
        .call(move |c| crate::content::alerts_in_scope(c, &staff.scope, 200))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(StaffAlerts { items }))
}

async fn roll_call_pending(
    State(st): State<AppState>,
    staff: Staff,
    Path((id, building)): Path<(String, String)>,
) -> Result<Json<PendingHouseholds>, ApiError> {
    let items = st
        .db
        .call(move |c| crate::rollcall::pending(c, &id, &building, &staff.scope))
        .await
        .map_err(ApiError::internal)??;
    Ok(Json(PendingHouseholds { items }))
}

async fn rebuttals(
    State(st): State<AppState>,
    _staff: Staff,
) -> Result<Json<StaffRebuttals>, ApiError> {
    let items = st
        .db
        .call(|c| crate::content::rebuttals(c, 500))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(StaffRebuttals { items }))
}

async fn rumor_tips(State(st): State<AppState>, staff: Staff) -> Result<Json<RumorTips>, ApiError> {
    let items = st
        .db
        .call(move |c| tips::inbox(c, &staff.scope))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(RumorTips { items }))
}

async fn tip_handled(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(req): JsonBody<TipHandled>,
) -> Result<Json<CreatedResponse>, ApiError> {
    let req = checked(req)?;
    let by = staff
        .display_name
        .clone()
        .unwrap_or_else(|| staff.username.clone());
    let tip = id.clone();
    let result = st
        .db
        .call(move |c| {
            let rebuttal = req.rebuttal_id.as_ref().map(|r| r.as_str());
            let actor = (staff.username.as_str(), by.as_str());
            tips::mark_handled(c, &tip, &staff.scope, rebuttal, actor, now_ms())
        })
        .await
        .map_err(ApiError::internal)?;
    result?;
    Ok(Json(CreatedResponse { id }))
}
