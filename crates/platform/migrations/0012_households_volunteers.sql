-- Households with several phones, units, and building volunteers.

-- The flat within the building ("3-502"), asked at enrolment and editable by the household.
ALTER TABLE households ADD COLUMN unit TEXT NOT NULL DEFAULT '';

-- A household invite (made by one of its phones, valid 24 h) joins that household instead of
-- creating one.
ALTER TABLE invites ADD COLUMN household_id TEXT REFERENCES households(id);

-- Members as the roster needs them: their care flags and what they share with volunteers
-- (VolunteerSharing JSON), kept from their latest household_member record.
ALTER TABLE members ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE members ADD COLUMN share TEXT NOT NULL DEFAULT '{}';

-- Whether a member's latest check-in of the day had a fever or symptoms (for the roster's
-- yes/no flag; the temperature and notes stay in the record).
ALTER TABLE health_latest ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0;

-- The buildings a person volunteers for: from a volunteer invite, or given by staff.
CREATE TABLE volunteer_buildings (
    member_id TEXT NOT NULL,
    building_code TEXT NOT NULL REFERENCES buildings(code),
    granted_at INTEGER NOT NULL,
    PRIMARY KEY (member_id, building_code)
) STRICT, WITHOUT ROWID;
CREATE INDEX volunteer_buildings_building ON volunteer_buildings (building_code);
INSERT OR IGNORE INTO volunteer_buildings (member_id, building_code, granted_at)
SELECT member_id, building_code, created_at FROM devices WHERE role = 'volunteer';

-- The volunteer (a member) staff assigned a help request to, if any.
ALTER TABLE help_requests ADD COLUMN volunteer_member_id TEXT;

-- Door-knock visits as staff read them (the pushed records stay as received).
CREATE TABLE door_knocks (
    id TEXT PRIMARY KEY,                   -- the door_knock record id
    household_id TEXT NOT NULL REFERENCES households(id),
    building_code TEXT NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT,
    at_ms INTEGER NOT NULL,
    volunteer_member_id TEXT NOT NULL,
    volunteer_name TEXT NOT NULL
) STRICT;
CREATE INDEX door_knocks_building ON door_knocks (building_code, at_ms);
