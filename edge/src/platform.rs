//! The platform's seams in one place: the clock, randomness, and the names the bindings have in `wrangler.toml`. The
//! pure modules are handed `now` and fresh ids, so every rule is tested natively; the shells (handlers, the Durable
//! Object, the queue consumer) call these. The one exception is randomness that only has to be unpredictable — a
//! salt, a sealing nonce —, which a pure module draws here itself: no rule depends on its value, and a nonce drawn
//! where it is used can never be handed to two seals.

use crate::hex::hex;

/// The bindings in `wrangler.toml`, by the names the Worker looks them up with.
pub mod binding {
    /// One SQLite-backed Durable Object per account.
    pub const ACCOUNTS: &str = "ACCOUNTS";
    /// One SQLite-backed Durable Object, `campaigns`: bulk mail, walked and paced.
    pub const CAMPAIGNS: &str = "CAMPAIGNS";
    /// Workers KV: token records, the contact-email index, settings, dead letters, the dev mailbox.
    pub const KV: &str = "LATCHKEY_KV";
    pub const MAIL_QUEUE: &str = "MAIL_QUEUE";
    /// A batch of invitations' chunks, paced (`handlers::invitation_batch`).
    pub const INVITATIONS_QUEUE: &str = "INVITATIONS_QUEUE";
    /// `[[ratelimits]]`, per client IP.
    pub const IP_LIMITER: &str = "IP_LIMITER";
    /// `[[send_email]]`, when `MAIL_PROVIDER = "cloudflare"`.
    pub const EMAIL: &str = "EMAIL";
}

/// The platform's random number generator failed (it never should).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the platform random number generator failed")]
pub struct RandomError;

impl From<RandomError> for worker::Error {
    fn from(err: RandomError) -> Self {
        worker::Error::RustError(err.to_string())
    }
}

/// Unix seconds, from the Worker's clock (workerd moves it only between I/O, which is all the precision needed).
pub fn now_secs() -> u64 {
    now_millis() / 1000
}

pub fn now_millis() -> u64 {
    worker::Date::now().as_millis()
}

/// Bytes from the platform's CSPRNG (`crypto.getRandomValues` in workerd).
pub fn random_bytes<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| RandomError)?;
    Ok(bytes)
}

/// A random id (128 bits, hex): mail ids (the provider's idempotency key), webhook deliveries.
pub fn new_id() -> Result<String, RandomError> {
    random_bytes::<16>().map(|b| hex(&b))
}
