//! The optional webhook to the site's own backend when a password changes. Pure: the payload, its HMAC-SHA256
//! signature and the retry schedule; the account's Durable Object keeps the pending deliveries in its state (written
//! in the same step as the new password, so none is lost) and sends them from its alarm.
//!
//! The receiver checks `Latchkey-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, refuses a
//! stale `t` (replays), and uses `Latchkey-Delivery` to drop a delivery it has already handled.

use crate::hex::hex;
use crate::outbound::OutboundRequest;
use hmac::{Hmac, KeyInit, Mac};
use latchkey_shared::{Audience, Secret};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

pub const SIGNATURE_HEADER: &str = "Latchkey-Signature";
pub const DELIVERY_HEADER: &str = "Latchkey-Delivery";
/// Tries before a delivery is given up and dead-lettered: with doubling delays from 30 s, about two hours.
pub const MAX_ATTEMPTS: u32 = 8;
/// The longest wait between two tries.
const MAX_DELAY_SECS: u64 = 3600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookConfig {
    pub url: String,
    pub secret: Secret<String>,
    pub retry_base_secs: u32,
}

/// One notification waiting to be delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Unique per delivery, the same on every try.
    pub id: String,
    pub audience: Audience,
    pub login_email: String,
    pub changed_at: u64,
    pub attempts: u32,
    /// When the next try is due (unix seconds).
    pub due_at: u64,
}

#[derive(Serialize)]
struct Payload<'a> {
    event: &'static str,
    delivery: &'a str,
    audience: Audience,
    login_email: &'a str,
    changed_at: u64,
}

/// The deliveries an account retries on [`next_try`]'s schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryKind {
    /// A password change, told to the site's backend.
    Webhook,
    /// A session an app knew ended (Back-Channel Logout 1.0).
    BackChannelLogout,
}

impl DeliveryKind {
    /// As a dead letter names it.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryKind::Webhook => "webhook",
            DeliveryKind::BackChannelLogout => "backchannel_logout",
        }
    }
}

/// What a try's answer means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Delivered,
    /// Try again at this time.
    RetryAt(u64),
    GiveUp,
}

impl Delivery {
    pub fn new(id: String, audience: Audience, login_email: String, changed_at: u64) -> Delivery {
        Delivery { id, audience, login_email, changed_at, attempts: 0, due_at: changed_at }
    }

    pub fn body(&self) -> String {
        let payload = Payload {
            event: "password_changed",
            delivery: &self.id,
            audience: self.audience,
            login_email: &self.login_email,
            changed_at: self.changed_at,
        };
        serde_json::to_string(&payload).unwrap_or_default()
    }

    /// The signed request for a try at `now`.
    pub fn request(&self, config: &WebhookConfig, now: u64) -> OutboundRequest {
        let body = self.body();
        OutboundRequest {
            url: config.url.clone(),
            headers: vec![
                ("Content-Type", "application/json".into()),
                (SIGNATURE_HEADER, signature(config.secret.expose_str(), now, &body).into()),
                (DELIVERY_HEADER, self.id.clone().into()),
            ],
            body: body.into(),
        }
    }

    /// Records a try at `now` that got `status` (`None`: no answer at all) and says what comes next ([`next_try`]).
    pub fn record_try(&mut self, status: Option<u16>, now: u64, base_secs: u32) -> Outcome {
        next_try(&mut self.attempts, &mut self.due_at, status, now, base_secs)
    }
}

/// The schedule of every delivery latchkey retries (webhooks, back-channel logouts): a try at `now` that got
/// `status` is counted; any 2xx is a delivery; anything else is retried, with doubling delays, until
/// [`MAX_ATTEMPTS`].
pub fn next_try(attempts: &mut u32, due_at: &mut u64, status: Option<u16>, now: u64, base_secs: u32) -> Outcome {
    *attempts += 1;
    if status.is_some_and(|s| (200..300).contains(&s)) {
        return Outcome::Delivered;
    }
    if *attempts >= MAX_ATTEMPTS {
        return Outcome::GiveUp;
    }
    let delay = (u64::from(base_secs) << (*attempts - 1).min(20)).min(MAX_DELAY_SECS);
    *due_at = now + delay;
    Outcome::RetryAt(*due_at)
}

fn mac(secret: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length")
}

/// The `Latchkey-Signature` header value for `body` sent at `timestamp`.
pub fn signature(secret: &str, timestamp: u64, body: &str) -> String {
    let mut mac = mac(secret);
    mac.update(format!("{timestamp}.{body}").as_bytes());
    format!("t={timestamp},v1={}", hex(&mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery() -> Delivery {
        Delivery::new("d1".into(), Audience::Staff, "ana@school.org".into(), 1_800_000_000)
    }

    #[test]
    fn the_signature_is_hmac_sha256_over_timestamp_and_body() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let header = signature("Jefe", 0, "what do ya want for nothing?");
        let expected = {
            let mut mac = mac("Jefe");
            mac.update(b"0.what do ya want for nothing?");
            hex(&mac.finalize().into_bytes())
        };
        assert_eq!(header, format!("t=0,v1={expected}"));
        let mut rfc = mac("Jefe");
        rfc.update(b"what do ya want for nothing?");
        assert_eq!(
            hex(&rfc.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn the_request_is_signed_and_names_the_delivery() {
        let config = WebhookConfig {
            url: "https://site.example/hooks".into(),
            secret: "s".repeat(32).into(),
            retry_base_secs: 30,
        };
        let request = delivery().request(&config, 1_800_000_100);
        let header = |name: &str| request.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone());
        assert_eq!(header(DELIVERY_HEADER), Some("d1".into()));
        assert_eq!(
            header(SIGNATURE_HEADER),
            Some(signature(config.secret.expose_str(), 1_800_000_100, request.body.expose_str()).into())
        );
        let body: serde_json::Value = serde_json::from_str(request.body.expose_str()).unwrap();
        assert_eq!(body["event"], "password_changed");
        assert_eq!(body["login_email"], "ana@school.org");
        assert_eq!(body["audience"], "staff");
        assert!(!format!("{request:?}").contains(config.secret.expose_str()), "Debug leaves out header values");
    }

    #[test]
    fn failures_are_retried_with_doubling_delays_then_given_up() {
        let mut d = delivery();
        assert_eq!(d.record_try(Some(500), 100, 30), Outcome::RetryAt(130));
        assert_eq!(d.record_try(None, 130, 30), Outcome::RetryAt(190));
        assert_eq!(d.record_try(Some(404), 190, 30), Outcome::RetryAt(310));
        for _ in 3..MAX_ATTEMPTS - 1 {
            assert!(matches!(d.record_try(Some(503), 0, 30), Outcome::RetryAt(_)));
        }
        assert_eq!(d.record_try(Some(503), 0, 30), Outcome::GiveUp);
        let mut delivered = delivery();
        assert_eq!(delivered.record_try(Some(204), 0, 30), Outcome::Delivered);
    }

    #[test]
    fn delays_stop_growing_at_an_hour() {
        let mut d = delivery();
        d.attempts = 5;
        assert_eq!(d.record_try(Some(500), 0, 3600), Outcome::RetryAt(MAX_DELAY_SECS));
    }
}
