//! A fake mail provider speaking Resend's API (`POST /emails`, Bearer key, `Idempotency-Key`) and Postmark's
//! (`POST /email`, `X-Postmark-Server-Token`, PascalCase fields) over real HTTP, served by the test stack
//! (`src/bin/stack.rs`) for the whole run, so a retry always lands in the same inbox; tests read what it received
//! through its `GET /inspect/mail?to=…` (the functions at the end of this file).
//!
//! Behaviour is chosen by the recipient's address, so tests running in parallel never share state:
//! `…+fail2@…` answers 503 twice per message then accepts; `…+alwaysfail@…` always answers 500;
//! `…+refuse@…` answers 422 (a permanent refusal); `…+ratelimited@…` answers 429 twice per message then accepts;
//! `…+slow@…` answers after 3 s. Each provider's semantics are its own: like Resend, a repeated `Idempotency-Key` is
//! not delivered twice; like Postmark, which has no such key, every accepted request is a mail in the person's inbox.

use crate::fake_http::{Request, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The API key the Worker is configured with in the test run.
pub const API_KEY: &str = "test-mail-key";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    /// Which API took it: `resend` or `postmark`.
    #[serde(default)]
    pub provider: String,
    /// The sender as the Worker named it (`From`).
    #[serde(default)]
    pub from: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub idempotency_key: String,
}

#[derive(Default)]
struct Inbox {
    /// Every request per recipient, accepted or not.
    attempts: HashMap<String, u32>,
    /// Attempts per idempotency key, for the `+fail2` behaviour.
    attempts_per_key: HashMap<String, u32>,
    accepted_keys: Vec<String>,
    deliveries: Vec<Delivery>,
}

static INBOX: OnceLock<Mutex<Inbox>> = OnceLock::new();

fn inbox() -> std::sync::MutexGuard<'static, Inbox> {
    INBOX.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

/// The provider's API, for the stack's server.
pub fn handle(request: &Request) -> Response {
    let (status, body) = answer(request);
    Response::json(status, body)
}

/// `GET /inspect/mail?to=…`, for the stack's server: what was accepted for that recipient, and how many requests
/// named it.
pub fn inspect(recipient: &str) -> Response {
    let inbox = inbox();
    let deliveries: Vec<&Delivery> = inbox.deliveries.iter().filter(|d| d.to.iter().any(|t| t == recipient)).collect();
    let attempts = inbox.attempts.get(recipient).copied().unwrap_or(0);
    Response::json(200, serde_json::json!({"deliveries": deliveries, "attempts": attempts}).to_string())
}

/// What a request carries, as either API names it.
struct Sent {
    provider: &'static str,
    /// Resend's `Idempotency-Key`; Postmark has none (its message id header is for tracing only).
    key: Option<String>,
    from: String,
    to: Vec<String>,
    subject: String,
    text: String,
    html: String,
}

/// The request as Resend (`/emails`) or Postmark (`/email`) takes it, or the error it answers.
fn read(Request { method, path, headers, body }: &Request) -> Result<Sent, (u16, String)> {
    let header = |name: &str| headers.get(name).cloned();
    let Ok(mail) = serde_json::from_slice::<Value>(body) else { return Err((422, r#"{"message":"bad json"}"#.into())) };
    let field = |name: &str| mail[name].as_str().unwrap_or_default().to_owned();
    match (method.as_str(), path.as_str()) {
        ("POST", "/emails") => {
            if header("authorization") != Some(format!("Bearer {API_KEY}")) {
                return Err((401, r#"{"message":"missing or wrong API key"}"#.into()));
            }
            let to = mail["to"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned));
            Ok(Sent {
                provider: "resend",
                key: header("idempotency-key"),
                from: field("from"),
                to: to.collect(),
                subject: field("subject"),
                text: field("text"),
                html: field("html"),
            })
        }
        ("POST", "/email") => {
            if header("x-postmark-server-token").as_deref() != Some(API_KEY) {
                return Err((401, r#"{"ErrorCode":10,"Message":"Bad or missing Server API token."}"#.into()));
            }
            let to = field("To").split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
            Ok(Sent {
                provider: "postmark",
                key: None,
                from: field("From"),
                to,
                subject: field("Subject"),
                text: field("TextBody"),
                html: field("HtmlBody"),
            })
        }
        _ => Err((404, r#"{"message":"not found"}"#.into())),
    }
}

fn answer(request: &Request) -> (u16, String) {
    let sent = match read(request) {
        Ok(sent) => sent,
        Err(refused) => return refused,
    };
    if sent.to.iter().any(|r| r.contains("+slow@")) {
        // Before taking the inbox, so other requests are not held up.
        std::thread::sleep(std::time::Duration::from_secs(3));
    }
    let mut inbox = inbox();
    for recipient in &sent.to {
        *inbox.attempts.entry(recipient.clone()).or_default() += 1;
    }
    // The `+fail2` and `+ratelimited` behaviours count tries of one message: its key, else what it says and to whom.
    let message = sent.key.clone().unwrap_or_else(|| format!("{:?}{}{}", sent.to, sent.subject, sent.text));
    let attempt = {
        let n = inbox.attempts_per_key.entry(message).or_default();
        *n += 1;
        *n
    };
    let behaviour = |tag: &str| sent.to.iter().any(|r| r.contains(tag));
    if behaviour("+alwaysfail@") {
        return (500, r#"{"message":"provider down"}"#.into());
    }
    if behaviour("+refuse@") {
        return (422, r#"{"message":"recipient refused","ErrorCode":406}"#.into());
    }
    if behaviour("+fail2@") && attempt <= 2 {
        return (503, r#"{"message":"try later"}"#.into());
    }
    if behaviour("+ratelimited@") && attempt <= 2 {
        return (429, r#"{"message":"too many requests"}"#.into());
    }
    let key = sent.key.clone().unwrap_or_default();
    let repeated = sent.key.as_ref().is_some_and(|key| inbox.accepted_keys.contains(key));
    if !repeated {
        if let Some(key) = &sent.key {
            inbox.accepted_keys.push(key.clone());
        }
        inbox.deliveries.push(Delivery {
            provider: sent.provider.into(),
            from: sent.from,
            to: sent.to,
            subject: sent.subject,
            text: sent.text,
            html: sent.html,
            idempotency_key: key.clone(),
        });
    }
    let id = inbox.deliveries.len();
    (200, format!(r#"{{"id":"{key}","MessageID":"pm-{id}","ErrorCode":0}}"#))
}

/// What the stack's provider recorded for `recipient`.
fn recorded(recipient: &str) -> (Vec<Delivery>, u32) {
    let url = format!("{}/inspect/mail?to={}", crate::fakes_url(), crate::http1::encode(recipient));
    let (status, body) = crate::http1::request("GET", &url).expect("the test stack's fakes answer");
    assert_eq!(status, 200, "{body}");
    let recorded: Value = serde_json::from_str(&body).expect("a JSON record");
    let deliveries = serde_json::from_value(recorded["deliveries"].clone()).expect("deliveries");
    (deliveries, recorded["attempts"].as_u64().unwrap_or(0) as u32)
}

/// Mail accepted for `recipient`, oldest first.
pub fn deliveries_to(recipient: &str) -> Vec<Delivery> {
    recorded(recipient).0
}

/// Requests the Worker made for `recipient`, accepted or not.
pub fn attempts_for(recipient: &str) -> u32 {
    recorded(recipient).1
}
