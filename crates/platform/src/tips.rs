//! Residents' rumor tips as staff see them: the inbox, and marking a tip handled (optionally
//! linked to the rebuttal that answers it).

use crate::staff::Scope;
use linli_protocol::published::Rebuttal;
use linli_protocol::pushed::RumorTip;
use linli_protocol::staff::RumorTipItem;
use linli_protocol::sync::{Pulled, Pushed};
use linli_protocol::time::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};

/// The most tips one inbox answer holds.
pub const INBOX_MAX: u32 = 500;

/// Why a tip could not be marked handled.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TipError {
    #[error("no rumor tip {0:?}")]
    NotFound(String),
    #[error("outside the grids this account works in")]
    OutOfScope,
    #[error("rebuttal_id: no rebuttal {0:?}")]
    UnknownRebuttal(String),
}

/// Tips from buildings in `scope`: unhandled first, then newest first.
pub fn inbox(c: &Connection, scope: &Scope) -> anyhow::Result<Vec<RumorTipItem>> {
    let grids: Option<String> = match scope {
        Scope::Community => None,
        Scope::Grids(g) => Some(serde_json::to_string(g)?),
    };
    let mut stmt = c.prepare(
        "SELECT r.id, r.body, b.code, b.grid_code, t.handled_at, t.handled_by, t.rebuttal_id
           FROM records r
           JOIN households o ON o.id = r.household_id
           JOIN buildings b ON b.code = o.building_code
           LEFT JOIN rumor_tip_handled t ON t.record_id = r.id
          WHERE r.kind = ?3
            AND (?1 IS NULL OR b.grid_code IN (SELECT value FROM json_each(?1)))
          ORDER BY t.handled_at IS NOT NULL, r.received_at DESC, r.id DESC
          LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![grids, INBOX_MAX, RumorTip::KIND.as_str()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<String>>(6)?,
        ))
    })?;
    let mut items = Vec::new();
    for row in rows {
        let (id, body, building, grid, handled_at, handled_by, rebuttal_id) = row?;
        let Ok(tip) = serde_json::from_str::<RumorTip>(&body) else {
            continue;
        };
        items.push(RumorTipItem {
            id,
            text: tip.text.as_str().to_owned(),
            at: tip.at.as_str().to_owned(),
            building,
            grid,
            handled_at: handled_at.map(|ms| Timestamp::from_unix_ms(ms).as_str().to_owned()),
            handled_by,
            rebuttal_id,
        });
    }
    Ok(items)
}

/// Marks tip `id` handled by `actor` (username for the audit log, display name for the mark),
/// linked to `rebuttal` if given, audited in the same transaction. Marking it again replaces
/// the earlier mark (e.g. to add the rebuttal written since).
pub fn mark_handled(
    c: &mut Connection,
    id: &str,
    scope: &Scope,
    rebuttal: Option<&str>,
    actor: (&str, &str),
    now_ms: i64,
) -> anyhow::Result<Result<(), TipError>> {
    let (username, by) = actor;
    let c = c.transaction()?;
    let grid: Option<String> = c
        .query_row(
            "SELECT b.grid_code FROM records r
               JOIN households o ON o.id = r.household_id
               JOIN buildings b ON b.code = o.building_code
              WHERE r.id = ?1 AND r.kind = ?2",
            params![id, RumorTip::KIND.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    let Some(grid) = grid else {
        return Ok(Err(TipError::NotFound(id.to_owned())));
    };
    if !scope.covers_grid(&grid) {
        return Ok(Err(TipError::OutOfScope));
    }
    if let Some(rebuttal) = rebuttal {
        let known = c
            .query_row(
                "SELECT 1 FROM published WHERE id = ?1 AND kind = ?2",
                params![rebuttal, Rebuttal::KIND.as_str()],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !known {
            return Ok(Err(TipError::UnknownRebuttal(rebuttal.to_owned())));
        }
    }
    c.execute(
        "INSERT INTO rumor_tip_handled (record_id, handled_at, handled_by, rebuttal_id)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (record_id) DO UPDATE SET handled_at = excluded.handled_at,
           handled_by = excluded.handled_by, rebuttal_id = excluded.rebuttal_id",
        params![id, now_ms, by, rebuttal],
    )?;
    crate::audit::append(&c, now_ms, username, "rumor_tip_handled", id, "")?;
    c.commit()?;
    Ok(Ok(()))
}
