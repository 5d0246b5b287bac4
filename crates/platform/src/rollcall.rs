//! Alert roll-call: per building of an alert's area, how many enrolled households replied
//! "I'm safe", "I need help", or nothing yet.

use crate::staff::Scope;
use linli_protocol::pushed::HouseholdMember;
use linli_protocol::staff::{BuildingRollCall, PendingHousehold, RequestMember};
use linli_protocol::sync::PulledKind;
use rusqlite::{params, Connection, OptionalExtension};

/// Why there is no roll-call to show.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum RollCallError {
    #[error("no alert {0}")]
    NotFound(String),
    #[error("outside the grids this account works in")]
    OutOfScope,
}

/// Alert `id` as stored, withdrawn or expired included (that is when staff look back at it).
fn stored_alert(c: &Connection, id: &str) -> rusqlite::Result<Option<serde_json::Value>> {
    let body: Option<String> = c
        .query_row(
            "SELECT body FROM published WHERE id = ?1 AND kind = ?2",
            params![id, PulledKind::Alert.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
}

/// The roll-call of alert `id` over the buildings of its area that `scope` covers (a whole-
/// community alert: every building in scope).
pub fn for_alert(
    c: &Connection,
    id: &str,
    scope: &Scope,
) -> anyhow::Result<Result<Vec<BuildingRollCall>, RollCallError>> {
    let Some(alert) = stored_alert(c, id)? else {
        return Ok(Err(RollCallError::NotFound(id.to_owned())));
    };
    let (grids, buildings) = crate::content::alert_area(&alert);
    let everywhere = grids.is_empty() && buildings.is_empty();
    let mut stmt = c.prepare("SELECT code, grid_code FROM buildings ORDER BY code")?;
    let all = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let in_area: Vec<&(String, String)> = all
        .iter()
        .filter(|(b, g)| everywhere || buildings.contains(b) || grids.contains(g))
        .collect();
    let in_scope: Vec<&String> = in_area
        .iter()
        .filter(|(_, g)| scope.covers_grid(g))
        .map(|(b, _)| b)
        .collect();
    if in_scope.is_empty() && !in_area.is_empty() {
        return Ok(Err(RollCallError::OutOfScope));
    }
    // Two index scans, joined here: the enrolled households with their building, and the
    // latest reply of each household that answered (kept on push). A join in SQL looked each
    // household up one by one: 160 ms for 40 000 households; this is a few ms.
    let mut enrolled = c.prepare_cached(
        "SELECT household_id, building_code FROM devices WHERE revoked_at IS NULL",
    )?;
    let mut building_of: std::collections::HashMap<String, String> =
        std::collections::HashMap::new();
    for row in enrolled.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (household, building) = row?;
        building_of.insert(household, building);
    }
    let mut counted: std::collections::HashMap<&str, (u32, u32, u32, u32)> =
        std::collections::HashMap::new();
    for building in building_of.values() {
        counted.entry(building.as_str()).or_default().0 += 1;
    }
    let mut replies =
        c.prepare_cached("SELECT household_id, response FROM alert_replies WHERE alert_id = ?1")?;
    for row in replies.query_map(params![id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })? {
        let (household, response) = row?;
        let Some(building) = building_of.get(&household) else {
            continue; // no enrolled phone any more: not counted
        };
        let entry = counted.entry(building.as_str()).or_default();
        match response.as_str() {
            "safe" => entry.1 += 1,
            "need_help" => entry.2 += 1,
            _ => {}
        }
    }
    for entry in counted.values_mut() {
        entry.3 = entry.0.saturating_sub(entry.1 + entry.2);
    }
    let mut out = Vec::new();
    for building in in_scope {
        let (households, safe, need_help, no_reply) =
            counted.get(building.as_str()).copied().unwrap_or_default();
        out.push(BuildingRollCall {
            building: building.clone(),
            households,
            safe,
            need_help,
            no_reply,
        });
    }
    Ok(Ok(out))
}

/// Keeps a household's latest reply to an alert (by the reply's own time; a later-arriving
/// older reply does not replace a newer one).
pub fn record_reply(
    tx: &Connection,
    household: &str,
    ack: &linli_protocol::pushed::AlertAck,
) -> rusqlite::Result<()> {
    let response = match ack.response {
        linli_protocol::pushed::AckResponse::Safe => "safe",
        linli_protocol::pushed::AckResponse::NeedHelp => "need_help",
    };
    tx.execute(
        "INSERT INTO alert_replies (alert_id, household_id, response, at_ms) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (alert_id, household_id) DO UPDATE SET response = excluded.response,
           at_ms = excluded.at_ms WHERE excluded.at_ms >= alert_replies.at_ms",
        params![ack.alert_id.as_str(), household, response, ack.at.unix_ms()],
    )?;
    Ok(())
}

/// The enrolled households of `building` that have not replied to alert `id`: those with a
/// member who shared care needs first (the door-knock order), then by name.
pub fn pending(
    c: &Connection,
    id: &str,
    building: &str,
    scope: &Scope,
) -> anyhow::Result<Result<Vec<PendingHousehold>, RollCallError>> {
    let Some(alert) = stored_alert(c, id)? else {
        return Ok(Err(RollCallError::NotFound(id.to_owned())));
    };
    let grid: Option<String> = c
        .query_row(
            "SELECT grid_code FROM buildings WHERE code = ?1",
            params![building],
            |r| r.get(0),
        )
        .optional()?;
    let (grids, buildings) = crate::content::alert_area(&alert);
    let in_area = grid.as_ref().is_some_and(|g| {
        (grids.is_empty() && buildings.is_empty())
            || grids.contains(g)
            || buildings.iter().any(|b| b == building)
    });
    if !in_area {
        return Ok(Err(RollCallError::NotFound(format!(
            "{building} in the alert's area"
        ))));
    }
    if !scope.covers_building(c, building)? {
        return Ok(Err(RollCallError::OutOfScope));
    }
    let mut stmt = c.prepare_cached(
        "SELECT h.id, m.display_name, r.body
           FROM households h
           JOIN members m ON m.household_id = h.id
           LEFT JOIN records r ON r.id = m.id AND r.household_id = h.id AND r.kind = ?3
          WHERE h.building_code = ?2
            AND EXISTS (SELECT 1 FROM devices d WHERE d.household_id = h.id AND d.revoked_at IS NULL)
            AND NOT EXISTS (SELECT 1 FROM alert_replies a WHERE a.alert_id = ?1 AND a.household_id = h.id)
          ORDER BY h.id, m.id",
    )?;
    let kind = <HouseholdMember as linli_protocol::sync::Pushed>::KIND.as_str();
    let rows = stmt
        .query_map(params![id, building, kind], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out: Vec<PendingHousehold> = Vec::new();
    for (household, name, profile) in rows {
        let member = match profile.and_then(|b| serde_json::from_str::<HouseholdMember>(&b).ok()) {
            Some(m) => RequestMember {
                display_name: m.display_name.as_str().to_owned(),
                flags: m.flags,
            },
            None => RequestMember {
                display_name: name,
                flags: Vec::new(),
            },
        };
        match out.last_mut() {
            Some(last) if last.household == household => last.members.push(member),
            _ => out.push(PendingHousehold {
                household,
                members: vec![member],
            }),
        }
    }
    let flagged = |h: &PendingHousehold| h.members.iter().any(|m| !m.flags.is_empty());
    let first_name = |h: &PendingHousehold| h.members.first().map(|m| m.display_name.clone());
    out.sort_by(|a, b| {
        flagged(b)
            .cmp(&flagged(a))
            .then_with(|| first_name(a).cmp(&first_name(b)))
    });
    Ok(Ok(out))
}
