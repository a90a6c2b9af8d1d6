//! The console (/admin) as the school office uses it, in Chromium, Firefox and WebKitGTK at a phone's width: the
//! gate before logging in, finding Ana by her contact email and reading her login email, seeing her bounced mail,
//! the confirmation dialog by keyboard, and a login email change from the console to the confirmation page. axe-core
//! audits each state in every engine; screenshots go to test-artifacts/screenshots/.

use fantoccini::key::Key;
use fantoccini::Locator;
use latchkey_e2e::console::{staff, Staff, STAFF_PASSWORD};
use latchkey_e2e::mail_events::{event, svix_headers, RESEND_SECRET};
use latchkey_e2e::page::{audit, click, log_in, open_page, screenshot, text_of, type_into, wait_visible};
use latchkey_e2e::{
    base_url, eventually, http, in_every_engine, now_secs, unique, unique_email, unique_word, url, wait_for_mail,
    Engine,
};
use serde_json::json;
use std::time::Duration;

const PASSWORD: &str = "Otter-Harbor-93-Violet";

/// Ana: a parent whose login email (from the invitation) differs from the contact email on her profile.
async fn ana(desk: &Staff) -> (String, String, String) {
    let (login, contact) = (unique_email("ana-invite", ""), unique_email("ana-home", ""));
    let name = format!("Ana Pérez {}", unique_word());
    let account = json!({"login_email": login, "contact_email": contact, "audience": "parent", "display_name": name, "password": PASSWORD});
    let (status, body) = desk.client.admin(reqwest::Method::POST, "/api/admin/accounts", Some(&account)).await;
    assert_eq!(status, 201, "{body}");
    (login, contact, name)
}

/// Logs the staff member in through the login page, with a code from their app, and opens the console.
async fn open_console(browser: &fantoccini::Client, desk: &Staff, query: &str) {
    open_console_at(browser, &base_url(), desk, query).await;
}

/// The same on the Worker at `base`.
async fn open_console_at(browser: &fantoccini::Client, base: &str, desk: &Staff, query: &str) {
    let code = desk.app.as_ref().expect("2-Step Verification on").fresh_code().await;
    log_in(browser, base, &desk.email, "staff", STAFF_PASSWORD, Some(code)).await;
    wait_visible(browser, "#signed-in").await;
    // Logged in with a console role, the login page leads to the console.
    wait_visible(browser, "#console-link a[href='/admin']").await;
    open_page(browser, &format!("{base}/admin{query}")).await;
    wait_visible(browser, "#find").await;
}

async fn search_by_keyboard(browser: &fantoccini::Client, text: &str) {
    let field = browser.find(Locator::Css("#query")).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(&format!("{text}{}", char::from(Key::Enter))).await.unwrap();
    wait_visible(browser, "article.account").await;
}

#[tokio::test]
async fn the_desk_finds_ana_by_her_contact_email_and_sees_her_login_email_and_bounced_mail() {
    in_every_engine(finds_ana_in).await;
}

async fn finds_ana_in(engine: Engine) {
    let desk = staff(&format!("desk-{}", engine.name()), &["helpdesk"], true).await;
    let (login, contact, name) = ana(&desk).await;
    // Her school's mail system refused a mail to her login email.
    let body = event("resend-email.bounced", &login, now_secs(), unique());
    let mut request =
        http().post(url("/api/mail-events")).header("Content-Type", "application/json").body(body.clone());
    for (header, value) in svix_headers(RESEND_SECRET, &format!("msg_{}", unique()), now_secs(), &body) {
        request = request.header(header, value);
    }
    assert_eq!(request.send().await.unwrap().status(), 200);

    let browser = engine.open().await;
    open_page(&browser, &url("/admin")).await;
    wait_visible(&browser, "#gate").await;
    assert!(text_of(&browser, "#gate").await.contains("Log in"), "the gate says what to do");
    audit(&browser, "console, logged out").await;

    open_console(&browser, &desk, "").await;
    assert!(text_of(&browser, "#who").await.contains(&desk.name));
    assert!(!latchkey_e2e::page::visible(&browser, "#settings").await, "the helpdesk has no settings");
    search_by_keyboard(&browser, &contact).await;
    let card = text_of(&browser, "article.account").await;
    assert!(card.contains(&name) && card.contains(&login) && card.contains(&contact), "{card}");
    assert!(card.contains("They log in with the login email"), "one line says which is which: {card}");
    assert!(card.contains("refused by their mail system"), "the bounce is shown: {card}");
    assert_eq!(text_of(&browser, "article.account h3").await, format!("{name} · Parent"), "the heading names the type");
    let changed = card.split("Password last changed").nth(1).unwrap_or_default().chars().take(24).collect::<String>();
    assert!(!changed.contains("Never"), "made with a password: it has a date: {changed}");
    screenshot(&browser, engine, "console-found").await;
    audit(&browser, "console, an account found").await;

    // An action asks first; Escape backs out, and focus returns to the button.
    let send = browser.find(Locator::XPath("//article//button[contains(., 'Send a reset link')]")).await.unwrap();
    send.click().await.unwrap();
    wait_visible(&browser, "dialog#confirm[open]").await;
    assert!(text_of(&browser, "#confirm-text").await.contains(&login));
    screenshot(&browser, engine, "console-confirm").await;
    audit(&browser, "console, confirming").await;
    browser.active_element().await.unwrap().send_keys(&char::from(Key::Escape).to_string()).await.unwrap();
    eventually("the dialog to close", Duration::from_secs(5), || async {
        (!latchkey_e2e::page::visible(&browser, "dialog#confirm[open]").await).then_some(())
    })
    .await;
    latchkey_e2e::no_mail_to(&login, "cancelled: nothing sent").await;

    send.click().await.unwrap();
    wait_visible(&browser, "dialog#confirm[open]").await;
    assert!(text_of(&browser, "#confirm-text").await.contains("· Parent"), "the question names the account type");
    click(&browser, "#confirm-yes").await;
    // What happened is said beside the buttons, in the card, and focused: not far below in a status line.
    eventually("the done message", Duration::from_secs(10), || async {
        text_of(&browser, "article.account .notice").await.contains("on its way").then_some(())
    })
    .await;
    let focused = browser.active_element().await.unwrap().attr("class").await.unwrap();
    assert_eq!(focused.as_deref(), Some("notice"), "the notice has the focus");
    screenshot(&browser, engine, "console-done").await;
    assert!(wait_for_mail(&login, 1).await[0].text.contains("/reset#t="), "the link went to the login email");
    let card = text_of(&browser, "article.account").await;
    assert!(card.contains("still works"), "the card shows the new link");
    // A second click, while that link may still be on its way, asks before replacing it.
    let send = browser.find(Locator::XPath("//article//button[contains(., 'Send a reset link')]")).await.unwrap();
    send.click().await.unwrap();
    wait_visible(&browser, "dialog#confirm[open]").await;
    assert!(text_of(&browser, "#confirm-text").await.contains("still works"), "asked first");
    click(&browser, "#confirm-no").await;
    // The history in words: no internal names.
    browser.find(Locator::Css("article.account details summary")).await.unwrap().click().await.unwrap();
    let history = text_of(&browser, "article.account details").await;
    for internal in ["reset_link", "mail_sent", "password_changed", "invalid_credentials", "_"] {
        assert!(!history.contains(internal), "{internal} in {history}");
    }
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_desk_changes_a_login_email_and_the_new_address_confirms_it() {
    in_every_engine(changes_a_login_email_in).await;
}

async fn changes_a_login_email_in(engine: Engine) {
    let desk = staff(&format!("mover-{}", engine.name()), &["helpdesk"], true).await;
    let (login, _, name) = ana(&desk).await;
    let new = unique_email("ana-new", "");
    let browser = engine.open().await;
    open_console(&browser, &desk, "?lang=es").await;
    assert_eq!(browser.find(Locator::Css("html")).await.unwrap().attr("lang").await.unwrap().as_deref(), Some("es"));
    search_by_keyboard(&browser, &name).await;
    // Her card, by her login email: a name can be shared, and the desk acts on the person whose address it read.
    let xpath = format!("//article[contains(., '{login}')]//button[contains(., 'correo de acceso')]");
    let change = browser.find(Locator::XPath(&xpath)).await.unwrap();
    change.click().await.unwrap();
    wait_visible(&browser, "#new-email").await;
    // The same identity checks as turning 2-Step Verification off: the way into someone's account is the same.
    wait_visible(&browser, "#checks").await;
    click(&browser, "#confirm-yes").await;
    wait_visible(&browser, "#confirm-error").await;
    type_into(&browser, "#new-email", &new).await;
    for check in browser.find_all(Locator::Css("#check-list input[type=checkbox]")).await.unwrap() {
        check.click().await.unwrap();
    }
    screenshot(&browser, engine, "console-login-email").await;
    audit(&browser, "console, changing a login email, in Spanish").await;
    click(&browser, "#confirm-yes").await;
    eventually("the done message", Duration::from_secs(10), || async {
        text_of(&browser, &format!("article[data-login='{login}'] .notice"))
            .await
            .contains("va de camino")
            .then_some(())
    })
    .await;
    let card = text_of(&browser, &format!("article[data-login='{login}']")).await;
    assert!(card.contains(&new) && card.contains("aún sin confirmar"), "the card shows the change waiting: {card}");
    assert!(latchkey_e2e::login(&login, "parent", PASSWORD).await.is_ok(), "nothing changes before the confirmation");
    // The owner was told at the old address, with a way to stop it.
    let notice = wait_for_mail(&login, 1).await;
    assert!(notice[0].text.contains("/cancel-email#t="), "{}", notice[0].text);

    let mail = wait_for_mail(&new, 1).await;
    let link = mail[0].text.lines().find(|l| l.contains("/confirm-email#t=")).unwrap().trim().to_owned();
    browser.goto(&link).await.unwrap();
    wait_visible(&browser, "#confirm").await;
    assert!(browser.current_url().await.unwrap().fragment().is_none(), "the token leaves the address bar");
    audit(&browser, "confirm-email").await;
    click(&browser, "#confirm button[type=submit]").await;
    wait_visible(&browser, "#done").await;
    let done = text_of(&browser, "#done").await;
    assert!(
        done.contains(&new) && (done.contains("From") || done.contains("A partir")),
        "when it takes effect: {done}"
    );
    screenshot(&browser, engine, "confirm-email-done").await;
    latchkey_e2e::until_a_login_email_change_takes_effect(|| async {
        latchkey_e2e::login(&new, "parent", PASSWORD).await.ok()
    })
    .await;
    let refused = latchkey_e2e::login(&login, "parent", PASSWORD).await.unwrap_err();
    assert_eq!(refused.1, "invalid_credentials", "the old one does not");
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_owner_cancels_a_login_email_change_from_the_mailed_link() {
    let desk = staff("cancel-page", &["helpdesk"], true).await;
    let (login, _, _) = ana(&desk).await;
    let (_, checks) = desk.client.get("/api/admin/identity-checks").await;
    let ticked: Vec<&str> = checks["checks"].as_array().unwrap().iter().filter_map(|c| c["id"].as_str()).collect();
    let change = json!({"login_email": login, "audience": "parent", "new_login_email": unique_email("not-hers", ""), "checks": ticked});
    let (status, body) = desk.client.post("/api/admin/accounts/login-email", change).await;
    assert_eq!(status, 200, "{body}");
    let notice = wait_for_mail(&login, 1).await;
    let link = notice[0].text.lines().find(|l| l.contains("/cancel-email#t=")).unwrap().trim().to_owned();
    let browser = Engine::Chromium.open().await;
    browser.goto(&link).await.unwrap();
    wait_visible(&browser, "#cancel").await;
    assert!(browser.current_url().await.unwrap().fragment().is_none(), "the token leaves the address bar");
    audit(&browser, "cancel-email").await;
    click(&browser, "#cancel button[type=submit]").await;
    wait_visible(&browser, "#done").await;
    assert!(text_of(&browser, "#done").await.contains(&login), "the login email stays");
    screenshot(&browser, Engine::Chromium, "cancel-email-done").await;
    let (_, found) = desk.client.get(&format!("/api/admin/accounts?email={login}")).await;
    assert!(found["accounts"][0].get("pending_login_email").is_none(), "{found}");
    browser.close().await.unwrap();
}

#[tokio::test]
async fn an_admin_sees_the_settings_and_sends_a_dead_letter_again() {
    let admin = staff("settings", &["admin"], true).await;
    let refused = unique_email("settings-bounce", "refuse");
    admin.client.create_account_with("parent", &refused, PASSWORD).await;
    admin.client.post("/api/admin/accounts/reset-link", json!({"login_email": refused, "audience": "parent"})).await;
    latchkey_e2e::eventually("the reset mail dead-lettered", Duration::from_secs(30), || async {
        let (_, list) = admin.client.get("/api/admin/dead-letters").await;
        list["dead_letters"].as_array()?.iter().any(|l| l["to"][0] == refused.as_str()).then_some(())
    })
    .await;

    let browser = Engine::Chromium.open().await;
    open_console(&browser, &admin, "").await;
    wait_visible(&browser, "#settings").await;
    eventually("the dead letters listed", Duration::from_secs(10), || async {
        text_of(&browser, "#dead-letters").await.contains(&refused).then_some(())
    })
    .await;
    // The required changes per account type load after the dead letters.
    eventually("the required changes per account type", Duration::from_secs(10), || async {
        text_of(&browser, "#campaign").await.contains("Staff").then_some(())
    })
    .await;
    audit(&browser, "console, settings").await;
    screenshot(&browser, Engine::Chromium, "console-settings").await;

    // Their own card offers nothing: an admin's account is changed only from above (the bearer token).
    search_by_keyboard(&browser, &admin.email).await;
    let own = text_of(&browser, "article.account").await;
    assert!(own.contains("at or above yours"), "{own}");
    assert!(browser.find_all(Locator::Css("article.account .actions button")).await.unwrap().is_empty());

    // A helpdesk colleague's card: the roles dialog and the identity checklist, each audited, each left unchanged.
    let colleague = staff("settings-colleague", &["helpdesk"], true).await;
    search_by_keyboard(&browser, &colleague.email).await;
    wait_visible(&browser, &format!("article[data-login='{}'] .actions", colleague.email)).await;
    for (button, inside) in [("Console roles", "#roles"), ("Turn 2-Step Verification off", "#checks")] {
        let xpath = format!("//article//button[contains(., '{button}')]");
        browser.find(Locator::XPath(&xpath)).await.unwrap().click().await.unwrap();
        wait_visible(&browser, inside).await;
        audit(&browser, &format!("console, the {button} dialog")).await;
        if inside == "#checks" {
            click(&browser, "#confirm-yes").await;
            wait_visible(&browser, "#confirm-error").await;
            assert!(text_of(&browser, "#confirm-error").await.contains("Tick every check"));
            screenshot(&browser, Engine::Chromium, "console-identity-checks").await;
        }
        click(&browser, "#confirm-no").await;
        eventually("the dialog to close", Duration::from_secs(5), || async {
            (!latchkey_e2e::page::visible(&browser, "dialog#confirm[open]").await).then_some(())
        })
        .await;
    }
    let (_, found) = admin.client.get(&format!("/api/admin/accounts?email={}", colleague.email)).await;
    assert_eq!(found["accounts"][0]["two_step_enabled"], true, "cancelled: nothing changed");

    // The requirement per account type: a switch, and the days once it is on — never an empty box that means "off".
    let days = browser.find(Locator::Css("#req-staff")).await.unwrap();
    let on = browser.find(Locator::Css("#req-staff-on")).await.unwrap();
    if on.is_selected().await.unwrap() {
        on.click().await.unwrap();
    }
    assert!(!days.is_enabled().await.unwrap(), "off: no days to give");
    on.click().await.unwrap();
    assert!(days.is_enabled().await.unwrap());
    days.clear().await.unwrap();
    type_into(&browser, "#req-staff", "400").await;
    click(&browser, "#two-step-requirement button[type=submit]").await;
    eventually("the refusal, beside the form", Duration::from_secs(5), || async {
        text_of(&browser, "#requirement-notice").await.contains("whole number").then_some(())
    })
    .await;
    on.click().await.unwrap();
    screenshot(&browser, Engine::Chromium, "console-requirement").await;
    let apps = text_of(&browser, "#apps").await;
    assert!(!apps.contains(" · public ·") && !apps.contains(" · confidential ·"), "kinds in words: {apps}");
    assert!(!text_of(&browser, "#settings").await.contains("docs/"), "no file names for the office");

    let again = format!("//ul[@id='dead-letters']/li[contains(., '{refused}')]/button");
    browser.find(Locator::XPath(&again)).await.unwrap().click().await.unwrap();
    eventually("the re-send, said beside the list", Duration::from_secs(10), || async {
        text_of(&browser, "#dead-letters-notice").await.contains("new reset link").then_some(())
    })
    .await;
    browser.close().await.unwrap();
}

/// The office announces a required change to every family and follows it: the button beside the requirement, the
/// confirmation, the progress line, pause and cancel. On a Worker of its own (a campaign mails its whole registry),
/// paced to one mail a second so there is time to act.
#[tokio::test]
async fn an_admin_announces_a_required_change_follows_it_and_pauses_and_cancels_it() {
    let worker = latchkey_e2e::worker::Worker::start(
        "console-campaigns",
        &[("IP_RATE_LIMIT", "off"), ("MAIL_BATCH_SIZE", "1"), ("MAIL_REQUESTS_PER_SEC", "2")],
    )
    .await;
    let admin = latchkey_e2e::console::staff_of(worker.client(), "campaign-desk", &["admin"], true).await;
    let run = format!("console-campaign-{}", unique_word());
    latchkey_e2e::campaign::import_parents(&worker.client(), &run, 12, "").await;
    let required = json!({"audience": "parent"});
    let (status, body) =
        worker.client().admin(reqwest::Method::PUT, "/api/admin/password-change-requirement", Some(&required)).await;
    assert_eq!(status, 200, "{body}");

    let browser = Engine::Chromium.open().await;
    open_console_at(&browser, &worker.url(""), &admin, "").await;
    wait_visible(&browser, "#settings").await;
    let announce = "//ul[@id='campaign']/li[contains(., 'Parent')]/button";
    eventually("the button beside the parents' requirement", Duration::from_secs(10), || async {
        browser.find(Locator::XPath(announce)).await.ok()
    })
    .await
    .click()
    .await
    .unwrap();
    wait_visible(&browser, "dialog#confirm[open]").await;
    assert!(text_of(&browser, "#confirm-text").await.contains("once"), "it says each person is mailed once");
    click(&browser, "#confirm-yes").await;
    eventually("the announcement on its way", Duration::from_secs(10), || async {
        text_of(&browser, "#campaigns-notice").await.contains("on its way").then_some(())
    })
    .await;
    let line = text_of(&browser, "#campaigns").await;
    assert!(line.contains("sending") && line.contains("12 expected"), "{line}");
    audit(&browser, "console, an announcement sending").await;
    screenshot(&browser, Engine::Chromium, "console-campaign").await;

    click(&browser, "#campaigns button").await;
    eventually("paused", Duration::from_secs(10), || async {
        text_of(&browser, "#campaigns").await.contains("paused").then_some(())
    })
    .await;
    let cancel = "//ul[@id='campaigns']/li/button[contains(., 'Cancel')]";
    browser.find(Locator::XPath(cancel)).await.unwrap().click().await.unwrap();
    wait_visible(&browser, "dialog#confirm[open]").await;
    click(&browser, "#confirm-yes").await;
    eventually("cancelled", Duration::from_secs(10), || async {
        text_of(&browser, "#campaigns").await.contains("cancelled").then_some(())
    })
    .await;
    assert!(browser.find_all(Locator::Css("#campaigns button")).await.unwrap().is_empty(), "nothing left to do");
    let sent = latchkey_e2e::campaign::counted(&run).deliveries;
    assert!(sent < 12, "stopped before the end: {sent}");
    browser.close().await.unwrap();
}
