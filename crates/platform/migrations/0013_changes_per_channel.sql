-- A private entity may have one entry per channel: a household's roster entry on its building's
-- volunteers' channel and a delete on the own channel of a volunteer who lost that building; a
-- request assigned to one volunteer and withdrawn from the one before. Public content stays one
-- entry per (kind, id). changelog::record replaces the entry of the same (kind, id, channel).
CREATE TABLE changes_new (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    body TEXT,
    household_id TEXT,
    grids TEXT NOT NULL DEFAULT '[]',
    buildings TEXT NOT NULL DEFAULT '[]',
    at INTEGER NOT NULL,
    was TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO changes_new (seq, kind, id, op, body, household_id, grids, buildings, at, was)
    SELECT seq, kind, id, op, body, household_id, grids, buildings, at, was FROM changes;
-- The log's high-water mark is kept: a seq once issued (even of a purged row) is never reused.
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'changes_new', seq FROM sqlite_sequence WHERE name = 'changes'
       AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'changes_new');
UPDATE sqlite_sequence
   SET seq = MAX(seq, IFNULL((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0))
 WHERE name = 'changes_new';
DROP TABLE changes;
ALTER TABLE changes_new RENAME TO changes;
CREATE UNIQUE INDEX changes_entity ON changes (kind, id, IFNULL(household_id, ''));
CREATE INDEX changes_household ON changes (household_id, seq);
CREATE INDEX changes_public ON changes (seq) WHERE household_id IS NULL;
CREATE INDEX changes_tombstones ON changes (at) WHERE op = 'delete';
