//! latchkey as an OpenID Connect provider, so a school's web and mobile apps log people in through it with any
//! ordinary OIDC library. Pure: the signing keys ([`keys`]), the tokens' claims ([`jwt`]), client registrations
//! ([`clients`]), the authorization request ([`authorize`]), the token endpoints' requests and client authentication
//! ([`token_request`]) and the discovery document (here). The shells: WebCrypto
//! signing ([`sign`]) and the endpoints (`handlers::oidc`); codes and refresh tokens are account state
//! (`account::apps`).

pub mod authorize;
pub mod clients;
pub mod jwt;
pub mod keys;
pub mod page;
pub mod sign;
pub mod token_request;

use latchkey_shared::oauth::SigningAlg;
use serde_json::{json, Value};

pub const JWKS_PATH: &str = "/oauth2/jwks";
/// How long discovery and the JWKS may be cached: a key published ahead of a rotation is seen by every app within it.
pub const PUBLIC_MAX_AGE_SECS: u32 = 3600;

/// The discovery document (OpenID Connect Discovery 1.0 §3) for the issuer `issuer`.
pub fn discovery(issuer: &str, algorithms: &[SigningAlg]) -> Value {
    let at = |path: &str| format!("{issuer}{path}");
    json!({
        "issuer": issuer,
        "authorization_endpoint": at("/oauth2/authorize"),
        "token_endpoint": at("/oauth2/token"),
        "userinfo_endpoint": at("/oauth2/userinfo"),
        "jwks_uri": at(JWKS_PATH),
        "revocation_endpoint": at("/oauth2/revoke"),
        "introspection_endpoint": at("/oauth2/introspect"),
        "end_session_endpoint": at("/oauth2/logout"),
        "scopes_supported": clients::SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": algorithms.iter().map(|a| a.as_str()).collect::<Vec<_>>(),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": [
            "iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "amr", "sid",
            "email", "email_verified", "name", "account_type", "locale"
        ],
        "prompt_values_supported": ["none", "login", "consent", "select_account"],
        "ui_locales_supported": ["en", "es"],
        "authorization_response_iss_parameter_supported": true,
        "backchannel_logout_supported": true,
        "backchannel_logout_session_supported": true,
        "request_parameter_supported": false,
        "request_uri_parameter_supported": false,
        "claims_parameter_supported": false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_names_every_endpoint_under_the_issuer_and_only_the_code_flow() {
        let doc = discovery("https://id.school.org", &[SigningAlg::RS256, SigningAlg::ES256]);
        assert_eq!(doc["issuer"], "https://id.school.org");
        for endpoint in
            ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint"]
        {
            assert!(doc[endpoint].as_str().unwrap().starts_with("https://id.school.org/"), "{endpoint}");
        }
        assert_eq!(doc["response_types_supported"], json!(["code"]));
        assert_eq!(doc["code_challenge_methods_supported"], json!(["S256"]));
        assert_eq!(doc["id_token_signing_alg_values_supported"], json!(["RS256", "ES256"]));
    }
}
