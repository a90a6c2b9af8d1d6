//! Mail providers' HTTP APIs: the requests they take and what their answers mean. Pure; `outbound` does the fetch.

use super::template::Rendered;
use crate::outbound::OutboundRequest;
use serde_json::json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    /// Resend: `POST {base}/emails`, Bearer key, `Idempotency-Key`.
    Resend,
    /// Postmark: `POST {base}/email`, `X-Postmark-Server-Token`.
    Postmark,
    /// Cloudflare's `send_email` binding (Email Routing / Email Service).
    CloudflareSendEmail,
    /// Kept in KV and listed at `/dev/mailbox`: development only, refused in production.
    DevMailbox,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown MAIL_PROVIDER `{0}` (expected resend, postmark, cloudflare or dev-mailbox)")]
pub struct UnknownProvider(pub String);

impl std::str::FromStr for ProviderKind {
    type Err = UnknownProvider;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "resend" => Ok(ProviderKind::Resend),
            "postmark" => Ok(ProviderKind::Postmark),
            "cloudflare" => Ok(ProviderKind::CloudflareSendEmail),
            "dev-mailbox" => Ok(ProviderKind::DevMailbox),
            other => Err(UnknownProvider(other.to_owned())),
        }
    }
}

impl ProviderKind {
    pub fn needs_api_key(self) -> bool {
        matches!(self, ProviderKind::Resend | ProviderKind::Postmark)
    }

    pub fn default_base_url(self) -> &'static str {
        match self {
            ProviderKind::Resend => "https://api.resend.com",
            ProviderKind::Postmark => "https://api.postmarkapp.com",
            ProviderKind::CloudflareSendEmail | ProviderKind::DevMailbox => "",
        }
    }
}

pub fn request(
    kind: ProviderKind,
    base_url: &str,
    api_key: &str,
    from: &str,
    mail: &Rendered,
    idempotency_key: &str,
) -> Option<OutboundRequest> {
    let base = base_url.trim_end_matches('/');
    match kind {
        ProviderKind::Resend => Some(OutboundRequest {
            url: format!("{base}/emails"),
            headers: vec![
                ("Authorization", format!("Bearer {api_key}").into()),
                ("Content-Type", "application/json".into()),
                ("Idempotency-Key", idempotency_key.into()),
            ],
            body: json!({
                "from": from, "to": mail.to, "subject": mail.subject, "text": mail.text, "html": mail.html,
            })
            .to_string()
            .into(),
        }),
        ProviderKind::Postmark => Some(OutboundRequest {
            url: format!("{base}/email"),
            headers: vec![
                ("X-Postmark-Server-Token", api_key.into()),
                ("Content-Type", "application/json".into()),
                ("Accept", "application/json".into()),
            ],
            // Postmark has no idempotency key; the id travels as a header for tracing.
            body: json!({
                "From": from, "To": mail.to.join(", "), "Subject": mail.subject,
                "TextBody": mail.text, "HtmlBody": mail.html, "MessageStream": "outbound",
                "Headers": [{"Name": "X-Latchkey-Message-Id", "Value": idempotency_key}],
            })
            .to_string()
            .into(),
        }),
        ProviderKind::CloudflareSendEmail | ProviderKind::DevMailbox => None,
    }
}

/// What a provider's answer means for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Delivered,
    /// Worth another try: rate limiting, a server error, a timeout, an in-flight duplicate.
    Transient,
    /// Retrying will not help (bad key, refused address): dead-letter at once.
    Permanent,
}

pub fn verdict(status: u16) -> Verdict {
    match status {
        200..=299 => Verdict::Delivered,
        408 | 409 | 425 | 429 | 500..=599 => Verdict::Transient,
        _ => Verdict::Permanent,
    }
}

/// Backoff before the next try: as long as the message has already waited (so delays double), at least `base_secs`,
/// at most 15 minutes.
pub fn retry_delay(elapsed_secs: u64, base_secs: u32) -> u32 {
    let elapsed = u32::try_from(elapsed_secs).unwrap_or(u32::MAX);
    elapsed.max(base_secs).clamp(1, 900)
}

/// How many times a mail the provider throttled (`429`) is put back on the queue as a new message — back-pressure
/// that spends none of the queue's retries, so a storm of resets beyond the provider's rate waits instead of ending
/// in dead letters. Past it (about an hour and a half of throttling), it is retried as any failure.
pub const MAX_DEFERRALS: u32 = 100;

/// How long a throttled mail waits before its next try, the `deferred`th time: as long as the provider asked, else
/// 1 s doubling to a minute; none once it has been deferred [`MAX_DEFERRALS`] times.
pub fn deferral_delay(deferred: u32, retry_after: Option<u32>) -> Option<u32> {
    if deferred >= MAX_DEFERRALS {
        return None;
    }
    Some(match retry_after {
        Some(secs) => secs.clamp(1, 3600),
        None => (1_u32 << deferred.min(6)).min(60),
    })
}

/// A provider's or a binding's words about a failure, with every email address in them replaced by `[address]`: they
/// go into the audit trail and the account's mail record, where no address belongs.
pub fn without_addresses(reason: &str) -> String {
    let boundary =
        |c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | ',' | ';' | '(' | ')' | '[' | ']');
    let mut out = String::with_capacity(reason.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.contains('@') {
            // Keep what trails the address (a sentence's full stop, a colon).
            let kept = word.trim_end_matches(['.', ':', '!', '?']).len();
            let trailing = word.split_off(kept);
            out.push_str("[address]");
            out.push_str(&trailing);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in reason.chars() {
        if boundary(c) {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail() -> Rendered {
        Rendered {
            to: vec!["a@b.org".into(), "c@d.org".into()],
            subject: "S".into(),
            text: "T".into(),
            html: "<p>H</p>".into(),
        }
    }

    #[test]
    fn resend_request_format() {
        let req =
            request(ProviderKind::Resend, "http://127.0.0.1:9/", "re_key", "Reset <no-reply@x.org>", &mail(), "m1")
                .unwrap();
        assert_eq!(req.url, "http://127.0.0.1:9/emails");
        assert!(req.headers.contains(&("Authorization", "Bearer re_key".into())));
        assert!(req.headers.contains(&("Idempotency-Key", "m1".into())));
        let body: serde_json::Value = serde_json::from_str(req.body.expose_str()).unwrap();
        assert_eq!(body["to"], json!(["a@b.org", "c@d.org"]));
        assert_eq!(body["from"], "Reset <no-reply@x.org>");
        assert_eq!(body["html"], "<p>H</p>");
    }

    #[test]
    fn postmark_request_format() {
        let req =
            request(ProviderKind::Postmark, "https://api.postmarkapp.com", "pm", "a@x.org", &mail(), "m2").unwrap();
        assert_eq!(req.url, "https://api.postmarkapp.com/email");
        assert!(req.headers.contains(&("X-Postmark-Server-Token", "pm".into())));
        let body: serde_json::Value = serde_json::from_str(req.body.expose_str()).unwrap();
        assert_eq!(body["To"], "a@b.org, c@d.org");
        assert_eq!(body["TextBody"], "T");
        assert_eq!(body["MessageStream"], "outbound");
    }

    #[test]
    fn verdicts() {
        assert_eq!(verdict(200), Verdict::Delivered);
        assert_eq!(verdict(429), Verdict::Transient);
        assert_eq!(verdict(503), Verdict::Transient);
        assert_eq!(verdict(422), Verdict::Permanent);
        assert_eq!(verdict(401), Verdict::Permanent);
    }

    #[test]
    fn backoff_doubles_and_is_bounded() {
        assert_eq!(retry_delay(0, 2), 2);
        assert_eq!(retry_delay(2, 2), 2);
        assert_eq!(retry_delay(6, 2), 6);
        assert_eq!(retry_delay(100_000, 2), 900);
        assert_eq!(retry_delay(0, 0), 1);
    }

    #[test]
    fn a_throttled_mail_waits_as_asked_or_doubling_and_not_forever() {
        assert_eq!(deferral_delay(0, Some(7)), Some(7));
        assert_eq!(deferral_delay(0, Some(0)), Some(1));
        assert_eq!(deferral_delay(3, Some(99_999)), Some(3600));
        assert_eq!(
            (deferral_delay(0, None), deferral_delay(2, None), deferral_delay(40, None)),
            (Some(1), Some(4), Some(60))
        );
        assert_eq!(deferral_delay(MAX_DEFERRALS - 1, None), Some(60));
        assert_eq!(deferral_delay(MAX_DEFERRALS, Some(1)), None, "then it is retried as any failure");
    }

    #[test]
    fn provider_names() {
        assert_eq!("postmark".parse::<ProviderKind>(), Ok(ProviderKind::Postmark));
        assert!("mailchannels".parse::<ProviderKind>().is_err());
    }

    #[test]
    fn a_failures_words_keep_no_address() {
        let said = "destination address not verified: <ana.garcia+kids@school.org>, and \"bo@x.es\". Retry later";
        let kept = without_addresses(said);
        assert_eq!(kept, "destination address not verified: <[address]>, and \"[address]\". Retry later");
        assert_eq!(without_addresses("HTTP 429"), "HTTP 429");
        assert_eq!(without_addresses("to ana@school.org."), "to [address].");
    }
}
