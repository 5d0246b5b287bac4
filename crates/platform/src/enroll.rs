//! Invite codes and enrolment: a single-use code turns a phone into an enrolled device.

use crate::auth::{hash_secret, new_secret};
use linli_protocol::ids::Id;
use linli_protocol::pushed::HouseholdMember;
use linli_protocol::sync::{EnrollRequest, EnrollResponse, InviteCount, Role};
use rand::Rng;
use rusqlite::{params, Connection, OptionalExtension};

/// How long an invite code stays valid.
pub const INVITE_TTL_S: i64 = 30 * 24 * 3600;
/// Letters and digits that cannot be confused when read aloud or typed (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// A code like `K7PM-Q2XD` (8 symbols from 31: ~40 bits, with rate-limited guessing).
pub fn new_code() -> String {
    let mut rng = rand::thread_rng();
    let mut s: String = (0..8)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    s.insert(4, '-');
    s
}

/// Normalises what a person typed: case, spaces and a missing dash do not matter.
pub fn normalize_code(typed: &str) -> String {
    let mut s: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if s.len() == 8 {
        s.insert(4, '-');
    }
    s
}

/// Why invites could not be created.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InviteError {
    #[error("building: unknown building code {0:?}")]
    UnknownBuilding(String),
}

/// Creates `count` single-use codes for `building`; only their hashes are stored.
pub fn create_invites(
    conn: &mut Connection,
    role: Role,
    building: &str,
    count: InviteCount,
    now_s: i64,
) -> anyhow::Result<Result<Vec<String>, InviteError>> {
    let count = count.get();
    let tx = conn.transaction()?;
    let known = tx
        .query_row(
            "SELECT 1 FROM buildings WHERE code = ?1",
            params![building],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !known {
        return Ok(Err(InviteError::UnknownBuilding(building.to_owned())));
    }
    let mut codes = Vec::with_capacity(count as usize);
    while codes.len() < count as usize {
        let code = new_code();
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO invites (code_hash, role, building_code, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![hash_secret(&code), role.as_str(), building, now_s, now_s + INVITE_TTL_S],
        )?;
        if inserted == 1 {
            codes.push(code);
        }
    }
    tx.commit()?;
    Ok(Ok(codes))
}

/// A server-made UUIDv7.
pub fn new_id(now_ms: i64) -> Id {
    let mut random = [0u8; 10];
    rand::thread_rng().fill(&mut random);
    Id::v7(now_ms.max(0) as u64, random)
}

/// Enrols a device with an invite; `None` when the code is unknown, used or expired.
pub fn enroll(
    conn: &mut Connection,
    req: &EnrollRequest,
    now_ms: i64,
) -> anyhow::Result<Option<EnrollResponse>> {
    let now_s = now_ms / 1000;
    let code_hash = hash_secret(&normalize_code(req.invite_code.as_str()));
    let tx = conn.transaction()?;
    let invite: Option<(String, String, Option<String>)> = tx
        .query_row(
            "SELECT role, building_code, household_id FROM invites WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
            params![code_hash, now_s],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((role, building, joins)) = invite else {
        return Ok(None);
    };
    let role = Role::parse(&role).unwrap_or(Role::Resident);
    let (device, member) = (new_id(now_ms), new_id(now_ms));
    let token = new_secret();
    // A household invite joins the inviting household; any other makes a new one.
    let household = match joins {
        Some(h) => h,
        None => {
            let h = new_id(now_ms).to_string();
            let unit = req.unit.as_ref().map(|u| u.as_str().trim()).unwrap_or("");
            tx.execute(
                "INSERT INTO households (id, building_code, created_at, unit) VALUES (?1, ?2, ?3, ?4)",
                params![h, building, now_s, unit],
            )?;
            h
        }
    };
    tx.execute(
        "INSERT INTO members (id, household_id, display_name) VALUES (?1, ?2, ?3)",
        params![member.as_str(), household, req.display_name.as_str()],
    )?;
    tx.execute(
        "INSERT INTO devices (id, token_hash, role, household_id, building_code, member_id, display_name, label, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            device.as_str(),
            hash_secret(&token),
            role.as_str(),
            household,
            building,
            member.as_str(),
            req.display_name.as_str(),
            req.device_label.as_ref().map(|l| l.as_str()),
            now_s
        ],
    )?;
    // Single use: the update only succeeds while the code is still unused.
    let claimed = tx.execute(
        "UPDATE invites SET used_at = ?2, used_by_device = ?3 WHERE code_hash = ?1 AND used_at IS NULL",
        params![code_hash, now_s, device.as_str()],
    )?;
    if claimed != 1 {
        return Ok(None);
    }
    // The household's other phones see the new person (sharing nothing with volunteers until
    // they choose to).
    let person = HouseholdMember {
        display_name: req.display_name.clone(),
        birth_year: None,
        flags: Vec::new(),
        share_with_volunteers: Default::default(),
    };
    crate::push::share_member(&tx, &household, member.as_str(), &person, now_ms)?;
    if role == Role::Volunteer {
        crate::volunteer::grant(&tx, member.as_str(), &building, now_ms)?;
    }
    crate::volunteer::refresh_roster(&tx, &household, now_ms)?;
    let volunteer_buildings = crate::volunteer::buildings_of(&tx, member.as_str())?;
    tx.commit()?;
    Ok(Some(EnrollResponse {
        device_id: device.to_string(),
        token,
        role,
        member_id: member.to_string(),
        household_id: household,
        building_id: building.clone(),
        buildings: vec![building],
        volunteer_buildings,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_readable_and_typing_is_forgiving() {
        let c = new_code();
        assert_eq!(c.len(), 9);
        assert_eq!(&c[4..5], "-");
        assert!(!c.contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(normalize_code(" k7pm q2xd "), "K7PM-Q2XD");
        assert_eq!(normalize_code("k7pm-q2xd"), "K7PM-Q2XD");
    }
}
