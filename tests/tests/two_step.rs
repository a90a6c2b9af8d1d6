//! 2-Step Verification through the API: turning it on (QR code, first code, recovery codes), logging in with a code
//! (each once), recovery codes, replacing them, turning it off, throttled guessing, the reset that asks for a code,
//! and a site that requires it with a grace period.

use latchkey_e2e::client::Client;
use latchkey_e2e::two_step::Authenticator;
use latchkey_e2e::worker::Worker;
use latchkey_e2e::{
    admin_token, base_url, create_account, error_code, http, link_for_new_account, post_json, unique_email,
    wait_for_mail, worker_log,
};
use serde_json::json;

const PASSWORD: &str = "Otter-Harbor-93-Violet";
const NEW: &str = "Quartz-Vivid-Meadow-77";

async fn logged_in(email: &str) -> Client {
    create_account(email, None, "staff", PASSWORD).await;
    let mut client = Client::new(&base_url());
    let (status, body) = client.login(email, "staff", PASSWORD, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["two_step"]["enabled"], false);
    client
}

#[tokio::test]
async fn turning_it_on_logging_in_with_codes_and_turning_it_off() {
    let email = unique_email("twostep", "");
    let mut client = logged_in(&email).await;

    let (status, setup) = client.post("/api/two-step/setup", json!({})).await;
    assert_eq!(status, 200, "{setup}");
    let uri = setup["otpauth_uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/latchkey:twostep-"), "{uri}");
    assert!(uri.contains("%40school.test?secret=") && uri.contains("&issuer=latchkey"), "{uri}");
    assert!(setup["qr_svg"].as_str().unwrap().starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    // The key shown for typing by hand is the one in the QR code.
    let app = Authenticator::from_uri(uri);
    let typed = Authenticator::from_secret(setup["secret"].as_str().unwrap());
    assert_eq!(typed.code_at_step(42), app.code_at_step(42));

    // Not on until a code confirms it.
    let (status, body) = client.post("/api/two-step/confirm", json!({"code": app.wrong_code()})).await;
    assert_eq!((status, error_code(&body)), (401, "two_step_code_invalid"));
    assert_eq!(client.get("/api/two-step").await.1["enabled"], false);
    let (status, body) = client.post("/api/two-step/confirm", json!({"code": app.fresh_code().await})).await;
    assert_eq!(status, 200, "{body}");
    let recovery: Vec<String> =
        body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    assert_eq!(recovery.len(), 10);
    assert!(recovery.iter().all(|c| c.len() == 19 && c.matches('-').count() == 3), "{recovery:?}");
    let (status, body) = client.get("/api/two-step").await;
    assert_eq!((status, &body["enabled"], &body["recovery_codes_left"]), (200, &json!(true), &json!(10)));
    let (status, body) = client.post("/api/two-step/setup", json!({})).await;
    assert_eq!((status, error_code(&body)), (409, "two_step_already_on"));

    // Logging in now takes the password, then a code.
    client.log_out_locally();
    let (status, body) = client.login(&email, "staff", "Wrong-Password-11!", Some(&app.code_now())).await;
    assert_eq!((status, error_code(&body)), (401, "invalid_credentials"), "the password is checked first");
    let (status, body) = client.login(&email, "staff", PASSWORD, None).await;
    assert_eq!((status, error_code(&body)), (401, "two_step_required"));
    let code = app.fresh_code().await;
    let (status, body) = client.login(&email, "staff", PASSWORD, Some(&code)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["two_step"]["enabled"], true);
    let (status, body) = Client::new(&base_url()).login(&email, "staff", PASSWORD, Some(&code)).await;
    assert_eq!((status, error_code(&body)), (401, "two_step_code_invalid"), "a code works once");

    // A recovery code, typed loosely, works once.
    let loose = recovery[0].to_lowercase().replace('-', " ");
    assert_eq!(Client::new(&base_url()).login(&email, "staff", PASSWORD, Some(&loose)).await.0, 200);
    let (status, body) = Client::new(&base_url()).login(&email, "staff", PASSWORD, Some(&recovery[0])).await;
    assert_eq!((status, error_code(&body)), (401, "two_step_code_invalid"));
    assert_eq!(client.get("/api/two-step").await.1["recovery_codes_left"], 9);

    // New recovery codes replace the old ones, confirmed by a code.
    let (status, body) = client.post("/api/two-step/recovery-codes", json!({"code": app.wrong_code()})).await;
    assert_eq!((status, error_code(&body)), (401, "two_step_code_invalid"));
    let (status, body) = client.post("/api/two-step/recovery-codes", json!({"code": app.fresh_code().await})).await;
    assert_eq!(status, 200, "{body}");
    let fresh: Vec<String> =
        body["recovery_codes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    assert!(fresh.iter().all(|c| !recovery.contains(c)));
    let (status, _) = Client::new(&base_url()).login(&email, "staff", PASSWORD, Some(&recovery[1])).await;
    assert_eq!(status, 401, "the old codes stopped working");

    // Off, confirmed by a recovery code (the phone is gone): the password alone works again.
    let (status, body) = client.post("/api/two-step/disable", json!({"code": fresh[0]})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((&body["enabled"], &body["recovery_codes_left"]), (&json!(false), &json!(0)));
    let (status, body) = client.post("/api/two-step/disable", json!({"code": app.code_now()})).await;
    assert_eq!((status, error_code(&body)), (409, "two_step_off"));
    assert_eq!(Client::new(&base_url()).login(&email, "staff", PASSWORD, None).await.0, 200);

    // Each change was mailed to the account's addresses.
    let mut subjects: Vec<String> = wait_for_mail(&email, 3).await.into_iter().map(|m| m.subject).collect();
    subjects.sort();
    assert_eq!(
        subjects,
        ["2-Step Verification was turned off", "2-Step Verification was turned on", "New recovery codes were made"]
    );

    // The secret and the recovery codes never reach the log.
    let log = worker_log();
    let secret = setup["secret"].as_str().unwrap();
    for shown in recovery.iter().chain(&fresh).map(String::as_str).chain([secret, uri]) {
        assert!(!log.contains(shown), "the log holds a secret");
    }
    assert!(log.contains("\"event\":\"two_step_changed\""), "the changes are on the audit trail");
}

/// `POST /api/admin/accounts/two-step-off` with the admin token (or none); the status and the answer.
async fn admin_two_step_off(email: &str, token: Option<&str>) -> (u16, serde_json::Value) {
    let request = http().post(format!("{}/api/admin/accounts/two-step-off", base_url()));
    let request = match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    };
    let response = request.json(&json!({"login_email": email, "audience": "staff"})).send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or_default())
}

#[tokio::test]
async fn the_admin_turns_it_off_for_someone_who_lost_the_phone_and_the_codes() {
    let email = unique_email("twostep-lost", "");
    let client = logged_in(&email).await;
    client.enrol().await;
    assert_eq!(admin_two_step_off(&email, None).await.0, 401);
    let (status, view) = admin_two_step_off(&email, Some(&admin_token())).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!((&view["two_step_enabled"], &view["active_sessions"]), (&json!(false), &json!(0)));
    assert_eq!(client.get("/api/two-step").await.0, 401, "logged out everywhere");
    assert_eq!(Client::new(&base_url()).login(&email, "staff", PASSWORD, None).await.0, 200, "the password alone");
    let (status, body) = admin_two_step_off(&email, Some(&admin_token())).await;
    assert_eq!((status, error_code(&body)), (409, "two_step_off"));
    let (status, body) = admin_two_step_off(&unique_email("twostep-nobody", ""), Some(&admin_token())).await;
    assert_eq!((status, error_code(&body)), (404, "not_found"));
    let notices = wait_for_mail(&email, 2).await;
    let off = notices.iter().find(|m| m.subject == "2-Step Verification was turned off").expect("the notice");
    assert!(off.text.contains("Your administrator turned off"), "{}", off.text);
}

#[tokio::test]
async fn the_settings_need_a_session_and_a_well_formed_code() {
    let client = Client::new(&base_url());
    for path in
        ["/api/two-step/setup", "/api/two-step/confirm", "/api/two-step/recovery-codes", "/api/two-step/disable"]
    {
        let (status, body) = client.post(path, json!({"code": "123456"})).await;
        assert_eq!((status, error_code(&body)), (401, "unauthorized"), "{path}");
    }
    assert_eq!(client.get("/api/two-step").await.0, 401);

    let client = logged_in(&unique_email("twostep-input", "")).await;
    let (status, body) = client.post("/api/two-step/confirm", json!({"code": "123456"})).await;
    assert_eq!((status, error_code(&body)), (409, "two_step_no_setup"), "a first code before any setup");
    client.post("/api/two-step/setup", json!({})).await;
    for (body, expected) in [
        (json!({"code": 123456}), "invalid_request"),
        (json!({"code": "123456", "secret": "x"}), "invalid_request"),
        (json!({}), "invalid_request"),
        (json!({"code": "１２３４５６"}), "two_step_code_invalid"),
        (json!({"code": "9".repeat(5000)}), "two_step_code_invalid"),
    ] {
        let (status, answer) = client.post("/api/two-step/confirm", body.clone()).await;
        assert_eq!(error_code(&answer), expected, "{body}: {status} {answer}");
    }
}

#[tokio::test]
async fn wrong_codes_are_throttled_for_the_account() {
    let email = unique_email("twostep-guess", "");
    let client = logged_in(&email).await;
    let (app, recovery) = client.enrol().await;
    for _ in 0..5 {
        let (status, body) = Client::new(&base_url()).login(&email, "staff", PASSWORD, Some(&app.wrong_code())).await;
        assert_eq!((status, error_code(&body)), (401, "two_step_code_invalid"));
    }
    // Then not even the right code, or a recovery code, gets in until the window passes.
    let (status, body) = Client::new(&base_url()).login(&email, "staff", PASSWORD, Some(&app.fresh_code().await)).await;
    assert_eq!((status, error_code(&body)), (429, "rate_limited"));
    let (status, _) = Client::new(&base_url()).login(&email, "staff", PASSWORD, Some(&recovery[0])).await;
    assert_eq!(status, 429);
    let (status, _) = client.post("/api/two-step/disable", json!({"code": app.fresh_code().await})).await;
    assert_eq!(status, 429, "the settings share the count");
}

async fn reset(token: &str, code: Option<&str>) -> (u16, serde_json::Value) {
    post_json("/api/resets", &json!({"token": token, "password": NEW, "confirm": NEW, "code": code})).await
}

#[tokio::test]
async fn a_reset_asks_for_a_code_and_only_a_working_link_learns_it() {
    let email = unique_email("twostep-reset", "");
    let token = link_for_new_account(&email, "parent", PASSWORD).await;
    let mut client = Client::new(&base_url());
    assert_eq!(client.login(&email, "parent", PASSWORD, None).await.0, 200);
    let (app, recovery) = client.enrol().await;

    let (_, verify) = post_json("/api/resets/verify", &json!({"token": token})).await;
    assert_eq!((&verify["status"], &verify["two_step"]), (&json!("ok"), &json!(true)));
    let (_, unknown) = post_json("/api/resets/verify", &json!({"token": "A".repeat(43)})).await;
    assert_eq!((&unknown["status"], &unknown["two_step"]), (&json!("invalid"), &json!(false)));

    let (status, body) = reset(&token, None).await;
    assert_eq!((status, error_code(&body)), (401, "two_step_required"), "a mailbox alone cannot change the password");
    let (status, body) = reset(&token, Some(&app.wrong_code())).await;
    assert_eq!((status, error_code(&body)), (401, "two_step_code_invalid"));
    let (status, body) = reset(&token, Some(&recovery[2])).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = reset(&token, Some(&recovery[3])).await;
    assert_eq!((status, error_code(&body)), (410, "token_used"), "a used link says so, before any code");

    // Still enrolled after the reset, with one recovery code fewer.
    let mut client = Client::new(&base_url());
    let (status, body) = client.login(&email, "parent", NEW, Some(&app.fresh_code().await)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["two_step"]["recovery_codes_left"], 9);
}

/// A Worker whose admin requires 2-Step Verification of staff at once and of parents within 30 days, under the
/// `nist-800-63b` policy (8 characters with 2-Step Verification, 15 without). A Worker of its own: on the shared one
/// the requirement would reach every other test's logins.
#[tokio::test]
async fn a_required_setup_with_a_grace_period_and_the_policy_that_follows_enrolment() {
    let worker = Worker::start("two-step-required", &[("POLICY", "nist-800-63b")]).await;
    let admin = |method| latchkey_e2e::http().request(method, worker.url("/api/admin/two-step-requirement"));
    let (status, body) = worker.client().require_two_step(&json!({"staff": 400})).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "{body}");
    let (status, body) = worker.client().require_two_step(&json!({"staff": 0, "pupil": 3})).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "{body}");
    assert_eq!(admin(reqwest::Method::PUT).json(&json!({"staff": 0})).send().await.unwrap().status(), 401);
    let (status, body) = worker.client().require_two_step(&json!({"staff": 0, "parent": 30})).await;
    assert_eq!((status, &body), (200, &json!({"staff": 0, "parent": 30})));
    let answer = admin(reqwest::Method::GET).bearer_auth(latchkey_e2e::admin_token()).send().await.unwrap();
    assert_eq!(answer.json::<serde_json::Value>().await.unwrap(), json!({"staff": 0, "parent": 30}));

    let parent = unique_email("required-parent", "");
    assert_eq!(worker.create_account_for("parent", &parent, PASSWORD).await, 201);
    let mut client = Client::new(&worker.url(""));
    let (status, body) = client.login(&parent, "parent", PASSWORD, None).await;
    assert_eq!(status, 200, "{body}");
    let now = latchkey_e2e::now_secs();
    let enroll_by = body["two_step"]["enroll_by"].as_u64().expect("a deadline");
    assert!((now + 30 * 86_400 - 60..=now + 30 * 86_400 + 60).contains(&enroll_by), "{body}");
    assert_eq!(body["two_step"]["setup_required"], false);
    assert_eq!(client.get("/api/session").await.0, 200, "within the grace period");

    let staff = unique_email("required-staff", "");
    assert_eq!(worker.create_account_for("staff", &staff, PASSWORD).await, 201);
    let mut client = Client::new(&worker.url(""));
    let (status, body) = client.login(&staff, "staff", PASSWORD, None).await;
    assert_eq!((status, &body["two_step"]["setup_required"]), (200, &json!(true)), "{body}");
    let (status, body) = client.get("/api/session").await;
    assert_eq!((status, error_code(&body)), (403, "two_step_setup_required"), "good only for the setup");
    let (app, _) = client.enrol().await;
    assert_eq!(client.get("/api/session").await.0, 200);

    // Enrolled, the policy's 8-character minimum applies; without, 15.
    assert_eq!(worker.create_account(&unique_email("required-plain", ""), PASSWORD).await, 201);
    let short = "vQx7mzRpe2";
    let (status, body) = worker.post("/api/reset-requests", json!({"email": staff, "audience": "staff"})).await;
    assert_eq!(status, 202, "{body}");
    // The notice that 2-Step Verification was turned on, and the link.
    let mails = wait_for_mail(&staff, 2).await;
    let token = latchkey_e2e::token_in(mails.iter().find(|m| m.text.contains("/reset#t=")).expect("the link"));
    let code = app.fresh_code().await;
    let (status, body) =
        worker.post("/api/resets", json!({"token": token, "password": short, "confirm": short, "code": code})).await;
    assert_eq!(status, 200, "{body}");

    // Turned off, the 8 characters it allowed no longer do: the right password opens a session good only for a new
    // one.
    let mut client = Client::new(&worker.url(""));
    let (status, body) = client.login(&staff, "staff", short, Some(&app.fresh_code().await)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = client.post("/api/two-step/disable", &json!({"code": app.fresh_code().await})).await;
    assert_eq!(status, 200, "{body}");
    let mut again = Client::new(&worker.url(""));
    let (status, body) = again.login(&staff, "staff", short, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["password_change"], json!({"reason": "policy", "due": true}));
    let (status, body) = again.get("/api/session").await;
    assert_eq!((status, error_code(&body)), (403, "password_change_required"), "{body}");
    let new = "Quartz-Vivid-Meadow-77";
    let change = json!({"current_password": short, "password": new, "confirm": new});
    let (status, body) = again.post("/api/password", &change).await;
    assert_eq!(status, 200, "{body}");
    // No longer owing a password, the session is what this Worker's 2-Step Verification requirement makes it.
    let (status, body) = again.get("/api/session").await;
    assert_eq!((status, error_code(&body)), (403, "two_step_setup_required"), "{body}");
    let (status, body) = Client::new(&worker.url("")).login(&staff, "staff", "Wrong-Guess-Password-5", None).await;
    assert_eq!((status, error_code(&body)), (401, "invalid_credentials"), "only the right password learns it");

    let plain = unique_email("required-short", "");
    let token = worker.link_for_new_account(&plain, PASSWORD).await;
    let (status, body) = worker.post("/api/resets", json!({"token": token, "password": short, "confirm": short})).await;
    assert_eq!((status, error_code(&body)), (422, "password_rejected"));
    assert!(body["error"]["unmet"].to_string().contains("rule.min_length"), "{body}");
}

#[tokio::test]
async fn the_pages_get_their_texts_in_either_language() {
    let client = Client::new(&base_url());
    let (status, body) = client.get("/api/messages?locale=es").await;
    assert_eq!(status, 200);
    assert_eq!(body["locale"], "es");
    assert_eq!(body["messages"]["page.two_step.title"], "Verificación en 2 pasos");
    let response = latchkey_e2e::http()
        .get(format!("{}/api/messages", base_url()))
        .header("Accept-Language", "es-MX,es;q=0.9")
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["messages"]["error.two_step_required"].as_str().unwrap().split(' ').next(), Some("Escribe"));
    let (_, body) = client.get("/api/messages?locale=fr").await;
    assert_eq!(body["messages"]["page.two_step.title"], "2-Step Verification", "unknown: English");
}
