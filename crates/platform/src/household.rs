//! A household as its own phones manage it: inviting another phone into it, listing and
//! removing its phones, its unit — and a volunteer code claimed by a phone already enrolled.

use crate::auth::{hash_secret, Device};
use linli_protocol::time::Timestamp;
use linli_protocol::volunteer::{HouseholdDevice, HouseholdInfo, HouseholdInvite, Unit};
use rusqlite::{params, Connection, OptionalExtension};

/// How long a household invite stays valid.
pub const HOUSEHOLD_INVITE_TTL_S: i64 = 24 * 3600;

/// A single-use code, valid 24 hours, that enrols a phone into `device`'s household.
pub fn invite(c: &Connection, device: &Device, now_s: i64) -> anyhow::Result<HouseholdInvite> {
    loop {
        let code = crate::enroll::new_code();
        let expires = now_s + HOUSEHOLD_INVITE_TTL_S;
        let inserted = c.execute(
            "INSERT OR IGNORE INTO invites (code_hash, role, building_code, created_at, expires_at, household_id)
             VALUES (?1, 'resident', ?2, ?3, ?4, ?5)",
            params![hash_secret(&code), device.building_code, now_s, expires, device.household_id],
        )?;
        if inserted == 1 {
            return Ok(HouseholdInvite {
                code,
                expires: Timestamp::from_unix_ms(expires * 1000),
            });
        }
    }
}

/// The household's unit and its phones that are not revoked, oldest first.
pub fn info(c: &Connection, device: &Device) -> anyhow::Result<HouseholdInfo> {
    let (building, unit): (String, String) = c.query_row(
        "SELECT building_code, unit FROM households WHERE id = ?1",
        params![device.household_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut q = c.prepare(
        "SELECT id, display_name, label, created_at FROM devices
          WHERE household_id = ?1 AND revoked_at IS NULL ORDER BY created_at, id",
    )?;
    let devices = q
        .query_map(params![device.household_id], |r| {
            let id: String = r.get(0)?;
            Ok(HouseholdDevice {
                this_device: id == device.id,
                id,
                name: r.get(1)?,
                label: r.get(2)?,
                enrolled: Timestamp::from_unix_ms(r.get::<_, i64>(3)? * 1000),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(HouseholdInfo {
        building,
        unit,
        devices,
    })
}

/// Revokes phone `id` of `device`'s household (its next request answers 401). `false` when it
/// is not a phone of this household, or already revoked.
pub fn remove_device(
    c: &Connection,
    device: &Device,
    id: &str,
    now_ms: i64,
) -> anyhow::Result<bool> {
    let n = c.execute(
        "UPDATE devices SET revoked_at = ?3 WHERE id = ?1 AND household_id = ?2 AND revoked_at IS NULL",
        params![id, device.household_id, now_ms],
    )?;
    Ok(n == 1)
}

/// Sets the household's unit; its building's volunteers see the new one at their next sync.
pub fn set_unit(c: &Connection, device: &Device, unit: &Unit, now_ms: i64) -> anyhow::Result<()> {
    c.execute(
        "UPDATE households SET unit = ?2 WHERE id = ?1",
        params![device.household_id, unit.as_str().trim()],
    )?;
    crate::volunteer::refresh_roster(c, &device.household_id, now_ms)?;
    Ok(())
}

/// Uses a volunteer invite on a phone already enrolled: its person gains the volunteer scope
/// over the invite's building, keeping their household. `None` when the code is unknown, used,
/// expired or not a volunteer code. Returns the buildings they now volunteer for.
pub fn claim_volunteer(
    c: &mut Connection,
    device: &Device,
    code: &str,
    now_ms: i64,
) -> anyhow::Result<Option<Vec<String>>> {
    let now_s = now_ms / 1000;
    let code_hash = hash_secret(&crate::enroll::normalize_code(code));
    let tx = c.transaction()?;
    let building: Option<String> = tx
        .query_row(
            "SELECT building_code FROM invites WHERE code_hash = ?1 AND role = 'volunteer'
               AND household_id IS NULL AND used_at IS NULL AND expires_at > ?2",
            params![code_hash, now_s],
            |r| r.get(0),
        )
        .optional()?;
    let Some(building) = building else {
        return Ok(None);
    };
    let claimed = tx.execute(
        "UPDATE invites SET used_at = ?2, used_by_device = ?3 WHERE code_hash = ?1 AND used_at IS NULL",
        params![code_hash, now_s, device.id],
    )?;
    if claimed != 1 {
        return Ok(None);
    }
    crate::volunteer::grant(&tx, &device.member_id, &building, now_ms)?;
    let buildings = crate::volunteer::buildings_of(&tx, &device.member_id)?;
    tx.commit()?;
    Ok(Some(buildings))
}
