//! JSON Web Tokens latchkey signs — ID tokens, access tokens (RFC 9068) and logout tokens — and reads back (its own
//! access tokens, an `id_token_hint`). Pure: the claims, the signing input and taking a token apart; the signature
//! is made and checked by the WebCrypto shell (`oidc/sign.rs`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use latchkey_shared::oauth::SigningAlg;
use latchkey_shared::{Audience, Locale};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The `typ` of an access token (RFC 9068 §2.1) and of a logout token (Back-Channel Logout 1.0 §2.4).
pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";
pub const LOGOUT_TOKEN_TYPE: &str = "logout+jwt";
/// The event a logout token carries.
pub const BACKCHANNEL_LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub alg: SigningAlg,
    pub kid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
}

/// What every ID token says, and with the right scopes, who the person is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdTokenClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub exp: u64,
    pub iat: u64,
    pub auth_time: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    pub amr: Vec<String>,
    pub sid: String,
    #[serde(flatten)]
    pub person: PersonClaims,
}

/// The claims the `email` and `profile` scopes give (in the ID token and from userinfo).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonClaims {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// latchkey checked the address: an invitation or a reset link reached it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_verified: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Staff or parent: named so it cannot be taken for `aud`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type: Option<Audience>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// Who the person is, as the account knows them: what [`PersonClaims::for_scope`] chooses from.
pub struct Person<'a> {
    pub email: &'a str,
    pub email_verified: bool,
    pub name: &'a str,
    pub audience: Audience,
    pub locale: Locale,
}

impl PersonClaims {
    /// The claims `scope` gives of `person`: `email` the address and whether it is verified; `profile` the name, the
    /// account type and the language.
    pub fn for_scope(scope: &[String], person: &Person<'_>) -> PersonClaims {
        let has = |wanted: &str| scope.iter().any(|s| s == wanted);
        let (email, profile) = (has("email"), has("profile"));
        PersonClaims {
            email: email.then(|| person.email.to_owned()),
            email_verified: email.then_some(person.email_verified),
            name: profile.then(|| person.name.to_owned()),
            account_type: profile.then_some(person.audience),
            locale: profile.then(|| person.locale.as_str().to_owned()),
        }
    }
}

/// An access token (RFC 9068): short, checked offline against the JWKS by an API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub client_id: String,
    pub exp: u64,
    pub iat: u64,
    pub jti: String,
    pub scope: String,
    pub sid: String,
    pub auth_time: u64,
    /// Which account and grant, sealed: opaque to everyone but latchkey, which finds the grant with it.
    pub grant: String,
}

/// A Back-Channel Logout 1.0 logout token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogoutTokenClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub iat: u64,
    pub exp: u64,
    pub jti: String,
    pub sid: String,
    pub events: serde_json::Value,
}

impl LogoutTokenClaims {
    pub fn new(iss: &str, sub: &str, aud: &str, sid: &str, jti: String, now: u64) -> LogoutTokenClaims {
        LogoutTokenClaims {
            iss: iss.to_owned(),
            sub: sub.to_owned(),
            aud: aud.to_owned(),
            iat: now,
            exp: now + 120,
            jti,
            sid: sid.to_owned(),
            events: serde_json::json!({ BACKCHANNEL_LOGOUT_EVENT: {} }),
        }
    }
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `BASE64URL(header).BASE64URL(claims)`: what the signature covers.
pub fn signing_input(header: &Header, claims: &impl Serialize) -> String {
    let header = serde_json::to_vec(header).unwrap_or_default();
    let claims = serde_json::to_vec(claims).unwrap_or_default();
    format!("{}.{}", b64(&header), b64(&claims))
}

/// The compact token: the signing input and the signature.
pub fn assemble(signing_input: &str, signature: &[u8]) -> String {
    format!("{signing_input}.{}", b64(signature))
}

/// A token taken apart, its signature not yet checked.
#[derive(Debug)]
pub struct Unverified<C> {
    pub header: Header,
    pub claims: C,
    pub signing_input: String,
    pub signature: Vec<u8>,
}

/// Takes a compact JWS apart; `None` for anything that is not one with these claims. Bounded: a token longer than
/// any latchkey makes is not read.
pub fn parse<C: DeserializeOwned>(token: &str) -> Option<Unverified<C>> {
    if token.len() > 8192 {
        return None;
    }
    let mut parts = token.split('.');
    let (header, claims, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some(Unverified {
        header: serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?,
        claims: serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).ok()?).ok()?,
        signing_input: format!("{header}.{claims}"),
        signature: URL_SAFE_NO_PAD.decode(signature).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_taken_apart_as_it_was_put_together() {
        let header = Header { alg: SigningAlg::ES256, kid: "k".into(), typ: Some(LOGOUT_TOKEN_TYPE.into()) };
        let claims = LogoutTokenClaims::new("https://id.school", "sub-1", "app", "sid-1", "j".into(), 100);
        let input = signing_input(&header, &claims);
        let token = assemble(&input, &[1, 2, 3]);
        let back: Unverified<LogoutTokenClaims> = parse(&token).unwrap();
        assert_eq!(
            (back.header, back.claims.clone(), back.signing_input, back.signature),
            (header, claims, input, vec![1, 2, 3])
        );
        assert!(back.claims.events.get(BACKCHANNEL_LOGOUT_EVENT).is_some());
        for junk in ["", "a.b", "a.b.c.d", "!!.!!.!!", &"a".repeat(9000)] {
            assert!(parse::<LogoutTokenClaims>(junk).is_none(), "{junk}");
        }
    }

    #[test]
    fn claims_a_scope_did_not_ask_for_are_left_out() {
        let ana = Person {
            email: "ana@school.org",
            email_verified: true,
            name: "Ana",
            audience: Audience::Parent,
            locale: Locale::Es,
        };
        let json = |scope: &[&str]| {
            let scope: Vec<String> = scope.iter().map(|s| (*s).to_owned()).collect();
            serde_json::to_string(&PersonClaims::for_scope(&scope, &ana)).unwrap()
        };
        assert_eq!(json(&["openid"]), "{}");
        assert_eq!(json(&["openid", "email"]), r#"{"email":"ana@school.org","email_verified":true}"#);
        assert_eq!(json(&["openid", "profile"]), r#"{"name":"Ana","account_type":"parent","locale":"es"}"#);
        let both = json(&["openid", "email", "profile", "offline_access"]);
        assert!(both.contains("email_verified") && both.contains("account_type"), "{both}");
    }
}
