//! The HTTP API of a running Worker.

use latchkey_e2e::{http, url};
use latchkey_shared::api::PolicyResponse;
use latchkey_shared::{ApiError, ErrorCode, Policy};
use sha2::{Digest, Sha256};

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

/// The estimator's wasm and word lists are named after their content and cached for good; the two files that name
/// them (the worker and files.js) are not, so a new build is picked up.
#[tokio::test]
async fn the_estimators_files_are_named_by_content_and_kept() {
    let get = |path: String| async move {
        let response = http().get(url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
        let (cache, kind, cors) =
            (header("cache-control"), header("content-type"), header("access-control-allow-origin"));
        (cache.unwrap_or_default(), kind.unwrap_or_default(), cors, response.bytes().await.unwrap())
    };
    for path in ["/latchkey-estimator.js", "/widget/estimator/files.js"] {
        let (cache, kind, cors, _) = get(path.to_owned()).await;
        assert!(!cache.contains("immutable") && kind.contains("javascript"), "{path}: {cache}, {kind}");
        assert_eq!(cors.as_deref(), Some("*"), "{path}: other origins import it");
    }
    let (_, _, _, files) = get("/widget/estimator/files.js".to_owned()).await;
    let files = String::from_utf8(files.to_vec()).unwrap();
    let json = files.lines().find_map(|line| line.strip_prefix("export default ")).unwrap().trim_end_matches(';');
    let files: serde_json::Value = serde_json::from_str(json).unwrap();
    let wasm = files["wasm"].as_str().unwrap();
    let (cache, kind, _, bytes) = get(format!("/widget/estimator/{wasm}")).await;
    assert!(cache.contains("immutable") && kind.contains("wasm"), "{wasm}: {cache}, {kind}");
    let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    assert!(wasm.ends_with(&format!("-{}.wasm", &digest[..16])), "{wasm} is not named after its content");
    let shards = files["tier2"].as_array().unwrap();
    assert_eq!(shards.len(), 64);
    for list in [files["tier1"].as_str().unwrap(), shards[0].as_str().unwrap(), shards[63].as_str().unwrap()] {
        let (cache, kind, _, bytes) = get(format!("/widget/estimator/{list}")).await;
        // text/plain: a type CDNs compress (the lists are mostly words).
        assert!(cache.contains("immutable") && kind.starts_with("text/plain"), "{list}: {cache}, {kind}");
        assert!(!bytes.is_empty() && list.starts_with("lists/t"), "{list}");
        let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert!(list.ends_with(&format!("-{}.bin", &digest[..16])), "{list} is not named after its content");
    }
}
