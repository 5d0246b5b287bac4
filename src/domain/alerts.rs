//! Which alerts are active, in what order they are shown, and which deserve a notification.

use crate::ordering::sort_by_rank;
use linli_protocol::published::{Alert, AlertStatus, MsgType, Severity};

/// Higher is more severe; used to put the most serious alert first.
pub fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Extreme => 4,
        Severity::Severe => 3,
        Severity::Moderate => 2,
        Severity::Minor => 1,
        Severity::Unknown => 0,
    }
}

/// An alert is active until it expires or is cancelled; the phone's clock decides, so an
/// expired alert moves to the past list with no network.
pub fn is_active(a: &Alert, now_ms: f64) -> bool {
    a.msg_type != MsgType::Cancel && (a.expires.unix_ms() as f64) > now_ms
}

/// A drill or a test: always marked DRILL.
pub fn is_drill(a: &Alert) -> bool {
    a.status != AlertStatus::Actual
}

/// Active and past alerts.
pub type Split<T> = (Vec<(T, Alert)>, Vec<(T, Alert)>);

/// Splits alerts into (active, past): active most severe first then newest, past newest first.
pub fn split<T>(mut alerts: Vec<(T, Alert)>, now_ms: f64) -> Split<T> {
    sort_by_rank(&mut alerts, |(_, a)| (-a.sent.unix_ms(), 0));
    let (mut active, past): (Vec<_>, Vec<_>) =
        alerts.into_iter().partition(|(_, a)| is_active(a, now_ms));
    sort_by_rank(&mut active, |(_, a)| {
        (-i64::from(severity_rank(a.severity)), -a.sent.unix_ms())
    });
    (active, past)
}

/// A newly pulled alert of moderate severity or above gets a banner (and a notification
/// where the resident allowed them).
pub fn deserves_notice(a: &Alert, now_ms: f64) -> bool {
    is_active(a, now_ms) && severity_rank(a.severity) >= severity_rank(Severity::Moderate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(severity: &str, sent: &str, expires: &str, msg_type: &str, status: &str) -> Alert {
        serde_json::from_value(serde_json::json!({
            "identifier": format!("a-{sent}"), "sender_name": {"en": "Office"}, "sent": sent,
            "status": status, "msg_type": msg_type, "category": ["met"], "event": {"en": "Typhoon"},
            "urgency": "expected", "severity": severity, "certainty": "likely",
            "headline": {"en": "h"}, "description": {"en": "d"}, "instruction": {"en": "i"},
            "expires": expires, "area": {"desc": {"en": "all"}}
        }))
        .unwrap()
    }

    const NOW: f64 = 1_795_000_000_000.0; // 2026-11-18

    #[test]
    fn active_alerts_come_most_severe_first_and_expired_or_cancelled_are_past() {
        let list = vec![
            (
                "minor",
                alert(
                    "minor",
                    "2026-11-18T01:00:00Z",
                    "2027-01-01T00:00:00Z",
                    "alert",
                    "actual",
                ),
            ),
            (
                "extreme",
                alert(
                    "extreme",
                    "2026-11-17T01:00:00Z",
                    "2027-01-01T00:00:00Z",
                    "update",
                    "actual",
                ),
            ),
            (
                "expired",
                alert(
                    "severe",
                    "2026-11-10T01:00:00Z",
                    "2026-11-11T00:00:00Z",
                    "alert",
                    "actual",
                ),
            ),
            (
                "cancelled",
                alert(
                    "severe",
                    "2026-11-16T01:00:00Z",
                    "2027-01-01T00:00:00Z",
                    "cancel",
                    "actual",
                ),
            ),
        ];
        let (active, past) = split(list, NOW);
        assert_eq!(
            active.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            ["extreme", "minor"]
        );
        assert_eq!(
            past.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            ["cancelled", "expired"]
        );
    }

    #[test]
    fn moderate_and_above_deserve_a_notice_drills_are_marked() {
        let moderate = alert(
            "moderate",
            "2026-11-18T01:00:00Z",
            "2027-01-01T00:00:00Z",
            "alert",
            "exercise",
        );
        assert!(deserves_notice(&moderate, NOW));
        assert!(is_drill(&moderate));
        let minor = alert(
            "minor",
            "2026-11-18T01:00:00Z",
            "2027-01-01T00:00:00Z",
            "alert",
            "actual",
        );
        assert!(!deserves_notice(&minor, NOW));
        assert!(!is_drill(&minor));
        let expired = alert(
            "extreme",
            "2026-11-10T01:00:00Z",
            "2026-11-11T00:00:00Z",
            "alert",
            "actual",
        );
        assert!(!deserves_notice(&expired, NOW));
    }
}
