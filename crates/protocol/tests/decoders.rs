//! The short property-based version of the fuzzers (`cargo xtask fuzz` runs the long one): the
//! decoders the platform runs on untrusted input never panic, on random bytes and on random
//! JSON shaped like the protocol's bodies, and what they accept round-trips.
#![cfg(not(target_arch = "wasm32"))]

use linli_protocol::decode;
use proptest::prelude::*;
use serde_json::{json, Value};

/// Random JSON built from the protocol's own field names and plausible values, so that the
/// decoders get past the first field often.
fn field_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-50.0f64..60.0).prop_map(|f| json!(f)),
        prop_oneof![
            Just("0190c7a8-3b1e-7c2d-8f00-000000000001".to_owned()),
            Just("2026-11-28T09:00:00+08:00".to_owned()),
            Just("2026-11-28".to_owned()),
            Just("cough".to_owned()),
            Just("false".to_owned()),
            Just("https://example.org".to_owned()),
            "[a-z_]{0,12}",
            "\\PC{0,20}",
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            proptest::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("member_id"),
        Just("date"),
        Just("temperature_c"),
        Just("symptoms"),
        Just("note"),
        Just("reported_at"),
        Just("display_name"),
        Just("flags"),
        Just("category"),
        Just("urgency"),
        Just("description"),
        Just("created_at"),
        Just("request_id"),
        Just("action"),
        Just("alert_id"),
        Just("response"),
        Just("at"),
        Just("text"),
        Just("en"),
        Just("zh-Hant"),
        Just("claim"),
        Just("verdict"),
        Just("sources"),
        Just("url"),
        Just("title"),
        Just("area"),
        Just("grids"),
        Just("expires"),
        Just("x"),
    ]
    .prop_map(str::to_owned)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn decoders_never_panic_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256), sel in any::<u8>()) {
        decode::push_envelope(&bytes);
        decode::pushed_body(sel, &bytes);
        decode::published_body(sel, &bytes);
    }

    #[test]
    fn decoders_never_panic_on_protocol_shaped_json(body in field_value(), sel in any::<u8>(), kind in "[a-z_]{0,20}") {
        let text = serde_json::to_vec(&body).unwrap();
        decode::pushed_body(sel, &text);
        decode::published_body(sel, &text);
        let push = json!({"items": [{"id": "0190c7a8-3b1e-7c2d-8f00-000000000001", "kind": kind, "body": body}]});
        decode::push_envelope(&serde_json::to_vec(&push).unwrap());
    }
}
