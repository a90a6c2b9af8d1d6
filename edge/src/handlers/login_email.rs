//! Changing a login email (`account::commands::login_email` has the design): staff ask, with the identity checks;
//! the old address is told at once with a link to cancel and the new address gets a link to confirm; once it has
//! confirmed and the delay has passed, the account's Durable Object moves it to the object of its new name.

use super::{Call, HandlerResult};
use crate::account::commands::admin::View;
use crate::account::commands::login_email::{CancelLoginEmailChange, ConfirmLoginEmailChange, StartLoginEmailChange};
use crate::body::MAX_JSON_BODY;
use crate::email::Email;
use crate::failure::Internal;
use crate::mail::job::{Kind, LinkToken, MailJob};
use crate::platform::{binding, new_id, now_secs, random_bytes};
use crate::store::{self, TOKEN_RECORD_GRACE_SECS};
use crate::token::{Token, TokenHash};
use latchkey_shared::api::{Actor, ChangeLoginEmail, LoginEmailChanged, LoginEmailConfirm};
use latchkey_shared::{ApiError, ErrorCode};
use serde::{Deserialize, Serialize};

/// How long the confirmation link works: a day, for someone who reads mail once a day.
pub const LINK_LIFETIME_SECS: u32 = 86_400;

/// What a link's token stands for, in KV until it expires: the account (Durable Object) it changes.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    account_id: String,
}

/// `POST /api/admin/accounts/login-email`: mails the owner (the old address and the contact email) that the change
/// was asked, with a link to cancel, then the new address a link to confirm; nothing changes until it is confirmed
/// and the delay has passed. Answers the account as it is (its history says the change was asked).
pub async fn start(mut call: Call<'_>) -> HandlerResult {
    let asked: ChangeLoginEmail = call.json(MAX_JSON_BODY).await?;
    let by = call.staff_member()?;
    super::admin::identity_checked(&call, &by, &asked.checks)?;
    let parse = |field: &str, raw: &str| {
        Email::parse(raw).map_err(|e| call.error(ErrorCode::InvalidEmail).with_detail(format!("{field}: {e}")))
    };
    let (old, new) = (parse("login_email", &asked.login_email)?, parse("new_login_email", &asked.new_login_email)?);
    let old_id = call.account_id_for(asked.audience, &old).await?;
    // Where the new address's account would be, in the form it may have been made under too.
    let taken = call.account_id_for(asked.audience, &new).await?;
    // The same name is the account itself: its Durable Object refuses the change as no change.
    if taken != old_id && call.account(&taken, View {}).await?.is_some() {
        let detail = "new_login_email: another account of this type logs in with it";
        return Err(call.error(ErrorCode::AccountExists).with_detail(detail));
    }
    let (confirm, cancel) = (Token::generate()?, Token::generate()?);
    let (mail_id, notice_mail_id) = (new_id()?, new_id()?);
    // The bearer token is automation the school runs itself: no one to give time to stop it.
    let delay_secs = if by.actor == Actor::AdminToken { 0 } else { call.config.login_email_change_delay_secs };
    let command = StartLoginEmailChange {
        token_hash: confirm.hash(),
        cancel_hash: cancel.hash(),
        new_login_email: new.as_str().to_owned(),
        lifetime_secs: LINK_LIFETIME_SECS,
        delay_secs,
        account_id: old_id.clone(),
        mail_id: mail_id.clone(),
        notice_mail_id: notice_mail_id.clone(),
        by,
    };
    let greeting = call.account(&old_id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    let kv = call.kv()?;
    let pending = Pending { account_id: old_id.clone() };
    let link_ttl = u64::from(LINK_LIFETIME_SECS) + TOKEN_RECORD_GRACE_SECS;
    store::put_json(&kv, &store::login_email_link_key(&confirm.hash()), &pending, Some(link_ttl))
        .await
        .map_err(Internal::Kv)?;
    let cancel_ttl = link_ttl.max(delay_secs + TOKEN_RECORD_GRACE_SECS);
    store::put_json(&kv, &store::login_email_cancel_key(&cancel.hash()), &pending, Some(cancel_ttl))
        .await
        .map_err(Internal::Kv)?;
    let seal = |token: &Token| -> Result<LinkToken, ApiError> {
        let nonce = random_bytes()?;
        Ok(LinkToken::seal(token.as_str(), &call.config.sealing_keys, nonce))
    };
    let notice = MailJob {
        id: notice_mail_id,
        to: greeting.addresses,
        display_name: greeting.display_name.clone(),
        audience: greeting.audience,
        login_email: old.as_str().to_owned(),
        locale: greeting.locale,
        kind: Kind::LoginEmailChangeRequested {
            new_login_email: new.as_str().to_owned(),
            token: seal(&cancel)?,
            effective_at: greeting.effective_at,
        },
    };
    // To the new address; about the account under its old name, until the change is confirmed.
    let job = MailJob {
        id: mail_id,
        to: vec![new.as_str().to_owned()],
        kind: Kind::ConfirmLoginEmail { token: seal(&confirm)?, lifetime_secs: LINK_LIFETIME_SECS },
        ..notice.clone()
    };
    let queue = call.env.queue(binding::MAIL_QUEUE).map_err(Internal::Queue)?;
    // The owner hears first: if that mail cannot be queued, no confirmation goes out either.
    for mail in [notice, job] {
        crate::metrics::count(crate::metrics::Op::QueueSend);
        queue.send(&mail).await.map_err(Internal::Queue)?;
    }
    let view = super::admin::viewed(&call, &old_id).await?.ok_or_else(|| call.error(ErrorCode::NotFound))?;
    call.reply(200, &view)
}

/// The account a link's token stands for, and the token's hash; `token_invalid` for anything else.
async fn linked(call: &mut Call<'_>, key: impl Fn(&TokenHash) -> String) -> Result<(String, TokenHash), ApiError> {
    let body: LoginEmailConfirm = call.json(MAX_JSON_BODY).await?;
    let Ok(token) = Token::parse(body.token.expose_str()) else { return Err(call.error(ErrorCode::TokenInvalid)) };
    let hash = token.hash();
    let pending: Pending = store::get_json(&call.kv()?, &key(&hash))
        .await
        .map_err(Internal::Kv)?
        .ok_or_else(|| call.error(ErrorCode::TokenInvalid))?;
    Ok((pending.account_id, hash))
}

/// `POST /api/login-email-changes`: the new address's link. The change is confirmed; if its delay is over the account
/// moves to its new name now (its sessions end, the old address is told), else when the delay ends, unless the owner
/// cancels first (`effective_at` says when).
pub async fn confirm(mut call: Call<'_>) -> HandlerResult {
    let (account_id, hash) = linked(&mut call, store::login_email_link_key).await?;
    let confirmed = call.account(&account_id, ConfirmLoginEmailChange { token_hash: hash }).await?;
    let confirmed = confirmed.map_err(|refusal| call.refusal(refusal))?;
    let answer = LoginEmailChanged {
        login_email: crate::email::display(&confirmed.new_login_email),
        audience: confirmed.audience,
        effective_at: (confirmed.effective_at > now_secs()).then_some(confirmed.effective_at),
    };
    call.reply(200, &answer)
}

/// `POST /api/login-email-changes/cancel`: the old address's link. The change is called off (unless it has begun
/// taking effect); the login email stays.
pub async fn cancel(mut call: Call<'_>) -> HandlerResult {
    let (account_id, hash) = linked(&mut call, store::login_email_cancel_key).await?;
    let cancelled = call.account(&account_id, CancelLoginEmailChange { cancel_hash: hash.clone() }).await?;
    let cancelled = cancelled.map_err(|refusal| call.refusal(refusal))?;
    let kv = call.kv()?;
    store::delete(&kv, &store::login_email_cancel_key(&hash)).await.map_err(Internal::Kv)?;
    let answer = LoginEmailChanged {
        login_email: crate::email::display(&cancelled.login_email),
        audience: cancelled.audience,
        effective_at: None,
    };
    call.reply(200, &answer)
}
