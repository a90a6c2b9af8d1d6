//! The password: its current hash (argon2id, a PHC string), the earlier ones a new password may not repeat, and when
//! it last changed. Hashing is injected ([`PasswordHasher`]), so the rules are tested with an instant stand-in.

use super::refusal::Refusal;
use latchkey_shared::api::{PasswordChange, PasswordChangeReason, RequiredChange};
use latchkey_shared::Secret;

/// What the account needs from outside to check and set passwords.
pub trait PasswordHasher {
    /// The PHC string of a normalised password.
    fn hash(&self, normalized: &str) -> Result<String, Refusal>;
    fn verify(&self, normalized: &str, phc: &str) -> bool;
    /// Whether a stored hash is not what [`Self::hash`] makes now (imported, or made with other parameters).
    fn needs_rehash(&self, phc: &str) -> bool;
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credential {
    /// `None` until a password is set (an invited account).
    pub hash: Option<Secret<String>>,
    /// Earlier hashes, newest first, at most the policy's history depth.
    pub history: Vec<Secret<String>>,
    pub changed_at: Option<u64>,
    /// The password met the policy only thanks to 2-Step Verification (the policy's shorter minimum with it).
    pub only_with_two_step: bool,
    /// It must change before the next login: 2-Step Verification went off under a password only it allowed.
    pub must_change: bool,
    /// What the last login found wrong with it, the one moment the plaintext is there: it no longer meets the
    /// policy, or it appeared in a breach.
    pub flagged: Option<PasswordChangeReason>,
    /// A change the admin asked of this account.
    pub required: Option<RequiredChange>,
}

impl Credential {
    pub fn matches(&self, normalized: &str, hasher: &dyn PasswordHasher) -> bool {
        self.hash.as_ref().is_some_and(|phc| hasher.verify(normalized, phc.expose_str()))
    }

    /// Whether `normalized` is the current password or one of the last `depth` (the current one is always checked).
    pub fn reused(&self, normalized: &str, depth: usize, hasher: &dyn PasswordHasher) -> bool {
        let mut previous = self.hash.iter().chain(self.history.iter()).take(depth.max(1));
        previous.any(|phc| hasher.verify(normalized, phc.expose_str()))
    }

    /// The password just verified was hashed the way this service no longer hashes: its new hash replaces the old
    /// one (the same password: nothing joins the history, nothing changed for the person).
    pub fn upgrade(&mut self, normalized: &str, hasher: &dyn PasswordHasher) {
        if self.hash.as_ref().is_some_and(|phc| hasher.needs_rehash(phc.expose_str())) {
            if let Ok(new_hash) = hasher.hash(normalized) {
                self.hash = Some(Secret::new(new_hash));
            }
        }
    }

    /// Puts `new_hash` in place; the old one joins the history, which keeps the newest `depth`. Whether the new
    /// password met the policy only with 2-Step Verification on is kept, for the day it goes off.
    pub fn replace(&mut self, new_hash: String, depth: usize, now: u64, only_with_two_step: bool) {
        if let Some(old) = self.hash.replace(Secret::new(new_hash)) {
            self.history.insert(0, old);
        }
        self.history.truncate(depth);
        self.changed_at = Some(now);
        self.only_with_two_step = only_with_two_step;
        self.must_change = false;
        self.flagged = None;
        self.required = None;
    }

    /// The change this password owes at `now`, if any: at once when the login found it weak or breached (or 2-Step
    /// Verification, which allowed it, went off); else the earliest of the admin's requirement for this account and
    /// `for_audience`, the one for its account type (met by a password set since).
    pub fn owed(&self, for_audience: Option<RequiredChange>, now: u64) -> Option<PasswordChange> {
        let flagged = self.flagged.or(self.must_change.then_some(PasswordChangeReason::Policy));
        if let Some(reason) = flagged {
            return Some(PasswordChange { reason, deadline: None, due: true });
        }
        [self.required, for_audience]
            .into_iter()
            .flatten()
            .filter_map(|required| required.owed(self.changed_at, now))
            .min_by_key(|owed| (!owed.due, owed.deadline))
    }

    /// 2-Step Verification went off: a password that met the policy only with it must change at the next login.
    pub fn two_step_turned_off(&mut self) {
        self.must_change = self.only_with_two_step;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Hashing stand-in: reversible and instant, so the account's rules are tested apart from argon2.
    pub struct PlainHasher;

    /// `plain:` is its own form; `legacy:` stands for a hash another system made, which verifies but wants a rehash.
    impl PasswordHasher for PlainHasher {
        fn hash(&self, normalized: &str) -> Result<String, Refusal> {
            Ok(format!("plain:{normalized}"))
        }
        fn verify(&self, normalized: &str, phc: &str) -> bool {
            phc == format!("plain:{normalized}") || phc == format!("legacy:{normalized}")
        }
        fn needs_rehash(&self, phc: &str) -> bool {
            !phc.starts_with("plain:")
        }
    }

    #[test]
    fn an_old_hash_is_upgraded_once_verified() {
        let mut credential = Credential { hash: Some(Secret::from("legacy:pw")), ..Credential::default() };
        credential.upgrade("pw", &PlainHasher);
        assert_eq!(credential.hash, Some(Secret::from("plain:pw")));
        assert!(credential.history.is_empty() && credential.changed_at.is_none(), "the same password");
    }

    #[test]
    fn history_keeps_the_newest_and_refuses_them() {
        let mut credential = Credential::default();
        assert!(!credential.matches("a", &PlainHasher), "no password yet");
        for (i, password) in ["a", "b", "c", "d"].iter().enumerate() {
            credential.replace(PlainHasher.hash(password).unwrap(), 2, i as u64, false);
        }
        assert!(credential.matches("d", &PlainHasher));
        assert_eq!(credential.history.len(), 2);
        assert_eq!(credential.changed_at, Some(3));
        assert!(credential.reused("c", 3, &PlainHasher) && credential.reused("b", 3, &PlainHasher));
        assert!(!credential.reused("a", 3, &PlainHasher), "beyond the depth");
        assert!(!credential.reused("c", 1, &PlainHasher), "depth 1: only the current one");
        assert!(credential.reused("d", 0, &PlainHasher), "the current one, always");
    }
}
