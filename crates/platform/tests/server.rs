//! Black-box tests: spawn the real `linli-platform` binary on a free port and talk HTTP to it.

mod common;

use common::{get, start};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = common::BIN;

fn http_get(addr: &str, path: &str) -> (String, String) {
    let r = get(addr, path, None);
    (
        format!("HTTP/1.1 {}", r.status),
        format!("{}\r\n\r\n{}", r.head, r.body),
    )
}

#[test]
fn serves_health_and_the_shell_and_stops_cleanly_on_sigterm() {
    let mut server = start(&[], None);
    let (status, _) = http_get(&server.addr, "/healthz");
    assert_eq!(status, "HTTP/1.1 200");
    let (status, response) = http_get(&server.addr, "/checkin");
    assert_eq!(status, "HTTP/1.1 200");
    assert!(response
        .to_ascii_lowercase()
        .contains("content-security-policy:"));
    assert!(response.contains("<title>Linli</title>"));

    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "server did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn demo_prints_the_admin_login_from_the_environment() {
    let server = start(&["--demo"], Some("s3cret-demo-pass"));
    let banner = server.stdout_lines.concat();
    assert!(
        banner.contains("demo staff login: admin / s3cret-demo-pass"),
        "{banner}"
    );
}

#[test]
fn demo_without_a_password_prints_a_generated_one() {
    let server = start(&["--demo"], None);
    let line = server
        .stdout_lines
        .iter()
        .find(|l| l.contains("demo staff login"))
        .unwrap();
    let password = line.trim().rsplit(' ').next().unwrap();
    assert!(password.len() >= 16, "{line}");
    // The printed password is the one that works.
    let login = |password: &str| {
        common::post(
            &server.addr,
            "/api/v1/staff/login",
            None,
            &serde_json::json!({"username": "admin", "password": password}),
        )
        .status
    };
    assert_eq!(login(password), 200, "{line}");
    assert_eq!(login("not the password"), 401);
}

fn run_expecting_failure(args: &[&str]) -> (i32, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn config_errors_end_with_one_line_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-dist");
    let (code, err) = run_expecting_failure(&["serve", "--dist", missing.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("no index.html"), "{err}");

    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "x").unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let db = blocker.join("linli.db");
    let (code, err) = run_expecting_failure(&[
        "--db",
        db.to_str().unwrap(),
        "serve",
        "--dist",
        dist.to_str().unwrap(),
        "--addr",
        "127.0.0.1:0",
    ]);
    assert_eq!(code, 1);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("--db"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let (code, err) = run_expecting_failure(&["serve", "--addr", "not-an-address"]);
    assert_eq!(code, 1);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("--addr not-an-address"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "x").unwrap();
    let db = dir.path().join("linli.db");
    let (code, err) = run_expecting_failure(&[
        "serve",
        "--addr",
        &addr,
        "--dist",
        dir.path().to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot listen"), "{err}");
}

#[test]
fn demo_prints_a_resident_and_a_volunteer_join_link_that_work() {
    let server = start(&["--demo"], Some("s3cret-demo-pass"));
    let link = |who: &str| -> String {
        let line = server
            .stdout_lines
            .iter()
            .find(|l| l.contains(&format!("demo {who} join link")))
            .unwrap_or_else(|| panic!("no {who} link in {:?}", server.stdout_lines))
            .clone();
        let code = line.trim().rsplit("code=").next().unwrap().to_owned();
        assert!(
            line.contains(&format!("http://{}/join?code=", server.addr)),
            "{line}"
        );
        code
    };
    let (resident, volunteer) = (link("resident"), link("volunteer"));
    let enrol = |code: &str| {
        common::post(
            &server.addr,
            "/api/v1/enroll",
            None,
            &serde_json::json!({"invite_code": code, "display_name": "Try"}),
        )
    };
    let r = enrol(&resident);
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["role"], "resident");
    let v = enrol(&volunteer);
    assert_eq!(v.status, 201, "{}", v.body);
    assert_eq!(
        v.json()["volunteer_buildings"],
        serde_json::json!(["G1-B1"])
    );
    // The volunteer's roster holds the demo households of G1-B1, with units and consents of
    // several kinds.
    let token = v.json()["token"].as_str().unwrap().to_owned();
    let page = common::get(&server.addr, "/api/v1/sync/pull?limit=500", Some(&token)).json();
    let roster: Vec<&serde_json::Value> = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "roster_household")
        .map(|c| &c["body"])
        .collect();
    assert!(roster
        .iter()
        .any(|b| b["unit"] == "5-2" && b["members"][0]["name"] == "李婆婆"));
    assert!(roster
        .iter()
        .any(|b| b["unit"] == "9-3" && b["members"] == serde_json::json!([])));
    assert!(roster.iter().all(|b| b["building"] == "G1-B1"));
}
