//! Black-box tests of Protocol v1 sync against the real server: enrolment, push idempotency,
//! limits, auth, scoping and pull pagination under concurrent publishing.

mod common;

use common::*;
use serde_json::{json, Value};

fn member_item(n: u64, name: &str) -> Value {
    json!({"id": uuid7(n), "kind": "household_member", "body": {"display_name": name, "flags": []}})
}

fn report_item(n: u64, member: &str, temp: f64) -> Value {
    json!({"id": uuid7(n), "kind": "health_report", "body": {
        "member_id": member, "date": "2026-11-28", "temperature_c": temp, "symptoms": ["cough"],
        "reported_at": "2026-11-28T09:00:00+08:00"}})
}

fn count_records(server: &Server) -> i64 {
    let c = rusqlite::Connection::open(&server.db).unwrap();
    c.query_row("SELECT COUNT(*) FROM records", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn enrol_then_push_twice_keeps_one_row() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = enroll(&s.addr, &staff, "G1-B1", "陳大文");
    assert_eq!(dev["role"], "resident");
    assert_eq!(dev["building_id"], "G1-B1");
    assert_eq!(dev["buildings"], json!(["G1-B1"]));
    assert!(dev["token"].as_str().unwrap().len() >= 32, "≥128-bit token");
    let token = dev["token"].as_str().unwrap();
    let member = dev["member_id"].as_str().unwrap();

    let items = [report_item(1, member, 36.6)];
    let first = push(&s.addr, token, &items);
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(
        first.json()["results"],
        json!([{"id": uuid7(1), "status": "accepted"}])
    );
    let second = push(&s.addr, token, &items);
    assert_eq!(
        second.json()["results"],
        json!([{"id": uuid7(1), "status": "duplicate"}])
    );
    assert_eq!(count_records(&s), 1);

    // The token is stored hashed: the database never holds it.
    let c = rusqlite::Connection::open(&s.db).unwrap();
    let stored: i64 = c
        .query_row(
            "SELECT COUNT(*) FROM devices WHERE token_hash = ?1",
            [token],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, 0);
}

#[test]
fn an_invite_is_single_use() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let r = post(
        &s.addr,
        "/api/v1/staff/invites",
        Some(&staff),
        &json!({"role": "volunteer", "building": "G2-B1", "count": 1}),
    );
    let code = r.json()["codes"][0].as_str().unwrap().to_owned();
    let ok = post(
        &s.addr,
        "/api/v1/enroll",
        None,
        &json!({"invite_code": code.to_lowercase(), "display_name": "李義工"}),
    );
    assert_eq!(ok.status, 201, "{}", ok.body);
    assert_eq!(ok.json()["role"], "volunteer");
    let again = post(
        &s.addr,
        "/api/v1/enroll",
        None,
        &json!({"invite_code": code, "display_name": "someone"}),
    );
    assert_eq!(again.status, 400);
    assert_eq!(again.json()["error"]["code"], "invalid_invite");
    let unknown = post(
        &s.addr,
        "/api/v1/staff/invites",
        Some(&staff),
        &json!({"role": "resident", "building": "G9-B9", "count": 1}),
    );
    assert_eq!(unknown.status, 400);
    assert!(unknown.json()["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("building:"));
}

#[test]
fn same_id_with_another_body_is_an_id_conflict() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = enroll(&s.addr, &staff, "G1-B1", "A");
    let (token, member) = (
        dev["token"].as_str().unwrap(),
        dev["member_id"].as_str().unwrap(),
    );
    push(&s.addr, token, &[report_item(7, member, 36.6)]);
    let r = push(&s.addr, token, &[report_item(7, member, 38.2)]);
    assert_eq!(
        r.json()["results"][0],
        json!({"id": uuid7(7), "status": "rejected", "code": "id_conflict", "retryable": false,
               "message": "id: a different record with this id already exists"})
    );
    assert_eq!(count_records(&s), 1);
}

#[test]
fn a_household_member_is_edited_by_pushing_its_id_again_but_only_by_its_household() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let a = enroll(&s.addr, &staff, "G1-B1", "A");
    let b = enroll(&s.addr, &staff, "G1-B1", "B");
    let (ta, tb) = (a["token"].as_str().unwrap(), b["token"].as_str().unwrap());
    let r = push(&s.addr, ta, &[member_item(3, "陳婆婆")]);
    assert_eq!(r.json()["results"][0]["status"], "accepted");
    let r = push(&s.addr, ta, &[member_item(3, "陳婆婆 (3樓)")]);
    assert_eq!(r.json()["results"][0]["status"], "accepted", "{}", r.body);
    let name = |id: &str| -> String {
        let c = rusqlite::Connection::open(&s.db).unwrap();
        c.query_row(
            "SELECT display_name FROM members WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(name(&uuid7(3)), "陳婆婆 (3樓)");
    // Another household can take over neither a member pushed by A nor A's enrolled person.
    let me = a["member_id"].as_str().unwrap();
    let item = |name: &str| json!({"id": me, "kind": "household_member", "body": {"display_name": name, "flags": []}});
    let r = push(&s.addr, tb, &[item("Mallory")]);
    assert_eq!(r.json()["results"][0]["code"], "forbidden");
    let r = push(&s.addr, tb, &[member_item(3, "Mallory")]);
    assert_eq!(r.json()["results"][0]["code"], "id_conflict");
    // The enrolled person's own profile can be renamed the same way.
    assert_eq!(
        push(&s.addr, ta, &[item("A 先生")]).json()["results"][0]["status"],
        "accepted"
    );
    assert_eq!(name(me), "A 先生");
    let r = push(&s.addr, tb, &[item("Mallory")]);
    assert_eq!(r.json()["results"][0]["code"], "id_conflict");
    assert_eq!(name(&uuid7(3)), "陳婆婆 (3樓)");
    assert_eq!(name(me), "A 先生");
}

#[test]
fn invalid_items_are_rejected_one_by_one_naming_the_field() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = enroll(&s.addr, &staff, "G1-B1", "A");
    let (token, member) = (
        dev["token"].as_str().unwrap(),
        dev["member_id"].as_str().unwrap(),
    );
    let r = push(
        &s.addr,
        token,
        &[
            report_item(1, member, 45.0),
            json!({"id": "not-a-uuid", "kind": "rumor_tip", "body": {"text": "x", "at": "2026-11-28T09:00:00Z"}}),
            json!({"id": uuid7(3), "kind": "teleport", "body": {}}),
            report_item(4, member, 37.0),
        ],
    );
    let results = r.json()["results"].clone();
    assert_eq!(results[0]["status"], "rejected");
    assert_eq!(results[0]["code"], "invalid");
    assert!(
        results[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("body.temperature_c:"),
        "{results}"
    );
    assert!(results[1]["message"].as_str().unwrap().starts_with("id:"));
    assert!(results[2]["message"].as_str().unwrap().starts_with("kind:"));
    assert_eq!(results[3]["status"], "accepted");
    assert_eq!(count_records(&s), 1);
}

#[test]
fn limits_malformed_bodies_and_auth() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = enroll(&s.addr, &staff, "G1-B1", "A");
    let token = dev["token"].as_str().unwrap();

    let many: Vec<Value> = (0..501).map(|n| member_item(n, "x")).collect();
    let r = push(&s.addr, token, &many);
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["error"]["code"], "too_large");
    assert_eq!(count_records(&s), 0);

    let big = json!({"items": [{"id": uuid7(1), "kind": "rumor_tip", "body": {"text": "謠".repeat(400_000), "at": "2026-11-28T09:00:00Z"}}]});
    let r = post(&s.addr, "/api/v1/sync/push", Some(token), &big);
    assert_eq!(r.status, 413);

    // What axum's own extractors refuse is answered in the error shape too.
    let r = get(&s.addr, "/api/v1/sync/pull?cursor=1&cursor=2", Some(token));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["code"], "bad_request");
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("cursor"));
    let r = put(
        &s.addr,
        "/api/v1/staff/notices/%FF",
        Some(&staff),
        &json!({}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["code"], "bad_request");

    let r = request(
        &s.addr,
        "POST",
        "/api/v1/sync/push",
        Some(token),
        Some("{\"items\": [ oops"),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["code"], "bad_request");
    let r = request(
        &s.addr,
        "POST",
        "/api/v1/sync/push",
        Some(token),
        Some("{\"things\": []}"),
    );
    assert_eq!(r.status, 400);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("items"),
        "{}",
        r.body
    );

    let r = push(&s.addr, "not-a-real-token", &[]);
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"]["code"], "unauthorized");
    let r = request(&s.addr, "GET", "/api/v1/sync/pull", None, None);
    assert_eq!(r.status, 401);

    let r = post(
        &s.addr,
        "/api/v1/staff/invites",
        Some(token),
        &json!({"role": "resident", "building": "G1-B1", "count": 1}),
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"]["code"], "forbidden");

    let r = post(
        &s.addr,
        "/api/v1/staff/login",
        None,
        &json!({"username": "admin", "password": "wrong"}),
    );
    assert_eq!(r.status, 401);
    let r = get(&s.addr, "/api/v1/sync/pull?limit=5000", Some(token));
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("limit:"));
}

#[test]
fn enrolment_is_rate_limited_per_ip() {
    let s = start_demo();
    let statuses: Vec<u16> = (0..12)
        .map(|_| {
            post(
                &s.addr,
                "/api/v1/enroll",
                None,
                &json!({"invite_code": "AAAA-AAAA", "display_name": "x"}),
            )
            .status
        })
        .collect();
    assert_eq!(&statuses[..10], &[400; 10]);
    assert_eq!(
        statuses[10], 429,
        "the 11th attempt in the minute is refused"
    );
    assert_eq!(statuses[11], 429);
}

#[test]
fn staff_login_is_rate_limited_per_ip_even_for_the_right_password() {
    let s = start_demo();
    let attempt = |password: &str| {
        post(
            &s.addr,
            "/api/v1/staff/login",
            None,
            &json!({"username": "admin", "password": password}),
        )
    };
    let statuses: Vec<u16> = (0..10).map(|_| attempt("guess").status).collect();
    assert_eq!(statuses, [401; 10]);
    let r = attempt(ADMIN_PASSWORD);
    assert_eq!(
        r.status, 429,
        "the right password does not get past the limit"
    );
    assert_eq!(r.json()["error"]["code"], "rate_limited");
    // How long to wait, for clients that read it (the phone waits at least this long).
    assert!(
        r.head.to_ascii_lowercase().contains("\r\nretry-after: 60"),
        "{}",
        r.head
    );
}

fn pull_all(addr: &str, token: &str, limit: u32) -> Vec<Value> {
    let mut cursor = 0;
    let mut all = Vec::new();
    loop {
        let r = get(
            addr,
            &format!("/api/v1/sync/pull?cursor={cursor}&limit={limit}"),
            Some(token),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let page = r.json();
        all.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = page["next_cursor"].as_i64().unwrap();
        if !page["has_more"].as_bool().unwrap() {
            return all;
        }
    }
}

#[test]
fn a_device_never_pulls_another_households_records() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let a = enroll(&s.addr, &staff, "G1-B1", "A");
    let b = enroll(&s.addr, &staff, "G1-B1", "B");
    let help = |n: u64, member: &str| {
        json!({"id": uuid7(n), "kind": "help_request", "body": {"member_id": member, "category": "medicine",
               "urgency": "urgent", "description": "需要血壓藥", "created_at": "2026-11-28T09:00:00Z"}})
    };
    let r = push(
        &s.addr,
        a["token"].as_str().unwrap(),
        &[help(1, a["member_id"].as_str().unwrap())],
    );
    assert_eq!(r.json()["results"][0]["status"], "accepted");
    // B cannot file a request in A's name either.
    let r = push(
        &s.addr,
        b["token"].as_str().unwrap(),
        &[help(2, a["member_id"].as_str().unwrap())],
    );
    assert_eq!(r.json()["results"][0]["code"], "forbidden");

    let r = post(
        &s.addr,
        &format!("/api/v1/staff/help-requests/{}/status", uuid7(1)),
        Some(&staff),
        &json!({"status": "assigned", "assignee": "王社工"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);

    let a_sees = pull_all(&s.addr, a["token"].as_str().unwrap(), 50);
    let mine: Vec<&Value> = a_sees
        .iter()
        .filter(|c| c["kind"] == "help_request")
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["body"]["status"], "assigned");
    assert_eq!(mine[0]["body"]["history"].as_array().unwrap().len(), 2);
    let b_sees = pull_all(&s.addr, b["token"].as_str().unwrap(), 50);
    assert!(
        b_sees.iter().all(|c| c["kind"] != "help_request"),
        "{b_sees:?}"
    );
}

fn notice(n: usize) -> Value {
    json!({"kind": "service", "title": {"zh-Hant": format!("通知 {n}"), "en": format!("Notice {n}")},
           "body": {"en": "Water will be off 9–11."}, "published": "2026-11-28T08:00:00Z"})
}

#[test]
fn pull_pages_return_every_change_exactly_once_while_publishing() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = enroll(&s.addr, &staff, "G2-B2", "C");
    let token = dev["token"].as_str().unwrap().to_owned();

    let addr = s.addr.clone();
    let staff2 = staff.clone();
    let publisher = std::thread::spawn(move || {
        (0..120)
            .map(|n| {
                let r = post(&addr, "/api/v1/staff/notices", Some(&staff2), &notice(n));
                assert_eq!(r.status, 201, "{}", r.body);
                r.json()["id"].as_str().unwrap().to_owned()
            })
            .collect::<Vec<_>>()
    });
    // Pull in small pages while the publisher runs, then once more after it is done.
    let mut cursor = 0;
    let mut seen: Vec<String> = Vec::new();
    let mut pull_page = |cursor: &mut i64| {
        let r = get(
            &s.addr,
            &format!("/api/v1/sync/pull?cursor={cursor}&limit=7"),
            Some(&token),
        );
        let page = r.json();
        for c in page["changes"].as_array().unwrap() {
            seen.push(c["id"].as_str().unwrap().to_owned());
        }
        *cursor = page["next_cursor"].as_i64().unwrap();
        page["has_more"].as_bool().unwrap()
    };
    while !publisher.is_finished() {
        pull_page(&mut cursor);
    }
    let published = publisher.join().unwrap();
    while pull_page(&mut cursor) {}
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "no change seen twice");
    // The demo community's own content comes along; this test is about the notices it published.
    sorted.retain(|id| published.contains(id));
    let mut want = published.clone();
    want.sort();
    assert_eq!(sorted, want, "every published notice seen");
}

#[test]
fn alerts_reach_only_their_area_and_cancel_is_an_update() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let g1 = enroll(&s.addr, &staff, "G1-B2", "G1 resident");
    let g2 = enroll(&s.addr, &staff, "G2-B1", "G2 resident");
    let alert = json!({
        "sender_name": {"zh-Hant": "幸福社區居委會"}, "status": "exercise", "category": ["geo"],
        "event": {"zh-Hant": "地震演習"}, "urgency": "expected", "severity": "moderate", "certainty": "likely",
        "response_type": ["prepare"], "headline": {"zh-Hant": "明早十時地震演習"},
        "description": {"zh-Hant": "全網格演習"}, "instruction": {"zh-Hant": "聽到警報請到空地集合"},
        "expires": "2099-01-01T00:00:00Z", "area": {"desc": {"zh-Hant": "第一網格"}, "grids": ["G1"], "buildings": []}
    });
    let r = post(&s.addr, "/api/v1/staff/alerts", Some(&staff), &alert);
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let alerts = |dev: &Value| -> Vec<Value> {
        pull_all(&s.addr, dev["token"].as_str().unwrap(), 100)
            .into_iter()
            .filter(|c| c["kind"] == "alert" && c["id"] == id.as_str())
            .collect()
    };
    let seen = alerts(&g1);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["body"]["identifier"], format!("linli-{id}"));
    assert!(alerts(&g2).is_empty(), "G2 is outside the area");

    let r = post(
        &s.addr,
        &format!("/api/v1/staff/alerts/{id}/cancel"),
        Some(&staff),
        &json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let seen = alerts(&g1);
    assert_eq!(seen.len(), 1, "the cancel replaces the alert in the log");
    assert_eq!(seen[0]["body"]["msg_type"], "cancel");

    let mut bad = alert.clone();
    bad["area"]["grids"] = json!(["G9"]);
    let r = post(&s.addr, "/api/v1/staff/alerts", Some(&staff), &bad);
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json()["error"]["message"],
        "area.grids[0]: unknown grid \"G9\""
    );
    let mut bad = alert.clone();
    bad["severity"] = json!("apocalyptic");
    let r = post(&s.addr, "/api/v1/staff/alerts", Some(&staff), &bad);
    assert_eq!(r.status, 400);
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("severity:"),
        "{}",
        r.body
    );
}

#[test]
fn the_cli_creates_invites_and_refuses_unknown_buildings() {
    let s = start_demo();
    let out = std::process::Command::new(BIN)
        .args([
            "invite",
            "create",
            "--role",
            "resident",
            "--building",
            "G1-B1",
            "--json",
            "--db",
        ])
        .arg(&s.db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let code = v["codes"][0].as_str().unwrap();
    let r = post(
        &s.addr,
        "/api/v1/enroll",
        None,
        &json!({"invite_code": code, "display_name": "CLI"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);

    let out = std::process::Command::new(BIN)
        .args(["--db"])
        .arg(&s.db)
        .args([
            "invite",
            "create",
            "--role",
            "resident",
            "--building",
            "NOPE",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown building"));
}

#[test]
fn a_retraction_reaches_phones_as_a_tombstone() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = enroll(&s.addr, &staff, "G1-B1", "A");
    let token = dev["token"].as_str().unwrap();
    let r = post(&s.addr, "/api/v1/staff/notices", Some(&staff), &notice(1));
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let first = get(&s.addr, "/api/v1/sync/pull", Some(token)).json();
    assert_eq!(first["changes"][0]["op"], "upsert");
    let cursor = first["next_cursor"].as_i64().unwrap();

    let r = request(
        &s.addr,
        "DELETE",
        &format!("/api/v1/staff/notices/{id}"),
        Some(token),
        None,
    );
    assert_eq!(r.status, 403, "a device cannot retract");
    let r = request(
        &s.addr,
        "DELETE",
        &format!("/api/v1/staff/notices/{id}"),
        Some(&staff),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = request(
        &s.addr,
        "DELETE",
        &format!("/api/v1/staff/notices/{id}"),
        Some(&staff),
        None,
    );
    assert_eq!(r.status, 404, "already withdrawn");

    let next = get(
        &s.addr,
        &format!("/api/v1/sync/pull?cursor={cursor}"),
        Some(token),
    )
    .json();
    assert_eq!(next["changes"].as_array().unwrap().len(), 1);
    assert_eq!(next["changes"][0]["id"], id.as_str());
    assert_eq!(next["changes"][0]["op"], "delete");
    assert!(next["changes"][0].get("body").is_none());
}

#[test]
fn a_help_request_goes_round_the_closed_loop_and_a_closed_one_cannot_be_reopened_by_staff() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let a = resident_with_help_request(&s.addr, &staff, 1);
    let token = a["token"].as_str().unwrap();
    let path = format!("/api/v1/staff/help-requests/{}/status", uuid7(1));
    let set = |body: Value| post(&s.addr, &path, Some(&staff), &body);

    // Received → assigned (to whom) → in progress → resolved, each with its history entry.
    for (n, body) in [
        json!({"status": "assigned", "assignee": "王社工"}),
        json!({"status": "in_progress"}),
        json!({"status": "resolved", "note": "已送達"}),
    ]
    .into_iter()
    .enumerate()
    {
        let r = set(body);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json()["history"].as_array().unwrap().len(), n + 2);
    }
    // Staff cannot confirm for the resident; a resident cannot act as staff.
    let r = set(json!({"status": "confirmed"}));
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("status"));
    let r = post(
        &s.addr,
        &path,
        Some(token),
        &json!({"status": "in_progress"}),
    );
    assert_eq!(r.status, 403);

    // The resident confirms; the loop is closed and staff cannot move it again.
    let confirm = json!({"id": uuid7(2), "kind": "help_request_action",
        "body": {"request_id": uuid7(1), "action": "confirm_resolved"}});
    assert_eq!(
        push(&s.addr, token, &[confirm]).json()["results"][0]["status"],
        "accepted"
    );
    let mine: Vec<Value> = pull_all(&s.addr, token, 50)
        .into_iter()
        .filter(|c| c["kind"] == "help_request")
        .collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["body"]["status"], "confirmed");
    let r = set(json!({"status": "in_progress"}));
    assert_eq!(r.status, 409);
    assert_eq!(r.json()["error"]["code"], "conflict");

    let r = post(
        &s.addr,
        &format!("/api/v1/staff/help-requests/{}/status", uuid7(99)),
        Some(&staff),
        &json!({"status": "assigned", "assignee": "王社工"}),
    );
    assert_eq!(r.status, 404);
}

#[test]
fn staff_replace_published_content_and_phones_pull_the_new_version_once() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let a = enroll(&s.addr, &staff, "G1-B1", "A");
    let token = a["token"].as_str().unwrap();
    let r = post(&s.addr, "/api/v1/staff/notices", Some(&staff), &notice(1));
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let notice_path = format!("/api/v1/staff/notices/{id}");
    let r = put(&s.addr, &notice_path, Some(&staff), &notice(2));
    assert_eq!(r.status, 200, "{}", r.body);
    let copies: Vec<Value> = pull_all(&s.addr, token, 50)
        .into_iter()
        .filter(|c| c["id"] == id.as_str())
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    assert_eq!(copies[0]["body"]["title"]["en"], "Notice 2");

    // Replacing something that is not there, or with a bad body, names the problem.
    let missing = format!("/api/v1/staff/notices/{}", uuid7(77));
    let r = put(&s.addr, &missing, Some(&staff), &notice(3));
    assert_eq!(r.status, 404, "{}", r.body);
    let r = put(
        &s.addr,
        &notice_path,
        Some(&staff),
        &json!({"kind": "service"}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["code"], "bad_request");
}
