//! The sync engine: push the outbox in batches, pull the change log, retry with backoff.
//!
//! The decisions (how long to wait, what an HTTP answer means) are plain functions tested
//! natively; [`engine`] runs them in the browser, one tab at a time (Web Locks).

pub mod engine;

/// Items per push request (the platform takes up to 500; smaller batches fail smaller).
pub const PUSH_BATCH: usize = 100;
/// Changes per pull request.
pub const PULL_LIMIT: u32 = 200;
/// While the app is open it syncs at least this often.
pub const TIMER_MS: u32 = 60_000;

/// The cross-tab sync lease for browsers without Web Locks (iOS before 15.4): one tab writes
/// `"<tab> <until ms>"` to localStorage and syncs while it holds it. A lease that outlives a
/// very long sync lets a second tab in, which costs a duplicate push at worst (the platform
/// answers `duplicate`), never a lost or doubled record.
#[derive(Clone, Debug, PartialEq)]
pub struct Lease {
    pub tab: String,
    pub until_ms: i64,
}

/// How long a lease lasts.
pub const LEASE_MS: i64 = 60_000;

impl Lease {
    pub fn parse(text: &str) -> Option<Lease> {
        let (tab, until) = text.split_once(' ')?;
        // Integers only: parsing floats would pull a float parser into the wasm (13 KB).
        let until_ms = until.parse::<i64>().ok()?;
        (!tab.is_empty()).then(|| Lease {
            tab: tab.to_owned(),
            until_ms,
        })
    }

    pub fn to_text(&self) -> String {
        format!("{} {}", self.tab, self.until_ms)
    }

    /// Whether `tab` may sync at `now_ms` given the stored lease: none, expired or its own.
    pub fn may_take(current: Option<&Lease>, tab: &str, now_ms: i64) -> bool {
        current.is_none_or(|l| l.tab == tab || l.until_ms <= now_ms)
    }
}

/// What an HTTP answer to a sync request means for the engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx: apply the answer.
    Ok,
    /// Network error, 5xx, 429: keep everything, try again after a backoff.
    RetryLater,
    /// 401: the device is no longer enrolled; ask the user to enrol again. Nothing is dropped.
    Reenroll,
    /// Any other 4xx: a bug or a platform refusing the whole request; keep data, show it.
    Refused,
    /// The phone's own storage failed (quota, a closed database): nothing was sent or lost, and
    /// it is shown as a storage problem, not as a refusal.
    Storage,
}

/// After a push answered 413 (too large) for a batch of `len` items: the size to try next, or
/// `None` when a single item is too large on its own (it is kept as refused, the rest go on).
pub fn smaller_batch(len: usize) -> Option<usize> {
    (len > 1).then_some(len / 2)
}

/// Classifies an HTTP status (`None` = the request never got an answer).
pub fn classify(status: Option<u16>) -> Outcome {
    match status {
        None => Outcome::RetryLater,
        Some(200..=299) => Outcome::Ok,
        Some(401) => Outcome::Reenroll,
        Some(429) | Some(500..=599) | Some(408) => Outcome::RetryLater,
        Some(_) => Outcome::Refused,
    }
}

/// Exponential backoff with "equal jitter": half the delay fixed, half random, capped.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    pub base_ms: f64,
    pub cap_ms: f64,
}

impl Default for Backoff {
    fn default() -> Backoff {
        Backoff {
            base_ms: 2_000.0,
            cap_ms: 5.0 * 60_000.0,
        }
    }
}

impl Backoff {
    /// The wait before retry number `failures` (1 = first retry); `random` in `[0, 1)`.
    pub fn delay_ms(&self, failures: u32, random: f64) -> f64 {
        let exp = self.base_ms * 2f64.powi(failures.saturating_sub(1).min(30) as i32);
        let d = exp.min(self.cap_ms);
        d / 2.0 + d / 2.0 * random.clamp(0.0, 1.0)
    }

    /// The wait before the next retry when the platform (or a proxy) said how long to wait
    /// (`Retry-After`, in seconds): never sooner than it asked, never longer than the cap.
    pub fn honouring(&self, delay_ms: f64, retry_after_s: Option<u32>) -> f64 {
        let asked = retry_after_s.map_or(0.0, |s| f64::from(s) * 1000.0);
        delay_ms.max(asked.min(self.cap_ms))
    }
}

/// A `Retry-After` header in its seconds form (`"120"`); the HTTP-date form is not read (the
/// backoff applies then).
pub fn retry_after_s(header: &str) -> Option<u32> {
    let h = header.trim();
    (!h.is_empty() && h.len() <= 9 && h.bytes().all(|b| b.is_ascii_digit()))
        .then(|| h.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_sets_the_least_wait_up_to_the_cap() {
        assert_eq!(retry_after_s("20"), Some(20));
        assert_eq!(retry_after_s(" 120 "), Some(120));
        assert_eq!(retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(retry_after_s("-1"), None);
        assert_eq!(retry_after_s(""), None);
        assert_eq!(retry_after_s("99999999999"), None);
        let b = Backoff::default();
        assert_eq!(b.honouring(1_500.0, Some(20)), 20_000.0);
        assert_eq!(b.honouring(30_000.0, Some(20)), 30_000.0);
        assert_eq!(b.honouring(1_500.0, None), 1_500.0);
        assert_eq!(b.honouring(1_500.0, Some(86_400)), b.cap_ms);
    }

    #[test]
    fn a_lease_keeps_other_tabs_out_until_it_expires() {
        let held = Lease::parse("tab-a 100000").unwrap();
        assert_eq!(held.tab, "tab-a");
        assert_eq!(Lease::parse(&held.to_text()), Some(held.clone()));
        assert!(!Lease::may_take(Some(&held), "tab-b", 99_999));
        assert!(Lease::may_take(Some(&held), "tab-a", 99_999));
        assert!(Lease::may_take(Some(&held), "tab-b", 100_000));
        assert!(Lease::may_take(None, "tab-b", 0));
        assert_eq!(Lease::parse("garbage"), None);
        assert_eq!(Lease::parse(" 5"), None);
    }

    #[test]
    fn answers_are_classified_as_the_design_says() {
        assert_eq!(classify(None), Outcome::RetryLater);
        assert_eq!(classify(Some(200)), Outcome::Ok);
        assert_eq!(classify(Some(503)), Outcome::RetryLater);
        assert_eq!(classify(Some(429)), Outcome::RetryLater);
        assert_eq!(classify(Some(401)), Outcome::Reenroll);
        assert_eq!(classify(Some(400)), Outcome::Refused);
        assert_eq!(classify(Some(413)), Outcome::Refused);
    }

    #[test]
    fn a_batch_too_large_is_halved_down_to_one_item() {
        assert_eq!(smaller_batch(100), Some(50));
        assert_eq!(smaller_batch(3), Some(1));
        assert_eq!(smaller_batch(2), Some(1));
        assert_eq!(smaller_batch(1), None);
    }

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let b = Backoff::default();
        assert_eq!(b.delay_ms(1, 0.0), 1_000.0);
        assert_eq!(b.delay_ms(1, 1.0), 2_000.0);
        assert_eq!(b.delay_ms(2, 0.0), 2_000.0);
        assert_eq!(b.delay_ms(4, 1.0), 16_000.0);
        assert_eq!(b.delay_ms(50, 1.0), 300_000.0, "capped at five minutes");
        assert!(
            b.delay_ms(50, 0.0) >= 150_000.0,
            "jitter never drops below half"
        );
    }
}
