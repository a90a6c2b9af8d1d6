//! What mail providers report after a send — deliveries, delays, bounces, complaints — as their webhooks post it:
//! whether the provider sent it (Resend signs with Svix's scheme; Postmark sends the credentials written into its
//! webhook URL), whether it is fresh, and what it says. Pure; `handlers::mail_events` reads the request and records
//! what this returns.

use super::provider::ProviderKind;
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use latchkey_shared::api::{MailEvent, MailEventKind};
use latchkey_shared::Secret;
use serde_json::Value;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// How far a signed timestamp may be from now: Svix's own libraries allow five minutes either way. Outside it a
/// captured request cannot be replayed.
pub const SIGNATURE_TOLERANCE_SECS: u64 = 300;
/// How old a Postmark event may be: Postmark retries a webhook that failed for about ten hours.
pub const POSTMARK_MAX_AGE_SECS: u64 = 86_400;
/// How much of a provider's explanation is kept: enough for the receiving server's reply, little enough to fit a KV
/// key's metadata beside the address.
pub const DETAIL_MAX_CHARS: usize = 200;
const DETAIL_MAX_BYTES: usize = 300;

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
            Verifier::Resend { key } => verify_svix(key.expose(), headers, body, now),
            Verifier::Postmark { credentials } => verify_basic(credentials.expose_str(), headers.authorization),
        }
    }

    /// What a verified request reports: one entry per recipient and event, none for the kinds latchkey does not keep
    /// (sends, opens, clicks).
    pub fn read(&self, event: &Value, now: u64) -> Result<Vec<Reported>, Refusal> {
        match self {
            Verifier::Resend { .. } => read_resend(event),
            Verifier::Postmark { .. } => read_postmark(event, now),
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
}

fn verify_svix(key: &[u8], headers: &Headers<'_>, body: &[u8], now: u64) -> Result<(), Refusal> {
    let id = headers.svix_id.ok_or(Refusal::MissingHeader("svix-id"))?;
    let timestamp = headers.svix_timestamp.ok_or(Refusal::MissingHeader("svix-timestamp"))?;
    let signatures = headers.svix_signature.ok_or(Refusal::MissingHeader("svix-signature"))?;
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).map_err(|_| Refusal::BadSignature)?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    let expected = mac.finalize().into_bytes();
    // Several space-separated signatures while the secret rotates; only `v1` (HMAC-SHA256) is Svix's scheme.
    let matches = signatures
        .split(' ')
        .filter_map(|entry| entry.strip_prefix("v1,"))
        .filter_map(|encoded| base64::engine::general_purpose::STANDARD.decode(encoded).ok())
        .any(|presented| bool::from(presented.ct_eq(expected.as_slice())));
    if !matches {
        return Err(Refusal::BadSignature);
    }
    // Checked after the signature, so that the window is the signer's timestamp, not anyone's.
    let signed_at: u64 = timestamp.trim().parse().map_err(|_| Refusal::OutsideWindow)?;
    if signed_at.abs_diff(now) > SIGNATURE_TOLERANCE_SECS {
        return Err(Refusal::OutsideWindow);
    }
    Ok(())
}

fn verify_basic(credentials: &str, authorization: Option<&str>) -> Result<(), Refusal> {
    use sha2::Digest;
    let presented = authorization
        .and_then(|value| value.strip_prefix("Basic "))
        .and_then(|encoded| base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok())
        .ok_or(Refusal::BadCredentials)?;
    // Digests of equal length, compared in constant time: timing tells nothing about the credentials.
    if bool::from(Sha256::digest(&presented).ct_eq(&Sha256::digest(credentials.as_bytes()))) {
        Ok(())
    } else {
        Err(Refusal::BadCredentials)
    }
}

fn malformed(what: &str) -> Refusal {
    Refusal::Malformed(what.to_owned())
}

fn text<'a>(value: &'a Value, field: &str) -> Option<&'a str> {
    value.get(field).and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

/// Resend: `{"type": "email.bounced", "created_at": …, "data": {"email_id", "to": [...], "bounce": {…}}}`.
fn read_resend(event: &Value) -> Result<Vec<Reported>, Refusal> {
    let kind = text(event, "type").ok_or_else(|| malformed("`type` is missing"))?;
    let data = event.get("data").filter(|d| d.is_object()).ok_or_else(|| malformed("`data` is missing"))?;
    let (kind, detail) = match kind {
        "email.delivered" => (MailEventKind::Delivered, None),
        "email.delivery_delayed" => (MailEventKind::Delayed, None),
        "email.complained" => (MailEventKind::Complained, None),
        "email.bounced" => {
            let bounce = data.get("bounce").unwrap_or(&Value::Null);
            let kind = match text(bounce, "type") {
                Some("Permanent") => MailEventKind::Bounced,
                _ => MailEventKind::SoftBounced,
            };
            (kind, text(bounce, "message").map(str::to_owned))
        }
        // Not sent: the address is on Resend's suppression list after an earlier bounce or complaint.
        "email.suppressed" => (
            MailEventKind::Bounced,
            Some(
                data.get("suppressed")
                    .and_then(|s| text(s, "message"))
                    .unwrap_or("suppressed: the address bounced or complained before")
                    .to_owned(),
            ),
        ),
        _ => return Ok(Vec::new()),
    };
    let at = text(event, "created_at")
        .or_else(|| text(data, "created_at"))
        .and_then(unix_from_rfc3339)
        .ok_or_else(|| malformed("`created_at` is missing or not an RFC 3339 time"))?;
    let email_id = text(data, "email_id").ok_or_else(|| malformed("`data.email_id` is missing"))?;
    let recipients: Vec<&str> = match data.get("to") {
        Some(Value::Array(to)) => to.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(to)) => vec![to.as_str()],
        _ => Vec::new(),
    };
    if recipients.is_empty() {
        return Err(malformed("`data.to` names no recipient"));
    }
    let detail = detail.map(|d| clean_detail(&d));
    Ok(recipients
        .into_iter()
        .map(|to| Reported {
            recipient: bare_address(to).to_owned(),
            kind,
            at,
            event_id: format!("{}:{email_id}", event["type"].as_str().unwrap_or_default()),
            detail: detail.clone(),
        })
        .collect())
}

/// Postmark: one record per request — `Bounce`, `SpamComplaint` or `Delivery`.
fn read_postmark(event: &Value, now: u64) -> Result<Vec<Reported>, Refusal> {
    let record = text(event, "RecordType").ok_or_else(|| malformed("`RecordType` is missing"))?;
    let (kind, recipient, dated) = match record {
        // `Inactive`: Postmark stopped sending to the address; otherwise it will try again (soft bounce, delay).
        "Bounce" if event["Inactive"].as_bool() == Some(true) => (MailEventKind::Bounced, "Email", "BouncedAt"),
        "Bounce" => (MailEventKind::SoftBounced, "Email", "BouncedAt"),
        "SpamComplaint" => (MailEventKind::Complained, "Email", "BouncedAt"),
        "Delivery" => (MailEventKind::Delivered, "Recipient", "DeliveredAt"),
        _ => return Ok(Vec::new()),
    };
    let recipient = text(event, recipient).ok_or_else(|| malformed("the recipient is missing"))?;
    let at = text(event, dated)
        .and_then(unix_from_rfc3339)
        .ok_or_else(|| malformed("the event's time is missing or not an RFC 3339 time"))?;
    if at > now + SIGNATURE_TOLERANCE_SECS || now.saturating_sub(at) > POSTMARK_MAX_AGE_SECS {
        return Err(Refusal::Stale);
    }
    let id = match (&event["ID"], text(event, "MessageID")) {
        (Value::Number(id), _) => id.to_string(),
        (_, Some(message)) => message.to_owned(),
        _ => return Err(malformed("neither `ID` nor `MessageID` is given")),
    };
    let detail = match kind {
        MailEventKind::Delivered => None,
        _ => text(event, "Details")
            .filter(|d| !d.eq_ignore_ascii_case("Test bounce details"))
            .or(text(event, "Description")),
    };
    Ok(vec![Reported {
        recipient: bare_address(recipient).to_owned(),
        kind,
        at,
        event_id: format!("{record}:{id}"),
        detail: detail.map(clean_detail),
    }])
}

/// KV keeps at most 1024 bytes of metadata with a key.
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
fn bare_address(to: &str) -> &str {
    match (to.rfind('<'), to.rfind('>')) {
        (Some(open), Some(close)) if open < close => &to[open + 1..close],
        _ => to.trim(),
    }
}

/// One line of at most [`DETAIL_MAX_CHARS`] characters, no control characters.
fn clean_detail(detail: &str) -> String {
    let mut out = String::new();
    for c in detail.chars().map(|c| if c.is_control() { ' ' } else { c }).take(DETAIL_MAX_CHARS) {
        if out.len() + c.len_utf8() > DETAIL_MAX_BYTES {
            break;
        }
        out.push(c);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `2019-11-05T16:33:54.9070259Z`, `2024-11-22T23:41:11.894719+00:00` → Unix seconds (fractions dropped).
pub fn unix_from_rfc3339(raw: &str) -> Option<u64> {
    let raw = raw.trim();
    let (date, rest) = raw.split_once(['T', 't', ' '])?;
    let mut date = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (date.next()??, date.next()??, date.next()??);
    let (time, offset_secs) = if let Some(time) = rest.strip_suffix(['Z', 'z']) {
        (time, 0)
    } else {
        let at = rest.rfind(['+', '-'])?;
        let (time, offset) = rest.split_at(at);
        let sign = if offset.starts_with('-') { -1 } else { 1 };
        let (h, m) = offset[1..].split_once(':')?;
        (time, sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60))
    };
    let time = time.split('.').next()?;
    let mut hms = time.splitn(3, ':').map(|p| p.parse::<i64>().ok());
    let (hour, minute, second) = (hms.next()??, hms.next()??, hms.next()??);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Howard Hinnant's days-from-civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: u64 = 1_732_318_872; // 2024-11-22T23:41:12Z
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    fn resend() -> Verifier {
        Verifier::parse(ProviderKind::Resend, SECRET).unwrap()
    }

    fn sign(id: &str, timestamp: &str, body: &[u8]) -> String {
        let key = base64::engine::general_purpose::STANDARD.decode(&SECRET[6..]).unwrap();
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).unwrap();
        mac.update(format!("{id}.{timestamp}.").as_bytes());
        mac.update(body);
        format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
    }

    fn svix<'a>(id: &'a str, timestamp: &'a str, signature: &'a str) -> Headers<'a> {
        Headers {
            svix_id: Some(id),
            svix_timestamp: Some(timestamp),
            svix_signature: Some(signature),
            ..Headers::default()
        }
    }

    #[test]
    fn svix_signatures() {
        let body = br#"{"type":"email.bounced"}"#;
        let ts = NOW.to_string();
        let good = sign("msg_1", &ts, body);
        assert_eq!(resend().verify(&svix("msg_1", &ts, &good), body, NOW), Ok(()));
        // Rotation: any one of several matches; other schemes are ignored.
        let several = format!("v1a,AAAA v1,{} {good}", base64::engine::general_purpose::STANDARD.encode([0; 32]));
        assert_eq!(resend().verify(&svix("msg_1", &ts, &several), body, NOW), Ok(()));
        for (headers, body) in [
            (svix("msg_1", &ts, &good), &br#"{"type":"email.delivered"}"#[..]),
            (svix("msg_2", &ts, &good), body),
            (svix("msg_1", &(NOW + 1).to_string(), &good), body),
            (svix("msg_1", &ts, &good.replace("v1,", "v2,")), body),
            (svix("msg_1", &ts, "v1,not base64!"), body),
        ] {
            assert_eq!(resend().verify(&headers, body, NOW), Err(Refusal::BadSignature));
        }
        let other = Verifier::parse(ProviderKind::Resend, "whsec_c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ=").unwrap();
        assert_eq!(other.verify(&svix("msg_1", &ts, &good), body, NOW), Err(Refusal::BadSignature));
        let missing = Headers { svix_id: Some("msg_1"), svix_signature: Some(&good), ..Headers::default() };
        assert_eq!(resend().verify(&missing, body, NOW), Err(Refusal::MissingHeader("svix-timestamp")));
    }

    #[test]
    fn a_signed_request_is_good_for_five_minutes_either_way() {
        let body = b"{}";
        for (offset, ok) in [(0_i64, true), (-300, true), (300, true), (-301, false), (301, false), (-86_400, false)] {
            let ts = (NOW as i64 + offset).to_string();
            let result = resend().verify(&svix("m", &ts, &sign("m", &ts, body)), body, NOW);
            assert_eq!(result.is_ok(), ok, "offset {offset}: {result:?}");
            if !ok {
                assert_eq!(result, Err(Refusal::OutsideWindow));
            }
        }
    }

    #[test]
    fn postmark_credentials() {
        let postmark = Verifier::parse(ProviderKind::Postmark, "latchkey:a-long-random-password").unwrap();
        let basic = |s: &str| format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(s));
        fn with(auth: &str) -> Headers<'_> {
            Headers { authorization: Some(auth), ..Headers::default() }
        }
        assert_eq!(postmark.verify(&with(&basic("latchkey:a-long-random-password")), b"{}", NOW), Ok(()));
        for wrong in [basic("latchkey:a-long-random-passwore"), basic("latchkey"), "Bearer x".into(), "Basic !".into()]
        {
            assert_eq!(postmark.verify(&with(&wrong), b"{}", NOW), Err(Refusal::BadCredentials), "{wrong}");
        }
        assert_eq!(postmark.verify(&Headers::default(), b"{}", NOW), Err(Refusal::BadCredentials));
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
    fn resend_events() {
        let event = json!({
            "type": "email.bounced",
            "created_at": "2024-11-22T23:41:12.126Z",
            "data": {
                "created_at": "2024-11-22T23:41:11.894719+00:00",
                "email_id": "56761188-7520-42d8-8898-ff6fc54ce618",
                "from": "Acme <onboarding@resend.dev>",
                "to": ["Ana <ana@school.org>", "dad@home.org"],
                "subject": "Reset your password",
                "bounce": {
                    "message": "550 5.1.1 The email account\u{0}that you tried to reach does not exist.",
                    "subType": "General",
                    "type": "Permanent"
                }
            }
        });
        let read = resend().read(&event, NOW).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].recipient, "ana@school.org");
        assert_eq!(read[1].recipient, "dad@home.org");
        assert_eq!(read[0].kind, MailEventKind::Bounced);
        assert_eq!(read[0].at, NOW);
        assert_eq!(read[0].event_id, "email.bounced:56761188-7520-42d8-8898-ff6fc54ce618");
        assert_eq!(
            read[0].detail.as_deref(),
            Some("550 5.1.1 The email account that you tried to reach does not exist.")
        );

        let mut soft = event.clone();
        soft["data"]["bounce"]["type"] = json!("Transient");
        assert_eq!(resend().read(&soft, NOW).unwrap()[0].kind, MailEventKind::SoftBounced);
        for (kind, expected) in [
            ("email.delivered", MailEventKind::Delivered),
            ("email.delivery_delayed", MailEventKind::Delayed),
            ("email.complained", MailEventKind::Complained),
            ("email.suppressed", MailEventKind::Bounced),
        ] {
            let mut other = event.clone();
            other["type"] = json!(kind);
            assert_eq!(resend().read(&other, NOW).unwrap()[0].kind, expected, "{kind}");
        }
        for ignored in ["email.sent", "email.opened", "email.clicked", "contact.created"] {
            let mut other = event.clone();
            other["type"] = json!(ignored);
            assert_eq!(resend().read(&other, NOW), Ok(Vec::new()), "{ignored}");
        }
        let mut nobody = event.clone();
        nobody["data"]["to"] = json!([]);
        assert!(matches!(resend().read(&nobody, NOW), Err(Refusal::Malformed(_))));
        assert!(matches!(resend().read(&json!({"type": "email.bounced"}), NOW), Err(Refusal::Malformed(_))));
    }

    #[test]
    fn postmark_events() {
        let postmark = Verifier::parse(ProviderKind::Postmark, "latchkey:a-long-random-password").unwrap();
        let now = unix_from_rfc3339("2019-11-05T18:00:00Z").unwrap();
        let bounce = json!({
            "RecordType": "Bounce", "MessageStream": "outbound", "ID": 4_323_372_036_854_775_807_u64,
            "Type": "HardBounce", "TypeCode": 1, "Name": "Hard bounce",
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
            "Details": "smtp;550 5.7.1 Blocked by the organisation's policy",
            "Email": "john@example.com", "From": "sender@example.com",
            "BouncedAt": "2019-11-05T16:33:54.9070259Z", "Inactive": true, "CanActivate": true,
        });
        let read = postmark.read(&bounce, now).unwrap();
        assert_eq!(read.len(), 1);
        assert_eq!(read[0].kind, MailEventKind::Bounced);
        assert_eq!(read[0].recipient, "john@example.com");
        assert_eq!(read[0].event_id, "Bounce:4323372036854775807");
        assert_eq!(read[0].detail.as_deref(), Some("smtp;550 5.7.1 Blocked by the organisation's policy"));
        let mut soft = bounce.clone();
        soft["Inactive"] = json!(false);
        assert_eq!(postmark.read(&soft, now).unwrap()[0].kind, MailEventKind::SoftBounced);
        let mut complaint = bounce.clone();
        complaint["RecordType"] = json!("SpamComplaint");
        assert_eq!(postmark.read(&complaint, now).unwrap()[0].kind, MailEventKind::Complained);
        let delivery = json!({
            "RecordType": "Delivery", "MessageID": "883953f4", "Recipient": "john@example.com",
            "DeliveredAt": "2019-11-05T16:33:54.9070259Z", "Details": "Test delivery webhook details",
        });
        let read = postmark.read(&delivery, now).unwrap();
        assert_eq!(
            (read[0].kind, read[0].detail.clone(), read[0].event_id.as_str()),
            (MailEventKind::Delivered, None, "Delivery:883953f4")
        );
        // A day and more old, or from the future: a replay.
        assert_eq!(postmark.read(&bounce, now + POSTMARK_MAX_AGE_SECS), Err(Refusal::Stale));
        assert_eq!(postmark.read(&bounce, now - 3 * 3600), Err(Refusal::Stale));
        assert_eq!(postmark.read(&json!({"RecordType": "Open"}), now), Ok(Vec::new()));
    }

    #[test]
    fn rfc3339_times() {
        assert_eq!(unix_from_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(unix_from_rfc3339("2024-11-22T23:41:12.126Z"), Some(NOW));
        assert_eq!(unix_from_rfc3339("2024-11-22T23:41:11.894719+00:00"), Some(NOW - 1));
        assert_eq!(unix_from_rfc3339("2024-11-23T01:41:12+02:00"), Some(NOW));
        assert_eq!(unix_from_rfc3339("2024-11-22T18:41:12-05:00"), Some(NOW));
        assert_eq!(unix_from_rfc3339("2000-02-29T12:00:00Z"), Some(951_825_600));
        for bad in ["", "yesterday", "2024-13-01T00:00:00Z", "2024-11-22", "2024-11-22T23:41Z", "1969-12-31T23:59:59Z"]
        {
            assert_eq!(unix_from_rfc3339(bad), None, "{bad}");
        }
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

    #[test]
    fn details_are_one_short_line() {
        assert_eq!(clean_detail("a\r\nb\t c"), "a b c");
        assert_eq!(clean_detail(&"x".repeat(500)).len(), DETAIL_MAX_CHARS);
        assert!(clean_detail(&"é".repeat(500)).len() <= DETAIL_MAX_BYTES);
    }
}
