//! The console's API: staff use the admin API with their session — a role that covers the route and 2-Step
//! Verification on, from this site's own pages — and every change names them in the account's history.

use latchkey_e2e::console::{set_roles, staff};
use latchkey_e2e::{error_code, http, unique_email, url, wait_for_mail};
use serde_json::{json, Value};

const PASSWORD: &str = "Otter-Harbor-93-Violet";

/// Every route behind the admin or helpdesk guard, from the table the Worker serves.
async fn console_routes() -> Vec<(String, String, String)> {
    let listing: Value = http().get(url("/dev/routes")).send().await.unwrap().json().await.unwrap();
    listing
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap().to_owned(),
                r["path"].as_str().unwrap().to_owned(),
                r["guard"].as_str().unwrap().to_owned(),
            )
        })
        .filter(|(_, _, guard)| ["admin", "admin_change", "helpdesk", "helpdesk_change"].contains(&guard.as_str()))
        .collect()
}

async fn call(cookie: &str, method: &str, path: &str, origin: Option<&str>) -> (u16, Value) {
    let method: reqwest::Method = method.parse().unwrap();
    let mut request = http().request(method.clone(), url(path)).header("Cookie", cookie);
    if method != reqwest::Method::GET {
        request = request.json(&json!({}));
    }
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_normal_account_gets_403_everywhere_and_a_role_without_two_step_is_not_enough() {
    let plain = staff("plain", &[], true).await;
    let no_two_step = staff("unverified", &["admin"], false).await;
    let routes = console_routes().await;
    assert!(routes.len() >= 20, "the whole admin API: {routes:?}");
    for (method, path, _) in &routes {
        let (status, body) = call(plain.client.cookie().unwrap(), method, path, None).await;
        assert_eq!((status, error_code(&body)), (403, "forbidden"), "{method} {path}: {body}");
        let (status, body) = call(no_two_step.client.cookie().unwrap(), method, path, None).await;
        assert_eq!((status, error_code(&body)), (403, "two_step_setup_required"), "{method} {path}: {body}");
    }
    // A parent account can hold no role at all.
    let parent = unique_email("parent-role", "");
    plain.client.create_account_with("parent", &parent, PASSWORD).await;
    let (status, body) = set_roles(&plain.client, &parent, "parent", &["helpdesk"]).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "{body}");
}

#[tokio::test]
async fn a_console_session_is_refused_from_another_site() {
    let desk = staff("csrf", &["admin"], true).await;
    let cookie = desk.client.cookie().unwrap();
    for (method, path) in [("POST", "/api/admin/accounts/disable"), ("PUT", "/api/admin/accounts/roles")] {
        let (status, body) = call(cookie, method, path, Some("https://evil.example")).await;
        assert_eq!((status, error_code(&body)), (403, "cross_site"), "{method} {path}");
    }
    let (status, me) = call(cookie, "GET", "/api/admin/me", Some(&url(""))).await;
    assert_eq!(status, 200, "from the site itself: {me}");
    assert_eq!(me["actor"]["name"], desk.name.as_str());
    assert_eq!(me["roles"], json!(["admin"]));
}

#[tokio::test]
async fn the_helpdesk_finds_a_person_acts_and_is_named_but_cannot_grant_roles_or_change_settings() {
    let desk = staff("desk", &["helpdesk"], true).await;
    let login_email = unique_email("ana-login", "");
    let contact = unique_email("ana-home", "");
    let name = format!("Ana María Pérez {}", latchkey_e2e::unique_word());
    let ana = json!({"login_email": login_email, "contact_email": contact, "audience": "parent", "display_name": name, "password": PASSWORD});
    let (status, _) = desk.client.admin(reqwest::Method::POST, "/api/admin/accounts", Some(&ana)).await;
    assert_eq!(status, 201);

    // Found by her contact email, her login email beside it.
    let (status, found) = desk.client.get(&format!("/api/admin/accounts?email={contact}")).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["accounts"][0]["login_email"], login_email.as_str());
    // The lookup is on the audit trail: who looked, and at whom (by pseudonym; never what was typed).
    let (desk_pseudonym, ana_pseudonym) =
        (view_pseudonym(&desk).await, found["accounts"][0]["pseudonym"].as_str().unwrap().to_owned());
    latchkey_e2e::eventually("the lookup's audit line", std::time::Duration::from_secs(10), || async {
        latchkey_e2e::worker_log()
            .lines()
            .any(|l| {
                l.contains("\"accounts_looked_up\"")
                    && l.contains(&desk_pseudonym)
                    && l.contains(&ana_pseudonym)
                    && !l.contains(&contact)
            })
            .then_some(())
    })
    .await;
    // And by words of her name, accents aside (the registry may take a moment).
    let words = name.replace("Ana María Pérez", "maria PEREZ");
    let by_name = latchkey_e2e::eventually("the registry to list Ana", std::time::Duration::from_secs(20), || async {
        let (_, found) = desk.client.get(&format!("/api/admin/accounts?name={}", urlencode(&words))).await;
        (found["accounts"].as_array()?.len() == 1).then_some(found)
    })
    .await;
    assert_eq!(by_name["accounts"][0]["contact_email"], contact.as_str());

    // Her school's mail system refuses a mail to her contact email: her history says so, once for a repeated event.
    let bounce = latchkey_e2e::mail_events::event(
        "resend-email.bounced",
        &contact,
        latchkey_e2e::now_secs(),
        latchkey_e2e::unique(),
    );
    let message = format!("msg_{}", latchkey_e2e::unique());
    for _ in 0..2 {
        let mut request =
            http().post(url("/api/mail-events")).header("Content-Type", "application/json").body(bounce.clone());
        let at = latchkey_e2e::now_secs();
        for (name, value) in
            latchkey_e2e::mail_events::svix_headers(latchkey_e2e::mail_events::RESEND_SECRET, &message, at, &bounce)
        {
            request = request.header(name, value);
        }
        assert_eq!(request.send().await.unwrap().status(), 200);
    }
    let (_, found) = desk.client.get(&format!("/api/admin/accounts?email={login_email}")).await;
    let bounced =
        found["accounts"][0]["history"].as_array().unwrap().iter().filter(|e| e["event"] == "mail_bounced").count();
    assert_eq!(bounced, 1, "{found}");

    let target = json!({"login_email": login_email, "audience": "parent"});
    let (status, sent) = desk.client.post("/api/admin/accounts/reset-link", &target).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["reset_link"]["status"], "ok");
    assert_eq!(sent["may_act"], true, "the answer says what the desk may do next, as a search does: {sent}");
    let mails = wait_for_mail(&login_email, 1).await;
    assert!(mails[0].text.contains("/reset"), "the link went to the login email");
    let entry = &sent["history"][0];
    assert_eq!(
        (entry["event"].as_str(), entry["by"]["name"].as_str()),
        (Some("reset_link_sent"), Some(desk.name.as_str()))
    );

    for (path, event) in [("disable", "disabled"), ("enable", "enabled"), ("end-sessions", "sessions_ended")] {
        let (status, view) = desk.client.post(&format!("/api/admin/accounts/{path}"), &target).await;
        assert_eq!(status, 200, "{path}: {view}");
        assert_eq!(view["may_act"], true, "{path}: {view}");
        assert_eq!(view["history"][0]["event"], event);
        assert_eq!(view["history"][0]["by"]["kind"], "staff");
    }

    let (status, body) = set_roles(&desk.client, &desk.email, "staff", &["admin"]).await;
    assert_eq!(status, 200, "the bearer token may: {body}");
    set_roles(&desk.client, &desk.email, "staff", &["helpdesk"]).await;
    let (status, body) = desk
        .client
        .put("/api/admin/accounts/roles", json!({"login_email": desk.email, "audience": "staff", "roles": ["admin"]}))
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "forbidden"),
        "a helpdesk user cannot grant roles, not even to themselves"
    );
    let (status, body) = desk.client.put("/api/admin/two-step-requirement", json!({"staff": 0})).await;
    assert_eq!((status, error_code(&body)), (403, "forbidden"), "nor change the settings");
    let (status, _) = desk.client.get("/api/admin/dead-letters").await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn turning_two_step_off_needs_every_identity_check_ticked() {
    let desk = staff("checks", &["helpdesk"], true).await;
    let mut person = latchkey_e2e::client::Client::shared();
    let email = unique_email("lost-phone", "");
    person.create_account_with("staff", &email, PASSWORD).await;
    person.login(&email, "staff", PASSWORD, None).await;
    person.enrol().await;

    let (status, checks) = desk.client.get("/api/admin/identity-checks").await;
    assert_eq!(status, 200);
    let ids: Vec<String> =
        checks["checks"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 3, "the default list: {checks}");
    let off = |ticked: &[String]| json!({"login_email": email, "audience": "staff", "checks": ticked});
    let (status, body) = desk.client.post("/api/admin/accounts/two-step-off", off(&ids[..2])).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "{body}");
    assert!(body["error"]["detail"].as_str().unwrap_or_default().contains('3'), "names the check left: {body}");
    let (status, view) = desk.client.post("/api/admin/accounts/two-step-off", off(&ids)).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!((view["two_step_enabled"].as_bool(), view["active_sessions"].as_u64()), (Some(false), Some(0)));
    assert_eq!(view["history"][0]["event"], "two_step_disabled_by_staff");
    assert_eq!(view["history"][0]["by"]["name"], desk.name.as_str());
    assert!(
        latchkey_e2e::worker_log().contains(&format!("\"by\":\"{}\"", view_pseudonym(&desk).await)),
        "the audit line names the actor"
    );
}

#[tokio::test]
async fn an_admin_grants_roles_from_the_console_and_the_history_says_who() {
    let admin = staff("admin", &["admin"], true).await;
    let colleague = unique_email("colleague", "");
    admin.client.create_account_with("staff", &colleague, PASSWORD).await;
    let roles = json!({"login_email": colleague, "audience": "staff", "roles": ["helpdesk"]});
    let (status, view) = admin.client.put("/api/admin/accounts/roles", &roles).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["roles"], json!(["helpdesk"]));
    assert_eq!(
        (view["history"][0]["event"].as_str(), view["history"][0]["detail"].as_str()),
        (Some("roles_changed"), Some("helpdesk"))
    );
    let (status, body) = admin.client.put("/api/admin/two-step-requirement", json!({})).await;
    assert_eq!(status, 200, "an admin runs the settings: {body}");
    let mut logged = latchkey_e2e::client::Client::shared();
    logged.login(&colleague, "staff", PASSWORD, None).await;
    let (status, body) = logged.get("/api/admin/me").await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "two_step_setup_required"),
        "the role alone does not open the console"
    );
}

/// The staff member's audit pseudonym, as the console says it.
async fn view_pseudonym(staff: &latchkey_e2e::console::Staff) -> String {
    let (_, me) = staff.client.get("/api/admin/me").await;
    me["actor"]["pseudonym"].as_str().unwrap().to_owned()
}

fn urlencode(text: &str) -> String {
    ::url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The token in a mailed link to `page` (`/confirm-email#t=…`, `/cancel-email#t=…`).
fn link_token(mail: &latchkey_e2e::fake_mail::Delivery, page: &str) -> String {
    let marker = format!("/{page}#t=");
    let start = mail.text.find(&marker).unwrap_or_else(|| panic!("a {page} link: {}", mail.text)) + marker.len();
    mail.text[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// The identity checks the school defined, every one ticked.
async fn every_check(desk: &latchkey_e2e::console::Staff) -> Vec<String> {
    let (status, checks) = desk.client.get("/api/admin/identity-checks").await;
    assert_eq!(status, 200, "{checks}");
    checks["checks"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_owned()).collect()
}

/// The mail to `address` whose text links to `page`, once it has come.
async fn mail_linking(address: &str, page: &str) -> latchkey_e2e::fake_mail::Delivery {
    latchkey_e2e::eventually(
        &format!("a mail to {address} linking to /{page}"),
        std::time::Duration::from_secs(20),
        || async {
            latchkey_e2e::fake_mail::deliveries_to(address)
                .into_iter()
                .find(|m| m.text.contains(&format!("/{page}#t=")))
        },
    )
    .await
}

#[tokio::test]
async fn a_login_email_change_is_told_to_the_owner_and_takes_effect_only_after_confirmation_and_the_delay() {
    let desk = staff("move", &["helpdesk"], true).await;
    let (old, new, contact) = (unique_email("lost-box", ""), unique_email("new-box", ""), unique_email("home", ""));
    let mut person = latchkey_e2e::client::Client::shared();
    person.create_account_contact("parent", &old, Some(&contact), PASSWORD).await;
    person.login(&old, "parent", PASSWORD, None).await;

    let taken = unique_email("taken", "");
    person.create_account_with("parent", &taken, PASSWORD).await;
    let checks = every_check(&desk).await;
    let change = |to: &str, checks: &[String]| json!({"login_email": old, "audience": "parent", "new_login_email": to, "checks": checks});
    let (status, body) = desk.client.post("/api/admin/accounts/login-email", change(&taken, &checks)).await;
    assert_eq!((status, error_code(&body)), (409, "account_exists"), "{body}");
    let (status, body) = desk.client.post("/api/admin/accounts/login-email", change(&old, &checks)).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "{body}");
    // As for turning 2-Step Verification off: every identity check, or no change at all.
    let (status, body) = desk.client.post("/api/admin/accounts/login-email", change(&new, &checks[..1])).await;
    assert_eq!((status, error_code(&body)), (422, "invalid_request"), "{body}");
    latchkey_e2e::no_mail_to(&new, "refused: nothing to the new address").await;
    latchkey_e2e::no_mail_to(&old, "refused: nothing to the old one").await;

    let (status, view) = desk.client.post("/api/admin/accounts/login-email", change(&new, &checks)).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["history"][0]["event"], "login_email_change_requested");
    assert_eq!(
        (view["pending_login_email"]["new_login_email"].as_str(), view["pending_login_email"]["confirmed"].as_bool()),
        (Some(new.as_str()), Some(false))
    );
    // The owner hears at once, at the old address and the contact email, with a way to stop it.
    for address in [&old, &contact] {
        let notice = mail_linking(address, "cancel-email").await;
        assert!(notice.text.contains(&new), "the notice names the new address: {}", notice.text);
    }
    let token = link_token(&mail_linking(&new, "confirm-email").await, "confirm-email");

    let (status, body) = person.post("/api/login-email-changes", json!({"token": "not-a-token"})).await;
    assert_eq!((status, error_code(&body)), (400, "token_invalid"));
    let (status, done) = person.post("/api/login-email-changes", json!({"token": token})).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["login_email"], new.as_str());
    let effective_at = done["effective_at"].as_u64().expect("the delay is still running");
    assert!(effective_at > latchkey_e2e::now_secs(), "{done}");
    // Confirmed, but the owner still has time to stop it: nothing has changed yet.
    assert_eq!(latchkey_e2e::session_status(person.cookie().unwrap()).await, 200);
    assert!(latchkey_e2e::login(&old, "parent", PASSWORD).await.is_ok());
    assert_eq!(latchkey_e2e::login(&new, "parent", PASSWORD).await.unwrap_err().1, "invalid_credentials");
    // A reset link mailed to the old address meanwhile works now, and must not outlive the move.
    assert_eq!(latchkey_e2e::request_reset(&old, "parent").await.0, 202);
    let reset = link_token(&mail_linking(&old, "reset").await, "reset");
    let (_, verified) = person.post("/api/resets/verify", json!({"token": reset})).await;
    assert_eq!(verified["status"], "ok", "{verified}");

    // Then the account moves by itself.
    latchkey_e2e::until_a_login_email_change_takes_effect(|| async {
        latchkey_e2e::login(&new, "parent", PASSWORD).await.ok()
    })
    .await;
    assert!(latchkey_e2e::now_secs() >= effective_at, "not before the delay");
    assert_eq!(latchkey_e2e::session_status(person.cookie().unwrap()).await, 401, "every session ended");
    assert_eq!(latchkey_e2e::login(&old, "parent", PASSWORD).await.unwrap_err().1, "invalid_credentials");
    let (status, body) = person.post("/api/login-email-changes", json!({"token": token})).await;
    assert_eq!((status, error_code(&body)), (400, "token_invalid"), "spent: {body}");
    let (_, verified) = person.post("/api/resets/verify", json!({"token": reset})).await;
    assert_ne!(verified["status"], "ok", "the old address's reset link died with the move: {verified}");
    let (status, body) = person
        .post(
            "/api/resets",
            json!({"token": reset, "password": "Fresh-Meadow-58-Quartz", "confirm": "Fresh-Meadow-58-Quartz"}),
        )
        .await;
    assert_eq!(status / 100, 4, "{body}");
    assert!(latchkey_e2e::login(&new, "parent", PASSWORD).await.is_ok(), "the password is still hers");
    latchkey_e2e::eventually("the old address to be told", std::time::Duration::from_secs(20), || async {
        latchkey_e2e::fake_mail::deliveries_to(&old)
            .iter()
            .any(|m| m.subject.contains("login email was changed"))
            .then_some(())
    })
    .await;

    let (_, found) = desk.client.get(&format!("/api/admin/accounts?email={contact}")).await;
    let accounts = found["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 1, "found by the contact email, once: {found}");
    assert_eq!(accounts[0]["login_email"], new.as_str());
    let events: Vec<&str> =
        accounts[0]["history"].as_array().unwrap().iter().filter_map(|e| e["event"].as_str()).collect();
    assert!(
        events.contains(&"login_email_changed") && events.contains(&"login_email_change_confirmed"),
        "the history moved with it: {events:?}"
    );
    let (_, by_old) = desk.client.get(&format!("/api/admin/accounts?email={old}")).await;
    assert_eq!(by_old["accounts"].as_array().map(Vec::len), Some(0), "the old email finds nothing: {by_old}");
}

#[tokio::test]
async fn the_owner_cancels_a_login_email_change_from_the_old_address() {
    let desk = staff("stopped", &["helpdesk"], true).await;
    let (old, new) = (unique_email("kept-box", ""), unique_email("thief-box", ""));
    let person = latchkey_e2e::client::Client::shared();
    person.create_account_with("parent", &old, PASSWORD).await;
    let change =
        json!({"login_email": old, "audience": "parent", "new_login_email": new, "checks": every_check(&desk).await});
    let (status, view) = desk.client.post("/api/admin/accounts/login-email", change).await;
    assert_eq!(status, 200, "{view}");
    let cancel = link_token(&mail_linking(&old, "cancel-email").await, "cancel-email");
    let confirm = link_token(&mail_linking(&new, "confirm-email").await, "confirm-email");
    // Whoever holds the new address confirms first; the owner still stops it.
    let (status, _) = person.post("/api/login-email-changes", json!({"token": confirm})).await;
    assert_eq!(status, 200);
    let (status, body) = person.post("/api/login-email-changes/cancel", json!({"token": confirm})).await;
    assert_eq!((status, error_code(&body)), (400, "token_invalid"), "the new address's link cancels nothing");
    let (status, kept) = person.post("/api/login-email-changes/cancel", json!({"token": cancel})).await;
    assert_eq!((status, kept["login_email"].as_str()), (200, Some(old.as_str())), "{kept}");
    let (status, body) = person.post("/api/login-email-changes/cancel", json!({"token": cancel})).await;
    assert_eq!((status, error_code(&body)), (400, "token_invalid"), "once: {body}");
    let (status, body) = person.post("/api/login-email-changes", json!({"token": confirm})).await;
    assert_eq!((status, error_code(&body)), (400, "token_invalid"), "the confirmation is dead too: {body}");
    tokio::time::sleep(std::time::Duration::from_secs(latchkey_e2e::LOGIN_EMAIL_CHANGE_DELAY_SECS + 2)).await;
    assert!(latchkey_e2e::login(&old, "parent", PASSWORD).await.is_ok(), "past the delay: still the old address");
    assert_eq!(latchkey_e2e::login(&new, "parent", PASSWORD).await.unwrap_err().1, "invalid_credentials");
    let (_, found) = desk.client.get(&format!("/api/admin/accounts?email={old}")).await;
    let history = found["accounts"][0]["history"].as_array().unwrap();
    assert!(
        history.iter().any(|e| e["event"] == "login_email_change_cancelled" && e["detail"] == "by_owner"),
        "{found}"
    );
    assert!(found["accounts"][0].get("pending_login_email").is_none(), "{found}");
}

#[tokio::test]
async fn from_a_helpdesk_session_every_action_on_a_role_holder_is_refused_and_nobody_climbs() {
    let desk = staff("below", &["helpdesk"], true).await;
    let peer = staff("peer", &["helpdesk"], true).await;
    let admin = staff("above", &["admin"], true).await;
    let other_admin = staff("above-too", &["admin"], true).await;
    let checks = every_check(&desk).await;
    // Every change the console can ask of an account, as the desk would send it.
    let actions = |email: &str| -> Vec<(&'static str, Value)> {
        let target = json!({"login_email": email, "audience": "staff"});
        let with = |extra: Value| {
            let mut body = target.clone();
            body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            body
        };
        vec![
            ("/api/admin/accounts/disable", target.clone()),
            ("/api/admin/accounts/enable", target.clone()),
            ("/api/admin/accounts/end-sessions", target.clone()),
            ("/api/admin/accounts/reset-link", target.clone()),
            ("/api/admin/accounts/require-password-change", with(json!({"announce": true}))),
            ("/api/admin/accounts/two-step-off", with(json!({"checks": checks}))),
            (
                "/api/admin/accounts/login-email",
                with(json!({"new_login_email": unique_email("takeover", ""), "checks": checks})),
            ),
        ]
    };
    for (who, target) in [("an admin", &admin), ("a peer", &peer), ("itself", &desk)] {
        for (path, body) in actions(&target.email) {
            let (status, answer) = desk.client.post(path, &body).await;
            assert_eq!(
                (status, error_code(&answer)),
                (403, "account_protected"),
                "the helpdesk on {who}: {path}: {answer}"
            );
        }
        let roles = json!({"login_email": target.email, "audience": "staff", "roles": ["admin"]});
        let (status, answer) = desk.client.put("/api/admin/accounts/roles", &roles).await;
        assert_eq!((status, error_code(&answer)), (403, "forbidden"), "roles are the admin's: {answer}");
        // Shown, but marked: the console offers no action on it.
        let (_, found) = desk.client.get(&format!("/api/admin/accounts?email={}", target.email)).await;
        assert_eq!(found["accounts"][0]["may_act"], false, "{who}: {found}");
    }
    // Nothing reached anyone: no link, no notice, no change.
    latchkey_e2e::watch_for_strays().await;
    for target in [&admin, &peer, &desk] {
        // Only the notice that 2-Step Verification went on, when each was made.
        let subjects: Vec<String> =
            latchkey_e2e::fake_mail::deliveries_to(&target.email).into_iter().map(|m| m.subject).collect();
        assert!(subjects.iter().all(|s| s.contains("2-Step")), "{}: {subjects:?}", target.email);
        let (_, found) = admin
            .client
            .admin(reqwest::Method::GET, &format!("/api/admin/accounts?email={}", target.email), None)
            .await;
        let account = &found["accounts"][0];
        assert_eq!((account["status"].as_str(), account["two_step_enabled"].as_bool()), (Some("active"), Some(true)));
        assert!(account.get("pending_login_email").is_none());
    }
    assert_eq!(admin.client.get("/api/admin/me").await.0, 200, "the admin's session lives");
    assert!(latchkey_e2e::worker_log().contains("\"code\":\"account_protected\""), "refusals are on the audit trail");

    // An admin acts on the helpdesk, but not on another admin: that takes the bearer token.
    let (status, view) = admin
        .client
        .post("/api/admin/accounts/end-sessions", json!({"login_email": peer.email, "audience": "staff"}))
        .await;
    assert_eq!(status, 200, "{view}");
    let (status, body) = admin
        .client
        .post("/api/admin/accounts/end-sessions", json!({"login_email": other_admin.email, "audience": "staff"}))
        .await;
    assert_eq!((status, error_code(&body)), (403, "account_protected"), "{body}");
    let roles = json!({"login_email": other_admin.email, "audience": "staff", "roles": []});
    let (status, body) = admin.client.put("/api/admin/accounts/roles", &roles).await;
    assert_eq!((status, error_code(&body)), (403, "account_protected"), "no admin demotes another: {body}");
    let (status, body) = admin.client.admin(reqwest::Method::PUT, "/api/admin/accounts/roles", Some(&roles)).await;
    assert_eq!(status, 200, "the bearer token may: {body}");
}

/// The dead letters whose mail went to `address`, of `kind`.
async fn dead_letters_to(desk: &latchkey_e2e::console::Staff, address: &str, kind: &str) -> Vec<Value> {
    let (status, list) = desk.client.get("/api/admin/dead-letters").await;
    assert_eq!(status, 200, "{list}");
    let letters = list["dead_letters"].as_array().cloned().unwrap_or_default();
    letters
        .into_iter()
        .filter(|l| l["kind"] == kind && l["to"].as_array().is_some_and(|to| to.iter().any(|t| t == address)))
        .collect()
}

#[tokio::test]
async fn an_admin_sends_a_dead_letter_again_a_notice_as_it_was_and_a_reset_as_a_new_link() {
    let admin = staff("letters", &["admin"], true).await;
    // The provider refuses every mail to this address for good: each mail is dead-lettered at once.
    let refused = unique_email("bounces", "refuse");
    admin.client.create_account_with("parent", &refused, PASSWORD).await;
    let target = json!({"login_email": refused, "audience": "parent"});
    let (status, _) = admin.client.post("/api/admin/accounts/end-sessions", &target).await;
    assert_eq!(status, 200);
    let (status, _) = admin.client.post("/api/admin/accounts/reset-link", &target).await;
    assert_eq!(status, 200);

    for (kind, resent) in [("account_changed", "notice"), ("reset", "reset_link")] {
        let letter = latchkey_e2e::eventually(
            &format!("the {kind} mail dead-lettered"),
            std::time::Duration::from_secs(30),
            || async { dead_letters_to(&admin, &refused, kind).await.into_iter().next() },
        )
        .await;
        assert_eq!(
            (letter["resendable"].as_bool(), letter["account"]["login_email"].as_str()),
            (Some(true), Some(refused.as_str()))
        );
        let (status, body) = admin.client.post("/api/admin/dead-letters/resend", json!({"id": letter["id"]})).await;
        assert_eq!((status, body["resent"].as_str()), (200, Some(resent)), "{body}");
        let (status, body) = admin.client.post("/api/admin/dead-letters/resend", json!({"id": letter["id"]})).await;
        assert_eq!((status, error_code(&body)), (404, "not_found"), "sent again once: {body}");
        // Refused again, it is a new dead letter under a new id: the mail really went back to the provider.
        let again = latchkey_e2e::eventually(
            &format!("the {kind} mail refused again"),
            std::time::Duration::from_secs(30),
            || async { dead_letters_to(&admin, &refused, kind).await.into_iter().find(|l| l["id"] != letter["id"]) },
        )
        .await;
        assert_eq!(again["reason"], "refused");
    }
    let (status, body) = admin.client.post("/api/admin/dead-letters/resend", json!({"id": "x".repeat(600)})).await;
    assert_eq!((status, error_code(&body)), (404, "not_found"), "{body}");
}

#[tokio::test]
async fn a_search_shows_the_same_accounts_in_the_same_order_each_time() {
    let desk = staff("order", &["helpdesk"], true).await;
    let email = unique_email("both-kinds", "");
    for audience in ["staff", "parent"] {
        desk.client.create_account_with(audience, &email, PASSWORD).await;
    }
    let mut orders = Vec::new();
    for _ in 0..3 {
        let (status, found) = desk.client.get(&format!("/api/admin/accounts?email={email}")).await;
        assert_eq!(status, 200, "{found}");
        let order: Vec<String> =
            found["accounts"].as_array().unwrap().iter().map(|a| a["audience"].to_string()).collect();
        orders.push(order);
    }
    assert_eq!(orders[0], ["\"parent\"", "\"staff\""], "by name, then account type");
    assert!(orders.windows(2).all(|w| w[0] == w[1]), "{orders:?}");
}
