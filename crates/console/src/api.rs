//! Talking to the platform: JSON over `fetch`, same origin. The session is the platform's
//! HttpOnly cookie, which script never sees; every write carries the session's CSRF token.

use gloo_net::http::{Request, RequestBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::RefCell;

thread_local! {
    /// The CSRF token of the signed-in session (from the sign-in or `GET …/session`).
    static CSRF: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Remembers (or forgets) the session's CSRF token.
pub fn set_csrf(token: Option<String>) {
    CSRF.with(|c| *c.borrow_mut() = token);
}

/// Why a call failed, as the console tells the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// No answer (network down, platform stopped).
    Network,
    /// 401: the session ended.
    SignedOut,
    /// 403: outside the account's role or grids.
    Forbidden,
    NotFound,
    /// Another 4xx/5xx: the platform's message (it names the field).
    Refused(u16, String),
}

impl ApiError {
    /// What to show, in the chosen language where the console has words for it.
    pub fn message(&self, t: &crate::i18n::Texts) -> String {
        match self {
            ApiError::Network => t.error_network.into(),
            ApiError::SignedOut => t.error_signed_out.into(),
            ApiError::Forbidden => t.error_forbidden.into(),
            ApiError::NotFound => t.not_found.into(),
            ApiError::Refused(_, m) => m.clone(),
        }
    }
}

async fn finish<T: DeserializeOwned>(
    builder: RequestBuilder,
    body: Option<(&str, String)>,
) -> Result<T, ApiError> {
    let request = match body {
        Some((content_type, b)) => builder.header("Content-Type", content_type).body(b),
        None => builder.build(),
    }
    .map_err(|_| ApiError::Network)?;
    let res = request.send().await.map_err(|_| ApiError::Network)?;
    let status = res.status();
    let text = res.text().await.map_err(|_| ApiError::Network)?;
    match status {
        200..=299 => {
            let text = if text.is_empty() { "null" } else { &text };
            serde_json::from_str(text).map_err(|e| ApiError::Refused(status, e.to_string()))
        }
        401 => Err(ApiError::SignedOut),
        403 => Err(ApiError::Forbidden),
        404 => Err(ApiError::NotFound),
        _ => {
            let message = serde_json::from_str::<linli_protocol::ErrorBody>(&text)
                .map(|e| e.error.message)
                .unwrap_or_else(|_| format!("HTTP {status}"));
            Err(ApiError::Refused(status, message))
        }
    }
}

fn with_csrf(builder: RequestBuilder) -> RequestBuilder {
    match CSRF.with(|c| c.borrow().clone()) {
        Some(token) => builder.header("X-CSRF-Token", &token),
        None => builder,
    }
}

/// `GET path`.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    finish(Request::get(path), None).await
}

/// A write: `method path` with a JSON body (or none), with the CSRF token.
pub async fn send<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: Option<&B>,
) -> Result<T, ApiError> {
    let builder = match method {
        "PUT" => Request::put(path),
        "DELETE" => Request::delete(path),
        _ => Request::post(path),
    };
    let body = match body {
        Some(b) => Some((
            "application/json",
            serde_json::to_string(b).map_err(|e| ApiError::Refused(0, e.to_string()))?,
        )),
        None => None,
    };
    finish(with_csrf(builder), body).await
}

/// `POST path` with a raw text body (the structure CSV), with the CSRF token.
pub async fn post_text<T: DeserializeOwned>(
    path: &str,
    content_type: &str,
    text: String,
) -> Result<T, ApiError> {
    finish(with_csrf(Request::post(path)), Some((content_type, text))).await
}
