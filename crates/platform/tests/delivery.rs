//! Black-box tests for "nothing lost, nothing misdelivered": each shows a hole found in review
//! (it failed before its fix) — batch ordering, the change log's identity, narrowed alert areas.

mod common;

use common::*;
use serde_json::{json, Value};

fn statuses(r: &Response) -> Vec<String> {
    r.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["status"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_report_and_a_help_request_before_their_new_member_in_one_batch_are_accepted() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = enroll(&s.addr, &staff, "G1-B1", "A");
    let token = dev["token"].as_str().unwrap();
    let member = uuid7(100);
    // The phone sent the member's edit last (a newer created_ms, or a clock set back).
    let items = [
        json!({"id": uuid7(101), "kind": "health_report", "body": {
            "member_id": member, "date": "2026-11-28", "temperature_c": 37.9, "symptoms": ["cough"],
            "reported_at": "2026-11-28T09:00:00+08:00"}}),
        json!({"id": uuid7(102), "kind": "help_request", "body": {
            "member_id": member, "category": "medicine", "urgency": "urgent",
            "description": "blood pressure pills", "created_at": "2026-11-28T09:01:00+08:00"}}),
        json!({"id": member, "kind": "household_member", "body": {"display_name": "陳婆婆", "flags": []}}),
    ];
    let r = push(&s.addr, token, &items);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        statuses(&r),
        ["accepted", "accepted", "accepted"],
        "{}",
        r.body
    );
    // The results stay in the order the items were sent.
    assert_eq!(r.json()["results"][0]["id"], uuid7(101));
    assert_eq!(r.json()["results"][2]["id"], member);

    // An action sent ahead of the request it acts on (a clock set back) is applied after it.
    let items = [
        json!({"id": uuid7(104), "kind": "help_request_action", "body": {
            "request_id": uuid7(103), "action": "cancel"}}),
        json!({"id": uuid7(103), "kind": "help_request", "body": {
            "member_id": member, "category": "food_water", "urgency": "normal",
            "description": "water", "created_at": "2026-11-28T09:02:00+08:00"}}),
    ];
    let r = push(&s.addr, token, &items);
    assert_eq!(statuses(&r), ["accepted", "accepted"], "{}", r.body);
}

fn pull(addr: &str, token: &str, query: &str) -> Value {
    let r = get(addr, &format!("/api/v1/sync/pull?{query}"), Some(token));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

#[test]
fn a_cursor_ahead_of_the_log_or_from_another_log_is_reset() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = enroll(&s.addr, &staff, "G1-B1", "A");
    let token = dev["token"].as_str().unwrap();
    let first = pull(&s.addr, token, "cursor=0&limit=1000");
    let log = first["log_id"]
        .as_str()
        .expect("every pull names its log")
        .to_owned();
    assert!(log.len() >= 16, "{log}");
    let end = first["next_cursor"].as_i64().unwrap();
    let held = first["changes"].as_array().unwrap().len();
    assert!(held > 0);

    // The same log at its end: nothing new, no reset.
    let same = pull(&s.addr, token, &format!("cursor={end}&log={log}"));
    assert_eq!(same["reset"], false);
    assert_eq!(same["changes"].as_array().unwrap().len(), 0);

    // A cursor beyond the log's end (the database was restored from an older backup).
    let ahead = pull(&s.addr, token, &format!("cursor={}&log={log}", end + 500));
    assert_eq!(ahead["reset"], true, "{ahead}");
    assert_eq!(ahead["changes"].as_array().unwrap().len(), held);

    // A cursor from another log (the database was recreated): start over.
    let other = pull(
        &s.addr,
        token,
        &format!("cursor={end}&log=0123456789abcdef0123456789abcdef"),
    );
    assert_eq!(other["reset"], true, "{other}");
    assert_eq!(other["changes"].as_array().unwrap().len(), held);
    assert_eq!(other["log_id"], log.as_str());
}

fn alert(grids: &[&str], buildings: &[&str]) -> Value {
    json!({
        "sender_name": {"zh-Hant": "幸福社區居委會"}, "status": "actual", "category": ["met"],
        "event": {"zh-Hant": "暴雨"}, "urgency": "immediate", "severity": "severe", "certainty": "observed",
        "response_type": ["shelter"], "headline": {"zh-Hant": "暴雨紅色警告"},
        "description": {"zh-Hant": "低窪地區水浸"}, "instruction": {"zh-Hant": "留在室內"},
        "expires": "2099-01-01T00:00:00Z",
        "area": {"desc": {"zh-Hant": "範圍"}, "grids": grids, "buildings": buildings}
    })
}

/// What a phone holds for `id` after pulling from `cursor`: the last change for it.
fn last_change(addr: &str, token: &str, cursor: i64, id: &str) -> (Option<Value>, i64) {
    let page = pull(addr, token, &format!("cursor={cursor}&limit=1000"));
    let change = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|c| c["id"] == id)
        .cloned();
    (change, page["next_cursor"].as_i64().unwrap())
}

#[test]
fn narrowing_an_alerts_area_deletes_it_from_phones_left_outside_and_later_changes_reach_them() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let g1 = enroll(&s.addr, &staff, "G1-B1", "G1");
    let g2 = enroll(&s.addr, &staff, "G2-B1", "G2");
    let (t1, t2) = (g1["token"].as_str().unwrap(), g2["token"].as_str().unwrap());
    let r = post(
        &s.addr,
        "/api/v1/staff/alerts",
        Some(&staff),
        &alert(&["G1", "G2"], &[]),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let (c1, k1) = last_change(&s.addr, t1, 0, &id);
    let (c2, k2) = last_change(&s.addr, t2, 0, &id);
    assert_eq!(c1.unwrap()["op"], "upsert");
    assert_eq!(c2.unwrap()["op"], "upsert");

    // Narrowed to G1: the G2 phone must drop it; the G1 phone gets the update.
    let r = put(
        &s.addr,
        &format!("/api/v1/staff/alerts/{id}"),
        Some(&staff),
        &alert(&["G1"], &[]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let (c1, k1) = last_change(&s.addr, t1, k1, &id);
    let (c2, k2) = last_change(&s.addr, t2, k2, &id);
    assert_eq!(c1.unwrap()["op"], "upsert");
    let c2 = c2.expect("the phone left outside the area hears of the change");
    assert_eq!(c2["op"], "delete", "{c2}");

    // Widened to one G2 building: the G2-B1 phone gets it back.
    let r = put(
        &s.addr,
        &format!("/api/v1/staff/alerts/{id}"),
        Some(&staff),
        &alert(&["G1"], &["G2-B1"]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let (c2, k2) = last_change(&s.addr, t2, k2, &id);
    assert_eq!(c2.unwrap()["op"], "upsert");

    // Narrowed again, then withdrawn: every phone that could have held it hears the delete.
    let r = put(
        &s.addr,
        &format!("/api/v1/staff/alerts/{id}"),
        Some(&staff),
        &alert(&[], &["G1-B2"]),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let r = request(
        &s.addr,
        "DELETE",
        &format!("/api/v1/staff/alerts/{id}"),
        Some(&staff),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let (c1, _) = last_change(&s.addr, t1, k1, &id);
    let (c2, _) = last_change(&s.addr, t2, k2, &id);
    assert_eq!(c1.unwrap()["op"], "delete");
    assert_eq!(c2.unwrap()["op"], "delete");
}

#[test]
fn pushed_bodies_with_unknown_fields_control_characters_or_future_times_are_refused_naming_the_field(
) {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = enroll(&s.addr, &staff, "G1-B1", "A");
    let token = dev["token"].as_str().unwrap();
    let member = dev["member_id"].as_str().unwrap();
    let refused = |body: Value| {
        let r = push(
            &s.addr,
            token,
            &[json!({"id": uuid7(200), "kind": "health_report", "body": body})],
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let result = r.json()["results"][0].clone();
        assert_eq!(result["status"], "rejected", "{result}");
        result["message"].as_str().unwrap().to_owned()
    };
    let base = json!({"member_id": member, "date": "2026-11-28", "symptoms": [],
        "reported_at": "2026-11-28T09:00:00+08:00"});
    let mut extra = base.clone();
    extra["padding"] = json!("x".repeat(1000));
    assert!(refused(extra).contains("padding"));
    let mut bidi = base.clone();
    bidi["note"] = json!("fine\u{202E}");
    assert!(refused(bidi).starts_with("body.note"));
    let mut future = base.clone();
    future["reported_at"] = json!("2099-01-01T00:00:00Z");
    assert!(refused(future).starts_with("body.reported_at"));
    let mut many = base.clone();
    many["symptoms"] = json!(vec!["cough"; 50]);
    assert!(refused(many).starts_with("body.symptoms"));
    assert_eq!(
        get(&s.addr, "/api/v1/sync/pull", Some(token)).status,
        200,
        "nothing stored"
    );
    let c = rusqlite::Connection::open(&s.db).unwrap();
    let stored: i64 = c
        .query_row("SELECT COUNT(*) FROM records", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 0);
}

#[test]
fn the_latest_report_of_a_day_is_decided_by_instant_not_by_text() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = enroll(&s.addr, &staff, "G1-B1", "A");
    let token = dev["token"].as_str().unwrap();
    let member = dev["member_id"].as_str().unwrap();
    let report = |n: u64, at: &str, temp: f64| {
        json!({"id": uuid7(n), "kind": "health_report", "body": {"member_id": member,
            "date": "2026-11-28", "temperature_c": temp, "symptoms": [], "reported_at": at}})
    };
    // "2026-11-28T08:30:00Z" (08:30 UTC) is later than "2026-11-28T09:00:00+08:00" (01:00 UTC),
    // though it sorts first as text.
    push(&s.addr, token, &[report(301, "2026-11-28T08:30:00Z", 38.4)]);
    push(
        &s.addr,
        token,
        &[report(302, "2026-11-28T09:00:00+08:00", 36.5)],
    );
    let c = rusqlite::Connection::open(&s.db).unwrap();
    let latest: String = c
        .query_row(
            "SELECT record_id FROM health_latest WHERE member_id = ?1",
            [member],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(latest, uuid7(301), "the fever report is the day's latest");

    // Staff publishing: a rebuttal linking to javascript: and an alert without category.
    let r = post(
        &s.addr,
        "/api/v1/staff/rebuttals",
        Some(&staff),
        &json!({
        "claim": {"en": "c"}, "verdict": "false", "explanation": {"en": "e"},
        "sources": [{"title": "t", "url": "javascript:alert(1)"}], "published": "2026-11-28T09:00:00Z"}),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("sources[0].url"));
    let mut no_category = alert(&["G1"], &[]);
    no_category["category"] = json!([]);
    let r = post(&s.addr, "/api/v1/staff/alerts", Some(&staff), &no_category);
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("category"));
}

#[test]
fn the_same_help_action_sent_twice_is_accepted_once_and_changes_nothing_the_second_time() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = resident_with_help_request(&s.addr, &staff, 400);
    let token = dev["token"].as_str().unwrap();
    let r = post(
        &s.addr,
        &format!("/api/v1/staff/help-requests/{}/status", uuid7(400)),
        Some(&staff),
        &json!({"status": "resolved"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let confirm = |n: u64| {
        json!({"id": uuid7(n), "kind": "help_request_action", "body": {
            "request_id": uuid7(400), "action": "confirm_resolved"}})
    };
    // The button came back before the pull showed the first confirm; the resident tapped again.
    assert_eq!(
        statuses(&push(&s.addr, token, &[confirm(401)])),
        ["accepted"]
    );
    let second = push(&s.addr, token, &[confirm(402)]);
    assert_eq!(statuses(&second), ["accepted"], "{}", second.body);
    let state = help_state(&s.addr, token);
    assert_eq!(state["body"]["status"], "confirmed");
    let confirmed = state["body"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == "confirmed")
        .count();
    assert_eq!(confirmed, 1, "one confirmation in the history");
}

#[test]
fn an_oversized_push_is_answered_413_even_while_its_body_is_still_arriving() {
    use std::io::{Read, Write};
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = enroll(&s.addr, &staff, "G1-B1", "A");
    // 2 MiB, twice the push limit, sent in slow pieces as a weak connection would.
    let total = 2 * 1024 * 1024;
    let mut stream = std::net::TcpStream::connect(&s.addr).unwrap();
    let head = format!(
        "POST /api/v1/sync/push HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {total}\r\n\r\n",
        s.addr,
        dev["token"].as_str().unwrap(),
    );
    stream.write_all(head.as_bytes()).unwrap();
    let piece = vec![b' '; 64 * 1024];
    for _ in 0..total / piece.len() {
        // A platform that answered at the limit and closed would make this write fail.
        stream
            .write_all(&piece)
            .expect("the platform keeps reading until the body is in");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("too_large"), "{answer}");
}
