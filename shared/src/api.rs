//! Request and response bodies of the HTTP API, shared by the Worker, the widget, the pages' scripts and the tests.

use crate::audience::Audience;
use crate::messages::{Locale, MessageKey};
use crate::policy::Policy;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};

/// `GET /api/policy`: the active policy, exactly as configured and validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyResponse {
    pub policy: Policy,
    /// Cloudflare Turnstile's site key when reset requests must carry a Turnstile token (the restore page shows the
    /// check then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile_site_key: Option<String>,
}

/// `POST /api/reset-requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
    pub audience: Audience,
    #[serde(default)]
    pub locale: Option<Locale>,
    /// Required when the Worker has Turnstile configured: the token the Turnstile widget gave the page.
    #[serde(default)]
    pub turnstile_token: Option<String>,
}

/// The answer to every reset request, whether or not the account exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetRequestAccepted {
    pub status: AcceptedStatus,
    /// What to tell the person: check the inbox and the spam folder; only the newest link works.
    pub message_key: MessageKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceptedStatus {
    Accepted,
}

/// `POST /api/resets/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    pub token: Secret<String>,
}

/// Whether a reset link still works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenStatus {
    Ok,
    Expired,
    Superseded,
    Used,
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyResponse {
    pub status: TokenStatus,
    /// For a good link: whose rules apply, so the page's widget shows the right checklist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    /// For a good link: the account uses 2-Step Verification, so the new password needs a code too (and the policy's
    /// two-step minimum length applies). Only a holder of a working link learns it.
    #[serde(default)]
    pub two_step: bool,
}

/// The answer to a successful reset. Nobody is logged in: the person logs in with the new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetDone {
    pub status: ResetStatus,
    /// How many sessions were logged out.
    pub revoked_sessions: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResetStatus {
    PasswordChanged,
}

/// `POST /api/resets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirm {
    pub token: Secret<String>,
    pub password: Secret<String>,
    pub confirm: Secret<String>,
    /// A current authenticator code or an unused recovery code, when the account uses 2-Step Verification.
    #[serde(default)]
    pub code: Option<Secret<String>>,
}

/// `POST /api/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub audience: Audience,
    pub password: Secret<String>,
    /// A current authenticator code or an unused recovery code, when the account uses 2-Step Verification (a login
    /// without one is answered `two_step_required` once the password is right).
    #[serde(default)]
    pub code: Option<Secret<String>>,
}

/// `POST /api/session/reauthenticate`: the password typed again before a sensitive change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReauthenticateRequest {
    pub password: Secret<String>,
}

/// `POST /api/password`: the logged-in person's new password, typed twice, with the current one (and a code from the
/// authenticator app or a recovery code, when the account uses 2-Step Verification). Answered with a [`ResetDone`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: Secret<String>,
    pub password: Secret<String>,
    pub confirm: Secret<String>,
    #[serde(default)]
    pub code: Option<Secret<String>>,
}

/// `GET /api/session` and the answer to a login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub email: String,
    pub audience: Audience,
    pub display_name: String,
    pub two_step: TwoStepStatus,
    /// A change of password this account owes, found at the login: before its deadline the person is told and may
    /// go on; once `due`, the session is good only for changing the password (`/password`), and everything else
    /// answers `password_change_required`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_change: Option<PasswordChange>,
}

/// Why a password must change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordChangeReason {
    /// It no longer meets the requirements (they became stricter, or 2-Step Verification, which allowed a shorter
    /// one, went off).
    Policy,
    /// It appeared in a data breach (the breach check, at the login).
    Breached,
    /// The school asked: for this account, its account type, or everyone.
    Required,
}

/// A change of password an account owes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub reason: PasswordChangeReason,
    /// Unix seconds; none: at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<u64>,
    /// The deadline has passed (or there is none): nothing but the change until it is made.
    pub due: bool,
}

/// A change the admin asked for: every password set before `since` must change, by `deadline` (none: at the next
/// login).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredChange {
    pub since: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<u64>,
}

impl RequiredChange {
    /// What a password last set at `changed_at` (none: never here, e.g. imported) owes at `now`, if anything.
    pub fn owed(&self, changed_at: Option<u64>, now: u64) -> Option<PasswordChange> {
        changed_at.is_none_or(|at| at < self.since).then_some(PasswordChange {
            reason: PasswordChangeReason::Required,
            deadline: self.deadline,
            due: self.deadline.is_none_or(|deadline| now >= deadline),
        })
    }
}

/// `POST /api/admin/accounts/require-password-change` (one account) and `PUT /api/admin/password-change-requirement`
/// (an account type, or everyone): every password set before now must change by `deadline` (unix seconds; none: at
/// the next login); with `announce`, each person is mailed about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirePasswordChange {
    /// For one account: its login email and audience. For a campaign: the audience, or none for everyone.
    #[serde(default)]
    pub login_email: Option<String>,
    #[serde(default)]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub deadline: Option<u64>,
    #[serde(default)]
    pub announce: bool,
}

/// The required changes in force for each account type (KV), as the login reads them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChangeRequirement {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<RequiredChange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<RequiredChange>,
}

impl PasswordChangeRequirement {
    pub fn for_audience(&self, audience: Audience) -> Option<RequiredChange> {
        match audience {
            Audience::Staff => self.staff,
            Audience::Parent => self.parent,
        }
    }

    pub fn set(&mut self, audience: Audience, change: Option<RequiredChange>) {
        match audience {
            Audience::Staff => self.staff = change,
            Audience::Parent => self.parent = change,
        }
    }
}

/// `GET`, `PUT` and `DELETE /api/admin/password-change-requirement`: what is required, and how far each account type
/// has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChangeProgress {
    pub requirement: PasswordChangeRequirement,
    pub staff: AudienceProgress,
    pub parent: AudienceProgress,
    /// With `announce`: how many mails were queued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub announced: Option<u32>,
}

/// Of the active accounts of one type with a password: how many, and how many still have to change it (for their
/// type's requirement, their own, or because the login found it weak or breached).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudienceProgress {
    pub accounts: u32,
    pub pending: u32,
}

/// Where an account stands with 2-Step Verification (`GET /api/two-step`, and in every [`SessionInfo`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepStatus {
    pub enabled: bool,
    /// Unused recovery codes (0 when 2-Step Verification is off).
    pub recovery_codes_left: u32,
    /// The site requires 2-Step Verification for this account's audience and it is not on yet: turn it on by then
    /// (unix seconds; the grace period started at the first login after the requirement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enroll_by: Option<u64>,
    /// The grace period is over: the session is good only for turning 2-Step Verification on, and
    /// `GET /api/session` answers `two_step_setup_required` until it is.
    pub setup_required: bool,
}

/// `POST /api/two-step/setup`: a new secret, not yet in use until a first code confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepSetup {
    /// The secret in base32, for typing into an authenticator app by hand.
    pub secret: Secret<String>,
    /// The `otpauth://totp/…` URI the QR code carries (it holds the secret).
    pub otpauth_uri: Secret<String>,
    /// The QR code as an SVG document (it draws the secret).
    pub qr_svg: Secret<String>,
    /// Unix seconds after which the setup must be started again.
    pub expires_at: u64,
}

/// `POST /api/two-step/confirm`, `/recovery-codes` and `/disable`: a code from the authenticator app (a recovery
/// code also works for `/recovery-codes` and `/disable`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    pub code: Secret<String>,
}

/// Recovery codes, shown this once: only their hashes are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<Secret<String>>,
}

/// `GET /api/messages`: every text of the catalogue in one language, for the pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Messages {
    pub locale: Locale,
    pub messages: std::collections::BTreeMap<String, String>,
}

/// `GET /api/requirements`: the active policy's requirements for each account type, as texts in one language — the
/// handout a school prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirements {
    pub locale: Locale,
    pub audiences: Vec<AudienceRequirements>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudienceRequirements {
    pub audience: Audience,
    /// Each rule a new password must meet, in the checklist's words and order.
    pub rules: Vec<String>,
    /// The shorter minimum length for an account with 2-Step Verification, when the policy has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length_two_step: Option<u32>,
    /// How many earlier passwords may not be used again.
    pub history_depth: u32,
}

/// `POST /api/admin/accounts` (and one line of `POST /api/admin/accounts/import`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// The email from the invitation, used to log in.
    pub login_email: String,
    /// The email on the profile, if different; the password-changed notice goes to both.
    #[serde(default)]
    pub contact_email: Option<String>,
    pub audience: Audience,
    pub display_name: String,
    #[serde(default)]
    pub locale: Option<Locale>,
    /// Exactly one of `password` and `password_hash` (an argon2 PHC string, for imports).
    #[serde(default)]
    pub password: Option<Secret<String>>,
    #[serde(default)]
    pub password_hash: Option<Secret<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    Disabled,
}

/// How a password is hashed: `argon2id` once this service has hashed it; another scheme for a hash imported from
/// another system and not yet replaced (the first successful login or reset replaces it with argon2id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordScheme {
    Argon2id,
    Argon2i,
    Argon2d,
    Bcrypt,
    Pbkdf2Sha256,
    Scrypt,
}

/// An account as the admin API shows it: never a hash, a token or a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub login_email: String,
    pub contact_email: Option<String>,
    pub audience: Audience,
    pub display_name: String,
    pub locale: Locale,
    pub status: AccountStatus,
    pub active_sessions: u32,
    /// Unix seconds of the last password change, if any.
    pub password_changed_at: Option<u64>,
    /// How the password is hashed; none until one is set.
    pub password_scheme: Option<PasswordScheme>,
    /// A change the admin asked of this account and not yet made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_change: Option<RequiredChange>,
    pub two_step_enabled: bool,
    /// How the audit trail names this account, to find its lines in the logs.
    pub pseudonym: String,
    /// What the mail provider reported about mail to the login and contact emails (`POST /api/mail-events`), newest
    /// first, at most [`MAIL_EVENTS_SHOWN`].
    #[serde(default)]
    pub mail_events: Vec<MailEvent>,
    /// Unix seconds of the last successful login; none before the first (or before this was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login_at: Option<u64>,
    /// Failed logins in the last 15 minutes, from anyone (30 lock the account for everyone until they age out; 5 from
    /// one device lock that device).
    #[serde(default)]
    pub failed_logins_recent: u32,
    /// The latest reset link: when it was sent, until when it works, and whether it still does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_link: Option<ResetLinkView>,
    /// The account's latest mails (reset links and notices), newest first, and what became of each.
    #[serde(default)]
    pub recent_mail: Vec<RecentMail>,
}

/// The account's latest reset link, as the admin API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetLinkView {
    /// Unix seconds; none for a link issued before this was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<u64>,
    pub expires_at: u64,
    /// `ok` (it works), `expired`, `superseded` (a later request, a reset or a password change ended it) or `used`.
    pub status: TokenStatus,
    /// How many of the links the account remembers (the last ten) a later one replaced before they were used.
    pub superseded: u32,
}

/// One of an account's latest mails and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentMail {
    /// `reset`, `password_changed`, `two_step_changed` or `change_requested`.
    pub kind: String,
    /// Unix seconds when it was decided on.
    pub queued_at: u64,
    pub state: MailState,
    /// Unix seconds of the latest word about it.
    pub updated_at: u64,
    /// How many times the provider put it off (429, 5xx, a timeout).
    #[serde(default)]
    pub retries: u32,
    /// Why it was retried or given up on (the provider's status), never the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Where a mail is: waiting to be sent, put off by the provider, accepted by it (what the receiving side did next is
/// in `mail_events`), given up on (in the dead letters), or never handed to the queue (the request failed and said so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailState {
    Queued,
    Retrying,
    Sent,
    DeadLettered,
    NotQueued,
}

/// The answer to the mail provider's webhook (`POST /api/mail-events`): how many events were kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailEventsRecorded {
    pub recorded: u32,
}

/// How many of an address's mail events the admin API shows.
pub const MAIL_EVENTS_SHOWN: usize = 10;

/// What a mail provider reported about one message to one address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailEvent {
    /// The address, as the account holds it.
    pub address: String,
    pub kind: MailEventKind,
    /// Unix seconds, as the provider dated the event.
    pub at: u64,
    /// `resend` or `postmark`.
    pub provider: String,
    /// The provider's words for a bounce or a delay (at most 200 characters), e.g. the receiving server's reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// What became of a message, as the provider saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailEventKind {
    /// The receiving mail server accepted it (it may still have gone to the spam folder).
    Delivered,
    /// The receiving server put it off; the provider keeps trying.
    Delayed,
    /// Refused for good (no such mailbox, the organisation's mail system blocks it): the provider will not send to
    /// the address again until it is reactivated there.
    Bounced,
    /// Refused for now (mailbox full, greylisting).
    SoftBounced,
    /// The person marked it as spam.
    Complained,
}

/// `GET /api/admin/accounts?email=…`: every account whose login or contact email matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountList {
    pub accounts: Vec<AccountView>,
}

/// The answer to an import: how many lines made accounts, and why the others did not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub created: u32,
    pub failed: Vec<ImportFailure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportFailure {
    /// 1-based line number in the request body.
    pub line: u32,
    pub code: crate::ErrorCode,
    pub detail: Option<String>,
}

/// `GET` and `PUT /api/admin/two-step-requirement`: the audiences that must turn 2-Step Verification on, each with the
/// days of grace a person has from their first login after the requirement (`null`: not required; `0`: at the next
/// login).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwoStepRequirement {
    #[serde(default)]
    pub staff: Option<u32>,
    #[serde(default)]
    pub parent: Option<u32>,
}

impl TwoStepRequirement {
    pub const MAX_GRACE_DAYS: u32 = 365;

    /// The grace period for an audience that must turn it on.
    pub fn grace_secs(&self, audience: Audience) -> Option<u64> {
        let days = match audience {
            Audience::Staff => self.staff,
            Audience::Parent => self.parent,
        };
        days.map(|d| u64::from(d) * 86_400)
    }

    /// Whether every grace period is within [`Self::MAX_GRACE_DAYS`].
    pub fn is_valid(&self) -> bool {
        [self.staff, self.parent].iter().flatten().all(|&days| days <= Self::MAX_GRACE_DAYS)
    }
}

/// `POST /api/admin/accounts/disable`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountRef {
    pub login_email: String,
    pub audience: Audience,
}

/// A mail that could not be delivered after every retry, kept for ops (`GET /api/admin/dead-letters`).
/// Holds no link and no token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetter {
    pub id: String,
    pub kind: String,
    pub to: Vec<String>,
    /// `retries_exhausted` (transient failures until the queue gave up) or `refused` (the provider said no).
    pub reason: String,
    /// Unix seconds.
    pub recorded_at: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadLetterList {
    pub dead_letters: Vec<DeadLetter>,
}

/// A message in the development mailbox (`GET /dev/mailbox.json`, only when `ENVIRONMENT` is `dev`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailboxMessage {
    pub id: String,
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub sent_at: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailbox {
    pub messages: Vec<MailboxMessage>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_refuse_unknown_fields_and_bad_audiences() {
        let ok: ResetRequest = serde_json::from_str(r#"{"email":"a@b.org","audience":"parent"}"#).unwrap();
        assert_eq!(ok.audience, Audience::Parent);
        assert_eq!(ok.locale, None);
        assert!(serde_json::from_str::<ResetRequest>(r#"{"email":"a@b.org","audience":"pupil"}"#).is_err());
        assert!(serde_json::from_str::<ResetRequest>(r#"{"email":"a@b.org","audience":"staff","x":1}"#).is_err());
        assert!(serde_json::from_str::<ResetConfirm>(r#"{"token":"t","password":"p"}"#).is_err());
    }

    /// Every request and answer that carries a password, a token or a code, filled in, prints none of them.
    #[test]
    fn debug_never_prints_a_secret() {
        const SECRET: &str = "Sekrit-Value-0123456789";
        let s = || Secret::from(SECRET);
        let printed = [
            format!("{:?}", VerifyRequest { token: s() }),
            format!("{:?}", ResetConfirm { token: s(), password: s(), confirm: s(), code: Some(s()) }),
            format!(
                "{:?}",
                LoginRequest { email: "a@b.org".into(), audience: Audience::Staff, password: s(), code: Some(s()) }
            ),
            format!("{:?}", CodeRequest { code: s() }),
            format!("{:?}", TwoStepSetup { secret: s(), otpauth_uri: s(), qr_svg: s(), expires_at: 1 }),
            format!("{:?}", RecoveryCodes { recovery_codes: vec![s(), s()] }),
            format!(
                "{:?}",
                NewAccount {
                    login_email: "a@b.org".into(),
                    contact_email: None,
                    audience: Audience::Parent,
                    display_name: "A".into(),
                    locale: None,
                    password: Some(s()),
                    password_hash: Some(s()),
                }
            ),
        ];
        for line in printed {
            assert!(!line.contains(SECRET), "{line}");
            assert!(line.contains("Secret(…)"), "{line}");
        }
    }

    #[test]
    fn a_two_step_requirement_per_audience() {
        let required: TwoStepRequirement = serde_json::from_str(r#"{"staff": 14}"#).unwrap();
        assert_eq!(required.grace_secs(Audience::Staff), Some(14 * 86_400));
        assert_eq!(required.grace_secs(Audience::Parent), None);
        assert!(required.is_valid());
        assert!(!TwoStepRequirement { staff: None, parent: Some(366) }.is_valid());
        assert!(serde_json::from_str::<TwoStepRequirement>(r#"{"pupil": 1}"#).is_err());
        assert!(serde_json::from_str::<TwoStepRequirement>(r#"{"staff": -1}"#).is_err());
    }

    #[test]
    fn policy_response_round_trips() {
        let response = PolicyResponse { policy: Policy::brief_default(), turnstile_site_key: None };
        let json = serde_json::to_string(&response).unwrap();
        assert_eq!(serde_json::from_str::<PolicyResponse>(&json).unwrap(), response);
    }
}
