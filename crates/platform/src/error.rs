//! API errors in the Protocol v1 error shape `{"error":{"code","message"}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use linli_protocol::ErrorBody;

/// An error answer: a status, a snake_case code and a message that names the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
    }

    pub fn too_many(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// A server fault: logged in full, answered without internals.
    pub fn internal(err: impl std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {err:#}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; please try again later",
        )
    }
}

/// The one place each module's typed refusal becomes an HTTP answer.
mod refusals {
    use super::ApiError;
    use crate::help::{DetailError, StaffChangeError};
    use crate::publishing::PublishError;
    use crate::staff::{AccountError, UpdateError};
    use crate::structure::StructureError;
    use crate::tips::TipError;
    use axum::http::StatusCode;

    const OUT_OF_SCOPE: &str = "outside the grids this account works in";

    fn conflict(message: String) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }

    impl From<crate::rollcall::RollCallError> for ApiError {
        fn from(e: crate::rollcall::RollCallError) -> ApiError {
            match e {
                crate::rollcall::RollCallError::NotFound(_) => ApiError::not_found(e.to_string()),
                crate::rollcall::RollCallError::OutOfScope => ApiError::forbidden(OUT_OF_SCOPE),
            }
        }
    }

    impl From<PublishError> for ApiError {
        fn from(e: PublishError) -> ApiError {
            match e {
                PublishError::NotFound(..) => ApiError::not_found(e.to_string()),
                PublishError::OutOfScope => ApiError::forbidden(OUT_OF_SCOPE),
                PublishError::Invalid(m) => ApiError::bad_request(m),
            }
        }
    }

    impl From<StructureError> for ApiError {
        fn from(e: StructureError) -> ApiError {
            match e {
                StructureError::NotFound { .. } => ApiError::not_found(e.to_string()),
                StructureError::Conflict(_) => conflict(e.to_string()),
                StructureError::OutOfScope => ApiError::forbidden(OUT_OF_SCOPE),
                StructureError::UnknownGrid { .. } | StructureError::AtLine { .. } => {
                    ApiError::bad_request(e.to_string())
                }
            }
        }
    }

    impl From<TipError> for ApiError {
        fn from(e: TipError) -> ApiError {
            match e {
                TipError::NotFound(_) => ApiError::not_found(e.to_string()),
                TipError::UnknownRebuttal(_) => ApiError::bad_request(e.to_string()),
                TipError::OutOfScope => ApiError::forbidden(OUT_OF_SCOPE),
            }
        }
    }

    impl From<DetailError> for ApiError {
        fn from(e: DetailError) -> ApiError {
            match e {
                DetailError::NotFound(_) => ApiError::not_found(e.to_string()),
                DetailError::OutOfScope => ApiError::forbidden(OUT_OF_SCOPE),
            }
        }
    }

    impl From<StaffChangeError> for ApiError {
        fn from(e: StaffChangeError) -> ApiError {
            match e {
                StaffChangeError::OutOfScope => ApiError::forbidden(OUT_OF_SCOPE),
                StaffChangeError::NotFound => ApiError::not_found("no help request with this id"),
                StaffChangeError::NotSettable => {
                    ApiError::bad_request("status: staff may set assigned, in_progress or resolved")
                }
                StaffChangeError::Closed => {
                    conflict("status: the request is already confirmed or cancelled".into())
                }
                StaffChangeError::NotAVolunteer => {
                    ApiError::bad_request("volunteer: not a volunteer of the request's building")
                }
            }
        }
    }

    impl From<AccountError> for ApiError {
        fn from(e: AccountError) -> ApiError {
            match e {
                AccountError::UsernameTaken(_) => conflict(e.to_string()),
                AccountError::UnknownGrid(..) => ApiError::bad_request(e.to_string()),
            }
        }
    }

    impl From<UpdateError> for ApiError {
        fn from(e: UpdateError) -> ApiError {
            match e {
                UpdateError::NotFound(_) => ApiError::not_found(e.to_string()),
                UpdateError::Account(a) => a.into(),
                UpdateError::Yourself => ApiError::bad_request(e.to_string()),
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, Json(ErrorBody::new(self.code, self.message))).into_response();
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            res.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(crate::ratelimit::WINDOW_S),
            );
        }
        res
    }
}

/// Puts every API error answer in the Protocol v1 shape, also those axum writes itself as
/// plain text (a query string or path segment its extractors reject, e.g. a repeated
/// `cursor` or a path that is not UTF-8). Status and other headers are kept.
pub async fn in_error_shape(res: Response) -> Response {
    let status = res.status();
    let json = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if json || !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
        .unwrap_or_default();
    let code = match status {
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_lowercase()
    } else {
        text
    };
    let mut out = ApiError::new(status, code, message).into_response();
    for (name, value) in &parts.headers {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            out.headers_mut().insert(name, value.clone());
        }
    }
    out
}
