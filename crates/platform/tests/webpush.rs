//! Web Push, black-box: the real binary sends to a mock push service (a tiny HTTP server in this
//! test playing the receiving side). Each message's VAPID JWT is verified with the platform's
//! published key and its RFC 8291 payload decrypted with the subscription's own keys.

mod common;

use base64::Engine;
use common::*;
use jwt_simple::prelude::*;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;
/// Retries start after 100 ms here (30 s in production); the mock push service is plain http on
/// this machine, which only `--push-allow-loopback` accepts.
const FAST_RETRY: [&str; 4] = ["--demo", "--push-retry-ms", "100", "--push-allow-loopback"];

/// One request the mock push service received.
#[derive(Clone, Debug)]
struct Received {
    path: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

/// The receiving side of Web Push: records every request; answers each path from its script
/// (statuses in turn, the last one repeated), 201 when there is none.
#[derive(Clone)]
struct PushService {
    addr: String,
    received: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<HashMap<String, Vec<u16>>>>,
}

impl PushService {
    fn start() -> PushService {
        Self::on(TcpListener::bind("127.0.0.1:0").unwrap())
    }

    fn on(listener: TcpListener) -> PushService {
        let service = PushService {
            addr: listener.local_addr().unwrap().to_string(),
            received: Arc::default(),
            script: Arc::default(),
        };
        let s = service.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s = s.clone();
                std::thread::spawn(move || s.answer(stream));
            }
        });
        service
    }

    fn answer(&self, stream: std::net::TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let path = line.split(' ').nth(1).unwrap_or_default().to_owned();
        let mut headers = HashMap::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).unwrap();
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (name, value) = h.split_once(':').unwrap();
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
        let len: usize = headers
            .get("content-length")
            .map_or(0, |l| l.parse().unwrap());
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let status = {
            let mut script = self.script.lock().unwrap();
            match script.get_mut(&path) {
                Some(list) if list.len() > 1 => list.remove(0),
                Some(list) => list[0],
                None => 201,
            }
        };
        self.received.lock().unwrap().push(Received {
            path,
            headers,
            body,
        });
        let mut out = stream;
        let _ = write!(
            out,
            "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
    }

    fn script(&self, path: &str, statuses: &[u16]) {
        self.script
            .lock()
            .unwrap()
            .insert(path.to_owned(), statuses.to_vec());
    }

    fn to(&self, path: &str) -> Vec<Received> {
        let all = self.received.lock().unwrap();
        all.iter().filter(|r| r.path == path).cloned().collect()
    }

    /// Waits (up to 20 s) until `path` has received `n` requests.
    fn wait_for(&self, path: &str, n: usize) -> Vec<Received> {
        let start = Instant::now();
        loop {
            let got = self.to(path);
            if got.len() >= n || start.elapsed() > Duration::from_secs(20) {
                return got;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A phone's subscription keys (what the browser's push manager makes), enrolled and
/// subscribed with the platform.
struct Phone {
    token: String,
    path: String,
    keys: ece::EcKeyComponents,
    auth: [u8; 16],
}

fn phone(server: &Server, push: &PushService, staff: &str, building: &str, lang: &str) -> Phone {
    let enrolled = enroll(&server.addr, staff, building, "Resident");
    let token = enrolled["token"].as_str().unwrap().to_owned();
    let (pair, auth) = ece::generate_keypair_and_auth_secret().unwrap();
    let path = format!("/push/{}", enrolled["device_id"].as_str().unwrap());
    let r = put(
        &server.addr,
        "/api/v1/push/subscription",
        Some(&token),
        &serde_json::json!({
            "endpoint": format!("http://{}{path}", push.addr),
            "keys": {"p256dh": B64.encode(pair.pub_as_raw().unwrap()), "auth": B64.encode(auth)},
            "lang": lang,
        }),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    Phone {
        token,
        path,
        keys: pair.raw_components().unwrap(),
        auth,
    }
}

/// A severe, immediate alert for `buildings`, headline in English and Traditional Chinese.
fn alert(buildings: &[&str], severity: &str, status: &str) -> serde_json::Value {
    let mut a = alert_in(&[], buildings, "River flooding");
    a["headline"]["zh-Hant"] = "河水氾濫".into();
    a["severity"] = severity.into();
    a["status"] = status.into();
    a
}

fn publish(server: &Server, staff: &str, body: &serde_json::Value) -> String {
    let r = post(&server.addr, "/api/v1/staff/alerts", Some(staff), body);
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_str().unwrap().to_owned()
}

/// Checks the VAPID signature of `got` against the platform's published key and decrypts its
/// payload with the phone's keys.
fn open(server: &Server, push: &PushService, got: &Received, phone: &Phone) -> serde_json::Value {
    let published = get(&server.addr, "/api/v1/public/push-key", None).json()["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let auth = &got.headers["authorization"];
    let rest = auth.strip_prefix("vapid t=").expect(auth);
    let (jwt, k) = rest.split_once(", k=").expect(auth);
    assert_eq!(k, published, "signed with the key phones subscribed with");
    let key = ES256PublicKey::from_bytes(&B64.decode(k).unwrap()).unwrap();
    let options = VerificationOptions {
        allowed_audiences: Some(HashSet::from_strings(&[format!("http://{}", push.addr)])),
        ..Default::default()
    };
    let claims = key
        .verify_token::<NoCustomClaims>(jwt, Some(options))
        .expect("a valid VAPID JWT for this push service");
    let exp = claims.expires_at.unwrap().as_secs();
    let now = Clock::now_since_epoch().as_secs();
    assert!(
        exp > now && exp <= now + 24 * 3600,
        "exp within 24 h (RFC 8292)"
    );
    assert_eq!(got.headers["content-encoding"], "aes128gcm");
    let plain = ece::decrypt(&phone.keys, &phone.auth, &got.body).expect("RFC 8291 payload");
    assert!(plain.len() < 3000, "payload {} bytes", plain.len());
    serde_json::from_slice(&plain).unwrap()
}

#[test]
fn a_serious_alert_reaches_the_subscribed_phones_of_its_area_signed_encrypted_and_in_their_language(
) {
    let push = PushService::start();
    let server = start(&FAST_RETRY, Some(ADMIN_PASSWORD));
    let staff = staff_token(&server.addr);
    let inside = phone(&server, &push, &staff, "G1-B1", "zh-Hant");
    let english = phone(&server, &push, &staff, "G1-B1", "en");
    let outside = phone(&server, &push, &staff, "G2-B1", "en");
    // A neighbour who never allowed notifications.
    enroll(&server.addr, &staff, "G1-B1", "No notifications");

    let id = publish(&server, &staff, &alert(&["G1-B1"], "severe", "actual"));
    let got = push.wait_for(&inside.path, 1);
    assert_eq!(got.len(), 1, "the phone in the area was notified");
    let zh = open(&server, &push, &got[0], &inside);
    assert_eq!(zh["alert_id"], id.as_str());
    assert_eq!(zh["title"], "嚴重 · 河水氾濫");
    assert_eq!(zh["lang"], "zh-Hant");
    assert_eq!(zh["drill"], false);
    assert_eq!(got[0].headers["urgency"], "high", "an immediate alert");
    let ttl: u64 = got[0].headers["ttl"].parse().unwrap();
    assert!(ttl > 0 && ttl <= 28 * 24 * 3600, "TTL {ttl}");
    let en = open(
        &server,
        &push,
        &push.wait_for(&english.path, 1)[0],
        &english,
    );
    assert_eq!(en["title"], "Severe · River flooding");
    assert_eq!(en["body"], "Stay indoors");
    // What the service worker fetches to store the whole alert: public, no token.
    let full = get(&server.addr, &format!("/api/v1/public/alerts/{id}"), None);
    assert_eq!(full.status, 200, "{}", full.body);
    assert_eq!(full.json()["headline"]["zh-Hant"], "河水氾濫");
    let none = get(
        &server.addr,
        "/api/v1/public/alerts/0190c7a8-3b1e-7c2d-8f00-000000000001",
        None,
    );
    assert_eq!(none.status, 404);
    // Nothing personal in the payload: only what the alert itself says.
    let keys: Vec<&String> = en.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "alert_id",
            "body",
            "cancelled",
            "drill",
            "lang",
            "severity",
            "title"
        ]
    );

    // An update replaces: the same phone gets the newest version (same alert id, its tag).
    let mut changed = alert(&["G1-B1"], "extreme", "actual");
    changed["headline"]["en"] = "River flooding: evacuate".into();
    let r = put(
        &server.addr,
        &format!("/api/v1/staff/alerts/{id}"),
        Some(&staff),
        &changed,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let again = push.wait_for(&english.path, 2);
    let update = open(&server, &push, &again[1], &english);
    assert_eq!(update["alert_id"], id.as_str());
    assert_eq!(update["title"], "Extreme · River flooding: evacuate");

    // A moderate alert wakes no one; a drill is marked as one. The drill, published after the
    // moderate alert, is what arrives next: the worker was running and skipped the moderate one.
    let moderate = publish(&server, &staff, &alert(&["G1-B1"], "moderate", "actual"));
    publish(&server, &staff, &alert(&["G1-B1"], "severe", "exercise"));
    let drill = open(
        &server,
        &push,
        &push.wait_for(&english.path, 3)[2],
        &english,
    );
    assert_eq!(drill["drill"], true);
    assert!(drill["title"].as_str().unwrap().starts_with("[DRILL] "));
    assert_ne!(drill["alert_id"], moderate.as_str());
    assert!(
        push.to(&outside.path).is_empty(),
        "no push outside the area"
    );

    // A grid's alert reaches its buildings' phones only; a whole-community alert reaches all.
    let grid = publish(&server, &staff, &alert_in(&["G2"], &[], "Grid 2 power cut"));
    let got = open(
        &server,
        &push,
        &push.wait_for(&outside.path, 1)[0],
        &outside,
    );
    assert_eq!(got["alert_id"], grid.as_str());
    let all = publish(&server, &staff, &alert_in(&[], &[], "Whole community"));
    let got = open(
        &server,
        &push,
        &push.wait_for(&outside.path, 2)[1],
        &outside,
    );
    assert_eq!(got["alert_id"], all.as_str());
    let got = open(
        &server,
        &push,
        &push.wait_for(&english.path, 4)[3],
        &english,
    );
    assert_eq!(
        got["alert_id"],
        all.as_str(),
        "the grid-2 alert never reached G1-B1"
    );

    // Staff see the counts; a phone's token cannot.
    let stats = get(
        &server.addr,
        &format!("/api/v1/staff/alerts/{id}/push"),
        Some(&staff),
    )
    .json();
    assert_eq!(stats["notified"], 2);
    assert_eq!(stats["failed"], 0);
    assert_eq!(stats["pending"], 0);
    assert_eq!(stats["notifies"], true);
    assert!(stats["no_subscription"].as_u64().unwrap() >= 1, "{stats}");
    let r = get(
        &server.addr,
        &format!("/api/v1/staff/alerts/{id}/push"),
        Some(&inside.token),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    // A grid worker of another grid cannot read or resend it.
    let other = grid_worker(&server.addr, &staff, "gw-g2", &["G2"]);
    let r = get(
        &server.addr,
        &format!("/api/v1/staff/alerts/{id}/push"),
        Some(&other),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    let r = post(
        &server.addr,
        &format!("/api/v1/staff/alerts/{id}/push/resend"),
        Some(&other),
        &serde_json::json!({}),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(
        push.to(&inside.path).len(),
        4,
        "the alert, its update, the drill, the community's"
    );
}

#[test]
fn a_gone_subscription_is_removed_and_a_failing_push_service_is_retried() {
    let push = PushService::start();
    let server = start(&FAST_RETRY, Some(ADMIN_PASSWORD));
    let staff = staff_token(&server.addr);
    let gone = phone(&server, &push, &staff, "G2-B1", "en");
    let flaky = phone(&server, &push, &staff, "G2-B1", "en");
    push.script(&gone.path, &[410]);
    push.script(&flaky.path, &[503, 500, 429, 201]);

    let id = publish(&server, &staff, &alert(&["G2-B1"], "extreme", "actual"));
    let tries = push.wait_for(&flaky.path, 4);
    assert_eq!(tries.len(), 4, "retried after 503, 500 and 429");
    open(&server, &push, &tries[3], &flaky);
    assert_eq!(push.to(&gone.path).len(), 1);
    let stats = get(
        &server.addr,
        &format!("/api/v1/staff/alerts/{id}/push"),
        Some(&staff),
    )
    .json();
    assert_eq!(stats["notified"], 1, "{stats}");
    assert_eq!(stats["failed"], 1, "{stats}");

    // The 410 removed the subscription: a resend reaches only the other phone.
    let r = post(
        &server.addr,
        &format!("/api/v1/staff/alerts/{id}/push/resend"),
        Some(&staff),
        &serde_json::json!({}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(push.wait_for(&flaky.path, 5).len(), 5);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        push.to(&gone.path).len(),
        1,
        "never sent to a gone subscription again"
    );

    // Signing out (removing the subscription) and revocation both stop notifications.
    let r = request(
        &server.addr,
        "DELETE",
        "/api/v1/push/subscription",
        Some(&flaky.token),
        None,
    );
    assert_eq!(r.status, 204);
    let other = phone(&server, &push, &staff, "G2-B1", "en");
    // Still subscribed: shows that the alert below was sent at all.
    let control = phone(&server, &push, &staff, "G2-B1", "en");
    let removed = request(
        &server.addr,
        "DELETE",
        &format!(
            "/api/v1/staff/devices/{}",
            other.path.trim_start_matches("/push/")
        ),
        Some(&staff),
        None,
    );
    assert_eq!(removed.status, 200, "{}", removed.body);
    let last = publish(&server, &staff, &alert(&["G2-B1"], "extreme", "actual"));
    let sent = open(
        &server,
        &push,
        &push.wait_for(&control.path, 1)[0],
        &control,
    );
    assert_eq!(sent["alert_id"], last.as_str());
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(push.to(&flaky.path).len(), 5, "signed out");
    assert!(push.to(&other.path).is_empty(), "revoked");
}

#[test]
fn a_restart_between_publish_and_send_still_delivers() {
    // A push service that is down: its port is reserved, then closed.
    let port = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = port.local_addr().unwrap();
    drop(port);
    let down = PushService {
        addr: addr.to_string(),
        received: Arc::default(),
        script: Arc::default(),
    };
    let server = start(&FAST_RETRY, Some(ADMIN_PASSWORD));
    let staff = staff_token(&server.addr);
    let p = phone(&server, &down, &staff, "G1-B1", "zh-Hans");
    let id = publish(&server, &staff, &alert(&["G1-B1"], "severe", "actual"));
    std::thread::sleep(Duration::from_millis(300));
    // The platform stops with the notification still queued; the push service comes back.
    let server = restart(server, &FAST_RETRY, Some(ADMIN_PASSWORD));
    let push = PushService::on(TcpListener::bind(addr).unwrap());
    let got = push.wait_for(&p.path, 1);
    assert_eq!(got.len(), 1, "delivered after the restart");
    let payload = open(&server, &push, &got[0], &p);
    assert_eq!(payload["alert_id"], id.as_str());
    assert_eq!(payload["lang"], "zh-Hans");
    assert_eq!(payload["title"], "严重 · 河水氾濫");
}

#[test]
fn subscriptions_are_checked_field_by_field_and_need_a_device() {
    let server = start(&["--demo"], Some(ADMIN_PASSWORD));
    let staff = staff_token(&server.addr);
    let token = enroll(&server.addr, &staff, "G1-B1", "R")["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let good = serde_json::json!({
        "endpoint": "https://push.example/abc",
        "keys": {"p256dh": "B".repeat(87), "auth": "A".repeat(22)}, "lang": "en"
    });
    let r = put(&server.addr, "/api/v1/push/subscription", None, &good);
    assert_eq!(r.status, 401);
    // A plain-http endpoint on the server's own machine, unless started for tests.
    let mut local = good.clone();
    local["endpoint"] = "http://127.0.0.1:5432/x".into();
    let r = put(
        &server.addr,
        "/api/v1/push/subscription",
        Some(&token),
        &local,
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert!(r.body.contains("endpoint"), "{}", r.body);
    for (field, value, named) in [
        (
            "endpoint",
            serde_json::json!("http://push.example/abc"),
            "endpoint",
        ),
        ("lang", serde_json::json!("fr"), "lang"),
        (
            "keys",
            serde_json::json!({"p256dh": "x", "auth": "A".repeat(22)}),
            "keys.p256dh",
        ),
    ] {
        let mut bad = good.clone();
        bad[field] = value;
        let r = put(
            &server.addr,
            "/api/v1/push/subscription",
            Some(&token),
            &bad,
        );
        assert_eq!(r.status, 400, "{field}: {}", r.body);
        assert!(r.body.contains(named), "{field}: {}", r.body);
    }
    let r = put(
        &server.addr,
        "/api/v1/push/subscription",
        Some(&token),
        &good,
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let key = get(&server.addr, "/api/v1/public/push-key", None).json();
    assert_eq!(
        B64.decode(key["public_key"].as_str().unwrap())
            .unwrap()
            .len(),
        65
    );
}
