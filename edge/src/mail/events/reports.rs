//! What a provider's delivery event says, read from its JSON: Resend's `email.*` events, Postmark's records. Each
//! recipient and event becomes one [`Reported`]; kinds latchkey does not keep (sends, opens, clicks) none.

use super::{Refusal, Reported, DETAIL_MAX_BYTES, DETAIL_MAX_CHARS, POSTMARK_MAX_AGE_SECS, SIGNATURE_TOLERANCE_SECS};
use latchkey_shared::api::MailEventKind;
use serde_json::Value;

fn malformed(what: &str) -> Refusal {
    Refusal::Malformed(what.to_owned())
}

fn text<'a>(value: &'a Value, field: &str) -> Option<&'a str> {
    value.get(field).and_then(Value::as_str).filter(|s| !s.trim().is_empty())
}

/// Resend: `{"type": "email.bounced", "created_at": …, "data": {"email_id", "to": [...], "bounce": {…}}}`.
pub(super) fn resend(event: &Value) -> Result<Vec<Reported>, Refusal> {
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
            campaign: campaign_tag(data.get("tags")),
        })
        .collect())
}

/// Postmark: one record per request — `Bounce`, `SpamComplaint` or `Delivery`.
pub(super) fn postmark(event: &Value, now: u64) -> Result<Vec<Reported>, Refusal> {
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
        campaign: campaign_tag(event.get("Tag")),
    }])
}

/// The campaign a mail came from, as its provider reports the tag: Resend's `tags` (`{"campaign": id}`, or the
/// `[{"name", "value"}]` it was sent as), Postmark's `Tag` (the id itself). Only what a campaign's id looks like.
fn campaign_tag(tags: Option<&Value>) -> Option<String> {
    let id = match tags? {
        Value::String(tag) => tag.as_str(),
        Value::Object(tags) => tags.get("campaign")?.as_str()?,
        Value::Array(tags) => tags.iter().find(|t| t["name"] == "campaign").and_then(|t| t["value"].as_str())?,
        _ => return None,
    };
    let ours =
        id.starts_with("change-") && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    ours.then(|| id.to_owned())
}

/// KV keeps at most 1024 bytes of metadata with a key.
fn bare_address(to: &str) -> &str {
    match (to.rfind('<'), to.rfind('>')) {
        (Some(open), Some(close)) if open < close => &to[open + 1..close],
        _ => to.trim(),
    }
}

/// One line of at most [`DETAIL_MAX_CHARS`] characters, no control characters.
pub(super) fn clean_detail(detail: &str) -> String {
    let mut out = String::new();
    for c in detail.chars().map(|c| if c.is_control() { ' ' } else { c }).take(DETAIL_MAX_CHARS) {
        if out.len() + c.len_utf8() > DETAIL_MAX_BYTES {
            break;
        }
        out.push(c);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An RFC 3339 time (`2019-11-05T16:33:54.9070259Z`, `2024-11-22T23:41:11.894719+00:00`) as Unix seconds, fractions
/// dropped; none before 1970.
fn unix_from_rfc3339(raw: &str) -> Option<u64> {
    let at: jiff::Timestamp = raw.trim().parse().ok()?;
    u64::try_from(at.as_second()).ok()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{resend, NOW};
    use super::super::Verifier;
    use super::*;
    use crate::mail::provider::ProviderKind;
    use serde_json::json;

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
    fn a_campaigns_mail_is_known_by_its_tag() {
        let read = |tags: Value| campaign_tag(Some(&tags));
        assert_eq!(read(json!({"campaign": "change-s--p17"})).as_deref(), Some("change-s--p17"));
        assert_eq!(read(json!([{"name": "campaign", "value": "change-s1-p-"}])).as_deref(), Some("change-s1-p-"));
        assert_eq!(read(json!("change-s--p17")).as_deref(), Some("change-s--p17"), "Postmark's Tag");
        assert_eq!(read(json!({"campaign": "newsletter"})), None, "not one of ours");
        assert_eq!(read(json!({"campaign": "change-<script>"})), None);
        assert_eq!(read(json!(7)), None);
        assert_eq!(campaign_tag(None), None);
    }

    #[test]
    fn rfc3339_times() {
        assert_eq!(unix_from_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(unix_from_rfc3339("2024-11-22T23:41:12.126Z"), Some(NOW));
        assert_eq!(unix_from_rfc3339("2024-11-22T23:41:11.894719+00:00"), Some(NOW - 1));
        assert_eq!(unix_from_rfc3339("2024-11-23T01:41:12+02:00"), Some(NOW));
        assert_eq!(unix_from_rfc3339("2024-11-22T18:41:12-05:00"), Some(NOW));
        assert_eq!(unix_from_rfc3339("2000-02-29T12:00:00Z"), Some(951_825_600));
        assert_eq!(unix_from_rfc3339("2024-11-22T23:41Z"), Some(NOW - 12), "seconds left out, as some senders do");
        for bad in ["", "yesterday", "2024-13-01T00:00:00Z", "2024-11-22", "1969-12-31T23:59:59Z"] {
            assert_eq!(unix_from_rfc3339(bad), None, "{bad}");
        }
    }
    #[test]
    fn details_are_one_short_line() {
        assert_eq!(clean_detail("a\r\nb\t c"), "a b c");
        assert_eq!(clean_detail(&"x".repeat(500)).len(), DETAIL_MAX_CHARS);
        assert!(clean_detail(&"é".repeat(500)).len() <= DETAIL_MAX_BYTES);
    }
}
