//! Token decoding: a string is a token only if it is exactly 43 base64url characters, decoding is lossless, and any
//! 32 random bytes make a token that decodes again.
#![no_main]

use latchkey_edge::token;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, [u8; 32])| {
    let (text, bytes) = input;
    if let Ok(parsed) = token::Token::parse(text) {
        assert_eq!(parsed.as_str(), text);
        assert_eq!(text.len(), token::TOKEN_CHARS);
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{text:?}");
        assert_eq!(parsed.hash().0.len(), 64);
    }
    let made = token::Token::from_bytes(&bytes);
    let again = token::Token::parse(made.as_str()).expect("a made token decodes");
    assert_eq!(again.hash(), made.hash());
});
