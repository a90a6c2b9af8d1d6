//! The two ceremonies' checks (WebAuthn Level 3, §7.1 and §7.2), in the order the specification gives them, for
//! what latchkey asks: attestation `none`, a discoverable credential, and the challenge the caller issued.

use super::data::{attestation_auth_data, decode, AuthenticatorData, ClientData, MAX_CREDENTIAL_ID};
use super::key::PublicKey;
use super::{Refused, RelyingParty};
use latchkey_shared::api::{AssertionCredential, RegistrationCredential};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// What the answer must match: the site, the challenge issued for this ceremony, and whether the authenticator must
/// have verified the person (a PIN, a fingerprint, the phone's lock) rather than only seen them.
pub struct Expected<'a> {
    pub rp: &'a RelyingParty,
    pub challenge: &'a [u8],
    pub user_verification: bool,
}

/// A new passkey, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registered {
    pub id: Vec<u8>,
    /// Its COSE key, as the authenticator encoded it.
    pub public_key: Vec<u8>,
    pub algorithm: i64,
    pub counter: u32,
    pub aaguid: [u8; 16],
    pub backed_up: bool,
}

/// A passkey's good answer to a sign-in challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Asserted {
    pub counter: u32,
    pub user_verified: bool,
    pub backed_up: bool,
}

/// Checks a registration: the browser's client data, then the authenticator's data, then the key.
pub fn verify_registration(
    expected: &Expected<'_>,
    credential: &RegistrationCredential,
) -> Result<Registered, Refused> {
    let client_data_json = decode(&credential.response.client_data_json)?;
    check_client_data(expected, &client_data_json, "webauthn.create")?;
    let auth_data = attestation_auth_data(&decode(&credential.response.attestation_object)?)?;
    let data = AuthenticatorData::parse(&auth_data)?;
    check_authenticator(expected, &data)?;
    let attested = data.attested.clone().ok_or(Refused::AuthenticatorData)?;
    if decode(&credential.id)? != attested.id {
        return Err(Refused::CredentialId);
    }
    let key = PublicKey::from_cose(&attested.public_key)?;
    Ok(Registered {
        id: attested.id,
        algorithm: key.algorithm(),
        public_key: attested.public_key,
        counter: data.counter,
        aaguid: attested.aaguid,
        backed_up: data.backed_up(),
    })
}

/// Checks a sign-in answer against the passkey's stored key and counter. A counter that does not move forward where
/// the authenticator keeps one (either count above zero) is refused: the passkey may have been cloned.
pub fn verify_assertion(
    expected: &Expected<'_>,
    credential: &AssertionCredential,
    public_key: &[u8],
    stored_counter: u32,
) -> Result<Asserted, Refused> {
    let id = decode(&credential.id)?;
    if id.is_empty() || id.len() > MAX_CREDENTIAL_ID {
        return Err(Refused::CredentialId);
    }
    let client_data_json = decode(&credential.response.client_data_json)?;
    check_client_data(expected, &client_data_json, "webauthn.get")?;
    let auth_data = decode(&credential.response.authenticator_data)?;
    let data = AuthenticatorData::parse(&auth_data)?;
    check_authenticator(expected, &data)?;
    let signed = [auth_data.as_slice(), Sha256::digest(&client_data_json).as_slice()].concat();
    PublicKey::from_cose(public_key)?.verify(&signed, &decode(&credential.response.signature)?)?;
    if (data.counter != 0 || stored_counter != 0) && data.counter <= stored_counter {
        return Err(Refused::Counter);
    }
    Ok(Asserted { counter: data.counter, user_verified: data.user_verified(), backed_up: data.backed_up() })
}

fn check_client_data(expected: &Expected<'_>, json: &[u8], kind: &str) -> Result<(), Refused> {
    let client = ClientData::parse(json)?;
    if client.kind != kind {
        return Err(Refused::CeremonyType);
    }
    let challenge = decode(&client.challenge).map_err(|_| Refused::Challenge)?;
    if !bool::from(challenge.ct_eq(expected.challenge)) {
        return Err(Refused::Challenge);
    }
    // Exactly one of the site's origins; a page framed by another site is not the site.
    if client.cross_origin == Some(true) || !expected.rp.origins.contains(&client.origin) {
        return Err(Refused::Origin);
    }
    Ok(())
}

fn check_authenticator(expected: &Expected<'_>, data: &AuthenticatorData) -> Result<(), Refused> {
    if data.rp_id_hash != Sha256::digest(expected.rp.id.as_bytes()).as_slice() {
        return Err(Refused::RpId);
    }
    if !data.user_present() {
        return Err(Refused::Presence);
    }
    if expected.user_verification && !data.user_verified() {
        return Err(Refused::Verification);
    }
    Ok(())
}
