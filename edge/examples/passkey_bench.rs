//! The passkey verifier's speed natively, and the fixtures the edge benchmark (`tests/src/bin/bench.rs`) times the
//! same verification with in workerd (`POST /dev/passkey`): one registration and one sign-in per algorithm (ES256,
//! EdDSA, RS256), made here as an authenticator makes them. Run by `scripts/bench`; writes `$BENCH_DIR/passkeys.json`.

use coset::cbor::Value;
use coset::iana::{self, EnumI64};
use coset::{CborSerializable, CoseKeyBuilder};
use latchkey_edge::webauthn::data::encode;
use latchkey_edge::webauthn::{verify_assertion, verify_registration, Expected, RelyingParty};
use serde_json::{json, Value as Json};
use sha2::{Digest, Sha256};
use std::time::Instant;

const RP_ID: &str = "bench.example";
const ORIGIN: &str = "https://bench.example";
const ROUNDS: u32 = 200;

/// A key that signs as an authenticator would, and its public half as COSE.
enum Signer {
    Es256(p256::ecdsa::SigningKey),
    EdDsa(ed25519_dalek::SigningKey),
    Rs256(Box<rsa::RsaPrivateKey>),
}

impl Signer {
    fn cose(&self) -> Vec<u8> {
        let key = match self {
            Signer::Es256(key) => {
                let point = key.verifying_key().to_sec1_point(false);
                let (x, y) = (point.x().expect("x").to_vec(), point.y().expect("y").to_vec());
                CoseKeyBuilder::new_ec2_pub_key(iana::EllipticCurve::P_256, x, y).algorithm(iana::Algorithm::ES256)
            }
            Signer::EdDsa(key) => CoseKeyBuilder::new()
                .key_type(iana::KeyType::OKP)
                .param(iana::OkpKeyParameter::Crv.to_i64(), Value::from(iana::EllipticCurve::Ed25519.to_i64()))
                .param(iana::OkpKeyParameter::X.to_i64(), Value::Bytes(key.verifying_key().to_bytes().to_vec()))
                .algorithm(iana::Algorithm::EdDSA),
            Signer::Rs256(key) => {
                use rsa::traits::PublicKeyParts;
                CoseKeyBuilder::new()
                    .key_type(iana::KeyType::RSA)
                    .param(iana::RsaKeyParameter::N.to_i64(), Value::Bytes(key.n().to_bytes_be()))
                    .param(iana::RsaKeyParameter::E.to_i64(), Value::Bytes(key.e().to_bytes_be()))
                    .algorithm(iana::Algorithm::RS256)
            }
        };
        key.build().to_vec().expect("CBOR")
    }

    fn sign(&self, message: &[u8]) -> Vec<u8> {
        match self {
            Signer::Es256(key) => {
                use p256::ecdsa::signature::Signer as _;
                let signature: p256::ecdsa::Signature = key.sign(message);
                signature.to_der().as_bytes().to_vec()
            }
            Signer::EdDsa(key) => ed25519_dalek::Signer::sign(key, message).to_bytes().to_vec(),
            Signer::Rs256(key) => {
                use rsa::sha2::{Digest as _, Sha256 as Sha};
                key.sign(rsa::Pkcs1v15Sign::new::<Sha>(), &Sha::digest(message)).expect("signed")
            }
        }
    }
}

fn client_data(kind: &str, challenge: &[u8]) -> Vec<u8> {
    json!({"type": kind, "challenge": encode(challenge), "origin": ORIGIN}).to_string().into_bytes()
}

/// One registration and one sign-in made with `signer`, as the browser would send them.
fn fixture(alg: &str, signer: &Signer) -> Json {
    let rp_hash = Sha256::digest(RP_ID.as_bytes());
    let id = [7u8; 32];
    let mut auth_data =
        [rp_hash.as_slice(), &[0x45], &0u32.to_be_bytes(), &[0; 16], &32u16.to_be_bytes(), &id].concat();
    let cose = signer.cose();
    auth_data.extend_from_slice(&cose);
    let object = Value::Map(vec![
        (Value::Text("fmt".into()), Value::Text("none".into())),
        (Value::Text("attStmt".into()), Value::Map(vec![])),
        (Value::Text("authData".into()), Value::Bytes(auth_data)),
    ]);
    let mut attestation = Vec::new();
    coset::cbor::ser::into_writer(&object, &mut attestation).expect("CBOR");
    let signed_data = [rp_hash.as_slice(), &[0x05], &1u32.to_be_bytes()].concat();
    let get = client_data("webauthn.get", b"sign-in");
    let signature = signer.sign(&[signed_data.as_slice(), Sha256::digest(&get).as_slice()].concat());
    json!({
        "alg": alg, "rp_id": RP_ID, "origin": ORIGIN, "public_key": encode(&cose),
        "registration": {"challenge": encode(b"register"), "credential": {"id": encode(&id), "response": {
            "clientDataJSON": encode(&client_data("webauthn.create", b"register")),
            "attestationObject": encode(&attestation)}}},
        "assertion": {"challenge": encode(b"sign-in"), "credential": {"id": encode(&id), "response": {
            "clientDataJSON": encode(&get), "authenticatorData": encode(&signed_data), "signature": encode(&signature)}}},
    })
}

/// Milliseconds per call of `run`, the median of 5 rounds of [`ROUNDS`].
fn per_call(mut run: impl FnMut()) -> f64 {
    let mut rounds: Vec<f64> = (0..5)
        .map(|_| {
            let started = Instant::now();
            (0..ROUNDS).for_each(|_| run());
            started.elapsed().as_secs_f64() * 1000.0 / f64::from(ROUNDS)
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[2]
}

fn main() {
    let rp = RelyingParty { id: RP_ID.into(), name: "Bench".into(), origins: vec![ORIGIN.into()] };
    let rsa = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).expect("an RSA key");
    let signers = [
        ("ES256", Signer::Es256(p256::ecdsa::SigningKey::from_slice(&[7; 32]).expect("a P-256 key"))),
        ("EdDSA", Signer::EdDsa(ed25519_dalek::SigningKey::from_bytes(&[7; 32]))),
        ("RS256", Signer::Rs256(Box::new(rsa))),
    ];
    let mut fixtures = Vec::new();
    println!("passkey verification natively, ms per call (median of 5 x {ROUNDS})");
    for (alg, signer) in &signers {
        let mut made = fixture(alg, signer);
        let registration = serde_json::from_value(made["registration"]["credential"].clone()).expect("a credential");
        let assertion = serde_json::from_value(made["assertion"]["credential"].clone()).expect("a credential");
        let key = latchkey_edge::webauthn::data::decode(made["public_key"].as_str().expect("a key")).expect("base64");
        let expect = |challenge: &'static [u8]| Expected { rp: &rp, challenge, user_verification: false };
        verify_registration(&expect(b"register"), &registration).expect("the registration verifies");
        verify_assertion(&expect(b"sign-in"), &assertion, &key, 0).expect("the sign-in verifies");
        let register = per_call(|| {
            verify_registration(&expect(b"register"), &registration).ok();
        });
        let sign_in = per_call(|| {
            verify_assertion(&expect(b"sign-in"), &assertion, &key, 0).ok();
        });
        println!("  {alg:<6} registration {register:>8.3}   sign-in {sign_in:>8.3}");
        made["native_ms"] = json!({"registration": register, "assertion": sign_in});
        fixtures.push(made);
    }
    if let Ok(dir) = std::env::var("BENCH_DIR") {
        let path = std::path::Path::new(&dir).join("passkeys.json");
        std::fs::write(&path, serde_json::to_string(&fixtures).expect("JSON")).expect("write the fixtures");
    }
}
