//! The webhook to the site's own backend on every password change: signed with HMAC-SHA256, retried until the
//! backend takes it, delivered once.

use latchkey_e2e::fake_services::{received_for, verify_signature};
use latchkey_e2e::worker::Worker;
use latchkey_e2e::{eventually, fakes_url, link_for_new_account, post_json, unique_email, watch_for_strays};
use serde_json::json;
use std::time::Duration;

fn secret() -> String {
    latchkey_e2e::webhook_secret()
}

/// Resets `email`'s password through its link.
async fn reset_password(email: &str) {
    let token = link_for_new_account(email, "staff", "Otter-Harbor-93-Violet").await;
    let password = "Quartz-Vivid-Meadow-77";
    let (status, body) =
        post_json("/api/resets", &json!({"token": token, "password": password, "confirm": password})).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_password_change_reaches_the_sites_backend_signed() {
    let email = unique_email("hook", "");
    reset_password(&email).await;
    let received =
        eventually("the webhook", Duration::from_secs(20), || async { received_for(&email).into_iter().next() }).await;
    assert!(received.accepted);
    assert_eq!(received.payload["event"], "password_changed");
    assert_eq!(received.payload["audience"], "staff");
    assert_eq!(received.payload["delivery"], received.delivery.as_str());
    assert!(received.payload["changed_at"].as_u64().is_some(), "{}", received.body);
    assert!(verify_signature(&received.signature, &received.body, &secret(), 60).is_some(), "{}", received.signature);
    // A receiver with the wrong secret, or a tampered body, would refuse it.
    assert!(verify_signature(&received.signature, &received.body, "another-secret-of-the-same-length!", 60).is_none());
    assert!(verify_signature(&received.signature, &received.body.replace("staff", "parent"), &secret(), 60).is_none());
    latchkey_e2e::watch_for_strays().await;
    assert_eq!(received_for(&email).len(), 1, "delivered once");
}

#[tokio::test]
async fn a_failing_backend_gets_the_same_delivery_until_it_takes_it() {
    let email = unique_email("hook", "hookfail2");
    reset_password(&email).await;
    let tries = eventually("the third try to be accepted", Duration::from_secs(30), || async {
        let tries = received_for(&email);
        tries.iter().any(|r| r.accepted).then_some(tries)
    })
    .await;
    assert_eq!(tries.iter().map(|r| r.accepted).collect::<Vec<_>>(), [false, false, true]);
    assert!(tries.iter().all(|r| r.delivery == tries[0].delivery), "one delivery id on every try");
    assert!(tries.iter().all(|r| verify_signature(&r.signature, &r.body, &secret(), 60).is_some()));
    latchkey_e2e::watch_for_strays().await;
    assert_eq!(received_for(&email).len(), 3, "nothing after it was taken");
}

/// A backend answering with a redirect is not followed: the signed payload never goes where the other side points.
#[tokio::test]
async fn a_redirect_is_never_followed() {
    let hook = format!("{}/hooks/redirect", fakes_url());
    let worker = Worker::start("webhook-redirect", &[("IP_RATE_LIMIT", "off"), ("WEBHOOK_URL", &hook)]).await;
    let email = unique_email("hook-redirect", "");
    let token = worker.link_for_new_account(&email, "Otter-Harbor-93-Violet").await;
    let password = "Quartz-Vivid-Meadow-77";
    let (status, body) =
        worker.post("/api/resets", json!({"token": token, "password": password, "confirm": password})).await;
    assert_eq!(status, 200, "{body}");
    eventually("the redirected try, retried", Duration::from_secs(30), || async {
        worker.log().contains("HTTP 307").then_some(())
    })
    .await;
    watch_for_strays().await;
    assert!(received_for(&email).is_empty(), "nothing reached the address the redirect pointed to");
}
