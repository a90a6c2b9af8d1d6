//! latchkey as an OpenID Connect provider, driven as an app drives it: the `openidconnect` crate discovers it,
//! exchanges codes with PKCE, checks ID tokens against the JWKS for each algorithm, refreshes and asks userinfo;
//! `jsonwebtoken` checks access and logout tokens as an API would. Against the real `wrangler dev`.

use latchkey_e2e::client::Client;
use latchkey_e2e::oidc::{
    self, backchannel_uri, claims, code_for, exchange, follow, log_in_to, logout_tokens, param, start, verified, App,
};
use latchkey_e2e::{
    base_url, create_account, eventually, link_for_new_account, outlive_a_link, post_json, unique_email, url,
};
use openidconnect::core::CoreErrorResponseType;
use openidconnect::core::CoreIdTokenVerifier;
use openidconnect::{AccessToken, OAuth2TokenResponse, PkceCodeVerifier, RefreshToken, TokenResponse};
use openidconnect::{RequestTokenError, StandardErrorResponse, UserInfoError};
use serde_json::{json, Value};
use std::fmt::Debug;
use std::time::{Duration, Instant};

/// The OAuth error the provider answered a token request with (the app's library read it); panics on a success or
/// on a failure of another kind.
fn oauth_error<T: Debug, E: std::error::Error + 'static>(
    answer: Result<T, RequestTokenError<E, StandardErrorResponse<CoreErrorResponseType>>>,
) -> String {
    match answer {
        Err(RequestTokenError::ServerResponse(refused)) => refused.error().as_ref().to_owned(),
        other => panic!("the provider refused, not {other:?}"),
    }
}

/// The HTTP status the userinfo endpoint refused with.
fn userinfo_refusal<T: Debug, E: std::error::Error + 'static>(answer: Result<T, UserInfoError<E>>) -> u16 {
    match answer {
        Err(UserInfoError::Response(status, ..)) => status.as_u16(),
        other => panic!("userinfo refused, not {other:?}"),
    }
}

const PASSWORD: &str = "Otter-Harbor-93-Violet";
const NEW_PASSWORD: &str = "Quartz-Vivid-Meadow-77";

async fn person(email: &str, audience: &str) -> Client {
    let mut client = Client::shared();
    let (status, body) = client.login(email, audience, PASSWORD, None).await;
    assert_eq!(status, 200, "{body}");
    client
}

async fn new_person(name: &str) -> (String, Client) {
    let email = unique_email(name, "");
    create_account(&email, None, "parent", PASSWORD).await;
    (email.clone(), person(&email, "parent").await)
}

/// The token endpoint by hand (for what a library would refuse to send): status and body.
async fn token_request(form: &[(&str, &str)], basic: Option<(&str, &str)>) -> (u16, Value) {
    let mut request = oidc::http().post(url("/oauth2/token")).form(form);
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    let response = request.send().await.expect("the token endpoint answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn discovery_and_the_keys_are_public_cacheable_and_name_only_the_code_flow() {
    let metadata = oidc::metadata().await;
    assert_eq!(metadata.issuer().as_str(), base_url());
    let response = oidc::http()
        .get(url("/.well-known/openid-configuration"))
        .header("Origin", "https://app.test")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert!(response.headers()["cache-control"].to_str().unwrap().contains("max-age="));
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc["response_types_supported"], json!(["code"]));
    assert_eq!(doc["grant_types_supported"], json!(["authorization_code", "refresh_token"]));
    assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
    assert_eq!(doc["id_token_signing_alg_values_supported"], json!(["RS256", "ES256", "EdDSA"]));
    assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
    let jwks: Value = oidc::http().get(url("/oauth2/jwks")).send().await.unwrap().json().await.unwrap();
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 3);
    for key in keys {
        for private in ["d", "p", "q", "dp", "dq", "qi"] {
            assert!(key.get(private).is_none(), "{private} published in {key}");
        }
    }
}

#[tokio::test]
async fn the_code_flow_works_for_every_algorithm_with_pkce_nonce_and_userinfo() {
    let admin = Client::shared();
    let metadata = oidc::metadata().await;
    let (email, ana) = new_person("oidc-flow").await;
    let mut subjects = Vec::new();
    for alg in ["RS256", "ES256", "EdDSA"] {
        let app = App::register(&admin, json!({"id_token_signed_response_alg": alg})).await;
        let rp = app.client(&metadata);
        let started = start(&rp, &["email", "profile"], &[]);
        let code = code_for(&started, &ana).await;
        let tokens = exchange(&rp, code, started.verifier).await;
        let id_token = tokens.id_token().expect("an ID token");
        let verifier: CoreIdTokenVerifier = rp.id_token_verifier().set_allowed_algs(vec![app.signing_alg()]);
        let checked = id_token.claims(&verifier, &started.nonce).unwrap_or_else(|e| panic!("{alg}: {e:?}"));
        assert_eq!(checked.email().map(|e| e.as_str()), Some(email.as_str()));
        let raw = claims(&id_token.to_string());
        assert_ne!(raw["sub"], json!(email), "the subject is never the email");
        assert_eq!((raw["amr"].clone(), raw["account_type"].clone()), (json!(["pwd"]), json!("parent")));
        assert!(raw["sid"].is_string() && raw["auth_time"].is_u64(), "{raw}");
        subjects.push(raw["sub"].clone());
        let access = verified(tokens.access_token().secret(), &app.id).await;
        assert!(access["exp"].as_u64().unwrap() - access["iat"].as_u64().unwrap() <= 300, "short: {access}");
        let info: openidconnect::core::CoreUserInfoClaims = rp
            .user_info(tokens.access_token().clone(), Some(checked.subject().clone()))
            .unwrap()
            .request_async(&oidc::http())
            .await
            .unwrap_or_else(|e| panic!("{alg}: userinfo: {e:?}"));
        assert_eq!(info.email().map(|e| e.as_str()), Some(email.as_str()));
        assert!(tokens.refresh_token().is_none(), "no offline_access, no refresh token");
    }
    assert!(subjects.windows(2).all(|w| w[0] == w[1]), "one stable subject: {subjects:?}");
}

#[tokio::test]
async fn staff_and_parent_accounts_on_one_email_are_two_subjects() {
    let admin = Client::shared();
    let email = unique_email("oidc-both", "");
    create_account(&email, None, "staff", PASSWORD).await;
    create_account(&email, None, "parent", PASSWORD).await;
    let app = App::register(&admin, json!({})).await;
    let rp = app.client(&oidc::metadata().await);
    let mut subjects = Vec::new();
    for audience in ["staff", "parent"] {
        let tokens = log_in_to(&rp, &person(&email, audience).await, &["profile"]).await;
        let raw = claims(&tokens.id_token().unwrap().to_string());
        assert_eq!(raw["account_type"], json!(audience));
        subjects.push(raw["sub"].clone());
    }
    assert_ne!(subjects[0], subjects[1]);
}

#[tokio::test]
async fn refresh_tokens_rotate_and_reusing_a_spent_one_revokes_the_family() {
    let admin = Client::shared();
    let app = App::register(&admin, json!({"kind": "confidential"})).await;
    let rp = app.client(&oidc::metadata().await);
    let (_, ana) = new_person("oidc-refresh").await;
    let tokens = log_in_to(&rp, &ana, &["offline_access"]).await;
    let first = tokens.refresh_token().expect("a refresh token with offline_access").clone();
    let rotated =
        rp.exchange_refresh_token(&first).unwrap().request_async(&oidc::http()).await.expect("a refresh works");
    let second = rotated.refresh_token().expect("a new refresh token").clone();
    assert_ne!(first.secret(), second.secret(), "rotated");
    let secret = app.secret.clone().unwrap();
    let introspect = |token: String| {
        let (id, secret) = (app.id.clone(), secret.clone());
        async move {
            let response = oidc::http()
                .post(url("/oauth2/introspect"))
                .basic_auth(id, Some(secret))
                .form(&[("token", token)])
                .send()
                .await
                .unwrap();
            response.json::<Value>().await.unwrap()["active"].clone()
        }
    };
    assert_eq!(introspect(second.secret().clone()).await, json!(true));
    assert_eq!(introspect(rotated.access_token().secret().clone()).await, json!(true));
    assert_eq!(introspect(first.secret().clone()).await, json!(false), "spent");
    // The spent one again: whoever holds it is not the app. The whole family ends.
    let (status, body) =
        token_request(&[("grant_type", "refresh_token"), ("refresh_token", first.secret())], Some((&app.id, &secret)))
            .await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")), "{body}");
    assert_eq!(introspect(second.secret().clone()).await, json!(false), "the family is revoked");
    assert_eq!(introspect(rotated.access_token().secret().clone()).await, json!(false), "its access tokens too");
    let refused = rp.exchange_refresh_token(&second).unwrap().request_async(&oidc::http()).await;
    assert_eq!(oauth_error(refused), "invalid_grant");
}

#[tokio::test]
async fn a_reset_ends_the_apps_tokens_and_tells_each_app_by_back_channel_within_seconds() {
    let admin = Client::shared();
    let label = format!("reset-{}", std::process::id());
    let app =
        App::register(&admin, json!({"kind": "confidential", "backchannel_logout_uri": backchannel_uri(&label)})).await;
    let rp = app.client(&oidc::metadata().await);
    let email = unique_email("oidc-reset", "");
    let link = link_for_new_account(&email, "parent", PASSWORD).await;
    let ana = person(&email, "parent").await;
    let tokens = log_in_to(&rp, &ana, &["offline_access"]).await;
    let sid = claims(&tokens.id_token().unwrap().to_string())["sid"].clone();
    let refresh = tokens.refresh_token().unwrap().clone();

    let reset_at = Instant::now();
    let (status, body) =
        post_json("/api/resets", &json!({"token": link, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})).await;
    assert_eq!(status, 200, "{body}");
    let logout = eventually("a logout token", Duration::from_secs(10), || async {
        logout_tokens(&label).await.into_iter().next()
    })
    .await;
    let took = reset_at.elapsed();
    let logout_claims = verified(&logout, &app.id).await;
    assert_eq!(logout_claims["sid"], sid, "{logout_claims}");
    assert!(logout_claims["events"]["http://schemas.openid.net/event/backchannel-logout"].is_object());
    assert!(logout_claims.get("nonce").is_none() && logout_claims["jti"].is_string());
    println!("back-channel logout reached the app {} ms after the reset", took.as_millis());
    let refused = rp.exchange_refresh_token(&refresh).unwrap().request_async(&oidc::http()).await;
    assert_eq!(oauth_error(refused), "invalid_grant", "refresh ends");
    let response = oidc::http()
        .post(url("/oauth2/introspect"))
        .basic_auth(&app.id, app.secret.as_ref())
        .form(&[("token", tokens.access_token().secret())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.json::<Value>().await.unwrap()["active"], json!(false), "introspection says inactive");
    let info: Result<openidconnect::core::CoreUserInfoClaims, _> =
        rp.user_info(tokens.access_token().clone(), None).unwrap().request_async(&oidc::http()).await;
    assert_eq!(userinfo_refusal(info), 401, "userinfo refuses at once, before the access token expires");
}

#[tokio::test]
async fn a_code_is_used_once_bound_to_its_verifier_and_redirect_uri_and_lives_a_minute() {
    let admin = Client::shared();
    let app = App::register(&admin, json!({})).await;
    let rp = app.client(&oidc::metadata().await);
    let (email, ana) = new_person("oidc-code").await;
    let exchange = |code: String, verifier: &str, redirect: &str| {
        let (verifier, redirect, id) = (verifier.to_owned(), redirect.to_owned(), app.id.clone());
        async move {
            let form = [
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("code_verifier", verifier.as_str()),
                ("redirect_uri", redirect.as_str()),
                ("client_id", id.as_str()),
            ];
            token_request(&form, None).await
        }
    };
    // Replayed: the second use fails and revokes what the first issued.
    let started = start(&rp, &["offline_access"], &[]);
    let code = code_for(&started, &ana).await;
    let (status, first) = exchange(code.clone(), started.verifier.secret(), &app.redirect_uri).await;
    assert_eq!(status, 200, "{first}");
    let (status, again) = exchange(code, started.verifier.secret(), &app.redirect_uri).await;
    assert_eq!((status, again["error"].as_str()), (400, Some("invalid_grant")));
    let refresh = RefreshToken::new(first["refresh_token"].as_str().unwrap().to_owned());
    let refused = rp.exchange_refresh_token(&refresh).unwrap().request_async(&oidc::http()).await;
    assert_eq!(oauth_error(refused), "invalid_grant", "revoked by the replay");
    // The wrong verifier, the wrong redirect URI: refused, and the code is spent.
    let started = start(&rp, &[], &[]);
    let code = code_for(&started, &ana).await;
    let wrong = PkceCodeVerifier::new("x".repeat(43));
    let (status, body) = exchange(code.clone(), wrong.secret(), &app.redirect_uri).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")), "{body}");
    let (status, body) = exchange(code, started.verifier.secret(), &app.redirect_uri).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")), "one try per code: {body}");
    let started = start(&rp, &[], &[]);
    let code = code_for(&started, &ana).await;
    let (status, body) = exchange(code, started.verifier.secret(), "https://app.sunnydays.test/other").await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    // A minute later, a code is dead.
    let started = start(&rp, &[], &[]);
    let code = code_for(&started, &ana).await;
    outlive_a_link(&email, "parent").await;
    let (status, body) = exchange(code, started.verifier.secret(), &app.redirect_uri).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")), "expired: {body}");
}

#[tokio::test]
async fn who_asks_and_where_to_answer_are_checked_before_anything_is_sent_back() {
    let admin = Client::shared();
    let app = App::register(&admin, json!({})).await;
    let rp = app.client(&oidc::metadata().await);
    let (_, ana) = new_person("oidc-addressee").await;
    let started = start(&rp, &[], &[]);
    // An unregistered redirect URI or client: latchkey's own page, in the person's language; never a redirect.
    let elsewhere = started.url.as_str().replace("app.sunnydays.test", "evil.test");
    for (wrong, language) in [(elsewhere, "en"), (started.url.as_str().replace(&app.id, "no-such-app"), "es")] {
        let response = oidc::http()
            .get(&wrong)
            .header("Accept-Language", language)
            .header("Cookie", ana.cookie().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 400, "{wrong}");
        assert!(response.headers().get("location").is_none());
        let page = response.text().await.unwrap();
        assert!(page.contains(&format!("lang=\"{language}\"")), "{page}");
    }
    // The rest is told to the app, with its state and the issuer.
    for (extra, error) in [
        (vec![("response_type", "token")], "unsupported_response_type"),
        (vec![("code_challenge_method", "plain")], "invalid_request"),
    ] {
        let mut url = started.url.clone();
        let pairs: Vec<(String, String)> =
            url.query_pairs().into_owned().filter(|(k, _)| !extra.iter().any(|(e, _)| e == k)).collect();
        url.query_pairs_mut().clear().extend_pairs(pairs).extend_pairs(extra);
        let (status, location) = follow(url.as_str(), Some(&ana)).await;
        assert_eq!((status, param(&location, "error").as_deref()), (302, Some(error)), "{location}");
        assert_eq!(param(&location, "iss"), Some(base_url()));
    }
    // No session and prompt=none: login_required; no session: the login page, naming the app.
    let silent = start(&rp, &[], &[("prompt", "none")]);
    let (_, location) = follow(silent.url.as_str(), None).await;
    assert_eq!(param(&location, "error").as_deref(), Some("login_required"));
    let (status, location) = follow(started.url.as_str(), None).await;
    assert_eq!(status, 302);
    assert!(location.starts_with("/login?"), "{location}");
    assert_eq!(param(&location, "app"), Some(app.id.clone()));
    // An unknown client at the token endpoint.
    let (status, body) =
        token_request(&[("grant_type", "authorization_code"), ("code", "x"), ("client_id", "nobody")], None).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")));
}

#[tokio::test]
async fn prompt_login_and_max_age_ask_for_a_fresh_login_and_a_new_one_meets_them() {
    let admin = Client::shared();
    let app = App::register(&admin, json!({})).await;
    let rp = app.client(&oidc::metadata().await);
    let (email, ana) = new_person("oidc-fresh").await;
    // The login is now older than `max_age`.
    latchkey_e2e::advance_clock(&email, "parent", 2).await;
    for extra in [("prompt", "login"), ("max_age", "1")] {
        let started = start(&rp, &[], &[extra]);
        let (status, location) = follow(started.url.as_str(), Some(&ana)).await;
        assert_eq!(status, 302);
        assert!(location.starts_with("/login?"), "{extra:?} asks for a login: {location}");
        // The login page logs in again and follows `continue` back.
        let back = param(&location, "continue").expect("where to come back to");
        assert!(back.starts_with("/oauth2/authorize?") && !back.contains("prompt=login"), "{back}");
        let again = person(&email, "parent").await;
        let (status, answer) = follow(&url(&back), Some(&again)).await;
        assert_eq!(status, 302, "{answer}");
        let code = param(&answer, "code").unwrap_or_else(|| panic!("{extra:?}: a code after the new login: {answer}"));
        let tokens = exchange(&rp, code, started.verifier).await;
        let auth_time = claims(&tokens.id_token().unwrap().to_string())["auth_time"].as_u64().unwrap();
        let iat = claims(&tokens.id_token().unwrap().to_string())["iat"].as_u64().unwrap();
        // The account's clock runs 2 s ahead of the Worker's since it was moved.
        assert!(auth_time.abs_diff(iat + 2) <= 1, "the new login's time: {auth_time} vs {iat}");
    }
}

/// SECURITY.md: an app's tokens end with the latchkey session however it ends — here the admin disabling the account,
/// then turning its 2-Step Verification off.
#[tokio::test]
async fn disabling_the_account_or_turning_its_two_step_verification_off_ends_the_apps_tokens() {
    let admin = Client::shared();
    let app = App::register(&admin, json!({"kind": "confidential"})).await;
    let rp = app.client(&oidc::metadata().await);
    let (email, ana) = new_person("oidc-ended").await;
    let account = json!({"login_email": email, "audience": "parent"});
    let ended = |tokens: openidconnect::core::CoreTokenResponse| {
        let rp = &rp;
        async move {
            let refresh = tokens.refresh_token().expect("a refresh token").clone();
            let refused = rp.exchange_refresh_token(&refresh).unwrap().request_async(&oidc::http()).await;
            let info: Result<openidconnect::core::CoreUserInfoClaims, _> =
                rp.user_info(tokens.access_token().clone(), None).unwrap().request_async(&oidc::http()).await;
            (oauth_error(refused), userinfo_refusal(info))
        }
    };

    let tokens = log_in_to(&rp, &ana, &["offline_access"]).await;
    let (status, body) = admin.admin(reqwest::Method::POST, "/api/admin/accounts/disable", Some(&account)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ended(tokens).await, ("invalid_grant".to_owned(), 401), "disabled: the app's tokens end");

    let (status, body) = admin.admin(reqwest::Method::POST, "/api/admin/accounts/enable", Some(&account)).await;
    assert_eq!(status, 200, "{body}");
    let (authenticator, _) = person(&email, "parent").await.enrol().await;
    let mut with_code = Client::shared();
    let code = authenticator.fresh_code().await;
    assert_eq!(with_code.login(&email, "parent", PASSWORD, Some(&code)).await.0, 200);
    let tokens = log_in_to(&rp, &with_code, &["offline_access"]).await;
    let (status, body) = admin.admin(reqwest::Method::POST, "/api/admin/accounts/two-step-off", Some(&account)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ended(tokens).await, ("invalid_grant".to_owned(), 401), "2-Step Verification off: the tokens end");
}

#[tokio::test]
async fn an_account_with_two_step_verification_says_otp_in_amr() {
    let admin = Client::shared();
    let app = App::register(&admin, json!({})).await;
    let rp = app.client(&oidc::metadata().await);
    let (email, ana) = new_person("oidc-otp").await;
    let (authenticator, _) = ana.enrol().await;
    let mut again = Client::shared();
    let code = authenticator.fresh_code().await;
    assert_eq!(again.login(&email, "parent", PASSWORD, Some(&code)).await.0, 200);
    let tokens = log_in_to(&rp, &again, &[]).await;
    assert_eq!(claims(&tokens.id_token().unwrap().to_string())["amr"], json!(["pwd", "otp"]));
}

#[tokio::test]
async fn an_app_logs_the_person_out_of_latchkey_and_back_to_its_registered_page() {
    let admin = Client::shared();
    let label = format!("rp-logout-{}", std::process::id());
    let app = App::register(&admin, json!({"backchannel_logout_uri": backchannel_uri(&label)})).await;
    let rp = app.client(&oidc::metadata().await);
    let (_, ana) = new_person("oidc-logout").await;
    let tokens = log_in_to(&rp, &ana, &[]).await;
    let hint = tokens.id_token().unwrap().to_string();
    // To an address it did not register: not sent there.
    let bad = format!("{}?id_token_hint={hint}&post_logout_redirect_uri=https://evil.test/", url("/oauth2/logout"));
    assert_eq!(follow(&bad, Some(&ana)).await.0, 400);
    // Without a hint: asked first, nothing ended yet.
    let (status, _) = follow(&url("/oauth2/logout"), Some(&ana)).await;
    assert_eq!(status, 200);
    assert_eq!(ana.get("/api/session").await.0, 200, "a bare link logs nobody out");
    let out = format!(
        "{}?id_token_hint={hint}&post_logout_redirect_uri=https://app.sunnydays.test/bye&state=s1",
        url("/oauth2/logout")
    );
    let (status, location) = follow(&out, Some(&ana)).await;
    assert_eq!((status, location.as_str()), (302, "https://app.sunnydays.test/bye?state=s1"));
    assert_eq!(ana.get("/api/session").await.0, 401, "the latchkey session ended");
    let logout = eventually("a logout token", Duration::from_secs(10), || async {
        logout_tokens(&label).await.into_iter().next()
    })
    .await;
    assert_eq!(verified(&logout, &app.id).await["sid"], claims(&hint)["sid"]);
    let info: Result<openidconnect::core::CoreUserInfoClaims, _> = rp
        .user_info(AccessToken::new(tokens.access_token().secret().clone()), None)
        .unwrap()
        .request_async(&oidc::http())
        .await;
    assert_eq!(userinfo_refusal(info), 401, "the app's tokens ended with the session");
}

#[tokio::test]
async fn the_admin_registers_updates_rotates_and_deletes_clients() {
    let admin = Client::shared();
    let clients = "/api/admin/oauth2/clients";
    for bad in [
        json!({"name": "App", "kind": "public", "redirect_uris": ["http://app.test/cb"]}),
        json!({"name": "App", "kind": "public", "redirect_uris": ["https://app.test/*"]}),
        json!({"name": "App", "kind": "confidential", "redirect_uris": ["org.school.app:/cb"]}),
        json!({"name": "App", "kind": "public", "redirect_uris": ["https://app.test/cb"], "access_token_ttl_secs": 3600}),
        json!({"name": "App", "kind": "public", "redirect_uris": ["https://app.test/cb"], "grant_types": ["password"]}),
    ] {
        let (status, body) = admin.admin(reqwest::Method::POST, clients, Some(&bad)).await;
        assert_eq!(status, 422, "{bad} → {body}");
    }
    let native =
        App::register(&admin, json!({"redirect_uris": ["org.sunnydays.app:/callback", "http://127.0.0.1/callback"]}))
            .await;
    assert!(native.secret.is_none(), "a public client has no secret");
    let app = App::register(&admin, json!({"kind": "confidential", "name": "Sunny Days Staff Portal"})).await;
    let secret = app.secret.clone().expect("shown once");
    let (_, listed) = admin.admin(reqwest::Method::GET, clients, None).await;
    let mine = listed["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["client_id"] == json!(app.id))
        .cloned()
        .expect("listed");
    assert!(mine.get("client_secret").is_none() && !mine.to_string().contains(&secret), "never shown again");
    let (status, rotated) = admin
        .admin(reqwest::Method::POST, "/api/admin/oauth2/clients/rotate-secret", Some(&json!({"client_id": app.id})))
        .await;
    assert_eq!(status, 200, "{rotated}");
    let new_secret = rotated["client_secret"].as_str().unwrap();
    let revoke = |secret: String| {
        let id = app.id.clone();
        async move {
            oidc::http()
                .post(url("/oauth2/revoke"))
                .basic_auth(id, Some(secret))
                .form(&[("token", "x")])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(revoke(secret).await, 401, "the old secret stopped working");
    assert_eq!(revoke(new_secret.to_owned()).await, 200);
    let update = json!({"client_id": app.id, "registration": {"name": "Renamed", "kind": "confidential", "redirect_uris": ["https://portal.test/cb"]}});
    let (status, updated) = admin.admin(reqwest::Method::PUT, clients, Some(&update)).await;
    assert_eq!((status, updated["client"]["name"].as_str()), (200, Some("Renamed")));
    let (status, info) = Client::shared().get(&format!("/api/apps?client_id={}", app.id)).await;
    assert_eq!((status, info["name"].as_str()), (200, Some("Renamed")));
    let (status, _) = admin
        .admin(reqwest::Method::POST, "/api/admin/oauth2/clients/delete", Some(&json!({"client_id": app.id})))
        .await;
    assert_eq!(status, 204);
    assert_eq!(revoke(new_secret.to_owned()).await, 401, "a deleted client is unknown");
    let (status, body) = admin
        .admin(reqwest::Method::POST, "/api/admin/oauth2/clients/delete", Some(&json!({"client_id": app.id})))
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")), "{body}");
}

#[tokio::test]
async fn bad_input_at_the_token_endpoints_gets_oauth_errors_never_a_5xx() {
    let admin = Client::shared();
    let app = App::register(&admin, json!({})).await;
    let id = app.id.as_str();
    type Case<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str);
    let cases: Vec<Case> = vec![
        (vec![("client_id", id)], 400, "invalid_request"),
        (
            vec![("client_id", id), ("grant_type", "password"), ("username", "a"), ("password", "b")],
            400,
            "unsupported_grant_type",
        ),
        (vec![("client_id", id), ("grant_type", "authorization_code")], 400, "invalid_request"),
        (
            vec![
                ("client_id", id),
                ("grant_type", "authorization_code"),
                ("code", "junk"),
                ("redirect_uri", "x"),
                ("code_verifier", "y"),
            ],
            400,
            "invalid_grant",
        ),
        (
            vec![("client_id", id), ("grant_type", "refresh_token"), ("refresh_token", "\u{202e}junk")],
            400,
            "invalid_grant",
        ),
        (vec![("client_id", id), ("client_secret", "made-up"), ("grant_type", "refresh_token")], 401, "invalid_client"),
    ];
    for (form, status, error) in cases {
        let (got, body) = token_request(&form, None).await;
        assert_eq!((got, body["error"].as_str()), (status, Some(error)), "{form:?} → {body}");
    }
    let json_body = oidc::http()
        .post(url("/oauth2/token"))
        .json(&json!({"grant_type": "authorization_code"}))
        .send()
        .await
        .unwrap();
    assert_eq!(json_body.status().as_u16(), 400, "a JSON body is not a form");
    let huge = oidc::http()
        .post(url("/oauth2/token"))
        .form(&[("client_id", id), ("code", &"x".repeat(100_000))])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status().as_u16(), 400);
    assert_eq!(huge.json::<Value>().await.unwrap()["error"], "invalid_request", "a code past its size");
    let twice = oidc::http()
        .post(url("/oauth2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("client_id={id}&client_id={id}&grant_type=refresh_token"))
        .send()
        .await
        .unwrap();
    assert_eq!(twice.status().as_u16(), 400, "a parameter twice");
    let userinfo =
        oidc::http().get(url("/oauth2/userinfo")).bearer_auth("eyJhbGciOiJub25lIn0.e30.").send().await.unwrap();
    assert_eq!(userinfo.status().as_u16(), 401);
    assert!(userinfo.headers()["www-authenticate"].to_str().unwrap().contains("invalid_token"));
}

/// The confirmation page's answer, posted from latchkey's own page with the request it showed: status and location.
async fn consent(person: &Client, page: &str, decision: &str) -> (u16, String) {
    let fields: Vec<(String, String)> = page
        .split("<input type=\"hidden\" ")
        .skip(1)
        .filter_map(|input| {
            let value = |attr: &str| {
                let start = input.find(&format!("{attr}=\""))? + attr.len() + 2;
                Some(input[start..start + input[start..].find('"')?].replace("&amp;", "&").replace("&quot;", "\""))
            };
            Some((value("name")?, value("value")?))
        })
        .chain([("decision".to_owned(), decision.to_owned())])
        .collect();
    let response = oidc::http()
        .post(url("/oauth2/consent"))
        .header("Cookie", person.cookie().unwrap())
        .header("Origin", base_url())
        .header("Sec-Fetch-Site", "same-origin")
        .form(&fields)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default())
}

/// The authorization endpoint's answer for `person`: status, location, and the page when it shows one.
async fn authorize_page(started: &oidc::Started, person: &Client) -> (u16, String, String) {
    let response =
        oidc::http().get(started.url.as_str()).header("Cookie", person.cookie().unwrap()).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, location, response.text().await.unwrap_or_default())
}

#[tokio::test]
async fn a_native_app_on_this_device_gets_a_code_only_after_the_person_says_continue() {
    let admin = Client::shared();
    let metadata = oidc::metadata().await;
    let (email, ana) = new_person("oidc-native").await;
    for redirect in ["http://127.0.0.1:41999/callback", "org.sunnydays.app:/callback"] {
        let app = App::register(&admin, json!({"redirect_uris": [redirect]})).await;
        let rp = app.client(&metadata);
        // Any program on the device could have opened this: no code without the person.
        let started = start(&rp, &["email"], &[]);
        let (status, location, page) = authorize_page(&started, &ana).await;
        assert_eq!((status, location.as_str()), (200, ""), "{redirect}: a page, not a code");
        assert!(page.contains("Continue to Sunny Days Parent App as") && page.contains(&email), "{page}");
        let silent = start(&rp, &[], &[("prompt", "none")]);
        let (_, location) = follow(silent.url.as_str(), Some(&ana)).await;
        assert_eq!(param(&location, "error").as_deref(), Some("interaction_required"), "{location}");
        // From another site, the answer is refused.
        let forged = oidc::http()
            .post(url("/oauth2/consent"))
            .header("Cookie", ana.cookie().unwrap())
            .header("Origin", "https://evil.example")
            .form(&[("decision", "continue")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status().as_u16(), 403);
        assert_eq!(forged.json::<Value>().await.unwrap()["error"]["code"], "cross_site");
        let (status, location) = consent(&ana, &page, "continue").await;
        assert_eq!(status, 303, "{location}");
        assert!(location.starts_with(redirect), "{location}");
        assert_eq!(param(&location, "state").as_deref(), Some(started.state.secret().as_str()));
        let code = param(&location, "code").expect("a code once the person said continue");
        exchange(&rp, code, started.verifier).await;
        // Remembered for this app: straight back; `prompt=consent` asks again.
        let again = start(&rp, &[], &[]);
        code_for(&again, &ana).await;
        let asked = start(&rp, &[], &[("prompt", "consent")]);
        let (status, _, page) = authorize_page(&asked, &ana).await;
        assert_eq!(status, 200);
        let (status, location) = consent(&ana, &page, "cancel").await;
        assert_eq!((status, param(&location, "error").as_deref()), (303, Some("access_denied")), "{location}");
    }
    // An app on the web, a confidential client: no question, unless it asks for one with `prompt=consent`.
    let portal = App::register(&admin, json!({"kind": "confidential"})).await;
    let rp = portal.client(&metadata);
    code_for(&start(&rp, &[], &[]), &ana).await;
    let (status, _, page) = authorize_page(&start(&rp, &[], &[("prompt", "consent")]), &ana).await;
    assert_eq!(status, 200, "prompt=consent is honoured for every client");
    assert!(page.contains("Continue to") && page.contains("action=\"/oauth2/consent\""), "{page}");
}

#[tokio::test]
async fn a_second_sso_cookie_tossed_in_by_a_sibling_site_is_never_taken_for_the_session() {
    let admin = Client::shared();
    let app = App::register(&admin, json!({"kind": "confidential"})).await;
    let rp = app.client(&oidc::metadata().await);
    let (ana_email, ana) = new_person("oidc-tossed").await;
    let (_, mallory) = new_person("oidc-tosser").await;
    let value = |person: &Client| person.cookie().unwrap().split_once('=').unwrap().1.to_owned();
    // A login sets the SSO cookie for the whole host (path `/`; `__Host-` over https), holding the same session.
    let response = oidc::http()
        .post(url("/api/sessions"))
        .json(&json!({"email": ana_email, "audience": "parent", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let set: Vec<String> =
        response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
    assert!(set.iter().any(|c| c.starts_with("latchkey-sso=") && c.contains("Path=/;")), "{set:?}");
    let started = start(&rp, &[], &[]);
    let send = |cookie: String| {
        let url = started.url.clone();
        async move {
            let response = oidc::http().get(url.as_str()).header("Cookie", cookie).send().await.unwrap();
            response.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default()
        }
    };
    let once = send(format!("latchkey-sso={}", value(&ana))).await;
    assert!(param(&once, "code").is_some(), "one cookie: the person's session: {once}");
    for cookie in [
        format!("latchkey-sso={}; latchkey-sso={}", value(&mallory), value(&ana)),
        format!("latchkey-sso={}; latchkey-sso={}", value(&ana), value(&mallory)),
    ] {
        let location = send(cookie).await;
        assert!(param(&location, "code").is_none(), "two: a code for neither: {location}");
        assert!(location.starts_with("/login?"), "the person logs in themselves: {location}");
    }
}

#[tokio::test]
async fn a_refresh_honours_scope_and_a_change_of_password_come_due_stops_the_apps() {
    let admin = Client::shared();
    let app = App::register(
        &admin,
        json!({"kind": "confidential", "scopes": ["openid", "email", "profile", "offline_access"]}),
    )
    .await;
    let rp = app.client(&oidc::metadata().await);
    let (email, ana) = new_person("oidc-scope").await;
    let tokens = log_in_to(&rp, &ana, &["email", "offline_access"]).await;
    let secret = app.secret.clone().unwrap();
    let refresh = |token: String, scope: Option<&'static str>| {
        let (id, secret) = (app.id.clone(), secret.clone());
        async move {
            let mut form = vec![("grant_type", "refresh_token".to_owned()), ("refresh_token", token)];
            form.extend(scope.map(|s| ("scope", s.to_owned())));
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            token_request(&form, Some((&id, &secret))).await
        }
    };
    let first = tokens.refresh_token().unwrap().secret().clone();
    let (status, body) = refresh(first.clone(), Some("openid email profile offline_access")).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_scope")), "more than granted: {body}");
    let (status, narrowed) = refresh(first, Some("openid")).await;
    assert_eq!(status, 200, "the refused refresh spent nothing: {narrowed}");
    assert_eq!(narrowed["scope"], "openid");
    assert!(claims(narrowed["id_token"].as_str().unwrap()).get("email").is_none(), "{narrowed}");
    let next = narrowed["refresh_token"].as_str().expect("the grant still holds offline_access").to_owned();

    // The school requires a new password of this account now: the app's refresh is refused until it is made.
    let required = json!({"login_email": email, "audience": "parent"});
    let (status, body) =
        admin.admin(reqwest::Method::POST, "/api/admin/accounts/require-password-change", Some(&required)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = refresh(next, None).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")), "{body}");
    let (status, location) = follow(start(&rp, &[], &[]).url.as_str(), Some(&ana)).await;
    assert!(status == 302 && location.starts_with("/password?"), "no code, the change first: {location}");
}

#[tokio::test]
async fn email_verified_is_true_only_once_a_link_came_back_from_the_address() {
    let admin = Client::shared();
    let app = App::register(&admin, json!({})).await;
    let rp = app.client(&oidc::metadata().await);
    let email = unique_email("oidc-verified", "");
    let token = link_for_new_account(&email, "parent", PASSWORD).await;
    let before = log_in_to(&rp, &person(&email, "parent").await, &["email"]).await;
    assert_eq!(claims(&before.id_token().unwrap().to_string())["email_verified"], json!(false), "made by the admin");
    let (status, body) =
        post_json("/api/resets", &json!({"token": token, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})).await;
    assert_eq!(status, 200, "{body}");
    let mut again = Client::shared();
    assert_eq!(again.login(&email, "parent", NEW_PASSWORD, None).await.0, 200);
    let after = log_in_to(&rp, &again, &["email"]).await;
    assert_eq!(claims(&after.id_token().unwrap().to_string())["email_verified"], json!(true), "the reset proved it");
}

#[tokio::test]
async fn an_identifier_too_long_to_be_a_key_is_answered_as_unknown_never_a_5xx() {
    let long = "c".repeat(1_000);
    let (status, body) =
        token_request(&[("grant_type", "refresh_token"), ("refresh_token", "x"), ("client_id", &long)], None).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")), "{body}");
    let (status, body) = token_request(&[("token", "x")], Some((&long, "secret"))).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")), "{body}");
    let page = oidc::http().get(url(&format!("/api/apps?client_id={long}"))).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 404);
    assert_eq!(page.json::<Value>().await.unwrap()["error"]["code"], "not_found");
    let (status, body) = post_json("/api/login-email-changes/cancel", &json!({"token": "t".repeat(5_000)})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("token_invalid")), "{body}");
}
