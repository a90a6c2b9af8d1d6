//! The password changed by the person, logged in: the current one typed again (and a code, with 2-Step
//! Verification), the new one checked as every new password is.

use crate::account::apply::{Apply, Context, Outcome, Slot};
use crate::account::new_password::ChangeInput;
use crate::account::refusal::Refusal;
use crate::account::state::AccountState;
use crate::account::two_step::{factor, PasskeyAnswer};
use crate::audit::AccountEvent;
use crate::token::TokenHash;
use latchkey_shared::{ErrorCode, Secret};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct ChangePassword {
    /// A pseudonym of the client's address: a wrong current password counts as that client's failed login.
    pub client: String,
    pub session_hash: TokenHash,
    pub current: Secret<String>,
    pub password: Secret<String>,
    pub confirm: Secret<String>,
    /// The breach check's verdict on the new password, when it could be had.
    pub breached: Option<bool>,
    #[serde(default)]
    pub code: Option<Secret<String>>,
    #[serde(default)]
    pub passkey: Option<PasskeyAnswer>,
}

impl Apply for ChangePassword {
    /// How many other sessions were logged out.
    type Reply = Result<u32, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(ErrorCode::Unauthorized.into())) };
        let input = ChangeInput {
            session: self.session_hash,
            client: &self.client,
            current: self.current.expose_str(),
            password: self.password.expose_str(),
            confirm: self.confirm.expose_str(),
            breached: self.breached,
            factor: factor(self.code.as_ref(), self.passkey.as_ref(), &cx.rules.relying_party),
        };
        let notice = cx.ids.notice.clone();
        let keys = &cx.rules.sealing_keys;
        match account.change_password(input, cx.now, &cx.rules.policy, cx.hasher, keys, notice) {
            Ok(revoked_sessions) => changed(account, revoked_sessions, cx),
            // Failures are counted (a wrong current password, a wrong code), so even a refusal is stored.
            Err(refusal) => {
                let event = match refusal.code {
                    ErrorCode::Unauthorized => return Outcome::reply(Err(refusal)),
                    ErrorCode::PasswordIncorrect | ErrorCode::RateLimited => AccountEvent::LoginFailed(refusal.code),
                    ErrorCode::TwoStepRequired | ErrorCode::TwoStepCodeInvalid => {
                        AccountEvent::TwoStepCodeRefused(refusal.code)
                    }
                    _ => return Outcome::reply(Err(refusal)).saved(),
                };
                Outcome::reply(Err(refusal)).saved().event(event)
            }
        }
    }
}

/// A password was changed (through a reset link or by the person) and `revoked_sessions` logged out: the site's
/// backend is told when webhooks are on, the notice is flushed at once and the webhook from the alarm (a slow backend
/// never holds up the person's answer), and it is audited.
pub(super) fn changed(
    account: &mut AccountState,
    revoked_sessions: u32,
    cx: &Context<'_>,
) -> Outcome<Result<u32, Refusal>> {
    if cx.rules.webhook.is_some() {
        account.queue_webhook(cx.ids.webhook.clone(), cx.now);
    }
    Outcome::reply(Ok(revoked_sessions)).saved().flushing().event(AccountEvent::PasswordChanged { revoked_sessions })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::apply::testing::{ana, hash, rules, run, NOW, OLD_PASSWORD};
    use crate::account::commands::session::Login;
    use crate::mail::job::MailJob;
    use latchkey_shared::api::TwoStepRequirement;

    const NEW: &str = "Otter-Lantern-42-Quiet";

    fn logged_in(sessions: &[u8]) -> Slot {
        let mut slot = ana();
        for &n in sessions {
            let login = Login {
                client: "test-client".into(),
                password: OLD_PASSWORD.into(),
                code: None,
                passkey: None,
                session_hash: hash(n),
                requirement: TwoStepRequirement::default(),
                breached: None,
                password_change: Default::default(),
            };
            run(&mut slot, login, NOW, &rules()).reply.unwrap();
        }
        slot
    }

    fn change(current: &str, password: &str, confirm: &str) -> ChangePassword {
        ChangePassword {
            client: "test-client".into(),
            session_hash: hash(1),
            current: current.into(),
            password: password.into(),
            confirm: confirm.into(),
            breached: None,
            code: None,
            passkey: None,
        }
    }

    #[test]
    fn a_change_ends_the_other_sessions_keeps_this_one_and_tells_every_address() {
        let mut slot = logged_in(&[1, 2, 3]);
        let changed = run(&mut slot, change(OLD_PASSWORD, NEW, NEW), NOW + 10, &rules());
        assert_eq!(changed.reply, Ok(2));
        assert_eq!(changed.events, [AccountEvent::PasswordChanged { revoked_sessions: 2 }]);
        assert!(changed.flush_outbox);
        let account = slot.account.as_ref().unwrap();
        assert!(account.sessions.is_live(&hash(1), NOW + 10) && !account.sessions.is_live(&hash(2), NOW + 10));
        assert!(account.sessions.authenticated_within(&hash(1), NOW + 10, 1), "the password was just typed");
        assert!(
            matches!(&account.outbox.pending[..], [MailJob { to, kind: crate::mail::job::Kind::PasswordChanged { .. }, .. }] if to.len() == 2)
        );
        let again = run(&mut slot, change(NEW, OLD_PASSWORD, OLD_PASSWORD), NOW + 20, &rules());
        assert_eq!(again.reply.unwrap_err().code, ErrorCode::PasswordReused, "the history counts");
    }

    #[test]
    fn refusals_change_nothing_but_count_a_wrong_current_password() {
        let mut slot = logged_in(&[1, 2]);
        let before = slot.clone();
        let mismatch = run(&mut slot, change(OLD_PASSWORD, NEW, "Otter-Lantern-42-Quite"), NOW, &rules());
        assert_eq!(mismatch.reply.unwrap_err().code, ErrorCode::PasswordMismatch);
        let weak = run(&mut slot, change(OLD_PASSWORD, "short", "short"), NOW, &rules());
        assert_eq!(weak.reply.unwrap_err().code, ErrorCode::PasswordRejected);
        assert_eq!(slot, before, "nothing changed");
        let wrong = run(&mut slot, change("not-it", NEW, NEW), NOW, &rules());
        assert_eq!(wrong.reply.unwrap_err().code, ErrorCode::PasswordIncorrect);
        assert_eq!(wrong.events, [AccountEvent::LoginFailed(ErrorCode::PasswordIncorrect)]);
        assert_eq!(slot.account.as_ref().unwrap().failed_logins.len(), 1);
        let stranger = ChangePassword { session_hash: hash(9), ..change(OLD_PASSWORD, NEW, NEW) };
        let refused = run(&mut slot, stranger, NOW, &rules());
        assert_eq!((refused.reply.unwrap_err().code, refused.saves), (ErrorCode::Unauthorized, 0));
    }
}
