# Fills a platform database with a generated community for `bench console`:
# 20 grids (G1, G2 of the demo and G3..G20) of 10 buildings each (plus the demo's four),
# 100 000 residents in 40 000 households, each household with an enrolled phone;
# 1 000 000 check-ins (health reports) spread over the residents; 20 000 help requests
# (all urgencies, every status); one whole-community alert `bench-alert` answered by 30 000
# households (a third of them twice: the latest reply counts), with the latest reply per household
# kept as the platform keeps it on push.
import json
import random
import sqlite3
import sys

random.seed(11)


def mid(m):
    """A member id in the protocol's UUID form (the queue reads request states through it)."""
    return "0190c7a8-0000-7000-8001-%012x" % m


c = sqlite3.connect(sys.argv[1])
c.execute("PRAGMA busy_timeout = 10000")
c.execute("PRAGMA journal_mode = WAL")
c.execute("PRAGMA synchronous = OFF")
for g in range(3, 21):
    c.execute("INSERT OR IGNORE INTO grids (code, name) VALUES (?, ?)", ("G%d" % g, "Grid %d" % g))
buildings = []
for g in range(1, 21):
    for b in range(1, 11):
        code = "G%d-X%d" % (g, b)
        buildings.append(code)
        c.execute("INSERT OR IGNORE INTO buildings (code, grid_code, name, address, units) VALUES (?, ?, ?, '', 200)",
                  (code, "G%d" % g, "Bench %s" % code))
households, members, devices = [], [], []
for h in range(40_000):
    hid = "bench-h%05d" % h
    b = buildings[h % len(buildings)]
    households.append((hid, b, 0))
    devices.append(("bench-d%05d" % h, "bench-token-%05d" % h, "resident", hid, b, mid(h * 3), "R", None, 0))
members = [(mid(m), "bench-h%05d" % (m // 3 % 40_000), "Resident %d" % m) for m in range(100_000)]
c.executemany("INSERT INTO households (id, building_code, created_at) VALUES (?,?,?)", households)
c.executemany("INSERT INTO devices (id, token_hash, role, household_id, building_code, member_id, display_name, label, created_at) VALUES (?,?,?,?,?,?,?,?,?)", devices)
c.executemany("INSERT INTO members (id, household_id, display_name) VALUES (?,?,?)", members)
# Each household's members: about a tenth share a care flag.
rows = []
for m in range(100_000):
    flags = ["elderly_alone"] if m % 10 == 0 else []
    body = json.dumps({"display_name": "Resident %d" % m, "flags": flags})
    rows.append((mid(m), "household_member", "bench-h%05d" % (m // 3 % 40_000), "bench-d%05d" % (m // 3 % 40_000), body, 0))
c.executemany("INSERT INTO records (id, kind, household_id, device_id, body, received_at) VALUES (?,?,?,?,?,?)", rows)
rows = []
for n in range(1_000_000):
    m = n % 100_000
    h = m // 3 % 40_000
    day = n // 100_000
    body = '{"member_id":"%s","date":"2026-11-%02d","temperature_c":36.6,"symptoms":[],"reported_at":"2026-11-%02dT08:00:00Z"}' % (mid(m), day + 1, day + 1)
    rows.append(("bench-c%07d" % n, "health_report", "bench-h%05d" % h, "bench-d%05d" % h, body, 0))
    if len(rows) == 50_000:
        c.executemany("INSERT INTO records (id, kind, household_id, device_id, body, received_at) VALUES (?,?,?,?,?,?)", rows)
        rows = []
urgencies = ["life_threatening", "urgent", "normal"]
statuses = ["received", "assigned", "in_progress", "resolved", "confirmed", "cancelled"]
rows = []
for r in range(20_000):
    h = (r * 7) % 40_000
    status = statuses[r % 6]
    state = {"member_id": mid(h * 3), "category": "medicine", "urgency": urgencies[r % 3],
             "description": "bench request %d" % r, "created_at": "2026-11-%02dT%02d:%02d:00Z" % (r % 28 + 1, r % 24, r % 60),
             "status": status, "history": [{"status": "received", "at": "2026-11-28T09:00:00.000Z", "by_role": "household"}]}
    rows.append(("bench-q%05d" % r, "bench-h%05d" % h, status, json.dumps(state)))
c.executemany("INSERT INTO help_requests (id, household_id, status, state) VALUES (?,?,?,?)", rows)
alert = {"identifier": "bench", "sender_name": {"en": "Office"}, "sent": "2026-11-28T08:00:00Z", "status": "actual",
         "msg_type": "alert", "category": ["safety"], "event": {"en": "Typhoon"}, "urgency": "immediate",
         "severity": "severe", "certainty": "likely", "response_type": [], "headline": {"en": "Typhoon signal 8"},
         "description": {"en": "d"}, "instruction": {"en": "i"}, "expires": "2099-01-01T00:00:00Z",
         "area": {"desc": {"en": "All"}, "grids": [], "buildings": []}}
c.execute("INSERT OR REPLACE INTO published (id, kind, body, expires, expires_ms, retracted, created_at, updated_at) VALUES ('bench-alert', 'alert', ?, '2099-01-01T00:00:00Z', 4070908800000, 0, 0, 0)", (json.dumps(alert),))
rows = []
for h in range(30_000):
    for k in range(2 if h % 3 == 0 else 1):
        response = "need_help" if (h + k) % 9 == 0 else "safe"
        body = '{"alert_id":"bench-alert","response":"%s","at":"2026-11-28T%02d:00:00Z"}' % (response, 9 + k)
        rows.append(("bench-a%05d-%d" % (h, k), "alert_ack", "bench-h%05d" % h, "bench-d%05d" % h, body, 0))
c.executemany("INSERT INTO records (id, kind, household_id, device_id, body, received_at) VALUES (?,?,?,?,?,?)", rows)
# What the platform keeps on push: each household's latest reply.
c.execute("""INSERT OR REPLACE INTO alert_replies (alert_id, household_id, response, at_ms)
  SELECT alert_id, household_id, response, at_ms FROM (
    SELECT json_extract(body, '$.alert_id') AS alert_id, household_id, json_extract(body, '$.response') AS response,
           CAST(unixepoch(json_extract(body, '$.at')) * 1000 AS INTEGER) AS at_ms,
           ROW_NUMBER() OVER (PARTITION BY household_id ORDER BY json_extract(body, '$.at') DESC) AS n
      FROM records WHERE kind = 'alert_ack' AND id LIKE 'bench-a%') WHERE n = 1""")
c.commit()
c.execute("ANALYZE")
c.commit()
