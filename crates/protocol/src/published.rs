//! Published kinds: content the platform creates (alerts, rebuttals, notices, guides,
//! facilities) and the household's help requests as pulled back with their status.

use crate::pushed::HelpRequest;
use crate::text::{Localized, Text};
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

macro_rules! snake_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }
    };
}

snake_enum!(AlertStatus {
    Actual,
    Exercise,
    Test
});
snake_enum!(MsgType {
    Alert,
    Update,
    Cancel
});
snake_enum!(
    /// CAP 1.2 categories.
    AlertCategory { Geo, Met, Safety, Security, Rescue, Fire, Health, Env, Transport, Infra, Cbrne, Other }
);
snake_enum!(CapUrgency {
    Immediate,
    Expected,
    Future,
    Past,
    Unknown
});
snake_enum!(Severity {
    Extreme,
    Severe,
    Moderate,
    Minor,
    Unknown
});
snake_enum!(Certainty {
    Observed,
    Likely,
    Possible,
    Unlikely,
    Unknown
});
snake_enum!(ResponseType {
    Shelter,
    Evacuate,
    Prepare,
    Execute,
    Avoid,
    Monitor,
    Assess,
    AllClear,
    None
});
snake_enum!(Verdict {
    False,
    Misleading,
    Unproven,
    True
});
snake_enum!(NoticeKind { Policy, Service });
snake_enum!(Hazard {
    Earthquake,
    Fire,
    Flood,
    Typhoon,
    Epidemic,
    PowerOutage,
    Heat,
    Other
});
snake_enum!(FacilityKind {
    Shelter,
    AssemblyPoint,
    SupplyPoint,
    Clinic,
    Aed
});
snake_enum!(FacilityStatus { Open, Closed, Full });
snake_enum!(HelpStatus {
    Received,
    Assigned,
    InProgress,
    Resolved,
    Confirmed,
    Cancelled
});

/// Where an alert applies; empty lists mean the whole community.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Area {
    pub desc: Localized,
    #[serde(default)]
    pub grids: Vec<String>,
    #[serde(default)]
    pub buildings: Vec<String>,
}

/// A CAP 1.2 subset alert.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alert {
    pub identifier: Text<1, 200>,
    pub sender_name: Localized,
    pub sent: Timestamp,
    pub status: AlertStatus,
    pub msg_type: MsgType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<String>,
    pub category: Vec<AlertCategory>,
    pub event: Localized,
    pub urgency: CapUrgency,
    pub severity: Severity,
    pub certainty: Certainty,
    #[serde(default)]
    pub response_type: Vec<ResponseType>,
    pub headline: Localized,
    pub description: Localized,
    pub instruction: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<Timestamp>,
    pub expires: Timestamp,
    pub area: Area,
    /// Wake subscribed phones with a push notification even below severe (severe and extreme
    /// alerts always do).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub notify: bool,
}

/// What staff send to publish an alert: `identifier` and `sent` may be left to the platform.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertInput {
    #[serde(default)]
    pub identifier: Option<Text<1, 200>>,
    pub sender_name: Localized,
    #[serde(default)]
    pub sent: Option<Timestamp>,
    pub status: AlertStatus,
    #[serde(default = "default_msg_type")]
    pub msg_type: MsgType,
    #[serde(default)]
    pub references: Option<String>,
    pub category: Vec<AlertCategory>,
    pub event: Localized,
    pub urgency: CapUrgency,
    pub severity: Severity,
    pub certainty: Certainty,
    #[serde(default)]
    pub response_type: Vec<ResponseType>,
    pub headline: Localized,
    pub description: Localized,
    pub instruction: Localized,
    #[serde(default)]
    pub effective: Option<Timestamp>,
    pub expires: Timestamp,
    pub area: Area,
    #[serde(default)]
    pub notify: bool,
}

fn default_msg_type() -> MsgType {
    MsgType::Alert
}

impl AlertInput {
    /// Completes the input with the platform's identifier and time when they were left out.
    pub fn complete(self, identifier: &str, sent: Timestamp) -> Result<Alert, String> {
        Ok(Alert {
            identifier: match self.identifier {
                Some(i) => i,
                None => Text::parse(identifier)?,
            },
            sender_name: self.sender_name,
            sent: self.sent.unwrap_or(sent),
            status: self.status,
            msg_type: self.msg_type,
            references: self.references,
            category: self.category,
            event: self.event,
            urgency: self.urgency,
            severity: self.severity,
            certainty: self.certainty,
            response_type: self.response_type,
            headline: self.headline,
            description: self.description,
            instruction: self.instruction,
            effective: self.effective,
            expires: self.expires,
            area: self.area,
            notify: self.notify,
        })
    }
}

/// A source backing a rebuttal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Source {
    pub title: Text<1, 300>,
    pub url: Text<1, 2000>,
}

/// A rumor and the community's answer to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rebuttal {
    pub claim: Localized,
    pub verdict: Verdict,
    pub explanation: Localized,
    #[serde(default)]
    pub sources: Vec<Source>,
    pub published: Timestamp,
    #[serde(default)]
    pub tags: Vec<Text<1, 50>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub kind: NoticeKind,
    pub title: Localized,
    pub body: Localized,
    pub published: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Timestamp>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuideSection {
    pub heading: Localized,
    pub steps: Vec<Localized>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guide {
    pub hazard: Hazard,
    pub title: Localized,
    pub sections: Vec<GuideSection>,
}

/// A finite number within a closed range, validated when parsed.
macro_rules! bounded_f64 {
    ($(#[$m:meta])* $name:ident, $min:expr, $max:expr, $what:literal) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
        #[serde(try_from = "f64", into = "f64")]
        pub struct $name(f64);
        impl TryFrom<f64> for $name {
            type Error = String;
            fn try_from(v: f64) -> Result<$name, String> {
                if v.is_finite() && ($min..=$max).contains(&v) {
                    Ok($name(v))
                } else {
                    Err(concat!("must be a ", $what, " between ", stringify!($min), " and ", stringify!($max)).into())
                }
            }
        }
        impl From<$name> for f64 {
            fn from(v: $name) -> f64 {
                v.0
            }
        }
    };
}

bounded_f64!(
    /// Latitude in degrees.
    Lat, -90.0, 90.0, "latitude"
);
bounded_f64!(
    /// Longitude in degrees.
    Lon, -180.0, 180.0, "longitude"
);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facility {
    pub kind: FacilityKind,
    pub name: Localized,
    pub address: Localized,
    pub lat: Lat,
    pub lon: Lon,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    pub status: FacilityStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Localized>,
}

/// One step of a help request's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpHistoryEntry {
    pub status: HelpStatus,
    pub at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who acted, as residents may see it: a display name (never a staff login name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The role of whoever acted (`staff`, or `household` for the resident's own actions).
    /// The phone does not show it yet, so its wasm skips the field (first-load bytes).
    #[cfg_attr(target_arch = "wasm32", serde(skip))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_role: Option<HelpActor>,
}

/// Who changed a help request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HelpActor {
    Staff,
    Household,
    Volunteer,
}

/// A household's help request as pulled back: what was pushed, plus status and history.
/// (Its OpenAPI schema is written out in `schema.rs`: the pushed body it flattens refuses
/// unknown fields, so a derived `allOf` would refuse `status` and `history`.)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HelpRequestState {
    #[serde(flatten)]
    pub request: HelpRequest,
    pub status: HelpStatus,
    pub history: Vec<HelpHistoryEntry>,
}

impl HelpStatus {
    /// Statuses staff may set through the dispatch endpoint.
    pub fn settable_by_staff(self) -> bool {
        matches!(
            self,
            HelpStatus::Assigned | HelpStatus::InProgress | HelpStatus::Resolved
        )
    }
    /// Whether the request is finished (no further staff work).
    pub fn is_closed(self) -> bool {
        matches!(self, HelpStatus::Confirmed | HelpStatus::Cancelled)
    }
}

/// A staff change of a help request's status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpStatusChange {
    pub status: HelpStatus,
    #[serde(default)]
    pub note: Option<Text<0, 500>>,
    #[serde(default)]
    pub assignee: Option<Text<1, 100>>,
    /// With `assigned`: the member id of a volunteer of the request's building, whose phone then
    /// holds the request (`assigned_request`) and may work it. Their name becomes the assignee.
    #[serde(default)]
    pub volunteer: Option<crate::ids::Id>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_range_checked() {
        assert!(Lat::try_from(22.3).is_ok());
        assert_eq!(
            Lat::try_from(91.0).unwrap_err(),
            "must be a latitude between -90.0 and 90.0"
        );
        assert!(Lon::try_from(f64::NAN).is_err());
        assert_eq!(f64::from(Lon::try_from(114.17).unwrap()), 114.17);
    }
}
