//! Checks that need more than one field's type: list bounds, a non-empty alert category,
//! times not in the future, and link schemes. The platform runs [`Checked::check`] on every
//! body it accepts (pushed or published) after parsing; the phone never needs it, so it adds
//! nothing to the wasm.

use crate::published::{AlertInput, Area, Facility, Guide, Notice, Rebuttal};
use crate::pushed::{
    AlertAck, HealthReport, HelpRequest, HelpRequestAction, HouseholdMember, RumorTip,
};
use crate::sync::{FieldError, PushedRecord};
use crate::time::Timestamp;
use crate::volunteer::{
    DoorKnock, NeighbourHealthReport, NeighbourHelpRequest, VolunteerHelpAction,
};

/// How far ahead of the platform's clock a phone's time may be (clocks drift; a day is generous).
pub const MAX_FUTURE_MS: i64 = 24 * 3600 * 1000;

/// List bounds.
pub const MAX_SYMPTOMS: usize = 8;
pub const MAX_FLAGS: usize = 5;
pub const MAX_CATEGORIES: usize = 10;
pub const MAX_RESPONSE_TYPES: usize = 10;
pub const MAX_AREA_GRIDS: usize = 200;
pub const MAX_AREA_BUILDINGS: usize = 1000;
pub const MAX_REFERENCES_CHARS: usize = 2000;
pub const MAX_SOURCES: usize = 20;
pub const MAX_TAGS: usize = 20;
pub const MAX_GUIDE_SECTIONS: usize = 50;
pub const MAX_GUIDE_STEPS: usize = 50;

fn err(field: impl Into<String>, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

fn at_most<T>(field: &str, items: &[T], max: usize) -> Result<(), FieldError> {
    if items.len() > max {
        return Err(err(
            field,
            format!("at most {max} items (got {})", items.len()),
        ));
    }
    Ok(())
}

fn not_future(field: &str, t: &Timestamp, now_ms: i64) -> Result<(), FieldError> {
    if t.unix_ms() > now_ms + MAX_FUTURE_MS {
        return Err(err(
            field,
            "is more than a day in the future; check the phone's clock",
        ));
    }
    Ok(())
}

/// What a body must satisfy beyond its fields' types, at `now_ms` on the platform's clock.
pub trait Checked {
    fn check(&self, _now_ms: i64) -> Result<(), FieldError> {
        Ok(())
    }
}

impl Checked for HouseholdMember {
    fn check(&self, _: i64) -> Result<(), FieldError> {
        at_most("body.flags", &self.flags, MAX_FLAGS)
    }
}

impl Checked for HealthReport {
    fn check(&self, now_ms: i64) -> Result<(), FieldError> {
        at_most("body.symptoms", &self.symptoms, MAX_SYMPTOMS)?;
        if self.reported_by.is_some() {
            return Err(err(
                "body.reported_by",
                "is set by the platform, not by a phone",
            ));
        }
        not_future("body.reported_at", &self.reported_at, now_ms)?;
        // Dates compare as text (fixed YYYY-MM-DD): at most the day after the platform's today.
        let latest = Timestamp::from_unix_ms(now_ms + MAX_FUTURE_MS);
        if self.date.as_str() > &latest.as_str()[..10] {
            return Err(err("body.date", "is in the future"));
        }
        Ok(())
    }
}

impl Checked for HelpRequest {
    fn check(&self, now_ms: i64) -> Result<(), FieldError> {
        not_future("body.created_at", &self.created_at, now_ms)
    }
}

impl Checked for HelpRequestAction {}

impl Checked for AlertAck {
    fn check(&self, now_ms: i64) -> Result<(), FieldError> {
        not_future("body.at", &self.at, now_ms)
    }
}

impl Checked for RumorTip {
    fn check(&self, now_ms: i64) -> Result<(), FieldError> {
        not_future("body.at", &self.at, now_ms)
    }
}

impl Checked for DoorKnock {
    fn check(&self, now_ms: i64) -> Result<(), FieldError> {
        not_future("body.at", &self.at, now_ms)
    }
}

impl Checked for VolunteerHelpAction {
    fn check(&self, now_ms: i64) -> Result<(), FieldError> {
        not_future("body.at", &self.at, now_ms)
    }
}

/// A record inside a neighbour's report, checked as on its own; its errors name the field
/// under `inner` (`body.report.date`).
fn nested(inner: &str, result: Result<(), FieldError>) -> Result<(), FieldError> {
    result.map_err(|e| FieldError {
        field: e.field.replacen("body.", &format!("body.{inner}."), 1),
        message: e.message,
    })
}

impl Checked for NeighbourHealthReport {
    fn check(&self, now_ms: i64) -> Result<(), FieldError> {
        nested("report", self.report.check(now_ms))
    }
}

impl Checked for NeighbourHelpRequest {
    fn check(&self, now_ms: i64) -> Result<(), FieldError> {
        nested("request", self.request.check(now_ms))
    }
}

impl Checked for PushedRecord {
    fn check(&self, now_ms: i64) -> Result<(), FieldError> {
        match self {
            PushedRecord::HouseholdMember(b) => b.check(now_ms),
            PushedRecord::HealthReport(b) => b.check(now_ms),
            PushedRecord::HelpRequest(b) => b.check(now_ms),
            PushedRecord::HelpRequestAction(b) => b.check(now_ms),
            PushedRecord::AlertAck(b) => b.check(now_ms),
            PushedRecord::RumorTip(b) => b.check(now_ms),
            PushedRecord::DoorKnock(b) => b.check(now_ms),
            PushedRecord::NeighbourHealthReport(b) => b.check(now_ms),
            PushedRecord::NeighbourHelpRequest(b) => b.check(now_ms),
            PushedRecord::VolunteerHelpAction(b) => b.check(now_ms),
            // What is inside is checked when the platform opens it, record by record.
            PushedRecord::Relayed(_) => Ok(()),
        }
    }
}

fn check_area(area: &Area) -> Result<(), FieldError> {
    at_most("area.grids", &area.grids, MAX_AREA_GRIDS)?;
    at_most("area.buildings", &area.buildings, MAX_AREA_BUILDINGS)
}

impl Checked for AlertInput {
    fn check(&self, _: i64) -> Result<(), FieldError> {
        if self.category.is_empty() {
            return Err(err("category", "needs at least one category"));
        }
        at_most("category", &self.category, MAX_CATEGORIES)?;
        at_most("response_type", &self.response_type, MAX_RESPONSE_TYPES)?;
        if let Some(r) = &self.references {
            if r.chars().count() > MAX_REFERENCES_CHARS {
                return Err(err(
                    "references",
                    format!("must be at most {MAX_REFERENCES_CHARS} characters"),
                ));
            }
        }
        check_area(&self.area)
    }
}

/// Whether a link may be shown as a link: `https://` or `http://` only (never `javascript:`).
/// The platform refuses other sources when published; the phone checks again when it renders.
pub fn is_web_link(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

impl Checked for Rebuttal {
    fn check(&self, _: i64) -> Result<(), FieldError> {
        at_most("sources", &self.sources, MAX_SOURCES)?;
        at_most("tags", &self.tags, MAX_TAGS)?;
        for (i, s) in self.sources.iter().enumerate() {
            if !is_web_link(s.url.as_str()) {
                return Err(err(
                    format!("sources[{i}].url"),
                    "must start with https:// or http://",
                ));
            }
        }
        Ok(())
    }
}

impl Checked for Notice {}
impl Checked for Facility {}

impl Checked for Guide {
    fn check(&self, _: i64) -> Result<(), FieldError> {
        at_most("sections", &self.sections, MAX_GUIDE_SECTIONS)?;
        for (i, s) in self.sections.iter().enumerate() {
            at_most(&format!("sections[{i}].steps"), &s.steps, MAX_GUIDE_STEPS)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::PushedKind;
    use serde_json::json;

    const NOW: i64 = 1_796_000_000_000; // 2026-11-30

    fn pushed(kind: PushedKind, body: serde_json::Value) -> Result<(), FieldError> {
        PushedRecord::parse(kind, &body)?.check(NOW)
    }

    #[test]
    fn lists_are_bounded_and_times_may_not_be_in_the_future() {
        let report = |symptoms: serde_json::Value, at: &str, date: &str| {
            json!({"member_id": "0190c7a8-3b1e-7c2d-8f00-000000000001", "date": date,
                   "symptoms": symptoms, "reported_at": at})
        };
        let now = Timestamp::from_unix_ms(NOW);
        let today = &now.as_str()[..10];
        assert!(pushed(
            PushedKind::HealthReport,
            report(json!(["cough"]), now.as_str(), today)
        )
        .is_ok());
        let nine = json!(vec!["cough"; 9]);
        assert_eq!(
            pushed(PushedKind::HealthReport, report(nine, now.as_str(), today))
                .unwrap_err()
                .field,
            "body.symptoms"
        );
        let later = Timestamp::from_unix_ms(NOW + 2 * MAX_FUTURE_MS);
        assert_eq!(
            pushed(
                PushedKind::HealthReport,
                report(json!([]), later.as_str(), today)
            )
            .unwrap_err()
            .field,
            "body.reported_at"
        );
        assert_eq!(
            pushed(
                PushedKind::HealthReport,
                report(json!([]), now.as_str(), &later.as_str()[..10])
            )
            .unwrap_err()
            .field,
            "body.date"
        );
        let tip = json!({"text": "x", "at": later.as_str()});
        assert_eq!(
            pushed(PushedKind::RumorTip, tip).unwrap_err().field,
            "body.at"
        );
    }

    #[test]
    fn an_alert_needs_a_category_and_a_source_must_be_a_web_link() {
        assert!(is_web_link("https://example.org/x"));
        assert!(is_web_link("HTTP://example.org"));
        assert!(!is_web_link("javascript:alert(1)"));
        assert!(!is_web_link("data:text/html,hi"));
        let rebuttal: Rebuttal = serde_json::from_value(json!({
            "claim": {"en": "c"}, "verdict": "false", "explanation": {"en": "e"},
            "sources": [{"title": "ok", "url": "https://a.example"}, {"title": "bad", "url": "javascript:x"}],
            "published": "2026-11-28T09:00:00Z"}))
        .unwrap();
        assert_eq!(rebuttal.check(NOW).unwrap_err().field, "sources[1].url");
    }
}
