//! What lives in Workers KV: token records (hash → account, with a TTL), the contact-email index, the account
//! registry, settings, dead letters, the mail provider's delivery events and the dev mailbox. KV is eventually
//! consistent, so nothing here decides whether a token still works: the account's Durable Object does.

use crate::account::registry::Entry;
use crate::metrics::{count, Op};
use latchkey_shared::api::{DeadLetter, MailEvent, MAIL_EVENTS_SHOWN};
use serde::{Deserialize, Serialize};
use worker::kv::KvStore;

/// Token records outlive the token by a day, so an expired link says "expired", not "invalid".
pub const TOKEN_RECORD_GRACE_SECS: u64 = 86_400;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenRecord {
    pub account_id: String,
}

pub fn token_key(hash: &crate::token::TokenHash) -> String {
    format!("token:{}", hash.0)
}

pub fn contact_key(email: &str) -> String {
    format!("contact:{email}")
}

/// The admin's 2-Step Verification requirement (`/api/admin/two-step-requirement`).
pub const TWO_STEP_REQUIREMENT_KEY: &str = "settings:two_step_requirement";

/// The admin's required password changes by account type (`/api/admin/password-change-requirement`).
pub const PASSWORD_CHANGE_REQUIREMENT_KEY: &str = "settings:password_change_requirement";

const REGISTRY_PREFIX: &str = "registry:";

pub fn registry_key(account_id: &str) -> String {
    format!("{REGISTRY_PREFIX}{account_id}")
}

/// Writes an account's registry entry (in the key's metadata, so a listing reads every entry at once).
pub async fn put_registry_entry(kv: &KvStore, account_id: &str, entry: &Entry) -> worker::Result<()> {
    count(Op::KvWrite);
    let put = kv.put(&registry_key(account_id), "")?.metadata(entry)?;
    put.execute().await.map_err(worker::Error::from)
}

/// Every account's registry entry, a page of 1,000 keys at a time.
pub async fn registry(kv: &KvStore) -> worker::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    let mut cursor = None;
    loop {
        count(Op::KvRead);
        let mut list = kv.list().prefix(REGISTRY_PREFIX.to_owned()).limit(1000);
        if let Some(cursor) = cursor {
            list = list.cursor(cursor);
        }
        let page = list.execute().await.map_err(worker::Error::from)?;
        entries.extend(page.keys.into_iter().filter_map(|key| serde_json::from_value(key.metadata?).ok()));
        match page.cursor.filter(|_| !page.list_complete) {
            Some(next) => cursor = Some(next),
            None => return Ok(entries),
        }
    }
}

pub async fn delete(kv: &KvStore, key: &str) -> worker::Result<()> {
    count(Op::KvWrite);
    kv.delete(key).await.map_err(worker::Error::from)
}

pub fn dead_letter_key(id: &str) -> String {
    format!("deadletter:{id}")
}

pub async fn put_json<T: Serialize>(kv: &KvStore, key: &str, value: &T, ttl_secs: Option<u64>) -> worker::Result<()> {
    count(Op::KvWrite);
    let mut put = kv.put(key, serde_json::to_string(value)?)?;
    if let Some(ttl) = ttl_secs {
        put = put.expiration_ttl(ttl);
    }
    put.execute().await.map_err(worker::Error::from)
}

pub async fn get_json<T: for<'de> Deserialize<'de>>(kv: &KvStore, key: &str) -> worker::Result<Option<T>> {
    count(Op::KvRead);
    kv.get(key).json::<T>().await.map_err(worker::Error::from)
}

/// Every value under a prefix (at most 1,000: ops listings, not a database).
pub async fn list_json<T: for<'de> Deserialize<'de>>(kv: &KvStore, prefix: &str) -> worker::Result<Vec<T>> {
    count(Op::KvRead);
    let keys = kv.list().prefix(prefix.to_owned()).limit(1000).execute().await.map_err(worker::Error::from)?;
    let mut values = Vec::with_capacity(keys.keys.len());
    for key in keys.keys {
        if let Some(value) = get_json(kv, &key.name).await? {
            values.push(value);
        }
    }
    Ok(values)
}

/// A dead letter as KV keeps it: what the admin API shows, and the notice itself to send again (a mail with a link's
/// token is never kept).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredDeadLetter {
    #[serde(flatten)]
    pub letter: DeadLetter,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<crate::mail::job::MailJob>,
}

pub async fn record_dead_letter(kv: &KvStore, letter: &StoredDeadLetter) -> worker::Result<()> {
    // Kept 30 days for ops.
    put_json(kv, &dead_letter_key(&letter.letter.id), letter, Some(30 * 86_400)).await
}

const CLIENT_PREFIX: &str = "oauth2:client:";

/// A registered app. Read with KV's default cache (60 s), which bounds how long an update takes to reach every location.
pub async fn oauth2_client(kv: &KvStore, client_id: &str) -> worker::Result<Option<crate::oidc::clients::Client>> {
    if client_id.is_empty() || client_id.len() > 64 {
        return Ok(None);
    }
    get_json(kv, &format!("{CLIENT_PREFIX}{client_id}")).await
}

pub async fn put_oauth2_client(kv: &KvStore, client: &crate::oidc::clients::Client) -> worker::Result<()> {
    put_json(kv, &format!("{CLIENT_PREFIX}{}", client.id()), client, None).await
}

pub async fn delete_oauth2_client(kv: &KvStore, client_id: &str) -> worker::Result<()> {
    count(Op::KvWrite);
    kv.delete(&format!("{CLIENT_PREFIX}{client_id}")).await.map_err(worker::Error::from)
}

pub async fn oauth2_clients(kv: &KvStore) -> worker::Result<Vec<crate::oidc::clients::Client>> {
    list_json(kv, CLIENT_PREFIX).await
}

const MAIL_EVENT_PREFIX: &str = "mail-event:";
/// How long a delivery event is kept: long enough for "the mail I asked for last month never came".
pub const MAIL_EVENT_TTL_SECS: u64 = 90 * 86_400;

fn mail_events_of(address: &str) -> String {
    format!("{MAIL_EVENT_PREFIX}{address}:")
}

/// Records what the provider reported about mail to an address (normalised), in the key's metadata. One key per
/// event, named by the provider's id for it, so a retried or replayed delivery of the same event is kept once; the
/// key counts the time down from 2286, so a listing comes newest first.
/// Keeps a provider's event; whether it is new (a retried or replayed delivery of the same event is kept once).
pub async fn record_mail_event(kv: &KvStore, event: &MailEvent, event_id: &str) -> worker::Result<bool> {
    use sha2::{Digest, Sha256};
    let id = crate::hex::hex(&Sha256::digest(event_id.as_bytes())[..8]);
    let key = format!("{}{:010}:{id}", mail_events_of(&event.address), 9_999_999_999_u64.saturating_sub(event.at));
    count(Op::KvRead);
    let new = kv.get(&key).text().await.map_err(worker::Error::from)?.is_none();
    count(Op::KvWrite);
    let put = kv.put(&key, "")?.metadata(event)?.expiration_ttl(MAIL_EVENT_TTL_SECS);
    put.execute().await.map_err(worker::Error::from)?;
    Ok(new)
}

/// The latest delivery events for an address (normalised), newest first.
pub async fn mail_events(kv: &KvStore, address: &str) -> worker::Result<Vec<MailEvent>> {
    count(Op::KvRead);
    let page = kv
        .list()
        .prefix(mail_events_of(address))
        .limit(MAIL_EVENTS_SHOWN as u64)
        .execute()
        .await
        .map_err(worker::Error::from)?;
    Ok(page.keys.into_iter().filter_map(|key| serde_json::from_value(key.metadata?).ok()).collect())
}
