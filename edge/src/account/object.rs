//! The account's Durable Object: loads the slot, applies one command ([`super::apply`]), saves, and does what the
//! outcome says — audit lines, mail to the queue, the alarm — then answers. It decides nothing. Every change to an
//! account goes through here, one at a time.

use super::apply::{remember, Apply, Context, FreshIds, Next, Rules, Slot};
use super::ask::ask_account;
use super::commands::admin::View;
use super::commands::apps::LogoutsTried;
use super::commands::delivery::{MailQueued, RequeueLostMail, WebhooksTried};
use super::commands::login_email::{MoveAborted, MoveIn, MoveOut, MovedAway};
use super::credential::PasswordHasher;
use super::protocol::Command;
use super::refusal::Refusal;
use super::registry::Entry;
use super::state::AccountState;
use crate::audit::{self, AccountEvent, Event};
use crate::config::Config;
use crate::failure::Internal;
use crate::mail::job::StoredDeadLetter;
use crate::oidc::jwt::{LogoutTokenClaims, LOGOUT_TOKEN_TYPE};
use crate::oidc::sign;
use crate::outbound::OutboundRequest;
use crate::platform::{binding, new_id, now_secs};
use crate::webhook::Outcome;
use crate::{fetch, password, store};
use latchkey_shared::api::DeadLetter;
use latchkey_shared::ErrorCode;
use std::cell::RefCell;
use std::rc::Rc;
use worker::{durable_object, DurableObject, Env, Error, Request, Response, Result, State};

const STATE_KEY: &str = "account";
/// Failed logins for a name with no account, kept only for the throttling window (an alarm clears them). Counted per
/// client since `v2`; what the key without it held has left its window and goes with the alarm's clean-up.
const UNKNOWN_FAILURES_KEY: &str = "unknown_login_failures_v2";

#[durable_object]
pub struct Account {
    state: State,
    env: Env,
    /// The stored slot, kept in memory between requests.
    cache: RefCell<Option<Slot>>,
    /// The registry entry this object last wrote since it started (none yet, or the last write failed: the next
    /// command writes it).
    registered: Rc<RefCell<Option<Entry>>>,
    /// The configuration, read once: an object's variables and secrets do not change under it (a deploy starts new
    /// objects), and every command needs it.
    config: RefCell<Option<Config>>,
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

    fn needs_rehash(&self, phc: &str) -> bool {
        password::needs_rehash(phc, self.0)
    }
}

/// The POST that carries a logout token (Back-Channel Logout 1.0 §2.5).
fn logout_request(uri: String, token: &str) -> OutboundRequest {
    let body = url::form_urlencoded::Serializer::new(String::new()).append_pair("logout_token", token).finish();
    OutboundRequest {
        url: uri,
        headers: vec![("Content-Type", "application/x-www-form-urlencoded".to_owned().into())],
        body: body.into(),
    }
}

/// A command applied: its reply, whether mail waits to be handed to the queue, whether apps wait for a back-channel
/// logout, whether the account is due to move to a new login email, and whether a confirmed change waits for its
/// delay to end (the alarm moves it then).
struct Ran<R> {
    reply: R,
    flush_outbox: bool,
    logouts_owed: bool,
    move_due: bool,
    move_waiting: bool,
}

impl DurableObject for Account {
    fn new(state: State, env: Env) -> Self {
        Account { state, env, cache: RefCell::new(None), registered: Rc::default(), config: RefCell::new(None) }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        match req.json::<Command>().await? {
            Command::Create(c) => self.answer(c).await,
            Command::View(c) => self.answer(c).await,
            Command::Disable(c) => self.answer(c).await,
            Command::AdminTwoStepOff(c) => self.answer(c).await,
            Command::RequireChange(c) => self.answer(c).await,
            Command::IssueToken(c) => self.answer(c).await,
            Command::LinkStatus(c) => self.answer(c).await,
            Command::WithdrawToken(c) => self.answer(c).await,
            Command::Reset(c) => self.answer(c).await,
            Command::Login(c) => self.answer(c).await,
            Command::CheckSession(c) => self.answer(c).await,
            Command::Logout(c) => self.answer(c).await,
            Command::Reauthenticate(c) => self.answer(c).await,
            Command::ChangePassword(c) => self.answer(c).await,
            Command::TwoStepStatus(c) => self.answer(c).await,
            Command::TwoStepSetup(c) => self.answer(c).await,
            Command::TwoStepConfirm(c) => self.answer(c).await,
            Command::TwoStepNewCodes(c) => self.answer(c).await,
            Command::TwoStepDisable(c) => self.answer(c).await,
            Command::MailSettled(c) => self.answer(c).await,
            Command::MailRetrying(c) => self.answer(c).await,
            Command::Enable(c) => self.answer(c).await,
            Command::EndSessions(c) => self.answer(c).await,
            Command::Authorize(c) => self.answer(c).await,
            Command::ExchangeCode(c) => self.answer(c).await,
            Command::Refresh(c) => self.answer(c).await,
            Command::GrantStatus(c) => self.answer(c).await,
            Command::RevokeGrant(c) => self.answer(c).await,
            Command::SetRoles(c) => self.answer(c).await,
            Command::SealSecrets(c) => self.answer(c).await,
            Command::CheckStaff(c) => self.answer(c).await,
            Command::StartLoginEmailChange(c) => self.answer(c).await,
            Command::ConfirmLoginEmailChange(c) => self.answer(c).await,
            Command::CancelLoginEmailChange(c) => self.answer(c).await,
            Command::MoveIn(c) => self.answer(c).await,
            Command::NoteMailEvent(c) => self.answer(c).await,
        }
    }

    async fn alarm(&self) -> Result<Response> {
        if self.load().await?.account.is_none() {
            // Only an unknown login's failures were kept here, and their window has passed.
            *self.cache.borrow_mut() = None;
            self.state.storage().delete_all().await?;
            return Response::ok("");
        }
        let config = self.config()?;
        if self.run(RequeueLostMail {}, &config).await?.flush_outbox {
            self.flush_outbox(&config).await?;
        }
        self.deliver_webhooks(&config).await?;
        self.deliver_logouts(&config).await?;
        self.move_account(&config).await?;
        self.schedule_alarm().await?;
        Response::ok("")
    }
}

impl Account {
    fn config(&self) -> Result<Config> {
        if let Some(config) = self.config.borrow().as_ref() {
            return Ok(config.clone());
        }
        let config = Config::from_env(&self.env)?;
        *self.config.borrow_mut() = Some(config.clone());
        Ok(config)
    }

    async fn answer<C: Apply>(&self, command: C) -> Result<Response> {
        let config = self.config()?;
        let ran = self.run(command, &config).await?;
        if ran.move_due {
            self.move_account(&config).await?;
        }
        if ran.flush_outbox {
            // After the save: what was decided is on record even if the queue cannot take it now.
            self.flush_outbox(&config).await?;
        } else if ran.logouts_owed || ran.move_waiting {
            self.schedule_alarm().await?;
        }
        Response::from_json(&ran.reply)
    }

    /// Load → apply → save → emit, step by step until the command has its reply.
    async fn run<C: Apply>(&self, command: C, config: &Config) -> Result<Ran<C::Reply>> {
        let rules = Rules::of(config);
        let hasher = Argon2Hasher(config.hash_params);
        let ids = FreshIds { notice: new_id()?, webhook: new_id()? };
        let cx = Context { now: now_secs(), rules: &rules, hasher: &hasher, ids: &ids };
        let mut slot = self.load().await?;
        let existed = slot.account.is_some();
        let mut outcome = command.apply(&mut slot, &cx);
        let (mut flush_outbox, mut move_due) = (false, false);
        loop {
            remember(&mut slot, &mut outcome, cx.now);
            if outcome.save {
                self.save(&slot, existed).await?;
            }
            self.emit(&slot, &outcome.events, &config.sealing_keys);
            flush_outbox |= outcome.flush_outbox;
            move_due |= outcome.move_due;
            if let Some(secs) = outcome.forget_unknown_in {
                // After the answer: a known account's failed login sets no alarm, so an unknown one's must not be
                // slower for it.
                let storage = self.state.storage();
                self.state.wait_until(async move {
                    if let Err(err) = storage.set_alarm((secs * 1000) as i64).await {
                        Internal::Storage(err).log();
                    }
                });
            }
            match outcome.next {
                Next::Reply(reply) => {
                    self.register(&slot);
                    let logouts_owed = slot.account.as_ref().is_some_and(|a| !a.apps.logouts.is_empty());
                    let move_waiting = slot
                        .account
                        .as_ref()
                        .and_then(|a| a.login_email_change.as_ref())
                        .is_some_and(|change| change.confirmed_at.is_some() || change.moving_since.is_some());
                    return Ok(Ran { reply, flush_outbox, logouts_owed, move_due, move_waiting });
                }
                Next::Then(rest) => outcome = rest(&mut slot, &cx),
            }
        }
    }

    /// Writes the account's registry entry when it changed (or first, since this object started), after the answer:
    /// the registry is a report, and no login waits for it.
    fn register(&self, slot: &Slot) {
        let Some(account) = &slot.account else { return };
        let entry = account.registry_entry();
        if self.registered.borrow().as_ref() == Some(&entry) {
            return;
        }
        *self.registered.borrow_mut() = Some(entry.clone());
        let id = crate::email::account_id_of(entry.audience, &entry.login_email);
        let kv = self.env.kv(binding::KV);
        let registered = Rc::clone(&self.registered);
        self.state.wait_until(async move {
            let written = match kv {
                Ok(kv) => store::put_registry_entry(&kv, &id, &entry).await,
                Err(err) => Err(err),
            };
            if let Err(err) = written {
                Internal::Kv(err).log();
                *registered.borrow_mut() = None;
            }
        });
    }

    async fn load(&self) -> Result<Slot> {
        if let Some(cached) = self.cache.borrow().as_ref() {
            return Ok(cached.clone());
        }
        // Both keys in one read, whichever is there: an unknown email's login costs what a known one's does.
        let stored = self.state.storage().get_multiple(vec![STATE_KEY, UNKNOWN_FAILURES_KEY]).await?;
        let value = |key: &str| Some(stored.get(&key.into())).filter(|v| !v.is_undefined());
        let decode = |e: serde_wasm_bindgen::Error| worker::Error::RustError(e.to_string());
        let account: Option<AccountState> =
            value(STATE_KEY).map(serde_wasm_bindgen::from_value).transpose().map_err(decode)?;
        let unknown_login_failures = match (&account, value(UNKNOWN_FAILURES_KEY)) {
            (None, Some(failures)) => serde_wasm_bindgen::from_value(failures).map_err(decode)?,
            _ => Default::default(),
        };
        let slot = Slot { account, unknown_login_failures };
        *self.cache.borrow_mut() = Some(slot.clone());
        Ok(slot)
    }

    /// `existed`: whether the account was there before this command (if not, it was just created, and what its name
    /// gathered before is dropped).
    async fn save(&self, slot: &Slot, existed: bool) -> Result<()> {
        // Drop the cache first: if the write fails, the next request reads what storage really holds.
        *self.cache.borrow_mut() = None;
        let storage = self.state.storage();
        match &slot.account {
            Some(account) => {
                storage.put(STATE_KEY, account).await?;
                if !existed {
                    storage.delete(UNKNOWN_FAILURES_KEY).await?;
                }
            }
            None => {
                if existed {
                    // The account moved away (a new login email): what was stored of it goes.
                    storage.delete(STATE_KEY).await?;
                }
                storage.put(UNKNOWN_FAILURES_KEY, &slot.unknown_login_failures).await?
            }
        }
        *self.cache.borrow_mut() = Some(slot.clone());
        Ok(())
    }

    fn emit(&self, slot: &Slot, events: &[AccountEvent], keys: &crate::seal::Keys) {
        let Some(account) = &slot.account else { return };
        if events.is_empty() {
            return;
        }
        let name = account.pseudonym(keys);
        events.iter().filter_map(|event| event.event(&name)).for_each(|event| audit::record(&event));
    }

    /// Hands every pending mail to the queue; what cannot be handed over stays and is retried by alarm, so a password
    /// change always gets its notice.
    async fn flush_outbox(&self, config: &Config) -> Result<()> {
        let pending = self.load().await?.account.map(|account| account.outbox.pending).unwrap_or_default();
        if !pending.is_empty() {
            let queue = self.env.queue(binding::MAIL_QUEUE)?;
            let mut ids = Vec::new();
            for job in &pending {
                crate::metrics::count(crate::metrics::Op::QueueSend);
                match queue.send(job).await {
                    Ok(()) => ids.push(job.id().to_owned()),
                    Err(err) => audit::record(&Event::OutboxSendFailed { mail: job.id(), error: err.to_string() }),
                }
            }
            self.run(MailQueued { ids }, config).await?;
        }
        self.schedule_alarm().await
    }

    /// Sends every webhook notification that is due; each is delivered, rescheduled or given up (and dead-lettered).
    async fn deliver_webhooks(&self, config: &Config) -> Result<()> {
        let Some(account) = self.load().await?.account else { return Ok(()) };
        let now = now_secs();
        let due = account.webhooks.due(now);
        // Unconfigured since they were queued: they wait, in case it comes back.
        let Some(hook) = config.webhook.as_ref().filter(|_| !due.is_empty()) else { return Ok(()) };
        let name = account.pseudonym(&config.sealing_keys);
        let mut tried = Vec::new();
        for mut delivery in due {
            let status = fetch::post(&delivery.request(hook, now)).await.ok();
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
                        account: None,
                        resendable: false,
                    };
                    let letter = StoredDeadLetter { letter, notice: None };
                    store::record_dead_letter(&self.env.kv(binding::KV)?, &letter.letter.id, &letter).await?;
                }
            }
            tried.push((delivery, outcome));
        }
        self.run(WebhooksTried { tried }, config).await.map(|_| ())
    }

    /// Sends every back-channel logout that is due (Back-Channel Logout 1.0): a `logout_token` signed as the app's
    /// ID tokens are, POSTed to its registered URI; retried and dead-lettered as webhooks are.
    async fn deliver_logouts(&self, config: &Config) -> Result<()> {
        let Some(account) = self.load().await?.account else { return Ok(()) };
        let now = now_secs();
        let due = account.apps.logouts_due(now);
        // Without signing keys (OpenID Connect turned off since) they wait, in case it comes back.
        let Some(keys) = config.oidc_keys.as_ref().filter(|_| !due.is_empty()) else { return Ok(()) };
        let kv = self.env.kv(binding::KV)?;
        let name = account.pseudonym(&config.sealing_keys);
        let subject = account.apps.subject.clone().unwrap_or_default();
        let retry_base = config.webhook.as_ref().map_or(config.mail.retry_base_secs, |w| w.retry_base_secs);
        let mut tried = Vec::new();
        for mut logout in due {
            let client = store::oauth2_client(&kv, &logout.client_id).await?;
            let Some((client, uri)) =
                client.and_then(|c| c.registration().backchannel_logout_uri.clone().map(|uri| (c, uri)))
            else {
                // The app takes no back-channel logout (or is gone): nothing to send.
                tried.push((logout, Outcome::Delivered));
                continue;
            };
            let jti = format!("{}.{}", logout.id, logout.attempts);
            let claims = LogoutTokenClaims::new(&config.app_origin, &subject, client.id(), &logout.sid, jti, now);
            let alg = client.registration().id_token_signed_response_alg;
            let status = match sign::sign(keys, alg, Some(LOGOUT_TOKEN_TYPE), &claims).await {
                Ok(token) => fetch::post(&logout_request(uri, &token)).await.ok(),
                Err(err) => {
                    Internal::from(err).log();
                    None
                }
            };
            let reason = status.map_or_else(|| "no answer".to_owned(), |s| format!("HTTP {s}"));
            let outcome = logout.record_try(status, now, retry_base);
            let delivery = logout.id.as_str();
            match outcome {
                Outcome::Delivered => audit::record(&Event::BackChannelLogoutSent { delivery, account: &name }),
                Outcome::RetryAt(at) => audit::record(&Event::BackChannelLogoutRetry {
                    delivery,
                    account: &name,
                    reason: &reason,
                    delay_secs: u32::try_from(at.saturating_sub(now)).unwrap_or(u32::MAX),
                }),
                Outcome::GiveUp => {
                    audit::record(&Event::BackChannelLogoutDeadLettered { delivery, account: &name, reason: &reason });
                    let letter = DeadLetter {
                        id: logout.id.clone(),
                        kind: "backchannel_logout".into(),
                        to: vec![client.id().to_owned()],
                        reason: "retries_exhausted".into(),
                        recorded_at: now,
                        account: None,
                        resendable: false,
                    };
                    store::record_dead_letter(&kv, &letter.id.clone(), &StoredDeadLetter { letter, notice: None })
                        .await?;
                }
            }
            tried.push((logout, outcome));
        }
        self.run(LogoutsTried { tried }, config).await.map(|_| ())
    }

    /// Moves the account to the Durable Object of its new login email, when a change is due — the steps
    /// `commands::login_email` describes, each decided there. A step that does not get through leaves this object
    /// marked moving (no one can use it) and the alarm tries again; the new name taken, in either form it may have,
    /// calls the move off.
    async fn move_account(&self, config: &Config) -> Result<()> {
        let Some(account) = self.load().await?.account else { return Ok(()) };
        let Some(change) = account.login_email_change.filter(|change| change.due(now_secs())) else { return Ok(()) };
        let new = crate::email::Email::parse(&change.new_login_email).map_err(|e| Error::RustError(e.to_string()))?;
        let to_id = crate::email::account_id(account.profile.audience, &new);
        let Some(moving) = self.run(MoveOut { to_id: to_id.clone() }, config).await?.reply else { return Ok(()) };
        let (from_id, token_hash) = (moving.from_id.clone(), moving.change.clone());
        let contact = moving.account.profile.contact_email.clone();
        let earlier = new.earlier_form().map(|earlier| crate::email::account_id_of(account.profile.audience, earlier));
        let taken_earlier = match earlier {
            Some(earlier) => ask_account(&self.env, &earlier, View {}).await.map(|view| view.is_some()),
            None => Ok(false),
        };
        let arrived = match taken_earlier {
            Ok(true) => Ok(Err(ErrorCode::AccountExists.into())),
            Ok(false) => ask_account(&self.env, &to_id, MoveIn { moving }).await,
            Err(err) => Err(err),
        };
        match arrived {
            Ok(Ok(())) => {
                self.run(MovedAway { change: token_hash.clone() }, config).await?;
                let links = [store::login_email_link_key(&token_hash)];
                let kv = self.env.kv(binding::KV)?;
                // The indexes are reports: the account is whole under its new name whatever becomes of them.
                if let Err(err) = store::account_moved(&kv, &from_id, &to_id, contact.as_deref(), &links).await {
                    Internal::Kv(err).log();
                }
            }
            Ok(Err(_)) => {
                self.run(MoveAborted { change: token_hash }, config).await?;
            }
            Err(err) => {
                Internal::DurableObject(err).log();
                self.schedule_alarm().await?;
            }
        }
        Ok(())
    }

    /// One alarm serves every retry (pending mail, lost mail, webhooks): it is set for whichever is due first.
    async fn schedule_alarm(&self) -> Result<()> {
        if let Some(secs) = self.load().await?.account.and_then(|account| account.wake_in(now_secs())) {
            self.state.storage().set_alarm((secs * 1000) as i64).await?;
        }
        Ok(())
    }
}
