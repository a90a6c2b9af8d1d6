//! A fake mail provider speaking Resend's API (`POST /emails`, Bearer key, `Idempotency-Key`) over real HTTP, served by
//! the test process on `FAKE_MAIL_PORT` (the port `scripts/test` gave the Worker as `MAIL_API_BASE`).
//!
//! Behaviour is chosen by the recipient's address, so tests running in parallel never share state:
//! `…+fail2@…` answers 503 twice per message then accepts; `…+alwaysfail@…` always answers 500;
//! `…+refuse@…` answers 422 (a permanent refusal). Like Resend, a repeated `Idempotency-Key` is not delivered twice.

use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// The API key the Worker is configured with in the test run.
pub const API_KEY: &str = "test-mail-key";

#[derive(Debug, Clone)]
pub struct Delivery {
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

/// Starts the fake provider once per test process.
pub fn ensure_running() {
    INBOX.get_or_init(|| {
        let port: u16 = std::env::var("FAKE_MAIL_PORT")
            .expect("FAKE_MAIL_PORT is not set: run the end-to-end tests through scripts/test")
            .parse()
            .expect("FAKE_MAIL_PORT is a port number");
        let listener = TcpListener::bind(("127.0.0.1", port))
            .unwrap_or_else(|e| panic!("cannot bind the fake mail port {port}: {e}"));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                std::thread::spawn(move || {
                    let _ = serve(stream);
                });
            }
        });
        Mutex::new(Inbox::default())
    });
}

fn inbox() -> std::sync::MutexGuard<'static, Inbox> {
    INBOX.get().expect("fake mail provider started").lock().unwrap_or_else(|e| e.into_inner())
}

fn serve(stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let (status, answer) = handle(&request_line, &headers, &body);
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    )?;
    stream.flush()
}

fn handle(request_line: &str, headers: &HashMap<String, String>, body: &[u8]) -> (u16, String) {
    if !request_line.starts_with("POST /emails ") {
        return (404, r#"{"message":"not found"}"#.into());
    }
    if headers.get("authorization").map(String::as_str) != Some(&format!("Bearer {API_KEY}")) {
        return (401, r#"{"message":"missing or wrong API key"}"#.into());
    }
    let Ok(mail) = serde_json::from_slice::<Value>(body) else { return (422, r#"{"message":"bad json"}"#.into()) };
    let key = headers.get("idempotency-key").cloned().unwrap_or_default();
    let field = |name: &str| mail[name].as_str().unwrap_or_default().to_owned();
    let to: Vec<String> =
        mail["to"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect();
    let mut inbox = inbox();
    for recipient in &to {
        *inbox.attempts.entry(recipient.clone()).or_default() += 1;
    }
    let attempt = {
        let n = inbox.attempts_per_key.entry(key.clone()).or_default();
        *n += 1;
        *n
    };
    let behaviour = |tag: &str| to.iter().any(|r| r.contains(tag));
    if behaviour("+alwaysfail@") {
        return (500, r#"{"message":"provider down"}"#.into());
    }
    if behaviour("+refuse@") {
        return (422, r#"{"message":"recipient refused"}"#.into());
    }
    if behaviour("+fail2@") && attempt <= 2 {
        return (503, r#"{"message":"try later"}"#.into());
    }
    if key.is_empty() || !inbox.accepted_keys.contains(&key) {
        inbox.accepted_keys.push(key.clone());
        inbox.deliveries.push(Delivery {
            to,
            subject: field("subject"),
            text: field("text"),
            html: field("html"),
            idempotency_key: key.clone(),
        });
    }
    (200, format!(r#"{{"id":"{key}"}}"#))
}

/// Mail accepted for `recipient`, oldest first.
pub fn deliveries_to(recipient: &str) -> Vec<Delivery> {
    inbox().deliveries.iter().filter(|d| d.to.iter().any(|t| t == recipient)).cloned().collect()
}

/// Requests the Worker made for `recipient`, accepted or not.
pub fn attempts_for(recipient: &str) -> u32 {
    inbox().attempts.get(recipient).copied().unwrap_or(0)
}
