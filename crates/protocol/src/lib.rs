//! Protocol v1: the wire types and their validation, shared by the PWA and the platform.
//!
//! This crate is the one place where a field is validated: newtypes parse once (ids, dates,
//! times, temperatures, text lengths, enums), and [`sync::parse_named`] names the field that
//! failed. It builds for wasm32 and native and must never depend on tokio, axum or anything
//! else only one side needs.

#[cfg(feature = "relay")]
pub mod carry;
#[doc(hidden)]
pub mod decode;
pub mod ids;
pub mod limits;
pub mod notify;
pub mod published;
pub mod pushed;
#[cfg(feature = "relay")]
pub mod relay;
#[cfg(feature = "openapi")]
pub mod schema;
#[cfg(feature = "relay")]
pub mod seal;
pub mod signing;
pub mod staff;
pub mod structure;
pub mod sync;
pub mod text;
pub mod time;
pub mod volunteer;

/// The protocol version this crate speaks; the API lives under `/api/v{VERSION}`.
pub const VERSION: u32 = 1;

use serde::{Deserialize, Serialize};

/// The body of every 4xx/5xx answer: `{"error":{"code":"snake_case","message":"…"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The inside of [`ErrorBody`]: a stable snake_case code and a human message naming the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: code.into(),
                message: message.into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_the_protocol_shape() {
        let json = serde_json::to_value(ErrorBody::new("bad_request", "items: expected an array"))
            .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {"code": "bad_request", "message": "items: expected an array"}})
        );
    }
}
