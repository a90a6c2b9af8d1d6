//! The mail provider's side of `POST /api/mail-events`: its recorded event formats (`tests/fixtures/mail-events`)
//! filled in, signed the way Resend's Svix signs them or sent with Postmark's Basic credentials.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The Resend signing secret every test Worker has (`MAIL_EVENTS_SECRET`).
pub const RESEND_SECRET: &str = "whsec_dGVzdC1tYWlsLWV2ZW50cy1zaWduaW5nLXNlY3JldC0wMTIz";
/// The Postmark webhook credentials a Worker that sends with Postmark is given.
pub const POSTMARK_CREDENTIALS: &str = "latchkey:test-postmark-webhook-password";

/// A recorded event, `name` under `tests/fixtures/mail-events/`, about message number `message` to `to`, dated `at`
/// (Unix seconds). The provider's ids for it follow from the number, so a test's own [`crate::unique`] numbers (its
/// addresses are its own too) never collide with another's.
pub fn event(name: &str, to: &str, at: u64, message: u64) -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/mail-events/");
    let template = std::fs::read_to_string(format!("{path}{name}.json")).expect("a recorded event");
    template
        .replace("{{to}}", to)
        .replace("{{created_at}}", &rfc3339(at))
        .replace("{{email_id}}", &format!("4ef9a417-02e9-4d39-ad75-{message:012x}"))
        .replace("{{id}}", &message.to_string())
}

/// Svix's headers for `body`, sent `at`, under `secret` (`whsec_…`).
pub fn svix_headers(secret: &str, id: &str, at: u64, body: &str) -> Vec<(&'static str, String)> {
    let key = base64::engine::general_purpose::STANDARD.decode(&secret["whsec_".len()..]).expect("base64 secret");
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).expect("any key length");
    mac.update(format!("{id}.{at}.{body}").as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    vec![("svix-id", id.to_owned()), ("svix-timestamp", at.to_string()), ("svix-signature", format!("v1,{signature}"))]
}

/// `2026-12-01T20:00:00.123Z`, as Resend dates events (Postmark's seven fractional digits read the same way).
fn rfc3339(unix: u64) -> String {
    let at = chrono::DateTime::from_timestamp(i64::try_from(unix).expect("a time"), 123_000_000).expect("a time");
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
