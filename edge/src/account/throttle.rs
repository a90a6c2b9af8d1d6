//! Sliding windows: when recent events happened, so that one too many within a window can be refused. Each method
//! says whether it changes the window.

use serde::{Deserialize, Serialize};

/// At most `allowed` events within any `window_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub allowed: usize,
    pub window_secs: u64,
}

/// Failed logins before the account is throttled.
pub const LOGIN_FAILURES: Limit = Limit { allowed: 5, window_secs: 15 * 60 };
/// Reset links one account can be sent: enough for "it went to spam, send another", too few to flood a mailbox. Past
/// it a request is answered as every request is, and no mail goes out.
pub const RESET_REQUESTS: Limit = Limit { allowed: 3, window_secs: 15 * 60 };
/// Attempts to set a password with a live link: each may cost seven argon2 runs.
pub const RESET_ATTEMPTS: Limit = Limit { allowed: 10, window_secs: 15 * 60 };
/// Wrong 2-Step Verification codes, across login, reset and the settings: with three codes valid at any time,
/// guessing one stays near a one-in-a-hundred-thousand chance per window.
pub const CODE_FAILURES: Limit = Limit { allowed: 5, window_secs: 15 * 60 };

/// When recent events happened (unix seconds), oldest first. Stored as a plain list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SlidingWindow(Vec<u64>);

impl SlidingWindow {
    /// Forgets the events that have left the window.
    pub fn prune(&mut self, now: u64, limit: Limit) {
        self.0.retain(|&at| at + limit.window_secs > now);
    }

    /// Whether the window already holds as many events as the limit allows. Changes nothing.
    pub fn is_full(&self, now: u64, limit: Limit) -> bool {
        self.0.iter().filter(|&&at| at + limit.window_secs > now).count() >= limit.allowed
    }

    /// Records an event at `now` (forgetting what has left the window), full or not: a failure is counted once it
    /// was allowed to be tried.
    pub fn record(&mut self, now: u64, limit: Limit) {
        self.prune(now, limit);
        self.0.push(now);
    }

    /// Records an event at `now` unless the window is full; whether it was recorded.
    pub fn try_record(&mut self, now: u64, limit: Limit) -> bool {
        self.prune(now, limit);
        if self.0.len() >= limit.allowed {
            return false;
        }
        self.0.push(now);
        true
    }

    /// Takes back the latest event (one that turned out not to count).
    pub fn forget_latest(&mut self) {
        self.0.pop();
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Limit = Limit { allowed: 2, window_secs: 100 };

    #[test]
    fn is_full_counts_only_the_window_and_changes_nothing() {
        let mut window = SlidingWindow::default();
        window.record(0, LIMIT);
        window.record(50, LIMIT);
        assert!(window.is_full(99, LIMIT));
        assert!(!window.is_full(100, LIMIT), "the first event left the window");
        assert_eq!(window.len(), 2, "a check forgets nothing");
    }

    #[test]
    fn try_record_refuses_a_full_window_and_prunes() {
        let mut window = SlidingWindow::default();
        assert!(window.try_record(0, LIMIT));
        assert!(window.try_record(1, LIMIT));
        assert!(!window.try_record(2, LIMIT));
        assert_eq!(window.len(), 2);
        assert!(window.try_record(100, LIMIT));
        assert_eq!(window, SlidingWindow(vec![1, 100]), "the event that left was forgotten");
        window.forget_latest();
        assert_eq!(window, SlidingWindow(vec![1]));
    }

    #[test]
    fn stored_as_a_plain_list() {
        let window: SlidingWindow = serde_json::from_str("[1, 2]").unwrap();
        assert_eq!(serde_json::to_string(&window).unwrap(), "[1,2]");
    }
}
