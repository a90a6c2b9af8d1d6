//! Every endpoint's bad inputs get a 4xx JSON error with a stable code, never a 5xx.

use latchkey_e2e::{admin_token, http, link_for_new_account, post_json, unique_email, url};
use serde_json::Value;

struct Case {
    method: &'static str,
    path: &'static str,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    status: u16,
    code: &'static str,
}

fn case(
    method: &'static str,
    path: &'static str,
    content_type: Option<&'static str>,
    body: impl Into<Vec<u8>>,
    status: u16,
    code: &'static str,
) -> Case {
    Case { method, path, content_type, body: body.into(), status, code }
}

const JSON: Option<&str> = Some("application/json");

#[tokio::test]
async fn bad_inputs_get_stable_4xx_codes() {
    let huge_password =
        format!(r#"{{"token":"{}","password":"{p}","confirm":"{p}"}}"#, "A".repeat(43), p = "x".repeat(10_000));
    let deep = format!(r#"{{"email":{}}}"#, "[".repeat(100_000));
    let mut cases = vec![];
    for path in ["/api/reset-requests", "/api/resets/verify", "/api/resets", "/api/sessions"] {
        cases.push(case("POST", path, Some("text/plain"), "{}", 415, "unsupported_media_type"));
        cases.push(case("POST", path, None, "{}", 415, "unsupported_media_type"));
        cases.push(case("POST", path, JSON, "{\"email\": ", 400, "malformed_json"));
        cases.push(case("POST", path, JSON, b"\xff\xfe\x00".to_vec(), 400, "malformed_json"));
        cases.push(case("POST", path, JSON, "[1, 2]", 422, "invalid_request"));
        cases.push(case("POST", path, JSON, "{\"unexpected\": true}", 422, "invalid_request"));
        cases.push(case("POST", path, JSON, vec![b' '; 40_000], 413, "body_too_large"));
        cases.push(case("GET", path, None, "", 405, "method_not_allowed"));
    }
    cases.extend([
        case("POST", "/api/reset-requests", JSON, r#"{"email":"a@b.org","audience":"pupil"}"#, 422, "invalid_request"),
        // serde would fill a struct from an array of its fields, in order: a body is an object or nothing.
        case("POST", "/api/reset-requests", JSON, r#"["a@b.org", "parent"]"#, 422, "invalid_request"),
        case(
            "POST",
            "/api/reset-requests",
            JSON,
            r#"{"email":"a@b.org","audience":"staff","locale":"fr"}"#,
            422,
            "invalid_request",
        ),
        case("POST", "/api/reset-requests", JSON, deep.clone(), 413, "body_too_large"),
        // Two 10,000-character passwords are over the body cap; one 4,000-character one is refused with the token.
        case("POST", "/api/resets", JSON, huge_password, 413, "body_too_large"),
        case(
            "POST",
            "/api/resets",
            JSON,
            format!(r#"{{"token":"{}","password":"{p}","confirm":"{p}"}}"#, "A".repeat(43), p = "x".repeat(4_000)),
            400,
            "token_invalid",
        ),
        case(
            "POST",
            "/api/resets",
            JSON,
            r#"{"token":"\u0000\u202e","password":"x","confirm":"x"}"#,
            400,
            "token_invalid",
        ),
        case(
            "POST",
            "/api/sessions",
            JSON,
            r#"{"email":"nobody","audience":"staff","password":"x"}"#,
            401,
            "invalid_credentials",
        ),
        case(
            "POST",
            "/api/sessions",
            JSON,
            format!(r#"{{"email":"a@b.org","audience":"staff","password":"{}"}}"#, "é".repeat(4000)),
            401,
            "invalid_credentials",
        ),
        case("GET", "/api/session", None, "", 401, "unauthorized"),
        case("GET", "/api/nope", None, "", 404, "not_found"),
        case("PUT", "/api/policy", JSON, "{}", 405, "method_not_allowed"),
        // Deep nesting inside the size cap: the parser's depth limit refuses it, no stack is exhausted.
        case(
            "POST",
            "/api/resets/verify",
            JSON,
            format!(r#"{{"token":{}}}"#, "[".repeat(5_000)),
            400,
            "malformed_json",
        ),
        // A lone surrogate is not Unicode text.
        case("POST", "/api/resets/verify", JSON, r#"{"token":"\ud800"}"#, 400, "malformed_json"),
        // Header injection and control characters in every email field.
        case(
            "POST",
            "/api/sessions",
            JSON,
            r#"{"email":"a@b.org\nBcc: x@evil.org","audience":"staff","password":"x"}"#,
            401,
            "invalid_credentials",
        ),
        // Duplicate keys are refused, not resolved one way or the other.
        case(
            "POST",
            "/api/reset-requests",
            JSON,
            r#"{"email":"a@b.org","email":"c@d.org","audience":"staff"}"#,
            422,
            "invalid_request",
        ),
    ]);
    // Header injection, control and bidi characters, lists, angle brackets, oversize: never an address.
    let long = format!("{}@b.org", "a".repeat(300));
    for email in
        ["a@b.org\r\nBcc: x@evil.org", "a@b.org\u{0}", "\u{202e}a@b.org", "a@b.org, c@d.org", "<a@b.org>", &long, ""]
    {
        let body = serde_json::json!({"email": email, "audience": "staff"}).to_string();
        cases.push(case("POST", "/api/reset-requests", JSON, body, 422, "invalid_email"));
    }
    let client = http();
    for c in cases {
        let mut request = client.request(c.method.parse().unwrap(), url(c.path)).body(c.body.clone());
        if let Some(content_type) = c.content_type {
            request = request.header("Content-Type", content_type);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let what = format!("{} {} ({} bytes, {:?})", c.method, c.path, c.body.len(), c.content_type);
        assert_eq!(
            (status, body["error"]["code"].as_str().unwrap_or("<no code>")),
            (c.status, c.code),
            "{what}: {body}"
        );
    }
}

#[tokio::test]
async fn admin_bad_inputs_get_stable_codes() {
    let client = http();
    let admin = |path: &str| client.post(url(path)).bearer_auth(admin_token());
    let cases = [
        (
            admin("/api/admin/accounts").header("Content-Type", "application/json").body(
                r#"{"login_email":"a@b.org","audience":"staff","display_name":"","password":"Otter-Harbor-93-Violet"}"#,
            ),
            422,
            "invalid_request",
        ),
        (
            admin("/api/admin/accounts")
                .header("Content-Type", "application/json")
                .body(r#"{"login_email":"a@b.org","audience":"staff","display_name":"A","password":"short"}"#),
            422,
            "password_rejected",
        ),
        (
            admin("/api/admin/accounts").header("Content-Type", "application/json").body(
                r#"{"login_email":"a@b.org","audience":"staff","display_name":"A","password":"x","password_hash":"y"}"#,
            ),
            422,
            "invalid_request",
        ),
        (
            admin("/api/admin/accounts/disable")
                .header("Content-Type", "application/json")
                .body(r#"{"login_email":"nobody@school.test","audience":"staff"}"#),
            404,
            "not_found",
        ),
        (
            admin("/api/admin/accounts/import").header("Content-Type", "text/csv").body("a,b"),
            415,
            "unsupported_media_type",
        ),
    ];
    for (request, status, code) in cases {
        let response = request.send().await.unwrap();
        let got = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        assert_eq!((got, body["error"]["code"].as_str().unwrap_or_default()), (status, code), "{body}");
    }
    let response = client
        .get(url("/api/admin/accounts"))
        .query(&[("email", "not-an-email")])
        .bearer_auth(admin_token())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn odd_unicode_and_huge_passwords_get_verdicts_not_errors() {
    let token = link_for_new_account(&unique_email("unicode", ""), "parent", "Otter-Harbor-93-Violet").await;
    let confirm = |password: String, confirm: String| {
        let token = token.clone();
        async move {
            post_json("/api/resets", &serde_json::json!({"token": token, "password": password, "confirm": confirm}))
                .await
        }
    };
    let refused = |body: &Value| -> Vec<String> {
        body["error"]["unmet"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["message"].as_str().map(str::to_owned))
            .collect()
    };
    // 10,000 characters (one copy: two would pass the body cap): a verdict, not a crash or a timeout.
    let (status, body) = confirm("Ab1!".repeat(2_500), "x".into()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (422, Some("password_mismatch")), "{body}");
    // A base letter under 500 combining marks, an RTL override, a zero-width joiner: counted after NFKC, checked.
    let (status, body) = confirm(format!("a{}", "\u{301}".repeat(500)), format!("a{}", "\u{301}".repeat(500))).await;
    assert_eq!((status, body["error"]["code"].as_str()), (422, Some("password_rejected")), "{body}");
    assert!(refused(&body).contains(&"rule.max_length".to_owned()), "{body}");
    let (status, body) = confirm("Otter\u{202e}Harbor-93-Violet".into(), "Otter\u{202e}Harbor-93-Violet".into()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (422, Some("password_rejected")), "{body}");
    assert_eq!(refused(&body), ["rule.no_control"], "a bidi override is a control character: {body}");
    // Full-width letters and a precomposed/decomposed pair are the same password to the server.
    let (status, body) = confirm("Ｑｕａｒｔｚ-Vivid-Me\u{301}adow-77".into(), "Quartz-Vivid-Méadow-77".into()).await;
    assert_eq!(status, 200, "NFKC makes them one password: {body}");
}

/// A body with no `Content-Length` (chunked) is read only as far as the limit: a client that keeps sending is answered
/// `413` while it sends, instead of being read to the end (which never comes).
/// One chunked request that never ends: what the Worker answers while the body is still coming, and when.
fn endless_chunked_request(address: &str) -> (String, std::time::Duration) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address).expect("the Worker listens");
    let head = format!(
        "POST /api/reset-requests HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let sending = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let still = sending.clone();
    std::thread::spawn(move || {
        let chunk = [b'a'; 4096];
        while still.load(std::sync::atomic::Ordering::Relaxed) {
            let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
            if writer.write_all(&framed).is_err() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    });
    stream.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
    let started = std::time::Instant::now();
    let mut answer = [0u8; 512];
    let read = stream.read(&mut answer).unwrap_or(0);
    sending.store(false, std::sync::atomic::Ordering::Relaxed);
    (String::from_utf8_lossy(&answer[..read]).into_owned(), started.elapsed())
}

/// Whether the Worker's answer was lost between it and this side, so the request is tried again; any answer from the
/// Worker itself is checked. The Worker answers and closes while this side is still writing, and on a loaded machine
/// that race can lose the answer two ways: the close, with body bytes never read, is a TCP reset that overtakes the
/// answer and discards it (the read comes back empty); or `wrangler dev`'s own proxy in front of the Worker
/// (miniflare's entry worker, which a deployed Worker does not have) loses its connection to the Worker and answers
/// `500` "Network connection lost" itself.
fn lost_on_the_way(answer: &str) -> bool {
    answer.is_empty()
        || (answer.starts_with("HTTP/1.1 500")
            && answer.contains("Network connection lost")
            && answer.contains("miniflare"))
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_off_at_the_limit() {
    let address = url("").trim_start_matches("http://").to_owned();
    let (status, waited) = tokio::task::spawn_blocking(move || {
        let mut tried = endless_chunked_request(&address);
        for _ in 0..4 {
            if !lost_on_the_way(&tried.0) {
                break;
            }
            tried = endless_chunked_request(&address);
        }
        tried
    })
    .await
    .unwrap();
    assert!(
        status.starts_with("HTTP/1.1 413"),
        "answered while the body was still coming: {status:?} after {waited:?}"
    );
}
