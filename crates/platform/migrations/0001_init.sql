-- Community structure and staff accounts.
CREATE TABLE grids (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE buildings (
    code TEXT PRIMARY KEY,
    grid_code TEXT NOT NULL REFERENCES grids(code),
    name TEXT NOT NULL
) STRICT;

CREATE TABLE staff_users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;
