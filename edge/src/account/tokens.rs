//! The reset links an account has been sent: only the newest works, each once, until it expires. Only the tokens'
//! hashes are kept.

use super::refusal::Refusal;
use crate::token::TokenHash;
use latchkey_shared::api::{ResetLinkView, TokenStatus};
use latchkey_shared::ErrorCode;
use serde::{Deserialize, Serialize};

/// How many issued tokens an account remembers (to tell "superseded" and "used" from "invalid").
const TOKENS_KEPT: usize = 10;

/// A link used to change something: refused, unless it works, for what it is (expired, superseded, used, revoked or
/// unknown), so the page can say which.
pub fn working(status: TokenStatus) -> Result<(), Refusal> {
    let code = match status {
        TokenStatus::Ok => return Ok(()),
        TokenStatus::Expired => ErrorCode::TokenExpired,
        TokenStatus::Superseded => ErrorCode::TokenSuperseded,
        TokenStatus::Used => ErrorCode::TokenUsed,
        TokenStatus::Revoked => ErrorCode::TokenRevoked,
        TokenStatus::Invalid => ErrorCode::TokenInvalid,
    };
    Err(code.into())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    Live,
    Superseded,
    Used,
    /// Withdrawn by staff (an invitation).
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    pub hash: TokenHash,
    /// None for a link issued before this was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<u64>,
    pub expires_at: u64,
    pub fate: Fate,
    /// The link that was live when this one was issued, brought back if this one is withdrawn.
    #[serde(default)]
    pub replaced: Option<TokenHash>,
}

/// Stored as a plain list, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Tokens(Vec<IssuedToken>);

impl Tokens {
    /// Records a new link, issued `now`; every earlier one stops working.
    pub fn issue(&mut self, hash: TokenHash, now: u64, expires_at: u64) {
        let mut replaced = None;
        for token in &mut self.0 {
            if token.fate == Fate::Live {
                token.fate = Fate::Superseded;
                replaced = Some(token.hash.clone());
            }
        }
        self.0.push(IssuedToken { hash, issued_at: Some(now), expires_at, fate: Fate::Live, replaced });
        if self.0.len() > TOKENS_KEPT {
            self.0.remove(0);
        }
    }

    /// Takes back a live link (its mail could not be sent): it never worked, and the link it replaced works again.
    /// Whether there was such a link.
    pub fn withdraw(&mut self, hash: &TokenHash) -> bool {
        let Some(at) = self.0.iter().position(|t| &t.hash == hash && t.fate == Fate::Live) else { return false };
        let withdrawn = self.0.remove(at);
        if let Some(previous) = self.0.iter_mut().find(|t| Some(&t.hash) == withdrawn.replaced.as_ref()) {
            if previous.fate == Fate::Superseded {
                previous.fate = Fate::Live;
            }
        }
        true
    }

    pub fn status(&self, hash: &TokenHash, now: u64) -> TokenStatus {
        match self.0.iter().find(|t| &t.hash == hash) {
            None => TokenStatus::Invalid,
            Some(t) => match t.fate {
                Fate::Used => TokenStatus::Used,
                Fate::Superseded => TokenStatus::Superseded,
                Fate::Revoked => TokenStatus::Revoked,
                Fate::Live if now >= t.expires_at => TokenStatus::Expired,
                Fate::Live => TokenStatus::Ok,
            },
        }
    }

    /// The latest link, for the school office: when it was sent, until when, whether it works, and how many of those
    /// remembered were replaced before use.
    pub fn latest(&self, now: u64) -> Option<ResetLinkView> {
        let latest = self.0.last()?;
        Some(ResetLinkView {
            sent_at: latest.issued_at,
            expires_at: latest.expires_at,
            status: self.status(&latest.hash, now),
            superseded: self.0.iter().filter(|t| t.fate == Fate::Superseded).count() as u32,
        })
    }

    /// `used` set a new password: it is spent, and any other live link stops working.
    pub fn spend(&mut self, used: &TokenHash) {
        for token in &mut self.0 {
            if token.fate == Fate::Live {
                token.fate = if &token.hash == used { Fate::Used } else { Fate::Superseded };
            }
        }
    }

    /// No link works any more.
    pub fn revoke_all(&mut self) {
        self.end_live(Fate::Superseded);
    }

    /// Staff withdrew the live link: it says so when opened.
    pub fn withdraw_by_staff(&mut self) {
        self.end_live(Fate::Revoked);
    }

    fn end_live(&mut self, fate: Fate) {
        for token in &mut self.0 {
            if token.fate == Fate::Live {
                token.fate = fate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000;

    fn hash(n: u8) -> TokenHash {
        TokenHash(format!("{n:064}"))
    }

    #[test]
    fn only_the_newest_works_until_it_expires() {
        let mut tokens = Tokens::default();
        tokens.issue(hash(1), NOW, NOW + 60);
        tokens.issue(hash(2), NOW, NOW + 60);
        assert_eq!(tokens.status(&hash(1), NOW), TokenStatus::Superseded);
        assert_eq!(tokens.status(&hash(2), NOW + 59), TokenStatus::Ok);
        assert_eq!(tokens.status(&hash(2), NOW + 60), TokenStatus::Expired);
        assert_eq!(tokens.status(&hash(3), NOW), TokenStatus::Invalid);
        tokens.spend(&hash(2));
        assert_eq!(tokens.status(&hash(2), NOW), TokenStatus::Used);
    }

    #[test]
    fn the_latest_link_as_the_office_sees_it() {
        let mut tokens = Tokens::default();
        assert_eq!(tokens.latest(NOW), None);
        tokens.issue(hash(1), NOW, NOW + 60);
        tokens.issue(hash(2), NOW + 5, NOW + 65);
        let latest = tokens.latest(NOW + 10).unwrap();
        assert_eq!(
            latest,
            ResetLinkView { sent_at: Some(NOW + 5), expires_at: NOW + 65, status: TokenStatus::Ok, superseded: 1 }
        );
        assert_eq!(tokens.latest(NOW + 65).unwrap().status, TokenStatus::Expired);
        tokens.spend(&hash(2));
        assert_eq!(tokens.latest(NOW + 10).unwrap().status, TokenStatus::Used);
    }

    #[test]
    fn a_withdrawn_link_brings_back_the_one_it_replaced() {
        let mut tokens = Tokens::default();
        tokens.issue(hash(1), NOW, NOW + 60);
        tokens.issue(hash(2), NOW, NOW + 60);
        assert!(tokens.withdraw(&hash(2)));
        assert!(!tokens.withdraw(&hash(2)), "once");
        assert_eq!(tokens.status(&hash(2), NOW), TokenStatus::Invalid);
        assert_eq!(tokens.status(&hash(1), NOW), TokenStatus::Ok);
    }

    #[test]
    fn ten_are_remembered() {
        let mut tokens = Tokens::default();
        for n in 0..=TOKENS_KEPT as u8 {
            tokens.issue(hash(n), NOW, NOW + 60);
        }
        assert_eq!(tokens.status(&hash(0), NOW), TokenStatus::Invalid, "forgotten");
        assert_eq!(tokens.status(&hash(1), NOW), TokenStatus::Superseded);
        tokens.revoke_all();
        assert_eq!(tokens.status(&hash(TOKENS_KEPT as u8), NOW), TokenStatus::Superseded);
    }

    #[test]
    fn a_link_staff_withdrew_says_so() {
        let mut tokens = Tokens::default();
        tokens.issue(hash(1), NOW, NOW + 60);
        tokens.issue(hash(2), NOW, NOW + 60);
        tokens.withdraw_by_staff();
        assert_eq!(
            (tokens.status(&hash(1), NOW), tokens.status(&hash(2), NOW)),
            (TokenStatus::Superseded, TokenStatus::Revoked)
        );
    }
}
