//! Grids, buildings and teams under `/api/v1/staff/…`: lists in the caller's scope, create and
//! update (grids and buildings by admins; a grid's teams also by its grid workers), and the
//! CSV import. Every write is audited in its own transaction.

use crate::api::{checked, read_limited, JsonBody};
use crate::auth::{now_ms, Staff};
use crate::error::ApiError;
use crate::openapi::{op, Auth, Documented};
use crate::structure::{self, StructureError};
use crate::web::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::Json;
use linli_protocol::staff::CreatedIdResponse;
use linli_protocol::structure::{
    parse_csv, Building, Buildings, Grid, Grids, ImportSummary, Team, Teams,
};
use linli_protocol::sync::CreatedResponse;
use utoipa::openapi::path::HttpMethod::{Get, Post, Put};

/// The largest structure CSV accepted.
const MAX_CSV_BYTES: usize = 4 * 1024 * 1024;

pub fn routes() -> Documented<AppState> {
    Documented::new("/api")
        .route(
            "/v1/staff/grids",
            get(list_grids).post(create_grid),
            [
                op(Get, Auth::Staff, "The grids in your scope").answers::<Grids>(200, "By code"),
                op(Post, Auth::Staff, "Create a grid (admin only)")
                    .body::<Grid>()
                    .answers::<CreatedResponse>(201, "Created; the id is its code")
                    .errors(&[400, 409]),
            ],
        )
        .route(
            "/v1/staff/grids/{code}",
            put(update_grid),
            [op(Put, Auth::Staff, "Rename a grid (admin only)")
                .body::<Grid>()
                .answers::<CreatedResponse>(200, "Updated")
                .errors(&[400, 404])],
        )
        .route(
            "/v1/staff/buildings",
            get(list_buildings).post(create_building),
            [
                op(Get, Auth::Staff, "The buildings of the grids in your scope")
                    .answers::<Buildings>(200, "By code"),
                op(Post, Auth::Staff, "Create a building (admin only)")
                    .body::<Building>()
                    .answers::<CreatedResponse>(201, "Created; the id is its code")
                    .errors(&[400, 409]),
            ],
        )
        .route(
            "/v1/staff/buildings/{code}",
            put(update_building),
            [op(Put, Auth::Staff, "Update a building (admin only)")
                .body::<Building>()
                .answers::<CreatedResponse>(200, "Updated")
                .errors(&[400, 404])],
        )
        .route(
            "/v1/staff/teams",
            get(list_teams).post(create_team),
            [
                op(
                    Get,
                    Auth::Staff,
                    "The party branches and partner teams of your grids",
                )
                .answers::<Teams>(200, "By grid, kind and name"),
                op(Post, Auth::Staff, "Add a team to a grid in your scope")
                    .body::<Team>()
                    .answers::<CreatedIdResponse>(201, "Created")
                    .errors(&[400, 409]),
            ],
        )
        .route(
            "/v1/staff/teams/{id}",
            put(update_team),
            [
                op(Put, Auth::Staff, "Update a team of a grid in your scope")
                    .body::<Team>()
                    .answers::<CreatedIdResponse>(200, "Updated")
                    .errors(&[400, 404, 409]),
            ],
        )
        .route(
            "/v1/staff/structure/import",
            post(import_csv),
            [op(
                Post,
                Auth::Staff,
                "Import grids, buildings and teams from CSV, all or nothing (admin only)",
            )
            .answers::<ImportSummary>(200, "Imported")
            .errors(&[400, 413])],
        )
}

/// Runs one structure write and its audit entry in one transaction.
async fn write<T: Send + 'static>(
    st: &AppState,
    staff: &Staff,
    action: &'static str,
    target: String,
    f: impl FnOnce(&rusqlite::Connection) -> anyhow::Result<Result<T, StructureError>> + Send + 'static,
) -> Result<T, ApiError> {
    let actor = staff.username.clone();
    st.db
        .call(move |c| {
            let tx = c.transaction()?;
            let done = f(&tx)?;
            if done.is_ok() {
                crate::audit::append(&tx, now_ms(), &actor, action, &target, "")?;
                tx.commit()?;
            }
            Ok(done)
        })
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::from)
}

fn same_code(path: &str, body: &str) -> Result<(), ApiError> {
    if path == body {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "code: {body:?} does not match the path's {path:?}"
        )))
    }
}

async fn list_grids(State(st): State<AppState>, staff: Staff) -> Result<Json<Grids>, ApiError> {
    let items = st
        .db
        .call(move |c| structure::grids(c, &staff.scope))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(Grids { items }))
}

async fn create_grid(
    State(st): State<AppState>,
    staff: Staff,
    JsonBody(g): JsonBody<Grid>,
) -> Result<impl IntoResponse, ApiError> {
    staff.require_admin()?;
    let g = checked(g)?;
    let id = g.code.clone();
    write(&st, &staff, "grid_create", id.clone(), move |c| {
        structure::put_grid(c, &g, false)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(CreatedResponse { id })))
}

async fn update_grid(
    State(st): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    JsonBody(g): JsonBody<Grid>,
) -> Result<Json<CreatedResponse>, ApiError> {
    staff.require_admin()?;
    let g = checked(g)?;
    same_code(&code, &g.code)?;
    write(&st, &staff, "grid_update", code.clone(), move |c| {
        structure::put_grid(c, &g, true)
    })
    .await?;
    Ok(Json(CreatedResponse { id: code }))
}

async fn list_buildings(
    State(st): State<AppState>,
    staff: Staff,
) -> Result<Json<Buildings>, ApiError> {
    let items = st
        .db
        .call(move |c| structure::buildings(c, &staff.scope))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(Buildings { items }))
}

async fn create_building(
    State(st): State<AppState>,
    staff: Staff,
    JsonBody(b): JsonBody<Building>,
) -> Result<impl IntoResponse, ApiError> {
    staff.require_admin()?;
    let b = checked(b)?;
    let id = b.code.clone();
    write(&st, &staff, "building_create", id.clone(), move |c| {
        structure::put_building(c, &b, false)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(CreatedResponse { id })))
}

async fn update_building(
    State(st): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    JsonBody(b): JsonBody<Building>,
) -> Result<Json<CreatedResponse>, ApiError> {
    staff.require_admin()?;
    let b = checked(b)?;
    same_code(&code, &b.code)?;
    write(&st, &staff, "building_update", code.clone(), move |c| {
        structure::put_building(c, &b, true)
    })
    .await?;
    Ok(Json(CreatedResponse { id: code }))
}

async fn list_teams(State(st): State<AppState>, staff: Staff) -> Result<Json<Teams>, ApiError> {
    let items = st
        .db
        .call(move |c| structure::teams(c, &staff.scope))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(Teams { items }))
}

async fn create_team(
    State(st): State<AppState>,
    staff: Staff,
    JsonBody(t): JsonBody<Team>,
) -> Result<impl IntoResponse, ApiError> {
    let t = checked(t)?;
    let scope = staff.scope.clone();
    let target = format!("{}:{}", t.grid, t.name.as_str());
    let id = write(&st, &staff, "team_create", target, move |c| {
        structure::put_team(c, None, &t, &scope)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(CreatedIdResponse { id })))
}

async fn update_team(
    State(st): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    JsonBody(t): JsonBody<Team>,
) -> Result<Json<CreatedIdResponse>, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found(format!("no team {id:?}")))?;
    let t = checked(t)?;
    let scope = staff.scope.clone();
    let id = write(&st, &staff, "team_update", id.to_string(), move |c| {
        structure::put_team(c, Some(id), &t, &scope)
    })
    .await?;
    Ok(Json(CreatedIdResponse { id }))
}

async fn import_csv(
    State(st): State<AppState>,
    staff: Staff,
    body: Body,
) -> Result<Json<ImportSummary>, ApiError> {
    staff.require_admin()?;
    let bytes = read_limited(body, MAX_CSV_BYTES).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::bad_request("body: the CSV must be UTF-8 text"))?;
    let rows = parse_csv(text).map_err(|e| ApiError::bad_request(e.to_string()))?;
    let actor = staff.username.clone();
    let summary = st
        .db
        .call(move |c| structure::import(c, &rows, &actor, now_ms()))
        .await
        .map_err(ApiError::internal)??;
    Ok(Json(summary))
}
