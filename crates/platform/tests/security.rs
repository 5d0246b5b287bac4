//! Black-box security tests: sign-in that neither stalls sync nor tells which usernames exist,
//! rate limits behind a trusted proxy, revocation and sign-out, and no login names for residents.

mod common;

use common::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn login(addr: &str, username: &str, password: &str) -> Response {
    post(
        addr,
        "/api/v1/staff/login",
        None,
        &json!({"username": username, "password": password}),
    )
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
fn an_unknown_username_costs_a_password_check_and_sign_ins_do_not_stall_sync() {
    let s = start(
        &["--demo", "--auth-attempts-per-minute", "1000"],
        Some(ADMIN_PASSWORD),
    );
    let staff = staff_token(&s.addr);
    let dev = enroll(&s.addr, &staff, "G1-B1", "A");
    let token = dev["token"].as_str().unwrap().to_owned();
    let timed = |user: &str| {
        let t = Instant::now();
        assert_eq!(login(&s.addr, user, "wrong password!").status, 401);
        t.elapsed()
    };
    // Interleaved, medians of 7: a ratio, not an absolute time (the machine is shared).
    let (mut wrong, mut unknown) = (vec![], vec![]);
    for _ in 0..7 {
        wrong.push(timed("admin"));
        unknown.push(timed("nobody-by-this-name"));
    }
    let (wrong, unknown) = (median(wrong), median(unknown));
    assert!(
        unknown * 3 > wrong,
        "an unknown user answered in {unknown:?}, a wrong password in {wrong:?}"
    );

    // Six sign-ins at once: a pull in the middle of them does not wait for all their hashes.
    let addr = s.addr.clone();
    let burst: Vec<_> = (0..6)
        .map(|_| {
            let addr = addr.clone();
            std::thread::spawn(move || login(&addr, "admin", "wrong password!").status)
        })
        .collect();
    std::thread::sleep(wrong / 4);
    let t = Instant::now();
    let pull = get(&s.addr, "/api/v1/sync/pull?cursor=0", Some(&token));
    let pulled_in = t.elapsed();
    assert_eq!(pull.status, 200);
    for b in burst {
        assert_eq!(b.join().unwrap(), 401);
    }
    assert!(
        pulled_in < wrong * 3,
        "a pull took {pulled_in:?} during six sign-ins of {wrong:?} each"
    );
}

fn enrol_attempt(addr: &str, forwarded: &str) -> u16 {
    let body = json!({"invite_code": "NOPE-NOPE", "display_name": "x"}).to_string();
    let forwarded = [("X-Forwarded-For", forwarded)];
    send(
        addr,
        "POST",
        "/api/v1/enroll",
        None,
        Some(&body),
        &forwarded,
    )
    .status
}

#[test]
fn behind_the_trusted_proxy_each_client_has_its_own_budget_and_others_cannot_forge_one() {
    let proxied = start(
        &["--demo", "--trusted-proxy", "127.0.0.1"],
        Some(ADMIN_PASSWORD),
    );
    for _ in 0..10 {
        assert_eq!(enrol_attempt(&proxied.addr, "198.51.100.7, 10.0.0.1"), 400);
    }
    assert_eq!(
        enrol_attempt(&proxied.addr, "198.51.100.7, 10.0.0.1"),
        429,
        "the 11th attempt of one client is refused"
    );
    assert_eq!(
        enrol_attempt(&proxied.addr, "10.0.0.2"),
        400,
        "another client behind the same proxy still gets its tries"
    );

    // Without --trusted-proxy the header is ignored: changing it does not buy new tries.
    let direct = start_demo();
    for _ in 0..10 {
        assert_eq!(enrol_attempt(&direct.addr, "10.0.0.1"), 400);
    }
    assert_eq!(enrol_attempt(&direct.addr, "10.0.0.99"), 429);
}

#[test]
fn a_revoked_device_and_a_signed_out_or_re_passworded_staff_session_get_401() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let a = enroll(&s.addr, &staff, "G1-B1", "A");
    let b = enroll(&s.addr, &staff, "G1-B1", "B");
    let pull = |t: &Value| get(&s.addr, "/api/v1/sync/pull", t["token"].as_str()).status;
    assert_eq!(pull(&a), 200);

    // Staff API revocation.
    let path = format!("/api/v1/staff/devices/{}", a["device_id"].as_str().unwrap());
    let r = request(&s.addr, "DELETE", &path, Some(&staff), None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(pull(&a), 401);
    assert_eq!(
        request(&s.addr, "DELETE", &path, Some(&staff), None).status,
        404
    );
    assert_eq!(
        request(&s.addr, "DELETE", &path, a["token"].as_str(), None).status,
        401,
        "a device cannot revoke"
    );

    // CLI revocation.
    let out = std::process::Command::new(BIN)
        .arg("--db")
        .arg(&s.db)
        .args([
            "device",
            "revoke",
            "--device",
            b["device_id"].as_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(pull(&b), 401);
    let again = std::process::Command::new(BIN)
        .arg("--db")
        .arg(&s.db)
        .args(["device", "revoke", "--device", "no-such-device"])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--device"));

    // Sign-out ends that session only.
    let other = staff_token(&s.addr);
    let invites = |t: &str| {
        post(
            &s.addr,
            "/api/v1/staff/invites",
            Some(t),
            &json!({"role": "resident", "building": "G1-B1", "count": 1}),
        )
        .status
    };
    assert_eq!(
        post(&s.addr, "/api/v1/staff/logout", Some(&staff), &json!({})).status,
        204
    );
    assert_eq!(invites(&staff), 401);
    assert_eq!(invites(&other), 200);

    // A changed password ends every session of that person.
    let out = staff_create(&s, "admin", "a brand new password");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(invites(&other), 401);
    assert_eq!(login(&s.addr, "admin", "a brand new password").status, 200);
}

#[test]
fn residents_see_a_staff_members_role_and_display_name_never_the_login_name() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let a = resident_with_help_request(&s.addr, &staff, 1);
    let token = a["token"].as_str().unwrap();
    let r = post(
        &s.addr,
        &format!("/api/v1/staff/help-requests/{}/status", uuid7(1)),
        Some(&staff),
        &json!({"status": "in_progress"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let pulled = get(
        &s.addr,
        "/api/v1/sync/pull?cursor=0&limit=1000",
        Some(token),
    );
    assert!(!pulled.body.contains("\"admin\""), "{}", pulled.body);
    let state = help_state(&s.addr, token);
    let last = state["body"]["history"]
        .as_array()
        .unwrap()
        .last()
        .cloned()
        .unwrap();
    assert_eq!(last["by"], "李姑娘");
    assert_eq!(last["by_role"], "staff");
    assert_eq!(state["body"]["history"][0]["by_role"], "household");
}
