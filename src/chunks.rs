//! Which screens live in which wasm chunk. One table for the app's router (`screen()` in
//! `src/app.rs`) and for the build (`xtask/src/split.rs`, which reads this file with
//! `#[path]` and writes the same table into the loader, so a deep link preloads exactly the
//! chunk its screen will ask for).

/// The chunk holding what residents write (check-in, household, help), joining and sync.
pub const FORMS: &str = "forms";
/// The chunk holding what the community publishes, and More (settings and links): a deep link
/// to More downloads ~25 KB less brotli here than with the forms (BENCHMARKS.md, Lighthouse).
pub const READING: &str = "reading";
/// The chunk holding the building volunteers' tab and the outage relay (QR codes and files
/// between phones): the tools for an outage. Residents load it only to relay. (A split point of
/// its own cost ~1.1 KB of first load: the loader and the main module grow per split point.)
pub const VOLUNTEER: &str = "volunteer";

/// (first path segment, at least this many segments, chunk). Paths not here — Home — are in
/// the main module. The check-in tab moved to `forms` when issue 10's sync and storage work
/// needed first-load bytes (BENCHMARKS.md, size history).
pub const ROUTES: [(&str, usize, &str); 13] = [
    ("checkin", 1, FORMS),
    ("household", 1, FORMS),
    ("help", 1, FORMS),
    ("alerts", 1, READING),
    ("rumors", 1, READING),
    ("guides", 1, READING),
    ("notices", 1, READING),
    ("facilities", 1, READING),
    ("more", 1, READING),
    ("join", 1, FORMS),
    ("sync", 1, FORMS),
    ("building", 1, VOLUNTEER),
    ("relay", 1, VOLUNTEER),
];

/// The chunk that holds the screen for a path's segments, if it is not in the main module.
pub fn chunk_for<S: AsRef<str>>(segs: &[S]) -> Option<&'static str> {
    let first = segs.first()?.as_ref();
    ROUTES
        .iter()
        .find(|(p, n, _)| *p == first && segs.len() >= *n)
        .map(|(_, _, chunk)| *chunk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_links_find_their_chunk_and_the_main_module_keeps_home() {
        assert_eq!(chunk_for::<&str>(&[]), None);
        assert_eq!(chunk_for(&["checkin"]), Some(FORMS));
        assert_eq!(chunk_for(&["checkin", "m1"]), Some(FORMS));
        assert_eq!(chunk_for(&["rumors", "r1"]), Some(READING));
        assert_eq!(chunk_for(&["more"]), Some(READING));
        assert_eq!(chunk_for(&["nowhere"]), None);
        assert_eq!(chunk_for(&["building", "h", "x"]), Some(VOLUNTEER));
        assert_eq!(chunk_for(&["relay", "scan"]), Some(VOLUNTEER));
    }
}
