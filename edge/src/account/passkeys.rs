//! An account's passkeys: each one's public key, signature counter, name and times; the random user handle the
//! authenticators keep for the account (never the email); and the challenges already answered, so none works twice.
//! A challenge is made at the edge and travels sealed with its expiry (`handlers/passkeys.rs`); the account, which
//! serialises every use, is what makes it single-use. Pure, like the rest of the account's state.

use super::refusal::Refusal;
use crate::webauthn::{self, data::encode, Expected, RelyingParty};
use latchkey_shared::api::{AssertionCredential, PasskeyInfo, PasskeyPurpose, RegistrationCredential};
use latchkey_shared::ErrorCode;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How many passkeys an account may hold.
pub const MAX_PASSKEYS: usize = 10;
/// How long a ceremony's challenge may be answered.
pub const CEREMONY_SECS: u64 = 5 * 60;
/// The longest name a passkey may be given (characters).
pub const MAX_NAME_CHARS: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPasskey {
    /// The credential id, base64url.
    pub id: String,
    /// Its COSE public key, base64url.
    pub public_key: String,
    pub counter: u32,
    pub name: String,
    pub created_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<u64>,
    #[serde(default)]
    pub synced: bool,
}

/// An answered challenge: its digest, kept until it would have expired anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spent {
    pub digest: String,
    pub until: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passkeys {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub list: Vec<StoredPasskey>,
    /// The WebAuthn user handle, base64url: made at the first registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_handle: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spent: Vec<Spent>,
}

/// A ceremony's challenge, as the edge opened it from its sealed form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Challenge {
    /// base64url.
    pub challenge: String,
    pub expires_at: u64,
    pub purpose: Purpose,
}

/// What a challenge was issued for: a registration, or one of the sign-in purposes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Register,
    Login,
    SecondStep,
}

impl From<PasskeyPurpose> for Purpose {
    fn from(purpose: PasskeyPurpose) -> Purpose {
        match purpose {
            PasskeyPurpose::Login => Purpose::Login,
            PasskeyPurpose::SecondStep => Purpose::SecondStep,
        }
    }
}

/// A passkey's good answer, spent only once what it authorises has happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasskeyProof {
    pub id: String,
    pub counter: u32,
    pub spent: Spent,
    pub user_verified: bool,
    /// The authenticator says it is backed up (a synced passkey).
    pub synced: bool,
}

impl Passkeys {
    pub fn any(&self) -> bool {
        !self.list.is_empty()
    }

    /// Never used: stored as nothing, so an account without passkeys keeps the document it had before them.
    pub fn unused(&self) -> bool {
        self.list.is_empty() && self.user_handle.is_none() && self.spent.is_empty()
    }

    pub fn info(&self) -> Vec<PasskeyInfo> {
        self.list
            .iter()
            .map(|p| PasskeyInfo {
                id: p.id.clone(),
                name: p.name.clone(),
                created_at: p.created_at,
                last_used_at: p.last_used_at,
                synced: p.synced,
            })
            .collect()
    }

    pub fn room(&self) -> u32 {
        MAX_PASSKEYS.saturating_sub(self.list.len()) as u32
    }

    /// The user handle, made (from `fresh`, random bytes from the edge) the first time it is asked for.
    pub fn user_handle(&mut self, fresh: [u8; 16]) -> String {
        self.user_handle.get_or_insert_with(|| encode(&fresh)).clone()
    }

    /// Adds a passkey from its registration, named `name` (or by its provider, else `fallback`).
    pub fn register(
        &mut self,
        rp: &RelyingParty,
        challenge: &Challenge,
        credential: &RegistrationCredential,
        name: Option<&str>,
        fallback: &str,
        now: u64,
    ) -> Result<(), Refusal> {
        let spent = self.usable(challenge, Purpose::Register, now)?;
        if self.list.len() >= MAX_PASSKEYS {
            return Err(ErrorCode::PasskeyLimit.into());
        }
        let bytes = webauthn::data::decode(&challenge.challenge).map_err(|_| refused())?;
        let expected = Expected { rp, challenge: &bytes, user_verification: false };
        let registered = webauthn::verify_registration(&expected, credential).map_err(|_| refused())?;
        self.spend_challenge(spent, now);
        let id = encode(&registered.id);
        if self.list.iter().any(|p| p.id == id) {
            return Err(ErrorCode::PasskeyExists.into());
        }
        let name = match name.map(clean_name).transpose()? {
            Some(name) => name,
            None => webauthn::aaguid::name(&registered.aaguid).unwrap_or(fallback).to_owned(),
        };
        self.list.push(StoredPasskey {
            id,
            public_key: encode(&registered.public_key),
            counter: registered.counter,
            name,
            created_at: now,
            last_used_at: None,
            synced: registered.backed_up,
        });
        Ok(())
    }

    /// Checks an answer to `challenge` against the account's passkeys without spending it. For a login with no
    /// password (`Purpose::Login`) the authenticator must have verified the person.
    pub fn check(
        &self,
        rp: &RelyingParty,
        challenge: &Challenge,
        credential: &AssertionCredential,
        now: u64,
    ) -> Result<PasskeyProof, Refusal> {
        let spent = self.usable(challenge, challenge.purpose, now)?;
        if challenge.purpose == Purpose::Register {
            return Err(refused());
        }
        let passkey = self.list.iter().find(|p| p.id == credential.id).ok_or_else(refused)?;
        if let (Some(handle), Some(mine)) = (&credential.response.user_handle, &self.user_handle) {
            if handle != mine {
                return Err(refused());
            }
        }
        let bytes = webauthn::data::decode(&challenge.challenge).map_err(|_| refused())?;
        let key = webauthn::data::decode(&passkey.public_key).map_err(|_| refused())?;
        let expected = Expected { rp, challenge: &bytes, user_verification: challenge.purpose == Purpose::Login };
        let asserted =
            webauthn::verify_assertion(&expected, credential, &key, passkey.counter).map_err(|_| refused())?;
        Ok(PasskeyProof {
            id: passkey.id.clone(),
            counter: asserted.counter,
            spent,
            user_verified: asserted.user_verified,
            synced: asserted.backed_up,
        })
    }

    /// Spends an answer: its challenge never works again, and the passkey's counter and last use move on.
    pub fn spend(&mut self, proof: PasskeyProof, now: u64) {
        if let Some(passkey) = self.list.iter_mut().find(|p| p.id == proof.id) {
            passkey.counter = proof.counter;
            passkey.last_used_at = Some(now);
        }
        self.spend_challenge(proof.spent, now);
    }

    pub fn rename(&mut self, id: &str, name: &str) -> Result<(), Refusal> {
        let name = clean_name(name)?;
        let passkey = self.list.iter_mut().find(|p| p.id == id).ok_or(Refusal::new(ErrorCode::PasskeyNotFound))?;
        passkey.name = name;
        Ok(())
    }

    pub fn remove(&mut self, id: &str) -> Result<StoredPasskey, Refusal> {
        let at = self.list.iter().position(|p| p.id == id).ok_or(Refusal::new(ErrorCode::PasskeyNotFound))?;
        Ok(self.list.remove(at))
    }

    /// The challenge's digest, if it is for `purpose`, unexpired and never answered.
    fn usable(&self, challenge: &Challenge, purpose: Purpose, now: u64) -> Result<Spent, Refusal> {
        let digest = crate::hex::hex(&Sha256::digest(challenge.challenge.as_bytes()));
        let answered = self.spent.iter().any(|s| s.digest == digest);
        if challenge.purpose != purpose || now >= challenge.expires_at || answered {
            return Err(ErrorCode::PasskeyCeremonyExpired.into());
        }
        Ok(Spent { digest, until: challenge.expires_at })
    }

    fn spend_challenge(&mut self, spent: Spent, now: u64) {
        self.spent.retain(|s| s.until > now);
        self.spent.push(spent);
    }
}

fn refused() -> Refusal {
    Refusal::new(ErrorCode::PasskeyRefused)
}

/// A name as people type it: trimmed, not empty, not too long, no control characters.
fn clean_name(name: &str) -> Result<String, Refusal> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ErrorCode::InvalidRequest.into());
    }
    Ok(name.to_owned())
}

#[cfg(test)]
#[path = "passkeys_tests.rs"]
mod tests;
