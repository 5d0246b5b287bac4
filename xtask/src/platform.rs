//! The platform binary started for a benchmark or a test run: demo community, scratch
//! database, a free port, stopped when dropped.

use anyhow::{bail, Result};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The demo admin's password on a platform started here.
pub const ADMIN_PASSWORD: &str = "xtask-admin-password";

/// A running platform; killed when dropped.
pub struct Platform {
    child: Child,
    /// `127.0.0.1:PORT`
    pub addr: String,
}

impl Drop for Platform {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `binary serve --demo` on a free port and waits until it accepts connections. Push
/// subscriptions at plain-http endpoints on this machine are accepted (`bench push` plays the
/// push service here).
pub fn start(binary: &Path, dist: &Path, db: &Path) -> Result<Platform> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let addr = format!("127.0.0.1:{port}");
    let child = Command::new(binary)
        .args([
            "serve",
            "--demo",
            "--push-allow-loopback",
            "--addr",
            &addr,
            "--dist",
        ])
        .arg(dist)
        .arg("--db")
        .arg(db)
        .env("LINLI_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("LINLI_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()?;
    let platform = Platform { child, addr };
    for _ in 0..100 {
        if std::net::TcpStream::connect(&platform.addr).is_ok() {
            return Ok(platform);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    bail!("the platform did not start on {}", platform.addr)
}

/// A release build of the platform and a fresh scratch directory `target/NAME` with an empty
/// `dist/`: the platform binary, the dist and the database path for a benchmark.
pub fn bench_workspace(
    root: &Path,
    name: &str,
) -> Result<(std::path::PathBuf, std::path::PathBuf, std::path::PathBuf)> {
    crate::sh::run(
        crate::sh::Cmd::new("cargo")
            .args([
                "build",
                "--release",
                "--quiet",
                "--package",
                "linli-platform",
            ])
            .dir(root),
    )?;
    let work = crate::target_dir(root).join(name);
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(work.join("dist"))?;
    std::fs::write(work.join("dist/index.html"), "<!doctype html>")?;
    let binary = crate::target_dir(root).join("release/linli-platform");
    Ok((binary, work.join("dist"), work.join("bench.db")))
}
