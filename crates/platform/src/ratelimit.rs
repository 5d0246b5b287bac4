//! Per-client-IP rate limits for enrolment and staff sign-in (guessing codes and passwords).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The window of the sign-in and enrolment limits, in seconds; a 429 asks the client to wait
/// this long (`Retry-After`), the most it can take for the window to start again.
pub const WINDOW_S: u64 = 60;

/// A fixed-window counter per IP: at most `limit` attempts per `window`.
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            limit,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt; `false` when the IP is over its limit for the current window.
    pub fn allow(&self, ip: IpAddr) -> bool {
        self.allow_at(bucket(ip), Instant::now())
    }

    fn allow_at(&self, ip: IpAddr, now: Instant) -> bool {
        let Ok(mut seen) = self.seen.lock() else {
            return true;
        };
        if seen.len() > 10_000 {
            seen.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = seen.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit
    }
}

/// The address attempts are counted under: an IPv4 address, or an IPv6 address's /64 (one
/// subscriber gets a whole /64, so counting single v6 addresses would allow unlimited tries).
/// An IPv4-mapped IPv6 address counts as its IPv4 address.
pub fn bucket(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_of_one_slash_64_share_a_bucket() {
        let rl = RateLimiter::new(2, Duration::from_secs(60));
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert!(rl.allow(a));
        assert!(rl.allow(b));
        assert!(!rl.allow(a), "the third try from the same /64 is refused");
        assert!(rl.allow(other));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(bucket(mapped), "10.0.0.1".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn limits_each_ip_per_window() {
        let rl = RateLimiter::new(2, Duration::from_secs(60));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let t = Instant::now();
        assert!(rl.allow_at(a, t));
        assert!(rl.allow_at(a, t));
        assert!(!rl.allow_at(a, t));
        assert!(rl.allow_at(b, t), "another IP has its own budget");
        assert!(
            rl.allow_at(a, t + Duration::from_secs(61)),
            "a new window resets"
        );
    }
}
