//! An account's sessions: only the tokens' hashes are kept, each until it expires, at most [`MAX_SESSIONS`].

use crate::token::TokenHash;
use serde::{Deserialize, Serialize};

/// The most sessions one account keeps; the oldest goes first.
const MAX_SESSIONS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub hash: TokenHash,
    pub expires_at: u64,
}

/// Stored as a plain list, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sessions(Vec<Session>);

impl Sessions {
    /// Starts a session (forgetting expired ones, and the oldest if there are too many).
    pub fn open(&mut self, hash: TokenHash, now: u64, ttl_secs: u64) {
        self.0.retain(|s| s.expires_at > now);
        if self.0.len() >= MAX_SESSIONS {
            self.0.remove(0);
        }
        self.0.push(Session { hash, expires_at: now + ttl_secs });
    }

    pub fn is_live(&self, hash: &TokenHash, now: u64) -> bool {
        self.0.iter().any(|s| &s.hash == hash && s.expires_at > now)
    }

    pub fn end(&mut self, hash: &TokenHash) {
        self.0.retain(|s| &s.hash != hash);
    }

    /// Ends every session; how many there were.
    pub fn end_all(&mut self) -> u32 {
        let ended = self.0.len() as u32;
        self.0.clear();
        ended
    }

    pub fn live(&self, now: u64) -> u32 {
        self.0.iter().filter(|s| s.expires_at > now).count() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(n: u8) -> TokenHash {
        TokenHash(format!("{n:064}"))
    }

    #[test]
    fn sessions_expire_end_and_are_bounded() {
        let mut sessions = Sessions::default();
        sessions.open(hash(1), 0, 100);
        assert!(sessions.is_live(&hash(1), 99) && !sessions.is_live(&hash(1), 100));
        sessions.open(hash(2), 0, 100);
        sessions.end(&hash(2));
        assert!(!sessions.is_live(&hash(2), 0));
        for n in 0..MAX_SESSIONS as u8 {
            sessions.open(hash(10 + n), 1, 100);
        }
        assert!(!sessions.is_live(&hash(1), 1), "the oldest went first");
        assert_eq!(sessions.live(1), MAX_SESSIONS as u32);
        assert_eq!(sessions.end_all(), MAX_SESSIONS as u32);
        assert_eq!(sessions.live(1), 0);
    }
}
