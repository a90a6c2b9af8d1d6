//! Logging in and out, and checking a session.

use crate::account::apply::{change_account, Apply, Context, Outcome, Slot};
use crate::account::refusal::Refusal;
use crate::account::state::{LoginInput, PasswordChecks, SessionRules};
use crate::account::throttle::LOGIN_FAILURES;
use crate::account::two_step::{factor, PasskeyAnswer};
use crate::audit::AccountEvent;
use crate::token::TokenHash;
use latchkey_shared::api::{Actor, PasswordChangeRequirement, Role, SessionInfo, StaffMember, TwoStepRequirement};
use latchkey_shared::{Audience, ErrorCode, Secret};
use serde::{Deserialize, Serialize};

/// The site's session settings for an account of `audience`, under the 2-Step Verification `requirement`.
pub(super) fn session_rules(cx: &Context<'_>, requirement: TwoStepRequirement, audience: Audience) -> SessionRules {
    SessionRules {
        ttl_secs: cx.rules.session_ttl_secs,
        idle_secs: cx.rules.session_idle_secs,
        two_step_grace_secs: requirement.grace_secs(audience),
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Login {
    /// A pseudonym of the client's address: failures are counted per client and in all.
    #[serde(default)]
    pub client: String,
    pub password: Secret<String>,
    #[serde(default)]
    pub code: Option<Secret<String>>,
    #[serde(default)]
    pub passkey: Option<PasskeyAnswer>,
    /// The new session's token hash (the token itself goes only into the cookie).
    pub session_hash: TokenHash,
    #[serde(default)]
    pub requirement: TwoStepRequirement,
    /// The breach check's verdict on the password typed (none: off, or no answer).
    #[serde(default)]
    pub breached: Option<bool>,
    /// The admin's required changes for each account type.
    #[serde(default)]
    pub password_change: PasswordChangeRequirement,
}

impl Apply for Login {
    type Reply = Result<SessionInfo, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let now = cx.now;
        let Some(account) = slot.account.as_mut() else {
            // No such account: the same cost (one argon2 run, as a verification would) and, after as many failures,
            // the same 429, so neither timing nor throttling tells that no account exists.
            if slot.unknown_login_failures.throttles(&self.client, now) {
                return Outcome::reply(Err(ErrorCode::RateLimited.into()));
            }
            let _ = cx.hasher.hash(self.password.expose_str());
            slot.unknown_login_failures.record(&self.client, now);
            let outcome = Outcome::reply(Err(ErrorCode::InvalidCredentials.into())).saved();
            return Outcome { forget_unknown_in: Some(LOGIN_FAILURES.window_secs), ..outcome };
        };
        let rules = session_rules(cx, self.requirement, account.profile.audience);
        let input = LoginInput {
            client: &self.client,
            password: self.password.expose_str(),
            factor: factor(self.code.as_ref(), self.passkey.as_ref(), &cx.rules.relying_party),
            session: self.session_hash,
        };
        let checks = PasswordChecks {
            policy: &cx.rules.policy,
            breached: self.breached,
            for_audience: self.password_change.for_audience(account.profile.audience),
        };
        // Failures are counted, so even a refusal is stored.
        match account.login(input, now, rules, checks, cx.hasher, &cx.rules.sealing_keys) {
            Ok(info) => {
                let owed = info.password_change.filter(|owed| owed.due);
                let outcome = Outcome::reply(Ok(info)).saved().event(AccountEvent::LoggedIn);
                match owed {
                    Some(owed) => outcome.event(AccountEvent::PasswordChangeOwed(owed.reason)),
                    None => outcome,
                }
            }
            Err(refusal) => {
                let code = refusal.code;
                Outcome::reply(Err(refusal)).saved().event(AccountEvent::LoginFailed(code))
            }
        }
    }
}

/// Whether a session is live, and whom it is for.
#[derive(Debug, Serialize, Deserialize)]
pub struct CheckSession {
    pub session_hash: TokenHash,
    /// Asked by the password change itself: a session that owes one is good for it.
    #[serde(default)]
    pub for_password_change: bool,
    /// The site's requirement, which a session past its grace period does not meet.
    #[serde(default)]
    pub requirement: TwoStepRequirement,
}

impl Apply for CheckSession {
    type Reply = Result<SessionInfo, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else {
            return Outcome::reply(Err(ErrorCode::Unauthorized.into()));
        };
        let usable = match self.for_password_change {
            true if account.has_session(&self.session_hash, cx.now) => Ok(()),
            true => Err(ErrorCode::Unauthorized.into()),
            false => account.full_session(&self.session_hash, cx.now),
        };
        if let Err(refusal) = usable {
            return Outcome::reply(Err(refusal));
        }
        // Used: its idle time starts again.
        account.sessions.touch(&self.session_hash, cx.now, cx.rules.session_idle_secs);
        let rules = session_rules(cx, self.requirement, account.profile.audience);
        let info = account.session_info(&self.session_hash, cx.now, rules);
        if info.two_step.setup_required && !self.for_password_change {
            Outcome::reply(Err(ErrorCode::TwoStepSetupRequired.into())).saved()
        } else {
            Outcome::reply(Ok(info)).saved()
        }
    }
}

/// Whether a live session may use the console for what needs `need`: its account holds a role that covers it and
/// has 2-Step Verification on — and, for a change (`recent`), its person gave the password and a code in the last
/// `recent_auth_secs`. Answers who it is and with which roles, for the audit trail, the history of the accounts it
/// acts on, and whether it may act on them.
#[derive(Debug, Serialize, Deserialize)]
pub struct CheckStaff {
    pub session_hash: TokenHash,
    pub need: Role,
    #[serde(default)]
    pub recent: bool,
}

impl Apply for CheckStaff {
    type Reply = Result<StaffMember, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else {
            return Outcome::reply(Err(ErrorCode::Unauthorized.into()));
        };
        if let Err(refusal) = account.full_session(&self.session_hash, cx.now) {
            return Outcome::reply(Err(refusal));
        }
        account.sessions.touch(&self.session_hash, cx.now, cx.rules.session_idle_secs);
        let outcome = |reply| Outcome::reply(reply).saved();
        if !account.roles.iter().any(|held| held.covers(self.need)) {
            return outcome(Err(ErrorCode::Forbidden.into()));
        }
        // The console reaches every account: a stolen password alone must not open it.
        if !account.two_step.enabled() {
            return outcome(Err(ErrorCode::TwoStepSetupRequired.into()));
        }
        // A console left open, or a stolen cookie, must not change anyone: both factors again, lately.
        if self.recent && !account.sessions.both_factors_within(&self.session_hash, cx.now, cx.rules.recent_auth_secs) {
            return outcome(Err(ErrorCode::ReauthenticationRequired.into()));
        }
        let actor = Actor::Staff {
            name: account.profile.display_name.clone(),
            pseudonym: account.pseudonym(&cx.rules.sealing_keys).as_str().to_owned(),
        };
        outcome(Ok(StaffMember { actor, roles: account.roles.clone() }))
    }
}

/// The password typed again in a live session (and a code, with 2-Step Verification on), so that it counts as
/// recently authenticated.
#[derive(Debug, Serialize, Deserialize)]
pub struct Reauthenticate {
    /// A pseudonym of the client's address: a wrong password counts as that client's failed login.
    pub client: String,
    pub session_hash: TokenHash,
    pub password: Secret<String>,
    #[serde(default)]
    pub code: Option<Secret<String>>,
    #[serde(default)]
    pub passkey: Option<PasskeyAnswer>,
}

impl Apply for Reauthenticate {
    type Reply = Result<(), Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else {
            return Outcome::reply(Err(ErrorCode::Unauthorized.into()));
        };
        let input = LoginInput {
            client: &self.client,
            password: self.password.expose_str(),
            factor: factor(self.code.as_ref(), self.passkey.as_ref(), &cx.rules.relying_party),
            session: self.session_hash,
        };
        match account.reauthenticate(input, cx.now, cx.hasher, &cx.rules.sealing_keys) {
            Ok(()) => Outcome::reply(Ok(())).saved(),
            Err(refusal) if refusal.code == ErrorCode::Unauthorized => Outcome::reply(Err(refusal)),
            Err(refusal) => {
                let code = refusal.code;
                Outcome::reply(Err(refusal)).saved().event(AccountEvent::LoginFailed(code))
            }
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Logout {
    pub session_hash: TokenHash,
}

impl Apply for Logout {
    type Reply = ();

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<()> {
        change_account(slot, |account| account.end_session(&self.session_hash, cx.now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::apply::testing::{ana, hash, rules, run, NOW, OLD_PASSWORD};

    fn login(password: &str, session: u8) -> Login {
        Login {
            client: "test-client".into(),
            password: password.into(),
            code: None,
            passkey: None,
            session_hash: hash(session),
            requirement: TwoStepRequirement::default(),
            breached: None,
            password_change: Default::default(),
        }
    }

    #[test]
    fn an_unknown_login_costs_a_hash_and_is_throttled_like_a_known_one() {
        let mut unknown = Slot::default();
        let mut known = ana();
        for i in 0..LOGIN_FAILURES.allowed as u64 {
            let a = run(&mut unknown, login("wrong", 1), NOW + i, &rules());
            let b = run(&mut known, login("wrong", 1), NOW + i, &rules());
            assert_eq!(a.reply.unwrap_err().code, b.reply.unwrap_err().code);
            assert_eq!((a.saves, a.forget_unknown_in), (1, Some(LOGIN_FAILURES.window_secs)));
            assert_eq!(a.events, [], "nothing to name an unknown account by");
            assert_eq!(b.events, [AccountEvent::LoginFailed(ErrorCode::InvalidCredentials)]);
        }
        let a = run(&mut unknown, login(OLD_PASSWORD, 2), NOW + 10, &rules());
        let b = run(&mut known, login(OLD_PASSWORD, 2), NOW + 10, &rules());
        assert_eq!(a.reply.unwrap_err().code, ErrorCode::RateLimited);
        assert_eq!(b.reply.unwrap_err().code, ErrorCode::RateLimited);
        assert!(unknown.account.is_none(), "a login makes no account");
    }

    #[test]
    fn a_session_is_checked_then_ended() {
        let mut slot = ana();
        let info = run(&mut slot, login(OLD_PASSWORD, 7), NOW, &rules()).reply.unwrap();
        assert_eq!(info.email, "ana@school.org");
        let check = || CheckSession {
            session_hash: hash(7),
            requirement: TwoStepRequirement::default(),
            for_password_change: false,
        };
        assert!(run(&mut slot, check(), NOW + 1, &rules()).reply.is_ok());
        assert_eq!(run(&mut slot, Logout { session_hash: hash(7) }, NOW + 2, &rules()).saves, 1);
        assert_eq!(run(&mut slot, check(), NOW + 3, &rules()).reply.unwrap_err().code, ErrorCode::Unauthorized);
        assert_eq!(run(&mut Slot::default(), check(), NOW, &rules()).reply.unwrap_err().code, ErrorCode::Unauthorized);
    }

    #[test]
    fn a_session_unused_for_the_idle_time_ends_and_use_keeps_it() {
        let mut slot = ana();
        run(&mut slot, login(OLD_PASSWORD, 7), NOW, &rules()).reply.unwrap();
        let idle = rules().session_idle_secs;
        let check = || CheckSession {
            session_hash: hash(7),
            requirement: TwoStepRequirement::default(),
            for_password_change: false,
        };
        let used = run(&mut slot, check(), NOW + idle - 1, &rules());
        assert_eq!((used.reply.is_ok(), used.saves), (true, 1), "used, and its idle time stored");
        assert!(run(&mut slot, check(), NOW + 2 * idle - 2, &rules()).reply.is_ok(), "kept alive by use");
        let late = run(&mut slot, check(), NOW + 4 * idle, &rules());
        assert_eq!(late.reply.unwrap_err().code, ErrorCode::Unauthorized, "unused for longer than the idle time");
    }

    #[test]
    fn a_session_past_its_grace_period_is_refused_as_setup_required() {
        let mut slot = ana();
        let requirement = TwoStepRequirement { staff: None, parent: Some(0) };
        let mut login = login(OLD_PASSWORD, 8);
        login.requirement = requirement;
        assert!(run(&mut slot, login, NOW, &rules()).reply.unwrap().two_step.setup_required);
        let check = CheckSession { session_hash: hash(8), requirement, for_password_change: false };
        assert_eq!(run(&mut slot, check, NOW, &rules()).reply.unwrap_err().code, ErrorCode::TwoStepSetupRequired);
    }

    #[test]
    fn the_password_again_makes_a_session_recent_and_a_wrong_one_counts_as_a_failed_login() {
        let mut slot = ana();
        run(&mut slot, login(OLD_PASSWORD, 7), NOW, &rules()).reply.unwrap();
        let later = NOW + rules().recent_auth_secs;
        let again = |password: &str| Reauthenticate {
            client: "test-client".into(),
            session_hash: hash(7),
            password: password.into(),
            code: None,
            passkey: None,
        };
        let sessions = |slot: &Slot| slot.account.as_ref().unwrap().sessions.clone();
        assert!(!sessions(&slot).authenticated_within(&hash(7), later, rules().recent_auth_secs));
        let wrong = run(&mut slot, again("wrong"), later, &rules());
        assert_eq!(wrong.reply.unwrap_err().code, ErrorCode::PasswordIncorrect);
        assert_eq!(
            (wrong.saves, &wrong.events[..]),
            (1, &[AccountEvent::LoginFailed(ErrorCode::PasswordIncorrect)][..])
        );
        assert!(!sessions(&slot).authenticated_within(&hash(7), later, rules().recent_auth_secs));
        let right = run(&mut slot, again(OLD_PASSWORD), later, &rules());
        assert_eq!((right.reply, right.saves), (Ok(()), 1));
        assert!(sessions(&slot).authenticated_within(&hash(7), later, rules().recent_auth_secs));
        for i in 0..LOGIN_FAILURES.allowed as u64 {
            run(&mut slot, again("wrong"), later + i, &rules()).reply.unwrap_err();
        }
        let throttled = run(&mut slot, again(OLD_PASSWORD), later + 10, &rules());
        assert_eq!(throttled.reply.unwrap_err().code, ErrorCode::RateLimited, "no way around the login's throttle");
        let stranger = Reauthenticate { session_hash: hash(8), ..again(OLD_PASSWORD) };
        let refused = run(&mut slot, stranger, later, &rules());
        assert_eq!((refused.reply.unwrap_err().code, refused.saves), (ErrorCode::Unauthorized, 0));
    }
}
