//! `cargo xtask`: the project's setup, run, test, size and bench commands.
//!
//! Quick start on a fresh machine: `cargo xtask run` (build and serve with demo data) and
//! `cargo xtask test` (everything CI checks). Each installs what is missing first.

mod api_fuzz;
mod bench;
mod bench_console;
mod bench_lighthouse;
mod bench_push;
mod bench_sync;
mod console;
mod dist;
mod fuzz;
mod import_names;
mod platform;
mod relay;
mod sh;
mod size;
mod split;
mod tools;

use anyhow::{bail, Context, Result};
use sh::{run, Cmd};
use std::path::{Path, PathBuf};
use std::time::Instant;
use tools::Need;

const USAGE: &str = "usage: cargo xtask <command>

  run            install what is missing, build the PWA (release) and serve it with the demo
                 community on http://127.0.0.1:8080
  test           install what is missing, then: fmt, clippy (native + wasm32), native tests,
                 browser tests (headless Chromium), API schema fuzz, release build, size
                 budget, Playwright e2e
  setup          only install what is missing (build and test tools)
  build          build the PWA in release mode into dist/
  size           print the first-load size of dist/ and check the budget
  bench [NAME]   run benchmarks (no NAME lists them)
  fuzz [SECONDS] run the protocol decoders' cargo-fuzz targets, SECONDS each (default 60)
  api-fuzz [ARGS]  run schemathesis against the platform's OpenAPI document (part of `test`;
                 ARGS go to schemathesis, e.g. `--seed 7`)
  screens        rebuild the PWA and refresh the README's screenshots in docs/screens/
                 (`test` writes its screenshots to target/e2e/screens and never touches docs/)
  relay video OUT.y4m | relay tamper FROM TO   the relay e2e tests' fake-camera video and a
                 forged content message, from frame texts on stdin (see src/relay.rs)
  finish-dist [--dir DIR]   post-build step (Trunk hook; DIR defaults to $TRUNK_STAGING_DIR)
  finish-console [--dir DIR]  the staff console's post-build step (Trunk hook)";

fn main() {
    if let Err(e) = try_main() {
        eprintln!("xtask: error: {e:#}");
        std::process::exit(1);
    }
}

fn try_main() -> Result<()> {
    let root = project_root()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    match args.first().map(String::as_str) {
        Some("run") => cmd_run(&root),
        Some("test") => cmd_test(&root),
        Some("setup") => tools::ensure(&root, Need::Test),
        Some("build") => {
            tools::ensure(&root, Need::Build)?;
            build_release(&root)
        }
        Some("size") => size::report(&root, &root.join("dist")),
        Some("bench") => bench::main(&root, &rest),
        Some("fuzz") => fuzz::main(&root, &rest),
        Some("relay") => relay::main(&rest),
        Some("api-fuzz") => api_fuzz::main(&root, &rest),
        Some("screens") => {
            tools::ensure(&root, Need::Test)?;
            build_release(&root)?;
            e2e(&root, Some(&root.join("docs/screens")))
        }
        Some("finish-dist") => {
            let dir = match rest.as_slice() {
                ["--dir", d] => PathBuf::from(d),
                [] => PathBuf::from(
                    std::env::var("TRUNK_STAGING_DIR")
                        .context("finish-dist: pass --dir DIR or run as a Trunk hook")?,
                ),
                _ => bail!("{USAGE}"),
            };
            split::apply(&root, &dir)?;
            dist::finish(&dir)
        }
        Some("finish-console") => {
            let dir = match rest.as_slice() {
                ["--dir", d] => PathBuf::from(d),
                [] => PathBuf::from(
                    std::env::var("TRUNK_STAGING_DIR")
                        .context("finish-console: pass --dir DIR or run as a Trunk hook")?,
                ),
                _ => bail!("{USAGE}"),
            };
            console::finish(&dir)
        }
        Some("help" | "--help" | "-h") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command `{other}`\n{USAGE}"),
    }
}

fn project_root() -> Result<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(Path::to_owned)
        .context("xtask has no parent directory")
}

/// Cargo's build output directory: `CARGO_TARGET_DIR` when set (relative to the project root
/// if relative), else `target/` in the project. Everything xtask reads or writes under the build
/// output goes through here.
pub fn target_dir(root: &Path) -> PathBuf {
    target_dir_from(root, std::env::var_os("CARGO_TARGET_DIR"))
}

fn target_dir_from(root: &Path, env: Option<std::ffi::OsString>) -> PathBuf {
    match env.filter(|v| !v.is_empty()).map(PathBuf::from) {
        Some(p) if p.is_absolute() => p,
        Some(p) => root.join(p),
        None => root.join("target"),
    }
}

/// `trunk build --release` into dist/ (the post_build hook finishes it).
/// Builds the resident PWA into `dist/`, then the staff console into `dist/console/` (after:
/// Trunk replaces the whole of its own dist directory).
pub fn build_release(root: &Path) -> Result<()> {
    run(Cmd::new("trunk").args(["build", "--release"]).dir(root))?;
    run(Cmd::new("trunk")
        .args(["build", "--release"])
        .dir(root.join("crates/console")))
}

fn cmd_run(root: &Path) -> Result<()> {
    tools::ensure(root, Need::Build)?;
    build_release(root)?;
    println!("\nStarting the Linli platform with the demo community. Stop it with Ctrl-C.\n");
    run(Cmd::new("cargo")
        .args([
            "run",
            "--release",
            "--quiet",
            "--package",
            "linli-platform",
            "--",
            "serve",
            "--demo",
        ])
        .args([
            "--addr",
            "127.0.0.1:8080",
            "--dist",
            "dist",
            "--db",
            "data/linli.db",
        ])
        .dir(root))
}

fn cmd_test(root: &Path) -> Result<()> {
    let started = Instant::now();
    let mut times: Vec<(&str, f64)> = Vec::new();
    let mut step = |name: &'static str, f: &dyn Fn() -> Result<()>| -> Result<()> {
        println!("\n=== {name} ===");
        let t = Instant::now();
        f().with_context(|| format!("step `{name}` failed"))?;
        times.push((name, t.elapsed().as_secs_f64()));
        Ok(())
    };
    step("setup", &|| tools::ensure(root, Need::Test))?;
    step("fmt", &|| {
        run(Cmd::new("cargo")
            .args(["fmt", "--all", "--", "--check"])
            .dir(root))
    })?;
    step("clippy (native)", &|| {
        run(Cmd::new("cargo")
            .args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])
            .dir(root))
    })?;
    step("clippy (wasm32)", &|| {
        run(Cmd::new("cargo")
            .args([
                "clippy",
                "-p",
                "linli",
                "-p",
                "linli-protocol",
                "-p",
                "linli-console",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
            ])
            .args(["--", "-D", "warnings"])
            .dir(root))
    })?;
    step("native tests", &|| {
        run(Cmd::new("cargo").args(["test", "--workspace"]).dir(root))
    })?;
    step(
        "browser tests (wasm-bindgen-test, headless Chromium)",
        &|| {
            run(Cmd::new("cargo")
                .args([
                    "test",
                    "-p",
                    "linli",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--test",
                    "browser",
                    "--test",
                    "store",
                ])
                .env("CHROMEDRIVER", tools::CHROMEDRIVER)
                .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
                .dir(root))
        },
    )?;
    step("API schema fuzz (schemathesis)", &|| {
        api_fuzz::main(root, &[])
    })?;
    step("release build", &|| build_release(root))?;
    step("size", &|| size::report(root, &root.join("dist")))?;
    step("e2e (Playwright)", &|| e2e(root, None))?;
    println!(
        "\n=== all green in {:.0} s ===",
        started.elapsed().as_secs_f64()
    );
    for (name, secs) in times {
        println!("  {secs:>7.1} s  {name}");
    }
    Ok(())
}

/// Runs the Playwright suite against the real platform serving a copy of the release build.
/// Runs the Playwright suite against the real platform. With `screens`, only the screenshot
/// spec runs and writes there (the README's pictures); otherwise screenshots go to target/.
fn e2e(root: &Path, screens: Option<&Path>) -> Result<()> {
    let args: &[&str] = if screens.is_some() {
        &["screenshots.spec.ts", "shell.spec.ts"]
    } else {
        &[]
    };
    e2e_run(root, screens, args)
}

/// Playwright with `args` (e.g. another config) against the platform, as [`e2e`] runs it.
pub fn e2e_with(root: &Path, args: &[&str]) -> Result<()> {
    if !root.join("dist/index.html").exists() {
        anyhow::bail!("dist/ is missing: run `cargo xtask build` first");
    }
    e2e_run(root, None, args)
}

fn e2e_run(root: &Path, screens: Option<&Path>, args: &[&str]) -> Result<()> {
    run(Cmd::new("cargo")
        .args(["build", "--package", "linli-platform"])
        .dir(root))?;
    let target = target_dir(root);
    let work = target.join("e2e");
    let _ = std::fs::remove_dir_all(&work);
    copy_dir(&root.join("dist"), &work.join("dist"))?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let xtask = std::env::current_exe()?;
    let playwright = Cmd::new(root.join("tests/e2e/node_modules/.bin/playwright"))
        .arg("test")
        .args(args.iter().copied());
    let screens_dir = screens.map_or_else(|| work.join("screens"), Path::to_path_buf);
    run(playwright
        .dir(root.join("tests/e2e"))
        .env("LINLI_SCREENS_DIR", screens_dir)
        .env("LINLI_PLATFORM_BIN", target.join("debug/linli-platform"))
        .env("LINLI_E2E_DIST", work.join("dist"))
        .env("LINLI_E2E_DB", work.join("linli.db"))
        .env("LINLI_E2E_PORT", port.to_string())
        .env("LINLI_XTASK_BIN", xtask)
        .env("LINLI_ROOT", root)
        .env("CHROMIUM_PATH", tools::CHROMIUM))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for rel in dist::list_files(from)? {
        let dest = to.join(&rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::copy(from.join(&rel), &dest).with_context(|| format!("copying {rel}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_dir_follows_cargo_target_dir() {
        let root = Path::new("/work/proj");
        assert_eq!(target_dir_from(root, None), root.join("target"));
        assert_eq!(target_dir_from(root, Some("".into())), root.join("target"));
        assert_eq!(
            target_dir_from(root, Some("/tmp/t".into())),
            PathBuf::from("/tmp/t")
        );
        assert_eq!(
            target_dir_from(root, Some("build/out".into())),
            root.join("build/out")
        );
    }
}
