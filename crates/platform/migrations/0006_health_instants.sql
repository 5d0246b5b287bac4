-- The latest health report per member and day is decided by instant, not by comparing RFC 3339
-- text (which orders "…09:30:00.5Z" before "…09:30:00Z" and ignores offsets).
ALTER TABLE health_latest ADD COLUMN reported_ms INTEGER NOT NULL DEFAULT 0;
UPDATE health_latest
   SET reported_ms = COALESCE(CAST(unixepoch(reported_at, 'subsec') * 1000 AS INTEGER), 0);
