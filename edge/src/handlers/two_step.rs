//! 2-Step Verification settings for the logged-in person: start a setup (a new secret made here, shown as an
//! `otpauth://` URI and a QR code), turn it on with a first code, replace the recovery codes, turn it off. Recovery
//! codes are made here too and leave only as this one answer; the account keeps their hashes. The session is checked
//! before a body is read.

use super::session::required_session;
use super::{unexpected, Call, HandlerResult};
use crate::account::protocol::{Command, Reply, TwoStepAction};
use crate::account::two_step::TotpSecret;
use crate::body::MAX_JSON_BODY;
use crate::token::{random_bytes, Token};
use crate::two_step::{qr, recovery, totp};
use latchkey_shared::api::{CodeRequest, RecoveryCodes, TwoStepSetup};
use latchkey_shared::ApiError;

/// `GET /api/two-step`.
pub async fn status(call: Call<'_>) -> HandlerResult {
    let session = required_session(&call)?;
    let reply = ask(&call, session, TwoStepAction::Status).await?;
    answer_status(&call, reply)
}

/// `POST /api/two-step/setup`.
pub async fn setup(call: Call<'_>) -> HandlerResult {
    let session = required_session(&call)?;
    let secret = random_bytes::<{ totp::SECRET_BYTES }>().map_err(|e| call.internal("random", e))?;
    let Reply::SetupStarted { login_email, expires_at } =
        ask(&call, session, TwoStepAction::Setup { secret: TotpSecret(secret.to_vec()) }).await?
    else {
        return Err(unexpected(&call, "two_step_setup"));
    };
    let otpauth_uri = totp::otpauth_uri(&call.config.two_step_issuer, &login_email, &secret);
    let qr_svg = qr::svg(&otpauth_uri).map_err(|e| call.internal("qr", e))?;
    call.reply(200, &TwoStepSetup { secret: totp::base32(&secret), otpauth_uri, qr_svg, expires_at })
}

/// `POST /api/two-step/confirm`: answers the new recovery codes.
pub async fn confirm(call: Call<'_>) -> HandlerResult {
    with_new_recovery_codes(call, |code, recovery_hashes| TwoStepAction::Confirm { code, recovery_hashes }).await
}

/// `POST /api/two-step/recovery-codes`: answers the new recovery codes; the old ones stop working.
pub async fn replace_recovery_codes(call: Call<'_>) -> HandlerResult {
    with_new_recovery_codes(call, |code, recovery_hashes| TwoStepAction::ReplaceRecoveryCodes { code, recovery_hashes })
        .await
}

/// `POST /api/two-step/disable`.
pub async fn disable(mut call: Call<'_>) -> HandlerResult {
    let session = required_session(&call)?;
    let body: CodeRequest = call.json(MAX_JSON_BODY).await?;
    let reply = ask(&call, session, TwoStepAction::Disable { code: body.code }).await?;
    answer_status(&call, reply)
}

/// Sends `action` to the Durable Object of the session's account.
async fn ask(call: &Call<'_>, (id, token): (String, Token), action: TwoStepAction) -> Result<Reply, ApiError> {
    let requirement = call.two_step_requirement().await;
    match call.account(&id, &Command::TwoStep { session_hash: token.hash(), action, requirement }).await? {
        Reply::Refused { refusal } => Err(call.refusal(refusal)),
        reply => Ok(reply),
    }
}

fn answer_status(call: &Call<'_>, reply: Reply) -> HandlerResult {
    match reply {
        Reply::TwoStep { status } => call.reply(200, &status),
        _ => Err(unexpected(call, "two_step")),
    }
}

/// Makes ten recovery codes and sends their hashes, with the code from the body, in the action `make` builds;
/// answers the codes themselves if the account took them. They are never seen again.
async fn with_new_recovery_codes(
    mut call: Call<'_>,
    make: impl FnOnce(String, Vec<String>) -> TwoStepAction,
) -> HandlerResult {
    let session = required_session(&call)?;
    let body: CodeRequest = call.json(MAX_JSON_BODY).await?;
    let recovery_codes = (0..recovery::COUNT)
        .map(|_| random_bytes::<{ recovery::CODE_BYTES }>().map(|bytes| recovery::format(&bytes)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| call.internal("random", e))?;
    let hashes = recovery_codes.iter().map(|code| recovery::hash_of_formatted(code)).collect();
    match ask(&call, session, make(body.code, hashes)).await? {
        Reply::TwoStep { .. } => call.reply(200, &RecoveryCodes { recovery_codes }),
        _ => Err(unexpected(&call, "two_step_codes")),
    }
}
