//! A batch of invitations (`invitations::batch`): the request reads and checks every line and answers at once with
//! those refused; the rest travel in chunks on the invitations queue, each held back by the configured pace, and the
//! queue's consumer invites a chunk's people as a single invitation is sent (their mail held back within the chunk
//! too), then records what became of each line for the batch's report. No request or invocation walks more than one
//! chunk's accounts.

use super::invitations::{send, Sending};
use super::{Call, HandlerResult};
use crate::audit::{self, Event};
use crate::config::Config;
use crate::email::Email;
use crate::failure::Internal;
use crate::invitations::batch::{self, Chunk, Format, MAX_BATCH_BODY};
use crate::platform::{binding, new_id, now_secs};
use crate::store;
use latchkey_shared::api::{BatchAccepted, BatchReport, ImportFailure};
use latchkey_shared::ErrorCode;
use serde::{Deserialize, Serialize};
use worker::{Env, MessageBuilder, MessageExt, RawMessage};

/// What a batch held, as KV keeps it for its report.
#[derive(Debug, Serialize, Deserialize)]
struct Started {
    lines: u32,
    queued: u32,
    chunks: u32,
    refused: Vec<ImportFailure>,
    started_at: u64,
    started_by: String,
}

/// What became of one chunk's lines.
#[derive(Debug, Serialize, Deserialize)]
struct ChunkDone {
    processed: u32,
    invited: u32,
    refused: Vec<ImportFailure>,
}

/// Messages a queue's `sendBatch` is given at once (it takes 100 and 256 KB: ten chunks stay well within).
const SEND_AT_ONCE: usize = 10;

/// `POST /api/admin/invitations/batch`: CSV (`text/csv`, with a header) or JSON lines, up to 10,000 people.
pub async fn start(mut call: Call<'_>) -> HandlerResult {
    let format = Format::of(&call.header("Content-Type").unwrap_or_default());
    let bytes = call.body(&Format::CONTENT_TYPES, MAX_BATCH_BODY).await?;
    let text = String::from_utf8(bytes)
        .map_err(|_| call.error(ErrorCode::MalformedJson).with_detail("the body is not UTF-8"))?;
    let read = batch::read(&text, format).map_err(|e| call.error(e.code()).with_detail(e.to_string()))?;
    let (id, by, now) = (new_id()?, call.staff_member()?, now_secs());
    let per_sec = call.config.invitations.mails_per_sec;
    let queued = read.taken.len() as u32;
    let chunks = batch::chunks(&id, &by, read.taken, per_sec);
    let last = chunks.last().map_or(0, |(chunk, delay)| *delay + batch::mail_delay(chunk.lines.len(), per_sec));
    let started = Started {
        lines: read.lines,
        queued,
        chunks: chunks.len() as u32,
        refused: read.refused.clone(),
        started_at: now,
        started_by: by.actor.display_name().to_owned(),
    };
    let kv = call.kv()?;
    store::put_json(&kv, &store::batch_key(&id), &started, Some(store::BATCH_TTL_SECS)).await.map_err(Internal::Kv)?;
    let queue = call.env.queue(binding::INVITATIONS_QUEUE).map_err(Internal::Queue)?;
    for group in chunks.chunks(SEND_AT_ONCE) {
        let messages: Vec<_> = group
            .iter()
            .map(|(chunk, delay)| MessageBuilder::new(chunk.clone()).delay_seconds(*delay).build())
            .collect();
        crate::metrics::count(crate::metrics::Op::QueueSend);
        queue.send_batch(messages).await.map_err(Internal::Queue)?;
    }
    audit::record(&Event::InvitationBatchStarted { batch: &id, queued, refused: read.refused.len() as u32 });
    let accepted = BatchAccepted {
        batch: id,
        lines: read.lines,
        queued,
        refused: read.refused,
        paced_until: now + u64::from(last),
    };
    call.reply(202, &accepted)
}

/// `GET /api/admin/invitations/batch?id=…`: how far a batch has come.
pub async fn report(call: Call<'_>) -> HandlerResult {
    let url = call.req.url().map_err(Internal::Request)?;
    let id = url.query_pairs().find(|(k, _)| k == "id").map(|(_, v)| v.into_owned()).unwrap_or_default();
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(call.error(ErrorCode::NotFound));
    }
    let kv = call.kv()?;
    let started: Started = store::get_json(&kv, &store::batch_key(&id))
        .await
        .map_err(Internal::Kv)?
        .ok_or_else(|| call.error(ErrorCode::NotFound))?;
    let done: Vec<ChunkDone> = store::batch_chunks(&kv, &id).await.map_err(Internal::Kv)?;
    let mut refused = started.refused;
    refused.extend(done.iter().flat_map(|chunk| chunk.refused.iter().cloned()));
    refused.sort_by_key(|failure| failure.line);
    let report = BatchReport {
        batch: id,
        lines: started.lines,
        queued: started.queued,
        processed: done.iter().map(|c| c.processed).sum(),
        invited: done.iter().map(|c| c.invited).sum(),
        refused,
        done: done.len() as u32 >= started.chunks,
        started_at: started.started_at,
        started_by: started.started_by,
    };
    call.reply(200, &report)
}

/// The invitations queue's consumer: each chunk's people invited, one by one, then its report written. A chunk that
/// meets a failure (a Durable Object or KV not answering) is tried again by the queue; lines already sent answer as
/// already sent (their mail's id is the batch's and the line's), so nobody is mailed twice.
pub async fn consume(messages: Vec<RawMessage>, env: &Env, config: &Config) {
    for message in messages {
        let chunk: Chunk = match serde_wasm_bindgen::from_value(message.body()) {
            Ok(chunk) => chunk,
            Err(err) => {
                audit::record(&Event::InternalError { context: "invitation_chunk_unreadable", error: err.to_string() });
                message.ack();
                continue;
            }
        };
        match invite_chunk(env, config, chunk).await {
            Ok(()) => message.ack(),
            Err(err) => {
                err.log();
                message.retry();
            }
        }
    }
}

async fn invite_chunk(env: &Env, config: &Config, chunk: Chunk) -> Result<(), Internal> {
    let per_sec = config.invitations.mails_per_sec;
    let mut done = ChunkDone { processed: chunk.lines.len() as u32, invited: 0, refused: Vec::new() };
    for (index, taken) in chunk.lines.into_iter().enumerate() {
        let refuse = |code, detail| ImportFailure { line: taken.line, code, detail };
        let Ok(login) = Email::parse(&taken.profile.login_email) else {
            done.refused.push(refuse(ErrorCode::InvalidEmail, None));
            continue;
        };
        let account_id =
            super::account_id_for(env, taken.profile.audience, &login).await.map_err(Internal::DurableObject)?;
        let contact = taken.profile.contact_email.clone();
        let sending = Sending {
            account_id: account_id.clone(),
            profile: Some(taken.profile),
            by: chunk.by.clone(),
            mail_id: format!("invite-{}-{}", chunk.batch, taken.line),
            delay_secs: batch::mail_delay(index, per_sec),
        };
        match send(env, config, sending).await? {
            Ok(_) => {
                done.invited += 1;
                if let Some(contact) = contact {
                    super::admin::index_contact(env, &contact, &account_id).await?;
                }
            }
            Err(refusal) => done.refused.push(refuse(refusal.code, refusal.detail)),
        }
    }
    let kv = env.kv(binding::KV).map_err(Internal::Kv)?;
    let key = store::batch_chunk_key(&chunk.batch, chunk.number);
    store::put_json(&kv, &key, &done, Some(store::BATCH_TTL_SECS)).await.map_err(Internal::Kv)
}
