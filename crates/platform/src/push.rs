//! Ingesting a push: per-item validation and idempotency, the whole batch in one transaction.

use crate::auth::{now_ms, Device};
use crate::signing::Keys;
use linli_protocol::limits::Checked;
use linli_protocol::published::{HelpActor, HelpHistoryEntry, HelpStatus};
use linli_protocol::pushed::AckResponse;
use linli_protocol::pushed::HelpAction;
use linli_protocol::pushed::Relayed;
use linli_protocol::sync::{PushItem, PushResult, PushStatus, PushedRecord};
use linli_protocol::time::Timestamp;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};

/// Ingests `items` for `device` in one transaction and returns one result per item, in order.
/// The transaction is committed (durably: WAL with synchronous=FULL) before this returns.
///
/// Items are applied in dependency order, whatever their place in the batch: a report or a
/// request for help may refer to a member created (or edited) later in the same batch, an action
/// to a request later in it — a phone whose edit got a newer timestamp, or whose clock went back
/// — and must not be refused for it.
///
/// `keys` open what a phone carried for another ([`PushedRecord::Relayed`]): those records are
/// ingested as the other phone's, in the same transaction.
pub fn ingest(
    conn: &mut Connection,
    device: &Device,
    items: &[PushItem],
    keys: &Keys,
) -> anyhow::Result<Vec<PushResult>> {
    let tx = conn.transaction()?;
    let results = ingest_in(&tx, device, items, Some(keys), now_ms())?;
    tx.commit()?;
    Ok(results)
}

/// [`ingest`] inside a transaction; `keys` is `None` for the records of a relayed box (a box
/// inside a box is refused).
fn ingest_in(
    tx: &Transaction,
    device: &Device,
    items: &[PushItem],
    keys: Option<&Keys>,
    now: i64,
) -> anyhow::Result<Vec<PushResult>> {
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
            // Canonical form of what was sent: keys sorted (serde_json's map is ordered). A
            // relayed box is kept as what it held and a digest of the box, not the box.
            let body = match &record {
                PushedRecord::Relayed(r) => relayed_summary(r),
                _ => serde_json::to_string(&item.body)?,
            };
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
                // Not from a relayed box: a box may be older than the phone's own later edit,
                // which its own push brings.
                let member_edit = keys.is_some()
                    && !same
                    && kind == "household_member"
                    && item.kind == kind
                    && household == device.household_id;
                if member_edit {
                    if let Err((code, message)) = apply(tx, device, id.as_str(), &record, now)? {
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
            if let PushedRecord::Relayed(_) = &record {
                // The same box delivered again under another id (a second volunteer, a replay):
                // it was opened once; nothing in it is applied again.
                let seen: Option<i64> = tx
                    .query_row(
                        "SELECT 1 FROM records WHERE kind = 'relayed' AND body = ?1",
                        params![body],
                        |r| r.get(0),
                    )
                    .optional()?;
                if seen.is_some() {
                    *slot = Some(PushResult::ok(&item.id, PushStatus::Duplicate));
                    continue;
                }
            }
            let applied = match &record {
                PushedRecord::Relayed(r) => relay(tx, id.as_str(), r, keys, now)?,
                _ => apply(tx, device, id.as_str(), &record, now)?,
            };
            if let Err((code, message)) = applied {
                *slot = Some(PushResult::rejected(&item.id, code, message, false));
                continue;
            }
            insert.execute(params![id.as_str(), item.kind, owner, device.id, body, now])?;
            *slot = Some(PushResult::ok(&item.id, PushStatus::Accepted));
        }
    }
    Ok(results.into_iter().flatten().collect())
}

/// What is stored of a relayed box: the ids and kinds it held and the SHA-256 of the box (the
/// same box sent again is a duplicate; the records themselves are stored as their phone's).
fn relayed_summary(r: &Relayed) -> String {
    serde_json::json!({
        "items": r.items,
        "sealed_sha256": crate::auth::hex(&Sha256::digest(r.sealed.as_str().as_bytes())),
    })
    .to_string()
}

/// Opens a box a phone carried for another and ingests its records as that phone's (its
/// device token is in the box). Refused: a box not sealed to this platform or changed on the
/// way, one whose records are not the ids and kinds the carrier was shown, one from a phone
/// that is not (or no longer) enrolled.
fn relay(
    tx: &Transaction,
    id: &str,
    r: &Relayed,
    keys: Option<&Keys>,
    now: i64,
) -> anyhow::Result<Result<(), Refusal>> {
    let unreadable = || {
        Ok(Err((
            "relay_unreadable",
            "body.sealed: not sealed to this community's key, or changed on the way".to_owned(),
        )))
    };
    let Some(keys) = keys else {
        return Ok(Err((
            "invalid",
            "kind: a relayed box cannot hold another".to_owned(),
        )));
    };
    let shown = r.items.as_slice();
    if shown.iter().any(|s| s.id.as_str() == id) {
        return Ok(Err((
            "invalid",
            "id: the relayed box's own id is one of the records it holds".to_owned(),
        )));
    }
    let Some(inner) = keys.open_records(r.sealed.as_str()) else {
        return unreadable();
    };
    let same = inner.items.len() == shown.len()
        && inner
            .items
            .iter()
            .zip(shown)
            .all(|(i, s)| i.id == s.id.as_str() && i.kind == s.kind.as_str());
    if !same {
        return Ok(Err((
            "relay_mismatch",
            "body.items: not the records the box holds".to_owned(),
        )));
    }
    let Some(sender) = crate::auth::device_by_hash(tx, &crate::auth::hash_secret(&inner.token))?
    else {
        return Ok(Err((
            "relay_unauthorized",
            "body.sealed: the phone that sealed these records is not enrolled (or was removed)"
                .to_owned(),
        )));
    };
    let results = ingest_in(tx, &sender, &inner.items, None, now)?;
    let refused = results
        .iter()
        .filter(|r| r.status == PushStatus::Rejected)
        .count();
    tracing::info!(
        sender = %sender.id,
        records = results.len(),
        refused,
        "relayed records ingested"
    );
    Ok(Ok(()))
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
        // Opened and ingested by `relay` before `apply` would be reached.
        PushedRecord::Relayed(_) => {
            return Ok(Err((
                "invalid",
                "kind: a relayed box is not a record".to_owned(),
            )))
        }
    }
    Ok(Ok(()))
}
