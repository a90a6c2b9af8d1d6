//! What the account's state machine says happened ([`AccountEvent`]) and the audit line each becomes.

use super::{Event, GrantRefusal, Pseudonym, TwoStepChange};
use crate::webhook::{DeliveryKind, Outcome};
use latchkey_shared::api::{Actor, MailEventKind, PasswordChangeReason, Role};
use latchkey_shared::ErrorCode;

/// What the account's state machine says happened: an audit line under the account's pseudonym (for most), and an
/// entry in the account's own history (for most; see `account::history`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountEvent {
    /// A reset link was issued (the handler that mails it writes the audit line, with the token's hash prefix),
    /// by staff when `by` says so.
    ResetLinkIssued {
        by: Option<Actor>,
    },
    ResetRequestThrottled,
    /// Too many tries with a live link (a reset's, an invitation's).
    ResetAttemptThrottled,
    /// Staff (or the admin API) invited the person; `again`: a later invitation replaced an earlier one.
    Invited {
        by: Actor,
        again: bool,
    },
    /// The person set the account up from the invitation.
    InvitationAccepted,
    InvitationRevoked {
        by: Actor,
    },
    PasswordChanged {
        revoked_sessions: u32,
    },
    LoggedIn,
    LoginFailed(ErrorCode),
    TwoStepChanged(TwoStepChange),
    /// Staff (or the admin API) turned 2-Step Verification off for someone who lost the phone and the codes.
    TwoStepTurnedOff {
        by: Actor,
    },
    /// Staff (or the admin API) removed a passkey, for someone who lost the device it lives on.
    PasskeyRemovedByStaff {
        by: Actor,
    },
    TwoStepCodeRefused(ErrorCode),
    /// The admin required a new password of this account.
    PasswordChangeRequired {
        by: Actor,
    },
    /// A login opened a session that owes a new password, for this reason.
    PasswordChangeOwed(PasswordChangeReason),
    /// An app exchanged a code, or a refresh token, for tokens.
    AppTokensIssued,
    /// An app's code or refresh token was refused (a replay revokes what it issued).
    AppGrantRefused(GrantRefusal),
    Disabled {
        by: Actor,
    },
    Enabled {
        by: Actor,
    },
    /// Every session was ended for the person (`ended` of them).
    SessionsEnded {
        ended: u32,
        by: Actor,
    },
    RolesChanged {
        roles: Vec<Role>,
        by: Actor,
    },
    /// Staff asked for a new login email; its address has a link to confirm it.
    LoginEmailChangeRequested {
        by: Actor,
    },
    /// The new address confirmed: the account moved to its new name (a new pseudonym from here on).
    LoginEmailChanged {
        by: Actor,
    },
    /// The new address confirmed the change; it takes effect when its delay ends.
    LoginEmailChangeConfirmed,
    /// The change was called off: `by_owner` (the old address's link), `account_protected` (its requester may no
    /// longer act on the account), `address_taken` (another account took the new name meanwhile).
    LoginEmailChangeCancelled {
        reason: &'static str,
    },
    /// The provider reported a refusal or a complaint about mail to one of the account's addresses (logged as
    /// `mail_event_recorded`, without the address).
    MailReported {
        kind: MailEventKind,
    },
    /// The provider accepted one of the account's mails, or it was given up on (the queue consumer logs both).
    MailSettled {
        kind: String,
        dead_lettered: bool,
    },
    /// A webhook or a back-channel logout was tried: delivered, to be retried, or given up (`reason`: what the last
    /// try got).
    DeliveryTried {
        kind: DeliveryKind,
        delivery: String,
        outcome: Outcome,
        reason: String,
        /// Until the next try, when there is one.
        delay_secs: u32,
    },
}

/// How the audit trail names who acted: `admin_token`, or the staff member's pseudonym.
pub fn actor_name(by: &Actor) -> &str {
    match by {
        Actor::AdminToken => "admin_token",
        Actor::Staff { pseudonym, .. } => pseudonym,
    }
}

impl AccountEvent {
    /// Its audit line, if it has one of its own.
    pub fn event<'a>(&'a self, account: &'a Pseudonym) -> Option<Event<'a>> {
        Some(match self {
            AccountEvent::ResetLinkIssued { by: Some(by) } => {
                Event::ResetLinkSentByStaff { account, by: actor_name(by) }
            }
            AccountEvent::ResetLinkIssued { by: None }
            | AccountEvent::LoggedIn
            | AccountEvent::MailSettled { .. }
            | AccountEvent::MailReported { .. } => return None,
            AccountEvent::ResetRequestThrottled => Event::ResetRequestThrottled { account },
            &AccountEvent::Invited { ref by, again } => Event::InvitationSent { account, by: actor_name(by), again },
            AccountEvent::InvitationAccepted => Event::InvitationAccepted { account },
            AccountEvent::InvitationRevoked { by } => Event::InvitationRevoked { account, by: actor_name(by) },
            AccountEvent::ResetAttemptThrottled => Event::ResetAttemptThrottled { account },
            &AccountEvent::PasswordChanged { revoked_sessions } => Event::PasswordChanged { account, revoked_sessions },
            &AccountEvent::LoginFailed(code) => Event::LoginFailed { account, code },
            &AccountEvent::TwoStepChanged(change) => Event::TwoStepChanged { account, change, by: None },
            AccountEvent::TwoStepTurnedOff { by } => {
                Event::TwoStepChanged { account, change: TwoStepChange::DisabledByAdmin, by: Some(actor_name(by)) }
            }
            AccountEvent::PasskeyRemovedByStaff { by } => {
                Event::TwoStepChanged { account, change: TwoStepChange::PasskeyRemoved, by: Some(actor_name(by)) }
            }
            &AccountEvent::TwoStepCodeRefused(code) => Event::TwoStepCodeRefused { account, code },
            AccountEvent::PasswordChangeRequired { by } => {
                Event::PasswordChangeRequired { account, by: actor_name(by) }
            }
            &AccountEvent::PasswordChangeOwed(reason) => Event::PasswordChangeOwed { account, reason },
            AccountEvent::AppTokensIssued => Event::AppTokensIssued { account },
            &AccountEvent::AppGrantRefused(reason) => Event::AppGrantRefused { account, reason },
            AccountEvent::Disabled { by } => Event::AccountDisabled { account, by: actor_name(by) },
            AccountEvent::Enabled { by } => Event::AccountEnabled { account, by: actor_name(by) },
            AccountEvent::SessionsEnded { ended, by } => {
                Event::SessionsEndedByAdmin { account, ended: *ended, by: actor_name(by) }
            }
            AccountEvent::RolesChanged { roles, by } => Event::RolesChanged { account, roles, by: actor_name(by) },
            AccountEvent::LoginEmailChangeRequested { by } => {
                Event::LoginEmailChangeRequested { account, by: actor_name(by) }
            }
            AccountEvent::LoginEmailChanged { by } => Event::LoginEmailChanged { account, by: actor_name(by) },
            AccountEvent::LoginEmailChangeConfirmed => Event::LoginEmailChangeConfirmed { account },
            &AccountEvent::LoginEmailChangeCancelled { reason } => Event::LoginEmailChangeCancelled { account, reason },
            &AccountEvent::DeliveryTried { kind, ref delivery, outcome, ref reason, delay_secs } => {
                let (delivery, reason) = (delivery.as_str(), reason.as_str());
                match (kind, outcome) {
                    (DeliveryKind::Webhook, Outcome::Delivered) => Event::WebhookSent { delivery, account },
                    (DeliveryKind::Webhook, Outcome::RetryAt(_)) => {
                        Event::WebhookRetry { delivery, account, reason, delay_secs }
                    }
                    (DeliveryKind::Webhook, Outcome::GiveUp) => {
                        Event::WebhookDeadLettered { delivery, account, reason }
                    }
                    (DeliveryKind::BackChannelLogout, Outcome::Delivered) => {
                        Event::BackChannelLogoutSent { delivery, account }
                    }
                    (DeliveryKind::BackChannelLogout, Outcome::RetryAt(_)) => {
                        Event::BackChannelLogoutRetry { delivery, account, reason, delay_secs }
                    }
                    (DeliveryKind::BackChannelLogout, Outcome::GiveUp) => {
                        Event::BackChannelLogoutDeadLettered { delivery, account, reason }
                    }
                }
            }
        })
    }
}
