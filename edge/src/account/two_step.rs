//! An account's 2-Step Verification: its second factors — the authenticator app's secret once a first code
//! confirmed it (sealed under the Worker's `SEALING_KEYS`, with the last step a code was accepted for, so a code works
//! once) and its passkeys ([`super::passkeys`]) — the recovery codes' keyed digests (issued with the first factor,
//! whichever it is), recent failures (throttled), and when the site's requirement first applied to it. Pure, like the
//! rest of the account's state.

use super::passkeys::{Challenge, PasskeyProof, Passkeys};
use super::refusal::Refusal;
use super::throttle::{SlidingWindow, CODE_FAILURES};
use crate::otp::{recovery, totp};
use crate::platform::random_bytes;
use crate::seal::{Keys, Sealed};
use crate::webauthn::RelyingParty;
use latchkey_shared::api::{AssertionCredential, TwoStepStatus};
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
    #[serde(default, skip_serializing_if = "Passkeys::unused")]
    pub passkeys: Passkeys,
    /// Keyed digests of the unused recovery codes ([`recovery::hash`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authenticator {
    pub secret: KeptSecret,
    pub enabled_at: u64,
    /// The step of the last code accepted: no code of it or an earlier step works again.
    pub last_step: Option<u64>,
    /// Where the recovery codes were kept before passkeys (moved to [`TwoStep::recovery`] when the account loads).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setup {
    pub secret: KeptSecret,
    pub expires_at: u64,
}

/// A second factor offered: a code (from the app, or a recovery code), or a passkey's answer to a challenge the edge
/// issued.
#[derive(Debug, Clone, Copy)]
pub enum Factor<'a> {
    Code(&'a str),
    Passkey { rp: &'a RelyingParty, challenge: &'a Challenge, credential: &'a AssertionCredential },
}

/// A good second factor, spent only once what it authorises has happened (a reset refused for a weak password leaves
/// the code usable for the next try).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proof {
    Totp { step: u64 },
    Recovery { hash: String },
    Passkey(PasskeyProof),
}

impl TwoStep {
    /// On with any second factor: the authenticator app or a passkey.
    pub fn enabled(&self) -> bool {
        self.authenticator.is_some() || self.passkeys.any()
    }

    /// Whether `id` is the account's one second factor: removing it turns 2-Step Verification off.
    pub fn only_factor_is(&self, id: &str) -> bool {
        self.authenticator.is_none() && matches!(&self.passkeys.list[..], [only] if only.id == id)
    }

    /// Moves recovery codes kept in the old place to the account's own (at load; nothing else reads the old place).
    pub fn settle(&mut self) {
        if let Some(authenticator) = &mut self.authenticator {
            self.recovery.append(&mut authenticator.recovery);
        }
    }

    /// As it is stored: with an authenticator app, the recovery codes stay where they were kept before passkeys, so
    /// an account without passkeys is the same document a rollback reads.
    pub fn for_storage(mut self) -> TwoStep {
        if let Some(authenticator) = &mut self.authenticator {
            authenticator.recovery.append(&mut self.recovery);
        }
        self
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
            recovery_codes_left: if self.enabled() { self.recovery.len() as u32 } else { 0 },
            authenticator_app: self.authenticator.is_some(),
            passkeys: self.passkeys.list.len() as u32,
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
        if self.authenticator.is_some() {
            return Err(ErrorCode::TwoStepAlreadyOn.into());
        }
        let expires_at = now + SETUP_LIFETIME_SECS;
        self.setup = Some(Setup { secret: KeptSecret::seal(&secret, keys)?, expires_at });
        Ok(expires_at)
    }

    /// Turns the authenticator app on once a code from the new secret shows the app has it; the recovery codes are
    /// new ones (the person sees them now).
    pub fn confirm_setup(&mut self, code: &str, now: u64, recovery: Vec<String>, keys: &Keys) -> Result<(), Refusal> {
        if self.authenticator.is_some() {
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
        self.authenticator =
            Some(Authenticator { secret, enabled_at: now, last_step: Some(step), recovery: Vec::new() });
        self.recovery = recovery;
        Ok(())
    }

    /// Checks a second factor without spending it — a code from the app, an unused recovery code, or a passkey's
    /// answer; a wrong one is counted, and too many recently refuse every factor until the window passes. A good code
    /// seals the secret under the current key if it was not (kept before secrets were sealed, or before the keys
    /// rotated).
    pub fn check(&mut self, factor: Factor<'_>, now: u64, keys: &Keys) -> Result<Proof, Refusal> {
        if !self.enabled() {
            return Err(ErrorCode::TwoStepOff.into());
        }
        self.throttle(now)?;
        let code = match factor {
            Factor::Code(code) => code,
            Factor::Passkey { rp, challenge, credential } => {
                return match self.passkeys.check(rp, challenge, credential, now) {
                    Ok(proof) => Ok(Proof::Passkey(proof)),
                    // An old or used challenge is no guess at anything: not counted.
                    Err(refusal) if refusal.code == ErrorCode::PasskeyCeremonyExpired => Err(refusal),
                    Err(_) => {
                        self.failures.record(now, CODE_FAILURES);
                        Err(ErrorCode::PasskeyRefused.into())
                    }
                };
            }
        };
        let secret = self.authenticator.as_ref().and_then(|authenticator| authenticator.secret.open(keys));
        let proof = match totp::parse_code(code) {
            Some(code) => self.authenticator.as_ref().and_then(|authenticator| {
                totp::matching_step(secret.as_ref()?.expose(), code, now, authenticator.last_step)
                    .map(|step| Proof::Totp { step })
            }),
            None => recovery::normalize(code).and_then(|canonical| {
                let kept = self.recovery.iter().find(|kept| recovery::matches(kept, &canonical, keys))?;
                Some(Proof::Recovery { hash: kept.clone() })
            }),
        };
        let proof = proof.ok_or_else(|| self.failed(now))?;
        let stale = self.authenticator.as_mut().filter(|a| !a.secret.is_current(keys));
        if let (Some(authenticator), Some(secret)) = (stale, secret) {
            if let Ok(sealed) = KeptSecret::seal(&secret, keys) {
                authenticator.secret = sealed;
            }
        }
        Ok(proof)
    }

    /// Spends a proof: its step, its recovery code or its passkey challenge never works again.
    pub fn spend(&mut self, proof: Proof, now: u64) {
        match proof {
            Proof::Totp { step } => {
                if let Some(authenticator) = &mut self.authenticator {
                    authenticator.last_step = Some(step);
                }
            }
            Proof::Recovery { hash } => self.recovery.retain(|h| h != &hash),
            Proof::Passkey(proof) => self.passkeys.spend(proof, now),
        }
        self.failures.clear();
    }

    /// Turns 2-Step Verification off — the app and every passkey — confirmed by a second factor.
    pub fn disable(&mut self, factor: Factor<'_>, now: u64, keys: &Keys) -> Result<(), Refusal> {
        let proof = self.check(factor, now, keys)?;
        self.spend(proof, now);
        self.turn_off();
        Ok(())
    }

    /// Everything off: no factor, no recovery code.
    fn turn_off(&mut self) {
        self.authenticator = None;
        self.setup = None;
        self.passkeys.list.clear();
        self.recovery.clear();
        self.failures.clear();
    }

    /// Turns 2-Step Verification off without a code: the admin's way back in for someone who lost the phone and the
    /// recovery codes.
    pub fn turn_off_by_admin(&mut self) -> Result<(), Refusal> {
        if !self.enabled() {
            return Err(ErrorCode::TwoStepOff.into());
        }
        self.turn_off();
        Ok(())
    }

    /// Replaces the recovery codes, confirmed by a second factor.
    pub fn replace_recovery_codes(
        &mut self,
        factor: Factor<'_>,
        now: u64,
        recovery: Vec<String>,
        keys: &Keys,
    ) -> Result<(), Refusal> {
        let proof = self.check(factor, now, keys)?;
        self.spend(proof, now);
        self.recovery = recovery;
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
        for digest in self.recovery.iter_mut() {
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

/// A passkey's answer as it travels to the account: the challenge the edge opened from its sealed form, and the
/// browser's credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyAnswer {
    pub challenge: Challenge,
    pub credential: AssertionCredential,
}

/// The second factor a command brings: a passkey's answer if it has one, else its code.
pub fn factor<'a>(
    code: Option<&'a latchkey_shared::Secret<String>>,
    passkey: Option<&'a PasskeyAnswer>,
    rp: &'a RelyingParty,
) -> Option<Factor<'a>> {
    match (passkey, code) {
        (Some(answer), _) => Some(Factor::Passkey { rp, challenge: &answer.challenge, credential: &answer.credential }),
        (None, Some(code)) => Some(Factor::Code(code.expose_str())),
        (None, None) => None,
    }
}

#[cfg(test)]
#[path = "two_step_tests.rs"]
mod tests;
