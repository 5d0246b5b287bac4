-- Web Push (issue 13): a device's push subscription, and a durable queue of notifications to
-- send, one row per (alert, device); a restart resumes the pending ones.
CREATE TABLE push_subscriptions (
    device_id TEXT PRIMARY KEY REFERENCES devices(id),
    endpoint TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    lang TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE TABLE push_queue (
    alert_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    -- dropped: the alert no longer reaches this device (its area or severity changed).
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'dropped')),
    -- Bumped whenever the row is queued again: an answer to an older send does not settle it.
    gen INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    last_status INTEGER,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (alert_id, device_id)
) STRICT;
CREATE INDEX push_queue_due ON push_queue (state, next_at);

-- A revoked phone (removed by its household, by staff, or re-enrolled) is never woken again.
CREATE TRIGGER push_subscription_revoked AFTER UPDATE OF revoked_at ON devices
WHEN NEW.revoked_at IS NOT NULL
BEGIN
    DELETE FROM push_subscriptions WHERE device_id = NEW.id;
END;
