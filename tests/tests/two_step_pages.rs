//! The 2-Step Verification pages in Chromium, Firefox and WebKitGTK: turning it on from the settings page (in English
//! and in Spanish), logging in with a code, the reset page that asks for one, and a site that requires it.

use fantoccini::{Client, Locator};
use latchkey_e2e::client::Client as ApiClient;
use latchkey_e2e::page::{
    click, log_in, open_page, screenshot, text_of, type_into, visible, wait_acceptable, wait_visible,
};
use latchkey_e2e::two_step::Authenticator;
use latchkey_e2e::worker::Worker;
use latchkey_e2e::{
    base_url, create_account, eventually, in_every_engine, link_for_new_account, unique_email, url, Engine,
};
use std::time::Duration;

const PASSWORD: &str = "Otter-Harbor-93-Violet";
const NEW: &str = "Quartz-Vivid-Meadow-77";

/// Turns 2-Step Verification on from the settings page; the app (from the key shown) and the recovery codes.
async fn turn_on(browser: &Client, engine: Engine, shot: &str) -> (Authenticator, Vec<String>) {
    click(browser, "#start").await;
    wait_visible(browser, "#setup").await;
    // The image decodes after the section shows (Firefox may take a moment on a loaded machine).
    eventually("the QR code shown as an image", Duration::from_secs(10), || async {
        let script = "const qr = document.getElementById('qr'); return qr.complete && qr.naturalWidth > 0;";
        browser.execute(script, vec![]).await.ok()?.as_bool()?.then_some(())
    })
    .await;
    let key = text_of(browser, "#secret").await.replace(' ', "");
    let app = Authenticator::from_secret(&key);
    screenshot(browser, engine, &format!("{shot}-setup")).await;
    type_into(browser, "#setup-code", &app.wrong_code()).await;
    click(browser, "#setup button[type=submit]").await;
    eventually("the refusal", Duration::from_secs(10), || async {
        (browser.find(Locator::Css("#status")).await.ok()?.attr("data-kind").await.ok()??.as_str() == "error")
            .then_some(())
    })
    .await;
    let refusal = text_of(browser, "#status").await;
    browser.find(Locator::Css("#setup-code")).await.unwrap().clear().await.unwrap();
    type_into(browser, "#setup-code", &app.fresh_code().await).await;
    click(browser, "#setup button[type=submit]").await;
    wait_visible(browser, "#codes").await;
    let mut codes = Vec::new();
    for item in browser.find_all(Locator::Css("#code-list li")).await.unwrap() {
        codes.push(item.text().await.unwrap());
    }
    assert_eq!(codes.len(), 10, "{codes:?}");
    screenshot(browser, engine, &format!("{shot}-codes")).await;
    click(browser, "#codes-saved").await;
    wait_visible(browser, "#on").await;
    assert!(!refusal.is_empty());
    (app, codes)
}

#[tokio::test]
async fn turning_it_on_and_logging_in_with_a_code() {
    in_every_engine(turning_it_on_and_logging_in_with_a_code_in).await;
}

async fn turning_it_on_and_logging_in_with_a_code_in(engine: Engine) {
    let email = unique_email("pages-2sv", "");
    create_account(&email, None, "staff", PASSWORD).await;
    let browser = engine.open().await;
    log_in(&browser, &base_url(), &email, "staff", PASSWORD, None).await;
    wait_visible(&browser, "#signed-in").await;
    assert!(text_of(&browser, "#two-step-state").await.contains("is off"));
    click(&browser, "#signed-in a[href='/two-step']").await;
    eventually("the settings page", Duration::from_secs(15), || async {
        visible(&browser, "#start").await.then_some(())
    })
    .await;
    assert_eq!(text_of(&browser, "h1").await, "2-Step Verification");
    let (app, codes) = turn_on(&browser, engine, "two-step").await;
    assert!(text_of(&browser, "#codes-left").await.contains("10"));
    assert!(text_of(&browser, "#status").await.contains("2-Step Verification is on"));

    // Logged out, the login page asks for the code after the password.
    open_page(&browser, &url("/login")).await;
    wait_visible(&browser, "#signed-in").await;
    click(&browser, "#logout").await;
    wait_visible(&browser, "#login").await;
    log_in(&browser, &base_url(), &email, "staff", PASSWORD, Some(app.fresh_code().await)).await;
    wait_visible(&browser, "#signed-in").await;
    assert!(text_of(&browser, "#two-step-state").await.contains("is on"));
    screenshot(&browser, engine, "login-two-step").await;

    // New recovery codes from the settings page, confirmed by one of the old ones.
    open_page(&browser, &url("/two-step")).await;
    wait_visible(&browser, "#on").await;
    type_into(&browser, "#manage-code", &codes[0]).await;
    click(&browser, "#regenerate").await;
    wait_visible(&browser, "#codes").await;
    let fresh = text_of(&browser, "#code-list").await;
    assert!(!fresh.contains(&codes[1]), "new codes replace the old");
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_settings_page_speaks_spanish() {
    in_every_engine(the_settings_page_speaks_spanish_in).await;
}

async fn the_settings_page_speaks_spanish_in(engine: Engine) {
    let browser = engine.open().await;
    open_page(&browser, &url("/two-step?lang=es")).await;
    wait_visible(&browser, "#login-first").await;
    assert_eq!(text_of(&browser, "h1").await, "Verificación en 2 pasos");
    assert!(text_of(&browser, "#login-first").await.contains("Inicia sesión primero"));
    let lang: String =
        browser.execute("return document.documentElement.lang", vec![]).await.unwrap().as_str().unwrap().to_owned();
    assert_eq!(lang, "es");
    assert_eq!(browser.title().await.unwrap(), "Verificación en 2 pasos");

    let email = unique_email("pages-2sv-es", "");
    create_account(&email, None, "parent", PASSWORD).await;
    log_in(&browser, &base_url(), &email, "parent", PASSWORD, None).await;
    wait_visible(&browser, "#signed-in").await;
    open_page(&browser, &url("/two-step?lang=es")).await;
    assert!(text_of(&browser, "#off").await.contains("desactivada"));
    assert_eq!(text_of(&browser, "#start").await, "Activar la verificación en 2 pasos");
    let (_, _) = turn_on(&browser, engine, "two-step-es").await;
    assert!(text_of(&browser, "#codes-left").await.contains("Códigos de recuperación sin usar: 10"));
    // The language link leads back to English.
    click(&browser, "a[data-language-switch]").await;
    eventually("the page in English", Duration::from_secs(15), || async {
        (text_of(&browser, "h1").await == "2-Step Verification").then_some(())
    })
    .await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_reset_page_asks_for_a_code() {
    in_every_engine(the_reset_page_asks_for_a_code_in).await;
}

async fn the_reset_page_asks_for_a_code_in(engine: Engine) {
    let email = unique_email("pages-2sv-reset", "");
    let token = link_for_new_account(&email, "parent", PASSWORD).await;
    let mut api = ApiClient::new(&base_url());
    assert_eq!(api.login(&email, "parent", PASSWORD, None).await.0, 200);
    let (app, _) = api.enrol().await;

    let browser = engine.open().await;
    browser.goto(&url(&format!("/reset#t={token}"))).await.unwrap();
    wait_visible(&browser, "#reset[data-ready='true']").await;
    wait_visible(&browser, "#code-step").await;
    type_into(&browser, "#password", NEW).await;
    // The strength verdict arrives from the estimator and moves the form: the click waits for it.
    wait_acceptable(&browser).await;
    type_into(&browser, "#confirm", NEW).await;
    click(&browser, "#reset button[type=submit]").await;
    eventually("the request for a code", Duration::from_secs(10), || async {
        text_of(&browser, "#status").await.contains("code").then_some(())
    })
    .await;
    type_into(&browser, "#code", &app.fresh_code().await).await;
    screenshot(&browser, engine, "reset-two-step").await;
    click(&browser, "#reset button[type=submit]").await;
    wait_visible(&browser, "#done").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_required_setup_leads_to_the_settings_page() {
    let worker = Worker::start("two-step-pages", &[]).await;
    let (status, body) = worker.client().require_two_step(&serde_json::json!({"staff": 0, "parent": 14})).await;
    assert_eq!(status, 200, "{body}");
    let worker = &worker;
    in_every_engine(|engine| async move {
        let base = worker.url("");
        let staff = unique_email("pages-required", "");
        let parent = unique_email("pages-due", "");
        assert_eq!(worker.create_account_for("staff", &staff, PASSWORD).await, 201);
        assert_eq!(worker.create_account_for("parent", &parent, PASSWORD).await, 201);
        let browser = engine.open().await;
        // Within the grace period: logged in, and told the date.
        log_in(&browser, &base, &parent, "parent", PASSWORD, None).await;
        wait_visible(&browser, "#two-step-due").await;
        assert!(text_of(&browser, "#two-step-due").await.contains("Turn it on by"));
        click(&browser, "#logout").await;
        wait_visible(&browser, "#login").await;
        // Past it: straight to the settings page, which says why.
        log_in(&browser, &base, &staff, "staff", PASSWORD, None).await;
        eventually("the settings page", Duration::from_secs(15), || async {
            (browser.current_url().await.ok()?.path() == "/two-step").then_some(())
        })
        .await;
        wait_visible(&browser, "#requirement").await;
        assert!(text_of(&browser, "#requirement").await.contains("Turn it on to continue"));
        screenshot(&browser, engine, "two-step-required").await;
        turn_on(&browser, engine, "two-step-required").await;
        // Turned on, the session is a whole one.
        open_page(&browser, &format!("{base}/login")).await;
        wait_visible(&browser, "#signed-in").await;
        assert!(text_of(&browser, "#two-step-state").await.contains("is on"));
        browser.close().await.unwrap();
    })
    .await;
}
