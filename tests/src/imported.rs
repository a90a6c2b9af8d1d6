//! Hashes another system would hand over at an import, each format at the costliest an import takes (the caps in
//! `edge/src/password/imported.rs`): for the benchmark, which times their verification, and the enumeration check,
//! which times failed logins to accounts holding them. The import test's own hashes come from other implementations
//! (`tests/fixtures/imported-hashes/make.py`).

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;

pub const SALT: &[u8; 16] = b"latchkey-bench-s";
pub const PBKDF2_ITERATIONS: u32 = 1_000_000;
pub const BCRYPT_COST: u32 = 12;

pub fn scrypt_params() -> scrypt::Params {
    scrypt::Params::new(15, 8, 1).expect("valid scrypt parameters")
}

/// `(name, hash of password)` for bcrypt, PBKDF2-SHA256 (Django's format) and scrypt (PHC), at the caps.
pub fn at_the_caps(password: &str) -> [(&'static str, String); 3] {
    let mut digest = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), SALT, PBKDF2_ITERATIONS, &mut digest);
    let salt = std::str::from_utf8(SALT).expect("an ASCII salt");
    let django = format!("pbkdf2_sha256${PBKDF2_ITERATIONS}${salt}${}", STANDARD.encode(digest));
    scrypt::scrypt(password.as_bytes(), SALT, &scrypt_params(), &mut digest).expect("scrypt works");
    let scrypt = format!("$scrypt$ln=15,r=8,p=1${}${}", STANDARD_NO_PAD.encode(SALT), STANDARD_NO_PAD.encode(digest));
    let bcrypt = bcrypt::hash_with_salt(password, BCRYPT_COST, *SALT).expect("bcrypt works");
    [("bcrypt 12", bcrypt.format_for_version(bcrypt::Version::TwoB)), ("pbkdf2 1M", django), ("scrypt 32M", scrypt)]
}
