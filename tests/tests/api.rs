//! The HTTP API of a running Worker.

use latchkey_e2e::{http, url};
use latchkey_shared::api::PolicyResponse;
use latchkey_shared::{ApiError, ErrorCode, Policy};

#[tokio::test]
async fn policy_endpoint_serves_the_configured_policy() {
    let response = http().get(url("/api/policy")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["access-control-allow-origin"], "*", "the widget fetches it from other origins");
    assert_eq!(headers["cache-control"], "no-store");
    let body: PolicyResponse = response.json().await.unwrap();
    // wrangler.toml configures the brief's preset; scripts/test shortens links to KV's minimum, 60 s.
    let mut expected = Policy::brief_default();
    expected.rules.token_lifetime_secs = 60;
    assert_eq!(body.policy, expected);
}

#[tokio::test]
async fn the_openapi_document_and_the_no_op_route() {
    let doc: serde_json::Value = http().get(url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/resets"]["post"].is_object());
    let health: serde_json::Value = http().get(url("/api/health")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
}

#[tokio::test]
async fn policy_preflight_allows_cross_origin_reads() {
    let response = http().request(reqwest::Method::OPTIONS, url("/api/policy")).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn unknown_api_paths_and_methods_get_json_errors() {
    let cases = [
        (reqwest::Method::GET, "/api/nope", ErrorCode::NotFound, 404),
        (reqwest::Method::POST, "/api/policy", ErrorCode::MethodNotAllowed, 405),
        (reqwest::Method::DELETE, "/api/policy", ErrorCode::MethodNotAllowed, 405),
    ];
    for (method, path, code, status) in cases {
        let response = http().request(method.clone(), url(path)).send().await.unwrap();
        assert_eq!(response.status(), status, "{method} {path}");
        let body: ApiError = response.json().await.unwrap();
        assert_eq!(body.code(), code, "{method} {path}");
    }
}

#[tokio::test]
async fn errors_speak_the_readers_language() {
    let response = http().get(url("/api/nope")).header("Accept-Language", "es-ES,es;q=0.9").send().await.unwrap();
    let body: ApiError = response.json().await.unwrap();
    assert_eq!(body.error.message, "Aquí no hay nada.");
}

#[tokio::test]
async fn pages_and_the_widget_are_served() {
    for (path, kind) in [
        ("/", "text/html"),
        ("/latchkey.js", "javascript"),
        ("/latchkey.d.ts", "text/plain"),
        ("/widget/latchkey_widget_bg.wasm", "wasm"),
    ] {
        let response = http().get(url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let content_type = response.headers()["content-type"].to_str().unwrap().to_owned();
        assert!(content_type.contains(kind), "{path}: {content_type}");
    }
}
