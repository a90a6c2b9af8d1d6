//! Per-account state: one Durable Object per account serialises every change to it, so a token is used once and only
//! the newest one works, whatever arrives concurrently and wherever.
//!
//! Pure, tested natively: the state and its parts ([`state`], [`tokens`], [`sessions`], [`throttle`],
//! [`credential`], [`outbox`], [`webhooks`], [`two_step`], [`apps`], [`codes`], [`history`]), how it is stored
//! ([`stored`]), the commands that change it ([`commands`], applied through [`apply`]), whether staff may act on it
//! ([`authority`]), and a new account's checks ([`new_account`]). The shell: [`object`], the Durable Object.

pub mod apply;
pub mod apps;
pub mod ask;
pub mod authority;
pub mod codes;
pub mod commands;
pub mod credential;
pub mod deliveries;
pub mod history;
pub mod invitation;
pub mod new_account;
pub mod new_password;
pub mod object;
pub mod outbox;
pub mod passkeys;
pub mod protocol;
pub mod refusal;
pub mod registry;
pub mod sessions;
pub mod state;
pub mod stored;
pub mod throttle;
pub mod tokens;
pub mod two_step;
pub mod webhooks;
