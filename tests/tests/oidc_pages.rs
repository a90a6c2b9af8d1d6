//! Logging in to an app through latchkey, as a person does it, in Chromium, Firefox and WebKitGTK: the demo app on
//! another site sends the person to latchkey's login page (naming the app, in their language), asks them once to
//! confirm the app (it answers on this device, at a loopback address, as a native app does), back with a code it
//! exchanges and checks, refreshes, comes straight back while the session lives (the cross-site `Lax` cookie), and
//! logs out. axe audits the new states.

use fantoccini::{Client, Locator};
use latchkey_e2e::client::Client as ApiClient;
use latchkey_e2e::oidc::{serve_demo, App};
use latchkey_e2e::page::{audit, click, screenshot, text_of, type_into, wait_visible};
use latchkey_e2e::{chromium, create_account, eventually, in_every_engine, unique_email, url, Engine};
use serde_json::json;
use std::time::Duration;

const PASSWORD: &str = "Otter-Harbor-93-Violet";

async fn wait_at(browser: &Client, prefix: &str) {
    eventually(&format!("the browser at {prefix}"), Duration::from_secs(20), || async {
        let at = browser.current_url().await.ok()?;
        at.as_str().starts_with(prefix).then_some(())
    })
    .await;
}

async fn wait_ready(browser: &Client) {
    eventually("the page to be ready", Duration::from_secs(20), || async {
        let body = browser.find(Locator::Css("body")).await.ok()?;
        (body.attr("data-ready").await.ok()?.as_deref() == Some("true")).then_some(())
    })
    .await;
}

async fn wait_text(browser: &Client, css: &str, wanted: &str) -> String {
    eventually(&format!("{css} to say {wanted}"), Duration::from_secs(20), || async {
        let text = browser.find(Locator::Css(css)).await.ok()?.text().await.ok()?;
        text.contains(wanted).then_some(text)
    })
    .await
}

/// The value the demo app shows for a claim.
async fn claim(browser: &Client, name: &str) -> String {
    let xpath = format!("//table[@id='claims']//tr[th[normalize-space()='{name}']]/td");
    browser.find(Locator::XPath(&xpath)).await.unwrap().text().await.unwrap()
}

async fn demo_app() -> (App, String) {
    // The client id is known only once registered, and the demo's address once served: register, serve, then name
    // the address in the registration.
    let admin = ApiClient::shared();
    let app =
        App::register(&admin, json!({"name": "Sunny Days Parent App", "redirect_uris": ["http://localhost:1/"]})).await;
    let demo = serve_demo(&app.id);
    let update = json!({"client_id": app.id, "registration": {
        "name": "Sunny Days Parent App", "kind": "public", "redirect_uris": [demo], "post_logout_redirect_uris": [demo],
    }});
    let (status, body) = admin.admin(reqwest::Method::PUT, "/api/admin/oauth2/clients", Some(&update)).await;
    assert_eq!(status, 200, "{body}");
    (app, demo)
}

#[tokio::test]
async fn a_person_logs_in_to_an_app_through_latchkey_and_out_again_in_every_engine() {
    let (_, demo) = demo_app().await;
    in_every_engine(|engine| {
        let demo = demo.clone();
        async move {
            let spanish = engine == Engine::Firefox;
            let email = unique_email(&format!("oidc-journey-{}", engine.name()), "");
            create_account(&email, None, "parent", PASSWORD).await;
            let browser = engine.open().await;
            browser.goto(&format!("{demo}{}", if spanish { "?lang=es" } else { "" })).await.unwrap();
            wait_ready(&browser).await;
            click(&browser, "#login").await;
            // latchkey's login page, naming the app, in the person's language.
            wait_at(&browser, &url("/login?")).await;
            wait_ready(&browser).await;
            let heading =
                if spanish { "Inicia sesión en Sunny Days Parent App" } else { "Log in to Sunny Days Parent App" };
            wait_text(&browser, "h1", heading).await;
            screenshot(&browser, engine, "oidc-login").await;
            click(&browser, "input[name=audience][value=parent]").await;
            type_into(&browser, "#email", &email).await;
            type_into(&browser, "#password", PASSWORD).await;
            click(&browser, "#login-button").await;
            // The app answers on this device (a loopback address): any program here could have started this, so
            // the person confirms it once, by name, in their language.
            wait_at(&browser, &url("/oauth2/authorize?")).await;
            let question = if spanish {
                "¿Continuar a Sunny Days Parent App como"
            } else {
                "Continue to Sunny Days Parent App as"
            };
            let asked = wait_text(&browser, "main", question).await;
            assert!(asked.contains(&email), "whom they would log in as: {asked}");
            screenshot(&browser, engine, "oidc-consent").await;
            audit(&browser, "the confirmation of an app on this device").await;
            click(&browser, "button[value=continue]").await;
            // Back at the app, which checked the ID token's signature and shows who logged in.
            wait_at(&browser, &demo).await;
            wait_visible(&browser, "#logged-in").await;
            let claims = text_of(&browser, "#claims").await;
            assert!(claims.contains(&email) && claims.contains("parent") && claims.contains("pwd"), "{claims}");
            // The token speaks the language the person used; its moments read as dates.
            assert_eq!(claim(&browser, "locale").await, if spanish { "es" } else { "en" }, "as ui_locales asked");
            let exp = claim(&browser, "exp").await;
            assert!(exp.contains(&latchkey_e2e::year_now()) && exp.contains('('), "a date, and the number: {exp}");
            screenshot(&browser, engine, "oidc-app").await;
            // A reload keeps the app logged in: the tokens it stored.
            browser.refresh().await.unwrap();
            wait_ready(&browser).await;
            wait_visible(&browser, "#logged-in").await;
            click(&browser, "#refresh").await;
            wait_text(&browser, "#status", if spanish { "Tokens renovados" } else { "Tokens refreshed" }).await;
            // Again while the session lives: straight back, no login page (the Lax cookie rides the cross-site trip),
            // and no question: the "Continue" is remembered for this app. The app forgets its tokens first, as a new
            // tab of it would have none.
            browser.execute("sessionStorage.removeItem('demo-tokens')", vec![]).await.unwrap();
            browser.goto(&demo).await.unwrap();
            wait_ready(&browser).await;
            click(&browser, "#login").await;
            wait_at(&browser, &demo).await;
            wait_visible(&browser, "#logged-in").await;
            click(&browser, "#logout").await;
            wait_text(&browser, "#status", if spanish { "Has cerrado la sesión" } else { "You are logged out" }).await;
            // Logged out of latchkey too: its login page shows the form, not the account.
            browser.goto(&url("/login")).await.unwrap();
            wait_ready(&browser).await;
            assert!(browser.find(Locator::Css("#login:not([hidden])")).await.is_ok(), "the latchkey session ended");
            browser.close().await.unwrap();
        }
    })
    .await;
}

#[tokio::test]
async fn the_login_page_for_an_app_and_the_error_page_pass_axe() {
    let (app, demo) = demo_app().await;
    let browser = chromium().await;
    let start = format!(
        "/oauth2/authorize?response_type=code&client_id={}&redirect_uri={demo}&scope=openid&code_challenge={}&code_challenge_method=S256",
        app.id,
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    );
    browser.goto(&url(&start)).await.unwrap();
    wait_at(&browser, &url("/login?")).await;
    wait_ready(&browser).await;
    wait_visible(&browser, "#app-intro").await;
    audit(&browser, "the login page for an app").await;
    browser.goto(&url(&start.replace(&app.id, "no-such-app"))).await.unwrap();
    audit(&browser, "the error page for an unknown app").await;
    browser.goto(&url("/oauth2/logout")).await.unwrap();
    audit(&browser, "the logout confirmation").await;
    browser.close().await.unwrap();
}
