//! What lives in Workers KV: token records (hash → account, with a TTL), the contact-email index, the account
//! registry, the invitations' list and batches, settings, dead letters, the mail provider's delivery events and the dev mailbox. KV is eventually
//! consistent, so nothing here decides whether a token still works: the account's Durable Object does.

use crate::metrics::{count, Op};
use latchkey_shared::api::{MailEvent, MAIL_EVENTS_SHOWN};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::kv::KvStore;

/// Token records outlive the token by a day, so an expired link says "expired", not "invalid".
pub const TOKEN_RECORD_GRACE_SECS: u64 = 86_400;

/// The longest key Cloudflare's KV takes: a longer one is refused there (the local KV may not refuse it). Every key
/// is made here from bounded parts — ids from outside are bounded before they are looked up (`oauth2_client`,
/// `dead_letters`), emails by `Email::parse` — and a key that would still be longer is never sent: a lookup finds
/// nothing, a write fails as KV would, so bad input can never become a 5xx from KV.
pub const MAX_KEY_BYTES: usize = 512;

/// `key`, if KV would take it.
fn fits(key: &str) -> Option<&str> {
    (key.len() <= MAX_KEY_BYTES).then_some(key)
}

fn too_long(key: &str) -> worker::Error {
    worker::Error::RustError(format!("a KV key of {} bytes (at most {MAX_KEY_BYTES})", key.len()))
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenRecord {
    pub account_id: String,
}

pub fn token_key(hash: &crate::token::TokenHash) -> String {
    format!("token:{}", hash.0)
}

/// The account a passkey belongs to, by a digest of its credential id (ids run to 1,023 bytes; keys stay short).
pub fn passkey_key(credential_id: &str) -> String {
    use sha2::Digest;
    format!("passkey:{}", crate::hex::hex(&sha2::Sha256::digest(credential_id.as_bytes())))
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
pub async fn put_registry_entry(kv: &KvStore, account_id: &str, entry: &impl Serialize) -> worker::Result<()> {
    put_metadata(kv, &registry_key(account_id), entry).await
}

/// An empty value with `metadata`: a listing reads every key's at once.
async fn put_metadata(kv: &KvStore, key: &str, metadata: &impl Serialize) -> worker::Result<()> {
    let key = fits(key).ok_or_else(|| too_long(key))?;
    count(Op::KvWrite);
    let put = kv.put(key, "")?.metadata(metadata)?;
    put.execute().await.map_err(worker::Error::from)
}

const INVITATION_PREFIX: &str = "invitation:";

/// The office's list of invitations: one key per invited account, its `InvitationView` in the metadata.
pub fn invitation_key(account_id: &str) -> String {
    format!("{INVITATION_PREFIX}{account_id}")
}

pub async fn put_invitation(kv: &KvStore, account_id: &str, view: &impl Serialize) -> worker::Result<()> {
    put_metadata(kv, &invitation_key(account_id), view).await
}

/// One page of invitations from `cursor`, at most `limit` (an entry that does not read is left out); the cursor of the
/// next page, none after the last.
pub async fn invitations_page<View: DeserializeOwned>(
    kv: &KvStore,
    cursor: Option<String>,
    limit: u64,
) -> worker::Result<(Vec<View>, Option<String>)> {
    let (entries, next) = metadata_page(kv, INVITATION_PREFIX, cursor, limit).await?;
    Ok((entries.into_iter().map(|(_, view)| view).collect(), next))
}

/// A batch of invitations (`invitations::batch`): what it held, and a key per chunk the queue's consumer processed,
/// kept 30 days.
pub fn batch_key(batch: &str) -> String {
    format!("invitebatch:{batch}")
}

pub fn batch_chunk_key(batch: &str, chunk: u32) -> String {
    format!("invitebatch:{batch}:{chunk:05}")
}

pub const BATCH_TTL_SECS: u64 = 30 * 86_400;

/// Every chunk report of `batch` written so far (a batch has at most 200).
pub async fn batch_chunks<Report: DeserializeOwned>(kv: &KvStore, batch: &str) -> worker::Result<Vec<Report>> {
    list_json(kv, &format!("{}:", batch_key(batch))).await
}

/// Every account's registry entry, a page of 1,000 keys at a time.
pub async fn registry<Entry: DeserializeOwned>(kv: &KvStore) -> worker::Result<Vec<Entry>> {
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

/// One page of the registry's account ids (the Durable Objects' names), from `cursor`, at most `limit`; the cursor of
/// the next page, none after the last.
pub async fn registry_page(
    kv: &KvStore,
    cursor: Option<String>,
    limit: u64,
) -> worker::Result<(Vec<String>, Option<String>)> {
    count(Op::KvRead);
    let mut list = kv.list().prefix(REGISTRY_PREFIX.to_owned()).limit(limit);
    if let Some(cursor) = cursor {
        list = list.cursor(cursor);
    }
    let page = list.execute().await.map_err(worker::Error::from)?;
    let ids = page.keys.into_iter().filter_map(|key| key.name.strip_prefix(REGISTRY_PREFIX).map(str::to_owned));
    Ok((ids.collect(), page.cursor.filter(|_| !page.list_complete)))
}

/// One page of the registry from `cursor`, at most `limit` entries with their account ids (an entry that does not
/// read is left out); the cursor of the next page, none after the last.
pub async fn registry_entries_page<Entry: DeserializeOwned>(
    kv: &KvStore,
    cursor: Option<String>,
    limit: u64,
) -> worker::Result<(Vec<(String, Entry)>, Option<String>)> {
    metadata_page(kv, REGISTRY_PREFIX, cursor, limit).await
}

/// One page of the keys under `prefix` with their metadata (the key without the prefix beside it).
async fn metadata_page<Entry: DeserializeOwned>(
    kv: &KvStore,
    prefix: &str,
    cursor: Option<String>,
    limit: u64,
) -> worker::Result<(Vec<(String, Entry)>, Option<String>)> {
    count(Op::KvRead);
    let mut list = kv.list().prefix(prefix.to_owned()).limit(limit);
    if let Some(cursor) = cursor {
        list = list.cursor(cursor);
    }
    let page = list.execute().await.map_err(worker::Error::from)?;
    let entries = page.keys.into_iter().filter_map(|key| {
        let id = key.name.strip_prefix(prefix)?.to_owned();
        Some((id, serde_json::from_value(key.metadata?).ok()?))
    });
    Ok((entries.collect(), page.cursor.filter(|_| !page.list_complete)))
}

pub async fn delete(kv: &KvStore, key: &str) -> worker::Result<()> {
    // Nothing is ever stored under a key KV would refuse.
    let Some(key) = fits(key) else { return Ok(()) };
    count(Op::KvWrite);
    kv.delete(key).await.map_err(worker::Error::from)
}

pub fn dead_letter_key(id: &str) -> String {
    format!("deadletter:{id}")
}

/// What a login email change's confirmation link stands for (the account it changes), until it expires.
pub fn login_email_link_key(hash: &crate::token::TokenHash) -> String {
    format!("login-email:{}", hash.0)
}

/// What a login email change's cancellation link stands for.
pub fn login_email_cancel_key(hash: &crate::token::TokenHash) -> String {
    format!("login-email-cancel:{}", hash.0)
}

/// An account moved from the Durable Object `from` to `to` (a new login email): its links' records are spent, its
/// old registry and invitation entries go (the new object writes its own), and its contact email points at the new name.
pub async fn account_moved(
    kv: &KvStore,
    from: &str,
    to: &str,
    contact: Option<&str>,
    links: &[String],
) -> worker::Result<()> {
    for key in links {
        delete(kv, key).await?;
    }
    delete(kv, &registry_key(from)).await?;
    delete(kv, &invitation_key(from)).await?;
    if let Some(contact) = contact {
        let key = contact_key(contact);
        let mut ids: Vec<String> = get_json(kv, &key).await?.unwrap_or_default();
        ids.retain(|id| id != from && id != to);
        ids.push(to.to_owned());
        put_json(kv, &key, &ids, None).await?;
    }
    Ok(())
}

pub async fn put_json<T: Serialize>(kv: &KvStore, key: &str, value: &T, ttl_secs: Option<u64>) -> worker::Result<()> {
    let key = fits(key).ok_or_else(|| too_long(key))?;
    count(Op::KvWrite);
    let mut put = kv.put(key, serde_json::to_string(value)?)?;
    if let Some(ttl) = ttl_secs {
        put = put.expiration_ttl(ttl);
    }
    put.execute().await.map_err(worker::Error::from)
}

pub async fn get_json<T: for<'de> Deserialize<'de>>(kv: &KvStore, key: &str) -> worker::Result<Option<T>> {
    let Some(key) = fits(key) else { return Ok(None) };
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

/// Keeps a dead letter (`mail::job::StoredDeadLetter`) 30 days for ops.
pub async fn record_dead_letter(kv: &KvStore, id: &str, letter: &impl Serialize) -> worker::Result<()> {
    put_json(kv, &dead_letter_key(id), letter, Some(30 * 86_400)).await
}

const CLIENT_PREFIX: &str = "oauth2:client:";
/// Client ids are ours (`new_id`: 32 hex digits); anything longer names no client.
pub const MAX_CLIENT_ID_CHARS: usize = 64;

/// A registered app. Read with KV's default cache (60 s), which bounds how long an update takes to reach every location.
pub async fn oauth2_client(kv: &KvStore, client_id: &str) -> worker::Result<Option<crate::oidc::clients::Client>> {
    if client_id.is_empty() || client_id.len() > MAX_CLIENT_ID_CHARS {
        return Ok(None);
    }
    get_json(kv, &format!("{CLIENT_PREFIX}{client_id}")).await
}

pub async fn put_oauth2_client(kv: &KvStore, client: &crate::oidc::clients::Client) -> worker::Result<()> {
    put_json(kv, &format!("{CLIENT_PREFIX}{}", client.id()), client, None).await
}

pub async fn delete_oauth2_client(kv: &KvStore, client_id: &str) -> worker::Result<()> {
    delete(kv, &format!("{CLIENT_PREFIX}{client_id}")).await
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

/// One event's key: the provider's id for it is hashed, so its length is bounded whatever the provider sends.
fn mail_event_key(address: &str, at: u64, event_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let id = crate::hex::hex(&Sha256::digest(event_id.as_bytes())[..8]);
    format!("{}{:010}:{id}", mail_events_of(address), 9_999_999_999_u64.saturating_sub(at))
}

/// Records what the provider reported about mail to an address (normalised), in the key's metadata. One key per
/// event, named by the provider's id for it, so a retried or replayed delivery of the same event is kept once; the
/// key counts the time down from 2286, so a listing comes newest first.
/// Keeps a provider's event; whether it is new (a retried or replayed delivery of the same event is kept once).
pub async fn record_mail_event(kv: &KvStore, event: &MailEvent, event_id: &str) -> worker::Result<bool> {
    let key = mail_event_key(&event.address, event.at, event_id);
    let key = fits(&key).ok_or_else(|| too_long(&key))?;
    count(Op::KvRead);
    let new = kv.get(key).text().await.map_err(worker::Error::from)?.is_none();
    count(Op::KvWrite);
    let put = kv.put(key, "")?.metadata(event)?.expiration_ttl(MAIL_EVENT_TTL_SECS);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::email::{account_id, Email, MAX_EMAIL_LEN};
    use crate::token::TokenHash;

    /// The longest address `Email::parse` takes: a 64-character local part and a domain filling the rest.
    fn longest_email() -> Email {
        let local = "a".repeat(64);
        let labels = ["b".repeat(63), "c".repeat(63), "d".repeat(63)].join(".");
        let domain = &labels[..MAX_EMAIL_LEN - local.len() - 1];
        let domain = domain.trim_end_matches('.');
        Email::parse(&format!("{local}@{domain}")).expect("the longest address is an address")
    }

    #[test]
    fn every_key_made_from_bounded_parts_fits_in_kv() {
        let email = longest_email();
        let hash = TokenHash("f".repeat(64));
        let id = account_id(latchkey_shared::Audience::Parent, &email);
        let keys = [
            token_key(&hash),
            contact_key(email.as_str()),
            registry_key(&id),
            dead_letter_key(&"x".repeat(200)),
            login_email_link_key(&hash),
            login_email_cancel_key(&hash),
            format!("{CLIENT_PREFIX}{}", "c".repeat(MAX_CLIENT_ID_CHARS)),
            mail_event_key(email.as_str(), 0, &"e".repeat(10_000)),
        ];
        for key in keys {
            assert!(fits(&key).is_some(), "{} bytes: {key}", key.len());
        }
    }

    #[test]
    fn a_key_kv_would_refuse_is_never_sent() {
        let long = format!("{CLIENT_PREFIX}{}", "c".repeat(MAX_KEY_BYTES));
        assert_eq!(fits(&long), None);
        assert!(too_long(&long).to_string().contains("at most 512"));
    }
}
