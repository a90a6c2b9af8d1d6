//! Passkeys verified in the Worker: WebAuthn registration (attestation `none`) and assertions, for ES256, EdDSA and
//! RS256. Our own small verifier over `coset` and the RustCrypto signature crates rather than `webauthn-rs`: that one
//! reads `SystemTime::now()` while registering (which traps in workerd) and brings a ceremony-state design of its own;
//! here the time, the challenge and the allowed origins all come from the caller, and nothing reads a clock. Pure,
//! tested natively against 1Password's independent software authenticator (`tests.rs`).

pub mod aaguid;
pub mod ceremony;
pub mod data;
pub mod key;

pub use ceremony::{verify_assertion, verify_registration, Expected};

/// The algorithms latchkey asks authenticators for, in its order of preference (COSE ids).
pub const ALGORITHMS: [i64; 3] = [key::ES256, key::EDDSA, key::RS256];

/// Why a passkey's answer was refused. Never says more to the person than "that did not work"; the office's log gets
/// the variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("a field is not base64url")]
    Encoding,
    #[error("the client data is not WebAuthn's JSON")]
    ClientData,
    #[error("the client data is for another ceremony")]
    CeremonyType,
    #[error("the challenge is not the one given")]
    Challenge,
    #[error("the origin is not one of the site's")]
    Origin,
    #[error("the credential was made for another relying party")]
    RpId,
    #[error("the user was not present")]
    Presence,
    #[error("the user was not verified")]
    Verification,
    #[error("the authenticator data is malformed")]
    AuthenticatorData,
    #[error("the attestation object is malformed")]
    Attestation,
    #[error("the public key is malformed or of an algorithm not accepted")]
    Key,
    #[error("the signature does not verify")]
    Signature,
    #[error("the signature counter did not move forward")]
    Counter,
    #[error("the credential id does not match")]
    CredentialId,
}

/// The site, as WebAuthn knows it: its relying-party id (the origin's host) and the origins allowed to speak for it
/// (its own, and any the platform's mobile app signs from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    pub id: String,
    pub name: String,
    pub origins: Vec<String>,
}

#[cfg(test)]
pub(crate) mod tests;
