//! Help requests: their stored state and the staff side of closing the loop.

use crate::changelog;
use crate::staff::Scope;
use linli_protocol::ids::Id;
use linli_protocol::published::{
    HelpActor, HelpHistoryEntry, HelpRequestState, HelpStatus, HelpStatusChange,
};
use linli_protocol::pushed::{AlertAck, HelpCategory, HelpRequest, HouseholdMember, Urgency};
use linli_protocol::staff::{
    HelpQueueFilter, HelpQueueItem, HelpRequestDetail, RequestMember, ResponseTargets,
};
use linli_protocol::sync::PulledKind;
use linli_protocol::text::{Localized, Text};
use linli_protocol::time::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};

/// Loads a request's state; with `household`, only if it belongs to that household.
pub fn load(
    tx: &Connection,
    id: &str,
    household: Option<&str>,
) -> rusqlite::Result<Option<HelpRequestState>> {
    let row: Option<(String, String)> = tx
        .query_row(
            "SELECT household_id, state FROM help_requests WHERE id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row
        .filter(|(h, _)| household.is_none_or(|want| want == h))
        .and_then(|(_, json)| serde_json::from_str(&json).ok()))
}

/// A new request as the household filed it: status `received`, one history step.
pub fn received(request: HelpRequest, now: i64) -> HelpRequestState {
    HelpRequestState {
        request,
        status: HelpStatus::Received,
        history: vec![HelpHistoryEntry {
            status: HelpStatus::Received,
            at: Timestamp::from_unix_ms(now),
            note: None,
            by: None,
            by_role: Some(HelpActor::Household),
        }],
    }
}

/// Stores a new request (status `received`) and records the change for its household.
pub fn create(
    tx: &Connection,
    id: &str,
    household: &str,
    state: &HelpRequestState,
    now: i64,
) -> rusqlite::Result<()> {
    let json = serde_json::to_string(state).unwrap_or_default();
    tx.execute(
        "INSERT INTO help_requests (id, household_id, status, state) VALUES (?1, ?2, ?3, ?4)",
        params![id, household, status_str(state.status), json],
    )?;
    log(tx, id, household, &json, now)
}

/// Saves a request's state and records the change for its household.
pub fn save(
    tx: &Connection,
    id: &str,
    household: &str,
    state: &HelpRequestState,
    now: i64,
) -> rusqlite::Result<()> {
    let json = serde_json::to_string(state).unwrap_or_default();
    tx.execute(
        "UPDATE help_requests SET status = ?2, state = ?3 WHERE id = ?1",
        params![id, status_str(state.status), json],
    )?;
    log(tx, id, household, &json, now)?;
    // The volunteer it is assigned to (if any) holds its current state too.
    crate::volunteer::publish_assignment(tx, id, now)
}

/// The household sees every change of its own requests.
fn log(tx: &Connection, id: &str, household: &str, json: &str, now: i64) -> rusqlite::Result<()> {
    changelog::for_household(tx, "help_request", id, json, household, now)
}

/// An "I need help" reply to an alert: an urgent help request for the replying person, linked
/// to the alert, in the staff queue at once and pulled back by the household like any other —
/// so the app's "the community will contact you" is true. A second reply to the same alert while
/// the household's request for it is still open adds nothing.
pub fn from_alert_reply(
    tx: &Connection,
    device: &crate::auth::Device,
    ack: &AlertAck,
    now: i64,
) -> rusqlite::Result<()> {
    let open: bool = tx
        .query_row(
            "SELECT 1 FROM help_requests WHERE household_id = ?1 AND alert_id = ?2
               AND status NOT IN ('confirmed', 'cancelled')",
            params![device.household_id, ack.alert_id.as_str()],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if open {
        return Ok(());
    }
    // Linked to the alert, with its headline, only when the alert is addressed to this phone:
    // an id from elsewhere must not reveal another area's alert.
    let alert = crate::content::get(tx, PulledKind::Alert, ack.alert_id.as_str())?
        .filter(|a| addressed_to(a, device));
    let headline = alert
        .as_ref()
        .and_then(|a| serde_json::from_value::<Localized>(a["headline"].clone()).ok())
        .map(|h| h.get("zh-Hant").to_owned())
        .unwrap_or_default();
    let text = if headline.is_empty() {
        "我需要幫助 / I need help".to_owned()
    } else {
        format!("我需要幫助 / I need help — {headline}")
    };
    let text: String = text.chars().take(1000).collect();
    let description = Text::parse(&text).or_else(|_| Text::parse("我需要幫助 / I need help"));
    let (Ok(member_id), Ok(description)) = (Id::parse(&device.member_id), description) else {
        // The enrolled person's id is made by the platform and always parses.
        return Ok(());
    };
    let id = crate::enroll::new_id(now).to_string();
    let state = received(
        HelpRequest {
            member_id,
            category: HelpCategory::Other,
            urgency: Urgency::Urgent,
            description,
            created_at: ack.at.clone(),
        },
        now,
    );
    create(tx, &id, &device.household_id, &state, now)?;
    if alert.is_some() {
        tx.execute(
            "UPDATE help_requests SET alert_id = ?2 WHERE id = ?1",
            params![id, ack.alert_id.as_str()],
        )?;
    }
    Ok(())
}

/// Whether an alert body's area includes the phone's building (an empty area: everyone).
fn addressed_to(alert: &serde_json::Value, device: &crate::auth::Device) -> bool {
    let (grids, buildings) = crate::content::alert_area(alert);
    (grids.is_empty() && buildings.is_empty())
        || grids.contains(&device.grid_code)
        || buildings.contains(&device.building_code)
}

/// Why a staff status change was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum StaffChangeError {
    NotFound,
    NotSettable,
    Closed,
    /// The request's building is outside the staff member's grids.
    OutOfScope,
    /// `volunteer` is not a volunteer of the request's building.
    NotAVolunteer,
}

/// The most requests one queue answer holds.
pub const QUEUE_MAX: u32 = 500;

/// The help-request queue as `scope` may see it, filtered: open requests first, then the most
/// urgent, then the oldest.
pub fn queue(
    c: &Connection,
    scope: &Scope,
    filter: &HelpQueueFilter,
    targets: &ResponseTargets,
    now_ms: i64,
) -> anyhow::Result<Vec<HelpQueueItem>> {
    let grids: Option<String> = match scope {
        Scope::Community => None,
        Scope::Grids(g) => Some(serde_json::to_string(g)?),
    };
    let mut stmt = c.prepare(
        "SELECT h.id, b.code, b.grid_code, h.state, h.alert_id FROM help_requests h
           JOIN households o ON o.id = h.household_id
           JOIN buildings b ON b.code = o.building_code
          WHERE (?1 IS NULL OR b.grid_code IN (SELECT value FROM json_each(?1)))
            AND (?2 IS NULL OR h.status = ?2)
            AND (?3 IS NULL OR b.grid_code = ?3)
            AND (?4 IS NULL OR b.code = ?4)
            AND (?5 IS NULL OR json_extract(h.state, '$.urgency') = ?5)
            AND (?7 IS NULL OR json_extract(h.state, '$.category') = ?7)
          -- Open first, a reopened request (received again after a resolution) back at the
          -- top, the most urgent, the oldest: the indexed columns of migration 0011.
          ORDER BY h.q_closed, h.q_not_reopened, h.q_urgency, h.q_created, h.id
          LIMIT ?6",
    )?;
    let rows = stmt.query_map(
        params![
            grids,
            filter.status.map(status_str),
            filter.grid,
            filter.building,
            filter.urgency.map(snake),
            QUEUE_MAX,
            filter.category.map(snake)
        ],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        },
    )?;
    let mut items = Vec::new();
    for row in rows {
        let (id, building, grid, json, alert_id) = row?;
        let Ok(state) = serde_json::from_str::<HelpRequestState>(&json) else {
            continue;
        };
        items.push(queue_item(
            id, building, grid, state, alert_id, targets, now_ms,
        ));
    }
    Ok(items)
}

/// A request as the queue shows it: who it is assigned to, when it is due and whether it is
/// overdue.
pub fn queue_item(
    id: String,
    building: String,
    grid: String,
    state: HelpRequestState,
    alert_id: Option<String>,
    targets: &ResponseTargets,
    now_ms: i64,
) -> HelpQueueItem {
    let assignee = state
        .history
        .iter()
        .rev()
        .find(|h| h.status == HelpStatus::Assigned)
        .and_then(|h| h.by.clone());
    // The wait starts when the resident asked (a request filed offline has been waiting since
    // then, not since it reached us), or when they reopened it.
    let created_ms = state.request.created_at.unix_ms();
    let since_ms = match state
        .history
        .iter()
        .rposition(|h| h.status == HelpStatus::Received)
    {
        Some(i) if i > 0 => state.history[i].at.unix_ms(),
        Some(_) => created_ms.min(state.history[0].at.unix_ms()),
        None => created_ms,
    };
    let due_ms = since_ms + targets.for_urgency_ms(state.request.urgency);
    let open = matches!(
        state.status,
        HelpStatus::Received | HelpStatus::Assigned | HelpStatus::InProgress
    );
    HelpQueueItem {
        id,
        building,
        grid,
        category: state.request.category,
        urgency: state.request.urgency,
        description: state.request.description.as_str().to_owned(),
        status: state.status,
        created_at: state.request.created_at.as_str().to_owned(),
        history: state.history,
        assignee,
        alert_id,
        due_at: Timestamp::from_unix_ms(due_ms).as_str().to_owned(),
        overdue: open && now_ms > due_ms,
    }
}

/// Why a request's page cannot be shown.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DetailError {
    #[error("no help request {0:?}")]
    NotFound(String),
    #[error("outside the grids this account works in")]
    OutOfScope,
}

/// One request with what its page shows: the building's name and the member it is for (name
/// and shared care flags from the household's latest profile of that member).
pub fn detail(
    c: &Connection,
    id: &str,
    scope: &Scope,
    targets: &ResponseTargets,
    now_ms: i64,
) -> anyhow::Result<Result<HelpRequestDetail, DetailError>> {
    let row = c
        .query_row(
            "SELECT b.code, b.grid_code, b.name, h.state, h.alert_id, h.household_id
               FROM help_requests h
               JOIN households o ON o.id = h.household_id
               JOIN buildings b ON b.code = o.building_code
              WHERE h.id = ?1",
            params![id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((building, grid, building_name, json, alert_id, household)) = row else {
        return Ok(Err(DetailError::NotFound(id.to_owned())));
    };
    if !scope.covers_grid(&grid) {
        return Ok(Err(DetailError::OutOfScope));
    }
    let state: HelpRequestState = serde_json::from_str(&json)?;
    let member = member_profile(c, &household, state.request.member_id.as_str())?;
    Ok(Ok(HelpRequestDetail {
        request: queue_item(
            id.to_owned(),
            building,
            grid,
            state,
            alert_id,
            targets,
            now_ms,
        ),
        building_name,
        member,
    }))
}

/// A member's display name and care flags: the household's latest pushed profile, else the
/// name given at enrolment (no flags).
fn member_profile(
    c: &Connection,
    household: &str,
    member_id: &str,
) -> anyhow::Result<Option<RequestMember>> {
    let profile: Option<String> = c
        .query_row(
            "SELECT body FROM records WHERE id = ?1 AND household_id = ?2 AND kind = ?3",
            params![
                member_id,
                household,
                <HouseholdMember as linli_protocol::sync::Pushed>::KIND.as_str()
            ],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(m) = profile.and_then(|b| serde_json::from_str::<HouseholdMember>(&b).ok()) {
        return Ok(Some(RequestMember {
            display_name: m.display_name.as_str().to_owned(),
            flags: m.flags,
        }));
    }
    let name: Option<String> = c
        .query_row(
            "SELECT display_name FROM members WHERE id = ?1 AND household_id = ?2",
            params![member_id, household],
            |r| r.get(0),
        )
        .optional()?;
    Ok(name.map(|display_name| RequestMember {
        display_name,
        flags: Vec::new(),
    }))
}

/// Applies a staff status change (assigned, in_progress, resolved) with its history entry.
pub fn staff_change(
    tx: &Connection,
    id: &str,
    change: &HelpStatusChange,
    by: Option<&str>,
    scope: &Scope,
    now: i64,
) -> anyhow::Result<Result<HelpRequestState, StaffChangeError>> {
    if !change.status.settable_by_staff() {
        return Ok(Err(StaffChangeError::NotSettable));
    }
    let found: Option<(String, String)> = tx
        .query_row(
            "SELECT h.household_id, o.building_code FROM help_requests h
               JOIN households o ON o.id = h.household_id WHERE h.id = ?1",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((household, building)) = found else {
        return Ok(Err(StaffChangeError::NotFound));
    };
    if !scope.covers_building(tx, &building)? {
        return Ok(Err(StaffChangeError::OutOfScope));
    }
    let Some(mut state) = load(tx, id, None)? else {
        return Ok(Err(StaffChangeError::NotFound));
    };
    if state.status.is_closed() {
        return Ok(Err(StaffChangeError::Closed));
    }
    let mut assignee = change.assignee.as_ref().map(|a| a.as_str().to_owned());
    if let Some(volunteer) = &change.volunteer {
        if !crate::volunteer::covers(tx, volunteer.as_str(), &building)? {
            return Ok(Err(StaffChangeError::NotAVolunteer));
        }
        // Reassigned: it leaves the earlier volunteer's phones.
        let before: Option<String> = tx.query_row(
            "SELECT volunteer_member_id FROM help_requests WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )?;
        if let Some(earlier) = before.filter(|b| b != volunteer.as_str()) {
            crate::volunteer::withdraw(tx, PulledKind::AssignedRequest, id, &earlier, now)?;
        }
        tx.execute(
            "UPDATE help_requests SET volunteer_member_id = ?2 WHERE id = ?1",
            params![id, volunteer.as_str()],
        )?;
        let name: String = tx.query_row(
            "SELECT display_name FROM members WHERE id = ?1",
            params![volunteer.as_str()],
            |r| r.get(0),
        )?;
        assignee = assignee.or(Some(name));
    }
    state.status = change.status;
    let note = match (&change.note, &assignee) {
        (Some(n), _) => Some(n.as_str().to_owned()),
        (None, Some(a)) => Some(a.clone()),
        (None, None) => None,
    };
    state.history.push(HelpHistoryEntry {
        status: change.status,
        at: Timestamp::from_unix_ms(now),
        note,
        by: assignee.or_else(|| by.map(str::to_owned)),
        by_role: Some(HelpActor::Staff),
    });
    save(tx, id, &household, &state, now)?;
    Ok(Ok(state))
}

/// A status's protocol spelling.
pub fn status_str(s: HelpStatus) -> String {
    snake(s)
}

/// A protocol enum's spelling (its serde name).
fn snake<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
