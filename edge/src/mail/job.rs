//! A mail to send, as it travels through the queue.

use crate::audit::{Pseudonym, TwoStepChange};
use latchkey_shared::{Audience, Locale, Secret};
use serde::{Deserialize, Serialize};

/// The reset job carries the raw token: the link has to be in the mail. It exists only in the queue message, never in
/// KV, a Durable Object, a log line or a dead letter (it is a [`Secret`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MailJob {
    Reset {
        id: String,
        to: String,
        display_name: String,
        audience: Audience,
        locale: Locale,
        token: Secret<String>,
        lifetime_secs: u32,
    },
    PasswordChanged {
        id: String,
        to: Vec<String>,
        display_name: String,
        audience: Audience,
        login_email: String,
        locale: Locale,
        changed_at: u64,
    },
    /// 2-Step Verification was turned on or off, or its recovery codes replaced: told to every address on file.
    TwoStepChanged {
        id: String,
        to: Vec<String>,
        display_name: String,
        audience: Audience,
        login_email: String,
        locale: Locale,
        change: TwoStepChange,
        changed_at: u64,
    },
}

impl MailJob {
    /// Unique per mail: the provider's idempotency key, so a retried send is delivered once.
    pub fn id(&self) -> &str {
        match self {
            MailJob::Reset { id, .. } | MailJob::PasswordChanged { id, .. } | MailJob::TwoStepChanged { id, .. } => id,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            MailJob::Reset { .. } => "reset",
            MailJob::PasswordChanged { .. } => "password_changed",
            MailJob::TwoStepChanged { .. } => "two_step_changed",
        }
    }

    /// The account whose Durable Object tracks this mail until it is settled: the notices (a reset mail the queue
    /// loses is asked for again by its reader).
    pub fn tracking_account(&self) -> Option<String> {
        match self {
            MailJob::PasswordChanged { login_email, audience, .. }
            | MailJob::TwoStepChanged { login_email, audience, .. } => {
                Some(crate::email::account_id_of(*audience, login_email))
            }
            MailJob::Reset { .. } => None,
        }
    }

    /// The account the mail is about, as logs name it.
    pub fn account(&self) -> Pseudonym {
        match self {
            MailJob::Reset { to: login_email, audience, .. }
            | MailJob::PasswordChanged { login_email, audience, .. }
            | MailJob::TwoStepChanged { login_email, audience, .. } => Pseudonym::for_account(*audience, login_email),
        }
    }

    pub fn recipients(&self) -> Vec<String> {
        match self {
            MailJob::Reset { to, .. } => vec![to.clone()],
            MailJob::PasswordChanged { to, .. } | MailJob::TwoStepChanged { to, .. } => to.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let job = MailJob::Reset {
            id: "m1".into(),
            to: "a@b.org".into(),
            display_name: "A".into(),
            audience: Audience::Staff,
            locale: Locale::En,
            token: Secret::from("SECRET-TOKEN"),
            lifetime_secs: 3600,
        };
        assert!(!format!("{job:?}").contains("SECRET"));
        let json = serde_json::to_string(&job).unwrap();
        assert_eq!(serde_json::from_str::<MailJob>(&json).unwrap(), job);
    }
}
