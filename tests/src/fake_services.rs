//! The services around latchkey, faked over real HTTP by the test stack (`src/bin/stack.rs`) for the whole run; tests
//! read what the webhook receiver got through `GET /inspect/hooks?login_email=…`:
//!
//! - `POST /hooks/redirect` — a backend answering 307 to `/hooks/latchkey`: a Worker that followed it would be seen
//!   there.
//! - `POST /hooks/latchkey` — the site's own backend receiving the webhook (the Worker's `WEBHOOK_URL`). It checks
//!   nothing itself: it keeps every request so tests can check the signature. Chosen by the account's login email, so
//!   parallel tests never share state: `…+hookfail2@…` answers 500 to the first two tries of each delivery, then 200.
//! - `GET /hibp/range/{prefix}` — a breached-password range API in Have I Been Pwned's format (`BREACH_CHECK_URL`):
//!   [`BREACHED`] are listed as breached; a prefix of [`BREACH_OUTAGE`] answers 503, of [`BREACH_SLOW`] too late.
//! - `POST /backchannel/{label}` — an app's back-channel logout endpoint (OpenID Connect Back-Channel Logout 1.0):
//!   keeps each `logout_token` for `GET /inspect/backchannel?label=…`; tests check the signature and the claims.
//! - `POST /turnstile/siteverify` — Cloudflare Turnstile's siteverify: with [`TURNSTILE_SECRET`], the token
//!   [`TURNSTILE_PASS`] passes and any other fails.

use crate::fake_http::{Request, Response};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Received {
    pub body: String,
    pub payload: Value,
    pub signature: String,
    pub delivery: String,
    /// Whether it was answered 2xx.
    pub accepted: bool,
}

static RECEIVED: OnceLock<Mutex<Vec<Received>>> = OnceLock::new();

fn received() -> std::sync::MutexGuard<'static, Vec<Received>> {
    RECEIVED.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

/// The services, for the stack's server; `None` for a path that is not theirs.
pub fn handle(request: &Request) -> Option<Response> {
    let path = request.path.as_str();
    match request.method.as_str() {
        "POST" if path == "/hooks/latchkey" => Some(webhook(request)),
        // A backend that points elsewhere: whatever follows the redirect lands in the receiver above.
        "POST" if path == "/hooks/redirect" => {
            Some(Response { status: 307, location: Some("/hooks/latchkey".into()), ..Response::json(307, "{}") })
        }
        "GET" if path.starts_with("/hibp/range/") => Some(breach_range(&path["/hibp/range/".len()..])),
        "POST" if path == "/turnstile/siteverify" => Some(siteverify(request)),
        "POST" if path.starts_with("/backchannel/") => Some(backchannel(&path["/backchannel/".len()..], request)),
        _ => None,
    }
}

/// `GET /inspect/hooks?login_email=…`, for the stack's server.
pub fn inspect(login_email: &str) -> Response {
    let about: Vec<Received> = received().iter().filter(|r| r.payload["login_email"] == login_email).cloned().collect();
    Response::json(200, serde_json::to_string(&about).unwrap_or_default())
}

static LOGOUTS: OnceLock<Mutex<HashMap<String, Vec<String>>>> = OnceLock::new();

fn logouts() -> std::sync::MutexGuard<'static, HashMap<String, Vec<String>>> {
    LOGOUTS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

/// An app receiving a logout token: a form POST with `logout_token` (answered 200, as the specification asks).
fn backchannel(label: &str, request: &Request) -> Response {
    let token =
        url::form_urlencoded::parse(&request.body).find(|(k, _)| k == "logout_token").map(|(_, v)| v.into_owned());
    let form = request.headers.get("content-type").is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    match token.filter(|_| form) {
        Some(token) => {
            logouts().entry(label.to_owned()).or_default().push(token);
            Response::json(200, "{}")
        }
        None => Response::json(400, r#"{"error":"invalid_request"}"#),
    }
}

/// `GET /inspect/backchannel?label=…`, for the stack's server.
pub fn inspect_backchannel(label: &str) -> Response {
    Response::json(200, serde_json::to_string(&logouts().get(label).cloned().unwrap_or_default()).unwrap_or_default())
}

/// The secret a Worker under test must send to the fake siteverify.
pub const TURNSTILE_SECRET: &str = "test-turnstile-secret";
/// The one token the fake siteverify accepts.
pub const TURNSTILE_PASS: &str = "test-turnstile-pass";

fn siteverify(request: &Request) -> Response {
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    let success = body["secret"] == TURNSTILE_SECRET && body["response"] == TURNSTILE_PASS;
    let codes = if success { "[]" } else { r#"["invalid-input-response"]"# };
    // As Cloudflare's does: the site the check was solved on, and the action the page gave it.
    Response::json(
        200,
        format!(r#"{{"success":{success},"error-codes":{codes},"hostname":"127.0.0.1","action":"reset_request"}}"#),
    )
}

/// Passwords the fake range API lists as breached (they pass the default policy otherwise).
pub const BREACHED: &[&str] = &["Breached-Harbor-93-Violet"];
/// A password whose range the fake API cannot answer (503): the Worker goes on without the check.
pub const BREACH_OUTAGE: &str = "Outage-Harbor-93-Violet";
/// A password whose range the fake API answers only after [`BREACH_SLOW_SECS`], listing it as breached: a Worker that
/// waited that long would say so.
pub const BREACH_SLOW: &str = "Slowpoke-Harbor-93-Violet";
pub const BREACH_SLOW_SECS: u64 = 10;

fn sha1_hex(password: &str) -> String {
    Sha1::digest(password.as_bytes()).iter().map(|b| format!("{b:02X}")).collect()
}

fn breach_range(prefix: &str) -> Response {
    if sha1_hex(BREACH_OUTAGE).starts_with(prefix) {
        return Response::text(503, "unavailable");
    }
    if let Some(suffix) = sha1_hex(BREACH_SLOW).strip_prefix(prefix) {
        // Each connection has a thread of its own: only this answer waits.
        std::thread::sleep(std::time::Duration::from_secs(BREACH_SLOW_SECS));
        return Response::text(200, format!("{suffix}:7"));
    }
    // Decoys first, as a padded answer would have them; then the breached suffixes under this prefix.
    let mut lines: Vec<String> = (0..50).map(|i| format!("{:035X}:0", i * 7919 + 1)).collect();
    for password in BREACHED {
        if let Some(suffix) = sha1_hex(password).strip_prefix(prefix) {
            lines.push(format!("{suffix}:42"));
        }
    }
    Response::text(200, lines.join("\r\n"))
}

fn webhook(request: &Request) -> Response {
    let body = String::from_utf8_lossy(&request.body).into_owned();
    let payload: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let header = |name: &str| request.headers.get(name).cloned().unwrap_or_default();
    let delivery = header("latchkey-delivery");
    let mut received = received();
    let earlier = received.iter().filter(|r| r.delivery == delivery).count();
    let failing = payload["login_email"].as_str().is_some_and(|e| e.contains("+hookfail2@")) && earlier < 2;
    received.push(Received { body, payload, signature: header("latchkey-signature"), delivery, accepted: !failing });
    if failing {
        Response::json(500, r#"{"error":"backend down"}"#)
    } else {
        Response::json(200, "{}")
    }
}

/// Every request received about `login_email`, oldest first.
pub fn received_for(login_email: &str) -> Vec<Received> {
    let url = format!("{}/inspect/hooks?login_email={}", crate::fakes_url(), crate::http1::encode(login_email));
    let (status, body) = crate::http1::request("GET", &url).expect("the test stack's fakes answer");
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).expect("the received requests")
}

/// Where the fake siteverify is.
pub fn siteverify_url() -> String {
    format!("{}/turnstile/siteverify", crate::fakes_url())
}

/// Checks a `Latchkey-Signature` header (`t=<unix>,v1=<hex>`) the way a site's backend would: the HMAC-SHA256 of
/// `"<t>.<body>"` under the shared secret, and a timestamp within `tolerance_secs` of now. The timestamp if valid.
pub fn verify_signature(header: &str, body: &str, secret: &str, tolerance_secs: u64) -> Option<u64> {
    let fields: HashMap<&str, &str> = header.split(',').filter_map(|kv| kv.split_once('=')).collect();
    let timestamp: u64 = fields.get("t")?.parse().ok()?;
    let now = crate::now_secs();
    if now.abs_diff(timestamp) > tolerance_secs {
        return None;
    }
    let expected = hex_decode(fields.get("v1")?)?;
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(format!("{timestamp}.{body}").as_bytes());
    mac.verify_slice(&expected).ok().map(|_| timestamp)
}

fn hex_decode(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}
