# Fills a platform database for `bench push`: N households in the demo's four buildings, each
# with an enrolled phone subscribed to Web Push at ENDPOINT/<n>. Every subscription carries the
# P-256 generator point as its public key (a valid key, so each message is encrypted as for a
# real phone; what a phone would decrypt is not checked here) and its own auth secret.
import base64
import os
import sqlite3
import sys

db, endpoint, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
G = bytes.fromhex(
    "04"
    "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
    "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
)
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
c = sqlite3.connect(db)
c.execute("PRAGMA busy_timeout = 10000")
buildings = ["G1-B1", "G1-B2", "G2-B1", "G2-B2"]
with c:
    for i in range(n):
        h, d = "bench-h%d" % i, "bench-d%d" % i
        b = buildings[i % 4]
        c.execute("INSERT INTO households (id, building_code, created_at) VALUES (?, ?, 0)", (h, b))
        c.execute(
            "INSERT INTO devices (id, token_hash, role, household_id, building_code, member_id, display_name, created_at)"
            " VALUES (?, ?, 'resident', ?, ?, ?, 'Bench', 0)",
            (d, "bench-t%d" % i, h, b, "bench-m%d" % i),
        )
        c.execute(
            "INSERT INTO push_subscriptions (device_id, endpoint, p256dh, auth, lang, updated_at)"
            " VALUES (?, ?, ?, ?, ?, 0)",
            (d, "%s/%d" % (endpoint, i), b64(G), b64(os.urandom(16)), ["zh-Hant", "zh-Hans", "en"][i % 3]),
        )
