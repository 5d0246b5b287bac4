//! Pushed kinds: records a phone creates (id = UUIDv7 made on the phone) and pushes.

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
            Err(format!(
                "must be between {:.1} and {:.1} °C",
                Self::MIN,
                Self::MAX
            ))
        }
    }
    pub fn value(self) -> f64 {
        self.0
    }
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
#[serde(rename_all = "snake_case")]
pub enum MemberFlag {
    ElderlyAlone,
    Disabled,
    ChronicIllness,
    Pregnant,
    Infant,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Normal,
    Urgent,
    LifeThreatening,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelpAction {
    ConfirmResolved,
    Reopen,
    Cancel,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AckResponse {
    Safe,
    NeedHelp,
}

/// A person in the household.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HouseholdMember {
    pub display_name: Text<1, 50>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<BirthYear>,
    #[serde(default)]
    pub flags: Vec<MemberFlag>,
}

/// One member's health on one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
}

/// A request for help.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HelpRequest {
    pub member_id: Id,
    pub category: HelpCategory,
    pub urgency: Urgency,
    pub description: Text<1, 1000>,
    pub created_at: Timestamp,
}

/// The resident closing the loop on a request: confirm, reopen or cancel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HelpRequestAction {
    pub request_id: Id,
    pub action: HelpAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text<0, 500>>,
}

/// "I'm safe" / "I need help" in answer to an alert.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertAck {
    pub alert_id: Id,
    pub response: AckResponse,
    pub at: Timestamp,
}

/// A rumor a resident passes on for checking.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RumorTip {
    pub text: Text<1, 2000>,
    pub at: Timestamp,
}
