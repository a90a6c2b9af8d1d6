//! axe-core (npm, pinned in package.json) audits every page in Chromium, in each state a person meets: no violations.

use fantoccini::Locator;
use latchkey_e2e::page::{audit, click, log_in, open_page, text_of, type_into, violations, wait_visible};
use latchkey_e2e::two_step::Authenticator;
use latchkey_e2e::{
    base_url, chromium, create_account, eventually, in_widget, request_reset, token_in, unique_email, url,
    wait_for_mail,
};
use std::time::Duration;

#[tokio::test]
async fn every_page_passes_axe() {
    let browser = chromium().await;
    for path in
        ["/", "/login", "/restore-password", "/reset#t=broken", "/no-such-page", "/login?lang=es", "/requirements"]
    {
        browser.goto("about:blank").await.unwrap();
        browser.goto(&url(path)).await.unwrap();
        eventually(&format!("{path} to settle"), Duration::from_secs(15), || async {
            let ready = match path {
                "/" => in_widget(&browser, ".latchkey-rule").await.is_some(),
                "/reset#t=broken" => browser.find(Locator::Css("#problem:not([hidden])")).await.is_ok(),
                _ => browser.find(Locator::Css("body[data-ready='true']")).await.is_ok(),
            };
            ready.then_some(())
        })
        .await;
        audit(&browser, path).await;
    }

    // The states after an action: the sent confirmation, the reset form with the widget showing a verdict.
    open_page(&browser, &url("/restore-password")).await;
    let email = unique_email("axe", "");
    create_account(&email, None, "parent", "Otter-Harbor-93-Violet").await;
    browser.find(Locator::Css("#email")).await.unwrap().send_keys(&email).await.unwrap();
    browser.find(Locator::Css("#restore button[type=submit]")).await.unwrap().click().await.unwrap();
    browser.wait().for_element(Locator::Css("#sent:not([hidden])")).await.unwrap();
    audit(&browser, "restore-password, sent").await;

    let token = token_in(&wait_for_mail(&email, 1).await[0]);
    request_reset(&email, "parent").await; // leaves the first link superseded: nothing else depends on it
    browser.goto("about:blank").await.unwrap();
    let newest = token_in(&wait_for_mail(&email, 2).await[1]);
    assert_ne!(token, newest);
    browser.goto(&url(&format!("/reset#t={newest}"))).await.unwrap();
    let password = browser.wait().for_element(Locator::Css("#reset:not([hidden]) #password")).await.unwrap();
    password.send_keys("Password123!").await.unwrap();
    eventually("the meter", Duration::from_secs(20), || async {
        in_widget(&browser, ".latchkey-meter").await.map(|_| ())
    })
    .await;
    // The mismatch is told once the person leaves the confirmation, not while they type.
    browser.find(Locator::Css("#confirm")).await.unwrap().send_keys("Password12\u{E004}").await.unwrap();
    eventually("the confirmation verdict", Duration::from_secs(15), || in_widget(&browser, ".latchkey-confirm")).await;
    audit(&browser, "reset, typing").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_two_step_pages_pass_axe() {
    let browser = chromium().await;
    open_page(&browser, &url("/two-step?lang=es")).await;
    audit(&browser, "two-step, logged out, in Spanish").await;

    let email = unique_email("axe-2sv", "");
    create_account(&email, None, "staff", "Otter-Harbor-93-Violet").await;
    log_in(&browser, &base_url(), &email, "staff", "Otter-Harbor-93-Violet", None).await;
    wait_visible(&browser, "#signed-in").await;
    audit(&browser, "login, logged in").await;
    open_page(&browser, &url("/password")).await;
    wait_visible(&browser, "form#change[data-ready]").await;
    audit(&browser, "password, the form").await;
    open_page(&browser, &url("/two-step")).await;
    audit(&browser, "two-step, off").await;
    click(&browser, "#start").await;
    wait_visible(&browser, "#setup").await;
    audit(&browser, "two-step, setting up").await;
    let app = Authenticator::from_secret(&text_of(&browser, "#secret").await.replace(' ', ""));
    type_into(&browser, "#setup-code", &app.fresh_code().await).await;
    click(&browser, "#setup button[type=submit]").await;
    wait_visible(&browser, "#codes").await;
    audit(&browser, "two-step, recovery codes").await;
    click(&browser, "#codes-saved").await;
    wait_visible(&browser, "#on").await;
    audit(&browser, "two-step, on").await;

    open_page(&browser, &url("/login")).await;
    wait_visible(&browser, "#signed-in").await;
    click(&browser, "#logout").await;
    wait_visible(&browser, "#login").await;
    log_in(&browser, &base_url(), &email, "staff", "Otter-Harbor-93-Violet", None).await;
    wait_visible(&browser, "#code-step").await;
    audit(&browser, "login, asking for the code").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_audit_does_catch_violations() {
    // A page with known faults, so a silent axe (not loaded, not run) cannot pass the audit above.
    let page = latchkey_e2e::foreign::serve_page(
        r#"<!doctype html><html><head><title>t</title></head><body><img src="x.png"><input type="text"></body></html>"#
            .to_owned(),
    );
    let browser = chromium().await;
    browser.goto(&page).await.unwrap();
    let found = violations(&browser).await;
    assert!(found.iter().any(|v| v.starts_with("image-alt")), "{found:#?}");
    assert!(found.iter().any(|v| v.starts_with("label")), "{found:#?}");
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_pages_pass_axe_in_the_dark_scheme_too() {
    use latchkey_e2e::{Engine, Scheme};
    // WebKitGTK's MiniBrowser has no switch for the scheme: Chromium and Firefox, told the person prefers dark.
    for engine in [Engine::Chromium, Engine::Firefox] {
        let browser = engine.open_in(Scheme::Dark).await;
        open_page(&browser, &url("/login")).await;
        let dark: bool = browser
            .execute("return matchMedia('(prefers-color-scheme: dark)').matches", vec![])
            .await
            .unwrap()
            .as_bool()
            .unwrap();
        assert!(dark, "{}: the pages see the dark scheme", engine.name());
        for path in ["/login", "/login?lang=es", "/restore-password", "/requirements", "/two-step", "/admin"] {
            open_page(&browser, &url(path)).await;
            audit(&browser, &format!("{} dark: {path}", engine.name())).await;
        }
        // The login button, disabled until everything is given, still reads as a button with words on it.
        open_page(&browser, &url("/login")).await;
        let colours: Vec<String> = browser
            .execute(
                "const b = getComputedStyle(document.getElementById('login-button'));
                 return [b.color, b.backgroundColor, b.opacity];",
                vec![],
            )
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(colours[2], "1", "{}: not faded out: {colours:?}", engine.name());
        assert_ne!(colours[0], colours[1], "{colours:?}");
        latchkey_e2e::page::screenshot(&browser, engine, "login-dark").await;
        browser.close().await.unwrap();
    }
}
