//! Response header rules: caching by kind of path, and the security headers on everything.

use axum::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use axum::http::StatusCode;

/// How long a response may be cached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachePolicy {
    /// A content-hashed build asset: its name changes whenever its bytes do.
    Immutable,
    /// The app's icons (unhashed: the manifest names them): fresh for a day. One page load
    /// asks for the same icon three times (the tab's icon, the header's logo, the browser's
    /// install check); with `no-cache` each was a request of its own, two of them revalidations
    /// competing with the wasm for the connections (BENCHMARKS.md, Lighthouse).
    Day,
    /// Always revalidate: the shell, the service worker, the manifest, other unhashed files.
    NoCache,
    /// Never store: API answers and health checks.
    NoStore,
}

impl CachePolicy {
    /// Chooses the policy for a request path and the answer's status. Only a file that was
    /// found is immutable: a 404 for a hashed name (a deploy half done) must not stick.
    pub fn for_response(path: &str, status: StatusCode) -> CachePolicy {
        if path.starts_with("/api/") || path == "/api" || path == "/healthz" {
            CachePolicy::NoStore
        } else if is_hashed_asset(path) && status.is_success() {
            CachePolicy::Immutable
        } else if path.starts_with("/icons/") && status.is_success() {
            CachePolicy::Day
        } else {
            CachePolicy::NoCache
        }
    }

    pub fn header_value(self) -> &'static str {
        match self {
            CachePolicy::Immutable => "public, max-age=31536000, immutable",
            CachePolicy::Day => "public, max-age=86400",
            CachePolicy::NoCache => "no-cache",
            CachePolicy::NoStore => "no-store",
        }
    }
}

/// True for hashed build output names: `stem-<hex digest>.ext` (also `…_bg.wasm`). Trunk writes
/// its 64-bit hash without leading zeros, so the digest may be shorter than 16 digits; 12 is the
/// floor (a shorter one has a chance below 1 in 2^16 of being a zero-stripped hash).
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    if ext.is_empty() {
        return false;
    }
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((base, hash)) => {
            !base.is_empty() && hash.len() >= 12 && hash.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

/// The Content-Security-Policy: the wasm app from our own origin and nothing more.
pub const CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Security headers set on every response.
pub const SECURITY_HEADERS: [(&str, &str); 6] = [
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    (
        "permissions-policy",
        "geolocation=(self), camera=(self), microphone=(), payment=()",
    ),
];

/// Applies the cache policy for `path` and `status` and the security headers to a response's
/// headers.
pub fn apply(path: &str, status: StatusCode, headers: &mut HeaderMap) {
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(CachePolicy::for_response(path, status).header_value()),
    );
    for (name, value) in SECURITY_HEADERS {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    if let Some(link) = preload_for(path) {
        headers.insert(header::LINK, HeaderValue::from_static(link));
    }
}

/// A `Link: rel=preload` for what a client route needs besides the app itself, so the
/// browser fetches it while the wasm downloads instead of after it started: the guide
/// screens read the shipped guides.
pub fn preload_for(path: &str) -> Option<&'static str> {
    (path == "/guides" || path.starts_with("/guides/"))
        .then_some("</data/guides.json>; rel=preload; as=fetch; crossorigin")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guide_routes_preload_the_shipped_guides_and_nothing_else_does() {
        let link = "</data/guides.json>; rel=preload; as=fetch; crossorigin";
        assert_eq!(preload_for("/guides"), Some(link));
        assert_eq!(preload_for("/guides/earthquake"), Some(link));
        for other in [
            "/",
            "/guidesx",
            "/rumors",
            "/data/guides.json",
            "/api/v1/sync/pull",
        ] {
            assert_eq!(preload_for(other), None, "{other}");
        }
        let mut h = HeaderMap::new();
        apply("/guides/fire", StatusCode::OK, &mut h);
        assert_eq!(h[header::LINK], link);
    }

    #[test]
    fn hashed_build_assets_are_immutable() {
        for p in [
            "/linli-3f2a9c0d1e2b4a5f.js",
            "/linli-8a17c1f236ab053.js",
            "/linli-3f2a9c0d1e2b4a5f_bg.wasm",
            "/main-0123456789abcdef.css",
            "/boot-0123456789abcdef0123.js",
        ] {
            assert_eq!(
                CachePolicy::for_response(p, StatusCode::OK),
                CachePolicy::Immutable,
                "{p}"
            );
        }
    }

    #[test]
    fn shell_worker_manifest_and_routes_revalidate() {
        for p in [
            "/",
            "/index.html",
            "/sw.js",
            "/manifest.webmanifest",
            "/alerts",
            "/more-than-16-chars-here",
        ] {
            assert_eq!(
                CachePolicy::for_response(p, StatusCode::OK),
                CachePolicy::NoCache,
                "{p}"
            );
        }
    }

    #[test]
    fn a_missing_hashed_file_is_not_cached_for_a_year() {
        let p = "/linli-3f2a9c0d1e2b4a5f_bg.wasm";
        assert_eq!(
            CachePolicy::for_response(p, StatusCode::NOT_FOUND),
            CachePolicy::NoCache
        );
    }

    #[test]
    fn icons_are_fresh_for_a_day_and_a_missing_one_is_not() {
        for p in ["/icons/icon-192.png", "/icons/apple-touch-icon.png"] {
            assert_eq!(
                CachePolicy::for_response(p, StatusCode::OK),
                CachePolicy::Day,
                "{p}"
            );
            assert_eq!(
                CachePolicy::for_response(p, StatusCode::NOT_FOUND),
                CachePolicy::NoCache,
                "{p}"
            );
        }
        assert_eq!(CachePolicy::Day.header_value(), "public, max-age=86400");
    }

    #[test]
    fn near_misses_are_not_treated_as_hashed() {
        assert!(!is_hashed_asset("/icon-beef.png")); // too short to be a digest
        assert!(!is_hashed_asset("/linli-3f2a9c0d1e2b4a5g.js")); // not hex
        assert!(!is_hashed_asset("/-3f2a9c0d1e2b4a5f.js")); // no stem
        assert!(!is_hashed_asset("/linli-3f2a9c0d1e2b4a5f")); // no extension
    }

    #[test]
    fn api_and_health_are_never_stored() {
        assert_eq!(
            CachePolicy::for_response("/api/v1/sync/pull", StatusCode::OK),
            CachePolicy::NoStore
        );
        assert_eq!(
            CachePolicy::for_response("/healthz", StatusCode::OK),
            CachePolicy::NoStore
        );
    }

    #[test]
    fn csp_allows_wasm_but_no_inline_script_or_framing() {
        assert!(CSP.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(!CSP.contains("unsafe-inline"));
        assert!(!CSP.contains("'unsafe-eval'"));
        assert!(CSP.contains("frame-ancestors 'none'"));
        let mut h = HeaderMap::new();
        apply("/", StatusCode::OK, &mut h);
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["cache-control"], "no-cache");
    }
}
