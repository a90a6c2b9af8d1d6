//! Security headers on every route the Worker answers (each operation of the OpenAPI document, the dev routes, unknown
//! paths, preflights, errors), and the session cookie's flags.

use latchkey_e2e::{create_account, http, login, unique_email, url};
use reqwest::Method;

/// Asserts the headers every Worker answer carries; `what` names the request in failures.
fn assert_hardened(what: &str, response: &reqwest::Response) {
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(response.status().as_u16() < 500, "{what}: {}", response.status());
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("referrer-policy"), "no-referrer", "{what}");
    assert!(header("strict-transport-security").starts_with("max-age=63072000"), "{what}");
    assert!(header("content-security-policy").contains("frame-ancestors 'none'"), "{what}");
    assert!(header("content-security-policy").starts_with("default-src 'none'"), "{what}");
    // Public documents any app may cache (the OpenAPI document, OpenID Connect discovery and its keys); nothing else.
    let public = ["openapi", "openid-configuration", "jwks"].iter().any(|doc| what.contains(doc));
    assert!(header("cache-control").contains("no-store") || public, "{what}: {}", header("cache-control"));
}

#[tokio::test]
async fn every_route_sends_the_security_headers() {
    let doc: serde_json::Value = http().get(url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    let mut requests: Vec<(Method, String)> = Vec::new();
    for (path, operations) in doc["paths"].as_object().expect("paths") {
        for method in operations.as_object().expect("operations").keys() {
            requests.push((method.to_uppercase().parse().expect("an HTTP method"), path.clone()));
        }
    }
    assert!(requests.len() >= 13, "the document lists every operation: {requests:?}");
    for extra in [
        (Method::OPTIONS, "/api/policy"),
        (Method::GET, "/api/no-such-route"),
        (Method::PUT, "/api/resets"),
        (Method::GET, "/dev/mailbox"),
        (Method::GET, "/dev/mailbox.json"),
        // The OpenID Connect pages: an authorization request for no app, and logout's confirmation.
        (Method::GET, "/oauth2/authorize?client_id=nobody&redirect_uri=https://app.test/"),
        (Method::GET, "/oauth2/logout"),
    ] {
        requests.push((extra.0, extra.1.to_owned()));
    }
    for (method, path) in requests {
        let mut request = http().request(method.clone(), url(&path));
        if method == Method::POST {
            // Valid JSON of the wrong shape: every POST route refuses it with a 4xx, headers and all.
            request = request.header("Content-Type", "application/json").body("{}");
        }
        let response = request.send().await.unwrap();
        assert_hardened(&format!("{method} {path}"), &response);
    }
}

#[tokio::test]
async fn the_session_cookie_is_http_only_same_site_strict_and_cleared_on_logout() {
    let email = unique_email("cookie", "");
    create_account(&email, None, "staff", "Otter-Harbor-93-Violet").await;
    let response = http()
        .post(url("/api/sessions"))
        .json(&serde_json::json!({"email": email, "audience": "staff", "password": "Otter-Harbor-93-Violet"}))
        .send()
        .await
        .unwrap();
    assert_hardened("login", &response);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    let attributes: Vec<&str> = cookie.split(';').map(str::trim).collect();
    // The test Worker runs on a dev http origin; over https the cookie is `__Host-latchkey-session` and Secure
    // (unit-tested in edge/src/respond.rs).
    assert!(attributes[0].starts_with("latchkey-session="), "{cookie}");
    // Opaque: it names no account, neither as the email nor as the email encoded.
    let value = attributes[0].trim_start_matches("latchkey-session=");
    let encoded_id =
        base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, format!("staff:{email}"));
    assert!(!value.contains(&email) && !value.contains(&encoded_id), "{value}");
    for wanted in ["Path=/", "HttpOnly", "SameSite=Strict"] {
        assert!(attributes.contains(&wanted), "{wanted} missing: {cookie}");
    }
    assert!(attributes.iter().any(|a| a.starts_with("Max-Age=") && a != &"Max-Age=0"), "{cookie}");
    assert!(!attributes.iter().any(|a| a.starts_with("Domain")), "host-only: {cookie}");

    let session = login(&email, "staff", "Otter-Harbor-93-Violet").await.unwrap();
    let response = http().delete(url("/api/session")).header("Cookie", &session).send().await.unwrap();
    assert_hardened("logout", &response);
    let cleared = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cleared.contains("Max-Age=0") && cleared.contains("HttpOnly"), "{cleared}");
}
