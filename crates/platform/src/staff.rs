//! Staff accounts, their scope and sessions, and device revocation: the named database
//! functions the staff handlers and the CLI call.

use linli_protocol::staff::{AccountRequest, StaffRole};
use rusqlite::{params, Connection, OptionalExtension};

/// What a staff member may act on: the whole community (an admin) or the buildings of some
/// grids (a grid worker). Every staff read and write is checked against it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Community,
    Grids(Vec<String>),
}

impl Scope {
    pub fn is_community(&self) -> bool {
        matches!(self, Scope::Community)
    }
    pub fn covers_grid(&self, grid: &str) -> bool {
        match self {
            Scope::Community => true,
            Scope::Grids(grids) => grids.iter().any(|g| g == grid),
        }
    }
    /// Whether `building` is in scope (an unknown building is not).
    pub fn covers_building(&self, c: &Connection, building: &str) -> rusqlite::Result<bool> {
        if self.is_community() {
            return Ok(true);
        }
        let grid: Option<String> = c
            .query_row(
                "SELECT grid_code FROM buildings WHERE code = ?1",
                params![building],
                |r| r.get(0),
            )
            .optional()?;
        Ok(grid.is_some_and(|g| self.covers_grid(&g)))
    }
}

/// The scope of account `staff_id` with stored role `role`.
pub fn scope_of(c: &Connection, staff_id: i64, role: &str) -> rusqlite::Result<Scope> {
    match StaffRole::parse(role) {
        Some(StaffRole::Admin) => return Ok(Scope::Community),
        Some(StaffRole::GridWorker) => {}
        // Not a role this program knows (a newer schema's?): the least it can be, no grids.
        None => return Ok(Scope::Grids(Vec::new())),
    }
    let mut stmt =
        c.prepare("SELECT grid_code FROM staff_grids WHERE staff_id = ?1 ORDER BY grid_code")?;
    let grids = stmt
        .query_map(params![staff_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(Scope::Grids(grids))
}

/// A staff account's id and password hash, by username; a disabled account is not found.
pub fn find(c: &Connection, username: &str) -> anyhow::Result<Option<(i64, String)>> {
    Ok(c.query_row(
        "SELECT id, password_hash FROM staff_users WHERE username = ?1 AND disabled_at IS NULL",
        params![username],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?)
}

/// Why an account could not be created.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AccountError {
    #[error("username: {0:?} is taken")]
    UsernameTaken(String),
    #[error("grids[{0}]: unknown grid {1:?}")]
    UnknownGrid(usize, String),
}

/// Creates a staff account with its role and grids; returns its id.
pub fn create_account(
    c: &mut Connection,
    req: &AccountRequest,
    password_hash: &str,
    now_s: i64,
) -> anyhow::Result<Result<i64, AccountError>> {
    let tx = c.transaction()?;
    let username = req.username.as_str();
    let taken = tx
        .query_row(
            "SELECT 1 FROM staff_users WHERE username = ?1",
            params![username],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if taken {
        return Ok(Err(AccountError::UsernameTaken(username.to_owned())));
    }
    tx.execute(
        "INSERT INTO staff_users (username, password_hash, created_at, display_name, role) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![username, password_hash, now_s, req.display_name.as_str(), req.role.as_str()],
    )?;
    let id = tx.last_insert_rowid();
    if let Err(e) = set_grids(&tx, id, &req.grids)? {
        return Ok(Err(e));
    }
    tx.commit()?;
    Ok(Ok(id))
}

/// Replaces an account's grids (each must exist).
pub fn set_grids(
    tx: &Connection,
    staff_id: i64,
    grids: &[String],
) -> anyhow::Result<Result<(), AccountError>> {
    tx.execute(
        "DELETE FROM staff_grids WHERE staff_id = ?1",
        params![staff_id],
    )?;
    for (i, g) in grids.iter().enumerate() {
        let known = tx
            .query_row(
                "SELECT 1 FROM grids WHERE code = ?1",
                params![g],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !known {
            return Ok(Err(AccountError::UnknownGrid(i, g.clone())));
        }
        tx.execute(
            "INSERT OR IGNORE INTO staff_grids (staff_id, grid_code) VALUES (?1, ?2)",
            params![staff_id, g],
        )?;
    }
    Ok(Ok(()))
}

/// The building an enrolled device belongs to, if the device exists.
pub fn device_building(c: &Connection, device_id: &str) -> rusqlite::Result<Option<String>> {
    c.query_row(
        "SELECT building_code FROM devices WHERE id = ?1",
        params![device_id],
        |r| r.get(0),
    )
    .optional()
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

/// An account as a session sees it.
pub struct Account {
    pub username: String,
    pub display_name: Option<String>,
    pub scope: Scope,
}

/// Account `id`, unless disabled.
pub fn account(c: &Connection, id: i64) -> anyhow::Result<Option<Account>> {
    let row: Option<(String, Option<String>, String)> = c
        .query_row(
            "SELECT username, display_name, role FROM staff_users WHERE id = ?1 AND disabled_at IS NULL",
            params![id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((username, display_name, role)) = row else {
        return Ok(None);
    };
    Ok(Some(Account {
        username,
        display_name,
        scope: scope_of(c, id, &role)?,
    }))
}

/// Every account, by username.
pub fn accounts(c: &Connection) -> anyhow::Result<Vec<linli_protocol::staff::AccountItem>> {
    let mut stmt = c.prepare(
        "SELECT id, username, COALESCE(display_name, ''), role, disabled_at IS NOT NULL
           FROM staff_users ORDER BY username",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get::<_, String>(3)?,
                r.get(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<(i64, String, String, String, bool)>>>()?;
    let mut out = Vec::new();
    for (id, username, display_name, role, disabled) in rows {
        // An unknown stored role is shown as the least it can be (see `scope_of`).
        let role = StaffRole::parse(&role).unwrap_or(StaffRole::GridWorker);
        let grids = match scope_of(c, id, role.as_str())? {
            Scope::Community => Vec::new(),
            Scope::Grids(g) => g,
        };
        out.push(linli_protocol::staff::AccountItem {
            id,
            username,
            display_name,
            role,
            grids,
            disabled,
        });
    }
    Ok(out)
}

/// Why an account could not be updated.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum UpdateError {
    #[error("no staff account {0}")]
    NotFound(i64),
    #[error("{0}")]
    Account(#[from] AccountError),
    #[error("disabled: you cannot disable your own account, nor make it a grid worker")]
    Yourself,
}

/// Updates account `id` (name, role, grids, disabled) in one transaction with its audit entry;
/// disabling ends its sessions. `by` is the admin doing it, id and username (who may not lock
/// themselves out).
pub fn update_account(
    c: &mut Connection,
    id: i64,
    by: (i64, &str),
    u: &linli_protocol::staff::AccountUpdate,
    now_ms: i64,
) -> anyhow::Result<Result<(), UpdateError>> {
    let (by, actor) = by;
    let now_s = now_ms / 1000;
    if id == by && (u.disabled || u.role != StaffRole::Admin) {
        return Ok(Err(UpdateError::Yourself));
    }
    let tx = c.transaction()?;
    let n = tx.execute(
        "UPDATE staff_users SET display_name = ?2, role = ?3,
           disabled_at = CASE WHEN ?4 THEN COALESCE(disabled_at, ?5) ELSE NULL END
         WHERE id = ?1",
        params![
            id,
            u.display_name.as_str(),
            u.role.as_str(),
            u.disabled,
            now_s
        ],
    )?;
    if n == 0 {
        return Ok(Err(UpdateError::NotFound(id)));
    }
    if let Err(e) = set_grids(&tx, id, &u.grids)? {
        return Ok(Err(e.into()));
    }
    if u.disabled {
        tx.execute(
            "DELETE FROM staff_sessions WHERE staff_id = ?1",
            params![id],
        )?;
    }
    let action = if u.disabled {
        "account_disable"
    } else {
        "account_update"
    };
    let detail = format!("{} {}", u.role.as_str(), u.grids.join(" "));
    crate::audit::append(&tx, now_ms, actor, action, &id.to_string(), detail.trim())?;
    tx.commit()?;
    Ok(Ok(()))
}

/// Replaces account `id`'s password hash and ends every session it had.
pub fn replace_password(tx: &Connection, id: i64, password_hash: &str) -> anyhow::Result<()> {
    tx.execute(
        "UPDATE staff_users SET password_hash = ?2 WHERE id = ?1",
        params![id, password_hash],
    )?;
    tx.execute(
        "DELETE FROM staff_sessions WHERE staff_id = ?1",
        params![id],
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
/// see in a help request's history; `None` keeps the one set before. `role`, when given, sets
/// the role and grids too (each grid must exist, checked before anything is written); `None`
/// keeps an existing account's role, and a new account is an admin. One transaction: on an
/// error nothing is written.
pub fn set_password(
    c: &mut Connection,
    username: &str,
    password_hash: &str,
    display_name: Option<&str>,
    role: Option<(StaffRole, &[String])>,
    now_s: i64,
) -> anyhow::Result<Result<(), AccountError>> {
    let tx = c.transaction()?;
    tx.execute(
        "INSERT INTO staff_users (username, password_hash, created_at, display_name) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash,
           display_name = COALESCE(excluded.display_name, staff_users.display_name)",
        params![username, password_hash, now_s, display_name],
    )?;
    let id: i64 = tx.query_row(
        "SELECT id FROM staff_users WHERE username = ?1",
        params![username],
        |r| r.get(0),
    )?;
    if let Some((role, grids)) = role {
        tx.execute(
            "UPDATE staff_users SET role = ?2 WHERE id = ?1",
            params![id, role.as_str()],
        )?;
        if let Err(e) = set_grids(&tx, id, grids)? {
            return Ok(Err(e));
        }
    }
    tx.execute(
        "DELETE FROM staff_sessions WHERE staff_id = ?1",
        params![id],
    )?;
    tx.commit()?;
    Ok(Ok(()))
}

/// Revokes an enrolled device's token; `false` when there is no such (unrevoked) device.
pub fn revoke_device(c: &Connection, device_id: &str, now_ms: i64) -> anyhow::Result<bool> {
    let n = c.execute(
        "UPDATE devices SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![device_id, now_ms],
    )?;
    Ok(n > 0)
}
