//! A request the Worker sends to another service (a mail provider's API, the site's webhook, the breach check,
//! Turnstile): built by pure code, sent by the `fetch` module.

use latchkey_shared::Secret;

/// Header values (API keys, signatures) and the body (mail carries reset links) are secrets: `Debug` shows the URL
/// and the header names only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundRequest {
    pub url: String,
    pub headers: Vec<(&'static str, Secret<String>)>,
    pub body: Secret<String>,
}
