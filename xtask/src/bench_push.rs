//! `cargo xtask bench push`: Web Push fan-out. 10 000 phones (bench_push.py) are subscribed to a
//! mock push service run here (HTTP/1.1 keep-alive, answers 201 to every message); staff publish
//! a severe whole-community alert, and the time from the publish request to the last of the
//! 10 000 messages arriving is measured, three times (each round an update, which queues every
//! phone again). Release build of the platform, this machine; the figure is the median round.

use crate::sh::{run, Cmd};
use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PHONES: usize = 10_000;
const ROUNDS: usize = 3;

/// Paths received per round, and when the last one arrived.
#[derive(Default)]
struct Seen {
    paths: HashSet<String>,
    last: Option<Instant>,
}

fn serve(stream: TcpStream, seen: Arc<Mutex<Seen>>) -> Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let path = line.split(' ').nth(1).unwrap_or_default().to_owned();
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            reader.read_line(&mut h)?;
            if h == "\r\n" || h.is_empty() {
                break;
            }
            if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse()?;
            }
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        {
            let mut s = seen.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
            s.paths.insert(path);
            s.last = Some(Instant::now());
        }
        out.write_all(b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")?;
    }
}

pub fn main(root: &Path) -> Result<()> {
    let (binary, dist, db) = crate::platform::bench_workspace(root, "bench-push")?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let endpoint = format!("http://{}/push", listener.local_addr()?);
    let seen = Arc::new(Mutex::new(Seen::default()));
    {
        let seen = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = seen.clone();
                std::thread::spawn(move || serve(stream, seen));
            }
        });
    }
    // First start migrates and seeds the demo; the phones are added with it stopped.
    drop(crate::platform::start(&binary, &dist, &db)?);
    run(Cmd::new("python3")
        .arg("-c")
        .arg(include_str!("bench_push.py"))
        .arg(&db)
        .arg(&endpoint)
        .arg(PHONES.to_string()))?;
    let server = crate::platform::start(&binary, &dist, &db)?;
    let mut c = crate::bench_sync::Conn::open(&server.addr)?;
    let token = c.sign_in("admin")?;
    let alert = r#"{"sender_name":{"en":"Office"},"status":"actual","category":["met"],
        "event":{"en":"Typhoon"},"urgency":"immediate","severity":"extreme","certainty":"observed",
        "headline":{"en":"Typhoon signal 10","zh-Hant":"十號風球","zh-Hans":"十号风球"},
        "description":{"en":"Hurricane-force winds"},"instruction":{"en":"Stay indoors, away from windows"},
        "expires":"2099-01-01T00:00:00Z","area":{"desc":{"en":"The whole community"}}}"#;
    let mut rounds = Vec::new();
    let mut id = None::<String>;
    for round in 0..ROUNDS {
        *seen.lock().map_err(|_| anyhow::anyhow!("poisoned"))? = Seen::default();
        let start = Instant::now();
        let (status, body) = match &id {
            None => c.call("POST", "/api/v1/staff/alerts", Some(&token), Some(alert))?,
            Some(id) => c.call(
                "PUT",
                &format!("/api/v1/staff/alerts/{id}"),
                Some(&token),
                Some(alert),
            )?,
        };
        if !(200..300).contains(&status) {
            bail!("publish: {status} {body}");
        }
        id.get_or_insert(
            serde_json::from_str::<serde_json::Value>(&body)?["id"]
                .as_str()
                .context("no id")?
                .to_owned(),
        );
        loop {
            std::thread::sleep(Duration::from_millis(20));
            let s = seen.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
            if s.paths.len() >= PHONES {
                let last = s.last.context("no message")?;
                let secs = (last - start).as_secs_f64();
                println!(
                    "round {}: publish → last of {PHONES} pushes {secs:.2} s ({:.0} pushes/s)",
                    round + 1,
                    PHONES as f64 / secs
                );
                rounds.push(secs);
                break;
            }
            if start.elapsed() > Duration::from_secs(600) {
                bail!(
                    "only {} of {PHONES} pushes arrived in 10 min",
                    s.paths.len()
                );
            }
        }
    }
    rounds.sort_by(f64::total_cmp);
    println!(
        "publish → last of {PHONES} pushes: median {:.2} s over {ROUNDS} rounds",
        rounds[ROUNDS / 2]
    );
    Ok(())
}
