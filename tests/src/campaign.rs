//! What the campaign tests and the load run share: many accounts made by one import, the campaigns' progress, and
//! what the fake provider counted for them.

use crate::client::Client;
use serde_json::{json, Value};

/// The password of every account [`import_parents`] makes.
pub const PASSWORD: &str = "Campaign-Otter-93-Violet";

/// An argon2id hash of [`PASSWORD`] as another system would export it (cheap parameters: an import stores it as it
/// is, so making thousands of accounts costs no hashing).
pub fn imported_hash() -> String {
    use argon2::password_hash::PasswordHasher;
    let params = argon2::Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_with_salt(PASSWORD.as_bytes(), b"campaign-salt-16")
        .expect("argon2 works")
        .to_string()
}

/// The address of the `n`th account of a run named `run`, with the fake provider's behaviour `tag` (none: "").
pub fn address(run: &str, n: usize, tag: &str) -> String {
    let tag = if tag.is_empty() { String::new() } else { format!("+{tag}") };
    format!("{run}-{n}{tag}@school.test")
}

/// Makes `count` parent accounts of run `run` through the admin import, 500 lines a request; their addresses.
pub async fn import_parents(worker: &Client, run: &str, count: usize, tag: &str) -> Vec<String> {
    let hash = imported_hash();
    let emails: Vec<String> = (0..count).map(|n| address(run, n, tag)).collect();
    for chunk in emails.chunks(500) {
        let lines: Vec<String> = chunk
            .iter()
            .map(|email| {
                json!({"login_email": email, "audience": "parent", "display_name": format!("Family {email}"),
                       "password_hash": hash, "locale": "es"})
                .to_string()
            })
            .collect();
        let report = worker.import(&lines).await;
        assert_eq!(report["created"].as_u64(), Some(chunk.len() as u64), "{report}");
    }
    emails
}

/// `GET /api/admin/campaigns`: the campaign `id`, as it stands.
pub async fn campaign(worker: &Client, id: &str) -> Option<Value> {
    let (status, body) = worker.admin(reqwest::Method::GET, "/api/admin/campaigns", None).await;
    if status != 200 {
        return None;
    }
    body["campaigns"].as_array()?.iter().find(|c| c["id"] == id).cloned()
}

/// What the fake provider counted for recipients whose address holds `contains`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    pub recipients: u64,
    pub deliveries: u64,
    pub most_to_one: u64,
    pub flaky_throttled: u64,
    pub flaky_failed: u64,
}

pub fn counted(contains: &str) -> Counted {
    let url = format!("{}/inspect/mail/summary?contains={}", crate::fakes_url(), crate::http1::encode(contains));
    let (status, body) = crate::http1::request("GET", &url).expect("the test stack's fakes answer");
    assert_eq!(status, 200, "{body}");
    let summary: Value = serde_json::from_str(&body).expect("a JSON summary");
    let n = |field: &str| summary[field].as_u64().unwrap_or(0);
    Counted {
        recipients: n("recipients"),
        deliveries: n("deliveries"),
        most_to_one: n("most_to_one"),
        flaky_throttled: n("flaky_throttled"),
        flaky_failed: n("flaky_failed"),
    }
}
