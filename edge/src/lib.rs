//! The latchkey Worker: a thin shell that reads the request, asks the pure modules what to do, and does the I/O.
//! Static pages come from the `[assets]` binding; only `/api/*` and `/dev/*` reach this code. Public only for the
//! fuzz targets (`fuzz/`) and the passkey benchmark: request bodies, email addresses, tokens and passkeys' data, the
//! parsers that meet input first.

mod account;
#[cfg(test)]
mod architecture;
mod audit;
pub mod body;
mod breach;
mod campaign;
mod config;
pub mod email;
mod failure;
mod fetch;
mod handlers;
mod hex;
mod host;
mod identity_checks;
mod invitation_settings;
mod invitations;
mod ip_limit;
mod mail;
mod metrics;
mod oidc;
mod otp;
mod outbound;
mod password;
mod platform;
mod respond;
mod routes;
mod seal;
mod session_cookie;
mod site;
mod store;
pub mod token;
mod turnstile;
pub mod webauthn;
mod webhook;

pub use account::object::Account;
pub use campaign::object::Campaigns;

use audit::Event;
use config::Config;
use handlers::Call;
use latchkey_shared::api::DeadLetter;
use latchkey_shared::{ApiError, ErrorCode};
use mail::job::MailJob;
use mail::send::SendError;
use worker::{event, Context, Env, MessageBatch, MessageExt, QueueRetryOptionsBuilder, Request, Response, Result};

/// The OpenAPI 3.1 document of this API, served at `/api/openapi.json`.
pub(crate) const OPENAPI: &str = include_str!("../openapi.json");

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    respond::harden(answer(req, env, ctx).await?)
}

async fn answer(req: Request, env: Env, ctx: Context) -> Result<Response> {
    let locale = respond::locale_of(&req);
    // The method as sent: workers-rs maps a method it does not know (such as QUERY) to GET.
    let endpoint = match routes::route(handlers::routes::TABLE, &req.inner().method(), &req.path()) {
        Ok(endpoint) => endpoint,
        Err(code) => {
            let mut response = respond::error(&ApiError::new(code, locale))?;
            if let Some(allow) = routes::allow_header(handlers::routes::TABLE, &req.path())
                .filter(|_| code == ErrorCode::MethodNotAllowed)
            {
                response.headers_mut().set("Allow", &allow)?;
            }
            return Ok(response);
        }
    };
    let config = match Config::from_env(&env) {
        Ok(config) => config,
        Err(err) => {
            // Names a variable and a field, never a secret's value; the caller learns which only on this machine.
            audit::record(&Event::ConfigInvalid { error: err.to_string() });
            let host = req.url().ok().and_then(|url| url.host_str().map(host::is_loopback_host));
            return respond::error(&config::config_invalid(&err, locale, host.unwrap_or(false)));
        }
    };
    let mut call = Call { req, env: &env, config, locale, session: None, staff: None };
    let limited = ip_limit::group(endpoint).filter(|_| call.config.ip_rate_limit);
    // A console request is charged to its staff member once the guard has found who it is; everything else, and a
    // console request the guard refuses, to its client address.
    let console = limited == Some(ip_limit::ADMIN) && call.header("Authorization").is_none();
    let rate_limited = || -> Result<Response> {
        let mut response = respond::error(&ApiError::new(ErrorCode::RateLimited, locale))?;
        response.headers_mut().set("Retry-After", "60")?;
        Ok(response)
    };
    if let Some(group) = limited.filter(|_| !console) {
        if !ip_limit::allows(&env, call.address_budget(group)).await {
            return rate_limited();
        }
    }
    if let Err(refused) = handlers::guard(&mut call, endpoint.guard).await {
        if let Some(group) = limited.filter(|_| console) {
            if !ip_limit::allows(&env, call.address_budget(group)).await {
                return rate_limited();
            }
        }
        return respond::error(&refused.in_locale(locale));
    }
    if let Some(budget) = limited.filter(|_| console).and_then(|group| call.staff_budget(group)) {
        if !ip_limit::allows(&env, budget).await {
            return rate_limited();
        }
    }
    let outcome = (endpoint.handler)(call, &ctx).await;
    match outcome {
        Ok(response) => Ok(response),
        Err(error) => respond::error(&error.in_locale(locale)),
    }
}

/// The mail queue and its dead-letter queue (told apart by name), and the invitations' batches' queue. Each message is read on its own: one that does not
/// read (written by a version that no longer exists, or damaged) is logged and acknowledged, and the rest of the
/// batch goes on.
#[event(queue)]
async fn queue(batch: MessageBatch<MailJob>, env: Env, _ctx: Context) -> Result<()> {
    let config = Config::from_env(&env)?;
    if batch.queue().ends_with("-invitations") {
        handlers::invitation_batch::consume(batch.raw_iter().collect(), &env, &config).await;
        return Ok(());
    }
    let dead_letter_queue = batch.queue().ends_with("-dead");
    let kv = env.kv(platform::binding::KV)?;
    let writer =
        mail::template::Writer { app_origin: &config.app_origin, keys: &config.sealing_keys, site: &config.site };
    for message in batch.raw_iter() {
        let job: MailJob = match serde_wasm_bindgen::from_value(message.body()) {
            Ok(job) => job,
            Err(err) => {
                audit::record(&Event::InternalError { context: "queue_message_unreadable", error: err.to_string() });
                message.ack();
                continue;
            }
        };
        let job = &job;
        if dead_letter_queue {
            record_dead_letter(&kv, &config, job, "retries_exhausted").await?;
            settle(&env, job, Some("retries_exhausted")).await;
            message.ack();
            continue;
        }
        match mail::send::deliver(&env, &config.mail, &writer, job).await {
            Ok(()) => {
                audit::record(&Event::MailSent {
                    kind: job.kind(),
                    mail: job.id(),
                    account: &job.account(&config.sealing_keys),
                });
                settle(&env, job, None).await;
                message.ack();
            }
            Err(SendError::Transient(reason)) => retry(&env, &config, job, &message, reason, None).await,
            Err(SendError::Throttled(reason, after)) => {
                if !defer(&env, job, &message, &reason, after).await {
                    retry(&env, &config, job, &message, reason, after).await;
                }
            }
            Err(SendError::Permanent(reason)) => {
                let account = job.account(&config.sealing_keys);
                audit::record(&Event::MailRefused {
                    kind: job.kind(),
                    mail: job.id(),
                    account: &account,
                    reason: &reason,
                });
                record_dead_letter(&kv, &config, job, "refused").await?;
                settle(&env, job, Some("refused")).await;
                message.ack();
            }
        }
    }
    Ok(())
}

/// The queue message's count of times its mail was deferred (0 for one never deferred, or written before there were
/// deferrals): a field beside the job's own, which a reader of the job ignores.
const DEFERRED_FIELD: &str = "deferred";

/// A mail the provider throttled goes back on the queue as a new message, after as long as the provider asked: the
/// queue's retries (which end in a dead letter) are kept for failures. Whether it was put back (not once it has been
/// deferred `MAX_DEFERRALS` times, or if the queue did not take it).
async fn defer(env: &Env, job: &MailJob, message: &worker::RawMessage, reason: &str, retry_after: Option<u32>) -> bool {
    let body = message.body();
    let deferred = js_sys::Reflect::get(&body, &DEFERRED_FIELD.into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    let deferred = deferred.clamp(0.0, f64::from(u32::MAX)) as u32;
    let Some(delay) = mail::provider::deferral_delay(deferred, retry_after) else { return false };
    let again = match serde::Serialize::serialize(job, &serde_wasm_bindgen::Serializer::json_compatible()) {
        Ok(again) => again,
        Err(err) => {
            audit::record(&Event::InternalError { context: "mail_deferral", error: err.to_string() });
            return false;
        }
    };
    if js_sys::Reflect::set(&again, &DEFERRED_FIELD.into(), &f64::from(deferred + 1).into()).is_err() {
        return false;
    }
    let sent = match env.queue(platform::binding::MAIL_QUEUE) {
        Ok(queue) => {
            metrics::count(metrics::Op::QueueSend);
            let deferral = worker::RawMessageBuilder::new(again)
                .delay_seconds(delay)
                .build_with_content_type(worker::QueueContentType::Json);
            queue.send_raw(deferral).await
        }
        Err(err) => Err(err),
    };
    match sent {
        Ok(()) => {
            audit::record(&Event::MailDeferred {
                kind: job.kind(),
                mail: job.id(),
                delay_secs: delay,
                deferred: deferred + 1,
            });
            // The office sees it waiting, as a retry: the provider's words say why.
            tell_retrying(env, job, reason.to_owned()).await;
            message.ack();
            true
        }
        Err(err) => {
            failure::Internal::Queue(err).log();
            false
        }
    }
}

/// Puts a mail back on the queue after a transient failure: after its backoff, or as long as the provider asked
/// (`Retry-After`) if that is longer.
async fn retry(
    env: &Env,
    config: &Config,
    job: &MailJob,
    message: &worker::RawMessage,
    reason: String,
    retry_after: Option<u32>,
) {
    let waited = (platform::now_millis().saturating_sub(message.timestamp().as_millis())) / 1000;
    let delay = mail::provider::retry_delay(waited, config.mail.retry_base_secs).max(retry_after.unwrap_or(0));
    let account = job.account(&config.sealing_keys);
    audit::record(&Event::MailRetry {
        kind: job.kind(),
        mail: job.id(),
        account: &account,
        reason: &reason,
        delay_secs: delay,
    });
    tell_retrying(env, job, reason).await;
    message.retry_with_options(&QueueRetryOptionsBuilder::new().with_delay_seconds(delay).build());
}

/// Tells each account the mail is about that it is being tried again, and why.
async fn tell_retrying(env: &Env, job: &MailJob, reason: String) {
    tell_account(env, job, account::commands::delivery::MailRetrying { id: job.id().to_owned(), reason }).await;
}

/// Tells the account's Durable Object that a mail is done with: sent, or dead-lettered for `dead_lettered`. If the word
/// does not get through, a notice is queued again later under the same id, and the provider's idempotency key stops
/// a second delivery.
async fn settle(env: &Env, job: &MailJob, dead_lettered: Option<&str>) {
    let dead_lettered = dead_lettered.map(str::to_owned);
    tell_account(env, job, account::commands::delivery::MailSettled { id: job.id().to_owned(), dead_lettered }).await;
}

/// Tells each account the mail is about what became of it (what the school office sees of its latest mails).
async fn tell_account<C: account::protocol::Ask + Clone>(env: &Env, job: &MailJob, word: C) {
    for account in job.reporting_accounts() {
        if let Err(err) = account::ask::ask_account(env, &account, word.clone()).await {
            failure::Internal::DurableObject(err).log();
        }
    }
}

async fn record_dead_letter(kv: &worker::kv::KvStore, config: &Config, job: &MailJob, reason: &str) -> Result<()> {
    // A notice is kept to be sent again as it was; a link's mail is not (its token is never kept).
    let notice = job.again(job.id().to_owned());
    let letter = DeadLetter {
        id: job.id().to_owned(),
        kind: job.kind().to_owned(),
        to: job.to.clone(),
        reason: reason.to_owned(),
        recorded_at: platform::now_secs(),
        account: Some(job.account_ref()),
        resendable: notice.is_some() || job.kind() == mail::job::RESET_KIND,
    };
    audit::record(&Event::MailDeadLettered {
        kind: &letter.kind,
        mail: &letter.id,
        account: &job.account(&config.sealing_keys),
        reason,
    });
    store::record_dead_letter(kv, &letter.id.clone(), &mail::job::StoredDeadLetter { letter, notice }).await
}
