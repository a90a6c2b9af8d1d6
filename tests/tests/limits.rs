//! Per-account limits, kept by the account's Durable Object: reset links sent, attempts with a live link, failed
//! logins. None of them answers differently for an email with no account.

use latchkey_e2e::client::Client;
use latchkey_e2e::fake_mail::deliveries_to;
use latchkey_e2e::{
    create_account, link_for_new_account, login, post_json, request_reset, token_in, unique_email, wait_for_mail,
};
use serde_json::json;

const PASSWORD: &str = "Otter-Harbor-93-Violet";

#[tokio::test]
async fn an_account_is_sent_three_links_per_quarter_hour_and_nobody_can_tell() {
    let known = unique_email("limit", "");
    let unknown = unique_email("limit-nobody", "");
    create_account(&known, None, "parent", PASSWORD).await;
    let mut answers = Vec::new();
    for _ in 0..4 {
        answers.push(Client::shared().raw_reset_request(&known).await);
        answers.push(Client::shared().raw_reset_request(&unknown).await);
    }
    assert_eq!(answers[0].status, 202);
    assert!(answers.iter().all(|a| a == &answers[0]), "every answer is the same, throttled or not: {answers:?}");

    let mails = wait_for_mail(&known, 3).await;
    // A later request for another account is delivered after the fourth would have been.
    let sentinel = unique_email("limit-after", "");
    create_account(&sentinel, None, "parent", PASSWORD).await;
    assert_eq!(request_reset(&sentinel, "parent").await.0, 202);
    wait_for_mail(&sentinel, 1).await;
    assert_eq!(deliveries_to(&known).len(), 3, "the fourth request sent nothing");
    // The last link sent still works.
    let newest = token_in(&mails[2]);
    let (status, body) = post_json("/api/resets/verify", &json!({"token": newest})).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")), "{body}");
}

#[tokio::test]
async fn attempts_with_a_live_link_are_limited() {
    let token = link_for_new_account(&unique_email("attempts", ""), "parent", PASSWORD).await;
    let attempt = |password: &'static str, confirm: &'static str| {
        let token = token.clone();
        async move { post_json("/api/resets", &json!({"token": token, "password": password, "confirm": confirm})).await }
    };
    for _ in 0..10 {
        let (status, body) = attempt("Quartz-Vivid-Meadow-77", "Quartz-Vivid-Meadow-78").await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("password_mismatch")), "{body}");
    }
    let (status, body) = attempt("Quartz-Vivid-Meadow-77", "Quartz-Vivid-Meadow-77").await;
    assert_eq!((status, body["error"]["code"].as_str()), (429, Some("rate_limited")), "{body}");
    // Refused, not spent: the link is still live once the window has passed.
    let (status, body) = post_json("/api/resets/verify", &json!({"token": token})).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")), "{body}");
}

#[tokio::test]
async fn failed_logins_are_throttled_alike_for_known_and_unknown_emails() {
    let known = unique_email("throttle", "");
    let unknown = unique_email("throttle-nobody", "");
    create_account(&known, None, "staff", PASSWORD).await;
    let mut known_codes = Vec::new();
    let mut unknown_codes = Vec::new();
    for _ in 0..6 {
        known_codes.push(login(&known, "staff", "Wrong-Password-1").await.unwrap_err());
        unknown_codes.push(login(&unknown, "staff", "Wrong-Password-1").await.unwrap_err());
    }
    let expected: Vec<(u16, String)> = std::iter::repeat_n((401, "invalid_credentials".to_owned()), 5)
        .chain([(429, "rate_limited".to_owned())])
        .collect();
    assert_eq!(known_codes, expected);
    assert_eq!(unknown_codes, expected, "an unknown email is throttled exactly as a known one");
    assert_eq!(login(&known, "staff", PASSWORD).await.unwrap_err().0, 429, "even the right password waits");
}
