//! Staff roles and scopes, black-box against the real binary: every staff endpoint ×
//! {admin, grid worker in scope, grid worker out of scope, device token, no token}.

mod common;

use common::*;
use serde_json::{json, Value};

/// Who calls.
#[derive(Clone, Copy, Debug)]
enum Who {
    Admin,
    InScope,
    OutOfScope,
    Device,
    Nobody,
}
use Who::*;
const EVERYONE: [Who; 5] = [Admin, InScope, OutOfScope, Device, Nobody];

struct World {
    addr: String,
    admin: String,
    g1: String,
    g2: String,
    device: String,
}

impl World {
    fn token(&self, who: Who) -> Option<&str> {
        match who {
            Admin => Some(&self.admin),
            InScope => Some(&self.g1),
            OutOfScope => Some(&self.g2),
            Device => Some(&self.device),
            Nobody => None,
        }
    }
    fn call(&self, who: Who, method: &str, path: &str, body: Option<&Value>) -> Response {
        let body = body.map(Value::to_string);
        request(&self.addr, method, path, self.token(who), body.as_deref())
    }
}

fn account(addr: &str, admin: &str, username: &str, grids: &[&str]) -> Response {
    post(
        addr,
        "/api/v1/staff/accounts",
        Some(admin),
        &json!({"username": username, "password": "grid worker password", "display_name": username,
                "role": "grid_worker", "grids": grids}),
    )
}

fn login(addr: &str, username: &str) -> String {
    let r = post(
        addr,
        "/api/v1/staff/login",
        None,
        &json!({"username": username, "password": "grid worker password"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["token"].as_str().unwrap().to_owned()
}

fn alert(area: Value) -> Value {
    json!({"sender_name": {"en": "Office"}, "status": "actual", "category": ["safety"],
           "event": {"en": "Test"}, "urgency": "expected", "severity": "minor", "certainty": "likely",
           "headline": {"en": "Scope test"}, "description": {"en": "d"}, "instruction": {"en": "i"},
           "expires": "2099-01-01T00:00:00Z", "area": area})
}

fn g1_area() -> Value {
    json!({"desc": {"en": "Grid 1"}, "grids": ["G1"], "buildings": []})
}

#[test]
fn every_staff_endpoint_is_checked_for_role_and_scope() {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    assert_eq!(account(&s.addr, &admin, "g1worker", &["G1"]).status, 201);
    assert_eq!(account(&s.addr, &admin, "g2worker", &["G2"]).status, 201);
    let resident = resident_with_help_request(&s.addr, &admin, 1);
    let w = World {
        addr: s.addr.clone(),
        g1: login(&s.addr, "g1worker"),
        g2: login(&s.addr, "g2worker"),
        device: resident["token"].as_str().unwrap().to_owned(),
        admin,
    };
    // A fresh alert in G1 for each caller, for the operations that change or end one.
    let new_alert = || {
        let r = w.call(
            Admin,
            "POST",
            "/api/v1/staff/alerts",
            Some(&alert(g1_area())),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_owned()
    };
    let new_notice = || {
        let r = w.call(Admin, "POST", "/api/v1/staff/notices",
            Some(&json!({"kind": "service", "title": {"en": "t"}, "body": {"en": "b"}, "published": "2026-11-28T08:00:00Z"})));
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_str().unwrap().to_owned()
    };
    let new_device = || {
        enroll(&w.addr, &w.admin, "G1-B1", "D")["device_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let help = uuid7(1);
    let tip = uuid7(2);
    let r = push(
        &w.addr,
        &w.device,
        &[
            json!({"id": tip, "kind": "rumor_tip", "body": {"text": "謠言", "at": "2026-11-28T09:00:00Z"}}),
        ],
    );
    assert_eq!(r.json()["results"][0]["status"], "accepted", "{}", r.body);

    // (what, expected status for Admin, InScope, OutOfScope, Device, Nobody, the request per caller)
    type Call<'a> = Box<dyn Fn(Who) -> Response + 'a>;
    let cases: Vec<(&str, [u16; 5], Call)> = vec![
        (
            "invites for a G1 building",
            [200, 200, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "POST",
                    "/api/v1/staff/invites",
                    Some(&json!({"role": "resident", "building": "G1-B2", "count": 1})),
                )
            }),
        ),
        (
            "revoke a G1 phone",
            [200, 200, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "DELETE",
                    &format!("/api/v1/staff/devices/{}", new_device()),
                    None,
                )
            }),
        ),
        (
            "publish an alert for G1",
            [201, 201, 403, 403, 401],
            Box::new(|who| w.call(who, "POST", "/api/v1/staff/alerts", Some(&alert(g1_area())))),
        ),
        (
            "publish an alert for the whole community",
            [201, 403, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "POST",
                    "/api/v1/staff/alerts",
                    Some(&alert(json!({"desc": {"en": "All"}}))),
                )
            }),
        ),
        (
            "update a G1 alert",
            [200, 200, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "PUT",
                    &format!("/api/v1/staff/alerts/{}", new_alert()),
                    Some(&alert(g1_area())),
                )
            }),
        ),
        (
            "cancel a G1 alert",
            [200, 200, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "POST",
                    &format!("/api/v1/staff/alerts/{}/cancel", new_alert()),
                    None,
                )
            }),
        ),
        (
            "withdraw a G1 alert",
            [200, 200, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "DELETE",
                    &format!("/api/v1/staff/alerts/{}", new_alert()),
                    None,
                )
            }),
        ),
        (
            "publish a notice (community-wide)",
            [201, 403, 403, 403, 401],
            Box::new(|who| {
                w.call(who, "POST", "/api/v1/staff/notices",
                Some(&json!({"kind": "service", "title": {"en": "t"}, "body": {"en": "b"}, "published": "2026-11-28T08:00:00Z"})))
            }),
        ),
        (
            "replace a notice",
            [200, 403, 403, 403, 401],
            Box::new(|who| {
                w.call(who, "PUT", &format!("/api/v1/staff/notices/{}", new_notice()),
                Some(&json!({"kind": "service", "title": {"en": "t2"}, "body": {"en": "b"}, "published": "2026-11-28T08:00:00Z"})))
            }),
        ),
        (
            "withdraw a notice",
            [200, 403, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "DELETE",
                    &format!("/api/v1/staff/notices/{}", new_notice()),
                    None,
                )
            }),
        ),
        (
            "dispatch a G1 help request",
            [200, 200, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "POST",
                    &format!("/api/v1/staff/help-requests/{help}/status"),
                    Some(&json!({"status": "in_progress", "note": "on the way"})),
                )
            }),
        ),
        (
            "the help queue filtered to G1",
            [200, 200, 403, 403, 401],
            Box::new(|who| w.call(who, "GET", "/api/v1/staff/help-requests?grid=G1", None)),
        ),
        (
            "the roll-call of a G1 alert",
            [200, 200, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "GET",
                    &format!("/api/v1/staff/alerts/{}/roll-call", new_alert()),
                    None,
                )
            }),
        ),
        (
            "create an account",
            [201, 403, 403, 403, 401],
            Box::new(|who| {
                let name = format!("new{who:?}").to_lowercase();
                w.call(
                    who,
                    "POST",
                    "/api/v1/staff/accounts",
                    Some(&json!({"username": name, "password": "a long password",
                "display_name": "N", "role": "admin", "grids": []})),
                )
            }),
        ),
        (
            "a G1 help request's page",
            [200, 200, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "GET",
                    &format!("/api/v1/staff/help-requests/{help}"),
                    None,
                )
            }),
        ),
        (
            "the rumor-tip inbox (each sees their own grids)",
            [200, 200, 200, 403, 401],
            Box::new(|who| w.call(who, "GET", "/api/v1/staff/rumor-tips", None)),
        ),
        (
            "mark a G1 rumor tip handled",
            [200, 200, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "POST",
                    &format!("/api/v1/staff/rumor-tips/{tip}/handled"),
                    Some(&json!({})),
                )
            }),
        ),
        (
            "who is signed in",
            [200, 200, 200, 403, 401],
            Box::new(|who| w.call(who, "GET", "/api/v1/staff/session", None)),
        ),
        (
            "change one's password (with a wrong current one)",
            [400, 400, 400, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "POST",
                    "/api/v1/staff/password",
                    Some(&json!({"current": "not it at all", "new": "a long new password"})),
                )
            }),
        ),
        (
            "list grids, buildings, teams and alerts (each sees their own grids)",
            [200, 200, 200, 403, 401],
            Box::new(|who| {
                let paths = ["grids", "buildings", "teams", "alerts"];
                let answers: Vec<Response> = paths
                    .iter()
                    .map(|p| w.call(who, "GET", &format!("/api/v1/staff/{p}"), None))
                    .collect();
                let first = answers[0].status;
                assert!(answers.iter().all(|a| a.status == first), "{who:?}");
                answers.into_iter().next().unwrap()
            }),
        ),
        (
            "create a grid",
            [201, 403, 403, 403, 401],
            Box::new(|who| {
                let code = format!("N{who:?}");
                w.call(
                    who,
                    "POST",
                    "/api/v1/staff/grids",
                    Some(&json!({"code": code, "name": "n"})),
                )
            }),
        ),
        (
            "update a G1 building",
            [200, 403, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "PUT",
                    "/api/v1/staff/buildings/G1-B2",
                    Some(
                        &json!({"code": "G1-B2", "grid": "G1", "name": "幸福樓 B 座", "units": 80}),
                    ),
                )
            }),
        ),
        (
            "add a team to G1",
            [201, 201, 403, 403, 401],
            Box::new(|who| {
                w.call(who, "POST", "/api/v1/staff/teams",
                    Some(&json!({"grid": "G1", "kind": "volunteer_team", "name": format!("隊 {who:?}")})))
            }),
        ),
        (
            "import a structure CSV",
            [200, 403, 403, 403, 401],
            Box::new(|who| {
                let csv = "type,code,name,grid,address,units,kind,contact_name,contact_phone\ngrid,G1,第一網格 Grid 1,,,,,,\n";
                let token = w.token(who);
                send(
                    &w.addr,
                    "POST",
                    "/api/v1/staff/structure/import",
                    token,
                    Some(csv),
                    &[],
                )
            }),
        ),
        (
            "list published rebuttals",
            [200, 200, 200, 403, 401],
            Box::new(|who| w.call(who, "GET", "/api/v1/staff/rebuttals", None)),
        ),
        (
            "a G1 building's door-knock list for a G1 alert",
            [200, 200, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "GET",
                    &format!("/api/v1/staff/alerts/{}/roll-call/G1-B1", new_alert()),
                    None,
                )
            }),
        ),
        (
            "rename a grid",
            [200, 403, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "PUT",
                    "/api/v1/staff/grids/G1",
                    Some(&json!({"code": "G1", "name": "第一網格 Grid 1"})),
                )
            }),
        ),
        (
            "add a building to G1",
            [201, 403, 403, 403, 401],
            Box::new(|who| {
                let code = format!("G1-N{who:?}");
                w.call(
                    who,
                    "POST",
                    "/api/v1/staff/buildings",
                    Some(&json!({"code": code, "grid": "G1", "name": "新樓"})),
                )
            }),
        ),
        (
            "change a G1 team",
            [200, 200, 403, 403, 401],
            Box::new(|who| {
                let team = w.call(Admin, "POST", "/api/v1/staff/teams",
                    Some(&json!({"grid": "G1", "kind": "medical_post", "name": format!("站 {who:?}")})));
                let id = team.json()["id"].as_i64().unwrap();
                w.call(who, "PUT", &format!("/api/v1/staff/teams/{id}"),
                    Some(&json!({"grid": "G1", "kind": "medical_post", "name": format!("站 {who:?}"), "contact_name": "林"})))
            }),
        ),
        (
            "list accounts",
            [200, 403, 403, 403, 401],
            Box::new(|who| w.call(who, "GET", "/api/v1/staff/accounts", None)),
        ),
        (
            "change an account (an unknown one: 404 for admins)",
            [404, 403, 403, 403, 401],
            Box::new(|who| {
                w.call(
                    who,
                    "PUT",
                    "/api/v1/staff/accounts/9999",
                    Some(&json!({"display_name": "x", "role": "admin"})),
                )
            }),
        ),
        (
            "read the audit log",
            [200, 403, 403, 403, 401],
            Box::new(|who| w.call(who, "GET", "/api/v1/staff/audit", None)),
        ),
    ];
    let mut wrong = Vec::new();
    for (what, expected, call) in &cases {
        for (who, want) in EVERYONE.iter().zip(expected) {
            let r = call(*who);
            if r.status != *want {
                wrong.push(format!(
                    "{what} as {who:?}: {} (want {want}) {}",
                    r.status, r.body
                ));
            } else if r.status >= 400 {
                assert!(
                    r.json()["error"]["code"].is_string(),
                    "{what} as {who:?}: {}",
                    r.body
                );
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_queue_shows_each_grid_worker_only_their_grids_and_the_audit_log_records_who_did_what() {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    assert_eq!(account(&s.addr, &admin, "g1worker", &["G1"]).status, 201);
    assert_eq!(account(&s.addr, &admin, "g2worker", &["G2"]).status, 201);
    let g1 = login(&s.addr, "g1worker");
    let g2 = login(&s.addr, "g2worker");
    resident_with_help_request(&s.addr, &admin, 1); // in G1-B1
    let ids = |token: &str| -> Vec<String> {
        queue(&s.addr, "/api/v1/staff/help-requests", token)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&admin), [uuid7(1)]);
    assert_eq!(ids(&g1), [uuid7(1)]);
    assert!(ids(&g2).is_empty(), "G2's worker sees nothing of G1");
    let item = &queue(
        &s.addr,
        "/api/v1/staff/help-requests?status=received&urgency=urgent",
        &g1,
    )["items"][0];
    assert_eq!(item["building"], "G1-B1");
    assert_eq!(item["grid"], "G1");
    assert_eq!(item["category"], "food_water");
    assert_eq!(item["status"], "received");
    let bad = get(
        &s.addr,
        "/api/v1/staff/help-requests?urgency=soon",
        Some(&g1),
    );
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("urgency"));

    let r = post(
        &s.addr,
        &format!("/api/v1/staff/help-requests/{}/status", uuid7(1)),
        Some(&g1),
        &json!({"status": "assigned", "assignee": "王義工"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(ids(&g1), [uuid7(1)]);
    assert_eq!(
        queue(&s.addr, "/api/v1/staff/help-requests", &g1)["items"][0]["assignee"],
        "王義工"
    );
    let wrong = post(
        &s.addr,
        "/api/v1/staff/login",
        None,
        &json!({"username": "g2worker", "password": "not it at all"}),
    );
    assert_eq!(wrong.status, 401);

    let log = get(&s.addr, "/api/v1/staff/audit", Some(&admin)).json();
    let entries: Vec<(String, String, String)> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().into(),
                e["action"].as_str().unwrap().into(),
                e["target"].as_str().unwrap().into(),
            )
        })
        .collect();
    for want in [
        (
            "g2worker".to_owned(),
            "sign_in_failed".to_owned(),
            String::new(),
        ),
        ("g1worker".into(), "help_status".into(), uuid7(1)),
        ("g1worker".into(), "sign_in".into(), String::new()),
        ("admin".into(), "account_create".into(), "g1worker".into()),
        ("admin".into(), "invites_create".into(), "G1-B1".into()),
    ] {
        assert!(entries.contains(&want), "{want:?} not in {entries:?}");
    }
    // Newest first.
    assert_eq!(entries[0].1, "sign_in_failed");
}

#[test]
fn accounts_refuse_a_taken_name_an_unknown_grid_and_a_grid_worker_without_grids() {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    assert_eq!(account(&s.addr, &admin, "g1worker", &["G1"]).status, 201);
    let taken = account(&s.addr, &admin, "g1worker", &["G1"]);
    assert_eq!(taken.status, 409);
    assert_eq!(taken.json()["error"]["code"], "conflict");
    let unknown = account(&s.addr, &admin, "g9worker", &["G9"]);
    assert_eq!(unknown.status, 400);
    assert!(
        unknown.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("grids[0]"),
        "{}",
        unknown.body
    );
    let none = account(&s.addr, &admin, "nogrid", &[]);
    assert_eq!(none.status, 400);
    assert!(
        none.json()["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("grids"),
        "{}",
        none.body
    );
}

#[test]
fn the_cli_creates_a_grid_worker_for_given_grids() {
    use std::io::Write;
    let s = start_demo();
    let cli = |args: &[&str]| {
        let mut c = std::process::Command::new(BIN)
            .arg("--db")
            .arg(&s.db)
            .args(["staff", "create"])
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // A refused command may exit before reading the password: a closed pipe is not an error.
        let _ = c.stdin.take().unwrap().write_all(b"grid worker password\n");
        c.wait_with_output().unwrap()
    };
    let missing = cli(&["--username", "cligw", "--role", "grid_worker"]);
    assert!(!missing.status.success());
    assert!(
        String::from_utf8_lossy(&missing.stderr).contains("--grid"),
        "{:?}",
        missing
    );
    // An unknown grid: nothing is written (no admin left behind by a half-done command).
    let unknown = cli(&[
        "--username",
        "cligw",
        "--role",
        "grid_worker",
        "--grid",
        "G9",
    ]);
    assert!(!unknown.status.success());
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("G9"),
        "{:?}",
        unknown
    );
    let r = post(
        &s.addr,
        "/api/v1/staff/login",
        None,
        &json!({"username": "cligw", "password": "grid worker password"}),
    );
    assert_eq!(r.status, 401, "the account was not created");
    let ok = cli(&[
        "--username",
        "cligw",
        "--role",
        "grid_worker",
        "--grid",
        "G2",
    ]);
    assert!(ok.status.success(), "{:?}", ok);
    // A new password without --role keeps the account a grid worker.
    let again = cli(&["--username", "cligw"]);
    assert!(again.status.success(), "{:?}", again);
    let admin = staff_token(&s.addr);
    resident_with_help_request(&s.addr, &admin, 1); // in G1
    let token = login(&s.addr, "cligw");
    let queue = queue(&s.addr, "/api/v1/staff/help-requests", &token);
    assert_eq!(
        queue["items"].as_array().unwrap().len(),
        0,
        "a G2 worker sees no G1 request"
    );
    assert_eq!(
        get(&s.addr, "/api/v1/staff/audit", Some(&token)).status,
        403
    );
}

#[test]
fn an_i_need_help_reply_to_an_alert_is_an_urgent_request_in_the_queue_and_on_the_phone() {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    let phone = enroll(&s.addr, &admin, "G1-B1", "陳伯");
    let token = phone["token"].as_str().unwrap();
    let typhoon = "0190c7a8-0000-7000-8000-00000000a001";
    let ack = |n: u64, response: &str| {
        json!({"id": uuid7(n), "kind": "alert_ack", "body": {"alert_id": typhoon, "response": response,
               "at": "2026-11-28T10:00:00Z"}})
    };
    let r = push(&s.addr, token, &[ack(1, "safe")]);
    assert_eq!(r.json()["results"][0]["status"], "accepted");
    assert!(
        queue(&s.addr, "/api/v1/staff/help-requests", &admin)["items"]
            .as_array()
            .unwrap()
            .is_empty(),
        "'I'm safe' asks for nothing"
    );

    // "I need help" — twice (a second tap): one request.
    for n in [2, 3] {
        let r = push(&s.addr, token, &[ack(n, "need_help")]);
        assert_eq!(r.json()["results"][0]["status"], "accepted", "{}", r.body);
    }
    let queue = queue(&s.addr, "/api/v1/staff/help-requests", &admin);
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{queue}");
    let item = &items[0];
    assert_eq!(item["urgency"], "urgent");
    assert_eq!(item["status"], "received");
    assert_eq!(item["alert_id"], typhoon);
    assert_eq!(item["building"], "G1-B1");
    assert!(
        item["description"]
            .as_str()
            .unwrap()
            .contains("八號烈風或暴風信號今晚生效"),
        "{item}"
    );

    // The household sees it among its requests, and staff can dispatch it like any other.
    let state = help_state(&s.addr, token);
    assert_eq!(state["id"], item["id"]);
    assert_eq!(state["body"]["member_id"], phone["member_id"]);
    let r = post(
        &s.addr,
        &format!(
            "/api/v1/staff/help-requests/{}/status",
            item["id"].as_str().unwrap()
        ),
        Some(&admin),
        &json!({"status": "assigned", "assignee": "王義工"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(help_state(&s.addr, token)["body"]["status"], "assigned");
}

#[test]
fn the_roll_call_counts_each_buildings_households_by_their_latest_reply() {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    assert_eq!(account(&s.addr, &admin, "g2worker", &["G2"]).status, 201);
    let g2 = login(&s.addr, "g2worker");
    let typhoon = "0190c7a8-0000-7000-8000-00000000a001"; // the whole community
    let reply = |phone: &Value, n: u64, response: &str, at: &str| {
        let item = json!({"id": uuid7(n), "kind": "alert_ack",
            "body": {"alert_id": typhoon, "response": response, "at": at}});
        let r = push(&s.addr, phone["token"].as_str().unwrap(), &[item]);
        assert_eq!(r.json()["results"][0]["status"], "accepted", "{}", r.body);
    };
    let a = enroll(&s.addr, &admin, "G1-B1", "A");
    let b = enroll(&s.addr, &admin, "G1-B1", "B");
    enroll(&s.addr, &admin, "G1-B2", "C");
    reply(&a, 1, "safe", "2026-11-28T10:00:00Z");
    reply(&b, 2, "safe", "2026-11-28T10:00:00Z");
    reply(&b, 3, "need_help", "2026-11-28T10:05:00Z"); // later: B now needs help

    let r = get(
        &s.addr,
        &format!("/api/v1/staff/alerts/{typhoon}/roll-call"),
        Some(&admin),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let row = |body: &Value, building: &str| -> Vec<u64> {
        let b = body["buildings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["building"] == building)
            .unwrap_or_else(|| panic!("{building} missing: {body}"))
            .clone();
        ["households", "safe", "need_help", "no_reply"]
            .iter()
            .map(|k| b[*k].as_u64().unwrap())
            .collect()
    };
    let all = r.json();
    assert_eq!(row(&all, "G1-B1"), [2, 1, 1, 0]);
    assert_eq!(row(&all, "G1-B2"), [1, 0, 0, 1]);
    assert_eq!(row(&all, "G2-B1"), [0, 0, 0, 0]);
    assert_eq!(all["buildings"].as_array().unwrap().len(), 4);

    // A G2 worker sees G2's buildings only; an alert only for G1 is not theirs.
    let theirs = get(
        &s.addr,
        &format!("/api/v1/staff/alerts/{typhoon}/roll-call"),
        Some(&g2),
    )
    .json();
    let names: Vec<&str> = theirs["buildings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["building"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["G2-B1", "G2-B2"]);
    let drill = "0190c7a8-0000-7000-8000-00000000a002"; // 幸福樓 A 座 (G1-B1)
    assert_eq!(
        get(
            &s.addr,
            &format!("/api/v1/staff/alerts/{drill}/roll-call"),
            Some(&g2)
        )
        .status,
        403
    );
    assert_eq!(
        get(
            &s.addr,
            &format!("/api/v1/staff/alerts/{}/roll-call", uuid7(99)),
            Some(&admin)
        )
        .status,
        404
    );
}

#[test]
fn a_reply_naming_another_areas_alert_asks_for_help_without_revealing_that_alert() {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    let mut g2_alert = alert(json!({"desc": {"en": "Grid 2"}, "grids": ["G2"], "buildings": []}));
    g2_alert["headline"] = json!({"en": "Secret G2 headline"});
    let r = post(&s.addr, "/api/v1/staff/alerts", Some(&admin), &g2_alert);
    assert_eq!(r.status, 201, "{}", r.body);
    let g2_id = r.json()["id"].as_str().unwrap().to_owned();
    let phone = enroll(&s.addr, &admin, "G1-B1", "A"); // in G1: not addressed
    let item = json!({"id": uuid7(1), "kind": "alert_ack",
        "body": {"alert_id": g2_id, "response": "need_help", "at": "2026-11-28T10:00:00Z"}});
    let r = push(&s.addr, phone["token"].as_str().unwrap(), &[item]);
    assert_eq!(r.json()["results"][0]["status"], "accepted", "{}", r.body);
    let queue = queue(&s.addr, "/api/v1/staff/help-requests", &admin);
    let item = &queue["items"][0];
    assert_eq!(
        item["urgency"], "urgent",
        "the need for help still reaches the queue"
    );
    assert!(item.get("alert_id").is_none(), "{item}");
    assert!(
        !item["description"].as_str().unwrap().contains("Secret"),
        "{item}"
    );

    // The roll-call of a withdrawn alert is still there to look back at.
    let r = request(
        &s.addr,
        "DELETE",
        &format!("/api/v1/staff/alerts/{g2_id}"),
        Some(&admin),
        None,
    );
    assert_eq!(r.status, 200);
    let r = get(
        &s.addr,
        &format!("/api/v1/staff/alerts/{g2_id}/roll-call"),
        Some(&admin),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["buildings"].as_array().unwrap().len(),
        2,
        "G2's two buildings"
    );
}
