//! Hashes brought in from the systems schools move from: bcrypt (`$2a$`, `$2b$`, `$2y$`), PBKDF2-SHA256 (Django's
//! `pbkdf2_sha256$…`, PHC `$pbkdf2-sha256$i=…,l=…$…`, and passlib's `$pbkdf2-sha256$rounds$…`), scrypt (PHC
//! `$scrypt$ln=…,r=…,p=…$…`, as passlib writes it too) and argon2 (any variant, PHC). Each is parsed with its cost and
//! bounded when it is imported: no weaker than the floor below (a weak one is not carried over), no costlier than a
//! Worker verifies within its memory and the login's time (a huge one would take the account's Durable Object down,
//! or answer slower than any other login). It is verified as it is until the first login or reset replaces it with
//! argon2id at the current parameters.

use super::HashParams;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use subtle::ConstantTimeEq;

// The caps keep every verification within a Worker's memory and below `LOGIN_REFUSAL_FLOOR_MS` (1000 ms), so a wrong
// password for an imported account answers when anyone else's does; measured in workerd by `scripts/bench`.
/// bcrypt's cost (log2 of its rounds): OWASP's minimum, and 12, the default of Python's `bcrypt`, Rails and Laravel.
pub const BCRYPT_COST: std::ops::RangeInclusive<u32> = 10..=12;
/// PBKDF2-HMAC-SHA256 iterations: Django 2.0's count at least; at most Django 5.2's default.
pub const PBKDF2_ITERATIONS: std::ops::RangeInclusive<u32> = 100_000..=1_000_000;
/// scrypt's memory (128 × r × N bytes): Django's default (N = 2^14, r = 8: 16 MiB) at least; its work (memory × p)
/// 32 MiB at most.
pub const SCRYPT_MIN_MEMORY: u64 = 16 << 20;
pub const SCRYPT_MAX_WORK: u64 = 32 << 20;
/// argon2: no less than OWASP's lightest argon2id setting (7 MiB × 5 passes), no more than a Worker can afford
/// within its 128 MiB and its CPU time.
pub const ARGON2_MIN_MEMORY_KIB: u32 = 7_168;
pub const ARGON2_MIN_COST: u64 = 7_168 * 5;
pub const ARGON2_MAX_MEMORY_KIB: u32 = 65_536;
pub const ARGON2_MAX_ITERATIONS: u32 = 10;
pub const ARGON2_MAX_PARALLELISM: u32 = 4;

/// A longer string is no hash of any format here.
const MAX_HASH_LEN: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error(
        "not a hash this service takes: bcrypt ($2a$, $2b$, $2y$), PBKDF2-SHA256 (pbkdf2_sha256$ or $pbkdf2-sha256$), \
         scrypt ($scrypt$) or argon2 ($argon2id$, $argon2i$, $argon2d$)"
    )]
    Unknown,
    #[error("a malformed {format} hash: {why}")]
    Malformed { format: &'static str, why: &'static str },
    #[error("{format} {cost} is too weak: at least {floor}")]
    TooWeak { format: &'static str, cost: String, floor: String },
    #[error("{format} {cost} costs more than a Worker can verify: at most {cap}")]
    TooCostly { format: &'static str, cost: String, floor: String, cap: String },
}

/// An imported hash, parsed: what it takes to verify it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported<'a> {
    Bcrypt { cost: u32, hash: &'a str },
    Pbkdf2Sha256 { iterations: u32, salt: Vec<u8>, digest: Vec<u8> },
    Scrypt { log_n: u8, r: u32, p: u32, salt: Vec<u8>, digest: Vec<u8> },
    Argon2 { params: HashParams },
}

impl<'a> Imported<'a> {
    /// The format and its cost; [`ImportError::Unknown`] or [`ImportError::Malformed`] if it is not one of them.
    pub fn parse(hash: &'a str) -> Result<Imported<'a>, ImportError> {
        if hash.len() > MAX_HASH_LEN {
            return Err(ImportError::Unknown);
        }
        if ["$2a$", "$2b$", "$2y$"].iter().any(|p| hash.starts_with(p)) {
            bcrypt(hash)
        } else if let Some(rest) = hash.strip_prefix("pbkdf2_sha256$") {
            django_pbkdf2(rest)
        } else if let Some(rest) = hash.strip_prefix("$pbkdf2-sha256$") {
            phc_pbkdf2(rest)
        } else if let Some(rest) = hash.strip_prefix("$scrypt$") {
            scrypt(rest)
        } else if hash.starts_with("$argon2") {
            super::argon2_params(hash)
                .map(|(_, params)| Imported::Argon2 { params })
                .ok_or(ImportError::Malformed { format: "argon2", why: "not a PHC string with m, t and p" })
        } else {
            Err(ImportError::Unknown)
        }
    }

    /// Within the floor and the cap of its format.
    pub fn check_bounds(&self) -> Result<(), ImportError> {
        match self {
            Imported::Bcrypt { cost, .. } => {
                let (floor, cap) = (BCRYPT_COST.start().to_string(), BCRYPT_COST.end().to_string());
                bounded(
                    "bcrypt",
                    format!("cost {cost}"),
                    BCRYPT_COST.contains(cost),
                    *cost > *BCRYPT_COST.end(),
                    floor,
                    cap,
                )
            }
            Imported::Pbkdf2Sha256 { iterations, .. } => bounded(
                "PBKDF2-SHA256",
                format!("{iterations} iterations"),
                PBKDF2_ITERATIONS.contains(iterations),
                *iterations > *PBKDF2_ITERATIONS.end(),
                PBKDF2_ITERATIONS.start().to_string(),
                PBKDF2_ITERATIONS.end().to_string(),
            ),
            Imported::Scrypt { log_n, r, p, .. } => {
                let memory = (128 * u64::from(*r)) << log_n;
                let costly = memory.saturating_mul(u64::from(*p)) > SCRYPT_MAX_WORK;
                bounded(
                    "scrypt",
                    format!("ln={log_n}, r={r}, p={p} ({} MiB)", memory >> 20),
                    !costly && memory >= SCRYPT_MIN_MEMORY,
                    costly,
                    format!("{} MiB", SCRYPT_MIN_MEMORY >> 20),
                    format!("{} MiB × p", SCRYPT_MAX_WORK >> 20),
                )
            }
            Imported::Argon2 { params: p } => {
                let (m, t, par) = (p.memory_kib, p.iterations, p.parallelism);
                let costly = m > ARGON2_MAX_MEMORY_KIB || t > ARGON2_MAX_ITERATIONS || par > ARGON2_MAX_PARALLELISM;
                let weak = m < ARGON2_MIN_MEMORY_KIB || u64::from(m) * u64::from(t) < ARGON2_MIN_COST;
                bounded(
                    "argon2",
                    format!("parameters m={m}, t={t}, p={par}"),
                    !costly && !weak,
                    costly,
                    format!("m={ARGON2_MIN_MEMORY_KIB} and m×t ≥ {ARGON2_MIN_COST}"),
                    format!("m={ARGON2_MAX_MEMORY_KIB}, t={ARGON2_MAX_ITERATIONS}, p={ARGON2_MAX_PARALLELISM}"),
                )
            }
        }
    }

    /// Whether `password` (as it was given to the other system) is the one hashed. Never true for a hash outside
    /// its bounds.
    pub fn verify(&self, password: &str, hash: &str) -> bool {
        if self.check_bounds().is_err() {
            return false;
        }
        match self {
            Imported::Bcrypt { hash, .. } => ::bcrypt::verify(password, hash).unwrap_or(false),
            Imported::Pbkdf2Sha256 { iterations, salt, digest } => {
                let mut derived = vec![0u8; digest.len()];
                pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt, *iterations, &mut derived);
                bool::from(derived.ct_eq(digest))
            }
            Imported::Scrypt { log_n, r, p, salt, digest } => {
                let Ok(params) = ::scrypt::Params::new(*log_n, *r, *p) else { return false };
                let mut derived = vec![0u8; digest.len()];
                ::scrypt::scrypt(password.as_bytes(), salt, &params, &mut derived).is_ok()
                    && bool::from(derived.ct_eq(digest))
            }
            Imported::Argon2 { .. } => super::verify_argon2(password, hash),
        }
    }
}

fn bounded(
    format: &'static str,
    cost: String,
    within: bool,
    costly: bool,
    floor: String,
    cap: String,
) -> Result<(), ImportError> {
    match (within, costly) {
        (true, _) => Ok(()),
        (false, true) => Err(ImportError::TooCostly { format, cost, floor, cap }),
        (false, false) => Err(ImportError::TooWeak { format, cost, floor }),
    }
}

fn malformed(format: &'static str, why: &'static str) -> ImportError {
    ImportError::Malformed { format, why }
}

/// `$2b$12$` + 22 characters of salt and 31 of hash, in bcrypt's own base64.
fn bcrypt(hash: &str) -> Result<Imported<'_>, ImportError> {
    let bad = || malformed("bcrypt", "expected $2b$NN$ and 53 characters of salt and hash");
    let (cost, rest) = hash.get(4..).and_then(|h| h.split_once('$')).ok_or_else(bad)?;
    let well_formed = cost.len() == 2
        && rest.len() == 53
        && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'/');
    if !well_formed {
        return Err(bad());
    }
    Ok(Imported::Bcrypt { cost: cost.parse().map_err(|_| bad())?, hash })
}

/// Django: `pbkdf2_sha256$ITERATIONS$SALT$BASE64`, the salt used as it is written.
fn django_pbkdf2(rest: &str) -> Result<Imported<'_>, ImportError> {
    let bad = || malformed("PBKDF2-SHA256", "expected pbkdf2_sha256$iterations$salt$hash");
    let [iterations, salt, digest] = fields(rest).ok_or_else(bad)?;
    let digest = STANDARD.decode(digest).map_err(|_| bad())?;
    pbkdf2_parts(iterations, salt.as_bytes().to_vec(), digest).ok_or_else(bad)
}

/// PHC (`i=ITERATIONS,l=LENGTH`) or passlib's (`ITERATIONS`), then salt and hash in (adapted) base64.
fn phc_pbkdf2(rest: &str) -> Result<Imported<'_>, ImportError> {
    let bad = || malformed("PBKDF2-SHA256", "expected $pbkdf2-sha256$i=iterations,l=32$salt$hash");
    let [params, salt, digest] = fields(rest).ok_or_else(bad)?;
    let iterations = match params.strip_prefix("i=") {
        Some(phc) => {
            let (iterations, length) = phc.split_once(",l=").unwrap_or((phc, "32"));
            let digest_len = b64(digest).map(|d| d.len().to_string());
            if digest_len.as_deref() != Some(length) {
                return Err(bad());
            }
            iterations
        }
        None => params,
    };
    pbkdf2_parts(iterations, b64(salt).ok_or_else(bad)?, b64(digest).ok_or_else(bad)?).ok_or_else(bad)
}

fn pbkdf2_parts(iterations: &str, salt: Vec<u8>, digest: Vec<u8>) -> Option<Imported<'static>> {
    let iterations = iterations.parse().ok()?;
    (!salt.is_empty() && (16..=64).contains(&digest.len())).then_some(Imported::Pbkdf2Sha256 {
        iterations,
        salt,
        digest,
    })
}

/// `ln=LOG2_N,r=R,p=P$SALT$HASH`.
fn scrypt(rest: &str) -> Result<Imported<'_>, ImportError> {
    let bad = || malformed("scrypt", "expected $scrypt$ln=N,r=R,p=P$salt$hash");
    let [params, salt, digest] = fields(rest).ok_or_else(bad)?;
    let mut values = [None; 3];
    for pair in params.split(',') {
        let (name, value) = pair.split_once('=').ok_or_else(bad)?;
        let slot = ["ln", "r", "p"].iter().position(|n| *n == name).ok_or_else(bad)?;
        values[slot] = Some(value.parse::<u32>().map_err(|_| bad())?);
    }
    let [Some(log_n), Some(r), Some(p)] = values else { return Err(bad()) };
    let log_n = u8::try_from(log_n).ok().filter(|n| (1..=30).contains(n)).ok_or_else(bad)?;
    let (salt, digest) = (b64(salt).ok_or_else(bad)?, b64(digest).ok_or_else(bad)?);
    if salt.is_empty() || !(16..=64).contains(&digest.len()) || r == 0 || p == 0 || r > 64 {
        return Err(bad());
    }
    Ok(Imported::Scrypt { log_n, r, p, salt, digest })
}

fn fields(rest: &str) -> Option<[&str; 3]> {
    let mut parts = rest.split('$');
    let fields = [parts.next()?, parts.next()?, parts.next()?];
    parts.next().is_none().then_some(fields)
}

/// PHC's base64 (standard alphabet, no padding), or passlib's adapted one (`.` for `+`).
fn b64(text: &str) -> Option<Vec<u8>> {
    STANDARD_NO_PAD.decode(text.replace('.', "+")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Hashes made by other implementations (Python's bcrypt, Django, passlib) are the end-to-end test's fixtures
    // (tests/fixtures/imported-hashes.json); here the crates hash at the formats' floors, so these stay quick.
    const PASSWORD: &str = "correct horse battery staple";

    #[test]
    fn every_format_is_recognised_with_its_cost() {
        let bcrypt = "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
        assert!(matches!(Imported::parse(bcrypt), Ok(Imported::Bcrypt { cost: 10, .. })));
        let django = "pbkdf2_sha256$600000$c2FsdA$MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";
        assert!(matches!(Imported::parse(django), Ok(Imported::Pbkdf2Sha256 { iterations: 600_000, .. })));
        let phc = "$pbkdf2-sha256$i=100000,l=32$c2FsdHNhbHQ$MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE";
        assert!(matches!(Imported::parse(phc), Ok(Imported::Pbkdf2Sha256 { iterations: 100_000, .. })));
        let passlib = "$pbkdf2-sha256$200000$c2FsdHNhbHQ$MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE";
        assert!(matches!(Imported::parse(passlib), Ok(Imported::Pbkdf2Sha256 { iterations: 200_000, .. })));
        let scrypt = "$scrypt$ln=14,r=8,p=1$c2FsdHNhbHQ$MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE";
        assert!(matches!(Imported::parse(scrypt), Ok(Imported::Scrypt { log_n: 14, r: 8, p: 1, .. })));
    }

    #[test]
    fn costs_outside_the_bounds_are_refused_naming_the_parameter() {
        let digest = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE";
        let check = |hash: &str| Imported::parse(hash).and_then(|i| i.check_bounds());
        let bcrypt =
            |cost: &str| format!("${}$", "2y") + cost + "$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
        assert!(check(&bcrypt("12")).is_ok());
        let costly = check(&bcrypt("14")).unwrap_err();
        assert!(matches!(costly, ImportError::TooCostly { .. }) && costly.to_string().contains("cost 14"), "{costly}");
        assert!(matches!(check(&bcrypt("08")), Err(ImportError::TooWeak { .. })));
        let pbkdf2 = |i: u32| format!("$pbkdf2-sha256$i={i},l=32$c2FsdA${digest}");
        assert!(check(&pbkdf2(1_000_000)).is_ok());
        let weak = check(&pbkdf2(36_000)).unwrap_err();
        assert!(weak.to_string().contains("36000 iterations") && weak.to_string().contains("100000"), "{weak}");
        assert!(matches!(check(&pbkdf2(1_000_001)), Err(ImportError::TooCostly { .. })));
        let scrypt = |ln: u8, r: u32, p: u32| format!("$scrypt$ln={ln},r={r},p={p}$c2FsdA${digest}");
        assert!(check(&scrypt(14, 8, 2)).is_ok(), "Django's default, twice");
        assert!(matches!(check(&scrypt(16, 8, 1)), Err(ImportError::TooCostly { .. })), "passlib's default, 64 MiB");
        let huge = check(&scrypt(20, 8, 1)).unwrap_err();
        assert!(matches!(huge, ImportError::TooCostly { .. }) && huge.to_string().contains("1024 MiB"), "{huge}");
        assert!(matches!(check(&scrypt(14, 8, 4)), Err(ImportError::TooCostly { .. })));
        assert!(matches!(check(&scrypt(10, 8, 1)), Err(ImportError::TooWeak { .. })));
        let argon2 = |variant: &str, m: u32, t: u32, p: u32| {
            format!("${variant}$v=19$m={m},t={t},p={p}$c2FsdHNhbHRzYWx0${digest}")
        };
        assert!(check(&argon2("argon2id", 19_456, 2, 1)).is_ok());
        assert!(check(&argon2("argon2i", 65_536, 3, 4)).is_ok(), "other variants, at the caps");
        let four_gib = check(&argon2("argon2id", 4 * 1024 * 1024, 3, 1)).unwrap_err();
        assert!(matches!(four_gib, ImportError::TooCostly { .. }) && four_gib.to_string().contains("m=4194304"));
        assert!(matches!(check(&argon2("argon2id", 19_456, 11, 1)), Err(ImportError::TooCostly { .. })));
        assert!(matches!(check(&argon2("argon2d", 19_456, 2, 8)), Err(ImportError::TooCostly { .. })));
        assert!(matches!(check(&argon2("argon2id", 4_096, 3, 1)), Err(ImportError::TooWeak { .. })));
        assert!(matches!(check(&argon2("argon2id", 8_192, 1, 1)), Err(ImportError::TooWeak { .. })));
    }

    #[test]
    fn malformed_and_unknown_hashes_are_refused() {
        let parse = |hash: &str| Imported::parse(hash).map(|_| ());
        assert_eq!(
            parse("$2b$10$notargon"),
            Err(malformed("bcrypt", "expected $2b$NN$ and 53 characters of salt and hash"))
        );
        assert!(matches!(parse("pbkdf2_sha256$many$salt$hash"), Err(ImportError::Malformed { .. })));
        assert!(matches!(parse("$scrypt$ln=14,r=8$c2FsdA$c2FsdA"), Err(ImportError::Malformed { .. })));
        assert!(matches!(
            parse("$scrypt$ln=99,r=8,p=1$c2FsdA$MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE"),
            Err(ImportError::Malformed { .. })
        ));
        assert_eq!(parse("md5$salt$hash"), Err(ImportError::Unknown));
        assert_eq!(parse(""), Err(ImportError::Unknown));
        assert_eq!(parse(&"$2b$".repeat(200)), Err(ImportError::Unknown));
    }

    #[test]
    fn hashes_made_elsewhere_verify_with_their_password_only() {
        // The same password hashed here with the crates, at the formats' floors, checked against what the format
        // says: a wrong password, a changed salt, a changed digest all fail.
        let mut digest = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(PASSWORD.as_bytes(), b"pepper-free-salt", 100_000, &mut digest);
        let django = format!("pbkdf2_sha256$100000$pepper-free-salt${}", STANDARD.encode(digest));
        let imported = Imported::parse(&django).unwrap();
        assert!(imported.verify(PASSWORD, &django));
        assert!(!imported.verify("correct horse battery stapler", &django));
        let params = ::scrypt::Params::new(14, 8, 1).unwrap();
        ::scrypt::scrypt(PASSWORD.as_bytes(), b"0123456789abcdef", &params, &mut digest).unwrap();
        let phc = format!(
            "$scrypt$ln=14,r=8,p=1${}${}",
            STANDARD_NO_PAD.encode(b"0123456789abcdef"),
            STANDARD_NO_PAD.encode(digest).replace('+', ".")
        );
        let imported = Imported::parse(&phc).unwrap();
        assert!(imported.verify(PASSWORD, &phc));
        assert!(!imported.verify("Correct horse battery staple", &phc));
        let bcrypt = ::bcrypt::hash(PASSWORD, 10).unwrap();
        let imported = Imported::parse(&bcrypt).unwrap();
        assert!(imported.verify(PASSWORD, &bcrypt));
        assert!(!imported.verify("correct horse battery", &bcrypt));
    }

    #[test]
    fn a_hash_outside_its_bounds_never_verifies() {
        let bcrypt = ::bcrypt::hash(PASSWORD, 4).unwrap();
        let imported = Imported::parse(&bcrypt).unwrap();
        assert!(!imported.verify(PASSWORD, &bcrypt), "cost 4 is below the floor");
    }
}
