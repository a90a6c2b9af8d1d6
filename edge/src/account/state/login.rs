//! A login and the sessions it opens: the password, then the second factor; the change a right password may owe;
//! reauthentication; and ending sessions (the apps' grants end with them). `impl AccountState`, apart for its size.

use super::super::credential::PasswordHasher;
use super::super::refusal::Refusal;
use super::super::sessions::methods_of;
use super::super::two_step::Factor;
use super::AccountState;
use crate::email::display;
use crate::seal::Keys;
use crate::token::TokenHash;
use latchkey_shared::api::{PasswordChange, PasswordChangeReason, RequiredChange, SessionInfo};
use latchkey_shared::chars::normalize;
use latchkey_shared::{evaluate, ErrorCode, Policy};

/// What a login brings.
pub struct LoginInput<'a> {
    /// Who is trying: a pseudonym of the client's address (failures are counted per client, and in all).
    pub client: &'a str,
    pub password: &'a str,
    /// A second factor: a code from the authenticator app, a recovery code, or a passkey's answer.
    pub factor: Option<Factor<'a>>,
    pub session: TokenHash,
}

/// What a login with a passkey brings.
pub struct PasskeyLoginInput<'a> {
    pub client: &'a str,
    pub rp: &'a crate::webauthn::RelyingParty,
    pub answer: &'a super::super::two_step::PasskeyAnswer,
    pub session: TokenHash,
}

/// What a login checks a right password against, to find a change it owes.
pub struct PasswordChecks<'a> {
    /// The policy now: a password it no longer accepts must change.
    pub policy: &'a Policy,
    /// The breach check's verdict on the typed password: `None` when it is off or could not be had.
    pub breached: Option<bool>,
    /// The admin's requirement for this account's type.
    pub for_audience: Option<RequiredChange>,
}

/// The site's settings a login and a session are checked against.
#[derive(Debug, Clone, Copy)]
pub struct SessionRules {
    pub ttl_secs: u64,
    /// How long a session lasts unused.
    pub idle_secs: u64,
    /// The grace period when the site requires 2-Step Verification for the account's audience.
    pub two_step_grace_secs: Option<u64>,
}

impl AccountState {
    pub fn session_info(&self, session: &TokenHash, now: u64, rules: SessionRules) -> SessionInfo {
        SessionInfo {
            email: display(&self.profile.login_email),
            audience: self.profile.audience,
            display_name: self.profile.display_name.clone(),
            two_step: self.two_step.status(now, rules.two_step_grace_secs),
            password_change: self.owed_change(session, now, None),
            roles: self.roles.clone(),
        }
    }

    /// Checks a login: the password, then (when the account uses 2-Step Verification) the code. Refuses without even
    /// trying the password once too many attempts failed recently.
    pub fn login(
        &mut self,
        input: LoginInput<'_>,
        now: u64,
        rules: SessionRules,
        checks: PasswordChecks<'_>,
        hasher: &dyn PasswordHasher,
        keys: &Keys,
    ) -> Result<SessionInfo, Refusal> {
        if self.failed_logins.throttles(input.client, now) {
            return Err(ErrorCode::RateLimited.into());
        }
        let password = normalize(input.password);
        let matches = if self.is_active() && self.credential.hash.is_some() {
            self.credential.matches(&password, hasher)
        } else {
            // A disabled or invited account costs what every other login costs: one argon2 run at the current
            // parameters, so timing never tells it from an unknown email or a wrong password.
            let _ = hasher.hash(&password);
            false
        };
        if !matches {
            self.failed_logins.record(input.client, now);
            return Err(ErrorCode::InvalidCredentials.into());
        }
        // Right: a hash made another way (imported, or older parameters) is made again, now that the password is here.
        self.credential.upgrade(&password, hasher);
        let mut methods = methods_of(true, None);
        if self.two_step.enabled() {
            // The password was right: asking for the code is not a failure; a wrong code is, on its own count.
            let factor = input.factor.ok_or(Refusal::new(ErrorCode::TwoStepRequired))?;
            let proof = self.two_step.check(factor, now, keys)?;
            methods = methods_of(true, Some(&proof));
            self.two_step.spend(proof, now);
        }
        self.failed_logins.forgive(input.client);
        // The one moment the plaintext is here: does the password still meet the policy, is it in a breach?
        self.credential.flagged = if checks.breached == Some(true) {
            Some(PasswordChangeReason::Breached)
        } else if !evaluate(input.password, checks.policy, &self.policy_context(self.two_step.enabled())).acceptable {
            Some(PasswordChangeReason::Policy)
        } else {
            None
        };
        let owed = self.credential.owed(checks.for_audience, now);
        self.two_step.note_requirement(now, rules.two_step_grace_secs);
        let otp = self.two_step.enabled();
        self.last_login_at = Some(now);
        let gone = self.sessions.open(input.session.clone(), now, rules.ttl_secs, rules.idle_secs, owed, otp);
        self.sessions.set_methods(&input.session, methods);
        self.apps.forget_without(|session| !gone.contains(session));
        Ok(self.session_info(&input.session, now, rules))
    }

    /// Checks a login with a passkey and no password: its answer to a login challenge, the person verified at the
    /// authenticator — both factors at once. Failures are counted and throttled per client as a password's are.
    pub fn login_with_passkey(
        &mut self,
        input: PasskeyLoginInput<'_>,
        now: u64,
        rules: SessionRules,
        for_audience: Option<RequiredChange>,
        keys: &Keys,
    ) -> Result<SessionInfo, Refusal> {
        if self.failed_logins.throttles(input.client, now) {
            return Err(ErrorCode::RateLimited.into());
        }
        let checked = if self.is_active() {
            let answer = input.answer;
            let factor = Factor::Passkey { rp: input.rp, challenge: &answer.challenge, credential: &answer.credential };
            self.two_step.check(factor, now, keys)
        } else {
            Err(ErrorCode::PasskeyRefused.into())
        };
        let proof = match checked {
            Ok(proof) => proof,
            Err(refusal) => {
                self.failed_logins.record(input.client, now);
                return Err(refusal);
            }
        };
        let methods = methods_of(false, Some(&proof));
        self.two_step.spend(proof, now);
        self.failed_logins.forgive(input.client);
        let owed = self.credential.owed(for_audience, now);
        self.two_step.note_requirement(now, rules.two_step_grace_secs);
        self.last_login_at = Some(now);
        let gone = self.sessions.open(input.session.clone(), now, rules.ttl_secs, rules.idle_secs, owed, true);
        self.sessions.set_methods(&input.session, methods);
        self.apps.forget_without(|session| !gone.contains(session));
        Ok(self.session_info(&input.session, now, rules))
    }

    /// The person typed their password again in a live session, before a sensitive change — and, with 2-Step
    /// Verification on, a code if they gave one, which makes the session recent in both factors (what the console's
    /// changes ask). A wrong password counts as a failed login of that client (a stolen session is no way around the
    /// login's throttle), a wrong code as a wrong code; either refuses the whole.
    pub fn reauthenticate(
        &mut self,
        input: LoginInput<'_>,
        now: u64,
        hasher: &dyn PasswordHasher,
        keys: &Keys,
    ) -> Result<(), Refusal> {
        let password = self.confirm_password(&input.session, input.client, input.password, now, hasher)?;
        let proof = match input.factor {
            Some(factor) if self.two_step.enabled() => Some(self.two_step.check(factor, now, keys)?),
            _ => None,
        };
        self.credential.upgrade(&password, hasher);
        self.failed_logins.forgive(input.client);
        let second_factor = proof.is_some();
        if let Some(proof) = proof {
            self.two_step.spend(proof, now);
        }
        self.sessions.reauthenticated(&input.session, now, second_factor);
        Ok(())
    }

    /// The password typed in a live session (to make it recent, or to change it): right, or a failed login of that
    /// client, throttled as logins are. The password, normalised.
    pub(in crate::account) fn confirm_password(
        &mut self,
        session: &TokenHash,
        client: &str,
        password: &str,
        now: u64,
        hasher: &dyn PasswordHasher,
    ) -> Result<String, Refusal> {
        if !self.has_session(session, now) {
            return Err(ErrorCode::Unauthorized.into());
        }
        if self.failed_logins.throttles(client, now) {
            return Err(ErrorCode::RateLimited.into());
        }
        let password = normalize(password);
        if !self.credential.matches(&password, hasher) {
            self.failed_logins.record(client, now);
            return Err(ErrorCode::PasswordIncorrect.into());
        }
        Ok(password)
    }

    pub fn has_session(&self, hash: &TokenHash, now: u64) -> bool {
        self.is_active() && self.sessions.is_live(hash, now)
    }

    /// A live session good for everything: `unauthorized` without one, `password_change_required` while it owes a
    /// change of password that is due (it is good only for making it).
    pub fn full_session(&self, hash: &TokenHash, now: u64) -> Result<(), Refusal> {
        self.full_session_under(hash, now, None)
    }

    /// [`Self::full_session`], with `for_audience` — the account type's required change as the site has it now —
    /// counted too.
    pub fn full_session_under(
        &self,
        hash: &TokenHash,
        now: u64,
        for_audience: Option<RequiredChange>,
    ) -> Result<(), Refusal> {
        if !self.has_session(hash, now) {
            return Err(ErrorCode::Unauthorized.into());
        }
        match self.owed_change(hash, now, for_audience) {
            Some(owed) if owed.due => Err(ErrorCode::PasswordChangeRequired.into()),
            _ => Ok(()),
        }
    }

    /// The change of password a session owes at `now`, decided when it is used, not only when it opened: what its
    /// login found, with its deadline judged now; whatever the account owes now (a change required of it since, the
    /// password flagged by a later login, 2-Step Verification gone under a password only it allowed); and
    /// `for_audience`. The one due first.
    pub fn owed_change(
        &self,
        session: &TokenHash,
        now: u64,
        for_audience: Option<RequiredChange>,
    ) -> Option<PasswordChange> {
        let at_login = self.sessions.password_change(session, now).map(|owed| PasswordChange {
            due: owed.due || owed.deadline.is_some_and(|deadline| now >= deadline),
            ..owed
        });
        at_login
            .into_iter()
            .chain(self.credential.owed(for_audience, now))
            .min_by_key(|owed| (!owed.due, owed.deadline))
    }

    /// Ends every session: each app that got tokens in one is owed a back-channel logout. How many there were.
    pub fn end_all_sessions(&mut self, now: u64) -> u32 {
        let ended = self.sessions.end_all();
        self.apps.end_grants(&ended, now);
        ended.len() as u32
    }

    /// Ends every session but `keep` (the one that made a change the others must not outlive), and their apps'.
    pub fn end_other_sessions(&mut self, keep: &TokenHash, now: u64) {
        let ended = self.sessions.end_others(keep);
        self.apps.end_grants(&ended, now);
    }

    /// Logs out of one session, and out of the apps it logged in to.
    pub fn end_session(&mut self, hash: &TokenHash, now: u64) {
        let ended = self.sessions.end(hash);
        self.apps.end_grants(&ended, now);
    }
}

#[cfg(test)]
#[path = "login_tests.rs"]
mod tests;
