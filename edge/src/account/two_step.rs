//! An account's 2-Step Verification: the authenticator's secret once a first code confirmed it (sealed under the
//! Worker's `SEALING_KEYS`), the last step a code was accepted for (so a code works once), the recovery codes' keyed
//! digests, recent failures (throttled), and when the site's requirement first applied to it. Pure, like the rest of
//! the account's state.

use super::refusal::Refusal;
use super::throttle::{SlidingWindow, CODE_FAILURES};
use crate::otp::{recovery, totp};
use crate::platform::random_bytes;
use crate::seal::{Keys, Sealed};
use latchkey_shared::api::TwoStepStatus;
use latchkey_shared::{ErrorCode, Secret};
use serde::{Deserialize, Serialize};

/// How long a started setup waits for its first code.
pub const SETUP_LIFETIME_SECS: u64 = 15 * 60;

/// The key the authenticator app shares with the account.
pub type TotpSecret = Secret<Vec<u8>>;

/// What the secret is sealed for.
const PURPOSE: &str = "totp-secret";

/// The authenticator's key as the account keeps it: sealed, or — kept before secrets were sealed — in plain, until
/// its next use seals it. A key sealed under a key that is no longer the first is sealed again at its next use too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KeptSecret {
    Sealed(Sealed),
    Plain(TotpSecret),
}

impl KeptSecret {
    pub fn seal(secret: &TotpSecret, keys: &Keys) -> Result<KeptSecret, Refusal> {
        let nonce = random_bytes().map_err(|_| Refusal::new(ErrorCode::Internal))?;
        Ok(KeptSecret::Sealed(keys.seal(PURPOSE, secret.expose(), nonce)))
    }

    /// The secret, if a listed key opens it.
    fn open(&self, keys: &Keys) -> Option<TotpSecret> {
        match self {
            KeptSecret::Sealed(sealed) => keys.open(PURPOSE, sealed).map(Secret::new),
            KeptSecret::Plain(secret) => Some(secret.clone()),
        }
    }

    /// Sealed under the key that seals now: nothing to do at its next use.
    fn is_current(&self, keys: &Keys) -> bool {
        matches!(self, KeptSecret::Sealed(sealed) if sealed.kid == keys.current_kid())
    }
}

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
    pub secret: KeptSecret,
    pub enabled_at: u64,
    /// The step of the last code accepted: no code of it or an earlier step works again.
    pub last_step: Option<u64>,
    /// Keyed digests of the unused recovery codes ([`recovery::hash`]).
    pub recovery: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    pub secret: KeptSecret,
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
    pub fn start_setup(&mut self, secret: TotpSecret, now: u64, keys: &Keys) -> Result<u64, Refusal> {
        if self.enabled() {
            return Err(ErrorCode::TwoStepAlreadyOn.into());
        }
        let expires_at = now + SETUP_LIFETIME_SECS;
        self.setup = Some(Setup { secret: KeptSecret::seal(&secret, keys)?, expires_at });
        Ok(expires_at)
    }

    /// Turns 2-Step Verification on once a code from the new secret shows the app has it.
    pub fn confirm_setup(&mut self, code: &str, now: u64, recovery: Vec<String>, keys: &Keys) -> Result<(), Refusal> {
        if self.enabled() {
            return Err(ErrorCode::TwoStepAlreadyOn.into());
        }
        if self.setup.as_ref().is_none_or(|s| now >= s.expires_at) {
            return Err(ErrorCode::TwoStepNoSetup.into());
        }
        self.throttle(now)?;
        let matched = self.setup.as_ref().and_then(|setup| {
            let secret = setup.secret.open(keys)?;
            let step = totp::parse_code(code).and_then(|code| totp::matching_step(secret.expose(), code, now, None))?;
            Some((setup.secret.clone(), step))
        });
        let Some((secret, step)) = matched else { return Err(self.failed(now)) };
        self.setup = None;
        self.failures.clear();
        self.required_since = None;
        self.authenticator = Some(Authenticator { secret, enabled_at: now, last_step: Some(step), recovery });
        Ok(())
    }

    /// Checks a code from the app or an unused recovery code without spending it; a wrong one is counted, and too
    /// many recently refuse every code until the window passes. A good code seals the secret under the current key
    /// if it was not (kept before secrets were sealed, or before the keys rotated).
    pub fn check(&mut self, code: &str, now: u64, keys: &Keys) -> Result<Proof, Refusal> {
        if !self.enabled() {
            return Err(ErrorCode::TwoStepOff.into());
        }
        self.throttle(now)?;
        let secret = self.authenticator.as_ref().and_then(|authenticator| authenticator.secret.open(keys));
        let proof = self.authenticator.as_ref().and_then(|authenticator| match totp::parse_code(code) {
            Some(code) => totp::matching_step(secret.as_ref()?.expose(), code, now, authenticator.last_step)
                .map(|step| Proof::Totp { step }),
            None => {
                let canonical = recovery::normalize(code)?;
                let kept = authenticator.recovery.iter().find(|kept| recovery::matches(kept, &canonical, keys))?;
                Some(Proof::Recovery { hash: kept.clone() })
            }
        });
        let proof = proof.ok_or_else(|| self.failed(now))?;
        let stale = self.authenticator.as_mut().filter(|a| !a.secret.is_current(keys));
        if let (Some(authenticator), Some(secret)) = (stale, secret) {
            if let Ok(sealed) = KeptSecret::seal(&secret, keys) {
                authenticator.secret = sealed;
            }
        }
        Ok(proof)
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
    pub fn disable(&mut self, code: &str, now: u64, keys: &Keys) -> Result<(), Refusal> {
        self.check(code, now, keys)?;
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
    pub fn replace_recovery_codes(
        &mut self,
        code: &str,
        now: u64,
        recovery: Vec<String>,
        keys: &Keys,
    ) -> Result<(), Refusal> {
        let proof = self.check(code, now, keys)?;
        self.spend(proof);
        if let Some(authenticator) = &mut self.authenticator {
            authenticator.recovery = recovery;
        }
        Ok(())
    }

    /// Seals what was kept before secrets were sealed (or under a key that no longer seals) and wraps recovery
    /// digests kept before they were keyed, so no account keeps the old forms until its next use; whether anything
    /// changed. A secret no listed key opens is left as it is.
    pub fn sweep(&mut self, keys: &Keys) -> bool {
        let mut changed = false;
        let kept =
            self.authenticator.iter_mut().map(|a| &mut a.secret).chain(self.setup.iter_mut().map(|s| &mut s.secret));
        for secret in kept {
            if secret.is_current(keys) {
                continue;
            }
            if let Some(sealed) = secret.open(keys).and_then(|open| KeptSecret::seal(&open, keys).ok()) {
                *secret = sealed;
                changed = true;
            }
        }
        for digest in self.authenticator.iter_mut().flat_map(|a| a.recovery.iter_mut()) {
            if let Some(wrapped) = recovery::wrapped(keys, digest) {
                *digest = wrapped;
                changed = true;
            }
        }
        changed
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
#[path = "two_step_tests.rs"]
mod tests;
