//! What the Worker asks an account's Durable Object, and what it answers. JSON over the stub's `fetch`.
//! Neither type is `Debug`: commands carry passwords.

use super::state::{Profile, Refusal};
use crate::token::TokenHash;
use latchkey_shared::api::{AccountView, SessionInfo, TokenStatus};
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
    },
    Login {
        password: String,
        session_hash: TokenHash,
    },
    Session {
        session_hash: TokenHash,
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
}
