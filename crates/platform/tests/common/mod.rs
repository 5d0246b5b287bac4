//! Shared helpers for black-box tests: the real binary on a free port, and a tiny HTTP client.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
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
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir(&dist).unwrap();
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

/// Sends a raw HTTP/1.1 request (it must ask for `Connection: close`) and reads the answer.
pub fn raw_request(addr: &str, raw: &str) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    read_response(stream)
}

/// One HTTP/1.1 request with `Connection: close`.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(t) = token {
        head.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    let body = body.unwrap_or("");
    if !body.is_empty() || method == "POST" || method == "PUT" {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    read_response(stream)
}

fn read_response(mut stream: TcpStream) -> Response {
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_owned()
    };
    Response {
        status,
        head: head.to_owned(),
        body,
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
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

/// A resident enrolled in G1-B1 who has pushed one request for help (id `uuid7(n)`, accepted):
/// returns the enrolment answer.
pub fn resident_with_help_request(addr: &str, staff: &str, n: u64) -> serde_json::Value {
    let dev = enroll(addr, staff, "G1-B1", "A");
    let help = serde_json::json!({"id": uuid7(n), "kind": "help_request", "body": {
        "member_id": dev["member_id"], "category": "food_water", "urgency": "urgent",
        "description": "需要米和水", "created_at": "2026-11-28T09:00:00Z"}});
    let r = post(
        addr,
        "/api/v1/sync/push",
        dev["token"].as_str(),
        &serde_json::json!({ "items": [help] }),
    );
    assert_eq!(r.json()["results"][0]["status"], "accepted", "{}", r.body);
    dev
}

/// A valid UUIDv7 for test item `n`.
pub fn uuid7(n: u64) -> String {
    format!("0190c7a8-3b1e-7c2d-8f00-{n:012x}")
}
