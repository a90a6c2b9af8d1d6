//! The reset journey: ask for a link, check the link, set the new password.

use super::{Call, HandlerResult};
use crate::account::commands::reset::{IssueToken, LinkStatus, Recipient, Reset, WithdrawToken};
use crate::account::refusal::Refusal;
use crate::audit::{self, Event, Pseudonym};
use crate::body::MAX_JSON_BODY;
use crate::config::Config;
use crate::email::Email;
use crate::failure::Internal;
use crate::mail::job::{AlsoLink, Kind, LinkToken, MailJob};
use crate::platform::{binding, new_id, random_bytes};
use crate::seal::Keys;
use crate::store::{self, TokenRecord, TOKEN_RECORD_GRACE_SECS};
use crate::token::{Token, TokenHash};
use crate::{breach, fetch, turnstile};
use latchkey_shared::api::{
    AcceptedStatus, ResetConfirm, ResetDone, ResetRequest, ResetRequestAccepted, ResetStatus, StaffMember, TokenStatus,
    VerifyRequest, VerifyResponse,
};
use latchkey_shared::chars::normalize;
use latchkey_shared::{Audience, ErrorCode, Locale, MessageKey};
use worker::{Context, Env};

/// `POST /api/reset-requests`: the same 202 and body for every well-formed request; the lookup, the token and the
/// mail happen after the answer has gone.
pub async fn request(mut call: Call<'_>, ctx: &Context) -> HandlerResult {
    let body: ResetRequest = call.json(MAX_JSON_BODY).await?;
    if let Some(turnstile) = &call.config.turnstile {
        // Before anything else, and the same for every email: a failed check says nothing about accounts.
        let token =
            turnstile::plausible(body.turnstile_token.as_deref()).ok_or(call.error(ErrorCode::ChallengeFailed))?;
        let ip = call.header("CF-Connecting-IP");
        let request = turnstile::verify_request(turnstile, token, ip.as_deref(), &new_id()?);
        let passed = match fetch::post_text(&request).await {
            Ok((status, answer)) => turnstile::passed(status, &answer, &call.config.app_host()),
            Err(err) => {
                // Fails closed: the check exists to stop floods, and the person can try again.
                Internal::Outbound(err).log();
                false
            }
        };
        if !passed {
            return Err(call.error(ErrorCode::ChallengeFailed));
        }
    }
    let email =
        Email::parse(&body.email).map_err(|e| call.error(ErrorCode::InvalidEmail).with_detail(e.to_string()))?;
    let env = call.env.clone();
    let keys = call.config.sealing_keys.clone();
    let policy = call.config.policy.clone();
    // Every account that logs in with the email, staff and parent — the person need not know which they hold —
    // unless the request names one (an integrator's own form may).
    let audiences = body.audience.map_or(Audience::ALL.to_vec(), |audience| vec![audience]);
    let delay = lookup_delay(random_bytes()?);
    ctx.wait_until(async move {
        worker::Delay::from(delay).await;
        let mut accounts = Vec::new();
        for audience in audiences {
            let lifetime = policy.rules_for(Some(audience)).token_lifetime_secs;
            match super::account_id_for(&env, audience, &email).await {
                Ok(id) => accounts.push((id, lifetime)),
                Err(err) => {
                    audit::record(&Event::ResetRequestFailed { error: err.to_string() });
                    return;
                }
            }
        }
        // A request by the person is never refused for whose account it is.
        if let Err(err) = issue_and_mail(&env, &keys, &accounts, body.locale, None).await {
            // The person sees the same answer either way and can ask again; ops see this line.
            audit::record(&Event::ResetRequestFailed { error: err.to_string() });
        }
    });
    let accepted = ResetRequestAccepted { status: AcceptedStatus::Accepted, message_key: MessageKey::ResetAccepted };
    call.reply(202, &accepted)
}

/// How long after its answer a request's lookup runs: [`MIN_LOOKUP_DELAY_MS`], so the answer has left before any
/// lookup (a Durable Object sharing this thread, as under local workerd, would otherwise slow it), and up to
/// [`LOOKUP_JITTER_MS`] more at random, so the work an account costs (a token and a mail for a known email, a new
/// Durable Object for an unknown one) lands on no particular later request: sent back to back, the request after a
/// known email's is no slower than the one after an unknown email's. The mail leaves at most that much later.
fn lookup_delay(random: [u8; 2]) -> std::time::Duration {
    std::time::Duration::from_millis(MIN_LOOKUP_DELAY_MS + u64::from(u16::from_le_bytes(random)) % LOOKUP_JITTER_MS)
}

const MIN_LOOKUP_DELAY_MS: u64 = 20;
const LOOKUP_JITTER_MS: u64 = 250;

/// A link issued, not yet mailed.
struct Issued {
    account_id: String,
    token: Token,
    recipient: Recipient,
    lifetime_secs: u32,
}

/// Issues a link in each of `accounts` (Durable Object ids, each with its links' lifetime) and mails them together,
/// one mail to their login email (in `locale`, else the first account's own), each link naming its account; whether
/// one was sent — none when no account took a link (none there, disabled, or had its links for this window). `by`:
/// staff who sent it, refused on an account holding a role at or above theirs.
pub(super) async fn issue_and_mail(
    env: &Env,
    keys: &Keys,
    accounts: &[(String, u32)],
    locale: Option<Locale>,
    by: Option<StaffMember>,
) -> Result<Result<bool, Refusal>, Internal> {
    let mail_id = new_id()?;
    let mut issued: Vec<Issued> = Vec::new();
    for (id, lifetime_secs) in accounts {
        let token = Token::generate()?;
        let issue = IssueToken {
            token_hash: token.hash(),
            lifetime_secs: *lifetime_secs,
            mail_id: Some(mail_id.clone()),
            by: by.clone(),
        };
        match crate::account::ask::ask_account(env, id, issue).await.map_err(Internal::DurableObject)? {
            Ok(Some(recipient)) => {
                issued.push(Issued { account_id: id.clone(), token, recipient, lifetime_secs: *lifetime_secs })
            }
            // Nothing to send for this one, and nothing the public requester can observe.
            Ok(None) => {}
            Err(refusal) => return Ok(Err(refusal)),
        }
    }
    let Some(first) = issued.first() else { return Ok(Ok(false)) };
    let seal =
        |token: &Token| -> Result<LinkToken, Internal> { Ok(LinkToken::seal(token.as_str(), keys, random_bytes()?)) };
    let mut also = Vec::new();
    for other in &issued[1..] {
        also.push(AlsoLink {
            audience: other.recipient.audience,
            token: seal(&other.token)?,
            lifetime_secs: other.lifetime_secs,
        });
    }
    let job = MailJob {
        id: mail_id.clone(),
        to: vec![first.recipient.to.clone()],
        display_name: first.recipient.display_name.clone(),
        audience: first.recipient.audience,
        login_email: first.recipient.to.clone(),
        locale: locale.unwrap_or(first.recipient.locale),
        kind: Kind::Reset { token: seal(&first.token)?, lifetime_secs: first.lifetime_secs, also },
    };
    if let Err(err) = record_and_send(env, &issued, &job).await {
        // The links were issued but cannot reach anyone: take them back, so the links sent before work again.
        for link in &issued {
            let withdraw = WithdrawToken { token_hash: link.token.hash(), mail_id: Some(mail_id.clone()) };
            crate::account::ask::ask_account(env, &link.account_id, withdraw).await.map_err(Internal::DurableObject)?;
        }
        return Err(err);
    }
    for link in &issued {
        audit::record(&Event::ResetRequested {
            account: &Pseudonym::of(keys, &link.account_id),
            token: link.token.hash().short(),
            mail: job.id(),
        });
    }
    Ok(Ok(true))
}

/// Maps each link's token to its account in KV, then hands the mail to the queue.
async fn record_and_send(env: &Env, issued: &[Issued], job: &MailJob) -> Result<(), Internal> {
    let kv = env.kv(binding::KV).map_err(Internal::Kv)?;
    for link in issued {
        let ttl = u64::from(link.lifetime_secs) + TOKEN_RECORD_GRACE_SECS;
        let record = TokenRecord { account_id: link.account_id.clone() };
        store::put_json(&kv, &store::token_key(&link.token.hash()), &record, Some(ttl)).await.map_err(Internal::Kv)?;
    }
    crate::metrics::count(crate::metrics::Op::QueueSend);
    env.queue(binding::MAIL_QUEUE).map_err(Internal::Queue)?.send(job).await.map_err(Internal::Queue)
}

/// Finds which account a link's token belongs to (a reset's, an invitation's). `None`: not a token we issued (or so
/// old KV forgot it).
pub(super) async fn token_account(
    call: &Call<'_>,
    token: &str,
) -> Result<Option<(TokenHash, String)>, latchkey_shared::ApiError> {
    let Ok(token) = Token::parse(token) else { return Ok(None) };
    let hash = token.hash();
    let kv = call.kv()?;
    let record: Option<TokenRecord> = store::get_json(&kv, &store::token_key(&hash)).await.map_err(Internal::Kv)?;
    Ok(record.map(|r| (hash, r.account_id)))
}

/// `POST /api/resets/verify`: whether the link still works. Never consumes it (mail scanners follow links).
pub async fn verify(mut call: Call<'_>) -> HandlerResult {
    let body: VerifyRequest = call.json(MAX_JSON_BODY).await?;
    let answer = match token_account(&call, body.token.expose_str()).await? {
        None => VerifyResponse { status: TokenStatus::Invalid, audience: None, login_email: None, two_step: false },
        Some((token_hash, account)) => call.account(&account, LinkStatus { token_hash }).await?,
    };
    call.reply(200, &answer)
}

/// `POST /api/resets`: the new password. All of it or none of it happens in the account's Durable Object.
pub async fn confirm(mut call: Call<'_>) -> HandlerResult {
    let body: ResetConfirm = call.json(MAX_JSON_BODY).await?;
    let Some((token_hash, account)) = token_account(&call, body.token.expose_str()).await? else {
        return Err(call.error(ErrorCode::TokenInvalid));
    };
    let breached = breached(&call.config, body.password.expose_str()).await;
    let passkey = super::passkeys::answer(&call, body.passkey)?;
    let reset =
        Reset { token_hash, password: body.password, confirm: body.confirm, breached, code: body.code, passkey };
    match call.account(&account, reset).await? {
        Ok(revoked_sessions) => call.reply(200, &ResetDone { status: ResetStatus::PasswordChanged, revoked_sessions }),
        Err(refusal) => Err(call.refusal(refusal)),
    }
}

/// Asks the breach range API about a new `password`, when one is configured. `None` when it is not, or cannot answer:
/// the change goes on without the check (ops see why), since the rest of the policy still stands and a locked-out
/// family helps nobody.
pub(super) async fn breached(config: &Config, password: &str) -> Option<bool> {
    let query = breach::query(config.breach_check_url.as_deref()?, &normalize(password));
    match fetch::get_text_within(&query.request, breach::ANSWER_WITHIN).await {
        Ok((200, answer)) => Some(query.breached(&answer)),
        Ok((status, _)) => {
            audit::record(&Event::BreachCheckUnavailable { reason: format!("HTTP {status}") });
            None
        }
        Err(err) => {
            audit::record(&Event::BreachCheckUnavailable { reason: err.to_string() });
            None
        }
    }
}
