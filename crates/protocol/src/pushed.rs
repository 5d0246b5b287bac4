//! Pushed kinds: records a phone creates (id = UUIDv7 made on the phone) and pushes.
//!
//! The platform refuses a pushed body with a field not defined here (`deny_unknown_fields`,
//! native builds). The phone only reads back bodies it wrote itself, so its wasm leaves the
//! check out (it would cost first-load bytes for nothing).

use crate::ids::Id;
use crate::text::Text;
use crate::time::{Date, Timestamp};
use serde::{Deserialize, Serialize};

/// Body temperature in °C, 34.0–43.0.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct TemperatureC(f64);

impl TemperatureC {
    pub const MIN: f64 = 34.0;
    pub const MAX: f64 = 43.0;
    pub fn new(c: f64) -> Result<TemperatureC, String> {
        if c.is_finite() && (Self::MIN..=Self::MAX).contains(&c) {
            Ok(TemperatureC(c))
        } else {
            // A literal, not `format!` of floats: float formatting would add kilobytes to the wasm.
            Err("must be between 34.0 and 43.0 °C".into())
        }
    }
    pub fn value(self) -> f64 {
        self.0
    }

    /// Reads what a person typed: "36.6", "36,6" (decimal comma) or "37", at most one decimal,
    /// spaces and a trailing "°C" / "°" allowed. Empty input is `Ok(None)` (temperature is
    /// optional).
    pub fn parse_input(input: &str) -> Result<Option<TemperatureC>, TemperatureInputError> {
        let s = input.trim();
        let s = s
            .strip_suffix("°C")
            .or_else(|| s.strip_suffix('°'))
            .or_else(|| s.strip_suffix("℃"))
            .unwrap_or(s)
            .trim();
        if s.is_empty() {
            return Ok(None);
        }
        let s = s.replace(['，', ','], ".");
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || (!frac.is_empty() && !digits(frac)) || s.ends_with('.') {
            return Err(TemperatureInputError::NotANumber);
        }
        if frac.len() > 1 {
            return Err(TemperatureInputError::TooPrecise);
        }
        // Whole tenths by integer arithmetic (no float parsing code in the wasm).
        let whole: u32 = whole
            .parse()
            .map_err(|_| TemperatureInputError::OutOfRange)?;
        let tenth = frac.bytes().next().map_or(0, |b| u32::from(b - b'0'));
        let tenths = whole.saturating_mul(10).saturating_add(tenth);
        TemperatureC::new(f64::from(tenths) / 10.0)
            .map(Some)
            .map_err(|_| TemperatureInputError::OutOfRange)
    }

    /// 37.3 °C and above counts as a fever for the daily check-in.
    pub fn is_fever(self) -> bool {
        self.0 >= 37.3 - 1e-9
    }
}

/// Why typed temperature text was refused (the app words each one for the person).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemperatureInputError {
    /// Not a number such as 36.6.
    NotANumber,
    /// More than one decimal.
    TooPrecise,
    /// Outside 34.0–43.0 °C.
    OutOfRange,
}
impl TryFrom<f64> for TemperatureC {
    type Error = String;
    fn try_from(c: f64) -> Result<TemperatureC, String> {
        TemperatureC::new(c)
    }
}
impl From<TemperatureC> for f64 {
    fn from(t: TemperatureC) -> f64 {
        t.0
    }
}

/// A year of birth, 1900 up to 2100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct BirthYear(i64);
impl TryFrom<i64> for BirthYear {
    type Error = String;
    fn try_from(y: i64) -> Result<BirthYear, String> {
        if (1900..=2100).contains(&y) {
            Ok(BirthYear(y))
        } else {
            Err("must be a year between 1900 and 2100".into())
        }
    }
}
impl From<BirthYear> for i64 {
    fn from(y: BirthYear) -> i64 {
        y.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MemberFlag {
    ElderlyAlone,
    Disabled,
    ChronicIllness,
    Pregnant,
    Infant,
}

impl MemberFlag {
    /// Whether building volunteers may see this flag when its member shares care flags: living
    /// alone and disability (for visits and evacuation); health conditions stay with staff.
    pub fn volunteers_may_see(self) -> bool {
        matches!(self, MemberFlag::ElderlyAlone | MemberFlag::Disabled)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Symptom {
    Fever,
    Cough,
    SoreThroat,
    ShortnessOfBreath,
    Fatigue,
    LossOfTasteSmell,
    Diarrhea,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HelpCategory {
    Medicine,
    FoodWater,
    MedicalCare,
    ElderlyCare,
    Utilities,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Normal,
    Urgent,
    LifeThreatening,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HelpAction {
    ConfirmResolved,
    Reopen,
    Cancel,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AckResponse {
    Safe,
    NeedHelp,
}

/// A person in the household. The id is the person: pushing the same id again with a new body
/// edits the profile (the one exception to "same id, other body → `id_conflict`"), and only the
/// person's own household may do so. The enrolled person's `member_id` can be edited this way.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct HouseholdMember {
    pub display_name: Text<1, 50>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<BirthYear>,
    #[serde(default)]
    pub flags: Vec<MemberFlag>,
    /// What this member lets the building's volunteers see (default: nothing).
    #[serde(
        default,
        skip_serializing_if = "crate::volunteer::VolunteerSharing::is_nothing"
    )]
    // The phone's wasm does not decode it here (first-load bytes): the one screen that edits it
    // reads it with `volunteer::SharingOnly`, so an edit keeps it.
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    pub share_with_volunteers: crate::volunteer::VolunteerSharing,
}

/// One member's health on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct HealthReport {
    pub member_id: Id,
    pub date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature_c: Option<TemperatureC>,
    #[serde(default)]
    pub symptoms: Vec<Symptom>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text<0, 500>>,
    pub reported_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_by_volunteer: Option<bool>,
    /// Set by the platform only, on a report a building volunteer made for this household: the
    /// volunteer's name, as the household's phones then show it. A phone may not send it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_by: Option<Text<1, 50>>,
}

impl HealthReport {
    /// A report to look at: a fever (≥ 37.3 °C) or any symptom. This yes/no is all a building
    /// volunteer may see of a check-in.
    pub fn is_flagged(&self) -> bool {
        self.temperature_c.is_some_and(|t| t.is_fever()) || !self.symptoms.is_empty()
    }
}

/// A request for help.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct HelpRequest {
    pub member_id: Id,
    pub category: HelpCategory,
    pub urgency: Urgency,
    pub description: Text<1, 1000>,
    pub created_at: Timestamp,
}

/// The resident closing the loop on a request: confirm, reopen or cancel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct HelpRequestAction {
    pub request_id: Id,
    pub action: HelpAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text<0, 500>>,
}

/// "I'm safe" / "I need help" in answer to an alert.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct AlertAck {
    pub alert_id: Id,
    pub response: AckResponse,
    pub at: Timestamp,
}

/// A rumor a resident passes on for checking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct RumorTip {
    pub text: Text<1, 2000>,
    pub at: Timestamp,
}

/// The most records one relayed box may hold (one push's worth).
pub const MAX_RELAYED_ITEMS: usize = crate::sync::MAX_PUSH_ITEMS;
/// The longest sealed box, in base64url characters (what one push can carry).
pub const MAX_SEALED_CHARS: usize = 900 * 1024;

/// Records a phone carried for another phone during an outage (a volunteer scanned them from
/// the other phone's screen or a file). What they are is sealed to the platform's key
/// ([`SealedRecords`] inside); the carrier sees only their ids and kinds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct Relayed {
    /// The ids and kinds of the records in the box, as the carrier was shown them; the
    /// platform refuses a box whose contents differ.
    pub items: RelayedItems,
    /// `[version][ephemeral X25519 key][nonce][AES-256-GCM ciphertext]`, base64url.
    pub sealed: SealedBox,
}

/// One record of a relayed box, as the carrier sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct RelayedItem {
    pub id: Id,
    pub kind: crate::sync::PushedKind,
}

/// 1–[`MAX_RELAYED_ITEMS`] records, none of them itself relayed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "Vec<RelayedItem>", into = "Vec<RelayedItem>")]
pub struct RelayedItems(Vec<RelayedItem>);

impl RelayedItems {
    pub fn as_slice(&self) -> &[RelayedItem] {
        &self.0
    }
}

impl TryFrom<Vec<RelayedItem>> for RelayedItems {
    type Error = String;
    fn try_from(items: Vec<RelayedItem>) -> Result<RelayedItems, String> {
        if items.is_empty() || items.len() > MAX_RELAYED_ITEMS {
            return Err(format!("must hold 1–{MAX_RELAYED_ITEMS} records"));
        }
        if items
            .iter()
            .any(|i| i.kind == crate::sync::PushedKind::Relayed)
        {
            return Err("a relayed box cannot hold another".into());
        }
        Ok(RelayedItems(items))
    }
}

impl From<RelayedItems> for Vec<RelayedItem> {
    fn from(items: RelayedItems) -> Vec<RelayedItem> {
        items.0
    }
}

/// A sealed box as base64url text (no padding), at most [`MAX_SEALED_CHARS`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct SealedBox(String);

impl SealedBox {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SealedBox {
    type Error = String;
    fn try_from(s: String) -> Result<SealedBox, String> {
        if s.is_empty() || s.len() > MAX_SEALED_CHARS {
            return Err(format!("must be 1–{MAX_SEALED_CHARS} characters"));
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err("must be base64url without padding".into());
        }
        Ok(SealedBox(s))
    }
}

impl From<SealedBox> for String {
    fn from(s: SealedBox) -> String {
        s.0
    }
}

/// What a relayed box holds once opened: the sending phone's own push, with its device token
/// (so the platform stores the records as that phone's, exactly as if it had pushed them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SealedRecords {
    pub token: String,
    pub items: Vec<crate::sync::PushItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_temperatures_accept_comma_and_point_with_one_decimal() {
        let ok = |s: &str| TemperatureC::parse_input(s).unwrap().map(|t| t.value());
        assert_eq!(ok("36.6"), Some(36.6));
        assert_eq!(ok(" 36,6 "), Some(36.6));
        assert_eq!(ok("37"), Some(37.0));
        assert_eq!(ok("38.1°C"), Some(38.1));
        assert_eq!(ok(""), None);
        let err = |s: &str| TemperatureC::parse_input(s).unwrap_err();
        assert_eq!(err("36.65"), TemperatureInputError::TooPrecise);
        assert_eq!(err("abc"), TemperatureInputError::NotANumber);
        assert_eq!(err("36."), TemperatureInputError::NotANumber);
        assert_eq!(err("-36"), TemperatureInputError::NotANumber);
        assert_eq!(err("33.9"), TemperatureInputError::OutOfRange);
        assert_eq!(err("43.1"), TemperatureInputError::OutOfRange);
        assert_eq!(err("366"), TemperatureInputError::OutOfRange);
    }

    #[test]
    fn fever_starts_at_37_3() {
        assert!(!TemperatureC::new(37.2).unwrap().is_fever());
        assert!(TemperatureC::new(37.3).unwrap().is_fever());
    }
}
