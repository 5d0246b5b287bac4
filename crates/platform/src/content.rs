//! Published content: stored, versioned through the change log, retracted with tombstones.

use crate::changelog::{self, Audience};
use linli_protocol::sync::PulledKind;
use rusqlite::{params, Connection, OptionalExtension};

/// A published record to store, with its audience and expiry.
pub struct Item<'a> {
    pub kind: PulledKind,
    pub id: &'a str,
    pub body: &'a serde_json::Value,
    /// Grids and buildings it is addressed to (both empty = the whole community).
    pub grids: &'a [String],
    pub buildings: &'a [String],
    /// `expires` as written, and as Unix milliseconds.
    pub expires: Option<(&'a str, i64)>,
}

/// Stores (inserts or replaces) a published record and logs the change for its audience.
pub fn put(tx: &Connection, item: Item<'_>, now: i64) -> rusqlite::Result<i64> {
    let json = serde_json::to_string(item.body).unwrap_or_default();
    tx.execute(
        "INSERT INTO published (id, kind, body, expires, expires_ms, retracted, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?6)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body, expires = excluded.expires,
           expires_ms = excluded.expires_ms, retracted = 0, updated_at = excluded.updated_at",
        params![item.id, item.kind.as_str(), json, item.expires.map(|e| e.0), item.expires.map(|e| e.1), now],
    )?;
    let audience = Audience::Public {
        grids: item.grids,
        buildings: item.buildings,
    };
    changelog::record(
        tx,
        item.kind.as_str(),
        item.id,
        "upsert",
        Some(&json),
        audience,
        now,
    )
}

/// The stored body of a published record of `kind`, if present and not retracted.
pub fn get(
    tx: &Connection,
    kind: PulledKind,
    id: &str,
) -> rusqlite::Result<Option<serde_json::Value>> {
    let body: Option<String> = tx
        .query_row(
            "SELECT body FROM published WHERE id = ?1 AND kind = ?2 AND retracted = 0",
            params![id, kind.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
}

/// Retracts a record (`reason` 1 = withdrawn, 2 = expired) and logs a tombstone for the same
/// audience that saw it.
pub fn tombstone(
    tx: &Connection,
    kind: &str,
    id: &str,
    reason: i64,
    now: i64,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE published SET retracted = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, reason, now],
    )?;
    let (grids, buildings) = changelog::public_audience(tx, kind, id)?.unwrap_or_default();
    changelog::record(
        tx,
        kind,
        id,
        "delete",
        None,
        Audience::Public {
            grids: &grids,
            buildings: &buildings,
        },
        now,
    )?;
    Ok(())
}

/// The grids and buildings of a stored alert body's area (empty lists: the whole community).
pub fn alert_area(body: &serde_json::Value) -> (Vec<String>, Vec<String>) {
    let list = |v: &serde_json::Value| -> Vec<String> {
        serde_json::from_value(v.clone()).unwrap_or_default()
    };
    (
        list(&body["area"]["grids"]),
        list(&body["area"]["buildings"]),
    )
}

/// The newest `limit` alerts whose area reaches `scope` (a whole-community alert reaches every
/// grid), withdrawn ones included and marked.
pub fn alerts_in_scope(
    c: &Connection,
    scope: &crate::staff::Scope,
    limit: u32,
) -> anyhow::Result<Vec<linli_protocol::staff::StaffAlertItem>> {
    let mut stmt = c.prepare(
        "SELECT id, body, retracted FROM published WHERE kind = ?1
          ORDER BY created_at DESC, id DESC",
    )?;
    let rows = stmt.query_map(params![PulledKind::Alert.as_str()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut items = Vec::new();
    for row in rows {
        let (id, body, retracted) = row?;
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&body) else {
            continue;
        };
        let (grids, buildings) = alert_area(&value);
        let reaches = scope.is_community()
            || (grids.is_empty() && buildings.is_empty())
            || grids.iter().any(|g| scope.covers_grid(g))
            || buildings
                .iter()
                .map(|b| scope.covers_building(c, b))
                .collect::<rusqlite::Result<Vec<bool>>>()?
                .into_iter()
                .any(|x| x);
        if !reaches {
            continue;
        }
        if let Ok(alert) = serde_json::from_value(value) {
            items.push(linli_protocol::staff::StaffAlertItem {
                id,
                alert,
                withdrawn: retracted != 0,
            });
            // The limit counts alerts in scope (filtered above), not all of them.
            if items.len() >= limit as usize {
                break;
            }
        }
    }
    Ok(items)
}

/// The newest `limit` published (not withdrawn) rebuttals.
pub fn rebuttals(
    c: &Connection,
    limit: u32,
) -> anyhow::Result<Vec<linli_protocol::staff::StaffRebuttalItem>> {
    let mut stmt = c.prepare(
        "SELECT id, body FROM published WHERE kind = ?2 AND retracted = 0
          ORDER BY created_at DESC, id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map(params![limit, PulledKind::Rebuttal.as_str()], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut items = Vec::new();
    for row in rows {
        let (id, body) = row?;
        if let Ok(rebuttal) = serde_json::from_str(&body) {
            items.push(linli_protocol::staff::StaffRebuttalItem { id, rebuttal });
        }
    }
    Ok(items)
}
