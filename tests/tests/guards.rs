//! Every guarded route, walked from the route table the Worker itself serves (`GET /dev/routes` on the development
//! Worker): admin routes refuse a missing and a wrong token, session routes a missing cookie, and on a production
//! Worker every development route is absent.

use latchkey_e2e::worker::Worker;
use latchkey_e2e::{error_code, http, url};
use serde_json::{json, Value};

async fn table() -> Vec<(String, String, String)> {
    let listing: Value = http().get(url("/dev/routes")).send().await.unwrap().json().await.unwrap();
    let rows: Vec<(String, String, String)> = listing
        .as_array()
        .expect("the route table is a list")
        .iter()
        .map(|r| {
            let field = |name: &str| r[name].as_str().unwrap_or_default().to_owned();
            (field("method"), field("path"), field("guard"))
        })
        .collect();
    assert!(rows.len() > 20, "the whole table: {rows:?}");
    rows
}

/// Sends `method path` to `base` with an empty JSON object as the body where the method takes one.
async fn send(base: &str, method: &str, path: &str, authorization: Option<&str>) -> (u16, Value) {
    send_with(base, method, path, authorization.map(|value| ("Authorization", value))).await
}

async fn send_with(base: &str, method: &str, path: &str, header: Option<(&str, &str)>) -> (u16, Value) {
    let method: reqwest::Method = method.parse().unwrap();
    let mut request = http().request(method.clone(), format!("{base}{path}"));
    if method == reqwest::Method::POST || method == reqwest::Method::PUT {
        request = request.json(&json!({}));
    }
    if let Some((name, value)) = header {
        request = request.header(name, value);
    }
    let response = request.send().await.expect("the Worker answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn every_admin_route_refuses_no_token_and_a_wrong_one_and_every_session_route_no_cookie() {
    let base = url("");
    let mut checked = 0;
    for (method, path, guard) in table().await {
        let attempts: &[Option<&str>] = match guard.as_str() {
            // Without a header, a console session is asked for: none here.
            "admin" | "admin_change" | "helpdesk" | "helpdesk_change" => {
                &[None, Some("Bearer not-the-admin-token-0123456789"), Some("Basic YWRtaW46YWRtaW4=")]
            }
            "session" | "session_change" | "recent_session_change" => &[None],
            _ => continue,
        };
        for authorization in attempts {
            let (status, body) = send(&base, &method, &path, *authorization).await;
            assert_eq!((status, error_code(&body)), (401, "unauthorized"), "{method} {path} with {authorization:?}");
            checked += 1;
        }
    }
    assert!(checked >= 8 * 3 + 6, "every guarded route was tried: {checked}");
}

/// Cross-site request forgery: a state change that rides on the session cookie (or logs someone in or out) is refused
/// when a browser says it comes from another site, whatever the cookie.
#[tokio::test]
async fn every_state_change_is_refused_from_another_site() {
    let base = url("");
    let mut checked = 0;
    for (method, path, guard) in table().await {
        // The admin API too, when it rides on a console session (no bearer token).
        let guards = [
            "same_origin",
            "session_change",
            "recent_session_change",
            "admin",
            "admin_change",
            "helpdesk",
            "helpdesk_change",
        ];
        if !guards.contains(&guard.as_str()) {
            continue;
        }
        for header in [("Origin", "https://evil.example"), ("Origin", "null"), ("Sec-Fetch-Site", "cross-site")] {
            let (status, body) = send_with(&base, &method, &path, Some(header)).await;
            assert_eq!((status, error_code(&body)), (403, "cross_site"), "{method} {path} with {header:?}");
            checked += 1;
        }
        // From the site itself, the request goes on to what it asks (a login is checked, a change needs a session).
        let (status, body) = send_with(&base, &method, &path, Some(("Origin", &base))).await;
        assert_ne!(error_code(&body), "cross_site", "{method} {path} from the site itself: {status} {body}");
    }
    assert!(checked >= 6 * 3, "every such route was tried: {checked}");
}

#[tokio::test]
async fn every_development_route_is_absent_in_production() {
    let dev_routes: Vec<(String, String, String)> =
        table().await.into_iter().filter(|(_, _, guard)| guard == "dev").collect();
    assert!(dev_routes.iter().any(|(_, path, _)| path == "/dev/mailbox"), "{dev_routes:?}");
    let production = Worker::start(
        "production",
        &[
            ("ENVIRONMENT", "production"),
            ("APP_ORIGIN", "https://latchkey.example.org"),
            // Production calls only https services; this test sends no mail.
            ("MAIL_API_BASE", "https://api.resend.com"),
            ("WEBHOOK_URL", ""),
            ("BREACH_CHECK_URL", ""),
        ],
    )
    .await;
    for (method, path, _) in dev_routes {
        let (status, body) = send(&production.url(""), &method, &path, None).await;
        assert_eq!((status, error_code(&body)), (404, "not_found"), "{method} {path} in production");
    }
    // The same Worker serves its API: the 404s are the guard's, not a broken configuration.
    let (status, _) = send(&production.url(""), "GET", "/api/policy", None).await;
    assert_eq!(status, 200);
}
