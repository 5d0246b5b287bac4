-- The change log's identity: a random id made with the database. Phones send it back with their
-- cursor; a cursor from another log (a recreated database) is answered with `reset: true`.
INSERT INTO meta (key, value) VALUES ('log_id', lower(hex(randomblob(16))));

-- Where a public entity was addressed before its latest change (grids, buildings and whether
-- the whole community), so that a phone left outside a narrowed area still pulls a delete.
ALTER TABLE changes ADD COLUMN was TEXT NOT NULL DEFAULT '';
