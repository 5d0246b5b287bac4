//! The endpoints of households with several phones and of building volunteers: a household's
//! phones invite, list and remove each other and set their unit; a phone already enrolled
//! claims a volunteer code; staff read a building's volunteers and door-knocks, and give and
//! take the volunteer scope. Each handler
//! checks the caller, calls a named database function and maps its answer.

use crate::api::{out_of_scope, JsonBody};
use crate::auth::{now_ms, Device, Staff};
use crate::error::ApiError;
use crate::openapi::{op, Auth, Documented};
use crate::volunteer::Removal;
use crate::web::AppState;
use crate::{household, volunteer};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::Json;
use linli_protocol::staff::{BuildingResidents, BuildingVolunteers, DoorKnockLog, DoorKnocksQuery};
use linli_protocol::volunteer::{
    HouseholdInfo, HouseholdInvite, UnitChange, VolunteerClaim, VolunteerScope,
};
use utoipa::openapi::path::HttpMethod::{Delete, Get, Post, Put};

pub fn routes() -> Documented<AppState> {
    Documented::new("/api")
        .route(
            "/v1/household/invites",
            post(make_invite),
            [op(Post, Auth::Device, "A code (valid 24 h, single use) that enrols another phone into this household")
                .answers::<HouseholdInvite>(201, "The code, shown once")],
        )
        .route(
            "/v1/household",
            get(show),
            [op(Get, Auth::Device, "This household's unit and phones")
                .answers::<HouseholdInfo>(200, "The household")],
        )
        .route(
            "/v1/household/unit",
            put(change_unit),
            [op(Put, Auth::Device, "Set this household's unit (flat)")
                .body::<UnitChange>()
                .answers::<HouseholdInfo>(200, "The household")],
        )
        .route(
            "/v1/household/devices/{id}",
            delete(remove),
            [op(Delete, Auth::Device, "Remove a phone of this household (its token is revoked)")
                .answers_empty(204, "Removed")
                .errors(&[404])],
        )
        .route(
            "/v1/volunteer/claim",
            post(claim),
            [op(Post, Auth::Device, "Use a volunteer code on this enrolled phone: adds the building to its person's volunteer scope")
                .body::<VolunteerClaim>()
                .answers::<VolunteerScope>(200, "The buildings this person now volunteers for")],
        )
        .route(
            "/v1/staff/buildings/{id}/volunteers",
            get(building_volunteers),
            [op(Get, Auth::Staff, "A building's volunteers, to assign requests to")
                .answers::<BuildingVolunteers>(200, "The volunteers")
                .errors(&[404])],
        )
        .route(
            "/v1/staff/buildings/{id}/residents",
            get(building_residents),
            [op(Get, Auth::Staff, "A building's people with a phone of their own, who could volunteer for it")
                .answers::<BuildingResidents>(200, "By unit, then name")
                .errors(&[404])],
        )
        .route(
            "/v1/staff/buildings/{id}/volunteers/{member_id}",
            put(add_volunteer).delete(remove_volunteer),
            [
                op(Put, Auth::Staff, "Give a person the volunteer scope over this building (their phone shows its Building tab)")
                    .answers::<BuildingVolunteers>(200, "The building's volunteers")
                    .errors(&[404]),
                op(Delete, Auth::Staff, "Take this building from a person's volunteer scope (their phones delete its roster)")
                    .answers::<BuildingVolunteers>(200, "The building's volunteers")
                    .errors(&[404, 409]),
            ],
        )
        .route(
            "/v1/staff/door-knocks",
            get(door_knocks),
            [op(Get, Auth::Staff, "Door-knock visits in a building, newest first")
                .query("building", "A building code (required)")
                .answers::<DoorKnockLog>(200, "At most 500 visits")
                .errors(&[404])],
        )
}

async fn make_invite(
    State(st): State<AppState>,
    device: Device,
) -> Result<(StatusCode, Json<HouseholdInvite>), ApiError> {
    let now = now_ms() / 1000;
    let invite = st
        .db
        .call(move |c| household::invite(c, &device, now))
        .await
        .map_err(ApiError::internal)?;
    Ok((StatusCode::CREATED, Json(invite)))
}

async fn show(State(st): State<AppState>, device: Device) -> Result<Json<HouseholdInfo>, ApiError> {
    let info = st
        .db
        .call(move |c| household::info(c, &device))
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(info))
}

async fn change_unit(
    State(st): State<AppState>,
    device: Device,
    JsonBody(change): JsonBody<UnitChange>,
) -> Result<Json<HouseholdInfo>, ApiError> {
    let now = now_ms();
    let info = st
        .db
        .call(move |c| {
            household::set_unit(c, &device, &change.unit, now)?;
            household::info(c, &device)
        })
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(info))
}

async fn remove(
    State(st): State<AppState>,
    device: Device,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let now = now_ms();
    let removed = st
        .db
        .call(move |c| household::remove_device(c, &device, &id, now))
        .await
        .map_err(ApiError::internal)?;
    if removed {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(
            "no phone of this household with this id",
        ))
    }
}

async fn claim(
    State(st): State<AppState>,
    device: Device,
    JsonBody(req): JsonBody<VolunteerClaim>,
) -> Result<Json<VolunteerScope>, ApiError> {
    let now = now_ms();
    let found = st
        .db
        .call(move |c| household::claim_volunteer(c, &device, req.invite_code.as_str(), now))
        .await
        .map_err(ApiError::internal)?;
    match found {
        Some(buildings) => Ok(Json(VolunteerScope { buildings })),
        None => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_invite",
            "invite_code: not a volunteer code, or already used or expired",
        )),
    }
}

async fn building_volunteers(
    State(st): State<AppState>,
    staff: Staff,
    Path(building): Path<String>,
) -> Result<Json<BuildingVolunteers>, ApiError> {
    in_building(&st, &staff, building, |c, b| {
        Ok(Ok(volunteer::listed(c, b)?))
    })
    .await
}

async fn building_residents(
    State(st): State<AppState>,
    staff: Staff,
    Path(building): Path<String>,
) -> Result<Json<BuildingResidents>, ApiError> {
    in_building(&st, &staff, building, |c, b| {
        Ok(Ok(volunteer::residents(c, b)?))
    })
    .await
}

async fn add_volunteer(
    State(st): State<AppState>,
    staff: Staff,
    Path((building, member)): Path<(String, String)>,
) -> Result<Json<BuildingVolunteers>, ApiError> {
    let (scope, actor, now) = (staff.scope.clone(), staff.username.clone(), now_ms());
    in_building(&st, &staff, building, move |c, b| {
        // Only a person with a phone, living within the caller's scope.
        let home = volunteer::home_building(c, &member)?;
        match home {
            Some(home) if scope.covers_building(c, &home)? => {}
            _ => {
                return Ok(Err(ApiError::not_found(
                    "member_id: no person with a phone in your scope",
                )))
            }
        }
        volunteer::grant(c, &member, b, now)?;
        crate::audit::append(
            c,
            now,
            &actor,
            "volunteer_grant",
            &format!("{member}@{b}"),
            "",
        )?;
        Ok(Ok(volunteer::listed(c, b)?))
    })
    .await
}

async fn remove_volunteer(
    State(st): State<AppState>,
    staff: Staff,
    Path((building, member)): Path<(String, String)>,
) -> Result<Json<BuildingVolunteers>, ApiError> {
    let (actor, now) = (staff.username.clone(), now_ms());
    in_building(&st, &staff, building, move |c, b| {
        match volunteer::revoke(c, &member, b, now)? {
            Removal::Removed => {}
            Removal::NotAVolunteer => {
                return Ok(Err(ApiError::not_found(
                    "member_id: not a volunteer of this building",
                )))
            }
            Removal::OpenRequests(n) => {
                return Ok(Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "open_requests",
                    format!("member_id: still working on {n} request(s) in this building; assign them to someone else first"),
                )))
            }
        }
        crate::audit::append(c, now, &actor, "volunteer_revoke", &format!("{member}@{b}"), "")?;
        Ok(Ok(volunteer::listed(c, b)?))
    })
    .await
}

async fn door_knocks(
    State(st): State<AppState>,
    staff: Staff,
    Query(q): Query<DoorKnocksQuery>,
) -> Result<Json<DoorKnockLog>, ApiError> {
    let building = q.building.unwrap_or_default();
    linli_protocol::structure::check_code("building", &building)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    in_building(&st, &staff, building, |c, b| {
        Ok(Ok(volunteer::knocks(c, b)?))
    })
    .await
}

/// A staff action on one building, in one transaction: 404 for no such building, 403 outside
/// the caller's scope, else `act`'s answer (committed only when it is `Ok`).
async fn in_building<T, F>(
    st: &AppState,
    staff: &Staff,
    building: String,
    act: F,
) -> Result<Json<T>, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&rusqlite::Connection, &str) -> anyhow::Result<Result<T, ApiError>> + Send + 'static,
{
    let scope = staff.scope.clone();
    let found = st
        .db
        .call(move |c| {
            let tx = c.transaction()?;
            if !crate::structure::building_exists(&tx, &building)? {
                return Ok(Err(ApiError::not_found("no such building")));
            }
            if !scope.covers_building(&tx, &building)? {
                return Ok(Err(out_of_scope()));
            }
            let answer = act(&tx, &building)?;
            if answer.is_ok() {
                tx.commit()?;
            }
            Ok(answer)
        })
        .await
        .map_err(ApiError::internal)?;
    Ok(Json(found?))
}
