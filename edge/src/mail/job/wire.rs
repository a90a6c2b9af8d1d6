//! A mail job as queue messages, accounts' outboxes and dead letters hold it: one flat object per mail, tagged by
//! `kind`, the addressee's fields beside what the mail says — the format every earlier version wrote, so whatever
//! was queued or stored before reads the same, and a version deployed beside this one reads what this one writes.
//! (An internally tagged enum, not a flattened struct: workers-rs hands queue messages and storage to JavaScript as
//! objects only so.)

use super::{AccountChange, AlsoLink, Kind, LinkToken, MailJob};
use crate::audit::TwoStepChange;
use latchkey_shared::{Audience, Locale};
use serde::{Deserialize, Serialize};

/// A reset's and a confirmation's single address was written as a string.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum To {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Wire {
    Reset {
        id: String,
        to: To,
        display_name: String,
        audience: Audience,
        /// Written only when it is not the address the link went to (never, so far).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        login_email: Option<String>,
        locale: Locale,
        token: LinkToken,
        lifetime_secs: u32,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        also: Vec<AlsoLink>,
    },
    PasswordChanged {
        id: String,
        to: To,
        display_name: String,
        audience: Audience,
        login_email: String,
        locale: Locale,
        changed_at: u64,
    },
    TwoStepChanged {
        id: String,
        to: To,
        display_name: String,
        audience: Audience,
        login_email: String,
        locale: Locale,
        change: TwoStepChange,
        changed_at: u64,
    },
    AccountChanged {
        id: String,
        to: To,
        display_name: String,
        audience: Audience,
        login_email: String,
        locale: Locale,
        change: AccountChange,
        changed_at: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        former_login_email: Option<String>,
    },
    ConfirmLoginEmail {
        id: String,
        to: To,
        display_name: String,
        audience: Audience,
        login_email: String,
        locale: Locale,
        token: LinkToken,
        lifetime_secs: u32,
    },
    LoginEmailChangeRequested {
        id: String,
        to: To,
        display_name: String,
        audience: Audience,
        login_email: String,
        new_login_email: String,
        locale: Locale,
        token: LinkToken,
        effective_at: u64,
    },
    ChangeRequested {
        id: String,
        to: To,
        display_name: String,
        audience: Audience,
        login_email: String,
        locale: Locale,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deadline: Option<u64>,
    },
    Invitation {
        id: String,
        to: To,
        display_name: String,
        audience: Audience,
        login_email: String,
        locale: Locale,
        token: LinkToken,
        expires_at: u64,
        invited_by: String,
    },
    InvitationReminder {
        id: String,
        to: To,
        display_name: String,
        audience: Audience,
        login_email: String,
        locale: Locale,
        expires_at: u64,
    },
}

impl From<To> for Vec<String> {
    fn from(to: To) -> Vec<String> {
        match to {
            To::One(one) => vec![one],
            To::Many(many) => many,
        }
    }
}

/// A single address as a string, as a reset and a confirmation always wrote it.
fn one_or_many(to: Vec<String>) -> To {
    match <[String; 1]>::try_from(to) {
        Ok([one]) => To::One(one),
        Err(many) => To::Many(many),
    }
}

impl From<Wire> for MailJob {
    fn from(wire: Wire) -> MailJob {
        let job = |id, to: To, display_name, audience, login_email, locale, kind| MailJob {
            id,
            to: to.into(),
            display_name,
            audience,
            login_email,
            locale,
            kind,
        };
        match wire {
            Wire::Reset { id, to, display_name, audience, login_email, locale, token, lifetime_secs, also } => {
                let to: Vec<String> = to.into();
                // The address the link went to is the login email it is for.
                let login_email = login_email.or_else(|| to.first().cloned()).unwrap_or_default();
                let kind = Kind::Reset { token, lifetime_secs, also };
                MailJob { id, to, display_name, audience, login_email, locale, kind }
            }
            Wire::PasswordChanged { id, to, display_name, audience, login_email, locale, changed_at } => {
                job(id, to, display_name, audience, login_email, locale, Kind::PasswordChanged { changed_at })
            }
            Wire::TwoStepChanged { id, to, display_name, audience, login_email, locale, change, changed_at } => {
                let kind = Kind::TwoStepChanged { change, changed_at };
                job(id, to, display_name, audience, login_email, locale, kind)
            }
            Wire::AccountChanged {
                id,
                to,
                display_name,
                audience,
                login_email,
                locale,
                change,
                changed_at,
                former_login_email,
            } => {
                let kind = Kind::AccountChanged { change, changed_at, former_login_email };
                job(id, to, display_name, audience, login_email, locale, kind)
            }
            Wire::ConfirmLoginEmail { id, to, display_name, audience, login_email, locale, token, lifetime_secs } => {
                let kind = Kind::ConfirmLoginEmail { token, lifetime_secs };
                job(id, to, display_name, audience, login_email, locale, kind)
            }
            Wire::LoginEmailChangeRequested {
                id,
                to,
                display_name,
                audience,
                login_email,
                new_login_email,
                locale,
                token,
                effective_at,
            } => {
                let kind = Kind::LoginEmailChangeRequested { new_login_email, token, effective_at };
                job(id, to, display_name, audience, login_email, locale, kind)
            }
            Wire::ChangeRequested { id, to, display_name, audience, login_email, locale, deadline } => {
                job(id, to, display_name, audience, login_email, locale, Kind::ChangeRequested { deadline })
            }
            Wire::Invitation { id, to, display_name, audience, login_email, locale, token, expires_at, invited_by } => {
                let kind = Kind::Invitation { token, expires_at, invited_by };
                job(id, to, display_name, audience, login_email, locale, kind)
            }
            Wire::InvitationReminder { id, to, display_name, audience, login_email, locale, expires_at } => {
                job(id, to, display_name, audience, login_email, locale, Kind::InvitationReminder { expires_at })
            }
        }
    }
}

impl From<MailJob> for Wire {
    fn from(job: MailJob) -> Wire {
        let MailJob { id, to, display_name, audience, login_email, locale, kind } = job;
        match kind {
            Kind::Reset { token, lifetime_secs, also } => {
                let login_email = Some(login_email).filter(|l| to.first() != Some(l));
                let to = one_or_many(to);
                Wire::Reset { id, to, display_name, audience, login_email, locale, token, lifetime_secs, also }
            }
            Kind::PasswordChanged { changed_at } => {
                let to = To::Many(to);
                Wire::PasswordChanged { id, to, display_name, audience, login_email, locale, changed_at }
            }
            Kind::TwoStepChanged { change, changed_at } => {
                let to = To::Many(to);
                Wire::TwoStepChanged { id, to, display_name, audience, login_email, locale, change, changed_at }
            }
            Kind::AccountChanged { change, changed_at, former_login_email } => Wire::AccountChanged {
                id,
                to: To::Many(to),
                display_name,
                audience,
                login_email,
                locale,
                change,
                changed_at,
                former_login_email,
            },
            Kind::ConfirmLoginEmail { token, lifetime_secs } => {
                let to = one_or_many(to);
                Wire::ConfirmLoginEmail { id, to, display_name, audience, login_email, locale, token, lifetime_secs }
            }
            Kind::LoginEmailChangeRequested { new_login_email, token, effective_at } => {
                Wire::LoginEmailChangeRequested {
                    id,
                    to: To::Many(to),
                    display_name,
                    audience,
                    login_email,
                    new_login_email,
                    locale,
                    token,
                    effective_at,
                }
            }
            Kind::ChangeRequested { deadline } => {
                let to = To::Many(to);
                Wire::ChangeRequested { id, to, display_name, audience, login_email, locale, deadline }
            }
            Kind::Invitation { token, expires_at, invited_by } => {
                let to = To::Many(to);
                Wire::Invitation { id, to, display_name, audience, login_email, locale, token, expires_at, invited_by }
            }
            Kind::InvitationReminder { expires_at } => {
                let to = To::Many(to);
                Wire::InvitationReminder { id, to, display_name, audience, login_email, locale, expires_at }
            }
        }
    }
}
