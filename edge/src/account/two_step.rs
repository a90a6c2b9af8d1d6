//! An account's 2-Step Verification: the authenticator's secret once a first code confirmed it, the last step a code
//! was accepted for (so a code works once), the recovery codes' hashes, recent failures (throttled), and when the
//! site's requirement first applied to it. Pure, like the rest of the account's state.

use super::refusal::Refusal;
use super::throttle::{SlidingWindow, CODE_FAILURES};
use crate::otp::{recovery, totp};
use latchkey_shared::api::TwoStepStatus;
use latchkey_shared::{ErrorCode, Secret};
use serde::{Deserialize, Serialize};

/// How long a started setup waits for its first code.
pub const SETUP_LIFETIME_SECS: u64 = 15 * 60;

/// The key the authenticator app shares with the account.
pub type TotpSecret = Secret<Vec<u8>>;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStep {
    #[serde(default)]
    pub authenticator: Option<Authenticator>,
    /// A setup waiting for its first code.
    #[serde(default)]
    pub setup: Option<Setup>,
    /// When recent codes were wrong.
    #[serde(default)]
    pub failures: SlidingWindow,
    /// The first login after the site began requiring 2-Step Verification for this audience: the grace period runs
    /// from here.
    #[serde(default)]
    pub required_since: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authenticator {
    pub secret: TotpSecret,
    pub enabled_at: u64,
    /// The step of the last code accepted: no code of it or an earlier step works again.
    pub last_step: Option<u64>,
    /// SHA-256 hashes of the unused recovery codes.
    pub recovery: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    pub secret: TotpSecret,
    pub expires_at: u64,
}

/// A good code, spent only once what it authorises has happened (a reset refused for a weak password leaves the code
/// usable for the next try).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    Totp { step: u64 },
    Recovery { hash: String },
}

impl TwoStep {
    pub fn enabled(&self) -> bool {
        self.authenticator.is_some()
    }

    /// Where the account stands; `grace_secs` is the site's grace period for this audience when it requires
    /// 2-Step Verification.
    pub fn status(&self, now: u64, grace_secs: Option<u64>) -> TwoStepStatus {
        let enroll_by = match (grace_secs, self.required_since, self.enabled()) {
            (Some(grace), Some(since), false) => Some(since.saturating_add(grace)),
            _ => None,
        };
        TwoStepStatus {
            enabled: self.enabled(),
            recovery_codes_left: self.authenticator.as_ref().map_or(0, |a| a.recovery.len() as u32),
            enroll_by,
            setup_required: enroll_by.is_some_and(|by| now >= by),
        }
    }

    /// At each login: the grace period starts at the first one after the requirement, and is forgotten if the
    /// requirement is lifted (so bringing it back later gives a new grace period).
    pub fn note_requirement(&mut self, now: u64, grace_secs: Option<u64>) {
        if grace_secs.is_none() || self.enabled() {
            self.required_since = None;
        } else if self.required_since.is_none() {
            self.required_since = Some(now);
        }
    }

    /// Starts (or starts again) a setup with a new secret; the secret does nothing until a code confirms it.
    pub fn start_setup(&mut self, secret: TotpSecret, now: u64) -> Result<u64, Refusal> {
        if self.enabled() {
            return Err(ErrorCode::TwoStepAlreadyOn.into());
        }
        let expires_at = now + SETUP_LIFETIME_SECS;
        self.setup = Some(Setup { secret, expires_at });
        Ok(expires_at)
    }

    /// Turns 2-Step Verification on once a code from the new secret shows the app has it.
    pub fn confirm_setup(&mut self, code: &str, now: u64, recovery: Vec<String>) -> Result<(), Refusal> {
        if self.enabled() {
            return Err(ErrorCode::TwoStepAlreadyOn.into());
        }
        if self.setup.as_ref().is_none_or(|s| now >= s.expires_at) {
            return Err(ErrorCode::TwoStepNoSetup.into());
        }
        self.throttle(now)?;
        let matched = self.setup.as_ref().and_then(|setup| {
            let step =
                totp::parse_code(code).and_then(|code| totp::matching_step(setup.secret.expose(), code, now, None));
            step.map(|step| (setup.secret.clone(), step))
        });
        let Some((secret, step)) = matched else { return Err(self.failed(now)) };
        self.setup = None;
        self.failures.clear();
        self.required_since = None;
        self.authenticator = Some(Authenticator { secret, enabled_at: now, last_step: Some(step), recovery });
        Ok(())
    }

    /// Checks a code from the app or an unused recovery code without spending it; a wrong one is counted, and too
    /// many recently refuse every code until the window passes.
    pub fn check(&mut self, code: &str, now: u64) -> Result<Proof, Refusal> {
        if !self.enabled() {
            return Err(ErrorCode::TwoStepOff.into());
        }
        self.throttle(now)?;
        let proof = self.authenticator.as_ref().and_then(|authenticator| match totp::parse_code(code) {
            Some(code) => totp::matching_step(authenticator.secret.expose(), code, now, authenticator.last_step)
                .map(|step| Proof::Totp { step }),
            None => recovery::normalize(code)
                .map(|canonical| recovery::hash(&canonical))
                .filter(|hash| authenticator.recovery.contains(hash))
                .map(|hash| Proof::Recovery { hash }),
        });
        proof.ok_or_else(|| self.failed(now))
    }

    /// Spends a proof: its step, or its recovery code, never works again.
    pub fn spend(&mut self, proof: Proof) {
        let Some(authenticator) = &mut self.authenticator else { return };
        match proof {
            Proof::Totp { step } => authenticator.last_step = Some(step),
            Proof::Recovery { hash } => authenticator.recovery.retain(|h| h != &hash),
        }
        self.failures.clear();
    }

    /// Turns 2-Step Verification off, confirmed by a code.
    pub fn disable(&mut self, code: &str, now: u64) -> Result<(), Refusal> {
        self.check(code, now)?;
        self.authenticator = None;
        self.failures.clear();
        Ok(())
    }

    /// Turns 2-Step Verification off without a code: the admin's way back in for someone who lost the phone and the
    /// recovery codes.
    pub fn turn_off_by_admin(&mut self) -> Result<(), Refusal> {
        if !self.enabled() {
            return Err(ErrorCode::TwoStepOff.into());
        }
        self.authenticator = None;
        self.setup = None;
        self.failures.clear();
        Ok(())
    }

    /// Replaces the recovery codes, confirmed by a code.
    pub fn replace_recovery_codes(&mut self, code: &str, now: u64, recovery: Vec<String>) -> Result<(), Refusal> {
        let proof = self.check(code, now)?;
        self.spend(proof);
        if let Some(authenticator) = &mut self.authenticator {
            authenticator.recovery = recovery;
        }
        Ok(())
    }

    /// Refuses every code once too many were wrong within the window.
    fn throttle(&self, now: u64) -> Result<(), Refusal> {
        if self.failures.is_full(now, CODE_FAILURES) {
            Err(ErrorCode::RateLimited.into())
        } else {
            Ok(())
        }
    }

    /// Counts a wrong code (always after [`Self::throttle`] let it be tried).
    fn failed(&mut self, now: u64) -> Refusal {
        self.failures.record(now, CODE_FAILURES);
        ErrorCode::TwoStepCodeInvalid.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::totp::{code_at, step_at, DIGITS};

    const NOW: u64 = 1_800_000_000;
    const SECRET: &[u8] = b"12345678901234567890";

    fn code(now: u64) -> String {
        format!("{:06}", code_at(SECRET, step_at(now), DIGITS))
    }

    fn recovery_codes() -> (Vec<String>, Vec<String>) {
        let plain: Vec<String> = (0..recovery::COUNT as u8).map(|i| recovery::format(&[i; 10])).collect();
        let hashes = plain.iter().map(|c| recovery::hash_of_formatted(c)).collect();
        (plain, hashes)
    }

    fn enrolled() -> (TwoStep, Vec<String>) {
        let mut two_step = TwoStep::default();
        two_step.start_setup(TotpSecret::new(SECRET.to_vec()), NOW).unwrap();
        let (plain, hashes) = recovery_codes();
        two_step.confirm_setup(&code(NOW), NOW, hashes).unwrap();
        (two_step, plain)
    }

    #[test]
    fn a_setup_turns_on_only_with_a_code_of_its_secret_in_time() {
        let mut two_step = TwoStep::default();
        assert_eq!(two_step.confirm_setup("123456", NOW, vec![]).unwrap_err().code, ErrorCode::TwoStepNoSetup);
        two_step.start_setup(TotpSecret::new(SECRET.to_vec()), NOW).unwrap();
        let wrong = format!("{:06}", (code_at(SECRET, step_at(NOW), DIGITS) + 1) % 1_000_000);
        assert_eq!(two_step.confirm_setup(&wrong, NOW, vec![]).unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
        assert!(!two_step.enabled());
        let late = NOW + SETUP_LIFETIME_SECS;
        assert_eq!(two_step.confirm_setup(&code(late), late, vec![]).unwrap_err().code, ErrorCode::TwoStepNoSetup);
        two_step.confirm_setup(&code(NOW + 10), NOW + 10, vec![]).unwrap();
        assert!(two_step.enabled() && two_step.setup.is_none() && two_step.failures.is_empty());
        assert_eq!(
            two_step.start_setup(TotpSecret::new(vec![1; 20]), NOW).unwrap_err().code,
            ErrorCode::TwoStepAlreadyOn
        );
    }

    #[test]
    fn a_code_works_once() {
        let (mut two_step, _) = enrolled();
        // The confirming code's step is spent already.
        assert_eq!(two_step.check(&code(NOW), NOW).unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
        let later = NOW + 60;
        let proof = two_step.check(&code(later), later).unwrap();
        // Checked, not spent: a refused reset can use it again.
        assert_eq!(two_step.check(&code(later), later), Ok(proof.clone()));
        two_step.spend(proof);
        assert_eq!(two_step.check(&code(later), later + 5).unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
        assert!(two_step.check(&code(later + 30), later + 30).is_ok(), "the next step's code works");
    }

    #[test]
    fn recovery_codes_work_once_each_and_are_forgiving() {
        let (mut two_step, plain) = enrolled();
        let proof = two_step.check(&plain[3].to_lowercase().replace('-', " "), NOW).unwrap();
        two_step.spend(proof);
        assert_eq!(two_step.status(NOW, None).recovery_codes_left, 9);
        assert_eq!(two_step.check(&plain[3], NOW).unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
        assert!(two_step.check(&plain[4], NOW).is_ok());
        assert_eq!(two_step.check("0000-0000-0000-0009", NOW).unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
    }

    #[test]
    fn wrong_codes_are_throttled_even_the_right_one_then() {
        let (mut two_step, plain) = enrolled();
        for _ in 0..CODE_FAILURES.allowed - 1 {
            assert_eq!(two_step.check("000000", NOW + 60).unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
        }
        assert_eq!(two_step.check("not a code", NOW + 60).unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
        assert_eq!(two_step.check(&code(NOW + 60), NOW + 60).unwrap_err().code, ErrorCode::RateLimited);
        assert_eq!(two_step.check(&plain[0], NOW + 60).unwrap_err().code, ErrorCode::RateLimited);
        let after = NOW + 60 + CODE_FAILURES.window_secs;
        assert!(two_step.check(&code(after), after).is_ok());
    }

    #[test]
    fn disable_and_new_recovery_codes_need_a_code() {
        let (mut two_step, plain) = enrolled();
        let new_hashes = vec![recovery::hash("1111111111111111")];
        assert!(two_step.replace_recovery_codes("000000", NOW + 60, new_hashes.clone()).is_err());
        two_step.replace_recovery_codes(&code(NOW + 60), NOW + 60, new_hashes).unwrap();
        assert_eq!(two_step.status(NOW, None).recovery_codes_left, 1);
        assert!(two_step.check(&plain[0], NOW + 60).is_err(), "the old codes stopped working");
        assert_eq!(two_step.disable(&code(NOW + 60), NOW + 61).unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
        two_step.disable("1111-1111-1111-1111", NOW + 61).unwrap();
        assert!(!two_step.enabled());
        assert_eq!(two_step.check(&code(NOW + 90), NOW + 90).unwrap_err().code, ErrorCode::TwoStepOff);
    }

    #[test]
    fn the_grace_period_runs_from_the_first_login_under_the_requirement() {
        let mut two_step = TwoStep::default();
        let grace = Some(7 * 86_400);
        assert_eq!(two_step.status(NOW, grace).enroll_by, None, "not until a login");
        two_step.note_requirement(NOW, grace);
        two_step.note_requirement(NOW + 100, grace);
        let status = two_step.status(NOW + 100, grace);
        assert_eq!(status.enroll_by, Some(NOW + 7 * 86_400));
        assert!(!status.setup_required);
        assert!(two_step.status(NOW + 7 * 86_400, grace).setup_required);
        // Lifted, then required again: a new grace period.
        two_step.note_requirement(NOW + 8 * 86_400, None);
        assert!(!two_step.status(NOW + 8 * 86_400, None).setup_required);
        two_step.note_requirement(NOW + 9 * 86_400, grace);
        assert_eq!(two_step.status(NOW + 9 * 86_400, grace).enroll_by, Some(NOW + 16 * 86_400));
        // Turned on: nothing more required.
        two_step.start_setup(TotpSecret::new(SECRET.to_vec()), NOW + 20 * 86_400).unwrap();
        two_step.confirm_setup(&code(NOW + 20 * 86_400), NOW + 20 * 86_400, vec![]).unwrap();
        let status = two_step.status(NOW + 30 * 86_400, grace);
        assert_eq!((status.enroll_by, status.setup_required), (None, false));
    }
}
