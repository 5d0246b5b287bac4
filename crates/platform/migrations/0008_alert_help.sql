-- An "I need help" reply to an alert becomes a help request linked to that alert.
ALTER TABLE help_requests ADD COLUMN alert_id TEXT;
CREATE INDEX help_requests_alert ON help_requests (alert_id) WHERE alert_id IS NOT NULL;
