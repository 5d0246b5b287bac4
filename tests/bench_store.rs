//! Benchmark (not a test): run by `cargo xtask bench store` in headless Chromium. It times the
//! store's strict save of one check-in (record + outbox entry) and queuing 1 000 in one
//! transaction, and prints medians and percentiles; it asserts nothing about time.
#![cfg(target_arch = "wasm32")]

use linli::store::model::{LocalRecord, OutboxEntry, OutboxState, RecordSync};
use linli::store::Store;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn item(n: u32) -> (LocalRecord, OutboxEntry) {
    let id = format!("0190c7a8-3b1e-7c2d-8f00-{n:012x}");
    let body = format!(
        r#"{{"member_id":"0190c7a8-3b1e-7c2d-8f00-000000000001","date":"2026-11-28","temperature_c":36.{},"symptoms":["cough"],"reported_at":"2026-11-28T09:00:00Z"}}"#,
        n % 10
    );
    (
        LocalRecord {
            id: id.clone(),
            kind: "health_report".into(),
            body: body.clone(),
            sync: RecordSync::Local,
            updated_ms: n as f64,
        },
        OutboxEntry {
            id,
            kind: "health_report".into(),
            body,
            state: OutboxState::Queued,
            created_ms: n as f64,
            attempts: 0,
            error: None,
        },
    )
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[wasm_bindgen_test]
async fn bench_store_saves() {
    let perf = web_sys::window().unwrap().performance().unwrap();
    let now = || perf.now();
    if let Ok(req) = indexed_db_futures::database::Database::delete_by_name("linli-bench") {
        let _ = req.await;
    }
    let store = Store::open_named("linli-bench").await.unwrap();
    let mut one = Vec::new();
    for n in 0..200 {
        let (r, e) = item(n);
        let t = now();
        store.save_with_outbox(&r, &e).await.unwrap();
        one.push(now() - t);
    }
    one.sort_by(f64::total_cmp);
    let mut many = Vec::new();
    for round in 0..5u32 {
        let items: Vec<_> = (0..1000).map(|n| item(10_000 + round * 1000 + n)).collect();
        let t = now();
        store.save_many(&items).await.unwrap();
        many.push(now() - t);
    }
    many.sort_by(f64::total_cmp);
    console_log!(
        "BENCH store: one check-in save (record + outbox, strict) n=200 p50 {:.2} ms p95 {:.2} ms; 1000 queued in one transaction n=5 median {:.1} ms",
        pct(&one, 0.5),
        pct(&one, 0.95),
        pct(&many, 0.5)
    );
}
