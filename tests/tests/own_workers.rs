//! What needs a Worker of its own: the per-IP limit switched on (the shared Worker has it off, since the suite sends
//! hundreds of requests from one address) and each console session's budget beside it, Turnstile required, restarts
//! in the middle of a reset, and logins that stop being recent within seconds.

use fantoccini::Locator;
use latchkey_e2e::console::{staff_of, STAFF_PASSWORD};
use latchkey_e2e::fake_mail::deliveries_to;
use latchkey_e2e::fake_services::{TURNSTILE_PASS, TURNSTILE_SECRET};
use latchkey_e2e::page::{click, log_in, open_page, type_into, wait_visible};
use latchkey_e2e::worker::Worker;
use latchkey_e2e::{chromium, error_code, eventually, http, unique_email, wait_for_mail};
use serde_json::{json, Value};
use std::time::Duration;

const OLD: &str = "Otter-Harbor-93-Violet";
const NEW: &str = "Quartz-Vivid-Meadow-77";

/// The limiter's window (wrangler's local limiter counts per wall-clock minute, as `floor(now / 60 s)`).
fn window() -> u64 {
    latchkey_e2e::now_secs() / 60
}

/// Sends `request` until it is answered other than `accepted`: how many went through, that answer, and whether the run
/// stayed in one of the limiter's minutes. It starts early in a minute (waiting up to 10 s for the next), so a run
/// of a few seconds does: the budget is then exactly what went through. A run that straddled a minute's end had a
/// fresh budget part way, so the refusal must still come within two windows' worth.
async fn until_refused<F, Fut>(accepted: u16, request: F) -> (usize, (u16, Value), bool)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = (u16, Value)>,
{
    let into_minute = latchkey_e2e::now_secs() % 60;
    if into_minute >= 50 {
        tokio::time::sleep(std::time::Duration::from_secs(60 - into_minute)).await;
    }
    let started = window();
    for through in 0..61 {
        let (status, body) = request().await;
        if status != accepted {
            return (through, (status, body), window() == started);
        }
    }
    panic!("61 requests went through: more than two windows' worth");
}

/// That `through` requests is the budget of 30 a minute (`spent` of it gone before): exactly, in one window.
fn is_the_budget(through: usize, spent: usize, one_window: bool) {
    if one_window {
        assert_eq!(through + spent, 30, "30 a minute, no more, no fewer");
    } else {
        assert!((30..=60).contains(&(through + spent)), "{through} went through across two windows");
    }
}

#[tokio::test]
async fn the_per_ip_limit_answers_429_past_its_budget_for_every_email_alike() {
    let worker = Worker::start("ip-limit", &[]).await;
    // Known or not makes no difference: the limit comes before any lookup.
    let reset = || worker.post("/api/reset-requests", json!({"email": unique_email("ip", ""), "audience": "staff"}));
    let (through, (status, body), one_window) = until_refused(202, reset).await;
    assert_eq!((status, error_code(&body)), (429, "rate_limited"), "{body}");
    is_the_budget(through, 0, one_window);
    let response = http()
        .post(worker.url("/api/reset-requests"))
        .json(&json!({"email": "a@b.test", "audience": "staff"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["retry-after"], "60");
    // Logins draw on a budget of their own.
    let (status, body) =
        worker.post("/api/sessions", json!({"email": "a@b.test", "audience": "staff", "password": OLD})).await;
    assert_eq!((status, error_code(&body)), (401, "invalid_credentials"));
}

#[tokio::test]
async fn each_console_session_has_an_admin_budget_of_its_own_beside_its_offices_address() {
    let worker = Worker::start("console-limit", &[]).await;
    let desk = staff_of(worker.client(), "console-limit", &["helpdesk"], true).await;
    let token = worker.client();
    let with_token = || token.admin(reqwest::Method::GET, "/api/admin/dead-letters", None);
    // The bearer token spends the address's admin budget, and the desk at the same address works on. Up to three
    // tries: the limiter's minute may turn between spending it and looking whether it is still spent.
    let mut shown = false;
    for _ in 0..3 {
        let (_, (status, body), _) = until_refused(200, with_token).await;
        assert_eq!((status, error_code(&body)), (429, "rate_limited"), "{body}");
        let (status, body) = desk.client.get("/api/admin/me").await;
        assert_eq!(status, 200, "the desk's own budget: {body}");
        if with_token().await.0 == 429 {
            shown = true;
            break;
        }
    }
    assert!(shown, "the address's budget stayed spent while the desk worked");
    // A session's budget is limited too: the same 30 a minute (one already spent).
    let (through, (status, body), _) = until_refused(200, || desk.client.get("/api/admin/me")).await;
    assert_eq!((status, error_code(&body)), (429, "rate_limited"), "{body}");
    assert!(through >= 29, "{through} went through");
    // A cookie that names an account but is nobody's session (the form from before sealing, naming any object it
    // likes) earns no budget of its own: the guard refuses it, and the refusal is charged to the address.
    let made_up = |n: usize| {
        use base64::Engine;
        let id = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("staff:made-up-{n}@school.test"));
        format!("latchkey-session={id}.{}", "A".repeat(43))
    };
    let counter = std::sync::atomic::AtomicUsize::new(0);
    let me = worker.url("/api/admin/me");
    let (_, (status, body), _) = until_refused(401, || {
        let cookie = made_up(counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let me = me.clone();
        async move {
            let response = http().get(me).header("Cookie", cookie).send().await.expect("an answer");
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap_or(Value::Null))
        }
    })
    .await;
    assert_eq!((status, error_code(&body)), (429, "rate_limited"), "{body}");
}

#[tokio::test]
async fn turnstile_when_configured_guards_reset_requests() {
    let verify = latchkey_e2e::fake_services::siteverify_url();
    let worker = Worker::start(
        "turnstile",
        &[
            ("IP_RATE_LIMIT", "off"),
            ("TURNSTILE_SECRET", TURNSTILE_SECRET),
            ("TURNSTILE_SITE_KEY", "1x00000000000000000000AA"),
            ("TURNSTILE_VERIFY_URL", &verify),
        ],
    )
    .await;
    let policy: Value = http().get(worker.url("/api/policy")).send().await.unwrap().json().await.unwrap();
    assert_eq!(policy["turnstile_site_key"], "1x00000000000000000000AA", "the page learns it must show the check");

    let email = unique_email("turnstile", "");
    assert_eq!(worker.create_account(&email, OLD).await, 201);
    let ask = |token: Option<&str>| {
        let mut body = json!({"email": email, "audience": "parent"});
        if let Some(token) = token {
            body["turnstile_token"] = json!(token);
        }
        worker.post("/api/reset-requests", body)
    };
    let (status, body) = ask(None).await;
    assert_eq!((status, error_code(&body)), (403, "challenge_failed"), "{body}");
    let (status, body) = ask(Some("a-forged-token")).await;
    assert_eq!((status, error_code(&body)), (403, "challenge_failed"), "{body}");
    let (status, body) = ask(Some(&"x".repeat(5000))).await;
    assert_eq!((status, error_code(&body)), (403, "challenge_failed"), "{body}");
    latchkey_e2e::no_mail_to(&email, "no mail without a passed check").await;
    let (status, body) = ask(Some(TURNSTILE_PASS)).await;
    assert_eq!(status, 202, "{body}");
    wait_for_mail(&email, 1).await;

    // The page asks for the check. Turnstile's script comes from challenges.cloudflare.com, which this machine cannot
    // reach: the page must say so, and must not send a request without a token.
    let browser = chromium().await;
    open_page(&browser, &worker.url("/restore-password")).await;
    let status_text = || async { browser.find(Locator::Css("#status")).await.ok()?.text().await.ok() };
    eventually("the page to say the check could not load", Duration::from_secs(20), || async {
        status_text().await.filter(|t| t.contains("could not load"))
    })
    .await;
    browser.find(Locator::Css("#email")).await.unwrap().send_keys(&email).await.unwrap();
    browser.find(Locator::Css("#restore button[type=submit]")).await.unwrap().click().await.unwrap();
    eventually("the page to ask for the check", Duration::from_secs(5), || async {
        status_text().await.filter(|t| t.contains("not a robot"))
    })
    .await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_restart_in_the_middle_of_a_reset_loses_nothing_and_sends_nothing_twice() {
    let mut worker = Worker::start("restart", &[("IP_RATE_LIMIT", "off")]).await;
    let email = unique_email("restart", "");
    let token = worker.link_for_new_account(&email, OLD).await;

    // Between the mail and the click.
    worker.restart().await;
    let (status, body) = worker.post("/api/resets/verify", json!({"token": token})).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")), "the link survives: {body}");
    let (status, body) = worker.post("/api/resets", json!({"token": token, "password": NEW, "confirm": NEW})).await;
    assert_eq!(status, 200, "{body}");

    // Between the new password and the next login.
    worker.restart().await;
    let (status, body) = worker.post("/api/resets/verify", json!({"token": token})).await;
    assert_eq!(body["status"], "used", "{status} {body}");
    let (status, _) =
        worker.post("/api/sessions", json!({"email": email, "audience": "parent", "password": NEW})).await;
    assert_eq!(status, 200, "the new password stands");
    let (status, _) =
        worker.post("/api/sessions", json!({"email": email, "audience": "parent", "password": OLD})).await;
    assert_eq!(status, 401, "the old one is gone");
    // The notice was in the local queue when the Worker went down, and local queues do not outlive a restart: the
    // account's Durable Object queues it again once its time is up (60 x MAIL_RETRY_BASE_SECS), under the same id.
    let mails = eventually("the changed-password notice", Duration::from_secs(120), || async {
        let mails = deliveries_to(&email);
        (mails.len() >= 2).then_some(mails)
    })
    .await;
    assert_eq!(mails[1].subject, "Your password was changed");
    latchkey_e2e::watch_for_strays().await;
    assert_eq!(deliveries_to(&email).len(), 2, "the link and the notice, once each");
}

/// How long a login stays recent on the Worker below: long enough for a change right after typing the password.
const RECENT_AUTH_SECS: u64 = 4;

#[tokio::test]
async fn a_login_that_is_no_longer_recent_must_type_the_password_again_to_change_two_step_verification() {
    let recent = RECENT_AUTH_SECS.to_string();
    let worker = Worker::start("recent-auth", &[("IP_RATE_LIMIT", "off"), ("RECENT_AUTH_SECS", &recent)]).await;
    let email = unique_email("recent-auth", "");
    assert_eq!(worker.create_account(&email, OLD).await, 201);
    let mut client = worker.client();
    assert_eq!(client.login(&email, "parent", OLD, None).await.0, 200);
    latchkey_e2e::outlive_a_recent_login(RECENT_AUTH_SECS).await;

    // Every route the table marks for a recent password, walked from the table the Worker serves.
    let (_, table) = client.get("/dev/routes").await;
    let routes: Vec<String> = table
        .as_array()
        .expect("the route table")
        .iter()
        .filter(|r| r["guard"] == "recent_session_change")
        .map(|r| r["path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(routes.len(), 8, "setup, confirm, recovery codes, disable and the passkeys' four: {routes:?}");
    for path in &routes {
        // Each with a body of its shape: what refuses it is the login's age, not the body.
        let body = match path.as_str() {
            "/api/passkeys" => json!({"ceremony": "k1~AA~AA", "credential": {"id": "AAAA",
                "response": {"clientDataJSON": "e30", "attestationObject": "oA"}}}),
            "/api/passkeys/rename" => json!({"id": "AAAA", "name": "Phone"}),
            "/api/passkeys/remove" => json!({"id": "AAAA"}),
            "/api/passkeys/registration-options" => json!({}),
            _ => json!({"code": "123456"}),
        };
        let (status, body) = client.post(path, &body).await;
        assert_eq!((status, error_code(&body)), (403, "reauthentication_required"), "{path}: {body}");
    }
    let (status, body) = client.get("/api/two-step").await;
    assert_eq!(status, 200, "looking needs no password: {body}");
    let (status, body) = client.post("/api/session/reauthenticate", &json!({"password": NEW})).await;
    assert_eq!((status, error_code(&body)), (403, "password_incorrect"), "{body}");
    let (status, body) = client.post("/api/session/reauthenticate", &json!({})).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "{body}");
    let (status, _) = client.post("/api/session/reauthenticate", &json!({"password": OLD})).await;
    assert_eq!(status, 204);
    let (status, body) = client.post("/api/two-step/setup", &json!({})).await;
    assert_eq!(status, 200, "the password typed again: {body}");

    // The page asks for the password, then goes on with what was asked.
    let browser = chromium().await;
    log_in(&browser, &worker.url(""), &email, "parent", OLD, None).await;
    wait_visible(&browser, "#signed-in").await;
    latchkey_e2e::outlive_a_recent_login(RECENT_AUTH_SECS).await;
    open_page(&browser, &worker.url("/two-step")).await;
    click(&browser, "#start").await;
    wait_visible(&browser, "#reauth").await;
    let asked = browser.find(Locator::Css("#status")).await.unwrap().text().await.unwrap();
    assert!(asked.contains("password again"), "{asked}");
    type_into(&browser, "#reauth-password", OLD).await;
    click(&browser, "#reauth button[type=submit]").await;
    wait_visible(&browser, "#setup").await;
    let hidden = browser.find(Locator::Css("#reauth")).await.unwrap().attr("hidden").await.unwrap();
    assert!(hidden.is_some(), "the password form is gone once used");
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_console_change_needs_the_password_and_a_code_typed_lately() {
    let recent = RECENT_AUTH_SECS.to_string();
    let worker = Worker::start("console-recent", &[("IP_RATE_LIMIT", "off"), ("RECENT_AUTH_SECS", &recent)]).await;
    let admin = staff_of(worker.client(), "console-recent", &["admin"], true).await;
    let person = unique_email("console-recent-person", "");
    assert_eq!(worker.create_account(&person, OLD).await, 201);
    let target = json!({"login_email": person, "audience": "parent"});
    let (status, body) = admin.client.post("/api/admin/accounts/end-sessions", &target).await;
    assert_eq!(status, 200, "the code that turned 2-Step Verification on was just given: {body}");
    latchkey_e2e::outlive_a_recent_login(RECENT_AUTH_SECS).await;

    // Every change the table marks, walked from the table the Worker serves; reading stays open.
    let (_, table) = admin.client.get("/dev/routes").await;
    let changes: Vec<(String, String)> = table
        .as_array()
        .expect("the route table")
        .iter()
        .filter(|r| r["guard"] == "admin_change" || r["guard"] == "helpdesk_change")
        .map(|r| (r["method"].as_str().unwrap().to_owned(), r["path"].as_str().unwrap().to_owned()))
        .collect();
    assert!(changes.len() >= 15, "{changes:?}");
    for (method, path) in &changes {
        let request = http().request(method.parse().unwrap(), worker.url(path)).json(&target);
        let response = request.header("Cookie", admin.client.cookie().unwrap()).send().await.unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!((status, error_code(&body)), (403, "reauthentication_required"), "{method} {path}: {body}");
    }
    let (status, body) = admin.client.get(&format!("/api/admin/accounts?email={person}")).await;
    assert_eq!(status, 200, "looking needs nothing more: {body}");
    // The bearer token is its own proof.
    let (status, _) =
        admin.client.admin(reqwest::Method::POST, "/api/admin/accounts/end-sessions", Some(&target)).await;
    assert_eq!(status, 200);

    // The password alone is half of it; a wrong code is refused; both, and the change goes through.
    let (status, _) = admin.client.post("/api/session/reauthenticate", &json!({"password": STAFF_PASSWORD})).await;
    assert_eq!(status, 204);
    let (status, body) = admin.client.post("/api/admin/accounts/end-sessions", &target).await;
    assert_eq!((status, error_code(&body)), (403, "reauthentication_required"), "{body}");
    let wrong = json!({"password": STAFF_PASSWORD, "code": "000000"});
    let (status, body) = admin.client.post("/api/session/reauthenticate", &wrong).await;
    assert_eq!((status, error_code(&body)), (401, "two_step_code_invalid"), "{body}");
    let code = admin.app.as_ref().unwrap().fresh_code().await;
    let both = json!({"password": STAFF_PASSWORD, "code": code});
    let (status, body) = admin.client.post("/api/session/reauthenticate", &both).await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = admin.client.post("/api/admin/accounts/end-sessions", &target).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn the_schools_name_and_logo_head_every_page_and_mail_and_its_time_zone_gives_the_times() {
    let worker = Worker::start(
        "school",
        &[
            ("IP_RATE_LIMIT", "off"),
            ("SCHOOL_NAME", "Colegio Sol"),
            ("SCHOOL_LOGO", "/favicon.svg"),
            ("TIME_ZONE", "Europe/Madrid"),
        ],
    )
    .await;
    let email = unique_email("school", "");
    let token = worker.link_for_new_account(&email, OLD).await;
    let link = &wait_for_mail(&email, 1).await[0];
    assert_eq!(link.subject, "Reset your password · Colegio Sol", "people file and trust it by the school's name");
    assert!(link.from.starts_with("\"Colegio Sol\" <"), "the sender is the school: {}", link.from);
    assert!(link.html.contains("/favicon.svg\" alt=\"Colegio Sol\""), "its logo heads the mail");
    let (status, _) = worker.post("/api/resets", json!({"token": token, "password": NEW, "confirm": NEW})).await;
    assert_eq!(status, 200);
    let notice = eventually("the changed-password notice", Duration::from_secs(20), || async {
        deliveries_to(&email).into_iter().find(|m| m.subject.starts_with("Your password was changed"))
    })
    .await;
    assert!(notice.text.contains("(Europe/Madrid)"), "times in the school's zone, named: {}", notice.text);

    let browser = chromium().await;
    for page in ["/login", "/restore-password", "/requirements"] {
        open_page(&browser, &worker.url(page)).await;
        let school = browser.find(Locator::Css("main > .school")).await.expect("the school heads the page");
        assert_eq!(school.text().await.unwrap(), "Colegio Sol", "{page}");
        assert!(browser.find(Locator::Css("main > .school img[src='/favicon.svg']")).await.is_ok(), "{page}");
        assert!(browser.title().await.unwrap().ends_with(" · Colegio Sol"), "{page}");
        let icon = browser.find(Locator::Css("link[rel=icon]")).await.unwrap().attr("href").await.unwrap();
        assert_eq!(icon.as_deref(), Some("/favicon.svg"));
    }
    browser.close().await.unwrap();
}
