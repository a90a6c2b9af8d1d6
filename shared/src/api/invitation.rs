//! Invitations: the school invites a person (one, or a batch exported by its information system), the invitation mail
//! carries a single-use link, and the first visit (`/welcome`) sets the account up and logs the person in.

use super::{ImportFailure, RegistrationCredential, SessionInfo, TokenStatus};
use crate::audience::Audience;
use crate::messages::Locale;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};

/// `POST /api/admin/invitations`, and each line of a batch given as JSON lines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    pub login_email: String,
    pub audience: Audience,
    pub display_name: String,
    #[serde(default)]
    pub contact_email: Option<String>,
    /// The mail's and the welcome page's language; the account's from then on (English when none).
    #[serde(default)]
    pub locale: Option<Locale>,
}

/// `POST /api/admin/invitations/resend` and `…/revoke`: the invited account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationAction {
    pub login_email: String,
    pub audience: Audience,
}

/// Where an invitation stands, as the office acts on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    /// Mailed; nothing heard since.
    Sent,
    /// The receiving mail server took it (the provider's event).
    Delivered,
    /// The receiving mail server refused it (the provider's event): check the address.
    Bounced,
    /// The person opened the link (the welcome page checked it).
    Opened,
    /// The person set the account up.
    Accepted,
    /// The link's time ran out before it was used: send it again.
    Expired,
    /// Staff withdrew it.
    Revoked,
}

impl InvitationStatus {
    /// Still waiting for the person: neither accepted, expired nor revoked.
    pub fn is_open(self) -> bool {
        !matches!(self, InvitationStatus::Accepted | InvitationStatus::Expired | InvitationStatus::Revoked)
    }
}

/// One invitation, as the console's card and list show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub login_email: String,
    pub audience: Audience,
    pub display_name: String,
    pub status: InvitationStatus,
    /// Unix seconds: the first invitation.
    pub invited_at: u64,
    /// Unix seconds: the latest mail (a re-send replaces the link).
    pub sent_at: u64,
    pub expires_at: u64,
    /// Who invited (a staff member's name, or `admin token`).
    pub invited_by: String,
    /// How many times it was sent (1 for the first mail).
    pub sends: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<u64>,
}

/// `GET /api/admin/invitations`: a page of invitations, newest invited first within the page; `cursor` for the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationList {
    pub invitations: Vec<InvitationView>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// How far one account type's invitations have come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationCount {
    pub audience: Audience,
    /// Everyone ever invited.
    pub invited: u32,
    pub accepted: u32,
    /// Still open: sent, delivered, bounced or opened.
    pub waiting: u32,
    pub bounced: u32,
    pub expired: u32,
    pub revoked: u32,
}

/// `GET /api/admin/invitations/counts`: per account type, invited against accepted (KV: a report, not a promise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationCounts {
    pub counts: Vec<InvitationCount>,
}

/// The answer to `POST /api/admin/invitations/batch`: the lines taken (their invitations go out from the queue,
/// paced to the provider) and those refused at once, each with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchAccepted {
    pub batch: String,
    /// Lines read (blank lines and a CSV header are not counted).
    pub lines: u32,
    /// Lines queued to be invited.
    pub queued: u32,
    pub refused: Vec<ImportFailure>,
    /// Unix seconds: when the last of its mails is due to have been handed over, at the configured pace.
    pub paced_until: u64,
}

/// `GET /api/admin/invitations/batch?id=…`: how far a batch has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchReport {
    pub batch: String,
    pub lines: u32,
    pub queued: u32,
    /// Of those queued, how many were processed (invited or refused).
    pub processed: u32,
    pub invited: u32,
    /// Every line refused, at once or when it was processed (an account that exists, one the caller may not act on).
    pub refused: Vec<ImportFailure>,
    pub done: bool,
    /// Unix seconds.
    pub started_at: u64,
    pub started_by: String,
}

/// `POST /api/invitations/verify`: whether an invitation link works. It consumes nothing (mail scanners open links).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationCheck {
    pub token: Secret<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationCheckResponse {
    /// `ok`, or why the link does not work: `expired`, `superseded` (a newer invitation was sent), `used`,
    /// `revoked`, `invalid`.
    pub status: TokenStatus,
    /// For a good link only: whose account it sets up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// The school requires 2-Step Verification for this account type: the welcome sets it up next.
    #[serde(default)]
    pub two_step_required: bool,
}

impl InvitationCheckResponse {
    /// A link that does not work says only why: nothing about whose it is.
    pub fn dead(status: TokenStatus) -> InvitationCheckResponse {
        InvitationCheckResponse {
            status,
            audience: None,
            login_email: None,
            display_name: None,
            locale: None,
            two_step_required: false,
        }
    }
}

/// `POST /api/invitations/accept`: the first password. The answer is the new session ([`super::SessionInfo`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    pub token: Secret<String>,
    pub password: Secret<String>,
    pub confirm: Secret<String>,
}

/// `POST /api/invitations/accept-passkey`: a passkey instead of a password (its ceremony from
/// `POST /api/invitations/passkey-options`, which takes an [`InvitationCheck`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationWithPasskey {
    pub token: Secret<String>,
    pub ceremony: String,
    pub credential: RegistrationCredential,
    #[serde(default)]
    pub name: Option<String>,
}

/// The answer to accepting with a passkey: the session, and the recovery codes 2-Step Verification turned on with
/// (shown this once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WelcomedWithPasskey {
    #[serde(flatten)]
    pub session: SessionInfo,
    pub recovery_codes: Vec<Secret<String>>,
}
