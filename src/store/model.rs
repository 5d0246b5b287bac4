//! What the phone keeps, as plain structs (tested natively): outbox entries, the household's
//! own records, pulled content, and the rules for applying push results.

use linli_protocol::sync::{PushResult, PushStatus};
use serde::{Deserialize, Serialize};

/// Where an outbox entry stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting to be sent.
    Queued,
    /// Sent, answer not yet applied (back to `Queued` at start-up: re-sending is safe).
    InFlight,
    /// Refused for good by the platform; kept and shown, never dropped.
    Rejected,
    /// Made for a household this phone has since left (enrolled again into another one): kept,
    /// shown and exportable, never sent under the new household.
    Parked,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::InFlight => "in_flight",
            OutboxState::Rejected => "rejected",
            OutboxState::Parked => "parked",
        }
    }
}

/// A record waiting to reach the platform. Deleted only after the platform accepted it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub id: String,
    pub kind: String,
    /// The body as JSON text, exactly as it will be pushed.
    pub body: String,
    pub state: OutboxState,
    pub created_ms: f64,
    pub attempts: u32,
    #[serde(default)]
    pub error: Option<String>,
}

/// Whether a local record has reached the platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordSync {
    /// Only on this phone so far.
    Local,
    /// The platform has it.
    Sent,
    /// The platform refused it (see the outbox entry's error).
    Rejected,
}

/// One of the household's own records (a check-in, a request for help, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocalRecord {
    pub id: String,
    pub kind: String,
    pub body: String,
    pub sync: RecordSync,
    pub updated_ms: f64,
}

/// Published content (and the household's help requests) as last pulled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentItem {
    /// `kind:id`, the store key.
    pub key: String,
    pub kind: String,
    pub id: String,
    /// The item's JSON; a published item's also holds `signed`, the platform's signed envelope
    /// of it (`linli_protocol::signing::Envelope`), kept to pass it on during an outage.
    pub body: String,
}

/// One change of a pull page, as the store keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct PulledChange {
    pub kind: String,
    pub id: String,
    /// `None` for a tombstone (`op: delete`).
    pub body: Option<String>,
}

/// A pull page: its changes, the cursor after it, and whether to drop what was pulled before.
#[derive(Clone, Debug, PartialEq)]
pub struct PulledPage {
    pub changes: Vec<PulledChange>,
    pub next_cursor: i64,
    pub has_more: bool,
    pub reset: bool,
    /// The change log the cursor belongs to (absent from platforms before log ids).
    pub log_id: Option<String>,
}

/// Where a pull started: the enrolment (`device` meta), the cursor and the log id it was asked
/// from. A page is applied only if the phone is still there when it arrives.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PullFrom {
    pub device: Option<String>,
    pub cursor: Option<String>,
    pub log: Option<String>,
}

/// The order outbox entries are sent in: what others refer to first — household members, then
/// requests for help (actions refer to them), then everything else — and by creation time within
/// a kind. The kind comes first so that an edit's newer timestamp or a phone clock set back can
/// never put a report ahead of the member it is about.
pub fn send_rank(entry: &OutboxEntry) -> crate::ordering::Rank {
    use linli_protocol::sync::PushedKind;
    let kind = match PushedKind::parse(&entry.kind) {
        Some(PushedKind::HouseholdMember) => 0,
        Some(PushedKind::HelpRequest) => 1,
        _ => 2,
    };
    (kind, entry.created_ms as i64)
}

/// A key-value fact: the device enrolment, the pull cursor, the last sync time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub key: String,
    pub value: String,
}

/// What enrolling again means for what the phone holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reenrolment {
    /// The first enrolment: what was read before joining stays, and the pull starts over at 0,
    /// since the public pull's cursor skipped the household's own records (a phone joining a
    /// household that already has members, check-ins and requests reads them all).
    First,
    /// The same household again (a staff re-issue): everything is kept and what is unsent is
    /// sent.
    Keep,
    /// Another household: the pull cursor and pulled content start over, the household's own
    /// records leave the screens, and its unsent entries are parked — kept, never sent.
    Switch,
}

impl Reenrolment {
    /// Decides from the household enrolled before (if any) and the new one.
    pub fn between(before: Option<&str>, after: &str) -> Reenrolment {
        match before {
            None => Reenrolment::First,
            Some(b) if b != after => Reenrolment::Switch,
            Some(_) => Reenrolment::Keep,
        }
    }
}

/// What to do with an outbox entry given the platform's answer for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Settle {
    /// The platform holds it: delete the entry, mark the record sent.
    Done,
    /// Refused for good: keep it as rejected with this message.
    Rejected(String),
    /// Refused for now: queue it again.
    Retry,
}

/// Reads one push result.
pub fn settle(result: &PushResult) -> Settle {
    match result.status {
        PushStatus::Accepted | PushStatus::Duplicate => Settle::Done,
        PushStatus::Rejected if result.retryable == Some(true) => Settle::Retry,
        PushStatus::Rejected => {
            let code = result.code.as_deref().unwrap_or("rejected");
            Settle::Rejected(match &result.message {
                Some(m) => format!("{code}: {m}"),
                None => code.to_owned(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: &str, created_ms: f64) -> OutboxEntry {
        OutboxEntry {
            id: format!("{kind}-{created_ms}"),
            kind: kind.into(),
            body: "{}".into(),
            state: OutboxState::Queued,
            created_ms,
            attempts: 0,
            error: None,
        }
    }

    #[test]
    fn enrolling_again_keeps_the_same_household_and_switches_for_another() {
        assert_eq!(Reenrolment::between(None, "h1"), Reenrolment::First);
        assert_eq!(Reenrolment::between(Some("h1"), "h1"), Reenrolment::Keep);
        assert_eq!(Reenrolment::between(Some("h1"), "h2"), Reenrolment::Switch);
    }

    #[test]
    fn members_and_requests_are_sent_before_what_refers_to_them_whatever_the_clock() {
        // A report made at 1000, its member edited at 2000; a help action whose phone clock
        // went back before the request it acts on.
        let mut queue = vec![
            entry("health_report", 1000.0),
            entry("help_request_action", 500.0),
            entry("household_member", 2000.0),
            entry("help_request", 900.0),
            entry("alert_ack", 100.0),
        ];
        crate::ordering::sort_by_rank(&mut queue, send_rank);
        let kinds: Vec<&str> = queue.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "household_member",
                "help_request",
                "alert_ack",
                "help_request_action",
                "health_report"
            ]
        );
    }

    #[test]
    fn accepted_and_duplicate_are_done_rejections_are_kept() {
        assert_eq!(
            settle(&PushResult::ok("a", PushStatus::Accepted)),
            Settle::Done
        );
        assert_eq!(
            settle(&PushResult::ok("a", PushStatus::Duplicate)),
            Settle::Done
        );
        assert_eq!(
            settle(&PushResult::rejected("a", "busy", "later".into(), true)),
            Settle::Retry
        );
        assert_eq!(
            settle(&PushResult::rejected(
                "a",
                "invalid",
                "body.temperature_c: too high".into(),
                false
            )),
            Settle::Rejected("invalid: body.temperature_c: too high".into())
        );
    }
}
