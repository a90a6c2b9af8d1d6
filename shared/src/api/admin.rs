//! The admin API's bodies: accounts as the school office sees them (with their mail and reset links), imports, the
//! 2-Step Verification requirement, dead letters, the provider's delivery events and the development mailbox.

use super::{RequiredChange, TokenStatus};
use crate::audience::Audience;
use crate::messages::Locale;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};

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
    /// Its passkeys: names, when added and last used (no key material).
    #[serde(default)]
    pub passkeys: Vec<super::PasskeyInfo>,
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
    /// What this staff account may do in the console (none for most accounts, and always none for parents).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// What happened to the account lately, newest first, at most [`HISTORY_KEPT`]: never a token, a password or a
    /// code.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// A login email change asked for and not yet in effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_login_email: Option<PendingLoginEmail>,
    /// The account's invitation, when it was invited (kept once accepted: when, and by whom).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invitation: Option<super::InvitationView>,
    /// Whether the caller may act on this account: not on one holding a role at or above its own
    /// ([`StaffMember::may_act_on`]).
    #[serde(default)]
    pub may_act: bool,
}

/// What a staff account may do in the console (`/admin`). `helpdesk` finds accounts, looks at them, sends reset
/// links, ends sessions, disables and enables, turns 2-Step Verification off after the identity checks and changes a
/// login email; `admin` does all that and also grants roles and runs the settings (2-Step requirement, required
/// changes, dead letters, apps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Helpdesk,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Helpdesk => "helpdesk",
            Role::Admin => "admin",
        }
    }

    /// Whether holding `self` allows what `needed` allows.
    pub fn covers(self, needed: Role) -> bool {
        self == Role::Admin || needed == Role::Helpdesk
    }

    /// Its place in the order of roles: an account holding none is below both.
    fn rank(self) -> u8 {
        match self {
            Role::Helpdesk => 1,
            Role::Admin => 2,
        }
    }

    /// The rank of an account holding `roles`: its highest role's (0 for none).
    pub fn rank_of(roles: &[Role]) -> u8 {
        roles.iter().map(|role| role.rank()).max().unwrap_or(0)
    }
}

/// How many entries an account's history keeps: the oldest go first.
pub const HISTORY_KEPT: usize = 50;

/// Who did something to an account: the admin API's bearer token (automation, the first admin), or a staff member
/// in the console (named for the desk, and by pseudonym for the logs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    AdminToken,
    Staff { name: String, pseudonym: String },
}

impl Actor {
    /// As the console names who did something: the staff member's name, or `admin token`.
    pub fn display_name(&self) -> &str {
        match self {
            Actor::AdminToken => "admin token",
            Actor::Staff { name, .. } => name,
        }
    }
}

/// One thing that happened to an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Unix seconds.
    pub at: u64,
    pub event: HistoryEvent,
    /// Who did it, when it was done to the account by staff or the admin API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Actor>,
    /// More about it: a refusal's error code, a mail's kind, the roles now held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The kinds of [`HistoryEntry`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryEvent {
    ResetLinkSent,
    ResetRequestThrottled,
    PasswordChanged,
    LoggedIn,
    LoginFailed,
    TwoStepEnabled,
    TwoStepDisabled,
    TwoStepDisabledByStaff,
    RecoveryCodesReplaced,
    PasskeyAdded,
    PasskeyRemoved,
    TwoStepCodeRefused,
    PasswordChangeRequired,
    AppGrantRefused,
    Disabled,
    Enabled,
    SessionsEnded,
    RolesChanged,
    MailSent,
    MailDeadLettered,
    /// The provider reported mail to one of its addresses refused by the receiving system.
    MailBounced,
    /// The person marked a mail as spam.
    MailComplained,
    LoginEmailChangeRequested,
    LoginEmailChanged,
    /// The new address confirmed a login email change; it takes effect when the delay ends.
    LoginEmailChangeConfirmed,
    /// The change was cancelled (by the old address's link), or could not be made.
    LoginEmailChangeCancelled,
    /// Staff invited the person (or invited them again: a new link).
    InvitationSent,
    /// The person set the account up from the invitation.
    InvitationAccepted,
    InvitationRevoked,
}

/// `PUT /api/admin/accounts/roles`: the roles a staff account holds from now on (an empty list takes them all away).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetRoles {
    pub login_email: String,
    pub audience: Audience,
    pub roles: Vec<Role>,
}

/// `POST /api/admin/accounts/two-step-off`. A staff member in the console must tick every identity check the school
/// defined (`GET /api/admin/identity-checks`), by its id; the bearer token (automation) is trusted to have done them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TwoStepOff {
    pub login_email: String,
    pub audience: Audience,
    #[serde(default)]
    pub checks: Vec<String>,
}

/// `POST /api/admin/accounts/passkey-remove`: a passkey of the account removed, for someone who lost the device it
/// lives on, after the same identity checks as `two-step-off`. The last second factor going turns 2-Step Verification
/// off; every session ends either way (whoever holds the device may be logged in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasskeyRemoveByStaff {
    pub login_email: String,
    pub audience: Audience,
    pub id: String,
    #[serde(default)]
    pub checks: Vec<String>,
}

/// `POST /api/admin/accounts/login-email`: the account of `login_email` is to log in with `new_login_email`. The old
/// address is told at once, with a link to cancel; the change takes effect once the new address confirms (a link is
/// mailed there) and the delay (`LOGIN_EMAIL_CHANGE_DELAY_SECS`; none for the bearer token) has passed with no
/// cancellation. A staff member in the console must tick every identity check the school defined, as for
/// `two-step-off`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeLoginEmail {
    pub login_email: String,
    pub audience: Audience,
    pub new_login_email: String,
    #[serde(default)]
    pub checks: Vec<String>,
}

/// `POST /api/login-email-changes` (the token from the link mailed to the new address) and
/// `POST /api/login-email-changes/cancel` (the token from the link mailed to the old one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginEmailConfirm {
    pub token: Secret<String>,
}

/// The answer to a confirmed login email change: the email to log in with, and — while the delay that lets the owner
/// stop it runs — when the change takes effect (none: it has).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginEmailChanged {
    pub login_email: String,
    pub audience: Audience,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_at: Option<u64>,
}

/// `POST /api/admin/accounts/seal-secrets`: one page of the account registry to sweep (from `cursor`, at most
/// `limit` accounts, 1 to 100, 50 unless given).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealSecretsPage {
    #[serde(default)]
    pub cursor: Option<String>,
    #[serde(default)]
    pub limit: Option<u32>,
}

/// What a page of the sweep did: accounts looked at, accounts whose secrets were sealed, and where the next page
/// starts (none: the sweep is done).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealSecretsReport {
    pub checked: u32,
    pub sealed: u32,
    pub cursor: Option<String>,
}

/// A login email change waiting, as the admin API shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingLoginEmail {
    pub new_login_email: String,
    /// Unix seconds: the earliest moment it can take effect.
    pub effective_at: u64,
    /// Whether the new address has confirmed it.
    pub confirmed: bool,
}

/// `GET /api/admin/identity-checks`: what the desk must check before turning someone's 2-Step Verification off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityChecks {
    pub checks: Vec<IdentityCheck>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityCheck {
    pub id: String,
    pub text: String,
}

/// `GET /api/admin/me`: who is using the console, and what they may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub actor: Actor,
    pub roles: Vec<Role>,
}

impl StaffMember {
    /// The bearer token: automation and the first admin, above every role.
    pub fn admin_token() -> StaffMember {
        StaffMember { actor: Actor::AdminToken, roles: vec![Role::Admin] }
    }

    /// Whether this caller may act on an account holding `target_roles`: only from above. A role never acts on an
    /// account holding a role at or above its own — its own account included —, so the helpdesk acts on no role
    /// holder, an admin on helpdesk accounts but not on another admin, and only the bearer token on admins (as the
    /// help-desk roles of Google Workspace and Okta are bounded).
    pub fn may_act_on(&self, target_roles: &[Role]) -> bool {
        match self.actor {
            Actor::AdminToken => true,
            Actor::Staff { .. } => Role::rank_of(&self.roles) > Role::rank_of(target_roles),
        }
    }
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
    /// `reset`, `password_changed`, `two_step_changed`, `change_requested`, `account_changed` (a notice of what staff
    /// changed) or `confirm_login_email`.
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    /// The account a mail was about (none for a webhook or an app's logout).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountRef>,
    /// Whether `POST /api/admin/dead-letters/resend` can send it again: a notice is sent as it was; for a reset link,
    /// a new link is sent (the old one is never kept).
    #[serde(default)]
    pub resendable: bool,
}

/// `POST /api/admin/dead-letters/resend`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResendDeadLetter {
    pub id: String,
}

/// What a re-send did: `notice` (the same notice, under a new id) or `reset_link` (a new link to the login email).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resent {
    pub resent: String,
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
    fn a_role_acts_only_on_accounts_below_it_and_only_the_token_on_admins() {
        let staff = |roles: Vec<Role>| StaffMember {
            actor: Actor::Staff { name: "Desk".into(), pseudonym: "00aa".into() },
            roles,
        };
        let (none, helpdesk, admin, both) =
            (&[][..], &[Role::Helpdesk][..], &[Role::Admin][..], &[Role::Helpdesk, Role::Admin][..]);
        let desk = staff(vec![Role::Helpdesk]);
        assert!(desk.may_act_on(none));
        assert!(!desk.may_act_on(helpdesk), "not on a peer, nor on itself");
        assert!(!desk.may_act_on(admin) && !desk.may_act_on(both));
        let head = staff(vec![Role::Admin]);
        assert!(head.may_act_on(none) && head.may_act_on(helpdesk));
        assert!(!head.may_act_on(admin) && !head.may_act_on(both), "another admin needs the bearer token");
        assert!(!staff(vec![]).may_act_on(none), "no role acts on nobody");
        let token = StaffMember::admin_token();
        assert!([none, helpdesk, admin, both].iter().all(|target| token.may_act_on(target)));
    }
}
