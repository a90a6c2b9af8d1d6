//! A blocking HTTP/1.1 request over a plain socket, for the few places that cannot await: a `Drop` ending a WebDriver
//! session, and reading what the stack's fakes have recorded.

use std::io::{Read, Write};
use std::time::Duration;

/// Sends `method url` (http only) with no body; the status and the body, or `None` if there was no answer.
pub fn request(method: &str, url: &str) -> Option<(u16, String)> {
    let rest = url.strip_prefix("http://")?;
    let (address, path) = rest.split_once('/').map_or((rest, "/".to_owned()), |(a, p)| (a, format!("/{p}")));
    let mut stream = std::net::TcpStream::connect(address).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let head = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).ok()?;
    let answer = String::from_utf8_lossy(&answer);
    let (head, body) = answer.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, body.to_owned()))
}

/// A query value, percent-encoded (emails carry `+` and `@`).
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
