//! A password that must change: found at the login to fall short of the policy or to be in a breach, or required by
//! the admin — for one account, an account type or everyone — by a deadline or at the next login. Before the deadline
//! the person is told and goes on; after it, the session is good only for `/password`. The admin sees how many of
//! each type still have to change, and may have everyone told by mail.

use argon2::password_hash::PasswordHasher;
use latchkey_e2e::client::Client;
use latchkey_e2e::fake_services::{BREACHED, BREACH_SLOW};
use latchkey_e2e::page::{
    audit, click, log_in, open_page, screenshot, text_of, type_into, wait_acceptable, wait_visible,
};
use latchkey_e2e::worker::Worker;
use latchkey_e2e::{
    base_url, create_account, error_code, eventually, in_every_engine, now_secs, unique_email, wait_for_mail, Engine,
};
use serde_json::{json, Value};
use std::time::Duration;

const GOOD: &str = "Otter-Harbor-93-Violet";
const NEW: &str = "Quartz-Vivid-Meadow-77";
/// Too short and too common for today's policy: as an older system would have let it through.
const WEAK: &str = "sunshine1";

/// An account brought in with the argon2 hash of `password`, which no policy check saw.
async fn imported(client: &Client, email: &str, audience: &str, password: &str) {
    let phc = argon2::Argon2::default()
        .hash_password_with_salt(password.as_bytes(), b"required-change-salt")
        .expect("hashing works")
        .to_string();
    let account = json!({"login_email": email, "audience": audience, "display_name": "Weak", "password_hash": phc});
    let (status, body) = client.admin(reqwest::Method::POST, "/api/admin/accounts", Some(&account)).await;
    assert_eq!(status, 201, "{body}");
}

fn change(current: &str) -> Value {
    json!({"current_password": current, "password": NEW, "confirm": NEW})
}

/// Logs in; the login's answer.
async fn logged_in(client: &mut Client, email: &str, audience: &str, password: &str) -> Value {
    let (status, body) = client.login(email, audience, password, None).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// What a session that owes a due change may do: the password page and the change, nothing else.
async fn only_the_change(client: &Client, current: &str) {
    for path in ["/api/session", "/api/two-step"] {
        let (status, body) = client.get(path).await;
        assert_eq!((status, error_code(&body)), (403, "password_change_required"), "{path}: {body}");
    }
    let (status, body) = client.post("/api/two-step/setup", &json!({})).await;
    assert_eq!((status, error_code(&body)), (403, "password_change_required"), "{body}");
    let (status, body) = client.get("/api/password").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["password_change"]["due"], true);
    let (status, body) = client.post("/api/password", &change(current)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = client.get("/api/session").await;
    assert_eq!(status, 200, "the change made it a whole session: {body}");
    assert!(body.get("password_change").is_none(), "{body}");
}

#[tokio::test]
async fn a_password_the_policy_no_longer_takes_must_change_at_login() {
    let client = Client::shared();
    let email = unique_email("weak", "");
    imported(&client, &email, "parent", WEAK).await;
    let mut person = Client::shared();
    let body = logged_in(&mut person, &email, "parent", WEAK).await;
    assert_eq!(body["password_change"], json!({"reason": "policy", "due": true}));
    only_the_change(&person, WEAK).await;
    let body = logged_in(&mut Client::shared(), &email, "parent", NEW).await;
    assert!(body.get("password_change").is_none(), "{body}");
}

#[tokio::test]
async fn a_password_found_in_a_breach_must_change_at_login() {
    let email = unique_email("breached", "");
    create_account(&email, None, "parent", BREACHED[0]).await;
    let mut person = Client::shared();
    let body = logged_in(&mut person, &email, "parent", BREACHED[0]).await;
    assert_eq!(body["password_change"], json!({"reason": "breached", "due": true}));
    only_the_change(&person, BREACHED[0]).await;
}

#[tokio::test]
async fn a_breach_check_that_does_not_answer_holds_no_login_up() {
    // The fake answers this password's range only after 10 s, listing it: a login that waited would owe a change.
    let email = unique_email("breach-slow", "");
    create_account(&email, None, "parent", BREACH_SLOW).await;
    let body = logged_in(&mut Client::shared(), &email, "parent", BREACH_SLOW).await;
    assert!(body.get("password_change").is_none(), "no answer in time, no verdict: {body}");
}

#[tokio::test]
async fn the_admin_requires_a_change_of_one_account_by_a_deadline() {
    let admin = Client::shared();
    let email = unique_email("required-one", "");
    create_account(&email, None, "staff", GOOD).await;
    let require = |body: Value| {
        let admin = Client::shared();
        async move { admin.admin(reqwest::Method::POST, "/api/admin/accounts/require-password-change", Some(&body)).await }
    };
    let (status, body) = require(json!({"login_email": email, "audience": "staff", "deadline": now_secs() - 10})).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "a deadline in the past: {body}");
    let (status, body) = require(json!({"login_email": email, "deadline": now_secs() + 60})).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "which account: {body}");
    let nobody = unique_email("required-nobody", "");
    let (status, body) = require(json!({"login_email": nobody, "audience": "staff"})).await;
    assert_eq!((status, error_code(&body)), (404, "not_found"), "{body}");

    let deadline = now_secs() + 4;
    let (status, body) =
        require(json!({"login_email": email, "audience": "staff", "deadline": deadline, "announce": true})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["required_change"]["deadline"], deadline);
    let mail = wait_for_mail(&email, 1).await.pop().expect("the announcement");
    assert_eq!(mail.subject, "Please choose a new password");
    assert!(mail.text.contains("/login?next=password") && mail.text.contains("/requirements"), "{}", mail.text);

    // Before the deadline: told, and free to go on.
    let mut person = Client::shared();
    let body = logged_in(&mut person, &email, "staff", GOOD).await;
    assert_eq!(body["password_change"], json!({"reason": "required", "deadline": deadline, "due": false}));
    let (status, body) = person.get("/api/session").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["password_change"]["due"], false);

    // After it: nothing but the change.
    latchkey_e2e::advance_clock(&email, "staff", deadline.saturating_sub(now_secs()) + 1).await;
    let mut late = Client::shared();
    let body = logged_in(&mut late, &email, "staff", GOOD).await;
    assert_eq!(body["password_change"]["due"], true, "{body}");
    only_the_change(&late, GOOD).await;
    let (_, view) = admin.admin(reqwest::Method::GET, &format!("/api/admin/accounts?email={email}"), None).await;
    assert!(view["accounts"][0].get("required_change").is_none(), "met: {view}");
}

#[tokio::test]
async fn a_requirement_for_an_account_type_counts_who_is_left_and_mails_them() {
    // A Worker of its own: a requirement for every staff account would reach the other tests' accounts.
    let worker = Worker::start("required-change", &[]).await;
    let (staff, other_staff, parent) =
        (unique_email("campaign-staff", ""), unique_email("campaign-staff-2", ""), unique_email("campaign-parent", ""));
    assert_eq!(worker.create_account_for("staff", &staff, GOOD).await, 201);
    assert_eq!(worker.create_account_for("staff", &other_staff, GOOD).await, 201);
    assert_eq!(worker.create_account_for("parent", &parent, GOOD).await, 201);
    let requirement = |method: reqwest::Method, path: &'static str, body: Option<Value>| {
        let admin = worker.client();
        async move { admin.admin(method, path, body.as_ref()).await }
    };
    let progress = || async {
        let (status, body) = requirement(reqwest::Method::GET, "/api/admin/password-change-requirement", None).await;
        assert_eq!(status, 200, "{body}");
        let counts = |audience: &str| (body[audience]["accounts"].as_u64(), body[audience]["pending"].as_u64());
        (counts("staff"), counts("parent"))
    };
    assert_eq!(progress().await, ((Some(2), Some(0)), (Some(1), Some(0))));

    let (status, body) = requirement(
        reqwest::Method::PUT,
        "/api/admin/password-change-requirement",
        Some(json!({"login_email": staff, "audience": "staff"})),
    )
    .await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "one account has its own route: {body}");

    // Every staff password, at the next login, announced.
    let (status, body) = requirement(
        reqwest::Method::PUT,
        "/api/admin/password-change-requirement",
        Some(json!({"audience": "staff", "announce": true})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let announced = (body["campaign"]["expected"].as_u64(), body["campaign"]["audiences"].clone());
    assert_eq!(announced, (Some(2), json!(["staff"])), "{body}");
    assert_eq!(body["staff"]["pending"].as_u64(), Some(2), "{body}");
    for email in [&staff, &other_staff] {
        let mail = wait_for_mail(email, 1).await.pop().expect("the announcement");
        assert!(mail.text.contains("next time you log in"), "{}", mail.text);
    }
    latchkey_e2e::no_mail_to(&parent, "parents are not asked").await;

    let mut person = worker.client();
    let body = logged_in(&mut person, &staff, "staff", GOOD).await;
    assert_eq!(body["password_change"], json!({"reason": "required", "due": true}));
    let body = logged_in(&mut worker.client(), &parent, "parent", GOOD).await;
    assert!(body.get("password_change").is_none(), "{body}");
    only_the_change(&person, GOOD).await;
    eventually("one staff account left", Duration::from_secs(10), || async {
        (progress().await == ((Some(2), Some(1)), (Some(1), Some(0)))).then_some(())
    })
    .await;

    // Everyone, by a date: the parent is told and goes on; the staff password changed above is asked again (a
    // password changed in the requirement's own second counts as before it).
    let deadline = now_secs() + 3600;
    let (status, body) = requirement(
        reqwest::Method::PUT,
        "/api/admin/password-change-requirement",
        Some(json!({"deadline": deadline})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["staff"]["pending"].as_u64(), body["parent"]["pending"].as_u64()), (Some(2), Some(1)));
    let mut parent_client = worker.client();
    let body = logged_in(&mut parent_client, &parent, "parent", GOOD).await;
    assert_eq!(body["password_change"], json!({"reason": "required", "deadline": deadline, "due": false}));
    assert_eq!(parent_client.get("/api/two-step").await.0, 200, "free to go on");

    let (status, body) =
        requirement(reqwest::Method::DELETE, "/api/admin/password-change-requirement?audience=staff", None).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["requirement"].get("staff").is_none() && body["requirement"].get("parent").is_some(), "{body}");
    let (status, _) = requirement(reqwest::Method::DELETE, "/api/admin/password-change-requirement", None).await;
    assert_eq!(status, 200);
    assert_eq!(progress().await, ((Some(2), Some(0)), (Some(1), Some(0))));
}

#[tokio::test]
async fn the_login_page_leads_to_the_change_and_says_why() {
    in_every_engine(the_login_page_leads_to_the_change_and_says_why_in).await;
}

async fn the_login_page_leads_to_the_change_and_says_why_in(engine: Engine) {
    let email = unique_email("weak-page", "");
    imported(&Client::shared(), &email, "parent", WEAK).await;
    let browser = engine.open().await;
    log_in(&browser, &base_url(), &email, "parent", WEAK, None).await;
    wait_visible(&browser, "#why").await;
    assert!(text_of(&browser, "#why-text").await.contains("no longer meets them"));
    wait_visible(&browser, "form#change[data-ready]").await;
    audit(&browser, "the password page, a change owed").await;
    screenshot(&browser, engine, "password-required").await;
    type_into(&browser, "#current", WEAK).await;
    type_into(&browser, "#password", NEW).await;
    type_into(&browser, "#confirm", NEW).await;
    wait_acceptable(&browser).await;
    click(&browser, "#change button[type=submit]").await;
    wait_visible(&browser, "#done").await;
    click(&browser, "#back").await;
    wait_visible(&browser, "#signed-in").await;
    browser.close().await.unwrap();
}

#[tokio::test]
async fn a_deadline_ahead_is_shown_on_the_account_page_in_spanish() {
    let email = unique_email("required-es", "");
    create_account(&email, None, "parent", GOOD).await;
    let body = json!({"login_email": email, "audience": "parent", "deadline": now_secs() + 7 * 86_400});
    let (status, answer) =
        Client::shared().admin(reqwest::Method::POST, "/api/admin/accounts/require-password-change", Some(&body)).await;
    assert_eq!(status, 200, "{answer}");
    let browser = Engine::Chromium.open().await;
    log_in(&browser, &base_url(), &email, "parent", GOOD, None).await;
    wait_visible(&browser, "#password-due").await;
    open_page(&browser, &format!("{}/login?lang=es", base_url())).await;
    wait_visible(&browser, "#password-due").await;
    let text = text_of(&browser, "#password-due").await;
    assert!(text.contains("Tu centro pide") && text.contains("Cámbiala ahora"), "{text}");
    audit(&browser, "the account page, a change asked by a date").await;
    browser.close().await.unwrap();
}
