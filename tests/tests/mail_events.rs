//! The mail provider's delivery events (`POST /api/mail-events`): recorded-format Resend and Postmark events replayed
//! against the Worker, signed or with credentials, and forged ones refused; what was recorded shows beside the account
//! in the admin API, and the restore page says the same as ever.

use latchkey_e2e::client::Client;
use latchkey_e2e::mail_events::{event, svix_headers, POSTMARK_CREDENTIALS, RESEND_SECRET};
use latchkey_e2e::worker::Worker;
use latchkey_e2e::{create_account, http, now_secs, unique, unique_email};
use reqwest::Method;
use serde_json::Value;

const PASSWORD: &str = "Otter-Harbor-93-Violet";

/// Posts `body` to `base`'s endpoint with `headers`; the status and the answer.
async fn post(base: &str, body: &str, headers: &[(&str, String)]) -> (u16, Value) {
    let mut request =
        http().post(format!("{base}/api/mail-events")).header("Content-Type", "application/json").body(body.to_owned());
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    let response = request.send().await.expect("the Worker answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A Resend event, made and signed now, to the shared Worker.
async fn resend(kind: &str, to: &str, message: u64) -> (u16, Value) {
    resend_made_at(kind, to, message, now_secs()).await
}

/// A Resend event the provider made at `at`, signed now (as a retried delivery is), to the shared Worker.
async fn resend_made_at(kind: &str, to: &str, message: u64, at: u64) -> (u16, Value) {
    let body = event(&format!("resend-email.{kind}"), to, at, message);
    let headers = svix_headers(RESEND_SECRET, &format!("msg_{message:x}_{kind}"), now_secs(), &body);
    post(&Client::shared().url(""), &body, &headers).await
}

/// What the admin API shows of the account found by `email`.
async fn mail_events(client: &Client, email: &str) -> Vec<Value> {
    let (status, found) = client.admin(Method::GET, &format!("/api/admin/accounts?email={email}"), None).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["accounts"].as_array().map(Vec::len), Some(1), "{found}");
    found["accounts"][0]["mail_events"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn a_bounce_and_a_delivery_show_beside_the_account_they_concern() {
    let login = unique_email("bounced", "");
    let contact = unique_email("bounced-contact", "");
    create_account(&login, Some(&contact), "parent", PASSWORD).await;
    // Made a second apart, so the order is certain: newest first.
    let (status, answer) = resend_made_at("bounced", &login, unique(), now_secs() - 1).await;
    assert_eq!((status, answer["recorded"].as_u64()), (200, Some(1)), "{answer}");
    let (status, answer) = resend("delivered", &contact, unique()).await;
    assert_eq!((status, answer["recorded"].as_u64()), (200, Some(1)), "{answer}");

    // Found by either address, the account shows both: the desk reads which address refused the mail, and why.
    for email in [&login, &contact] {
        let events = mail_events(&Client::shared(), email).await;
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(
            (events[0]["kind"].as_str(), events[0]["address"].as_str()),
            (Some("delivered"), Some(&contact[..]))
        );
        assert_eq!((events[1]["kind"].as_str(), events[1]["address"].as_str()), (Some("bounced"), Some(&login[..])));
        assert_eq!(events[1]["provider"], "resend");
        let detail = events[1]["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("550 5.7.1"), "the receiving server's words: {detail}");
        assert!(events[0]["at"].as_u64() > events[1]["at"].as_u64());
    }
}

/// A request that must be refused, and how.
struct Case {
    name: &'static str,
    body: String,
    headers: Vec<(&'static str, String)>,
    status: u16,
    detail: &'static str,
}

#[tokio::test]
async fn forged_stale_and_unreadable_events_are_refused_and_record_nothing() {
    let email = unique_email("forged", "");
    create_account(&email, None, "parent", PASSWORD).await;
    let base = Client::shared().url("");
    let body = event("resend-email.bounced", &email, now_secs(), unique());
    let signed = |secret: &str, at: u64, body: &str| svix_headers(secret, "msg_forged", at, body);
    let other_secret = "whsec_c29tZW9uZS1lbHNlcy1zaWduaW5nLXNlY3JldA==";
    let no_recipient = r#"{"type":"email.bounced","created_at":"2026-01-01T00:00:00Z","data":{"email_id":"x"}}"#;
    let cases = [
        Case { name: "no signature", body: body.clone(), headers: vec![], status: 401, detail: "svix-id" },
        Case {
            name: "another endpoint's secret",
            body: body.clone(),
            headers: signed(other_secret, now_secs(), &body),
            status: 401,
            detail: "svix-signature",
        },
        Case {
            name: "the body changed after signing",
            body: body.replace("bounced", "delivered"),
            headers: signed(RESEND_SECRET, now_secs(), &body),
            status: 401,
            detail: "svix-signature",
        },
        // A captured request, replayed ten minutes later: its signature still matches, its timestamp does not.
        Case {
            name: "replayed late",
            body: body.clone(),
            headers: signed(RESEND_SECRET, now_secs() - 600, &body),
            status: 401,
            detail: "300 s",
        },
        Case {
            name: "signed, not JSON",
            body: "{\"type\": ".to_owned(),
            headers: signed(RESEND_SECRET, now_secs(), "{\"type\": "),
            status: 400,
            detail: "",
        },
        Case {
            name: "signed, no recipient",
            body: no_recipient.to_owned(),
            headers: signed(RESEND_SECRET, now_secs(), no_recipient),
            status: 422,
            detail: "recipient",
        },
    ];
    for case in cases {
        let (status, answer) = post(&base, &case.body, &case.headers).await;
        assert_eq!(status, case.status, "{}: {answer}", case.name);
        let code = match status {
            401 => "unauthorized",
            400 => "malformed_json",
            _ => "invalid_request",
        };
        assert_eq!(answer["error"]["code"], code, "{}: {answer}", case.name);
        let detail = answer["error"]["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(case.detail), "{}: {answer}", case.name);
    }
    let text = http()
        .post(format!("{base}/api/mail-events"))
        .header("Content-Type", "text/plain")
        .body(body.clone())
        .send()
        .await
        .expect("the Worker answers");
    assert_eq!(text.status(), 415);
    assert_eq!(mail_events(&Client::shared(), &email).await, Vec::<Value>::new(), "nothing was recorded");
}

#[tokio::test]
async fn an_event_delivered_twice_is_kept_once_and_unkept_kinds_are_accepted() {
    let email = unique_email("twice", "");
    create_account(&email, None, "staff", PASSWORD).await;
    let (bounce, made) = (unique(), now_secs());
    // Providers retry a webhook they think failed: the same event (made once), a new delivery attempt.
    for _ in 0..2 {
        let (status, answer) = resend_made_at("complained", &email, bounce, made).await;
        assert_eq!((status, answer["recorded"].as_u64()), (200, Some(1)), "{answer}");
    }
    let (status, answer) = resend("opened", &email, unique()).await;
    assert_eq!((status, answer["recorded"].as_u64()), (200, Some(0)), "an open is not kept: {answer}");
    let events = mail_events(&Client::shared(), &email).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["kind"], "complained");
}

#[tokio::test]
async fn a_bounce_changes_nothing_the_restore_page_says() {
    let email = unique_email("bounced-restore", "");
    create_account(&email, None, "parent", PASSWORD).await;
    let (status, _) = resend("bounced", &email, unique()).await;
    assert_eq!(status, 200);
    let client = Client::shared();
    let known = client.raw_reset_request(&email).await;
    let unknown = client.raw_reset_request(&unique_email("nobody-restore", "")).await;
    assert_eq!(known, unknown, "an address that bounces is answered as any other");
}

#[tokio::test]
async fn postmark_events_need_the_webhook_credentials_and_must_be_recent() {
    let worker = Worker::start(
        "postmark-events",
        &[("MAIL_PROVIDER", "postmark"), ("MAIL_EVENTS_SECRET", POSTMARK_CREDENTIALS)],
    )
    .await;
    let email = unique_email("postmark", "");
    assert_eq!(worker.create_account(&email, PASSWORD).await, 201);
    let base = worker.url("");
    let basic = |credentials: &str| {
        use base64::Engine;
        vec![("Authorization", format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(credentials)))]
    };
    let good = basic(POSTMARK_CREDENTIALS);
    let bounce = event("postmark-bounce", &email, now_secs() - 60, unique());
    for (case, headers) in [("no credentials", vec![]), ("wrong password", basic("latchkey:not-the-webhook-password"))]
    {
        let (status, answer) = post(&base, &bounce, &headers).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (401, Some("unauthorized")), "{case}: {answer}");
    }
    // Two days old: Postmark retries for hours, not days; this is a replay.
    let (status, answer) =
        post(&base, &event("postmark-bounce", &email, now_secs() - 2 * 86_400, unique()), &good).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (401, Some("unauthorized")), "{answer}");
    // A Resend signature means nothing to a Worker that sends with Postmark.
    let (status, _) = post(&base, &bounce, &svix_headers(RESEND_SECRET, "msg_x", now_secs(), &bounce)).await;
    assert_eq!(status, 401);

    for (name, at) in [
        ("postmark-delivery", now_secs() - 120),
        ("postmark-bounce", now_secs() - 60),
        ("postmark-spam-complaint", now_secs()),
    ] {
        let (status, answer) = post(&base, &event(name, &email, at, unique()), &good).await;
        assert_eq!((status, answer["recorded"].as_u64()), (200, Some(1)), "{name}: {answer}");
    }
    let events = mail_events(&worker.client(), &email).await;
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(kinds, ["complained", "bounced", "delivered"], "{events:?}");
    assert!(events.iter().all(|e| e["provider"] == "postmark"));
    assert!(events[1]["detail"].as_str().unwrap_or_default().contains("5.1.1"), "{events:?}");
}
