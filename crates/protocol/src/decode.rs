//! Every decoder the platform runs on untrusted bytes, in one place, for the fuzzers
//! (`cargo xtask fuzz`) and the short property test CI runs (`tests/decoders.rs`). Each
//! function must return for any input — never panic — and whatever it accepts must survive a
//! round trip: serialized again, it is accepted again and equal.

use crate::limits::Checked;
use crate::published::{AlertInput, Facility, Guide, Notice, Rebuttal};
use crate::sync::{self, PulledKind, PulledRecord, PushRequest, PushedKind, PushedRecord};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The platform's clock for these checks: a fixed instant, so runs are reproducible.
pub const NOW_MS: i64 = 1_796_000_000_000;

/// A push request body, as `POST /api/v1/sync/push` reads it: the envelope, then each item.
/// Returns how many items were accepted.
pub fn push_envelope(bytes: &[u8]) -> usize {
    let Ok(push) = sync::parse_body::<PushRequest>(bytes) else {
        return 0;
    };
    push.items
        .iter()
        .filter(|item| {
            item.validate()
                .and_then(|(_, record)| record.check(NOW_MS).map(|()| record))
                .map(|record| round_trip_pushed(&record))
                .is_ok()
        })
        .count()
}

fn round_trip_pushed(record: &PushedRecord) {
    let again = PushedRecord::parse(record.kind(), &record.to_value())
        .unwrap_or_else(|e| panic!("{:?} did not parse again: {e}", record.kind()));
    assert_eq!(&again, record, "round trip changed a {:?}", record.kind());
}

/// One pushed kind's body (the kind chosen by `selector`).
pub fn pushed_body(selector: u8, bytes: &[u8]) -> bool {
    let kind = PushedKind::ALL[selector as usize % PushedKind::ALL.len()];
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return false;
    };
    match PushedRecord::parse(kind, &value) {
        Ok(record) => {
            let _ = record.check(NOW_MS);
            round_trip_pushed(&record);
            true
        }
        Err(_) => false,
    }
}

fn staff_body<T: DeserializeOwned + Serialize + Checked + PartialEq + std::fmt::Debug>(
    bytes: &[u8],
) -> bool {
    let Ok(value) = sync::parse_body::<T>(bytes) else {
        return false;
    };
    let _ = value.check(NOW_MS);
    let text = serde_json::to_vec(&value).unwrap_or_default();
    let again: T = sync::parse_body(&text).unwrap_or_else(|e| panic!("did not parse again: {e}"));
    assert_eq!(again, value, "round trip changed a staff body");
    true
}

/// One published kind: a staff body as the publishing endpoints read it, or (for selector
/// values past those) a pulled record as phones read it.
pub fn published_body(selector: u8, bytes: &[u8]) -> bool {
    match selector % 11 {
        0 => staff_body::<AlertInput>(bytes),
        1 => staff_body::<Rebuttal>(bytes),
        2 => staff_body::<Notice>(bytes),
        3 => staff_body::<Guide>(bytes),
        4 => staff_body::<Facility>(bytes),
        n => {
            let kind = PulledKind::ALL[(n as usize - 5) % PulledKind::ALL.len()];
            let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
                return false;
            };
            match PulledRecord::parse(kind, &value) {
                Ok(record) => {
                    let again = PulledRecord::parse(kind, &record.to_value())
                        .unwrap_or_else(|e| panic!("{kind:?} did not parse again: {e}"));
                    assert_eq!(again, record, "round trip changed a {kind:?}");
                    true
                }
                Err(_) => false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoders_take_garbage_and_accept_valid_bodies() {
        assert_eq!(push_envelope(b"not json"), 0);
        assert_eq!(
            push_envelope(br#"{"items":[{"id":"x","kind":"y","body":1}]}"#),
            0
        );
        let ok = br#"{"items":[{"id":"0190c7a8-3b1e-7c2d-8f00-000000000001","kind":"rumor_tip",
            "body":{"text":"water is poisoned","at":"2026-11-28T09:00:00Z"}}]}"#;
        assert_eq!(push_envelope(ok), 1);
        assert!(pushed_body(
            5,
            br#"{"text":"x","at":"2026-11-28T09:00:00Z"}"#
        ));
        assert!(!published_body(0, b"[]"));
    }
}
