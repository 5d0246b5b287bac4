//! Web Push: the subscription a phone sends, the notification payload the platform encrypts for
//! it, the words of the notification's title in each language, and the per-alert delivery counts
//! staff see.
//!
//! Which alerts wake a phone is decided here too ([`wakes_phones`]), so the platform and its
//! tests agree on it.

use crate::published::{Alert, AlertStatus, MsgType, Severity};
use serde::{Deserialize, Serialize};

/// The languages a phone can choose; a subscription says which one its notifications use.
pub const LANGS: [&str; 3] = ["zh-Hant", "zh-Hans", "en"];

/// A phone's push subscription, as the browser's `PushSubscription.toJSON()` gives it, with the
/// language the phone shows. Sent again whenever the subscription or the language changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushSubscriptionInput {
    pub endpoint: PushEndpoint,
    pub keys: PushKeys,
    pub lang: PushLang,
}

/// The subscription's keys (RFC 8291): the phone's P-256 public key and its auth secret,
/// base64url.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushKeys {
    pub p256dh: B64Key<65>,
    pub auth: B64Key<16>,
}

/// The push service URL: `https://`, or `http://` to this machine (a local push service).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(try_from = "String", into = "String")]
pub struct PushEndpoint(String);

/// The longest endpoint accepted (push services' URLs are a few hundred characters).
pub const MAX_ENDPOINT_CHARS: usize = 2000;

impl PushEndpoint {
    pub fn parse(s: &str) -> Result<PushEndpoint, String> {
        if s.len() > MAX_ENDPOINT_CHARS {
            return Err(format!("must be at most {MAX_ENDPOINT_CHARS} characters"));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("must be a URL without spaces".into());
        }
        let (secure, rest) = match (s.strip_prefix("https://"), s.strip_prefix("http://")) {
            (Some(rest), _) => (true, rest),
            (_, Some(rest)) => (false, rest),
            _ => return Err("must be an https:// URL".into()),
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        // A user name would move the real host behind an innocent-looking prefix.
        if authority.is_empty() || authority.contains(['@', '\\']) {
            return Err("must be an https:// URL with a host and no user name".into());
        }
        if !secure && !PushEndpoint::is_loopback_authority(authority) {
            return Err("must be an https:// URL".into());
        }
        Ok(PushEndpoint(s.to_owned()))
    }

    /// `127.0.0.1`, `localhost` or `[::1]`, with or without a port.
    fn is_loopback_authority(authority: &str) -> bool {
        if let Some(rest) = authority.strip_prefix("[::1]") {
            return rest.is_empty() || rest.starts_with(':');
        }
        let host = authority.split(':').next().unwrap_or_default();
        host == "127.0.0.1" || host == "localhost"
    }

    /// A plain-http endpoint on this machine: a local push service, which only a platform
    /// started for development or tests accepts (`--push-allow-loopback`).
    pub fn is_loopback(&self) -> bool {
        self.0.starts_with("http://")
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PushEndpoint {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}
impl From<PushEndpoint> for String {
    fn from(e: PushEndpoint) -> String {
        e.0
    }
}

/// A base64url key of exactly `N` bytes (padding optional).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(try_from = "String", into = "String")]
pub struct B64Key<const N: usize>(String);

impl<const N: usize> B64Key<N> {
    pub fn parse(s: &str) -> Result<Self, String> {
        let bare = s.trim_end_matches('=');
        let chars = (N * 4).div_ceil(3);
        let ok = bare.len() == chars
            && bare
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(B64Key(bare.to_owned()))
        } else {
            Err(format!(
                "must be {N} bytes in base64url ({chars} characters)"
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<const N: usize> TryFrom<String> for B64Key<N> {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}
impl<const N: usize> From<B64Key<N>> for String {
    fn from(k: B64Key<N>) -> String {
        k.0
    }
}

/// One of [`LANGS`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(try_from = "String", into = "String")]
pub struct PushLang(String);

impl PushLang {
    pub fn parse(s: &str) -> Result<PushLang, String> {
        if LANGS.contains(&s) {
            Ok(PushLang(s.to_owned()))
        } else {
            Err("must be one of zh-Hant, zh-Hans, en".into())
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PushLang {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}
impl From<PushLang> for String {
    fn from(l: PushLang) -> String {
        l.0
    }
}

/// The platform's VAPID public key (uncompressed P-256 point, base64url), for
/// `pushManager.subscribe({applicationServerKey})`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VapidKey {
    pub public_key: String,
}

/// How an alert's push notifications went, per device in its area.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushStats {
    /// Whether this alert wakes phones at all (severe, extreme, or marked `notify`).
    pub notifies: bool,
    /// Devices whose push service accepted the latest version of the alert.
    pub notified: u32,
    /// Waiting to be sent or retried.
    pub pending: u32,
    /// Given up: the push service refused, or kept failing.
    pub failed: u32,
    /// Devices in the area that have no push subscription (never allowed notifications).
    pub no_subscription: u32,
}

/// What the service worker receives (decrypted): everything to show the notification, already
/// in the phone's language. Public content only: nothing about the household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushPayload {
    /// The alert's id: the notification's tag (an update replaces it) and where a click opens.
    pub alert_id: String,
    pub title: String,
    pub body: String,
    pub lang: String,
    pub drill: bool,
    pub cancelled: bool,
    pub severity: Severity,
}

/// The largest payload sent (push services accept 4 KB of ciphertext; the body is cut to fit).
pub const MAX_PAYLOAD_BYTES: usize = 3000;

/// Whether an alert wakes subscribed phones: severe or extreme, or marked `notify`.
pub fn wakes_phones(alert: &Alert) -> bool {
    alert.notify || matches!(alert.severity, Severity::Extreme | Severity::Severe)
}

/// The notification words of one language.
struct Words {
    severity: [&'static str; 5],
    drill: &'static str,
    cancelled: &'static str,
}

fn words(lang: &str) -> Words {
    match lang {
        "zh-Hans" => Words {
            severity: ["特别严重", "严重", "中等", "轻微", "未知"],
            drill: "【演练】",
            cancelled: "【已取消】",
        },
        "en" => Words {
            severity: ["Extreme", "Severe", "Moderate", "Minor", "Unknown"],
            drill: "[DRILL] ",
            cancelled: "[Cancelled] ",
        },
        _ => Words {
            severity: ["特別嚴重", "嚴重", "中等", "輕微", "未知"],
            drill: "【演練】",
            cancelled: "【已取消】",
        },
    }
}

/// The payload for `alert` in `lang`: title "[drill][cancelled]severity · headline", body the
/// instruction (what to do), cut so the JSON stays under [`MAX_PAYLOAD_BYTES`].
pub fn payload(alert_id: &str, alert: &Alert, lang: &str) -> PushPayload {
    let w = words(lang);
    let drill = matches!(alert.status, AlertStatus::Exercise | AlertStatus::Test);
    let cancelled = alert.msg_type == MsgType::Cancel;
    let severity = w.severity[alert.severity as usize];
    let mut title = String::new();
    if drill {
        title.push_str(w.drill);
    }
    if cancelled {
        title.push_str(w.cancelled);
    }
    title.push_str(severity);
    title.push_str(" · ");
    title.push_str(&cut(alert.headline.get(lang), 200));
    let body = alert.instruction.get(lang);
    let mut p = PushPayload {
        alert_id: alert_id.to_owned(),
        title,
        body: cut(body, 600),
        lang: lang.to_owned(),
        drill,
        cancelled,
        severity: alert.severity,
    };
    // Escaping can grow the JSON; shorten the body until it fits.
    let mut chars = 600;
    while serde_json::to_vec(&p).map_or(0, |v| v.len()) > MAX_PAYLOAD_BYTES && chars > 0 {
        chars /= 2;
        p.body = cut(body, chars);
    }
    p
}

/// At most `n` characters, with an ellipsis when cut.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(severity: &str, status: &str, msg_type: &str, instruction: &str) -> Alert {
        serde_json::from_value(serde_json::json!({
            "identifier": "linli-a1", "sender_name": {"en": "Office"}, "sent": "2026-11-28T10:00:00Z",
            "status": status, "msg_type": msg_type, "category": ["met"],
            "event": {"en": "Typhoon"}, "urgency": "immediate", "severity": severity,
            "certainty": "observed", "headline": {"en": "Typhoon signal 8", "zh-Hant": "八號風球"},
            "description": {"en": "Strong winds"}, "instruction": {"en": instruction},
            "expires": "2099-01-01T00:00:00Z", "area": {"desc": {"en": "All"}}
        }))
        .unwrap()
    }

    #[test]
    fn severe_and_extreme_wake_phones_and_others_only_when_marked() {
        assert!(wakes_phones(&alert("extreme", "actual", "alert", "x")));
        assert!(wakes_phones(&alert("severe", "actual", "alert", "x")));
        let mut moderate = alert("moderate", "actual", "alert", "x");
        assert!(!wakes_phones(&moderate));
        moderate.notify = true;
        assert!(wakes_phones(&moderate));
    }

    #[test]
    fn the_title_carries_severity_drill_and_cancel_in_the_phones_language() {
        let a = alert("extreme", "actual", "alert", "Stay indoors");
        let en = payload("a1", &a, "en");
        assert_eq!(en.title, "Extreme · Typhoon signal 8");
        assert_eq!(en.body, "Stay indoors");
        let zh = payload("a1", &a, "zh-Hant");
        assert_eq!(zh.title, "特別嚴重 · 八號風球");
        // No Simplified headline: the Traditional one, never an empty title.
        assert_eq!(payload("a1", &a, "zh-Hans").title, "特别严重 · 八號風球");
        let drill = payload(
            "a1",
            &alert("severe", "exercise", "alert", "Go to the hall"),
            "zh-Hant",
        );
        assert!(drill.drill);
        assert_eq!(drill.title, "【演練】嚴重 · 八號風球");
        assert_eq!(
            drill.body, "Go to the hall",
            "no Chinese instruction: the English one"
        );
        let cancel = payload("a1", &alert("severe", "actual", "cancel", "x"), "zh-Hant");
        assert!(cancel.cancelled && cancel.title.starts_with("【已取消】嚴重"));
    }

    #[test]
    fn a_long_alert_is_cut_to_fit_the_payload_limit() {
        let long = "\"引號\"".repeat(2000);
        let p = payload("a1", &alert("severe", "actual", "alert", &long), "en");
        let bytes = serde_json::to_vec(&p).unwrap().len();
        assert!(bytes <= MAX_PAYLOAD_BYTES, "{bytes}");
        assert!(p.body.ends_with('…'));
    }

    #[test]
    fn subscriptions_are_checked_field_by_field() {
        assert!(PushEndpoint::parse("https://fcm.googleapis.com/fcm/send/abc").is_ok());
        assert!(PushEndpoint::parse("http://127.0.0.1:9/push/1").is_ok());
        assert!(PushEndpoint::parse("http://push.example/1").is_err());
        assert!(PushEndpoint::parse("http://localhost:1@10.0.0.5:8080/x").is_err());
        assert!(PushEndpoint::parse("https://user@push.example/1").is_err());
        assert!(PushEndpoint::parse("http://127.0.0.1.evil.example/1").is_err());
        assert!(PushEndpoint::parse("http://[::1]:9/p")
            .unwrap()
            .is_loopback());
        assert!(!PushEndpoint::parse("https://push.example/1")
            .unwrap()
            .is_loopback());
        assert!(PushEndpoint::parse("https://").is_err());
        assert!(PushEndpoint::parse("javascript:alert(1)").is_err());
        let key = "B".repeat(87);
        assert!(B64Key::<65>::parse(&key).is_ok());
        assert!(B64Key::<65>::parse(&key[1..]).is_err());
        assert!(B64Key::<16>::parse("AAAAAAAAAAAAAAAAAAAAAA==").is_ok());
        assert!(B64Key::<16>::parse("AAAAAAAAAAAAAAAAAAAA+/").is_err());
        assert!(PushLang::parse("fr").is_err());
        let err = serde_json::from_value::<PushSubscriptionInput>(serde_json::json!({
            "endpoint": "https://push.example/1", "keys": {"p256dh": "short", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}, "lang": "en"
        }))
        .unwrap_err()
        .to_string();
        assert!(err.contains("65 bytes"), "{err}");
    }
}
