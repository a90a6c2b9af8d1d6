//! The account's Durable Object: loads the state, applies one transition, stores it, answers. Every change to an
//! account goes through here, one at a time.

use super::protocol::{Command, Reply, TwoStepAction};
use super::state::{
    login_throttled, AccountState, LoginInput, PasswordHasher, Refusal, ResetInput, SessionRules, LOGIN_WINDOW_SECS,
};
use super::two_step::TwoStepChange;
use crate::audit::{self, Event};
use crate::config::Config;
use crate::password;
use crate::token::{hex, random_bytes};
use crate::webhook::Outcome;
use crate::{outbound, store};
use latchkey_shared::api::TokenStatus;
use latchkey_shared::api::{DeadLetter, TwoStepRequirement};
use latchkey_shared::ErrorCode;
use std::cell::RefCell;
use worker::{durable_object, DurableObject, Env, Request, Response, Result, State};

const STATE_KEY: &str = "account";
/// Failed logins for an id with no account, kept only for the throttling window (an alarm clears them).
const UNKNOWN_FAILURES_KEY: &str = "unknown_login_failures";
pub const MAIL_QUEUE_BINDING: &str = "MAIL_QUEUE";
/// How soon the alarm retries handing queued notices to the mail queue.
const OUTBOX_RETRY_MS: i64 = 30_000;

#[durable_object]
pub struct Account {
    state: State,
    env: Env,
    /// The stored state, kept in memory between requests (`Some(None)`: known not to exist).
    cache: RefCell<Option<Option<AccountState>>>,
}

struct Argon2Hasher(password::HashParams);

impl PasswordHasher for Argon2Hasher {
    fn hash(&self, normalized: &str) -> std::result::Result<String, Refusal> {
        password::hash(normalized, self.0).map_err(|err| {
            audit::record(&Event::HashFailed { error: err.to_string() });
            Refusal::new(ErrorCode::Internal)
        })
    }

    fn verify(&self, normalized: &str, phc: &str) -> bool {
        password::verify(normalized, phc)
    }
}

impl DurableObject for Account {
    fn new(state: State, env: Env) -> Self {
        Account { state, env, cache: RefCell::new(None) }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let command: Command = req.json().await?;
        let reply = self.handle(command).await?;
        Response::from_json(&reply)
    }

    async fn alarm(&self) -> Result<Response> {
        if self.load().await?.is_none() {
            // Only an unknown login's failures were kept here, and their window has passed.
            self.state.storage().delete_all().await?;
            return Response::ok("");
        }
        let config = Config::from_env(&self.env)?;
        let now = now_secs();
        self.update(|account| account.requeue_lost_mail(now)).await?;
        self.flush_outbox(&config).await?;
        self.deliver_webhooks(&config).await?;
        self.schedule_alarm().await?;
        Response::ok("")
    }
}

impl Account {
    async fn load(&self) -> Result<Option<AccountState>> {
        if let Some(cached) = self.cache.borrow().as_ref() {
            return Ok(cached.clone());
        }
        let stored: Option<AccountState> = self.state.storage().get(STATE_KEY).await?;
        *self.cache.borrow_mut() = Some(stored.clone());
        Ok(stored)
    }

    async fn save(&self, account: &AccountState) -> Result<()> {
        // Drop the cache first: if the write fails, the next request reads what storage really holds.
        *self.cache.borrow_mut() = None;
        self.state.storage().put(STATE_KEY, account).await?;
        *self.cache.borrow_mut() = Some(Some(account.clone()));
        Ok(())
    }

    async fn handle(&self, command: Command) -> Result<Reply> {
        let config = Config::from_env(&self.env)?;
        let now = now_secs();
        let hasher = Argon2Hasher(config.hash_params);
        let refused = |code: ErrorCode| Reply::Refused { refusal: Refusal::new(code) };

        let Some(mut account) = self.load().await? else {
            return Ok(match command {
                Command::Create { profile, password_hash } => {
                    let account = AccountState::new(profile, password_hash);
                    self.save(&account).await?;
                    self.state.storage().delete(UNKNOWN_FAILURES_KEY).await?;
                    Reply::Account { view: account.view(now) }
                }
                Command::Login { password, .. } => self.unknown_login(&password, now, &hasher).await?,
                Command::TokenStatus { .. } => {
                    Reply::TokenStatus { status: TokenStatus::Invalid, audience: None, two_step: false }
                }
                Command::Reset { .. } => refused(ErrorCode::TokenInvalid),
                Command::Session { .. } | Command::Logout { .. } | Command::TwoStep { .. } => {
                    refused(ErrorCode::Unauthorized)
                }
                Command::View
                | Command::Disable
                | Command::AdminTwoStepOff
                | Command::IssueToken { .. }
                | Command::WithdrawToken { .. }
                | Command::MailSettled { .. } => Reply::NoAccount,
            });
        };

        let reply = match command {
            Command::Create { .. } => refused(ErrorCode::AccountExists),
            Command::View => Reply::Account { view: account.view(now) },
            Command::Disable => {
                account.disable();
                self.save(&account).await?;
                Reply::Account { view: account.view(now) }
            }
            Command::IssueToken { token_hash, lifetime_secs } => {
                match account.issue_token(token_hash, now, lifetime_secs) {
                    Ok(()) => {
                        self.save(&account).await?;
                        let p = &account.profile;
                        Reply::Issued {
                            to: p.login_email.clone(),
                            display_name: p.display_name.clone(),
                            audience: p.audience,
                            locale: p.locale,
                        }
                    }
                    // A disabled account gets no mail, and the caller cannot tell.
                    Err(refusal) => {
                        if refusal.code == ErrorCode::RateLimited {
                            self.save(&account).await?;
                            audit::record(&Event::ResetRequestThrottled { account: &account.pseudonym() });
                        }
                        Reply::NoAccount
                    }
                }
            }
            Command::TokenStatus { token_hash } => {
                let status = account.token_status(&token_hash, now);
                // Only for a working link: whose rules apply, and whether a code will be asked for.
                let live = status == TokenStatus::Ok;
                let audience = live.then_some(account.profile.audience);
                Reply::TokenStatus { status, audience, two_step: live && account.two_step.enabled() }
            }
            Command::Reset { token_hash, password, confirm, breached, code } => {
                if let Err(refusal) = account.admit_reset_attempt(&token_hash, now) {
                    audit::record(&Event::ResetAttemptThrottled { account: &account.pseudonym() });
                    return Ok(Reply::Refused { refusal });
                }
                let proof = account.reset_proof(&token_hash, code.as_deref(), now);
                // The attempt (and a wrong code) is on record before any hashing, whatever its outcome.
                self.save(&account).await?;
                let proof = match proof {
                    Ok(proof) => proof,
                    Err(refusal) => {
                        audit::record(&Event::TwoStepCodeRefused { account: &account.pseudonym(), code: refusal.code });
                        return Ok(Reply::Refused { refusal });
                    }
                };
                let input = ResetInput { token: &token_hash, password: &password, confirm: &confirm, breached, proof };
                let notice_id = new_id()?;
                let webhook_id = new_id()?;
                match account.reset_password(input, now, &config.policy, &hasher, notice_id) {
                    Ok(revoked_sessions) => {
                        if config.webhook.is_some() {
                            account.queue_webhook(webhook_id, now);
                        }
                        self.save(&account).await?;
                        audit::record(&Event::PasswordChanged { account: &account.pseudonym(), revoked_sessions });
                        // The notice is queued now; the webhook goes out from the alarm, so a slow backend never
                        // holds up the person's answer.
                        self.flush_outbox(&config).await?;
                        Reply::ResetDone { revoked_sessions }
                    }
                    Err(refusal) => Reply::Refused { refusal },
                }
            }
            Command::Login { password, code, session_hash, requirement } => {
                let input = LoginInput { password: &password, code: code.as_deref(), session: session_hash };
                let rules = session_rules(&config, &account, requirement);
                let result = account.login(input, now, rules, &hasher);
                // Failures are counted, so they are stored too.
                self.save(&account).await?;
                match result {
                    Ok(info) => Reply::Session { info },
                    Err(refusal) => {
                        audit::record(&Event::LoginFailed { account: &account.pseudonym(), code: refusal.code });
                        Reply::Refused { refusal }
                    }
                }
            }
            Command::Session { session_hash, requirement } => {
                if !account.has_session(&session_hash, now) {
                    return Ok(refused(ErrorCode::Unauthorized));
                }
                let info = account.session_info(now, session_rules(&config, &account, requirement));
                if info.two_step.setup_required {
                    refused(ErrorCode::TwoStepSetupRequired)
                } else {
                    Reply::Session { info }
                }
            }
            Command::TwoStep { session_hash, action, requirement } => {
                if !account.has_session(&session_hash, now) {
                    return Ok(refused(ErrorCode::Unauthorized));
                }
                let notice_id = new_id()?;
                let outcome = two_step_action(&mut account, action, now, notice_id);
                // Wrong codes are counted, so even a refusal is stored; a change's notice goes out with it.
                self.save(&account).await?;
                self.flush_outbox(&config).await?;
                match outcome {
                    Ok(Some(reply)) => reply,
                    Ok(None) => {
                        let grace = requirement.grace_secs(account.profile.audience);
                        Reply::TwoStep { status: account.two_step.status(now, grace) }
                    }
                    Err(refusal) => Reply::Refused { refusal },
                }
            }
            Command::AdminTwoStepOff => match account.turn_off_two_step_by_admin(new_id()?, now) {
                Ok(()) => {
                    self.save(&account).await?;
                    let change = TwoStepChange::DisabledByAdmin;
                    audit::record(&Event::TwoStepChanged { account: &account.pseudonym(), change });
                    self.flush_outbox(&config).await?;
                    Reply::Account { view: account.view(now) }
                }
                Err(refusal) => Reply::Refused { refusal },
            },
            Command::WithdrawToken { token_hash } => {
                account.withdraw_token(&token_hash);
                self.save(&account).await?;
                Reply::Done
            }
            Command::MailSettled { id } => {
                account.mail_settled(&id);
                self.save(&account).await?;
                Reply::Done
            }
            Command::Logout { session_hash } => {
                account.logout(&session_hash);
                self.save(&account).await?;
                Reply::Done
            }
        };
        Ok(reply)
    }

    /// A login for an id with no account: the same cost (one argon2 run, as a real verification) and, after as many
    /// failures, the same 429 as a known account's, so neither timing nor throttling tells that no account exists.
    async fn unknown_login(&self, password: &str, now: u64, hasher: &Argon2Hasher) -> Result<Reply> {
        let storage = self.state.storage();
        let mut failures: Vec<u64> = storage.get(UNKNOWN_FAILURES_KEY).await?.unwrap_or_default();
        if login_throttled(&mut failures, now) {
            return Ok(Reply::Refused { refusal: Refusal::new(ErrorCode::RateLimited) });
        }
        let _ = hasher.hash(password);
        failures.push(now);
        storage.put(UNKNOWN_FAILURES_KEY, &failures).await?;
        storage.set_alarm((LOGIN_WINDOW_SECS * 1000) as i64).await?;
        Ok(Reply::Refused { refusal: Refusal::new(ErrorCode::InvalidCredentials) })
    }

    /// Applies `change` to the latest stored state. Sending (queue, fetch) lets other requests in, so what was loaded
    /// before a send may be stale by its end: results are applied to a fresh load, with nothing but storage between
    /// the load and the save.
    async fn update(&self, change: impl FnOnce(&mut AccountState)) -> Result<()> {
        let Some(mut account) = self.load().await? else { return Ok(()) };
        change(&mut account);
        self.save(&account).await
    }

    /// Hands every queued notice to the mail queue; what cannot be handed over stays and is retried by alarm, so a
    /// password change always gets its notice.
    async fn flush_outbox(&self, config: &Config) -> Result<()> {
        let Some(account) = self.load().await? else { return Ok(()) };
        if account.outbox.is_empty() {
            return Ok(());
        }
        let queue = self.env.queue(MAIL_QUEUE_BINDING)?;
        // Longer than the queue's own retries take (five, doubling from the base), so only lost mail comes back.
        let requeue_at = now_secs() + u64::from(config.mail.retry_base_secs) * 60;
        let mut sent: Vec<String> = Vec::new();
        for job in &account.outbox {
            crate::metrics::count(crate::metrics::Op::QueueSend);
            match queue.send(job).await {
                Ok(()) => sent.push(job.id().to_owned()),
                Err(err) => audit::record(&Event::OutboxSendFailed { mail: job.id(), error: err.to_string() }),
            }
        }
        self.update(|account| sent.iter().for_each(|id| account.mail_queued(id, requeue_at))).await?;
        self.schedule_alarm().await
    }

    /// Sends every webhook notification that is due; each is delivered, rescheduled or given up (and dead-lettered).
    async fn deliver_webhooks(&self, config: &Config) -> Result<()> {
        let Some(account) = self.load().await? else { return Ok(()) };
        let now = now_secs();
        let due: Vec<_> = account.webhooks.iter().filter(|d| d.due_at <= now).cloned().collect();
        if due.is_empty() {
            return Ok(());
        }
        // Unconfigured since they were queued: they wait, in case it comes back.
        let Some(hook) = &config.webhook else { return Ok(()) };
        let name = account.pseudonym();
        let mut tried = Vec::new();
        for mut delivery in due {
            let status = outbound::post(&delivery.request(hook, now)).await.ok();
            let reason = status.map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {s}"));
            let outcome = delivery.record_try(status, now, hook.retry_base_secs);
            let id = delivery.id.as_str();
            match outcome {
                Outcome::Delivered => audit::record(&Event::WebhookSent { delivery: id, account: &name }),
                Outcome::RetryAt(at) => audit::record(&Event::WebhookRetry {
                    delivery: id,
                    account: &name,
                    reason: &reason,
                    delay_secs: u32::try_from(at.saturating_sub(now)).unwrap_or(u32::MAX),
                }),
                Outcome::GiveUp => {
                    audit::record(&Event::WebhookDeadLettered { delivery: id, account: &name, reason: &reason });
                    let letter = DeadLetter {
                        id: delivery.id.clone(),
                        kind: "webhook".into(),
                        to: vec![hook.url.clone()],
                        reason: "retries_exhausted".into(),
                        recorded_at: now,
                    };
                    store::record_dead_letter(&self.env.kv(store::KV_BINDING)?, &letter).await?;
                }
            }
            tried.push((delivery, outcome));
        }
        self.update(|account| {
            account.webhooks.retain_mut(|pending| match tried.iter().find(|(d, _)| d.id == pending.id) {
                Some((_, Outcome::Delivered | Outcome::GiveUp)) => false,
                Some((updated, Outcome::RetryAt(_))) => {
                    *pending = updated.clone();
                    true
                }
                None => true,
            })
        })
        .await
    }

    /// One alarm serves every retry (the outbox, lost mail, webhooks): it is set for whichever is due first.
    async fn schedule_alarm(&self) -> Result<()> {
        let Some(account) = self.load().await? else { return Ok(()) };
        let now_ms = worker::Date::now().as_millis() as i64;
        let outbox = (!account.outbox.is_empty()).then_some(OUTBOX_RETRY_MS);
        let in_flight = account.in_flight.iter().map(|m| (m.requeue_at as i64 * 1000 - now_ms).max(1)).min();
        let webhook = account.webhooks.iter().map(|d| (d.due_at as i64 * 1000 - now_ms).max(1)).min();
        if let Some(in_ms) = outbox.into_iter().chain(in_flight).chain(webhook).min() {
            self.state.storage().set_alarm(in_ms).await?;
        }
        Ok(())
    }
}

/// What a login or a session of this account is checked against.
fn session_rules(config: &Config, account: &AccountState, requirement: TwoStepRequirement) -> SessionRules {
    SessionRules {
        ttl_secs: config.session_ttl_secs,
        two_step_grace_secs: requirement.grace_secs(account.profile.audience),
    }
}

/// Applies one change to the 2-Step Verification settings, puts it on the audit trail and queues its notice (mail id
/// `notice_id`). `None`: answer with the status.
fn two_step_action(
    account: &mut AccountState,
    action: TwoStepAction,
    now: u64,
    notice_id: String,
) -> std::result::Result<Option<Reply>, Refusal> {
    let two_step = &mut account.two_step;
    let (result, change) = match action {
        TwoStepAction::Status => return Ok(None),
        TwoStepAction::Setup { secret } => {
            let expires_at = two_step.start_setup(secret, now)?;
            let login_email = account.profile.login_email.clone();
            return Ok(Some(Reply::SetupStarted { login_email, expires_at }));
        }
        TwoStepAction::Confirm { code, recovery_hashes } => {
            (two_step.confirm_setup(&code, now, recovery_hashes), TwoStepChange::Enabled)
        }
        TwoStepAction::ReplaceRecoveryCodes { code, recovery_hashes } => {
            (two_step.replace_recovery_codes(&code, now, recovery_hashes), TwoStepChange::RecoveryCodesReplaced)
        }
        TwoStepAction::Disable { code } => (two_step.disable(&code, now), TwoStepChange::Disabled),
    };
    let name = account.pseudonym();
    match result {
        Ok(()) => {
            audit::record(&Event::TwoStepChanged { account: &name, change });
            account.queue_two_step_notice(notice_id, change, now);
        }
        Err(ref refusal) => audit::record(&Event::TwoStepCodeRefused { account: &name, code: refusal.code }),
    }
    result.map(|()| None)
}

pub fn now_secs() -> u64 {
    worker::Date::now().as_millis() / 1000
}

/// A random id for a mail (the provider's idempotency key).
pub fn new_id() -> Result<String> {
    random_bytes::<16>().map(|b| hex(&b)).map_err(|e| worker::Error::RustError(e.to_string()))
}
