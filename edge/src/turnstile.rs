//! Cloudflare Turnstile on reset requests (optional): the page's token is checked with siteverify before the request
//! is accepted. Pure: the request and the reading of the answer; the handler does the fetch.

use crate::outbound::OutboundRequest;
use latchkey_shared::Secret;
use serde_json::json;

/// Turnstile tokens are at most 2048 characters.
pub const MAX_TOKEN_CHARS: usize = 2048;
pub const DEFAULT_VERIFY_URL: &str = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TurnstileConfig {
    pub site_key: String,
    pub secret: Secret<String>,
    pub verify_url: String,
}

/// Whether a token is worth asking about: present, not blank, not oversized.
pub fn plausible(token: Option<&str>) -> Option<&str> {
    token.map(str::trim).filter(|t| !t.is_empty() && t.len() <= MAX_TOKEN_CHARS)
}

/// The siteverify request for `token`, seen from `remote_ip`; `idempotency_key` lets a retried check be answered again.
pub fn verify_request(
    config: &TurnstileConfig,
    token: &str,
    remote_ip: Option<&str>,
    idempotency_key: &str,
) -> OutboundRequest {
    let mut body = json!({"secret": config.secret.expose_str(), "response": token, "idempotency_key": idempotency_key});
    if let Some(ip) = remote_ip {
        body["remoteip"] = json!(ip);
    }
    OutboundRequest {
        url: config.verify_url.clone(),
        headers: vec![("Content-Type", "application/json".into())],
        body: body.to_string().into(),
    }
}

/// The action the restore page gives its check: a token solved for another action (or another site's form) is no
/// good here.
pub const ACTION: &str = "reset_request";

/// Whether siteverify's answer says the token is good, and was solved on this site (`hostname`, the host of
/// `APP_ORIGIN`) for a reset request.
pub fn passed(status: u16, answer: &str, hostname: &str) -> bool {
    let Ok(answer) = serde_json::from_str::<serde_json::Value>(answer) else { return false };
    status == 200
        && answer["success"].as_bool() == Some(true)
        && answer["hostname"].as_str().is_some_and(|h| h.eq_ignore_ascii_case(hostname))
        && answer["action"].as_str() == Some(ACTION)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> TurnstileConfig {
        TurnstileConfig {
            site_key: "0x4AAA".into(),
            secret: "0x4BBB-secret".into(),
            verify_url: DEFAULT_VERIFY_URL.into(),
        }
    }

    #[test]
    fn the_request_carries_secret_token_and_ip() {
        let request = verify_request(&config(), "tok", Some("203.0.113.9"), "k1");
        assert_eq!(request.url, DEFAULT_VERIFY_URL);
        let body: serde_json::Value = serde_json::from_str(request.body.expose_str()).unwrap();
        assert_eq!((body["secret"].as_str(), body["response"].as_str()), (Some("0x4BBB-secret"), Some("tok")));
        assert_eq!(body["remoteip"], "203.0.113.9");
        assert!(!format!("{:?}", config()).contains("secret\""), "Debug leaves the secret out");
        assert!(!format!("{:?}", config()).contains("0x4BBB"));
    }

    #[test]
    fn only_an_explicit_success_on_this_site_for_this_action_passes() {
        let good = r#"{"success":true,"error-codes":[],"hostname":"reset.school.org","action":"reset_request"}"#;
        assert!(passed(200, good, "reset.school.org"));
        assert!(!passed(200, good, "other.school.org"), "solved on another site");
        assert!(!passed(200, &good.replace("reset_request", "login"), "reset.school.org"), "another action");
        assert!(!passed(200, r#"{"success":true,"error-codes":[]}"#, "reset.school.org"), "no hostname");
        assert!(!passed(200, r#"{"success":false,"error-codes":["invalid-input-response"]}"#, "reset.school.org"));
        assert!(!passed(200, "not json", "reset.school.org"));
        assert!(!passed(500, good, "reset.school.org"));
    }

    #[test]
    fn blank_and_oversized_tokens_are_not_sent() {
        assert_eq!(plausible(Some(" abc ")), Some("abc"));
        assert_eq!(plausible(Some("  ")), None);
        assert_eq!(plausible(None), None);
        assert_eq!(plausible(Some(&"x".repeat(MAX_TOKEN_CHARS + 1))), None);
    }
}
