//! JSON through the browser's own `JSON` object and `serde-wasm-bindgen`, so the wasm carries
//! no JSON parser or float formatter of its own (serde_json costs ~40 KB in the binary).

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// Serialises a value to JSON text.
pub fn to_json<T: Serialize>(value: &T) -> Option<String> {
    let js = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    js_sys::JSON::stringify(&js).ok()?.as_string()
}

/// Parses JSON text into a value.
pub fn from_json<T: DeserializeOwned>(text: &str) -> Option<T> {
    let js = parse(text)?;
    serde_wasm_bindgen::from_value(js).ok()
}

/// Parses JSON text into a JS value.
pub fn parse(text: &str) -> Option<JsValue> {
    js_sys::JSON::parse(text).ok()
}

/// `JSON.stringify` of a JS value.
pub fn stringify(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value).ok()?.as_string()
}

/// A property of a JS object (`undefined` when absent).
pub fn get(obj: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A JSON string literal for `s` (quoted and escaped).
pub fn quote(s: &str) -> String {
    stringify(&JsValue::from_str(s)).unwrap_or_else(|| "\"\"".into())
}
