//! Ingesting a push: per-item validation and idempotency, the whole batch in one transaction.

use crate::auth::{now_ms, Device};
use linli_protocol::limits::Checked;
use linli_protocol::published::{HelpActor, HelpHistoryEntry, HelpStatus};
use linli_protocol::pushed::AckResponse;
use linli_protocol::pushed::HelpAction;
use linli_protocol::sync::{PushItem, PushResult, PushStatus, PushedRecord};
use linli_protocol::time::Timestamp;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

/// Ingests `items` for `device` in one transaction and returns one result per item, in order.
/// The transaction is committed (durably: WAL with synchronous=FULL) before this returns.
///
/// Items are applied in dependency order, whatever their place in the batch: a report or a
/// request for help may refer to a member created (or edited) later in the same batch, an action
/// to a request later in it — a phone whose edit got a newer timestamp, or whose clock went back
/// — and must not be refused for it.
pub fn ingest(
    conn: &mut Connection,
    device: &Device,
    items: &[PushItem],
) -> anyhow::Result<Vec<PushResult>> {
    let tx = conn.transaction()?;
    let now = now_ms();
    let mut results: Vec<Option<PushResult>> = vec![None; items.len()];
    let order = dependency_order(items);
    {
        let mut find =
            tx.prepare_cached("SELECT kind, body, household_id FROM records WHERE id = ?1")?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO records (id, kind, household_id, device_id, body, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for i in order {
            let item = &items[i];
            let slot = &mut results[i];
            let checked = item
                .validate()
                .and_then(|(id, record)| record.check(now).map(|()| (id, record)));
            let (id, record) = match checked {
                Ok(v) => v,
                Err(e) => {
                    *slot = Some(PushResult::rejected(
                        &item.id,
                        "invalid",
                        e.to_string(),
                        false,
                    ));
                    continue;
                }
            };
            // Canonical form of what was sent: keys sorted (serde_json's map is ordered).
            let body = serde_json::to_string(&item.body)?;
            // A report for a neighbour belongs to the neighbour's household.
            let owner = match &record {
                PushedRecord::NeighbourHealthReport(r) => r.household_id.as_str().to_owned(),
                PushedRecord::NeighbourHelpRequest(r) => r.household_id.as_str().to_owned(),
                _ => device.household_id.clone(),
            };
            let existing: Option<(String, String, String)> = find
                .query_row(params![id.as_str()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            if let Some((kind, old_body, household)) = existing {
                let same = kind == item.kind && old_body == body && household == owner;
                // A member's profile is the one record a household edits: the id is the
                // person, so a new body under the same id updates it (last write wins).
                let member_edit = !same
                    && kind == "household_member"
                    && item.kind == kind
                    && household == device.household_id;
                if member_edit {
                    if let Err((code, message)) = apply(&tx, device, id.as_str(), &record, now)? {
                        *slot = Some(PushResult::rejected(&item.id, code, message, false));
                        continue;
                    }
                    tx.execute(
                        "UPDATE records SET body = ?2, received_at = ?3 WHERE id = ?1",
                        params![id.as_str(), body, now],
                    )?;
                    *slot = Some(PushResult::ok(&item.id, PushStatus::Accepted));
                    continue;
                }
                *slot = Some(if same {
                    PushResult::ok(&item.id, PushStatus::Duplicate)
                } else {
                    PushResult::rejected(
                        &item.id,
                        "id_conflict",
                        "id: a different record with this id already exists".into(),
                        false,
                    )
                });
                continue;
            }
            if let Err((code, message)) = apply(&tx, device, id.as_str(), &record, now)? {
                *slot = Some(PushResult::rejected(&item.id, code, message, false));
                continue;
            }
            insert.execute(params![id.as_str(), item.kind, owner, device.id, body, now])?;
            *slot = Some(PushResult::ok(&item.id, PushStatus::Accepted));
        }
    }
    tx.commit()?;
    Ok(results.into_iter().flatten().collect())
}

/// Item indices in dependency order: household members, then requests for help (actions refer
/// to them), then the rest; within a group, the order sent.
fn dependency_order(items: &[PushItem]) -> Vec<usize> {
    let rank = |i: &usize| match items[*i].kind.as_str() {
        "household_member" => 0,
        "help_request" => 1,
        _ => 2,
    };
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(rank);
    order
}

/// An item refused with a code and a message naming the field.
pub type Refusal = (&'static str, String);

fn member_in_household(
    tx: &Transaction,
    member_id: &str,
    household: &str,
) -> rusqlite::Result<bool> {
    let mut q = tx.prepare_cached("SELECT 1 FROM members WHERE id = ?1 AND household_id = ?2")?;
    Ok(q.query_row(params![member_id, household], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Records a household member for the household's phones (`household_member`, pulled).
pub fn share_member(
    c: &Connection,
    household: &str,
    id: &str,
    m: &linli_protocol::pushed::HouseholdMember,
    now: i64,
) -> rusqlite::Result<()> {
    let body = serde_json::to_string(m).unwrap_or_default();
    crate::changelog::for_household(c, "household_member", id, &body, household, now)
}

/// Keeps a check-in of `household`: the day's latest report per member (an older correction
/// does not replace it), the report pulled back by the household's phones, and the roster's
/// yes/no for its volunteers.
pub fn keep_health_report(
    c: &Connection,
    household: &str,
    id: &str,
    r: &linli_protocol::pushed::HealthReport,
    now: i64,
) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO health_latest (member_id, date, record_id, reported_at, reported_ms, flagged) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (member_id, date) DO UPDATE SET record_id = excluded.record_id,
           reported_at = excluded.reported_at, reported_ms = excluded.reported_ms, flagged = excluded.flagged
         WHERE excluded.reported_ms >= health_latest.reported_ms",
    )?
    .execute(params![
        r.member_id.as_str(),
        r.date.as_str(),
        id,
        r.reported_at.as_str(),
        r.reported_at.unix_ms(),
        r.is_flagged() as i64
    ])?;
    let body = serde_json::to_string(r).unwrap_or_default();
    crate::changelog::for_household(c, "health_report", id, &body, household, now)?;
    crate::volunteer::refresh_roster(c, household, now)
}

/// The domain effect of one valid record, inside the batch transaction. `Ok(Err(..))` refuses
/// the item (nothing written), `Err` is a database failure (the batch fails).
fn apply(
    tx: &Transaction,
    device: &Device,
    id: &str,
    record: &PushedRecord,
    now: i64,
) -> rusqlite::Result<Result<(), Refusal>> {
    let forbidden_member = || {
        Err((
            "forbidden",
            "body.member_id: not a member of this household".to_owned(),
        ))
    };
    match record {
        PushedRecord::HouseholdMember(m) => {
            // New, or an edit of a member of this household (the enrolled person included).
            let flags = serde_json::to_string(&m.flags).unwrap_or_else(|_| "[]".into());
            let share =
                serde_json::to_string(&m.share_with_volunteers).unwrap_or_else(|_| "{}".into());
            let written = tx.execute(
                "INSERT INTO members (id, household_id, display_name, flags, share) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name,
                   flags = excluded.flags, share = excluded.share
                 WHERE members.household_id = excluded.household_id",
                params![id, device.household_id, m.display_name.as_str(), flags, share],
            )?;
            if written == 0 {
                return Ok(Err((
                    "forbidden",
                    "id: a member of another household".to_owned(),
                )));
            }
            // The household's other phones see the member; its volunteers what it shares.
            share_member(tx, &device.household_id, id, m, now)?;
            crate::volunteer::refresh_roster(tx, &device.household_id, now)?;
        }
        PushedRecord::HealthReport(r) => {
            if !member_in_household(tx, r.member_id.as_str(), &device.household_id)? {
                return Ok(forbidden_member());
            }
            keep_health_report(tx, &device.household_id, id, r, now)?;
        }
        PushedRecord::DoorKnock(k) => return crate::volunteer::knock(tx, device, id, k, now),
        PushedRecord::NeighbourHealthReport(r) => {
            return crate::volunteer::neighbour_report(tx, device, id, r, now)
        }
        PushedRecord::NeighbourHelpRequest(r) => {
            return crate::volunteer::neighbour_request(tx, device, id, r, now)
        }
        PushedRecord::VolunteerHelpAction(a) => return crate::volunteer::act(tx, device, a, now),
        PushedRecord::HelpRequest(r) => {
            if !member_in_household(tx, r.member_id.as_str(), &device.household_id)? {
                return Ok(forbidden_member());
            }
            let state = crate::help::received(r.clone(), now);
            crate::help::create(tx, id, &device.household_id, &state, now)?;
        }
        PushedRecord::HelpRequestAction(a) => {
            let Some(mut state) =
                crate::help::load(tx, a.request_id.as_str(), Some(&device.household_id))?
            else {
                return Ok(Err((
                    "not_found",
                    "body.request_id: no such help request in this household".into(),
                )));
            };
            // The same action again (a second tap, or a second phone of the household) finds
            // the request already where it asked for: accepted, nothing changes.
            let already = matches!(
                (a.action, state.status),
                (HelpAction::ConfirmResolved, HelpStatus::Confirmed)
                    | (HelpAction::Cancel, HelpStatus::Cancelled)
                    | (HelpAction::Reopen, HelpStatus::Received)
            );
            if already {
                return Ok(Ok(()));
            }
            let next = match (a.action, state.status) {
                (HelpAction::ConfirmResolved, HelpStatus::Resolved) => HelpStatus::Confirmed,
                (
                    HelpAction::Reopen,
                    HelpStatus::Resolved | HelpStatus::Confirmed | HelpStatus::Cancelled,
                ) => HelpStatus::Received,
                (HelpAction::Cancel, s) if !s.is_closed() => HelpStatus::Cancelled,
                (action, status) => {
                    // In the protocol's own spellings (`confirm_resolved`, `in_progress`).
                    let action = serde_json::to_value(action)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    let status = crate::help::status_str(status);
                    let message =
                        format!("body.action: cannot {action} a request that is {status}");
                    return Ok(Err(("invalid_transition", message)));
                }
            };
            state.status = next;
            state.history.push(HelpHistoryEntry {
                status: next,
                at: Timestamp::from_unix_ms(now),
                note: a.note.as_ref().map(|n| n.as_str().to_owned()),
                by: None,
                by_role: Some(HelpActor::Household),
            });
            crate::help::save(tx, a.request_id.as_str(), &device.household_id, &state, now)?;
        }
        PushedRecord::AlertAck(ack) => {
            crate::rollcall::record_reply(tx, &device.household_id, ack)?;
            if ack.response == AckResponse::NeedHelp {
                crate::help::from_alert_reply(tx, device, ack, now)?;
            }
        }
        PushedRecord::RumorTip(_) => {}
    }
    Ok(Ok(()))
}
