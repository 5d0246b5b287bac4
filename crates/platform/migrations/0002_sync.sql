-- Enrolment, devices, staff sessions, pushed records, help requests, published content and the
-- change log that phones pull.

CREATE TABLE invites (
    code_hash TEXT PRIMARY KEY,          -- sha256 of the code: codes are secrets until used
    role TEXT NOT NULL CHECK (role IN ('resident', 'volunteer')),
    building_code TEXT NOT NULL REFERENCES buildings(code),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    used_by_device TEXT
) STRICT;

CREATE TABLE households (
    id TEXT PRIMARY KEY,
    building_code TEXT NOT NULL REFERENCES buildings(code),
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,     -- sha256 of the bearer token
    role TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households(id),
    building_code TEXT NOT NULL REFERENCES buildings(code),
    member_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    label TEXT,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff_users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

-- Every accepted pushed item, kept as received (canonical JSON) for idempotency.
CREATE TABLE records (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    household_id TEXT NOT NULL REFERENCES households(id),
    device_id TEXT NOT NULL REFERENCES devices(id),
    body TEXT NOT NULL,
    received_at INTEGER NOT NULL
) STRICT;
CREATE INDEX records_household_kind ON records (household_id, kind);

-- Household members known to the platform (the enrolled person and pushed household_member).
CREATE TABLE members (
    id TEXT PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households(id),
    display_name TEXT NOT NULL
) STRICT;

-- The latest report per member and day (a correction supersedes the earlier one).
CREATE TABLE health_latest (
    member_id TEXT NOT NULL,
    date TEXT NOT NULL,
    record_id TEXT NOT NULL,              -- the winning health_report record
    reported_at TEXT NOT NULL,
    PRIMARY KEY (member_id, date)
) STRICT;

CREATE TABLE help_requests (
    id TEXT PRIMARY KEY,                  -- the help_request record id
    household_id TEXT NOT NULL REFERENCES households(id),
    status TEXT NOT NULL,
    state TEXT NOT NULL                   -- HelpRequestState JSON (request, status, history)
) STRICT;

-- Published content: alerts, rebuttals, notices, guides, facilities.
CREATE TABLE published (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    expires TEXT,                        -- RFC 3339, for expiry tombstones
    expires_ms INTEGER,
    retracted INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX published_expiry ON published (expires_ms) WHERE expires_ms IS NOT NULL AND retracted = 0;

-- The change log. One row per (kind, id): an update deletes the older row and appends a new one,
-- so a pull sees every entity once, at its latest state. household_id NULL = public content,
-- addressed by `grids` / `buildings` (JSON arrays; both empty = the whole community).
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    body TEXT,
    household_id TEXT,
    grids TEXT NOT NULL DEFAULT '[]',
    buildings TEXT NOT NULL DEFAULT '[]',
    at INTEGER NOT NULL,
    UNIQUE (kind, id)
) STRICT;
CREATE INDEX changes_household ON changes (household_id, seq);
CREATE INDEX changes_public ON changes (seq) WHERE household_id IS NULL;

-- Key/value facts about the database, e.g. the oldest cursor still served without reset.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
INSERT INTO meta (key, value) VALUES ('log_horizon', '0');
