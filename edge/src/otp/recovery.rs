//! Recovery codes: ten single-use codes for when the phone is lost. Shown once; only their SHA-256 hashes are kept.
//! Each carries 80 random bits, so an unsalted fast hash is enough (nobody can search 2^80 codes), and the person
//! types sixteen characters from an alphabet without look-alikes.

use crate::hex::hex;
use sha2::{Digest, Sha256};

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

/// What is stored for a code, from its canonical form.
pub fn hash(canonical: &str) -> String {
    hex(&Sha256::digest(canonical.as_bytes()))
}

/// What is stored for a code [`format`] made.
pub fn hash_of_formatted(code: &str) -> String {
    hash(&code.replace('-', ""))
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
        assert_eq!(hash(&canonical).len(), 64);
        assert_eq!(hash_of_formatted(&code), hash(&canonical));
        assert_ne!(hash(&canonical), hash("0000000000000000"));
    }
}
