//! The community's structure ("1 + 1 + x") and the console's alert list, black-box: create and
//! update by role and scope, scoped lists, and the all-or-nothing CSV import (API and CLI).

mod common;

use common::*;
use serde_json::{json, Value};

fn grid_worker(addr: &str, admin: &str, username: &str, grid: &str) -> String {
    let r = post(
        addr,
        "/api/v1/staff/accounts",
        Some(admin),
        &json!({"username": username,
        "password": "grid worker password", "display_name": username, "role": "grid_worker", "grids": [grid]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let r = post(
        addr,
        "/api/v1/staff/login",
        None,
        &json!({"username": username, "password": "grid worker password"}),
    );
    r.json()["token"].as_str().unwrap().to_owned()
}

fn codes(v: &Value, key: &str) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i[key].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn admins_shape_the_structure_grid_workers_manage_their_own_grids_teams_and_see_only_their_grids() {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    let g1 = grid_worker(&s.addr, &admin, "g1w", "G1");

    let r = post(
        &s.addr,
        "/api/v1/staff/grids",
        Some(&admin),
        &json!({"code": "G3", "name": "第三網格"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        post(
            &s.addr,
            "/api/v1/staff/grids",
            Some(&admin),
            &json!({"code": "G3", "name": "again"})
        )
        .status,
        409
    );
    assert_eq!(
        post(
            &s.addr,
            "/api/v1/staff/grids",
            Some(&g1),
            &json!({"code": "G4", "name": "no"})
        )
        .status,
        403
    );
    let bad = post(
        &s.addr,
        "/api/v1/staff/grids",
        Some(&admin),
        &json!({"code": "G 4", "name": "x"}),
    );
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("code:"));

    let building =
        json!({"code": "G3-B1", "grid": "G3", "name": "新樓", "address": "新路1號", "units": 48});
    assert_eq!(
        post(&s.addr, "/api/v1/staff/buildings", Some(&admin), &building).status,
        201
    );
    let orphan = post(
        &s.addr,
        "/api/v1/staff/buildings",
        Some(&admin),
        &json!({"code": "X1", "grid": "G9", "name": "x"}),
    );
    assert_eq!(orphan.status, 400);
    assert_eq!(orphan.json()["error"]["message"], "grid: no grid \"G9\"");
    let renamed =
        json!({"code": "G3-B1", "grid": "G3", "name": "新樓 A", "address": "新路1號", "units": 50});
    assert_eq!(
        put(
            &s.addr,
            "/api/v1/staff/buildings/G3-B1",
            Some(&admin),
            &renamed
        )
        .status,
        200
    );
    assert_eq!(
        put(
            &s.addr,
            "/api/v1/staff/buildings/G3-B2",
            Some(&admin),
            &renamed
        )
        .status,
        400,
        "path and body disagree"
    );
    assert_eq!(
        put(
            &s.addr,
            "/api/v1/staff/buildings/G3-B1",
            Some(&g1),
            &renamed
        )
        .status,
        403
    );
    let all = get(&s.addr, "/api/v1/staff/buildings", Some(&admin)).json();
    let b = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["code"] == "G3-B1")
        .unwrap()
        .clone();
    assert_eq!(
        (b["name"].as_str(), b["units"].as_u64()),
        (Some("新樓 A"), Some(50))
    );

    // The grid worker adds their grid's party branch and a partner; not another grid's.
    let branch = json!({"grid": "G1", "kind": "party_branch", "name": "第一黨支部", "contact_name": "李書記", "contact_phone": "138 0000 0001"});
    let r = post(&s.addr, "/api/v1/staff/teams", Some(&g1), &branch);
    assert_eq!(r.status, 201, "{}", r.body);
    let branch_id = r.json()["id"].as_i64().unwrap();
    assert_eq!(
        post(&s.addr, "/api/v1/staff/teams", Some(&g1), &branch).status,
        409
    );
    let elsewhere = json!({"grid": "G2", "kind": "medical_post", "name": "衛生站", "contact_name": "", "contact_phone": ""});
    assert_eq!(
        post(&s.addr, "/api/v1/staff/teams", Some(&g1), &elsewhere).status,
        403
    );
    assert_eq!(
        post(&s.addr, "/api/v1/staff/teams", Some(&admin), &elsewhere).status,
        201
    );
    let moved = json!({"grid": "G1", "kind": "party_branch", "name": "第一黨支部", "contact_name": "王書記", "contact_phone": "138 0000 0002"});
    assert_eq!(
        put(
            &s.addr,
            &format!("/api/v1/staff/teams/{branch_id}"),
            Some(&g1),
            &moved
        )
        .status,
        200
    );
    assert_eq!(
        put(&s.addr, "/api/v1/staff/teams/99999", Some(&admin), &moved).status,
        404
    );

    // Lists: the grid worker sees G1 only.
    assert_eq!(
        codes(
            &get(&s.addr, "/api/v1/staff/grids", Some(&g1)).json(),
            "code"
        ),
        ["G1"]
    );
    assert_eq!(
        codes(
            &get(&s.addr, "/api/v1/staff/grids", Some(&admin)).json(),
            "code"
        ),
        ["G1", "G2", "G3"]
    );
    assert_eq!(
        codes(
            &get(&s.addr, "/api/v1/staff/buildings", Some(&g1)).json(),
            "code"
        ),
        ["G1-B1", "G1-B2"]
    );
    // G1's teams (the demo's and the one added here), none of G2's.
    let teams = get(&s.addr, "/api/v1/staff/teams", Some(&g1)).json();
    let teams = teams["items"].as_array().unwrap();
    assert!(teams.iter().all(|t| t["grid"] == "G1"), "{teams:?}");
    assert!(!teams.iter().any(|t| t["name"] == "衛生站"));
    let mine = teams.iter().find(|t| t["name"] == "第一黨支部").unwrap();
    assert_eq!(mine["contact_name"], "王書記");

    // Each change is in the audit log, with who made it.
    let audit = get(&s.addr, "/api/v1/staff/audit", Some(&admin)).json();
    let actions: Vec<(String, String)> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_owned(),
                e["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for want in [
        ("admin", "grid_create"),
        ("admin", "building_create"),
        ("admin", "building_update"),
        ("g1w", "team_create"),
        ("g1w", "team_update"),
    ] {
        assert!(
            actions.contains(&(want.0.into(), want.1.into())),
            "{want:?} in {actions:?}"
        );
    }
}

const CSV_OK: &str = "type,code,name,grid,address,units,kind,contact_name,contact_phone\n\
grid,G5,第五網格,,,,,,\n\
building,G5-B1,五號樓,G5,\"和平路5號, 北門\",60,,,\n\
team,,第五網格志願隊,G5,,,volunteer_team,周隊長,139 1111 2222\n";

#[test]
fn a_structure_csv_is_imported_whole_or_refused_with_its_line_and_nothing_half_done() {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    let g1 = grid_worker(&s.addr, &admin, "g1w", "G1");
    let csv = |token: &str, body: &str| {
        send(
            &s.addr,
            "POST",
            "/api/v1/staff/structure/import",
            Some(token),
            Some(body),
            &[("Content-Type", "text/csv")],
        )
    };

    assert_eq!(csv(&g1, CSV_OK).status, 403);
    // Line 3 names a grid that does not exist: lines 2 (a new grid) and 4 are not kept either.
    let bad = "type,code,name,grid,address,units,kind,contact_name,contact_phone\n\
grid,G6,第六網格,,,,,,\n\
building,G6-B1,六號樓,G9,,10,,,\n\
team,,志願隊,G6,,,volunteer_team,,\n";
    let r = csv(&admin, bad);
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["error"]["message"], "line 3: grid: no grid \"G9\"");
    assert!(!codes(
        &get(&s.addr, "/api/v1/staff/grids", Some(&admin)).json(),
        "code"
    )
    .contains(&"G6".to_owned()));
    let r = csv(
        &admin,
        "type,code,name,grid,address,units,kind,contact_name,contact_phone\ngrid,G7,,,,,,,\n",
    );
    assert_eq!(
        r.json()["error"]["message"],
        "line 2: name: must be 1–100 characters (got 0)"
    );

    let r = csv(&admin, CSV_OK);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"grids": 1, "buildings": 1, "teams": 1}));
    // Importing the same file again updates in place: nothing doubles.
    assert_eq!(csv(&admin, CSV_OK).status, 200);
    let buildings = get(&s.addr, "/api/v1/staff/buildings", Some(&admin)).json();
    let b = buildings["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["code"] == "G5-B1")
        .unwrap()
        .clone();
    assert_eq!(b["address"], "和平路5號, 北門");
    let teams = get(&s.addr, "/api/v1/staff/teams", Some(&admin)).json();
    assert_eq!(
        teams["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["grid"] == "G5")
            .count(),
        1
    );
    // The imported building is a real reference: invites can be made for it.
    let r = post(
        &s.addr,
        "/api/v1/staff/invites",
        Some(&admin),
        &json!({"role": "resident", "building": "G5-B1", "count": 1}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn the_cli_imports_a_structure_csv_or_names_the_bad_line() {
    let s = start_demo();
    let run = |body: &str| {
        let file = s.dir.path().join("structure.csv");
        std::fs::write(&file, body).unwrap();
        std::process::Command::new(BIN)
            .arg("--db")
            .arg(&s.db)
            .args(["structure", "import"])
            .arg(&file)
            .output()
            .unwrap()
    };
    let out = run("type,code,name,grid,address,units,kind,contact_name,contact_phone\nbuilding,G8-B1,x,G8,,1,,,\n");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 2: grid: no grid \"G8\"") && err.contains("nothing was imported"),
        "{err}"
    );
    let out = run(CSV_OK);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "imported 1 grids, 1 buildings, 1 teams"
    );
    let admin = staff_token(&s.addr);
    assert!(codes(
        &get(&s.addr, "/api/v1/staff/grids", Some(&admin)).json(),
        "code"
    )
    .contains(&"G5".to_owned()));
}

#[test]
fn the_console_lists_alerts_that_reach_the_callers_grids() {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    let g1 = grid_worker(&s.addr, &admin, "g1w", "G1");
    let alert = |headline: &str, area: Value| {
        json!({"sender_name": {"en": "Office"}, "status": "actual", "category": ["safety"],
        "event": {"en": "Test"}, "urgency": "expected", "severity": "minor", "certainty": "likely",
        "headline": {"en": headline}, "description": {"en": "d"}, "instruction": {"en": "i"},
        "expires": "2099-01-01T00:00:00Z", "area": area})
    };
    for (h, area) in [
        ("for G2", json!({"desc": {"en": "G2"}, "grids": ["G2"]})),
        (
            "for G1-B2",
            json!({"desc": {"en": "B"}, "buildings": ["G1-B2"]}),
        ),
        ("for all", json!({"desc": {"en": "All"}})),
    ] {
        assert_eq!(
            post(
                &s.addr,
                "/api/v1/staff/alerts",
                Some(&admin),
                &alert(h, area)
            )
            .status,
            201
        );
    }
    let headlines = |t: &str| -> Vec<String> {
        get(&s.addr, "/api/v1/staff/alerts", Some(t)).json()["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["alert"]["headline"]["en"].as_str().unwrap().to_owned())
            .filter(|h| h.starts_with("for "))
            .collect()
    };
    assert_eq!(headlines(&admin), ["for all", "for G1-B2", "for G2"]);
    assert_eq!(headlines(&g1), ["for all", "for G1-B2"]);
}

#[test]
fn the_demo_has_a_grid_worker_per_grid_each_grids_teams_and_open_requests_of_each_urgency() {
    let s = start_demo();
    let printed = s.stdout_lines.join("");
    assert!(
        printed.contains("demo grid worker login (G1): grid1 / "),
        "{printed}"
    );
    let r = post(
        &s.addr,
        "/api/v1/staff/login",
        None,
        &json!({"username": "grid1", "password": ADMIN_PASSWORD}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let grid1 = r.json()["token"].as_str().unwrap().to_owned();
    let queue = get(&s.addr, "/api/v1/staff/help-requests", Some(&grid1)).json();
    let urgencies: Vec<&str> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["urgency"].as_str().unwrap())
        .collect();
    assert_eq!(
        urgencies,
        ["life_threatening", "urgent"],
        "G1's two, most urgent first"
    );
    assert_eq!(
        queue["items"][0]["overdue"], true,
        "25 minutes past a 15-minute target"
    );
    let admin = staff_token(&s.addr);
    let all = get(&s.addr, "/api/v1/staff/help-requests", Some(&admin)).json();
    assert_eq!(all["items"].as_array().unwrap().len(), 3);
    let page = get(
        &s.addr,
        &format!(
            "/api/v1/staff/help-requests/{}",
            all["items"][0]["id"].as_str().unwrap()
        ),
        Some(&grid1),
    )
    .json();
    assert_eq!(page["member"]["display_name"], "陳婆婆");
    let kinds: Vec<String> = get(&s.addr, "/api/v1/staff/teams", Some(&grid1)).json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        kinds.contains(&"party_branch".to_owned()) && kinds.len() >= 3,
        "{kinds:?}"
    );
}
