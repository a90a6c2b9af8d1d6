//! The account as a state machine: a command applied to the stored state gives an [`Outcome`] that says everything
//! the Durable Object must do — reply, audit events, save, flush the outbox — so the object loads, applies, saves and
//! emits, and decides nothing. Every command's rules are native unit tests with `now` passed in.

use super::credential::PasswordHasher;
use super::state::AccountState;
use super::throttle::LoginFailures;
use crate::audit::AccountEvent;
use crate::config::Config;
use crate::seal::Keys;
use crate::webauthn::RelyingParty;
use crate::webhook::WebhookConfig;
use latchkey_shared::Policy;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// What a Durable Object holds: the account, or — for a name no account has — the failed logins tried on it, kept so
/// an unknown email is throttled exactly like a known one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Slot {
    pub account: Option<AccountState>,
    pub unknown_login_failures: LoginFailures,
    /// How far this object's clock runs ahead of the Worker's: moved only on a development Worker, so tests of
    /// expiry move time instead of waiting for it (`commands::dev::AdvanceClock`). Zero everywhere else.
    pub clock_offset_secs: u64,
}

impl Slot {
    /// The time this object decides by: the Worker's clock, plus the offset a test moved it by.
    pub fn now(&self, clock: u64) -> u64 {
        clock.saturating_add(self.clock_offset_secs)
    }
}

/// The site's settings the account's rules use.
#[derive(Debug, Clone)]
pub struct Rules {
    pub policy: Policy,
    pub session_ttl_secs: u64,
    pub session_idle_secs: u64,
    /// How recently a session's person must have typed the password for a sensitive change.
    pub recent_auth_secs: u64,
    /// Where password changes are told to the site's backend, if they are.
    pub webhook: Option<WebhookConfig>,
    pub mail_retry_base_secs: u32,
    /// This provider's issuer (its origin): a logout token's `iss`.
    pub issuer: String,
    /// Whether logout tokens can be signed (OpenID Connect's keys are configured): without, logouts owed wait.
    pub signs_logout_tokens: bool,
    /// Whether a test may move this object's clock (a development Worker only).
    pub clock_moves: bool,
    /// What seals the authenticator apps' keys and keys the recovery codes' digests (`SEALING_KEYS`).
    pub sealing_keys: Keys,
    /// The site as passkeys know it.
    pub relying_party: RelyingParty,
}

impl Rules {
    /// The first delay of a delivery's retries (webhooks, back-channel logouts): the webhook's setting, which
    /// back-channel logouts share; mail's without a webhook.
    pub fn delivery_retry_base_secs(&self) -> u32 {
        self.webhook.as_ref().map_or(self.mail_retry_base_secs, |hook| hook.retry_base_secs)
    }

    pub fn of(config: &Config) -> Rules {
        Rules {
            policy: config.policy.clone(),
            session_ttl_secs: config.session_ttl_secs,
            session_idle_secs: config.session_idle_secs,
            recent_auth_secs: config.recent_auth_secs,
            webhook: config.webhook.clone(),
            mail_retry_base_secs: config.mail.retry_base_secs,
            issuer: config.app_origin.clone(),
            signs_logout_tokens: config.oidc_keys.is_some(),
            clock_moves: config.environment == crate::config::Environment::Dev,
            sealing_keys: config.sealing_keys.clone(),
            relying_party: config.relying_party(),
        }
    }
}

/// Fresh random ids, made by the shell, for what a command may create.
#[derive(Debug, Clone)]
pub struct FreshIds {
    /// A notice's mail id (the provider's idempotency key).
    pub notice: String,
    pub webhook: String,
}

/// Everything from outside a command is applied with.
pub struct Context<'a> {
    pub now: u64,
    pub rules: &'a Rules,
    pub hasher: &'a dyn PasswordHasher,
    pub ids: &'a FreshIds,
}

/// The rest of a command, applied once the shell has saved what came before it.
pub type Continuation<R> = Box<dyn FnOnce(&mut Slot, &Context<'_>) -> Outcome<R>>;

/// How a command goes on after this step.
pub enum Next<R> {
    Reply(R),
    /// A checkpoint: save, then apply this. A reset records the attempt before the argon2 runs it pays for, so an
    /// isolate that dies in them has still counted it.
    Then(Continuation<R>),
}

/// What applying a command asks of the shell.
#[must_use]
pub struct Outcome<R> {
    pub next: Next<R>,
    /// For the audit trail, under the account's pseudonym.
    pub events: Vec<AccountEvent>,
    /// Whether the slot changed and must be stored.
    pub save: bool,
    /// Whether mail waits in the outbox to be handed to the queue.
    pub flush_outbox: bool,
    /// An unknown login's failures are to be forgotten this many seconds from now.
    pub forget_unknown_in: Option<u64>,
    /// A confirmed login email change is due: the shell moves the account to its new name (`commands::login_email`).
    pub move_due: bool,
}

impl<R> Outcome<R> {
    pub fn reply(reply: R) -> Outcome<R> {
        Outcome {
            next: Next::Reply(reply),
            events: Vec::new(),
            save: false,
            flush_outbox: false,
            forget_unknown_in: None,
            move_due: false,
        }
    }

    /// Save what has changed so far, then apply `rest`.
    pub fn checkpoint(rest: impl FnOnce(&mut Slot, &Context<'_>) -> Outcome<R> + 'static) -> Outcome<R> {
        Outcome {
            next: Next::Then(Box::new(rest)),
            events: Vec::new(),
            save: true,
            flush_outbox: false,
            forget_unknown_in: None,
            move_due: false,
        }
    }

    pub fn saved(mut self) -> Outcome<R> {
        self.save = true;
        self
    }

    pub fn event(mut self, event: AccountEvent) -> Outcome<R> {
        self.events.push(event);
        self
    }

    pub fn flushing(mut self) -> Outcome<R> {
        self.flush_outbox = true;
        self
    }

    pub fn moving(mut self) -> Outcome<R> {
        self.move_due = true;
        self
    }

    /// The same outcome with its reply (now, or after its checkpoint) made into another.
    pub fn map_reply<T: 'static>(self, f: impl FnOnce(R) -> T + 'static) -> Outcome<T>
    where
        R: 'static,
    {
        let next = match self.next {
            Next::Reply(reply) => Next::Reply(f(reply)),
            Next::Then(rest) => Next::Then(Box::new(move |slot, cx| rest(slot, cx).map_reply(f))),
        };
        let Outcome { events, save, flush_outbox, forget_unknown_in, move_due, .. } = self;
        Outcome { next, events, save, flush_outbox, forget_unknown_in, move_due }
    }
}

/// Applies `change` to the account, if there is one, and saves it; a command with nothing to answer.
pub fn change_account(slot: &mut Slot, change: impl FnOnce(&mut AccountState)) -> Outcome<()> {
    match slot.account.as_mut() {
        Some(account) => {
            change(account);
            Outcome::reply(()).saved()
        }
        None => Outcome::reply(()),
    }
}

/// Writes what a step's events say happened into the account's history; the step is saved if that added anything.
/// The shell calls it on every step, before saving.
pub fn remember<R>(slot: &mut Slot, outcome: &mut Outcome<R>, now: u64) {
    if let Some(account) = slot.account.as_mut() {
        outcome.save |= account.history.record(&outcome.events, now);
    }
}

/// A command to an account: what it is answered, and how it changes the slot.
pub trait Apply {
    type Reply: Serialize + DeserializeOwned;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply>;
}

#[cfg(test)]
pub(crate) mod testing {
    //! Applying commands in tests as the Durable Object does, with an instant hasher and a fixed clock.

    use super::*;
    use crate::account::credential::tests::PlainHasher;
    use crate::account::state::Profile;
    use latchkey_shared::api::AccountStatus;
    use latchkey_shared::{Audience, Locale};

    pub const NOW: u64 = 1_800_000_000;
    pub const OLD_PASSWORD: &str = "Old-Password-1!";

    /// What the shell would have done: every step applied, saved between steps.
    #[derive(Debug)]
    pub struct Applied<R> {
        pub reply: R,
        pub events: Vec<AccountEvent>,
        pub saves: usize,
        pub flush_outbox: bool,
        pub forget_unknown_in: Option<u64>,
        pub move_due: bool,
    }

    /// The site's backend, as a test's rules name it.
    pub fn webhook() -> crate::webhook::WebhookConfig {
        crate::webhook::WebhookConfig {
            url: "https://site.example/hook".into(),
            secret: "s".to_owned().into(),
            retry_base_secs: 30,
        }
    }

    pub fn rules() -> Rules {
        Rules {
            policy: Policy::brief_default(),
            session_ttl_secs: 3600,
            session_idle_secs: 1800,
            recent_auth_secs: 600,
            webhook: None,
            mail_retry_base_secs: 1,
            issuer: "https://id.school.example".into(),
            signs_logout_tokens: true,
            clock_moves: false,
            sealing_keys: crate::seal::Keys::parse(crate::seal::TEST_KEYS).unwrap(),
            relying_party: crate::webauthn::RelyingParty {
                id: "id.school.example".into(),
                name: "School".into(),
                origins: vec!["https://id.school.example".into()],
            },
        }
    }

    pub fn run<C: Apply>(slot: &mut Slot, command: C, now: u64, rules: &Rules) -> Applied<C::Reply> {
        let ids = FreshIds { notice: format!("notice-{now}"), webhook: format!("hook-{now}") };
        let cx = Context { now, rules, hasher: &PlainHasher, ids: &ids };
        let mut outcome = command.apply(slot, &cx);
        let (mut events, mut saves, mut flush_outbox, mut forget_unknown_in) = (Vec::new(), 0, false, None);
        let mut move_due = false;
        loop {
            remember(slot, &mut outcome, now);
            saves += usize::from(outcome.save);
            events.append(&mut outcome.events);
            flush_outbox |= outcome.flush_outbox;
            forget_unknown_in = forget_unknown_in.or(outcome.forget_unknown_in);
            move_due |= outcome.move_due;
            match outcome.next {
                Next::Then(rest) => outcome = rest(slot, &cx),
                Next::Reply(reply) => {
                    return Applied { reply, events, saves, flush_outbox, forget_unknown_in, move_due }
                }
            }
        }
    }

    /// Ana's parent account, password [`OLD_PASSWORD`], a contact email beside the login email.
    pub fn ana() -> Slot {
        let profile = Profile {
            login_email: "ana@school.org".into(),
            contact_email: Some("ana.home@mail.org".into()),
            audience: Audience::Parent,
            display_name: "Ana".into(),
            locale: Locale::En,
            status: AccountStatus::Active,
        };
        let account = AccountState::new(profile, Some(format!("plain:{OLD_PASSWORD}")));
        Slot { account: Some(account), ..Slot::default() }
    }

    pub fn hash(n: u8) -> crate::token::TokenHash {
        crate::token::TokenHash(format!("{n:064}"))
    }
}
