//! Property tests: every kind round-trips through JSON, and the validator accepts whatever a
//! valid value serializes to.
#![cfg(not(target_arch = "wasm32"))]

use linli_protocol::ids::Id;
use linli_protocol::sync::{PulledKind, PulledRecord, PushItem, PushedKind, PushedRecord};
use proptest::prelude::*;
use serde_json::{json, Value};

fn id() -> impl Strategy<Value = String> {
    (any::<u64>(), any::<[u8; 10]>()).prop_map(|(ms, r)| Id::v7(ms >> 16, r).to_string())
}
fn text(min: usize, max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof!["[a-zA-Z0-9 ]", "[鄰里謠言邻谣言警報]"],
        min..=max,
    )
    .prop_map(|v| v.concat())
    .prop_filter("needs visible text", move |s| {
        s.trim().chars().count() >= min
    })
}
fn time() -> impl Strategy<Value = String> {
    (0i64..4_102_444_800_000)
        .prop_map(|ms| linli_protocol::time::Timestamp::from_unix_ms(ms).to_string())
}
fn date() -> impl Strategy<Value = String> {
    (0i64..4_102_444_800_000)
        .prop_map(|ms| linli_protocol::time::Timestamp::date_of_unix_ms(ms).to_string())
}
fn localized() -> impl Strategy<Value = Value> {
    (
        proptest::option::of(text(1, 30)),
        proptest::option::of(text(1, 30)),
        text(1, 30),
    )
        .prop_map(|(hant, hans, en)| {
            let mut v = json!({ "en": en });
            if let Some(h) = hant {
                v["zh-Hant"] = json!(h);
            }
            if let Some(h) = hans {
                v["zh-Hans"] = json!(h);
            }
            v
        })
}
fn one_of(items: &'static [&'static str]) -> impl Strategy<Value = Value> {
    proptest::sample::select(items).prop_map(|s| json!(s))
}
fn some_of(items: &'static [&'static str]) -> impl Strategy<Value = Value> {
    proptest::sample::subsequence(items, 0..=items.len()).prop_map(|v| json!(v))
}

fn pushed() -> impl Strategy<Value = (PushedKind, Value)> {
    prop_oneof![
        (text(1, 50), proptest::option::of(1900i64..=2100), some_of(&["elderly_alone", "disabled", "chronic_illness", "pregnant", "infant"]))
            .prop_map(|(n, y, f)| (PushedKind::HouseholdMember, json!({"display_name": n, "birth_year": y, "flags": f}))),
        (id(), date(), proptest::option::of(340u32..=430), some_of(&["fever", "cough", "sore_throat", "fatigue", "other"]), proptest::option::of(text(0, 500)), time(), proptest::option::of(any::<bool>()))
            .prop_map(|(m, d, t, s, note, at, vol)| (PushedKind::HealthReport, json!({
                "member_id": m, "date": d, "temperature_c": t.map(|t| t as f64 / 10.0), "symptoms": s,
                "note": note, "reported_at": at, "reported_by_volunteer": vol}))),
        (id(), one_of(&["medicine", "food_water", "medical_care", "elderly_care", "utilities", "other"]), one_of(&["normal", "urgent", "life_threatening"]), text(1, 1000), time())
            .prop_map(|(m, c, u, d, at)| (PushedKind::HelpRequest, json!({"member_id": m, "category": c, "urgency": u, "description": d, "created_at": at}))),
        (id(), one_of(&["confirm_resolved", "reopen", "cancel"]), proptest::option::of(text(0, 500)))
            .prop_map(|(r, a, n)| (PushedKind::HelpRequestAction, json!({"request_id": r, "action": a, "note": n}))),
        (id(), one_of(&["safe", "need_help"]), time()).prop_map(|(a, r, at)| (PushedKind::AlertAck, json!({"alert_id": a, "response": r, "at": at}))),
        (text(1, 2000), time()).prop_map(|(t, at)| (PushedKind::RumorTip, json!({"text": t, "at": at}))),
        (id(), one_of(&["safe", "needs_help", "no_answer", "refused"]), proptest::option::of(text(0, 500)), time(), proptest::option::of(id()))
            .prop_map(|(h, o, note, at, alert)| (PushedKind::DoorKnock, json!({"household_id": h, "outcome": o, "note": note, "at": at, "alert_id": alert}))),
        (id(), id(), date(), some_of(&["fever", "cough", "fatigue"]), time())
            .prop_map(|(h, m, d, s, at)| (PushedKind::NeighbourHealthReport, json!({"household_id": h, "report": {
                "member_id": m, "date": d, "symptoms": s, "reported_at": at, "reported_by_volunteer": true}}))),
        (id(), id(), one_of(&["medicine", "food_water", "other"]), one_of(&["normal", "urgent"]), text(1, 1000), time())
            .prop_map(|(h, m, c, u, d, at)| (PushedKind::NeighbourHelpRequest, json!({"household_id": h, "request": {
                "member_id": m, "category": c, "urgency": u, "description": d, "created_at": at}}))),
        (id(), one_of(&["accept", "in_progress", "resolved"]), proptest::option::of(text(0, 500)), time())
            .prop_map(|(r, a, n, at)| (PushedKind::VolunteerHelpAction, json!({"request_id": r, "action": a, "note": n, "at": at}))),
    ]
}

fn pulled() -> impl Strategy<Value = (PulledKind, Value)> {
    prop_oneof![
        (localized(), time(), one_of(&["actual", "exercise", "test"]), one_of(&["alert", "update", "cancel"]), some_of(&["geo", "met", "health", "cbrne"]),
         one_of(&["extreme", "severe", "moderate", "minor", "unknown"]), some_of(&["shelter", "evacuate", "all_clear", "none"]), localized(), time())
            .prop_map(|(l, sent, st, mt, cat, sev, rt, desc, exp)| (PulledKind::Alert, json!({
                "identifier": "linli-1", "sender_name": l, "sent": sent, "status": st, "msg_type": mt, "category": cat,
                "event": desc, "urgency": "immediate", "severity": sev, "certainty": "observed", "response_type": rt,
                "headline": desc, "description": desc, "instruction": desc, "expires": exp,
                "area": {"desc": desc, "grids": ["G1"], "buildings": []}}))),
        (localized(), one_of(&["false", "misleading", "unproven", "true"]), localized(), time())
            .prop_map(|(c, v, e, p)| (PulledKind::Rebuttal, json!({"claim": c, "verdict": v, "explanation": e,
                "sources": [{"title": "WHO", "url": "https://www.who.int/"}], "published": p, "tags": ["epidemic"]}))),
        (one_of(&["policy", "service"]), localized(), localized(), time(), proptest::option::of(time()))
            .prop_map(|(k, t, b, p, e)| (PulledKind::Notice, json!({"kind": k, "title": t, "body": b, "published": p, "expires": e}))),
        (one_of(&["earthquake", "fire", "flood", "typhoon", "epidemic", "power_outage", "heat", "other"]), localized(), localized(), localized())
            .prop_map(|(h, t, head, step)| (PulledKind::Guide, json!({"hazard": h, "title": t, "sections": [{"heading": head, "steps": [step]}]}))),
        (one_of(&["shelter", "assembly_point", "supply_point", "clinic", "aed"]), localized(), -90.0f64..=90.0, -180.0f64..=180.0, proptest::option::of(0u32..5000), one_of(&["open", "closed", "full"]))
            .prop_map(|(k, n, lat, lon, cap, st)| (PulledKind::Facility, json!({"kind": k, "name": n, "address": n, "lat": lat, "lon": lon, "capacity": cap, "status": st}))),
        (id(), time(), one_of(&["received", "assigned", "in_progress", "resolved", "confirmed", "cancelled"]))
            .prop_map(|(m, at, st)| (PulledKind::HelpRequest, json!({"member_id": m, "category": "medicine", "urgency": "normal",
                "description": "藥", "created_at": at, "status": st, "history": [{"status": "received", "at": at}]}))),
        (one_of(&["safe", "needs_help", "no_answer", "refused"]), time(), text(1, 50))
            .prop_map(|(o, at, by)| (PulledKind::HouseholdVisit, json!({"outcome": o, "at": at, "by": by}))),
        (text(1, 20), 0u32..20, proptest::option::of(text(1, 50)), proptest::option::of(date()))
            .prop_map(|(unit, people, name, d)| (PulledKind::RosterHousehold, json!({"building": "G1-B1", "unit": unit, "people": people,
                "members": [{"member_id": "m1", "name": name, "checked_in": d, "flagged": d.as_ref().map(|_| false)}]}))),
    ]
}

/// Drops `null` members: absent and null optional fields mean the same thing.
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

proptest! {
    #[test]
    fn every_pushed_kind_round_trips_and_validates((kind, body) in pushed(), item_id in id()) {
        let item = PushItem { id: item_id.clone(), kind: kind.as_str().into(), body: body.clone() };
        let (parsed_id, record) = item.validate().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(parsed_id.as_str(), item_id.as_str());
        prop_assert_eq!(record.kind(), kind);
        let again = record.to_value();
        prop_assert_eq!(without_nulls(&again), without_nulls(&body));
        prop_assert_eq!(PushedRecord::parse(kind, &again).unwrap(), record);
    }

    #[test]
    fn every_pulled_kind_round_trips_and_validates((kind, body) in pulled()) {
        let record = PulledRecord::parse(kind, &body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let again = record.to_value();
        prop_assert_eq!(without_nulls(&again), without_nulls(&body));
        prop_assert_eq!(PulledRecord::parse(kind, &again).unwrap(), record);
    }

    #[test]
    fn out_of_range_temperatures_are_refused_naming_the_field(t in prop_oneof![0.0f64..33.99, 43.01f64..200.0], m in id()) {
        let body = json!({"member_id": m, "date": "2026-11-28", "temperature_c": t, "symptoms": [], "reported_at": "2026-11-28T09:00:00Z"});
        let err = PushedRecord::parse(PushedKind::HealthReport, &body).unwrap_err();
        prop_assert_eq!(err.field, "body.temperature_c");
    }
}
