//! What the session cookie holds: whose session it is, sealed (`seal.rs`, so the cookie names no email — it is the
//! account's address), and the session's token; the account's Durable Object keeps only the token's hash. Pure.
//!
//! The value is `KID~NONCE~DATA.TOKEN`. A cookie set before sealing, `BASE64(ACCOUNT-ID).TOKEN`, names a Durable
//! Object of the client's choosing: it is read only until `LEGACY_SESSIONS_UNTIL` (by when every such session has
//! ended), so nobody was logged out by the change and nobody can use the old form after.

use crate::seal::{Keys, Sealed, NONCE_BYTES};
use crate::token::Token;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// What the account id is sealed for: it opens for nothing else.
const PURPOSE: &str = "session-account";

pub fn value(account_id: &str, token: &Token, keys: &Keys, nonce: [u8; NONCE_BYTES]) -> String {
    handle(PURPOSE, account_id, token, keys, nonce)
}

/// The account id and the token, if `value` is a session cookie these keys open (or, before `legacy_until`, one set
/// before sealing).
pub fn parse(value: &str, keys: &Keys, now: u64, legacy_until: u64) -> Option<(String, Token)> {
    let (whose, token) = value.split_once('.')?;
    match whose.split('~').count() {
        1 if now < legacy_until => {
            Some((String::from_utf8(URL_SAFE_NO_PAD.decode(whose).ok()?).ok()?, Token::parse(token).ok()?))
        }
        1 => None,
        _ => open_handle(PURPOSE, value, keys),
    }
}

/// A token that names the account it belongs to, sealed for `purpose`: a session cookie, and the authorization
/// codes and refresh tokens apps hold (so the token endpoint finds the account's Durable Object without a lookup).
pub fn handle(purpose: &str, account_id: &str, token: &Token, keys: &Keys, nonce: [u8; NONCE_BYTES]) -> String {
    let sealed = keys.seal(purpose, account_id.as_bytes(), nonce);
    format!("{}.{}", sealed.compact(), token.as_str())
}

/// The account id and the token of a [`handle`] sealed for `purpose`.
pub fn open_handle(purpose: &str, value: &str, keys: &Keys) -> Option<(String, Token)> {
    let (whose, token) = value.split_once('.')?;
    let token = Token::parse(token).ok()?;
    let sealed = Sealed::from_compact(whose)?;
    Some((String::from_utf8(keys.open(purpose, &sealed)?).ok()?, token))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000;

    fn keys() -> Keys {
        Keys::parse(crate::seal::TEST_KEYS).unwrap()
    }

    #[test]
    fn the_cookie_names_no_email_and_reads_back() {
        let token = Token::from_bytes(&[5; 32]);
        let cookie = value("parent:ana@school.org", &token, &keys(), [1; NONCE_BYTES]);
        assert!(!cookie.contains("ana") && !cookie.contains(&URL_SAFE_NO_PAD.encode("parent:ana@school.org")));
        let (id, read) = parse(&cookie, &keys(), NOW, 0).unwrap();
        assert_eq!((id.as_str(), read.hash()), ("parent:ana@school.org", token.hash()));
        let other = Keys::parse("k1:HxseHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=").unwrap();
        assert!(parse(&cookie, &other, NOW, 0).is_none(), "another key: not a session");
        let forged = cookie.replacen('~', "~A", 1);
        assert!(parse(&forged, &keys(), NOW, 0).is_none(), "altered: not a session");
        assert!(open_handle("oauth2-code", &cookie, &keys()).is_none(), "sealed for sessions: not a code");
    }

    #[test]
    fn a_cookie_set_before_sealing_is_read_only_until_the_date_set_for_its_end() {
        let token = Token::from_bytes(&[5; 32]);
        let legacy = format!("{}.{}", URL_SAFE_NO_PAD.encode("staff:ana@school.org"), token.as_str());
        let until = NOW + 100;
        assert_eq!(parse(&legacy, &keys(), NOW, until).map(|(id, _)| id).as_deref(), Some("staff:ana@school.org"));
        assert!(parse(&legacy, &keys(), until, until).is_none(), "after the date: a name of the client's choosing");
        for junk in ["", "no-dot", "a~b.c", "a~b~c~d.x"] {
            assert!(parse(junk, &keys(), NOW, until).is_none(), "{junk}");
        }
    }
}
