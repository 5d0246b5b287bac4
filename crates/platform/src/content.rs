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
