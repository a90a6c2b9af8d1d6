//! The account's own recent history, for the school office: what happened to it (resets, logins, mail, 2-Step
//! Verification, what staff did), bounded to the last [`HISTORY_KEPT`] entries. Built from the same events as the
//! audit trail, so it never holds more than they do: no token, password, code or address.

use crate::audit::{AccountEvent, TwoStepChange};
use latchkey_shared::api::{HistoryEntry, HistoryEvent, MailEventKind, HISTORY_KEPT};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct History(Vec<HistoryEntry>);

impl History {
    /// Adds what `events` say happened at `now`; whether anything was added (and must be saved).
    pub fn record(&mut self, events: &[AccountEvent], now: u64) -> bool {
        let before = self.0.len();
        self.0.extend(events.iter().filter_map(|event| entry(event, now)));
        let added = self.0.len() > before;
        if self.0.len() > HISTORY_KEPT {
            self.0.drain(..self.0.len() - HISTORY_KEPT);
        }
        added
    }

    /// Newest first.
    pub fn recent(&self) -> Vec<HistoryEntry> {
        self.0.iter().rev().cloned().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The history entry for an event; none for what would crowd the rest out (an app refreshing its tokens every hour),
/// repeats another entry (a password change owed is seen in the login and the required change), or is refused
/// without a write on purpose (a flood of attempts on a link must not cost one each).
fn entry(event: &AccountEvent, at: u64) -> Option<HistoryEntry> {
    let plain = |event| HistoryEntry { at, event, by: None, detail: None };
    let by = |event, by: &latchkey_shared::api::Actor| HistoryEntry { at, event, by: Some(by.clone()), detail: None };
    Some(match event {
        AccountEvent::ResetLinkIssued { by: staff } => {
            HistoryEntry { at, event: HistoryEvent::ResetLinkSent, by: staff.clone(), detail: None }
        }
        AccountEvent::ResetRequestThrottled => plain(HistoryEvent::ResetRequestThrottled),
        AccountEvent::Invited { by: actor, .. } => by(HistoryEvent::InvitationSent, actor),
        AccountEvent::InvitationAccepted => plain(HistoryEvent::InvitationAccepted),
        AccountEvent::InvitationRevoked { by: actor } => by(HistoryEvent::InvitationRevoked, actor),
        AccountEvent::PasswordChanged { .. } => plain(HistoryEvent::PasswordChanged),
        AccountEvent::LoggedIn => plain(HistoryEvent::LoggedIn),
        AccountEvent::LoginFailed(code) => {
            HistoryEntry { detail: Some(code.as_str().to_owned()), ..plain(HistoryEvent::LoginFailed) }
        }
        AccountEvent::TwoStepChanged(change) => plain(match change {
            TwoStepChange::Enabled => HistoryEvent::TwoStepEnabled,
            TwoStepChange::Disabled => HistoryEvent::TwoStepDisabled,
            TwoStepChange::DisabledByAdmin => HistoryEvent::TwoStepDisabledByStaff,
            TwoStepChange::RecoveryCodesReplaced => HistoryEvent::RecoveryCodesReplaced,
            TwoStepChange::PasskeyAdded => HistoryEvent::PasskeyAdded,
            TwoStepChange::PasskeyRemoved => HistoryEvent::PasskeyRemoved,
        }),
        AccountEvent::TwoStepTurnedOff { by: actor } => by(HistoryEvent::TwoStepDisabledByStaff, actor),
        AccountEvent::PasskeyRemovedByStaff { by: actor } => by(HistoryEvent::PasskeyRemoved, actor),
        AccountEvent::TwoStepCodeRefused(code) => {
            HistoryEntry { detail: Some(code.as_str().to_owned()), ..plain(HistoryEvent::TwoStepCodeRefused) }
        }
        AccountEvent::PasswordChangeRequired { by: actor } => by(HistoryEvent::PasswordChangeRequired, actor),
        AccountEvent::PasswordChangeOwed(_)
        | AccountEvent::AppTokensIssued
        | AccountEvent::ResetAttemptThrottled
        | AccountEvent::DeliveryTried { .. } => return None,
        AccountEvent::AppGrantRefused(_) => plain(HistoryEvent::AppGrantRefused),
        AccountEvent::Disabled { by: actor } => by(HistoryEvent::Disabled, actor),
        AccountEvent::Enabled { by: actor } => by(HistoryEvent::Enabled, actor),
        AccountEvent::SessionsEnded { by: actor, .. } => by(HistoryEvent::SessionsEnded, actor),
        AccountEvent::RolesChanged { roles, by: actor } => {
            let named: Vec<&str> = roles.iter().map(|role| role.as_str()).collect();
            HistoryEntry { detail: Some(named.join(",")), ..by(HistoryEvent::RolesChanged, actor) }
        }
        AccountEvent::LoginEmailChangeRequested { by: actor } => by(HistoryEvent::LoginEmailChangeRequested, actor),
        AccountEvent::LoginEmailChanged { by: actor } => by(HistoryEvent::LoginEmailChanged, actor),
        AccountEvent::LoginEmailChangeConfirmed => plain(HistoryEvent::LoginEmailChangeConfirmed),
        AccountEvent::LoginEmailChangeCancelled { reason } => {
            HistoryEntry { detail: Some((*reason).to_owned()), ..plain(HistoryEvent::LoginEmailChangeCancelled) }
        }
        AccountEvent::MailReported { kind } => plain(match kind {
            MailEventKind::Complained => HistoryEvent::MailComplained,
            _ => HistoryEvent::MailBounced,
        }),
        AccountEvent::MailSettled { kind, dead_lettered } => HistoryEntry {
            detail: Some(kind.clone()),
            ..plain(if *dead_lettered { HistoryEvent::MailDeadLettered } else { HistoryEvent::MailSent })
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use latchkey_shared::api::{Actor, Role};
    use latchkey_shared::ErrorCode;

    #[test]
    fn newest_first_bounded_and_quiet_about_token_refreshes() {
        let mut history = History::default();
        assert!(!history.record(&[AccountEvent::AppTokensIssued], 1), "an app's hourly refresh is not history");
        assert!(history.is_empty());
        let staff = Actor::Staff { name: "María".into(), pseudonym: "00ff".into() };
        assert!(history.record(&[AccountEvent::LoginFailed(ErrorCode::InvalidCredentials)], 2));
        assert!(history.record(&[AccountEvent::Disabled { by: staff.clone() }], 3));
        let recent = history.recent();
        assert_eq!(recent[0], HistoryEntry { at: 3, event: HistoryEvent::Disabled, by: Some(staff), detail: None });
        assert_eq!(recent[1].detail.as_deref(), Some("invalid_credentials"));
        for n in 0..(HISTORY_KEPT as u64 + 10) {
            history.record(&[AccountEvent::LoggedIn], 10 + n);
        }
        let recent = history.recent();
        assert_eq!(recent.len(), HISTORY_KEPT);
        assert_eq!(recent[0].at, 10 + HISTORY_KEPT as u64 + 9, "the oldest went first");
        let roles = [AccountEvent::RolesChanged { roles: vec![Role::Helpdesk, Role::Admin], by: Actor::AdminToken }];
        history.record(&roles, 100);
        assert_eq!(history.recent()[0].detail.as_deref(), Some("helpdesk,admin"));
    }
}
