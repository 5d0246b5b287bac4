//! The staff console's platform side, black-box against the real binary: the cookie session
//! with CSRF, sign-out and password change, a help request's page, overdue marking, and the
//! rumor-tip inbox.

mod common;

use common::*;
use serde_json::{json, Value};

/// Signs in through the console endpoint: the `Set-Cookie` line and the answer.
fn console_sign_in(
    addr: &str,
    username: &str,
    password: &str,
    extra: &[(&str, &str)],
) -> (String, Value) {
    let body = json!({"username": username, "password": password}).to_string();
    let r = send(
        addr,
        "POST",
        "/api/v1/staff/session",
        None,
        Some(&body),
        extra,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let cookie = r
        .head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .unwrap_or_else(|| panic!("no Set-Cookie in {}", r.head))
        .to_owned();
    (cookie, r.json())
}

/// `name=value` of a Set-Cookie line (what a browser sends back).
fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap().trim().to_owned()
}

fn with_cookie(
    addr: &str,
    method: &str,
    path: &str,
    cookie: &str,
    csrf: Option<&str>,
    body: Option<&Value>,
) -> Response {
    let mut extra = vec![("Cookie", cookie)];
    if let Some(c) = csrf {
        extra.push(("X-CSRF-Token", c));
    }
    let body = body.map(Value::to_string);
    send(addr, method, path, None, body.as_deref(), &extra)
}

#[test]
fn the_console_session_is_an_httponly_strict_cookie_and_every_write_needs_its_csrf_token() {
    let s = start_demo();
    let (set_cookie, session) = console_sign_in(&s.addr, "admin", ADMIN_PASSWORD, &[]);
    for part in ["linli_staff=", "HttpOnly", "SameSite=Strict", "Path=/api/"] {
        assert!(set_cookie.contains(part), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain HTTP: {set_cookie}");
    assert_eq!(session["role"], "admin");
    assert_eq!(session["username"], "admin");
    let csrf = session["csrf"].as_str().unwrap().to_owned();
    // The token itself is not in the answer, only in the cookie.
    assert!(!session
        .to_string()
        .contains(&cookie_pair(&set_cookie)[12..]));
    let cookie = cookie_pair(&set_cookie);

    // Reading with the cookie alone works, and tells the same CSRF token again (after a reload).
    let me = with_cookie(&s.addr, "GET", "/api/v1/staff/session", &cookie, None, None);
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.json()["csrf"], csrf.as_str());
    assert_eq!(
        with_cookie(
            &s.addr,
            "GET",
            "/api/v1/staff/help-requests",
            &cookie,
            None,
            None
        )
        .status,
        200
    );

    // A write with the cookie but without the token (what a forged cross-site form would be),
    // or with a wrong one, is refused and does nothing.
    let invite = json!({"role": "resident", "building": "G1-B1", "count": 1});
    for token in [None, Some("0123456789abcdef0123456789abcdef")] {
        let r = with_cookie(
            &s.addr,
            "POST",
            "/api/v1/staff/invites",
            &cookie,
            token,
            Some(&invite),
        );
        assert_eq!(r.status, 403, "{}", r.body);
        assert!(r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("X-CSRF-Token"));
    }
    let r = with_cookie(
        &s.addr,
        "POST",
        "/api/v1/staff/invites",
        &cookie,
        Some(&csrf),
        Some(&invite),
    );
    assert_eq!(r.status, 200, "{}", r.body);

    // A sign-in another site could post as a form (text/plain) is refused: no cookie is set.
    let body = json!({"username": "admin", "password": ADMIN_PASSWORD}).to_string();
    let forged = send(
        &s.addr,
        "POST",
        "/api/v1/staff/session",
        None,
        Some(&body),
        &[("Content-Type", "text/plain")],
    );
    assert_eq!(forged.status, 400, "{}", forged.body);
    assert!(!forged.head.contains("set-cookie"), "{}", forged.head);

    // Scripts' bearer tokens keep working without any CSRF token.
    let bearer = staff_token(&s.addr);
    assert_eq!(
        post(&s.addr, "/api/v1/staff/invites", Some(&bearer), &invite).status,
        200
    );

    // Sign-out ends the session and clears the cookie; the cookie is worth nothing after.
    let out = with_cookie(
        &s.addr,
        "DELETE",
        "/api/v1/staff/session",
        &cookie,
        Some(&csrf),
        None,
    );
    assert_eq!(out.status, 204, "{}", out.body);
    let cleared = out
        .head
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: "))
        .unwrap();
    assert!(
        cleared.starts_with("linli_staff=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    let after = with_cookie(&s.addr, "GET", "/api/v1/staff/session", &cookie, None, None);
    assert_eq!(after.status, 401, "{}", after.body);
    // The scripts' session is another session: still valid.
    assert_eq!(
        get(&s.addr, "/api/v1/staff/session", Some(&bearer)).status,
        200
    );
}

#[test]
fn the_cookie_is_secure_when_the_trusted_proxy_says_the_client_used_https() {
    let s = start(
        &["--demo", "--trusted-proxy", "127.0.0.1"],
        Some(ADMIN_PASSWORD),
    );
    let (secure, _) = console_sign_in(
        &s.addr,
        "admin",
        ADMIN_PASSWORD,
        &[("X-Forwarded-Proto", "https")],
    );
    assert!(secure.contains("; Secure"), "{secure}");
    let (plain, _) = console_sign_in(&s.addr, "admin", ADMIN_PASSWORD, &[]);
    assert!(!plain.contains("Secure"), "{plain}");
    // From any other peer the header means nothing.
    let other = start_demo();
    let (spoofed, _) = console_sign_in(
        &other.addr,
        "admin",
        ADMIN_PASSWORD,
        &[("X-Forwarded-Proto", "https")],
    );
    assert!(!spoofed.contains("Secure"), "{spoofed}");
}

#[test]
fn a_changed_password_ends_every_session_of_that_person() {
    let s = start_demo();
    let bearer = staff_token(&s.addr);
    let (set_cookie, session) = console_sign_in(&s.addr, "admin", ADMIN_PASSWORD, &[]);
    let (cookie, csrf) = (
        cookie_pair(&set_cookie),
        session["csrf"].as_str().unwrap().to_owned(),
    );

    let wrong = json!({"current": "not the password", "new": "a brand new password"});
    let r = with_cookie(
        &s.addr,
        "POST",
        "/api/v1/staff/password",
        &cookie,
        Some(&csrf),
        Some(&wrong),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("current:"));
    let short = json!({"current": ADMIN_PASSWORD, "new": "short"});
    let r = with_cookie(
        &s.addr,
        "POST",
        "/api/v1/staff/password",
        &cookie,
        Some(&csrf),
        Some(&short),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("new"), "{}", r.body);
    // Nothing changed yet: both sessions live.
    assert_eq!(
        get(&s.addr, "/api/v1/staff/session", Some(&bearer)).status,
        200
    );

    let good = json!({"current": ADMIN_PASSWORD, "new": "a brand new password"});
    let r = with_cookie(
        &s.addr,
        "POST",
        "/api/v1/staff/password",
        &cookie,
        Some(&csrf),
        Some(&good),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(
        with_cookie(&s.addr, "GET", "/api/v1/staff/session", &cookie, None, None).status,
        401
    );
    assert_eq!(
        get(&s.addr, "/api/v1/staff/session", Some(&bearer)).status,
        401
    );
    let old = post(
        &s.addr,
        "/api/v1/staff/login",
        None,
        &json!({"username": "admin", "password": ADMIN_PASSWORD}),
    );
    assert_eq!(old.status, 401);
    let new = post(
        &s.addr,
        "/api/v1/staff/login",
        None,
        &json!({"username": "admin", "password": "a brand new password"}),
    );
    assert_eq!(new.status, 200, "{}", new.body);
    let audit = get(
        &s.addr,
        "/api/v1/staff/audit?action=password_change",
        Some(new.json()["token"].as_str().unwrap()),
    );
    assert_eq!(
        audit.json()["items"].as_array().unwrap().len(),
        1,
        "{}",
        audit.body
    );
}

/// A resident of G1-B1 whose profile shares care flags, with a help request made `minutes_ago`.
fn resident_request(addr: &str, admin: &str, n: u64, urgency: &str, minutes_ago: i64) -> Value {
    let dev = enroll(addr, admin, "G1-B1", "陳婆婆");
    let token = dev["token"].as_str().unwrap();
    let member = json!({"id": dev["member_id"], "kind": "household_member",
        "body": {"display_name": "陳婆婆", "birth_year": 1941, "flags": ["elderly_alone", "chronic_illness"]}});
    let created = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        - minutes_ago * 60;
    let created = iso(created);
    let help = json!({"id": uuid7(n), "kind": "help_request", "body": {
        "member_id": dev["member_id"], "category": "medicine", "urgency": urgency,
        "description": "降壓藥吃完了", "created_at": created}});
    let r = push(addr, token, &[member, help]);
    for result in r.json()["results"].as_array().unwrap() {
        assert_eq!(result["status"], "accepted", "{}", r.body);
    }
    dev
}

/// Seconds since the epoch as RFC 3339 UTC.
fn iso(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[test]
fn a_requests_page_shows_the_member_and_shared_care_flags_and_the_queue_marks_overdue_by_the_targets(
) {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    resident_request(&s.addr, &admin, 1, "urgent", 10);
    resident_request(&s.addr, &admin, 2, "life_threatening", 20);

    let page = get(
        &s.addr,
        &format!("/api/v1/staff/help-requests/{}", uuid7(1)),
        Some(&admin),
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let page = page.json();
    assert_eq!(page["member"]["display_name"], "陳婆婆");
    assert_eq!(
        page["member"]["flags"],
        json!(["elderly_alone", "chronic_illness"])
    );
    assert_eq!(
        page["building_name"].as_str().map(|n| !n.is_empty()),
        Some(true)
    );
    assert_eq!(page["request"]["building"], "G1-B1");
    // Not what the household keeps to itself: the birth year is not on the page.
    assert!(!page.to_string().contains("1941"), "{page}");
    assert_eq!(
        get(
            &s.addr,
            &format!("/api/v1/staff/help-requests/{}", uuid7(9)),
            Some(&admin)
        )
        .status,
        404
    );

    // The category filter is the platform's (not a page of 500 filtered in the browser).
    let medicine = queue(
        &s.addr,
        "/api/v1/staff/help-requests?category=medicine",
        &admin,
    );
    assert_eq!(medicine["items"].as_array().unwrap().len(), 2, "{medicine}");
    let food = queue(
        &s.addr,
        "/api/v1/staff/help-requests?category=food_water",
        &admin,
    );
    assert!(food["items"].as_array().unwrap().is_empty(), "{food}");
    assert_eq!(
        get(
            &s.addr,
            "/api/v1/staff/help-requests?category=snacks",
            Some(&admin)
        )
        .status,
        400
    );

    // Default targets: urgent 2 h (10 min old: not overdue), life-threatening 15 min (20: overdue).
    let queue = get(&s.addr, "/api/v1/staff/help-requests", Some(&admin)).json();
    let item = |id: String| {
        queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id.as_str())
            .cloned()
            .unwrap()
    };
    assert_eq!(item(uuid7(1))["overdue"], false);
    assert_eq!(item(uuid7(2))["overdue"], true);
    assert!(
        item(uuid7(2))["due_at"].as_str().unwrap() < item(uuid7(1))["due_at"].as_str().unwrap()
    );

    // Targets are configurable: with urgent at 5 minutes the 10-minute-old request is overdue.
    let strict = start(
        &["--demo", "--target-urgent-min", "5"],
        Some(ADMIN_PASSWORD),
    );
    let admin = staff_token(&strict.addr);
    resident_request(&strict.addr, &admin, 1, "urgent", 10);
    let queue = get(&strict.addr, "/api/v1/staff/help-requests", Some(&admin)).json();
    let mine = |q: &Value| {
        q["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == uuid7(1).as_str())
            .cloned()
            .unwrap()
    };
    assert_eq!(mine(&queue)["overdue"], true, "{queue}");
    // A resolved request is never overdue.
    let r = post(
        &strict.addr,
        &format!("/api/v1/staff/help-requests/{}/status", uuid7(1)),
        Some(&admin),
        &json!({"status": "resolved", "note": "送到了"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let queue = get(&strict.addr, "/api/v1/staff/help-requests", Some(&admin)).json();
    assert_eq!(mine(&queue)["overdue"], false, "{queue}");
}

#[test]
fn rumor_tips_reach_the_staff_of_their_grid_and_can_be_marked_handled_with_a_rebuttal() {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    for (user, grid) in [("g1w", "G1"), ("g2w", "G2")] {
        let r = post(
            &s.addr,
            "/api/v1/staff/accounts",
            Some(&admin),
            &json!({"username": user,
            "password": "grid worker password", "display_name": format!("{grid} 網格員"), "role": "grid_worker", "grids": [grid]}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let login = |u: &str| {
        post(
            &s.addr,
            "/api/v1/staff/login",
            None,
            &json!({"username": u, "password": "grid worker password"}),
        )
        .json()["token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (g1, g2) = (login("g1w"), login("g2w"));
    let dev = enroll(&s.addr, &admin, "G1-B1", "A");
    let tip = json!({"id": uuid7(5), "kind": "rumor_tip", "body": {"text": "群裡說自來水有毒", "at": "2026-11-28T09:00:00Z"}});
    assert_eq!(
        push(&s.addr, dev["token"].as_str().unwrap(), &[tip]).json()["results"][0]["status"],
        "accepted"
    );

    let inbox = |t: &str| {
        get(&s.addr, "/api/v1/staff/rumor-tips", Some(t)).json()["items"]
            .as_array()
            .unwrap()
            .clone()
    };
    let seen = inbox(&g1);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["text"], "群裡說自來水有毒");
    assert_eq!(seen[0]["building"], "G1-B1");
    assert_eq!(seen[0]["at"], "2026-11-28T09:00:00Z");
    assert!(seen[0].get("handled_at").is_none());
    assert!(inbox(&g2).is_empty(), "another grid's tip");
    assert_eq!(inbox(&admin).len(), 1);

    let path = format!("/api/v1/staff/rumor-tips/{}/handled", uuid7(5));
    assert_eq!(post(&s.addr, &path, Some(&g2), &json!({})).status, 403);
    let bad = post(
        &s.addr,
        &path,
        Some(&g1),
        &json!({"rebuttal_id": uuid7(77)}),
    );
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.json()["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("rebuttal_id"));
    assert_eq!(
        post(
            &s.addr,
            "/api/v1/staff/rumor-tips/nope/handled",
            Some(&admin),
            &json!({})
        )
        .status,
        404
    );

    let rebuttal = post(
        &s.addr,
        "/api/v1/staff/rebuttals",
        Some(&admin),
        &json!({
        "claim": {"zh-Hant": "自來水有毒"}, "verdict": "false", "explanation": {"zh-Hant": "水務署檢測合格"},
        "published": "2026-11-28T10:00:00Z"}),
    );
    assert_eq!(rebuttal.status, 201, "{}", rebuttal.body);
    let rebuttal_id = rebuttal.json()["id"].as_str().unwrap().to_owned();
    // The console lists published rebuttals to link a tip to.
    let listed = get(&s.addr, "/api/v1/staff/rebuttals", Some(&g1)).json();
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == rebuttal_id.as_str()
                && i["rebuttal"]["claim"]["zh-Hant"] == "自來水有毒"),
        "{listed}"
    );
    let r = post(
        &s.addr,
        &path,
        Some(&g1),
        &json!({"rebuttal_id": rebuttal_id}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let seen = inbox(&admin);
    assert_eq!(seen[0]["handled_by"], "G1 網格員");
    assert_eq!(seen[0]["rebuttal_id"], rebuttal_id.as_str());
    assert!(seen[0]["handled_at"].is_string());
}

#[test]
fn admins_list_accounts_change_a_grid_workers_grids_and_disable_an_account_which_ends_its_sessions()
{
    let s = start_demo();
    let admin = staff_token(&s.addr);
    let r = post(
        &s.addr,
        "/api/v1/staff/accounts",
        Some(&admin),
        &json!({"username": "wang",
        "password": "grid worker password", "display_name": "王姑娘", "role": "grid_worker", "grids": ["G1"]}),
    );
    let id = r.json()["id"].as_i64().unwrap();
    let wang = post(
        &s.addr,
        "/api/v1/staff/login",
        None,
        &json!({"username": "wang", "password": "grid worker password"}),
    )
    .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let listed = get(&s.addr, "/api/v1/staff/accounts", Some(&admin)).json();
    let item = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "wang")
        .cloned()
        .unwrap();
    assert_eq!(
        item,
        json!({"id": id, "username": "wang", "display_name": "王姑娘", "role": "grid_worker", "grids": ["G1"], "disabled": false})
    );
    assert_eq!(
        get(&s.addr, "/api/v1/staff/accounts", Some(&wang)).status,
        403
    );

    let path = format!("/api/v1/staff/accounts/{id}");
    let to_g2 = json!({"display_name": "王姑娘", "role": "grid_worker", "grids": ["G2"]});
    assert_eq!(
        put(&s.addr, &path, Some(&wang), &to_g2).status,
        403,
        "not by a grid worker"
    );
    assert_eq!(put(&s.addr, &path, Some(&admin), &to_g2).status, 200);
    // Her scope follows at once: G2's buildings, not G1's.
    let buildings = get(&s.addr, "/api/v1/staff/buildings", Some(&wang)).json();
    assert_eq!(buildings["items"][0]["grid"], "G2");
    let bad = put(
        &s.addr,
        &path,
        Some(&admin),
        &json!({"display_name": "王", "role": "grid_worker", "grids": ["G9"]}),
    );
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("grids[0]"));
    assert_eq!(
        put(&s.addr, "/api/v1/staff/accounts/999", Some(&admin), &to_g2).status,
        404
    );

    // An admin cannot lock themselves out.
    let me = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == "admin")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = put(
        &s.addr,
        &format!("/api/v1/staff/accounts/{me}"),
        Some(&admin),
        &json!({"display_name": "李", "role": "admin", "disabled": true}),
    );
    assert_eq!(r.status, 400);

    let off =
        json!({"display_name": "王姑娘", "role": "grid_worker", "grids": ["G2"], "disabled": true});
    assert_eq!(put(&s.addr, &path, Some(&admin), &off).status, 200);
    assert_eq!(
        get(&s.addr, "/api/v1/staff/session", Some(&wang)).status,
        401,
        "her session ended"
    );
    let again = post(
        &s.addr,
        "/api/v1/staff/login",
        None,
        &json!({"username": "wang", "password": "grid worker password"}),
    );
    assert_eq!(again.status, 401);
    let listed = get(&s.addr, "/api/v1/staff/accounts", Some(&admin)).json();
    assert!(listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["username"] == "wang" && a["disabled"] == true));
    let audit = get(
        &s.addr,
        "/api/v1/staff/audit?action=account_disable",
        Some(&admin),
    )
    .json();
    assert_eq!(audit["items"][0]["target"], id.to_string());
}

#[test]
fn a_buildings_door_knock_list_is_its_households_with_no_reply_care_needs_first() {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    let typhoon = "0190c7a8-0000-7000-8000-00000000a001"; // the demo's whole-community alert
    let phone = |name: &str, flags: Value| {
        let dev = enroll(&s.addr, &admin, "G1-B2", name);
        let member = json!({"id": dev["member_id"], "kind": "household_member",
            "body": {"display_name": name, "flags": flags}});
        assert_eq!(
            push(&s.addr, dev["token"].as_str().unwrap(), &[member]).json()["results"][0]["status"],
            "accepted"
        );
        dev
    };
    let reply = |dev: &Value, n: u64, response: &str, at: &str| {
        let item = json!({"id": uuid7(n), "kind": "alert_ack",
            "body": {"alert_id": typhoon, "response": response, "at": at}});
        assert_eq!(
            push(&s.addr, dev["token"].as_str().unwrap(), &[item]).json()["results"][0]["status"],
            "accepted"
        );
    };
    let answered = phone("安先生", json!([]));
    phone("包先生", json!([]));
    phone("陳婆婆", json!(["elderly_alone"]));
    // Replies count by their own time: an older one arriving later does not replace a newer one.
    reply(&answered, 1, "need_help", "2026-11-28T10:05:00Z");
    reply(&answered, 2, "safe", "2026-11-28T10:00:00Z");
    let roll = get(
        &s.addr,
        &format!("/api/v1/staff/alerts/{typhoon}/roll-call"),
        Some(&admin),
    )
    .json();
    let b2 = roll["buildings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["building"] == "G1-B2")
        .unwrap()
        .clone();
    assert_eq!(
        (
            b2["households"].as_u64(),
            b2["need_help"].as_u64(),
            b2["safe"].as_u64(),
            b2["no_reply"].as_u64()
        ),
        (Some(3), Some(1), Some(0), Some(2))
    );

    let list = get(
        &s.addr,
        &format!("/api/v1/staff/alerts/{typhoon}/roll-call/G1-B2"),
        Some(&admin),
    );
    assert_eq!(list.status, 200, "{}", list.body);
    let names: Vec<String> = list.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["members"][0]["display_name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        ["陳婆婆", "包先生"],
        "care needs first; the household that replied is not listed"
    );
    assert_eq!(
        list.json()["items"][0]["members"][0]["flags"],
        json!(["elderly_alone"])
    );

    // Scoped and checked like the roll-call.
    let g2 = grid_worker(&s.addr, &admin, "g2w", &["G2"]);
    assert_eq!(
        get(
            &s.addr,
            &format!("/api/v1/staff/alerts/{typhoon}/roll-call/G1-B2"),
            Some(&g2)
        )
        .status,
        403
    );
    assert_eq!(
        get(
            &s.addr,
            &format!("/api/v1/staff/alerts/{}/roll-call/G1-B2", uuid7(9)),
            Some(&admin)
        )
        .status,
        404
    );
    let drill = "0190c7a8-0000-7000-8000-00000000a002"; // addressed to G1-B1 only
    assert_eq!(
        get(
            &s.addr,
            &format!("/api/v1/staff/alerts/{drill}/roll-call/G1-B2"),
            Some(&admin)
        )
        .status,
        404
    );
}

#[test]
fn a_reopened_request_goes_back_to_the_top_of_the_open_requests() {
    let s = start_demo();
    let admin = staff_token(&s.addr);
    let dev = resident_request(&s.addr, &admin, 1, "normal", 60);
    resident_request(&s.addr, &admin, 2, "urgent", 5);
    let r = post(
        &s.addr,
        &format!("/api/v1/staff/help-requests/{}/status", uuid7(1)),
        Some(&admin),
        &json!({"status": "resolved", "note": "done"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let order = || -> Vec<String> {
        queue(&s.addr, "/api/v1/staff/help-requests", &admin)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(order(), [uuid7(2), uuid7(1)], "urgent before normal");
    let reopen = json!({"id": uuid7(3), "kind": "help_request_action",
        "body": {"request_id": uuid7(1), "action": "reopen", "note": "still no wheelchair"}});
    assert_eq!(
        push(&s.addr, dev["token"].as_str().unwrap(), &[reopen]).json()["results"][0]["status"],
        "accepted"
    );
    assert_eq!(
        order(),
        [uuid7(1), uuid7(2)],
        "the reopened request is first again"
    );
}
