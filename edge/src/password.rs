//! argon2id hashing and verification, with configurable parameters and PHC strings.

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

/// Whether `password` matches a PHC string (whatever parameters it was made with). A malformed hash never matches.
pub fn verify(password: &str, phc: &str) -> bool {
    HashParams::default().argon2().is_ok_and(|argon2| argon2.verify_password(password.as_bytes(), phc).is_ok())
}

/// Whether a PHC string is an argon2 hash this service can verify: checked before an import stores it.
pub fn is_valid_phc(phc: &str) -> bool {
    phc.len() <= 512
        && argon2::password_hash::phc::PasswordHash::new(phc).is_ok_and(|h| h.algorithm.as_str().starts_with("argon2"))
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
    fn verifies_hashes_made_with_other_parameters() {
        let stronger = HashParams { memory_kib: 32_768, iterations: 3, parallelism: 1 };
        let phc = hash("imported", stronger).unwrap();
        assert!(verify("imported", &phc));
        assert!(is_valid_phc(&phc));
    }

    #[test]
    fn junk_hashes_never_match() {
        assert!(!verify("x", "not a hash"));
        assert!(!is_valid_phc("$2b$12$abcdefghijklmnopqrstuv"));
        assert!(!is_valid_phc(""));
    }
}
