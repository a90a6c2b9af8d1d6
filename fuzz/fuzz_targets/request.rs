//! Request parsing: any body is either one of the API's requests or refused with a 4xx code (never a panic), and any
//! email the parser accepts is normalised, holds nothing that could break a mail header, and parses to itself.
#![no_main]

use latchkey_edge::{body, email};
use latchkey_shared::api::{CodeRequest, LoginRequest, NewAccount, ResetConfirm, ResetRequest, VerifyRequest};
use latchkey_shared::ErrorCode;
use libfuzzer_sys::fuzz_target;

fn refused_cleanly<T: serde::de::DeserializeOwned>(data: &[u8]) -> Option<T> {
    match body::parse_json::<T>(data, body::MAX_JSON_BODY) {
        Ok(parsed) => Some(parsed),
        Err(err) => {
            assert!(
                matches!(err.code, ErrorCode::MalformedJson | ErrorCode::InvalidRequest | ErrorCode::BodyTooLarge),
                "{:?}",
                err.code
            );
            assert!(err.code.http_status() < 500);
            None
        }
    }
}

fn check_email(raw: &str) {
    if let Ok(parsed) = email::Email::parse(raw) {
        let text = parsed.as_str();
        assert!(!text.chars().any(|c| c.is_control() || c.is_whitespace() || ",;<>\"".contains(c)), "{text:?}");
        assert_eq!(text, text.to_lowercase());
        assert!(text.len() <= email::MAX_EMAIL_LEN);
        // The key parses to itself (what it was parsed from may also have an earlier form; the key has none to keep).
        let again = email::Email::parse(text).map(|e| e.as_str().to_owned());
        assert_eq!(again.as_deref(), Ok(text), "parsing is idempotent");
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some(request) = refused_cleanly::<ResetRequest>(data) {
        check_email(&request.email);
    }
    if let Some(login) = refused_cleanly::<LoginRequest>(data) {
        check_email(&login.email);
    }
    if let Some(account) = refused_cleanly::<NewAccount>(data) {
        check_email(&account.login_email);
    }
    refused_cleanly::<ResetConfirm>(data);
    refused_cleanly::<VerifyRequest>(data);
    refused_cleanly::<CodeRequest>(data);
    if let Ok(text) = std::str::from_utf8(data) {
        check_email(text);
    }
});
