//! The reset journey against a running Worker, with mail captured by the fake provider this process serves.

use latchkey_e2e::client::Client;
use latchkey_e2e::fake_mail::{attempts_for, deliveries_to};
use latchkey_e2e::{
    create_account, error_code, eventually, http, link_for_new_account, login, post_json, request_reset,
    session_status, token_in, unique_email, url, wait_for_mail,
};
use serde_json::{json, Value};
use std::time::Duration;

const OLD: &str = "Otter-Harbor-93-Violet";
const NEW: &str = "Quartz-Vivid-Meadow-77";

async fn confirm(token: &str, password: &str) -> (u16, Value) {
    post_json("/api/resets", &json!({"token": token, "password": password, "confirm": password})).await
}

async fn verify(token: &str) -> String {
    let (status, body) = post_json("/api/resets/verify", &json!({"token": token})).await;
    assert_eq!(status, 200, "{body}");
    body["status"].as_str().unwrap_or_default().to_owned()
}

/// An account with a fresh address; its reset link, once asked for.
async fn account_with_link(tag: &str) -> (String, String) {
    let email = unique_email("reset", tag);
    let token = link_for_new_account(&email, "parent", OLD).await;
    (email, token)
}

#[tokio::test]
async fn the_whole_journey() {
    let email = unique_email("journey", "");
    let contact = unique_email("journey-home", "");
    create_account(&email, Some(&contact), "staff", OLD).await;
    let old_session = login(&email, "staff", OLD).await.expect("the old password logs in");
    assert_eq!(session_status(&old_session).await, 200);

    let (status, body) = request_reset(&email, "staff").await;
    assert_eq!((status, body["status"].as_str()), (202, Some("accepted")));
    let mail = wait_for_mail(&email, 1).await;
    assert_eq!(mail[0].subject, "Reset your password");
    assert!(mail[0].html.contains("/reset#t="), "multipart: the HTML part has the link too");
    assert!(mail[0].text.contains("Only the newest link works"));
    assert!(!mail[0].idempotency_key.is_empty());
    let token = token_in(&mail[0]);
    assert_eq!(token.len(), 43);

    // Checking the link twice does not use it up.
    assert_eq!(verify(&token).await, "ok");
    assert_eq!(verify(&token).await, "ok");

    let response = http()
        .post(url("/api/resets"))
        .json(&json!({"token": token, "password": NEW, "confirm": NEW}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("set-cookie").is_none(), "nobody is logged in automatically");
    let done: Value = response.json().await.unwrap();
    assert_eq!(done, json!({"status": "password_changed", "revoked_sessions": 1}));

    assert_eq!(session_status(&old_session).await, 401, "old sessions are revoked");
    assert_eq!(login(&email, "staff", OLD).await, Err((401, "invalid_credentials".into())));
    let new_session = login(&email, "staff", NEW).await.expect("the new password logs in");
    assert_eq!(session_status(&new_session).await, 200);

    // The notice goes to every address on file.
    let notices = wait_for_mail(&contact, 1).await;
    assert_eq!(notices[0].subject, "Your password was changed");
    assert!(notices[0].to.contains(&email) && notices[0].to.contains(&contact));
    assert!(notices[0].text.contains("If this was not you"));

    // Logging out ends the session.
    let response = http().delete(url("/api/session")).header("Cookie", &new_session).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(session_status(&new_session).await, 401);
}

#[tokio::test]
async fn only_the_newest_link_works() {
    let (email, first) = account_with_link("").await;
    assert_eq!(request_reset(&email, "parent").await.0, 202);
    let second = token_in(&wait_for_mail(&email, 2).await[1]);
    assert_ne!(first, second);
    assert_eq!(verify(&first).await, "superseded");
    let (status, body) = confirm(&first, NEW).await;
    assert_eq!((status, error_code(&body)), (410, "token_superseded"));
    assert_eq!(confirm(&second, NEW).await.0, 200);
}

#[tokio::test]
async fn a_used_link_stays_used() {
    let (_, token) = account_with_link("").await;
    assert_eq!(confirm(&token, NEW).await.0, 200);
    assert_eq!(verify(&token).await, "used");
    let (status, body) = confirm(&token, "Another-Fine-Pass-88").await;
    assert_eq!((status, error_code(&body)), (410, "token_used"));
}

#[tokio::test]
async fn links_expire() {
    // scripts/test runs the Worker with TOKEN_LIFETIME_SECS=60, the shortest KV allows.
    let (email, token) = account_with_link("").await;
    assert_eq!(verify(&token).await, "ok");
    latchkey_e2e::outlive_a_link(&email, "parent").await;
    assert_eq!(verify(&token).await, "expired");
    let (status, body) = confirm(&token, NEW).await;
    assert_eq!((status, error_code(&body)), (410, "token_expired"));
}

#[tokio::test]
async fn made_up_links_are_invalid() {
    let forged = "A".repeat(43);
    assert_eq!(verify(&forged).await, "invalid");
    assert_eq!(verify("not-a-token").await, "invalid");
    let (status, body) = confirm(&forged, NEW).await;
    assert_eq!((status, error_code(&body)), (400, "token_invalid"));
}

#[tokio::test]
async fn earlier_passwords_are_refused() {
    let (email, token) = account_with_link("").await;
    let (status, body) = confirm(&token, OLD).await;
    assert_eq!((status, error_code(&body)), (422, "password_reused"));
    // The refusal used nothing up: the same link takes a new password.
    assert_eq!(confirm(&token, NEW).await.0, 200);
    assert!(login(&email, "parent", NEW).await.is_ok());
}

#[tokio::test]
async fn weak_and_mismatched_passwords_are_refused_with_the_rules() {
    let (_, token) = account_with_link("").await;
    let (status, body) = confirm(&token, "password").await;
    assert_eq!((status, error_code(&body)), (422, "password_rejected"));
    let unmet: Vec<&str> =
        body["error"]["unmet"].as_array().unwrap().iter().filter_map(|r| r["rule"].as_str()).collect();
    assert!(unmet.contains(&"min_length") && unmet.contains(&"min_strength"), "{unmet:?}");
    let (status, body) =
        post_json("/api/resets", &json!({"token": token, "password": NEW, "confirm": "Quartz-Vivid-Meadow-78"})).await;
    assert_eq!((status, error_code(&body)), (422, "password_mismatch"));
    let huge = "Aa1!".repeat(1_000);
    let (status, body) = confirm(&token, &huge).await;
    assert_eq!((status, error_code(&body)), (422, "password_rejected"));
    assert_eq!(verify(&token).await, "ok", "refusals never consume the link");
}

#[tokio::test]
async fn an_unknown_email_looks_exactly_like_a_known_one() {
    let known = unique_email("known", "");
    create_account(&known, None, "parent", OLD).await;
    let unknown = unique_email("unknown", "");
    assert_eq!(Client::shared().raw_reset_request(&known).await, Client::shared().raw_reset_request(&unknown).await);
}

#[tokio::test]
async fn twenty_concurrent_confirmations_succeed_exactly_once() {
    let (_, token) = account_with_link("").await;
    let attempts = (0..20).map(|_| {
        let token = token.clone();
        tokio::spawn(async move { confirm(&token, NEW).await })
    });
    let mut outcomes: Vec<(u16, String)> = Vec::new();
    for attempt in attempts {
        let (status, body) = attempt.await.unwrap();
        outcomes.push((status, error_code(&body).to_owned()));
    }
    let successes = outcomes.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(successes, 1, "{outcomes:?}");
    assert!(outcomes.iter().filter(|(s, _)| *s != 200).all(|(s, c)| *s == 410 && c == "token_used"), "{outcomes:?}");
}

#[tokio::test]
async fn a_provider_failing_twice_delivers_once() {
    let (email, _) = account_with_link("fail2").await;
    latchkey_e2e::watch_for_strays().await;
    assert_eq!(deliveries_to(&email).len(), 1);
    assert_eq!(attempts_for(&email), 3, "two failures, then the delivery");
}

async fn dead_letters() -> Vec<Value> {
    let (status, body) = Client::shared().admin(reqwest::Method::GET, "/api/admin/dead-letters", None).await;
    assert_eq!(status, 200, "{body}");
    body["dead_letters"].as_array().cloned().unwrap_or_default()
}

async fn wait_for_dead_letter(email: &str) -> Value {
    eventually(&format!("a dead letter for {email}"), Duration::from_secs(90), || async {
        dead_letters().await.into_iter().find(|d| d["to"].as_array().is_some_and(|to| to.iter().any(|t| t == email)))
    })
    .await
}

#[tokio::test]
async fn a_provider_that_always_fails_dead_letters_the_mail() {
    let email = unique_email("down", "alwaysfail");
    create_account(&email, None, "parent", OLD).await;
    assert_eq!(request_reset(&email, "parent").await.0, 202);
    let letter = wait_for_dead_letter(&email).await;
    assert_eq!(letter["kind"], "reset");
    assert_eq!(letter["reason"], "retries_exhausted");
    assert!(attempts_for(&email) >= 2, "retried before giving up");
    assert!(deliveries_to(&email).is_empty());
    assert!(!letter.to_string().contains("reset#t="), "dead letters hold no link");
}

#[tokio::test]
async fn a_refused_mail_is_dead_lettered_at_once() {
    let email = unique_email("refused", "refuse");
    create_account(&email, None, "parent", OLD).await;
    assert_eq!(request_reset(&email, "parent").await.0, 202);
    let letter = wait_for_dead_letter(&email).await;
    assert_eq!(letter["reason"], "refused");
    assert_eq!(attempts_for(&email), 1);
}

#[tokio::test]
async fn staff_and_parent_accounts_with_one_email_are_separate() {
    let email = unique_email("both", "");
    create_account(&email, None, "staff", OLD).await;
    create_account(&email, None, "parent", "Maple-Harbor-93-Violet").await;
    assert_eq!(request_reset(&email, "staff").await.0, 202);
    let token = token_in(&wait_for_mail(&email, 1).await[0]);
    assert_eq!(confirm(&token, NEW).await.0, 200);
    assert!(login(&email, "staff", NEW).await.is_ok());
    assert!(login(&email, "parent", "Maple-Harbor-93-Violet").await.is_ok(), "the parent account is untouched");
}
