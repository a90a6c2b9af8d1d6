//! Passkeys over HTTP. A ceremony's challenge is made here and travels to the browser and back sealed with its
//! purpose, its expiry and (for a registration) its account, so nothing about it lives client-side in a form anyone
//! can forge; the account's Durable Object keeps which challenges were answered, so none works twice. A passkey's
//! account is found through KV's index (`store::passkey_key`), which the account's object keeps (`object.rs`); the
//! account's own list decides.

use super::{Call, HandlerResult};
use crate::account::commands::passkeys::{
    PasskeyListQuery, PasskeyLogin, PasskeyOptions, PasskeyRegister, PasskeyRemove, PasskeyRename, RegistrationContext,
};
use crate::account::passkeys::{Challenge, Purpose, CEREMONY_SECS};
use crate::account::two_step::PasskeyAnswer;
use crate::body::MAX_JSON_BODY;
use crate::failure::Internal;
use crate::platform::{now_secs, random_bytes};
use crate::seal::Sealed;
use crate::token::Token;
use crate::webauthn::{data::encode, ALGORITHMS};
use latchkey_shared::api::{
    AuthenticatorSelection, CreationOptions, CredentialDescriptor, CredentialParameters, PasskeyCeremony,
    PasskeyChallengeRequest, PasskeyList, PasskeyLoginRequest, PasskeyProof, PasskeyRegistrationRequest,
    PasskeyRemoveRequest, PasskeyRenameRequest, RelyingPartyEntity, RequestOptions, UserEntity,
};
use latchkey_shared::ErrorCode;
use serde::{Deserialize, Serialize};

/// What a ceremony is sealed for: it opens for nothing else.
const PURPOSE: &str = "passkey-ceremony";

#[derive(Serialize, Deserialize)]
struct Ceremony {
    challenge: Challenge,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    account: Option<String>,
}

fn seal(call: &Call<'_>, ceremony: &Ceremony) -> Result<String, super::ApiError> {
    let json = serde_json::to_vec(ceremony).map_err(|e| Internal::Stored(e.to_string()))?;
    let sealed = call.config.sealing_keys.seal(PURPOSE, &json, random_bytes()?);
    Ok(sealed.compact())
}

/// The sealed ceremony, if it opens; `passkey_ceremony_expired` for anything else (its expiry and single use are
/// the account's to judge, by its own clock).
fn open(call: &Call<'_>, text: &str) -> Result<Ceremony, super::ApiError> {
    let expired = || call.error(ErrorCode::PasskeyCeremonyExpired);
    let sealed = Sealed::from_compact(text).ok_or_else(expired)?;
    let json = call.config.sealing_keys.open(PURPOSE, &sealed).ok_or_else(expired)?;
    serde_json::from_slice(&json).map_err(|_| expired())
}

fn new_challenge(purpose: Purpose) -> Result<Challenge, super::ApiError> {
    let bytes = random_bytes::<32>()?;
    Ok(Challenge { challenge: encode(&bytes), expires_at: now_secs() + CEREMONY_SECS, purpose })
}

/// `POST /api/passkeys/challenge`: a challenge for a login with a passkey, or for a passkey as the second step.
pub async fn challenge(mut call: Call<'_>) -> HandlerResult {
    let body: PasskeyChallengeRequest = call.json(MAX_JSON_BODY).await?;
    let challenge = new_challenge(body.purpose.into())?;
    let user_verification = if challenge.purpose == Purpose::Login { "required" } else { "preferred" };
    let options = RequestOptions {
        challenge: challenge.challenge.clone(),
        rp_id: call.config.app_host(),
        timeout: CEREMONY_SECS * 1000,
        user_verification: user_verification.into(),
        allow_credentials: Vec::new(),
    };
    let ceremony = seal(&call, &Ceremony { challenge, account: None })?;
    call.reply(200, &PasskeyCeremony { ceremony, options })
}

/// A passkey's answer as the account checks it: the ceremony opened.
pub fn answer(call: &Call<'_>, proof: Option<PasskeyProof>) -> Result<Option<PasskeyAnswer>, super::ApiError> {
    let Some(proof) = proof else { return Ok(None) };
    let ceremony = open(call, &proof.ceremony)?;
    Ok(Some(PasskeyAnswer { challenge: ceremony.challenge, credential: proof.credential }))
}

/// `POST /api/passkeys/registration-options`.
pub async fn registration_options(call: Call<'_>) -> HandlerResult {
    let (id, session_hash) = call.session()?;
    let command = PasskeyOptions { session_hash, fresh_handle: random_bytes()? };
    let context = call.account(&id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    call.reply(200, &creation_options(&call, context, id)?)
}

/// WebAuthn's creation options for a new passkey of the account `id`, and the ceremony sealed for it.
pub(super) fn creation_options(
    call: &Call<'_>,
    context: RegistrationContext,
    id: String,
) -> Result<PasskeyCeremony<CreationOptions>, super::ApiError> {
    let challenge = new_challenge(Purpose::Register)?;
    let rp = call.config.relying_party();
    let descriptor = |id: String| CredentialDescriptor { kind: "public-key".into(), id, transports: Vec::new() };
    let options = CreationOptions {
        rp: RelyingPartyEntity { id: rp.id, name: rp.name },
        user: UserEntity { id: context.user_handle, name: context.login_email, display_name: context.display_name },
        challenge: challenge.challenge.clone(),
        pub_key_cred_params: ALGORITHMS
            .iter()
            .map(|alg| CredentialParameters { kind: "public-key".into(), alg: *alg })
            .collect(),
        timeout: CEREMONY_SECS * 1000,
        exclude_credentials: context.exclude.into_iter().map(descriptor).collect(),
        authenticator_selection: AuthenticatorSelection {
            resident_key: "required".into(),
            require_resident_key: true,
            user_verification: "preferred".into(),
        },
        attestation: "none".into(),
    };
    let ceremony = seal(call, &Ceremony { challenge, account: Some(id) })?;
    Ok(PasskeyCeremony { ceremony, options })
}

/// A registration's challenge from its sealed ceremony. One that does not open, or is another account's or purpose's,
/// travels as one long expired: the account decides in its order (`passkey_ceremony_expired` last).
pub(super) fn registration_challenge(call: &Call<'_>, ceremony: &str, id: &str) -> Challenge {
    open(call, ceremony)
        .ok()
        .filter(|c| c.account.as_deref() == Some(id) && c.challenge.purpose == Purpose::Register)
        .map_or(Challenge { challenge: String::new(), expires_at: 0, purpose: Purpose::Register }, |c| c.challenge)
}

/// `POST /api/passkeys`: answers the list (201), with new recovery codes when this passkey turned 2-Step
/// Verification on.
pub async fn register(mut call: Call<'_>) -> HandlerResult {
    let (id, session_hash) = call.session()?;
    let body: PasskeyRegistrationRequest = call.json(MAX_JSON_BODY).await?;
    // The account decides in its order: the session, how recent its password is, then the ceremony.
    let challenge = registration_challenge(&call, &body.ceremony, &id);
    let (codes, recovery_hashes) = crate::otp::recovery::issue(&call.config.sealing_keys)?;
    let command = PasskeyRegister {
        session_hash,
        requirement: call.two_step_requirement().await,
        challenge,
        credential: body.credential,
        name: body.name,
        fallback_name: fallback_name(&call),
        recovery_hashes,
    };
    let registered = call.account(&id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    let mut list = registered.list;
    if registered.first_factor {
        list.recovery_codes = codes;
    }
    call.reply(201, &list)
}

/// A passkey's name when the provider is not known: the browser's and the day.
pub(super) fn fallback_name(call: &Call<'_>) -> String {
    let agent = call.header("User-Agent").unwrap_or_default();
    let browser = ["Edg/", "Firefox/", "Chrome/", "Safari/"]
        .iter()
        .find(|mark| agent.contains(**mark))
        .map(|mark| match *mark {
            "Edg/" => "Edge",
            "Firefox/" => "Firefox",
            "Chrome/" => "Chrome",
            _ => "Safari",
        })
        .unwrap_or("Passkey");
    format!("{browser}, {}", call.config.site.when(now_secs()))
}

/// `GET /api/passkeys`.
pub async fn list(call: Call<'_>) -> HandlerResult {
    let (id, session_hash) = call.session()?;
    let list: PasskeyList =
        call.account(&id, PasskeyListQuery { session_hash }).await?.map_err(|refusal| call.refusal(refusal))?;
    call.reply(200, &list)
}

/// `POST /api/passkeys/rename`.
pub async fn rename(mut call: Call<'_>) -> HandlerResult {
    let (id, session_hash) = call.session()?;
    let body: PasskeyRenameRequest = call.json(MAX_JSON_BODY).await?;
    let command = PasskeyRename { session_hash, id: body.id, name: body.name };
    let list = call.account(&id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    call.reply(200, &list)
}

/// `POST /api/passkeys/remove`.
pub async fn remove(mut call: Call<'_>) -> HandlerResult {
    let (id, session_hash) = call.session()?;
    let body: PasskeyRemoveRequest = call.json(MAX_JSON_BODY).await?;
    let passkey = answer(&call, body.passkey)?;
    let requirement = call.two_step_requirement().await;
    let command = PasskeyRemove { session_hash, requirement, id: body.id, code: body.code, passkey };
    let list = call.account(&id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    call.reply(200, &list)
}

/// `POST /api/passkeys/login`: a login with a passkey and no password; sets the session cookie as a login does.
pub async fn login(mut call: Call<'_>) -> HandlerResult {
    let body: PasskeyLoginRequest = call.json(MAX_JSON_BODY).await?;
    let answer = answer(&call, Some(body))?.ok_or_else(|| call.error(ErrorCode::PasskeyRefused))?;
    let key = crate::store::passkey_key(&answer.credential.id);
    let found: Option<String> = crate::store::get_json(&call.kv()?, &key).await.map_err(Internal::Kv)?;
    let Some(id) = found else { return Err(call.error(ErrorCode::PasskeyRefused)) };
    let token = Token::generate()?;
    let (requirement, password_change) =
        futures_util::join!(call.two_step_requirement(), call.password_change_requirement());
    let command =
        PasskeyLogin { client: call.client(), session_hash: token.hash(), answer, requirement, password_change };
    let info = call.account(&id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    call.logged_in(&id, &token, &info)
}
