//! What the Worker asks an account's Durable Object, and what it answers. JSON over the stub's `fetch`.
//! Neither type is `Debug`: commands carry passwords.

use super::state::{Profile, Refusal};
use super::two_step::TotpSecret;
use crate::token::TokenHash;
use latchkey_shared::api::{AccountView, SessionInfo, TokenStatus, TwoStepRequirement, TwoStepStatus};
use latchkey_shared::{Audience, Locale};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Command {
    Create {
        profile: Profile,
        password_hash: Option<String>,
    },
    View,
    Disable,
    /// The admin turns 2-Step Verification off for someone who lost the phone and the recovery codes.
    AdminTwoStepOff,
    IssueToken {
        token_hash: TokenHash,
        lifetime_secs: u32,
    },
    TokenStatus {
        token_hash: TokenHash,
    },
    /// The link's mail could not be sent: take it back.
    WithdrawToken {
        token_hash: TokenHash,
    },
    Reset {
        token_hash: TokenHash,
        password: String,
        confirm: String,
        breached: Option<bool>,
        #[serde(default)]
        code: Option<String>,
    },
    Login {
        password: String,
        #[serde(default)]
        code: Option<String>,
        session_hash: TokenHash,
        #[serde(default)]
        requirement: TwoStepRequirement,
    },
    /// The 2-Step Verification settings, for the holder of a session (also one past its grace period).
    TwoStep {
        session_hash: TokenHash,
        action: TwoStepAction,
        #[serde(default)]
        requirement: TwoStepRequirement,
    },
    /// `requirement`: the site's, which a session past its grace period does not meet.
    Session {
        session_hash: TokenHash,
        #[serde(default)]
        requirement: TwoStepRequirement,
    },
    Logout {
        session_hash: TokenHash,
    },
    /// From the mail queue's consumer: this mail was sent or dead-lettered.
    MailSettled {
        id: String,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TwoStepAction {
    Status,
    /// Start a setup with this new secret (made at the edge).
    Setup {
        secret: TotpSecret,
    },
    /// Turn it on with a first code; the recovery codes' hashes (the codes themselves go only to the person).
    Confirm {
        code: String,
        recovery_hashes: Vec<String>,
    },
    ReplaceRecoveryCodes {
        code: String,
        recovery_hashes: Vec<String>,
    },
    Disable {
        code: String,
    },
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "snake_case")]
pub enum Reply {
    Done,
    Account {
        view: AccountView,
    },
    /// A token was recorded: where to send the link.
    Issued {
        to: String,
        display_name: String,
        audience: Audience,
        locale: Locale,
    },
    NoAccount,
    TokenStatus {
        status: TokenStatus,
        audience: Option<Audience>,
        #[serde(default)]
        two_step: bool,
    },
    ResetDone {
        revoked_sessions: u32,
    },
    Session {
        info: SessionInfo,
    },
    Refused {
        refusal: Refusal,
    },
    TwoStep {
        status: TwoStepStatus,
    },
    /// A setup was started: the label for the authenticator app, and until when the first code is awaited.
    SetupStarted {
        login_email: String,
        expires_at: u64,
    },
}
