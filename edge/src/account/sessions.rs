//! An account's sessions: only the tokens' hashes are kept, each until it expires — at its absolute end, or sooner
//! when unused for the idle time — at most [`MAX_SESSIONS`].

use crate::token::TokenHash;
use latchkey_shared::api::PasswordChange;
use serde::{Deserialize, Serialize};

/// The most sessions one account keeps; the oldest goes first.
const MAX_SESSIONS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub hash: TokenHash,
    /// The absolute end.
    pub expires_at: u64,
    /// The end if it is not used again before then (sessions stored before the idle timeout have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_until: Option<u64>,
    /// When the person last proved who they are in it: the login, or the password typed again (sessions stored
    /// before this was kept have none, so they are never recent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticated_at: Option<u64>,
    /// Whether the login gave a 2-Step Verification code (an app's ID token then says `amr: ["pwd", "otp"]`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub otp: bool,
    /// How the login was made, as RFC 8176 names it (sessions stored before passkeys have none: [`Session::amr`]
    /// reads `otp`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub methods: Vec<String>,
    /// When the person last proved the second factor in it: a code at the login, at the setup's confirmation, or
    /// typed again with the password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_factor_at: Option<u64>,
    /// The change of password the login found owed; once due, the session is good only for making it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_change: Option<PasswordChange>,
}

impl Session {
    fn live(&self, now: u64) -> bool {
        self.expires_at > now && self.idle_until.is_none_or(|idle| idle > now)
    }

    /// How the login was made (RFC 8176): `pwd`, with `otp` for a code, `hwk` (a passkey kept on one device) or
    /// `swk` (a synced one); a passkey with no password, the person verified at the authenticator, adds `mfa`.
    pub fn amr(&self) -> Vec<String> {
        match (self.methods.is_empty(), self.otp) {
            (false, _) => self.methods.clone(),
            (true, true) => vec!["pwd".into(), "otp".into()],
            (true, false) => vec!["pwd".into()],
        }
    }
}

/// The methods of a login whose second factor was `proof` (none: the password alone; `password` false: a passkey with
/// no password).
pub fn methods_of(password: bool, proof: Option<&super::two_step::Proof>) -> Vec<String> {
    use super::two_step::Proof;
    let mut methods: Vec<String> = if password { vec!["pwd".into()] } else { Vec::new() };
    match proof {
        Some(Proof::Passkey(passkey)) => methods.push(if passkey.synced { "swk" } else { "hwk" }.into()),
        Some(_) => methods.push("otp".into()),
        None => {}
    }
    if !password {
        methods.push("mfa".into());
    }
    methods
}

/// Stored as a plain list, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sessions(Vec<Session>);

impl Sessions {
    /// Starts a session (forgetting ended ones, and the oldest if there are too many), owing `password_change`;
    /// `otp` when the login gave a code. The sessions that ended to make room.
    pub fn open(
        &mut self,
        hash: TokenHash,
        now: u64,
        ttl_secs: u64,
        idle_secs: u64,
        password_change: Option<PasswordChange>,
        otp: bool,
    ) -> Vec<TokenHash> {
        let mut ended: Vec<TokenHash> = self.0.iter().filter(|s| !s.live(now)).map(|s| s.hash.clone()).collect();
        self.0.retain(|s| s.live(now));
        if self.0.len() >= MAX_SESSIONS {
            ended.push(self.0.remove(0).hash);
        }
        let expires_at = now + ttl_secs;
        let idle_until = Some((now + idle_secs).min(expires_at));
        let authenticated_at = Some(now);
        let second_factor_at = otp.then_some(now);
        let methods = Vec::new();
        self.0.push(Session {
            hash,
            expires_at,
            idle_until,
            authenticated_at,
            otp,
            methods,
            second_factor_at,
            password_change,
        });
        ended
    }

    /// A live session.
    pub fn get(&self, hash: &TokenHash, now: u64) -> Option<&Session> {
        self.0.iter().find(|s| &s.hash == hash && s.live(now))
    }

    /// The change of password a live session owes.
    pub fn password_change(&self, hash: &TokenHash, now: u64) -> Option<PasswordChange> {
        self.0.iter().find(|s| &s.hash == hash && s.live(now)).and_then(|s| s.password_change)
    }

    /// The password was changed in this session: it owes nothing any more.
    pub fn password_changed(&mut self, hash: &TokenHash) {
        if let Some(session) = self.0.iter_mut().find(|s| &s.hash == hash) {
            session.password_change = None;
        }
    }

    pub fn is_live(&self, hash: &TokenHash, now: u64) -> bool {
        self.0.iter().any(|s| &s.hash == hash && s.live(now))
    }

    /// The session was used: its idle time starts again (never past its absolute end).
    pub fn touch(&mut self, hash: &TokenHash, now: u64, idle_secs: u64) {
        if let Some(session) = self.0.iter_mut().find(|s| &s.hash == hash && s.live(now)) {
            session.idle_until = Some((now + idle_secs).min(session.expires_at));
        }
    }

    /// The person proved again who they are in this (live) session: the password, and the second factor if
    /// `second_factor`.
    pub fn reauthenticated(&mut self, hash: &TokenHash, now: u64, second_factor: bool) {
        if let Some(session) = self.0.iter_mut().find(|s| &s.hash == hash && s.live(now)) {
            session.authenticated_at = Some(now);
            if second_factor {
                session.second_factor_at = Some(now);
            }
        }
    }

    /// The person proved the second factor in this (live) session (a code confirming a new authenticator).
    /// Records how the login of `hash` was made.
    pub fn set_methods(&mut self, hash: &TokenHash, methods: Vec<String>) {
        if let Some(session) = self.0.iter_mut().find(|s| &s.hash == hash) {
            session.methods = methods;
        }
    }

    pub fn second_factor_proved(&mut self, hash: &TokenHash, now: u64) {
        if let Some(session) = self.0.iter_mut().find(|s| &s.hash == hash && s.live(now)) {
            session.second_factor_at = Some(now);
        }
    }

    /// Whether the person proved who they are in this live session less than `window_secs` ago: what a sensitive
    /// change asks, so a session left open or stolen cannot make it.
    pub fn authenticated_within(&self, hash: &TokenHash, now: u64, window_secs: u64) -> bool {
        self.0.iter().any(|s| {
            &s.hash == hash && s.live(now) && s.authenticated_at.is_some_and(|at| now.saturating_sub(at) < window_secs)
        })
    }

    /// Whether the person proved both factors — the password and a 2-Step Verification code — in this live session
    /// less than `window_secs` ago: what the console's changes ask of staff.
    pub fn both_factors_within(&self, hash: &TokenHash, now: u64, window_secs: u64) -> bool {
        let recent = |at: Option<u64>| at.is_some_and(|at| now.saturating_sub(at) < window_secs);
        self.authenticated_within(hash, now, window_secs)
            && self.0.iter().any(|s| &s.hash == hash && s.live(now) && recent(s.second_factor_at))
    }

    /// Ends the sessions `which` picks; the hashes of those that ended.
    fn end_where(&mut self, which: impl Fn(&Session) -> bool) -> Vec<TokenHash> {
        let ended = self.0.iter().filter(|s| which(s)).map(|s| s.hash.clone()).collect();
        self.0.retain(|s| !which(s));
        ended
    }

    /// Ends every session but `keep` (the one that made a change the others must not outlive).
    pub fn end_others(&mut self, keep: &TokenHash) -> Vec<TokenHash> {
        self.end_where(|s| &s.hash != keep)
    }

    pub fn end(&mut self, hash: &TokenHash) -> Vec<TokenHash> {
        self.end_where(|s| &s.hash == hash)
    }

    /// Ends every session.
    pub fn end_all(&mut self) -> Vec<TokenHash> {
        self.end_where(|_| true)
    }

    pub fn live(&self, now: u64) -> u32 {
        self.0.iter().filter(|s| s.live(now)).count() as u32
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
        sessions.open(hash(1), 0, 100, 1000, None, false);
        assert!(sessions.is_live(&hash(1), 99) && !sessions.is_live(&hash(1), 100));
        sessions.open(hash(2), 0, 100, 1000, None, false);
        sessions.end(&hash(2));
        assert!(!sessions.is_live(&hash(2), 0));
        for n in 0..MAX_SESSIONS as u8 {
            sessions.open(hash(10 + n), 1, 100, 1000, None, false);
        }
        assert!(!sessions.is_live(&hash(1), 1), "the oldest went first");
        assert_eq!(sessions.live(1), MAX_SESSIONS as u32);
        assert_eq!(sessions.end_all().len(), MAX_SESSIONS);
        assert_eq!(sessions.live(1), 0);
    }

    #[test]
    fn an_unused_session_ends_at_its_idle_time_and_use_extends_it_to_the_absolute_end() {
        let mut sessions = Sessions::default();
        sessions.open(hash(1), 0, 1000, 300, None, false);
        assert!(sessions.is_live(&hash(1), 299) && !sessions.is_live(&hash(1), 300), "unused for 300 s");
        sessions.open(hash(2), 0, 1000, 300, None, false);
        sessions.touch(&hash(2), 200, 300);
        assert!(sessions.is_live(&hash(2), 499));
        sessions.touch(&hash(2), 800, 300);
        assert!(!sessions.is_live(&hash(2), 1000), "never past the absolute end");
        sessions.touch(&hash(1), 400, 300);
        assert!(!sessions.is_live(&hash(1), 401), "an idle session is not brought back");
    }

    #[test]
    fn a_session_is_recently_authenticated_for_a_while_after_the_login_or_the_password_again() {
        let mut sessions = Sessions::default();
        sessions.open(hash(1), 0, 10_000, 5_000, None, false);
        assert!(sessions.authenticated_within(&hash(1), 599, 600));
        assert!(!sessions.authenticated_within(&hash(1), 600, 600), "the login is too old");
        sessions.touch(&hash(1), 700, 5_000);
        assert!(!sessions.authenticated_within(&hash(1), 700, 600), "using a session is not proving who you are");
        sessions.reauthenticated(&hash(1), 800, false);
        assert!(sessions.authenticated_within(&hash(1), 1_399, 600));
        assert!(!sessions.authenticated_within(&hash(2), 800, 600), "another session is not");
        sessions.end(&hash(1));
        sessions.reauthenticated(&hash(1), 900, true);
        assert!(!sessions.authenticated_within(&hash(1), 900, 600), "an ended session is not brought back");
    }

    #[test]
    fn both_factors_are_recent_only_when_the_password_and_a_code_were_both_given_lately() {
        let mut sessions = Sessions::default();
        sessions.open(hash(1), 0, 10_000, 5_000, None, true);
        sessions.open(hash(2), 0, 10_000, 5_000, None, false);
        assert!(sessions.both_factors_within(&hash(1), 599, 600), "a login with a code");
        assert!(!sessions.both_factors_within(&hash(2), 1, 600), "a login without one");
        assert!(!sessions.both_factors_within(&hash(1), 600, 600), "too long ago");
        sessions.reauthenticated(&hash(1), 700, false);
        assert!(!sessions.both_factors_within(&hash(1), 700, 600), "the password alone");
        sessions.reauthenticated(&hash(1), 800, true);
        assert!(sessions.both_factors_within(&hash(1), 1_399, 600));
        sessions.second_factor_proved(&hash(2), 900);
        assert!(!sessions.both_factors_within(&hash(2), 900, 600), "a code alone: the password is old");
        sessions.reauthenticated(&hash(2), 950, false);
        assert!(sessions.both_factors_within(&hash(2), 950, 600), "the code lately, then the password");
    }

    #[test]
    fn one_session_can_end_the_others() {
        let mut sessions = Sessions::default();
        for n in 1..=3 {
            sessions.open(hash(n), 0, 1000, 300, None, false);
        }
        sessions.end_others(&hash(2));
        assert_eq!((sessions.live(1), sessions.is_live(&hash(2), 1)), (1, true));
    }

    #[test]
    fn a_session_stored_before_the_idle_timeout_keeps_its_absolute_end() {
        let stored: Sessions =
            serde_json::from_str(&format!(r#"[{{"hash":"{}","expires_at":100}}]"#, hash(1).0)).unwrap();
        assert!(stored.is_live(&hash(1), 99) && !stored.is_live(&hash(1), 100));
        assert!(!stored.authenticated_within(&hash(1), 0, 600), "when it was authenticated is unknown: not recently");
        let written = serde_json::to_string(&stored).unwrap();
        assert!(!written.contains("idle_until") && !written.contains("authenticated_at"), "written back as it was");
    }
}
