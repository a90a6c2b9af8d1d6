//! Time-based one-time passwords as RFC 6238 defines them and every authenticator app implements them: HMAC-SHA-1 over
//! the number of 30-second steps since the epoch, dynamically truncated (RFC 4226) to 6 digits.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// 160 bits, the length RFC 4226 recommends for SHA-1.
pub const SECRET_BYTES: usize = 20;
pub const STEP_SECS: u64 = 30;
pub const DIGITS: u32 = 6;
/// Steps either side of now a code is still accepted from: a phone's clock a little off, a code typed as it turned.
pub const DRIFT_STEPS: u64 = 1;

/// The time step `now` (unix seconds) falls in.
pub fn step_at(now: u64) -> u64 {
    now / STEP_SECS
}

/// The `digits`-digit code for a step (RFC 4226's HOTP with the step as counter).
pub fn code_at(secret: &[u8], step: u64, digits: u32) -> u32 {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(secret).expect("HMAC accepts any key length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let truncated = u32::from_be_bytes([digest[offset], digest[offset + 1], digest[offset + 2], digest[offset + 3]]);
    (truncated & 0x7fff_ffff) % 10u32.pow(digits)
}

/// A code as a person types it: six digits, spaces allowed (apps show `123 456`). `None` for anything else.
pub fn parse_code(typed: &str) -> Option<u32> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == DIGITS as usize && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// The step whose code `code` is, among now and [`DRIFT_STEPS`] either side, if it is later than `after` (the last
/// step a code was accepted for): a code works once, and an older one never after a newer.
pub fn matching_step(secret: &[u8], code: u32, now: u64, after: Option<u64>) -> Option<u64> {
    let current = step_at(now);
    (current.saturating_sub(DRIFT_STEPS)..=current + DRIFT_STEPS)
        .filter(|&step| after.is_none_or(|last| step > last))
        .find(|&step| code_at(secret, step, DIGITS) == code)
}

/// RFC 4648 base32, unpadded: how authenticator apps take a secret.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The `otpauth://` URI an authenticator app reads from the QR code (Google Authenticator's key URI format). The label
/// shows the issuer and the login email, so a person with several accounts can tell them apart.
pub fn otpauth_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    let issuer = percent_encode(issuer);
    format!(
        "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        percent_encode(account),
        base32(secret)
    )
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B: the SHA-1 seed and the 8-digit codes at its test times.
    #[test]
    fn rfc_6238_test_vectors() {
        let seed = b"12345678901234567890";
        let vectors: [(u64, u32); 6] = [
            (59, 94287082),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ];
        for (time, expected) in vectors {
            assert_eq!(code_at(seed, step_at(time), 8), expected, "T = {time}");
        }
        // The 6-digit code is the same truncation's last six digits.
        assert_eq!(code_at(seed, step_at(59), DIGITS), 287082);
    }

    /// RFC 4226 appendix D: HOTP values for counters 0..9.
    #[test]
    fn rfc_4226_test_vectors() {
        let expected = [755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489];
        for (counter, code) in expected.into_iter().enumerate() {
            assert_eq!(code_at(b"12345678901234567890", counter as u64, 6), code, "counter {counter}");
        }
    }

    #[test]
    fn a_code_matches_within_one_step_and_only_after_the_last_used() {
        let secret = b"12345678901234567890";
        let now = 1_800_000_015;
        let step = step_at(now);
        let code = |s| code_at(secret, s, DIGITS);
        assert_eq!(matching_step(secret, code(step), now, None), Some(step));
        assert_eq!(matching_step(secret, code(step - 1), now, None), Some(step - 1));
        assert_eq!(matching_step(secret, code(step + 1), now, None), Some(step + 1));
        assert_eq!(matching_step(secret, code(step - 2), now, None), None, "too old");
        assert_eq!(matching_step(secret, code(step + 2), now, None), None, "too far ahead");
        assert_eq!(matching_step(secret, code(step), now, Some(step)), None, "already used");
        assert_eq!(matching_step(secret, code(step - 1), now, Some(step)), None, "older than the last used");
        assert_eq!(matching_step(secret, code(step + 1), now, Some(step)), Some(step + 1));
        assert_eq!(matching_step(b"another secret......", code(step), now, None), None);
    }

    #[test]
    fn codes_are_six_digits_spaces_allowed() {
        assert_eq!(parse_code("123456"), Some(123456));
        assert_eq!(parse_code(" 012 345 "), Some(12345));
        for bad in ["12345", "1234567", "12345a", "１２３４５６", "", "-12345", "+12345"] {
            assert_eq!(parse_code(bad), None, "{bad:?}");
        }
    }

    /// RFC 4648 section 10.
    #[test]
    fn base32_test_vectors() {
        let vectors = [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base32(plain.as_bytes()), encoded);
        }
        assert_eq!(base32(&[0u8; SECRET_BYTES]).len(), 32);
    }

    #[test]
    fn the_uri_names_issuer_and_account_and_carries_the_secret() {
        let uri = otpauth_uri("Oak School", "ana+staff@school.org", b"foobar");
        assert_eq!(
            uri,
            "otpauth://totp/Oak%20School:ana%2Bstaff%40school.org?secret=MZXW6YTBOI&issuer=Oak%20School\
             &algorithm=SHA1&digits=6&period=30"
        );
    }
}
