//! The pages in headless Chromium: the whole reset journey as a person does it, the login button's rules, the pages
//! for links that no longer work, and the security headers. Screenshots go to test-artifacts/screenshots/.

use fantoccini::Locator;
use latchkey_e2e::page::{
    click, open_page, screenshot, text_of, type_into, visible, wait_acceptable, wait_settled, wait_visible,
    wait_widget_visible, widget_visible,
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

/// Ana, a teacher and a mother, holds a staff and a parent account on one email: she knows neither word.
async fn a_person_resets_a_forgotten_password_and_logs_in_in(engine: Engine) {
    let email = unique_email("pages", "");
    create_account(&email, None, "parent", OLD).await;
    create_account(&email, None, "staff", OLD).await;
    let browser = engine.open().await;

    // The help article's step: the email, then Continue. No Staff/Parent question.
    open_page(&browser, &url("/restore-password")).await;
    assert!(browser.find_all(Locator::Css("input[name=audience]")).await.unwrap().is_empty(), "no account type asked");
    screenshot(&browser, engine, "restore-password").await;
    type_into(&browser, "#email", &email).await;
    click(&browser, "#restore button[type=submit]").await;
    wait_visible(&browser, "#sent").await;
    let sent = text_of(&browser, "#sent").await;
    assert!(
        sent.contains("Check your spam folder") && sent.contains("newest") && sent.contains("a link for each"),
        "{sent}"
    );
    let resend = browser.find(Locator::Css("#resend")).await.unwrap();
    assert!(!resend.is_enabled().await.unwrap(), "resend waits for its cooldown");
    assert!(resend.text().await.unwrap().contains(" s)"), "the cooldown is visible");
    screenshot(&browser, engine, "restore-password-sent").await;

    // One mail, a link for each account, each naming it.
    let mail = wait_for_mail(&email, 1).await.remove(0);
    let link_for = |account: &str| {
        let lines: Vec<&str> = mail.text.lines().collect();
        let at = lines.iter().position(|l| l.contains(&format!("your {account} account"))).expect("named");
        lines[at + 1].trim().to_owned()
    };
    let (parent, staff) = (link_for("parent"), link_for("staff"));
    assert!(parent.contains("/reset#t=") && staff.contains("/reset#t=") && parent != staff, "{}", mail.text);
    latchkey_e2e::watch_for_strays().await;
    assert_eq!(latchkey_e2e::fake_mail::deliveries_to(&email).len(), 1, "one mail for both accounts");

    browser.goto(&parent).await.unwrap();
    wait_visible(&browser, "#reset").await;
    let address = browser.current_url().await.unwrap();
    assert!(address.fragment().is_none(), "the token leaves the address bar: {address}");
    // Whose password this is: said, and given to password managers.
    let whose = text_of(&browser, "#whose").await;
    assert!(whose.contains("parent account") && whose.contains(&email), "{whose}");
    let username = browser.find(Locator::Css("input[autocomplete=username]")).await.unwrap();
    assert_eq!(username.prop("value").await.unwrap().as_deref(), Some(email.as_str()));
    eventually("the widget's checklist", Duration::from_secs(15), || async {
        widget_visible(&browser, ".latchkey-rule[data-rule='rule.min_length']").await.then_some(())
    })
    .await;
    // Nothing typed: the rules are what to aim for, none failed yet.
    let statuses = latchkey_e2e::in_widgets(&browser, "latchkey-widget", ".latchkey-rule").await;
    assert!(!statuses.is_empty());
    for rule in statuses {
        assert_eq!(rule.attr("data-status").await.unwrap().as_deref(), Some("neutral"));
    }
    screenshot(&browser, engine, "reset-untouched").await;

    // A password that breaks a rule is not sent: the page says so and goes back to it.
    type_into(&browser, "#password", "short").await;
    type_into(&browser, "#confirm", "short").await;
    // The meter grows as the estimator's answers arrive (the feedback comes with the exact one): click once it is done.
    wait_settled(&browser).await;
    click(&browser, "#reset button[type=submit]").await;
    eventually("the refusal, from the page itself", Duration::from_secs(5), || async {
        text_of(&browser, "#status").await.contains("does not meet every requirement yet").then_some(())
    })
    .await;
    let focused = browser.active_element().await.unwrap().attr("id").await.unwrap();
    assert_eq!(focused.as_deref(), Some("password"), "focus goes to the first problem");
    let verify = latchkey_e2e::post_json("/api/resets/verify", &serde_json::json!({"token": token_of(&parent)})).await;
    assert_eq!(verify.1["status"], "ok", "nothing reached the server: {}", verify.1);
    clear(&browser, "#password").await;
    clear(&browser, "#confirm").await;

    // Her old password meets every rule, but the server refuses it (used before); the refusal goes as soon as the
    // password changes.
    type_into(&browser, "#password", OLD).await;
    wait_acceptable(&browser).await;
    type_into(&browser, "#confirm", OLD).await;
    click(&browser, "#reset button[type=submit]").await;
    eventually("the server's refusal", Duration::from_secs(10), || async {
        text_of(&browser, "#status").await.contains("used this password before").then_some(())
    })
    .await;
    type_into(&browser, "#password", "x").await;
    assert!(!visible(&browser, "#status").await, "a refusal about another password does not stay");
    clear(&browser, "#password").await;
    clear(&browser, "#confirm").await;

    type_into(&browser, "#password", NEW).await;
    wait_acceptable(&browser).await;
    let meter = latchkey_e2e::in_widget(&browser, ".latchkey-meter").await.expect("the meter").text().await.unwrap();
    assert!(!meter.contains("Time to guess") && !meter.contains("guess it"), "one honest message: {meter}");
    // "Do not match" waits until the second box is left.
    type_into(&browser, "#confirm", "Quartz-Vivid").await;
    assert!(!widget_visible(&browser, ".latchkey-confirm[data-match='false']").await, "not while typing");
    browser
        .active_element()
        .await
        .unwrap()
        .send_keys(&char::from(fantoccini::key::Key::Tab).to_string())
        .await
        .unwrap();
    wait_widget_visible(&browser, ".latchkey-confirm[data-match='false']").await;
    type_into(&browser, "#confirm", "-Meadow-77").await;
    wait_widget_visible(&browser, ".latchkey-confirm[data-match='true']").await;
    screenshot(&browser, engine, "reset").await;
    click(&browser, "#reset button[type=submit]").await;
    wait_visible(&browser, "#done").await;
    assert_eq!(text_of(&browser, "h1").await, "Your password was changed", "the heading says it is done");
    screenshot(&browser, engine, "reset-done").await;

    // The login page arrives with the account type and the email chosen: only the new password to type.
    click(&browser, "#done a").await;
    wait_visible(&browser, "#login").await;
    eventually("the success note", Duration::from_secs(5), || async {
        text_of(&browser, "#status").await.contains("parent account").then_some(())
    })
    .await;
    let chosen = browser.find(Locator::Css("input[name=audience][value=parent]")).await.unwrap();
    assert!(chosen.is_selected().await.unwrap(), "the parent account, as the link was for it");
    assert_eq!(
        browser.find(Locator::Css("#email")).await.unwrap().prop("value").await.unwrap().as_deref(),
        Some(email.as_str())
    );
    type_into(&browser, "#password", NEW).await;
    click(&browser, "#login-button").await;
    wait_visible(&browser, "#signed-in").await;
    assert!(text_of(&browser, "#signed-in-name").await.contains(&email));
    // Logged in, this is no login page.
    assert!(text_of(&browser, "h1").await.starts_with("Hello"), "a greeting");
    assert!(!visible(&browser, "#forgot").await && visible(&browser, "#logout").await);
    screenshot(&browser, engine, "logged-in").await;
    // The staff account kept its password: its own link still waits in the mail.
    assert!(latchkey_e2e::login(&email, "staff", OLD).await.is_ok());
    browser.close().await.unwrap();
}

/// The token in a reset link.
fn token_of(link: &str) -> String {
    link.split("#t=").nth(1).unwrap_or_default().to_owned()
}

/// Empties an input as a person would (select all, delete), so the page hears it.
async fn clear(browser: &latchkey_e2e::Browser, css: &str) {
    let input = browser.find(Locator::Css(css)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(" ").await.unwrap();
    input.send_keys(&char::from(fantoccini::key::Key::Backspace).to_string()).await.unwrap();
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
    latchkey_e2e::outlive_a_link(&email, "parent").await;
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
    type_into(&browser, "#email", &email).await;
    click(&browser, "#restore button[type=submit]").await;
    wait_visible(&browser, "#sent").await;
    let sent = text_of(&browser, "#sent").await;
    assert!(sent.contains(&email) && sent.contains("carpeta de spam"), "{sent}");
    screenshot(&browser, Engine::Chromium, "restore-password-sent-es").await;
    assert_eq!(wait_for_mail(&email, 1).await[0].subject, "Restablece tu contraseña");
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_dev_mailbox_wraps_on_a_phone_and_a_desktop_and_links_each_mail() {
    let email = unique_email("mailbox-wrap", "");
    let worker =
        latchkey_e2e::worker::Worker::start("mailbox", &[("MAIL_PROVIDER", "dev-mailbox"), ("MAIL_EVENTS_SECRET", "")])
            .await;
    assert_eq!(worker.create_account(&email, OLD).await, 201);
    let (status, _) = worker.client().request_reset(&email, "parent").await;
    assert_eq!(status, 202);
    let browser = Engine::Chromium.open().await;
    for (width, height, name) in [(390, 844, "phone"), (1280, 900, "desktop")] {
        browser.set_window_size(width, height).await.unwrap();
        let link = eventually("the mail in the mailbox", Duration::from_secs(20), || async {
            browser.goto(&worker.url("/dev/mailbox")).await.ok()?;
            browser.find(Locator::Css("main a[href*='/reset#t=']")).await.ok()
        })
        .await;
        assert!(link.text().await.unwrap().contains("/reset#t="), "the link is a link");
        let overflow: bool = browser
            .execute("return document.documentElement.scrollWidth > document.documentElement.clientWidth", vec![])
            .await
            .unwrap()
            .as_bool()
            .unwrap();
        assert!(!overflow, "{name}: nothing runs off the side");
        screenshot(&browser, Engine::Chromium, &format!("dev-mailbox-{name}")).await;
    }
    browser.close().await.unwrap();
}
