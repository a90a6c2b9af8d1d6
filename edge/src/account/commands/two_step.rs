//! The logged-in person's 2-Step Verification settings: where it stands, start a setup, turn it on with a first code,
//! replace the recovery codes, turn it off. Each needs a live session, and each change one in which the password was
//! typed recently (a session left open or stolen must not enrol someone else's phone); each change is audited and
//! told to every address on file.

use crate::account::apply::{Apply, Context, Outcome, Slot};
use crate::account::refusal::Refusal;
use crate::account::state::AccountState;
use crate::account::two_step::TotpSecret;
use crate::account::two_step::{factor, PasskeyAnswer};
use crate::audit::{AccountEvent, TwoStepChange};
use crate::token::TokenHash;
use latchkey_shared::api::{TwoStepRequirement, TwoStepStatus};
use latchkey_shared::{ErrorCode, Secret};
use serde::{Deserialize, Serialize};

/// Applies `then` to the account of a live session, which was used (its idle time starts again); `unauthorized`
/// without one, `password_change_required` while it owes a change of password that is due.
pub(super) fn in_session<R>(
    slot: &mut Slot,
    session: &TokenHash,
    cx: &Context<'_>,
    then: impl FnOnce(&mut AccountState) -> Outcome<Result<R, Refusal>>,
) -> Outcome<Result<R, Refusal>> {
    let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(ErrorCode::Unauthorized.into())) };
    if let Err(refusal) = account.full_session(session, cx.now) {
        return Outcome::reply(Err(refusal));
    }
    account.sessions.touch(session, cx.now, cx.rules.session_idle_secs);
    then(account).saved()
}

/// [`in_session`], for a change: only in a session whose person typed the password within the last
/// `recent_auth_secs` (at the login, or again); `reauthentication_required` otherwise, changing nothing.
pub(super) fn in_recent_session<R>(
    slot: &mut Slot,
    session: &TokenHash,
    cx: &Context<'_>,
    then: impl FnOnce(&mut AccountState) -> Outcome<Result<R, Refusal>>,
) -> Outcome<Result<R, Refusal>> {
    let stale = slot.account.as_ref().is_some_and(|account| {
        account.has_session(session, cx.now)
            && !account.sessions.authenticated_within(session, cx.now, cx.rules.recent_auth_secs)
    });
    if stale {
        return Outcome::reply(Err(ErrorCode::ReauthenticationRequired.into()));
    }
    in_session(slot, session, cx, then)
}

/// Answers the status after a change that `result` says happened or not, made through `session`. A change ends every
/// other session (one opened by whoever had the password must not outlive it), is audited and its notice queued; a
/// refusal is audited too, and stored, since wrong codes are counted.
pub(super) fn changed(
    account: &mut AccountState,
    session: &TokenHash,
    result: Result<(), Refusal>,
    change: TwoStepChange,
    requirement: TwoStepRequirement,
    cx: &Context<'_>,
) -> Outcome<Result<TwoStepStatus, Refusal>> {
    match result {
        Ok(()) => {
            account.end_other_sessions(session, cx.now);
            account.queue_two_step_notice(cx.ids.notice.clone(), change, cx.now);
            let status = account.two_step.status(cx.now, requirement.grace_secs(account.profile.audience));
            Outcome::reply(Ok(status)).saved().flushing().event(AccountEvent::TwoStepChanged(change))
        }
        Err(refusal) => {
            let code = refusal.code;
            Outcome::reply(Err(refusal)).saved().event(AccountEvent::TwoStepCodeRefused(code))
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct TwoStepStatusQuery {
    pub session_hash: TokenHash,
    /// Also for a session past its grace period: this is where it is turned on.
    #[serde(default)]
    pub requirement: TwoStepRequirement,
}

impl Apply for TwoStepStatusQuery {
    type Reply = Result<TwoStepStatus, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        in_session(slot, &self.session_hash, cx, |account| {
            Outcome::reply(Ok(account.two_step.status(cx.now, self.requirement.grace_secs(account.profile.audience))))
        })
    }
}

/// Starts (or starts again) a setup with a secret made at the edge.
#[derive(Debug, Serialize, Deserialize)]
pub struct TwoStepSetup {
    pub session_hash: TokenHash,
    pub secret: TotpSecret,
}

/// A setup waiting for its first code: the label for the authenticator app, and until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupStarted {
    pub login_email: String,
    pub expires_at: u64,
}

impl Apply for TwoStepSetup {
    type Reply = Result<SetupStarted, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        in_recent_session(slot, &self.session_hash, cx, |account| {
            match account.two_step.start_setup(self.secret, cx.now, &cx.rules.sealing_keys) {
                Ok(expires_at) => {
                    let login_email = account.profile.login_email.clone();
                    Outcome::reply(Ok(SetupStarted { login_email, expires_at })).saved()
                }
                Err(refusal) => Outcome::reply(Err(refusal)),
            }
        })
    }
}

/// Turns it on with a first code; the new recovery codes' hashes (the codes themselves go only to the person).
#[derive(Debug, Serialize, Deserialize)]
pub struct TwoStepConfirm {
    pub session_hash: TokenHash,
    #[serde(default)]
    pub requirement: TwoStepRequirement,
    pub code: Secret<String>,
    pub recovery_hashes: Vec<String>,
}

impl Apply for TwoStepConfirm {
    type Reply = Result<TwoStepStatus, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        in_recent_session(slot, &self.session_hash, cx, |account| {
            let result = account.two_step.confirm_setup(
                self.code.expose_str(),
                cx.now,
                self.recovery_hashes,
                &cx.rules.sealing_keys,
            );
            if result.is_ok() {
                // The code just proved the person holds the new authenticator.
                account.sessions.second_factor_proved(&self.session_hash, cx.now);
            }
            changed(account, &self.session_hash, result, TwoStepChange::Enabled, self.requirement, cx)
        })
    }
}

/// New recovery codes, confirmed by a code; the old ones stop working.
#[derive(Debug, Serialize, Deserialize)]
pub struct TwoStepNewCodes {
    pub session_hash: TokenHash,
    #[serde(default)]
    pub requirement: TwoStepRequirement,
    #[serde(default)]
    pub code: Option<Secret<String>>,
    #[serde(default)]
    pub passkey: Option<PasskeyAnswer>,
    pub recovery_hashes: Vec<String>,
}

impl Apply for TwoStepNewCodes {
    type Reply = Result<TwoStepStatus, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        in_recent_session(slot, &self.session_hash, cx, |account| {
            let result = match factor(self.code.as_ref(), self.passkey.as_ref(), &cx.rules.relying_party) {
                Some(factor) => account.two_step.replace_recovery_codes(
                    factor,
                    cx.now,
                    self.recovery_hashes,
                    &cx.rules.sealing_keys,
                ),
                None => Err(ErrorCode::TwoStepRequired.into()),
            };
            changed(account, &self.session_hash, result, TwoStepChange::RecoveryCodesReplaced, self.requirement, cx)
        })
    }
}

/// Turns it off, confirmed by a code.
#[derive(Debug, Serialize, Deserialize)]
pub struct TwoStepDisable {
    pub session_hash: TokenHash,
    #[serde(default)]
    pub requirement: TwoStepRequirement,
    #[serde(default)]
    pub code: Option<Secret<String>>,
    #[serde(default)]
    pub passkey: Option<PasskeyAnswer>,
}

impl Apply for TwoStepDisable {
    type Reply = Result<TwoStepStatus, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        in_recent_session(slot, &self.session_hash, cx, |account| {
            let result = match factor(self.code.as_ref(), self.passkey.as_ref(), &cx.rules.relying_party) {
                Some(factor) => account.two_step.disable(factor, cx.now, &cx.rules.sealing_keys),
                None => Err(ErrorCode::TwoStepRequired.into()),
            };
            if result.is_ok() {
                account.credential.two_step_turned_off();
            }
            changed(account, &self.session_hash, result, TwoStepChange::Disabled, self.requirement, cx)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::apply::testing::{ana, hash, rules, run, NOW, OLD_PASSWORD};
    use crate::account::commands::session::{Login, Reauthenticate};
    use crate::mail::job::MailJob;
    use crate::otp::totp::{code_at, step_at, DIGITS};

    const SECRET: &[u8] = b"12345678901234567890";

    fn code(now: u64) -> Secret<String> {
        format!("{:06}", code_at(SECRET, step_at(now), DIGITS)).into()
    }

    fn logged_in() -> Slot {
        let mut slot = ana();
        let login = Login {
            client: "test-client".into(),
            password: OLD_PASSWORD.into(),
            code: None,
            passkey: None,
            session_hash: hash(1),
            requirement: TwoStepRequirement::default(),
            breached: None,
            password_change: Default::default(),
        };
        run(&mut slot, login, NOW, &rules()).reply.unwrap();
        slot
    }

    #[test]
    fn every_setting_needs_a_live_session() {
        let mut slot = ana();
        let status = run(
            &mut slot,
            TwoStepStatusQuery { session_hash: hash(9), requirement: Default::default() },
            NOW,
            &rules(),
        );
        assert_eq!(status.reply.unwrap_err().code, ErrorCode::Unauthorized);
        let setup = TwoStepSetup { session_hash: hash(9), secret: TotpSecret::new(SECRET.to_vec()) };
        assert_eq!(run(&mut slot, setup, NOW, &rules()).reply.unwrap_err().code, ErrorCode::Unauthorized);
        assert_eq!(slot, ana(), "nothing changed");
    }

    #[test]
    fn turning_on_is_audited_noticed_and_saved_and_a_wrong_code_counted() {
        let mut slot = logged_in();
        let setup = TwoStepSetup { session_hash: hash(1), secret: TotpSecret::new(SECRET.to_vec()) };
        let started = run(&mut slot, setup, NOW, &rules());
        assert_eq!(started.reply.unwrap().login_email, "ana@school.org");
        assert_eq!((started.saves, started.events.len()), (1, 0));
        let confirm = |code: Secret<String>| TwoStepConfirm {
            session_hash: hash(1),
            requirement: TwoStepRequirement::default(),
            code,
            recovery_hashes: vec!["h".into()],
        };
        let wrong = run(&mut slot, confirm("000000".into()), NOW, &rules());
        assert_eq!(wrong.reply.unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
        assert_eq!(wrong.events, [AccountEvent::TwoStepCodeRefused(ErrorCode::TwoStepCodeInvalid)]);
        assert_eq!((wrong.saves, wrong.flush_outbox), (1, false), "the wrong code is counted, so stored");
        let other = Login {
            client: "test-client".into(),
            password: OLD_PASSWORD.into(),
            code: None,
            passkey: None,
            session_hash: hash(2),
            requirement: TwoStepRequirement::default(),
            breached: None,
            password_change: Default::default(),
        };
        run(&mut slot, other, NOW, &rules()).reply.unwrap();
        let on = run(&mut slot, confirm(code(NOW)), NOW, &rules());
        assert!(on.reply.unwrap().enabled);
        let sessions = &slot.account.as_ref().unwrap().sessions;
        assert!(sessions.is_live(&hash(1), NOW) && !sessions.is_live(&hash(2), NOW), "only the changing one stays");
        assert_eq!(on.events, [AccountEvent::TwoStepChanged(TwoStepChange::Enabled)]);
        assert!(on.flush_outbox);
        let outbox = &slot.account.as_ref().unwrap().outbox.pending;
        assert!(matches!(
            &outbox[..],
            [MailJob { kind: crate::mail::job::Kind::TwoStepChanged { change: TwoStepChange::Enabled, .. }, .. }]
        ));
    }

    #[test]
    fn a_change_needs_the_password_typed_recently_and_the_status_does_not() {
        let mut slot = logged_in();
        let stale = NOW + rules().recent_auth_secs;
        let setup = || TwoStepSetup { session_hash: hash(1), secret: TotpSecret::new(SECRET.to_vec()) };
        let refused = run(&mut slot, setup(), stale, &rules());
        assert_eq!(refused.reply.unwrap_err().code, ErrorCode::ReauthenticationRequired);
        assert_eq!((refused.saves, refused.events.len()), (0, 0), "nothing changed, nothing counted");
        let confirm = TwoStepConfirm {
            session_hash: hash(1),
            requirement: TwoStepRequirement::default(),
            code: code(stale),
            recovery_hashes: vec!["h".into()],
        };
        assert_eq!(
            run(&mut slot, confirm, stale, &rules()).reply.unwrap_err().code,
            ErrorCode::ReauthenticationRequired
        );
        let disable = TwoStepDisable {
            session_hash: hash(1),
            requirement: TwoStepRequirement::default(),
            code: Some(code(stale)),
            passkey: None,
        };
        assert_eq!(
            run(&mut slot, disable, stale, &rules()).reply.unwrap_err().code,
            ErrorCode::ReauthenticationRequired
        );
        let status = TwoStepStatusQuery { session_hash: hash(1), requirement: TwoStepRequirement::default() };
        assert!(run(&mut slot, status, stale, &rules()).reply.is_ok(), "looking needs no password");
        let again = Reauthenticate {
            client: "test-client".into(),
            session_hash: hash(1),
            password: OLD_PASSWORD.into(),
            code: None,
            passkey: None,
        };
        run(&mut slot, again, stale, &rules()).reply.unwrap();
        assert!(run(&mut slot, setup(), stale + 1, &rules()).reply.is_ok(), "the password typed again");
    }
}
