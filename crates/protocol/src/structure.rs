//! The community's structure, "1 + 1 + x": grids, their buildings, and per grid its party
//! branch and its partner teams (volunteer teams, property management, medical post, social
//! organisations). Codes are the references used everywhere else in the protocol. Also the
//! CSV form staff import it from, parsed and checked here, with the line of each mistake.

use crate::limits::Checked;
use crate::sync::FieldError;
use crate::text::Text;
use serde::{Deserialize, Serialize};

/// A grid or building code: 1–32 ASCII letters, digits, `-` or `_` (e.g. `G1`, `G1-B1`).
pub fn check_code(field: &str, code: &str) -> Result<(), FieldError> {
    let ok = (1..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(FieldError {
            field: field.into(),
            message: format!("{code:?} is not a code (1–32 letters, digits, - or _)"),
        })
    }
}

/// A grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Grid {
    pub code: String,
    pub name: Text<1, 100>,
}

impl Checked for Grid {
    fn check(&self, _: i64) -> Result<(), FieldError> {
        check_code("code", &self.code)
    }
}

/// A building of a grid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Building {
    pub code: String,
    pub grid: String,
    pub name: Text<1, 100>,
    #[serde(default)]
    pub address: Text<0, 200>,
    /// How many units (flats) it has; 0 when not known.
    #[serde(default)]
    pub units: u32,
}

/// The most units one building may have.
pub const MAX_UNITS: u32 = 10_000;

impl Checked for Building {
    fn check(&self, _: i64) -> Result<(), FieldError> {
        check_code("code", &self.code)?;
        check_code("grid", &self.grid)?;
        if self.units > MAX_UNITS {
            return Err(FieldError {
                field: "units".into(),
                message: format!("at most {MAX_UNITS}"),
            });
        }
        Ok(())
    }
}

/// What a team is in the grid's "1 + 1 + x".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TeamKind {
    PartyBranch,
    VolunteerTeam,
    PropertyManagement,
    MedicalPost,
    SocialOrganisation,
}

impl TeamKind {
    pub const ALL: [TeamKind; 5] = [
        TeamKind::PartyBranch,
        TeamKind::VolunteerTeam,
        TeamKind::PropertyManagement,
        TeamKind::MedicalPost,
        TeamKind::SocialOrganisation,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            TeamKind::PartyBranch => "party_branch",
            TeamKind::VolunteerTeam => "volunteer_team",
            TeamKind::PropertyManagement => "property_management",
            TeamKind::MedicalPost => "medical_post",
            TeamKind::SocialOrganisation => "social_organisation",
        }
    }
    pub fn parse(s: &str) -> Option<TeamKind> {
        TeamKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A team of a grid with its contact.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub grid: String,
    pub kind: TeamKind,
    pub name: Text<1, 100>,
    #[serde(default)]
    pub contact_name: Text<0, 50>,
    #[serde(default)]
    pub contact_phone: Text<0, 30>,
}

impl Checked for Team {
    fn check(&self, _: i64) -> Result<(), FieldError> {
        check_code("grid", &self.grid)?;
        let phone = self.contact_phone.as_str();
        if !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c))
        {
            return Err(FieldError {
                field: "contact_phone".into(),
                message: "digits, spaces, +, - and brackets only".into(),
            });
        }
        Ok(())
    }
}

/// A stored team: its id and the team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamItem {
    pub id: i64,
    pub grid: String,
    pub kind: TeamKind,
    pub name: String,
    pub contact_name: String,
    pub contact_phone: String,
}

/// `GET /api/v1/staff/grids` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grids {
    pub items: Vec<Grid>,
}

/// `GET /api/v1/staff/buildings` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Buildings {
    pub items: Vec<Building>,
}

/// `GET /api/v1/staff/teams` answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Teams {
    pub items: Vec<TeamItem>,
}

/// What an import wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportSummary {
    pub grids: u32,
    pub buildings: u32,
    pub teams: u32,
}

/// One row of a structure CSV.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StructureRow {
    Grid(Grid),
    Building(Building),
    Team(Team),
}

/// The header a structure CSV starts with.
pub const CSV_HEADER: &str = "type,code,name,grid,address,units,kind,contact_name,contact_phone";

/// A CSV mistake: the 1-based line, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub error: FieldError,
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.error)
    }
}

/// The most rows one import may hold.
pub const MAX_IMPORT_ROWS: usize = 20_000;

/// Parses a structure CSV (RFC 4180 quoting, a header line first, `type` = grid, building or
/// team; blank lines skipped). Every row is checked and kept with its line; the first mistake is
/// returned with its line, and then nothing may be imported.
pub fn parse_csv(text: &str) -> Result<Vec<(usize, StructureRow)>, LineError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let records = split_records(text)?;
    let mut rows = Vec::new();
    // Blank lines, and lines of only commas (spreadsheets add them), are skipped.
    let mut records = records
        .into_iter()
        .filter(|(_, f)| !f.iter().all(|v| v.trim().is_empty()));
    let Some((line, header)) = records.next() else {
        return Err(LineError {
            line: 1,
            error: field("file", "is empty; the first line is the header"),
        });
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_owned()).collect();
    if header.join(",") != CSV_HEADER {
        return Err(LineError {
            line,
            error: field("header", &format!("must be {CSV_HEADER}")),
        });
    }
    for (line, fields) in records {
        if rows.len() >= MAX_IMPORT_ROWS {
            return Err(LineError {
                line,
                error: field("file", &format!("more than {MAX_IMPORT_ROWS} rows")),
            });
        }
        if fields.len() != 9 {
            return Err(LineError {
                line,
                error: field("row", &format!("has {} fields, the header 9", fields.len())),
            });
        }
        let row = parse_row(&fields).map_err(|error| LineError { line, error })?;
        rows.push((line, row));
    }
    Ok(rows)
}

fn field(name: &str, message: &str) -> FieldError {
    FieldError {
        field: name.into(),
        message: message.into(),
    }
}

fn text<const MIN: usize, const MAX: usize>(
    name: &str,
    v: &str,
) -> Result<Text<MIN, MAX>, FieldError> {
    Text::parse(v.trim()).map_err(|m| field(name, &m))
}

fn parse_row(f: &[String]) -> Result<StructureRow, FieldError> {
    let get = |i: usize| f[i].trim();
    let row = match get(0) {
        "grid" => StructureRow::Grid(Grid {
            code: get(1).into(),
            name: text("name", get(2))?,
        }),
        "building" => StructureRow::Building(Building {
            code: get(1).into(),
            grid: get(3).into(),
            name: text("name", get(2))?,
            address: text("address", get(4))?,
            units: match get(5) {
                "" => 0,
                n => n
                    .parse()
                    .map_err(|_| field("units", &format!("{n:?} is not a whole number")))?,
            },
        }),
        "team" => StructureRow::Team(Team {
            grid: get(3).into(),
            kind: TeamKind::parse(get(6)).ok_or_else(|| {
                let kinds: Vec<&str> = TeamKind::ALL.iter().map(|k| k.as_str()).collect();
                field(
                    "kind",
                    &format!("{:?} is not one of {}", get(6), kinds.join(", ")),
                )
            })?,
            name: text("name", get(2))?,
            contact_name: text("contact_name", get(7))?,
            contact_phone: text("contact_phone", get(8))?,
        }),
        other => {
            return Err(field(
                "type",
                &format!("{other:?} is not grid, building or team"),
            ))
        }
    };
    match &row {
        StructureRow::Grid(g) => g.check(0)?,
        StructureRow::Building(b) => b.check(0)?,
        StructureRow::Team(t) => t.check(0)?,
    }
    Ok(row)
}

/// Splits CSV text into records of fields, each with the line it starts on.
fn split_records(text: &str) -> Result<Vec<(usize, Vec<String>)>, LineError> {
    let mut records = Vec::new();
    let (mut fields, mut cur) = (Vec::new(), String::new());
    let (mut line, mut start) = (1usize, 1usize);
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                cur.push(c);
            }
            (false, '"') if cur.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut cur)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            // A bare CR (old Mac line ends) ends a line too.
            (false, '\n' | '\r') => {
                fields.push(std::mem::take(&mut cur));
                records.push((start, std::mem::take(&mut fields)));
                line += 1;
                start = line;
            }
            (false, c) => cur.push(c),
        }
    }
    if quoted {
        return Err(LineError {
            line: start,
            error: field("row", "a quoted field is never closed"),
        });
    }
    if !cur.is_empty() || !fields.is_empty() {
        fields.push(cur);
        records.push((start, fields));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "type,code,name,grid,address,units,kind,contact_name,contact_phone\n\
grid,G1,幸福里第一網格,,,,,,\n\
building,G1-B1,幸福里1號樓,G1,\"幸福路1號, 東門\",120,,,\n\
\n\
team,,幸福里第一黨支部,G1,,,party_branch,李書記,138 0000 0000\r\n";

    #[test]
    fn a_good_file_gives_one_row_per_line_with_quoted_commas_kept() {
        let rows = parse_csv(GOOD).unwrap();
        assert_eq!(rows.len(), 3);
        let (3, StructureRow::Building(b)) = &rows[1] else {
            panic!("{rows:?}")
        };
        assert_eq!(b.address.as_str(), "幸福路1號, 東門");
        assert_eq!(b.units, 120);
        let (5, StructureRow::Team(t)) = &rows[2] else {
            panic!("{rows:?}")
        };
        assert_eq!(
            (t.kind, t.contact_phone.as_str()),
            (TeamKind::PartyBranch, "138 0000 0000")
        );
    }

    #[test]
    fn each_mistake_is_named_with_its_line() {
        let bad = |body: &str| {
            parse_csv(&format!("{CSV_HEADER}\n{body}"))
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            bad("grid,G1,A,,,,,,\nbuilding,B1,B,G1,,many,,,"),
            "line 3: units: \"many\" is not a whole number"
        );
        assert_eq!(
            bad("grid,G 1,A,,,,,,"),
            "line 2: code: \"G 1\" is not a code (1–32 letters, digits, - or _)"
        );
        assert!(bad("team,,T,G1,,,club,,")
            .starts_with("line 2: kind: \"club\" is not one of party_branch"));
        assert_eq!(
            bad("street,S1,A,,,,,,"),
            "line 2: type: \"street\" is not grid, building or team"
        );
        assert_eq!(bad("grid,G1,A"), "line 2: row: has 3 fields, the header 9");
        assert_eq!(
            bad("grid,G1,,,,,,,"),
            "line 2: name: must be 1–100 characters (got 0)"
        );
        assert_eq!(
            bad("team,,T,G1,,,party_branch,,call me"),
            "line 2: contact_phone: digits, spaces, +, - and brackets only"
        );
        // A quoted line break counts: the error names the line the row starts on.
        assert_eq!(
            bad("building,B1,\"two\nlines\",G1,,x,,,"),
            "line 2: units: \"x\" is not a whole number"
        );
        assert_eq!(
            bad("grid,G2,\"open,,,,,,,"),
            "line 2: row: a quoted field is never closed"
        );
        assert!(parse_csv("code,name\n")
            .unwrap_err()
            .to_string()
            .starts_with("line 1: header: must be type,code"));
        assert_eq!(parse_csv("").unwrap_err().line, 1);
    }

    #[test]
    fn comma_only_lines_are_skipped_and_bare_cr_ends_a_line() {
        let text = format!("{CSV_HEADER}\rgrid,G1,A,,,,,,\r,,,,,,,,\rgrid,G2,B,,,,,,\r");
        let rows = parse_csv(&text).unwrap();
        assert_eq!(rows.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [2, 4]);
    }
}
