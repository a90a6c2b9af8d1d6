//! The development mailbox: what the `dev-mailbox` provider "sent", listed with clickable links; operation counts,
//! argon2 and imported-hash timing for the benchmark; an account's clock, moved forward by the tests of expiries; the
//! route table. Exist only when `ENVIRONMENT` is `dev` (the route table's dev guard); everywhere else these paths are
//! 404.

use super::{Call, HandlerResult};
use crate::account::commands::dev::AdvanceClock;
use crate::body::MAX_JSON_BODY;
use crate::email::Email;
use crate::failure::Internal;
use crate::mail::template::escape;
use crate::store;
use latchkey_shared::api::{Mailbox, MailboxMessage};

/// `POST /dev/clock` with `{login_email, audience, advance_secs}`: moves that account's clock forward — its Durable
/// Object decides every expiry by it (links, codes, sessions, deadlines) — answering `{clock_offset_secs}`. Only that
/// account's time moves, so tests sharing one Worker do not disturb each other.
pub async fn clock(mut call: Call<'_>) -> HandlerResult {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Asked {
        login_email: String,
        audience: latchkey_shared::Audience,
        advance_secs: u64,
    }
    let asked: Asked = call.json(MAX_JSON_BODY).await?;
    let email = Email::parse(&asked.login_email)
        .map_err(|e| call.error(latchkey_shared::ErrorCode::InvalidEmail).with_detail(e.to_string()))?;
    let id = call.account_id_for(asked.audience, &email).await?;
    let offset = call.account(&id, AdvanceClock { secs: asked.advance_secs }).await?.map_err(|r| call.refusal(r))?;
    call.reply(200, &serde_json::json!({ "clock_offset_secs": offset }))
}

/// `GET /dev/ops`: operation counts since the isolate started.
pub fn ops(call: Call<'_>) -> HandlerResult {
    call.reply(200, &crate::metrics::snapshot())
}

/// `POST /dev/argon2?n=N` (N ≤ 50): N argon2id hashes with the configured parameters. workerd freezes the clock
/// during a request, so the benchmark times this from outside against `n=0`.
pub fn argon2(call: Call<'_>) -> HandlerResult {
    let url = call.req.url().map_err(Internal::Request)?;
    let n: u32 = url.query_pairs().find(|(k, _)| k == "n").and_then(|(_, v)| v.parse().ok()).unwrap_or(1).min(50);
    for i in 0..n {
        crate::password::hash(&format!("benchmark-{i}"), call.config.hash_params)?;
    }
    call.reply(200, &serde_json::json!({ "hashes": n }))
}

/// `POST /dev/verify?n=N` (N ≤ 50) with `{password, hash}`: verifies the password against the hash N times, as a
/// login would (any format an import takes), answering whether it matched; the benchmark times it from outside.
pub async fn verify(mut call: Call<'_>) -> HandlerResult {
    #[derive(serde::Deserialize)]
    struct Verify {
        password: String,
        hash: String,
    }
    let url = call.req.url().map_err(Internal::Request)?;
    let n: u32 = url.query_pairs().find(|(k, _)| k == "n").and_then(|(_, v)| v.parse().ok()).unwrap_or(1).min(50);
    let body: Verify = call.json(crate::body::MAX_JSON_BODY).await?;
    let matched = (0..n).fold(true, |all, _| crate::password::verify(&body.password, &body.hash) && all);
    call.reply(200, &serde_json::json!({ "verified": n, "matched": matched }))
}

/// `POST /dev/sign?alg=ALG&n=N` (N ≤ 200): signs an ID token's worth of claims N times with the configured key for
/// ALG (RS256, ES256, EdDSA) through WebCrypto; the benchmark times it from outside against n=0.
pub async fn sign(call: Call<'_>) -> HandlerResult {
    let url = call.req.url().map_err(Internal::Request)?;
    let query = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let n: u32 = query("n").and_then(|v| v.parse().ok()).unwrap_or(1).min(200);
    let alg = latchkey_shared::oauth::SigningAlg::ALL
        .into_iter()
        .find(|a| Some(a.as_str()) == query("alg").as_deref())
        .ok_or_else(|| {
            call.error(latchkey_shared::ErrorCode::InvalidRequest).with_detail("alg: RS256, ES256 or EdDSA")
        })?;
    let keys = super::oidc::keys(&call)?;
    let claims = serde_json::json!({"iss": call.config.app_origin, "sub": "benchmark", "aud": "benchmark", "iat": 0});
    for _ in 0..n {
        crate::oidc::sign::sign(keys, alg, None, &claims).await?;
    }
    call.reply(200, &serde_json::json!({ "signed": n, "alg": alg }))
}

/// `POST /dev/passkey?kind=registration|assertion&n=N` (N ≤ 200) with one of the benchmark's fixtures
/// (`edge/examples/passkey_bench.rs`): verifies its registration or its sign-in N times, as the account does; the
/// benchmark times it from outside against n=0.
pub async fn passkey(mut call: Call<'_>) -> HandlerResult {
    use crate::webauthn::{data, verify_assertion, verify_registration, Expected, RelyingParty};
    #[derive(serde::Deserialize)]
    struct Ceremony<C> {
        challenge: String,
        credential: C,
    }
    #[derive(serde::Deserialize)]
    struct Fixture {
        rp_id: String,
        origin: String,
        public_key: String,
        registration: Ceremony<latchkey_shared::api::RegistrationCredential>,
        assertion: Ceremony<latchkey_shared::api::AssertionCredential>,
    }
    let url = call.req.url().map_err(Internal::Request)?;
    let query = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let n: u32 = query("n").and_then(|v| v.parse().ok()).unwrap_or(1).min(200);
    let fixture: Fixture = call.json(crate::body::MAX_JSON_BODY).await?;
    let rp = RelyingParty { id: fixture.rp_id, name: "Bench".into(), origins: vec![fixture.origin] };
    let bad = || call.error(latchkey_shared::ErrorCode::InvalidRequest);
    let key = data::decode(&fixture.public_key).map_err(|_| bad())?;
    let (register, sign_in) =
        (data::decode(&fixture.registration.challenge), data::decode(&fixture.assertion.challenge));
    let (register, sign_in) = (register.map_err(|_| bad())?, sign_in.map_err(|_| bad())?);
    let verified = (0..n).all(|_| match query("kind").as_deref() {
        Some("registration") => {
            let expected = Expected { rp: &rp, challenge: &register, user_verification: false };
            verify_registration(&expected, &fixture.registration.credential).is_ok()
        }
        _ => {
            let expected = Expected { rp: &rp, challenge: &sign_in, user_verification: false };
            verify_assertion(&expected, &fixture.assertion.credential, &key, 0).is_ok()
        }
    });
    call.reply(200, &serde_json::json!({ "verified": n, "ok": verified }))
}

async fn messages(call: &Call<'_>) -> Result<Vec<MailboxMessage>, latchkey_shared::ApiError> {
    let kv = call.kv()?;
    let mut messages: Vec<MailboxMessage> = store::list_json(&kv, "mailbox:").await.map_err(Internal::Kv)?;
    messages.reverse(); // newest first
    Ok(messages)
}

/// `GET /dev/mailbox.json`.
pub async fn json(call: Call<'_>) -> HandlerResult {
    let messages = messages(&call).await?;
    call.reply(200, &Mailbox { messages })
}

/// `GET /dev/mailbox`.
pub async fn page(call: Call<'_>) -> HandlerResult {
    let messages = messages(&call).await?;
    let mut items = String::new();
    for m in &messages {
        items.push_str(&format!(
            "<article><h2>{}</h2><p class=\"meta\">To {} · {}</p><pre>{}</pre></article>",
            escape(&m.subject),
            escape(&m.to.join(", ")),
            call.config.site.when(m.sent_at),
            linkify(&m.text)
        ));
    }
    if messages.is_empty() {
        items.push_str(
            "<p>No mail yet. Ask for a reset on <a href=\"/restore-password\">the restore-password page</a>.</p>",
        );
    }
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Dev mailbox · latchkey</title><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"/site.css\"></head><body><main class=\"mailbox\">\
         <h1>Dev mailbox</h1><p class=\"hint\">Mail the Worker sent in development. Never enabled in production.</p>{items}</main></body></html>"
    );
    let mut response = worker::Response::from_html(html).map_err(Internal::Respond)?;
    let headers = response.headers_mut();
    headers
        .set(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'",
        )
        .map_err(Internal::Respond)?;
    Ok(response)
}

/// Escapes text and turns http(s) URLs into links.
fn linkify(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            let trimmed = word.trim_end();
            if trimmed.starts_with("http://") || trimmed.starts_with("https://") {
                let url = escape(trimmed);
                format!("<a href=\"{url}\">{url}</a>{}", &word[trimmed.len()..])
            } else {
                escape(word)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::linkify;

    #[test]
    fn links_become_clickable_and_the_rest_is_escaped() {
        assert_eq!(
            linkify("Go to http://127.0.0.1:8787/reset#t=abc now <b>"),
            "Go to <a href=\"http://127.0.0.1:8787/reset#t=abc\">http://127.0.0.1:8787/reset#t=abc</a> now &lt;b&gt;"
        );
    }
}
