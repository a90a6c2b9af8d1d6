//! Passkeys, as a parent meets them, in Chromium with WebDriver's virtual authenticator (the phone's screen lock,
//! with nobody at the screen): added on the 2-Step Verification page (2-Step Verification turns on, recovery codes
//! shown once, the notice mailed), logging in with it from the button and from the email field's autofill, a reset
//! with a link and the passkey instead of a code, and logging in to an app through OpenID Connect with it (`amr`).
//! Their Worker is served as `localhost`: a browser takes no IP address as a passkey's site. The other engines, as
//! checked on 2026-12-07: geckodriver adds a virtual authenticator to Firefox ESR, but `navigator.credentials.create`
//! then never settles in its headless mode (a browser prompt waits for a person); WebKitWebDriver answers the
//! commands with "unknown command". The API's refusals of bad ceremonies run against the shared stack.

use fantoccini::Locator;
use latchkey_e2e::client::Client as ApiClient;
use latchkey_e2e::oidc::{serve_demo_for, App};
use latchkey_e2e::page::{audit, click, open_page, screenshot, text_of, type_into, visible, wait_visible};
use latchkey_e2e::passkey::VirtualAuthenticator;
use latchkey_e2e::worker::Worker;
use latchkey_e2e::{error_code, eventually, fake_mail, unique_email, Engine};
use serde_json::json;
use std::time::Duration;

const PASSWORD: &str = "Otter-Harbor-93-Violet";
const NEW: &str = "Quartz-Vivid-Meadow-77";

async fn wait_text(browser: &fantoccini::Client, css: &str, wanted: &str) -> String {
    eventually(&format!("{css} to say {wanted}"), Duration::from_secs(20), || async {
        let text = browser.find(Locator::Css(css)).await.ok()?.text().await.ok()?;
        text.contains(wanted).then_some(text)
    })
    .await
}

async fn wait_at(browser: &fantoccini::Client, prefix: &str) {
    eventually(&format!("the browser at {prefix}"), Duration::from_secs(20), || async {
        let at = browser.current_url().await.ok()?;
        at.as_str().starts_with(prefix).then_some(())
    })
    .await;
}

/// The newest mail to `email` whose text holds `holding`.
async fn mail_holding(email: &str, holding: &str) -> fake_mail::Delivery {
    eventually(&format!("a mail to {email} with {holding}"), Duration::from_secs(30), || async {
        fake_mail::deliveries_to(email).into_iter().rev().find(|mail| mail.text.contains(holding))
    })
    .await
}

#[tokio::test]
async fn a_parent_adds_a_passkey_and_logs_in_resets_and_reaches_an_app_with_it() {
    let worker = Worker::start_at_localhost("passkeys", &[("IP_RATE_LIMIT", "off")]).await;
    journey(&worker, Engine::Chromium).await;
    welcomed_with_a_passkey(&worker, Engine::Chromium).await;
}

/// An invited parent sets the account up with a passkey instead of a password: 2-Step Verification on with it, the
/// recovery codes shown once, logged in; no password on the account.
async fn welcomed_with_a_passkey(worker: &Worker, engine: Engine) {
    let email = unique_email("passkey-welcome", "");
    let invite = json!({"login_email": email, "audience": "parent", "display_name": "Pia Passkey"});
    let (status, body) = worker.client().admin(reqwest::Method::POST, "/api/admin/invitations", Some(&invite)).await;
    assert_eq!(status, 201, "{body}");
    let mail = mail_holding(&email, "/welcome").await;
    let start = mail.text.find("http").expect("a link");
    let link: String = mail.text[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    let browser = engine.open().await;
    let authenticator = VirtualAuthenticator::add(&browser).await;
    browser.goto(&link).await.unwrap();
    wait_visible(&browser, "#welcome-passkey").await;
    click(&browser, "#welcome-passkey").await;
    wait_visible(&browser, "#codes").await;
    assert_eq!(browser.find_all(Locator::Css("#code-list li")).await.unwrap().len(), 10);
    audit(&browser, "the welcome page's recovery codes").await;
    click(&browser, "#codes-saved").await;
    wait_visible(&browser, "#signed-in").await;
    assert!(text_of(&browser, "#signed-in-as").await.contains(&email));
    wait_text(&browser, "#two-step-state", "on").await;
    assert_eq!(authenticator.credentials(&browser).await.len(), 1);
    let (status, found) =
        worker.client().admin(reqwest::Method::GET, &format!("/api/admin/accounts?email={email}"), None).await;
    assert_eq!(status, 200, "{found}");
    let account = &found["accounts"][0];
    assert_eq!(account["invitation"]["status"], "accepted", "{account}");
    assert!(account["password_scheme"].is_null(), "no password: {account}");
    assert_eq!(account["passkeys"].as_array().map(Vec::len), Some(1), "{account}");
    browser.close().await.unwrap();
}

async fn journey(worker: &Worker, engine: Engine) {
    let email = unique_email(&format!("passkey-journey-{}", engine.name()), "");
    assert_eq!(worker.create_account_for("parent", &email, PASSWORD).await, 201);
    let browser = engine.open().await;
    let authenticator = VirtualAuthenticator::add(&browser).await;

    // Logged in with the password, the 2-Step Verification page offers passkeys.
    latchkey_e2e::page::log_in(&browser, &worker.url(""), &email, "parent", PASSWORD, None).await;
    wait_visible(&browser, "#signed-in").await;
    open_page(&browser, &worker.url("/two-step")).await;
    wait_visible(&browser, "#passkey-add").await;
    assert!(visible(&browser, "#passkeys-none").await, "none yet");
    click(&browser, "#passkey-add").await;
    // The first second step: 2-Step Verification is on, and the recovery codes show once.
    wait_visible(&browser, "#codes").await;
    assert_eq!(browser.find_all(Locator::Css("#code-list li")).await.unwrap().len(), 10);
    click(&browser, "#codes-saved").await;
    wait_visible(&browser, "#on").await;
    let listed = wait_text(&browser, "#passkey-list", "Added").await;
    let browser_name = if engine == Engine::Firefox { "Firefox" } else { "Chrome" };
    assert!(
        listed.contains(browser_name) && listed.contains("not used yet"),
        "named by the browser and the day: {listed}"
    );
    let held = authenticator.credentials(&browser).await;
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["rpId"], "localhost");
    assert_eq!(held[0]["isResidentCredential"], true, "a discoverable passkey");
    screenshot(&browser, engine, "passkeys-added").await;
    audit(&browser, "the 2-Step Verification page with a passkey").await;
    let notice = mail_holding(&email, "A passkey was added").await;
    assert!(notice.subject.contains("passkey"), "{}", notice.subject);

    // Logged out, the button logs in with it: no password typed.
    open_page(&browser, &worker.url("/login")).await;
    click(&browser, "#logout").await;
    wait_visible(&browser, "#passkey-button").await;
    audit(&browser, "the login page offering a passkey").await;
    click(&browser, "#passkey-button").await;
    wait_visible(&browser, "#signed-in").await;
    assert!(text_of(&browser, "#signed-in-as").await.contains(&email));
    let again = wait_text(&browser, "#two-step-state", "on").await;
    assert!(!again.is_empty());

    // And from the email field's autofill: the page asks for a passkey in the background as it opens (conditional
    // mediation), which the virtual authenticator answers as a person picking it from the list would — no click.
    click(&browser, "#logout").await;
    wait_visible(&browser, "#login").await;
    let email_field = browser.find(Locator::Css("#email")).await.unwrap();
    assert_eq!(email_field.attr("autocomplete").await.unwrap().as_deref(), Some("username webauthn"));
    browser.goto(&worker.url("/login")).await.unwrap();
    wait_visible(&browser, "#signed-in").await;

    // A reset: the link from the mail, a new password, and the passkey instead of a code.
    click(&browser, "#logout").await;
    let (status, body) = worker.client().request_reset(&email, "parent").await;
    assert_eq!(status, 202, "{body}");
    let token = latchkey_e2e::token_in(&mail_holding(&email, "/reset#t=").await);
    open_page(&browser, &worker.url(&format!("/reset#t={token}"))).await;
    wait_visible(&browser, "#reset-passkey").await;
    type_into(&browser, "#password", NEW).await;
    type_into(&browser, "#confirm", NEW).await;
    click(&browser, "#reset-passkey").await;
    wait_visible(&browser, "#done").await;
    let mut api = worker.client();
    assert_eq!(api.login(&email, "parent", PASSWORD, None).await.0, 401, "the old password is gone");

    // An app on another site logs the person in through latchkey with the passkey; its ID token says how.
    let admin = worker.client();
    let app =
        App::register(&admin, json!({"name": "Sunny Days Parent App", "redirect_uris": ["http://localhost:1/"]})).await;
    let demo = serve_demo_for(&worker.url(""), &app.id, "127.0.0.1");
    let update = json!({"client_id": app.id, "registration": {
        "name": "Sunny Days Parent App", "kind": "public", "redirect_uris": [demo], "post_logout_redirect_uris": [demo],
    }});
    let (status, body) = admin.admin(reqwest::Method::PUT, "/api/admin/oauth2/clients", Some(&update)).await;
    assert_eq!(status, 200, "{body}");
    browser.goto(&demo).await.unwrap();
    wait_visible(&browser, "#login").await;
    click(&browser, "#login").await;
    // latchkey's login page, where the autofill's passkey logs in (as above) and sends the person on.
    wait_at(&browser, &worker.url("/login?")).await;
    wait_at(&browser, &worker.url("/oauth2/authorize?")).await;
    click(&browser, "button[value=continue]").await;
    wait_at(&browser, &demo).await;
    wait_visible(&browser, "#logged-in").await;
    let claims = text_of(&browser, "#claims").await;
    assert!(claims.contains(&email) && claims.contains("mfa"), "{claims}");
    assert!(!claims.contains("pwd"), "no password was typed: {claims}");
    assert_eq!(authenticator.credentials(&browser).await[0]["signCount"].as_u64().map(|n| n > 0), Some(true));

    // The phone is lost: the office sees the passkey on the account and removes it (its last second step: 2-Step
    // Verification goes off), the person is logged out and mailed, and the passkey logs in no more.
    let find = format!("/api/admin/accounts?email={}", latchkey_e2e::http1::encode(&email));
    let (status, found) = admin.admin(reqwest::Method::GET, &find, None).await;
    assert_eq!(status, 200, "{found}");
    let passkeys = found["accounts"][0]["passkeys"].as_array().cloned().unwrap_or_default();
    assert_eq!(passkeys.len(), 1, "{found}");
    assert!(passkeys[0]["last_used_at"].as_u64().is_some() && passkeys[0].get("public_key").is_none(), "{found}");
    let remove = json!({"login_email": email, "audience": "parent", "id": passkeys[0]["id"]});
    let (status, view) = admin.admin(reqwest::Method::POST, "/api/admin/accounts/passkey-remove", Some(&remove)).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!((view["passkeys"].as_array().map(Vec::len), &view["two_step_enabled"]), (Some(0), &json!(false)));
    assert_eq!(view["active_sessions"], 0, "logged out everywhere");
    let events: Vec<&str> = view["history"].as_array().unwrap().iter().filter_map(|e| e["event"].as_str()).collect();
    assert!(events.contains(&"passkey_removed") && events.contains(&"passkey_added"), "{events:?}");
    mail_holding(&email, "turned off 2-Step Verification").await;
    let (status, refused) =
        admin.admin(reqwest::Method::POST, "/api/admin/accounts/passkey-remove", Some(&remove)).await;
    assert_eq!((status, error_code(&refused)), (404, "passkey_not_found"));
    browser.goto(&worker.url("/login")).await.unwrap();
    wait_text(&browser, "#status", "did not work").await;
    assert!(!visible(&browser, "#signed-in").await);
    browser.close().await.unwrap();
}

#[tokio::test]
async fn bad_passkey_ceremonies_are_refused_with_their_codes() {
    let client = ApiClient::shared();
    let (status, begun) = client.post("/api/passkeys/challenge", json!({"purpose": "login"})).await;
    assert_eq!(status, 200, "{begun}");
    assert_eq!(begun["options"]["userVerification"], "required");
    assert_eq!(begun["options"]["allowCredentials"], json!([]), "no account's passkeys are named");
    let ceremony = begun["ceremony"].as_str().unwrap().to_owned();
    let (status, second) = client.post("/api/passkeys/challenge", json!({"purpose": "second_step"})).await;
    assert_eq!((status, &second["options"]["userVerification"]), (200, &json!("preferred")));
    for body in [json!({"purpose": "register"}), json!({}), json!({"purpose": "login", "extra": 1})] {
        let (status, refused) = client.post("/api/passkeys/challenge", body).await;
        assert!((400..500).contains(&status) && !error_code(&refused).is_empty(), "{status} {refused}");
    }

    let credential = json!({"id": "AAAA", "response": {
        "clientDataJSON": "e30", "authenticatorData": "AAAA", "signature": "AAAA"}});
    let forged = format!("{ceremony}x");
    let (status, refused) =
        client.post("/api/passkeys/login", json!({"ceremony": forged, "credential": credential})).await;
    assert_eq!((status, error_code(&refused)), (400, "passkey_ceremony_expired"), "a ceremony not sealed here");
    let (status, refused) =
        client.post("/api/passkeys/login", json!({"ceremony": ceremony, "credential": credential})).await;
    assert_eq!((status, error_code(&refused)), (401, "passkey_refused"), "a passkey no account has");
    let (status, refused) = client.post("/api/passkeys/login", json!({"ceremony": ceremony})).await;
    assert!((400..500).contains(&status) && !error_code(&refused).is_empty(), "{status} {refused}");

    // A login's passkey field with a forged ceremony is refused before the password is even tried.
    let email = unique_email("passkey-bad", "");
    latchkey_e2e::create_account(&email, None, "parent", PASSWORD).await;
    let login = json!({"email": email, "audience": "parent", "password": PASSWORD,
        "passkey": {"ceremony": "a~b~c", "credential": credential}});
    let (status, refused) = client.post("/api/sessions", login).await;
    assert_eq!((status, error_code(&refused)), (400, "passkey_ceremony_expired"));

    // Without a session, nothing about passkeys.
    for path in ["/api/passkeys/registration-options", "/api/passkeys/rename", "/api/passkeys/remove"] {
        let (status, refused) = client.post(path, json!({"id": "x", "name": "y"})).await;
        assert_eq!((status, error_code(&refused)), (401, "unauthorized"), "{path}");
    }
    assert_eq!(client.get("/api/passkeys").await.0, 401);
}
