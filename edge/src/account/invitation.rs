//! An account's invitation: the links mailed to set it up (only the newest works, each once, until it expires; only
//! their hashes are kept), who invited and when, what the provider and the person did with it, and the reminder. The
//! rules that span the account — inviting (never an account already set up), accepting (the first password, the
//! address verified, a session) — are `state::invitation`; the commands that apply them, `commands::invitation`.

use super::tokens::Tokens;
use crate::token::TokenHash;
use latchkey_shared::api::{Actor, InvitationStatus, InvitationView};
use serde::{Deserialize, Serialize};

/// What the provider last said about the invitation's mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Delivered,
    Bounced,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub links: Tokens,
    pub invited_at: u64,
    pub sent_at: u64,
    pub expires_at: u64,
    pub by: Actor,
    pub sends: u32,
    /// The latest mail's id: the same invitation asked for again under it (a batch's chunk tried again) is not sent
    /// twice.
    #[serde(default)]
    pub mail_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepted_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<u64>,
    /// When the reminder is to be mailed; none when reminders are off, or it was mailed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remind_at: Option<u64>,
}

/// A new link for an invitation: its hash, how long it works, who sends it, and the reminder's lead (none: off).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub hash: TokenHash,
    pub lifetime_secs: u64,
    pub by: Actor,
    /// Its mail's id (the provider's idempotency key).
    pub mail_id: String,
    #[serde(default)]
    pub remind_before_secs: Option<u64>,
}

impl Invitation {
    pub fn status(&self, now: u64) -> InvitationStatus {
        if self.accepted_at.is_some() {
            InvitationStatus::Accepted
        } else if self.revoked_at.is_some() {
            InvitationStatus::Revoked
        } else if now >= self.expires_at {
            InvitationStatus::Expired
        } else if self.opened_at.is_some() {
            InvitationStatus::Opened
        } else {
            match self.delivery {
                Some(Delivery::Bounced) => InvitationStatus::Bounced,
                Some(Delivery::Delivered) => InvitationStatus::Delivered,
                None => InvitationStatus::Sent,
            }
        }
    }

    /// Whether it can still be accepted (or sent again): not accepted, not revoked (expiry does not end it: a
    /// re-send gives a new link).
    pub fn is_settled(&self) -> bool {
        self.accepted_at.is_some() || self.revoked_at.is_some()
    }

    /// Whether the open invitation's latest mail is `mail_id`: asked for again, it is already on its way.
    pub fn sent_as(&self, mail_id: &str) -> bool {
        !self.is_settled() && self.mail_id == mail_id
    }

    pub(super) fn send(&mut self, link: Link, now: u64) {
        let expires_at = now + link.lifetime_secs;
        self.links.issue(link.hash, now, expires_at);
        self.sent_at = now;
        self.expires_at = expires_at;
        self.by = link.by;
        self.mail_id = link.mail_id;
        self.sends += 1;
        self.delivery = None;
        self.revoked_at = None;
        self.remind_at = link.remind_before_secs.map(|lead| expires_at.saturating_sub(lead)).filter(|&at| at > now);
    }
}

/// An invitation as it reads at `now`: one stored in an index, written earlier, may have expired since.
pub fn as_of(mut view: InvitationView, now: u64) -> InvitationView {
    if view.status.is_open() && now >= view.expires_at {
        view.status = InvitationStatus::Expired;
    }
    view
}
