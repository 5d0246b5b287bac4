//! Typed, validated configuration. Everything the server needs is checked here, before it
//! binds a port or touches the database, so a mistake ends with one clear line.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("--dist {0}: no index.html there; build the PWA first (`cargo xtask run`) or point --dist at a built dist/ directory")]
    MissingDist(PathBuf),
    #[error("--addr {0}: {1}")]
    BadAddr(String, String),
}

/// Where to listen, what to serve, whether to seed the demo data.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub db: PathBuf,
    pub addr: SocketAddr,
    pub dist: PathBuf,
    pub demo: bool,
    /// Enrolment and staff sign-in attempts per client address per minute (429 beyond).
    pub auth_attempts_per_minute: u32,
    /// The staff admin's password for the demo seed (`LINLI_ADMIN_PASSWORD`); random if unset.
    pub admin_password: Option<String>,
    /// The reverse proxy trusted to name the client in `X-Forwarded-For`.
    pub trusted_proxy: Option<std::net::IpAddr>,
    /// Response targets by urgency (the queue marks requests past them overdue).
    pub targets: linli_protocol::staff::ResponseTargets,
    /// The VAPID private key file for Web Push (created on first start).
    pub vapid_key: PathBuf,
    /// The content-signing and sealing keys' file (created on first start).
    pub signing_key: PathBuf,
    /// The VAPID `sub` claim: a `mailto:` or `https:` contact for push services.
    pub vapid_subject: Option<String>,
    /// The first wait before a failed push is tried again (doubling per attempt).
    pub push_retry_ms: i64,
    /// Accept plain-http push endpoints on this machine (development and tests only).
    pub push_allow_loopback: bool,
}

/// Parses a listen address, with a message that names the flag.
pub fn parse_addr(s: &str) -> Result<SocketAddr, ConfigError> {
    s.parse().map_err(|e: std::net::AddrParseError| {
        ConfigError::BadAddr(
            s.to_owned(),
            format!("{e} (expected HOST:PORT, e.g. 127.0.0.1:8080)"),
        )
    })
}

/// Checks that `dist` holds a built PWA.
pub fn check_dist(dist: &Path) -> Result<(), ConfigError> {
    if dist.join("index.html").is_file() {
        Ok(())
    } else {
        Err(ConfigError::MissingDist(dist.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_parse_or_name_the_flag() {
        assert_eq!(parse_addr("127.0.0.1:8080").unwrap().port(), 8080);
        assert_eq!(parse_addr("[::1]:0").unwrap().port(), 0);
        let err = parse_addr("localhost").unwrap_err().to_string();
        assert!(err.starts_with("--addr localhost:"), "{err}");
        assert!(parse_addr("127.0.0.1:99999").is_err());
    }

    #[test]
    fn dist_must_hold_index_html() {
        let dir = tempfile::tempdir().unwrap();
        let err = check_dist(dir.path()).unwrap_err();
        assert!(err.to_string().contains("no index.html"));
        std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
        assert_eq!(check_dist(dir.path()), Ok(()));
    }
}
