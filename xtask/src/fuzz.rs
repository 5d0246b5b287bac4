//! `cargo xtask fuzz [SECONDS]`: runs each cargo-fuzz target of the protocol's decoders
//! (`crates/protocol/fuzz`) for SECONDS (default 60) and prints executions and crashes.
//!
//! cargo-fuzz passes unstable `-Z` flags to rustc. This machine has only the stable
//! toolchain, so the runs set `RUSTC_BOOTSTRAP=1`, which lets stable rustc accept them (the
//! documented escape hatch; nothing else in the build uses it). `--sanitizer none`: the
//! protocol crate is safe Rust, so AddressSanitizer would only slow the search; a panic is
//! what the fuzzers look for, and libFuzzer reports it as a crash.

use crate::sh::{run, Cmd};
use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Stdio;

const TARGETS: &[&str] = &[
    "push_envelope",
    "pushed_kinds",
    "published_kinds",
    "relay_frames",
    "relay_bundle",
];

pub fn main(root: &Path, args: &[&str]) -> Result<()> {
    let seconds: u64 = match args {
        [] => 60,
        [s] => s
            .parse()
            .ok()
            .filter(|s| *s > 0)
            .with_context(|| format!("SECONDS: expected a whole number > 0, got {s:?}"))?,
        _ => bail!("usage: cargo xtask fuzz [SECONDS]"),
    };
    let has_fuzz = std::process::Command::new("cargo")
        .args(["fuzz", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_fuzz {
        run(Cmd::new("cargo").args(["install", "cargo-fuzz", "--locked"]))?;
    }
    let dir = root.join("crates/protocol/fuzz");
    let mut rows = Vec::new();
    for target in TARGETS {
        println!("$ cargo fuzz run {target} (for {seconds} s)");
        let out = std::process::Command::new("cargo")
            .args([
                "fuzz",
                "run",
                "--sanitizer",
                "none",
                "--release",
                target,
                "--",
            ])
            .arg(format!("-max_total_time={seconds}"))
            .arg("-print_final_stats=1")
            .env("RUSTC_BOOTSTRAP", "1")
            .current_dir(&dir)
            .stdout(Stdio::inherit())
            .stderr(Stdio::piped())
            .output()
            .with_context(|| format!("cannot start cargo fuzz run {target}"))?;
        let log = String::from_utf8_lossy(&out.stderr);
        let runs = executions(&log);
        let crashed = !out.status.success();
        if crashed {
            eprintln!("{log}");
        }
        rows.push((target, runs, crashed));
    }
    println!("\n{:<18} {:>14} {:>8}", "target", "executions", "crashes");
    for (target, runs, crashed) in &rows {
        let runs = runs.map_or_else(|| "?".to_owned(), |r| r.to_string());
        println!("{target:<18} {runs:>14} {:>8}", u8::from(*crashed));
    }
    if rows.iter().any(|r| r.2) {
        bail!("a fuzz target crashed; its input is in crates/protocol/fuzz/artifacts/");
    }
    Ok(())
}

/// The executions libFuzzer reports (`stat::number_of_executed_units: N`).
fn executions(log: &str) -> Option<u64> {
    log.lines()
        .find_map(|l| l.strip_prefix("stat::number_of_executed_units:"))
        .and_then(|n| n.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    #[test]
    fn executions_are_read_from_libfuzzers_final_stats() {
        let log =
            "#1000 DONE cov: 10\nstat::number_of_executed_units: 12345678\nstat::peak_rss_mb: 40\n";
        assert_eq!(super::executions(log), Some(12_345_678));
        assert_eq!(super::executions("crashed"), None);
    }
}
