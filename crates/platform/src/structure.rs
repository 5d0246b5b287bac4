//! The community's structure in the database: grids, buildings, teams; and the all-or-nothing
//! import of a structure CSV.

use crate::staff::Scope;
use linli_protocol::structure::{
    Building, Grid, ImportSummary, StructureRow, Team, TeamItem, TeamKind,
};
use linli_protocol::sync::PublicBuilding;
use linli_protocol::text::Text;
use rusqlite::{params, Connection, OptionalExtension};

/// Why a structure change was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StructureError {
    #[error("{field}: no grid {code:?}")]
    UnknownGrid { field: &'static str, code: String },
    #[error("no {what} {key:?}")]
    NotFound { what: &'static str, key: String },
    #[error("{0}")]
    Conflict(String),
    #[error("line {line}: {error}")]
    AtLine {
        line: usize,
        error: Box<StructureError>,
    },
    #[error("outside the grids this account works in")]
    OutOfScope,
}

fn grids_filter(scope: &Scope) -> anyhow::Result<Option<String>> {
    Ok(match scope {
        Scope::Community => None,
        Scope::Grids(g) => Some(serde_json::to_string(g)?),
    })
}

fn text<const MIN: usize, const MAX: usize>(s: String) -> Text<MIN, MAX> {
    // Stored values were checked on the way in; a value a newer version wrote is cut, not lost.
    Text::parse(&s).unwrap_or_else(|_| {
        let cut: String = s.chars().filter(|c| !c.is_control()).take(MAX).collect();
        Text::parse(&cut).unwrap_or_else(|_| Text::parse("?").unwrap_or_else(|_| unreachable!()))
    })
}

/// The grids in `scope`, by code.
pub fn grids(c: &Connection, scope: &Scope) -> anyhow::Result<Vec<Grid>> {
    let mut stmt = c.prepare(
        "SELECT code, name FROM grids WHERE ?1 IS NULL OR code IN (SELECT value FROM json_each(?1)) ORDER BY code",
    )?;
    let rows = stmt.query_map(params![grids_filter(scope)?], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?;
    rows.map(|r| {
        let (code, name): (String, String) = r?;
        Ok(Grid {
            code,
            name: text(name),
        })
    })
    .collect()
}

/// The buildings of the grids in `scope`, by code.
pub fn buildings(c: &Connection, scope: &Scope) -> anyhow::Result<Vec<Building>> {
    let mut stmt = c.prepare(
        "SELECT code, grid_code, name, address, units FROM buildings
          WHERE ?1 IS NULL OR grid_code IN (SELECT value FROM json_each(?1)) ORDER BY code",
    )?;
    let rows = stmt.query_map(params![grids_filter(scope)?], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    rows.map(|r| {
        let (code, grid, name, address, units): (String, String, String, String, i64) = r?;
        Ok(Building {
            code,
            grid,
            name: text(name),
            address: text(address),
            units: units.max(0) as u32,
        })
    })
    .collect()
}

/// The teams of the grids in `scope`, by grid, kind and name.
pub fn teams(c: &Connection, scope: &Scope) -> anyhow::Result<Vec<TeamItem>> {
    let mut stmt = c.prepare(
        "SELECT id, grid_code, kind, name, contact_name, contact_phone FROM teams
          WHERE ?1 IS NULL OR grid_code IN (SELECT value FROM json_each(?1))
          ORDER BY grid_code, kind, name",
    )?;
    let rows = stmt.query_map(params![grids_filter(scope)?], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get::<_, String>(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for r in rows {
        let (id, grid, kind, name, contact_name, contact_phone) = r?;
        // A kind this version does not know is left out rather than mislabelled.
        if let Some(kind) = TeamKind::parse(&kind) {
            out.push(TeamItem {
                id,
                grid,
                kind,
                name,
                contact_name,
                contact_phone,
            });
        }
    }
    Ok(out)
}

/// Whether grid `code` exists.
pub fn grid_exists(c: &Connection, code: &str) -> rusqlite::Result<bool> {
    let found = c.query_row("SELECT 1 FROM grids WHERE code = ?1", params![code], |_| {
        Ok(())
    });
    Ok(found.optional()?.is_some())
}

/// The grid of building `code`, or `None` when there is no such building.
pub fn grid_of(c: &Connection, code: &str) -> rusqlite::Result<Option<String>> {
    c.query_row(
        "SELECT grid_code FROM buildings WHERE code = ?1",
        params![code],
        |r| r.get(0),
    )
    .optional()
}

/// Every building's code, grid and name, for a phone that has not enrolled to pick from.
pub fn public_buildings(c: &Connection) -> anyhow::Result<Vec<PublicBuilding>> {
    Ok(buildings(c, &Scope::Community)?
        .into_iter()
        .map(|b| PublicBuilding {
            code: b.code,
            grid: b.grid,
            name: b.name.as_str().to_owned(),
        })
        .collect())
}

/// Whether building `code` exists.
pub fn building_exists(c: &Connection, code: &str) -> rusqlite::Result<bool> {
    let found = c.query_row(
        "SELECT 1 FROM buildings WHERE code = ?1",
        params![code],
        |_| Ok(()),
    );
    Ok(found.optional()?.is_some())
}

/// Creates a grid (`replace` false: a taken code is a conflict) or renames one (`replace`
/// true: it must exist).
pub fn put_grid(
    c: &Connection,
    g: &Grid,
    replace: bool,
) -> anyhow::Result<Result<(), StructureError>> {
    let exists = grid_exists(c, &g.code)?;
    match (replace, exists) {
        (false, true) => {
            return Ok(Err(StructureError::Conflict(format!(
                "code: grid {:?} exists",
                g.code
            ))))
        }
        (true, false) => {
            return Ok(Err(StructureError::NotFound {
                what: "grid",
                key: g.code.clone(),
            }))
        }
        _ => {}
    }
    c.execute(
        "INSERT INTO grids (code, name) VALUES (?1, ?2) ON CONFLICT (code) DO UPDATE SET name = excluded.name",
        params![g.code, g.name.as_str()],
    )?;
    Ok(Ok(()))
}

/// Creates or replaces a building, as [`put_grid`]; its grid must exist.
pub fn put_building(
    c: &Connection,
    b: &Building,
    replace: bool,
) -> anyhow::Result<Result<(), StructureError>> {
    if !grid_exists(c, &b.grid)? {
        return Ok(Err(StructureError::UnknownGrid {
            field: "grid",
            code: b.grid.clone(),
        }));
    }
    let exists = building_exists(c, &b.code)?;
    match (replace, exists) {
        (false, true) => {
            return Ok(Err(StructureError::Conflict(format!(
                "code: building {:?} exists",
                b.code
            ))))
        }
        (true, false) => {
            return Ok(Err(StructureError::NotFound {
                what: "building",
                key: b.code.clone(),
            }))
        }
        _ => {}
    }
    c.execute(
        "INSERT INTO buildings (code, grid_code, name, address, units) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (code) DO UPDATE SET grid_code = excluded.grid_code, name = excluded.name,
           address = excluded.address, units = excluded.units",
        params![b.code, b.grid, b.name.as_str(), b.address.as_str(), b.units],
    )?;
    Ok(Ok(()))
}

/// Creates a team (`id` None) or replaces team `id`, within `scope`; returns its id.
pub fn put_team(
    c: &Connection,
    id: Option<i64>,
    t: &Team,
    scope: &Scope,
) -> anyhow::Result<Result<i64, StructureError>> {
    if !grid_exists(c, &t.grid)? {
        return Ok(Err(StructureError::UnknownGrid {
            field: "grid",
            code: t.grid.clone(),
        }));
    }
    if !scope.covers_grid(&t.grid) {
        return Ok(Err(StructureError::OutOfScope));
    }
    if let Some(id) = id {
        let grid: Option<String> = c
            .query_row(
                "SELECT grid_code FROM teams WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?;
        match grid {
            None => {
                return Ok(Err(StructureError::NotFound {
                    what: "team",
                    key: id.to_string(),
                }))
            }
            Some(g) if !scope.covers_grid(&g) => return Ok(Err(StructureError::OutOfScope)),
            Some(_) => {}
        }
    }
    let clash: Option<i64> = c
        .query_row(
            "SELECT id FROM teams WHERE grid_code = ?1 AND kind = ?2 AND name = ?3",
            params![t.grid, t.kind.as_str(), t.name.as_str()],
            |r| r.get(0),
        )
        .optional()?;
    if clash.is_some_and(|other| Some(other) != id) {
        return Ok(Err(StructureError::Conflict(format!(
            "name: grid {} already has a {} named {:?}",
            t.grid,
            t.kind.as_str(),
            t.name.as_str()
        ))));
    }
    match id {
        Some(id) => {
            c.execute(
                "UPDATE teams SET grid_code = ?2, kind = ?3, name = ?4, contact_name = ?5, contact_phone = ?6 WHERE id = ?1",
                params![id, t.grid, t.kind.as_str(), t.name.as_str(), t.contact_name.as_str(), t.contact_phone.as_str()],
            )?;
            Ok(Ok(id))
        }
        None => {
            c.execute(
                "INSERT INTO teams (grid_code, kind, name, contact_name, contact_phone) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![t.grid, t.kind.as_str(), t.name.as_str(), t.contact_name.as_str(), t.contact_phone.as_str()],
            )?;
            Ok(Ok(c.last_insert_rowid()))
        }
    }
}

/// Imports parsed CSV rows in one transaction: grids and buildings by code and teams by
/// (grid, kind, name) are created or updated, and the import is audited. The first refused row
/// (with its line) rolls everything back.
pub fn import(
    c: &mut Connection,
    rows: &[(usize, StructureRow)],
    actor: &str,
    now_ms: i64,
) -> anyhow::Result<Result<ImportSummary, StructureError>> {
    let tx = c.transaction()?;
    let mut summary = ImportSummary::default();
    for (line, row) in rows {
        let done = match row {
            StructureRow::Grid(g) => {
                let exists = grid_exists(&tx, &g.code)?;
                put_grid(&tx, g, exists)?.map(|()| summary.grids += 1)
            }
            StructureRow::Building(b) => {
                let exists = building_exists(&tx, &b.code)?;
                put_building(&tx, b, exists)?.map(|()| summary.buildings += 1)
            }
            StructureRow::Team(t) => {
                let existing: Option<i64> = tx
                    .query_row(
                        "SELECT id FROM teams WHERE grid_code = ?1 AND kind = ?2 AND name = ?3",
                        params![t.grid, t.kind.as_str(), t.name.as_str()],
                        |r| r.get(0),
                    )
                    .optional()?;
                put_team(&tx, existing, t, &Scope::Community)?.map(|_| summary.teams += 1)
            }
        };
        if let Err(e) = done {
            // Dropping the transaction rolls back every row before this one.
            return Ok(Err(StructureError::AtLine {
                line: *line,
                error: Box::new(e),
            }));
        }
    }
    let detail = format!(
        "{} grids, {} buildings, {} teams",
        summary.grids, summary.buildings, summary.teams
    );
    crate::audit::append(&tx, now_ms, actor, "structure_import", "", &detail)?;
    tx.commit()?;
    Ok(Ok(summary))
}
