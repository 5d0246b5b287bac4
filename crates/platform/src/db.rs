//! The SQLite database: opened in WAL mode with full fsync, migrated on open.
//!
//! One connection behind a mutex serialises writers (SQLite allows one writer at a time anyway);
//! async code reaches it through [`Db::call`], which runs the closure on the blocking pool.

use anyhow::Context;
use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Embedded migrations, applied in order; `PRAGMA user_version` records how many have run.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_init.sql"),
    include_str!("../migrations/0002_sync.sql"),
    include_str!("../migrations/0003_tombstone_index.sql"),
    include_str!("../migrations/0004_log_identity.sql"),
    include_str!("../migrations/0005_revocation.sql"),
    include_str!("../migrations/0006_health_instants.sql"),
    include_str!("../migrations/0007_staff_scopes.sql"),
    include_str!("../migrations/0008_alert_help.sql"),
    include_str!("../migrations/0009_rumor_tips.sql"),
    include_str!("../migrations/0010_structure.sql"),
    include_str!("../migrations/0011_console_at_scale.sql"),
    include_str!("../migrations/0012_households_volunteers.sql"),
    include_str!("../migrations/0013_changes_per_channel.sql"),
    include_str!("../migrations/0014_web_push.sql"),
];

/// A handle to the platform database; cheap to clone.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens (creating if needed) the database file and its directory, and migrates it.
    pub fn open(path: &Path) -> anyhow::Result<Db> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| {
                format!(
                    "--db {}: cannot create directory {}",
                    path.display(),
                    dir.display()
                )
            })?;
        }
        let conn = Connection::open(path)
            .with_context(|| format!("--db {}: cannot open database", path.display()))?;
        Self::prepare(conn)
            .with_context(|| format!("--db {}: cannot prepare database", path.display()))
    }

    /// An in-memory database, migrated (tests).
    pub fn open_in_memory() -> anyhow::Result<Db> {
        Self::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut conn: Connection) -> anyhow::Result<Db> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn)?;
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with the connection on tokio's blocking pool.
    pub async fn call<R, F>(&self, f: F) -> anyhow::Result<R>
    where
        F: FnOnce(&mut Connection) -> anyhow::Result<R> + Send + 'static,
        R: Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn
                .lock()
                .map_err(|_| anyhow::anyhow!("database mutex poisoned"))?;
            f(&mut guard)
        })
        .await?
    }

    /// Runs `f` with the connection on the current thread (start-up, CLI, tests).
    pub fn with<R>(
        &self,
        f: impl FnOnce(&mut Connection) -> anyhow::Result<R>,
    ) -> anyhow::Result<R> {
        let mut guard = self
            .conn
            .lock()
            .map_err(|_| anyhow::anyhow!("database mutex poisoned"))?;
        f(&mut guard)
    }
}

fn migrate(conn: &mut Connection) -> anyhow::Result<()> {
    let applied: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if applied > MIGRATIONS.len() {
        anyhow::bail!(
            "database schema version {applied} is newer than this program ({}); upgrade linli-platform",
            MIGRATIONS.len()
        );
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)
            .with_context(|| format!("migration {}", i + 1))?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_database_is_created_in_wal_mode_and_migrated_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/dir/linli.db");
        let db = Db::open(&path).unwrap();
        let (mode, version): (String, usize) = db
            .with(|c| {
                let mode = c.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
                let version = c.pragma_query_value(None, "user_version", |r| r.get(0))?;
                Ok((mode, version))
            })
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(version, MIGRATIONS.len());
        drop(db);
        // Re-opening does not re-run migrations (they would fail: tables exist).
        Db::open(&path).unwrap();
    }

    #[test]
    fn an_unwritable_path_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "x").unwrap();
        let err = format!("{:#}", Db::open(&file.join("linli.db")).err().unwrap());
        assert!(err.starts_with("--db "), "{err}");
        assert!(err.contains("cannot create directory"), "{err}");
    }

    /// Data a database at schema `version` can hold (v2 and up: a household, a device, a pushed
    /// report with its latest-of-the-day row, a change-log entry).
    fn fill(c: &Connection, version: usize) {
        c.execute_batch(
            "INSERT INTO grids VALUES ('G1', 'Grid 1');
             INSERT INTO buildings (code, grid_code, name) VALUES ('G1-B1', 'G1', 'Block 1');
             INSERT INTO staff_users (username, password_hash, created_at) VALUES ('admin', 'x', 0);",
        )
        .unwrap();
        if version >= 2 {
            c.execute_batch(
                "INSERT INTO households (id, building_code, created_at) VALUES ('h1', 'G1-B1', 0);
                 INSERT INTO devices (id, token_hash, role, household_id, building_code, member_id, display_name, created_at)
                   VALUES ('d1', 't1', 'resident', 'h1', 'G1-B1', 'm1', 'A', 0);
                 INSERT INTO members (id, household_id, display_name) VALUES ('m1', 'h1', 'A');
                 INSERT INTO records VALUES ('r1', 'health_report', 'h1', 'd1', '{}', 0);
                 INSERT INTO records VALUES ('a1', 'alert_ack', 'h1', 'd1',
                   json_object('alert_id', 'al1', 'response', 'need_help', 'at', '2026-11-28T10:00:00Z'), 0);
                 INSERT INTO health_latest (member_id, date, record_id, reported_at)
                   VALUES ('m1', '2026-11-28', 'r1', '2026-11-28T09:00:00.5+08:00');
                 INSERT INTO changes (seq, kind, id, op, body, household_id, at) VALUES (7, 'help_request', 'x', 'upsert', '{}', 'h1', 0);
                 INSERT INTO changes (seq, kind, id, op, body, household_id, at) VALUES (9, 'help_request', 'y', 'delete', NULL, 'h1', 0);
                 DELETE FROM changes WHERE seq = 9;",
            )
            .unwrap();
        }
        if version >= 6 {
            // From v6 on, the platform writes the instant with the row.
            c.execute_batch("UPDATE health_latest SET reported_ms = 1795827600500")
                .unwrap();
        }
    }

    #[test]
    fn a_database_made_by_each_earlier_schema_version_is_upgraded_with_its_data() {
        for version in 1..MIGRATIONS.len() {
            let mut c = Connection::open_in_memory().unwrap();
            for sql in &MIGRATIONS[..version] {
                c.execute_batch(sql).unwrap();
            }
            c.pragma_update(None, "user_version", version).unwrap();
            fill(&c, version);

            migrate(&mut c).unwrap();
            let upgraded: usize = c
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap();
            assert_eq!(upgraded, MIGRATIONS.len(), "from v{version}");
            let count = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
            assert_eq!(
                count("SELECT COUNT(*) FROM buildings"),
                1,
                "from v{version}"
            );
            assert_eq!(
                count("SELECT COUNT(*) FROM meta WHERE key = 'log_id' AND length(value) = 32"),
                1
            );
            // Accounts made before roles existed act for the whole community.
            assert_eq!(
                count(
                    "SELECT COUNT(*) FROM staff_users WHERE role = 'admin' AND disabled_at IS NULL"
                ),
                1,
                "from v{version}"
            );
            if version >= 2 {
                assert_eq!(count("SELECT COUNT(*) FROM records"), 2, "from v{version}");
                assert_eq!(
                    count("SELECT COUNT(*) FROM devices WHERE revoked_at IS NULL"),
                    1
                );
                assert_eq!(count("SELECT COUNT(*) FROM changes WHERE was = ''"), 1);
                // The log's high-water mark (past a purged row) survives the rebuild (v13).
                assert_eq!(
                    count("SELECT seq FROM sqlite_sequence WHERE name = 'changes'"),
                    9,
                    "from v{version}"
                );
                // Replies pushed before v11 are counted by the roll-call after it (backfilled).
                if version < 11 {
                    assert_eq!(
                        count("SELECT COUNT(*) FROM alert_replies WHERE alert_id = 'al1' AND response = 'need_help' AND at_ms = 1795860000000"),
                        1,
                        "from v{version}"
                    );
                }
                // 09:00:00.5+08:00 is 01:00:00.5Z.
                assert_eq!(
                    count("SELECT reported_ms FROM health_latest"),
                    1_795_827_600_500,
                    "from v{version}"
                );
            }
        }
    }

    #[test]
    fn a_newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("linli.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
        drop(conn);
        let err = format!("{:#}", Db::open(&path).err().unwrap());
        assert!(err.contains("newer than this program"), "{err}");
    }
}
