//! Changing the password while logged in (`POST /api/password` and the `/password` page): the other sessions end and
//! this one stays, every address on file is told, the history and the policy apply as in a reset, and the current
//! password (and the code, with 2-Step Verification) is asked for.

use latchkey_e2e::client::Client;
use latchkey_e2e::fake_services::BREACHED;
use latchkey_e2e::page::{click, log_in, open_page, screenshot, text_of, type_into, wait_acceptable, wait_visible};
use latchkey_e2e::{
    base_url, create_account, error_code, in_every_engine, login, unique_email, url, wait_for_mail, Engine,
};
use serde_json::{json, Value};

const OLD: &str = "Otter-Harbor-93-Violet";
const NEW: &str = "Quartz-Vivid-Meadow-77";

async fn logged_in(email: &str, password: &str) -> Client {
    let mut client = Client::shared();
    let (status, body) = client.login(email, "parent", password, None).await;
    assert_eq!(status, 200, "{body}");
    client
}

fn change(current: &str, password: &str, confirm: &str) -> Value {
    json!({"current_password": current, "password": password, "confirm": confirm})
}

#[tokio::test]
async fn a_change_ends_the_other_sessions_keeps_this_one_and_tells_every_address() {
    let email = unique_email("change", "");
    let contact = unique_email("change-home", "");
    create_account(&email, Some(&contact), "parent", OLD).await;
    let here = logged_in(&email, OLD).await;
    let phone = logged_in(&email, OLD).await;

    let (status, body) = here.post("/api/password", &change(OLD, NEW, NEW)).await;
    assert_eq!((status, &body), (200, &json!({"status": "password_changed", "revoked_sessions": 1})));
    assert_eq!(here.get("/api/session").await.0, 200, "this session stays");
    assert_eq!(phone.get("/api/session").await.0, 401, "the other one ended");
    assert_eq!(login(&email, "parent", OLD).await.unwrap_err().0, 401, "the old password is gone");
    assert!(login(&email, "parent", NEW).await.is_ok());
    for address in [&email, &contact] {
        let notice = wait_for_mail(address, 1).await;
        assert_eq!(notice[0].subject, "Your password was changed", "{address}");
    }
    let (status, body) = here.post("/api/password", &change(NEW, OLD, OLD)).await;
    assert_eq!((status, error_code(&body)), (422, "password_reused"), "the history counts");
}

#[tokio::test]
async fn the_current_password_the_policy_and_the_breach_check_are_asked_and_a_refusal_changes_nothing() {
    let email = unique_email("change-refused", "");
    create_account(&email, None, "parent", OLD).await;
    let client = logged_in(&email, OLD).await;
    let cases = [
        (change("Not-The-Password-1", NEW, NEW), 403, "password_incorrect"),
        (change(OLD, NEW, "Quartz-Vivid-Meadow-78"), 422, "password_mismatch"),
        (change(OLD, "short", "short"), 422, "password_rejected"),
        (change(OLD, BREACHED[0], BREACHED[0]), 422, "password_breached"),
        (json!({"current_password": OLD, "password": NEW}), 422, "invalid_request"),
    ];
    for (body, status, code) in cases {
        let (got, answer) = client.post("/api/password", &body).await;
        assert_eq!((got, error_code(&answer)), (status, code), "{answer}");
    }
    assert!(login(&email, "parent", OLD).await.is_ok(), "the password did not change");
    latchkey_e2e::no_mail_to(&email, "no notice").await;
    let (status, body) = Client::shared().post("/api/password", &change(OLD, NEW, NEW)).await;
    assert_eq!((status, error_code(&body)), (401, "unauthorized"), "no session");
}

#[tokio::test]
async fn with_two_step_verification_the_change_takes_a_code() {
    let email = unique_email("change-2sv", "");
    create_account(&email, None, "parent", OLD).await;
    let client = logged_in(&email, OLD).await;
    let (app, _) = client.enrol().await;
    let (status, body) = client.post("/api/password", &change(OLD, NEW, NEW)).await;
    assert_eq!((status, error_code(&body)), (401, "two_step_required"), "{body}");
    let mut with_code = change(OLD, NEW, NEW);
    with_code["code"] = json!(app.fresh_code().await);
    let (status, body) = client.post("/api/password", &with_code).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_person_changes_the_password_from_the_account_page() {
    in_every_engine(a_person_changes_the_password_from_the_account_page_in).await;
}

async fn a_person_changes_the_password_from_the_account_page_in(engine: Engine) {
    let email = unique_email("change-page", "");
    create_account(&email, None, "parent", OLD).await;
    let browser = engine.open().await;
    log_in(&browser, &base_url(), &email, "parent", OLD, None).await;
    wait_visible(&browser, "#signed-in").await;
    click(&browser, "#change-password").await;
    wait_visible(&browser, "form#change[data-ready]").await;
    screenshot(&browser, engine, "password").await;
    type_into(&browser, "#current", "Not-The-Password-1").await;
    type_into(&browser, "#password", NEW).await;
    type_into(&browser, "#confirm", NEW).await;
    wait_acceptable(&browser).await;
    click(&browser, "#change button[type=submit]").await;
    latchkey_e2e::eventually("the refusal", std::time::Duration::from_secs(10), || async {
        text_of(&browser, "#status").await.contains("not right").then_some(())
    })
    .await;
    browser.find(fantoccini::Locator::Css("#current")).await.unwrap().clear().await.unwrap();
    type_into(&browser, "#current", OLD).await;
    click(&browser, "#change button[type=submit]").await;
    wait_visible(&browser, "#done").await;
    screenshot(&browser, engine, "password-changed").await;
    assert!(text_of(&browser, "#done").await.contains("Your password was changed"));
    open_page(&browser, &url("/login")).await;
    wait_visible(&browser, "#signed-in").await;
    browser.close().await.unwrap();
    assert!(login(&email, "parent", NEW).await.is_ok(), "the new password logs in");
}

#[tokio::test]
async fn the_page_asks_to_log_in_first_in_either_language() {
    let browser = Engine::Chromium.open().await;
    open_page(&browser, &url("/password?lang=es")).await;
    assert_eq!(text_of(&browser, "h1").await, "Cambia tu contraseña");
    wait_visible(&browser, "#login-first").await;
    assert!(text_of(&browser, "#login-first").await.contains("Inicia sesión primero"));
    browser.close().await.unwrap();
}
