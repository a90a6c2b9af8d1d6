//! The verifier against an independent software authenticator and WebAuthn client (1Password's `passkey` crates),
//! which build the client data and the authenticator data as a browser and a phone would. RS256, which they do not
//! make, is signed here with the `rsa` crate.

use super::data::{decode, encode};
use super::key::{EDDSA, ES256, RS256};
use super::*;
use coset::iana;
use latchkey_shared::api::{AssertionCredential, RegistrationCredential};
use passkey_authenticator::{Authenticator, UiHint, UserCheck, UserValidationMethod};
use passkey_client::{Client, DefaultClientData};
use passkey_types::ctap2::{Aaguid, Ctap2Error};
use passkey_types::{webauthn, Passkey};
use serde_json::json;
use sha2::{Digest, Sha256};

const GOOGLE: [u8; 16] =
    [0xea, 0x9b, 0x8d, 0x66, 0x4d, 0x01, 0x1d, 0x21, 0x3c, 0xe4, 0xb6, 0xb4, 0x8c, 0xb5, 0x75, 0xd4];

pub(crate) fn school() -> RelyingParty {
    RelyingParty {
        id: "school.example".into(),
        name: "School".into(),
        origins: vec!["https://school.example".into(), "https://app.school.example".into()],
    }
}

/// A phone with one passkey (found without being named, as discoverable passkeys are); the person at it: always present; verified (fingerprint, PIN) only if `verifies`.
pub(crate) struct Person {
    pub(crate) verifies: bool,
}

#[async_trait::async_trait]
impl UserValidationMethod for Person {
    type PasskeyItem = Passkey;

    async fn check_user<'a>(
        &self,
        _hint: UiHint<'a, Passkey>,
        presence: bool,
        verification: bool,
    ) -> Result<UserCheck, Ctap2Error> {
        Ok(UserCheck { presence, verification: verification && self.verifies })
    }

    fn is_presence_enabled(&self) -> bool {
        true
    }

    fn is_verification_enabled(&self) -> Option<bool> {
        Some(self.verifies)
    }
}

pub(crate) type Phone =
    Client<Option<Passkey>, Person, passkey_crypto::AvailableBackend, public_suffix::PublicSuffixList, ()>;

pub(crate) fn phone(algorithm: iana::Algorithm, verifies: bool) -> Phone {
    let mut authenticator =
        Authenticator::new(Aaguid::from(GOOGLE), None, Person { verifies }, passkey_crypto::AvailableBackend);
    authenticator.set_algorithms(&[algorithm]).expect("the backend makes this algorithm");
    Client::new(authenticator)
}

fn creation_options(challenge: &[u8], uv: &str) -> webauthn::CredentialCreationOptions {
    let options = json!({
        "rp": { "id": "school.example", "name": "School" },
        "user": { "id": encode(&[7; 16]), "name": "ana@school.example", "displayName": "Ana" },
        "challenge": encode(challenge),
        "pubKeyCredParams": [
            { "type": "public-key", "alg": ES256 },
            { "type": "public-key", "alg": EDDSA },
            { "type": "public-key", "alg": RS256 }
        ],
        "timeout": 300000,
        "excludeCredentials": [],
        "authenticatorSelection": { "residentKey": "required", "requireResidentKey": true, "userVerification": uv },
        "attestation": "none"
    });
    webauthn::CredentialCreationOptions { public_key: serde_json::from_value(options).expect("creation options") }
}

fn request_options(challenge: &[u8], uv: &str) -> webauthn::CredentialRequestOptions {
    let options = json!({
        "challenge": encode(challenge),
        "rpId": "school.example",
        "timeout": 300000,
        "userVerification": uv,
        "allowCredentials": []
    });
    webauthn::CredentialRequestOptions { public_key: serde_json::from_value(options).expect("request options") }
}

fn url(origin: &str) -> url::Url {
    url::Url::parse(origin).expect("an origin")
}

pub(crate) async fn register(phone: &mut Phone, origin: &str, challenge: &[u8], uv: &str) -> RegistrationCredential {
    let made = phone.register(&url(origin), creation_options(challenge, uv), DefaultClientData).await.expect("made");
    as_sent(made)
}

/// What a browser's `toJSON()` gives for a new credential.
fn as_sent(made: webauthn::CreatedPublicKeyCredential) -> RegistrationCredential {
    serde_json::from_value(json!({
        "id": encode(&made.raw_id),
        "response": {
            "clientDataJSON": encode(&made.response.client_data_json),
            "attestationObject": encode(&made.response.attestation_object)
        }
    }))
    .expect("what a browser sends")
}

pub(crate) async fn sign_in(phone: &mut Phone, origin: &str, challenge: &[u8], uv: &str) -> AssertionCredential {
    let signed = phone.authenticate(&url(origin), request_options(challenge, uv), DefaultClientData).await;
    signed_as_sent(signed.expect("signed"))
}

/// What a browser's `toJSON()` gives for a sign-in.
fn signed_as_sent(signed: webauthn::AuthenticatedPublicKeyCredential) -> AssertionCredential {
    serde_json::from_value(json!({
        "id": encode(&signed.raw_id),
        "response": {
            "clientDataJSON": encode(&signed.response.client_data_json),
            "authenticatorData": encode(&signed.response.authenticator_data),
            "signature": encode(&signed.response.signature),
            "userHandle": signed.response.user_handle.as_ref().map(|handle| encode(handle))
        }
    }))
    .expect("what a browser sends")
}

fn expected<'a>(rp: &'a RelyingParty, challenge: &'a [u8], user_verification: bool) -> Expected<'a> {
    Expected { rp, challenge, user_verification }
}

#[tokio::test]
async fn a_passkey_registers_and_signs_in_with_es256_and_eddsa() {
    let rp = school();
    for (algorithm, cose) in [(iana::Algorithm::ES256, ES256), (iana::Algorithm::EdDSA, EDDSA)] {
        let mut ana = phone(algorithm, true);
        let made = register(&mut ana, "https://school.example", b"first challenge", "preferred").await;
        let registered = verify_registration(&expected(&rp, b"first challenge", true), &made).unwrap();
        assert_eq!((registered.algorithm, registered.aaguid), (cose, GOOGLE));
        assert_eq!(encode(&registered.id), made.id);
        assert_eq!(aaguid::name(&registered.aaguid), Some("Google Password Manager"));

        let signed = sign_in(&mut ana, "https://school.example", b"second challenge", "required").await;
        assert_eq!(decode(&signed.id).unwrap(), registered.id);
        let asserted =
            verify_assertion(&expected(&rp, b"second challenge", true), &signed, &registered.public_key, 0).unwrap();
        assert!(asserted.user_verified, "{cose}");
        // The app's origin (configured as an extra origin) speaks for the site too.
        let from_app = sign_in(&mut ana, "https://app.school.example", b"third", "required").await;
        verify_assertion(&expected(&rp, b"third", true), &from_app, &registered.public_key, asserted.counter)
            .expect("an extra origin");

        // Tampered: a signature of another message, or a key of another passkey.
        let mut forged = signed.clone();
        forged.response.authenticator_data = made.response.client_data_json.clone();
        assert!(
            verify_assertion(&expected(&rp, b"second challenge", true), &forged, &registered.public_key, 0).is_err()
        );
        let mut other = phone(algorithm, true);
        let theirs = register(&mut other, "https://school.example", b"x", "preferred").await;
        let theirs = verify_registration(&expected(&rp, b"x", true), &theirs).unwrap();
        let refused = verify_assertion(&expected(&rp, b"second challenge", true), &signed, &theirs.public_key, 0);
        assert_eq!(refused, Err(Refused::Signature), "another account's passkey does not sign for this one");
    }
}

#[tokio::test]
async fn the_wrong_challenge_origin_or_relying_party_is_refused() {
    let rp = school();
    let mut ana = phone(iana::Algorithm::ES256, true);
    let made = register(&mut ana, "https://school.example", b"issued", "preferred").await;
    assert_eq!(verify_registration(&expected(&rp, b"another", true), &made), Err(Refused::Challenge));
    let registered = verify_registration(&expected(&rp, b"issued", true), &made).unwrap();

    // A look-alike origin under the same site, not configured.
    let elsewhere = sign_in(&mut ana, "https://login.school.example", b"c", "required").await;
    let refused = verify_assertion(&expected(&rp, b"c", true), &elsewhere, &registered.public_key, 0);
    assert_eq!(refused, Err(Refused::Origin));

    // A passkey of another site, brought to this one's origin list.
    let mut phishing = phone_for_other_site().await;
    let mut options = request_options(b"c", "required");
    options.public_key.rp_id = Some("evil.example".into());
    let theirs = phishing.0.authenticate(&url("https://evil.example"), options, DefaultClientData).await;
    let theirs = signed_as_sent(theirs.expect("signed"));
    let fooled = RelyingParty { origins: vec!["https://evil.example".into()], ..school() };
    let refused = verify_assertion(&expected(&fooled, b"c", true), &theirs, &phishing.1, 0);
    assert_eq!(refused, Err(Refused::RpId));

    // An answer to a registration is no sign-in, and the other way round.
    let mut as_get = made.clone();
    as_get.response.client_data_json = elsewhere.response.client_data_json.clone();
    assert_eq!(verify_registration(&expected(&rp, b"c", true), &as_get), Err(Refused::CeremonyType));
}

/// A phone holding a passkey made for `evil.example`, and that passkey's key.
async fn phone_for_other_site() -> (Phone, Vec<u8>) {
    let mut theirs_phone = phone(iana::Algorithm::ES256, true);
    let mut options = creation_options(b"e", "preferred");
    options.public_key.rp.id = Some("evil.example".into());
    let made = theirs_phone.register(&url("https://evil.example"), options, DefaultClientData).await.expect("made");
    let made = as_sent(made);
    let theirs =
        RelyingParty { id: "evil.example".into(), name: "Evil".into(), origins: vec!["https://evil.example".into()] };
    let key = verify_registration(&expected(&theirs, b"e", false), &made).unwrap().public_key;
    (theirs_phone, key)
}

#[tokio::test]
async fn user_verification_is_refused_missing_where_required_and_a_counter_must_move_forward() {
    let rp = school();
    let mut unverified = phone(iana::Algorithm::ES256, false);
    let made = register(&mut unverified, "https://school.example", b"r", "discouraged").await;
    assert_eq!(verify_registration(&expected(&rp, b"r", true), &made), Err(Refused::Verification));
    let registered = verify_registration(&expected(&rp, b"r", false), &made).expect("verification only preferred");
    let signed = sign_in(&mut unverified, "https://school.example", b"s", "discouraged").await;
    assert_eq!(
        verify_assertion(&expected(&rp, b"s", true), &signed, &registered.public_key, 0),
        Err(Refused::Verification),
        "a login with no password needs the person verified"
    );
    let asserted = verify_assertion(&expected(&rp, b"s", false), &signed, &registered.public_key, 0).unwrap();
    assert!(!asserted.user_verified);
    // The authenticator's counter is below (or at) what the account saw last: a clone, refused.
    let seen = asserted.counter.max(1) + 5;
    assert_eq!(
        verify_assertion(&expected(&rp, b"s", false), &signed, &registered.public_key, seen),
        Err(Refused::Counter)
    );
}

#[test]
fn an_rs256_passkey_registers_and_signs_in() {
    use rsa::pkcs1v15::SigningKey;
    use rsa::signature::{SignatureEncoding, Signer};
    use rsa::traits::PublicKeyParts;
    let private = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, 2048).expect("a key");
    let cose = coset::CoseKeyBuilder::new()
        .key_type(iana::KeyType::RSA)
        .param(iana::RsaKeyParameter::N as i64, coset::cbor::Value::Bytes(private.n().to_bytes_be()))
        .param(iana::RsaKeyParameter::E as i64, coset::cbor::Value::Bytes(private.e().to_bytes_be()))
        .algorithm(iana::Algorithm::RS256)
        .build();
    let cose = coset::CborSerializable::to_vec(cose).unwrap();
    let rp = school();
    let id = [9u8; 20];
    let rp_hash = Sha256::digest(b"school.example");
    let client_data = |kind: &str, challenge: &[u8]| {
        json!({ "type": kind, "challenge": encode(challenge), "origin": "https://school.example" }).to_string()
    };
    let mut auth_data =
        [rp_hash.as_slice(), &[0x45], &0u32.to_be_bytes(), &[0; 16], &20u16.to_be_bytes(), &id].concat();
    auth_data.extend_from_slice(&cose);
    let mut attestation = Vec::new();
    let object = coset::cbor::Value::Map(vec![
        (coset::cbor::Value::Text("fmt".into()), coset::cbor::Value::Text("none".into())),
        (coset::cbor::Value::Text("attStmt".into()), coset::cbor::Value::Map(vec![])),
        (coset::cbor::Value::Text("authData".into()), coset::cbor::Value::Bytes(auth_data)),
    ]);
    coset::cbor::ser::into_writer(&object, &mut attestation).unwrap();
    let made: RegistrationCredential = serde_json::from_value(json!({
        "id": encode(&id),
        "response": {
            "clientDataJSON": encode(client_data("webauthn.create", b"r").as_bytes()),
            "attestationObject": encode(&attestation)
        }
    }))
    .unwrap();
    let registered = verify_registration(&expected(&rp, b"r", true), &made).unwrap();
    assert_eq!(registered.algorithm, RS256);

    let data = [rp_hash.as_slice(), &[0x05], &3u32.to_be_bytes()].concat();
    let client = client_data("webauthn.get", b"s");
    let signed = [data.as_slice(), Sha256::digest(client.as_bytes()).as_slice()].concat();
    let signature = SigningKey::<rsa::sha2::Sha256>::new(private).sign(&signed).to_vec();
    let answer = |signature: &[u8]| -> AssertionCredential {
        serde_json::from_value(json!({
            "id": encode(&id),
            "response": {
                "clientDataJSON": encode(client.as_bytes()),
                "authenticatorData": encode(&data),
                "signature": encode(signature)
            }
        }))
        .unwrap()
    };
    let asserted = verify_assertion(&expected(&rp, b"s", true), &answer(&signature), &registered.public_key, 2);
    assert_eq!(asserted.map(|a| a.counter), Ok(3));
    let mut bad = signature.clone();
    bad[10] ^= 1;
    assert_eq!(
        verify_assertion(&expected(&rp, b"s", true), &answer(&bad), &registered.public_key, 2),
        Err(Refused::Signature)
    );
}

#[test]
fn malformed_answers_are_refused_without_a_panic() {
    let rp = school();
    let garbage = ["", "!!", "AAAA", &encode(&[0xff; 40]), &encode(b"{\"type\":1}")];
    for text in garbage {
        let made: RegistrationCredential = serde_json::from_value(json!({
            "id": text, "response": { "clientDataJSON": text, "attestationObject": text }
        }))
        .unwrap();
        assert!(verify_registration(&expected(&rp, b"r", false), &made).is_err());
        let signed: AssertionCredential = serde_json::from_value(json!({
            "id": text, "response": { "clientDataJSON": text, "authenticatorData": text, "signature": text }
        }))
        .unwrap();
        assert!(verify_assertion(&expected(&rp, b"r", false), &signed, &[0xa0], 0).is_err());
    }
    // Authenticator data cut anywhere is refused, never read past its end.
    let full = [[0u8; 32].as_slice(), &[0x41], &[0; 4], &[0; 16], &[0, 4], &[1, 2, 3, 4], &[0xa0]].concat();
    for cut in 0..full.len() {
        assert!(data::AuthenticatorData::parse(&full[..cut]).is_err(), "cut at {cut}");
    }
    assert!(data::AuthenticatorData::parse(&full).is_ok());
    assert_eq!(key::PublicKey::from_cose(&[0xa0]).err(), Some(Refused::Key));
}
