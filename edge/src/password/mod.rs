//! argon2id hashing and verification, with configurable parameters and PHC strings; hashes imported from other
//! systems are verified until the first login makes them argon2id ([`imported`]).

pub mod imported;

pub use imported::{ImportError, Imported};
use latchkey_shared::api::PasswordScheme;

use crate::platform::{random_bytes, RandomError};
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// argon2id parameters. The default is OWASP's minimum: 19 MiB, 2 passes, 1 lane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for HashParams {
    fn default() -> Self {
        HashParams { memory_kib: 19_456, iterations: 2, parallelism: 1 }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("argon2 parameters are invalid: {0}")]
    Params(String),
    #[error("argon2 failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Random(#[from] RandomError),
}

impl HashParams {
    fn argon2(self) -> Result<Argon2<'static>, HashError> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| HashError::Params(e.to_string()))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// Hashes a (normalised) password into a PHC string with a fresh 16-byte salt.
pub fn hash(password: &str, params: HashParams) -> Result<String, HashError> {
    let salt: [u8; 16] = random_bytes()?;
    let hash = params
        .argon2()?
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map_err(|e| HashError::Hash(e.to_string()))?;
    Ok(hash.to_string())
}

/// Whether `password` matches a stored hash: argon2 as this service makes it, or a hash imported from another system
/// ([`imported`]). A malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    if stored.starts_with("$argon2id$") {
        return verify_argon2(password, stored);
    }
    Imported::parse(stored).is_ok_and(|imported| imported.verify(password, stored))
}

/// Whether `password` matches an argon2 PHC string (whatever its variant and parameters).
fn verify_argon2(password: &str, phc: &str) -> bool {
    HashParams::default().argon2().is_ok_and(|argon2| argon2.verify_password(password.as_bytes(), phc).is_ok())
}

/// Which scheme a stored hash is, by its prefix.
pub fn scheme(stored: &str) -> Option<PasswordScheme> {
    let prefixes = [
        ("$argon2id$", PasswordScheme::Argon2id),
        ("$argon2i$", PasswordScheme::Argon2i),
        ("$argon2d$", PasswordScheme::Argon2d),
        ("$2", PasswordScheme::Bcrypt),
        ("pbkdf2_sha256$", PasswordScheme::Pbkdf2Sha256),
        ("$pbkdf2-sha256$", PasswordScheme::Pbkdf2Sha256),
        ("$scrypt$", PasswordScheme::Scrypt),
    ];
    prefixes.into_iter().find(|(prefix, _)| stored.starts_with(prefix)).map(|(_, scheme)| scheme)
}

/// Checks a hash before an import stores it: a format [`imported`] knows, within its floor and its cap.
pub fn check_import(hash: &str) -> Result<(), ImportError> {
    Imported::parse(hash)?.check_bounds()
}

/// The algorithm and parameters of an argon2 PHC string.
fn argon2_params(phc: &str) -> Option<(String, HashParams)> {
    let parsed = argon2::password_hash::phc::PasswordHash::new(phc).ok()?;
    let algorithm = parsed.algorithm.as_str().to_owned();
    if !algorithm.starts_with("argon2") {
        return None;
    }
    let number = |name: &str| parsed.params.get_decimal(name);
    let params = HashParams { memory_kib: number("m")?, iterations: number("t")?, parallelism: number("p")? };
    Some((algorithm, params))
}

/// Whether a stored hash should be made again at `current`: imported in another format, another argon2 variant or
/// other parameters (the configured parameters changed).
pub fn needs_rehash(phc: &str, current: HashParams) -> bool {
    phc.len() > 512 || argon2_params(phc).is_none_or(|(algorithm, params)| algorithm != "argon2id" || params != current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_then_verify() {
        let phc = hash("Otter-Lantern-42", HashParams::default()).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("Otter-Lantern-42", &phc));
        assert!(!verify("otter-lantern-42", &phc));
        assert_ne!(hash("Otter-Lantern-42", HashParams::default()).unwrap(), phc, "salted");
    }

    #[test]
    fn verifies_hashes_made_with_other_parameters_and_asks_for_a_rehash() {
        let stronger = HashParams { memory_kib: 32_768, iterations: 3, parallelism: 1 };
        let phc = hash("imported", stronger).unwrap();
        assert!(verify("imported", &phc));
        assert_eq!(check_import(&phc), Ok(()));
        assert!(needs_rehash(&phc, HashParams::default()));
        assert!(!needs_rehash(&hash("x", HashParams::default()).unwrap(), HashParams::default()));
    }

    #[test]
    fn junk_hashes_never_match() {
        assert!(!verify("x", "not a hash"));
        assert!(matches!(check_import("$2b$12$abcdefghijklmnopqrstuv"), Err(ImportError::Malformed { .. })));
        assert_eq!(check_import(""), Err(ImportError::Unknown));
        assert!(needs_rehash("not a hash", HashParams::default()));
    }
}
