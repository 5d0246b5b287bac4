//! The phone's storage: IndexedDB, schema-versioned.
//!
//! Rules (DESIGN.md): a user action writes its record **and** its outbox entry in one strict
//! transaction; outbox entries leave only after the platform's per-item answer; `in_flight`
//! entries go back to `queued` at start-up; a pull page and its cursor are written together;
//! no transaction is held across a network await. UI components call [`Store`], never
//! IndexedDB directly.

pub mod error;
pub mod model;

mod idb;
pub use idb::{
    open_version, Store, StoreError, DB_NAME, EVENT_BLOCKED, EVENT_OUTDATED, SCHEMA_VERSION,
};

/// Meta keys.
pub mod keys {
    /// The enrolment answer (`EnrollResponse` JSON).
    pub const DEVICE: &str = "device";
    /// The enrolled person's name as typed at `/join`.
    pub const SELF_NAME: &str = "self_name";
    /// Ids of alerts already announced (banner / notification), JSON array.
    pub const SEEN_ALERTS: &str = "seen_alerts";
    /// The pull cursor.
    pub const CURSOR: &str = "cursor";
    /// The platform change log the cursor belongs to (`log_id` of the last pull).
    pub const LOG_ID: &str = "log_id";
    /// When the last sync succeeded (Unix ms).
    pub const LAST_SYNC: &str = "last_sync_ms";
    /// Before joining: the building code the reader picked for the public pull.
    pub const PUBLIC_BUILDING: &str = "public_building";
    /// Before joining: the buildings one may pick (`PublicBuildings` JSON), for offline use.
    pub const PUBLIC_BUILDINGS: &str = "public_buildings";
    /// The signing-key history first received from the platform (trusted as it came, over
    /// HTTPS; never replaced): the anchor relayed content is checked from. Written by the
    /// service worker (`public/sw.js`), which fetches `/api/v1/public/keys` alongside pulls.
    pub const KEYS_FIRST: &str = "keys_first";
    /// The latest key history received: later key sets are taken from it only if a key the
    /// phone already trusts signed them (checked where relayed content is read).
    pub const KEYS_LATEST: &str = "keys_latest";
}
