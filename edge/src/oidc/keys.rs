//! The keys tokens are signed with, from the `OIDC_SIGNING_KEYS` secret: a JSON array (or JWK Set) of private JWKs,
//! each with a `kid`. The first key of each algorithm signs; every key is published in the JWKS, so a new key can be
//! published ahead of a rotation and an old one kept for verification only (`"key_ops": ["verify"]`). Pure: parsing,
//! checking and the public halves; signing itself is the platform's WebCrypto (`oidc/sign.rs`).

use latchkey_shared::oauth::SigningAlg;
use latchkey_shared::Secret;
use serde_json::{Map, Value};

/// A private key, as configured. Its private members never leave [`Secret`].
#[derive(Debug, Clone)]
pub struct SigningKey {
    pub kid: String,
    pub alg: SigningAlg,
    /// Published, but never used to sign: an old key kept while tokens it signed may still be checked.
    pub verify_only: bool,
    /// The private JWK as WebCrypto imports it (key members only).
    pub private_jwk: Secret<String>,
    /// The public JWK as the JWKS publishes it.
    pub public_jwk: Value,
}

#[derive(Debug, Clone)]
pub struct SigningKeys(Vec<SigningKey>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeysError {
    #[error("expected a JSON array of private JWKs, or a JWK Set (`{{\"keys\": [...]}}`); make one with `scripts/oidc-keys`")]
    Shape,
    #[error("key {0}: {1}")]
    Key(usize, String),
    #[error("key id `{0}` is given twice")]
    Repeated(String),
    #[error("no RS256 key signs: OpenID Connect requires RS256 for ID tokens")]
    NoRs256,
}

/// The members each key type must have, private ones last.
fn members(kty: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    match kty {
        "RSA" => Some((&["n", "e"], &["d", "p", "q", "dp", "dq", "qi"])),
        "EC" => Some((&["crv", "x", "y"], &["d"])),
        "OKP" => Some((&["crv", "x"], &["d"])),
        _ => None,
    }
}

fn parse_key(n: usize, jwk: &Map<String, Value>) -> Result<SigningKey, KeysError> {
    let bad = |problem: &str| KeysError::Key(n, problem.to_owned());
    let text = |name: &str| jwk.get(name).and_then(Value::as_str);
    let kid = text("kid").filter(|k| !k.is_empty() && k.len() <= 64).ok_or_else(|| bad("needs a `kid`"))?;
    if !kid.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
        return Err(bad("`kid` may hold letters, digits, `-`, `_` and `.` only"));
    }
    let kty = text("kty").unwrap_or_default();
    let (public, private) = members(kty).ok_or_else(|| bad("`kty` must be RSA, EC or OKP"))?;
    let alg = match (kty, text("crv")) {
        ("RSA", _) => SigningAlg::RS256,
        ("EC", Some("P-256")) => SigningAlg::ES256,
        ("OKP", Some("Ed25519")) => SigningAlg::EdDSA,
        _ => return Err(bad("EC keys must be on P-256 and OKP keys Ed25519")),
    };
    if text("alg").is_some_and(|given| given != alg.as_str()) {
        return Err(bad(&format!("`alg` must be {} for this key", alg.as_str())));
    }
    let mut key_members = Map::new();
    key_members.insert("kty".into(), kty.into());
    for name in public.iter().chain(private) {
        let value =
            text(name).filter(|v| !v.is_empty()).ok_or_else(|| bad(&format!("needs `{name}` (a private key)")))?;
        key_members.insert((*name).into(), value.into());
    }
    if alg == SigningAlg::RS256 {
        use base64::Engine;
        let modulus = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text("n").unwrap_or_default());
        if modulus.map_or(true, |m| m.len() < 256) {
            return Err(bad("an RSA modulus of at least 2048 bits is required"));
        }
    }
    let ops: Vec<&str> = jwk
        .get("key_ops")
        .and_then(Value::as_array)
        .map_or_else(Vec::new, |ops| ops.iter().filter_map(Value::as_str).collect());
    let verify_only = !ops.is_empty() && !ops.contains(&"sign");
    let mut public_jwk = Map::new();
    for name in ["kty"].iter().chain(public) {
        public_jwk.insert((*name).into(), key_members[*name].clone());
    }
    public_jwk.insert("kid".into(), kid.into());
    public_jwk.insert("alg".into(), alg.as_str().into());
    public_jwk.insert("use".into(), "sig".into());
    Ok(SigningKey {
        kid: kid.to_owned(),
        alg,
        verify_only,
        private_jwk: Secret::new(Value::Object(key_members).to_string()),
        public_jwk: Value::Object(public_jwk),
    })
}

impl SigningKeys {
    pub fn parse(raw: &str) -> Result<SigningKeys, KeysError> {
        let value: Value = serde_json::from_str(raw.trim()).map_err(|_| KeysError::Shape)?;
        let list = match &value {
            Value::Array(list) => list,
            Value::Object(set) => set.get("keys").and_then(Value::as_array).ok_or(KeysError::Shape)?,
            _ => return Err(KeysError::Shape),
        };
        let mut keys: Vec<SigningKey> = Vec::new();
        for (n, jwk) in list.iter().enumerate() {
            let key = parse_key(n, jwk.as_object().ok_or(KeysError::Shape)?)?;
            if keys.iter().any(|k| k.kid == key.kid) {
                return Err(KeysError::Repeated(key.kid));
            }
            keys.push(key);
        }
        let keys = SigningKeys(keys);
        if keys.signer(SigningAlg::RS256).is_none() {
            return Err(KeysError::NoRs256);
        }
        Ok(keys)
    }

    /// The key that signs with `alg` now: the first of that algorithm that is not kept for verification only.
    pub fn signer(&self, alg: SigningAlg) -> Option<&SigningKey> {
        self.0.iter().find(|k| k.alg == alg && !k.verify_only)
    }

    /// The key with this id, to check a token latchkey signed.
    pub fn by_kid(&self, kid: &str) -> Option<&SigningKey> {
        self.0.iter().find(|k| k.kid == kid)
    }

    /// The algorithms some key signs with, in a stable order (RS256 first).
    pub fn algorithms(&self) -> Vec<SigningAlg> {
        SigningAlg::ALL.into_iter().filter(|alg| self.signer(*alg).is_some()).collect()
    }

    /// The JWKS: every key's public half.
    pub fn jwks(&self) -> Value {
        serde_json::json!({ "keys": self.0.iter().map(|k| k.public_jwk.clone()).collect::<Vec<_>>() })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The test key set (tests/fixtures/oidc-keys.json): an RS256, an ES256 and an EdDSA key.
    pub const TEST_KEYS: &str = include_str!("../../../tests/fixtures/oidc-keys.json");

    #[test]
    fn the_first_key_of_each_algorithm_signs_and_every_public_half_is_published() {
        let keys = SigningKeys::parse(TEST_KEYS).unwrap();
        assert_eq!(keys.algorithms(), SigningAlg::ALL.to_vec());
        let jwks = keys.jwks().to_string();
        for private in ["\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"qi\""] {
            assert!(!jwks.contains(private), "{private} published: {jwks}");
        }
        assert!(!format!("{keys:?}").contains(&keys.signer(SigningAlg::RS256).unwrap().private_jwk.expose_str()[..40]));
    }

    #[test]
    fn a_key_kept_for_verification_is_published_but_never_signs() {
        let mut set: Vec<Value> = serde_json::from_str(TEST_KEYS).unwrap();
        let mut newer = set[0].clone();
        newer["kid"] = "rsa-2".into();
        set[0]["key_ops"] = serde_json::json!(["verify"]);
        set.push(newer);
        let keys = SigningKeys::parse(&Value::Array(set).to_string()).unwrap();
        assert_eq!(keys.signer(SigningAlg::RS256).unwrap().kid, "rsa-2");
        assert_eq!(keys.jwks()["keys"].as_array().unwrap().len(), 4);
        assert!(keys.by_kid("test-rs256").is_some(), "the old key still checks what it signed");
    }

    #[test]
    fn bad_sets_are_refused_with_a_reason() {
        let set: Vec<Value> = serde_json::from_str(TEST_KEYS).unwrap();
        let without_rsa = Value::Array(set[1..].to_vec()).to_string();
        assert_eq!(SigningKeys::parse(&without_rsa).unwrap_err(), KeysError::NoRs256);
        let mut public_only = set.clone();
        public_only[0].as_object_mut().unwrap().remove("d");
        assert!(matches!(SigningKeys::parse(&Value::Array(public_only).to_string()), Err(KeysError::Key(0, _))));
        let mut twice = set.clone();
        twice.push(set[0].clone());
        assert!(matches!(SigningKeys::parse(&Value::Array(twice).to_string()), Err(KeysError::Repeated(_))));
        for junk in ["", "{}", "[1]", "not json"] {
            assert!(SigningKeys::parse(junk).is_err(), "{junk}");
        }
    }
}
