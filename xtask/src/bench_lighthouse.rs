//! `cargo xtask bench lighthouse`: Lighthouse (mobile, its default simulated slow-4G and CPU
//! throttling) against the real platform serving the release build in `dist/`, several runs per
//! page, medians reported. Targets (DESIGN.md): performance ≥ 95, accessibility 100.

use crate::sh::{run, Cmd};
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Command;

/// Runs per page; the median is reported (Lighthouse varies run to run on a shared machine).
const RUNS: usize = 5;
/// Pages a resident opens first: home, a guide (read offline on first launch), the rumor list,
/// the alert list and More (settings).
const PAGES: [&str; 5] = ["/", "/guides/earthquake", "/rumors", "/alerts", "/more"];

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

pub fn main(root: &Path) -> Result<()> {
    let lighthouse = root.join("tests/e2e/node_modules/.bin/lighthouse");
    if !lighthouse.exists() {
        bail!(
            "Lighthouse is missing: run `cargo xtask setup` (it installs tests/e2e's npm packages)"
        );
    }
    if !root.join("dist/index.html").exists() {
        bail!("dist/ is missing: run `cargo xtask build` first");
    }
    run(Cmd::new("cargo")
        .args(["build", "--quiet", "--package", "linli-platform"])
        .dir(root))?;
    let work = crate::target_dir(root).join("bench-lighthouse");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    let server = crate::platform::start(
        &crate::target_dir(root).join("debug/linli-platform"),
        &root.join("dist"),
        &work.join("lighthouse.db"),
    )?;
    let addr = server.addr.clone();
    println!("Lighthouse {RUNS} runs per page, mobile preset, medians:");
    println!(
        "{:<22} {:>5} {:>6} {:>8} {:>8} {:>7} {:>6}",
        "page", "perf", "a11y", "FCP ms", "LCP ms", "TBT ms", "CLS"
    );
    let mut worst = (100.0f64, 100.0f64);
    for page in PAGES {
        let mut rows: Vec<[f64; 6]> = Vec::new();
        for i in 0..RUNS {
            let out = work.join(format!("report-{}-{i}.json", page.replace('/', "_")));
            // Lighthouse now and then fails to record a trace on a busy machine (NO_NAVSTART);
            // such a run is repeated once, never counted.
            let mut ok = false;
            for attempt in 0..2 {
                if attempt > 0 {
                    println!("  (lighthouse run failed on {page}; repeating it once)");
                }
                let status = Command::new(&lighthouse)
                    .arg(format!("http://{addr}{page}"))
                    .args([
                        "--quiet",
                        "--only-categories=performance,accessibility",
                        "--output=json",
                        "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking --disable-component-update --no-first-run --disable-sync",
                    ])
                    .arg(format!("--output-path={}", out.display()))
                    .env("CHROME_PATH", crate::tools::CHROMIUM)
                    .status()
                    .context("running lighthouse")?;
                if status.success() {
                    ok = true;
                    break;
                }
            }
            if !ok {
                bail!("lighthouse failed twice on {page}");
            }
            let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out)?)?;
            let score = |c: &str| report["categories"][c]["score"].as_f64().unwrap_or(0.0) * 100.0;
            let metric = |a: &str| {
                report["audits"][a]["numericValue"]
                    .as_f64()
                    .unwrap_or(f64::NAN)
            };
            rows.push([
                score("performance"),
                score("accessibility"),
                metric("first-contentful-paint"),
                metric("largest-contentful-paint"),
                metric("total-blocking-time"),
                metric("cumulative-layout-shift"),
            ]);
        }
        let m: Vec<f64> = (0..6)
            .map(|k| median(rows.iter().map(|r| r[k]).collect()))
            .collect();
        println!(
            "{:<22} {:>5.0} {:>6.0} {:>8.0} {:>8.0} {:>7.0} {:>6.3}",
            page, m[0], m[1], m[2], m[3], m[4], m[5]
        );
        worst = (worst.0.min(m[0]), worst.1.min(m[1]));
    }
    println!(
        "worst page: performance {:.0} (target ≥ 95: {}), accessibility {:.0} (target 100: {})",
        worst.0,
        if worst.0 >= PERFORMANCE_TARGET {
            "met"
        } else {
            "NOT met"
        },
        worst.1,
        if worst.1 >= ACCESSIBILITY_TARGET {
            "met"
        } else {
            "NOT met"
        },
    );
    // The targets are a gate, not a printout: the bench fails when one is missed.
    if worst.0 < PERFORMANCE_TARGET || worst.1 < ACCESSIBILITY_TARGET {
        bail!(
            "Lighthouse targets missed: performance {:.0} (≥ {PERFORMANCE_TARGET}), accessibility {:.0} (≥ {ACCESSIBILITY_TARGET}) on the worst page",
            worst.0,
            worst.1
        );
    }
    Ok(())
}

/// DESIGN.md's Lighthouse targets (mobile preset), checked on the worst page's medians.
const PERFORMANCE_TARGET: f64 = 95.0;
const ACCESSIBILITY_TARGET: f64 = 100.0;
