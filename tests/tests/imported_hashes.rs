//! Accounts brought in from another system with their password hashes: bcrypt, PBKDF2-SHA256 (Django, passlib, PHC),
//! scrypt and argon2i/d/id, each made by a library nobody here wrote (tests/fixtures/imported-hashes/make.py, its
//! libraries pinned and installed by scripts/setup). Each imports, logs in with its own password, is argon2id
//! afterwards, and still logs in; a cost outside the bounds is refused with an error naming it.

use latchkey_e2e::client::Client;
use latchkey_e2e::{login, post_json, request_reset, token_in, unique_email, wait_for_mail};
use serde_json::{json, Value};

struct Fixture {
    format: String,
    library: String,
    password: String,
    hash: String,
    /// What the refusal names, for a hash outside the import's bounds.
    refused: Option<String>,
}

/// The hashes, made afresh by the pinned libraries. Fails loudly if they are not installed.
fn fixtures() -> Vec<Fixture> {
    let python = std::env::var("LATCHKEY_HASH_FIXTURES_PYTHON")
        .expect("LATCHKEY_HASH_FIXTURES_PYTHON is unset: run the tests through scripts/test or scripts/e2e");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/imported-hashes/make.py");
    let output = std::process::Command::new(&python)
        .arg(script)
        .output()
        .unwrap_or_else(|e| panic!("{python} does not run ({e}): scripts/setup --browsers installs it"));
    assert!(output.status.success(), "make.py failed: {}", String::from_utf8_lossy(&output.stderr));
    let made: Vec<Value> = serde_json::from_slice(&output.stdout).expect("make.py prints JSON");
    let text = |f: &Value, key: &str| f[key].as_str().unwrap_or_default().to_owned();
    made.iter()
        .map(|f| Fixture {
            format: text(f, "format"),
            library: text(f, "library"),
            password: text(f, "password"),
            hash: text(f, "hash"),
            refused: f["refused"].as_str().map(str::to_owned),
        })
        .collect()
}

async fn account(email: &str) -> Value {
    let path = format!("/api/admin/accounts?email={}", email.replace('+', "%2B"));
    let (status, body) = Client::shared().admin(reqwest::Method::GET, &path, None).await;
    assert_eq!(status, 200, "{body}");
    body["accounts"][0].clone()
}

fn import_line(email: &str, hash: &str) -> String {
    json!({"login_email": email, "audience": "staff", "display_name": "Imported", "password_hash": hash}).to_string()
}

#[tokio::test]
async fn every_format_imports_logs_in_and_becomes_argon2id() {
    let fixtures: Vec<Fixture> = fixtures().into_iter().filter(|f| f.refused.is_none()).collect();
    assert_eq!(fixtures.len(), 10, "bcrypt ×3, PBKDF2 ×3, scrypt, argon2 ×3");
    let emails: Vec<String> = fixtures.iter().map(|f| unique_email(&format!("imported-{}", f.format), "")).collect();
    let lines: Vec<String> = fixtures.iter().zip(&emails).map(|(f, e)| import_line(e, &f.hash)).collect();
    let report = Client::shared().import(&lines).await;
    assert_eq!(report["created"], fixtures.len(), "{report}");

    for (f, email) in fixtures.iter().zip(&emails) {
        let what = format!("{} made by {}", f.format, f.library);
        let scheme = f.format.split('-').next().unwrap_or_default().replace("pbkdf2", "pbkdf2_sha256");
        assert_eq!(account(email).await["password_scheme"], scheme.as_str(), "{what}: stored as imported");
        assert_eq!(
            login(email, "staff", &format!("{}x", f.password)).await,
            Err((401, "invalid_credentials".into())),
            "{what}: a wrong password"
        );
        assert!(login(email, "staff", &f.password).await.is_ok(), "{what}: logs in with its own password");
        assert_eq!(account(email).await["password_scheme"], "argon2id", "{what}: rehashed at the first login");
        assert!(login(email, "staff", &f.password).await.is_ok(), "{what}: the same password, now argon2id");
    }
}

#[tokio::test]
async fn a_reset_replaces_an_imported_hash_and_refuses_it_as_history() {
    let fixture = fixtures().into_iter().find(|f| f.format == "pbkdf2-django").expect("a Django hash");
    let email = unique_email("imported-reset", "");
    let report = Client::shared().import(&[import_line(&email, &fixture.hash)]).await;
    assert_eq!(report["created"], 1, "{report}");
    request_reset(&email, "staff").await;
    let token = token_in(&wait_for_mail(&email, 1).await[0]);
    let again = json!({"token": token, "password": fixture.password, "confirm": fixture.password});
    let (status, body) = post_json("/api/resets", &again).await;
    assert_eq!((status, body["error"]["code"].as_str()), (422, Some("password_reused")), "{body}");
    let new_password = "Imported-Reset-Lagoon-58";
    let (status, body) =
        post_json("/api/resets", &json!({"token": token, "password": new_password, "confirm": new_password})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(account(&email).await["password_scheme"], "argon2id");
    assert!(login(&email, "staff", new_password).await.is_ok());
    assert_eq!(login(&email, "staff", &fixture.password).await, Err((401, "invalid_credentials".into())));
}

#[tokio::test]
async fn a_cost_outside_the_bounds_is_refused_naming_it() {
    let refused: Vec<Fixture> = fixtures().into_iter().filter(|f| f.refused.is_some()).collect();
    assert_eq!(refused.len(), 4);
    let lines: Vec<String> =
        refused.iter().map(|f| import_line(&unique_email(&format!("refused-{}", f.format), ""), &f.hash)).collect();
    let report = Client::shared().import(&lines).await;
    assert_eq!(report["created"], 0, "{report}");
    for (i, f) in refused.iter().enumerate() {
        let failure = &report["failed"][i];
        assert_eq!((failure["line"].as_u64(), failure["code"].as_str()), (Some(i as u64 + 1), Some("invalid_request")));
        let detail = failure["detail"].as_str().unwrap_or_default();
        let names = f.refused.as_deref().unwrap_or_default();
        assert!(detail.contains("password_hash") && detail.contains(names), "{}: {detail}", f.format);
    }
}
