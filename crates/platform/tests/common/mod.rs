//! Shared helpers for black-box tests: the real binary on a free port, and requests to it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_linli-platform");
pub const ADMIN_PASSWORD: &str = "admin-test-password";

pub struct Server {
    pub child: Child,
    pub addr: String,
    pub stdout_lines: Vec<String>,
    pub db: PathBuf,
    pub dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `linli-platform serve` on 127.0.0.1:0 with a scratch db and dist.
pub fn start(extra: &[&str], admin_password: Option<&str>) -> Server {
    start_in(tempfile::tempdir().unwrap(), extra, admin_password)
}

/// Stops `server` and starts it again on the same database, keys and dist (a new port).
pub fn restart(mut server: Server, extra: &[&str], admin_password: Option<&str>) -> Server {
    let dir = std::mem::replace(&mut server.dir, tempfile::tempdir().unwrap());
    drop(server);
    start_in(dir, extra, admin_password)
}

fn start_in(dir: tempfile::TempDir, extra: &[&str], admin_password: Option<&str>) -> Server {
    let dist = dir.path().join("dist");
    if !dist.exists() {
        std::fs::create_dir(&dist).unwrap();
    }
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Linli</title>",
    )
    .unwrap();
    let db = dir.path().join("data/linli.db");
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--addr", "127.0.0.1:0", "--dist"])
        .arg(&dist)
        .arg("--db")
        .arg(&db)
        .args(extra);
    match admin_password {
        Some(p) => cmd.env("LINLI_ADMIN_PASSWORD", p),
        None => cmd.env_remove("LINLI_ADMIN_PASSWORD"),
    };
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut stdout_lines = Vec::new();
    let mut addr = None;
    let last_prefix = if extra.contains(&"--demo") {
        "  demo staff login"
    } else {
        "  serving"
    };
    for _ in 0..10 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if let Some(rest) = line
            .trim()
            .strip_prefix("Linli platform listening on http://")
        {
            addr = Some(rest.to_owned());
        }
        let done = line.starts_with(last_prefix);
        stdout_lines.push(line);
        if done {
            break;
        }
    }
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        let _ = reader.read_to_string(&mut sink);
    });
    let addr = addr.unwrap_or_else(|| panic!("no listening line in {stdout_lines:?}"));
    Server {
        child,
        addr,
        stdout_lines,
        db,
        dir,
    }
}

/// The demo community with a known admin password.
pub fn start_demo() -> Server {
    start(&["--demo"], Some(ADMIN_PASSWORD))
}

pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// One request through `ureq` (a kept HTTP client; no compression asked for, so bodies and
/// headers are as the platform wrote them). `extra` adds request headers. A 4xx/5xx is a
/// response like any other, not an error.
pub fn send(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
    extra: &[(&str, &str)],
) -> Response {
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(30))
        .build();
    let mut req = agent.request(method, &format!("http://{addr}{path}"));
    if let Some(t) = token {
        req = req.set("Authorization", &format!("Bearer {t}"));
    }
    for (name, value) in extra {
        req = req.set(name, value);
    }
    let typed = extra
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"));
    if !typed {
        req = req.set("Content-Type", "application/json");
    }
    let result = match body {
        Some(b) => req.send_string(b),
        None if method == "POST" || method == "PUT" => req.send_string(""),
        None => req.call(),
    };
    let res = match result {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {path}: {e}"),
    };
    let status = res.status();
    let mut head = format!("HTTP/1.1 {status} {}", res.status_text());
    for name in res.headers_names() {
        for value in res.all(&name) {
            head.push_str(&format!("\r\n{name}: {value}"));
        }
    }
    let body = res.into_string().unwrap_or_default();
    Response { status, head, body }
}

/// One request with the default headers.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Response {
    send(addr, method, path, token, body, &[])
}

pub fn get(addr: &str, path: &str, token: Option<&str>) -> Response {
    request(addr, "GET", path, token, None)
}

pub fn post(addr: &str, path: &str, token: Option<&str>, body: &serde_json::Value) -> Response {
    request(addr, "POST", path, token, Some(&body.to_string()))
}

pub fn put(addr: &str, path: &str, token: Option<&str>, body: &serde_json::Value) -> Response {
    request(addr, "PUT", path, token, Some(&body.to_string()))
}

/// Signs in as the demo admin and returns the staff token.
pub fn staff_token(addr: &str) -> String {
    let r = post(
        addr,
        "/api/v1/staff/login",
        None,
        &serde_json::json!({"username": "admin", "password": ADMIN_PASSWORD}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["token"].as_str().unwrap().to_owned()
}

/// Creates a grid worker account for `grids` (password "grid worker password") as `admin` and
/// signs it in: returns its staff token.
pub fn grid_worker(addr: &str, admin: &str, username: &str, grids: &[&str]) -> String {
    let r = post(
        addr,
        "/api/v1/staff/accounts",
        Some(admin),
        &serde_json::json!({"username": username, "password": "grid worker password",
            "display_name": username, "role": "grid_worker", "grids": grids}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let r = post(
        addr,
        "/api/v1/staff/login",
        None,
        &serde_json::json!({"username": username, "password": "grid worker password"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["token"].as_str().unwrap().to_owned()
}

/// Creates an invite for `building` and enrols a device with it; returns the enrolment answer.
pub fn enroll(addr: &str, staff: &str, building: &str, name: &str) -> serde_json::Value {
    let r = post(
        addr,
        "/api/v1/staff/invites",
        Some(staff),
        &serde_json::json!({"role": "resident", "building": building, "count": 1}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let code = r.json()["codes"][0].as_str().unwrap().to_owned();
    let r = post(
        addr,
        "/api/v1/enroll",
        None,
        &serde_json::json!({"invite_code": code, "display_name": name}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

/// `POST /api/v1/sync/push` with these items.
pub fn push(addr: &str, token: &str, items: &[serde_json::Value]) -> Response {
    post(
        addr,
        "/api/v1/sync/push",
        Some(token),
        &serde_json::json!({ "items": items }),
    )
}

/// The state of the household's (one) help request, from a full pull.
pub fn help_state(addr: &str, token: &str) -> serde_json::Value {
    let page = get(addr, "/api/v1/sync/pull?cursor=0&limit=1000", Some(token));
    page.json()["changes"]
        .as_array()
        .and_then(|changes| changes.iter().find(|c| c["kind"] == "help_request"))
        .cloned()
        .unwrap_or_else(|| panic!("no help request pulled: {}", page.body))
}

/// `linli-platform staff create --username NAME` with `password` on stdin.
pub fn staff_create(server: &Server, username: &str, password: &str) -> std::process::Output {
    use std::io::Write;
    let mut cli = Command::new(BIN)
        .arg("--db")
        .arg(&server.db)
        .args(["staff", "create", "--username", username])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A refused command may exit before reading the password: a closed pipe is not an error.
    let _ = cli
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes());
    cli.wait_with_output().unwrap()
}

/// A resident enrolled in G1-B1 who has pushed one request for help (id `uuid7(n)`, accepted):
/// returns the enrolment answer.
pub fn resident_with_help_request(addr: &str, staff: &str, n: u64) -> serde_json::Value {
    let dev = enroll(addr, staff, "G1-B1", "A");
    let help = serde_json::json!({"id": uuid7(n), "kind": "help_request", "body": {
        "member_id": dev["member_id"], "category": "food_water", "urgency": "urgent",
        "description": "需要米和水", "created_at": "2026-11-28T09:00:00Z"}});
    let r = push(addr, dev["token"].as_str().unwrap_or_default(), &[help]);
    assert_eq!(r.json()["results"][0]["status"], "accepted", "{}", r.body);
    dev
}

/// A valid UUIDv7 for test item `n`.
pub fn uuid7(n: u64) -> String {
    format!("0190c7a8-3b1e-7c2d-8f00-{n:012x}")
}

/// The demo's own help requests (seeded with `--demo`) have ids starting with this.
pub const DEMO_REQUEST_PREFIX: &str = "0190c7a8-0000-7000-8000-00000000d";

/// `GET path` (a help-queue query) as `token`, with the demo's own requests left out, so a
/// test sees only the requests it made.
pub fn queue(addr: &str, path: &str, token: &str) -> serde_json::Value {
    let r = get(addr, path, Some(token));
    assert_eq!(r.status, 200, "{}", r.body);
    let mut v = r.json();
    if let Some(items) = v["items"].as_array_mut() {
        items.retain(|i| {
            !i["id"]
                .as_str()
                .is_some_and(|id| id.starts_with(DEMO_REQUEST_PREFIX))
        });
    }
    v
}

/// A severe alert for `grids` and `buildings` (both empty: the whole community).
pub fn alert_in(grids: &[&str], buildings: &[&str], headline: &str) -> serde_json::Value {
    serde_json::json!({
        "sender_name": {"en": "Community office"}, "status": "actual", "category": ["met"],
        "event": {"en": "Rainstorm"}, "urgency": "immediate", "severity": "severe", "certainty": "observed",
        "response_type": ["shelter"], "headline": {"en": headline},
        "description": {"en": "Low-lying streets flooded"}, "instruction": {"en": "Stay indoors"},
        "expires": "2099-01-01T00:00:00Z",
        "area": {"desc": {"en": "Area"}, "grids": grids, "buildings": buildings}
    })
}

/// The ids in a pull page's changes.
pub fn change_ids(page: &serde_json::Value) -> Vec<String> {
    page["changes"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
