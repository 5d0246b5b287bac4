//! The change log phones pull: written in the same transaction as the change it records.

use rusqlite::{params, Connection, OptionalExtension};

/// Who a change is for.
pub enum Audience<'a> {
    /// One household's own records.
    Household(&'a str),
    /// Public content for these grids and buildings (both empty = the whole community).
    Public {
        grids: &'a [String],
        buildings: &'a [String],
    },
}

/// Appends a change for `(kind, id)`, replacing the entity's previous entry so that a pull sees
/// each entity once, at its latest state. Returns the new `seq`.
pub fn record(
    tx: &Connection,
    kind: &str,
    id: &str,
    op: &str,
    body: Option<&str>,
    audience: Audience<'_>,
    at: i64,
) -> rusqlite::Result<i64> {
    tx.execute(
        "DELETE FROM changes WHERE kind = ?1 AND id = ?2",
        params![kind, id],
    )?;
    let (household, grids, buildings) = match audience {
        Audience::Household(h) => (Some(h), "[]".to_owned(), "[]".to_owned()),
        Audience::Public { grids, buildings } => (
            None,
            serde_json::to_string(grids).unwrap_or_else(|_| "[]".into()),
            serde_json::to_string(buildings).unwrap_or_else(|_| "[]".into()),
        ),
    };
    tx.execute(
        "INSERT INTO changes (kind, id, op, body, household_id, grids, buildings, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![kind, id, op, body, household, grids, buildings, at],
    )?;
    Ok(tx.last_insert_rowid())
}

/// The audience of an entity's current entry, to reuse for its tombstone.
pub fn public_audience(
    tx: &Connection,
    kind: &str,
    id: &str,
) -> rusqlite::Result<Option<(Vec<String>, Vec<String>)>> {
    tx.query_row(
        "SELECT grids, buildings FROM changes WHERE kind = ?1 AND id = ?2 AND household_id IS NULL",
        params![kind, id],
        |r| {
            let g: String = r.get(0)?;
            let b: String = r.get(1)?;
            Ok((
                serde_json::from_str(&g).unwrap_or_default(),
                serde_json::from_str(&b).unwrap_or_default(),
            ))
        },
    )
    .optional()
}
