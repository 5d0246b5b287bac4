//! Public content without enrolment: `GET /api/v1/public/pull` and `/api/v1/public/buildings`
//! need no token and never carry a household's records.

mod common;
use common::*;

fn created_id(r: &Response) -> String {
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_owned()
}

#[test]
fn a_phone_that_has_not_enrolled_reads_public_content_for_the_building_it_picked() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let everyone = created_id(&post(
        &s.addr,
        "/api/v1/staff/alerts",
        Some(&staff),
        &alert_in(&[], &[], "Typhoon for everyone"),
    ));
    let g1b1 = created_id(&post(
        &s.addr,
        "/api/v1/staff/alerts",
        Some(&staff),
        &alert_in(&[], &["G1-B1"], "Lift out in G1-B1"),
    ));
    let g2 = created_id(&post(
        &s.addr,
        "/api/v1/staff/alerts",
        Some(&staff),
        &alert_in(&["G2"], &[], "Water cut in grid 2"),
    ));
    // A household's own record exists in the log: the public pull must never carry it.
    let resident = resident_with_help_request(&s.addr, &staff, 1);
    let private_id = uuid7(1);
    let theirs = pull_ids(&s.addr, resident["token"].as_str().unwrap());
    assert!(theirs.contains(&private_id), "{theirs:?}");

    let anyone = get(&s.addr, "/api/v1/public/pull?limit=500", None);
    assert_eq!(anyone.status, 200, "{}", anyone.body);
    let ids = change_ids(&anyone.json());
    assert!(ids.contains(&everyone));
    assert!(!ids.contains(&g1b1) && !ids.contains(&g2), "{ids:?}");
    assert!(
        !ids.contains(&private_id),
        "a household's request leaked: {ids:?}"
    );
    let kinds: Vec<String> = anyone.json()["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(kinds.iter().any(|k| k == "rebuttal"), "{kinds:?}");
    assert!(kinds.iter().all(|k| k != "help_request"), "{kinds:?}");

    let in_g1b1 = change_ids(
        &get(
            &s.addr,
            "/api/v1/public/pull?limit=500&building=G1-B1",
            None,
        )
        .json(),
    );
    assert!(in_g1b1.contains(&everyone) && in_g1b1.contains(&g1b1));
    assert!(!in_g1b1.contains(&g2));
    let in_g2b1 = change_ids(
        &get(
            &s.addr,
            "/api/v1/public/pull?limit=500&building=G2-B1",
            None,
        )
        .json(),
    );
    assert!(in_g2b1.contains(&everyone) && in_g2b1.contains(&g2));
    assert!(!in_g2b1.contains(&g1b1));

    let unknown = get(&s.addr, "/api/v1/public/pull?building=G9-B9", None);
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    assert!(unknown.body.contains("building"), "{}", unknown.body);
    let bad = get(&s.addr, "/api/v1/public/pull?building=a%20b", None);
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("building"), "{}", bad.body);

    // Withdrawn for everyone: a public reader at the old cursor is told to delete it.
    let cursor = get(&s.addr, "/api/v1/public/pull?limit=500", None).json()["next_cursor"]
        .as_i64()
        .unwrap();
    let r = send(
        &s.addr,
        "DELETE",
        &format!("/api/v1/staff/alerts/{everyone}"),
        Some(&staff),
        None,
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let after = get(
        &s.addr,
        &format!("/api/v1/public/pull?cursor={cursor}"),
        None,
    )
    .json();
    let gone = after["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == everyone.as_str())
        .cloned()
        .expect("the withdrawal reaches a public reader");
    assert_eq!(gone["op"], "delete");
}

#[test]
fn the_buildings_a_reader_may_pick_carry_names_only() {
    let s = start_demo();
    let r = get(&s.addr, "/api/v1/public/buildings", None);
    assert_eq!(r.status, 200, "{}", r.body);
    let list = r.json()["buildings"].as_array().unwrap().clone();
    assert!(list
        .iter()
        .any(|b| b["code"] == "G1-B1" && b["grid"] == "G1"));
    for b in &list {
        let keys: Vec<&String> = b.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["code", "grid", "name"], "{b}");
    }
}

fn pull_ids(addr: &str, token: &str) -> Vec<String> {
    change_ids(&get(addr, "/api/v1/sync/pull?limit=500", Some(token)).json())
}
