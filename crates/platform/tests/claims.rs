//! The README's claims about the platform, each backed here: invites valid 30 days and stored
//! hashed, the `staff create` CLI, staff sessions that expire, the help-request actions a
//! resident has (and the ones refused), and SIGTERM finishing a request in flight.

mod common;

use common::*;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};

fn db(s: &Server) -> rusqlite::Connection {
    rusqlite::Connection::open(&s.db).unwrap()
}

#[test]
fn invites_are_stored_only_as_hashes_and_expire_after_30_days() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let r = post(
        &s.addr,
        "/api/v1/staff/invites",
        Some(&staff),
        &json!({"role": "resident", "building": "G1-B1", "count": 2}),
    );
    let codes: Vec<String> = serde_json::from_value(r.json()["codes"].clone()).unwrap();
    let c = db(&s);
    for code in &codes {
        let plain: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM invites WHERE code_hash = ?1",
                [code],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(plain, 0, "the code itself is not stored");
        let hash: String = Sha256::digest(code.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let (created, expires): (i64, i64) = c
            .query_row(
                "SELECT created_at, expires_at FROM invites WHERE code_hash = ?1",
                [&hash],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(expires - created, 30 * 24 * 3600, "valid 30 days");
    }
    // The second code's 30 days are over.
    c.execute(
        "UPDATE invites SET expires_at = created_at - 1 WHERE used_at IS NULL",
        [],
    )
    .unwrap();
    let r = post(
        &s.addr,
        "/api/v1/enroll",
        None,
        &json!({"invite_code": codes[1], "display_name": "late"}),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["code"], "invalid_invite");
}

#[test]
fn the_staff_create_cli_makes_an_account_that_signs_in_and_refuses_a_short_password() {
    let s = start_demo();
    let out = staff_create(&s, "wang", "short");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("password (stdin)"), "{err}");
    let out = staff_create(&s, "wang", "grid worker password");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let login = |password: &str| {
        post(
            &s.addr,
            "/api/v1/staff/login",
            None,
            &json!({"username": "wang", "password": password}),
        )
        .status
    };
    assert_eq!(login("grid worker password"), 200);
    assert_eq!(login("short"), 401);
}

#[test]
fn a_staff_session_ends_when_it_expires() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let invites = || {
        post(
            &s.addr,
            "/api/v1/staff/invites",
            Some(&staff),
            &json!({"role": "resident", "building": "G1-B1", "count": 1}),
        )
        .status
    };
    assert_eq!(invites(), 200);
    db(&s)
        .execute("UPDATE staff_sessions SET expires_at = unixepoch() - 1", [])
        .unwrap();
    assert_eq!(invites(), 401);
}

#[test]
fn a_resident_cancels_reopens_and_confirms_only_when_the_status_allows_it() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = resident_with_help_request(&s.addr, &staff, 1);
    let token = dev["token"].as_str().unwrap();
    let act = |n: u64, action: &str| {
        let r = post(
            &s.addr,
            "/api/v1/sync/push",
            Some(token),
            &json!({"items": [{"id": uuid7(n), "kind": "help_request_action",
                "body": {"request_id": uuid7(1), "action": action}}]}),
        );
        r.json()["results"][0].clone()
    };
    // Confirming a request nobody has resolved is refused, in the protocol's words.
    let refused = act(2, "confirm_resolved");
    assert_eq!(refused["status"], "rejected");
    assert_eq!(refused["code"], "invalid_transition");
    assert_eq!(refused["retryable"], false);
    assert_eq!(
        refused["message"],
        "body.action: cannot confirm_resolved a request that is received"
    );
    assert_eq!(act(3, "cancel")["status"], "accepted");
    assert_eq!(act(4, "reopen")["status"], "accepted");
    let state = help_state(&s.addr, token);
    assert_eq!(state["body"]["status"], "received");
    let statuses: Vec<&str> = state["body"]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["received", "cancelled", "received"]);
}

#[test]
fn sigterm_finishes_a_request_in_flight_before_the_platform_stops() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let dev = enroll(&s.addr, &staff, "G1-B1", "A");
    let body = json!({"items": [{"id": uuid7(9), "kind": "rumor_tip",
        "body": {"text": "the water is poisoned", "at": "2026-11-28T09:00:00Z"}}]})
    .to_string();
    // The request is on its way: headers sent, body not yet.
    let mut stream = std::net::TcpStream::connect(&s.addr).unwrap();
    let head = format!(
        "POST /api/v1/sync/push HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        s.addr,
        dev["token"].as_str().unwrap(),
        body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let pid = s.child.id().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(std::time::Duration::from_millis(300));
    stream.write_all(body.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"accepted\""), "{answer}");
    let stored: i64 = db(&s)
        .query_row("SELECT COUNT(*) FROM records", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 1);
}
