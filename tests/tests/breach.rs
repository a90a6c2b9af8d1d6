//! The breached-password check through a range API over HTTP (faked in this process, Have I Been Pwned's format):
//! only a SHA-1 prefix goes out, a breached password is refused as a rule of its own, an outage lets the reset go on.

use latchkey_e2e::fake_services::{BREACHED, BREACH_OUTAGE};
use latchkey_e2e::{eventually, link_for_new_account, post_json, unique_email, worker_log};
use serde_json::{json, Value};
use std::time::Duration;

async fn link(tag: &str) -> String {
    link_for_new_account(&unique_email("breach", tag), "parent", "Otter-Harbor-93-Violet").await
}

async fn confirm(token: &str, password: &str) -> (u16, Value) {
    post_json("/api/resets", &json!({"token": token, "password": password, "confirm": password})).await
}

#[tokio::test]
async fn a_breached_password_is_refused_with_a_rule_of_its_own() {
    let token = link("").await;
    let (status, body) = confirm(&token, BREACHED[0]).await;
    assert_eq!((status, body["error"]["code"].as_str()), (422, Some("password_breached")), "{body}");
    let unmet: Vec<&str> =
        body["error"]["unmet"].as_array().unwrap().iter().filter_map(|r| r["message"].as_str()).collect();
    assert_eq!(unmet, ["rule.not_breached"]);
    assert!(body["error"]["message"].as_str().unwrap().contains("data breach"), "{body}");
    // Refused, not spent: the same link takes a password nobody has leaked.
    let (status, body) = confirm(&token, "Quartz-Vivid-Meadow-77").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn an_outage_of_the_breach_check_does_not_lock_anyone_out() {
    let token = link("").await;
    let before = worker_log().matches("breach_check_unavailable").count();
    let (status, body) = confirm(&token, BREACH_OUTAGE).await;
    assert_eq!(status, 200, "the rest of the policy decides: {body}");
    eventually("ops to hear of the outage", Duration::from_secs(10), || async {
        (worker_log().matches("breach_check_unavailable").count() > before).then_some(())
    })
    .await;
}
