//! The Worker's whole log output (wrangler dev's, which carries every `console` line from the Worker, its Durable
//! Objects and its queue consumers) holds no secret after a full journey: no token, password, password hash, session,
//! email address or configured secret — and its audit lines are JSON naming the account by pseudonym.

use latchkey_e2e::client::Client;
use latchkey_e2e::{
    admin_token, create_account, eventually, fake_mail, http, login, post_json, request_reset, token_in, unique_email,
    url, wait_for_mail, worker_log,
};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// How the Worker's logs name an account, as the admin API shows it (a digest keyed by the sealing key).
async fn pseudonym(email: &str) -> String {
    let (status, found) =
        Client::shared().admin(reqwest::Method::GET, &format!("/api/admin/accounts?email={email}"), None).await;
    assert_eq!(status, 200, "{found}");
    found["accounts"][0]["pseudonym"].as_str().expect("a pseudonym").to_owned()
}

#[tokio::test]
async fn the_logs_of_a_whole_journey_hold_no_secret() {
    let email = unique_email("logs", "");
    let (old, new, wrong) = ("Otter-Harbor-93-Violet", "Quartz-Vivid-Meadow-77", "Wrong-Guess-Password-5");
    create_account(&email, None, "staff", old).await;
    let old_session = login(&email, "staff", old).await.expect("logs in");
    assert_eq!(login(&email, "staff", wrong).await.unwrap_err().0, 401);
    assert_eq!(request_reset(&email, "staff").await.0, 202);
    let token = token_in(&wait_for_mail(&email, 1).await[0]);
    let (status, _) = post_json("/api/resets/verify", &json!({"token": token})).await;
    assert_eq!(status, 200);
    let (status, body) = post_json("/api/resets", &json!({"token": token, "password": new, "confirm": new})).await;
    assert_eq!(status, 200, "{body}");
    let new_session = login(&email, "staff", new).await.expect("the new password logs in");
    http().delete(url("/api/session")).header("Cookie", &new_session).send().await.unwrap();
    wait_for_mail(&email, 2).await; // the changed-password notice

    // Wait until the journey's last audit lines are in the log, so the search covers all of it.
    let account = pseudonym(&email).await;
    let unkeyed: String =
        Sha256::digest(format!("staff:{email}").as_bytes()).iter().take(8).map(|b| format!("{b:02x}")).collect();
    assert_ne!(account, unkeyed, "not the plain SHA-256 anyone with the school's directory can compute");
    let log = eventually("the journey's audit lines", Duration::from_secs(20), || async {
        let log = worker_log();
        let mine: Vec<Value> = log
            .lines()
            .filter(|l| l.contains(&account))
            .filter_map(|l| serde_json::from_str(&l[l.find('{')?..l.rfind('}')? + 1]).ok())
            .collect();
        let events: Vec<&str> = mine.iter().filter_map(|v| v["event"].as_str()).collect();
        let complete = ["login_failed", "reset_requested", "password_changed", "mail_sent", "webhook_sent"]
            .iter()
            .all(|e| events.contains(e));
        complete.then_some(log)
    })
    .await;

    let session_secret = |cookie: &str| cookie.rsplit('.').next().unwrap_or_default().to_owned();
    let secrets = [
        ("the reset token", token.clone()),
        ("the old password", old.to_owned()),
        ("the new password", new.to_owned()),
        ("a wrong password", wrong.to_owned()),
        ("a session token", session_secret(&old_session)),
        ("a session token", session_secret(&new_session)),
        ("the email address", email.clone()),
        ("the admin token", admin_token()),
        ("the webhook secret", std::env::var("LATCHKEY_WEBHOOK_SECRET").unwrap_or_default()),
        ("the mail API key", fake_mail::API_KEY.to_owned()),
        ("the sealing key", std::env::var("LATCHKEY_SEALING_KEYS").unwrap_or_default().replace("test:", "")),
        ("a password hash", "$argon2".to_owned()),
    ];
    for (what, secret) in &secrets {
        assert!(secret.len() >= 7, "{what} is too short to search for: {secret:?}");
        assert!(!log.contains(secret.as_str()), "the Worker's log holds {what}");
    }
}
