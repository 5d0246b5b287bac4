//! The demo community: grids G1, G2; buildings G1-B1, G1-B2, G2-B1, G2-B2; a staff admin.

use crate::db::Db;
use crate::password;
use rusqlite::params;

/// The demo staff account's user name.
pub const ADMIN_USERNAME: &str = "admin";

const GRIDS: [(&str, &str); 2] = [("G1", "第一網格 Grid 1"), ("G2", "第二網格 Grid 2")];
const BUILDINGS: [(&str, &str, &str); 4] = [
    ("G1-B1", "G1", "幸福樓 A 座"),
    ("G1-B2", "G1", "幸福樓 B 座"),
    ("G2-B1", "G2", "和平苑 1 號"),
    ("G2-B2", "G2", "和平苑 2 號"),
];

/// Creates a staff account, or sets the password of an existing one.
pub fn upsert_staff(db: &Db, username: &str, password: &str) -> anyhow::Result<()> {
    let hash = password::hash(password)?;
    db.with(|conn| {
        conn.execute(
            "INSERT INTO staff_users (username, password_hash, created_at) VALUES (?1, ?2, unixepoch())
             ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash",
            params![username, hash],
        )?;
        Ok(())
    })
}

/// What the demo seed made, for printing at start-up.
pub struct DemoLogins {
    pub admin_username: &'static str,
    pub admin_password: String,
}

/// Seeds the demo community (idempotent) and sets the admin's password: `admin_password`, or a
/// fresh random one each start.
pub fn demo(db: &Db, admin_password: Option<String>) -> anyhow::Result<DemoLogins> {
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
            "INSERT INTO staff_users (username, password_hash, created_at) VALUES (?1, ?2, unixepoch())
             ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash",
            params![ADMIN_USERNAME, hash],
        )?;
        tx.commit()?;
        Ok(())
    })?;
    Ok(DemoLogins {
        admin_username: ADMIN_USERNAME,
        admin_password,
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
        assert!(password::verify(&logins.admin_password, &hash));
        assert!(!password::verify("first", &hash));
    }
}
