//! The audit trail: one JSON line per event in the Worker's log (Workers Logs and Logpush collect it). Accounts
//! appear only as a pseudonym — 16 hex digits of a digest of the account id keyed by the Worker's sealing key (so
//! whoever has the logs and the school's directory cannot tell who is who), the same in every line so one account's
//! story can be followed; the admin API shows an account's — and tokens only as a hash prefix. Never an email address, token, password or password hash:
//! nothing that carries one can be put in an [`Event`].

use crate::hex::hex;
use crate::seal::Keys;
use latchkey_shared::api::{MailEventKind, PasswordChangeReason, Role};
use latchkey_shared::{Audience, ErrorCode};
use serde::{Deserialize, Serialize};

mod account_event;

pub use account_event::{actor_name, AccountEvent};

/// An account as logs name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Pseudonym(String);

impl Pseudonym {
    /// From the account id (`audience:login-email`, the Durable Object's name), keyed by the current sealing key.
    pub fn of(keys: &Keys, account_id: &str) -> Pseudonym {
        Pseudonym(hex(&keys.digest("pseudonym", account_id.as_bytes()).1[..8]))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// From an account's audience and login email (already normalised, as stored).
    pub fn for_account(keys: &Keys, audience: Audience, login_email: &str) -> Pseudonym {
        Pseudonym::of(keys, &crate::email::account_id_of(audience, login_email))
    }
}

/// A change to 2-Step Verification: on the audit trail, and in the notice mailed to every address on file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TwoStepChange {
    Enabled,
    Disabled,
    /// By the admin, for someone who lost both the phone and the recovery codes.
    DisabledByAdmin,
    RecoveryCodesReplaced,
    PasskeyAdded,
    PasskeyRemoved,
}

/// Why a code or refresh token is refused: told apart in the audit trail, and to the app in words (its
/// `error_description`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(rename_all = "snake_case")]
pub enum GrantRefusal {
    #[error("unknown code or refresh token")]
    Unknown,
    #[error("the code has expired")]
    Expired,
    /// Used before: what its first use issued is revoked.
    #[error("used before: what it issued is revoked")]
    Replayed,
    #[error("issued to another client")]
    WrongClient,
    #[error("the redirect_uri is not the authorization request's")]
    WrongRedirectUri,
    #[error("the code_verifier does not match the code_challenge")]
    WrongVerifier,
    /// The latchkey session it came from has ended.
    #[error("the session it came from has ended")]
    SessionEnded,
    /// The session owes a change of password that is due: nothing new for apps until it is made.
    #[error("the person must change their password on latchkey first")]
    PasswordChangeDue,
    /// A refresh asked for a scope the grant never had (RFC 6749 §6).
    #[error("more than the grant holds")]
    ScopeNotGranted,
}

#[derive(Debug, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event<'a> {
    /// A reset link was issued and its mail queued (`token`: the first 12 hex digits of the token's SHA-256).
    ResetRequested {
        account: &'a Pseudonym,
        token: &'a str,
        mail: &'a str,
    },
    /// The account had had its links for this window: nothing was sent.
    ResetRequestThrottled {
        account: &'a Pseudonym,
    },
    /// Issuing a link failed (KV, queue, Durable Object); the requester can ask again.
    ResetRequestFailed {
        error: String,
    },
    ResetAttemptThrottled {
        account: &'a Pseudonym,
    },
    PasswordChanged {
        account: &'a Pseudonym,
        revoked_sessions: u32,
    },
    LoginFailed {
        account: &'a Pseudonym,
        code: ErrorCode,
    },
    TwoStepChanged {
        account: &'a Pseudonym,
        change: TwoStepChange,
        /// Who did it, when it was not the person (`admin_token` or a staff member's pseudonym).
        #[serde(skip_serializing_if = "Option::is_none")]
        by: Option<&'a str>,
    },
    /// A 2-Step Verification code was refused (wrong, or too many wrong ones recently) outside a login.
    TwoStepCodeRefused {
        account: &'a Pseudonym,
        code: ErrorCode,
    },
    PasswordChangeRequired {
        account: &'a Pseudonym,
        by: &'a str,
    },
    /// Logged in with a password that must change now (`policy`, `breached`, `required`): a session good only for
    /// that.
    PasswordChangeOwed {
        account: &'a Pseudonym,
        reason: PasswordChangeReason,
    },
    MailSent {
        kind: &'a str,
        mail: &'a str,
        account: &'a Pseudonym,
    },
    MailRetry {
        kind: &'a str,
        mail: &'a str,
        account: &'a Pseudonym,
        reason: &'a str,
        delay_secs: u32,
    },
    MailRefused {
        kind: &'a str,
        mail: &'a str,
        account: &'a Pseudonym,
        reason: &'a str,
    },
    MailDeadLettered {
        kind: &'a str,
        mail: &'a str,
        account: &'a Pseudonym,
        reason: &'a str,
    },
    /// The Durable Object could not hand a notice to the queue; its alarm retries.
    OutboxSendFailed {
        mail: &'a str,
        error: String,
    },
    WebhookSent {
        delivery: &'a str,
        account: &'a Pseudonym,
    },
    AppTokensIssued {
        account: &'a Pseudonym,
    },
    /// By the admin API or staff in the console (`by`: `admin_token` or the staff member's pseudonym), as are the
    /// next four.
    AccountDisabled {
        account: &'a Pseudonym,
        by: &'a str,
    },
    AccountEnabled {
        account: &'a Pseudonym,
        by: &'a str,
    },
    SessionsEndedByAdmin {
        account: &'a Pseudonym,
        ended: u32,
        by: &'a str,
    },
    RolesChanged {
        account: &'a Pseudonym,
        roles: &'a [Role],
        by: &'a str,
    },
    ResetLinkSentByStaff {
        account: &'a Pseudonym,
        by: &'a str,
    },
    /// An invitation (`again`: a re-send) was issued; the handler or the batch's consumer queues its mail.
    InvitationSent {
        account: &'a Pseudonym,
        by: &'a str,
        again: bool,
    },
    InvitationAccepted {
        account: &'a Pseudonym,
    },
    /// A batch of invitations was read: how many lines were queued and how many refused at once.
    InvitationBatchStarted {
        batch: &'a str,
        queued: u32,
        refused: u32,
    },
    /// An invitation's mail was queued: its link's hash prefix, never the link.
    InvitationMailed {
        account: &'a Pseudonym,
        token: &'a str,
        mail: &'a str,
    },
    InvitationRevoked {
        account: &'a Pseudonym,
        by: &'a str,
    },
    LoginEmailChangeRequested {
        account: &'a Pseudonym,
        by: &'a str,
    },
    /// Under the account's new pseudonym (its name changed with its login email).
    LoginEmailChanged {
        account: &'a Pseudonym,
        by: &'a str,
    },
    LoginEmailChangeConfirmed {
        account: &'a Pseudonym,
    },
    LoginEmailChangeCancelled {
        account: &'a Pseudonym,
        reason: &'a str,
    },
    /// Staff in the console were refused (`forbidden`: no such role; `two_step_setup_required`: 2-Step Verification
    /// is off on their account; `account_protected`: the account they acted on holds a role at or above theirs).
    ConsoleRefused {
        /// The staff member's pseudonym.
        actor: &'a str,
        code: ErrorCode,
    },
    /// Someone looked accounts up (`by`: `admin_token` or the staff member's pseudonym): by `email` or `name` (never
    /// what was typed), and the pseudonyms of the accounts shown.
    AccountsLookedUp {
        by: &'a str,
        how: &'a str,
        shown: Vec<&'a str>,
    },
    AppGrantRefused {
        account: &'a Pseudonym,
        reason: GrantRefusal,
    },
    /// A back-channel logout token reached an app (`delivery`: the session's `sid` and the client id).
    BackChannelLogoutSent {
        delivery: &'a str,
        account: &'a Pseudonym,
    },
    BackChannelLogoutRetry {
        delivery: &'a str,
        account: &'a Pseudonym,
        reason: &'a str,
        delay_secs: u32,
    },
    BackChannelLogoutDeadLettered {
        delivery: &'a str,
        account: &'a Pseudonym,
        reason: &'a str,
    },
    WebhookRetry {
        delivery: &'a str,
        account: &'a Pseudonym,
        reason: &'a str,
        delay_secs: u32,
    },
    WebhookDeadLettered {
        delivery: &'a str,
        account: &'a Pseudonym,
        reason: &'a str,
    },
    /// The mail provider reported what became of a message (the address is not named: it may be no account's).
    MailEventRecorded {
        provider: &'a str,
        kind: MailEventKind,
    },
    /// A request to the delivery-event endpoint was refused: not from the provider, replayed, or unreadable.
    MailEventRefused {
        provider: &'a str,
        reason: &'a str,
    },
    /// The breach range API did not answer; the reset went on without the check.
    BreachCheckUnavailable {
        reason: String,
    },
    HashFailed {
        error: String,
    },
    InternalError {
        context: &'a str,
        error: String,
    },
    ConfigInvalid {
        error: String,
    },
    /// The provider throttled a mail (`429`): it went back on the queue to wait `delay_secs`, for the `deferred`th
    /// time, without spending one of the queue's retries.
    MailDeferred {
        kind: &'a str,
        mail: &'a str,
        delay_secs: u32,
        deferred: u32,
    },
    /// Staff started a campaign, asked for one already there (`asked_again`), paused, resumed or cancelled one.
    Campaign {
        campaign: &'a str,
        action: &'a str,
    },
    /// A campaign's request to the provider and what came of it: how many mails it carried, how many were settled
    /// sent or failed, and the answer (`sent`, `partly`, `throttled`, `failed`, `refused`).
    CampaignBatch {
        campaign: &'a str,
        key: &'a str,
        mails: u32,
        sent: u32,
        failed: u32,
        answer: &'a str,
    },
}

impl Event<'_> {
    /// Whether ops should look: such lines go to the error stream.
    fn is_error(&self) -> bool {
        matches!(
            self,
            Event::ResetRequestFailed { .. }
                | Event::MailRefused { .. }
                | Event::MailDeadLettered { .. }
                | Event::OutboxSendFailed { .. }
                | Event::WebhookDeadLettered { .. }
                | Event::BackChannelLogoutDeadLettered { .. }
                | Event::MailEventRefused { .. }
                | Event::BreachCheckUnavailable { .. }
                | Event::HashFailed { .. }
                | Event::InternalError { .. }
                | Event::ConfigInvalid { .. }
        )
    }

    /// The log line: one JSON object.
    pub fn line(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| r#"{"event":"unserialisable"}"#.to_owned())
    }
}

/// Writes `event` to the Worker's log.
pub fn record(event: &Event<'_>) {
    if event.is_error() {
        worker::console_error!("{}", event.line());
    } else {
        worker::console_log!("{}", event.line());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn lines_are_json_objects_named_by_event() {
        let account = Pseudonym::of(&Keys::parse(crate::seal::TEST_KEYS).unwrap(), "parent:ana@school.org");
        let line = Event::LoginFailed { account: &account, code: ErrorCode::InvalidCredentials }.line();
        let parsed: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["event"], "login_failed");
        assert_eq!(parsed["code"], "invalid_credentials");
        assert_eq!(parsed["account"].as_str().map(str::len), Some(16));
        assert!(!line.contains("ana@school.org"));
    }

    #[test]
    fn error_text_with_quotes_stays_valid_json() {
        let line = Event::InternalError {
            context: "kv",
            error: r#"bad "quote" \ and newline
"#
            .into(),
        }
        .line();
        let parsed: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(parsed["context"], "kv");
    }

    #[test]
    fn a_pseudonym_names_the_account_the_durable_object_is_named_after() {
        let email = crate::email::Email::parse("Ana@School.org").unwrap();
        let id = crate::email::account_id(Audience::Staff, &email);
        let keys = Keys::parse(crate::seal::TEST_KEYS).unwrap();
        assert_eq!(Pseudonym::for_account(&keys, Audience::Staff, email.as_str()), Pseudonym::of(&keys, &id));
    }

    #[test]
    fn one_account_one_pseudonym_which_only_the_secret_computes() {
        let keys = Keys::parse(crate::seal::TEST_KEYS).unwrap();
        let of = |id: &str| Pseudonym::of(&keys, id);
        assert_eq!(of("staff:a@b.org"), of("staff:a@b.org"));
        assert_ne!(of("staff:a@b.org"), of("parent:a@b.org"));
        use sha2::Digest;
        let unkeyed = hex(&sha2::Sha256::digest(b"staff:a@b.org")[..8]);
        assert_ne!(of("staff:a@b.org").as_str(), unkeyed, "not what anyone with the directory can compute");
        let other = Keys::parse("k1:HxseHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=").unwrap();
        assert_ne!(Pseudonym::of(&other, "staff:a@b.org"), of("staff:a@b.org"));
    }
}
