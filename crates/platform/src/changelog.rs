//! The change log phones pull: written in the same transaction as the change it records.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Who a change is for.
pub enum Audience<'a> {
    /// One household's own records.
    Household(&'a str),
    /// A private channel other than a household's (`volunteers/<building>`,
    /// `volunteer/<member>`): see [`volunteers_channel`] and [`volunteer_channel`].
    Channel(String),
    /// Public content for these grids and buildings (both empty = the whole community).
    Public {
        grids: &'a [String],
        buildings: &'a [String],
    },
}

/// Records the upsert of one of `household`'s own records (`body` JSON) for its phones.
pub fn for_household(
    c: &Connection,
    kind: &str,
    id: &str,
    body: &str,
    household: &str,
    at: i64,
) -> rusqlite::Result<()> {
    record(
        c,
        kind,
        id,
        "upsert",
        Some(body),
        Audience::Household(household),
        at,
    )?;
    Ok(())
}

/// The channel the volunteers of `building` pull (its roster). Private changes are stored under
/// `changes.household_id`: a household's id (a UUID) or one of these, which cannot collide.
pub fn volunteers_channel(building: &str) -> String {
    format!("volunteers/{building}")
}

/// The channel one volunteer (a member) pulls: the requests assigned to them.
pub fn volunteer_channel(member: &str) -> String {
    format!("volunteer/{member}")
}

/// Everyone a public entity was addressed to by its earlier changes (stored in `changes.was`).
/// A phone in this reach but outside the current audience may still hold the entity, so it is
/// sent a delete: narrowing an alert's area, then cancelling or withdrawing it, reaches every
/// phone that could have pulled it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reach {
    /// Once addressed to the whole community.
    #[serde(default)]
    pub all: bool,
    #[serde(default)]
    pub grids: BTreeSet<String>,
    #[serde(default)]
    pub buildings: BTreeSet<String>,
}

impl Reach {
    /// Reads the stored form ('' = never addressed elsewhere).
    pub fn parse(text: &str) -> Reach {
        serde_json::from_str(text).unwrap_or_default()
    }

    fn text(&self) -> String {
        if *self == Reach::default() {
            String::new()
        } else {
            serde_json::to_string(self).unwrap_or_default()
        }
    }

    fn add(&mut self, grids: &[String], buildings: &[String]) {
        self.all |= grids.is_empty() && buildings.is_empty();
        self.grids.extend(grids.iter().cloned());
        self.buildings.extend(buildings.iter().cloned());
    }

    /// Whether a phone of `grid` / `building` is in this reach.
    pub fn covers(&self, grid: &str, building: &str) -> bool {
        self.all || self.grids.contains(grid) || self.buildings.contains(building)
    }
}

/// Appends a change for `(kind, id)`, replacing the entity's previous entry for the same audience
/// so that a pull sees each entity once, at its latest state. A public entity's earlier
/// audiences are kept in its reach. A private entity may have an entry per channel (a household's
/// roster entry for its building's volunteers, and a delete for a volunteer who lost the
/// building). Returns the new `seq`.
pub fn record(
    tx: &Connection,
    kind: &str,
    id: &str,
    op: &str,
    body: Option<&str>,
    audience: Audience<'_>,
    at: i64,
) -> rusqlite::Result<i64> {
    let mut reach = match previous(tx, kind, id)? {
        Some((grids, buildings, was)) => {
            let mut reach = Reach::parse(&was);
            reach.add(&grids, &buildings);
            reach
        }
        None => Reach::default(),
    };
    let channel = match &audience {
        Audience::Household(h) => Some(h.to_string()),
        Audience::Channel(c) => Some(c.clone()),
        Audience::Public { .. } => None,
    };
    tx.execute(
        "DELETE FROM changes WHERE kind = ?1 AND id = ?2 AND IFNULL(household_id, '') = IFNULL(?3, '')",
        params![kind, id, channel],
    )?;
    let (household, grids, buildings) = match audience {
        Audience::Household(h) => {
            reach = Reach::default();
            (Some(h.to_owned()), "[]".to_owned(), "[]".to_owned())
        }
        Audience::Channel(c) => {
            reach = Reach::default();
            (Some(c), "[]".to_owned(), "[]".to_owned())
        }
        Audience::Public { grids, buildings } => (
            None,
            serde_json::to_string(grids).unwrap_or_else(|_| "[]".into()),
            serde_json::to_string(buildings).unwrap_or_else(|_| "[]".into()),
        ),
    };
    tx.execute(
        "INSERT INTO changes (kind, id, op, body, household_id, grids, buildings, at, was)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            kind,
            id,
            op,
            body,
            household,
            grids,
            buildings,
            at,
            reach.text()
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

type Addressed = (Vec<String>, Vec<String>, String);

/// A public entity's current grids, buildings and stored reach.
fn previous(tx: &Connection, kind: &str, id: &str) -> rusqlite::Result<Option<Addressed>> {
    tx.query_row(
        "SELECT grids, buildings, was FROM changes WHERE kind = ?1 AND id = ?2 AND household_id IS NULL",
        params![kind, id],
        |r| {
            let g: String = r.get(0)?;
            let b: String = r.get(1)?;
            Ok((
                serde_json::from_str(&g).unwrap_or_default(),
                serde_json::from_str(&b).unwrap_or_default(),
                r.get(2)?,
            ))
        },
    )
    .optional()
}

/// The audience of an entity's current entry, to reuse for its tombstone.
pub fn public_audience(
    tx: &Connection,
    kind: &str,
    id: &str,
) -> rusqlite::Result<Option<(Vec<String>, Vec<String>)>> {
    Ok(previous(tx, kind, id)?.map(|(g, b, _)| (g, b)))
}

/// The change log's identity (see migration 0004) and the last `seq` it ever issued.
pub fn identity(conn: &Connection) -> rusqlite::Result<(String, i64)> {
    let id: String = conn.query_row("SELECT value FROM meta WHERE key = 'log_id'", [], |r| {
        r.get(0)
    })?;
    let end: i64 = conn
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'changes'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    Ok((id, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reach_grows_with_every_audience_and_round_trips() {
        let mut r = Reach::default();
        assert_eq!(r.text(), "");
        assert!(!r.covers("G1", "G1-B1"));
        r.add(&["G1".into()], &[]);
        r.add(&[], &["G2-B1".into()]);
        assert!(r.covers("G1", "G1-B2"));
        assert!(r.covers("G2", "G2-B1"));
        assert!(!r.covers("G2", "G2-B2"));
        assert_eq!(Reach::parse(&r.text()), r);
        r.add(&[], &[]);
        assert!(r.covers("G9", "G9-B9"), "once addressed to everyone");
    }
}
