//! Many mails in one request, for campaigns: Resend's `POST /emails/batch` (up to 100, one `Idempotency-Key` for the
//! batch) and Postmark's `POST /email/batch` (up to 500, an answer per message); what each answer means, and
//! `Retry-After`. Pure; the campaign's Durable Object sends.

use super::provider::ProviderKind;
use super::template::Rendered;
use crate::outbound::OutboundRequest;
use serde_json::{json, Value};

/// The most mails one batch request may carry, by the provider's documentation (Resend 100, Postmark 500); none for a
/// provider without a batch API (each mail is then its own request).
pub fn max_batch(kind: ProviderKind) -> Option<u32> {
    match kind {
        ProviderKind::Resend => Some(100),
        ProviderKind::Postmark => Some(500),
        ProviderKind::CloudflareSendEmail | ProviderKind::DevMailbox => None,
    }
}

/// Requests a second the provider takes by default: Resend documents 5 per team; Postmark publishes no per-second
/// limit and asks bulk senders to batch, so 10; the others are ours (no provider behind them to overrun).
pub fn default_requests_per_sec(kind: ProviderKind) -> u32 {
    match kind {
        ProviderKind::Resend => 5,
        ProviderKind::Postmark | ProviderKind::CloudflareSendEmail => 10,
        ProviderKind::DevMailbox => 20,
    }
}

/// The batch request; `key` names the batch (Resend's `Idempotency-Key`, so a batch sent again after a crash is
/// delivered once), `tag` the campaign (the provider's delivery events carry it back).
pub fn request(
    kind: ProviderKind,
    base_url: &str,
    api_key: &str,
    from: &str,
    mails: &[Rendered],
    key: &str,
    tag: &str,
) -> Option<OutboundRequest> {
    let base = base_url.trim_end_matches('/');
    match kind {
        ProviderKind::Resend => {
            let mails: Vec<Value> = mails
                .iter()
                .map(|m| {
                    json!({"from": from, "to": m.to, "subject": m.subject, "text": m.text, "html": m.html,
                           "tags": [{"name": "campaign", "value": tag}]})
                })
                .collect();
            Some(OutboundRequest {
                url: format!("{base}/emails/batch"),
                headers: vec![
                    ("Authorization", format!("Bearer {api_key}").into()),
                    ("Content-Type", "application/json".into()),
                    ("Idempotency-Key", key.into()),
                ],
                body: Value::Array(mails).to_string().into(),
            })
        }
        ProviderKind::Postmark => {
            let mails: Vec<Value> = mails
                .iter()
                .map(|m| {
                    json!({"From": from, "To": m.to.join(", "), "Subject": m.subject, "TextBody": m.text,
                           "HtmlBody": m.html, "MessageStream": "outbound", "Tag": tag,
                           "Headers": [{"Name": "X-Latchkey-Message-Id", "Value": key}]})
                })
                .collect();
            Some(OutboundRequest {
                url: format!("{base}/email/batch"),
                headers: vec![
                    ("X-Postmark-Server-Token", api_key.into()),
                    ("Content-Type", "application/json".into()),
                    ("Accept", "application/json".into()),
                ],
                body: Value::Array(mails).to_string().into(),
            })
        }
        ProviderKind::CloudflareSendEmail | ProviderKind::DevMailbox => None,
    }
}

/// What became of a batch (or of a single mail sent on its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Every mail was accepted.
    Sent,
    /// Accepted but for these (position in the batch, the provider's words): Postmark answers per message.
    Partly { refused: Vec<(usize, String)> },
    /// The provider asks to slow down (`429`): wait `retry_after` seconds where it said.
    Throttled { retry_after: Option<u32> },
    /// Worth another try later: a server error, no answer.
    Failed(String),
    /// The provider refused the request as a whole: trying it again will not help.
    Refused(String),
}

/// `Retry-After` in seconds (an HTTP date is not worth a clock here: the caller's own backoff applies), at most an hour.
pub fn retry_after(header: Option<&str>) -> Option<u32> {
    header?.trim().parse::<u32>().ok().map(|secs| secs.min(3600))
}

/// Reads a batch request's answer: `status`, its `Retry-After`, its body, for `count` mails.
pub fn answer(status: u16, retry_after_header: Option<&str>, body: &str, count: usize) -> Answer {
    match status {
        429 => Answer::Throttled { retry_after: retry_after(retry_after_header) },
        200..=299 => per_message(body, count),
        408 | 409 | 425 | 500..=599 => Answer::Failed(format!("HTTP {status}")),
        _ => Answer::Refused(format!("HTTP {status}")),
    }
}

/// Postmark answers `[{"ErrorCode": 0, …}, …]`, one per message in order; anything else accepted means all were.
fn per_message(body: &str, count: usize) -> Answer {
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(body) else { return Answer::Sent };
    let refused: Vec<(usize, String)> = items
        .iter()
        .take(count)
        .enumerate()
        .filter_map(|(at, item)| {
            let code = item.get("ErrorCode").and_then(Value::as_i64)?;
            (code != 0).then(|| {
                let words = item.get("Message").and_then(Value::as_str).unwrap_or("refused");
                (at, super::provider::without_addresses(&format!("{code}: {words}")))
            })
        })
        .collect();
    if refused.is_empty() {
        Answer::Sent
    } else {
        Answer::Partly { refused }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(to: &str) -> Rendered {
        Rendered { to: vec![to.into()], subject: "S".into(), text: "T".into(), html: "<p>H</p>".into() }
    }

    #[test]
    fn resend_takes_the_batch_with_one_key_and_the_campaign_as_a_tag() {
        let mails = [mail("a@x.org"), mail("b@x.org")];
        let resend =
            request(ProviderKind::Resend, "https://api.resend.com/", "k", "S <s@x.org>", &mails, "c1-0", "c1").unwrap();
        assert_eq!(resend.url, "https://api.resend.com/emails/batch");
        assert!(resend.headers.iter().any(|(n, v)| *n == "Idempotency-Key" && v.expose_str() == "c1-0"));
        let body: Value = serde_json::from_str(resend.body.expose_str()).unwrap();
        assert_eq!(body.as_array().unwrap().len(), 2);
        assert_eq!(body[1]["to"][0], "b@x.org");
        assert_eq!(body[0]["tags"][0], json!({"name": "campaign", "value": "c1"}));
    }

    #[test]
    fn postmark_takes_the_batch_with_the_campaign_as_its_tag() {
        let postmark =
            request(ProviderKind::Postmark, "https://pm", "k", "s@x.org", &[mail("a@x.org")], "c1-0", "c1").unwrap();
        assert_eq!(postmark.url, "https://pm/email/batch");
        let body: Value = serde_json::from_str(postmark.body.expose_str()).unwrap();
        assert_eq!((body[0]["To"].as_str(), body[0]["Tag"].as_str()), (Some("a@x.org"), Some("c1")));
        assert!(request(ProviderKind::DevMailbox, "", "", "", &[], "k", "t").is_none());
    }

    #[test]
    fn answers_say_what_to_do_next() {
        assert_eq!(answer(200, None, r#"{"data":[{"id":"1"}]}"#, 1), Answer::Sent);
        assert_eq!(answer(429, Some(" 7 "), "", 1), Answer::Throttled { retry_after: Some(7) });
        assert_eq!(answer(429, Some("Wed, 21 Oct 2015 07:28:00 GMT"), "", 1), Answer::Throttled { retry_after: None });
        assert_eq!(answer(429, Some("999999"), "", 1), Answer::Throttled { retry_after: Some(3600) });
        assert_eq!(answer(503, None, "", 1), Answer::Failed("HTTP 503".into()));
        assert_eq!(answer(422, None, "", 1), Answer::Refused("HTTP 422".into()));
        let postmark = r#"[{"ErrorCode":0,"Message":"OK"},{"ErrorCode":406,"Message":"Inactive a@b.org"}]"#;
        assert_eq!(
            answer(200, None, postmark, 2),
            Answer::Partly { refused: vec![(1, "406: Inactive [address]".into())] }
        );
    }
}
