//! Sending a rendered mail through the configured provider. The only mail I/O in the Worker.

use super::job::MailJob;
use super::provider::{self, ProviderKind, Verdict};
use super::template::{self, Rendered};
use crate::config::Config;
use crate::store;
use latchkey_shared::api::MailboxMessage;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("transient failure: {0}")]
    Transient(String),
    #[error("refused: {0}")]
    Permanent(String),
}

pub async fn deliver(env: &Env, config: &Config, job: &MailJob) -> Result<(), SendError> {
    let mail = template::render(job, &config.app_origin);
    let mc = &config.mail;
    match mc.provider {
        ProviderKind::Resend | ProviderKind::Postmark => {
            let request = provider::request(mc.provider, &mc.base_url, &mc.api_key, &mc.from, &mail, job.id())
                .ok_or_else(|| SendError::Permanent("provider has no HTTP API".into()))?;
            let status = post(&request).await.map_err(|e| SendError::Transient(e.to_string()))?;
            match provider::verdict(status) {
                Verdict::Delivered => Ok(()),
                Verdict::Transient => Err(SendError::Transient(format!("HTTP {status}"))),
                Verdict::Permanent => Err(SendError::Permanent(format!("HTTP {status}"))),
            }
        }
        ProviderKind::CloudflareSendEmail => send_with_binding(env, &mc.from, &mail).await,
        ProviderKind::DevMailbox => keep_in_mailbox(env, job.id(), mail).await,
    }
}

async fn post(request: &provider::ProviderRequest) -> worker::Result<u16> {
    let headers = Headers::new();
    for (name, value) in &request.headers {
        headers.set(name, value)?;
    }
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_headers(headers).with_body(Some(request.body.clone().into()));
    let response = Fetch::Request(Request::new_with_init(&request.url, &init)?).send().await?;
    Ok(response.status_code())
}

async fn send_with_binding(env: &Env, from: &str, mail: &Rendered) -> Result<(), SendError> {
    use worker::SendEmailBuilder;
    let binding = env.send_email("EMAIL").map_err(|e| SendError::Permanent(format!("no EMAIL binding: {e}")))?;
    let builder = SendEmailBuilder::new(from, mail.to.first().map(String::as_str).unwrap_or_default(), &mail.subject);
    builder.set_to_with_slice(&mail.to);
    builder.set_text(&mail.text);
    builder.set_html(&mail.html);
    binding.send_with_builder(&builder).await.map(|_| ()).map_err(|e| SendError::Transient(format!("{e:?}")))
}

/// The dev mailbox: messages kept a day in KV and listed at /dev/mailbox. Configuration refuses it in production.
async fn keep_in_mailbox(env: &Env, id: &str, mail: Rendered) -> Result<(), SendError> {
    let kv = env.kv(store::KV_BINDING).map_err(|e| SendError::Permanent(e.to_string()))?;
    let sent_at = crate::account::object::now_secs();
    let message = MailboxMessage {
        id: id.to_owned(),
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        sent_at,
    };
    // Keyed by time first so the listing comes out in order; the id makes a retried send overwrite, not duplicate.
    let key = format!("mailbox:{sent_at:012}:{id}");
    store::put_json(&kv, &key, &message, Some(86_400)).await.map_err(|e| SendError::Transient(e.to_string()))
}
