//! Installing what a fresh machine lacks. Every step checks first and is skipped when the right
//! version is present; when it cannot install, it fails saying what to run.

use crate::sh::{capture, run, Cmd};
use anyhow::{bail, Context, Result};
use std::path::Path;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// What a task needs.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Need {
    /// Building the PWA: wasm32 target, trunk, wasm-bindgen-cli, wasm-opt.
    Build,
    /// Also testing: Chromium, ChromeDriver, CJK fonts, the e2e node packages.
    Test,
}

pub fn ensure(root: &Path, need: Need) -> Result<()> {
    openssl_headers()?;
    wasm_target()?;
    trunk()?;
    wasm_bindgen(root)?;
    wasm_opt()?;
    if need >= Need::Test {
        browser()?;
        e2e_packages(root)?;
        schemathesis()?;
    }
    Ok(())
}

fn wasm_target() -> Result<()> {
    let installed =
        capture(Cmd::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    println!("setup: adding the wasm32-unknown-unknown target");
    // A rustup call that updates itself could replace the machine's rustup: forbid it first.
    run(Cmd::new("rustup").args(["set", "auto-self-update", "disable"]))?;
    run(Cmd::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
        .context("could not add the wasm32 target; run `rustup target add wasm32-unknown-unknown`")
}

fn trunk() -> Result<()> {
    if version_of("trunk", &["--version"]).is_some_and(|v| v.contains(TRUNK_VERSION)) {
        return Ok(());
    }
    println!("setup: installing trunk {TRUNK_VERSION} (takes several minutes)");
    run(Cmd::new("cargo").args(["install", "trunk", "--locked", "--version", TRUNK_VERSION]))
        .context(format!(
            "could not install trunk; run `cargo install trunk --locked --version {TRUNK_VERSION}`"
        ))
}

/// The `wasm-bindgen` version in Cargo.lock: the CLI must match it exactly.
pub fn locked_wasm_bindgen(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    bail!("Cargo.lock has no wasm-bindgen package")
}

fn wasm_bindgen(root: &Path) -> Result<()> {
    let want = locked_wasm_bindgen(root)?;
    let ok = |bin: &str| {
        version_of(bin, &["--version"])
            .is_some_and(|v| v.split_whitespace().nth(1) == Some(want.as_str()))
    };
    if ok("wasm-bindgen") && ok("wasm-bindgen-test-runner") {
        return Ok(());
    }
    println!("setup: installing wasm-bindgen-cli {want} (takes a few minutes)");
    // Without --locked: the CLI's own lockfile wants a crate version the registry lacks.
    run(Cmd::new("cargo").args(["install", "wasm-bindgen-cli", "--force", "--version", &want]))
        .context(format!(
        "could not install wasm-bindgen-cli; run `cargo install wasm-bindgen-cli --version {want}`"
    ))
}

fn wasm_opt() -> Result<()> {
    if version_of("wasm-opt", &["--version"])
        .is_some_and(|v| v.contains(&format!("version {BINARYEN_VERSION}")))
    {
        return Ok(());
    }
    println!("setup: installing wasm-opt (npm binaryen@{BINARYEN_VERSION})");
    need_npm()?;
    run(Cmd::new("npm").args(["install", "--global", &format!("binaryen@{BINARYEN_VERSION}")]))
        .context(format!("could not install wasm-opt; run `npm install --global binaryen@{BINARYEN_VERSION}` (not Debian's binaryen: its wasm-opt breaks the wasm)"))
}

/// The platform's Web Push encryption (the `ece` crate) links the system's OpenSSL, found with
/// pkg-config: its headers must be installed to build the platform.
fn openssl_headers() -> Result<()> {
    let found = Cmd::new("pkg-config").args(["--exists", "openssl"]);
    if run(found).is_ok() {
        return Ok(());
    }
    apt_install("OpenSSL headers are", "libssl-dev pkg-config")
}

/// Installs Debian `packages` (space-separated) as root, or says how to when not root.
fn apt_install(missing: &str, packages: &str) -> Result<()> {
    if !is_root() {
        bail!("{missing} missing; run `sudo apt-get update && sudo apt-get install -y {packages}`");
    }
    println!("setup: installing {packages} from apt");
    run(Cmd::new("apt-get").arg("update"))?;
    run(Cmd::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(packages.split(' ')))
    .context(format!(
        "could not install {packages}; run `apt-get install -y {packages}`"
    ))
}

fn browser() -> Result<()> {
    let fonts = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc").exists();
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() && fonts {
        return Ok(());
    }
    apt_install(
        "Chromium, ChromeDriver or CJK fonts are",
        "chromium chromium-driver fonts-noto-cjk",
    )
}

/// `npm ci` in tests/e2e when the installed packages do not match the committed lockfile.
fn e2e_packages(root: &Path) -> Result<()> {
    let dir = root.join("tests/e2e");
    let lock = std::fs::read(dir.join("package-lock.json"))
        .context("reading tests/e2e/package-lock.json")?;
    let stamp = dir.join("node_modules/.linli-lock-hash");
    let want = crate::dist::hex(&<sha2::Sha256 as sha2::Digest>::digest(&lock));
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str()) {
        return Ok(());
    }
    need_npm()?;
    println!("setup: installing the e2e packages (npm ci in tests/e2e)");
    run(Cmd::new("npm").arg("ci").arg("--no-audit").arg("--no-fund").dir(&dir).env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
        .context("could not install the e2e packages; run `cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci`")?;
    std::fs::write(stamp, want)?;
    Ok(())
}

/// The Python environment holding schemathesis (outside the clone, like the other tools, so a
/// fresh clone does not download it again).
fn schemathesis_venv() -> std::path::PathBuf {
    let home = std::env::var_os("HOME").unwrap_or_else(|| "/tmp".into());
    Path::new(&home)
        .join(".cache/linli")
        .join(format!("schemathesis-{SCHEMATHESIS_VERSION}"))
}

/// The Python that runs tests/api/fuzz.py (and has schemathesis).
pub fn schemathesis_python() -> std::path::PathBuf {
    schemathesis_venv().join("bin/python")
}

/// schemathesis, from PyPI, in its own virtual environment.
pub fn schemathesis() -> Result<()> {
    let venv = schemathesis_venv();
    let st = venv.join("bin/schemathesis");
    if version_of(&st.to_string_lossy(), &["--version"])
        .is_some_and(|v| v.contains(SCHEMATHESIS_VERSION))
    {
        return Ok(());
    }
    if version_of("python3", &["--version"]).is_none() {
        bail!("Python 3 is needed for the API schema fuzzer; install it (e.g. `apt-get install -y python3 python3-venv`)");
    }
    println!(
        "setup: installing schemathesis {SCHEMATHESIS_VERSION} into {}",
        venv.display()
    );
    let _ = std::fs::remove_dir_all(&venv);
    run(Cmd::new("python3").arg("-m").arg("venv").arg(&venv))
        .context("could not create a Python virtual environment; install python3-venv")?;
    run(Cmd::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check"])
        .arg(format!("schemathesis=={SCHEMATHESIS_VERSION}")))
    .context(format!(
        "could not install schemathesis; run `{}/bin/pip install schemathesis=={SCHEMATHESIS_VERSION}`",
        venv.display()
    ))
}

fn need_npm() -> Result<()> {
    if version_of("npm", &["--version"]).is_none() {
        bail!("Node.js and npm are needed; install them (e.g. `apt-get install -y nodejs npm`)");
    }
    Ok(())
}

fn version_of(bin: &str, args: &[&str]) -> Option<String> {
    capture(Cmd::new(bin).args(args.iter().copied())).ok()
}

fn is_root() -> bool {
    capture(Cmd::new("id").arg("-u")).is_ok_and(|u| u.trim() == "0")
}
