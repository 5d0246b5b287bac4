//! The schema fuzzer against the real platform (`cargo xtask test`, step "API schema fuzz";
//! alone: `cargo xtask api-fuzz [SCHEMATHESIS ARGS]`).
//!
//! Starts the debug platform with the demo community and a scratch database, then runs
//! tests/api/fuzz.py: it signs in, enrols two phones and pushes a help request (so that the
//! operations get past 401 and 404), then runs schemathesis on `/api/v1/openapi.json`. The run
//! fails on any 5xx, an undocumented status or content type, or an answer that does not match
//! its schema (tests/api/schemathesis.toml). The seed is fixed (1) so that CI runs the same
//! cases each time; pass `--seed N` to explore others.

use crate::sh::{run, Cmd};
use crate::tools;
use anyhow::Result;
use std::path::Path;

pub fn main(root: &Path, extra: &[&str]) -> Result<()> {
    tools::schemathesis()?;
    run(Cmd::new("cargo")
        .args(["build", "--quiet", "--package", "linli-platform"])
        .dir(root))?;
    let work = crate::target_dir(root).join("api-fuzz");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("dist"))?;
    std::fs::write(work.join("dist/index.html"), "<!doctype html>")?;
    let platform = crate::platform::start(
        &crate::target_dir(root).join("debug/linli-platform"),
        &work.join("dist"),
        &work.join("linli.db"),
    )?;
    let seed = if extra.contains(&"--seed") {
        vec![]
    } else {
        vec!["--seed", "1"]
    };
    run(Cmd::new(tools::schemathesis_python())
        .arg(root.join("tests/api/fuzz.py"))
        .arg(format!("http://{}", platform.addr))
        .arg(crate::platform::ADMIN_PASSWORD)
        .args(seed)
        .args(["--report", "junit", "--report-dir"])
        .arg(work.join("report"))
        .args(extra.iter().copied())
        .env("NO_COLOR", "1")
        .dir(&work))
}
