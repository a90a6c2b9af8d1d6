//! Sealing what must travel or rest where others can read it (a queue message holding a reset link, an authenticator
//! app's key in the account's storage): AES-256-GCM under the Worker's `SEALING_KEYS` secret, each sealed value naming
//! its key, so keys can rotate — the first key seals, every listed key opens. The purpose is bound in, so a value
//! sealed for one use never opens for another. The same keys give keyed digests (HMAC-SHA256 under a key derived for
//! each purpose, never the sealing key itself): recovery codes' hashes and audit pseudonyms, which nobody without the
//! secret can compute. Pure: the nonce comes from the caller (the platform's CSPRNG).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::Aes256Gcm;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use latchkey_shared::Secret;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

pub const NONCE_BYTES: usize = 12;

/// A key for the unit tests of what is sealed.
#[cfg(test)]
pub const TEST_KEYS: &str = "k1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// The keys, parsed from `SEALING_KEYS`: `ID:BASE64,ID:BASE64…`, each a 32-byte key.
#[derive(Debug, Clone)]
pub struct Keys(Vec<(String, Secret<[u8; 32]>)>);

/// A sealed value: which key, the nonce and the ciphertext with its tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    pub kid: String,
    pub nonce: String,
    pub data: String,
}

impl Sealed {
    /// The form a sealed value travels in, in a token or a field: `KID~NONCE~DATA` (none of the three holds `~`).
    pub fn compact(&self) -> String {
        format!("{}~{}~{}", self.kid, self.nonce, self.data)
    }

    /// A value in [`Sealed::compact`]'s form; none for anything else.
    pub fn from_compact(text: &str) -> Option<Sealed> {
        let [kid, nonce, data] = text.split('~').collect::<Vec<_>>()[..] else { return None };
        Some(Sealed { kid: kid.to_owned(), nonce: nonce.to_owned(), data: data.to_owned() })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeysError {
    #[error("expected ID:KEY[,ID:KEY…], each KEY 32 bytes in base64 (make one with `openssl rand -base64 32`)")]
    Shape,
    #[error("key id `{0}` is given twice")]
    Repeated(String),
}

impl Keys {
    pub fn parse(raw: &str) -> Result<Keys, KeysError> {
        let mut keys: Vec<(String, Secret<[u8; 32]>)> = Vec::new();
        for entry in raw.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (kid, key) = entry.split_once(':').ok_or(KeysError::Shape)?;
            let kid = kid.trim();
            if kid.is_empty() || !kid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                return Err(KeysError::Shape);
            }
            let bytes = STANDARD.decode(key.trim()).map_err(|_| KeysError::Shape)?;
            let key: [u8; 32] = bytes.try_into().map_err(|_| KeysError::Shape)?;
            if keys.iter().any(|(known, _)| known == kid) {
                return Err(KeysError::Repeated(kid.to_owned()));
            }
            keys.push((kid.to_owned(), Secret::new(key)));
        }
        if keys.is_empty() {
            return Err(KeysError::Shape);
        }
        Ok(Keys(keys))
    }

    /// Seals `plaintext` for `purpose` under the first key.
    pub fn seal(&self, purpose: &str, plaintext: &[u8], nonce: [u8; NONCE_BYTES]) -> Sealed {
        let (kid, key) = &self.0[0];
        let cipher = Aes256Gcm::new(&(*key.expose()).into());
        let data = cipher
            .encrypt(&nonce.into(), Payload { msg: plaintext, aad: purpose.as_bytes() })
            .expect("AES-GCM seals any message shorter than 64 GiB");
        Sealed { kid: kid.clone(), nonce: URL_SAFE_NO_PAD.encode(nonce), data: URL_SAFE_NO_PAD.encode(data) }
    }

    /// The id of the key that seals now.
    pub fn current_kid(&self) -> &str {
        &self.0[0].0
    }

    /// A keyed digest of `message` for `purpose` under the current key, with that key's id.
    pub fn digest(&self, purpose: &str, message: &[u8]) -> (&str, [u8; 32]) {
        let (kid, key) = &self.0[0];
        (kid, keyed_digest(key.expose(), purpose, message))
    }

    /// A keyed digest of `message` for `purpose` under the key `kid`, if it is still listed.
    pub fn digest_with(&self, kid: &str, purpose: &str, message: &[u8]) -> Option<[u8; 32]> {
        let (_, key) = self.0.iter().find(|(known, _)| known == kid)?;
        Some(keyed_digest(key.expose(), purpose, message))
    }

    /// Opens a value sealed for `purpose` under any listed key; `None` if the key is gone or anything was altered.
    pub fn open(&self, purpose: &str, sealed: &Sealed) -> Option<Vec<u8>> {
        let (_, key) = self.0.iter().find(|(kid, _)| kid == &sealed.kid)?;
        let nonce: [u8; NONCE_BYTES] = URL_SAFE_NO_PAD.decode(&sealed.nonce).ok()?.try_into().ok()?;
        let data = URL_SAFE_NO_PAD.decode(&sealed.data).ok()?;
        let cipher = Aes256Gcm::new(&(*key.expose()).into());
        cipher.decrypt(&nonce.into(), Payload { msg: &data, aad: purpose.as_bytes() }).ok()
    }
}

/// HMAC-SHA256 of `message` under a key derived from `key` for `purpose` (itself an HMAC), so a digest made for one
/// purpose says nothing about another and the sealing key is never used for anything but sealing.
fn keyed_digest(key: &[u8; 32], purpose: &str, message: &[u8]) -> [u8; 32] {
    let hmac = |key: &[u8], data: &[u8]| -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC accepts any key length");
        mac.update(data);
        mac.finalize().into_bytes().into()
    };
    let derived = hmac(key, format!("latchkey digest key: {purpose}").as_bytes());
    hmac(&derived, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = TEST_KEYS;
    const TWO: &str = "k2:HxseHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=";

    #[test]
    fn a_sealed_value_opens_only_with_its_key_for_its_purpose_unaltered() {
        let keys = Keys::parse(ONE).unwrap();
        let sealed = keys.seal("reset-token", b"the-token", [7; NONCE_BYTES]);
        assert!(!sealed.data.contains("the-token"));
        assert_eq!(keys.open("reset-token", &sealed).as_deref(), Some(&b"the-token"[..]));
        assert_eq!(keys.open("session", &sealed), None, "another purpose");
        let mut altered = sealed.clone();
        altered.data.replace_range(0..1, if altered.data.starts_with('A') { "B" } else { "A" });
        assert_eq!(keys.open("reset-token", &altered), None, "altered");
        assert_eq!(Keys::parse(TWO).unwrap().open("reset-token", &sealed), None, "another key");
    }

    #[test]
    fn keys_rotate_the_first_seals_every_one_opens() {
        let old = Keys::parse(ONE).unwrap();
        let sealed_before = old.seal("reset-token", b"x", [1; NONCE_BYTES]);
        let rotated = Keys::parse(&format!("{TWO},{ONE}")).unwrap();
        assert_eq!(rotated.open("reset-token", &sealed_before).as_deref(), Some(&b"x"[..]));
        assert_eq!(rotated.seal("reset-token", b"x", [1; NONCE_BYTES]).kid, "k2");
    }

    #[test]
    fn bad_keys_are_refused_and_never_printed() {
        for bad in ["", "k1", "k1:short", "k 1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", &format!("{ONE},{ONE}")] {
            assert!(Keys::parse(bad).is_err(), "{bad}");
        }
        assert!(!format!("{:?}", Keys::parse(ONE).unwrap()).contains("AAECAw"));
    }

    #[test]
    fn digests_are_keyed_per_key_and_purpose() {
        let keys = Keys::parse(&format!("{TWO},{ONE}")).unwrap();
        let (kid, digest) = keys.digest("recovery-code", b"ABCD");
        assert_eq!((kid, keys.digest_with("k2", "recovery-code", b"ABCD")), ("k2", Some(digest)));
        assert_ne!(keys.digest_with("k1", "recovery-code", b"ABCD"), Some(digest), "another key");
        assert_ne!(keys.digest("pseudonym", b"ABCD").1, digest, "another purpose");
        assert_eq!(keys.digest_with("k3", "recovery-code", b"ABCD"), None, "a key no longer listed");
        use sha2::Digest;
        assert_ne!(&digest[..], &Sha256::digest(b"ABCD")[..], "not the plain hash anyone can compute");
    }
}
