//! How mail goes out (`MAIL_*`, read by the Worker's `config`): which provider, where its API is, the sender, and how
//! the provider's delivery events prove themselves.

use super::events::Verifier;
use super::provider::ProviderKind;
use latchkey_shared::Secret;

#[derive(Debug, Clone)]
pub struct MailConfig {
    pub provider: ProviderKind,
    pub base_url: String,
    pub api_key: Secret<String>,
    pub from: String,
    pub retry_base_secs: u32,
    /// Requests a second the provider takes (`MAIL_REQUESTS_PER_SEC`, by default its documented rate: `mail::batch`).
    /// Campaigns pace themselves to all of it but one request a second, which links keep.
    pub requests_per_sec: u32,
    /// Mails per campaign batch request (`MAIL_BATCH_SIZE`, at most the provider's maximum, 100 by default); 1 for a
    /// provider without a batch API.
    pub batch: u32,
    /// How the provider's delivery-event webhook proves itself (`MAIL_EVENTS_SECRET`); `POST /api/mail-events` is
    /// off without it.
    pub events: Option<Verifier>,
}
