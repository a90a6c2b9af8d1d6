//! What an authenticator and a browser sign: the client data (JSON, made by the browser) and the authenticator data
//! (bytes, made by the authenticator), read with their lengths checked before every slice.

use super::Refused;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;

/// The longest credential id WebAuthn allows.
pub const MAX_CREDENTIAL_ID: usize = 1023;

/// Flags in the authenticator data (WebAuthn §6.1).
const USER_PRESENT: u8 = 0x01;
const USER_VERIFIED: u8 = 0x04;
const BACKUP_ELIGIBLE: u8 = 0x08;
const BACKED_UP: u8 = 0x10;
const ATTESTED: u8 = 0x40;

/// Base64url without padding (browsers' `toJSON()`); padded input is accepted too, as some libraries send it.
pub fn decode(text: &str) -> Result<Vec<u8>, Refused> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).map_err(|_| Refused::Encoding)
}

pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// `CollectedClientData`, the fields that are checked.
#[derive(Debug, Deserialize)]
pub struct ClientData {
    #[serde(rename = "type")]
    pub kind: String,
    pub challenge: String,
    pub origin: String,
    #[serde(rename = "crossOrigin", default)]
    pub cross_origin: Option<bool>,
}

impl ClientData {
    pub fn parse(json: &[u8]) -> Result<ClientData, Refused> {
        serde_json::from_slice(json).map_err(|_| Refused::ClientData)
    }
}

/// The authenticator data: which relying party, the flags, the signature counter and — at registration — the new
/// credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatorData {
    pub rp_id_hash: [u8; 32],
    pub flags: u8,
    pub counter: u32,
    pub attested: Option<AttestedCredential>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestedCredential {
    pub aaguid: [u8; 16],
    pub id: Vec<u8>,
    /// The COSE key, exactly as the authenticator encoded it.
    pub public_key: Vec<u8>,
}

impl AuthenticatorData {
    pub fn parse(bytes: &[u8]) -> Result<AuthenticatorData, Refused> {
        let malformed = Refused::AuthenticatorData;
        let (rp_id_hash, rest) = bytes.split_first_chunk::<32>().ok_or(malformed)?;
        let (&flags, rest) = rest.split_first().ok_or(malformed)?;
        let (counter, rest) = rest.split_first_chunk::<4>().ok_or(malformed)?;
        let attested = if flags & ATTESTED != 0 {
            let (aaguid, rest) = rest.split_first_chunk::<16>().ok_or(malformed)?;
            let (length, rest) = rest.split_first_chunk::<2>().ok_or(malformed)?;
            let length = u16::from_be_bytes(*length) as usize;
            if length == 0 || length > MAX_CREDENTIAL_ID || rest.len() < length {
                return Err(malformed);
            }
            let (id, rest) = rest.split_at(length);
            // The key is one CBOR item; extensions, if any, follow it.
            let mut reader = rest;
            let _: coset::cbor::Value = coset::cbor::de::from_reader(&mut reader).map_err(|_| malformed)?;
            let public_key = rest[..rest.len() - reader.len()].to_vec();
            Some(AttestedCredential { aaguid: *aaguid, id: id.to_vec(), public_key })
        } else {
            None
        };
        Ok(AuthenticatorData { rp_id_hash: *rp_id_hash, flags, counter: u32::from_be_bytes(*counter), attested })
    }

    pub fn user_present(&self) -> bool {
        self.flags & USER_PRESENT != 0
    }

    pub fn user_verified(&self) -> bool {
        self.flags & USER_VERIFIED != 0
    }

    /// Whether the passkey may be synced, and whether it is (it lives on the person's other devices too).
    pub fn backed_up(&self) -> bool {
        self.flags & BACKUP_ELIGIBLE != 0 && self.flags & BACKED_UP != 0
    }
}

/// The attestation object's `authData` (its format and statement are not checked: latchkey asks for attestation
/// `none` and trusts no authenticator's make for anything but a default name).
pub fn attestation_auth_data(attestation_object: &[u8]) -> Result<Vec<u8>, Refused> {
    use coset::cbor::Value;
    let value: Value = coset::cbor::de::from_reader(attestation_object).map_err(|_| Refused::Attestation)?;
    let Value::Map(entries) = value else { return Err(Refused::Attestation) };
    entries
        .into_iter()
        .find_map(|(key, value)| match (key, value) {
            (Value::Text(key), Value::Bytes(bytes)) if key == "authData" => Some(bytes),
            _ => None,
        })
        .ok_or(Refused::Attestation)
}
