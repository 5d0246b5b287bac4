//! `cargo xtask bench [NAME]`: named benchmarks. Each one writes down its method with its
//! figures (BENCHMARKS.md); figures are medians and percentiles, never single timings.

use anyhow::{bail, Result};
use std::path::Path;

type Bench = fn(&Path) -> Result<()>;

/// The registered benchmarks: name, what it measures, the function.
const BENCHES: &[(&str, &str, Bench)] = &[
    (
        "size",
        "first-load bytes of dist/ (raw, gzip, brotli) against the budget",
        size,
    ),
    (
        "sync",
        "platform push ingest (100k reports) and pull latency (100k residents' data), then `store`",
        sync,
    ),
    (
        "store",
        "headless Chromium: one strict check-in save p50/p95, 1000 queued in one transaction",
        store,
    ),
    (
        "console",
        "platform: the staff queue's first page and a roll-call, 100k residents, 1M check-ins, 20k requests",
        crate::bench_console::main,
    ),
    (
        "push",
        "platform: publish → the last of 10 000 phones' Web Push messages at a mock push service",
        crate::bench_push::main,
    ),
    (
        "phone",
        "headless Chromium: a volunteer's 300-household roster render, offline cold start to Home (4× CPU)",
        phone,
    ),
    (
        "relay",
        "headless Chromium's fake camera: frames and seconds to hand over 10/50/200 check-ins at each QR size",
        relay,
    ),
    (
        "lighthouse",
        "Lighthouse mobile on the served release build: performance and accessibility (medians)",
        crate::bench_lighthouse::main,
    ),
];

/// Runs tests/bench_store.rs (release build) in headless Chromium; it prints its figures.
fn store(root: &Path) -> Result<()> {
    crate::sh::run(
        crate::sh::Cmd::new("cargo")
            .args([
                "test",
                "--release",
                "-p",
                "linli",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "bench_store",
                "--",
                "--nocapture",
            ])
            .env("CHROMEDRIVER", crate::tools::CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "300")
            .dir(root),
    )
}

/// The whole of sync: the platform's side, then the phone's (the `store` benchmark).
fn sync(root: &Path) -> Result<()> {
    crate::bench_sync::main(root)?;
    store(root)
}

/// The phone's own timings (tests/e2e/bench/*.bench.ts) against the real platform serving the
/// release build, as the e2e suite runs it; the files print their medians.
fn phone(root: &Path) -> Result<()> {
    crate::e2e_with(root, &["--config", "bench.config.ts", "phone.bench.ts"])
}

/// Frames per message natively, then the scan in headless Chromium (tests/e2e/bench/relay.bench.ts).
fn relay(root: &Path) -> Result<()> {
    use linli_protocol::relay::Density;
    println!("relay: QR codes to hand over n check-ins (sealed; frames at 3 per second)");
    for n in [10, 50, 200] {
        for d in Density::ALL {
            let frames = crate::relay::check_in_frames(n, d)?;
            println!(
                "  {n:>3} check-ins, {:<6} (v{}): {:>2} codes, one loop {:.1} s",
                d.as_str(),
                d.version(),
                frames.len(),
                frames.len() as f64 / 3.0
            );
        }
    }
    crate::e2e_with(root, &["--config", "bench.config.ts", "relay.bench.ts"])
}

fn size(root: &Path) -> Result<()> {
    crate::size::report(root, &root.join("dist"))
}

pub fn main(root: &Path, args: &[&str]) -> Result<()> {
    match args {
        [] => {
            println!("benchmarks (cargo xtask bench NAME, or `all`):");
            for (name, what, _) in BENCHES {
                println!("  {name:<10} {what}");
            }
            Ok(())
        }
        ["all"] => BENCHES.iter().try_for_each(|(_, _, f)| f(root)),
        [name] => match BENCHES.iter().find(|(n, _, _)| n == name) {
            Some((_, _, f)) => f(root),
            None => bail!("no benchmark named `{name}`; run `cargo xtask bench` to list them"),
        },
        _ => bail!("usage: cargo xtask bench [NAME|all]"),
    }
}
