//! Recovery codes: ten single-use codes for when the phone is lost. Shown once; only a digest of each is kept, keyed
//! by the Worker's sealing key (`KID$HEX`), so stored codes cannot be searched offline without the secret, nor one
//! search cover every account. Each carries 80 random bits, and the person types sixteen characters from an alphabet
//! without look-alikes. Codes stored before the digests were keyed (plain SHA-256) still work, once each.

use crate::hex::hex;
use crate::platform::{random_bytes, RandomError};
use crate::seal::Keys;
use latchkey_shared::Secret;
use sha2::{Digest, Sha256};

/// The purpose the digests are keyed for.
const PURPOSE: &str = "recovery-code";

pub const COUNT: usize = 10;
/// 16 characters of 5 bits each.
pub const CODE_BYTES: usize = 10;
const LENGTH: usize = 16;
/// Crockford's base32: no I, L, O or U, so what is read aloud or copied by hand comes back the same.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A code for display, `XXXX-XXXX-XXXX-XXXX`, from 10 random bytes.
pub fn format(random: &[u8; CODE_BYTES]) -> String {
    let mut bits = 0u128;
    for &byte in random {
        bits = (bits << 8) | u128::from(byte);
    }
    let chars: Vec<char> = (0..LENGTH).map(|i| char::from(ALPHABET[((bits >> (75 - 5 * i)) & 31) as usize])).collect();
    chars.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A typed code in its canonical form, or `None` if it cannot be a recovery code. Case, dashes and spaces do not
/// matter, and the letters people mistake for digits are read as those digits.
pub fn normalize(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(LENGTH);
    for c in typed.chars().filter(|c| !c.is_whitespace() && *c != '-') {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || out.len() == LENGTH {
            return None;
        }
        out.push(c);
    }
    (out.len() == LENGTH).then_some(out)
}

/// What is stored for a code, from its canonical form: `KID$HEX`, keyed by the current sealing key.
pub fn hash(keys: &Keys, canonical: &str) -> String {
    let (kid, digest) = keys.digest(PURPOSE, canonical.as_bytes());
    format!("{kid}${}", hex(&digest))
}

/// Ten new recovery codes, formatted for the person, and their keyed digests (all the account keeps of them).
pub fn issue(keys: &Keys) -> Result<(Vec<Secret<String>>, Vec<String>), RandomError> {
    let codes = (0..COUNT)
        .map(|_| random_bytes::<CODE_BYTES>().map(|bytes| Secret::new(format(&bytes))))
        .collect::<Result<Vec<_>, _>>()?;
    let hashes = codes.iter().map(|code| hash_of_formatted(keys, code.expose_str())).collect();
    Ok((codes, hashes))
}

/// What is stored for a code [`format`] made.
pub fn hash_of_formatted(keys: &Keys, code: &str) -> String {
    hash(keys, &code.replace('-', ""))
}

/// Whether `stored` is what was kept for the code `canonical`: a keyed digest under a key still listed, a keyed
/// digest of the plain SHA-256 kept before digests were keyed ([`wrapped`]), or — not yet swept — that plain SHA-256
/// itself. Compared in constant time.
pub fn matches(stored: &str, canonical: &str, keys: &Keys) -> bool {
    use subtle::ConstantTimeEq;
    let plain = || hex(&Sha256::digest(canonical.as_bytes()));
    let expected = match stored.split('$').collect::<Vec<_>>()[..] {
        [kid, WRAPPED, _] => {
            keys.digest_with(kid, PURPOSE, plain().as_bytes()).map(|d| format!("{kid}${WRAPPED}${}", hex(&d)))
        }
        [kid, _] => keys.digest_with(kid, PURPOSE, canonical.as_bytes()).map(|d| format!("{kid}${}", hex(&d))),
        [_] => Some(plain()),
        _ => None,
    };
    expected.is_some_and(|expected| bool::from(expected.as_bytes().ct_eq(stored.as_bytes())))
}

/// Marks a keyed digest of a plain SHA-256 ([`wrapped`]).
const WRAPPED: &str = "w";

/// What a plain SHA-256 kept before digests were keyed becomes, without the code (which is not kept): a keyed digest
/// of it, `KID$w$HEX`, so no stored code can be searched offline without the secret. Anything else is left as it is.
pub fn wrapped(keys: &Keys, stored: &str) -> Option<String> {
    if stored.contains('$') {
        return None;
    }
    let (kid, digest) = keys.digest(PURPOSE, stored.as_bytes());
    Some(format!("{kid}${WRAPPED}${}", hex(&digest)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_look_alike_only_when_they_are_alike() {
        let code = format(&[0xff; CODE_BYTES]);
        assert_eq!(code, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        assert_eq!(format(&[0; CODE_BYTES]), "0000-0000-0000-0000");
        let mixed = format(&[0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x10, 0x32]);
        assert_eq!(mixed.len(), 19);
        assert_ne!(mixed, format(&[0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x10, 0x33]));
    }

    #[test]
    fn typed_codes_are_forgiven_case_dashes_and_look_alikes() {
        let code = format(&[0x5a; CODE_BYTES]);
        let canonical = normalize(&code).unwrap();
        assert_eq!(normalize(&code.to_lowercase()), Some(canonical.clone()));
        assert_eq!(normalize(&format!(" {} ", code.replace('-', " "))), Some(canonical.clone()));
        assert_eq!(normalize("OIL0-0000-0000-0000"), normalize("0110-0000-0000-0000"));
        for bad in
            ["", "123456", "0000-0000-0000-000", "0000-0000-0000-00000", "0000-0000-0000-000U", "０000-0000-0000-000"]
        {
            assert_eq!(normalize(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn kept_codes_are_keyed_digests_and_plain_ones_kept_before_still_match() {
        let keys = Keys::parse(crate::seal::TEST_KEYS).unwrap();
        let code = format(&[0x5a; CODE_BYTES]);
        let canonical = normalize(&code).unwrap();
        let kept = hash_of_formatted(&keys, &code);
        assert!(kept.starts_with("k1$") && kept.len() == 3 + 64, "{kept}");
        assert!(!kept.contains(&hex(&Sha256::digest(canonical.as_bytes()))), "not the hash anyone can compute");
        assert!(matches(&kept, &canonical, &keys));
        assert!(!matches(&kept, "0000000000000000", &keys));
        let other = Keys::parse("k1:HxseHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=").unwrap();
        assert!(!matches(&kept, &canonical, &other), "another secret under the same id");
        let before = hex(&Sha256::digest(canonical.as_bytes()));
        assert!(matches(&before, &canonical, &keys) && !matches(&before, "0000000000000000", &keys));
    }

    #[test]
    fn a_plain_digest_kept_before_is_swept_into_a_keyed_one_that_still_matches() {
        let keys = Keys::parse(crate::seal::TEST_KEYS).unwrap();
        let canonical = normalize(&format(&[0x33; CODE_BYTES])).unwrap();
        let before = hex(&Sha256::digest(canonical.as_bytes()));
        let swept = wrapped(&keys, &before).expect("a plain digest is wrapped");
        assert!(swept.starts_with("k1$w$") && !swept.contains(&before), "{swept}");
        assert!(matches(&swept, &canonical, &keys) && !matches(&swept, "0000000000000000", &keys));
        assert_eq!(wrapped(&keys, &swept), None, "once");
        assert_eq!(wrapped(&keys, &hash(&keys, &canonical)), None, "a keyed digest stays");
        let other = Keys::parse("k1:HxseHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=").unwrap();
        assert!(!matches(&swept, &canonical, &other));
        assert!(!matches("a$b$c$d", &canonical, &keys), "no other shape matches");
    }
}
