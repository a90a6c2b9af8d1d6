//! Fetching the active policy from the Worker.

use crate::js_json::Json;
use js_sys::Promise;
use latchkey_shared::json_reader::JsonNode;
use latchkey_shared::{Policy, PolicyError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

#[derive(Debug, thiserror::Error)]
pub enum PolicyFetchError {
    #[error("cannot fetch the policy: {0}")]
    Network(String),
    #[error("the policy endpoint answered HTTP {0}")]
    Status(u16),
    #[error("the policy endpoint sent an invalid policy: {0}")]
    Invalid(#[from] PolicyError),
}

/// Starts fetching the policy from `url`.
pub fn request(url: &str) -> Result<Promise, PolicyFetchError> {
    let window = web_sys::window().ok_or_else(|| PolicyFetchError::Network("no window".into()))?;
    Ok(window.fetch_with_str(url))
}

/// The policy from a `fetch` of the policy endpoint: [`request`]'s, or the one `latchkey.js` started while the wasm
/// was still downloading.
pub async fn receive(request: Promise) -> Result<Policy, PolicyFetchError> {
    // The error's own text ("TypeError: Failed to fetch"), without Rust's Debug formatting.
    let network = |err: wasm_bindgen::JsValue| PolicyFetchError::Network(js_sys::Object::from(err).to_string().into());
    let response: Response = JsFuture::from(request).await.map_err(network)?.unchecked_into();
    if !response.ok() {
        return Err(PolicyFetchError::Status(response.status()));
    }
    // The body is `PolicyResponse` JSON; only its policy matters here.
    let body = Json(JsFuture::from(response.json().map_err(network)?).await.map_err(network)?);
    let policy = body.field("policy").ok_or_else(|| PolicyError::MissingField("policy".into()))?;
    // The server validated it already; validating again keeps a tampered or stale response from misleading anyone.
    Ok(Policy::read(&policy)?)
}
