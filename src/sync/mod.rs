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
}

#[cfg(test)]
mod tests {
    use super::*;

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
