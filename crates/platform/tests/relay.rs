//! Black-box tests for the outage relay's platform half: what the platform publishes comes
//! signed (verifiable by a phone that got it from another phone), keys rotate through signed
//! key sets, and records a volunteer's phone carried for a neighbour arrive once, as the
//! neighbour's, only if they were sealed to this platform by an enrolled phone.

mod common;

use base64::Engine;
use common::*;
use linli_protocol::signing::{Envelope, KeySet, VerifyError};
use serde_json::{json, Value};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn envelopes(v: &Value) -> Vec<Envelope> {
    serde_json::from_value(v.clone()).unwrap()
}

fn trusted(addr: &str) -> KeySet {
    let r = get(addr, "/api/v1/public/keys", None);
    assert_eq!(r.status, 200, "{}", r.body);
    KeySet::first(&envelopes(&r.json()["keys"])).unwrap()
}

#[test]
fn published_items_come_signed_over_the_exact_payload_and_tampering_is_detected() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let r = post(
        &s.addr,
        "/api/v1/staff/alerts",
        Some(&staff),
        &alert_in(&[], &[], "Typhoon signal 8"),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let alert_id = r.json()["id"].as_str().unwrap().to_owned();
    let keys = trusted(&s.addr);

    // The public pull (no token) and an enrolled phone's pull both carry signatures.
    let resident = resident_with_help_request(&s.addr, &staff, 1);
    for token in [None, resident["token"].as_str()] {
        let page = get(&s.addr, "/api/v1/public/pull?limit=1000", None);
        let page = match token {
            None => page.json(),
            Some(t) => get(&s.addr, "/api/v1/sync/pull?limit=1000", Some(t)).json(),
        };
        let changes = page["changes"].as_array().unwrap();
        let mut public = 0;
        for c in changes {
            let kind = c["kind"].as_str().unwrap();
            let signed = &c["signed"];
            if ["help_request", "household_member", "health_report"].contains(&kind) {
                assert!(signed.is_null(), "a household's record is not signed: {c}");
                continue;
            }
            public += 1;
            let env: Envelope = serde_json::from_value(signed.clone()).unwrap();
            assert_eq!(
                (env.kind.as_str(), env.id.as_str()),
                (kind, c["id"].as_str().unwrap())
            );
            let payload = keys.verify(&env).unwrap();
            // What was signed is the body that was sent.
            assert_eq!(serde_json::from_str::<Value>(payload).unwrap(), c["body"]);
        }
        assert!(public >= 5, "alerts, guides, facilities…: {public}");
        let alert = changes
            .iter()
            .find(|c| c["id"] == alert_id.as_str())
            .unwrap();
        let mut env: Envelope = serde_json::from_value(alert["signed"].clone()).unwrap();
        assert!(env.payload.contains("Typhoon signal 8"));
        env.payload = env.payload.replace("Typhoon signal 8", "Typhoon signal 10");
        assert_eq!(keys.verify(&env), Err(VerifyError::Tampered));
    }
}

#[test]
fn a_rotated_key_signs_after_a_restart_and_phones_learn_it_through_the_old_key() {
    let s = start_demo();
    let before = trusted(&s.addr);
    let out = std::process::Command::new(BIN)
        .arg("--db")
        .arg(&s.db)
        .arg("rotate-signing-key")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    // The key file is beside the database, private.
    let file = s.db.parent().unwrap().join("signing.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let s = restart(s, &["--demo"], Some(ADMIN_PASSWORD));
    let page = get(&s.addr, "/api/v1/public/pull?limit=1000", None).json();
    let chain = envelopes(&get(&s.addr, "/api/v1/public/keys", None).json()["keys"]);
    assert_eq!(chain.len(), 2);
    let signed: Envelope = serde_json::from_value(
        page["changes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| !c["signed"].is_null())
            .unwrap()["signed"]
            .clone(),
    )
    .unwrap();
    assert!(said.contains(&signed.kid), "{said} / {}", signed.kid);
    assert_eq!(before.verify(&signed), Err(VerifyError::UnknownKey));
    let (now, refused) = before.extend(&chain);
    assert_eq!(refused, 0);
    assert!(now.verify(&signed).is_ok());
}

/// A health report and a request for help of `dev`'s enrolled member, ids `uuid7(n)`, `+1`.
fn records(dev: &Value, n: u64) -> Vec<Value> {
    vec![
        json!({"id": uuid7(n), "kind": "health_report", "body": {
            "member_id": dev["member_id"], "date": "2026-11-28", "temperature_c": 38.4,
            "symptoms": ["fever"], "reported_at": "2026-11-28T09:00:00+08:00"}}),
        json!({"id": uuid7(n + 1), "kind": "help_request", "body": {
            "member_id": dev["member_id"], "category": "medicine", "urgency": "urgent",
            "description": "insulin running out", "created_at": "2026-11-28T09:01:00+08:00"}}),
    ]
}

/// The `relayed` item a carrier pushes for `items` sealed with `token` to `seal_pk`.
fn relayed(id: u64, seal_pk: &[u8; 32], token: &str, items: &[Value], shown: &[Value]) -> Value {
    // As a phone seals them: compressed (version, hash, deflate), then sealed.
    let plain = linli_protocol::relay::pack(
        &serde_json::to_vec(&json!({"token": token, "items": items})).unwrap(),
    )
    .unwrap();
    let sealed = linli_protocol::seal::seal(seal_pk, [id as u8 | 1; 32], [7; 12], &plain).unwrap();
    let shown: Vec<Value> = shown
        .iter()
        .map(|i| json!({"id": i["id"], "kind": i["kind"]}))
        .collect();
    json!({"id": uuid7(id), "kind": "relayed", "body": {"items": shown, "sealed": B64.encode(sealed)}})
}

fn result(r: &Response, i: usize) -> (String, String) {
    let v = &r.json()["results"][i];
    (
        v["status"].as_str().unwrap_or_default().to_owned(),
        v["code"].as_str().unwrap_or_default().to_owned(),
    )
}

#[test]
fn records_carried_by_a_volunteer_arrive_once_as_the_neighbours_own() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let seal_pk = trusted(&s.addr).seal_key().unwrap();
    let neighbour = enroll(&s.addr, &staff, "G1-B1", "陳婆婆");
    let carrier = enroll(&s.addr, &staff, "G1-B1", "Volunteer");
    let carrier_token = carrier["token"].as_str().unwrap();
    let mine = records(&neighbour, 10);
    let token = neighbour["token"].as_str().unwrap();

    let boxed = relayed(1, &seal_pk, token, &mine, &mine);
    let r = push(&s.addr, carrier_token, std::slice::from_ref(&boxed));
    assert_eq!(
        result(&r, 0),
        ("accepted".into(), String::new()),
        "{}",
        r.body
    );
    // The request reached the staff queue, as the neighbour's household's.
    let q = queue(&s.addr, "/api/v1/staff/help-requests", &staff);
    let found = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == uuid7(11).as_str())
        .unwrap_or_else(|| panic!("not in the queue: {q}"));
    assert_eq!(found["building"], "G1-B1", "{found}");
    // The neighbour's own pull has them; the carrier's does not.
    let theirs = change_ids(&get(&s.addr, "/api/v1/sync/pull?limit=1000", Some(token)).json());
    assert!(theirs.contains(&uuid7(11)), "{theirs:?}");
    let carriers =
        change_ids(&get(&s.addr, "/api/v1/sync/pull?limit=1000", Some(carrier_token)).json());
    assert!(!carriers.contains(&uuid7(11)), "{carriers:?}");

    // The same box again (a retry), or carried by a second volunteer: nothing new.
    let r = push(&s.addr, carrier_token, &[boxed]);
    assert_eq!(result(&r, 0).0, "duplicate", "{}", r.body);
    let second = enroll(&s.addr, &staff, "G1-B1", "Second volunteer");
    let again = relayed(2, &seal_pk, token, &mine, &mine);
    let r = push(
        &s.addr,
        second["token"].as_str().unwrap(),
        std::slice::from_ref(&again),
    );
    assert_eq!(result(&r, 0).0, "accepted", "{}", r.body);
    // The same box under another id (a photo of the codes, replayed): opened once, never again.
    let mut replay = again;
    replay["id"] = json!(uuid7(99));
    let r = push(&s.addr, second["token"].as_str().unwrap(), &[replay]);
    assert_eq!(result(&r, 0).0, "duplicate", "{}", r.body);
    // And the neighbour's own phone, back online, is told they are already there.
    let r = push(&s.addr, token, &mine);
    assert_eq!(
        (result(&r, 0).0, result(&r, 1).0),
        ("duplicate".into(), "duplicate".into()),
        "{}",
        r.body
    );
    let q = queue(&s.addr, "/api/v1/staff/help-requests", &staff);
    let copies = q["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["id"] == uuid7(11).as_str())
        .count();
    assert_eq!(copies, 1);
}

#[test]
fn a_box_not_sealed_here_not_matching_its_label_or_from_a_removed_phone_is_refused() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let seal_pk = trusted(&s.addr).seal_key().unwrap();
    let neighbour = enroll(&s.addr, &staff, "G1-B1", "A");
    let carrier = enroll(&s.addr, &staff, "G1-B1", "Volunteer");
    let ct = carrier["token"].as_str().unwrap();
    let token = neighbour["token"].as_str().unwrap();
    let mine = records(&neighbour, 20);

    // Sealed to another key (another community, or made up).
    let other = linli_protocol::seal::public_key(&[9; 32]);
    let r = push(&s.addr, ct, &[relayed(1, &other, token, &mine, &mine)]);
    assert_eq!(
        result(&r, 0),
        ("rejected".into(), "relay_unreadable".into()),
        "{}",
        r.body
    );
    // Changed on the way.
    let mut changed = relayed(2, &seal_pk, token, &mine, &mine);
    let text = changed["body"]["sealed"].as_str().unwrap().to_owned();
    let flipped = format!(
        "{}{}",
        &text[..40],
        if &text[40..41] == "A" { "B" } else { "A" }
    );
    changed["body"]["sealed"] = json!(format!("{flipped}{}", &text[41..]));
    let r = push(&s.addr, ct, &[changed]);
    assert_eq!(result(&r, 0).1, "relay_unreadable", "{}", r.body);
    // The label the carrier saw does not say what the box holds.
    let r = push(
        &s.addr,
        ct,
        &[relayed(3, &seal_pk, token, &mine, &mine[..1])],
    );
    assert_eq!(result(&r, 0).1, "relay_mismatch", "{}", r.body);
    // A token that is not a phone's.
    let r = push(
        &s.addr,
        ct,
        &[relayed(4, &seal_pk, "made-up", &mine, &mine)],
    );
    assert_eq!(result(&r, 0).1, "relay_unauthorized", "{}", r.body);
    // A box whose own id is one of its records' (it would clash with the record it holds).
    let mut clash = relayed(10, &seal_pk, token, &mine, &mine);
    clash["id"] = json!(uuid7(20));
    let r = push(&s.addr, ct, &[clash]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        result(&r, 0),
        ("rejected".into(), "invalid".into()),
        "{}",
        r.body
    );
    // A box in a box.
    let inner = relayed(5, &seal_pk, token, &mine, &mine);
    let r = push(
        &s.addr,
        ct,
        &[relayed(
            6,
            &seal_pk,
            token,
            std::slice::from_ref(&inner),
            std::slice::from_ref(&inner),
        )],
    );
    assert_eq!(result(&r, 0).0, "rejected", "{}", r.body);
    // Bad base64 names the field.
    let mut bad = relayed(7, &seal_pk, token, &mine, &mine);
    bad["body"]["sealed"] = json!("not base64!");
    let r = push(&s.addr, ct, &[bad]);
    assert_eq!(result(&r, 0).1, "invalid", "{}", r.body);
    assert!(r.body.contains("body.sealed"), "{}", r.body);
    // None of it was stored.
    let theirs = change_ids(&get(&s.addr, "/api/v1/sync/pull?limit=1000", Some(token)).json());
    assert!(!theirs.contains(&uuid7(21)), "{theirs:?}");

    // A phone removed since it sealed the box: refused.
    let path = format!(
        "/api/v1/staff/devices/{}",
        neighbour["device_id"].as_str().unwrap()
    );
    assert_eq!(
        request(&s.addr, "DELETE", &path, Some(&staff), None).status,
        200
    );
    let r = push(&s.addr, ct, &[relayed(8, &seal_pk, token, &mine, &mine)]);
    assert_eq!(result(&r, 0).1, "relay_unauthorized", "{}", r.body);
    // Without a token of its own a phone cannot deliver at all.
    let r = push(
        &s.addr,
        "nobody",
        &[relayed(9, &seal_pk, token, &mine, &mine)],
    );
    assert_eq!(r.status, 401);
}

#[test]
fn a_box_cannot_undo_a_members_later_edit_such_as_withdrawn_consent() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let seal_pk = trusted(&s.addr).seal_key().unwrap();
    let neighbour = enroll(&s.addr, &staff, "G1-B1", "Mrs Lee");
    let carrier = enroll(&s.addr, &staff, "G1-B1", "Volunteer");
    let token = neighbour["token"].as_str().unwrap();
    let member = |share: bool| {
        json!({"id": neighbour["member_id"], "kind": "household_member", "body": {
            "display_name": "Mrs Lee", "flags": ["elderly_alone"],
            "share_with_volunteers": {"name": share, "care_flags": share, "check_in": share}}})
    };
    // Sharing, sealed into a box that a volunteer carries for days…
    let old = [member(true)];
    let boxed = relayed(1, &seal_pk, token, &old, &old);
    // …while she withdraws her consent from her own phone.
    let r = push(&s.addr, token, &[member(false)]);
    assert_eq!(result(&r, 0).0, "accepted", "{}", r.body);
    let r = push(&s.addr, carrier["token"].as_str().unwrap(), &[boxed]);
    assert_eq!(result(&r, 0).0, "accepted", "{}", r.body);
    let stored = platform_share(&s, neighbour["member_id"].as_str().unwrap());
    assert!(
        !stored.contains("true"),
        "the late box brought back her consent: {stored}"
    );
}

/// What a member shares with volunteers, as the platform holds it.
fn platform_share(s: &Server, member: &str) -> String {
    let c = rusqlite::Connection::open(&s.db).unwrap();
    c.query_row("SELECT share FROM members WHERE id = ?1", [member], |r| {
        r.get::<_, String>(0)
    })
    .unwrap()
}
