"""Schema-driven fuzzing of the running platform (run by `cargo xtask test`, step "API schema fuzz").

Usage: fuzz.py BASE_URL ADMIN_PASSWORD [schemathesis args...]

Prepares what the operations need to get past 401/404 — a staff session, an enrolled phone,
a help request to dispatch and a second phone to revoke — then runs schemathesis against
BASE_URL/api/v1/openapi.json with schemathesis.toml next to this file. Standard library only,
so it runs with the Python that has schemathesis installed.
"""

import json
import os
import sys
import urllib.request
import uuid
import time


def call(base, method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method)
    if body is not None:
        req.data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as res:
        return json.loads(res.read() or b"null")


def uuid7():
    ms = int(time.time() * 1000)
    rand = uuid.uuid4().int & ((1 << 74) - 1)
    value = (ms << 80) | (0x7 << 76) | ((rand >> 62) << 64) | (0b10 << 62) | (rand & ((1 << 62) - 1))
    return str(uuid.UUID(int=value))


def enrol(base, staff):
    code = call(base, "POST", "/api/v1/staff/invites",
                {"role": "resident", "building": "G1-B1", "count": 1}, staff)["codes"][0]
    return call(base, "POST", "/api/v1/enroll", {"invite_code": code, "display_name": "Fuzz"})


def main():
    base, password, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
    staff = call(base, "POST", "/api/v1/staff/login",
                 {"username": "admin", "password": password})["token"]
    phone = enrol(base, staff)
    spare = enrol(base, staff)
    request_id = uuid7()
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    pushed = call(base, "POST", "/api/v1/sync/push", {"items": [{
        "id": request_id, "kind": "help_request", "body": {
            "member_id": phone["member_id"], "category": "food_water", "urgency": "urgent",
            "description": "fuzz", "created_at": now}}]}, phone["token"])
    assert pushed["results"][0]["status"] == "accepted", pushed
    env = dict(os.environ,
               LINLI_STAFF_TOKEN=staff,
               LINLI_DEVICE_TOKEN=phone["token"],
               LINLI_HELP_REQUEST_ID=request_id,
               LINLI_SPARE_DEVICE_ID=spare["device_id"])
    here = os.path.dirname(os.path.abspath(__file__))
    exe = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    args = [exe, "--config-file", os.path.join(here, "schemathesis.toml"), "run",
            base + "/api/v1/openapi.json", "--url", base, *extra]
    print("$", " ".join(args), flush=True)
    os.execve(exe, args, env)


if __name__ == "__main__":
    main()
