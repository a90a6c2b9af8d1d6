//! The admin API: guarded by the bearer secret; create, import, look up, disable and enable, end sessions.

use argon2::password_hash::PasswordHasher;
use latchkey_e2e::client::Client;
use latchkey_e2e::{admin_token, create_account, fake_mail, http, login, request_reset, unique_email, url};
use serde_json::{json, Value};

const PASSWORD: &str = "Otter-Harbor-93-Violet";

#[tokio::test]
async fn the_admin_api_needs_the_token() {
    for token in [None, Some("wrong-token-0123456789")] {
        let mut request = http().get(url("/api/admin/dead-letters"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "unauthorized");
    }
}

async fn find(email: &str) -> Vec<Value> {
    let path = format!("/api/admin/accounts?email={}", latchkey_e2e::http1::encode(email));
    let (status, body) = Client::shared().admin(reqwest::Method::GET, &path, None).await;
    assert_eq!(status, 200, "{body}");
    body["accounts"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn lookup_by_contact_email_finds_the_login_email() {
    let login_email = unique_email("invited", "");
    let contact = unique_email("profile", "");
    create_account(&login_email, Some(&contact), "parent", PASSWORD).await;
    let found = find(&contact).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["login_email"], login_email.as_str());
    assert_eq!(found[0]["contact_email"], contact.as_str());
    assert!(!found[0].to_string().contains("$argon2"), "no hash is ever shown");
    assert_eq!(found[0]["password_scheme"], "argon2id", "only how the password is hashed");
}

#[tokio::test]
async fn duplicates_are_refused() {
    let email = unique_email("dup", "");
    create_account(&email, None, "staff", PASSWORD).await;
    let response = http()
        .post(url("/api/admin/accounts"))
        .bearer_auth(admin_token())
        .json(&json!({"login_email": email.to_uppercase(), "audience": "staff", "display_name": "X", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "account_exists", "{body}");
}

#[tokio::test]
async fn a_password_given_at_creation_is_judged_as_a_reset_would_judge_it() {
    // Strong for a stranger, weak for the person whose contact email holds its words: refused, as at a reset.
    const LEANS_ON_THE_CONTACT: &str = "Mapplethorpe12!";
    let admin = Client::shared();
    let new = |contact: Option<&str>| {
        json!({"login_email": unique_email("judged", ""), "contact_email": contact, "audience": "parent",
               "display_name": "Gwen", "password": LEANS_ON_THE_CONTACT})
    };
    let (status, body) = admin.admin(reqwest::Method::POST, "/api/admin/accounts", Some(&new(None))).await;
    assert_eq!(status, 201, "{body}");
    let contact = "gwendolyn.mapplethorpe@home.example";
    let (status, body) = admin.admin(reqwest::Method::POST, "/api/admin/accounts", Some(&new(Some(contact)))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (422, Some("password_rejected")), "{body}");
    assert!(body["error"]["unmet"].to_string().contains("min_strength"), "{body}");
    assert!(find(contact).await.is_empty(), "nothing was made");
}

#[tokio::test]
async fn import_takes_json_lines_and_reports_each_bad_line() {
    let good = unique_email("import", "");
    let hashed = unique_email("import-hash", "");
    let bcrypt = unique_email("import-bcrypt", "");
    let huge = unique_email("import-huge", "");
    // A PHC hash of PASSWORD made with other (stronger) parameters, as another system would export it.
    let params = argon2::Params::new(32_768, 3, 1, None).unwrap();
    let phc = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_with_salt(PASSWORD.as_bytes(), b"imported-salt-16")
        .unwrap()
        .to_string();
    let lines = [
        json!({"login_email": good, "audience": "parent", "display_name": "Imported", "password": PASSWORD}).to_string(),
        "{not json".to_owned(),
        json!({"login_email": "not-an-email", "audience": "parent", "display_name": "X"}).to_string(),
        json!({"login_email": bcrypt, "audience": "staff", "display_name": "Bcrypt", "password_hash": "$2b$10$notargon"}).to_string(),
        json!({"login_email": hashed, "audience": "staff", "display_name": "Hashed", "password_hash": phc}).to_string(),
        // An argon2 hash with a 4 GiB memory cost: verifying it would take the account's Durable Object down.
        json!({"login_email": huge, "audience": "staff", "display_name": "Huge", "password_hash":
            "$argon2id$v=19$m=4194304,t=3,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"})
        .to_string(),
    ];
    let report = Client::shared().import(&lines).await;
    assert_eq!(report["created"], 2);
    let failed: Vec<(u64, &str)> = report["failed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["line"].as_u64().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(failed, [(2, "malformed_json"), (3, "invalid_email"), (4, "invalid_request"), (6, "invalid_request")]);
    let detail = report["failed"][3]["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("password_hash") && detail.contains("m=4194304"), "{detail}");
    assert!(login(&good, "parent", PASSWORD).await.is_ok());
    assert!(login(&hashed, "staff", PASSWORD).await.is_ok(), "an imported argon2 hash logs in as it is");
    assert!(login(&hashed, "staff", PASSWORD).await.is_ok(), "and again, once rehashed to the current parameters");
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in_or_get_mail() {
    let email = unique_email("disabled", "");
    create_account(&email, None, "staff", PASSWORD).await;
    let session = login(&email, "staff", PASSWORD).await.unwrap();
    let disable = json!({"login_email": email, "audience": "staff"});
    let (status, body) =
        Client::shared().admin(reqwest::Method::POST, "/api/admin/accounts/disable", Some(&disable)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(latchkey_e2e::session_status(&session).await, 401);
    assert_eq!(login(&email, "staff", PASSWORD).await, Err((401, "invalid_credentials".into())));
    assert_eq!(request_reset(&email, "staff").await.0, 202, "the same answer as for anyone");
    latchkey_e2e::watch_for_strays().await;
    let mails = fake_mail::deliveries_to(&email);
    let subjects: Vec<&str> = mails.iter().map(|m| m.subject.as_str()).collect();
    assert_eq!(subjects, ["Your account was disabled"], "the notice of the disabling, and no reset link");

    let target = json!({"login_email": email, "audience": "staff"});
    let (status, view) =
        Client::shared().admin(reqwest::Method::POST, "/api/admin/accounts/enable", Some(&target)).await;
    assert_eq!((status, view["status"].as_str()), (200, Some("active")), "{view}");
    assert!(login(&email, "staff", PASSWORD).await.is_ok(), "enabled, it logs in again");
}

#[tokio::test]
async fn ending_the_sessions_logs_the_account_out_everywhere_and_keeps_the_password() {
    let email = unique_email("lost-phone", "");
    create_account(&email, None, "parent", PASSWORD).await;
    let phone = login(&email, "parent", PASSWORD).await.unwrap();
    let laptop = login(&email, "parent", PASSWORD).await.unwrap();
    let target = json!({"login_email": email, "audience": "parent"});
    let path = "/api/admin/accounts/end-sessions";
    let (status, view) = Client::shared().admin(reqwest::Method::POST, path, Some(&target)).await;
    assert_eq!((status, view["active_sessions"].as_u64()), (200, Some(0)), "{view}");
    assert!(view["last_login_at"].as_u64().is_some(), "the desk sees when it last logged in: {view}");
    for session in [&phone, &laptop] {
        assert_eq!(latchkey_e2e::session_status(session).await, 401);
    }
    assert!(login(&email, "parent", PASSWORD).await.is_ok(), "the password still works");
    let nobody = json!({"login_email": unique_email("nobody-sessions", ""), "audience": "parent"});
    let (status, answer) = Client::shared().admin(reqwest::Method::POST, path, Some(&nobody)).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (404, Some("not_found")), "{answer}");
}

#[tokio::test]
async fn look_alike_addresses_are_one_account_and_invisible_characters_are_refused() {
    // The same address three ways: an accent composed or decomposed, the domain in Unicode or in its ASCII form.
    let local = unique_email("idna-pe\u{301}rez", "").replace("@school.test", "");
    let typed = format!("{local}@Bücher.test");
    let composed = format!("{}@bücher.test", local.replace("e\u{301}", "\u{e9}"));
    let ascii = format!("{}@xn--bcher-kva.test", local.replace("e\u{301}", "\u{e9}"));
    create_account(&typed, None, "parent", PASSWORD).await;
    let (status, body) = Client::shared().create_account_contact("parent", &ascii, None, PASSWORD).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("account_exists")), "{body}");
    for form in [&typed, &composed, &ascii] {
        assert!(login(form, "parent", PASSWORD).await.is_ok(), "logs in as {form:?}");
    }
    let mut client = Client::shared();
    let (status, session) = client.login(&ascii, "parent", PASSWORD, None).await;
    assert_eq!((status, session["email"].as_str()), (200, Some(composed.as_str())), "shown as people write it");
    let found = find(&composed).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["login_email"], composed.as_str());

    // The mail goes to the form every mail system takes.
    assert_eq!(request_reset(&composed, "parent").await.0, 202);
    latchkey_e2e::wait_for_mail(&ascii, 1).await;

    // An invisible character would make a second account that looks like the first.
    for invisible in ['\u{200B}', '\u{2060}', '\u{AD}', '\u{FEFF}'] {
        let sneaky = format!("{local}{invisible}@bücher.test");
        let (status, body) = Client::shared().create_account_contact("parent", &sneaky, None, PASSWORD).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("invalid_email")), "{invisible:?}: {body}");
        assert!(body["error"]["detail"].as_str().unwrap_or_default().contains("invisible"), "{body}");
        let (status, body) = request_reset(&sneaky, "parent").await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("invalid_email")), "{body}");
        assert_eq!(login(&sneaky, "parent", PASSWORD).await, Err((401, "invalid_credentials".into())));
    }
}

/// The account as the admin API shows it once `ready` holds of it.
async fn view_once(email: &str, what: &str, ready: impl Fn(&Value) -> bool) -> Value {
    latchkey_e2e::eventually(what, std::time::Duration::from_secs(20), || async {
        find(email).await.into_iter().next().filter(|account| ready(account))
    })
    .await
}

#[tokio::test]
async fn the_account_shows_its_latest_link_and_what_became_of_each_mail() {
    let email = unique_email("office-link", "");
    create_account(&email, None, "parent", PASSWORD).await;
    assert_eq!(request_reset(&email, "parent").await.0, 202);
    latchkey_e2e::wait_for_mail(&email, 1).await;
    let sent = |account: &Value| account["recent_mail"][0]["state"] == "sent";
    let account = view_once(&email, "the reset mail reported sent", sent).await;
    let link = &account["reset_link"];
    assert_eq!((link["status"].as_str(), link["superseded"].as_u64()), (Some("ok"), Some(0)), "{account}");
    let sent_at = link["sent_at"].as_u64().expect("when it was sent");
    assert_eq!(link["expires_at"].as_u64(), Some(sent_at + 60), "the test Worker's links live 60 s");
    assert_eq!(account["recent_mail"][0]["kind"], "reset");

    // Asked again: the first link is superseded, both mails are listed, newest first.
    assert_eq!(request_reset(&email, "parent").await.0, 202);
    latchkey_e2e::wait_for_mail(&email, 2).await;
    let both = |account: &Value| account["recent_mail"].as_array().is_some_and(|m| m.len() == 2) && sent(account);
    let account = view_once(&email, "the second mail reported sent", both).await;
    assert_eq!(account["reset_link"]["superseded"], 1, "{account}");
    assert!(account["recent_mail"][0]["queued_at"].as_u64() >= account["recent_mail"][1]["queued_at"].as_u64());
    assert!(!account.to_string().contains(&latchkey_e2e::token_in(&latchkey_e2e::wait_for_mail(&email, 2).await[1])));
}

#[tokio::test]
async fn a_mail_the_provider_puts_off_or_refuses_shows_as_such() {
    // The fake provider answers 429 twice for `+ratelimited`, and refuses `+refuse` for good.
    let throttled = unique_email("office-throttled", "ratelimited");
    let refused = unique_email("office-refused", "refuse");
    for email in [&throttled, &refused] {
        create_account(email, None, "staff", PASSWORD).await;
        assert_eq!(request_reset(email, "staff").await.0, 202);
    }
    let account =
        view_once(&throttled, "the throttled mail sent at last", |a| a["recent_mail"][0]["state"] == "sent").await;
    assert_eq!(account["recent_mail"][0]["retries"], 2, "{account}");
    let account =
        view_once(&refused, "the refused mail dead-lettered", |a| a["recent_mail"][0]["state"] == "dead_lettered")
            .await;
    assert_eq!(account["recent_mail"][0]["reason"], "refused", "{account}");
}

#[tokio::test]
async fn the_sweep_that_seals_old_secrets_walks_the_registry_a_page_at_a_time() {
    let admin = Client::shared();
    create_account(&unique_email("sweep", ""), None, "parent", PASSWORD).await;
    let admin = &admin;
    let sweep = |body: Value| async move {
        admin.admin(reqwest::Method::POST, "/api/admin/accounts/seal-secrets", Some(&body)).await
    };
    let (mut cursor, mut checked) = (Value::Null, 0);
    for _ in 0..100 {
        let (status, page) = sweep(json!({"cursor": cursor, "limit": 100})).await;
        assert_eq!(status, 200, "{page}");
        assert!(page["checked"].as_u64().unwrap() <= 100 && page["sealed"] == 0, "nothing kept plain here: {page}");
        checked += page["checked"].as_u64().unwrap();
        cursor = page["cursor"].clone();
        if cursor.is_null() {
            break;
        }
    }
    assert!(cursor.is_null() && checked >= 1, "the sweep ends, having looked at the accounts: {checked}");
    // (A cursor KV did not make is refused by Cloudflare's KV, and answered 422; the local KV takes any.)
    for bad in [json!({"limit": 0}), json!({"limit": 101}), json!({"cursor": ""})] {
        let (status, body) = sweep(bad.clone()).await;
        assert_eq!((status, body["error"]["code"].as_str()), (422, Some("invalid_request")), "{bad}: {body}");
    }
}
