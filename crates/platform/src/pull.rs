//! Reading the change log for one reader: an enrolled device gets its household's records and
//! the public content addressed to its community, grid or building; a phone that has not
//! enrolled gets the public content only (for the building it picked, if any).

use crate::auth::Device;
use crate::changelog::{self, Reach};
use linli_protocol::sync::{Change, ChangeOp, PullResponse, PulledKind};
use rusqlite::{params, Connection};

/// Alerts stay in the log this long after they expire, so phones can list them as past.
pub const ALERT_PAST_KEEP_MS: i64 = 7 * 24 * 3600 * 1000;
/// Tombstones are purged after this long; a cursor from before the purge then gets
/// `reset: true` (the phone drops its copy of published content and re-reads from the answer).
pub const TOMBSTONE_KEEP_MS: i64 = 30 * 24 * 3600 * 1000;

struct Row {
    seq: i64,
    kind: String,
    id: String,
    op: String,
    body: Option<String>,
}

/// Who is reading the log.
#[derive(Clone, Debug)]
pub struct Reader {
    /// The private channels it reads: its household's records and, for a volunteer, its
    /// buildings' rosters and its assigned requests. Empty for the public pull.
    pub channels: Vec<String>,
    /// Its grid and building (empty when a public reader picked none).
    pub grid_code: String,
    pub building_code: String,
}

impl Reader {
    /// An enrolled phone.
    pub fn device(c: &Connection, device: &Device) -> rusqlite::Result<Reader> {
        Ok(Reader {
            channels: crate::volunteer::channels(c, device)?,
            grid_code: device.grid_code.clone(),
            building_code: device.building_code.clone(),
        })
    }

    /// A phone that has not enrolled, in `place` = (grid, building) if it picked a building.
    pub fn public(place: Option<(String, String)>) -> Reader {
        let (grid_code, building_code) = place.unwrap_or_default();
        Reader {
            channels: Vec::new(),
            grid_code,
            building_code,
        }
    }

    fn in_grid(&self, grid: &str) -> bool {
        !self.grid_code.is_empty() && grid == self.grid_code
    }

    fn in_building(&self, building: &str) -> bool {
        !self.building_code.is_empty() && building == self.building_code
    }
}

fn addressed(grids: &str, buildings: &str, reader: &Reader) -> bool {
    let grids: Vec<String> = serde_json::from_str(grids).unwrap_or_default();
    let buildings: Vec<String> = serde_json::from_str(buildings).unwrap_or_default();
    (grids.is_empty() && buildings.is_empty())
        || grids.iter().any(|g| reader.in_grid(g))
        || buildings.iter().any(|b| reader.in_building(b))
}

/// How a public change reaches `reader`: as it is, as a delete (the reader was in an earlier
/// audience of the entity, not in its current one), or not at all.
fn reaches(grids: &str, buildings: &str, was: &str, reader: &Reader) -> Option<bool> {
    if addressed(grids, buildings, reader) {
        Some(true)
    } else if !was.is_empty() && Reach::parse(was).covers(&reader.grid_code, &reader.building_code)
    {
        Some(false)
    } else {
        None
    }
}

/// One page of changes after `cursor`, at most `limit`. `log` is the log id the phone's cursor
/// came from: a cursor from another log, behind the purge horizon or ahead of the log's end
/// (a database restored from a backup) starts over with `reset: true`.
pub fn page(
    conn: &Connection,
    reader: &Reader,
    cursor: i64,
    log: Option<&str>,
    limit: u32,
) -> anyhow::Result<PullResponse> {
    let horizon: i64 = conn.query_row(
        "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'log_horizon'",
        [],
        |r| r.get(0),
    )?;
    let (log_id, end) = changelog::identity(conn)?;
    let reset =
        cursor > 0 && (cursor < horizon || cursor > end || log.is_some_and(|l| l != log_id));
    let cursor = if reset { 0 } else { cursor };
    let want = limit as usize + 1;

    let mut private = conn.prepare_cached(
        "SELECT seq, kind, id, op, body FROM changes WHERE household_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let mut mine: Vec<Row> = Vec::new();
    for channel in &reader.channels {
        let rows = private.query_map(params![channel, cursor, want as i64], |r| {
            Ok(Row {
                seq: r.get(0)?,
                kind: r.get(1)?,
                id: r.get(2)?,
                op: r.get(3)?,
                body: r.get(4)?,
            })
        })?;
        for row in rows {
            mine.push(row?);
        }
    }
    mine.sort_by_key(|r| r.seq);
    mine.truncate(want);

    let mut public = conn.prepare_cached(
        "SELECT seq, kind, id, op, body, grids, buildings, was FROM changes WHERE household_id IS NULL AND seq > ?1 ORDER BY seq",
    )?;
    let mut rows = public.query(params![cursor])?;
    let mut theirs = Vec::new();
    while let Some(r) = rows.next()? {
        if theirs.len() >= want {
            break;
        }
        let (grids, buildings, was): (String, String, String) = (r.get(5)?, r.get(6)?, r.get(7)?);
        let kind: String = r.get(1)?;
        let public = PulledKind::parse(&kind).is_some_and(PulledKind::is_public);
        if reader.channels.is_empty() && !public {
            continue;
        }
        match reaches(&grids, &buildings, &was, reader) {
            Some(true) => theirs.push(Row {
                seq: r.get(0)?,
                kind: r.get(1)?,
                id: r.get(2)?,
                op: r.get(3)?,
                body: r.get(4)?,
            }),
            Some(false) => theirs.push(Row {
                seq: r.get(0)?,
                kind: r.get(1)?,
                id: r.get(2)?,
                op: "delete".into(),
                body: None,
            }),
            None => {}
        }
    }

    let mut merged: Vec<Row> = mine.into_iter().chain(theirs).collect();
    merged.sort_by_key(|r| r.seq);
    let has_more = merged.len() > limit as usize;
    merged.truncate(limit as usize);
    let next_cursor = match merged.last() {
        Some(last) if has_more => last.seq,
        // Nothing further is addressed to this device: skip ahead past what it cannot see.
        _ => conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM changes", [], |r| {
                r.get::<_, i64>(0)
            })?
            .max(cursor),
    };
    let changes = merged
        .into_iter()
        .filter_map(|r| {
            let kind = PulledKind::parse(&r.kind)?;
            let op = if r.op == "delete" {
                ChangeOp::Delete
            } else {
                ChangeOp::Upsert
            };
            let body = r.body.as_deref().and_then(|b| serde_json::from_str(b).ok());
            Some(Change {
                seq: r.seq,
                kind,
                id: r.id,
                op,
                body,
                // Added by `Keys::sign_page` for public items.
                signed: None,
            })
        })
        .collect();
    Ok(PullResponse {
        changes,
        next_cursor,
        has_more,
        reset,
        log_id,
    })
}

/// Writes tombstones for content past its time (notices at expiry, alerts a week after) and
/// purges old tombstones, moving the log horizon. Cheap when there is nothing to do.
pub fn expire(conn: &mut Connection, now_ms: i64) -> anyhow::Result<usize> {
    let due: Vec<(String, String)> = {
        let mut q = conn.prepare_cached(
            "SELECT id, kind FROM published WHERE retracted = 0 AND expires_ms IS NOT NULL
             AND expires_ms + CASE kind WHEN 'alert' THEN ?2 ELSE 0 END <= ?1",
        )?;
        let rows = q.query_map(params![now_ms, ALERT_PAST_KEEP_MS], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    let purge_before = now_ms - TOMBSTONE_KEEP_MS;
    let stale: i64 = conn.query_row(
        "SELECT COUNT(*) FROM changes WHERE op = 'delete' AND at < ?1",
        params![purge_before],
        |r| r.get(0),
    )?;
    if due.is_empty() && stale == 0 {
        return Ok(0);
    }
    let tx = conn.transaction()?;
    for (id, kind) in &due {
        crate::content::tombstone(&tx, kind, id, 2, now_ms)?;
    }
    if stale > 0 {
        let max_purged: i64 = tx.query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM changes WHERE op = 'delete' AND at < ?1",
            params![purge_before],
            |r| r.get(0),
        )?;
        tx.execute(
            "DELETE FROM changes WHERE op = 'delete' AND at < ?1",
            params![purge_before],
        )?;
        // Live entries older than the purged tombstones move to the end of the log, so a phone
        // told to reset re-reads them with cursors past the horizon (and is not reset again).
        tx.execute_batch(&format!(
            "CREATE TEMP TABLE moved AS SELECT kind, id, op, body, household_id, grids, buildings, at, was
               FROM changes WHERE seq <= {max_purged} ORDER BY seq;
             DELETE FROM changes WHERE seq <= {max_purged};
             INSERT INTO changes (kind, id, op, body, household_id, grids, buildings, at, was)
               SELECT kind, id, op, body, household_id, grids, buildings, at, was FROM moved ORDER BY rowid;
             DROP TABLE moved;"
        ))?;
        tx.execute(
            "UPDATE meta SET value = CAST(MAX(CAST(value AS INTEGER), ?1) AS TEXT) WHERE key = 'log_horizon'",
            params![max_purged],
        )?;
    }
    tx.commit()?;
    Ok(due.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{self, Item};
    use crate::db::Db;
    use linli_protocol::sync::{EnrollRequest, Role};
    use linli_protocol::text::Text;

    fn device(db: &Db) -> Device {
        crate::seed::demo(db, Some("pw".into())).unwrap();
        db.with(|c| {
            let code = crate::enroll::create_invites(
                c,
                Role::Resident,
                "G1-B1",
                1.try_into().unwrap(),
                0,
            )?
            .unwrap()
            .remove(0);
            let req = EnrollRequest {
                invite_code: Text::parse(&code).unwrap(),
                display_name: Text::parse("A").unwrap(),
                device_label: None,
                unit: None,
            };
            let r = crate::enroll::enroll(c, &req, 1000)?.unwrap();
            Ok(Device {
                id: r.device_id,
                role: "resident".into(),
                household_id: r.household_id,
                building_code: "G1-B1".into(),
                grid_code: "G1".into(),
                member_id: r.member_id,
            })
        })
        .unwrap()
    }

    fn notice(c: &Connection, id: &str, expires_ms: i64, now: i64) {
        let body = serde_json::json!({"kind": "service", "title": {"en": id}, "body": {"en": "x"}, "published": "2026-01-01T00:00:00Z"});
        let item = Item {
            kind: PulledKind::Notice,
            id,
            body: &body,
            grids: &[],
            buildings: &[],
            expires: Some(("2026-01-01T00:00:00Z", expires_ms)),
        };
        content::put(c, item, now).unwrap();
    }

    #[test]
    fn expiry_writes_a_tombstone_and_old_cursors_are_reset_after_purge() {
        let db = Db::open_in_memory().unwrap();
        let dev = device(&db);
        db.with(|c| {
            notice(c, "n1", 5_000, 1_000);
            notice(c, "n2", i64::MAX / 2, 1_000);
            let dev = Reader::device(c, &dev)?;
            let notices = |p: &PullResponse| -> Vec<String> {
                p.changes
                    .iter()
                    .filter(|c| c.kind == PulledKind::Notice)
                    .map(|c| c.id.clone())
                    .collect()
            };
            let first = page(c, &dev, 0, None, 100)?;
            assert_eq!(notices(&first), ["n1", "n2"]);
            let cursor = first.next_cursor;

            assert_eq!(expire(c, 6_000)?, 1);
            let after = page(c, &dev, cursor, None, 100)?;
            assert_eq!(after.changes.len(), 1);
            assert_eq!(after.changes[0].id, "n1");
            assert_eq!(after.changes[0].op, ChangeOp::Delete);
            assert!(!after.reset);

            // A month later the tombstone is purged: a phone still at the old cursor would miss
            // it, so it is told to reset and start over.
            expire(c, 6_000 + TOMBSTONE_KEEP_MS + 1)?;
            let stale = page(c, &dev, cursor, None, 100)?;
            assert!(stale.reset);
            assert_eq!(notices(&stale), ["n2"]);
            let fresh = page(c, &dev, stale.next_cursor, None, 100)?;
            assert!(!fresh.reset && fresh.changes.is_empty());
            Ok(())
        })
        .unwrap();
    }
}
