//! A mail to send, as it travels through the queue.

use crate::audit::{Pseudonym, TwoStepChange};
use crate::seal::{Keys, Sealed, NONCE_BYTES};
use latchkey_shared::api::DeadLetter;
use latchkey_shared::{Audience, Locale, Secret};
use serde::{Deserialize, Serialize};

/// What a reset link's token is sealed for: it opens for nothing else.
const LINK_TOKEN_PURPOSE: &str = "reset-link-token";

/// The token a reset mail carries through the queue: sealed under `SEALING_KEYS`, so whoever reads queue messages
/// (the dashboard, a retried or dead-lettered message) cannot use the link; the consumer opens it to write the mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LinkToken {
    Sealed(Sealed),
    /// Queued by a version that did not seal: still delivered.
    Plain(Secret<String>),
}

impl LinkToken {
    pub fn seal(token: &str, keys: &Keys, nonce: [u8; NONCE_BYTES]) -> LinkToken {
        LinkToken::Sealed(keys.seal(LINK_TOKEN_PURPOSE, token.as_bytes(), nonce))
    }

    /// The token, if these keys open it (a key removed before its mail went out does not).
    pub fn open(&self, keys: &Keys) -> Option<Secret<String>> {
        match self {
            LinkToken::Sealed(sealed) => {
                keys.open(LINK_TOKEN_PURPOSE, sealed).and_then(|bytes| String::from_utf8(bytes).ok()).map(Secret::new)
            }
            LinkToken::Plain(token) => Some(token.clone()),
        }
    }
}

/// Another account's reset link in the same mail: the person's staff and parent accounts on one login email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlsoLink {
    pub audience: Audience,
    pub token: LinkToken,
    pub lifetime_secs: u32,
}

/// The reset job carries the link's token, sealed ([`LinkToken`]): the link has to be in the mail. It exists only in
/// the queue message, never in KV, a Durable Object, a log line or a dead letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MailJob {
    /// A reset link for the account of `audience`, and for each other account on the same login email (`also`).
    Reset {
        id: String,
        to: String,
        display_name: String,
        audience: Audience,
        locale: Locale,
        token: LinkToken,
        lifetime_secs: u32,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        also: Vec<AlsoLink>,
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
    /// Staff changed something about the account for the person: told to every address on file (a login email
    /// change: to the old address, and the contact email).
    AccountChanged {
        id: String,
        to: Vec<String>,
        display_name: String,
        audience: Audience,
        login_email: String,
        locale: Locale,
        change: AccountChange,
        changed_at: u64,
        /// The login email it had, named in a login email change's notice (`login_email` is the new one, whose
        /// account hears what became of the mail).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        former_login_email: Option<String>,
    },
    /// The link that confirms a new login email, to that address. Carries its token sealed, as a reset mail does.
    ConfirmLoginEmail {
        id: String,
        to: String,
        display_name: String,
        audience: Audience,
        /// The login email until the change is confirmed: its account hears what became of this mail.
        login_email: String,
        locale: Locale,
        token: LinkToken,
        lifetime_secs: u32,
    },
    /// Staff asked for a new login email: told at once to the old address and the contact email, with a link to
    /// cancel (its token sealed, as a reset mail's is) before the change takes effect, no sooner than `effective_at`.
    LoginEmailChangeRequested {
        id: String,
        to: Vec<String>,
        display_name: String,
        audience: Audience,
        login_email: String,
        new_login_email: String,
        locale: Locale,
        token: LinkToken,
        effective_at: u64,
    },
    /// The school asks for a new password, by `deadline` (none: at the next login).
    ChangeRequested {
        id: String,
        to: Vec<String>,
        display_name: String,
        audience: Audience,
        login_email: String,
        locale: Locale,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deadline: Option<u64>,
    },
}

/// What staff changed, for [`MailJob::AccountChanged`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountChange {
    Disabled,
    Enabled,
    SessionsEnded,
    LoginEmailChanged,
}

/// A reset link's mail, as [`MailJob::kind`] names it (the account records one before the Worker makes the job).
pub const RESET_KIND: &str = "reset";
/// The new login email's confirmation, and the owner's notice with the link to cancel, as [`MailJob::kind`] names them.
pub const CONFIRM_LOGIN_EMAIL_KIND: &str = "confirm_login_email";
pub const LOGIN_EMAIL_CHANGE_REQUESTED_KIND: &str = "login_email_change_requested";

impl MailJob {
    /// Unique per mail: the provider's idempotency key, so a retried send is delivered once.
    pub fn id(&self) -> &str {
        match self {
            MailJob::Reset { id, .. }
            | MailJob::PasswordChanged { id, .. }
            | MailJob::TwoStepChanged { id, .. }
            | MailJob::ChangeRequested { id, .. }
            | MailJob::AccountChanged { id, .. }
            | MailJob::ConfirmLoginEmail { id, .. }
            | MailJob::LoginEmailChangeRequested { id, .. } => id,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            MailJob::Reset { .. } => RESET_KIND,
            MailJob::PasswordChanged { .. } => "password_changed",
            MailJob::TwoStepChanged { .. } => "two_step_changed",
            MailJob::ChangeRequested { .. } => "change_requested",
            MailJob::AccountChanged { .. } => "account_changed",
            MailJob::ConfirmLoginEmail { .. } => CONFIRM_LOGIN_EMAIL_KIND,
            MailJob::LoginEmailChangeRequested { .. } => LOGIN_EMAIL_CHANGE_REQUESTED_KIND,
        }
    }

    /// The accounts whose Durable Objects hear what became of this mail: they track the notices until they are
    /// settled (a reset mail the queue loses is asked for again by its reader), and remember the fate of every mail —
    /// each account a reset mail holds a link for.
    pub fn reporting_accounts(&self) -> Vec<String> {
        let account = self.account_ref();
        let also = match self {
            MailJob::Reset { also, .. } => also.iter().map(|link| link.audience).collect(),
            _ => Vec::new(),
        };
        std::iter::once(account.audience)
            .chain(also)
            .map(|audience| crate::email::account_id_of(audience, &account.login_email))
            .collect()
    }

    /// The account the mail is about (the first it holds a link for), as logs name it.
    pub fn account(&self, keys: &crate::seal::Keys) -> Pseudonym {
        let account = self.account_ref();
        Pseudonym::of(keys, &crate::email::account_id_of(account.audience, &account.login_email))
    }

    /// The account the mail is about (its login email until a change is confirmed).
    pub fn account_ref(&self) -> latchkey_shared::api::AccountRef {
        match self {
            MailJob::Reset { to: login_email, audience, .. }
            | MailJob::PasswordChanged { login_email, audience, .. }
            | MailJob::TwoStepChanged { login_email, audience, .. }
            | MailJob::ChangeRequested { login_email, audience, .. }
            | MailJob::AccountChanged { login_email, audience, .. }
            | MailJob::ConfirmLoginEmail { login_email, audience, .. }
            | MailJob::LoginEmailChangeRequested { login_email, audience, .. } => {
                latchkey_shared::api::AccountRef { login_email: login_email.clone(), audience: *audience }
            }
        }
    }

    /// The same mail under another id, to send it again when it was given up on; none for a mail that carries a
    /// link's token (never kept: a new link is sent instead).
    pub fn again(&self, id: String) -> Option<MailJob> {
        let mut again = self.clone();
        match &mut again {
            MailJob::Reset { .. } | MailJob::ConfirmLoginEmail { .. } | MailJob::LoginEmailChangeRequested { .. } => {
                return None
            }
            MailJob::PasswordChanged { id: old, .. }
            | MailJob::TwoStepChanged { id: old, .. }
            | MailJob::ChangeRequested { id: old, .. }
            | MailJob::AccountChanged { id: old, .. } => *old = id,
        }
        Some(again)
    }

    pub fn recipients(&self) -> Vec<String> {
        match self {
            MailJob::Reset { to, .. } | MailJob::ConfirmLoginEmail { to, .. } => vec![to.clone()],
            MailJob::PasswordChanged { to, .. }
            | MailJob::TwoStepChanged { to, .. }
            | MailJob::ChangeRequested { to, .. }
            | MailJob::AccountChanged { to, .. }
            | MailJob::LoginEmailChangeRequested { to, .. } => to.clone(),
        }
    }
}

/// A dead letter as KV keeps it: what the admin API shows, and the notice itself to send again (a mail with a link's
/// token is never kept).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredDeadLetter {
    #[serde(flatten)]
    pub letter: DeadLetter,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<MailJob>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reset(token: LinkToken) -> MailJob {
        MailJob::Reset {
            id: "m1".into(),
            to: "a@b.org".into(),
            display_name: "A".into(),
            audience: Audience::Staff,
            locale: Locale::En,
            token,
            lifetime_secs: 3600,
            also: Vec::new(),
        }
    }

    #[test]
    fn the_queue_message_holds_the_token_only_sealed() {
        let keys = Keys::parse(crate::seal::TEST_KEYS).unwrap();
        let job = reset(LinkToken::seal("SECRET-TOKEN", &keys, [3; NONCE_BYTES]));
        let message = serde_json::to_string(&job).unwrap();
        assert!(!message.contains("SECRET-TOKEN") && !format!("{job:?}").contains("SECRET"), "{message}");
        let back: MailJob = serde_json::from_str(&message).unwrap();
        let MailJob::Reset { token, .. } = &back else { panic!("a reset job") };
        assert_eq!(token.open(&keys), Some(Secret::from("SECRET-TOKEN")));
        let other = Keys::parse("k2:HxseHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=").unwrap();
        assert_eq!(token.open(&other), None, "without the key, nothing");
    }

    #[test]
    fn a_message_queued_before_sealing_is_still_delivered() {
        let before = r#"{"kind":"reset","id":"m1","to":"a@b.org","display_name":"A","audience":"staff","locale":"en",
            "token":"PLAIN-TOKEN","lifetime_secs":3600}"#;
        let MailJob::Reset { token, .. } = serde_json::from_str::<MailJob>(before).unwrap() else { panic!("reset") };
        assert_eq!(token.open(&Keys::parse(crate::seal::TEST_KEYS).unwrap()), Some(Secret::from("PLAIN-TOKEN")));
    }

    #[test]
    fn a_notice_is_sent_again_under_a_new_id_and_a_link_never_is() {
        let keys = Keys::parse(crate::seal::TEST_KEYS).unwrap();
        assert_eq!(reset(LinkToken::seal("T", &keys, [1; NONCE_BYTES])).again("m2".into()), None);
        let notice = MailJob::AccountChanged {
            id: "m1".into(),
            to: vec!["a@b.org".into()],
            display_name: "A".into(),
            audience: Audience::Parent,
            login_email: "a@b.org".into(),
            locale: Locale::Es,
            change: AccountChange::Disabled,
            changed_at: 5,
            former_login_email: None,
        };
        let again = notice.again("m2".into()).unwrap();
        assert_eq!(again.id(), "m2");
        assert_eq!(serde_json::to_value(&again).unwrap()["change"], "disabled");
        assert_eq!(again.account_ref().login_email, "a@b.org");
    }
}
