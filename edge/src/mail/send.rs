//! Sending a rendered mail. `Mailer` is the one seam: a provider over `fetch` (Resend, Postmark), Cloudflare's
//! `send_email` binding, or the dev mailbox. The queue consumer picks one from the configuration.

use super::config::MailConfig;
use super::job::MailJob;
use super::provider::{self, ProviderKind, Verdict};
use super::template::{self, Rendered};
use crate::fetch;
use crate::platform::binding;
use crate::store;
use latchkey_shared::api::MailboxMessage;
use worker::Env;

#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("transient failure: {0}")]
    Transient(String),
    #[error("refused: {0}")]
    Permanent(String),
    /// The provider asked to slow down (`429`), for `.1` seconds where it said.
    #[error("throttled: {0}")]
    Throttled(String, Option<u32>),
}

/// Sends one mail. `key` is unique per mail, so a retried send is delivered once where the provider supports it.
#[allow(async_fn_in_trait)] // Workers run on one thread: no `Send` bound wanted.
pub trait Mailer {
    async fn send(&self, mail: &Rendered, key: &str) -> Result<(), SendError>;
}

/// Resend or Postmark, over the Worker's `fetch`.
pub struct HttpApiMailer<'a> {
    config: &'a MailConfig,
    from: &'a str,
}

impl Mailer for HttpApiMailer<'_> {
    async fn send(&self, mail: &Rendered, key: &str) -> Result<(), SendError> {
        let c = self.config;
        let request = provider::request(c.provider, &c.base_url, c.api_key.expose_str(), self.from, mail, key)
            .ok_or_else(|| SendError::Permanent("this provider has no HTTP API".into()))?;
        let answer = fetch::post_answer(&request).await.map_err(|e| SendError::Transient(e.to_string()))?;
        let status = answer.status;
        if status == 429 {
            let retry_after = super::batch::retry_after(answer.retry_after.as_deref());
            return Err(SendError::Throttled(format!("HTTP {status}"), retry_after));
        }
        match provider::verdict(status) {
            Verdict::Delivered => Ok(()),
            Verdict::Transient => Err(SendError::Transient(format!("HTTP {status}"))),
            Verdict::Permanent => Err(SendError::Permanent(format!("HTTP {status}"))),
        }
    }
}

/// Cloudflare's `send_email` binding (`[[send_email]] name = "EMAIL"`).
pub struct SendEmailMailer<'a> {
    env: &'a Env,
    from: &'a str,
}

impl Mailer for SendEmailMailer<'_> {
    async fn send(&self, mail: &Rendered, _key: &str) -> Result<(), SendError> {
        use worker::SendEmailBuilder;
        let binding =
            self.env.send_email(binding::EMAIL).map_err(|e| SendError::Permanent(format!("no EMAIL binding: {e}")))?;
        let builder =
            SendEmailBuilder::new(self.from, mail.to.first().map(String::as_str).unwrap_or_default(), &mail.subject);
        builder.set_to_with_slice(&mail.to);
        builder.set_text(&mail.text);
        builder.set_html(&mail.html);
        binding.send_with_builder(&builder).await.map(|_| ()).map_err(|e| SendError::Transient(format!("{e:?}")))
    }
}

/// The dev mailbox: messages kept a day in KV and listed at /dev/mailbox. Configuration refuses it in production.
pub struct DevMailbox<'a>(&'a Env);

impl Mailer for DevMailbox<'_> {
    async fn send(&self, mail: &Rendered, key: &str) -> Result<(), SendError> {
        let kv = self.0.kv(binding::KV).map_err(|e| SendError::Permanent(e.to_string()))?;
        let sent_at = crate::platform::now_secs();
        let message = MailboxMessage {
            id: key.to_owned(),
            to: mail.to.clone(),
            subject: mail.subject.clone(),
            text: mail.text.clone(),
            html: mail.html.clone(),
            sent_at,
        };
        // Keyed by time first so the listing comes out in order; the id makes a retried send overwrite, not duplicate.
        let kv_key = format!("mailbox:{sent_at:012}:{key}");
        store::put_json(&kv, &kv_key, &message, Some(86_400)).await.map_err(|e| SendError::Transient(e.to_string()))
    }
}

/// Renders a job and sends it with the configured mailer. Why it failed goes into the audit trail and the account's
/// mail record: the provider's words are kept, the recipient's address is not (`provider::without_addresses`).
pub async fn deliver(
    env: &Env,
    config: &MailConfig,
    writer: &template::Writer<'_>,
    job: &MailJob,
) -> Result<(), SendError> {
    let mail = template::render(job, writer).map_err(|unopened| SendError::Permanent(unopened.to_string()))?;
    // The school's name as the sender's, with MAIL_FROM's address.
    let from = writer.site.sender(&config.from);
    let sent = match config.provider {
        ProviderKind::Resend | ProviderKind::Postmark => {
            HttpApiMailer { config, from: &from }.send(&mail, job.id()).await
        }
        ProviderKind::CloudflareSendEmail => SendEmailMailer { env, from: &from }.send(&mail, job.id()).await,
        ProviderKind::DevMailbox => DevMailbox(env).send(&mail, job.id()).await,
    };
    sent.map_err(|err| match err {
        SendError::Transient(reason) => SendError::Transient(provider::without_addresses(&reason)),
        SendError::Permanent(reason) => SendError::Permanent(provider::without_addresses(&reason)),
        SendError::Throttled(reason, after) => SendError::Throttled(provider::without_addresses(&reason), after),
    })
}
