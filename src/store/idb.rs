//! IndexedDB access through `indexed_db_futures`.

use super::model::{
    ContentItem, LocalRecord, Meta, OutboxEntry, OutboxState, PullFrom, PulledPage, RecordSync,
    Settle,
};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{TransactionDurability, TransactionMode, TransactionOptions};
use indexed_db_futures::KeyPath;
use linli_protocol::sync::PushResult;

/// The database name.
pub const DB_NAME: &str = "linli";
/// The schema this code writes. v1: outbox, records, content, meta. v2 added `drafts`, which no
/// version ever wrote to; v3 drops it and keeps everything else.
pub const SCHEMA_VERSION: u32 = 3;

const OUTBOX: &str = "outbox";
const RECORDS: &str = "records";
const CONTENT: &str = "content";
const META: &str = "meta";
/// The store schema v2 created and v3 drops (never written).
const DRAFTS: &str = "drafts";

pub use super::error::StoreError;

impl<E: std::fmt::Debug> From<E> for StoreError
where
    E: Into<indexed_db_futures::error::Error>,
{
    fn from(e: E) -> StoreError {
        use indexed_db_futures::error::Error;
        match e.into() {
            Error::DomException(d) => {
                let d: web_sys::DomException = d.into();
                StoreError::from_exception(&d.name(), &d.message())
            }
            other => StoreError::Other(describe(&other)),
        }
    }
}

/// An error other than a DOMException, in words for the log. Not `Debug`: the library's
/// errors carry floats, and formatting a float costs the first load several KB of wasm.
fn describe(e: &indexed_db_futures::error::Error) -> String {
    use indexed_db_futures::error::{Error, SerialisationError};
    match e {
        Error::Serialisation(SerialisationError::Serde(s)) => s.to_string(),
        Error::Serialisation(SerialisationError::SimpleValue(_)) => {
            "a stored value has an unexpected type".to_owned()
        }
        Error::MissingData(_) => "missing data".to_owned(),
        Error::Unknown(js) => js.to_string(),
        Error::DomException(_) => "a browser exception".to_owned(),
    }
}

type Result<T> = std::result::Result<T, StoreError>;

/// Window events the store raises for the shell to show: this tab's connection was closed
/// because another tab opened a newer schema (reload to go on), or opening a newer schema
/// waits for other tabs to close theirs.
pub const EVENT_OUTDATED: &str = "linli-db-outdated";
pub const EVENT_BLOCKED: &str = "linli-db-blocked";

fn announce(event: &str) {
    if let (Some(w), Ok(e)) = (web_sys::window(), web_sys::Event::new(event)) {
        let _ = w.dispatch_event(&e);
    }
}

/// Opens `name` at `version`, running every upgrade step from the stored version up. When a
/// newer version of the app (another tab) asks to upgrade, this connection closes at once —
/// so the other tab never hangs — and the shell asks the person to reload.
pub async fn open_version(name: &str, version: u32) -> Result<Database> {
    let db = open_only(name, version).await?;
    if let Ok(mut changes) = db.version_changes() {
        let closing = db.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if std::future::poll_fn(|cx| changes.poll_recv(cx))
                .await
                .is_some()
            {
                closing.close();
                announce(EVENT_OUTDATED);
            }
        });
    }
    Ok(db)
}

async fn open_only(name: &str, version: u32) -> Result<Database> {
    Database::open(name)
        .with_version(version)
        .with_on_blocked(|_| {
            announce(EVENT_BLOCKED);
            Ok(())
        })
        .with_on_upgrade_needed(move |event, db| {
            let old = event.old_version() as u32;
            let new = event.new_version().map(|v| v as u32).unwrap_or(version);
            if old < 1 && new >= 1 {
                // Every index is created with its store (indexes cannot be added later here).
                let outbox = db
                    .create_object_store(OUTBOX)
                    .with_key_path(KeyPath::One("id"))
                    .build()?;
                outbox
                    .create_index("by_state", KeyPath::One("state"))
                    .build()?;
                let records = db
                    .create_object_store(RECORDS)
                    .with_key_path(KeyPath::One("id"))
                    .build()?;
                records
                    .create_index("by_kind", KeyPath::One("kind"))
                    .build()?;
                let content = db
                    .create_object_store(CONTENT)
                    .with_key_path(KeyPath::One("key"))
                    .build()?;
                content
                    .create_index("by_kind", KeyPath::One("kind"))
                    .build()?;
                db.create_object_store(META)
                    .with_key_path(KeyPath::One("key"))
                    .build()?;
            }
            // Each version's step, in order, so that opening at an old version (as the tests
            // do) makes exactly the database that version of the app made.
            if old < 2 && new >= 2 {
                db.create_object_store(DRAFTS)
                    .with_key_path(KeyPath::One("key"))
                    .build()?;
            }
            if old < 3 && new >= 3 {
                db.delete_object_store(DRAFTS)?;
            }
            Ok(())
        })
        .await
        .map_err(|e| match e {
            indexed_db_futures::error::OpenDbError::Base(e) => StoreError::from(e),
            indexed_db_futures::error::OpenDbError::VersionZero => {
                StoreError::Other("opening the database: version 0".to_owned())
            }
            _ => StoreError::Other("opening the database: IndexedDB is not available".to_owned()),
        })
}

/// The phone's store.
#[derive(Clone)]
pub struct Store {
    db: std::rc::Rc<std::cell::RefCell<Database>>,
    name: String,
}

fn strict() -> TransactionOptions {
    TransactionOptions::new().with_durability(TransactionDurability::Strict)
}

impl Store {
    /// Opens the app's database at the current schema and puts interrupted sends back in the queue.
    pub async fn open() -> Result<Store> {
        Store::open_named(DB_NAME).await
    }

    /// Opens a database by name (tests use their own).
    pub async fn open_named(name: &str) -> Result<Store> {
        let db = open_version(name, SCHEMA_VERSION).await?;
        let store = Store {
            db: std::rc::Rc::new(std::cell::RefCell::new(db)),
            name: name.to_owned(),
        };
        store.requeue_in_flight().await?;
        Ok(store)
    }

    /// Reopens the connection (the browser may close it, e.g. under storage pressure).
    async fn reopen(&self) -> Result<()> {
        let db = open_version(&self.name, SCHEMA_VERSION).await?;
        *self.db.borrow_mut() = db;
        Ok(())
    }

    /// Closes the connection, as the browser itself may do; the next call opens it again.
    pub fn close(&self) {
        self.db().close();
    }

    fn db(&self) -> Database {
        self.db.borrow().clone()
    }

    /// Runs `f`, reopening the connection once if the browser closed it.
    async fn retry<T, F, Fut>(&self, f: F) -> Result<T>
    where
        F: Fn(Database) -> Fut,
        Fut: std::future::Future<Output = Result<T>>,
    {
        match f(self.db()).await {
            Err(StoreError::Closed) => {
                self.reopen().await?;
                f(self.db()).await
            }
            other => other,
        }
    }

    /// Writes a user's record and its outbox entry in one strict transaction: both or neither.
    /// An outbox entry with the same id already there is an error (ids are never reused).
    pub async fn save_with_outbox(&self, record: &LocalRecord, entry: &OutboxEntry) -> Result<()> {
        self.write_pair(record, entry, false).await
    }

    /// Writes an edited record (same id) and queues it again, replacing an unsent entry: the
    /// platform gets the latest version. One strict transaction, as for a new record.
    pub async fn save_edit(&self, record: &LocalRecord, entry: &OutboxEntry) -> Result<()> {
        self.write_pair(record, entry, true).await
    }

    async fn write_pair(
        &self,
        record: &LocalRecord,
        entry: &OutboxEntry,
        replace: bool,
    ) -> Result<()> {
        self.retry(|db| async move {
            let tx = db
                .transaction([RECORDS, OUTBOX])
                .with_mode(TransactionMode::Readwrite)
                .with_options(strict())
                .build()?;
            tx.object_store(RECORDS)?.put(record).serde()?;
            let outbox = tx.object_store(OUTBOX)?;
            if replace {
                outbox.put(entry).serde()?;
            } else {
                outbox.add(entry).serde()?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Writes many records and their outbox entries in one strict transaction.
    pub async fn save_many(&self, items: &[(LocalRecord, OutboxEntry)]) -> Result<()> {
        self.retry(|db| async move {
            let tx = db
                .transaction([RECORDS, OUTBOX])
                .with_mode(TransactionMode::Readwrite)
                .with_options(strict())
                .build()?;
            let records = tx.object_store(RECORDS)?;
            let outbox = tx.object_store(OUTBOX)?;
            for (record, entry) in items {
                records.put(record).serde()?;
                outbox.add(entry).serde()?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    async fn outbox_in(&self, state: OutboxState) -> Result<Vec<OutboxEntry>> {
        self.retry(|db| async move {
            let tx = db.transaction(OUTBOX).build()?;
            let store = tx.object_store(OUTBOX)?;
            let index = store.index("by_state")?;
            let rows = index
                .get_all::<OutboxEntry>()
                .with_query(state.as_str())
                .serde()?
                .await?;
            let mut out: Vec<OutboxEntry> = rows.collect::<std::result::Result<_, _>>()?;
            // Dependency order (members before what refers to them); the index yields entries
            // in id order within a state and the stable sort keeps it for equal ranks.
            crate::ordering::sort_by_rank(&mut out, super::model::send_rank);
            Ok(out)
        })
        .await
    }

    /// Entries waiting to be sent, in the order to send them ([`super::model::send_rank`]).
    pub async fn queued(&self) -> Result<Vec<OutboxEntry>> {
        self.outbox_in(OutboxState::Queued).await
    }

    /// Entries the platform refused for good.
    pub async fn rejected(&self) -> Result<Vec<OutboxEntry>> {
        self.outbox_in(OutboxState::Rejected).await
    }

    /// Entries being sent right now.
    pub async fn in_flight(&self) -> Result<Vec<OutboxEntry>> {
        self.outbox_in(OutboxState::InFlight).await
    }

    /// Every outbox entry (unsent or refused): what exists only on this phone.
    pub async fn unsent(&self) -> Result<Vec<OutboxEntry>> {
        self.retry(|db| async move {
            let tx = db.transaction(OUTBOX).build()?;
            let rows = tx
                .object_store(OUTBOX)?
                .get_all::<OutboxEntry>()
                .serde()?
                .await?;
            Ok(rows.collect::<std::result::Result<_, _>>()?)
        })
        .await
    }

    /// Moves entries to `state`, each only if the outbox still holds it with the body it was read
    /// with: an edit saved since then (a newer body) is never overwritten by an older copy, and an
    /// entry deleted since (signed out, or settled by another tab) is never written back.
    /// Returns the entries that were moved.
    async fn set_state(
        &self,
        entries: &[OutboxEntry],
        state: OutboxState,
    ) -> Result<Vec<OutboxEntry>> {
        // Nothing to move: no transaction (a strict one is a disk flush, e.g. at every start-up).
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        self.retry(|db| async move {
            let tx = db
                .transaction(OUTBOX)
                .with_mode(TransactionMode::Readwrite)
                .with_options(strict())
                .build()?;
            let outbox = tx.object_store(OUTBOX)?;
            let mut moved = Vec::with_capacity(entries.len());
            for e in entries {
                let current: Option<OutboxEntry> = outbox.get(e.id.as_str()).serde()?.await?;
                let Some(mut current) = current.filter(|c| c.body == e.body) else {
                    continue;
                };
                if state == OutboxState::InFlight {
                    current.attempts += 1;
                }
                current.state = state;
                outbox.put(&current).serde()?;
                moved.push(current);
            }
            tx.commit().await?;
            Ok(moved)
        })
        .await
    }

    /// Marks entries as being sent (before the request goes out); returns those still holding
    /// the body they were read with — only these may be sent.
    pub async fn mark_in_flight(&self, entries: &[OutboxEntry]) -> Result<Vec<OutboxEntry>> {
        self.set_state(entries, OutboxState::InFlight).await
    }

    /// Puts entries back in the queue (the request failed or its answer was lost), unless a
    /// newer edit replaced them or they are gone.
    pub async fn requeue(&self, entries: &[OutboxEntry]) -> Result<()> {
        self.set_state(entries, OutboxState::Queued).await.map(drop)
    }

    /// At start-up: a send that never got its answer is queued again (the platform dedupes).
    pub async fn requeue_in_flight(&self) -> Result<usize> {
        let stuck = self.in_flight().await?;
        self.requeue(&stuck).await?;
        Ok(stuck.len())
    }

    /// Applies the platform's per-item answers, in one strict transaction.
    pub async fn apply_results(&self, sent: &[OutboxEntry], results: &[PushResult]) -> Result<()> {
        self.retry(|db| async move {
            let tx = db
                .transaction([RECORDS, OUTBOX])
                .with_mode(TransactionMode::Readwrite)
                .with_options(strict())
                .build()?;
            let outbox = tx.object_store(OUTBOX)?;
            let records = tx.object_store(RECORDS)?;
            for entry in sent {
                let answer = results.iter().find(|r| r.id == entry.id);
                let settle = answer.map(super::model::settle).unwrap_or(Settle::Retry);
                let record: Option<LocalRecord> = records.get(entry.id.as_str()).serde()?.await?;
                // An edit saved while this version was being sent stays queued: it is newer. An
                // entry gone meanwhile (signed out) is not brought back.
                let current: Option<OutboxEntry> = outbox.get(entry.id.as_str()).serde()?.await?;
                if current.is_none_or(|c| c.body != entry.body) {
                    continue;
                }
                match settle {
                    Settle::Done => {
                        outbox.delete(entry.id.as_str()).build()?;
                        if let Some(mut r) = record {
                            r.sync = RecordSync::Sent;
                            records.put(&r).serde()?;
                        }
                    }
                    Settle::Rejected(message) => {
                        let mut e = entry.clone();
                        e.state = OutboxState::Rejected;
                        e.error = Some(message);
                        outbox.put(&e).serde()?;
                        if let Some(mut r) = record {
                            r.sync = RecordSync::Rejected;
                            records.put(&r).serde()?;
                        }
                    }
                    Settle::Retry => {
                        let mut e = entry.clone();
                        e.state = OutboxState::Queued;
                        outbox.put(&e).serde()?;
                    }
                }
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// A household record by id.
    pub async fn record(&self, id: &str) -> Result<Option<LocalRecord>> {
        self.retry(|db| async move {
            let tx = db.transaction(RECORDS).build()?;
            Ok(tx.object_store(RECORDS)?.get(id).serde()?.await?)
        })
        .await
    }

    /// The household's records of one kind, newest first.
    pub async fn records(&self, kind: &str) -> Result<Vec<LocalRecord>> {
        let mut rows: Vec<LocalRecord> = self.all_of(RECORDS, kind).await?;
        crate::ordering::sort_by_rank(&mut rows, |r| (-(r.updated_ms as i64), 0));
        Ok(rows)
    }

    /// Pulled content of one kind (`alert`, `rebuttal`, …), in no particular order.
    pub async fn content(&self, kind: &str) -> Result<Vec<ContentItem>> {
        self.all_of(CONTENT, kind).await
    }

    async fn all_of<T: serde::de::DeserializeOwned>(
        &self,
        store: &str,
        kind: &str,
    ) -> Result<Vec<T>> {
        self.retry(|db| async move {
            let tx = db.transaction(store).build()?;
            let rows = tx
                .object_store(store)?
                .index("by_kind")?
                .get_all::<T>()
                .with_query(kind)
                .serde()?
                .await?;
            Ok(rows.collect::<std::result::Result<_, _>>()?)
        })
        .await
    }

    /// Stores content that arrived from another phone (already checked: signed by the
    /// community), as a pull would; the next pull of the same item replaces it.
    pub async fn put_content(&self, items: &[ContentItem]) -> Result<()> {
        self.retry(|db| async move {
            let tx = db
                .transaction(CONTENT)
                .with_mode(TransactionMode::Readwrite)
                .with_options(strict())
                .build()?;
            let content = tx.object_store(CONTENT)?;
            for item in items {
                content.put(item).serde()?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Applies a pull page and stores its cursor in the same transaction (checkpoint after data).
    ///
    /// On `reset` the platform's change log started over — a database restored from a backup,
    /// or recreated — so it may no longer hold records it once accepted from this phone. Pulled
    /// content is dropped (the page brings it again) and every record this phone sent is queued
    /// again, in the same transaction: the platform answers `duplicate` for what it still has
    /// and takes back what it lost. Records it refused stay refused.
    ///
    /// When the enrolment, cursor or log id has changed since the pull left (`from`) — the phone
    /// joined, or the reader picked another building, while a pull was on its way — the page is
    /// not applied (`Ok(false)`): its cursor would skip what the new enrolment or building must
    /// read from the start.
    pub async fn apply_pull(&self, page: &PulledPage, from: &PullFrom) -> Result<bool> {
        self.retry(|db| async move {
            let tx = db
                .transaction([CONTENT, META, RECORDS, OUTBOX])
                .with_mode(TransactionMode::Readwrite)
                .with_options(strict())
                .build()?;
            let meta = tx.object_store(META)?;
            for (key, then) in [
                (super::keys::DEVICE, &from.device),
                (super::keys::CURSOR, &from.cursor),
                (super::keys::LOG_ID, &from.log),
            ] {
                let now: Option<Meta> = meta.get(key).serde()?.await?;
                if now.map(|m| m.value) != *then {
                    return Ok(false);
                }
            }
            let content = tx.object_store(CONTENT)?;
            if page.reset {
                content.clear()?;
                let records = tx.object_store(RECORDS)?;
                let outbox = tx.object_store(OUTBOX)?;
                let held: Vec<LocalRecord> = records
                    .get_all::<LocalRecord>()
                    .serde()?
                    .await?
                    .collect::<std::result::Result<_, _>>()?;
                for mut r in held.into_iter().filter(|r| r.sync == RecordSync::Sent) {
                    let entry = OutboxEntry {
                        id: r.id.clone(),
                        kind: r.kind.clone(),
                        body: r.body.clone(),
                        state: OutboxState::Queued,
                        created_ms: r.updated_ms,
                        attempts: 0,
                        error: None,
                    };
                    outbox.put(&entry).serde()?;
                    r.sync = RecordSync::Local;
                    records.put(&r).serde()?;
                }
            }
            for c in &page.changes {
                let key = format!("{}:{}", c.kind, c.id);
                match &c.body {
                    Some(body) => {
                        let item = ContentItem {
                            key,
                            kind: c.kind.clone(),
                            id: c.id.clone(),
                            body: body.clone(),
                        };
                        content.put(&item).serde()?;
                    }
                    None => {
                        content.delete(key.as_str()).build()?;
                    }
                }
            }
            meta.put(&Meta {
                key: super::keys::CURSOR.into(),
                value: page.next_cursor.to_string(),
            })
            .serde()?;
            if let Some(log) = &page.log_id {
                meta.put(&Meta {
                    key: super::keys::LOG_ID.into(),
                    value: log.clone(),
                })
                .serde()?;
            }

            tx.commit().await?;
            Ok(true)
        })
        .await
    }

    /// Reads a meta value.
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        self.retry(|db| async move {
            let tx = db.transaction(META).build()?;
            let m: Option<Meta> = tx.object_store(META)?.get(key).serde()?.await?;
            Ok(m.map(|m| m.value))
        })
        .await
    }

    /// Writes a meta value.
    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.retry(|db| async move {
            let tx = db
                .transaction(META)
                .with_mode(TransactionMode::Readwrite)
                .with_options(strict())
                .build()?;
            tx.object_store(META)?
                .put(&Meta {
                    key: key.to_owned(),
                    value: value.to_owned(),
                })
                .serde()?;
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Before joining: keeps the building the reader picked and makes the next public pull
    /// start over, in one transaction. The cursor is set to one the platform cannot continue
    /// (log id "0"), so its answer carries `reset: true`, and the phone drops the other
    /// building's content and applies the new in one transaction when it arrives — nothing is
    /// cleared before then, so an offline phone keeps what it has.
    pub async fn pick_public_building(&self, building: &str) -> Result<()> {
        self.retry(|db| async move {
            let tx = db
                .transaction(META)
                .with_mode(TransactionMode::Readwrite)
                .with_options(strict())
                .build()?;
            let meta = tx.object_store(META)?;
            for (key, value) in [
                (super::keys::PUBLIC_BUILDING, building),
                (super::keys::CURSOR, "1"),
                (super::keys::LOG_ID, "0"),
            ] {
                meta.put(&Meta {
                    key: key.to_owned(),
                    value: value.to_owned(),
                })
                .serde()?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Stores a new enrolment (`device` JSON, the person's name) in one strict transaction. With
    /// [`Reenrolment::Switch`](super::model::Reenrolment) (another household) the pull cursor,
    /// log id and pulled content are cleared, the old household's records leave the screens, and
    /// every outbox entry is parked: kept and exportable, never sent under the new household.
    /// With `Keep` nothing is dropped and entries in flight are queued again.
    pub async fn adopt_enrolment(
        &self,
        device: &str,
        self_name: &str,
        plan: super::model::Reenrolment,
    ) -> Result<()> {
        let switch = plan == super::model::Reenrolment::Switch;
        let restart = plan != super::model::Reenrolment::Keep;
        self.retry(|db| async move {
            let tx = db
                .transaction([OUTBOX, RECORDS, CONTENT, META])
                .with_mode(TransactionMode::Readwrite)
                .with_options(strict())
                .build()?;
            let outbox = tx.object_store(OUTBOX)?;
            let entries: Vec<OutboxEntry> = outbox
                .get_all::<OutboxEntry>()
                .serde()?
                .await?
                .collect::<std::result::Result<_, _>>()?;
            for mut e in entries {
                let next = match (switch, e.state) {
                    (true, _) => OutboxState::Parked,
                    (false, OutboxState::InFlight) => OutboxState::Queued,
                    (false, s) => s,
                };
                if next != e.state {
                    e.state = next;
                    outbox.put(&e).serde()?;
                }
            }
            let meta = tx.object_store(META)?;
            if switch {
                tx.object_store(CONTENT)?.clear()?;
                tx.object_store(RECORDS)?.clear()?;
            }
            if restart {
                for key in [
                    super::keys::CURSOR,
                    super::keys::LOG_ID,
                    super::keys::LAST_SYNC,
                    super::keys::PUBLIC_BUILDING,
                ] {
                    meta.delete(key).build()?;
                }
            }
            for (key, value) in [
                (super::keys::DEVICE, device),
                (super::keys::SELF_NAME, self_name),
            ] {
                meta.put(&Meta {
                    key: key.to_owned(),
                    value: value.to_owned(),
                })
                .serde()?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }

    /// Entries kept from a household this phone left.
    pub async fn parked(&self) -> Result<Vec<OutboxEntry>> {
        self.outbox_in(OutboxState::Parked).await
    }

    /// Erases everything on this phone (sign-out).
    pub async fn wipe(&self) -> Result<()> {
        self.retry(|db| async move {
            let tx = db
                .transaction([OUTBOX, RECORDS, CONTENT, META])
                .with_mode(TransactionMode::Readwrite)
                .with_options(strict())
                .build()?;
            for s in [OUTBOX, RECORDS, CONTENT, META] {
                tx.object_store(s)?.clear()?;
            }
            tx.commit().await?;
            Ok(())
        })
        .await
    }
}
