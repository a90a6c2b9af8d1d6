//! Invitations: the office invites one person, sends an invitation again or revokes it, and lists them with their
//! counts; the welcome page checks a link and accepts it. A batch is `invitation_batch`, which sends each line's
//! invitation the way [`send`] sends one.

use super::{Call, HandlerResult};
use crate::account::commands::invitation::{
    AcceptInvitation, AcceptInvitationWithPasskey, InvitationLink, InvitationPasskeyOptions, Invite, Invited,
    RevokeInvitation, WithdrawInvitation,
};
use crate::account::invitation::{as_of, Link};
use crate::account::new_account;
use crate::account::refusal::Refusal;
use crate::account::state::Profile;
use crate::audit::{self, Event, Pseudonym};
use crate::body::MAX_JSON_BODY;
use crate::config::Config;
use crate::failure::Internal;
use crate::mail::job::{Kind, LinkToken, MailJob};
use crate::platform::{binding, new_id, now_secs, random_bytes};
use crate::store::{self, TokenRecord, TOKEN_RECORD_GRACE_SECS};
use crate::token::Token;
use latchkey_shared::api::{
    AcceptInvitation as AcceptBody, AcceptInvitationWithPasskey as AcceptWithPasskeyBody, InvitationAction,
    InvitationCheck, InvitationCheckResponse, InvitationCount, InvitationCounts, InvitationList, InvitationStatus,
    InvitationView, NewInvitation, StaffMember, TokenStatus, WelcomedWithPasskey,
};
use latchkey_shared::{Audience, ErrorCode};
use worker::{Env, MessageBuilder};

/// An invitation to send: to the account `account_id` (made from `profile` when there is none), by `by`, its mail
/// held by the queue for `delay_secs` (a batch's pace), under the id `mail_id` (a batch's line keeps its own, so a
/// retried chunk's mail is the same mail at the provider).
pub(super) struct Sending {
    pub account_id: String,
    pub profile: Option<Profile>,
    pub by: StaffMember,
    pub mail_id: String,
    pub delay_secs: u32,
}

/// Issues the invitation's link in the account, records its token in KV and queues its mail; the link is taken back
/// if the mail cannot be queued. A refusal (the account exists, or is above the caller) comes back as it is.
pub(super) async fn send(env: &Env, config: &Config, sending: Sending) -> Result<Result<Invited, Refusal>, Internal> {
    let token = Token::generate()?;
    let invitations = &config.invitations;
    let link = Link {
        hash: token.hash(),
        lifetime_secs: invitations.lifetime_secs,
        by: sending.by.actor.clone(),
        mail_id: sending.mail_id.clone(),
        remind_before_secs: invitations.reminder_before_secs,
    };
    let invited_by = sending.by.actor.display_name().to_owned();
    let invite = Invite { profile: sending.profile, link, by: sending.by };
    let invited = match crate::account::ask::ask_account(env, &sending.account_id, invite).await {
        // Already on its way (a batch's chunk tried again).
        Ok(Ok(invited)) if invited.repeated => return Ok(Ok(invited)),
        Ok(Ok(invited)) => invited,
        Ok(Err(refusal)) => return Ok(Err(refusal)),
        Err(err) => return Err(Internal::DurableObject(err)),
    };
    let job = MailJob {
        id: sending.mail_id.clone(),
        to: vec![invited.to.clone()],
        display_name: invited.display_name.clone(),
        audience: invited.audience,
        login_email: invited.to.clone(),
        locale: invited.locale,
        kind: Kind::Invitation {
            token: LinkToken::seal(token.as_str(), &config.sealing_keys, random_bytes()?),
            expires_at: invited.expires_at,
            invited_by,
        },
    };
    let ttl = invitations.lifetime_secs + TOKEN_RECORD_GRACE_SECS;
    if let Err(err) = record_and_queue(env, &sending.account_id, &token, ttl, job, sending.delay_secs).await {
        let withdraw = WithdrawInvitation { token_hash: token.hash(), mail_id: sending.mail_id.clone() };
        crate::account::ask::ask_account(env, &sending.account_id, withdraw).await.map_err(Internal::DurableObject)?;
        return Err(err);
    }
    audit::record(&Event::InvitationMailed {
        account: &Pseudonym::of(&config.sealing_keys, &sending.account_id),
        token: token.hash().short(),
        mail: &sending.mail_id,
    });
    Ok(Ok(invited))
}

async fn record_and_queue(
    env: &Env,
    account_id: &str,
    token: &Token,
    ttl: u64,
    job: MailJob,
    delay_secs: u32,
) -> Result<(), Internal> {
    let kv = env.kv(binding::KV).map_err(Internal::Kv)?;
    let record = TokenRecord { account_id: account_id.to_owned() };
    store::put_json(&kv, &store::token_key(&token.hash()), &record, Some(ttl)).await.map_err(Internal::Kv)?;
    crate::metrics::count(crate::metrics::Op::QueueSend);
    let queue = env.queue(binding::MAIL_QUEUE).map_err(Internal::Queue)?;
    let message = MessageBuilder::new(job).delay_seconds(delay_secs).build();
    queue.send(message).await.map_err(Internal::Queue)
}

/// `POST /api/admin/invitations`: invites one person; answers their account as the console shows it.
pub async fn invite(mut call: Call<'_>) -> HandlerResult {
    let body: NewInvitation = call.json(MAX_JSON_BODY).await?;
    let (login, create) = new_account::invited(body).map_err(|e| call.error(e.code()).with_detail(e.to_string()))?;
    let id = call.account_id_for(create.profile.audience, &login).await?;
    let contact = create.profile.contact_email.clone();
    let by = call.staff_member()?;
    let sending =
        Sending { account_id: id.clone(), profile: Some(create.profile), by, mail_id: new_id()?, delay_secs: 0 };
    send(call.env, &call.config, sending).await?.map_err(|refusal| call.refusal(refusal))?;
    if let Some(contact) = contact {
        super::admin::index_contact(call.env, &contact, &id).await?;
    }
    let view = super::admin::viewed(&call, &id).await?.ok_or_else(|| call.error(ErrorCode::NotFound))?;
    call.reply(201, &view)
}

/// `POST /api/admin/invitations/resend`: a new link for an invitation not yet accepted (the earlier one stops working).
pub async fn resend(mut call: Call<'_>) -> HandlerResult {
    let asked: InvitationAction = call.json(MAX_JSON_BODY).await?;
    let id = invited_account(&call, &asked).await?;
    let sending =
        Sending { account_id: id.clone(), profile: None, by: call.staff_member()?, mail_id: new_id()?, delay_secs: 0 };
    send(call.env, &call.config, sending).await?.map_err(|refusal| call.refusal(refusal))?;
    let view = super::admin::viewed(&call, &id).await?.ok_or_else(|| call.error(ErrorCode::NotFound))?;
    call.reply(200, &view)
}

/// `POST /api/admin/invitations/revoke`: the link stops working and says so.
pub async fn revoke(mut call: Call<'_>) -> HandlerResult {
    let asked: InvitationAction = call.json(MAX_JSON_BODY).await?;
    let id = invited_account(&call, &asked).await?;
    call.account(&id, RevokeInvitation { by: call.staff_member()? }).await?.map_err(|r| call.refusal(r))?;
    let view = super::admin::viewed(&call, &id).await?.ok_or_else(|| call.error(ErrorCode::NotFound))?;
    call.reply(200, &view)
}

async fn invited_account(call: &Call<'_>, asked: &InvitationAction) -> Result<String, latchkey_shared::ApiError> {
    let email = crate::email::Email::parse(&asked.login_email)
        .map_err(|e| call.error(ErrorCode::InvalidEmail).with_detail(e.to_string()))?;
    call.account_id_for(asked.audience, &email).await
}

/// Invitations a listing reads per page of KV.
const PAGE: u64 = 1000;
/// The longest cursor taken (KV's are far shorter).
const MAX_CURSOR_CHARS: usize = 1024;

/// `GET /api/admin/invitations?status=waiting|all|<status>&audience=…&cursor=…`: a page of invitations (by default
/// those still waiting for the person), and the cursor of the next page.
pub async fn list(call: Call<'_>) -> HandlerResult {
    let url = call.req.url().map_err(Internal::Request)?;
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let bad = |detail: String| call.error(ErrorCode::InvalidRequest).with_detail(detail);
    // None: those still waiting for the person; `all`: every one; else those of one status.
    let wanted: Option<Option<InvitationStatus>> = match param("status").as_deref() {
        None | Some("waiting") => None,
        Some("all") => Some(None),
        Some(other) => Some(Some(
            serde_json::from_value(serde_json::Value::String(other.to_owned()))
                .map_err(|_| bad(format!("status: `{other}` is not waiting, all, or an invitation's status")))?,
        )),
    };
    let audience: Option<Audience> = match param("audience") {
        None => None,
        Some(raw) => Some(raw.parse().map_err(|_| bad(format!("audience: `{raw}` is not staff or parent")))?),
    };
    let cursor = param("cursor").filter(|c| !c.is_empty());
    if cursor.as_ref().is_some_and(|c| c.len() > MAX_CURSOR_CHARS) {
        return Err(bad(format!("cursor: at most {MAX_CURSOR_CHARS} characters, as a listing gave it")));
    }
    let now = now_secs();
    let given = cursor.is_some();
    let (views, cursor) = match store::invitations_page::<InvitationView>(&call.kv()?, cursor, PAGE).await {
        Ok(page) => page,
        // KV refuses a cursor it did not give: the caller's mistake, not ours.
        Err(_) if given => return Err(bad("cursor: not one a listing gave".into())),
        Err(err) => return Err(Internal::Kv(err).into()),
    };
    let mut invitations: Vec<InvitationView> = views
        .into_iter()
        .map(|view| as_of(view, now))
        .filter(|v| audience.is_none_or(|a| v.audience == a))
        .filter(|v| wanted.map_or(v.status.is_open(), |only| only.is_none_or(|s| v.status == s)))
        .collect();
    invitations.sort_by(|a, b| b.sent_at.cmp(&a.sent_at).then(a.login_email.cmp(&b.login_email)));
    call.reply(200, &InvitationList { invitations, cursor })
}

/// `GET /api/admin/invitations/counts`: per account type, invited against accepted (every page of the list).
pub async fn counts(call: Call<'_>) -> HandlerResult {
    let kv = call.kv()?;
    let now = now_secs();
    let mut counts: Vec<InvitationCount> = Audience::ALL
        .iter()
        .map(|&audience| InvitationCount {
            audience,
            invited: 0,
            accepted: 0,
            waiting: 0,
            bounced: 0,
            expired: 0,
            revoked: 0,
        })
        .collect();
    let mut cursor = None;
    loop {
        let (views, next) = store::invitations_page::<InvitationView>(&kv, cursor, PAGE).await.map_err(Internal::Kv)?;
        for view in views.into_iter().map(|v| as_of(v, now)) {
            let Some(count) = counts.iter_mut().find(|c| c.audience == view.audience) else { continue };
            count.invited += 1;
            match view.status {
                InvitationStatus::Accepted => count.accepted += 1,
                InvitationStatus::Expired => count.expired += 1,
                InvitationStatus::Revoked => count.revoked += 1,
                InvitationStatus::Bounced => {
                    count.bounced += 1;
                    count.waiting += 1;
                }
                _ => count.waiting += 1,
            }
        }
        match next {
            Some(next) => cursor = Some(next),
            None => return call.reply(200, &InvitationCounts { counts }),
        }
    }
}

/// `POST /api/invitations/verify`: whether the link works, and for a working one whose account it sets up. It consumes
/// nothing (mail scanners open links); the office sees it was opened.
pub async fn verify(mut call: Call<'_>) -> HandlerResult {
    let body: InvitationCheck = call.json(MAX_JSON_BODY).await?;
    let Some((token_hash, id)) = super::reset::token_account(&call, body.token.expose_str()).await? else {
        return call.reply(200, &InvitationCheckResponse::dead(TokenStatus::Invalid));
    };
    let mut answer = call.account(&id, InvitationLink { token_hash }).await?.map_err(|r| call.refusal(r))?;
    if let Some(audience) = answer.audience {
        answer.two_step_required = call.two_step_requirement().await.grace_secs(audience).is_some();
    }
    call.reply(200, &answer)
}

/// `POST /api/invitations/accept`: the first password; the account is set up, its address verified, and the person
/// logged in (the answer is the session, with its cookie).
pub async fn accept(mut call: Call<'_>) -> HandlerResult {
    let body: AcceptBody = call.json(MAX_JSON_BODY).await?;
    let Some((token_hash, id)) = super::reset::token_account(&call, body.token.expose_str()).await? else {
        return Err(call.error(ErrorCode::TokenInvalid));
    };
    let token = Token::generate()?;
    let (requirement, breached) = futures_util::join!(
        call.two_step_requirement(),
        super::reset::breached(&call.config, body.password.expose_str())
    );
    let accept = AcceptInvitation {
        token_hash,
        password: body.password,
        confirm: body.confirm,
        breached,
        session_hash: token.hash(),
        requirement,
    };
    let info = call.account(&id, accept).await?.map_err(|refusal| call.refusal(refusal))?;
    call.logged_in(&id, &token, &info)
}

/// `POST /api/invitations/passkey-options`: a passkey instead of a password — WebAuthn's creation options for the
/// invitation's account, while its link works.
pub async fn passkey_options(mut call: Call<'_>) -> HandlerResult {
    let body: InvitationCheck = call.json(MAX_JSON_BODY).await?;
    let Some((token_hash, id)) = super::reset::token_account(&call, body.token.expose_str()).await? else {
        return Err(call.error(ErrorCode::TokenInvalid));
    };
    let command = InvitationPasskeyOptions { token_hash, fresh_handle: random_bytes()? };
    let context = call.account(&id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    call.reply(200, &super::passkeys::creation_options(&call, context, id)?)
}

/// `POST /api/invitations/accept-passkey`: the account set up with the passkey just made; the person logged in, and
/// shown the recovery codes 2-Step Verification turned on with.
pub async fn accept_passkey(mut call: Call<'_>) -> HandlerResult {
    let body: AcceptWithPasskeyBody = call.json(MAX_JSON_BODY).await?;
    let Some((token_hash, id)) = super::reset::token_account(&call, body.token.expose_str()).await? else {
        return Err(call.error(ErrorCode::TokenInvalid));
    };
    let challenge = super::passkeys::registration_challenge(&call, &body.ceremony, &id);
    let (recovery_codes, recovery_hashes) = crate::otp::recovery::issue(&call.config.sealing_keys)?;
    let token = Token::generate()?;
    let command = AcceptInvitationWithPasskey {
        token_hash,
        challenge,
        credential: body.credential,
        name: body.name,
        fallback_name: super::passkeys::fallback_name(&call),
        recovery_hashes,
        session_hash: token.hash(),
        requirement: call.two_step_requirement().await,
    };
    let session = call.account(&id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    call.logged_in(&id, &token, &WelcomedWithPasskey { session, recovery_codes })
}
