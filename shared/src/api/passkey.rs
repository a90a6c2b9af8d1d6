//! Passkeys on the wire: the options the pages hand to `navigator.credentials`, in WebAuthn's JSON forms
//! (`PublicKeyCredentialCreationOptionsJSON`, `PublicKeyCredentialRequestOptionsJSON`), and the credentials they send
//! back as `PublicKeyCredential.toJSON()` gives them — so a browser, the platform's mobile app or any WebAuthn library
//! speaks to latchkey without a translation of its own. Every binary field is base64url without padding.

use crate::secret::Secret;
use serde::{Deserialize, Serialize};

/// What a ceremony is for: a login with no password (user verification required: the passkey is both factors), or a
/// second step after a password or a reset link (user verification preferred).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasskeyPurpose {
    Login,
    SecondStep,
}

/// `POST /api/passkeys/challenge`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasskeyChallengeRequest {
    pub purpose: PasskeyPurpose,
}

/// A ceremony begun: the options for the browser, and the sealed ceremony to send back with its answer (it holds the
/// challenge and when it expires; the account keeps which challenges were used, so none works twice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyCeremony<O> {
    pub ceremony: String,
    pub options: O,
}

/// `PublicKeyCredentialRequestOptionsJSON`. No credentials are listed: latchkey's passkeys are discoverable, and
/// listing them would tell anyone who asks which account has which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestOptions {
    pub challenge: String,
    pub rp_id: String,
    pub timeout: u64,
    pub user_verification: String,
    #[serde(default)]
    pub allow_credentials: Vec<CredentialDescriptor>,
}

/// `PublicKeyCredentialCreationOptionsJSON`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreationOptions {
    pub rp: RelyingPartyEntity,
    pub user: UserEntity,
    pub challenge: String,
    pub pub_key_cred_params: Vec<CredentialParameters>,
    pub timeout: u64,
    pub exclude_credentials: Vec<CredentialDescriptor>,
    pub authenticator_selection: AuthenticatorSelection,
    pub attestation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelyingPartyEntity {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserEntity {
    /// The account's user handle: random, never the email.
    pub id: String,
    pub name: String,
    pub display_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialParameters {
    #[serde(rename = "type")]
    pub kind: String,
    pub alg: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialDescriptor {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transports: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorSelection {
    pub resident_key: String,
    pub require_resident_key: bool,
    pub user_verification: String,
}

/// `PublicKeyCredential.toJSON()` after `navigator.credentials.create()`. Fields WebAuthn adds later are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationCredential {
    pub id: String,
    pub response: AttestationResponse,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttestationResponse {
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    pub attestation_object: String,
    #[serde(default)]
    pub transports: Vec<String>,
}

/// `PublicKeyCredential.toJSON()` after `navigator.credentials.get()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssertionCredential {
    pub id: String,
    pub response: AssertionResponse,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssertionResponse {
    #[serde(rename = "clientDataJSON")]
    pub client_data_json: String,
    pub authenticator_data: String,
    pub signature: String,
    #[serde(default)]
    pub user_handle: Option<String>,
}

/// A passkey's answer to a ceremony latchkey began: where a code is asked for, this may come instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasskeyProof {
    pub ceremony: String,
    pub credential: AssertionCredential,
}

/// `POST /api/passkeys/login`: a login with a passkey and no password.
pub type PasskeyLoginRequest = PasskeyProof;

/// `POST /api/passkeys`: a new passkey, answering the registration options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasskeyRegistrationRequest {
    pub ceremony: String,
    pub credential: RegistrationCredential,
    /// Its name; none: the authenticator's (known by its AAGUID) or the browser's and the date.
    #[serde(default)]
    pub name: Option<String>,
}

/// `POST /api/passkeys/rename`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasskeyRenameRequest {
    pub id: String,
    pub name: String,
}

/// `POST /api/passkeys/remove`: removing the last second factor turns 2-Step Verification off, and asks what turning
/// it off asks — a code, or another answer from a passkey.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasskeyRemoveRequest {
    pub id: String,
    #[serde(default)]
    pub code: Option<Secret<String>>,
    #[serde(default)]
    pub passkey: Option<PasskeyProof>,
}

/// One passkey, as its owner and the school office see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyInfo {
    /// The credential id (base64url).
    pub id: String,
    pub name: String,
    pub created_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<u64>,
    /// Whether it is synced to the person's other devices (the authenticator's backup state).
    pub synced: bool,
}

/// `GET /api/passkeys`, and the answer to every change of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyList {
    pub passkeys: Vec<PasskeyInfo>,
    /// How many more the account may have.
    pub room: u32,
    /// New recovery codes, once: when this passkey was the account's first second factor.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery_codes: Vec<Secret<String>>,
}
