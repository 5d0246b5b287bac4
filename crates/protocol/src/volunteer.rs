//! Households with several phones, and building volunteers: what a household shares with its
//! building's volunteers, the roster volunteers pull, and what they push (door-knock visits,
//! reports made for a neighbour, their work on assigned requests).

use crate::ids::Id;
use crate::published::HelpRequestState;
use crate::pushed::{HealthReport, HelpRequest, MemberFlag};
use crate::text::Text;
use crate::time::{Date, Timestamp};
use serde::{Deserialize, Serialize};

/// A flat within its building, as residents write it ("3-502", "12/F B").
pub type Unit = Text<0, 20>;

/// What one member lets the volunteers of their building see. The default shares nothing: the
/// household then appears on the roster as its unit only. Staff see everything regardless.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct VolunteerSharing {
    /// Their display name.
    #[serde(default)]
    pub name: bool,
    /// Their care flags (living alone, disability, …), so a door-knock visits them first.
    #[serde(default)]
    pub care_flags: bool,
    /// Whether they checked in today and whether that check-in was flagged (fever or
    /// symptoms) — a yes/no, never the temperature or notes.
    #[serde(default)]
    pub check_in: bool,
}

impl VolunteerSharing {
    pub fn is_nothing(&self) -> bool {
        *self == VolunteerSharing::default()
    }
}

/// Only the sharing of a `household_member` body: how the phone reads it back where it edits
/// it (its `HouseholdMember` decoder skips the field).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct SharingOnly {
    #[serde(default)]
    pub share_with_volunteers: VolunteerSharing,
}

/// `POST /api/v1/household/invites` answer: a single-use code that joins this household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdInvite {
    pub code: String,
    /// When it stops working (24 hours after it was made).
    pub expires: Timestamp,
}

/// One phone of a household (`GET /api/v1/household/devices`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdDevice {
    pub id: String,
    /// The name of the person who enrolled it.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub enrolled: Timestamp,
    /// The phone asking.
    pub this_device: bool,
}

/// The household as its phones see it: its unit and its phones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdInfo {
    pub building: String,
    pub unit: String,
    pub devices: Vec<HouseholdDevice>,
}

/// `PUT /api/v1/household/unit` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitChange {
    pub unit: Unit,
}

/// What a door-knock found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum KnockOutcome {
    Safe,
    NeedsHelp,
    NoAnswer,
    Refused,
}

impl KnockOutcome {
    pub const ALL: [KnockOutcome; 4] = [
        KnockOutcome::Safe,
        KnockOutcome::NeedsHelp,
        KnockOutcome::NoAnswer,
        KnockOutcome::Refused,
    ];
}

/// Pushed `door_knock`: a volunteer's visit to a household of their building. "Needs help"
/// starts an urgent help request for that household.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct DoorKnock {
    pub household_id: Id,
    pub outcome: KnockOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text<0, 500>>,
    pub at: Timestamp,
    /// The alert this round of door-knocks answers, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_id: Option<Id>,
}

/// Pulled `household_visit` (the household's own phones): a building volunteer's door-knock at
/// this household — what they found, when, and who came. The volunteer's note is not in it (it
/// is for staff; with "needs help" it also becomes part of the request the household sees).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdVisit {
    pub outcome: KnockOutcome,
    pub at: Timestamp,
    /// The volunteer's display name.
    pub by: String,
}

/// Pushed `neighbour_health_report`: a check-in a volunteer records for a member of another
/// household of their building (someone without a phone). The household sees it, marked as
/// reported by that volunteer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct NeighbourHealthReport {
    pub household_id: Id,
    pub report: HealthReport,
}

/// Pushed `neighbour_help_request`: a request for help a volunteer files for a neighbour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct NeighbourHelpRequest {
    pub household_id: Id,
    pub request: HelpRequest,
}

/// What a volunteer does with a request staff assigned to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VolunteerAction {
    Accept,
    InProgress,
    Resolved,
}

/// Pushed `volunteer_help_action`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(not(target_arch = "wasm32"), serde(deny_unknown_fields))]
pub struct VolunteerHelpAction {
    pub request_id: Id,
    pub action: VolunteerAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text<0, 500>>,
    pub at: Timestamp,
}

/// One member on a volunteer's roster: only what they agreed to share.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterMember {
    pub member_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_flags: Option<Vec<MemberFlag>>,
    /// The date of their latest check-in, if they share it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_in: Option<Date>,
    /// Whether that check-in had a fever or symptoms (shared with `checked_in`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flagged: Option<bool>,
}

/// Pulled `roster_household` (volunteers of its building only): a household as a door-knock
/// needs it. A household that shared nothing still appears, as its unit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RosterHousehold {
    pub building: String,
    pub unit: String,
    /// How many people live there (members known to the platform).
    pub people: u32,
    /// The members who shared something.
    pub members: Vec<RosterMember>,
}

/// Pulled `assigned_request` (the assigned volunteer only): the request and where to go.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignedRequest {
    pub building: String,
    pub unit: String,
    pub household_id: String,
    /// The name of the person it is for.
    pub for_name: String,
    pub state: HelpRequestState,
}

/// `POST /api/v1/volunteer/claim` body: a volunteer code used on a phone that is already
/// enrolled adds the volunteer scope, without a new household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VolunteerClaim {
    pub invite_code: crate::sync::InviteCode,
}

/// The buildings a phone's person volunteers for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerScope {
    pub buildings: Vec<String>,
}
