//! The audit log: every staff action appended (who, when, what, on what), never edited or
//! deleted through the API; admins read it.

use linli_protocol::staff::AuditEntry;
use linli_protocol::time::Timestamp;
use rusqlite::{params, Connection};

/// Appends one entry.
pub fn append(
    c: &Connection,
    at_ms: i64,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> rusqlite::Result<()> {
    c.execute(
        "INSERT INTO audit (at, actor, action, target, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![at_ms, actor, action, target, detail],
    )?;
    Ok(())
}

/// The newest `limit` entries, newest first; only `action` when given.
pub fn list(c: &Connection, action: Option<&str>, limit: u32) -> rusqlite::Result<Vec<AuditEntry>> {
    let mut stmt = c.prepare(
        "SELECT at, actor, action, target, detail FROM audit
         WHERE ?1 IS NULL OR action = ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![action, limit], |r| {
        Ok(AuditEntry {
            at: Timestamp::from_unix_ms(r.get(0)?).as_str().to_owned(),
            actor: r.get(1)?,
            action: r.get(2)?,
            target: r.get(3)?,
            detail: r.get(4)?,
        })
    })?;
    rows.collect()
}
