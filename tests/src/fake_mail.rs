//! A fake mail provider speaking Resend's API (`POST /emails`, Bearer key, `Idempotency-Key`) and Postmark's
//! (`POST /email`, `X-Postmark-Server-Token`, PascalCase fields) over real HTTP, served by the test stack
//! (`src/bin/stack.rs`) for the whole run, so a retry always lands in the same inbox; tests read what it received
//! through its `GET /inspect/mail?to=…` (the functions at the end of this file).
//!
//! Behaviour is chosen by the recipient's address, so tests running in parallel never share state:
//! `…+fail2@…` answers 503 twice per message then accepts; `…+alwaysfail@…` always answers 500;
//! `…+refuse@…` answers 422 (a permanent refusal); `…+ratelimited@…` answers 429 twice per message then accepts;
//! `…+slow@…` answers after 3 s; `…+flaky@…` answers 30% of requests `429` (`Retry-After: 1`) and 5% `500`, at random,
//! accepting nothing of those. The batch APIs (`/emails/batch`, `/email/batch`) are there too: Resend's with one
//! `Idempotency-Key` for the batch and a bad recipient refusing it whole, Postmark's answering for each message. Each provider's semantics are its own: like Resend, a repeated `Idempotency-Key` is
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
    accepted_keys: std::collections::HashSet<String>,
    deliveries: Vec<Delivery>,
    /// Requests to a `+flaky` address, and how many of them were answered `429` and `500`.
    flaky_requests: u64,
    flaky_throttled: u64,
    flaky_failed: u64,
}

static INBOX: OnceLock<Mutex<Inbox>> = OnceLock::new();

fn inbox() -> std::sync::MutexGuard<'static, Inbox> {
    INBOX.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner())
}

/// The provider's API, for the stack's server.
pub fn handle(request: &Request) -> Response {
    answer(request)
}

/// `GET /inspect/mail?to=…`, for the stack's server: what was accepted for that recipient, and how many requests
/// named it.
pub fn inspect(recipient: &str) -> Response {
    let inbox = inbox();
    let deliveries: Vec<&Delivery> = inbox.deliveries.iter().filter(|d| d.to.iter().any(|t| t == recipient)).collect();
    let attempts = inbox.attempts.get(recipient).copied().unwrap_or(0);
    Response::json(200, serde_json::json!({"deliveries": deliveries, "attempts": attempts}).to_string())
}

/// One mail of a request.
struct Mail {
    from: String,
    to: Vec<String>,
    subject: String,
    text: String,
    html: String,
}

/// What a request carries, as either API names it: one mail, or a batch.
struct Received {
    provider: &'static str,
    /// Resend's `Idempotency-Key` (for a batch, the batch's); Postmark has none (its message id header is for
    /// tracing only).
    key: Option<String>,
    mails: Vec<Mail>,
    batch: bool,
}

impl Received {
    fn any_to(&self, tag: &str) -> bool {
        self.mails.iter().any(|m| m.to.iter().any(|r| r.contains(tag)))
    }
}

fn resend_mail(mail: &Value) -> Mail {
    let field = |name: &str| mail[name].as_str().unwrap_or_default().to_owned();
    let to = mail["to"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned));
    Mail { from: field("from"), to: to.collect(), subject: field("subject"), text: field("text"), html: field("html") }
}

fn postmark_mail(mail: &Value) -> Mail {
    let field = |name: &str| mail[name].as_str().unwrap_or_default().to_owned();
    let to = field("To").split(',').map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect();
    Mail { from: field("From"), to, subject: field("Subject"), text: field("TextBody"), html: field("HtmlBody") }
}

/// The request as Resend (`/emails`, `/emails/batch`) or Postmark (`/email`, `/email/batch`) takes it, or the error
/// it answers.
fn read(Request { method, path, headers, body }: &Request) -> Result<Received, (u16, String)> {
    let header = |name: &str| headers.get(name).cloned();
    let Ok(json) = serde_json::from_slice::<Value>(body) else { return Err((422, r#"{"message":"bad json"}"#.into())) };
    let batch = path.ends_with("/batch");
    let items = |read: fn(&Value) -> Mail| -> Result<Vec<Mail>, (u16, String)> {
        match (&json, batch) {
            (Value::Array(items), true) if !items.is_empty() && items.len() <= 500 => {
                Ok(items.iter().map(read).collect())
            }
            (Value::Object(_), false) => Ok(vec![read(&json)]),
            _ => Err((422, r#"{"message":"a batch is an array of 1 to 100 mails; a mail an object"}"#.into())),
        }
    };
    match (method.as_str(), path.as_str()) {
        ("POST", "/emails" | "/emails/batch") => {
            if header("authorization") != Some(format!("Bearer {API_KEY}")) {
                return Err((401, r#"{"message":"missing or wrong API key"}"#.into()));
            }
            let mails = items(resend_mail)?;
            if mails.len() > 100 {
                return Err((422, r#"{"message":"at most 100 mails a batch"}"#.into()));
            }
            Ok(Received { provider: "resend", key: header("idempotency-key"), mails, batch })
        }
        ("POST", "/email" | "/email/batch") => {
            if header("x-postmark-server-token").as_deref() != Some(API_KEY) {
                return Err((401, r#"{"ErrorCode":10,"Message":"Bad or missing Server API token."}"#.into()));
            }
            Ok(Received { provider: "postmark", key: None, mails: items(postmark_mail)?, batch })
        }
        _ => Err((404, r#"{"message":"not found"}"#.into())),
    }
}

/// The `+flaky` behaviour's draw for the request numbered `n`: 0..100, spread evenly (splitmix64).
fn draw(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) % 100
}

fn answer(request: &Request) -> Response {
    let received = match read(request) {
        Ok(received) => received,
        Err((status, body)) => return Response::json(status, body),
    };
    if received.any_to("+slow@") {
        // Before taking the inbox, so other requests are not held up.
        std::thread::sleep(std::time::Duration::from_secs(3));
    }
    let mut inbox = inbox();
    for recipient in received.mails.iter().flat_map(|m| &m.to) {
        *inbox.attempts.entry(recipient.clone()).or_default() += 1;
    }
    // The `+fail2` and `+ratelimited` behaviours count tries of one request: its key, else what it says and to whom.
    let message = received.key.clone().unwrap_or_else(|| {
        received.mails.iter().map(|m| format!("{:?}{}{}", m.to, m.subject, m.text)).collect::<String>()
    });
    let attempt = {
        let n = inbox.attempts_per_key.entry(message).or_default();
        *n += 1;
        *n
    };
    let behaviour = |tag: &str| received.any_to(tag);
    if behaviour("+flaky@") {
        inbox.flaky_requests += 1;
        match draw(inbox.flaky_requests) {
            0..30 => {
                inbox.flaky_throttled += 1;
                let mut throttled =
                    Response::json(429, r#"{"message":"rate limit exceeded","name":"rate_limit_exceeded"}"#);
                throttled.retry_after = Some(1);
                return throttled;
            }
            30..35 => {
                inbox.flaky_failed += 1;
                return Response::json(500, r#"{"message":"internal server error"}"#);
            }
            _ => {}
        }
    }
    if behaviour("+alwaysfail@") {
        return Response::json(500, r#"{"message":"provider down"}"#);
    }
    // Resend refuses a batch with a bad recipient as a whole; Postmark answers for each message of its batch.
    let refused = |mail: &Mail| mail.to.iter().any(|r| r.contains("+refuse@"));
    if behaviour("+refuse@") && !(received.batch && received.provider == "postmark") {
        return Response::json(422, r#"{"message":"recipient refused","ErrorCode":406}"#);
    }
    if behaviour("+fail2@") && attempt <= 2 {
        return Response::json(503, r#"{"message":"try later"}"#);
    }
    if behaviour("+ratelimited@") && attempt <= 2 {
        return Response::json(429, r#"{"message":"too many requests"}"#);
    }
    let key = received.key.clone().unwrap_or_default();
    let repeated = received.key.as_ref().is_some_and(|key| inbox.accepted_keys.contains(key));
    if let (false, Some(key)) = (repeated, &received.key) {
        inbox.accepted_keys.insert(key.clone());
    }
    let mut answers = Vec::new();
    for mail in received.mails {
        if refused(&mail) {
            answers
                .push(serde_json::json!({"ErrorCode": 406, "Message": "Inactive recipient", "To": mail.to.join(", ")}));
            continue;
        }
        if !repeated {
            inbox.deliveries.push(Delivery {
                provider: received.provider.into(),
                from: mail.from,
                to: mail.to,
                subject: mail.subject,
                text: mail.text,
                html: mail.html,
                idempotency_key: key.clone(),
            });
        }
        let id = inbox.deliveries.len();
        answers.push(serde_json::json!({"id": format!("{key}#{id}"), "MessageID": format!("pm-{id}"), "ErrorCode": 0}));
    }
    let body = match (received.batch, received.provider) {
        (false, _) => answers.remove(0),
        (true, "resend") => serde_json::json!({"data": answers}),
        (true, _) => Value::Array(answers),
    };
    Response::json(200, body.to_string())
}

/// `GET /inspect/mail/summary?contains=…`, for the stack's server: over the recipients whose address holds the text
/// (a test's or the load run's own tag), how many got mail, how many mails they got, the most one got, and how the
/// `+flaky` behaviour answered.
pub fn summary(contains: &str) -> Response {
    let inbox = inbox();
    let mut per_recipient: HashMap<&str, u32> = HashMap::new();
    for recipient in inbox.deliveries.iter().flat_map(|d| &d.to).filter(|r| r.contains(contains)) {
        *per_recipient.entry(recipient.as_str()).or_default() += 1;
    }
    let deliveries: u32 = per_recipient.values().sum();
    let summary = serde_json::json!({
        "recipients": per_recipient.len(),
        "deliveries": deliveries,
        "most_to_one": per_recipient.values().max().copied().unwrap_or(0),
        "flaky_requests": inbox.flaky_requests,
        "flaky_throttled": inbox.flaky_throttled,
        "flaky_failed": inbox.flaky_failed,
    });
    Response::json(200, summary.to_string())
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
