//! Logging in to an app through latchkey, as an app does it: the `openidconnect` crate (the widely used Rust
//! relying-party library) discovers the provider and exchanges, refreshes and checks tokens; this module registers
//! the apps and plays the browser's part of the authorization request (a GET with the person's cookie, redirects
//! read, not followed).

use crate::client::Client;
use crate::{base_url, fakes_url};
use openidconnect::core::{CoreClient, CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreTokenResponse};
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};
use serde_json::{json, Value};
use std::time::Duration;

/// The signing keys every test Worker has (`OIDC_SIGNING_KEYS`): an RS256, an ES256 and an EdDSA key.
pub const TEST_KEYS: &str = include_str!("../fixtures/oidc-keys.json");

/// A client as discovery leaves it: authorization endpoint set, token and userinfo endpoints from the metadata.
pub type Rp =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// HTTP as an app should make it: never following a redirect.
pub fn http() -> openidconnect::reqwest::Client {
    openidconnect::reqwest::Client::builder()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("an HTTP client")
}

pub async fn metadata() -> CoreProviderMetadata {
    let issuer = IssuerUrl::new(base_url()).expect("an issuer URL");
    CoreProviderMetadata::discover_async(issuer, &http()).await.expect("discovery works")
}

/// A registered app.
#[derive(Debug, Clone)]
pub struct App {
    pub id: String,
    pub secret: Option<String>,
    pub redirect_uri: String,
    pub alg: String,
}

/// Where the stack's fake app receives back-channel logouts for `label`.
pub fn backchannel_uri(label: &str) -> String {
    format!("{}/backchannel/{label}", fakes_url())
}

impl App {
    /// Registers an app through the admin API: `extra` is merged into a public client's registration.
    pub async fn register(admin: &Client, extra: Value) -> App {
        let mut registration = json!({
            "name": "Sunny Days Parent App",
            "kind": "public",
            "redirect_uris": ["https://app.sunnydays.test/callback"],
            "post_logout_redirect_uris": ["https://app.sunnydays.test/bye"],
        });
        for (k, v) in extra.as_object().expect("an object") {
            registration[k] = v.clone();
        }
        let (status, created) =
            admin.admin(reqwest::Method::POST, "/api/admin/oauth2/clients", Some(&registration)).await;
        assert_eq!(status, 201, "{created}");
        App {
            id: created["client"]["client_id"].as_str().expect("an id").to_owned(),
            secret: created["client_secret"].as_str().map(str::to_owned),
            redirect_uri: registration["redirect_uris"][0].as_str().expect("a URI").to_owned(),
            alg: created["client"]["id_token_signed_response_alg"].as_str().expect("an alg").to_owned(),
        }
    }

    pub fn client(&self, metadata: &CoreProviderMetadata) -> Rp {
        let secret = self.secret.clone().map(ClientSecret::new);
        CoreClient::from_provider_metadata(metadata.clone(), ClientId::new(self.id.clone()), secret)
            .set_redirect_uri(RedirectUrl::new(self.redirect_uri.clone()).expect("a redirect URI"))
    }

    pub fn signing_alg(&self) -> CoreJwsSigningAlgorithm {
        match self.alg.as_str() {
            "ES256" => CoreJwsSigningAlgorithm::EcdsaP256Sha256,
            "EdDSA" => CoreJwsSigningAlgorithm::EdDsa,
            _ => CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        }
    }
}

/// An authorization request as the app made it: what it keeps to finish the login.
pub struct Started {
    pub url: url::Url,
    pub state: CsrfToken,
    pub nonce: Nonce,
    pub verifier: PkceCodeVerifier,
}

/// The app's authorization URL, with PKCE, a nonce, `scopes` and `extra` parameters.
pub fn start(rp: &Rp, scopes: &[&str], extra: &[(&str, &str)]) -> Started {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let mut request = rp
        .authorize_url(
            AuthenticationFlow::<openidconnect::core::CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge);
    for scope in scopes {
        request = request.add_scope(Scope::new((*scope).to_owned()));
    }
    for (name, value) in extra {
        request = request.add_extra_param(*name, *value);
    }
    let (url, state, nonce) = request.url();
    Started { url, state, nonce, verifier }
}

/// Where the authorization endpoint sent the browser, for a person with `person`'s cookie (none: logged out).
pub async fn follow(url: &str, person: Option<&Client>) -> (u16, String) {
    let mut request = http().get(url);
    if let Some(cookie) = person.and_then(Client::cookie) {
        request = request.header("Cookie", cookie);
    }
    let response = request.send().await.expect("the authorization endpoint answers");
    let status = response.status().as_u16();
    let location = response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_owned();
    (status, location)
}

/// The value of `name` in the query of `url`.
pub fn param(url: &str, name: &str) -> Option<String> {
    let parsed = url::Url::parse(url).or_else(|_| url::Url::parse(&format!("{}{url}", base_url()))).ok()?;
    parsed.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// The code for a logged-in `person`, checking the redirect carries the state and the issuer (RFC 9207).
pub async fn code_for(started: &Started, person: &Client) -> String {
    let (status, location) = follow(started.url.as_str(), Some(person)).await;
    assert_eq!(status, 302, "{location}");
    assert_eq!(param(&location, "state").as_deref(), Some(started.state.secret().as_str()), "{location}");
    assert_eq!(param(&location, "iss"), Some(base_url()), "{location}");
    param(&location, "code").unwrap_or_else(|| panic!("a code: {location}"))
}

/// The claims of a JWT, unchecked (for the claims a library does not surface; the signature is checked elsewhere).
pub fn claims(jwt: &str) -> Value {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).expect("a JWT");
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).expect("base64url"))
        .expect("JSON")
}

/// Checks a JWT's signature against the provider's JWKS as an API would (the `jsonwebtoken` crate): its claims.
pub async fn verified(jwt: &str, audience: &str) -> Value {
    let header = jsonwebtoken::decode_header(jwt).expect("a JWT header");
    let jwks: jsonwebtoken::jwk::JwkSet =
        http().get(format!("{}/oauth2/jwks", base_url())).send().await.expect("the JWKS").json().await.expect("a JWKS");
    let kid = header.kid.clone().expect("a kid");
    let jwk = jwks.find(&kid).unwrap_or_else(|| panic!("key {kid} is published"));
    let key = jsonwebtoken::DecodingKey::from_jwk(jwk).expect("a usable key");
    let mut validation = jsonwebtoken::Validation::new(header.alg);
    validation.set_audience(&[audience]);
    validation.set_issuer(&[base_url()]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
    jsonwebtoken::decode::<Value>(jwt, &key, &validation).expect("signed by latchkey, for this audience").claims
}

/// The logout tokens the stack's fake app received for `label`.
pub async fn logout_tokens(label: &str) -> Vec<String> {
    let url = format!("{}/inspect/backchannel?label={label}", fakes_url());
    crate::http().get(url).send().await.expect("the fakes answer").json().await.expect("a list")
}

/// Serves the demo app (`demo/`) as scripts/dev does, at `http://localhost:PORT/` — another site than the Worker's
/// `127.0.0.1`, so a browser treats the trip to latchkey as the cross-site navigation it is for a real app —, its
/// `config.json` naming the shared Worker and `client_id`. The base URL, ending in `/`.
pub fn serve_demo(client_id: &str) -> String {
    serve_demo_for(&base_url(), client_id, "localhost")
}

/// [`serve_demo`] for the Worker at `issuer`, at `http://HOST:PORT/` (`127.0.0.1` when the Worker is `localhost`).
pub fn serve_demo_for(issuer: &str, client_id: &str, host: &str) -> String {
    use crate::fake_http::{listen, Response};
    let config = json!({"issuer": issuer, "client_id": client_id}).to_string();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo");
    let port = listen(0, move |request| {
        let name = request.path.trim_start_matches('/').split(['?', '#']).next().unwrap_or_default();
        let (content_type, body) = match name {
            "" | "index.html" => ("text/html; charset=utf-8", std::fs::read(dir.join("index.html"))),
            "demo.js" => ("text/javascript", std::fs::read(dir.join("demo.js"))),
            "demo.css" => ("text/css", std::fs::read(dir.join("demo.css"))),
            "config.json" => return Response::json(200, config.clone()),
            _ => return Response::text(404, "not found"),
        };
        match body {
            Ok(body) => Response { status: 200, content_type, location: None, retry_after: None, body },
            Err(err) => Response::text(500, err.to_string()),
        }
    });
    format!("http://{host}:{port}/")
}

/// The code exchanged, as the app does it (PKCE verifier included): the token response.
pub async fn exchange(rp: &Rp, code: String, verifier: PkceCodeVerifier) -> CoreTokenResponse {
    rp.exchange_code(AuthorizationCode::new(code))
        .expect("a token endpoint")
        .set_pkce_verifier(verifier)
        .request_async(&http())
        .await
        .unwrap_or_else(|e| panic!("the code exchange works: {e:?}"))
}

/// Logs `person` in to the app with `scopes`: the authorization request, the code, the exchange.
pub async fn log_in_to(rp: &Rp, person: &Client, scopes: &[&str]) -> CoreTokenResponse {
    let started = start(rp, scopes, &[]);
    let code = code_for(&started, person).await;
    exchange(rp, code, started.verifier).await
}
