//! The pages in headless Chromium: the whole reset journey as a person does it, the login button's rules, the pages
//! for links that no longer work, and the security headers. Screenshots go to test-artifacts/screenshots/.

use fantoccini::Locator;
use latchkey_e2e::page::{
    click, open_page, screenshot, text_of, type_into, visible, wait_acceptable, wait_visible, wait_widget_visible,
    widget_visible,
};
use latchkey_e2e::{
    create_account, eventually, http, in_every_engine, request_reset, token_in, unique_email, url, wait_for_mail,
    Engine,
};
use std::time::Duration;

const OLD: &str = "Otter-Harbor-93-Violet";
const NEW: &str = "Quartz-Vivid-Meadow-77";

#[tokio::test]
async fn a_person_resets_a_forgotten_password_and_logs_in() {
    in_every_engine(a_person_resets_a_forgotten_password_and_logs_in_in).await;
}

async fn a_person_resets_a_forgotten_password_and_logs_in_in(engine: Engine) {
    let email = unique_email("pages", "");
    create_account(&email, None, "parent", OLD).await;
    let browser = engine.open().await;

    open_page(&browser, &url("/restore-password")).await;
    screenshot(&browser, engine, "restore-password").await;
    click(&browser, "input[name=audience][value=parent]").await;
    type_into(&browser, "#email", &email).await;
    click(&browser, "#restore button[type=submit]").await;
    wait_visible(&browser, "#sent").await;
    let sent = text_of(&browser, "#sent").await;
    assert!(sent.contains("Check your spam folder") && sent.contains("newest"), "{sent}");
    let resend = browser.find(Locator::Css("#resend")).await.unwrap();
    assert!(!resend.is_enabled().await.unwrap(), "resend waits for its cooldown");
    assert!(resend.text().await.unwrap().contains(" s)"), "the cooldown is visible");
    screenshot(&browser, engine, "restore-password-sent").await;

    let link =
        wait_for_mail(&email, 1).await[0].text.lines().find(|l| l.contains("/reset#t=")).unwrap().trim().to_owned();
    browser.goto(&link).await.unwrap();
    wait_visible(&browser, "#reset").await;
    let address = browser.current_url().await.unwrap();
    assert!(address.fragment().is_none(), "the token leaves the address bar: {address}");
    eventually("the widget's checklist", Duration::from_secs(15), || async {
        widget_visible(&browser, ".latchkey-rule[data-rule='rule.min_length']").await.then_some(())
    })
    .await;
    type_into(&browser, "#password", NEW).await;
    wait_acceptable(&browser).await;
    type_into(&browser, "#confirm", "Quartz-Vivid").await;
    wait_widget_visible(&browser, ".latchkey-confirm[data-match='false']").await;
    type_into(&browser, "#confirm", "-Meadow-77").await;
    wait_widget_visible(&browser, ".latchkey-confirm[data-match='true']").await;
    screenshot(&browser, engine, "reset").await;
    click(&browser, "#reset button[type=submit]").await;
    wait_visible(&browser, "#done").await;
    screenshot(&browser, engine, "reset-done").await;

    click(&browser, "#done a").await;
    wait_visible(&browser, "#login").await;
    eventually("the success note", Duration::from_secs(5), || async {
        text_of(&browser, "#status").await.contains("password was changed").then_some(())
    })
    .await;
    click(&browser, "input[name=audience][value=parent]").await;
    type_into(&browser, "#email", &email).await;
    type_into(&browser, "#password", NEW).await;
    click(&browser, "#login-button").await;
    wait_visible(&browser, "#signed-in").await;
    assert!(text_of(&browser, "#signed-in-name").await.contains(&email));
    screenshot(&browser, engine, "logged-in").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_login_button_waits_for_role_email_and_password() {
    in_every_engine(the_login_button_waits_for_role_email_and_password_in).await;
}

async fn the_login_button_waits_for_role_email_and_password_in(engine: Engine) {
    let browser = engine.open().await;
    open_page(&browser, &url("/login")).await;
    let button = browser.wait().for_element(Locator::Css("#login-button")).await.unwrap();
    screenshot(&browser, engine, "login").await;
    let why = || async { text_of(&browser, "#login-why").await };
    assert!(!button.is_enabled().await.unwrap());
    assert!(why().await.contains("choose Staff or Parent"), "{}", why().await);
    click(&browser, "input[name=audience][value=staff]").await;
    type_into(&browser, "#email", "someone@school.test").await;
    assert!(!button.is_enabled().await.unwrap());
    assert_eq!(why().await, "To log in, enter your password.");
    type_into(&browser, "#password", "x").await;
    assert!(button.is_enabled().await.unwrap());
    click(&browser, "#login-button").await;
    eventually("the refusal", Duration::from_secs(10), || async {
        text_of(&browser, "#status").await.contains("Caps Lock").then_some(())
    })
    .await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn links_that_no_longer_work_say_why() {
    in_every_engine(links_that_no_longer_work_say_why_in).await;
}

async fn links_that_no_longer_work_say_why_in(engine: Engine) {
    let email = unique_email("pages-old", "");
    create_account(&email, None, "staff", OLD).await;
    request_reset(&email, "staff").await;
    let first = token_in(&wait_for_mail(&email, 1).await[0]);
    request_reset(&email, "staff").await;
    wait_for_mail(&email, 2).await;

    let browser = engine.open().await;
    for (token, status) in [(first.as_str(), "superseded"), ("not-a-real-token", "invalid")] {
        // A new document each time: a change of fragment alone would not reload the page.
        browser.goto("about:blank").await.unwrap();
        browser.goto(&url(&format!("/reset#t={token}"))).await.unwrap();
        wait_visible(&browser, "#problem").await;
        let shown = browser.find(Locator::Css("#problem")).await.unwrap().attr("data-status").await.unwrap();
        assert_eq!(shown.as_deref(), Some(status));
        assert!(visible(&browser, "#problem a[href='/restore-password']").await, "a way to ask for a new link");
        screenshot(&browser, engine, &format!("reset-{status}")).await;
    }
    browser.close().await.unwrap();
}

#[tokio::test]
async fn pages_send_security_headers() {
    for path in ["/", "/login", "/restore-password", "/reset", "/two-step", "/latchkey.js"] {
        let response = http().get(url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let header =
            |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let csp = header("content-security-policy");
        // The restore page has no password field but may show Turnstile; the others run the widget's wasm.
        let scripts = match path {
            "/restore-password" => "script-src 'self' https://challenges.cloudflare.com;",
            _ => "script-src 'self' 'wasm-unsafe-eval';",
        };
        assert!(csp.contains(scripts), "{path}: {csp}");
        assert_eq!(response.headers().get_all("content-security-policy").iter().count(), 1, "{path}: one policy");
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(header("referrer-policy"), "no-referrer", "{path}");
        assert!(header("strict-transport-security").starts_with("max-age="), "{path}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
    }
}

#[tokio::test]
async fn an_expired_link_says_so() {
    let email = unique_email("pages-expired", "");
    create_account(&email, None, "parent", OLD).await;
    request_reset(&email, "parent").await;
    let token = token_in(&wait_for_mail(&email, 1).await[0]);
    latchkey_e2e::outlive_a_link().await;
    let browser = Engine::Chromium.open().await;
    browser.goto(&url(&format!("/reset#t={token}"))).await.unwrap();
    wait_visible(&browser, "#problem").await;
    let shown = browser.find(Locator::Css("#problem")).await.unwrap().attr("data-status").await.unwrap();
    assert_eq!(shown.as_deref(), Some("expired"));
    assert!(text_of(&browser, "#problem-text").await.contains("expired"));
    screenshot(&browser, Engine::Chromium, "reset-expired").await;
    browser.close().await.unwrap();
}

/// The login, restore, reset and not-found pages in Spanish (`?lang=es`, as the language link sets it): their texts
/// from the shared catalogue, the document's language, and a reset asked for in Spanish arrives in Spanish.
#[tokio::test]
async fn every_page_speaks_spanish() {
    let browser = Engine::Chromium.open().await;
    let pages = [
        ("/login?lang=es", "Iniciar sesión"),
        ("/restore-password?lang=es", "Restablece tu contraseña"),
        ("/reset?lang=es", "Elige una contraseña nueva"),
        ("/no-such-page?lang=es", "Esta página no existe"),
        ("/password?lang=es", "Cambia tu contraseña"),
        ("/requirements?lang=es", "Requisitos de la contraseña"),
    ];
    for (path, heading) in pages {
        open_page(&browser, &url(path)).await;
        assert_eq!(text_of(&browser, "h1").await, heading, "{path}");
        assert_eq!(browser.title().await.unwrap(), heading, "{path}");
        let lang = browser.find(Locator::Css("html")).await.unwrap().attr("lang").await.unwrap();
        assert_eq!(lang.as_deref(), Some("es"), "{path}");
        let switch = browser.find(Locator::Css("a[data-language-switch]")).await.unwrap();
        assert_eq!(switch.text().await.unwrap(), "English", "{path}");
    }
    // The reset page without a token: the problem, in Spanish.
    open_page(&browser, &url("/reset?lang=es")).await;
    wait_visible(&browser, "#problem").await;
    assert!(text_of(&browser, "#problem-text").await.contains("no es válido"));
    // The login button's reasons, and the links to the other pages keep the language.
    open_page(&browser, &url("/login?lang=es")).await;
    assert!(text_of(&browser, "#login-why").await.contains("elige Personal o Familia"));
    let forgot = browser.find(Locator::Css("a[href^='/restore-password']")).await.unwrap();
    assert!(forgot.attr("href").await.unwrap().unwrap_or_default().contains("lang=es"));

    let email = unique_email("pages-es", "");
    create_account(&email, None, "parent", OLD).await;
    open_page(&browser, &url("/restore-password?lang=es")).await;
    click(&browser, "input[name=audience][value=parent]").await;
    type_into(&browser, "#email", &email).await;
    click(&browser, "#restore button[type=submit]").await;
    wait_visible(&browser, "#sent").await;
    let sent = text_of(&browser, "#sent").await;
    assert!(sent.contains(&email) && sent.contains("carpeta de spam"), "{sent}");
    screenshot(&browser, Engine::Chromium, "restore-password-sent-es").await;
    assert_eq!(wait_for_mail(&email, 1).await[0].subject, "Restablece tu contraseña");
    browser.close().await.unwrap();
}
