-- Device tokens can be revoked (a lost phone, a household moving out); a revoked device gets 401.
ALTER TABLE devices ADD COLUMN revoked_at INTEGER;
-- The name residents see for a staff member (never the login name).
ALTER TABLE staff_users ADD COLUMN display_name TEXT;
