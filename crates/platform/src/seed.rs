//! The demo community: grids G1, G2; buildings G1-B1, G1-B2, G2-B1, G2-B2; a staff admin.

use crate::content;
use crate::db::Db;
use crate::password;
use anyhow::Context;
use linli_protocol::published::{AlertInput, Facility, Notice, Rebuttal};
use linli_protocol::sync::PulledKind;
use linli_protocol::time::Timestamp;
use rusqlite::{params, OptionalExtension};
use serde_json::Value;

/// The demo staff account's user name.
pub const ADMIN_USERNAME: &str = "admin";

const GRIDS: [(&str, &str); 2] = [("G1", "第一網格 Grid 1"), ("G2", "第二網格 Grid 2")];
const BUILDINGS: [(&str, &str, &str); 4] = [
    ("G1-B1", "G1", "幸福樓 A 座"),
    ("G1-B2", "G1", "幸福樓 B 座"),
    ("G2-B1", "G2", "和平苑 1 號"),
    ("G2-B2", "G2", "和平苑 2 號"),
];

/// Creates a staff account, or sets the password of an existing one (see
/// [`crate::staff::set_password`] for `role`).
pub fn upsert_staff(
    db: &Db,
    username: &str,
    password: &str,
    display_name: Option<&str>,
    role: Option<(linli_protocol::staff::StaffRole, &[String])>,
) -> anyhow::Result<Result<(), crate::staff::AccountError>> {
    let hash = password::hash(password)?;
    let now = crate::auth::now_s();
    db.with(|conn| crate::staff::set_password(conn, username, &hash, display_name, role, now))
}

/// The demo admin's name as residents see it.
const ADMIN_DISPLAY_NAME: &str = "李姑娘";

/// What the demo seed made, for printing at start-up.
pub struct DemoLogins {
    pub admin_username: &'static str,
    pub admin_password: String,
    /// One grid worker per grid: (username, password, grid).
    pub grid_workers: Vec<(String, String, &'static str)>,
    /// Single-use codes made at this start, for G1-B1: a resident's and a volunteer's.
    pub resident_code: String,
    pub volunteer_code: String,
}

/// Each grid's "1 + 1 + x": its party branch and partners, with contacts.
const TEAMS: [(&str, &str, &str, &str, &str); 8] = [
    (
        "G1",
        "party_branch",
        "幸福社區第一黨支部",
        "陳書記",
        "138 0013 8001",
    ),
    (
        "G1",
        "volunteer_team",
        "幸福樓志願服務隊",
        "周隊長",
        "139 0013 9001",
    ),
    (
        "G1",
        "property_management",
        "幸福物業服務中心",
        "黃經理",
        "020 8888 0001",
    ),
    (
        "G1",
        "medical_post",
        "幸福社區衛生站",
        "林醫生",
        "020 8888 0120",
    ),
    (
        "G2",
        "party_branch",
        "和平社區第二黨支部",
        "吳書記",
        "138 0013 8002",
    ),
    (
        "G2",
        "volunteer_team",
        "和平苑青年志願隊",
        "鄭隊長",
        "139 0013 9002",
    ),
    (
        "G2",
        "property_management",
        "和平苑物業管理處",
        "何經理",
        "020 8888 0002",
    ),
    (
        "G2",
        "social_organisation",
        "長者關愛協會",
        "梁姑娘",
        "020 8888 0003",
    ),
];

/// A few open help requests of different urgencies, so the console's queue is alive:
/// (id, building, member name, category, urgency, description, minutes ago).
const REQUESTS: [(&str, &str, &str, &str, &str, &str, i64); 3] = [
    (
        "0190c7a8-0000-7000-8000-00000000d001",
        "G1-B1",
        "陳婆婆",
        "medical_care",
        "life_threatening",
        "陳婆婆胸口痛，家中只有她一人。Chest pain, lives alone.",
        25,
    ),
    (
        "0190c7a8-0000-7000-8000-00000000d002",
        "G1-B2",
        "王伯伯",
        "medicine",
        "urgent",
        "降壓藥只剩一天。One day of blood-pressure pills left.",
        40,
    ),
    (
        "0190c7a8-0000-7000-8000-00000000d003",
        "G2-B1",
        "張太太",
        "food_water",
        "normal",
        "封控第三天，需要米和飲用水。Day 3 of lockdown: rice and drinking water.",
        180,
    ),
];

/// Seeds the demo community (idempotent) and sets the admin's password: `admin_password`, or a
/// fresh random one each start.
pub fn demo(db: &Db, admin_password: Option<String>) -> anyhow::Result<DemoLogins> {
    let given = admin_password.is_some();
    let admin_password = admin_password.unwrap_or_else(password::generate);
    let hash = password::hash(&admin_password)?;
    db.with(|conn| {
        let tx = conn.transaction()?;
        for (code, name) in GRIDS {
            tx.execute("INSERT OR IGNORE INTO grids (code, name) VALUES (?1, ?2)", params![code, name])?;
        }
        for (code, grid, name) in BUILDINGS {
            tx.execute(
                "INSERT OR IGNORE INTO buildings (code, grid_code, name) VALUES (?1, ?2, ?3)",
                params![code, grid, name],
            )?;
        }
        tx.execute(
            "INSERT INTO staff_users (username, password_hash, created_at, display_name) VALUES (?1, ?2, unixepoch(), ?3)
             ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash,
               display_name = COALESCE(staff_users.display_name, excluded.display_name)",
            params![ADMIN_USERNAME, hash, ADMIN_DISPLAY_NAME],
        )?;
        for (grid, kind, name, contact, phone) in TEAMS {
            tx.execute(
                "INSERT OR IGNORE INTO teams (grid_code, kind, name, contact_name, contact_phone) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![grid, kind, name, contact, phone],
            )?;
        }
        tx.commit()?;
        Ok(())
    })?;
    // A grid worker per grid: the admin's password when it was given (tests), else a fresh one.
    let mut grid_workers = Vec::new();
    for (i, (grid, _)) in GRIDS.iter().enumerate() {
        let username = format!("grid{}", i + 1);
        let pw = if given {
            admin_password.clone()
        } else {
            password::generate()
        };
        let role = (
            linli_protocol::staff::StaffRole::GridWorker,
            &[grid.to_string()][..],
        );
        let display = format!("{grid} 網格員");
        upsert_staff(db, &username, &pw, Some(&display), Some(role))??;
        grid_workers.push((username, pw, *grid));
    }
    demo_requests(db, crate::auth::now_ms())?;
    demo_households(db, crate::auth::now_ms())?;
    // Fresh single-use codes at every start (codes are stored hashed, so earlier ones cannot be
    // printed again): a newcomer can try the resident and the volunteer app at once.
    let (resident_code, volunteer_code) = db.with(|c| {
        let one = |c: &mut rusqlite::Connection, role| {
            crate::enroll::create_invites(
                c,
                role,
                "G1-B1",
                1.try_into().map_err(anyhow::Error::msg)?,
                crate::auth::now_s(),
            )?
            .map_err(anyhow::Error::msg)?
            .pop()
            .context("an invite")
        };
        Ok((
            one(c, linli_protocol::sync::Role::Resident)?,
            one(c, linli_protocol::sync::Role::Volunteer)?,
        ))
    })?;
    Ok(DemoLogins {
        admin_username: ADMIN_USERNAME,
        admin_password,
        grid_workers,
        resident_code,
        volunteer_code,
    })
}

/// Demo households of G1-B1 and G2-B1 with units and consents of several kinds (everything,
/// name only, nothing), and a volunteer for each of those buildings; made once. They have no
/// phones: a volunteer who joins with the printed code finds them on the roster.
const HOUSEHOLDS: [(&str, &str, &str, &str, &str, &str); 6] = [
    // (member id, building, unit, name, flags JSON, share JSON)
    (
        "0190c7a8-0000-7000-8000-00000000f001",
        "G1-B1",
        "5-2",
        "李婆婆",
        r#"["elderly_alone"]"#,
        r#"{"name":true,"care_flags":true,"check_in":true}"#,
    ),
    (
        "0190c7a8-0000-7000-8000-00000000f002",
        "G1-B1",
        "7-1",
        "張伯伯",
        r#"["disabled","chronic_illness"]"#,
        r#"{"name":true}"#,
    ),
    (
        "0190c7a8-0000-7000-8000-00000000f003",
        "G1-B1",
        "9-3",
        "何先生",
        "[]",
        "{}",
    ),
    (
        "0190c7a8-0000-7000-8000-00000000f004",
        "G2-B1",
        "2-8",
        "周太太",
        r#"["elderly_alone"]"#,
        r#"{"name":true,"care_flags":true}"#,
    ),
    (
        "0190c7a8-0000-7000-8000-00000000f005",
        "G1-B1",
        "1-1",
        "陳義工",
        "[]",
        r#"{"name":true}"#,
    ),
    (
        "0190c7a8-0000-7000-8000-00000000f006",
        "G2-B1",
        "1-2",
        "黃義工",
        "[]",
        r#"{"name":true}"#,
    ),
];

fn demo_households(db: &Db, now: i64) -> anyhow::Result<()> {
    db.with(|conn| {
        let tx = conn.transaction()?;
        for (member, building, unit, name, flags, share) in HOUSEHOLDS {
            let household = format!("demo-household-{member}");
            let made = tx.execute(
                "INSERT OR IGNORE INTO households (id, building_code, created_at, unit) VALUES (?1, ?2, ?3, ?4)",
                params![household, building, now / 1000, unit],
            )?;
            if made == 0 {
                continue;
            }
            tx.execute(
                "INSERT INTO members (id, household_id, display_name, flags, share) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![member, household, name, flags, share],
            )?;
            if name.ends_with("義工") {
                tx.execute(
                    "INSERT OR IGNORE INTO volunteer_buildings (member_id, building_code, granted_at) VALUES (?1, ?2, ?3)",
                    params![member, building, now / 1000],
                )?;
            }
        }
        // The demo requests' households get units too.
        tx.execute(
            "UPDATE households SET unit = '3-' || substr(id, -3) WHERE id LIKE 'demo-household-%' AND unit = ''",
            [],
        )?;
        for building in ["G1-B1", "G2-B1"] {
            crate::volunteer::refresh_building(&tx, building, now)?;
        }
        tx.commit()?;
        Ok(())
    })
}

/// Households without phones (a volunteer or staff filed for them) with open help requests;
/// made once.
fn demo_requests(db: &Db, now: i64) -> anyhow::Result<()> {
    db.with(|conn| {
        let tx = conn.transaction()?;
        for (id, building, name, category, urgency, description, minutes) in REQUESTS {
            let exists = tx
                .query_row(
                    "SELECT 1 FROM help_requests WHERE id = ?1",
                    params![id],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if exists {
                continue;
            }
            let household = format!("demo-household-{id}");
            // The member's id: the request's with `e` for `d` (a valid UUIDv7 of its own).
            let member = id.replace("0000d00", "0000e00");
            tx.execute(
                "INSERT INTO households (id, building_code, created_at) VALUES (?1, ?2, ?3)",
                params![household, building, now / 1000],
            )?;
            tx.execute(
                "INSERT INTO members (id, household_id, display_name) VALUES (?1, ?2, ?3)",
                params![member, household, name],
            )?;
            let asked = now - minutes * 60_000;
            let request: linli_protocol::pushed::HelpRequest =
                serde_json::from_value(serde_json::json!({
                    "member_id": member, "category": category, "urgency": urgency,
                    "description": description,
                    "created_at": Timestamp::from_unix_ms(asked).as_str()}))
                .context("a demo help request")?;
            let state = crate::help::received(request, asked);
            crate::help::create(&tx, id, &household, &state, now)?;
        }
        tx.commit()?;
        Ok(())
    })
}

/// One piece of demo content: kind, id, body, audience (grids, buildings), expiry.
type DemoItem = (
    PulledKind,
    String,
    Value,
    Vec<String>,
    Vec<String>,
    Option<Timestamp>,
);

/// The demo community's alerts, rebuttals, notices and facilities (`demo/content.json`, in
/// three languages), each checked by its protocol type. Content already there is left alone,
/// so restarting the demo does not make every phone pull it again.
pub fn demo_content(db: &Db, now: i64) -> anyhow::Result<()> {
    let all: Value = serde_json::from_str(include_str!("../demo/content.json"))?;
    const HOUR: i64 = 3_600_000;
    let ago = |v: &Value, key: &str, unit: i64| now - v[key].as_i64().unwrap_or(0) * unit;
    let mut items: Vec<DemoItem> = Vec::new();
    let list = |key: &str| all[key].as_array().cloned().unwrap_or_default();
    for mut a in list("alerts") {
        let id = a["id"].as_str().unwrap_or_default().to_owned();
        let sent = Timestamp::from_unix_ms(ago(&a, "sent_hours_ago", HOUR));
        let expires =
            Timestamp::from_unix_ms(now + a["expires_in_hours"].as_i64().unwrap_or(24) * HOUR);
        a["expires"] = Value::String(expires.as_str().to_owned());
        let input: AlertInput =
            serde_json::from_value(a).with_context(|| format!("demo alert {id}"))?;
        let alert = input
            .complete(&format!("linli-demo-{id}"), sent)
            .map_err(anyhow::Error::msg)?;
        let (grids, buildings) = (alert.area.grids.clone(), alert.area.buildings.clone());
        items.push((
            PulledKind::Alert,
            id,
            serde_json::to_value(&alert)?,
            grids,
            buildings,
            Some(expires),
        ));
    }
    let mut push = |kind: PulledKind, key: &str, days_field: Option<&str>| -> anyhow::Result<()> {
        for mut v in list(key) {
            let id = v["id"].as_str().unwrap_or_default().to_owned();
            if let Some(field) = days_field {
                let at = Timestamp::from_unix_ms(ago(&v, &format!("{field}_days_ago"), 24 * HOUR));
                v[field] = Value::String(at.as_str().to_owned());
            }
            let body = match kind {
                PulledKind::Rebuttal => {
                    serde_json::to_value(serde_json::from_value::<Rebuttal>(v)?)?
                }
                PulledKind::Notice => serde_json::to_value(serde_json::from_value::<Notice>(v)?)?,
                _ => serde_json::to_value(serde_json::from_value::<Facility>(v)?)?,
            };
            items.push((kind, id, body, Vec::new(), Vec::new(), None));
        }
        Ok(())
    };
    push(PulledKind::Rebuttal, "rebuttals", Some("published"))?;
    push(PulledKind::Notice, "notices", Some("published"))?;
    push(PulledKind::Facility, "facilities", None)?;
    db.with(|conn| {
        let tx = conn.transaction()?;
        for (kind, id, body, grids, buildings, expires) in &items {
            if content::get(&tx, *kind, id)?.is_some() {
                continue;
            }
            let expires = expires.as_ref().map(|e| (e.as_str(), e.unix_ms()));
            content::put(
                &tx,
                content::Item {
                    kind: *kind,
                    id,
                    body,
                    grids,
                    buildings,
                    expires,
                },
                now,
            )?;
        }
        tx.commit()?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeding_twice_keeps_one_copy_and_the_latest_password() {
        let db = Db::open_in_memory().unwrap();
        demo(&db, Some("first".into())).unwrap();
        let logins = demo(&db, None).unwrap();
        demo_content(&db, 1_795_000_000_000).unwrap();
        demo_content(&db, 1_795_000_100_000).unwrap();
        let (buildings, grids, hash): (i64, i64, String) = db
            .with(|c| {
                Ok(c.query_row(
                    "SELECT (SELECT count(*) FROM buildings), (SELECT count(*) FROM grids),
                            (SELECT password_hash FROM staff_users WHERE username = 'admin')",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )?)
            })
            .unwrap();
        assert_eq!((buildings, grids), (4, 2));
        let published: Vec<(String, i64)> = db
            .with(|c| {
                let mut q =
                    c.prepare("SELECT kind, count(*) FROM published GROUP BY kind ORDER BY kind")?;
                let rows = q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<Result<_, _>>()?)
            })
            .unwrap();
        let count = |k: &str| published.iter().find(|(kind, _)| kind == k).map(|p| p.1);
        assert_eq!(
            count("alert"),
            Some(3),
            "one of them a drill, one cancelled"
        );
        assert!(count("rebuttal") >= Some(10));
        assert!(count("notice") >= Some(1));
        assert!(count("facility") >= Some(5));
        assert!(password::verify(&logins.admin_password, &hash));
        assert!(!password::verify("first", &hash));
    }
}
