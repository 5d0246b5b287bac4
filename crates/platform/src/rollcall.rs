//! Alert roll-call: per building of an alert's area, how many enrolled households replied
//! "I'm safe", "I need help", or nothing yet.

use crate::staff::Scope;
use linli_protocol::staff::BuildingRollCall;
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

/// The roll-call of alert `id` over the buildings of its area that `scope` covers (a whole-
/// community alert: every building in scope).
pub fn for_alert(
    c: &Connection,
    id: &str,
    scope: &Scope,
) -> anyhow::Result<Result<Vec<BuildingRollCall>, RollCallError>> {
    // Also after the alert was withdrawn or expired: that is when staff look back at it.
    let body: Option<String> = c
        .query_row(
            "SELECT body FROM published WHERE id = ?1 AND kind = ?2",
            params![id, PulledKind::Alert.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    let Some(alert) = body.and_then(|b| serde_json::from_str::<serde_json::Value>(&b).ok()) else {
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
    let mut count = c.prepare_cached(
        "WITH latest AS (
           SELECT r.household_id, json_extract(r.body, '$.response') AS response,
                  ROW_NUMBER() OVER (PARTITION BY r.household_id
                    ORDER BY unixepoch(json_extract(r.body, '$.at'), 'subsec') DESC, r.received_at DESC) AS n
             FROM records r
            WHERE r.kind = 'alert_ack' AND json_extract(r.body, '$.alert_id') = ?1)
         SELECT COUNT(*),
                COALESCE(SUM(l.response = 'safe'), 0),
                COALESCE(SUM(l.response = 'need_help'), 0),
                COALESCE(SUM(l.response IS NULL), 0)
           FROM households h
           LEFT JOIN latest l ON l.household_id = h.id AND l.n = 1
          WHERE h.building_code = ?2
            AND EXISTS (SELECT 1 FROM devices d WHERE d.household_id = h.id AND d.revoked_at IS NULL)",
    )?;
    let mut out = Vec::new();
    for building in in_scope {
        let (households, safe, need_help, no_reply) = count
            .query_row(params![id, building], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
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
