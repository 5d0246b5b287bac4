-- The console at community scale (100 000 residents, 20 000 help requests).
-- The queue's order as indexed columns: open before closed, a reopened request first, then the
-- most urgent, then the oldest — so its first page is read off an index, not sorted.
ALTER TABLE help_requests ADD COLUMN q_closed INTEGER
    GENERATED ALWAYS AS (status IN ('confirmed', 'cancelled')) VIRTUAL;
ALTER TABLE help_requests ADD COLUMN q_not_reopened INTEGER
    GENERATED ALWAYS AS (NOT (status = 'received' AND json_array_length(state, '$.history') > 1)) VIRTUAL;
ALTER TABLE help_requests ADD COLUMN q_urgency INTEGER
    GENERATED ALWAYS AS (CASE json_extract(state, '$.urgency')
        WHEN 'life_threatening' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END) VIRTUAL;
ALTER TABLE help_requests ADD COLUMN q_created REAL
    GENERATED ALWAYS AS (unixepoch(json_extract(state, '$.created_at'), 'subsec')) VIRTUAL;
CREATE INDEX help_queue ON help_requests (q_closed, q_not_reopened, q_urgency, q_created, id);
CREATE INDEX help_requests_household ON help_requests (household_id);

-- Each household's latest reply to each alert (kept on push; the records stay as received).
CREATE TABLE alert_replies (
    alert_id TEXT NOT NULL,
    household_id TEXT NOT NULL,
    response TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    PRIMARY KEY (alert_id, household_id)
) STRICT, WITHOUT ROWID;
INSERT INTO alert_replies (alert_id, household_id, response, at_ms)
SELECT alert_id, household_id, response, at_ms FROM (
    SELECT json_extract(body, '$.alert_id') AS alert_id, household_id,
           json_extract(body, '$.response') AS response,
           CAST(unixepoch(json_extract(body, '$.at'), 'subsec') * 1000 AS INTEGER) AS at_ms,
           ROW_NUMBER() OVER (PARTITION BY json_extract(body, '$.alert_id'), household_id
               ORDER BY unixepoch(json_extract(body, '$.at'), 'subsec') DESC, received_at DESC) AS n
      FROM records WHERE kind = 'alert_ack')
 WHERE n = 1 AND alert_id IS NOT NULL AND response IS NOT NULL AND at_ms IS NOT NULL;

-- Households by building, and a household's enrolled phones.
CREATE INDEX households_building ON households (building_code);
CREATE INDEX devices_enrolled ON devices (household_id, building_code) WHERE revoked_at IS NULL;
CREATE INDEX members_household ON members (household_id);
