//! Sync envelopes (push, pull), enrolment, staff messages, and per-kind validation.

use crate::ids::Id;
use crate::published::{Alert, Facility, Guide, HelpRequestState, Notice, Rebuttal};
use crate::pushed::{
    AlertAck, HealthReport, HelpRequest, HelpRequestAction, HouseholdMember, RumorTip,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// At most this many items in one push.
pub const MAX_PUSH_ITEMS: usize = 500;
/// At most this many bytes in one push body.
pub const MAX_PUSH_BYTES: usize = 1024 * 1024;
/// Pull page size when the client gives none, and the largest it may ask for.
pub const DEFAULT_PULL_LIMIT: u32 = 200;
pub const MAX_PULL_LIMIT: u32 = 1000;

/// A field that failed validation: `field` is a dotted path (`area.grids[0]`), `message` says why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() || self.field == "." {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

/// Deserializes `T` from JSON, naming the field that failed; `prefix` is prepended to the path.
pub fn parse_named<T: DeserializeOwned>(value: &Value, prefix: &str) -> Result<T, FieldError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = match (prefix, path.as_str()) {
            (p, ".") => p.to_owned(),
            ("", p) => p.to_owned(),
            (pre, p) => format!("{pre}.{p}"),
        };
        FieldError {
            field,
            message: clean_serde_message(&e.into_inner().to_string()),
        }
    })
}

/// serde's messages end with " at line L column C", meaningless for a JSON value: drop it.
fn clean_serde_message(m: &str) -> String {
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_owned(),
        None => m.to_owned(),
    }
}

/// Parses a whole request body in one pass, naming the field that failed.
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, FieldError> {
    let not_json = |e: serde_json::Error| FieldError {
        field: String::new(),
        message: format!("body is not valid JSON: {e}"),
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            not_json(inner)
        } else {
            let field = if field == "." { String::new() } else { field };
            FieldError {
                field,
                message: clean_serde_message(&inner.to_string()),
            }
        }
    })?;
    de.end().map_err(not_json)?;
    Ok(value)
}

/// A record type a phone pushes, tied to the kind name it travels under: the phone and the
/// platform name kinds through this, never by spelling the string.
pub trait Pushed {
    const KIND: PushedKind;
}

/// A record type a phone pulls, tied to its kind name.
pub trait Pulled {
    const KIND: PulledKind;
}

macro_rules! kinds {
    ($(#[$m:meta])* $name:ident, $record:ident: $tr:ident { $($variant:ident($ty:ty) = $tag:literal),+ $(,)? }) => {
        $(impl $tr for $ty { const KIND: $name = $name::$variant; })+

        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $tag),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($tag => Some($name::$variant),)+ _ => None }
            }
        }

        /// A validated body of one kind.
        #[derive(Clone, Debug, PartialEq)]
        pub enum $record { $($variant($ty)),+ }

        impl $record {
            /// Validates `body` as `kind`; errors name the field as `body.<path>`.
            pub fn parse(kind: $name, body: &Value) -> Result<$record, FieldError> {
                match kind { $($name::$variant => parse_named(body, "body").map($record::$variant)),+ }
            }
            pub fn kind(&self) -> $name {
                match self { $($record::$variant(_) => $name::$variant),+ }
            }
            pub fn to_value(&self) -> Value {
                match self { $($record::$variant(b) => serde_json::to_value(b).unwrap_or(Value::Null)),+ }
            }
        }
    };
}

kinds!(
    /// Kinds a phone pushes.
    PushedKind, PushedRecord: Pushed {
        HouseholdMember(HouseholdMember) = "household_member",
        HealthReport(HealthReport) = "health_report",
        HelpRequest(HelpRequest) = "help_request",
        HelpRequestAction(HelpRequestAction) = "help_request_action",
        AlertAck(AlertAck) = "alert_ack",
        RumorTip(RumorTip) = "rumor_tip",
        DoorKnock(crate::volunteer::DoorKnock) = "door_knock",
        NeighbourHealthReport(crate::volunteer::NeighbourHealthReport) = "neighbour_health_report",
        NeighbourHelpRequest(crate::volunteer::NeighbourHelpRequest) = "neighbour_help_request",
        VolunteerHelpAction(crate::volunteer::VolunteerHelpAction) = "volunteer_help_action",
        Relayed(crate::pushed::Relayed) = "relayed",
    }
);

kinds!(
    /// Kinds a phone pulls.
    PulledKind, PulledRecord: Pulled {
        Alert(Box<Alert>) = "alert",
        Rebuttal(Rebuttal) = "rebuttal",
        Notice(Notice) = "notice",
        Guide(Guide) = "guide",
        Facility(Facility) = "facility",
        HelpRequest(HelpRequestState) = "help_request",
        HouseholdMember(HouseholdMember) = "household_member",
        HealthReport(HealthReport) = "health_report",
        RosterHousehold(crate::volunteer::RosterHousehold) = "roster_household",
        AssignedRequest(Box<crate::volunteer::AssignedRequest>) = "assigned_request",
        VolunteerScope(crate::volunteer::VolunteerScope) = "volunteer_scope",
        HouseholdVisit(crate::volunteer::HouseholdVisit) = "household_visit",
    }
);

impl PulledKind {
    /// Whether anyone may read this kind without enrolling (`GET /api/v1/public/pull`): what the
    /// community publishes, never a household's own records.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            PulledKind::Alert
                | PulledKind::Rebuttal
                | PulledKind::Notice
                | PulledKind::Guide
                | PulledKind::Facility
        )
    }
}

/// Assigned requests travel boxed in [`PulledRecord`]; the type itself pulls under its kind too.
impl Pulled for crate::volunteer::AssignedRequest {
    const KIND: PulledKind = PulledKind::AssignedRequest;
}

/// Alerts travel boxed in [`PulledRecord`]; the type itself pulls as `alert` too.
impl Pulled for Alert {
    const KIND: PulledKind = PulledKind::Alert;
}

/// `POST /api/v1/sync/push` body. Items stay loose (`kind` a string, `body` any JSON) so one
/// bad item is rejected on its own instead of failing the batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushRequest {
    pub items: Vec<PushItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushItem {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "health_report"))]
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::schema::pushed_body))]
    pub body: Value,
}

impl PushItem {
    /// Validates the item: a UUIDv7 id, a known kind, a valid body.
    pub fn validate(&self) -> Result<(Id, PushedRecord), FieldError> {
        let id = Id::parse(&self.id).map_err(|m| FieldError {
            field: "id".into(),
            message: m,
        })?;
        let kind = PushedKind::parse(&self.kind).ok_or_else(|| FieldError {
            field: "kind".into(),
            message: format!("unknown kind {:?}", self.kind),
        })?;
        Ok((id, PushedRecord::parse(kind, &self.body)?))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    Accepted,
    Duplicate,
    Rejected,
}

/// One result per pushed item, in the same order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResult {
    pub id: String,
    pub status: PushStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retryable: Option<bool>,
}

impl PushResult {
    pub fn ok(id: &str, status: PushStatus) -> PushResult {
        PushResult {
            id: id.to_owned(),
            status,
            code: None,
            message: None,
            retryable: None,
        }
    }
    pub fn rejected(id: &str, code: &str, message: String, retryable: bool) -> PushResult {
        PushResult {
            id: id.to_owned(),
            status: PushStatus::Rejected,
            code: Some(code.to_owned()),
            message: Some(message),
            retryable: Some(retryable),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PushResponse {
    pub results: Vec<PushResult>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeOp {
    Upsert,
    Delete,
}

/// One entry of the change log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    pub seq: i64,
    pub kind: PulledKind,
    pub id: String,
    pub op: ChangeOp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    /// What the community publishes (public kinds, upserts) also comes signed: `body` as the
    /// exact text the platform signed, for phones to keep and pass on to others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed: Option<crate::signing::Envelope>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PullResponse {
    pub changes: Vec<Change>,
    pub next_cursor: i64,
    pub has_more: bool,
    pub reset: bool,
    /// The change log's identity: the phone sends it back as `log` with its next cursor.
    #[serde(default)]
    pub log_id: String,
}

/// `GET /api/v1/public/keys`: the community's signing-key history ([`crate::signing::KeySet`]s,
/// each signed by the key before): a phone trusts the first it gets and takes later ones only
/// if a key it already trusts signed them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeysResponse {
    pub keys: Vec<crate::signing::Envelope>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Resident,
    Volunteer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Resident => "resident",
            Role::Volunteer => "volunteer",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "resident" => Some(Role::Resident),
            "volunteer" => Some(Role::Volunteer),
            _ => None,
        }
    }
}

/// An invite code as typed (normalised by the platform).
pub type InviteCode = crate::text::Text<1, 64>;
/// A person's name as shown to neighbours and volunteers.
pub type DisplayName = crate::text::Text<1, 50>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollRequest {
    pub invite_code: InviteCode,
    pub display_name: DisplayName,
    #[serde(default)]
    pub device_label: Option<crate::text::Text<0, 100>>,
    /// The flat within the building ("3-502"); ignored when joining an existing household.
    #[serde(default)]
    pub unit: Option<crate::volunteer::Unit>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollResponse {
    pub device_id: String,
    pub token: String,
    pub role: Role,
    pub member_id: String,
    pub household_id: String,
    pub building_id: String,
    pub buildings: Vec<String>,
    /// The buildings this phone's person volunteers for (empty for a resident).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volunteer_buildings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffLoginRequest {
    pub username: StaffUsername,
    pub password: StaffPassword,
}

/// A staff password as typed at sign-in (bounded, so a huge body is not hashed).
pub type StaffPassword = crate::text::Text<1, 256>;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub token: String,
}

/// How many invite codes one request may create.
pub const MAX_INVITES_PER_REQUEST: u32 = 200;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteRequest {
    pub role: Role,
    pub building: String,
    pub count: InviteCount,
}

/// How many invite codes to make: 1–[`MAX_INVITES_PER_REQUEST`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct InviteCount(u32);

impl InviteCount {
    pub fn get(self) -> u32 {
        self.0
    }
}
impl TryFrom<u32> for InviteCount {
    type Error = String;
    fn try_from(n: u32) -> Result<InviteCount, String> {
        if (1..=MAX_INVITES_PER_REQUEST).contains(&n) {
            Ok(InviteCount(n))
        } else {
            Err(format!("must be 1–{MAX_INVITES_PER_REQUEST}"))
        }
    }
}
impl From<InviteCount> for u32 {
    fn from(n: InviteCount) -> u32 {
        n.0
    }
}

/// A staff user name.
pub type StaffUsername = crate::text::Text<1, 64>;
/// The shortest staff password accepted.
pub const MIN_STAFF_PASSWORD_CHARS: usize = 10;

/// Checks a new staff password.
pub fn check_staff_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_STAFF_PASSWORD_CHARS {
        return Err(format!(
            "must be at least {MIN_STAFF_PASSWORD_CHARS} characters"
        ));
    }
    Ok(())
}

/// `GET /api/v1/sync/pull` query parameters as received.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullQuery {
    pub cursor: Option<String>,
    pub limit: Option<String>,
    /// The `log_id` the cursor came from (absent from phones of before the log had an id).
    #[serde(default)]
    pub log: Option<String>,
    /// The public pull only: the building the reader picked, so its building's and grid's
    /// alerts reach it too (without it, only content for the whole community).
    #[serde(default)]
    pub building: Option<String>,
}

/// Whether `s` has the shape of a change log id (`log_id`): 1–64 hexadecimal digits.
pub fn is_log_id(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A pull request's parameters, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullParams {
    pub cursor: i64,
    pub limit: u32,
    pub log: Option<String>,
    /// A building code, checked for shape (the platform checks that it exists).
    pub building: Option<String>,
}

impl PullQuery {
    /// The cursor, page size and log id, checked.
    pub fn params(&self) -> Result<PullParams, FieldError> {
        let (cursor, limit) = self.parse()?;
        let log = match self.log.as_deref() {
            None | Some("") => None,
            Some(l) if is_log_id(l) => Some(l.to_owned()),
            Some(_) => {
                return Err(FieldError {
                    field: "log".into(),
                    message: "must be the log_id of an earlier pull (hexadecimal)".into(),
                })
            }
        };
        let building = match self.building.as_deref() {
            None | Some("") => None,
            Some(b) => {
                crate::structure::check_code("building", b)?;
                Some(b.to_owned())
            }
        };
        Ok(PullParams {
            cursor,
            limit,
            log,
            building,
        })
    }

    /// The cursor (default 0) and page size (default [`DEFAULT_PULL_LIMIT`], at most
    /// [`MAX_PULL_LIMIT`]).
    pub fn parse(&self) -> Result<(i64, u32), FieldError> {
        let cursor = match self.cursor.as_deref() {
            None | Some("") => 0,
            Some(c) => c
                .parse()
                .ok()
                .filter(|c: &i64| *c >= 0)
                .ok_or_else(|| FieldError {
                    field: "cursor".into(),
                    message: "must be a whole number ≥ 0".into(),
                })?,
        };
        let limit = match self.limit.as_deref() {
            None | Some("") => DEFAULT_PULL_LIMIT,
            Some(l) => l
                .parse()
                .ok()
                .filter(|l| (1..=MAX_PULL_LIMIT).contains(l))
                .ok_or_else(|| FieldError {
                    field: "limit".into(),
                    message: format!("must be 1–{MAX_PULL_LIMIT}"),
                })?,
        };
        Ok((cursor, limit))
    }
}

/// A building a phone that has not enrolled may pick, so its building's and grid's alerts reach
/// it (`GET /api/v1/public/buildings`): the code, its grid and its name, nothing about who
/// lives there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicBuilding {
    pub code: String,
    pub grid: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicBuildings {
    pub buildings: Vec<PublicBuilding>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteResponse {
    pub codes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedResponse {
    pub id: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_record_type_names_its_own_kind_and_every_kind_has_one_type() {
        fn pushed<T: Pushed>() -> &'static str {
            T::KIND.as_str()
        }
        fn pulled<T: Pulled>() -> &'static str {
            T::KIND.as_str()
        }
        let mut names = vec![
            pushed::<HouseholdMember>(),
            pushed::<HealthReport>(),
            pushed::<HelpRequest>(),
            pushed::<HelpRequestAction>(),
            pushed::<AlertAck>(),
            pushed::<RumorTip>(),
            pushed::<crate::volunteer::DoorKnock>(),
            pushed::<crate::volunteer::NeighbourHealthReport>(),
            pushed::<crate::volunteer::NeighbourHelpRequest>(),
            pushed::<crate::volunteer::VolunteerHelpAction>(),
            pushed::<crate::pushed::Relayed>(),
        ];
        assert_eq!(
            names,
            PushedKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
        );
        names.sort();
        names.dedup();
        assert_eq!(
            names.len(),
            PushedKind::ALL.len(),
            "no two types share a kind"
        );
        assert_eq!(pulled::<Alert>(), "alert");
        assert_eq!(pulled::<Box<Alert>>(), "alert");
        assert_eq!(pulled::<HelpRequestState>(), "help_request");
        assert_eq!(pulled::<Rebuttal>(), "rebuttal");
        // A household's own records travel both ways, under the same name.
        assert_eq!(pulled::<HealthReport>(), pushed::<HealthReport>());
        assert_eq!(pulled::<HouseholdMember>(), pushed::<HouseholdMember>());
        assert_eq!(
            pulled::<crate::volunteer::RosterHousehold>(),
            "roster_household"
        );
        assert!(PulledKind::ALL
            .iter()
            .filter(|k| k.is_public())
            .all(|k| !matches!(
                k,
                PulledKind::HelpRequest
                    | PulledKind::HouseholdMember
                    | PulledKind::HealthReport
                    | PulledKind::RosterHousehold
                    | PulledKind::AssignedRequest
                    | PulledKind::VolunteerScope
                    | PulledKind::HouseholdVisit
            )));
    }

    #[test]
    fn pull_queries_default_and_name_the_bad_field() {
        assert_eq!(PullQuery::default().parse(), Ok((0, DEFAULT_PULL_LIMIT)));
        let q = |c: &str, l: &str| {
            PullQuery {
                cursor: Some(c.into()),
                limit: Some(l.into()),
                log: None,
                building: None,
            }
            .parse()
        };
        assert_eq!(q("42", "10"), Ok((42, 10)));
        let with_log = |l: &str| {
            PullQuery {
                log: Some(l.into()),
                ..PullQuery::default()
            }
            .params()
        };
        assert_eq!(with_log("00ff").unwrap().log.as_deref(), Some("00ff"));
        assert_eq!(with_log("").unwrap().log, None);
        assert_eq!(with_log("x'--").unwrap_err().field, "log");
        let in_building = |b: &str| {
            PullQuery {
                building: Some(b.into()),
                ..PullQuery::default()
            }
            .params()
        };
        assert_eq!(
            in_building("G1-B1").unwrap().building.as_deref(),
            Some("G1-B1")
        );
        assert_eq!(in_building("").unwrap().building, None);
        assert_eq!(in_building("G1 B1").unwrap_err().field, "building");
        assert_eq!(q("-1", "10").unwrap_err().field, "cursor");
        assert_eq!(q("1", "0").unwrap_err().field, "limit");
        assert_eq!(
            q("1", "1001").unwrap_err().to_string(),
            "limit: must be 1–1000"
        );
    }

    #[test]
    fn invite_counts_and_staff_passwords_are_bounded() {
        assert!(InviteCount::try_from(0).is_err());
        assert!(InviteCount::try_from(MAX_INVITES_PER_REQUEST + 1).is_err());
        assert_eq!(InviteCount::try_from(3).unwrap().get(), 3);
        assert!(check_staff_password("short").is_err());
        assert!(check_staff_password("long enough pass").is_ok());
    }
}
