//! The account's state and its transitions. Pure: the Durable Object loads it, calls one transition, and stores it.

use super::two_step::{Proof, TwoStep, TwoStepChange};
use crate::audit::Pseudonym;
use crate::mail::job::MailJob;
use crate::token::TokenHash;
use crate::webhook;
use latchkey_shared::api::{AccountStatus, AccountView, SessionInfo, TokenStatus};
use latchkey_shared::chars::normalize;
use latchkey_shared::{evaluate, Audience, ErrorCode, EvalContext, Locale, Policy, Rule, RuleResult};
use serde::{Deserialize, Serialize};

/// How many issued tokens an account remembers (to tell "superseded" and "used" from "invalid").
const TOKENS_KEPT: usize = 10;
/// The most sessions one account keeps; the oldest goes first.
const MAX_SESSIONS: usize = 20;
/// Failed logins allowed within the window before the account is throttled.
pub const LOGIN_FAILURES_ALLOWED: usize = 5;
pub const LOGIN_WINDOW_SECS: u64 = 15 * 60;
/// Reset links one account can be sent within the window: enough for "it went to spam, send another", too few to
/// flood a mailbox. Past it a request is answered as every request is, and no mail goes out.
pub const RESET_REQUESTS_ALLOWED: usize = 3;
/// Attempts to set a password with a live link within the window: each may cost seven argon2 runs.
pub const RESET_ATTEMPTS_ALLOWED: usize = 10;
pub const RESET_WINDOW_SECS: u64 = 15 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub login_email: String,
    pub contact_email: Option<String>,
    pub audience: Audience,
    pub display_name: String,
    pub locale: Locale,
    pub status: AccountStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    Live,
    Superseded,
    Used,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    pub hash: TokenHash,
    pub expires_at: u64,
    pub fate: Fate,
    /// The link that was live when this one was issued, brought back if this one is withdrawn.
    #[serde(default)]
    pub replaced: Option<TokenHash>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub hash: TokenHash,
    pub expires_at: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlight {
    pub job: MailJob,
    /// When to queue it again if no consumer has reported it settled (unix seconds).
    pub requeue_at: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountState {
    pub profile: Profile,
    /// argon2id PHC string; `None` until a password is set (an invited account).
    pub password_hash: Option<String>,
    /// Earlier hashes, newest first, at most the policy's history depth.
    pub history: Vec<String>,
    pub password_changed_at: Option<u64>,
    pub tokens: Vec<IssuedToken>,
    pub sessions: Vec<Session>,
    /// When recent logins failed, oldest first.
    pub failed_logins: Vec<u64>,
    /// When recent reset links were issued, oldest first.
    #[serde(default)]
    pub reset_requests: Vec<u64>,
    /// When a live link was recently used to try a new password, oldest first.
    #[serde(default)]
    pub reset_attempts: Vec<u64>,
    /// Mail decided on but not yet handed to the queue (the Durable Object flushes it, retrying by alarm).
    pub outbox: Vec<MailJob>,
    /// Mail handed to the queue and not yet reported settled (sent or dead-lettered) by its consumer. One the queue
    /// loses goes back to the outbox when its time is up, under the same id, so the provider still delivers it once.
    #[serde(default)]
    pub in_flight: Vec<InFlight>,
    /// Webhook notifications not yet delivered to the site's backend (sent from the Durable Object's alarm).
    #[serde(default)]
    pub webhooks: Vec<webhook::Delivery>,
    #[serde(default)]
    pub two_step: TwoStep,
}

/// Why a request was refused, as the API reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub code: ErrorCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmet: Vec<RuleResult>,
}

impl Refusal {
    pub fn new(code: ErrorCode) -> Refusal {
        Refusal { code, detail: None, unmet: Vec::new() }
    }
}

impl From<ErrorCode> for Refusal {
    fn from(code: ErrorCode) -> Self {
        Refusal::new(code)
    }
}

/// What a reset needs from outside: the hashing, injected so tests can use cheap fakes.
pub trait PasswordHasher {
    fn hash(&self, normalized: &str) -> Result<String, Refusal>;
    fn verify(&self, normalized: &str, phc: &str) -> bool;
}

pub struct ResetInput<'a> {
    pub token: &'a TokenHash,
    pub password: &'a str,
    pub confirm: &'a str,
    /// The breach check's verdict: `None` when it is off or could not be had (the rest of the policy still applies).
    pub breached: Option<bool>,
    /// The checked second factor, when the account uses 2-Step Verification (from [`AccountState::reset_proof`]).
    pub proof: Option<Proof>,
}

/// What a login brings.
pub struct LoginInput<'a> {
    pub password: &'a str,
    /// A code from the authenticator app or a recovery code.
    pub code: Option<&'a str>,
    pub session: TokenHash,
}

/// The site's settings a login and a session are checked against.
#[derive(Debug, Clone, Copy)]
pub struct SessionRules {
    pub ttl_secs: u64,
    /// The grace period when the site requires 2-Step Verification for the account's audience.
    pub two_step_grace_secs: Option<u64>,
}

impl AccountState {
    pub fn new(profile: Profile, password_hash: Option<String>) -> AccountState {
        AccountState {
            profile,
            password_hash,
            history: Vec::new(),
            password_changed_at: None,
            tokens: Vec::new(),
            sessions: Vec::new(),
            failed_logins: Vec::new(),
            reset_requests: Vec::new(),
            reset_attempts: Vec::new(),
            outbox: Vec::new(),
            in_flight: Vec::new(),
            webhooks: Vec::new(),
            two_step: TwoStep::default(),
        }
    }

    /// How logs name this account.
    pub fn pseudonym(&self) -> Pseudonym {
        Pseudonym::for_account(self.profile.audience, &self.profile.login_email)
    }

    pub fn is_active(&self) -> bool {
        self.profile.status == AccountStatus::Active
    }

    /// Every address on file, login first, without repeats.
    pub fn addresses(&self) -> Vec<String> {
        let mut to = vec![self.profile.login_email.clone()];
        if let Some(contact) = &self.profile.contact_email {
            if !to.contains(contact) {
                to.push(contact.clone());
            }
        }
        to
    }

    pub fn view(&self, now: u64) -> AccountView {
        AccountView {
            login_email: self.profile.login_email.clone(),
            contact_email: self.profile.contact_email.clone(),
            audience: self.profile.audience,
            display_name: self.profile.display_name.clone(),
            locale: self.profile.locale,
            status: self.profile.status,
            active_sessions: self.sessions.iter().filter(|s| s.expires_at > now).count() as u32,
            password_changed_at: self.password_changed_at,
            two_step_enabled: self.two_step.enabled(),
        }
    }

    pub fn session_info(&self, now: u64, rules: SessionRules) -> SessionInfo {
        SessionInfo {
            email: self.profile.login_email.clone(),
            audience: self.profile.audience,
            display_name: self.profile.display_name.clone(),
            two_step: self.two_step.status(now, rules.two_step_grace_secs),
        }
    }

    /// Records a new reset token; every earlier one stops working. Disabled accounts get none, and an account sent
    /// [`RESET_REQUESTS_ALLOWED`] links within the window gets no more until it passes (the earlier links still work).
    pub fn issue_token(&mut self, hash: TokenHash, now: u64, lifetime_secs: u32) -> Result<(), Refusal> {
        if !self.is_active() {
            return Err(ErrorCode::Unauthorized.into());
        }
        if !within_limit(&mut self.reset_requests, now, RESET_WINDOW_SECS, RESET_REQUESTS_ALLOWED) {
            return Err(ErrorCode::RateLimited.into());
        }
        let mut replaced = None;
        for token in &mut self.tokens {
            if token.fate == Fate::Live {
                token.fate = Fate::Superseded;
                replaced = Some(token.hash.clone());
            }
        }
        self.tokens.push(IssuedToken { hash, expires_at: now + u64::from(lifetime_secs), fate: Fate::Live, replaced });
        if self.tokens.len() > TOKENS_KEPT {
            self.tokens.remove(0);
        }
        Ok(())
    }

    /// Takes back a link whose mail could not be sent (KV or the queue failed after it was issued): it never worked,
    /// the link it replaced works again, and the request does not count against the limit.
    pub fn withdraw_token(&mut self, hash: &TokenHash) {
        let Some(at) = self.tokens.iter().position(|t| &t.hash == hash && t.fate == Fate::Live) else { return };
        let withdrawn = self.tokens.remove(at);
        if let Some(previous) = self.tokens.iter_mut().find(|t| Some(&t.hash) == withdrawn.replaced.as_ref()) {
            if previous.fate == Fate::Superseded {
                previous.fate = Fate::Live;
            }
        }
        self.reset_requests.pop();
    }

    pub fn token_status(&self, hash: &TokenHash, now: u64) -> TokenStatus {
        match self.tokens.iter().find(|t| &t.hash == hash) {
            None => TokenStatus::Invalid,
            Some(_) if !self.is_active() => TokenStatus::Invalid,
            Some(t) => match t.fate {
                Fate::Used => TokenStatus::Used,
                Fate::Superseded => TokenStatus::Superseded,
                Fate::Live if now >= t.expires_at => TokenStatus::Expired,
                Fate::Live => TokenStatus::Ok,
            },
        }
    }

    /// Counts an attempt to set a password with `token`, if the link is live (a dead link is refused by
    /// [`AccountState::reset_password`] with its own reason, at no cost); refuses once too many came recently.
    pub fn admit_reset_attempt(&mut self, token: &TokenHash, now: u64) -> Result<(), Refusal> {
        if self.token_status(token, now) != TokenStatus::Ok {
            return Ok(());
        }
        if within_limit(&mut self.reset_attempts, now, RESET_WINDOW_SECS, RESET_ATTEMPTS_ALLOWED) {
            Ok(())
        } else {
            Err(ErrorCode::RateLimited.into())
        }
    }

    /// The second factor a reset with `token` needs: none for a dead link (refused for what it is, so only a holder
    /// of a working link learns the account uses 2-Step Verification) or an account without it; otherwise `code`,
    /// checked (a wrong one counts as a failure) but not yet spent.
    pub fn reset_proof(&mut self, token: &TokenHash, code: Option<&str>, now: u64) -> Result<Option<Proof>, Refusal> {
        if self.token_status(token, now) != TokenStatus::Ok || !self.two_step.enabled() {
            return Ok(None);
        }
        let code = code.ok_or(Refusal::new(ErrorCode::TwoStepRequired))?;
        self.two_step.check(code, now).map(Some)
    }

    /// Sets a new password through a reset link: all of it (token used, password and history updated, sessions
    /// revoked, notice queued) or, on any refusal, none of it.
    pub fn reset_password(
        &mut self,
        input: ResetInput<'_>,
        now: u64,
        policy: &Policy,
        hasher: &dyn PasswordHasher,
        notice_id: String,
    ) -> Result<u32, Refusal> {
        match self.token_status(input.token, now) {
            TokenStatus::Ok => {}
            TokenStatus::Expired => return Err(ErrorCode::TokenExpired.into()),
            TokenStatus::Superseded => return Err(ErrorCode::TokenSuperseded.into()),
            TokenStatus::Used => return Err(ErrorCode::TokenUsed.into()),
            TokenStatus::Invalid => return Err(ErrorCode::TokenInvalid.into()),
        }
        let two_step = self.two_step.enabled();
        if two_step && input.proof.is_none() {
            return Err(ErrorCode::TwoStepRequired.into());
        }
        let password = normalize(input.password);
        if password != normalize(input.confirm) {
            return Err(ErrorCode::PasswordMismatch.into());
        }
        let context = EvalContext {
            audience: Some(self.profile.audience),
            two_step,
            user_inputs: self.addresses().into_iter().chain([self.profile.display_name.clone()]).collect(),
        };
        let evaluation = evaluate(input.password, policy, &context);
        let breach = (input.breached == Some(true)).then(|| RuleResult::new(Rule::NotBreached, false));
        if !evaluation.acceptable || breach.is_some() {
            let code = if evaluation.acceptable { ErrorCode::PasswordBreached } else { ErrorCode::PasswordRejected };
            let mut refusal = Refusal::new(code);
            refusal.unmet = evaluation.unmet().copied().chain(breach).collect();
            return Err(refusal);
        }
        let depth = policy.effective(Some(self.profile.audience), two_step).history_depth as usize;
        let mut previous = self.password_hash.iter().chain(self.history.iter()).take(depth.max(1));
        if previous.any(|phc| hasher.verify(&password, phc)) {
            return Err(ErrorCode::PasswordReused.into());
        }
        let new_hash = hasher.hash(&password)?;

        // Nothing can fail from here on.
        if let Some(proof) = input.proof {
            self.two_step.spend(proof);
        }
        if let Some(old) = self.password_hash.replace(new_hash) {
            self.history.insert(0, old);
        }
        self.history.truncate(depth);
        self.password_changed_at = Some(now);
        for token in &mut self.tokens {
            if token.fate == Fate::Live {
                token.fate = if &token.hash == input.token { Fate::Used } else { Fate::Superseded };
            }
        }
        let revoked = self.sessions.len() as u32;
        self.sessions.clear();
        self.failed_logins.clear();
        self.outbox.push(MailJob::PasswordChanged {
            id: notice_id,
            to: self.addresses(),
            display_name: self.profile.display_name.clone(),
            audience: self.profile.audience,
            login_email: self.profile.login_email.clone(),
            locale: self.profile.locale,
            changed_at: now,
        });
        Ok(revoked)
    }

    /// The admin turns 2-Step Verification off for someone who lost the phone and the recovery codes: every session
    /// ends, and every address on file is told (mail id `notice_id`).
    pub fn turn_off_two_step_by_admin(&mut self, notice_id: String, now: u64) -> Result<(), Refusal> {
        self.two_step.turn_off_by_admin()?;
        self.sessions.clear();
        self.queue_two_step_notice(notice_id, TwoStepChange::DisabledByAdmin, now);
        Ok(())
    }

    /// Queues the notice of a change to 2-Step Verification to every address on file.
    pub fn queue_two_step_notice(&mut self, id: String, change: TwoStepChange, now: u64) {
        self.outbox.push(MailJob::TwoStepChanged {
            id,
            to: self.addresses(),
            display_name: self.profile.display_name.clone(),
            audience: self.profile.audience,
            login_email: self.profile.login_email.clone(),
            locale: self.profile.locale,
            change,
            changed_at: now,
        });
    }

    /// The outbox's mail with this id was handed to the queue: it waits in flight until settled or `requeue_at`.
    pub fn mail_queued(&mut self, id: &str, requeue_at: u64) {
        if let Some(at) = self.outbox.iter().position(|job| job.id() == id) {
            let job = self.outbox.remove(at);
            self.in_flight.push(InFlight { job, requeue_at });
        }
    }

    /// The queue consumer sent (or dead-lettered) this mail: nothing more to do for it. The word can come before the
    /// send that queued it has been recorded (a fast consumer), so the outbox is cleared of it too.
    pub fn mail_settled(&mut self, id: &str) {
        self.in_flight.retain(|m| m.job.id() != id);
        self.outbox.retain(|job| job.id() != id);
    }

    /// Mail in flight too long (the queue lost it) goes back to the outbox.
    pub fn requeue_lost_mail(&mut self, now: u64) {
        let (lost, waiting) = std::mem::take(&mut self.in_flight).into_iter().partition(|m| m.requeue_at <= now);
        self.in_flight = waiting;
        self.outbox.extend(lost.into_iter().map(|m: InFlight| m.job));
    }

    /// Queues a webhook notification of the password change made at `changed_at`, to go out with the new password's
    /// own write.
    pub fn queue_webhook(&mut self, id: String, changed_at: u64) {
        let p = &self.profile;
        self.webhooks.push(webhook::Delivery::new(id, p.audience, p.login_email.clone(), changed_at));
    }

    /// Checks a login: the password, then (when the account uses 2-Step Verification) the code. Refuses without even
    /// trying the password once too many attempts failed recently.
    pub fn login(
        &mut self,
        input: LoginInput<'_>,
        now: u64,
        rules: SessionRules,
        hasher: &dyn PasswordHasher,
    ) -> Result<SessionInfo, Refusal> {
        if login_throttled(&mut self.failed_logins, now) {
            return Err(ErrorCode::RateLimited.into());
        }
        let matches = self.is_active()
            && self.password_hash.as_deref().is_some_and(|phc| hasher.verify(&normalize(input.password), phc));
        if !matches {
            self.failed_logins.push(now);
            return Err(ErrorCode::InvalidCredentials.into());
        }
        if self.two_step.enabled() {
            // The password was right: asking for the code is not a failure; a wrong code is, on its own count.
            let code = input.code.ok_or(Refusal::new(ErrorCode::TwoStepRequired))?;
            let proof = self.two_step.check(code, now)?;
            self.two_step.spend(proof);
        }
        self.failed_logins.clear();
        self.two_step.note_requirement(now, rules.two_step_grace_secs);
        self.sessions.retain(|s| s.expires_at > now);
        if self.sessions.len() >= MAX_SESSIONS {
            self.sessions.remove(0);
        }
        self.sessions.push(Session { hash: input.session, expires_at: now + rules.ttl_secs });
        Ok(self.session_info(now, rules))
    }

    pub fn has_session(&self, hash: &TokenHash, now: u64) -> bool {
        self.is_active() && self.sessions.iter().any(|s| &s.hash == hash && s.expires_at > now)
    }

    pub fn logout(&mut self, hash: &TokenHash) {
        self.sessions.retain(|s| &s.hash != hash);
    }

    /// Disables the account: no login, no reset, every session and link revoked.
    pub fn disable(&mut self) {
        self.profile.status = AccountStatus::Disabled;
        self.sessions.clear();
        for token in &mut self.tokens {
            if token.fate == Fate::Live {
                token.fate = Fate::Superseded;
            }
        }
    }
}

/// Forgets failed logins older than the window; whether the next login must be refused without trying the password.
/// Unknown logins go through the same check (their failures kept apart), so a 429 never tells that an account exists.
pub fn login_throttled(failures: &mut Vec<u64>, now: u64) -> bool {
    window_full(failures, now, LOGIN_WINDOW_SECS, LOGIN_FAILURES_ALLOWED)
}

/// A sliding window: forgets what is older than `window_secs`; whether `allowed` events are still in it.
pub(super) fn window_full(events: &mut Vec<u64>, now: u64, window_secs: u64, allowed: usize) -> bool {
    events.retain(|&at| at + window_secs > now);
    events.len() >= allowed
}

/// A sliding window that records `now` unless it is full. Whether it was recorded.
fn within_limit(events: &mut Vec<u64>, now: u64, window_secs: u64, allowed: usize) -> bool {
    if window_full(events, now, window_secs, allowed) {
        return false;
    }
    events.push(now);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use latchkey_shared::MessageKey;

    /// Hashing stand-in: reversible and instant, so the state machine is tested apart from argon2.
    struct PlainHasher;
    impl PasswordHasher for PlainHasher {
        fn hash(&self, normalized: &str) -> Result<String, Refusal> {
            Ok(format!("plain:{normalized}"))
        }
        fn verify(&self, normalized: &str, phc: &str) -> bool {
            phc == format!("plain:{normalized}")
        }
    }

    const GOOD: &str = "Otter-Lantern-42-Quiet";
    const NOW: u64 = 1_800_000_000;

    fn account() -> AccountState {
        let profile = Profile {
            login_email: "ana@school.org".into(),
            contact_email: Some("ana.home@mail.org".into()),
            audience: Audience::Parent,
            display_name: "Ana".into(),
            locale: Locale::En,
            status: AccountStatus::Active,
        };
        AccountState::new(profile, Some("plain:Old-Password-1!".into()))
    }

    fn log_in(state: &mut AccountState, password: &str, session: TokenHash, now: u64, ttl_secs: u64) -> LoginResult {
        let rules = SessionRules { ttl_secs, two_step_grace_secs: None };
        state.login(LoginInput { password, code: None, session }, now, rules, &PlainHasher)
    }

    type LoginResult = Result<SessionInfo, Refusal>;

    fn hash(n: u8) -> TokenHash {
        TokenHash(format!("{n:064}"))
    }

    fn reset(state: &mut AccountState, token: &TokenHash, password: &str, now: u64) -> Result<u32, Refusal> {
        let input = ResetInput { token, password, confirm: password, breached: None, proof: None };
        state.reset_password(input, now, &Policy::brief_default(), &PlainHasher, "notice".into())
    }

    #[test]
    fn only_the_newest_token_works() {
        let mut state = account();
        state.issue_token(hash(1), NOW, 3600).unwrap();
        state.issue_token(hash(2), NOW + 5, 3600).unwrap();
        assert_eq!(state.token_status(&hash(1), NOW + 10), TokenStatus::Superseded);
        assert_eq!(state.token_status(&hash(2), NOW + 10), TokenStatus::Ok);
        assert_eq!(state.token_status(&hash(3), NOW + 10), TokenStatus::Invalid);
        assert_eq!(reset(&mut state, &hash(1), GOOD, NOW + 10).unwrap_err().code, ErrorCode::TokenSuperseded);
        assert_eq!(reset(&mut state, &hash(2), GOOD, NOW + 10), Ok(0));
    }

    #[test]
    fn an_account_gets_three_links_per_window() {
        let mut state = account();
        for n in 1..=3 {
            state.issue_token(hash(n), NOW + u64::from(n), 3600).unwrap();
        }
        let refused = state.issue_token(hash(4), NOW + 60, 3600).unwrap_err();
        assert_eq!(refused.code, ErrorCode::RateLimited);
        assert_eq!(state.token_status(&hash(3), NOW + 60), TokenStatus::Ok, "the newest link still works");
        assert_eq!(state.token_status(&hash(4), NOW + 60), TokenStatus::Invalid);
        // Once the first request leaves the window, one more link can go out.
        state.issue_token(hash(5), NOW + 1 + RESET_WINDOW_SECS, 3600).unwrap();
        assert_eq!(state.token_status(&hash(3), NOW + 2 + RESET_WINDOW_SECS), TokenStatus::Superseded);
    }

    #[test]
    fn attempts_with_a_live_link_are_limited() {
        let mut state = account();
        state.issue_token(hash(1), NOW, 3600).unwrap();
        for _ in 0..RESET_ATTEMPTS_ALLOWED {
            state.admit_reset_attempt(&hash(1), NOW + 1).unwrap();
            assert_eq!(reset(&mut state, &hash(1), "short", NOW + 1).unwrap_err().code, ErrorCode::PasswordRejected);
        }
        assert_eq!(state.admit_reset_attempt(&hash(1), NOW + 2).unwrap_err().code, ErrorCode::RateLimited);
        // Dead or unknown links are not counted: they are refused for what they are, at no cost.
        state.admit_reset_attempt(&hash(9), NOW + 2).unwrap();
        assert_eq!(state.reset_attempts.len(), RESET_ATTEMPTS_ALLOWED);
        state.admit_reset_attempt(&hash(1), NOW + 1 + RESET_WINDOW_SECS).unwrap();
        assert_eq!(reset(&mut state, &hash(1), GOOD, NOW + 1 + RESET_WINDOW_SECS), Ok(0));
    }

    #[test]
    fn state_stored_before_the_limits_still_loads() {
        let mut stored = serde_json::to_value(account()).unwrap();
        let fields = stored.as_object_mut().unwrap();
        fields.remove("reset_requests");
        fields.remove("reset_attempts");
        let loaded: AccountState = serde_json::from_value(stored).unwrap();
        assert!(loaded.reset_requests.is_empty() && loaded.reset_attempts.is_empty());
    }

    #[test]
    fn a_breached_password_is_refused_as_a_rule_of_its_own() {
        let mut state = account();
        state.issue_token(hash(1), NOW, 3600).unwrap();
        let attempt = |state: &mut AccountState, password: &str, breached| {
            let input = ResetInput { token: &hash(1), password, confirm: password, breached, proof: None };
            state.reset_password(input, NOW + 1, &Policy::brief_default(), &PlainHasher, "notice".into())
        };
        let refusal = attempt(&mut state, GOOD, Some(true)).unwrap_err();
        assert_eq!(refusal.code, ErrorCode::PasswordBreached);
        assert_eq!(refusal.unmet.iter().map(|r| r.rule).collect::<Vec<_>>(), [Rule::NotBreached]);
        // Broken rules and a breach together: the usual refusal, the breach listed among the rules.
        let refusal = attempt(&mut state, "short", Some(true)).unwrap_err();
        assert_eq!(refusal.code, ErrorCode::PasswordRejected);
        assert!(refusal.unmet.iter().any(|r| r.rule == Rule::NotBreached));
        assert!(refusal.unmet.iter().any(|r| r.message == MessageKey::RuleMinLength));
        assert_eq!(state.token_status(&hash(1), NOW + 1), TokenStatus::Ok, "refused, not spent");
        // Unknown (the check is off or unreachable) or clean: the rest of the policy decides.
        assert_eq!(attempt(&mut state, GOOD, None), Ok(0));
    }

    #[test]
    fn mail_the_queue_loses_is_queued_again_under_the_same_id() {
        let mut state = account();
        state.issue_token(hash(1), NOW, 3600).unwrap();
        reset(&mut state, &hash(1), GOOD, NOW).unwrap();
        let notice = state.outbox[0].clone();
        let id = notice.id().to_owned();
        state.mail_queued(&id, NOW + 60);
        assert!(state.outbox.is_empty());
        state.requeue_lost_mail(NOW + 59);
        assert!(state.outbox.is_empty(), "not yet");
        state.requeue_lost_mail(NOW + 60);
        assert_eq!(state.outbox.iter().map(|j| j.id()).collect::<Vec<_>>(), [id.as_str()]);
        state.mail_queued(&id, NOW + 120);
        state.mail_settled(&id);
        state.requeue_lost_mail(NOW + 1000);
        assert!(state.outbox.is_empty() && state.in_flight.is_empty(), "settled mail is done with");
        // Settled before its queueing was recorded: recording it later finds nothing to track.
        state.outbox.push(notice);
        state.mail_settled(&id);
        state.mail_queued(&id, NOW + 2000);
        assert!(state.outbox.is_empty() && state.in_flight.is_empty());
    }

    #[test]
    fn a_withdrawn_link_never_worked_and_the_one_before_works_again() {
        let mut state = account();
        state.issue_token(hash(1), NOW, 3600).unwrap();
        state.issue_token(hash(2), NOW + 1, 3600).unwrap();
        assert_eq!(state.token_status(&hash(1), NOW + 2), TokenStatus::Superseded);
        state.withdraw_token(&hash(2));
        assert_eq!(state.token_status(&hash(2), NOW + 2), TokenStatus::Invalid);
        assert_eq!(state.token_status(&hash(1), NOW + 2), TokenStatus::Ok);
        assert_eq!(state.reset_requests.len(), 1, "the failed request is not counted");
        // A used link is not brought back, and withdrawing twice changes nothing.
        reset(&mut state, &hash(1), GOOD, NOW + 3).unwrap();
        state.issue_token(hash(3), NOW + 4, 3600).unwrap();
        state.withdraw_token(&hash(3));
        state.withdraw_token(&hash(3));
        assert_eq!(state.token_status(&hash(1), NOW + 5), TokenStatus::Used);
    }

    #[test]
    fn tokens_expire() {
        let mut state = account();
        state.issue_token(hash(1), NOW, 60).unwrap();
        assert_eq!(state.token_status(&hash(1), NOW + 59), TokenStatus::Ok);
        assert_eq!(state.token_status(&hash(1), NOW + 60), TokenStatus::Expired);
        assert_eq!(reset(&mut state, &hash(1), GOOD, NOW + 61).unwrap_err().code, ErrorCode::TokenExpired);
    }

    #[test]
    fn a_reset_does_everything_once() {
        let mut state = account();
        log_in(&mut state, "Old-Password-1!", hash(50), NOW, 3600).unwrap();
        log_in(&mut state, "Old-Password-1!", hash(51), NOW, 3600).unwrap();
        state.issue_token(hash(1), NOW, 3600).unwrap();
        assert_eq!(reset(&mut state, &hash(1), GOOD, NOW + 1), Ok(2), "both sessions revoked");
        assert!(!state.has_session(&hash(50), NOW + 2));
        assert_eq!(state.token_status(&hash(1), NOW + 2), TokenStatus::Used);
        assert_eq!(state.history, ["plain:Old-Password-1!"]);
        assert_eq!(state.password_changed_at, Some(NOW + 1));
        match &state.outbox[..] {
            [MailJob::PasswordChanged { to, .. }] => assert_eq!(to, &["ana@school.org", "ana.home@mail.org"]),
            other => panic!("one notice expected, got {other:?}"),
        }
        // The same link again.
        assert_eq!(
            reset(&mut state, &hash(1), "Another-Fine-Pass-77", NOW + 2).unwrap_err().code,
            ErrorCode::TokenUsed
        );
        assert_eq!(state.outbox.len(), 1);
        // The old password is gone, the new one works.
        assert!(log_in(&mut state, "Old-Password-1!", hash(52), NOW + 3, 3600).is_err());
        assert!(log_in(&mut state, GOOD, hash(53), NOW + 3, 3600).is_ok());
    }

    #[test]
    fn refusals_change_nothing() {
        let mut state = account();
        state.issue_token(hash(1), NOW, 3600).unwrap();
        let before = state.clone();
        let mismatch = state.reset_password(
            ResetInput {
                token: &hash(1),
                password: GOOD,
                confirm: "Otter-Lantern-42-Quiel",
                breached: None,
                proof: None,
            },
            NOW,
            &Policy::brief_default(),
            &PlainHasher,
            "n".into(),
        );
        assert_eq!(mismatch.unwrap_err().code, ErrorCode::PasswordMismatch);
        let weak = reset(&mut state, &hash(1), "password", NOW).unwrap_err();
        assert_eq!(weak.code, ErrorCode::PasswordRejected);
        assert!(!weak.unmet.is_empty());
        let reused = reset(&mut state, &hash(1), "Old-Password-1!", NOW);
        // The old password fails the policy's strength rule or is refused as reused: either way, nothing changes.
        assert!(reused.is_err());
        assert_eq!(state, before);
    }

    #[test]
    fn history_refuses_the_last_passwords() {
        let mut state = account();
        let passwords = ["Otter-Lantern-42-Quiet", "Maple-Harbor-93-Violet", "Cobalt-Meadow-17-Ember"];
        // A day apart, so the limit on links never comes into it.
        let day = |i: usize| NOW + i as u64 * 86_400;
        for (i, password) in passwords.iter().enumerate() {
            state.issue_token(hash(i as u8), day(i), 3600).unwrap();
            reset(&mut state, &hash(i as u8), password, day(i)).unwrap();
        }
        state.issue_token(hash(9), day(3), 3600).unwrap();
        for password in passwords {
            assert_eq!(
                reset(&mut state, &hash(9), password, day(3)).unwrap_err().code,
                ErrorCode::PasswordReused,
                "{password}"
            );
        }
        assert_eq!(state.history.len(), 3, "current + 3 previous, within the depth of 5");
    }

    #[test]
    fn logins_are_throttled_after_repeated_failures() {
        let mut state = account();
        for i in 0..LOGIN_FAILURES_ALLOWED {
            let err = log_in(&mut state, "wrong", hash(60), NOW + i as u64, 3600).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidCredentials);
        }
        let throttled = log_in(&mut state, "Old-Password-1!", hash(61), NOW + 10, 3600).unwrap_err();
        assert_eq!(throttled.code, ErrorCode::RateLimited);
        assert!(log_in(&mut state, "Old-Password-1!", hash(62), NOW + LOGIN_WINDOW_SECS + 10, 3600).is_ok());
    }

    #[test]
    fn disabled_accounts_cannot_log_in_or_reset() {
        let mut state = account();
        state.issue_token(hash(1), NOW, 3600).unwrap();
        log_in(&mut state, "Old-Password-1!", hash(70), NOW, 3600).unwrap();
        state.disable();
        assert!(!state.has_session(&hash(70), NOW));
        assert_eq!(state.token_status(&hash(1), NOW), TokenStatus::Invalid);
        assert!(state.issue_token(hash(2), NOW, 3600).is_err());
        assert_eq!(
            log_in(&mut state, "Old-Password-1!", hash(71), NOW, 3600).unwrap_err().code,
            ErrorCode::InvalidCredentials
        );
    }

    #[test]
    fn sessions_expire_and_log_out() {
        let mut state = account();
        log_in(&mut state, "Old-Password-1!", hash(80), NOW, 100).unwrap();
        assert!(state.has_session(&hash(80), NOW + 99));
        assert!(!state.has_session(&hash(80), NOW + 100));
        log_in(&mut state, "Old-Password-1!", hash(81), NOW, 100).unwrap();
        state.logout(&hash(81));
        assert!(!state.has_session(&hash(81), NOW));
    }

    /// An account with 2-Step Verification on, its secret known to the test.
    fn account_with_two_step() -> AccountState {
        use crate::two_step::totp::{code_at, step_at, DIGITS};
        let mut state = account();
        state.two_step.start_setup(super::super::two_step::TotpSecret(SECRET.to_vec()), NOW - 600).unwrap();
        let code = format!("{:06}", code_at(SECRET, step_at(NOW - 600), DIGITS));
        let recovery = vec![crate::two_step::recovery::hash("1111111111111111")];
        state.two_step.confirm_setup(&code, NOW - 600, recovery).unwrap();
        state
    }

    const SECRET: &[u8] = b"12345678901234567890";

    fn code(now: u64) -> String {
        use crate::two_step::totp::{code_at, step_at, DIGITS};
        format!("{:06}", code_at(SECRET, step_at(now), DIGITS))
    }

    #[test]
    fn a_login_with_two_step_takes_the_password_then_a_code_once() {
        let mut state = account_with_two_step();
        let rules = SessionRules { ttl_secs: 3600, two_step_grace_secs: None };
        let attempt = |state: &mut AccountState, password, code: Option<&str>, n| {
            let input = LoginInput { password, code, session: hash(n) };
            state.login(input, NOW, rules, &PlainHasher).map_err(|r| r.code)
        };
        assert_eq!(attempt(&mut state, "wrong", Some(&code(NOW)), 1), Err(ErrorCode::InvalidCredentials));
        assert_eq!(attempt(&mut state, "Old-Password-1!", None, 2), Err(ErrorCode::TwoStepRequired));
        assert_eq!(state.failed_logins.len(), 1, "asking for the code is not a failure");
        assert_eq!(attempt(&mut state, "Old-Password-1!", Some("000000"), 3), Err(ErrorCode::TwoStepCodeInvalid));
        let info = attempt(&mut state, "Old-Password-1!", Some(&code(NOW)), 4).unwrap();
        assert!(info.two_step.enabled);
        assert_eq!(info.two_step.recovery_codes_left, 1);
        assert_eq!(attempt(&mut state, "Old-Password-1!", Some(&code(NOW)), 5), Err(ErrorCode::TwoStepCodeInvalid));
        assert_eq!(attempt(&mut state, "Old-Password-1!", Some("1111-1111-1111-1111"), 6).map(|_| ()), Ok(()));
        assert_eq!(
            attempt(&mut state, "Old-Password-1!", Some("1111-1111-1111-1111"), 7),
            Err(ErrorCode::TwoStepCodeInvalid)
        );
        assert!(state.has_session(&hash(4), NOW) && !state.has_session(&hash(5), NOW));
    }

    #[test]
    fn a_reset_with_two_step_needs_a_code_and_only_a_live_link_learns_it() {
        let mut state = account_with_two_step();
        state.issue_token(hash(1), NOW - 10, 3600).unwrap();
        state.issue_token(hash(2), NOW - 5, 3600).unwrap();
        // A dead or unknown link: refused for what it is, nothing said about the second factor.
        assert_eq!(state.reset_proof(&hash(1), None, NOW), Ok(None));
        assert_eq!(reset(&mut state, &hash(1), GOOD, NOW).unwrap_err().code, ErrorCode::TokenSuperseded);
        assert_eq!(state.reset_proof(&hash(9), None, NOW), Ok(None));
        // The live link: a code is needed, checked, and spent only by the reset that succeeds.
        assert_eq!(state.reset_proof(&hash(2), None, NOW).unwrap_err().code, ErrorCode::TwoStepRequired);
        assert_eq!(reset(&mut state, &hash(2), GOOD, NOW).unwrap_err().code, ErrorCode::TwoStepRequired);
        assert_eq!(state.reset_proof(&hash(2), Some("123"), NOW).unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
        let attempt = |state: &mut AccountState, password: &str| {
            let proof = state.reset_proof(&hash(2), Some(&code(NOW)), NOW).unwrap();
            let input = ResetInput { token: &hash(2), password, confirm: password, breached: None, proof };
            state.reset_password(input, NOW, &Policy::nist_800_63b(), &PlainHasher, "n".into())
        };
        // Refused for the password: the code is not spent, the next try uses it again. The nist-800-63b preset's
        // shorter minimum (8, not 15) applies to an account with 2-Step Verification.
        assert_eq!(attempt(&mut state, "short").unwrap_err().code, ErrorCode::PasswordRejected);
        assert_eq!(attempt(&mut state, "vQx7mzRpe2"), Ok(0));
        assert_eq!(
            state.reset_proof(&hash(2), Some(&code(NOW)), NOW),
            Ok(None),
            "the link is used now: nothing more to learn"
        );
        assert_eq!(state.two_step.check(&code(NOW), NOW).unwrap_err().code, ErrorCode::TwoStepCodeInvalid, "spent");
    }

    #[test]
    fn the_nist_minimum_depends_on_two_step() {
        let mut plain = account();
        plain.issue_token(hash(1), NOW, 3600).unwrap();
        let input =
            ResetInput { token: &hash(1), password: "vQx7mzRpe2", confirm: "vQx7mzRpe2", breached: None, proof: None };
        let refusal = plain.reset_password(input, NOW, &Policy::nist_800_63b(), &PlainHasher, "n".into()).unwrap_err();
        assert!(refusal.unmet.iter().any(|r| r.message == MessageKey::RuleMinLength));
    }

    #[test]
    fn a_session_past_the_grace_period_is_only_for_turning_two_step_on() {
        let mut state = account();
        let rules = SessionRules { ttl_secs: 30 * 86_400, two_step_grace_secs: Some(86_400) };
        let input = LoginInput { password: "Old-Password-1!", code: None, session: hash(1) };
        let info = state.login(input, NOW, rules, &PlainHasher).unwrap();
        assert_eq!(info.two_step.enroll_by, Some(NOW + 86_400));
        assert!(!info.two_step.setup_required);
        assert!(state.session_info(NOW + 86_400, rules).two_step.setup_required);
        let state_before = state.two_step.required_since;
        let input = LoginInput { password: "Old-Password-1!", code: None, session: hash(2) };
        state.login(input, NOW + 2 * 86_400, rules, &PlainHasher).unwrap();
        assert_eq!(state.two_step.required_since, state_before, "the grace period is not renewed by logging in");
    }
}
