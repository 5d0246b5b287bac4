-- Staff handling of residents' rumor tips (the tip itself stays the pushed record as received).
CREATE TABLE rumor_tip_handled (
    record_id TEXT PRIMARY KEY REFERENCES records(id),
    handled_at INTEGER NOT NULL,        -- unix ms
    handled_by TEXT NOT NULL,           -- a display name
    rebuttal_id TEXT
) STRICT;
CREATE INDEX records_kind ON records (kind, received_at);
