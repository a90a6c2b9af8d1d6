//! 2-Step Verification settings for the logged-in person: start a setup (a new secret made here, shown as an
//! `otpauth://` URI and a QR code), turn it on with a first code, replace the recovery codes, turn it off. Recovery
//! codes are made here too and leave only as this one answer; the account keeps their hashes. The session is checked
//! before a body is read.

use super::{Call, HandlerResult};
use crate::account::commands::two_step::{
    SetupStarted, TwoStepConfirm, TwoStepDisable, TwoStepNewCodes, TwoStepSetup, TwoStepStatusQuery,
};
use crate::account::protocol::Ask;
use crate::account::refusal::Refusal;
use crate::account::two_step::TotpSecret;
use crate::body::MAX_JSON_BODY;
use crate::otp::{qr, recovery, totp};
use crate::platform::random_bytes;
use crate::token::TokenHash;
use latchkey_shared::api::{
    CodeRequest, RecoveryCodes, SecondFactorRequest, TwoStepRequirement, TwoStepSetup as SetupAnswer, TwoStepStatus,
};

/// `GET /api/two-step`.
pub async fn status(call: Call<'_>) -> HandlerResult {
    let (id, session_hash) = call.session()?;
    let requirement = call.two_step_requirement().await;
    let status = call.account(&id, TwoStepStatusQuery { session_hash, requirement }).await?;
    answer_status(&call, status)
}

/// `POST /api/two-step/setup`.
pub async fn setup(call: Call<'_>) -> HandlerResult {
    let (id, session_hash) = call.session()?;
    let secret = random_bytes::<{ totp::SECRET_BYTES }>()?;
    let command = TwoStepSetup { session_hash, secret: TotpSecret::new(secret.to_vec()) };
    let SetupStarted { login_email, expires_at } =
        call.account(&id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    let otpauth_uri = totp::otpauth_uri(&call.config.two_step_issuer, &login_email, &secret);
    let qr_svg = qr::svg(&otpauth_uri)?;
    let answer = SetupAnswer {
        secret: totp::base32(&secret).into(),
        otpauth_uri: otpauth_uri.into(),
        qr_svg: qr_svg.into(),
        expires_at,
    };
    call.reply(200, &answer)
}

/// `POST /api/two-step/confirm`: answers the new recovery codes.
pub async fn confirm(mut call: Call<'_>) -> HandlerResult {
    call.session()?;
    let body: CodeRequest = call.json(MAX_JSON_BODY).await?;
    with_new_recovery_codes(call, |session_hash, requirement, recovery_hashes| TwoStepConfirm {
        session_hash,
        requirement,
        code: body.code,
        recovery_hashes,
    })
    .await
}

/// `POST /api/two-step/recovery-codes`: answers the new recovery codes; the old ones stop working.
pub async fn replace_recovery_codes(mut call: Call<'_>) -> HandlerResult {
    call.session()?;
    let body: SecondFactorRequest = call.json(MAX_JSON_BODY).await?;
    let passkey = super::passkeys::answer(&call, body.passkey)?;
    with_new_recovery_codes(call, |session_hash, requirement, recovery_hashes| TwoStepNewCodes {
        session_hash,
        requirement,
        code: body.code,
        passkey,
        recovery_hashes,
    })
    .await
}

/// `POST /api/two-step/disable`.
pub async fn disable(mut call: Call<'_>) -> HandlerResult {
    let (id, session_hash) = call.session()?;
    let body: CodeRequest = call.json(MAX_JSON_BODY).await?;
    let requirement = call.two_step_requirement().await;
    let status =
        call.account(&id, TwoStepDisable { session_hash, requirement, code: Some(body.code), passkey: None }).await?;
    answer_status(&call, status)
}

fn answer_status(call: &Call<'_>, status: Result<TwoStepStatus, Refusal>) -> HandlerResult {
    let status = status.map_err(|refusal| call.refusal(refusal))?;
    call.reply(200, &status)
}

/// Makes ten recovery codes and sends their hashes in the command `make` builds; answers the codes themselves if the
/// account took them. They are never seen again.
async fn with_new_recovery_codes<C>(
    call: Call<'_>,
    make: impl FnOnce(TokenHash, TwoStepRequirement, Vec<String>) -> C,
) -> HandlerResult
where
    C: Ask<Reply = Result<TwoStepStatus, Refusal>>,
{
    let (id, session_hash) = call.session()?;
    let (recovery_codes, hashes) = recovery::issue(&call.config.sealing_keys)?;
    let requirement = call.two_step_requirement().await;
    call.account(&id, make(session_hash, requirement, hashes)).await?.map_err(|r| call.refusal(r))?;
    call.reply(200, &RecoveryCodes { recovery_codes })
}
