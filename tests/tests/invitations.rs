//! Invitations: the office invites a parent from the console, the mail arrives with a link, and the parent sets the
//! account up on /welcome — in Chromium, Firefox ESR and WebKitGTK — and is logged in, while the console says
//! "accepted"; a second invitation kills the first link, an expired, revoked or used one says which; the API's
//! refusals; and a CSV of 1,000 families invited with every mail queued once, on a Worker of its own paced to let it
//! finish in a test's time.

use latchkey_e2e::campaign::counted;
use latchkey_e2e::client::Client;
use latchkey_e2e::console::{staff, Staff, STAFF_PASSWORD};
use latchkey_e2e::page::{
    audit, click, log_in, open_page, screenshot, text_of, type_into, wait_acceptable, wait_visible,
};
use latchkey_e2e::worker::Worker;
use latchkey_e2e::{
    advance_clock, error_code, eventually, in_every_engine, post_json, unique, unique_email, unique_word, url,
    wait_for_mail, Engine,
};
use serde_json::{json, Value};
use std::time::Duration;

const PASSWORD: &str = "Otter-Harbor-93-Violet";

/// The invitation's link in its mail (`/welcome?lang=…#t=…`), and the token in it.
fn link_in(mail: &latchkey_e2e::fake_mail::Delivery) -> (String, String) {
    let start = mail.text.find("http").expect("a link");
    let link: String = mail.text[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    assert!(link.contains("/welcome?lang=") && link.contains("#t="), "{}", mail.text);
    let token = link.split("#t=").nth(1).expect("a token").to_owned();
    (link, token)
}

async fn invite(client: &Client, email: &str, audience: &str, name: &str) -> (u16, Value) {
    let body = json!({"login_email": email, "audience": audience, "display_name": name});
    client.admin(reqwest::Method::POST, "/api/admin/invitations", Some(&body)).await
}

async fn invitation_of(client: &Client, email: &str, audience: &str) -> Value {
    let (status, body) = client.admin(reqwest::Method::GET, &format!("/api/admin/accounts?email={email}"), None).await;
    assert_eq!(status, 200, "{body}");
    let accounts = body["accounts"].as_array().expect("accounts").clone();
    let account = accounts.into_iter().find(|a| a["audience"] == audience).expect("the account");
    account["invitation"].clone()
}

#[tokio::test]
async fn the_office_invites_a_parent_who_sets_the_account_up_in_every_engine() {
    in_every_engine(invited_in).await;
}

async fn invited_in(engine: Engine) {
    let desk = staff(&format!("inviter-{}", engine.name()), &["admin"], true).await;
    let email = unique_email("invited", "");
    let name = format!("Inés Invitada {}", unique_word());
    let browser = engine.open().await;
    open_console(&browser, &desk).await;
    wait_visible(&browser, "#invite").await;
    type_into(&browser, "#invite-name", &name).await;
    type_into(&browser, "#invite-email", &email).await;
    click(&browser, "#invite button[type=submit]").await;
    eventually("the console says it was sent", Duration::from_secs(15), || async {
        text_of(&browser, "#invite-notice").await.contains(&email).then_some(())
    })
    .await;
    eventually("the waiting list shows the parent", Duration::from_secs(15), || async {
        text_of(&browser, "#waiting").await.contains(&name).then_some(())
    })
    .await;
    audit(&browser, "console, invitations").await;
    screenshot(&browser, engine, "console-invitations").await;

    let first = wait_for_mail(&email, 1).await.remove(0);
    assert_eq!(first.to, std::slice::from_ref(&email), "to the login email only");
    assert!(first.subject.contains("invited"), "{}", first.subject);
    assert!(
        first.text.contains(&desk.name) && first.text.contains(&email),
        "who invited, and the login: {}",
        first.text
    );
    let (first_link, _) = link_in(&first);
    // A second invitation: only its link works.
    let target = json!({"login_email": email, "audience": "parent"});
    let (status, body) = desk.client.admin(reqwest::Method::POST, "/api/admin/invitations/resend", Some(&target)).await;
    assert_eq!(status, 200, "{body}");
    let second = wait_for_mail(&email, 2).await.remove(1);
    let (link, _) = link_in(&second);
    assert_ne!(link, first_link);

    // The parent, on another device: the office's session is not theirs.
    browser.delete_all_cookies().await.unwrap();
    browser.goto(&first_link).await.unwrap();
    wait_visible(&browser, "#problem[data-status='superseded']").await;
    assert!(text_of(&browser, "#problem").await.contains("newer invitation"));

    browser.goto(&link).await.unwrap();
    wait_visible(&browser, "#welcome").await;
    let address = browser.current_url().await.unwrap();
    assert!(address.fragment().is_none(), "the token leaves the address bar: {address}");
    let whose = text_of(&browser, "#whose").await;
    assert!(whose.contains(&email) && whose.contains("parent account"), "{whose}");
    audit(&browser, "welcome").await;
    screenshot(&browser, engine, "welcome").await;
    type_into(&browser, "#password", PASSWORD).await;
    wait_acceptable(&browser).await;
    type_into(&browser, "#confirm", PASSWORD).await;
    click(&browser, "#welcome button[type=submit]").await;
    // Logged in: the login page greets the parent.
    wait_visible(&browser, "#signed-in").await;
    assert!(text_of(&browser, "#signed-in").await.contains(&email));
    screenshot(&browser, engine, "welcome-done").await;
    // The link is spent.
    browser.delete_all_cookies().await.unwrap();
    browser.goto(&link).await.unwrap();
    wait_visible(&browser, "#problem[data-status='used']").await;

    // The office sees it accepted.
    open_console(&browser, &desk).await;
    open_page(&browser, &url(&format!("/admin?q={}", urlencoding(&email)))).await;
    wait_visible(&browser, "article.account .invitation").await;
    let line = text_of(&browser, "article.account .invitation").await;
    assert!(line.contains("Accepted"), "{line}");
    browser.close().await.unwrap();
}

fn urlencoding(text: &str) -> String {
    latchkey_e2e::http1::encode(text)
}

async fn open_console(browser: &fantoccini::Client, desk: &Staff) {
    let code = desk.app.as_ref().expect("2-Step Verification on").fresh_code().await;
    log_in(browser, &latchkey_e2e::base_url(), &desk.email, "staff", STAFF_PASSWORD, Some(code)).await;
    wait_visible(browser, "#signed-in").await;
    open_page(browser, &url("/admin")).await;
    wait_visible(browser, "#invitations").await;
}

#[tokio::test]
async fn an_invitation_link_says_why_it_does_not_work_and_the_first_password_logs_in() {
    let client = Client::shared();
    let email = unique_email("links", "");
    let (status, view) = invite(&client, &email, "parent", "Lía").await;
    assert_eq!(status, 201, "{view}");
    assert_eq!((view["invitation"]["status"].as_str(), view["password_scheme"].is_null()), (Some("sent"), true));
    let (_, token) = link_in(&wait_for_mail(&email, 1).await[0]);
    let verify = |token: String| async move { post_json("/api/invitations/verify", &json!({"token": token})).await };
    let (status, checked) = verify(token.clone()).await;
    assert_eq!(
        (status, checked["status"].as_str(), checked["login_email"].as_str()),
        (200, Some("ok"), Some(email.as_str()))
    );
    assert_eq!(invitation_of(&client, &email, "parent").await["status"], "opened", "the office sees it was opened");
    assert_eq!(verify("x".repeat(43)).await.1["status"], "invalid");
    assert_eq!(verify("short".into()).await.1["status"], "invalid");

    // Nothing is accepted with a password the policy refuses, or a confirmation that differs.
    let accept = |token: &str, password: &str, confirm: &str| {
        let body = json!({"token": token, "password": password, "confirm": confirm});
        async move { post_json("/api/invitations/accept", &body).await }
    };
    let (status, body) = accept(&token, "short", "short").await;
    assert_eq!((status, error_code(&body)), (422, "password_rejected"), "{body}");
    let (status, body) = accept(&token, PASSWORD, "other").await;
    assert_eq!((status, error_code(&body)), (422, "password_mismatch"), "{body}");
    let accepted = latchkey_e2e::http()
        .post(url("/api/invitations/accept"))
        .json(&json!({"token": token, "password": PASSWORD, "confirm": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 200);
    assert!(accepted.headers().get("set-cookie").is_some(), "logged in");
    let (status, body) = accept(&token, PASSWORD, PASSWORD).await;
    assert_eq!((status, error_code(&body)), (410, "token_used"), "{body}");
    assert!(latchkey_e2e::login(&email, "parent", PASSWORD).await.is_ok(), "the first password logs in");
    let invitation = invitation_of(&client, &email, "parent").await;
    assert_eq!(invitation["status"], "accepted", "{invitation}");
    // Set up: never invited again.
    let (status, body) = invite(&client, &email, "parent", "Lía").await;
    assert_eq!((status, error_code(&body)), (409, "account_exists"), "{body}");
    assert!(body["error"]["detail"].as_str().unwrap_or_default().contains(&email), "named: {body}");

    // Expired: the account's clock moves past the week.
    let late = unique_email("late", "");
    invite(&client, &late, "parent", "Tardío").await;
    let (_, token) = link_in(&wait_for_mail(&late, 1).await[0]);
    advance_clock(&late, "parent", 7 * 86_400 + 1).await;
    assert_eq!(verify(token.clone()).await.1["status"], "expired");
    let (status, body) = accept(&token, PASSWORD, PASSWORD).await;
    assert_eq!((status, error_code(&body)), (410, "token_expired"), "{body}");
    assert_eq!(invitation_of(&client, &late, "parent").await["status"], "expired");

    // Revoked: says so; then invited again, it works.
    let revoked = unique_email("revoked", "");
    invite(&client, &revoked, "parent", "Ro").await;
    let (_, token) = link_in(&wait_for_mail(&revoked, 1).await[0]);
    let target = json!({"login_email": revoked, "audience": "parent"});
    let (status, view) = client.admin(reqwest::Method::POST, "/api/admin/invitations/revoke", Some(&target)).await;
    assert_eq!((status, view["invitation"]["status"].as_str()), (200, Some("revoked")), "{view}");
    assert_eq!(verify(token.clone()).await.1["status"], "revoked");
    let (status, body) = accept(&token, PASSWORD, PASSWORD).await;
    assert_eq!((status, error_code(&body)), (410, "token_revoked"), "{body}");
    let (status, body) = client.admin(reqwest::Method::POST, "/api/admin/invitations/revoke", Some(&target)).await;
    assert_eq!((status, error_code(&body)), (404, "invitation_not_found"), "{body}");

    // Disabled: the link cannot be used.
    let (status, _) = client.admin(reqwest::Method::POST, "/api/admin/invitations/resend", Some(&target)).await;
    assert_eq!(status, 200);
    let (_, token) = link_in(&wait_for_mail(&revoked, 2).await[1]);
    client.admin(reqwest::Method::POST, "/api/admin/accounts/disable", Some(&target)).await;
    let (status, body) = verify(token.clone()).await;
    assert_eq!((status, error_code(&body)), (403, "account_disabled"), "{body}");
    let (status, body) = accept(&token, PASSWORD, PASSWORD).await;
    assert_eq!((status, error_code(&body)), (403, "account_disabled"), "{body}");

    // The list and the counts.
    let (status, list) = client.admin(reqwest::Method::GET, "/api/admin/invitations?status=all", None).await;
    assert_eq!(status, 200, "{list}");
    let listed: Vec<&str> =
        list["invitations"].as_array().unwrap().iter().filter_map(|i| i["login_email"].as_str()).collect();
    assert!(listed.contains(&email.as_str()) && listed.contains(&late.as_str()), "{listed:?}");
    let (_, waiting) = client.admin(reqwest::Method::GET, "/api/admin/invitations", None).await;
    assert!(waiting["invitations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["status"] != "accepted" && i["status"] != "expired"));
    let (status, counts) = client.admin(reqwest::Method::GET, "/api/admin/invitations/counts", None).await;
    assert_eq!(status, 200, "{counts}");
    let parents = counts["counts"].as_array().unwrap().iter().find(|c| c["audience"] == "parent").unwrap().clone();
    assert!(parents["invited"].as_u64().unwrap() >= 3 && parents["accepted"].as_u64().unwrap() >= 1, "{parents}");
    let (status, body) = client.admin(reqwest::Method::GET, "/api/admin/invitations?status=lost", None).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "{body}");
    let long = format!("/api/admin/invitations?cursor={}", "0".repeat(2000));
    let (status, body) = client.admin(reqwest::Method::GET, &long, None).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "{body}");
}

#[tokio::test]
async fn the_api_refuses_bad_invitations_each_with_its_reason() {
    let client = Client::shared();
    let client = &client;
    let bad =
        |body: Value| async move { client.admin(reqwest::Method::POST, "/api/admin/invitations", Some(&body)).await };
    let (status, body) = bad(json!({"login_email": "nobody", "audience": "parent", "display_name": "N"})).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_email"), "{body}");
    let (status, body) =
        bad(json!({"login_email": unique_email("x", ""), "audience": "pupil", "display_name": "N"})).await;
    assert_eq!(status, 422, "{body}");
    let (status, body) =
        bad(json!({"login_email": unique_email("x", ""), "audience": "parent", "display_name": "N", "password": "x"}))
            .await;
    assert_eq!(status, 422, "unknown fields are refused: {body}");
    // A helpdesk may not invite (an admin's change), but may send again.
    let desk = staff("invite-desk", &["helpdesk"], true).await;
    let (status, body) = desk
        .client
        .post(
            "/api/admin/invitations",
            json!({"login_email": unique_email("x", ""), "audience": "parent", "display_name": "N"}),
        )
        .await;
    assert_eq!((status, error_code(&body)), (403, "forbidden"), "{body}");

    // A batch: the bad lines are named, the good ones queued.
    let ok = unique_email("batch-ok", "");
    let csv = format!(
        "email;name;type\n{ok};Bien;parent\nnot-an-email;Mal;parent\n{ok};Otra vez;parent\n{};Sin tipo;alumno\n",
        unique_email("batch-bad", "")
    );
    let answer = latchkey_e2e::http()
        .post(url("/api/admin/invitations/batch"))
        .bearer_auth(latchkey_e2e::admin_token())
        .header("Content-Type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 202);
    let accepted: Value = answer.json().await.unwrap();
    assert_eq!((accepted["lines"].as_u64(), accepted["queued"].as_u64()), (Some(4), Some(1)), "{accepted}");
    let lines: Vec<u64> = accepted["refused"].as_array().unwrap().iter().filter_map(|r| r["line"].as_u64()).collect();
    assert_eq!(lines, [3, 4, 5]);
    wait_for_mail(&ok, 1).await;
    let report = format!("/api/admin/invitations/batch?id={}", accepted["batch"].as_str().unwrap());
    let done = eventually("the batch's report", Duration::from_secs(30), || async {
        let (_, report) = client.admin(reqwest::Method::GET, &report, None).await;
        (report["done"] == true).then_some(report)
    })
    .await;
    assert_eq!((done["invited"].as_u64(), done["refused"].as_array().map(Vec::len)), (Some(1), Some(3)), "{done}");
    let raw = |content_type: &'static str, body: &'static str| async move {
        let answer = latchkey_e2e::http()
            .post(url("/api/admin/invitations/batch"))
            .bearer_auth(latchkey_e2e::admin_token())
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        (answer.status().as_u16(), answer.json::<Value>().await.unwrap())
    };
    let (status, body) = raw("text/csv", "email,name\na@b.org,A\n").await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "a header without the type: {body}");
    let (status, body) = raw("text/plain", "email,name,type\n").await;
    assert_eq!((status, error_code(&body)), (415, "unsupported_media_type"), "{body}");
    let (status, body) = raw("text/csv", "email,name,type\n\"a@b.org,A,parent\n").await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "an unclosed quote: {body}");
    let (status, body) = client.admin(reqwest::Method::GET, "/api/admin/invitations/batch?id=nope", None).await;
    assert_eq!((status, error_code(&body)), (404, "not_found"), "{body}");
}

#[tokio::test]
async fn a_csv_of_a_thousand_families_is_invited_and_every_mail_queued_once() {
    // A pace of 200 mails a second, so the test does not wait a provider's real rate out.
    let worker = Worker::start("invitations", &[("INVITATION_MAILS_PER_SEC", "200")]).await;
    let tag = format!("fam{}", unique());
    let mut csv = String::from("Student;First name;Last name;E-mail;Type;Language\n");
    for n in 0..1000 {
        let language = if n % 2 == 0 { "es" } else { "en" };
        csv.push_str(&format!("{n};Familia;{n};{tag}-{n}@school.example;Parent;{language}\n"));
    }
    let answer = latchkey_e2e::http()
        .post(worker.client().url("/api/admin/invitations/batch"))
        .bearer_auth(latchkey_e2e::admin_token())
        .header("Content-Type", "text/csv; charset=utf-8")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 202);
    let accepted: Value = answer.json().await.unwrap();
    assert_eq!((accepted["queued"].as_u64(), accepted["refused"].as_array().map(Vec::len)), (Some(1000), Some(0)));
    let all = eventually("a thousand invitations at the provider", Duration::from_secs(300), || async {
        let seen = counted(&tag);
        (seen.deliveries >= 1000).then_some(seen)
    })
    .await;
    let report = format!("/api/admin/invitations/batch?id={}", accepted["batch"].as_str().unwrap());
    let done = eventually("the batch done", Duration::from_secs(60), || async {
        let (_, report) = worker.client().admin(reqwest::Method::GET, &report, None).await;
        (report["done"] == true).then_some(report)
    })
    .await;
    assert_eq!(done["invited"], 1000, "{done}");
    // Nothing more comes: each family got one mail.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let settled = counted(&tag);
    assert_eq!((settled.recipients, settled.deliveries, settled.most_to_one), (1000, 1000, 1), "{all:?}");
    let spanish = latchkey_e2e::fake_mail::deliveries_to(&format!("{tag}-0@school.example")).remove(0);
    assert!(spanish.subject.contains("Te invitamos") && spanish.text.contains("lang=es"), "{}", spanish.subject);
    let (status, counts) = worker.client().admin(reqwest::Method::GET, "/api/admin/invitations/counts", None).await;
    assert_eq!(status, 200);
    let parents = counts["counts"].as_array().unwrap().iter().find(|c| c["audience"] == "parent").unwrap().clone();
    assert_eq!((parents["invited"].as_u64(), parents["waiting"].as_u64()), (Some(1000), Some(1000)), "{parents}");

    // Where the school requires 2-Step Verification, the welcome says so and the new session sets it up next.
    let (status, body) = worker.client().require_two_step(&json!({"parent": 0})).await;
    assert_eq!(status, 200, "{body}");
    let strict = unique_email("strict", "");
    let body = json!({"login_email": strict, "audience": "parent", "display_name": "Estricta"});
    let (status, view) = worker.client().admin(reqwest::Method::POST, "/api/admin/invitations", Some(&body)).await;
    assert_eq!(status, 201, "{view}");
    let (_, token) = link_in(&wait_for_mail(&strict, 1).await[0]);
    let (status, checked) = worker.post("/api/invitations/verify", json!({"token": token})).await;
    assert_eq!((status, checked["two_step_required"].as_bool()), (200, Some(true)), "{checked}");
    let (status, session) = worker
        .post("/api/invitations/accept", json!({"token": token, "password": PASSWORD, "confirm": PASSWORD}))
        .await;
    assert_eq!((status, session["two_step"]["setup_required"].as_bool()), (200, Some(true)), "{session}");
}
