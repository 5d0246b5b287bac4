//! OpenAPI schemas (feature `openapi`, used by the platform's `/api/v1/openapi.json`) for the
//! types whose `parse` validates more than their JSON shape. Each schema states what that
//! `parse` checks, so a schema-driven client generates what the platform accepts. The other
//! wire types derive theirs next to their definition.

use crate::ids::Id;
use crate::published::{HelpHistoryEntry, HelpRequestState, HelpStatus, Lat, Lon};
use crate::pushed::HelpRequest;
use crate::pushed::{BirthYear, TemperatureC};
use crate::sync::{InviteCount, PushedKind};
use crate::text::{Localized, Text, LOCALIZED_MAX_CHARS};
use crate::time::{Date, Timestamp};
use std::borrow::Cow;
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

/// No control characters other than line breaks and tabs, no bidirectional overrides or
/// isolates ([`crate::text::check_chars`]).
const PRINTABLE: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]*$";

fn string(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .description(Some(description))
}

fn number(kind: Type, min: f64, max: f64, description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(kind))
        .minimum(Some(min))
        .maximum(Some(max))
        .description(Some(description))
        .into()
}

impl<const MIN: usize, const MAX: usize> PartialSchema for Text<MIN, MAX> {
    fn schema() -> RefOr<Schema> {
        string("Text; length counted in characters, surrounding whitespace not counted toward the minimum")
            .min_length(Some(MIN))
            .max_length(Some(MAX))
            .pattern(Some(PRINTABLE))
            .into()
    }
}
impl<const MIN: usize, const MAX: usize> ToSchema for Text<MIN, MAX> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("Text_{MIN}_{MAX}"))
    }
}

impl PartialSchema for Id {
    fn schema() -> RefOr<Schema> {
        string("A UUID version 7, made where the record was created")
            .format(Some(SchemaFormat::Custom("uuid".into())))
            .pattern(Some(
                "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$",
            ))
            .into()
    }
}
impl ToSchema for Id {}

impl PartialSchema for Timestamp {
    fn schema() -> RefOr<Schema> {
        string("An RFC 3339 time with an offset, e.g. 2026-11-28T09:30:00Z; at most a day ahead of the platform's clock where the record is new")
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .into()
    }
}
impl ToSchema for Timestamp {}

impl PartialSchema for Date {
    fn schema() -> RefOr<Schema> {
        string("A calendar date YYYY-MM-DD, year 1900 or later")
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .pattern(Some("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
            .into()
    }
}
impl ToSchema for Date {}

impl PartialSchema for TemperatureC {
    fn schema() -> RefOr<Schema> {
        number(
            Type::Number,
            TemperatureC::MIN,
            TemperatureC::MAX,
            "Body temperature in °C",
        )
    }
}
impl ToSchema for TemperatureC {}

impl PartialSchema for BirthYear {
    fn schema() -> RefOr<Schema> {
        number(Type::Integer, 1900.0, 2100.0, "A year of birth")
    }
}
impl ToSchema for BirthYear {}

impl PartialSchema for Lat {
    fn schema() -> RefOr<Schema> {
        number(Type::Number, -90.0, 90.0, "Latitude in degrees")
    }
}
impl ToSchema for Lat {}

impl PartialSchema for Lon {
    fn schema() -> RefOr<Schema> {
        number(Type::Number, -180.0, 180.0, "Longitude in degrees")
    }
}
impl ToSchema for Lon {}

impl PartialSchema for InviteCount {
    fn schema() -> RefOr<Schema> {
        number(
            Type::Integer,
            1.0,
            f64::from(crate::sync::MAX_INVITES_PER_REQUEST),
            "How many invite codes to make",
        )
    }
}
impl ToSchema for InviteCount {}

impl PartialSchema for Localized {
    fn schema() -> RefOr<Schema> {
        let lang = |tag: &str| {
            string(&format!("The text in {tag}"))
                .max_length(Some(LOCALIZED_MAX_CHARS))
                .pattern(Some(PRINTABLE))
        };
        ObjectBuilder::new()
            .description(Some(
                "Text in the app's languages: at least one of them not blank",
            ))
            .property("zh-Hant", lang("zh-Hant"))
            .property("zh-Hans", lang("zh-Hans"))
            .property("en", lang("en"))
            .min_properties(Some(1))
            .into()
    }
}
impl ToSchema for Localized {}

impl PartialSchema for HelpRequestState {
    fn schema() -> RefOr<Schema> {
        let mut object = match HelpRequest::schema() {
            RefOr::T(Schema::Object(object)) => object,
            _ => ObjectBuilder::new().build(),
        };
        object.description = Some(
            "A household's help request as pulled back: what was pushed, plus status and history"
                .into(),
        );
        // What was pushed refuses unknown fields; what is pulled back has two more.
        object.additional_properties = None;
        object.properties.insert(
            "status".into(),
            RefOr::Ref(Ref::from_schema_name(HelpStatus::name())),
        );
        object.properties.insert(
            "history".into(),
            ArrayBuilder::new()
                .items(RefOr::Ref(Ref::from_schema_name(HelpHistoryEntry::name())))
                .into(),
        );
        object.required.extend(["status".into(), "history".into()]);
        RefOr::T(Schema::Object(object))
    }
}
impl ToSchema for HelpRequestState {
    fn schemas(out: &mut Vec<(String, RefOr<Schema>)>) {
        <HelpRequest as ToSchema>::schemas(out);
        out.push((HelpStatus::name().into_owned(), HelpStatus::schema()));
        out.push((
            HelpHistoryEntry::name().into_owned(),
            HelpHistoryEntry::schema(),
        ));
        <HelpHistoryEntry as ToSchema>::schemas(out);
    }
}

/// The body of a pushed item: one of the pushed kinds' bodies, as its `kind` says.
pub fn pushed_body() -> RefOr<Schema> {
    let mut names = Vec::new();
    pushed_kinds(&mut names, &mut Vec::new());
    let mut one_of = OneOfBuilder::new().description(Some(
        "The record, of the schema named by `kind` (household_member → HouseholdMember, …)",
    ));
    for name in names {
        one_of = one_of.item(Ref::from_schema_name(name));
    }
    one_of.into()
}

/// The schemas of every pushed kind's body and what they refer to, for the document's
/// components: [`crate::sync::PushItem`] refers to them from `body`.
pub fn pushed_components(out: &mut Vec<(String, RefOr<Schema>)>) {
    pushed_kinds(&mut Vec::new(), out);
}

fn pushed_kinds(names: &mut Vec<String>, out: &mut Vec<(String, RefOr<Schema>)>) {
    use crate::pushed::*;
    fn add<T: ToSchema>(names: &mut Vec<String>, out: &mut Vec<(String, RefOr<Schema>)>) {
        names.push(T::name().into_owned());
        out.push((T::name().into_owned(), T::schema()));
        T::schemas(out);
    }
    // A match, so that a new pushed kind cannot be left out of the document.
    for kind in PushedKind::ALL {
        match kind {
            PushedKind::HouseholdMember => add::<HouseholdMember>(names, out),
            PushedKind::HealthReport => add::<HealthReport>(names, out),
            PushedKind::HelpRequest => add::<HelpRequest>(names, out),
            PushedKind::HelpRequestAction => add::<HelpRequestAction>(names, out),
            PushedKind::AlertAck => add::<AlertAck>(names, out),
            PushedKind::RumorTip => add::<RumorTip>(names, out),
            PushedKind::DoorKnock => add::<crate::volunteer::DoorKnock>(names, out),
            PushedKind::NeighbourHealthReport => {
                add::<crate::volunteer::NeighbourHealthReport>(names, out)
            }
            PushedKind::NeighbourHelpRequest => {
                add::<crate::volunteer::NeighbourHelpRequest>(names, out)
            }
            PushedKind::VolunteerHelpAction => {
                add::<crate::volunteer::VolunteerHelpAction>(names, out)
            }
            PushedKind::Relayed => add::<Relayed>(names, out),
        }
    }
}
