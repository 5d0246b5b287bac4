//! Bearer tokens: random 256-bit secrets given once, stored only as SHA-256 hashes; and the
//! extractors that turn a request's `Authorization` header into a device or a staff member.

use crate::error::ApiError;
use crate::web::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rand::RngCore;
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

/// A fresh random secret (256 bits), URL-safe hex.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

/// The stored form of a secret.
pub fn hash_secret(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Seconds since the Unix epoch.
pub fn now_s() -> i64 {
    now_ms() / 1000
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The console's session cookie: HttpOnly, SameSite=Strict, never readable by script.
pub const SESSION_COOKIE: &str = "linli_staff";
/// The header a cookie-signed-in console sends on every write, holding [`csrf_for`] its session.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The CSRF token of a session: derived from the session's secret, so only a page that was told
/// it (by the sign-in or `GET /api/v1/staff/session`, same-origin) can send it back, and it dies
/// with the session.
pub fn csrf_for(session_token: &str) -> String {
    hex(&Sha256::digest(
        format!("linli/v1/csrf\n{session_token}").as_bytes(),
    ))[..32]
        .to_owned()
}

/// The value of cookie `name` in the request, if sent.
fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// Equal strings, compared in time independent of where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A staff request's session token: the bearer token (scripts), else the console's cookie —
/// which, on anything but a read, must come with the session's CSRF token in [`CSRF_HEADER`].
fn staff_token(parts: &Parts) -> Result<String, ApiError> {
    if parts
        .headers
        .contains_key(axum::http::header::AUTHORIZATION)
    {
        return bearer(parts).map(str::to_owned);
    }
    let Some(token) = cookie(parts, SESSION_COOKIE) else {
        return Err(ApiError::unauthorized(
            "Authorization: a Bearer token (or the console's session cookie) is required",
        ));
    };
    let safe = matches!(
        parts.method,
        axum::http::Method::GET | axum::http::Method::HEAD
    );
    if !safe {
        let sent = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !same(sent, &csrf_for(token)) {
            return Err(ApiError::forbidden(
                "X-CSRF-Token: missing or wrong for this session; reload the console",
            ));
        }
    }
    Ok(token.to_owned())
}

fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::unauthorized("Authorization: a Bearer token is required"))
}

/// An enrolled phone, from its device token.
#[derive(Clone, Debug)]
pub struct Device {
    pub id: String,
    pub role: String,
    pub household_id: String,
    pub building_code: String,
    pub grid_code: String,
    pub member_id: String,
}

/// A signed-in staff member, from a staff session token.
#[derive(Clone, Debug)]
pub struct Staff {
    pub id: i64,
    pub username: String,
    /// The name residents see (never the login name); `None` when not set.
    pub display_name: Option<String>,
    /// The hash of the session token the request came with (for sign-out).
    pub session_hash: String,
    /// The CSRF token of that session (what the console sends back on writes).
    pub csrf: String,
    /// What this account may act on.
    pub scope: crate::staff::Scope,
}

impl Staff {
    /// `Ok` for an admin; 403 for a grid worker (an admin-only action).
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.scope.is_community() {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "only an admin may do this; a grid worker acts within their grids",
            ))
        }
    }
}

/// The enrolled, not revoked, device whose token hashes to `hash`.
pub fn device_by_hash(c: &rusqlite::Connection, hash: &str) -> rusqlite::Result<Option<Device>> {
    c.query_row(
        "SELECT d.id, d.role, d.household_id, d.building_code, b.grid_code, d.member_id
         FROM devices d JOIN buildings b ON b.code = d.building_code
         WHERE d.token_hash = ?1 AND d.revoked_at IS NULL",
        params![hash],
        |r| {
            Ok(Device {
                id: r.get(0)?,
                role: r.get(1)?,
                household_id: r.get(2)?,
                building_code: r.get(3)?,
                grid_code: r.get(4)?,
                member_id: r.get(5)?,
            })
        },
    )
    .optional()
}

impl FromRequestParts<AppState> for Device {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Device, ApiError> {
        let hash = hash_secret(bearer(parts)?);
        let found = state
            .db
            .call(move |c| Ok(device_by_hash(c, &hash)?))
            .await
            .map_err(ApiError::internal)?;
        found.ok_or_else(|| {
            ApiError::unauthorized("the device token is unknown or revoked; enrol again")
        })
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Staff, ApiError> {
        let token = staff_token(parts)?;
        let csrf = csrf_for(&token);
        let hash = hash_secret(&token);
        let now = now_s();
        let (staff, is_device) = state
            .db
            .call(move |c| {
                let found = c
                    .query_row(
                        "SELECT u.id, u.username, u.display_name, u.role FROM staff_sessions s JOIN staff_users u ON u.id = s.staff_id
                         WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled_at IS NULL",
                        params![hash, now],
                        |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get::<_, String>(3)?)),
                    )
                    .optional()?;
                let staff = match found {
                    Some((id, username, display_name, role)) => Some(Staff {
                        id,
                        username,
                        display_name,
                        session_hash: hash.clone(),
                        csrf,
                        scope: crate::staff::scope_of(c, id, &role)?,
                    }),
                    None => None,
                };
                let is_device = staff.is_none()
                    && c.query_row("SELECT 1 FROM devices WHERE token_hash = ?1 AND revoked_at IS NULL", params![hash], |_| Ok(()))
                        .optional()?
                        .is_some();
                Ok((staff, is_device))
            })
            .await
            .map_err(ApiError::internal)?;
        match staff {
            Some(s) => Ok(s),
            None if is_device => Err(ApiError::forbidden(
                "this endpoint is for community staff only",
            )),
            None => Err(ApiError::unauthorized(
                "the staff session is unknown or expired; sign in again",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_hashed_one_way() {
        let a = new_secret();
        assert_eq!(a.len(), 64, "256 bits as hex");
        assert_ne!(a, new_secret());
        assert_eq!(hash_secret(&a), hash_secret(&a));
        assert_ne!(hash_secret(&a), a);
    }
}
