//! The transitions of [`AccountState`] that span its parts: resets, logins, links, 2-Step Verification at login
//! and reset.

use super::*;
use crate::account::credential::tests::PlainHasher;
use crate::account::throttle::{LOGIN_FAILURES, RESET_ATTEMPTS, RESET_REQUESTS};
use crate::mail::job::MailJob;
use latchkey_shared::api::SessionInfo;
use latchkey_shared::{MessageKey, Rule, Secret};

pub(super) const GOOD: &str = "Otter-Lantern-42-Quiet";
pub(super) const NOW: u64 = 1_800_000_000;

pub(super) fn account() -> AccountState {
    crate::account::apply::testing::ana().account.expect("Ana's account")
}

pub(super) fn log_in(
    state: &mut AccountState,
    password: &str,
    session: TokenHash,
    now: u64,
    ttl_secs: u64,
) -> LoginResult {
    let rules = SessionRules { ttl_secs, idle_secs: ttl_secs, two_step_grace_secs: None };
    let input = LoginInput { client: "test-client", password, factor: None, session };
    state.login(input, now, rules, checks(), &PlainHasher, &keys())
}

pub(super) static POLICY: std::sync::LazyLock<Policy> = std::sync::LazyLock::new(Policy::brief_default);

/// A login's checks under the default policy, with no breach verdict and nothing required.
pub(super) fn checks() -> PasswordChecks<'static> {
    PasswordChecks { policy: &POLICY, breached: None, for_audience: None }
}

pub(super) type LoginResult = Result<SessionInfo, Refusal>;

pub(super) fn keys() -> Keys {
    Keys::parse(crate::seal::TEST_KEYS).unwrap()
}

pub(super) fn hash(n: u8) -> TokenHash {
    TokenHash(format!("{n:064}"))
}

pub(super) fn reset(state: &mut AccountState, token: &TokenHash, password: &str, now: u64) -> Result<u32, Refusal> {
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
    state.issue_token(hash(5), NOW + 1 + RESET_REQUESTS.window_secs, 3600).unwrap();
    assert_eq!(state.token_status(&hash(3), NOW + 2 + RESET_REQUESTS.window_secs), TokenStatus::Superseded);
}

#[test]
fn attempts_with_a_live_link_are_limited() {
    let mut state = account();
    state.issue_token(hash(1), NOW, 3600).unwrap();
    for _ in 0..RESET_ATTEMPTS.allowed {
        state.admit_reset_attempt(&hash(1), NOW + 1).unwrap();
        assert_eq!(reset(&mut state, &hash(1), "short", NOW + 1).unwrap_err().code, ErrorCode::PasswordRejected);
    }
    assert_eq!(state.admit_reset_attempt(&hash(1), NOW + 2).unwrap_err().code, ErrorCode::RateLimited);
    // Dead or unknown links are not counted: they are refused for what they are, at no cost.
    state.admit_reset_attempt(&hash(9), NOW + 2).unwrap();
    assert_eq!(state.reset_attempts.len(), RESET_ATTEMPTS.allowed);
    state.admit_reset_attempt(&hash(1), NOW + 1 + RESET_REQUESTS.window_secs).unwrap();
    assert_eq!(reset(&mut state, &hash(1), GOOD, NOW + 1 + RESET_REQUESTS.window_secs), Ok(0));
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
    assert_eq!(state.credential.history, [Secret::from("plain:Old-Password-1!")]);
    assert_eq!(state.credential.changed_at, Some(NOW + 1));
    match &state.outbox.pending[..] {
        [MailJob { to, kind: crate::mail::job::Kind::PasswordChanged { .. }, .. }] => {
            assert_eq!(to, &["ana@school.org", "ana.home@mail.org"])
        }
        other => panic!("one notice expected, got {other:?}"),
    }
    // The same link again.
    assert_eq!(reset(&mut state, &hash(1), "Another-Fine-Pass-77", NOW + 2).unwrap_err().code, ErrorCode::TokenUsed);
    assert_eq!(state.outbox.pending.len(), 1);
    // The old password is gone, the new one works.
    assert_eq!(
        log_in(&mut state, "Old-Password-1!", hash(52), NOW + 3, 3600).unwrap_err().code,
        ErrorCode::InvalidCredentials
    );
    assert!(log_in(&mut state, GOOD, hash(53), NOW + 3, 3600).is_ok());
}

#[test]
fn refusals_change_nothing() {
    let mut state = account();
    state.issue_token(hash(1), NOW, 3600).unwrap();
    let before = state.clone();
    let mismatch = state.reset_password(
        ResetInput { token: &hash(1), password: GOOD, confirm: "Otter-Lantern-42-Quiel", breached: None, proof: None },
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
    let code = reused.unwrap_err().code;
    assert!(matches!(code, ErrorCode::PasswordRejected | ErrorCode::PasswordReused), "{code:?}");
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
    assert_eq!(state.credential.history.len(), 3, "current + 3 previous, within the depth of 5");
}

#[test]
fn logins_are_throttled_after_repeated_failures() {
    let mut state = account();
    for i in 0..LOGIN_FAILURES.allowed {
        let err = log_in(&mut state, "wrong", hash(60), NOW + i as u64, 3600).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidCredentials);
    }
    let throttled = log_in(&mut state, "Old-Password-1!", hash(61), NOW + 10, 3600).unwrap_err();
    assert_eq!(throttled.code, ErrorCode::RateLimited);
    let view = state.view(NOW + 10, &keys());
    assert_eq!(
        (view.failed_logins_recent, view.last_login_at),
        (LOGIN_FAILURES.allowed as u32, None),
        "as the desk sees it"
    );
    let later = NOW + LOGIN_FAILURES.window_secs + 10;
    assert!(log_in(&mut state, "Old-Password-1!", hash(62), later, 3600).is_ok());
    let view = state.view(later, &keys());
    assert_eq!((view.failed_logins_recent, view.last_login_at), (0, Some(later)));
}

#[test]
fn disabled_accounts_cannot_log_in_or_reset() {
    let mut state = account();
    state.issue_token(hash(1), NOW, 3600).unwrap();
    log_in(&mut state, "Old-Password-1!", hash(70), NOW, 3600).unwrap();
    state.disable(NOW);
    assert!(!state.has_session(&hash(70), NOW));
    assert_eq!(state.token_status(&hash(1), NOW), TokenStatus::Invalid);
    assert_eq!(state.issue_token(hash(2), NOW, 3600).unwrap_err().code, ErrorCode::Unauthorized, "no link");
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
    state.sessions.end(&hash(81));
    assert!(!state.has_session(&hash(81), NOW));
}

/// An account with 2-Step Verification on, its secret known to the test.
pub(super) fn account_with_two_step() -> AccountState {
    use crate::otp::totp::{code_at, step_at, DIGITS};
    let mut state = account();
    state.two_step.start_setup(crate::account::two_step::TotpSecret::new(SECRET.to_vec()), NOW - 600, &keys()).unwrap();
    let code = format!("{:06}", code_at(SECRET, step_at(NOW - 600), DIGITS));
    let recovery = vec![crate::otp::recovery::hash(&keys(), "1111111111111111")];
    state.two_step.confirm_setup(&code, NOW - 600, recovery, &keys()).unwrap();
    state
}

pub(super) const SECRET: &[u8] = b"12345678901234567890";

pub(super) fn code(now: u64) -> String {
    use crate::otp::totp::{code_at, step_at, DIGITS};
    format!("{:06}", code_at(SECRET, step_at(now), DIGITS))
}

#[test]
fn a_login_with_two_step_takes_the_password_then_a_code_once() {
    let mut state = account_with_two_step();
    let rules = SessionRules { ttl_secs: 3600, idle_secs: 3600, two_step_grace_secs: None };
    let attempt = |state: &mut AccountState, password, code: Option<&str>, n| {
        let input = LoginInput { client: "test-client", password, factor: code.map(Factor::Code), session: hash(n) };
        state.login(input, NOW, rules, checks(), &PlainHasher, &keys()).map_err(|r| r.code)
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
    assert_eq!(state.reset_proof(&hash(1), None, NOW, &keys()), Ok(None));
    assert_eq!(reset(&mut state, &hash(1), GOOD, NOW).unwrap_err().code, ErrorCode::TokenSuperseded);
    assert_eq!(state.reset_proof(&hash(9), None, NOW, &keys()), Ok(None));
    // The live link: a code is needed, checked, and spent only by the reset that succeeds.
    assert_eq!(state.reset_proof(&hash(2), None, NOW, &keys()).unwrap_err().code, ErrorCode::TwoStepRequired);
    assert_eq!(reset(&mut state, &hash(2), GOOD, NOW).unwrap_err().code, ErrorCode::TwoStepRequired);
    assert_eq!(
        state.reset_proof(&hash(2), Some(Factor::Code("123")), NOW, &keys()).unwrap_err().code,
        ErrorCode::TwoStepCodeInvalid
    );
    let attempt = |state: &mut AccountState, password: &str| {
        let proof = state.reset_proof(&hash(2), Some(Factor::Code(&code(NOW))), NOW, &keys()).unwrap();
        let input = ResetInput { token: &hash(2), password, confirm: password, breached: None, proof };
        state.reset_password(input, NOW, &Policy::nist_800_63b(), &PlainHasher, "n".into())
    };
    // Refused for the password: the code is not spent, the next try uses it again. The nist-800-63b preset's
    // shorter minimum (8, not 15) applies to an account with 2-Step Verification.
    assert_eq!(attempt(&mut state, "short").unwrap_err().code, ErrorCode::PasswordRejected);
    assert_eq!(attempt(&mut state, "vQx7mzRpe2"), Ok(0));
    assert_eq!(
        state.reset_proof(&hash(2), Some(Factor::Code(&code(NOW))), NOW, &keys()),
        Ok(None),
        "the link is used now: nothing more to learn"
    );
    assert_eq!(
        state.two_step.check(Factor::Code(&code(NOW)), NOW, &keys()).unwrap_err().code,
        ErrorCode::TwoStepCodeInvalid,
        "spent"
    );
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
    let rules = SessionRules { ttl_secs: 30 * 86_400, idle_secs: 30 * 86_400, two_step_grace_secs: Some(86_400) };
    let input = LoginInput { client: "test-client", password: "Old-Password-1!", factor: None, session: hash(1) };
    let info = state.login(input, NOW, rules, checks(), &PlainHasher, &keys()).unwrap();
    assert_eq!(info.two_step.enroll_by, Some(NOW + 86_400));
    assert!(!info.two_step.setup_required);
    assert!(state.session_info(&hash(1), NOW + 86_400, rules).two_step.setup_required);
    let state_before = state.two_step.required_since;
    let input = LoginInput { client: "test-client", password: "Old-Password-1!", factor: None, session: hash(2) };
    state.login(input, NOW + 2 * 86_400, rules, checks(), &PlainHasher, &keys()).unwrap();
    assert_eq!(state.two_step.required_since, state_before, "the grace period is not renewed by logging in");
}

/// Counts argon2 runs: what a login costs, whatever the account.
#[test]
fn a_completed_reset_proves_the_login_email() {
    let mut state = account();
    assert!(!state.email_verified, "made by the admin API: nothing is known yet");
    state.issue_token(hash(1), NOW, 3600).unwrap();
    assert!(!state.email_verified, "a link sent proves nothing");
    reset(&mut state, &hash(1), GOOD, NOW + 10).unwrap();
    assert!(state.email_verified, "the link came back from the login email");
}
