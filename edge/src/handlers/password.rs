//! The logged-in person changes their password. The account's Durable Object checks the current one (and the code),
//! then the new one as a reset would, and changes it all or not at all.

use super::{Call, HandlerResult};
use crate::account::commands::password::ChangePassword;
use crate::body::MAX_JSON_BODY;
use latchkey_shared::api::{ChangePasswordRequest, ResetDone, ResetStatus};

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
    };
    let revoked_sessions = call.account(&id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    call.reply(200, &ResetDone { status: ResetStatus::PasswordChanged, revoked_sessions })
}
