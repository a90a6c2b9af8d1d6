//! A login's rules on [`AccountState`]: what each failed login costs, hashes upgraded, and the changes a right
//! password may owe.

use super::super::tests::*;
use super::super::ResetInput;
use super::*;
use crate::account::credential::tests::PlainHasher;
use latchkey_shared::Secret;

struct CountingHasher(std::cell::Cell<u32>);

impl PasswordHasher for CountingHasher {
    fn needs_rehash(&self, phc: &str) -> bool {
        PlainHasher.needs_rehash(phc)
    }
    fn hash(&self, normalized: &str) -> Result<String, Refusal> {
        self.0.set(self.0.get() + 1);
        PlainHasher.hash(normalized)
    }
    fn verify(&self, normalized: &str, phc: &str) -> bool {
        self.0.set(self.0.get() + 1);
        PlainHasher.verify(normalized, phc)
    }
}

#[test]
fn every_failed_login_costs_one_argon2_run_whatever_the_account() {
    let rules = SessionRules { ttl_secs: 3600, idle_secs: 3600, two_step_grace_secs: None };
    let cost = |state: &mut AccountState| {
        let hasher = CountingHasher(std::cell::Cell::new(0));
        let input = LoginInput { client: "test-client", password: "Wrong-Password-1!", factor: None, session: hash(1) };
        assert_eq!(
            state.login(input, NOW, rules, checks(), &hasher, &keys()).unwrap_err().code,
            ErrorCode::InvalidCredentials
        );
        hasher.0.get()
    };
    let mut existing = account();
    let mut disabled = account();
    disabled.disable(NOW);
    let mut invited = AccountState::new(account().profile, None);
    assert_eq!([cost(&mut existing), cost(&mut disabled), cost(&mut invited)], [1, 1, 1]);
}

#[test]
fn a_login_upgrades_a_hash_made_another_way() {
    let mut state = account();
    state.credential.hash = Some(Secret::from("legacy:Old-Password-1!"));
    log_in(&mut state, "Old-Password-1!", hash(90), NOW, 3600).unwrap();
    assert_eq!(state.credential.hash, Some(Secret::from("plain:Old-Password-1!")), "rehashed, now");
    assert!(state.credential.history.is_empty() && state.credential.changed_at.is_none(), "not a password change");
    assert!(log_in(&mut state, "Old-Password-1!", hash(91), NOW + 1, 3600).is_ok(), "the same password still works");
}

#[test]
fn a_password_allowed_only_by_two_step_verification_must_change_once_it_goes_off() {
    let nist = Policy::nist_800_63b();
    let mut state = account_with_two_step();
    let reset_with_code = |state: &mut AccountState, token: u8, password: &str, now: u64| {
        state.issue_token(hash(token), now, 3600).unwrap();
        let proof = state.reset_proof(&hash(token), Some(Factor::Code(&code(now))), now, &keys()).unwrap();
        let input = ResetInput { token: &hash(token), password, confirm: password, breached: None, proof };
        state.reset_password(input, now, &nist, &PlainHasher, "n".into()).unwrap();
    };
    reset_with_code(&mut state, 1, "Kite-Amber-Harbor-58", NOW);
    assert!(!state.credential.only_with_two_step, "15 characters or more: allowed either way");
    // Eight characters: allowed only while 2-Step Verification is on (nist-800-63b's shorter minimum).
    reset_with_code(&mut state, 2, "vQx7mzRpe2", NOW + 30);
    assert!(state.credential.only_with_two_step && !state.credential.must_change);
    state.turn_off_two_step_by_admin("off".into(), NOW + 60).unwrap();
    let info = log_in(&mut state, "vQx7mzRpe2", hash(3), NOW + 61, 3600).unwrap();
    let owed = PasswordChange { reason: PasswordChangeReason::Policy, deadline: None, due: true };
    assert_eq!(info.password_change, Some(owed), "a session good only for a new password");
    assert_eq!(state.full_session(&hash(3), NOW + 61).unwrap_err().code, ErrorCode::PasswordChangeRequired);
    assert_eq!(log_in(&mut state, "wrong", hash(4), NOW + 62, 3600).unwrap_err().code, ErrorCode::InvalidCredentials);
    // A new password long enough without it: logs in again.
    state.issue_token(hash(5), NOW + 63, 3600).unwrap();
    assert_eq!(reset(&mut state, &hash(5), "vQx7mzRpe3", NOW + 63).unwrap_err().code, ErrorCode::PasswordRejected);
    reset(&mut state, &hash(5), GOOD, NOW + 64).unwrap();
    assert!(!state.credential.must_change && !state.credential.only_with_two_step);
    assert_eq!(log_in(&mut state, GOOD, hash(6), NOW + 65, 3600).unwrap().password_change, None);
    assert!(state.full_session(&hash(6), NOW + 65).is_ok());
}

/// Logs in with the default policy, the breach check's `breached` verdict and `for_audience` required.
fn log_in_checked(
    state: &mut AccountState,
    password: &str,
    session: u8,
    now: u64,
    breached: Option<bool>,
    for_audience: Option<RequiredChange>,
) -> Option<PasswordChange> {
    let rules = SessionRules { ttl_secs: 86_400, idle_secs: 86_400, two_step_grace_secs: None };
    let input = LoginInput { client: "test-client", password, factor: None, session: hash(session) };
    let checks = PasswordChecks { policy: &POLICY, breached, for_audience };
    state.login(input, now, rules, checks, &PlainHasher, &keys()).expect("the right password").password_change
}

#[test]
fn a_password_the_policy_no_longer_takes_or_a_breach_lists_must_change_at_once() {
    // Set when the policy was looser (an import, say): the login, which has the plaintext, finds it short.
    let mut state = AccountState::new(account().profile, Some("plain:sunshine1".into()));
    let owed = log_in_checked(&mut state, "sunshine1", 1, NOW, None, None).expect("a change owed");
    assert_eq!((owed.reason, owed.due), (PasswordChangeReason::Policy, true));
    assert_eq!(state.full_session(&hash(1), NOW).unwrap_err().code, ErrorCode::PasswordChangeRequired);
    assert!(state.has_session(&hash(1), NOW), "the session exists, for the change");
    // A good password the breach check now lists.
    let mut state = account();
    let owed = log_in_checked(&mut state, "Old-Password-1!", 2, NOW, Some(true), None).expect("a change owed");
    assert_eq!((owed.reason, owed.due), (PasswordChangeReason::Breached, true));
    // The breach check off or silent: nothing owed for it.
    assert_eq!(log_in_checked(&mut state, "Old-Password-1!", 3, NOW, None, None), None, "the flag follows the login");
}

#[test]
fn a_required_change_lets_the_person_go_on_until_its_deadline() {
    let mut state = account();
    state.credential.changed_at = Some(NOW - 100);
    let campaign = RequiredChange { since: NOW - 10, deadline: Some(NOW + 1000) };
    let before = log_in_checked(&mut state, "Old-Password-1!", 1, NOW, None, Some(campaign)).expect("owed");
    assert_eq!((before.reason, before.deadline, before.due), (PasswordChangeReason::Required, Some(NOW + 1000), false));
    assert!(state.full_session(&hash(1), NOW).is_ok(), "told, and may go on");
    let after = log_in_checked(&mut state, "Old-Password-1!", 2, NOW + 1000, None, Some(campaign)).expect("owed");
    assert!(after.due);
    assert_eq!(state.full_session(&hash(2), NOW + 1000).unwrap_err().code, ErrorCode::PasswordChangeRequired);
    // A password set since the requirement meets it.
    state.credential.changed_at = Some(NOW + 1001);
    assert_eq!(log_in_checked(&mut state, "Old-Password-1!", 3, NOW + 1002, None, Some(campaign)), None);
    // The admin's requirement for this account alone, at the next login: owed until a new password is put in place.
    state.credential.required = Some(RequiredChange { since: NOW + 1003, deadline: None });
    assert!(log_in_checked(&mut state, "Old-Password-1!", 4, NOW + 1004, None, None).is_some_and(|o| o.due));
    state.issue_token(hash(9), NOW + 1005, 3600).unwrap();
    reset(&mut state, &hash(9), GOOD, NOW + 1005).unwrap();
    assert_eq!(state.credential.required, None);
    assert_eq!(log_in_checked(&mut state, GOOD, 5, NOW + 1006, None, Some(campaign)), None);
}

#[test]
fn a_due_change_is_due_in_every_session_whenever_it_opened() {
    // A session opened before the deadline of a change its login found owed is a full session only until then.
    let mut state = account();
    state.credential.changed_at = Some(NOW - 100);
    let campaign = RequiredChange { since: NOW - 10, deadline: Some(NOW + 1000) };
    log_in_checked(&mut state, "Old-Password-1!", 1, NOW, None, Some(campaign)).expect("owed, not yet due");
    assert!(state.full_session(&hash(1), NOW + 999).is_ok());
    assert_eq!(state.full_session(&hash(1), NOW + 1000).unwrap_err().code, ErrorCode::PasswordChangeRequired);
    assert!(state
        .session_info(&hash(1), NOW + 1000, SessionRules { ttl_secs: 3600, idle_secs: 3600, two_step_grace_secs: None })
        .password_change
        .is_some_and(|owed| owed.due));

    // A change required of the account after its session opened, or of its type as the site has it now.
    let mut state = account();
    state.credential.changed_at = Some(NOW - 100);
    log_in_checked(&mut state, "Old-Password-1!", 2, NOW, None, None);
    assert!(state.full_session(&hash(2), NOW + 1).is_ok());
    let now_required = RequiredChange { since: NOW + 2, deadline: None };
    assert_eq!(
        state.full_session_under(&hash(2), NOW + 3, Some(now_required)).unwrap_err().code,
        ErrorCode::PasswordChangeRequired,
        "the type's requirement, set after the login"
    );
    state.credential.required = Some(now_required);
    assert_eq!(state.full_session(&hash(2), NOW + 3).unwrap_err().code, ErrorCode::PasswordChangeRequired);
}

#[test]
fn turning_two_step_off_under_a_password_only_it_allowed_limits_the_session_that_did_it_at_once() {
    let nist = Policy::nist_800_63b();
    let mut state = account_with_two_step();
    state.issue_token(hash(1), NOW, 3600).unwrap();
    let proof = state.reset_proof(&hash(1), Some(Factor::Code(&code(NOW))), NOW, &keys()).unwrap();
    let input = ResetInput { token: &hash(1), password: "vQx7mzRpe2", confirm: "vQx7mzRpe2", breached: None, proof };
    state.reset_password(input, NOW, &nist, &PlainHasher, "n".into()).unwrap();
    assert!(state.credential.only_with_two_step);
    let rules = SessionRules { ttl_secs: 3600, idle_secs: 3600, two_step_grace_secs: None };
    let input = LoginInput {
        client: "test-client",
        password: "vQx7mzRpe2",
        factor: Some(Factor::Code(&code(NOW + 30))),
        session: hash(2),
    };
    let checks = PasswordChecks { policy: &nist, breached: None, for_audience: None };
    state.login(input, NOW + 30, rules, checks, &PlainHasher, &keys()).unwrap();
    assert!(state.full_session(&hash(2), NOW + 31).is_ok());
    // The person turns it off in this very session.
    state.two_step.disable(Factor::Code(&code(NOW + 60)), NOW + 60, &keys()).unwrap();
    state.credential.two_step_turned_off();
    assert_eq!(
        state.full_session(&hash(2), NOW + 61).unwrap_err().code,
        ErrorCode::PasswordChangeRequired,
        "good only for a new password, from now, not from its next login"
    );
    assert!(state.has_session(&hash(2), NOW + 61), "and still good for that");
}
