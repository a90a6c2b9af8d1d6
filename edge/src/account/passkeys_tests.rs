//! An account's passkeys with an independent authenticator (1Password's, through `webauthn::tests`): registered,
//! answered once per challenge, refused for another account, counted, named, removed; and a passkey as 2-Step
//! Verification's second factor.

use super::*;
use crate::account::sessions::methods_of;
use crate::account::two_step::{Factor, Proof, TwoStep};
use crate::seal::{Keys, TEST_KEYS};
use crate::webauthn::tests::{phone, register, school, sign_in};
use coset::iana::Algorithm;

const NOW: u64 = 1_800_000_000;

fn challenge(text: &str, purpose: Purpose) -> Challenge {
    Challenge { challenge: encode(text.as_bytes()), expires_at: NOW + CEREMONY_SECS, purpose }
}

#[tokio::test]
async fn a_passkey_is_registered_once_and_answers_each_challenge_once() {
    let rp = school();
    let mut ana = phone(Algorithm::ES256, true);
    let mut passkeys = Passkeys::default();
    let made = register(&mut ana, "https://school.example", b"reg-1", "preferred").await;
    let ceremony = challenge("reg-1", Purpose::Register);
    passkeys.register(&rp, &ceremony, &made, None, "Chrome, 7 Dec 2026", NOW).unwrap();
    assert_eq!(passkeys.info()[0].name, "Google Password Manager", "named by its provider");
    assert_eq!((passkeys.room(), passkeys.list[0].created_at), (MAX_PASSKEYS as u32 - 1, NOW));
    let again = passkeys.register(&rp, &ceremony, &made, None, "x", NOW + 1).unwrap_err();
    assert_eq!(again.code, ErrorCode::PasskeyCeremonyExpired, "a registration challenge works once");
    let twice = passkeys.register(&rp, &challenge("reg-1", Purpose::Register), &made, None, "x", NOW).unwrap_err();
    assert_eq!(twice.code, ErrorCode::PasskeyCeremonyExpired);

    let login = challenge("login-1", Purpose::Login);
    let signed = sign_in(&mut ana, "https://school.example", b"login-1", "required").await;
    let proof = passkeys.check(&rp, &login, &signed, NOW + 5).unwrap();
    assert!(proof.user_verified);
    assert!(passkeys.check(&rp, &login, &signed, NOW + 6).is_ok(), "checking spends nothing");
    passkeys.spend(proof, NOW + 6);
    assert_eq!(passkeys.info()[0].last_used_at, Some(NOW + 6));
    let replayed = passkeys.check(&rp, &login, &signed, NOW + 7).unwrap_err();
    assert_eq!(replayed.code, ErrorCode::PasskeyCeremonyExpired, "a replayed answer is refused");
    let late = challenge("login-2", Purpose::Login);
    let signed = sign_in(&mut ana, "https://school.example", b"login-2", "required").await;
    assert_eq!(
        passkeys.check(&rp, &late, &signed, late.expires_at).unwrap_err().code,
        ErrorCode::PasskeyCeremonyExpired,
        "five minutes, no more"
    );
    let as_registration = Challenge { purpose: Purpose::Register, ..late.clone() };
    assert!(passkeys.check(&rp, &as_registration, &signed, NOW).is_err(), "a registration challenge signs nobody in");

    // Another account's passkey answers nothing here.
    let mut other = phone(Algorithm::EdDSA, true);
    let mut theirs = Passkeys::default();
    let made = register(&mut other, "https://school.example", b"reg-2", "preferred").await;
    theirs.register(&rp, &challenge("reg-2", Purpose::Register), &made, Some("  Tablet "), "x", NOW).unwrap();
    assert_eq!(theirs.info()[0].name, "Tablet");
    let signed = sign_in(&mut other, "https://school.example", b"login-3", "required").await;
    let refused = passkeys.check(&rp, &challenge("login-3", Purpose::Login), &signed, NOW).unwrap_err();
    assert_eq!(refused.code, ErrorCode::PasskeyRefused);
}

#[tokio::test]
async fn names_are_checked_and_removal_and_the_limit_hold() {
    let rp = school();
    let mut passkeys = Passkeys::default();
    for n in 0..MAX_PASSKEYS {
        let mut device = phone(Algorithm::ES256, true);
        let text = format!("reg-{n}");
        let made = register(&mut device, "https://school.example", text.as_bytes(), "preferred").await;
        passkeys.register(&rp, &challenge(&text, Purpose::Register), &made, None, "Firefox", NOW).unwrap();
    }
    let mut one_more = phone(Algorithm::ES256, true);
    let made = register(&mut one_more, "https://school.example", b"reg-x", "preferred").await;
    let full = passkeys.register(&rp, &challenge("reg-x", Purpose::Register), &made, None, "x", NOW).unwrap_err();
    assert_eq!(full.code, ErrorCode::PasskeyLimit);
    let id = passkeys.list[3].id.clone();
    for bad in ["", "   ", &"n".repeat(MAX_NAME_CHARS + 1), "a\u{0}b"] {
        assert_eq!(passkeys.rename(&id, bad).unwrap_err().code, ErrorCode::InvalidRequest, "{bad:?}");
    }
    passkeys.rename(&id, "Ana's phone 📱").unwrap();
    assert_eq!(passkeys.list[3].name, "Ana's phone 📱");
    assert_eq!(passkeys.remove(&id).unwrap().name, "Ana's phone 📱");
    assert_eq!(passkeys.remove(&id).unwrap_err().code, ErrorCode::PasskeyNotFound);
    assert_eq!(passkeys.rename("nope", "x").unwrap_err().code, ErrorCode::PasskeyNotFound);
}

#[tokio::test]
async fn a_passkey_turns_two_step_verification_on_and_is_its_second_factor() {
    let rp = school();
    let keys = Keys::parse(TEST_KEYS).unwrap();
    let mut two_step = TwoStep::default();
    assert!(!two_step.enabled());
    let mut ana = phone(Algorithm::ES256, false);
    let made = register(&mut ana, "https://school.example", b"reg", "discouraged").await;
    two_step.passkeys.register(&rp, &challenge("reg", Purpose::Register), &made, None, "Safari", NOW).unwrap();
    assert!(two_step.enabled());
    let status = two_step.status(NOW, None);
    assert_eq!((status.passkeys, status.authenticator_app), (1, false));

    // A second step does not need the person verified by the authenticator; a login with no password does.
    let signed = sign_in(&mut ana, "https://school.example", b"second", "discouraged").await;
    let second = challenge("second", Purpose::SecondStep);
    let factor = Factor::Passkey { rp: &rp, challenge: &second, credential: &signed };
    let proof = two_step.check(factor, NOW, &keys).unwrap();
    assert!(matches!(proof, Proof::Passkey(_)));
    two_step.spend(proof, NOW);
    let signed = sign_in(&mut ana, "https://school.example", b"login", "discouraged").await;
    let login = challenge("login", Purpose::Login);
    let factor = Factor::Passkey { rp: &rp, challenge: &login, credential: &signed };
    assert_eq!(two_step.check(factor, NOW, &keys).unwrap_err().code, ErrorCode::PasskeyRefused);

    // Turning 2-Step Verification off, with the passkey's answer, removes every factor.
    let signed = sign_in(&mut ana, "https://school.example", b"off", "discouraged").await;
    let off = challenge("off", Purpose::SecondStep);
    two_step.disable(Factor::Passkey { rp: &rp, challenge: &off, credential: &signed }, NOW, &keys).unwrap();
    assert!(!two_step.enabled() && two_step.passkeys.list.is_empty());
}

#[test]
fn an_apps_amr_says_how_the_login_was_made() {
    let passkey = |synced| {
        Proof::Passkey(PasskeyProof {
            id: "id".into(),
            counter: 0,
            spent: Spent { digest: String::new(), until: 0 },
            user_verified: true,
            synced,
        })
    };
    assert_eq!(methods_of(true, None), ["pwd"]);
    assert_eq!(methods_of(true, Some(&Proof::Totp { step: 1 })), ["pwd", "otp"]);
    assert_eq!(methods_of(true, Some(&passkey(false))), ["pwd", "hwk"]);
    assert_eq!(
        methods_of(false, Some(&passkey(true))),
        ["swk", "mfa"],
        "a passkey with the person verified: two factors"
    );
}
