-- The community's structure, "1 + 1 + x": buildings get an address and a number of units; each
-- grid has its party branch and partner teams with a contact.
ALTER TABLE buildings ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE buildings ADD COLUMN units INTEGER NOT NULL DEFAULT 0;
CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    grid_code TEXT NOT NULL REFERENCES grids(code),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    UNIQUE (grid_code, kind, name)
) STRICT;
