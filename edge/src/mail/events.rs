//! What mail providers report after a send — deliveries, delays, bounces, complaints — as their webhooks post it:
//! whether the provider sent it (Resend signs with Svix's scheme; Postmark sends the credentials written into its
//! webhook URL), whether it is fresh, and what it says. Pure; `handlers::mail_events` reads the request and records
//! what this returns.

mod reports;
mod signature;

use super::provider::ProviderKind;
use base64::Engine;
use latchkey_shared::api::{MailEvent, MailEventKind};
use latchkey_shared::Secret;
use serde_json::Value;

/// How far a signed timestamp may be from now: Svix's own libraries allow five minutes either way. Outside it a
/// captured request cannot be replayed.
pub const SIGNATURE_TOLERANCE_SECS: u64 = 300;
/// How old a Postmark event may be: Postmark retries a webhook that failed for about ten hours.
pub const POSTMARK_MAX_AGE_SECS: u64 = 86_400;
/// How much of a provider's explanation is kept: enough for the receiving server's reply, little enough to fit a KV
/// key's metadata beside the address.
pub const DETAIL_MAX_CHARS: usize = 200;
pub const DETAIL_MAX_BYTES: usize = 300;

/// How the configured provider's webhook proves itself (`MAIL_EVENTS_SECRET`).
#[derive(Debug, Clone)]
pub enum Verifier {
    /// Resend: the endpoint's signing secret, `whsec_` and base64.
    Resend { key: Secret<Vec<u8>> },
    /// Postmark: `user:password`, put in the webhook's URL (`https://user:password@…/api/mail-events`) and sent as
    /// HTTP Basic authentication.
    Postmark { credentials: Secret<String> },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifierError {
    #[error("a Resend signing secret starts with `whsec_` followed by base64 (Resend shows it on the webhook's page)")]
    ResendSecret,
    #[error("Postmark's is `user:password`, the password at least {0} characters, as put in the webhook's URL")]
    PostmarkCredentials(usize),
    #[error("delivery events come from resend or postmark, not from MAIL_PROVIDER `{0}`")]
    Provider(&'static str),
}

/// A Postmark webhook password shorter than this is a word, not a secret.
pub const POSTMARK_PASSWORD_MIN_CHARS: usize = 16;

impl Verifier {
    pub fn parse(provider: ProviderKind, secret: &str) -> Result<Verifier, VerifierError> {
        let secret = secret.trim();
        match provider {
            ProviderKind::Resend => {
                let encoded = secret.strip_prefix("whsec_").ok_or(VerifierError::ResendSecret)?;
                let key = base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .ok()
                    .filter(|key| !key.is_empty())
                    .ok_or(VerifierError::ResendSecret)?;
                Ok(Verifier::Resend { key: Secret::new(key) })
            }
            ProviderKind::Postmark => match secret.split_once(':') {
                Some((user, password))
                    if !user.is_empty() && password.chars().count() >= POSTMARK_PASSWORD_MIN_CHARS =>
                {
                    Ok(Verifier::Postmark { credentials: Secret::new(secret.to_owned()) })
                }
                _ => Err(VerifierError::PostmarkCredentials(POSTMARK_PASSWORD_MIN_CHARS)),
            },
            ProviderKind::CloudflareSendEmail => Err(VerifierError::Provider("cloudflare")),
            ProviderKind::DevMailbox => Err(VerifierError::Provider("dev-mailbox")),
        }
    }

    pub fn provider(&self) -> &'static str {
        match self {
            Verifier::Resend { .. } => "resend",
            Verifier::Postmark { .. } => "postmark",
        }
    }

    /// Whether the request comes from the provider, now. Checked on the bytes as they came, before anything is parsed.
    pub fn verify(&self, headers: &Headers<'_>, body: &[u8], now: u64) -> Result<(), Refusal> {
        match self {
            Verifier::Resend { key } => signature::svix(key.expose(), headers, body, now),
            Verifier::Postmark { credentials } => signature::basic(credentials.expose_str(), headers.authorization),
        }
    }

    /// What a verified request reports: one entry per recipient and event, none for the kinds latchkey does not keep
    /// (sends, opens, clicks).
    pub fn read(&self, event: &Value, now: u64) -> Result<Vec<Reported>, Refusal> {
        match self {
            Verifier::Resend { .. } => reports::resend(event),
            Verifier::Postmark { .. } => reports::postmark(event, now),
        }
    }
}

/// The request headers a provider proves itself with.
#[derive(Debug, Default, Clone, Copy)]
pub struct Headers<'a> {
    pub svix_id: Option<&'a str>,
    pub svix_timestamp: Option<&'a str>,
    pub svix_signature: Option<&'a str>,
    pub authorization: Option<&'a str>,
}

/// Why an event is not taken. The first five answer `unauthorized` (the provider, or someone posing as it, is told
/// which), the last `invalid_request`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the `{0}` header is missing")]
    MissingHeader(&'static str),
    #[error("no signature in `svix-signature` matches the body under MAIL_EVENTS_SECRET")]
    BadSignature,
    #[error("the signed timestamp is more than {SIGNATURE_TOLERANCE_SECS} s from now: a replay, or a clock far off")]
    OutsideWindow,
    #[error("wrong or missing Basic credentials")]
    BadCredentials,
    #[error("the event is dated more than {POSTMARK_MAX_AGE_SECS} s ago, or in the future")]
    Stale,
    #[error("{0}")]
    Malformed(String),
}

impl Refusal {
    /// Whether the request failed to prove it came from the provider (as opposed to saying something unreadable).
    pub fn is_authentication(&self) -> bool {
        !matches!(self, Refusal::Malformed(_))
    }

    /// A short stable name for the audit trail.
    pub fn reason(&self) -> &'static str {
        match self {
            Refusal::MissingHeader(_) => "missing_header",
            Refusal::BadSignature => "bad_signature",
            Refusal::OutsideWindow => "outside_window",
            Refusal::BadCredentials => "bad_credentials",
            Refusal::Stale => "stale",
            Refusal::Malformed(_) => "malformed",
        }
    }
}

/// One thing the provider reported about mail to one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    /// As the provider wrote it; the handler parses it as an email address.
    pub recipient: String,
    pub kind: MailEventKind,
    pub at: u64,
    /// The provider's identity for the event, so that a retry of the same one is kept once.
    pub event_id: String,
    pub detail: Option<String>,
    /// The campaign that sent the mail, from the tag it carried (`mail::batch`); none for any other mail.
    pub campaign: Option<String>,
}

const METADATA_MAX_BYTES: usize = 1024;

/// The event as KV can keep it in a key's metadata: without the provider's words if, with a long address, they would
/// not fit (the kind and the time are what the desk needs).
pub fn fitted(mut event: MailEvent) -> MailEvent {
    if serde_json::to_vec(&event).map_or(true, |json| json.len() > METADATA_MAX_BYTES) {
        event.detail = None;
    }
    event
}

/// `Ana <ana@x.org>` → `ana@x.org`.
#[cfg(test)]
mod tests {
    use super::*;
    use reports::clean_detail;

    pub(super) const NOW: u64 = 1_732_318_872; // 2024-11-22T23:41:12Z
    pub(super) const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    pub(super) fn resend() -> Verifier {
        Verifier::parse(ProviderKind::Resend, SECRET).unwrap()
    }

    #[test]
    fn secrets_are_checked_when_configured() {
        assert_eq!(
            Verifier::parse(ProviderKind::Resend, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap_err(),
            VerifierError::ResendSecret
        );
        assert_eq!(Verifier::parse(ProviderKind::Resend, "whsec_").unwrap_err(), VerifierError::ResendSecret);
        assert_eq!(Verifier::parse(ProviderKind::Resend, "whsec_%%%").unwrap_err(), VerifierError::ResendSecret);
        assert!(Verifier::parse(ProviderKind::Postmark, "user:short").is_err());
        assert!(Verifier::parse(ProviderKind::Postmark, ":a-long-random-password").is_err());
        assert_eq!(Verifier::parse(ProviderKind::DevMailbox, "x").unwrap_err(), VerifierError::Provider("dev-mailbox"));
        assert!(!format!("{:?}", resend()).contains("MfKQ"), "the key never reaches a log");
    }
    #[test]
    fn an_event_always_fits_a_keys_metadata() {
        let event = |address: String, detail: &str| MailEvent {
            address,
            kind: MailEventKind::Bounced,
            at: NOW,
            provider: "resend".into(),
            detail: Some(clean_detail(detail)),
        };
        let short = fitted(event("ana@school.org".into(), "550 no such user"));
        assert_eq!(short.detail.as_deref(), Some("550 no such user"));
        // A long non-ASCII address and a detail of quotes, which JSON escapes: the detail goes, the rest stays.
        let long = fitted(event(format!("{}@école.fr", "漢".repeat(200)), &"\"".repeat(300)));
        assert_eq!((long.detail, long.kind), (None, MailEventKind::Bounced));
        assert!(
            serde_json::to_vec(&fitted(event("a@b.org".into(), &"\"".repeat(300)))).unwrap().len()
                <= METADATA_MAX_BYTES
        );
    }
}
