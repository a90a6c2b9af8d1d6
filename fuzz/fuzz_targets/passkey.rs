//! A passkey's data as a browser sends it: the authenticator data, the attestation object (CBOR) and COSE keys are
//! read without a panic whatever the bytes, an answer built from them is refused unless it really verifies, and
//! authenticator data that parses holds a credential only within WebAuthn's bounds.
#![no_main]

use latchkey_edge::webauthn::{data, key, verify_assertion, verify_registration, Expected, RelyingParty};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&[u8], &[u8], &[u8], &str)| {
    let (auth_data, cbor, signature, text) = input;
    if let Ok(parsed) = data::AuthenticatorData::parse(auth_data) {
        if let Some(credential) = parsed.attested {
            assert!(!credential.id.is_empty() && credential.id.len() <= data::MAX_CREDENTIAL_ID);
        }
    }
    let _ = data::attestation_auth_data(cbor);
    let _ = key::PublicKey::from_cose(cbor).map(|key| key.verify(auth_data, signature));
    let rp = RelyingParty { id: "school.example".into(), name: "School".into(), origins: vec!["https://school.example".into()] };
    let expected = Expected { rp: &rp, challenge: b"fuzz", user_verification: false };
    let encoded = |bytes: &[u8]| data::encode(bytes);
    let assertion = serde_json::json!({"id": text, "response": {
        "clientDataJSON": encoded(text.as_bytes()), "authenticatorData": encoded(auth_data), "signature": encoded(signature)}});
    if let Ok(assertion) = serde_json::from_value(assertion) {
        assert!(verify_assertion(&expected, &assertion, cbor, 0).is_err(), "a forged answer verified");
    }
    let registration = serde_json::json!({"id": text, "response": {
        "clientDataJSON": encoded(text.as_bytes()), "attestationObject": encoded(cbor)}});
    if let Ok(registration) = serde_json::from_value(registration) {
        // The challenge is in no client data the fuzzer can make without knowing it: refused.
        let _ = verify_registration(&expected, &registration);
    }
});
