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

/// What an imported hash may cost to verify: no less than OWASP's lightest argon2id setting (7 MiB × 5 passes), no
/// more than a Worker can afford within its 128 MiB and its CPU time.
pub const IMPORT_MIN_MEMORY_KIB: u32 = 7_168;
pub const IMPORT_MIN_COST: u64 = 7_168 * 5;
pub const IMPORT_MAX_MEMORY_KIB: u32 = 65_536;
pub const IMPORT_MAX_ITERATIONS: u32 = 10;
pub const IMPORT_MAX_PARALLELISM: u32 = 4;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("not an argon2 PHC string")]
    NotArgon2,
    #[error(
        "argon2 parameters m={memory_kib}, t={iterations}, p={parallelism} are too weak: at least m={IMPORT_MIN_MEMORY_KIB} \
         and m×t ≥ {IMPORT_MIN_COST}"
    )]
    TooWeak { memory_kib: u32, iterations: u32, parallelism: u32 },
    #[error(
        "argon2 parameters m={memory_kib}, t={iterations}, p={parallelism} cost more than a Worker can verify: at most \
         m={IMPORT_MAX_MEMORY_KIB}, t={IMPORT_MAX_ITERATIONS}, p={IMPORT_MAX_PARALLELISM}"
    )]
    TooCostly { memory_kib: u32, iterations: u32, parallelism: u32 },
}

/// The algorithm and parameters of an argon2 PHC string.
fn parts(phc: &str) -> Option<(String, HashParams)> {
    if phc.len() > 512 {
        return None;
    }
    let parsed = argon2::password_hash::phc::PasswordHash::new(phc).ok()?;
    let algorithm = parsed.algorithm.as_str().to_owned();
    if !algorithm.starts_with("argon2") {
        return None;
    }
    let number = |name: &str| parsed.params.get_decimal(name);
    let params = HashParams { memory_kib: number("m")?, iterations: number("t")?, parallelism: number("p")? };
    Some((algorithm, params))
}

/// Checks a hash before an import stores it: argon2 (any variant), within [`IMPORT_MIN_COST`] and the caps, so a
/// huge cost cannot take the account's Durable Object down and a weak one is not carried over.
pub fn check_import(phc: &str) -> Result<(), ImportError> {
    let (_, p) = parts(phc).ok_or(ImportError::NotArgon2)?;
    let (memory_kib, iterations, parallelism) = (p.memory_kib, p.iterations, p.parallelism);
    if memory_kib > IMPORT_MAX_MEMORY_KIB || iterations > IMPORT_MAX_ITERATIONS || parallelism > IMPORT_MAX_PARALLELISM
    {
        return Err(ImportError::TooCostly { memory_kib, iterations, parallelism });
    }
    if memory_kib < IMPORT_MIN_MEMORY_KIB || u64::from(memory_kib) * u64::from(iterations) < IMPORT_MIN_COST {
        return Err(ImportError::TooWeak { memory_kib, iterations, parallelism });
    }
    Ok(())
}

/// Whether a stored hash should be made again at `current`: another argon2 variant or other parameters (an imported
/// hash, or the configured parameters changed).
pub fn needs_rehash(phc: &str, current: HashParams) -> bool {
    parts(phc).is_none_or(|(algorithm, params)| algorithm != "argon2id" || params != current)
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
    fn imports_are_bounded() {
        let salt = "c2FsdHNhbHRzYWx0";
        let digest = "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
        let phc =
            |algorithm: &str, m: u32, t: u32, p: u32| format!("${algorithm}$v=19$m={m},t={t},p={p}${salt}${digest}");
        assert_eq!(check_import(&phc("argon2id", 19_456, 2, 1)), Ok(()));
        assert_eq!(check_import(&phc("argon2i", 65_536, 3, 4)), Ok(()), "other variants, at the caps");
        let four_gib = check_import(&phc("argon2id", 4 * 1024 * 1024, 3, 1)).unwrap_err();
        assert!(matches!(four_gib, ImportError::TooCostly { .. }), "{four_gib}");
        assert!(matches!(check_import(&phc("argon2id", 19_456, 11, 1)), Err(ImportError::TooCostly { .. })));
        assert!(matches!(check_import(&phc("argon2id", 19_456, 2, 8)), Err(ImportError::TooCostly { .. })));
        assert!(matches!(check_import(&phc("argon2id", 4_096, 3, 1)), Err(ImportError::TooWeak { .. })));
        assert!(matches!(check_import(&phc("argon2id", 8_192, 1, 1)), Err(ImportError::TooWeak { .. })));
        assert!(four_gib.to_string().contains("m=4194304"), "the error says which parameter");
    }

    #[test]
    fn junk_hashes_never_match() {
        assert!(!verify("x", "not a hash"));
        assert_eq!(check_import("$2b$12$abcdefghijklmnopqrstuv"), Err(ImportError::NotArgon2));
        assert_eq!(check_import(""), Err(ImportError::NotArgon2));
        assert!(needs_rehash("not a hash", HashParams::default()));
    }
}
