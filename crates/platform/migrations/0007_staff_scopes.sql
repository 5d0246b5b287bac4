-- Staff roles and scopes: an admin acts for the whole community, a grid worker only for the
-- grids given to them. A disabled account cannot sign in and its sessions end.
ALTER TABLE staff_users ADD COLUMN role TEXT NOT NULL DEFAULT 'admin'
    CHECK (role IN ('admin', 'grid_worker'));
ALTER TABLE staff_users ADD COLUMN disabled_at INTEGER;

CREATE TABLE staff_grids (
    staff_id INTEGER NOT NULL REFERENCES staff_users(id),
    grid_code TEXT NOT NULL REFERENCES grids(code),
    PRIMARY KEY (staff_id, grid_code)
) STRICT;

-- Every staff action, appended and never edited or deleted through the API.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,                 -- Unix ms
    actor TEXT NOT NULL,                 -- the staff username (for a failed sign-in, the name typed)
    action TEXT NOT NULL,                -- e.g. sign_in, sign_in_failed, alert_publish, help_status
    target TEXT NOT NULL DEFAULT '',     -- what it acted on (an id, a username, a building)
    detail TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_at ON audit (at);
