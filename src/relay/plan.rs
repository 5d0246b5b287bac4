//! The relay's rules, plain and tested natively: what a phone offers, what it remembers about
//! a hand-over, and what it passes on. The screens only call these.

use crate::store::model::{ContentItem, OutboxEntry, OutboxState};
use linli_protocol::published::Alert;
use linli_protocol::signing::Envelope;
use linli_protocol::sync::{PushItem, PushedKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many offers (message id → record ids) a phone remembers for receipts.
const OFFERS_KEPT: usize = 8;
/// At most this many signed items are passed on in one message (newest first).
pub const MAX_PASSED_ON: usize = 12;

/// The records a phone hands to a volunteer: everything still waiting to be sent, exactly as
/// it would be pushed. Refused and parked records are not offered (the platform would refuse
/// them again), nor records this phone carries for others (a box is not put in a box).
pub fn records_to_hand(entries: &[OutboxEntry]) -> Vec<PushItem> {
    entries
        .iter()
        .filter(|e| matches!(e.state, OutboxState::Queued | OutboxState::InFlight))
        .filter(|e| e.kind != PushedKind::Relayed.as_str())
        .filter_map(|e| {
            Some(PushItem {
                id: e.id.clone(),
                kind: e.kind.clone(),
                body: serde_json::from_str(&e.body).ok()?,
            })
        })
        .collect()
}

/// The offers this phone showed (meta `relay_offered`): message id → the record ids in it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Offers(Vec<(String, Vec<String>)>);

impl Offers {
    pub fn read(json: Option<&str>) -> Offers {
        json.and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default()
    }

    /// Remembers an offer (the newest few are kept).
    pub fn remember(&mut self, message: &str, ids: Vec<String>) {
        self.0.retain(|(m, _)| m != message);
        self.0.push((message.to_owned(), ids));
        let extra = self.0.len().saturating_sub(OFFERS_KEPT);
        self.0.drain(..extra);
    }

    /// The records of a receipt's message, if this phone offered it and the count matches.
    pub fn receipt(&self, message: &str, count: usize) -> Option<&[String]> {
        self.0
            .iter()
            .find(|(m, ids)| m == message && ids.len() == count)
            .map(|(_, ids)| ids.as_slice())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Records handed to a volunteer (meta `relay_handed`): id → when (Unix ms).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Handed(BTreeMap<String, f64>);

impl Handed {
    pub fn read(json: Option<&str>) -> Handed {
        json.and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default()
    }

    /// Marks `ids` handed at `now`; ids no longer waiting (`unsent`) are forgotten.
    pub fn mark(&mut self, ids: &[String], now: f64, unsent: &[String]) {
        for id in ids {
            self.0.insert(id.clone(), now);
        }
        self.0.retain(|id, _| unsent.contains(id));
    }

    /// How many of the records still waiting were handed to a volunteer: they are with a
    /// volunteer, not yet at the community (the platform's own answer clears them).
    pub fn waiting(&self, unsent: &[String]) -> usize {
        unsent.iter().filter(|id| self.0.contains_key(*id)).count()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The signed envelope kept in a published item's body (`signed`, see the store's model).
fn signed_of(body: &serde_json::Value) -> Option<Envelope> {
    serde_json::from_value(body.get("signed")?.clone()).ok()
}

/// The signed items to pass on: alerts still in force first (newest first), then rebuttals,
/// at most [`MAX_PASSED_ON`]; only items that came signed.
pub fn content_to_pass(
    alerts: &[ContentItem],
    rebuttals: &[ContentItem],
    now_ms: i64,
) -> Vec<Envelope> {
    let mut live: Vec<(i64, Envelope)> = alerts
        .iter()
        .filter_map(|c| {
            let body: serde_json::Value = serde_json::from_str(&c.body).ok()?;
            let signed = signed_of(&body)?;
            let a: Alert = serde_json::from_value(body).ok()?;
            (a.expires.unix_ms() > now_ms).then_some((a.sent.unix_ms(), signed))
        })
        .collect();
    live.sort_by_key(|(sent, _)| std::cmp::Reverse(*sent));
    live.into_iter()
        .map(|(_, s)| s)
        .chain(
            rebuttals
                .iter()
                .rev()
                .filter_map(|c| signed_of(&serde_json::from_str(&c.body).ok()?)),
        )
        .take(MAX_PASSED_ON)
        .collect()
}

/// The body to store for an item that arrived from another phone: its signed payload with the
/// envelope kept inside, as a pulled item's (so it can be passed on again).
pub fn stored_body(payload: &str, envelope: &Envelope) -> Option<String> {
    let mut body: serde_json::Value = serde_json::from_str(payload).ok()?;
    body.as_object_mut()?
        .insert("signed".into(), serde_json::to_value(envelope).ok()?);
    serde_json::to_string(&body).ok()
}

/// The frames in a relay file: one per line. Only line ends are taken off — a space is a
/// base45 character, so a frame may end with one.
pub fn file_frames(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Counts of carried records by kind, in the protocol's kind order.
pub fn by_kind(kinds: impl Iterator<Item = PushedKind>) -> Vec<(PushedKind, usize)> {
    let mut counts: Vec<(PushedKind, usize)> = Vec::new();
    for k in kinds {
        match counts.iter_mut().find(|(c, _)| *c == k) {
            Some((_, n)) => *n += 1,
            None => counts.push((k, 1)),
        }
    }
    counts.sort_by_key(|(k, _)| PushedKind::ALL.iter().position(|a| a == k));
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, kind: &str, state: OutboxState) -> OutboxEntry {
        OutboxEntry {
            id: id.into(),
            kind: kind.into(),
            body: r#"{"a":1}"#.into(),
            state,
            created_ms: 0.0,
            attempts: 0,
            error: None,
        }
    }

    #[test]
    fn only_records_still_waiting_are_handed_exactly_as_they_would_be_pushed() {
        let entries = [
            entry("1", "health_report", OutboxState::Queued),
            entry("2", "help_request", OutboxState::InFlight),
            entry("3", "help_request", OutboxState::Rejected),
            entry("4", "health_report", OutboxState::Parked),
            entry("5", "relayed", OutboxState::Queued),
        ];
        let items = records_to_hand(&entries);
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["1", "2"]);
        assert_eq!(items[0].body, serde_json::json!({"a": 1}));
    }

    #[test]
    fn a_receipt_counts_only_for_a_message_this_phone_offered_with_the_same_count() {
        let mut offers = Offers::read(None);
        offers.remember("ABC123", vec!["1".into(), "2".into()]);
        let offers = Offers::read(Some(&offers.to_json()));
        assert_eq!(
            offers.receipt("ABC123", 2),
            Some(&["1".to_owned(), "2".to_owned()][..])
        );
        assert_eq!(offers.receipt("ABC123", 3), None);
        assert_eq!(offers.receipt("FFFFFF", 2), None);
        let mut many = Offers::default();
        for i in 0..20 {
            many.remember(&format!("{i:06}"), vec![]);
        }
        assert_eq!(many.receipt("000000", 0), None, "old offers are forgotten");
        assert!(many.receipt("000019", 0).is_some());
    }

    #[test]
    fn handed_records_count_until_the_community_has_them() {
        let mut h = Handed::read(Some("not json"));
        let unsent = vec!["1".to_owned(), "2".to_owned(), "3".to_owned()];
        h.mark(&["1".into(), "2".into()], 5.0, &unsent);
        assert_eq!(h.waiting(&unsent), 2);
        // The platform acknowledged record 1: it is not waiting any more.
        let unsent = vec!["2".to_owned(), "3".to_owned()];
        assert_eq!(h.waiting(&unsent), 1);
        let h = Handed::read(Some(&h.to_json()));
        assert_eq!(h.waiting(&unsent), 1);
    }

    fn envelope(id: &str) -> Envelope {
        Envelope {
            v: 1,
            kid: "k".into(),
            kind: "alert".into(),
            id: id.into(),
            payload: "{}".into(),
            sig: "s".into(),
        }
    }

    fn item(kind: &str, id: &str, body: String, signed: bool) -> ContentItem {
        let body = if signed {
            stored_body(&body, &envelope(id)).unwrap()
        } else {
            body
        };
        ContentItem {
            key: format!("{kind}:{id}"),
            kind: kind.into(),
            id: id.into(),
            body,
        }
    }

    fn alert(sent: &str, expires: &str) -> String {
        serde_json::json!({
            "identifier": "x", "sender_name": {"en": "O"}, "sent": sent, "status": "actual",
            "msg_type": "alert", "category": ["met"], "event": {"en": "E"}, "urgency": "immediate",
            "severity": "severe", "certainty": "observed", "response_type": [],
            "headline": {"en": "H"}, "description": {"en": "D"}, "instruction": {"en": "I"},
            "expires": expires, "area": {"desc": {"en": "A"}, "grids": [], "buildings": []}
        })
        .to_string()
    }

    #[test]
    fn alerts_in_force_newest_first_then_rebuttals_only_if_signed() {
        let now = 1_800_000_000_000;
        let alerts = [
            item(
                "alert",
                "old",
                alert("2027-01-01T00:00:00Z", "2027-01-02T00:00:00Z"),
                true,
            ),
            item(
                "alert",
                "a1",
                alert("2027-01-01T00:00:00Z", "2099-01-01T00:00:00Z"),
                true,
            ),
            item(
                "alert",
                "a2",
                alert("2027-02-01T00:00:00Z", "2099-01-01T00:00:00Z"),
                true,
            ),
            item(
                "alert",
                "unsigned",
                alert("2027-03-01T00:00:00Z", "2099-01-01T00:00:00Z"),
                false,
            ),
        ];
        let rebuttals = [item("rebuttal", "r1", "{}".into(), true)];
        let ids: Vec<String> = content_to_pass(&alerts, &rebuttals, now)
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(ids, ["a2", "a1", "r1"]);
    }

    #[test]
    fn an_item_from_another_phone_keeps_its_envelope_and_still_reads_as_its_kind() {
        let body = stored_body(
            &alert("2027-01-01T00:00:00Z", "2099-01-01T00:00:00Z"),
            &envelope("a1"),
        )
        .unwrap();
        let a: Alert = serde_json::from_str(&body).unwrap();
        assert_eq!(a.headline.get("en"), "H");
        let again = signed_of(&serde_json::from_str(&body).unwrap()).unwrap();
        assert_eq!(again, envelope("a1"));
        assert_eq!(stored_body("not json", &envelope("a1")), None);
    }

    #[test]
    fn a_file_gives_back_its_frames_exactly_even_ending_with_a_space() {
        let text = "LL1/01/02/ABCDEF/AB \r\nLL1/02/02/ABCDEF/ C\n\n";
        assert_eq!(
            file_frames(text),
            ["LL1/01/02/ABCDEF/AB ", "LL1/02/02/ABCDEF/ C"]
        );
    }

    #[test]
    fn kinds_are_counted_in_protocol_order() {
        let kinds = [
            PushedKind::HelpRequest,
            PushedKind::HealthReport,
            PushedKind::HelpRequest,
        ];
        assert_eq!(
            by_kind(kinds.into_iter()),
            [(PushedKind::HealthReport, 1), (PushedKind::HelpRequest, 2)]
        );
    }
}
