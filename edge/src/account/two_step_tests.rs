//! The tests of `two_step`.

use super::*;
use crate::otp::totp::{code_at, step_at, DIGITS};

const NOW: u64 = 1_800_000_000;

fn keys() -> Keys {
    Keys::parse(crate::seal::TEST_KEYS).unwrap()
}
const SECRET: &[u8] = b"12345678901234567890";

fn code(now: u64) -> String {
    format!("{:06}", code_at(SECRET, step_at(now), DIGITS))
}

fn recovery_codes() -> (Vec<String>, Vec<String>) {
    let plain: Vec<String> = (0..recovery::COUNT as u8).map(|i| recovery::format(&[i; 10])).collect();
    let hashes = plain.iter().map(|c| recovery::hash_of_formatted(&keys(), c)).collect();
    (plain, hashes)
}

fn enrolled() -> (TwoStep, Vec<String>) {
    let mut two_step = TwoStep::default();
    two_step.start_setup(TotpSecret::new(SECRET.to_vec()), NOW, &keys()).unwrap();
    let (plain, hashes) = recovery_codes();
    two_step.confirm_setup(&code(NOW), NOW, hashes, &keys()).unwrap();
    (two_step, plain)
}

#[test]
fn a_setup_turns_on_only_with_a_code_of_its_secret_in_time() {
    let mut two_step = TwoStep::default();
    assert_eq!(two_step.confirm_setup("123456", NOW, vec![], &keys()).unwrap_err().code, ErrorCode::TwoStepNoSetup);
    two_step.start_setup(TotpSecret::new(SECRET.to_vec()), NOW, &keys()).unwrap();
    let wrong = format!("{:06}", (code_at(SECRET, step_at(NOW), DIGITS) + 1) % 1_000_000);
    assert_eq!(two_step.confirm_setup(&wrong, NOW, vec![], &keys()).unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
    assert!(!two_step.enabled());
    let late = NOW + SETUP_LIFETIME_SECS;
    assert_eq!(two_step.confirm_setup(&code(late), late, vec![], &keys()).unwrap_err().code, ErrorCode::TwoStepNoSetup);
    two_step.confirm_setup(&code(NOW + 10), NOW + 10, vec![], &keys()).unwrap();
    assert!(two_step.enabled() && two_step.setup.is_none() && two_step.failures.is_empty());
    assert_eq!(
        two_step.start_setup(TotpSecret::new(vec![1; 20]), NOW, &keys()).unwrap_err().code,
        ErrorCode::TwoStepAlreadyOn
    );
}

#[test]
fn the_sweep_seals_what_was_kept_plain_and_the_codes_still_work() {
    use sha2::{Digest, Sha256};
    let (mut two_step, plain) = enrolled();
    let canonical = recovery::normalize(&plain[0]).unwrap();
    let authenticator = two_step.authenticator.as_mut().unwrap();
    authenticator.secret = KeptSecret::Plain(TotpSecret::new(SECRET.to_vec()));
    two_step.recovery[0] = crate::hex::hex(&Sha256::digest(canonical.as_bytes()));
    assert!(two_step.sweep(&keys()));
    let stored = serde_json::to_string(&two_step).unwrap();
    assert!(!stored.contains(&crate::hex::hex(&Sha256::digest(canonical.as_bytes()))), "no plain digest left");
    assert!(matches!(two_step.authenticator.as_ref().unwrap().secret, KeptSecret::Sealed(_)));
    assert!(!two_step.sweep(&keys()), "nothing left to do");
    let proof =
        two_step.check(Factor::Code(&plain[0]), NOW + 30, &keys()).expect("the swept recovery code still works");
    two_step.spend(proof, NOW);
    assert!(two_step.check(Factor::Code(&code(NOW + 60)), NOW + 60, &keys()).is_ok(), "and the sealed secret");
}

#[test]
fn a_code_works_once() {
    let (mut two_step, _) = enrolled();
    // The confirming code's step is spent already.
    assert_eq!(two_step.check(Factor::Code(&code(NOW)), NOW, &keys()).unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
    let later = NOW + 60;
    let proof = two_step.check(Factor::Code(&code(later)), later, &keys()).unwrap();
    // Checked, not spent: a refused reset can use it again.
    assert_eq!(two_step.check(Factor::Code(&code(later)), later, &keys()), Ok(proof.clone()));
    two_step.spend(proof, NOW);
    assert_eq!(
        two_step.check(Factor::Code(&code(later)), later + 5, &keys()).unwrap_err().code,
        ErrorCode::TwoStepCodeInvalid
    );
    assert!(two_step.check(Factor::Code(&code(later + 30)), later + 30, &keys()).is_ok(), "the next step's code works");
}

#[test]
fn recovery_codes_work_once_each_and_are_forgiving() {
    let (mut two_step, plain) = enrolled();
    let proof = two_step.check(Factor::Code(&plain[3].to_lowercase().replace('-', " ")), NOW, &keys()).unwrap();
    two_step.spend(proof, NOW);
    assert_eq!(two_step.status(NOW, None).recovery_codes_left, 9);
    assert_eq!(two_step.check(Factor::Code(&plain[3]), NOW, &keys()).unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
    assert!(two_step.check(Factor::Code(&plain[4]), NOW, &keys()).is_ok());
    assert_eq!(
        two_step.check(Factor::Code("0000-0000-0000-0009"), NOW, &keys()).unwrap_err().code,
        ErrorCode::TwoStepCodeInvalid
    );
}

#[test]
fn wrong_codes_are_throttled_even_the_right_one_then() {
    let (mut two_step, plain) = enrolled();
    for _ in 0..CODE_FAILURES.allowed - 1 {
        assert_eq!(
            two_step.check(Factor::Code("000000"), NOW + 60, &keys()).unwrap_err().code,
            ErrorCode::TwoStepCodeInvalid
        );
    }
    assert_eq!(
        two_step.check(Factor::Code("not a code"), NOW + 60, &keys()).unwrap_err().code,
        ErrorCode::TwoStepCodeInvalid
    );
    assert_eq!(
        two_step.check(Factor::Code(&code(NOW + 60)), NOW + 60, &keys()).unwrap_err().code,
        ErrorCode::RateLimited
    );
    assert_eq!(two_step.check(Factor::Code(&plain[0]), NOW + 60, &keys()).unwrap_err().code, ErrorCode::RateLimited);
    let after = NOW + 60 + CODE_FAILURES.window_secs;
    assert!(two_step.check(Factor::Code(&code(after)), after, &keys()).is_ok());
}

#[test]
fn disable_and_new_recovery_codes_need_a_code() {
    let (mut two_step, plain) = enrolled();
    let new_hashes = vec![recovery::hash(&keys(), "1111111111111111")];
    assert!(two_step.replace_recovery_codes(Factor::Code("000000"), NOW + 60, new_hashes.clone(), &keys()).is_err());
    two_step.replace_recovery_codes(Factor::Code(&code(NOW + 60)), NOW + 60, new_hashes, &keys()).unwrap();
    assert_eq!(two_step.status(NOW, None).recovery_codes_left, 1);
    assert!(two_step.check(Factor::Code(&plain[0]), NOW + 60, &keys()).is_err(), "the old codes stopped working");
    assert_eq!(
        two_step.disable(Factor::Code(&code(NOW + 60)), NOW + 61, &keys()).unwrap_err().code,
        ErrorCode::TwoStepCodeInvalid
    );
    two_step.disable(Factor::Code("1111-1111-1111-1111"), NOW + 61, &keys()).unwrap();
    assert!(!two_step.enabled());
    assert_eq!(
        two_step.check(Factor::Code(&code(NOW + 90)), NOW + 90, &keys()).unwrap_err().code,
        ErrorCode::TwoStepOff
    );
}

#[test]
fn the_grace_period_runs_from_the_first_login_under_the_requirement() {
    let mut two_step = TwoStep::default();
    let grace = Some(7 * 86_400);
    assert_eq!(two_step.status(NOW, grace).enroll_by, None, "not until a login");
    two_step.note_requirement(NOW, grace);
    two_step.note_requirement(NOW + 100, grace);
    let status = two_step.status(NOW + 100, grace);
    assert_eq!(status.enroll_by, Some(NOW + 7 * 86_400));
    assert!(!status.setup_required);
    assert!(two_step.status(NOW + 7 * 86_400, grace).setup_required);
    // Lifted, then required again: a new grace period.
    two_step.note_requirement(NOW + 8 * 86_400, None);
    assert!(!two_step.status(NOW + 8 * 86_400, None).setup_required);
    two_step.note_requirement(NOW + 9 * 86_400, grace);
    assert_eq!(two_step.status(NOW + 9 * 86_400, grace).enroll_by, Some(NOW + 16 * 86_400));
    // Turned on: nothing more required.
    two_step.start_setup(TotpSecret::new(SECRET.to_vec()), NOW + 20 * 86_400, &keys()).unwrap();
    two_step.confirm_setup(&code(NOW + 20 * 86_400), NOW + 20 * 86_400, vec![], &keys()).unwrap();
    let status = two_step.status(NOW + 30 * 86_400, grace);
    assert_eq!((status.enroll_by, status.setup_required), (None, false));
}

#[test]
fn the_secret_is_kept_sealed_and_one_kept_in_plain_or_under_an_old_key_is_sealed_at_its_next_use() {
    let (two_step, _) = enrolled();
    let stored = serde_json::to_string(&two_step).unwrap();
    let plain_bytes = serde_json::to_string(&SECRET.to_vec()).unwrap();
    assert!(!stored.contains(&plain_bytes[1..plain_bytes.len() - 1]), "{stored}");
    assert!(matches!(&two_step.authenticator.as_ref().unwrap().secret, KeptSecret::Sealed(s) if s.kid == "k1"));

    // As kept before secrets were sealed: the bytes in plain, the recovery codes' plain SHA-256.
    let mut before: TwoStep = serde_json::from_value(serde_json::json!({
        "authenticator": {"secret": SECRET, "enabled_at": NOW, "last_step": null, "recovery": [
            crate::hex::hex(&<sha2::Sha256 as sha2::Digest>::digest(b"0000000000000000"))
        ]}
    }))
    .unwrap();
    before.settle();
    assert!(matches!(before.authenticator.as_ref().unwrap().secret, KeptSecret::Plain(_)));
    let proof = before.check(Factor::Code("0000-0000-0000-0000"), NOW, &keys()).unwrap();
    before.spend(proof, NOW);
    assert_eq!(before.status(NOW, None).recovery_codes_left, 0, "the old code worked, once");
    assert!(matches!(&before.authenticator.as_ref().unwrap().secret, KeptSecret::Sealed(s) if s.kid == "k1"));
    assert!(before.check(Factor::Code(&code(NOW)), NOW, &keys()).is_ok(), "the sealed secret is the same secret");

    // The keys rotated: the old key still opens it, the next use seals it under the new one.
    let rotated =
        Keys::parse(&format!("k2:HxseHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=,{}", crate::seal::TEST_KEYS)).unwrap();
    assert!(before.check(Factor::Code(&code(NOW + 30)), NOW + 30, &rotated).is_ok());
    assert!(matches!(&before.authenticator.as_ref().unwrap().secret, KeptSecret::Sealed(s) if s.kid == "k2"));
    assert!(
        before
            .check(
                Factor::Code(&code(NOW + 60)),
                NOW + 60,
                &Keys::parse("k2:HxseHRwbGhkYFxYVFBMSERAPDg0MCwoJCAcGBQQDAgE=").unwrap()
            )
            .is_ok(),
        "the old key is no longer needed"
    );
}
