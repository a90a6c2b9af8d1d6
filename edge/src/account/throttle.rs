//! Sliding windows: when recent events happened, so that one too many within a window can be refused. Each method
//! says whether it changes the window.

use serde::{Deserialize, Serialize};

/// At most `allowed` events within any `window_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub allowed: usize,
    pub window_secs: u64,
}

/// Failed logins from one client before that client is throttled on the account: someone else's guessing does not
/// lock the owner's own device out.
pub const LOGIN_FAILURES: Limit = Limit { allowed: 5, window_secs: 15 * 60 };
/// Failed logins from all clients before the account is throttled for everyone: a guess spread over many addresses is
/// stopped too. 30 per 15 minutes is under 3,000 guesses a day, against passwords the policy requires to resist 10^8
/// or more; the owner is locked out only while such a spread attack runs.
pub const ACCOUNT_LOGIN_FAILURES: Limit = Limit { allowed: 30, window_secs: 15 * 60 };
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
        self.within(now, limit) >= limit.allowed
    }

    /// How many events the window holds now. Changes nothing.
    pub fn within(&self, now: u64, limit: Limit) -> usize {
        self.0.iter().filter(|&&at| at + limit.window_secs > now).count()
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

/// Failed logins of one account (or of a name no account has): in all, and by client (a pseudonym of the client's
/// address or /64, never the address).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginFailures {
    pub all: SlidingWindow,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_client: Vec<(String, u64)>,
}

impl LoginFailures {
    /// How many logins failed on the account, from any client, in the last window.
    pub fn recent(&self, now: u64) -> u32 {
        self.all.within(now, ACCOUNT_LOGIN_FAILURES) as u32
    }

    /// Whether a login from `client` must be refused without trying the password. Changes nothing.
    pub fn throttles(&self, client: &str, now: u64) -> bool {
        let window = LOGIN_FAILURES.window_secs;
        let from_client = self.by_client.iter().filter(|(c, at)| c == client && at + window > now).count();
        from_client >= LOGIN_FAILURES.allowed || self.all.is_full(now, ACCOUNT_LOGIN_FAILURES)
    }

    /// Records a failure from `client` (forgetting what has left the window).
    pub fn record(&mut self, client: &str, now: u64) {
        self.all.record(now, ACCOUNT_LOGIN_FAILURES);
        self.by_client.retain(|(_, at)| at + LOGIN_FAILURES.window_secs > now);
        self.by_client.push((client.to_owned(), now));
    }

    /// `client` logged in: its own failures are forgiven (the account-wide count stays: it measures an attack).
    pub fn forgive(&mut self, client: &str) {
        self.by_client.retain(|(c, _)| c != client);
    }

    pub fn clear(&mut self) {
        self.all.clear();
        self.by_client.clear();
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.all.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_clients_failures_do_not_throttle_another_but_many_clients_together_do() {
        let mut failures = LoginFailures::default();
        for i in 0..LOGIN_FAILURES.allowed as u64 {
            failures.record("attacker", i);
        }
        assert!(failures.throttles("attacker", 10));
        assert!(!failures.throttles("owner", 10), "the owner's own device still gets in");
        failures.forgive("attacker");
        assert!(!failures.throttles("attacker", 10));
        let mut spread = LoginFailures::default();
        for i in 0..ACCOUNT_LOGIN_FAILURES.allowed {
            spread.record(&format!("client-{i}"), 100);
        }
        assert!(spread.throttles("owner", 101), "a guess spread over many clients stops everyone");
        assert!(!spread.throttles("owner", 100 + ACCOUNT_LOGIN_FAILURES.window_secs));
        assert!(spread.by_client.len() <= ACCOUNT_LOGIN_FAILURES.allowed, "bounded by the window");
    }

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
