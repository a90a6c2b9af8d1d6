//! A credential's public key (COSE, RFC 9053) and the signatures it verifies: ES256 (P-256, DER signatures as
//! WebAuthn sends them), EdDSA (Ed25519) and RS256 (RSASSA-PKCS1-v1_5 with SHA-256, 2048 bits and up).

use super::Refused;
use coset::iana::{self, EnumI64};
use coset::{CborSerializable, CoseKey, KeyType, Label, RegisteredLabelWithPrivate};

pub const ES256: i64 = -7;
pub const EDDSA: i64 = -8;
pub const RS256: i64 = -257;

/// The shortest RSA modulus accepted, in bits.
const MIN_RSA_BITS: usize = 2048;

/// A public key ready to verify.
pub enum PublicKey {
    Es256(p256::ecdsa::VerifyingKey),
    EdDsa(ed25519_dalek::VerifyingKey),
    Rs256(Box<rsa::RsaPublicKey>),
}

impl PublicKey {
    /// Reads a COSE key; only the three algorithms latchkey asks for, and only their own key types and curves.
    pub fn from_cose(bytes: &[u8]) -> Result<PublicKey, Refused> {
        let key = CoseKey::from_slice(bytes).map_err(|_| Refused::Key)?;
        let alg = match &key.alg {
            Some(RegisteredLabelWithPrivate::Assigned(alg)) => alg.to_i64(),
            _ => return Err(Refused::Key),
        };
        let param =
            |label: i64| key.params.iter().find(|(l, _)| *l == Label::Int(label)).map(|(_, value)| value.clone());
        let bytes_of = |label: i64| param(label).and_then(|value| value.into_bytes().ok()).ok_or(Refused::Key);
        let int_of =
            |label: i64| param(label).and_then(|value| value.into_integer().ok()).and_then(|i| i64::try_from(i).ok());
        match (alg, &key.kty) {
            (ES256, KeyType::Assigned(iana::KeyType::EC2)) => {
                if int_of(iana::Ec2KeyParameter::Crv.to_i64()) != Some(iana::EllipticCurve::P_256.to_i64()) {
                    return Err(Refused::Key);
                }
                let x = bytes_of(iana::Ec2KeyParameter::X.to_i64())?;
                let y = bytes_of(iana::Ec2KeyParameter::Y.to_i64())?;
                if x.len() != 32 || y.len() != 32 {
                    return Err(Refused::Key);
                }
                let point = [&[0x04][..], &x, &y].concat();
                p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).map(PublicKey::Es256).map_err(|_| Refused::Key)
            }
            (EDDSA, KeyType::Assigned(iana::KeyType::OKP)) => {
                if int_of(iana::OkpKeyParameter::Crv.to_i64()) != Some(iana::EllipticCurve::Ed25519.to_i64()) {
                    return Err(Refused::Key);
                }
                let x: [u8; 32] = bytes_of(iana::OkpKeyParameter::X.to_i64())?.try_into().map_err(|_| Refused::Key)?;
                ed25519_dalek::VerifyingKey::from_bytes(&x).map(PublicKey::EdDsa).map_err(|_| Refused::Key)
            }
            (RS256, KeyType::Assigned(iana::KeyType::RSA)) => {
                use rsa::traits::PublicKeyParts;
                let n = rsa::BigUint::from_bytes_be(&bytes_of(iana::RsaKeyParameter::N.to_i64())?);
                let e = rsa::BigUint::from_bytes_be(&bytes_of(iana::RsaKeyParameter::E.to_i64())?);
                let key = rsa::RsaPublicKey::new(n, e).map_err(|_| Refused::Key)?;
                if key.size() * 8 < MIN_RSA_BITS {
                    return Err(Refused::Key);
                }
                Ok(PublicKey::Rs256(Box::new(key)))
            }
            _ => Err(Refused::Key),
        }
    }

    /// The key's COSE algorithm.
    pub fn algorithm(&self) -> i64 {
        match self {
            PublicKey::Es256(_) => ES256,
            PublicKey::EdDsa(_) => EDDSA,
            PublicKey::Rs256(_) => RS256,
        }
    }

    /// Verifies `signature` over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), Refused> {
        let verified = match self {
            PublicKey::Es256(key) => {
                use p256::ecdsa::signature::Verifier;
                let signature = p256::ecdsa::DerSignature::try_from(signature).map_err(|_| Refused::Signature)?;
                key.verify(message, &signature).is_ok()
            }
            PublicKey::EdDsa(key) => {
                let signature = ed25519_dalek::Signature::from_slice(signature).map_err(|_| Refused::Signature)?;
                key.verify_strict(message, &signature).is_ok()
            }
            PublicKey::Rs256(key) => {
                use rsa::sha2::{Digest, Sha256};
                let digest = Sha256::digest(message);
                key.verify(rsa::Pkcs1v15Sign::new::<Sha256>(), &digest, signature).is_ok()
            }
        };
        verified.then_some(()).ok_or(Refused::Signature)
    }
}
