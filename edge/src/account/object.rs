//! The account's Durable Object: loads the slot, applies one command ([`super::apply`]), saves, and does what the
//! outcome says — audit lines, mail to the queue, the alarm — then answers. It decides nothing. Every change to an
//! account goes through here, one at a time.

use super::apply::{remember, Apply, Context, FreshIds, Next, Rules, Slot};
use super::ask::ask_account;
use super::commands::admin::View;
use super::commands::delivery::{DeliveriesTried, MailQueued, RequeueLostMail};
use super::commands::login_email::{MoveAborted, MoveIn, MoveOut, MovedAway};
use super::credential::PasswordHasher;
use super::deliveries::{self, Answer, Due, Tried};
use super::protocol::{Answers, Command};
use super::refusal::Refusal;
use super::state::AccountState;
use crate::audit::{self, AccountEvent, Event};
use crate::config::Config;
use crate::failure::Internal;
use crate::mail::job::StoredDeadLetter;
use crate::oidc::jwt::{LogoutTokenClaims, LOGOUT_TOKEN_TYPE};
use crate::oidc::sign;
use crate::outbound::OutboundRequest;
use crate::platform::{binding, new_id, now_secs};
use crate::{fetch, password, store};
use latchkey_shared::ErrorCode;
use std::cell::RefCell;
use worker::{durable_object, DurableObject, Env, Error, Request, Response, Result, State};

mod indexes;

const STATE_KEY: &str = "account";
/// Failed logins for a name with no account, kept only for the throttling window (an alarm clears them). Counted per
/// client since `v2`; what the key without it held has left its window and goes with the alarm's clean-up.
const UNKNOWN_FAILURES_KEY: &str = "unknown_login_failures_v2";
/// How far a development Worker's test moved this object's clock (`Slot::clock_offset_secs`); never written elsewhere.
const CLOCK_OFFSET_KEY: &str = "dev_clock_offset";

#[durable_object]
pub struct Account {
    state: State,
    env: Env,
    /// The stored slot, kept in memory between requests.
    cache: RefCell<Option<Slot>>,
    /// What this object last wrote to KV's registry and indexes since it started.
    written: indexes::Written,
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

fn answered(status: worker::Result<u16>) -> Answer {
    status.map_or(Answer::Unanswered, Answer::Status)
}

/// A back-channel logout's try (Back-Channel Logout 1.0): the logout token signed as the app's ID tokens are, POSTed
/// to its registered URI.
async fn logout(
    kv: &worker::kv::KvStore,
    config: &Config,
    client_id: &str,
    claims: &LogoutTokenClaims,
) -> Result<Answer> {
    let client = store::oauth2_client(kv, client_id).await?;
    let Some((client, uri)) = client.and_then(|c| c.registration().backchannel_logout_uri.clone().map(|uri| (c, uri)))
    else {
        return Ok(Answer::NotWanted);
    };
    let Some(keys) = config.oidc_keys.as_ref() else { return Ok(Answer::Unanswered) };
    let alg = client.registration().id_token_signed_response_alg;
    Ok(match sign::sign(keys, alg, Some(LOGOUT_TOKEN_TYPE), claims).await {
        Ok(token) => answered(fetch::post(&logout_request(uri, &token)).await),
        Err(err) => {
            Internal::from(err).log();
            Answer::Unanswered
        }
    })
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
        let written = indexes::Written::default();
        Account { state, env, cache: RefCell::new(None), written, config: RefCell::new(None) }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        req.json::<Command>().await?.answered_by(self).await
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
        self.deliver(&config).await?;
        self.move_account(&config).await?;
        self.schedule_alarm().await?;
        Response::ok("")
    }
}

impl Answers for Account {
    type Answer = Result<Response>;

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
}

impl Account {
    fn config(&self) -> Result<Config> {
        Ok(Config::cached(&self.config, &self.env)?)
    }

    /// Load → apply → save → emit, step by step until the command has its reply.
    async fn run<C: Apply>(&self, command: C, config: &Config) -> Result<Ran<C::Reply>> {
        let rules = Rules::of(config);
        let hasher = Argon2Hasher(config.hash_params);
        let ids = FreshIds { notice: new_id()?, webhook: new_id()? };
        let mut slot = self.load().await?;
        let cx = Context { now: slot.now(now_secs()), rules: &rules, hasher: &hasher, ids: &ids };
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
                    indexes::write(&self.state, &self.env, &self.written, &slot, cx.now);
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

    async fn load(&self) -> Result<Slot> {
        if let Some(cached) = self.cache.borrow().as_ref() {
            return Ok(cached.clone());
        }
        // Both keys in one read, whichever is there: an unknown email's login costs what a known one's does.
        let stored = self.state.storage().get_multiple(vec![STATE_KEY, UNKNOWN_FAILURES_KEY, CLOCK_OFFSET_KEY]).await?;
        let value = |key: &str| Some(stored.get(&key.into())).filter(|v| !v.is_undefined());
        let decode = |e: serde_wasm_bindgen::Error| worker::Error::RustError(e.to_string());
        let account: Option<AccountState> =
            value(STATE_KEY).map(serde_wasm_bindgen::from_value).transpose().map_err(decode)?;
        let unknown_login_failures = match (&account, value(UNKNOWN_FAILURES_KEY)) {
            (None, Some(failures)) => serde_wasm_bindgen::from_value(failures).map_err(decode)?,
            _ => Default::default(),
        };
        let clock_offset_secs =
            value(CLOCK_OFFSET_KEY).map(serde_wasm_bindgen::from_value).transpose().map_err(decode)?.unwrap_or(0);
        let slot = Slot { account, unknown_login_failures, clock_offset_secs };
        *self.cache.borrow_mut() = Some(slot.clone());
        Ok(slot)
    }

    /// `existed`: whether the account was there before this command (if not, it was just created, and what its name
    /// gathered before is dropped).
    async fn save(&self, slot: &Slot, existed: bool) -> Result<()> {
        // Drop the cache first: if the write fails, the next request reads what storage really holds.
        *self.cache.borrow_mut() = None;
        let storage = self.state.storage();
        if slot.clock_offset_secs != 0 {
            storage.put(CLOCK_OFFSET_KEY, slot.clock_offset_secs).await?;
        }
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
            // A queue that cannot even be bound fails each send alike: the mail waits for the alarm either way.
            let queue = self.env.queue(binding::MAIL_QUEUE);
            let mut ids = Vec::new();
            for job in &pending {
                let sent = match &queue {
                    Ok(queue) => {
                        crate::metrics::count(crate::metrics::Op::QueueSend);
                        queue.send(job).await
                    }
                    Err(err) => Err(Error::RustError(err.to_string())),
                };
                match sent {
                    Ok(()) => ids.push(job.id().to_owned()),
                    Err(err) => audit::record(&Event::OutboxSendFailed { mail: job.id(), error: err.to_string() }),
                }
            }
            self.run(MailQueued { ids }, config).await?;
        }
        self.schedule_alarm().await
    }

    /// Sends every webhook and back-channel logout that is due (`deliveries::due`), and hands what each got to the
    /// account, which says what comes next and which dead letters to keep.
    async fn deliver(&self, config: &Config) -> Result<()> {
        let slot = self.load().await?;
        let Some(account) = &slot.account else { return Ok(()) };
        let due = deliveries::due(account, &Rules::of(config), slot.now(now_secs()));
        if due.is_empty() {
            return Ok(());
        }
        let kv = self.env.kv(binding::KV)?;
        let mut tried = Vec::new();
        for delivery in due {
            let answer = match &delivery {
                Due::Webhook { request, .. } => answered(fetch::post(request).await),
                Due::BackChannelLogout { client_id, claims, .. } => logout(&kv, config, client_id, claims).await?,
            };
            tried.push(Tried { kind: delivery.kind(), id: delivery.id().to_owned(), answer });
        }
        for letter in self.run(DeliveriesTried { tried }, config).await?.reply {
            store::record_dead_letter(&kv, &letter.id.clone(), &StoredDeadLetter { letter, notice: None }).await?;
        }
        Ok(())
    }

    /// Moves the account to the Durable Object of its new login email, when a change is due — the steps
    /// `commands::login_email` describes, each decided there. A step that does not get through leaves this object
    /// marked moving (no one can use it) and the alarm tries again; the new name taken, in either form it may have,
    /// calls the move off.
    async fn move_account(&self, config: &Config) -> Result<()> {
        let slot = self.load().await?;
        let now = slot.now(now_secs());
        let Some(account) = slot.account else { return Ok(()) };
        let Some(change) = account.login_email_change.filter(|change| change.due(now)) else { return Ok(()) };
        let new = crate::email::Email::parse(&change.new_login_email).map_err(|e| Error::RustError(e.to_string()))?;
        let to_id = crate::email::account_id(account.profile.audience, &new);
        let Some(moving) = self.run(MoveOut { to_id: to_id.clone() }, config).await?.reply else { return Ok(()) };
        let (from_id, token_hash) = (moving.from_id.clone(), moving.change.clone());
        let contact = moving.account.profile.contact_email.clone();
        let earlier = new.earlier_form().map(|earlier| crate::email::account_id_of(account.profile.audience, earlier));
        let taken_in_earlier_form = match earlier {
            Some(earlier) => ask_account(&self.env, &earlier, View {}).await.map(|view| view.is_some()),
            None => Ok(false),
        };
        let arrived = match taken_in_earlier_form {
            Ok(taken_in_earlier_form) => ask_account(&self.env, &to_id, MoveIn { moving, taken_in_earlier_form }).await,
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
        let slot = self.load().await?;
        if let Some(secs) = slot.account.as_ref().and_then(|account| account.wake_in(slot.now(now_secs()))) {
            self.state.storage().set_alarm((secs * 1000) as i64).await?;
        }
        Ok(())
    }
}
