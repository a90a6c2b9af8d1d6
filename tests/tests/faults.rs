//! Faults: the mail provider slow, rate-limiting or unreachable; KV or the Durable Objects missing. Each shows what
//! the person sees, and that no reset and no mail is lost or sent twice.

use latchkey_e2e::fake_mail::{attempts_for, deliveries_to};
use latchkey_e2e::worker::Worker;
use latchkey_e2e::{
    admin_token, create_account, eventually, http, request_reset, token_in, unique_email, wait_for_mail,
};
use serde_json::{json, Value};
use std::time::Duration;

const OLD: &str = "Otter-Harbor-93-Violet";
const NEW: &str = "Quartz-Vivid-Meadow-77";

#[tokio::test]
async fn a_slow_provider_delivers_once() {
    let email = unique_email("slow", "slow");
    create_account(&email, None, "parent", OLD).await;
    assert_eq!(request_reset(&email, "parent").await.0, 202, "the answer never waits for the provider");
    wait_for_mail(&email, 1).await;
    latchkey_e2e::watch_for_strays().await;
    let received = deliveries_to(&email);
    assert_eq!((attempts_for(&email), received.len()), (1, 1), "a slow answer is not a failure");
    assert_eq!(received[0].provider, "resend");
}

#[tokio::test]
async fn a_provider_answering_429_is_retried_and_delivers_once() {
    let email = unique_email("throttled", "ratelimited");
    create_account(&email, None, "parent", OLD).await;
    assert_eq!(request_reset(&email, "parent").await.0, 202);
    let mail = wait_for_mail(&email, 1).await;
    eventually("the third attempt", Duration::from_secs(10), || async { (attempts_for(&email) >= 3).then_some(()) })
        .await;
    latchkey_e2e::watch_for_strays().await;
    assert_eq!((attempts_for(&email), deliveries_to(&email).len()), (3, 1));
    assert!(!token_in(&mail[0]).is_empty());
    // Back-pressure, not a failure: the mail went back on the queue twice, spending none of its retries.
    let deferrals = latchkey_e2e::worker_log().matches(r#""event":"mail_deferred""#).count();
    assert!(deferrals >= 2, "the throttled mail was deferred, not retried");
}

#[tokio::test]
async fn an_unreachable_provider_dead_letters_the_mail_for_ops() {
    // Port 9 (discard) has no listener here: every attempt fails to connect.
    let worker =
        Worker::start("provider-down", &[("IP_RATE_LIMIT", "off"), ("MAIL_API_BASE", "http://127.0.0.1:9")]).await;
    let email = unique_email("provider-down", "");
    assert_eq!(worker.create_account(&email, OLD).await, 201);
    let (status, body) = worker.post("/api/reset-requests", json!({"email": email, "audience": "parent"})).await;
    assert_eq!(status, 202, "the person sees the usual answer: {body}");
    let letter = eventually("the dead letter", Duration::from_secs(90), || async {
        let list: Value = http()
            .get(worker.url("/api/admin/dead-letters"))
            .bearer_auth(admin_token())
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        list["dead_letters"].as_array()?.iter().find(|l| l["to"][0] == email.as_str()).cloned()
    })
    .await;
    assert_eq!((letter["kind"].as_str(), letter["reason"].as_str()), (Some("reset"), Some("retries_exhausted")));
    assert!(!letter.to_string().contains("/reset#t="), "a dead letter never holds the link");
}

#[tokio::test]
async fn kv_failing_mid_reset_fails_safely_and_loses_nothing() {
    let mut worker = Worker::start("kv-down", &[("IP_RATE_LIMIT", "off")]).await;
    let email = unique_email("kv-down", "");
    let token = worker.link_for_new_account(&email, OLD).await;

    worker.restart_without(&["[[kv_namespaces]]"]).await;
    let (status, body) = worker.post("/api/resets/verify", json!({"token": token})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (500, Some("internal")), "a plain, stable error: {body}");
    let (status, body) = worker.post("/api/resets", json!({"token": token, "password": NEW, "confirm": NEW})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (500, Some("internal")), "{body}");
    let (status, _) = worker.post("/api/reset-requests", json!({"email": email, "audience": "parent"})).await;
    assert_eq!(status, 202, "asking again looks the same");
    eventually("ops to see the failure", Duration::from_secs(10), || async {
        worker.log().contains("reset_request_failed").then_some(())
    })
    .await;

    worker.restart_without(&[]).await;
    let (status, body) = worker.post("/api/resets", json!({"token": token, "password": NEW, "confirm": NEW})).await;
    assert_eq!(status, 200, "the link still works once KV is back: {body}");
    let (status, _) =
        worker.post("/api/sessions", json!({"email": email, "audience": "parent", "password": NEW})).await;
    assert_eq!(status, 200);
    wait_for_mail(&email, 2).await;
    latchkey_e2e::watch_for_strays().await;
    assert_eq!(deliveries_to(&email).len(), 2, "the first link and the notice; nothing from the failed request");
}

#[tokio::test]
async fn durable_objects_failing_lose_no_account_and_no_password() {
    let mut worker = Worker::start("do-down", &[("IP_RATE_LIMIT", "off")]).await;
    let email = unique_email("do-down", "");
    assert_eq!(worker.create_account(&email, OLD).await, 201);

    worker.restart_without(&["[[durable_objects.bindings]]"]).await;
    let (status, body) =
        worker.post("/api/sessions", json!({"email": email, "audience": "parent", "password": OLD})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (500, Some("internal")), "{body}");
    let (status, _) = worker.post("/api/reset-requests", json!({"email": email, "audience": "parent"})).await;
    assert_eq!(status, 202);
    assert_eq!(worker.create_account(&unique_email("do-down-new", ""), OLD).await, 500);

    worker.restart_without(&[]).await;
    let (status, _) =
        worker.post("/api/sessions", json!({"email": email, "audience": "parent", "password": OLD})).await;
    assert_eq!(status, 200, "the account and its password came through");
    latchkey_e2e::no_mail_to(&email, "nothing was sent while the account could not be read").await;
    let (status, _) = worker.post("/api/reset-requests", json!({"email": email, "audience": "parent"})).await;
    assert_eq!(status, 202);
    wait_for_mail(&email, 1).await;
}

/// What a person receives through Postmark, which has no idempotency key (the fake, like Postmark, delivers every
/// request it accepts): a slow answer and two 429s still make one mail, because the Worker sends again only what
/// was not taken.
#[tokio::test]
async fn through_postmark_too_a_slow_or_throttling_provider_delivers_once() {
    let worker = Worker::start(
        "postmark-mail",
        &[
            ("IP_RATE_LIMIT", "off"),
            ("MAIL_PROVIDER", "postmark"),
            ("MAIL_EVENTS_SECRET", "latchkey:postmark-webhook-password"),
        ],
    )
    .await;
    for (tag, attempts) in [("slow", 1), ("ratelimited", 3)] {
        let email = unique_email("postmark", tag);
        assert_eq!(worker.create_account(&email, OLD).await, 201);
        let (status, body) = worker.post("/api/reset-requests", json!({"email": email, "audience": "parent"})).await;
        assert_eq!(status, 202, "{body}");
        let mail = wait_for_mail(&email, 1).await;
        eventually("every attempt", Duration::from_secs(10), || async {
            (attempts_for(&email) >= attempts).then_some(())
        })
        .await;
        latchkey_e2e::watch_for_strays().await;
        let received = deliveries_to(&email);
        assert_eq!((attempts_for(&email), received.len()), (attempts, 1), "{tag}: one mail in the inbox");
        assert_eq!((received[0].provider.as_str(), received[0].idempotency_key.as_str()), ("postmark", ""));
        assert!(!token_in(&mail[0]).is_empty());
    }
}

/// The queue unreachable when a reset link is asked for: the person sees the usual answer, ops see why, the new
/// link is taken back so the one mailed before still works, and the office is told plainly; once the queue is back,
/// asking again mails one link.
#[tokio::test]
async fn the_queue_failing_takes_the_new_link_back_and_leaves_the_last_one_working() {
    let mut worker = Worker::start("queue-down", &[("IP_RATE_LIMIT", "off")]).await;
    let email = unique_email("queue-down", "");
    let first = worker.link_for_new_account(&email, OLD).await;

    worker.restart_without(&["[[queues.producers]]"]).await;
    let (status, body) = worker.post("/api/reset-requests", json!({"email": email, "audience": "parent"})).await;
    assert_eq!(status, 202, "the person sees the usual answer: {body}");
    eventually("ops to see the failure", Duration::from_secs(10), || async {
        worker.log().contains("MAIL_QUEUE").then_some(())
    })
    .await;
    let (status, body) = worker
        .client()
        .admin(
            reqwest::Method::POST,
            "/api/admin/accounts/reset-link",
            Some(&json!({"login_email": email, "audience": "parent"})),
        )
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (500, Some("internal")), "the office is told: {body}");
    let (status, body) = worker.post("/api/resets/verify", json!({"token": first})).await;
    assert_eq!(status, 200, "the link mailed before still works: {body}");

    worker.restart_without(&[]).await;
    let (status, _) = worker.post("/api/reset-requests", json!({"email": email, "audience": "parent"})).await;
    assert_eq!(status, 202);
    let mail = wait_for_mail(&email, 2).await;
    let (status, body) = worker.post("/api/resets/verify", json!({"token": token_in(&mail[1])})).await;
    assert_eq!(status, 200, "{body}");
    latchkey_e2e::watch_for_strays().await;
    assert_eq!(deliveries_to(&email).len(), 2, "the first link and the one asked for once the queue was back");
}
