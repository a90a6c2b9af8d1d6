//! Authorization codes (OpenID Connect). A code carries what it was issued for — the session, the app, the redirect
//! URI, the PKCE challenge, the nonce, the scopes, its expiry — and the account it belongs to, sealed under
//! `SEALING_KEYS` for this purpose alone (AES-256-GCM: nobody can read or alter it). Issuing one therefore writes
//! nothing: the authorization endpoint only reads the account. The account records a code when it is spent, so it
//! works once and its replay is known (`account/apps.rs`). Pure: the nonce comes from the caller.

use crate::hex::hex;
use crate::seal::{Keys, Sealed, NONCE_BYTES};
use crate::token::TokenHash;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// A code lives 60 s (RFC 6749 §4.1.2 says at most 10 minutes).
pub const CODE_TTL_SECS: u64 = 60;
const PURPOSE: &str = "oauth2-code";

/// What a code was issued for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Code {
    /// The latchkey session it was issued in.
    pub session: TokenHash,
    pub client_id: String,
    pub redirect_uri: String,
    pub challenge: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    pub scope: Vec<String>,
    pub expires_at: u64,
    /// The language the app asked for (`ui_locales`): the ID token's `locale` follows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<latchkey_shared::Locale>,
}

#[derive(Serialize, Deserialize)]
struct Payload {
    account: String,
    code: Code,
}

/// The code an app is given for `account_id`: `KID~NONCE~DATA`, base64url.
pub fn seal(keys: &Keys, account_id: &str, code: &Code, nonce: [u8; NONCE_BYTES]) -> String {
    let payload = Payload { account: account_id.to_owned(), code: code.clone() };
    let sealed = keys.seal(PURPOSE, &serde_json::to_vec(&payload).unwrap_or_default(), nonce);
    sealed.compact()
}

/// The account and what the code was issued for, if these keys sealed it as a code.
pub fn open(keys: &Keys, presented: &str) -> Option<(String, Code)> {
    if presented.len() > 4096 {
        return None;
    }
    let sealed = Sealed::from_compact(presented)?;
    let payload: Payload = serde_json::from_slice(&keys.open(PURPOSE, &sealed)?).ok()?;
    Some((payload.account, payload.code))
}

/// How the account remembers a spent code.
pub fn hash(presented: &str) -> TokenHash {
    TokenHash(hex(&Sha256::digest(presented.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_opens_only_as_sealed_and_only_as_a_code() {
        let keys = Keys::parse(crate::seal::TEST_KEYS).unwrap();
        let code = Code {
            session: TokenHash("ab".repeat(32)),
            client_id: "app".into(),
            redirect_uri: "https://app/cb".into(),
            challenge: "c".into(),
            nonce: Some("n".into()),
            scope: vec!["openid".into()],
            expires_at: 60,
            locale: None,
        };
        let sealed = seal(&keys, "parent:ana@school.org", &code, [7; NONCE_BYTES]);
        assert!(!sealed.contains("ana") && !sealed.contains("app/cb"), "nothing readable: {sealed}");
        assert_eq!(open(&keys, &sealed), Some(("parent:ana@school.org".to_owned(), code)));
        let altered = sealed.replacen('~', "~A", 1);
        assert_eq!(open(&keys, &altered), None);
        let session = crate::session_cookie::value(
            "parent:ana@school.org",
            &crate::token::Token::from_bytes(&[1; 32]),
            &keys,
            [7; NONCE_BYTES],
        );
        assert_eq!(open(&keys, &session), None, "a session cookie is not a code");
        assert_ne!(hash(&sealed), hash(&altered));
    }
}
