-- Finding old tombstones to purge must not scan the whole change log on every pull.
CREATE INDEX changes_tombstones ON changes (at) WHERE op = 'delete';
