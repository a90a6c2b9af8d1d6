//! Registered clients (the apps people log in to): what a registration may hold, how redirect URIs are matched, and
//! the secret a confidential client proves itself with. Pure. Stored in KV (`store::oauth2_client`), which every
//! location reads: a change reaches them all within KV's cache time, 60 s.

use crate::hex::hex;
use latchkey_shared::oauth::{
    ClientKind, ClientRegistration, ClientView, SigningAlg, MAX_ACCESS_TOKEN_TTL_SECS, MIN_ACCESS_TOKEN_TTL_SECS,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use url::Url;

/// The scopes latchkey knows.
pub const SCOPES: [&str; 4] = ["openid", "email", "profile", "offline_access"];
const MAX_URIS: usize = 10;
const MAX_URI_CHARS: usize = 512;
const MAX_NAME_CHARS: usize = 80;

/// A client as stored: what the admin API shows, and the hash of its secret (a random 256-bit value, so one SHA-256
/// is enough: there is nothing to guess).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    #[serde(flatten)]
    pub view: ClientView,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationError {
    #[error("`name` must be 1 to {MAX_NAME_CHARS} characters, with no control characters")]
    Name,
    #[error("`redirect_uris` must list 1 to {MAX_URIS} URIs")]
    RedirectCount,
    #[error("`{field}`: `{uri}` {problem}")]
    Uri { field: &'static str, uri: String, problem: &'static str },
    #[error("`scopes` must include `openid` and only: openid, email, profile, offline_access")]
    Scopes,
    #[error("`access_token_ttl_secs` must be {MIN_ACCESS_TOKEN_TTL_SECS} to {MAX_ACCESS_TOKEN_TTL_SECS}")]
    AccessTokenTtl,
    #[error("`id_token_signed_response_alg`: no configured key signs with {0}")]
    Alg(&'static str),
}

/// Whether a URI is one a code may be sent to (RFC 8252, RFC 9700): https anywhere; http only to a loopback IP
/// literal (a native app's listener; `localhost` also on a development Worker); a private-use scheme with a dot in it
/// (reverse domain, RFC 8252 §7.1) for a public client. Never a fragment, user info or wildcard.
fn check_uri(field: &'static str, raw: &str, kind: ClientKind, dev: bool) -> Result<(), RegistrationError> {
    let bad = |problem| Err(RegistrationError::Uri { field, uri: raw.chars().take(MAX_URI_CHARS).collect(), problem });
    if raw.len() > MAX_URI_CHARS {
        return bad("is too long");
    }
    let Ok(url) = Url::parse(raw) else { return bad("is not an absolute URI") };
    if url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() || raw.contains('*') {
        return bad("must have no fragment, user info or wildcard");
    }
    let loopback_ip = matches!(url.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
        || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback());
    match url.scheme() {
        "https" if url.host_str().is_some() => Ok(()),
        "http" if loopback_ip || (dev && url.host_str() == Some("localhost")) => Ok(()),
        "http" => bad("must be https (http only to a loopback address: 127.0.0.1 or [::1])"),
        scheme if scheme.contains('.') && kind == ClientKind::Public => Ok(()),
        _ => bad(
            "must be https, loopback http, or a private-use scheme like `org.school.app:/callback` (public clients)",
        ),
    }
}

/// Checks a registration against the rules and the signing keys configured (`algorithms`); `dev` on a development
/// Worker.
pub fn check(registration: &ClientRegistration, algorithms: &[SigningAlg], dev: bool) -> Result<(), RegistrationError> {
    let name = registration.name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(RegistrationError::Name);
    }
    if registration.redirect_uris.is_empty() || registration.redirect_uris.len() > MAX_URIS {
        return Err(RegistrationError::RedirectCount);
    }
    if registration.post_logout_redirect_uris.len() > MAX_URIS {
        return Err(RegistrationError::RedirectCount);
    }
    for uri in &registration.redirect_uris {
        check_uri("redirect_uris", uri, registration.kind, dev)?;
    }
    for uri in &registration.post_logout_redirect_uris {
        check_uri("post_logout_redirect_uris", uri, registration.kind, dev)?;
    }
    if let Some(uri) = &registration.backchannel_logout_uri {
        // latchkey POSTs to it: an https service (or a loopback one on a development Worker).
        let url = Url::parse(uri).ok();
        let local = url.as_ref().and_then(Url::host_str).is_some_and(crate::host::is_loopback_host);
        let ok = url.as_ref().is_some_and(|u| {
            u.fragment().is_none() && (u.scheme() == "https" || (u.scheme() == "http" && local && dev))
        });
        if !ok || uri.len() > MAX_URI_CHARS {
            return Err(RegistrationError::Uri {
                field: "backchannel_logout_uri",
                uri: uri.chars().take(MAX_URI_CHARS).collect(),
                problem: "must be an https URI with no fragment",
            });
        }
    }
    let scopes = &registration.scopes;
    if !scopes.iter().any(|s| s == "openid") || scopes.iter().any(|s| !SCOPES.contains(&s.as_str())) {
        return Err(RegistrationError::Scopes);
    }
    if !(MIN_ACCESS_TOKEN_TTL_SECS..=MAX_ACCESS_TOKEN_TTL_SECS).contains(&registration.access_token_ttl_secs) {
        return Err(RegistrationError::AccessTokenTtl);
    }
    let alg = registration.id_token_signed_response_alg;
    if !algorithms.contains(&alg) {
        return Err(RegistrationError::Alg(alg.as_str()));
    }
    Ok(())
}

pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

impl Client {
    pub fn id(&self) -> &str {
        &self.view.client_id
    }

    pub fn registration(&self) -> &ClientRegistration {
        &self.view.registration
    }

    /// Whether `presented` is this confidential client's secret (compared in constant time).
    pub fn secret_matches(&self, presented: &str) -> bool {
        let Some(stored) = &self.secret_hash else { return false };
        stored.as_bytes().ct_eq(secret_hash(presented).as_bytes()).into()
    }

    /// Whether `uri` is one of the registered redirect URIs: exactly (RFC 9700), except that a loopback one matches
    /// on any port (RFC 8252 §7.3: a native app listens where the system lets it).
    pub fn redirects_to(&self, uri: &str) -> bool {
        self.registration().redirect_uris.iter().any(|registered| registered == uri || same_but_port(registered, uri))
    }

    pub fn may_log_out_to(&self, uri: &str) -> bool {
        self.registration().post_logout_redirect_uris.iter().any(|registered| registered == uri)
    }
}

fn same_but_port(registered: &str, presented: &str) -> bool {
    let (Ok(mut a), Ok(mut b)) = (Url::parse(registered), Url::parse(presented)) else { return false };
    let loopback = |u: &Url| {
        u.scheme() == "http"
            && (matches!(u.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
                || matches!(u.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback()))
    };
    if !loopback(&a) || !loopback(&b) {
        return false;
    }
    let _ = (a.set_port(None), b.set_port(None));
    a == b
}

/// Clients for other modules' tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    pub fn registration(kind: ClientKind, uris: &[&str]) -> ClientRegistration {
        let json = serde_json::json!({"name": "Sunny Days", "kind": kind, "redirect_uris": uris});
        serde_json::from_value(json).unwrap()
    }

    /// A client `id` of `kind`, its secret `secret` (none when empty), redirecting to `https://app/cb`.
    pub fn client(id: &str, kind: ClientKind, secret: &str) -> Client {
        let view = ClientView {
            client_id: id.into(),
            registration: registration(kind, &["https://app/cb"]),
            created_at: 0,
            updated_at: 0,
        };
        Client { view, secret_hash: (!secret.is_empty()).then(|| secret_hash(secret)) }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::registration;
    use super::*;

    fn client(uris: &[&str]) -> Client {
        let view = ClientView {
            client_id: "app".into(),
            registration: registration(ClientKind::Public, uris),
            created_at: 0,
            updated_at: 0,
        };
        Client { view, secret_hash: Some(secret_hash("s3cret")) }
    }

    #[test]
    fn native_and_web_redirect_uris_follow_rfc_8252() {
        let all = [SigningAlg::RS256];
        for ok in ["https://app.school.org/cb", "http://127.0.0.1/cb", "http://[::1]:8080/cb", "org.school.app:/cb"] {
            assert_eq!(check(&registration(ClientKind::Public, &[ok]), &all, false), Ok(()), "{ok}");
        }
        for bad in [
            "http://app.school.org/cb",
            "https://app.school.org/cb#x",
            "https://*.school.org/cb",
            "https://u:p@app.school.org/cb",
            "cb",
            "javascript:alert(1)",
            "http://localhost/cb",
        ] {
            assert!(check(&registration(ClientKind::Public, &[bad]), &all, false).is_err(), "{bad}");
        }
        assert!(check(&registration(ClientKind::Confidential, &["org.school.app:/cb"]), &all, false).is_err());
        assert!(check(&registration(ClientKind::Public, &["http://localhost:9/cb"]), &all, true).is_ok(), "dev");
        assert!(check(&registration(ClientKind::Public, &[]), &all, false).is_err());
    }

    #[test]
    fn a_registration_asks_only_for_what_latchkey_has() {
        let mut r = registration(ClientKind::Public, &["https://a.example/cb"]);
        r.id_token_signed_response_alg = SigningAlg::EdDSA;
        assert_eq!(check(&r, &[SigningAlg::RS256], false), Err(RegistrationError::Alg("EdDSA")));
        r.id_token_signed_response_alg = SigningAlg::RS256;
        r.scopes = vec!["email".into()];
        assert_eq!(check(&r, &[SigningAlg::RS256], false), Err(RegistrationError::Scopes));
        r.scopes = vec!["openid".into()];
        r.access_token_ttl_secs = 3600;
        assert_eq!(check(&r, &[SigningAlg::RS256], false), Err(RegistrationError::AccessTokenTtl));
        r.access_token_ttl_secs = 60;
        r.name = "\u{7}".into();
        assert_eq!(check(&r, &[SigningAlg::RS256], false), Err(RegistrationError::Name));
    }

    #[test]
    fn redirect_uris_match_exactly_but_a_loopback_one_on_any_port() {
        let c = client(&["https://app.school.org/cb", "http://127.0.0.1/cb"]);
        assert!(c.redirects_to("https://app.school.org/cb"));
        for other in ["https://app.school.org/cb/", "https://app.school.org/cb?x=1", "https://APP.school.org/cb2"] {
            assert!(!c.redirects_to(other), "{other}");
        }
        assert!(c.redirects_to("http://127.0.0.1:51234/cb"));
        assert!(!c.redirects_to("http://127.0.0.1:51234/other"));
        assert!(c.secret_matches("s3cret") && !c.secret_matches("s3cre") && !c.secret_matches(""));
    }
}
