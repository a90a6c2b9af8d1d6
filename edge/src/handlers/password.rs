//! The logged-in person changes their password. The account's Durable Object checks the current one (and the code),
//! then the new one as a reset would, and changes it all or not at all. A session that owes a change (the login found
//! the password weak or breached, or the school asked and the deadline passed) is good for this and nothing else.

use super::{Call, HandlerResult};
use crate::account::commands::password::ChangePassword;
use crate::account::commands::session::CheckSession;
use crate::body::MAX_JSON_BODY;
use latchkey_shared::api::{ChangePasswordRequest, ResetDone, ResetStatus};

/// `GET /api/password`: the session's account, as `GET /api/session` shows it, with the change it owes — also for a
/// session good only for making that change (which `GET /api/session` answers `password_change_required`).
pub async fn context(call: Call<'_>) -> HandlerResult {
    let (id, session_hash) = call.session()?;
    let requirement = call.two_step_requirement().await;
    let check = CheckSession { session_hash, requirement, for_password_change: true };
    let info = call.account(&id, check).await?.map_err(|refusal| call.refusal(refusal))?;
    call.reply(200, &info)
}

/// `POST /api/password`: answers how many other sessions were logged out; this one stays.
pub async fn change(mut call: Call<'_>) -> HandlerResult {
    let (id, session_hash) = call.session()?;
    let body: ChangePasswordRequest = call.json(MAX_JSON_BODY).await?;
    let breached = super::reset::breached(&call.config, body.password.expose_str()).await;
    let client = call.client();
    let command = ChangePassword {
        client,
        session_hash,
        current: body.current_password,
        password: body.password,
        confirm: body.confirm,
        breached,
        code: body.code,
        passkey: super::passkeys::answer(&call, body.passkey)?,
    };
    let revoked_sessions = call.account(&id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    call.reply(200, &ResetDone { status: ResetStatus::PasswordChanged, revoked_sessions })
}
