//! Changing a login email (`account::commands::login_email` has the design): staff ask, the new address confirms by
//! its link, then the account moves to the Durable Object of its new name and the KV indexes follow it.

use super::{Call, HandlerResult};
use crate::account::commands::admin::View;
use crate::account::commands::login_email::{MoveIn, MoveOut, MovedAway, StartLoginEmailChange};
use crate::body::MAX_JSON_BODY;
use crate::email::{account_id, Email};
use crate::mail::job::{LinkToken, MailJob};
use crate::platform::{binding, new_id, random_bytes};
use crate::store::{self, TOKEN_RECORD_GRACE_SECS};
use crate::token::Token;
use latchkey_shared::api::{ChangeLoginEmail, LoginEmailChanged, LoginEmailConfirm};
use latchkey_shared::{ApiError, Audience, ErrorCode};
use serde::{Deserialize, Serialize};

/// How long the confirmation link works: a day, for someone who reads mail once a day.
pub const LINK_LIFETIME_SECS: u32 = 86_400;

/// What the link's token stands for, in KV until it expires.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    account_id: String,
    audience: Audience,
    new_login_email: String,
}

fn pending_key(hash: &crate::token::TokenHash) -> String {
    format!("login-email:{}", hash.0)
}

/// `POST /api/admin/accounts/login-email`: mails a confirmation link to the new address; nothing changes until it is
/// used. Answers the account as it is (its history says the change was asked).
pub async fn start(mut call: Call<'_>) -> HandlerResult {
    let asked: ChangeLoginEmail = call.json(MAX_JSON_BODY).await?;
    let parse = |field: &str, raw: &str| {
        Email::parse(raw).map_err(|e| call.error(ErrorCode::InvalidEmail).with_detail(format!("{field}: {e}")))
    };
    let (old, new) = (parse("login_email", &asked.login_email)?, parse("new_login_email", &asked.new_login_email)?);
    let old_id = call.account_id_for(asked.audience, &old).await?;
    let taken = account_id(asked.audience, &new);
    // The same name is the account itself: its Durable Object refuses the change as no change.
    if taken != old_id && call.account(&taken, View {}).await?.is_some() {
        let detail = "new_login_email: another account of this type logs in with it";
        return Err(call.error(ErrorCode::AccountExists).with_detail(detail));
    }
    let token = Token::generate().map_err(|e| call.internal("random", e))?;
    let mail_id = new_id().map_err(|e| call.internal("random", e))?;
    let command = StartLoginEmailChange {
        token_hash: token.hash(),
        new_login_email: new.as_str().to_owned(),
        lifetime_secs: LINK_LIFETIME_SECS,
        mail_id: mail_id.clone(),
        by: call.actor()?,
    };
    let greeting = call.account(&old_id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    let kv = call.kv()?;
    let pending =
        Pending { account_id: old_id.clone(), audience: asked.audience, new_login_email: new.as_str().to_owned() };
    let ttl = u64::from(LINK_LIFETIME_SECS) + TOKEN_RECORD_GRACE_SECS;
    store::put_json(&kv, &pending_key(&token.hash()), &pending, Some(ttl)).await.map_err(|e| call.internal("kv", e))?;
    let nonce = random_bytes().map_err(|e| call.internal("random", e))?;
    let job = MailJob::ConfirmLoginEmail {
        id: mail_id,
        to: new.as_str().to_owned(),
        display_name: greeting.display_name,
        audience: greeting.audience,
        login_email: old.as_str().to_owned(),
        locale: greeting.locale,
        token: LinkToken::seal(token.as_str(), &call.config.sealing_keys, nonce),
        lifetime_secs: LINK_LIFETIME_SECS,
    };
    crate::metrics::count(crate::metrics::Op::QueueSend);
    let queue = call.env.queue(binding::MAIL_QUEUE).map_err(|e| call.internal("queue", e))?;
    queue.send(&job).await.map_err(|e| call.internal("queue", e))?;
    let view = call.account(&old_id, View {}).await?.ok_or_else(|| call.error(ErrorCode::NotFound))?;
    call.reply(200, &view)
}

/// `POST /api/login-email-changes`: the new address's link. The account moves to its new name; sessions end; the
/// old address is told.
pub async fn confirm(mut call: Call<'_>) -> HandlerResult {
    let body: LoginEmailConfirm = call.json(MAX_JSON_BODY).await?;
    let Ok(token) = Token::parse(body.token.expose_str()) else { return Err(call.error(ErrorCode::TokenInvalid)) };
    let hash = token.hash();
    let kv = call.kv()?;
    let key = pending_key(&hash);
    let pending: Pending = store::get_json(&kv, &key)
        .await
        .map_err(|e| call.internal("kv", e))?
        .ok_or_else(|| call.error(ErrorCode::TokenInvalid))?;
    let moving = call.account(&pending.account_id, MoveOut { token_hash: hash.clone() }).await?;
    let moving = moving.map_err(|refusal| call.refusal(refusal))?;
    let contact = moving.account.profile.contact_email.clone();
    let new_id = crate::email::account_id_of(pending.audience, &pending.new_login_email);
    call.account(&new_id, MoveIn { moving }).await?.map_err(|refusal| call.refusal(refusal))?;
    // The account is whole under its new name: the old one lets go, and the indexes follow.
    call.account(&pending.account_id, MovedAway { token_hash: hash }).await?.map_err(|r| call.refusal(r))?;
    reindex(&call, &key, &pending, &new_id, contact.as_deref()).await?;
    let answer =
        LoginEmailChanged { login_email: crate::email::display(&pending.new_login_email), audience: pending.audience };
    call.reply(200, &answer)
}

/// The link is spent, the old registry entry goes (the new object writes its own), and the contact email points at
/// the new name.
async fn reindex(
    call: &Call<'_>,
    link_key: &str,
    pending: &Pending,
    new_id: &str,
    contact: Option<&str>,
) -> Result<(), ApiError> {
    let kv = call.kv()?;
    let failed = |e| call.internal("kv", e);
    store::delete(&kv, link_key).await.map_err(failed)?;
    store::delete(&kv, &store::registry_key(&pending.account_id)).await.map_err(failed)?;
    if let Some(contact) = contact {
        let key = store::contact_key(contact);
        let mut ids: Vec<String> = store::get_json(&kv, &key).await.map_err(failed)?.unwrap_or_default();
        ids.retain(|id| id != &pending.account_id && id != new_id);
        ids.push(new_id.to_owned());
        store::put_json(&kv, &key, &ids, None).await.map_err(failed)?;
    }
    Ok(())
}
