# Fills the platform's change log with 100 000 residents' worth of data for `bench sync` (b):
# one help request per resident across 25 000 other households, plus 1 000 public notices
# (half for grid G1, half for G2) interleaved through the log.
import json
import sqlite3
import sys

c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA busy_timeout = 10000")
rows = []
help_body = json.dumps({"member_id": "x", "category": "medicine", "urgency": "normal",
                        "description": "need medicine", "created_at": "2026-11-28T09:00:00Z",
                        "status": "received", "history": []})
for r in range(100_000):
    rows.append(("help_request", "bench-r%06d" % r, "upsert", help_body, "bench-h%05d" % (r % 25_000), "[]", "[]", 0))
for n in range(1_000):
    body = json.dumps({"kind": "service", "title": {"en": "Notice %d" % n}, "body": {"en": "Water off 9-11"},
                       "published": "2026-11-28T08:00:00Z"})
    grids = '["G1"]' if n % 2 else '["G2"]'
    rows.insert(n * 100, ("notice", "bench-n%04d" % n, "upsert", body, None, grids, "[]", 0))
c.executemany("INSERT INTO changes (kind, id, op, body, household_id, grids, buildings, at) VALUES (?,?,?,?,?,?,?,?)", rows)
c.commit()
