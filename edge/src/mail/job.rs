//! A mail to send, as it travels through the queue.

use crate::audit::{Pseudonym, TwoStepChange};
use crate::seal::{Keys, Sealed, NONCE_BYTES};
use latchkey_shared::api::DeadLetter;
use latchkey_shared::{Audience, Locale, Secret};
use serde::{Deserialize, Serialize};
use wire::Wire;

mod wire;

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

/// A mail to send: who it goes to and which account it is about (the envelope, the same for every mail), and what it
/// says ([`Kind`]). A reset job carries the link's token, sealed ([`LinkToken`]): the link has to be in the mail. It
/// exists only in the queue message, never in KV, a Durable Object, a log line or a dead letter.
///
/// Queue messages, outboxes and dead letters hold it as they always have (`super::wire`): one flat object per mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "Wire", from = "Wire")]
pub struct MailJob {
    /// Unique per mail: the provider's idempotency key, so a retried send is delivered once.
    pub id: String,
    pub to: Vec<String>,
    pub display_name: String,
    pub audience: Audience,
    /// The account the mail is about: its login email (the old one until a change is confirmed, so that its account
    /// hears what became of the mail).
    pub login_email: String,
    pub locale: Locale,
    pub kind: Kind,
}

/// What a mail says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A reset link for the account of the envelope's `audience`, and for each other account on the same login email
    /// (`also`).
    Reset {
        token: LinkToken,
        lifetime_secs: u32,
        also: Vec<AlsoLink>,
    },
    PasswordChanged {
        changed_at: u64,
    },
    /// 2-Step Verification was turned on or off, or its recovery codes replaced: told to every address on file.
    TwoStepChanged {
        change: TwoStepChange,
        changed_at: u64,
    },
    /// Staff changed something about the account for the person: told to every address on file (a login email
    /// change: to the old address, and the contact email).
    AccountChanged {
        change: AccountChange,
        changed_at: u64,
        /// The login email it had, named in a login email change's notice (the envelope's is the new one, whose
        /// account hears what became of the mail).
        former_login_email: Option<String>,
    },
    /// The link that confirms a new login email, to that address. Carries its token sealed, as a reset mail does.
    ConfirmLoginEmail {
        token: LinkToken,
        lifetime_secs: u32,
    },
    /// Staff asked for a new login email: told at once to the old address and the contact email, with a link to
    /// cancel (its token sealed, as a reset mail's is) before the change takes effect, no sooner than `effective_at`.
    LoginEmailChangeRequested {
        new_login_email: String,
        token: LinkToken,
        effective_at: u64,
    },
    /// The school asks for a new password, by `deadline` (none: at the next login).
    ChangeRequested {
        deadline: Option<u64>,
    },
    /// An invitation to set the account up, to the login email: its link (the token sealed, as a reset mail's), until
    /// when it works, and who invited (a staff member's name, or `admin token`).
    Invitation {
        token: LinkToken,
        expires_at: u64,
        invited_by: String,
    },
    /// The invitation's link expires soon: a reminder, without a link (the invitation mail holds it).
    InvitationReminder {
        expires_at: u64,
    },
}

/// What staff changed, for [`Kind::AccountChanged`].
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
/// An invitation's mail (the account records one before the Worker makes the job).
pub const INVITATION_KIND: &str = "invitation";

impl MailJob {
    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn kind(&self) -> &'static str {
        match self.kind {
            Kind::Reset { .. } => RESET_KIND,
            Kind::PasswordChanged { .. } => "password_changed",
            Kind::TwoStepChanged { .. } => "two_step_changed",
            Kind::ChangeRequested { .. } => "change_requested",
            Kind::AccountChanged { .. } => "account_changed",
            Kind::ConfirmLoginEmail { .. } => CONFIRM_LOGIN_EMAIL_KIND,
            Kind::LoginEmailChangeRequested { .. } => LOGIN_EMAIL_CHANGE_REQUESTED_KIND,
            Kind::Invitation { .. } => INVITATION_KIND,
            Kind::InvitationReminder { .. } => "invitation_reminder",
        }
    }

    /// The accounts whose Durable Objects hear what became of this mail: they track the notices until they are
    /// settled (a reset mail the queue loses is asked for again by its reader), and remember the fate of every mail —
    /// each account a reset mail holds a link for.
    pub fn reporting_accounts(&self) -> Vec<String> {
        let also = match &self.kind {
            Kind::Reset { also, .. } => also.iter().map(|link| link.audience).collect(),
            _ => Vec::new(),
        };
        std::iter::once(self.audience)
            .chain(also)
            .map(|audience| crate::email::account_id_of(audience, &self.login_email))
            .collect()
    }

    /// The account the mail is about (the first it holds a link for), as logs name it.
    pub fn account(&self, keys: &crate::seal::Keys) -> Pseudonym {
        Pseudonym::of(keys, &crate::email::account_id_of(self.audience, &self.login_email))
    }

    /// The account the mail is about (its login email until a change is confirmed).
    pub fn account_ref(&self) -> latchkey_shared::api::AccountRef {
        latchkey_shared::api::AccountRef { login_email: self.login_email.clone(), audience: self.audience }
    }

    /// The same mail under another id, to send it again when it was given up on; none for a mail that carries a
    /// link's token (never kept: a new link is sent instead).
    pub fn again(&self, id: String) -> Option<MailJob> {
        match self.kind {
            Kind::Reset { .. }
            | Kind::ConfirmLoginEmail { .. }
            | Kind::LoginEmailChangeRequested { .. }
            | Kind::Invitation { .. } => None,
            Kind::InvitationReminder { .. }
            | Kind::PasswordChanged { .. }
            | Kind::TwoStepChanged { .. }
            | Kind::ChangeRequested { .. }
            | Kind::AccountChanged { .. } => Some(MailJob { id, ..self.clone() }),
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
        MailJob {
            id: "m1".into(),
            to: vec!["a@b.org".into()],
            display_name: "A".into(),
            audience: Audience::Staff,
            login_email: "a@b.org".into(),
            locale: Locale::En,
            kind: Kind::Reset { token, lifetime_secs: 3600, also: Vec::new() },
        }
    }

    #[test]
    fn the_queue_message_holds_the_token_only_sealed() {
        let keys = Keys::parse(crate::seal::TEST_KEYS).unwrap();
        let job = reset(LinkToken::seal("SECRET-TOKEN", &keys, [3; NONCE_BYTES]));
        let message = serde_json::to_string(&job).unwrap();
        assert!(!message.contains("SECRET-TOKEN") && !format!("{job:?}").contains("SECRET"), "{message}");
        let back: MailJob = serde_json::from_str(&message).unwrap();
        assert_eq!(back, job, "a message reads back as it was");
        let Kind::Reset { token, .. } = &back.kind else { panic!("a reset job") };
        assert_eq!(token.open(&keys), Some(Secret::from("SECRET-TOKEN")));
        let other = Keys::parse("k2:HxseHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=").unwrap();
        assert_eq!(token.open(&other), None, "without the key, nothing");
    }

    #[test]
    fn a_message_queued_before_sealing_is_still_delivered() {
        let before = r#"{"kind":"reset","id":"m1","to":"a@b.org","display_name":"A","audience":"staff","locale":"en",
            "token":"PLAIN-TOKEN","lifetime_secs":3600}"#;
        let job = serde_json::from_str::<MailJob>(before).unwrap();
        let Kind::Reset { token, .. } = &job.kind else { panic!("reset") };
        assert_eq!(token.open(&Keys::parse(crate::seal::TEST_KEYS).unwrap()), Some(Secret::from("PLAIN-TOKEN")));
    }

    /// The OpenAPI document names every kind an account's `recent_mail` can show (schemathesis checks answers
    /// against it).
    #[test]
    fn the_openapi_document_names_every_kind_of_mail() {
        let keys = Keys::parse(crate::seal::TEST_KEYS).unwrap();
        let token = || LinkToken::seal("T", &keys, [1; NONCE_BYTES]);
        let kinds = [
            Kind::Reset { token: token(), lifetime_secs: 1, also: Vec::new() },
            Kind::PasswordChanged { changed_at: 1 },
            Kind::TwoStepChanged { change: TwoStepChange::Enabled, changed_at: 1 },
            Kind::AccountChanged { change: AccountChange::Disabled, changed_at: 1, former_login_email: None },
            Kind::ConfirmLoginEmail { token: token(), lifetime_secs: 1 },
            Kind::LoginEmailChangeRequested { new_login_email: "n@b.org".into(), token: token(), effective_at: 1 },
            Kind::ChangeRequested { deadline: None },
            Kind::Invitation { token: token(), expires_at: 1, invited_by: "A".into() },
            Kind::InvitationReminder { expires_at: 1 },
        ];
        let document: serde_json::Value = serde_json::from_str(include_str!("../../openapi.json")).unwrap();
        let named = &document["components"]["schemas"]["RecentMail"]["properties"]["kind"]["enum"];
        for kind in kinds {
            let job = MailJob { kind, ..reset(token()) };
            assert!(named.as_array().unwrap().iter().any(|k| k == job.kind()), "{} is not in the document", job.kind());
        }
    }

    /// Every kind of mail as it was queued (and kept in outboxes and dead letters) before the envelope.
    const QUEUED_BEFORE_THE_ENVELOPE: &str = include_str!("../../fixtures/mail-jobs-v1.json");

    #[test]
    fn every_mail_queued_before_the_envelope_is_read_and_goes_where_it_went() {
        let before: Vec<serde_json::Value> = serde_json::from_str(QUEUED_BEFORE_THE_ENVELOPE).unwrap();
        let jobs: Vec<MailJob> = serde_json::from_str(QUEUED_BEFORE_THE_ENVELOPE).unwrap();
        assert_eq!(jobs.len(), 7, "one of each kind");
        let keys = Keys::parse(crate::seal::TEST_KEYS).unwrap();
        for (job, old) in jobs.iter().zip(&before) {
            assert_eq!(job.kind(), old["kind"], "{old}");
            assert_eq!(job.id, old["id"].as_str().unwrap());
            let to: Vec<String> = match &old["to"] {
                serde_json::Value::String(one) => vec![one.clone()],
                many => serde_json::from_value(many.clone()).unwrap(),
            };
            assert_eq!(job.to, to, "{old}");
            // A reset named no login email: it is the address it went to.
            let about = old.get("login_email").unwrap_or(&old["to"]);
            assert_eq!(job.login_email, about.as_str().unwrap(), "{old}");
            // Written today exactly as it was then: a version deployed beside this one reads it.
            assert_eq!(&serde_json::to_value(job).unwrap(), old, "{old}");
        }
        let Kind::Reset { token, also, .. } = &jobs[0].kind else { panic!("the reset first") };
        assert_eq!(token.open(&keys), Some(Secret::from("RESET-TOKEN-STAFF")));
        assert_eq!(
            (also[0].audience, also[0].token.open(&keys)),
            (Audience::Parent, Some(Secret::from("RESET-TOKEN-PARENT")))
        );
        assert_eq!(jobs[0].reporting_accounts().len(), 2, "both accounts hear of it");
        let Kind::AccountChanged { former_login_email, .. } = &jobs[3].kind else { panic!("a login email change") };
        assert_eq!(
            (jobs[3].login_email.as_str(), former_login_email.as_deref()),
            ("new@school.example", Some("old@school.example"))
        );
        let Kind::ConfirmLoginEmail { token, .. } = &jobs[4].kind else { panic!("a confirmation") };
        assert_eq!(
            (jobs[4].to[0].as_str(), jobs[4].login_email.as_str()),
            ("new@school.example", "old@school.example")
        );
        assert_eq!(token.open(&keys), Some(Secret::from("CONFIRM-TOKEN")));
        assert_eq!(jobs[6].kind, Kind::ChangeRequested { deadline: Some(1_801_000_000) });
    }

    #[test]
    fn a_notice_is_sent_again_under_a_new_id_and_a_link_never_is() {
        let keys = Keys::parse(crate::seal::TEST_KEYS).unwrap();
        assert_eq!(reset(LinkToken::seal("T", &keys, [1; NONCE_BYTES])).again("m2".into()), None);
        let notice = MailJob {
            id: "m1".into(),
            to: vec!["a@b.org".into()],
            display_name: "A".into(),
            audience: Audience::Parent,
            login_email: "a@b.org".into(),
            locale: Locale::Es,
            kind: Kind::AccountChanged { change: AccountChange::Disabled, changed_at: 5, former_login_email: None },
        };
        let again = notice.again("m2".into()).unwrap();
        assert_eq!(again.id(), "m2");
        assert_eq!(serde_json::to_value(&again).unwrap()["change"], "disabled");
        assert_eq!(again.account_ref().login_email, "a@b.org");
    }
}
