//! Staff-side wire types: accounts and their scope, the help-request queue, the audit log.
//! Only the platform and staff tools use them; the resident PWA never links them in.

use crate::limits::Checked;
use crate::published::{HelpHistoryEntry, HelpStatus};
use crate::pushed::{HelpCategory, Urgency};
use crate::sync::{DisplayName, FieldError, StaffUsername};
use crate::text::Text;
use serde::{Deserialize, Serialize};

/// What a staff account may act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// The whole community, and the accounts, structure and audit log.
    Admin,
    /// Only the buildings of the grids given to the account.
    GridWorker,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Admin => "admin",
            StaffRole::GridWorker => "grid_worker",
        }
    }
    pub fn parse(s: &str) -> Option<StaffRole> {
        match s {
            "admin" => Some(StaffRole::Admin),
            "grid_worker" => Some(StaffRole::GridWorker),
            _ => None,
        }
    }
}

/// A new staff password: 10–256 characters.
pub type NewStaffPassword = Text<10, 256>;

/// The most grids one account may be given.
pub const MAX_ACCOUNT_GRIDS: usize = 200;

/// `POST /api/v1/staff/accounts` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountRequest {
    pub username: StaffUsername,
    pub password: NewStaffPassword,
    pub display_name: DisplayName,
    pub role: StaffRole,
    /// The grids a grid worker works in (at least one); empty for an admin.
    #[serde(default)]
    pub grids: Vec<String>,
}

impl Checked for AccountRequest {
    fn check(&self, now_ms: i64) -> Result<(), FieldError> {
        grids_for_role(self.role, &self.grids).check(now_ms)
    }
}

/// One staff account as admins manage it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountItem {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    pub grids: Vec<String>,
    pub disabled: bool,
}

/// `GET /api/v1/staff/accounts` answer, by username.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Accounts {
    pub items: Vec<AccountItem>,
}

/// `PUT /api/v1/staff/accounts/{id}` body: the account's name, role, grids and whether it is
/// disabled (a disabled account cannot sign in and its sessions end).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountUpdate {
    pub display_name: DisplayName,
    pub role: StaffRole,
    #[serde(default)]
    pub grids: Vec<String>,
    #[serde(default)]
    pub disabled: bool,
}

impl Checked for AccountUpdate {
    fn check(&self, now_ms: i64) -> Result<(), FieldError> {
        grids_for_role(self.role, &self.grids).check(now_ms)
    }
}

/// The role-and-grids rule shared by creating and updating an account.
struct RoleGrids<'a>(StaffRole, &'a [String]);

fn grids_for_role(role: StaffRole, grids: &[String]) -> RoleGrids<'_> {
    RoleGrids(role, grids)
}

impl Checked for RoleGrids<'_> {
    fn check(&self, _now_ms: i64) -> Result<(), FieldError> {
        let err = |message: &str| {
            Err(FieldError {
                field: "grids".into(),
                message: message.into(),
            })
        };
        match self.0 {
            StaffRole::GridWorker if self.1.is_empty() => {
                err("a grid worker needs at least one grid")
            }
            StaffRole::Admin if !self.1.is_empty() => {
                err("an admin acts for the whole community; give no grids")
            }
            _ if self.1.len() > MAX_ACCOUNT_GRIDS => err("too many grids"),
            _ => Ok(()),
        }
    }
}

/// `POST`/`GET /api/v1/staff/session` answer: who is signed in, and the CSRF token the console
/// sends back in `X-CSRF-Token` on every write made with the session cookie.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConsoleSession {
    pub csrf: String,
    pub username: String,
    /// The name residents see; the username when none was set.
    pub display_name: String,
    pub role: StaffRole,
    /// A grid worker's grids; empty for an admin.
    pub grids: Vec<String>,
}

/// `POST /api/v1/staff/password` body: the current password and the new one. Every session of
/// the account ends, this one too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current: crate::sync::StaffPassword,
    pub new: NewStaffPassword,
}

impl Checked for PasswordChange {}

/// The answer to creating something with a numeric id (a staff account).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedIdResponse {
    pub id: i64,
}

/// `GET /api/v1/staff/help-requests` query, as received (every filter optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpQueueQuery {
    pub status: Option<String>,
    pub grid: Option<String>,
    pub building: Option<String>,
    pub urgency: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
}

/// The queue's filters, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HelpQueueFilter {
    pub status: Option<HelpStatus>,
    pub grid: Option<String>,
    pub building: Option<String>,
    pub urgency: Option<Urgency>,
    pub category: Option<HelpCategory>,
}

impl HelpQueueQuery {
    /// The filters, each checked; an empty value is no filter.
    pub fn filter(&self) -> Result<HelpQueueFilter, FieldError> {
        fn word<T: serde::de::DeserializeOwned>(
            field: &str,
            value: &Option<String>,
        ) -> Result<Option<T>, FieldError> {
            match value.as_deref() {
                None | Some("") => Ok(None),
                Some(v) => serde_json::from_value(serde_json::Value::String(v.into()))
                    .map(Some)
                    .map_err(|_| FieldError {
                        field: field.into(),
                        message: format!("unknown value {v:?}"),
                    }),
            }
        }
        let code = |v: &Option<String>| v.clone().filter(|s| !s.is_empty());
        Ok(HelpQueueFilter {
            status: word("status", &self.status)?,
            grid: code(&self.grid),
            building: code(&self.building),
            urgency: word("urgency", &self.urgency)?,
            category: word("category", &self.category)?,
        })
    }
}

/// One help request in the staff queue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpQueueItem {
    pub id: String,
    pub building: String,
    pub grid: String,
    pub category: HelpCategory,
    pub urgency: Urgency,
    pub description: String,
    pub status: HelpStatus,
    pub created_at: String,
    pub history: Vec<HelpHistoryEntry>,
    /// Who it was last assigned to (a display name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// The alert an "I need help" reply answered, when it came from one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_id: Option<String>,
    /// When it should have been acted on: received (or reopened) + the urgency's target.
    pub due_at: String,
    /// Still open (received, assigned or in progress) past `due_at`.
    pub overdue: bool,
}

/// How long a request may wait, by urgency, before the queue marks it overdue (minutes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseTargets {
    pub life_threatening_min: u32,
    pub urgent_min: u32,
    pub normal_min: u32,
}

impl Default for ResponseTargets {
    /// 15 minutes, 2 hours, 24 hours.
    fn default() -> Self {
        ResponseTargets {
            life_threatening_min: 15,
            urgent_min: 120,
            normal_min: 24 * 60,
        }
    }
}

impl ResponseTargets {
    /// The target for `urgency`, in milliseconds.
    pub fn for_urgency_ms(&self, urgency: Urgency) -> i64 {
        let min = match urgency {
            Urgency::LifeThreatening => self.life_threatening_min,
            Urgency::Urgent => self.urgent_min,
            Urgency::Normal => self.normal_min,
        };
        i64::from(min) * 60_000
    }
}

/// The person a help request is for, as staff may see them: the display name and the care
/// flags the household shared (the phone's consent text names community staff as seeing them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestMember {
    pub display_name: String,
    pub flags: Vec<crate::pushed::MemberFlag>,
}

/// `GET /api/v1/staff/help-requests/{id}` answer: the queue item, the building's name and the
/// member it is for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpRequestDetail {
    pub request: HelpQueueItem,
    pub building_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member: Option<RequestMember>,
}

/// One alert as the console lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAlertItem {
    pub id: String,
    pub alert: crate::published::Alert,
    /// Withdrawn (deleted) by staff, or expired and tombstoned.
    pub withdrawn: bool,
}

/// `GET /api/v1/staff/alerts` answer: alerts whose area reaches the caller's scope, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffAlerts {
    pub items: Vec<StaffAlertItem>,
}

/// One published rebuttal as the console lists it (to link a rumor tip to).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffRebuttalItem {
    pub id: String,
    pub rebuttal: crate::published::Rebuttal,
}

/// `GET /api/v1/staff/rebuttals` answer: published (not withdrawn) rebuttals, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffRebuttals {
    pub items: Vec<StaffRebuttalItem>,
}

/// One rumor tip a resident sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RumorTipItem {
    pub id: String,
    pub text: String,
    /// When the resident wrote it (RFC 3339).
    pub at: String,
    pub building: String,
    pub grid: String,
    /// When staff marked it handled, and by whom (a display name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handled_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handled_by: Option<String>,
    /// The rebuttal that answers it, when linked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rebuttal_id: Option<String>,
}

/// `GET /api/v1/staff/rumor-tips` answer: unhandled first, newest first, in the caller's scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RumorTips {
    pub items: Vec<RumorTipItem>,
}

/// `POST /api/v1/staff/rumor-tips/{id}/handled` body: optionally the rebuttal that answers it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TipHandled {
    #[serde(default)]
    pub rebuttal_id: Option<crate::ids::Id>,
}

impl Checked for TipHandled {}

/// `GET /api/v1/staff/help-requests` answer: open requests first, most urgent and oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HelpQueue {
    pub items: Vec<HelpQueueItem>,
}

/// One building's answers to an alert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuildingRollCall {
    pub building: String,
    /// Households with an enrolled (unrevoked) phone in the building.
    pub households: u32,
    /// Households whose latest reply is "I'm safe".
    pub safe: u32,
    /// Households whose latest reply is "I need help".
    pub need_help: u32,
    pub no_reply: u32,
}

/// `GET /api/v1/staff/alerts/{id}/roll-call` answer: the buildings of the alert's area in the
/// caller's scope, in code order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RollCall {
    pub buildings: Vec<BuildingRollCall>,
}

/// An enrolled household that has not replied to an alert, with its members as staff may see
/// them (name and shared care needs).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingHousehold {
    pub household: String,
    pub members: Vec<RequestMember>,
}

/// `GET /api/v1/staff/alerts/{id}/roll-call/{building}` answer: the building's households with
/// no reply, those with shared care needs first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingHouseholds {
    pub items: Vec<PendingHousehold>,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// RFC 3339, UTC.
    pub at: String,
    /// The staff username (for a failed sign-in, the name that was typed).
    pub actor: String,
    pub action: String,
    pub target: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// `GET /api/v1/staff/audit` answer: newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditLog {
    pub items: Vec<AuditEntry>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grid_worker_needs_grids_and_an_admin_has_none() {
        let req = |role, grids: &[&str]| AccountRequest {
            username: Text::parse("wang").unwrap(),
            password: Text::parse("a long password").unwrap(),
            display_name: Text::parse("王姑娘").unwrap(),
            role,
            grids: grids.iter().map(|g| g.to_string()).collect(),
        };
        assert!(req(StaffRole::GridWorker, &["G1"]).check(0).is_ok());
        assert_eq!(
            req(StaffRole::GridWorker, &[]).check(0).unwrap_err().field,
            "grids"
        );
        assert!(req(StaffRole::Admin, &["G1"]).check(0).is_err());
        assert!(req(StaffRole::Admin, &[]).check(0).is_ok());
    }

    #[test]
    fn queue_filters_name_the_field_they_refuse() {
        let q = HelpQueueQuery {
            status: Some("assigned".into()),
            urgency: Some("".into()),
            grid: Some("G1".into()),
            building: None,
            category: Some("food_water".into()),
        };
        let f = q.filter().unwrap();
        assert_eq!(f.status, Some(HelpStatus::Assigned));
        assert_eq!(f.urgency, None);
        assert_eq!(f.grid.as_deref(), Some("G1"));
        assert_eq!(f.category, Some(HelpCategory::FoodWater));
        let bad = HelpQueueQuery {
            urgency: Some("soon".into()),
            ..HelpQueueQuery::default()
        };
        assert_eq!(bad.filter().unwrap_err().field, "urgency");
        let bad = HelpQueueQuery {
            category: Some("snacks".into()),
            ..HelpQueueQuery::default()
        };
        assert_eq!(bad.filter().unwrap_err().field, "category");
    }
}

/// A volunteer of a building, to assign a request to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuildingVolunteer {
    pub member_id: String,
    pub name: String,
}

/// `GET /api/v1/staff/buildings/{code}/volunteers`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuildingVolunteers {
    pub volunteers: Vec<BuildingVolunteer>,
}

/// A person of a building with a phone of their own, who could volunteer for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuildingResident {
    pub member_id: String,
    pub name: String,
    /// Their household's flat ("" when not given).
    pub unit: String,
    /// Whether they volunteer for this building.
    pub volunteer: bool,
}

/// `GET /api/v1/staff/buildings/{code}/residents`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BuildingResidents {
    pub residents: Vec<BuildingResident>,
}

/// `GET /api/v1/staff/door-knocks` query.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorKnocksQuery {
    pub building: Option<String>,
}

/// One door-knock visit as staff read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DoorKnockEntry {
    pub id: String,
    pub household_id: String,
    pub unit: String,
    pub outcome: crate::volunteer::KnockOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub at: crate::time::Timestamp,
    /// The volunteer's name.
    pub by: String,
}

/// A check-in a volunteer made for a member of a household of the building.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerReport {
    pub id: String,
    pub unit: String,
    /// The member it is for.
    pub member: String,
    pub date: crate::time::Date,
    /// A fever or symptoms.
    pub flagged: bool,
    pub at: crate::time::Timestamp,
    /// The volunteer's name.
    pub by: String,
}

/// `GET /api/v1/staff/door-knocks` answer: the building's door-knock visits and the check-ins
/// volunteers made for its residents, newest first (at most 500 of each).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DoorKnockLog {
    pub knocks: Vec<DoorKnockEntry>,
    #[serde(default)]
    pub reports: Vec<VolunteerReport>,
}
