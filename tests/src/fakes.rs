//! The services the test stack fakes, on one port the system picked, for the whole run: the mail provider
//! (Resend's `/emails` and `/emails/batch`, Postmark's `/email` and `/email/batch`), the site's webhook receiver, the breach range API and Turnstile's siteverify, and `/inspect/…` for the
//! tests to read what they received. Workers are configured with the URL this server got.

use crate::fake_http::{self, Request, Response};
use crate::{fake_mail, fake_services};

/// Starts the server; its base URL.
pub fn serve() -> String {
    format!("http://127.0.0.1:{}", fake_http::listen(0, route))
}

fn route(request: &Request) -> Response {
    let (path, query) = request.path.split_once('?').unwrap_or((request.path.as_str(), ""));
    match (request.method.as_str(), path) {
        ("GET", "/inspect/mail") => fake_mail::inspect(&query_value(query, "to")),
        ("GET", "/inspect/mail/summary") => fake_mail::summary(&query_value(query, "contains")),
        ("GET", "/inspect/hooks") => fake_services::inspect(&query_value(query, "login_email")),
        ("GET", "/inspect/backchannel") => fake_services::inspect_backchannel(&query_value(query, "label")),
        ("POST", "/emails" | "/emails/batch" | "/email" | "/email/batch") => fake_mail::handle(request),
        _ => fake_services::handle(request).unwrap_or_else(|| Response::json(404, "{}")),
    }
}

/// The value of `name` in a query string, percent-decoded.
fn query_value(query: &str, name: &str) -> String {
    let raw = query.split('&').find_map(|pair| pair.strip_prefix(&format!("{name}="))).unwrap_or_default();
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], raw.get(i + 1..i + 3).and_then(|hex| u8::from_str_radix(hex, 16).ok())) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn query_values_are_decoded() {
        let query = format!("x=1&to={}", crate::http1::encode("ana+fail2@school.test"));
        assert_eq!(super::query_value(&query, "to"), "ana+fail2@school.test");
        assert_eq!(super::query_value("x=1", "to"), "");
    }
}
