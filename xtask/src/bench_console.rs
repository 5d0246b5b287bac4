//! `cargo xtask bench console`: the staff console's two heaviest reads on a generated community
//! of 100 000 residents (40 000 households with phones), 1 000 000 check-ins, 20 000 help
//! requests and a whole-community alert with 30 000 replies (bench_console.py): the queue's
//! first page and the alert's roll-call, each asked 200 times over one keep-alive connection by
//! an admin (the whole community) and by a grid worker (one grid), after 20 warm-up requests.
//! Figures are p50 and p95 of the request time seen by the client (release build, this machine).

use crate::bench_sync::{percentile, Conn};
use crate::sh::{run, Cmd};
use anyhow::{bail, Result};
use std::path::Path;
use std::time::Instant;

/// The target for both reads.
const P95_TARGET_MS: f64 = 50.0;

/// Times `path` 200 times (after 20 warm-ups); returns (p50, p95) in ms and the last body.
fn time(c: &mut Conn, token: &str, path: &str) -> Result<(f64, f64, String)> {
    let mut lat = Vec::new();
    let mut last = String::new();
    for i in 0..220 {
        let t = Instant::now();
        let (status, body) = c.call("GET", path, Some(token), None)?;
        if status != 200 {
            bail!("{path}: {status} {}", &body[..body.len().min(200)]);
        }
        if i >= 20 {
            lat.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        last = body;
    }
    lat.sort_by(f64::total_cmp);
    Ok((percentile(&lat, 0.5), percentile(&lat, 0.95), last))
}

pub fn main(root: &Path) -> Result<()> {
    let (binary, dist, db) = crate::platform::bench_workspace(root, "bench-console")?;
    // First start migrates and seeds the demo; the generator fills the rest with it stopped.
    drop(crate::platform::start(&binary, &dist, &db)?);
    let t = Instant::now();
    run(Cmd::new("python3")
        .arg("-c")
        .arg(include_str!("bench_console.py"))
        .arg(&db))?;
    println!(
        "generated the community in {:.0} s",
        t.elapsed().as_secs_f64()
    );
    let server = crate::platform::start(&binary, &dist, &db)?;
    let mut c = Conn::open(&server.addr)?;
    let mut failed = Vec::new();
    for who in ["admin", "grid1"] {
        let token = c.sign_in(who)?;
        for (what, path) in [
            ("queue, first page", "/api/v1/staff/help-requests"),
            (
                "queue, received only",
                "/api/v1/staff/help-requests?status=received",
            ),
            ("roll-call", "/api/v1/staff/alerts/bench-alert/roll-call"),
        ] {
            let (p50, p95, body) = time(&mut c, &token, path)?;
            let v: serde_json::Value = serde_json::from_str(&body)?;
            let size = v["items"]
                .as_array()
                .or(v["buildings"].as_array())
                .map_or(0, Vec::len);
            println!("{who:<6} {what:<22} p50 {p50:>6.1} ms  p95 {p95:>6.1} ms  ({size} rows)");
            if p95 > P95_TARGET_MS {
                failed.push(format!("{who} {what}: p95 {p95:.1} ms"));
            }
        }
    }
    if !failed.is_empty() {
        bail!(
            "over the {P95_TARGET_MS} ms p95 target: {}",
            failed.join("; ")
        );
    }
    Ok(())
}
