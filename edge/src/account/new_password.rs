//! A new password, whichever way it comes — a reset link ([`AccountState::reset_password`]) or the person logged in
//! ([`AccountState::change_password`]) —: checked the same way (typed twice alike, the policy for this account, the
//! breach check's verdict, not one of the last ones), hashed, and put in place with its notice.

use super::credential::PasswordHasher;
use super::refusal::Refusal;
use super::state::AccountState;
use crate::mail::job::Kind;
use crate::seal::Keys;
use crate::token::TokenHash;
use latchkey_shared::chars::normalize;
use latchkey_shared::{evaluate, ErrorCode, EvalContext, Policy, Rule, RuleResult};

/// A new password from someone logged in.
pub struct ChangeInput<'a> {
    pub session: TokenHash,
    /// Who is trying: a wrong current password counts as that client's failed login.
    pub client: &'a str,
    pub current: &'a str,
    pub password: &'a str,
    pub confirm: &'a str,
    pub breached: Option<bool>,
    pub factor: Option<super::two_step::Factor<'a>>,
}

/// A new password that passed every check, hashed.
pub(super) struct NewPassword {
    hash: String,
    depth: usize,
    only_with_two_step: bool,
}

impl AccountState {
    /// Changes the password of someone logged in, who types the current one (and a code, with 2-Step
    /// Verification): all of it (password and history updated, every other session ended — this one stays, and
    /// counts as recently authenticated —, the notice queued) or, on any refusal, none of it but the failure counted.
    /// How many other sessions ended.
    pub fn change_password(
        &mut self,
        input: ChangeInput<'_>,
        now: u64,
        policy: &Policy,
        hasher: &dyn PasswordHasher,
        keys: &Keys,
        notice_id: String,
    ) -> Result<u32, Refusal> {
        self.confirm_password(&input.session, input.client, input.current, now, hasher)?;
        let proof = if self.two_step.enabled() {
            let factor = input.factor.ok_or(Refusal::new(ErrorCode::TwoStepRequired))?;
            Some(self.two_step.check(factor, now, keys)?)
        } else {
            None
        };
        let new = self.choose_password(input.password, input.confirm, input.breached, policy, hasher)?;

        // Nothing can fail from here on.
        let second_factor = proof.is_some();
        if let Some(proof) = proof {
            self.two_step.spend(proof, now);
        }
        let others = self.sessions.live(now).saturating_sub(1);
        self.end_other_sessions(&input.session, now);
        // This session stays, but not what apps got through it: every app logs in again with the new password.
        self.apps.end_grants(std::slice::from_ref(&input.session), now);
        self.sessions.reauthenticated(&input.session, now, second_factor);
        self.sessions.password_changed(&input.session);
        self.put_password(new, now, notice_id);
        Ok(others)
    }

    /// A new password checked as every new password is — typed twice alike, the policy for this account (and whether
    /// it met it only thanks to 2-Step Verification), the breach check's verdict, not one of the last ones — and hashed.
    pub(super) fn choose_password(
        &self,
        password: &str,
        confirm: &str,
        breached: Option<bool>,
        policy: &Policy,
        hasher: &dyn PasswordHasher,
    ) -> Result<NewPassword, Refusal> {
        let normalized = normalize(password);
        if normalized != normalize(confirm) {
            return Err(ErrorCode::PasswordMismatch.into());
        }
        let two_step = self.two_step.enabled();
        let context = self.policy_context(two_step);
        let evaluation = evaluate(password, policy, &context);
        // Recorded for the day 2-Step Verification goes off: would this password have been allowed without it?
        let only_with_two_step = two_step
            && evaluation.acceptable
            && !evaluate(password, policy, &EvalContext { two_step: false, ..context.clone() }).acceptable;
        let breach = (breached == Some(true)).then(|| RuleResult::new(Rule::NotBreached, false));
        if !evaluation.acceptable || breach.is_some() {
            let code = if evaluation.acceptable { ErrorCode::PasswordBreached } else { ErrorCode::PasswordRejected };
            let mut refusal = Refusal::new(code);
            refusal.unmet = evaluation.unmet().copied().chain(breach).collect();
            return Err(refusal);
        }
        let depth = policy.effective(Some(self.profile.audience), two_step).history_depth as usize;
        if self.credential.reused(&normalized, depth, hasher) {
            return Err(ErrorCode::PasswordReused.into());
        }
        Ok(NewPassword { hash: hasher.hash(&normalized)?, depth, only_with_two_step })
    }

    /// What the policy is evaluated with for this account: its audience, 2-Step Verification, and its own words (its
    /// addresses and name), which a password must not lean on.
    pub(super) fn policy_context(&self, two_step: bool) -> EvalContext {
        EvalContext {
            audience: Some(self.profile.audience),
            two_step,
            user_inputs: self.addresses().into_iter().chain([self.profile.display_name.clone()]).collect(),
        }
    }

    /// The password a new account starts with: in place and dated, with no notice (the account is being made).
    pub(super) fn first_password(&mut self, new: NewPassword, now: u64) {
        self.credential.replace(new.hash, new.depth, now, new.only_with_two_step);
    }

    /// Puts a chosen password in place: the history moves, failed logins are forgotten, every address on file is told
    /// (mail `notice_id`).
    pub(super) fn put_password(&mut self, new: NewPassword, now: u64, notice_id: String) {
        self.credential.replace(new.hash, new.depth, now, new.only_with_two_step);
        self.failed_logins.clear();
        let notice = self.mail(notice_id, Kind::PasswordChanged { changed_at: now });
        self.outbox.push(notice, now);
    }
}
