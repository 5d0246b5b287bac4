//! `cargo xtask bench sync`: the platform's push ingest and pull latency, over loopback HTTP
//! against the release binary with a scratch database.
//!
//! Method: (a) one device pushes 100 000 `health_report` items in batches of 500 over one
//! keep-alive connection, sequentially (each answer arrives only after the batch is committed
//! with synchronous=FULL); records/s = items / wall time, with p50/p99 batch latency.
//! (b) the change log is filled with 100 000 residents' worth of data (one help request per
//! resident in 25 000 other households, plus 1 000 published notices), then one device pulls
//! its whole feed (limit 200) 200 times; p50/p99 per request and changes/s.

use crate::sh::{run, Cmd};
use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

pub(crate) struct Conn {
    reader: BufReader<TcpStream>,
    addr: String,
}

impl Conn {
    pub(crate) fn open(addr: &str) -> Result<Conn> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(120)))?;
        Ok(Conn {
            reader: BufReader::new(s),
            addr: addr.to_owned(),
        })
    }

    /// One keep-alive HTTP/1.1 request; returns status and body.
    pub(crate) fn call(
        &mut self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&str>,
    ) -> Result<(u16, String)> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.addr);
        if let Some(t) = token {
            head.push_str(&format!("Authorization: Bearer {t}\r\n"));
        }
        let body = body.unwrap_or("");
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        ));
        let s = self.reader.get_mut();
        s.write_all(head.as_bytes())?;
        s.write_all(body.as_bytes())?;
        let mut status = String::new();
        self.reader.read_line(&mut status)?;
        let code: u16 = status
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .context("bad status line")?;
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse()?;
            }
        }
        let mut buf = vec![0; len];
        self.reader.read_exact(&mut buf)?;
        Ok((code, String::from_utf8_lossy(&buf).into_owned()))
    }
}

impl Conn {
    /// Signs in as a benchmark staff account (the demo's, with the benchmarks' password);
    /// returns the session token.
    pub(crate) fn sign_in(&mut self, username: &str) -> Result<String> {
        let (_, body) = self.call(
            "POST",
            "/api/v1/staff/login",
            None,
            Some(&format!(
                r#"{{"username":"{username}","password":"{}"}}"#,
                crate::platform::ADMIN_PASSWORD
            )),
        )?;
        let v: serde_json::Value = serde_json::from_str(&body)?;
        Ok(v["token"].as_str().context("sign-in failed")?.to_owned())
    }
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn uuid7(n: u64) -> String {
    format!(
        "0190c7a8-{:04x}-7c2d-8f00-{:012x}",
        (n >> 48) & 0xffff,
        n & 0xffff_ffff_ffff
    )
}

pub fn main(root: &Path) -> Result<()> {
    let (binary, dist, db) = crate::platform::bench_workspace(root, "bench-sync")?;
    let server = crate::platform::start(&binary, &dist, &db)?;
    let addr = server.addr.clone();
    let mut conn = None;
    for _ in 0..100 {
        if let Ok(c) = Conn::open(&addr) {
            conn = Some(c);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut c = conn.context("platform did not start")?;
    let staff = c.sign_in("admin")?;
    let (_, body) = c.call(
        "POST",
        "/api/v1/staff/invites",
        Some(&staff),
        Some(r#"{"role":"resident","building":"G1-B1","count":1}"#),
    )?;
    let code = serde_json::from_str::<serde_json::Value>(&body)?["codes"][0]
        .as_str()
        .context("no invite")?
        .to_owned();
    let (_, body) = c.call(
        "POST",
        "/api/v1/enroll",
        None,
        Some(&format!(
            r#"{{"invite_code":"{code}","display_name":"Bench"}}"#
        )),
    )?;
    let device: serde_json::Value = serde_json::from_str(&body)?;
    let token = device["token"].as_str().context("enrol failed")?.to_owned();
    let member = device["member_id"]
        .as_str()
        .context("no member")?
        .to_owned();

    // (a) push ingest
    const TOTAL: u64 = 100_000;
    const BATCH: u64 = 500;
    let mut latencies = Vec::new();
    let started = Instant::now();
    for b in 0..TOTAL / BATCH {
        let items: Vec<String> = (0..BATCH)
            .map(|i| {
                let n = b * BATCH + i;
                format!(
                    r#"{{"id":"{}","kind":"health_report","body":{{"member_id":"{member}","date":"2026-{:02}-{:02}","temperature_c":36.{},"symptoms":[],"reported_at":"2026-11-28T09:00:00Z"}}}}"#,
                    uuid7(n),
                    n % 12 + 1,
                    n % 28 + 1,
                    n % 10
                )
            })
            .collect();
        let body = format!(r#"{{"items":[{}]}}"#, items.join(","));
        let t = Instant::now();
        let (status, answer) = c.call("POST", "/api/v1/sync/push", Some(&token), Some(&body))?;
        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
        if status != 200 || answer.matches("\"accepted\"").count() != BATCH as usize {
            bail!(
                "push batch {b} failed: {status} {}",
                &answer[..answer.len().min(300)]
            );
        }
    }
    let secs = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    println!("(a) push ingest: {TOTAL} health reports in batches of {BATCH}, one connection");
    println!(
        "    {:.0} records/s; batch latency p50 {:.1} ms, p99 {:.1} ms ({:.1} s total)",
        TOTAL as f64 / secs,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        secs
    );

    // (b) pull: fill the log with 100 000 residents' worth of data, straight into SQLite.
    let fill = include_str!("bench_fill.py");
    run(Cmd::new("python3").arg("-c").arg(fill).arg(&db))?;
    let mut lat = Vec::new();
    let mut changes = 0usize;
    let started = Instant::now();
    for _ in 0..200 {
        let mut cursor = 0i64;
        loop {
            let t = Instant::now();
            let (status, body) = c.call(
                "GET",
                &format!("/api/v1/sync/pull?cursor={cursor}&limit=200"),
                Some(&token),
                None,
            )?;
            lat.push(t.elapsed().as_secs_f64() * 1000.0);
            if status != 200 {
                bail!("pull failed: {status} {body}");
            }
            let page: serde_json::Value = serde_json::from_str(&body)?;
            changes += page["changes"].as_array().map_or(0, Vec::len);
            cursor = page["next_cursor"].as_i64().unwrap_or(cursor);
            if page["has_more"] != serde_json::Value::Bool(true) {
                break;
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    lat.sort_by(f64::total_cmp);
    println!("(b) pull: log of 101 000 changes (100 000 residents' help requests in 25 000 households, 1 000 notices);");
    println!(
        "    a G1 device pulls its feed 200×: {} requests, p50 {:.2} ms, p99 {:.2} ms, {:.0} changes/s",
        lat.len(),
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        changes as f64 / secs
    );
    Ok(())
}
