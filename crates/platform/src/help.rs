//! Help requests: their stored state and the staff side of closing the loop.

use crate::changelog::{self, Audience};
use linli_protocol::published::{
    HelpActor, HelpHistoryEntry, HelpRequestState, HelpStatus, HelpStatusChange,
};
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
    log(tx, id, household, &json, now)
}

/// The household sees every change of its own requests.
fn log(tx: &Connection, id: &str, household: &str, json: &str, now: i64) -> rusqlite::Result<()> {
    changelog::record(
        tx,
        "help_request",
        id,
        "upsert",
        Some(json),
        Audience::Household(household),
        now,
    )?;
    Ok(())
}

/// Why a staff status change was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum StaffChangeError {
    NotFound,
    NotSettable,
    Closed,
}

/// Applies a staff status change (assigned, in_progress, resolved) with its history entry.
pub fn staff_change(
    tx: &Connection,
    id: &str,
    change: &HelpStatusChange,
    by: Option<&str>,
    now: i64,
) -> anyhow::Result<Result<HelpRequestState, StaffChangeError>> {
    if !change.status.settable_by_staff() {
        return Ok(Err(StaffChangeError::NotSettable));
    }
    let household: Option<String> = tx
        .query_row(
            "SELECT household_id FROM help_requests WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(household) = household else {
        return Ok(Err(StaffChangeError::NotFound));
    };
    let Some(mut state) = load(tx, id, None)? else {
        return Ok(Err(StaffChangeError::NotFound));
    };
    if state.status.is_closed() {
        return Ok(Err(StaffChangeError::Closed));
    }
    state.status = change.status;
    let assignee = change.assignee.as_ref().map(|a| a.as_str().to_owned());
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
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
