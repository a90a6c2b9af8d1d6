//! Logging in to other apps through latchkey (OpenID Connect): the client registrations the admin API takes and
//! shows, what the login page learns about the app that asks, and the OAuth 2.0 error codes (RFC 6749 §4.1.2.1, §5.2;
//! OpenID Connect Core §3.1.2.6).

use crate::Audience;
use serde::{Deserialize, Serialize};

/// How a client proves who it is at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientKind {
    /// A browser app or a mobile app: no secret (it could not keep one), PKCE alone binds the code.
    Public,
    /// A web backend: `client_secret_basic` or `client_secret_post`, and PKCE too.
    Confidential,
}

/// How a client's ID tokens are signed (its registration picks one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SigningAlg {
    RS256,
    ES256,
    EdDSA,
}

impl SigningAlg {
    pub const ALL: [SigningAlg; 3] = [SigningAlg::RS256, SigningAlg::ES256, SigningAlg::EdDSA];

    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlg::RS256 => "RS256",
            SigningAlg::ES256 => "ES256",
            SigningAlg::EdDSA => "EdDSA",
        }
    }
}

pub const MIN_ACCESS_TOKEN_TTL_SECS: u32 = 30;
/// Access tokens are checked offline by APIs, so they are short: a revocation reaches every API within this.
pub const MAX_ACCESS_TOKEN_TTL_SECS: u32 = 300;

/// What the admin registers (and replaces, on update).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientRegistration {
    /// What the login page names: "Log in to Sunny Days Parent App".
    pub name: String,
    pub kind: ClientKind,
    /// Exact URIs the code may go to (RFC 9700): https, a loopback http URI (any port, RFC 8252 §7.3) or a private-use
    /// scheme (`org.school.app:/callback`, RFC 8252 §7.1).
    pub redirect_uris: Vec<String>,
    /// Where RP-initiated logout may return to.
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    /// Which accounts may log in to it; none: both.
    #[serde(default)]
    pub audiences: Vec<Audience>,
    /// The scopes it may ask for (`openid` always): `openid`, `email`, `profile`, `offline_access`.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    #[serde(default = "default_alg")]
    pub id_token_signed_response_alg: SigningAlg,
    /// Where a `logout_token` is POSTed when a session it got tokens from ends (Back-Channel Logout 1.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backchannel_logout_uri: Option<String>,
    /// Access-token lifetime, [`MIN_ACCESS_TOKEN_TTL_SECS`]..=[`MAX_ACCESS_TOKEN_TTL_SECS`] (default 300).
    #[serde(default = "default_access_ttl")]
    pub access_token_ttl_secs: u32,
}

fn default_scopes() -> Vec<String> {
    ["openid", "email", "profile", "offline_access"].map(String::from).to_vec()
}

fn default_alg() -> SigningAlg {
    SigningAlg::RS256
}

fn default_access_ttl() -> u32 {
    MAX_ACCESS_TOKEN_TTL_SECS
}

/// A registered client, as the admin API shows it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientView {
    pub client_id: String,
    #[serde(flatten)]
    pub registration: ClientRegistration,
    pub created_at: u64,
    pub updated_at: u64,
}

/// The answer to registering a client or rotating its secret: the secret is shown this once (stored hashed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientCreated {
    pub client: ClientView,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
}

/// Names a client: delete it, rotate its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientRef {
    pub client_id: String,
}

/// A client's registration replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientUpdate {
    pub client_id: String,
    pub registration: ClientRegistration,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientList {
    pub clients: Vec<ClientView>,
}

/// What the login page shows about the app a person logs in to (public: `GET /api/apps?client_id=`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    pub client_id: String,
    pub name: String,
    /// Which accounts may log in to it (both when it says none).
    pub audiences: Vec<Audience>,
}

macro_rules! oauth_errors {
    ($($variant:ident = $code:literal;)+) => {
        /// An OAuth 2.0 / OpenID Connect error code, spelled as the specifications spell it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum OAuthErrorCode { $($variant),+ }

        impl OAuthErrorCode {
            pub fn as_str(self) -> &'static str {
                match self { $(OAuthErrorCode::$variant => $code),+ }
            }
        }
    };
}

oauth_errors! {
    InvalidRequest = "invalid_request";
    InvalidClient = "invalid_client";
    InvalidGrant = "invalid_grant";
    UnauthorizedClient = "unauthorized_client";
    UnsupportedGrantType = "unsupported_grant_type";
    InvalidScope = "invalid_scope";
    AccessDenied = "access_denied";
    UnsupportedResponseType = "unsupported_response_type";
    LoginRequired = "login_required";
    InteractionRequired = "interaction_required";
    InvalidToken = "invalid_token";
    UnsupportedTokenType = "unsupported_token_type";
    ServerError = "server_error";
    TemporarilyUnavailable = "temporarily_unavailable";
}

impl OAuthErrorCode {
    /// The status the token, revocation and introspection endpoints answer it with (RFC 6749 §5.2).
    pub fn http_status(self) -> u16 {
        match self {
            OAuthErrorCode::InvalidClient | OAuthErrorCode::InvalidToken => 401,
            OAuthErrorCode::ServerError => 500,
            OAuthErrorCode::TemporarilyUnavailable => 503,
            _ => 400,
        }
    }
}

/// The error body of the token, revocation, introspection and userinfo endpoints (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthError {
    pub error: OAuthErrorCode,
    /// For developers: what exactly was wrong. Never user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

impl OAuthError {
    pub fn new(error: OAuthErrorCode, description: impl Into<String>) -> OAuthError {
        OAuthError { error, error_description: Some(description.into()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registration_takes_defaults_and_refuses_unknown_fields() {
        let json = r#"{"name":"App","kind":"public","redirect_uris":["https://app.example/cb"]}"#;
        let registration: ClientRegistration = serde_json::from_str(json).unwrap();
        assert_eq!(registration.id_token_signed_response_alg, SigningAlg::RS256);
        assert!(registration.scopes.contains(&"openid".to_owned()));
        assert_eq!(registration.access_token_ttl_secs, MAX_ACCESS_TOKEN_TTL_SECS);
        let unknown = r#"{"name":"App","kind":"public","redirect_uris":[],"grant_types":["password"]}"#;
        assert!(serde_json::from_str::<ClientRegistration>(unknown).is_err());
    }

    #[test]
    fn error_codes_are_spelled_as_the_specifications_spell_them() {
        assert_eq!(serde_json::to_string(&OAuthErrorCode::InvalidGrant).unwrap(), r#""invalid_grant""#);
        assert_eq!(OAuthErrorCode::InvalidGrant.as_str(), "invalid_grant");
        assert_eq!(OAuthErrorCode::InvalidClient.http_status(), 401);
        assert_eq!(serde_json::to_string(&SigningAlg::EdDSA).unwrap(), r#""EdDSA""#);
    }
}
