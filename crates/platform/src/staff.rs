//! Staff accounts and sessions, and device revocation: the named database functions the staff
//! handlers and the CLI call.

use rusqlite::{params, Connection, OptionalExtension};

/// A staff account's id and password hash, by username.
pub fn find(c: &Connection, username: &str) -> anyhow::Result<Option<(i64, String)>> {
    Ok(c.query_row(
        "SELECT id, password_hash FROM staff_users WHERE username = ?1",
        params![username],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?)
}

/// Opens a session for `staff_id`, stored by the hash of its token.
pub fn open_session(
    c: &Connection,
    staff_id: i64,
    token_hash: &str,
    now_s: i64,
    expires_s: i64,
) -> anyhow::Result<()> {
    c.execute(
        "INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![token_hash, staff_id, now_s, expires_s],
    )?;
    Ok(())
}

/// Ends one session (sign-out).
pub fn close_session(c: &Connection, token_hash: &str) -> anyhow::Result<()> {
    c.execute(
        "DELETE FROM staff_sessions WHERE token_hash = ?1",
        params![token_hash],
    )?;
    Ok(())
}

/// Sets a staff member's password (creating the account if new) and ends every session they
/// had: a changed password signs that person out everywhere. `display_name` is what residents
/// see in a help request's history; `None` keeps the one set before.
pub fn set_password(
    c: &mut Connection,
    username: &str,
    password_hash: &str,
    display_name: Option<&str>,
    now_s: i64,
) -> anyhow::Result<()> {
    let tx = c.transaction()?;
    tx.execute(
        "INSERT INTO staff_users (username, password_hash, created_at, display_name) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash,
           display_name = COALESCE(excluded.display_name, staff_users.display_name)",
        params![username, password_hash, now_s, display_name],
    )?;
    tx.execute(
        "DELETE FROM staff_sessions WHERE staff_id = (SELECT id FROM staff_users WHERE username = ?1)",
        params![username],
    )?;
    tx.commit()?;
    Ok(())
}

/// Revokes an enrolled device's token; `false` when there is no such (unrevoked) device.
pub fn revoke_device(c: &Connection, device_id: &str, now_ms: i64) -> anyhow::Result<bool> {
    let n = c.execute(
        "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![device_id, now_ms],
    )?;
    Ok(n > 0)
}
