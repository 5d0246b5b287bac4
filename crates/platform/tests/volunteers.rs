//! Households with several phones, and building volunteers, black-box against the real binary:
//! what each phone may read and write, and what each of them sees after a sync.

mod common;
use common::*;
use serde_json::{json, Value};

fn token(dev: &Value) -> &str {
    dev["token"].as_str().unwrap()
}

/// Every change a full pull gives `token`.
fn changes(addr: &str, token: &str) -> Vec<Value> {
    let r = get(addr, "/api/v1/sync/pull?cursor=0&limit=500", Some(token));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["changes"].as_array().unwrap().clone()
}

fn of_kind(changes: &[Value], kind: &str) -> Vec<Value> {
    changes
        .iter()
        .filter(|c| c["kind"] == kind)
        .cloned()
        .collect()
}

fn roster_of(addr: &str, token: &str, household: &Value) -> Option<Value> {
    of_kind(&changes(addr, token), "roster_household")
        .into_iter()
        .find(|c| c["id"] == *household)
        .map(|c| c["body"].clone())
}

fn enrol_with(addr: &str, code: &str, name: &str, unit: Option<&str>) -> Value {
    let mut body = json!({"invite_code": code, "display_name": name});
    if let Some(u) = unit {
        body["unit"] = json!(u);
    }
    let r = post(addr, "/api/v1/enroll", None, &body);
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

fn volunteer_code(addr: &str, staff: &str, building: &str) -> String {
    let r = post(
        addr,
        "/api/v1/staff/invites",
        Some(staff),
        &json!({"role": "volunteer", "building": building, "count": 1}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["codes"][0].as_str().unwrap().to_owned()
}

fn resident_code(addr: &str, staff: &str, building: &str) -> String {
    let r = post(
        addr,
        "/api/v1/staff/invites",
        Some(staff),
        &json!({"role": "resident", "building": building, "count": 1}),
    );
    r.json()["codes"][0].as_str().unwrap().to_owned()
}

fn checkin(n: u64, member: &Value, temperature: f64) -> Value {
    json!({"id": uuid7(n), "kind": "health_report", "body": {
        "member_id": member, "date": "2026-11-28", "temperature_c": temperature,
        "symptoms": [], "note": "feels hot", "reported_at": "2026-11-28T08:00:00Z"}})
}

fn sharing(dev: &Value, name: &str, share: Value) -> Value {
    json!({"id": dev["member_id"], "kind": "household_member", "body": {
        "display_name": name, "flags": ["elderly_alone", "chronic_illness"], "share_with_volunteers": share}})
}

fn result(r: &Response, i: usize) -> Value {
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["results"][i].clone()
}

#[test]
fn a_second_phone_joins_its_household_sees_its_records_and_can_be_removed() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let first = enrol_with(
        &s.addr,
        &resident_code(&s.addr, &staff, "G1-B1"),
        "陳太",
        Some("3-502"),
    );
    let r = push(
        &s.addr,
        token(&first),
        &[checkin(1, &first["member_id"], 36.5)],
    );
    assert_eq!(result(&r, 0)["status"], "accepted");

    let r = post(
        &s.addr,
        "/api/v1/household/invites",
        Some(token(&first)),
        &json!({}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let code = r.json()["code"].as_str().unwrap().to_owned();
    assert!(r.json()["expires"].as_str().is_some());

    let second = enrol_with(&s.addr, &code, "陳先生", Some("ignored"));
    assert_eq!(second["household_id"], first["household_id"]);
    assert_ne!(second["member_id"], first["member_id"]);
    // Single use.
    let again = post(
        &s.addr,
        "/api/v1/enroll",
        None,
        &json!({"invite_code": code, "display_name": "X"}),
    );
    assert_eq!(again.status, 400, "{}", again.body);

    // The second phone sees the first person and their check-in; the first sees the second's.
    let seen = changes(&s.addr, token(&second));
    let members: Vec<&Value> = seen
        .iter()
        .filter(|c| c["kind"] == "household_member")
        .collect();
    assert!(members
        .iter()
        .any(|c| c["id"] == first["member_id"] && c["body"]["display_name"] == "陳太"));
    assert!(seen
        .iter()
        .any(|c| c["kind"] == "health_report" && c["id"] == uuid7(1)));
    let r = push(
        &s.addr,
        token(&second),
        &[checkin(2, &second["member_id"], 36.6)],
    );
    assert_eq!(result(&r, 0)["status"], "accepted");
    assert!(changes(&s.addr, token(&first))
        .iter()
        .any(|c| c["kind"] == "health_report" && c["id"] == uuid7(2)));

    // The household and its phones; the unit given at the first enrolment.
    let info = get(&s.addr, "/api/v1/household", Some(token(&first))).json();
    assert_eq!(info["unit"], "3-502");
    let devices = info["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2);
    assert_eq!(
        devices.iter().filter(|d| d["this_device"] == true).count(),
        1
    );
    let r = put(
        &s.addr,
        "/api/v1/household/unit",
        Some(token(&second)),
        &json!({"unit": "3-503"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["unit"], "3-503");
    let long = put(
        &s.addr,
        "/api/v1/household/unit",
        Some(token(&second)),
        &json!({"unit": "x".repeat(21)}),
    );
    assert_eq!(long.status, 400, "{}", long.body);
    assert!(long.body.contains("unit"), "{}", long.body);

    // Another household cannot remove it; the first phone can, and the second is then out.
    let stranger = enroll(&s.addr, &staff, "G1-B1", "路人");
    let second_id = second["device_id"].as_str().unwrap();
    let path = format!("/api/v1/household/devices/{second_id}");
    let r = send(&s.addr, "DELETE", &path, Some(token(&stranger)), None, &[]);
    assert_eq!(r.status, 404, "{}", r.body);
    let r = send(&s.addr, "DELETE", &path, Some(token(&first)), None, &[]);
    assert_eq!(r.status, 204, "{}", r.body);
    let r = get(&s.addr, "/api/v1/sync/pull", Some(token(&second)));
    assert_eq!(r.status, 401, "{}", r.body);
    let info = get(&s.addr, "/api/v1/household", Some(token(&first))).json();
    assert_eq!(info["devices"].as_array().unwrap().len(), 1);
}

#[test]
fn a_volunteer_sees_only_what_each_member_shares_and_works_within_their_building() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let vol = enrol_with(
        &s.addr,
        &volunteer_code(&s.addr, &staff, "G1-B1"),
        "義工阿明",
        Some("1-101"),
    );
    assert_eq!(vol["volunteer_buildings"], json!(["G1-B1"]));
    let sharer = enrol_with(
        &s.addr,
        &resident_code(&s.addr, &staff, "G1-B1"),
        "李婆婆",
        Some("5-1"),
    );
    let silent = enrol_with(
        &s.addr,
        &resident_code(&s.addr, &staff, "G1-B1"),
        "張先生",
        Some("5-2"),
    );
    let elsewhere = enrol_with(
        &s.addr,
        &resident_code(&s.addr, &staff, "G2-B1"),
        "王先生",
        Some("9-9"),
    );

    let all = json!({"name": true, "care_flags": true, "check_in": true});
    let r = push(
        &s.addr,
        token(&sharer),
        &[
            sharing(&sharer, "李婆婆", all),
            checkin(10, &sharer["member_id"], 38.2),
        ],
    );
    assert_eq!(result(&r, 0)["status"], "accepted");
    assert_eq!(result(&r, 1)["status"], "accepted");

    // The sharer: name, care flags, today's check-in flagged — never the temperature or note.
    let entry = roster_of(&s.addr, token(&vol), &sharer["household_id"])
        .expect("the sharer is on the roster");
    assert_eq!(entry["unit"], "5-1");
    assert_eq!(entry["members"][0]["name"], "李婆婆");
    // Care flags, but only those the form says volunteers see: not the chronic illness.
    assert_eq!(entry["members"][0]["care_flags"], json!(["elderly_alone"]));
    assert_eq!(entry["members"][0]["checked_in"], "2026-11-28");
    assert_eq!(entry["members"][0]["flagged"], true);
    let text = entry.to_string();
    assert!(
        !text.contains("38.2") && !text.contains("feels hot"),
        "{text}"
    );
    // The household that shared nothing is there as its unit, for the door-knock.
    let unit_only = roster_of(&s.addr, token(&vol), &silent["household_id"]).expect("unit only");
    assert_eq!(unit_only["unit"], "5-2");
    assert_eq!(unit_only["people"], 1);
    assert_eq!(unit_only["members"], json!([]));
    assert!(!unit_only.to_string().contains("張先生"));
    // Another building is not on it; a resident's pull has no roster at all.
    assert!(roster_of(&s.addr, token(&vol), &elsewhere["household_id"]).is_none());
    assert!(of_kind(&changes(&s.addr, token(&sharer)), "roster_household").is_empty());

    // Consent withdrawn: the next entry carries nothing of them.
    let r = push(
        &s.addr,
        token(&sharer),
        &[sharing(&sharer, "李婆婆", json!({}))],
    );
    assert_eq!(result(&r, 0)["status"], "accepted");
    let entry = roster_of(&s.addr, token(&vol), &sharer["household_id"]).unwrap();
    assert_eq!(entry["members"], json!([]));
    assert!(!entry.to_string().contains("李婆婆"));

    // A check-in for a neighbour without a phone: refused while they share nothing with
    // volunteers (the volunteer writes only for people on their roster)…
    let for_silent = json!({"id": uuid7(20), "kind": "neighbour_health_report", "body": {
        "household_id": silent["household_id"], "report": {
            "member_id": silent["member_id"], "date": "2026-11-28", "symptoms": [],
            "reported_at": "2026-11-28T09:00:00Z", "reported_by_volunteer": true}}});
    let r = push(&s.addr, token(&vol), std::slice::from_ref(&for_silent));
    let refused = result(&r, 0);
    assert_eq!(
        (refused["status"].as_str(), refused["code"].as_str()),
        (Some("rejected"), Some("forbidden")),
        "{}",
        r.body
    );
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .starts_with("body.report.member_id: this person shares nothing"),
        "{refused}"
    );
    // …and once they share their name, that household sees it, with the volunteer.
    let r = push(
        &s.addr,
        token(&silent),
        &[sharing(&silent, "張先生", json!({"name": true}))],
    );
    assert_eq!(result(&r, 0)["status"], "accepted");
    let r = push(&s.addr, token(&vol), std::slice::from_ref(&for_silent));
    assert_eq!(result(&r, 0)["status"], "accepted", "{}", r.body);
    let theirs = of_kind(&changes(&s.addr, token(&silent)), "health_report");
    let report = theirs
        .iter()
        .find(|c| c["id"] == uuid7(20))
        .expect("the household sees it");
    assert_eq!(report["body"]["reported_by"], "義工阿明");
    assert_eq!(report["body"]["reported_by_volunteer"], true);
    // Sent again: a duplicate, not a second report.
    assert_eq!(
        result(&push(&s.addr, token(&vol), &[for_silent]), 0)["status"],
        "duplicate"
    );

    // A door-knock that finds someone in need files a request staff see, by the volunteer.
    let knock = json!({"id": uuid7(21), "kind": "door_knock", "body": {
        "household_id": silent["household_id"], "outcome": "needs_help", "note": "沒有藥",
        "at": "2026-11-28T10:00:00Z"}});
    assert_eq!(
        result(&push(&s.addr, token(&vol), &[knock]), 0)["status"],
        "accepted"
    );
    let knocks = get(
        &s.addr,
        "/api/v1/staff/door-knocks?building=G1-B1",
        Some(&staff),
    )
    .json();
    let k = &knocks["knocks"][0];
    assert_eq!(
        (k["unit"].as_str(), k["outcome"].as_str(), k["by"].as_str()),
        (Some("5-2"), Some("needs_help"), Some("義工阿明"))
    );
    // The household sees the visit: who came, when and what they found — not the note.
    let visits = of_kind(&changes(&s.addr, token(&silent)), "household_visit");
    assert_eq!(visits.len(), 1, "{visits:?}");
    assert_eq!(visits[0]["id"], uuid7(21));
    assert_eq!(
        visits[0]["body"],
        json!({"outcome": "needs_help", "at": "2026-11-28T10:00:00Z", "by": "義工阿明"})
    );
    // Nobody else pulls it: not the volunteer, not another household of the building.
    assert!(of_kind(&changes(&s.addr, token(&vol)), "household_visit").is_empty());
    assert!(of_kind(&changes(&s.addr, token(&sharer)), "household_visit").is_empty());
    let detail = get(
        &s.addr,
        &format!("/api/v1/staff/help-requests/{}", uuid7(21)),
        Some(&staff),
    );
    assert_eq!(detail.status, 200, "{}", detail.body);
    assert!(detail.body.contains("沒有藥"), "{}", detail.body);

    // Staff assign it to the volunteer; they accept and resolve it from their phone.
    let bad = post(
        &s.addr,
        &format!("/api/v1/staff/help-requests/{}/status", uuid7(21)),
        Some(&staff),
        &json!({"status": "assigned", "volunteer": silent["member_id"]}),
    );
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("volunteer"), "{}", bad.body);
    let r = post(
        &s.addr,
        &format!("/api/v1/staff/help-requests/{}/status", uuid7(21)),
        Some(&staff),
        &json!({"status": "assigned", "volunteer": vol["member_id"]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let assigned = of_kind(&changes(&s.addr, token(&vol)), "assigned_request");
    assert_eq!(assigned.len(), 1, "{assigned:?}");
    assert_eq!(assigned[0]["body"]["unit"], "5-2");
    assert_eq!(assigned[0]["body"]["for_name"], "張先生");
    for (n, action) in [(22, "accept"), (23, "in_progress"), (24, "resolved")] {
        let step = json!({"id": uuid7(n), "kind": "volunteer_help_action", "body": {
            "request_id": uuid7(21), "action": action, "note": "送了藥", "at": "2026-11-28T11:00:00Z"}});
        assert_eq!(
            result(&push(&s.addr, token(&vol), &[step]), 0)["status"],
            "accepted"
        );
    }
    let state = get(
        &s.addr,
        &format!("/api/v1/staff/help-requests/{}", uuid7(21)),
        Some(&staff),
    )
    .json();
    assert_eq!(state["request"]["status"], "resolved", "{state}");
    let theirs = of_kind(&changes(&s.addr, token(&silent)), "help_request");
    let last = theirs[0]["body"]["history"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        (last["status"].as_str(), last["by"].as_str()),
        (Some("resolved"), Some("義工阿明"))
    );
    let mine = of_kind(&changes(&s.addr, token(&vol)), "assigned_request");
    assert_eq!(mine[0]["body"]["state"]["status"], "resolved");
}

/// Who may write what: each volunteer kind against a volunteer of the building, a volunteer of
/// another building, the household itself and a resident of the same building.
#[test]
fn the_volunteer_scope_matrix() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let target = enrol_with(
        &s.addr,
        &resident_code(&s.addr, &staff, "G1-B1"),
        "對象",
        Some("2-1"),
    );
    let vol = enrol_with(
        &s.addr,
        &volunteer_code(&s.addr, &staff, "G1-B1"),
        "本樓義工",
        None,
    );
    let other_vol = enrol_with(
        &s.addr,
        &volunteer_code(&s.addr, &staff, "G2-B1"),
        "別樓義工",
        None,
    );
    let neighbour = enrol_with(
        &s.addr,
        &resident_code(&s.addr, &staff, "G1-B1"),
        "鄰居",
        None,
    );
    // The target shares their name with the building's volunteers (they are on the roster).
    let r = push(
        &s.addr,
        token(&target),
        &[sharing(&target, "對象", json!({"name": true}))],
    );
    assert_eq!(result(&r, 0)["status"], "accepted");
    let mut n = 100;
    let mut items = |kind: &str| -> Value {
        n += 1;
        let body = match kind {
            "door_knock" => {
                json!({"household_id": target["household_id"], "outcome": "safe", "at": "2026-11-28T10:00:00Z"})
            }
            "neighbour_health_report" => json!({"household_id": target["household_id"], "report": {
                "member_id": target["member_id"], "date": "2026-11-28", "symptoms": [], "reported_at": "2026-11-28T09:00:00Z"}}),
            _ => json!({"household_id": target["household_id"], "request": {
                "member_id": target["member_id"], "category": "medicine", "urgency": "normal",
                "description": "藥", "created_at": "2026-11-28T09:00:00Z"}}),
        };
        json!({"id": uuid7(n), "kind": kind, "body": body})
    };
    let callers = [
        ("volunteer of the building", &vol, "accepted"),
        ("volunteer elsewhere", &other_vol, "rejected"),
        ("the household itself", &target, "rejected"),
        ("a resident of the building", &neighbour, "rejected"),
    ];
    for kind in [
        "door_knock",
        "neighbour_health_report",
        "neighbour_help_request",
    ] {
        for (who, dev, want) in &callers {
            let r = result(&push(&s.addr, token(dev), &[items(kind)]), 0);
            assert_eq!(r["status"], *want, "{kind} by {who}: {r}");
            if *want == "rejected" {
                assert_eq!(r["code"], "forbidden", "{kind} by {who}: {r}");
                assert!(
                    r["message"].as_str().unwrap().contains("household_id"),
                    "{r}"
                );
            }
        }
    }
    // Within the building, only for members of that household who share with volunteers.
    let for_member = |id: u64, member: &Value| {
        json!({"id": uuid7(id), "kind": "neighbour_health_report", "body": {
            "household_id": target["household_id"], "report": {
                "member_id": member, "date": "2026-11-28", "symptoms": [],
                "reported_at": "2026-11-28T09:00:00Z"}}})
    };
    let r = result(
        &push(
            &s.addr,
            token(&vol),
            &[for_member(150, &neighbour["member_id"])],
        ),
        0,
    );
    assert_eq!(
        (r["code"].as_str(), r["message"].as_str()),
        (
            Some("forbidden"),
            Some("body.report.member_id: not a member of that household")
        )
    );
    // A volunteer action on a request not assigned to the caller is refused for everyone.
    let step = json!({"id": uuid7(999), "kind": "volunteer_help_action", "body": {
        "request_id": uuid7(103), "action": "accept", "at": "2026-11-28T11:00:00Z"}});
    for (who, dev, _) in &callers {
        let r = result(&push(&s.addr, token(dev), std::slice::from_ref(&step)), 0);
        assert_eq!(r["code"], "not_found", "{who}: {r}");
    }
    // A real request of the building, assigned to another volunteer of the same building: only
    // that volunteer may act on it.
    let second = enrol_with(
        &s.addr,
        &volunteer_code(&s.addr, &staff, "G1-B1"),
        "另一位義工",
        None,
    );
    let asked = json!({"id": uuid7(160), "kind": "help_request", "body": {
        "member_id": target["member_id"], "category": "medicine", "urgency": "normal",
        "description": "藥", "created_at": "2026-11-28T09:00:00Z"}});
    assert_eq!(
        result(&push(&s.addr, token(&target), &[asked]), 0)["status"],
        "accepted"
    );
    let r = post(
        &s.addr,
        &format!("/api/v1/staff/help-requests/{}/status", uuid7(160)),
        Some(&staff),
        &json!({"status": "assigned", "volunteer": second["member_id"]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let accept = |id: u64| {
        json!({"id": uuid7(id), "kind": "volunteer_help_action", "body": {
            "request_id": uuid7(160), "action": "in_progress", "at": "2026-11-28T11:00:00Z"}})
    };
    for (n, (who, dev, _)) in callers.iter().enumerate() {
        let r = result(&push(&s.addr, token(dev), &[accept(170 + n as u64)]), 0);
        assert_eq!(r["code"], "not_found", "{who} on another's request: {r}");
    }
    let r = result(&push(&s.addr, token(&second), &[accept(180)]), 0);
    assert_eq!(r["status"], "accepted", "{r}");
    let state = get(
        &s.addr,
        &format!("/api/v1/staff/help-requests/{}", uuid7(160)),
        Some(&staff),
    )
    .json();
    assert_eq!(state["request"]["status"], "in_progress", "{state}");
    // The request's data reaches only the volunteer it is assigned to.
    assert_eq!(
        of_kind(&changes(&s.addr, token(&second)), "assigned_request").len(),
        1
    );
    assert!(of_kind(&changes(&s.addr, token(&vol)), "assigned_request").is_empty());
    // Rosters are pulled by the building's volunteers only.
    for (who, dev, want) in &callers {
        let has = roster_of(&s.addr, token(dev), &target["household_id"]).is_some();
        assert_eq!(has, *want == "accepted", "roster for {who}");
    }
    // Staff reads are staff-only, and in scope.
    for (path, expect_staff) in [
        ("/api/v1/staff/door-knocks?building=G1-B1", 200),
        ("/api/v1/staff/buildings/G1-B1/volunteers", 200),
    ] {
        assert_eq!(
            get(&s.addr, path, Some(&staff)).status,
            expect_staff,
            "{path}"
        );
        assert_eq!(
            get(&s.addr, path, Some(token(&vol))).status,
            403,
            "{path} with a volunteer's device token"
        );
        assert_eq!(
            get(&s.addr, path, None).status,
            401,
            "{path} without a token"
        );
    }
    let volunteers = get(
        &s.addr,
        "/api/v1/staff/buildings/G1-B1/volunteers",
        Some(&staff),
    )
    .json();
    assert!(volunteers["volunteers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["member_id"] == vol["member_id"]));
    // A phone may not claim to be reported by someone.
    let forged = json!({"id": uuid7(998), "kind": "health_report", "body": {
        "member_id": neighbour["member_id"], "date": "2026-11-28", "symptoms": [],
        "reported_at": "2026-11-28T09:00:00Z", "reported_by": "社區主任"}});
    let r = result(&push(&s.addr, token(&neighbour), &[forged]), 0);
    assert_eq!(r["status"], "rejected", "{r}");
    assert!(
        r["message"].as_str().unwrap().contains("reported_by"),
        "{r}"
    );
}

#[test]
fn a_volunteer_code_on_an_enrolled_phone_adds_the_building_without_a_new_household() {
    let s = start_demo();
    let staff = staff_token(&s.addr);
    let resident = enrol_with(
        &s.addr,
        &resident_code(&s.addr, &staff, "G1-B1"),
        "阿芳",
        Some("7-1"),
    );
    let other = enrol_with(
        &s.addr,
        &resident_code(&s.addr, &staff, "G1-B2"),
        "阿強",
        Some("8-8"),
    );
    // Before: no roster.
    assert!(roster_of(&s.addr, token(&resident), &other["household_id"]).is_none());
    let cursor = get(
        &s.addr,
        "/api/v1/sync/pull?limit=500",
        Some(token(&resident)),
    )
    .json()["next_cursor"]
        .as_i64()
        .unwrap();
    let code = volunteer_code(&s.addr, &staff, "G1-B2");
    let r = post(
        &s.addr,
        "/api/v1/volunteer/claim",
        Some(token(&resident)),
        &json!({"invite_code": code}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["buildings"], json!(["G1-B2"]));
    let info = get(&s.addr, "/api/v1/household", Some(token(&resident))).json();
    assert_eq!(info["unit"], "7-1", "the same household");
    // The phone's cursor was past the building's entries: it receives them all the same.
    let later = get(
        &s.addr,
        &format!("/api/v1/sync/pull?cursor={cursor}&limit=500"),
        Some(token(&resident)),
    );
    assert!(
        later.json()["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "roster_household" && c["id"] == other["household_id"]),
        "{}",
        later.body
    );
    // Used once; a resident code is not a volunteer code.
    let again = post(
        &s.addr,
        "/api/v1/volunteer/claim",
        Some(token(&resident)),
        &json!({"invite_code": code}),
    );
    assert_eq!(again.status, 400, "{}", again.body);
    let plain = resident_code(&s.addr, &staff, "G1-B1");
    let r = post(
        &s.addr,
        "/api/v1/volunteer/claim",
        Some(token(&resident)),
        &json!({"invite_code": plain}),
    );
    assert_eq!(r.status, 400, "{}", r.body);
}

/// The changes `token` pulls after `cursor`, and the cursor after them.
fn pulled_since(addr: &str, token: &str, cursor: i64) -> (Vec<Value>, i64) {
    let r = get(
        addr,
        &format!("/api/v1/sync/pull?cursor={cursor}&limit=500"),
        Some(token),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let page = r.json();
    (
        page["changes"].as_array().unwrap().clone(),
        page["next_cursor"].as_i64().unwrap(),
    )
}

fn op_of(changes: &[Value], kind: &str, id: &Value) -> Option<String> {
    changes
        .iter()
        .rfind(|c| c["kind"] == kind && c["id"] == *id)
        .map(|c| c["op"].as_str().unwrap_or_default().to_owned())
}

/// Staff give the scope in the console, reassign between volunteers and take the scope back:
/// each phone learns its scope, a reassigned request leaves the earlier volunteer's phone, and a
/// removed volunteer's phone deletes the roster while the other volunteer keeps it.
#[test]
fn staff_give_and_take_the_volunteer_scope_and_the_phones_follow() {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    let code = |b: &str| resident_code(&s.addr, &admin, b);
    let a = enrol_with(&s.addr, &code("G1-B1"), "阿安", Some("2-1"));
    let b = enrol_with(&s.addr, &code("G1-B1"), "阿彬", Some("2-2"));
    let far = enrol_with(&s.addr, &code("G2-B1"), "阿遠", Some("9-9"));
    let neighbour = enrol_with(&s.addr, &code("G1-B1"), "陳婆婆", Some("3-1"));
    let share = sharing(&neighbour, "陳婆婆", json!({"name": true}));
    assert_eq!(
        result(&push(&s.addr, token(&neighbour), &[share]), 0)["status"],
        "accepted"
    );
    let (_, a_cursor) = pulled_since(&s.addr, token(&a), 0);

    // The building's people with a phone, none of them volunteering yet.
    let people = get(
        &s.addr,
        "/api/v1/staff/buildings/G1-B1/residents",
        Some(&admin),
    );
    assert_eq!(people.status, 200, "{}", people.body);
    let listed = people.json()["residents"].clone();
    let of = |m: &Value| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["member_id"] == *m)
            .cloned()
    };
    assert_eq!(
        of(&a["member_id"]).map(|r| (r["name"].clone(), r["unit"].clone(), r["volunteer"].clone())),
        Some((json!("阿安"), json!("2-1"), json!(false)))
    );
    assert!(
        of(&far["member_id"]).is_none(),
        "another building's resident"
    );

    // Who may give it: a grid worker of G2 may not touch G1-B1; nobody may make a G2 resident a
    // volunteer through a G1-only account; a phone is not staff.
    let g2 = grid_worker(&s.addr, &admin, "g2w", &["G2"]);
    let grant = |who: &str, building: &str, member: &Value| {
        let path = format!(
            "/api/v1/staff/buildings/{building}/volunteers/{}",
            member.as_str().unwrap()
        );
        request(&s.addr, "PUT", &path, Some(who), None)
    };
    assert_eq!(grant(&g2, "G1-B1", &a["member_id"]).status, 403);
    assert_eq!(grant(token(&a), "G1-B1", &a["member_id"]).status, 403);
    assert_eq!(grant(&admin, "G9-B9", &a["member_id"]).status, 404);
    let nobody = grant(&admin, "G1-B1", &json!("not-a-member"));
    assert_eq!(nobody.status, 404, "{}", nobody.body);
    assert!(nobody.body.contains("member_id"), "{}", nobody.body);

    // Given: A's phone learns its scope and receives the roster, with no new code.
    let r = grant(&admin, "G1-B1", &a["member_id"]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.json()["volunteers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["member_id"] == a["member_id"] && v["name"] == "阿安"),
        "{}",
        r.body
    );
    let (since, _) = pulled_since(&s.addr, token(&a), a_cursor);
    let scope = of_kind(&since, "volunteer_scope");
    assert_eq!(scope.len(), 1, "{since:?}");
    assert_eq!(scope[0]["id"], a["member_id"]);
    assert_eq!(scope[0]["body"]["buildings"], json!(["G1-B1"]));
    assert_eq!(
        op_of(&since, "roster_household", &neighbour["household_id"]).as_deref(),
        Some("upsert")
    );
    assert_eq!(grant(&admin, "G1-B1", &b["member_id"]).status, 200);

    // Reassigned from A to B: it leaves A's phone, B's phone has it.
    let help = json!({"id": uuid7(91), "kind": "help_request", "body": {
        "member_id": neighbour["member_id"], "category": "medicine", "urgency": "urgent",
        "description": "沒有藥", "created_at": "2026-11-28T09:00:00Z"}});
    assert_eq!(
        result(&push(&s.addr, token(&neighbour), &[help]), 0)["status"],
        "accepted"
    );
    let assign = |to: &Value| {
        let r = post(
            &s.addr,
            &format!("/api/v1/staff/help-requests/{}/status", uuid7(91)),
            Some(&admin),
            &json!({"status": "assigned", "volunteer": to["member_id"]}),
        );
        assert_eq!(r.status, 200, "{}", r.body);
    };
    assign(&a);
    let (since, a_cursor) = pulled_since(&s.addr, token(&a), a_cursor);
    assert_eq!(
        op_of(&since, "assigned_request", &json!(uuid7(91))).as_deref(),
        Some("upsert")
    );
    assign(&b);
    let (since, a_cursor) = pulled_since(&s.addr, token(&a), a_cursor);
    assert_eq!(
        op_of(&since, "assigned_request", &json!(uuid7(91))).as_deref(),
        Some("delete"),
        "{since:?}"
    );
    assert_eq!(
        op_of(
            &changes(&s.addr, token(&b)),
            "assigned_request",
            &json!(uuid7(91))
        )
        .as_deref(),
        Some("upsert")
    );

    // B still works on it: B cannot be removed yet; A can.
    let remove = |member: &Value| {
        let path = format!(
            "/api/v1/staff/buildings/G1-B1/volunteers/{}",
            member.as_str().unwrap()
        );
        request(&s.addr, "DELETE", &path, Some(&admin), None)
    };
    let busy = remove(&b["member_id"]);
    assert_eq!(busy.status, 409, "{}", busy.body);
    assert!(
        busy.body.contains("open_requests") && busy.body.contains("member_id"),
        "{}",
        busy.body
    );
    let r = remove(&a["member_id"]);
    assert_eq!(r.status, 200, "{}", r.body);
    let names = |r: &Response| -> Vec<String> {
        r.json()["volunteers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(!names(&r).contains(&"阿安".to_owned()), "{}", r.body);
    assert!(names(&r).contains(&"阿彬".to_owned()), "{}", r.body);
    let (since, _) = pulled_since(&s.addr, token(&a), a_cursor);
    assert_eq!(
        of_kind(&since, "volunteer_scope")[0]["body"]["buildings"],
        json!([])
    );
    assert_eq!(
        op_of(&since, "roster_household", &neighbour["household_id"]).as_deref(),
        Some("delete")
    );
    // From the start, A's phone holds no roster; B keeps the neighbour's entry.
    let all = changes(&s.addr, token(&a));
    assert!(
        of_kind(&all, "roster_household")
            .iter()
            .all(|c| c["op"] == "delete"),
        "{all:?}"
    );
    assert_eq!(
        op_of(
            &changes(&s.addr, token(&b)),
            "roster_household",
            &neighbour["household_id"]
        )
        .as_deref(),
        Some("upsert")
    );
    // A's door-knock in G1-B1 is refused now.
    let knock = json!({"id": uuid7(92), "kind": "door_knock", "body": {
        "household_id": neighbour["household_id"], "outcome": "safe", "at": "2026-11-28T10:00:00Z"}});
    assert_eq!(
        result(&push(&s.addr, token(&a), &[knock]), 0)["code"],
        "forbidden"
    );
    assert_eq!(remove(&a["member_id"]).status, 404);

    // Both actions are in the audit log.
    let audit = get(&s.addr, "/api/v1/staff/audit", Some(&admin));
    for action in ["volunteer_grant", "volunteer_revoke"] {
        assert!(audit.body.contains(action), "{}", audit.body);
    }
}
