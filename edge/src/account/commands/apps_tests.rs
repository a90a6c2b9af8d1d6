//! The tests of `apps`.

use super::*;
use crate::account::apply::testing::{ana, hash, rules, run, NOW, OLD_PASSWORD};
use crate::account::apps::pkce_matches;
use crate::account::commands::session::{Login, Logout};

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn login(slot: &mut Slot, session: u8, at: u64) {
    let login: Login = serde_json::from_value(serde_json::json!({
        "password": OLD_PASSWORD, "session_hash": hash(session),
    }))
    .unwrap();
    assert!(run(slot, login, at, &rules()).reply.is_ok());
}

/// `n` names the subject the command brings.
fn authorize(session: u8, n: u8, login_after: Option<u64>, audiences: Vec<Audience>) -> Authorize {
    Authorize {
        session_hash: hash(session),
        client_id: "app".into(),
        consent: ConsentAsk::default(),
        password_change: PasswordChangeRequirement::default(),
        freshness: Freshness { login_after, max_age: None },
        audiences,
        requirement: TwoStepRequirement::default(),
        subject: format!("subject-{n}"),
    }
}

fn refresh(presented: u8, next: u8, scope: Option<&[&str]>) -> Refresh {
    Refresh {
        refresh_hash: hash(presented),
        client_id: "app".into(),
        next_hash: hash(next),
        scope: scope.map(|s| s.iter().map(|s| s.to_string()).collect()),
        password_change: PasswordChangeRequirement::default(),
    }
}

/// The code (hash `code`) issued in session 1, exchanged.
fn exchange(code: u8, family: &str, refresh: u8) -> ExchangeCode {
    ExchangeCode {
        code_hash: hash(code),
        code: Code {
            session: hash(1),
            client_id: "app".into(),
            redirect_uri: "https://app/cb".into(),
            challenge: CHALLENGE.into(),
            nonce: Some("n-1".into()),
            scope: vec!["openid".into(), "email".into()],
            expires_at: NOW + crate::account::codes::CODE_TTL_SECS,
            locale: None,
        },
        client_id: "app".into(),
        redirect_uri: "https://app/cb".into(),
        code_verifier: Secret::new(VERIFIER.into()),
        family_id: family.into(),
        refresh_hash: hash(refresh),
        password_change: PasswordChangeRequirement::default(),
    }
}

#[test]
fn a_live_session_gets_a_code_a_missing_or_stale_one_the_login_page() {
    assert!(pkce_matches(VERIFIER, CHALLENGE));
    let mut slot = ana();
    assert_eq!(run(&mut slot, authorize(1, 10, None, vec![]), NOW, &rules()).reply, Authorized::Login);
    login(&mut slot, 1, NOW);
    assert_eq!(run(&mut slot, authorize(1, 10, Some(NOW + 5), vec![]), NOW + 10, &rules()).reply, Authorized::Login);
    let denied = run(&mut slot, authorize(1, 10, None, vec![Audience::Staff]), NOW + 10, &rules());
    assert_eq!(denied.reply, Authorized::AccessDenied, "Ana's parent account may not use a staff app");
    let first = run(&mut slot, authorize(1, 10, Some(NOW), vec![]), NOW + 10, &rules());
    assert_eq!((first.reply, first.saves), (Authorized::Code, 1), "the subject is made and kept");
    let again = run(&mut slot, authorize(1, 11, None, vec![]), NOW + 11, &rules());
    assert_eq!((again.reply, again.saves), (Authorized::Code, 0), "a code costs the account no write");
    // `max_age` by the account's clock: a login 11 s old meets 20 s, not 10.
    let aged =
        |max_age| Authorize { freshness: Freshness { login_after: None, max_age }, ..authorize(1, 12, None, vec![]) };
    assert_eq!(run(&mut slot, aged(Some(20)), NOW + 11, &rules()).reply, Authorized::Code);
    assert_eq!(run(&mut slot, aged(Some(10)), NOW + 11, &rules()).reply, Authorized::Login);
    assert_eq!(Freshness { login_after: Some(5), max_age: Some(3) }.after(10), Some(7), "the later of the two");
}

#[test]
fn the_code_becomes_tokens_once_with_a_stable_subject_and_the_login_it_came_from() {
    let mut slot = ana();
    login(&mut slot, 1, NOW);
    let _ = run(&mut slot, authorize(1, 10, None, vec![]), NOW, &rules());
    let grant = run(&mut slot, exchange(10, "f1", 50), NOW + 5, &rules()).reply.unwrap();
    assert_eq!((grant.subject.as_str(), grant.auth_time, &grant.amr[..]), ("subject-10", NOW, &["pwd".to_owned()][..]));
    assert_eq!((grant.nonce.as_deref(), grant.sid.clone()), (Some("n-1"), sid_of(&hash(1))));
    assert_eq!(run(&mut slot, exchange(10, "f2", 51), NOW + 6, &rules()).reply, Err(GrantRefusal::Replayed));
    let _ = run(&mut slot, authorize(1, 11, None, vec![]), NOW + 7, &rules());
    let again = run(&mut slot, exchange(11, "f3", 52), NOW + 8, &rules()).reply.unwrap();
    assert_eq!(again.subject, "subject-10", "the subject is made once");
}

#[test]
fn a_password_change_ends_what_apps_got_even_through_the_session_that_made_it() {
    use crate::account::commands::password::ChangePassword;
    let mut slot = ana();
    login(&mut slot, 1, NOW);
    let _ = run(&mut slot, authorize(1, 10, None, vec![]), NOW, &rules());
    run(&mut slot, exchange(10, "f1", 50), NOW, &rules()).reply.unwrap();
    let change = ChangePassword {
        client: "test-client".into(),
        session_hash: hash(1),
        current: OLD_PASSWORD.into(),
        password: "Otter-Lantern-42-Quiet".into(),
        confirm: "Otter-Lantern-42-Quiet".into(),
        breached: None,
        code: None,
        passkey: None,
    };
    run(&mut slot, change, NOW + 1, &rules()).reply.unwrap();
    let status = GrantStatus { token: GrantToken::Refresh(hash(50)) };
    assert!(run(&mut slot, status, NOW + 2, &rules()).reply.is_none(), "the app's refresh token ended");
    let account = slot.account.as_ref().unwrap();
    assert!(account.has_session(&hash(1), NOW + 2), "the latchkey session that made the change stays");
    assert_eq!(account.apps.logouts.len(), 1, "and the app is told");
}

#[test]
fn logging_out_ends_the_apps_tokens_and_owes_them_a_logout() {
    let mut slot = ana();
    login(&mut slot, 1, NOW);
    let _ = run(&mut slot, authorize(1, 10, None, vec![]), NOW, &rules());
    run(&mut slot, exchange(10, "f1", 50), NOW, &rules()).reply.unwrap();
    let refreshed = run(&mut slot, refresh(50, 51, None), NOW + 1, &rules());
    assert!(refreshed.reply.is_ok());
    let status = GrantStatus { token: GrantToken::Refresh(hash(51)) };
    assert!(run(&mut slot, status, NOW + 2, &rules()).reply.is_some());
    let _ = run(&mut slot, Logout { session_hash: hash(1) }, NOW + 3, &rules());
    let status = GrantStatus { token: GrantToken::Family("f1".into()) };
    assert!(run(&mut slot, status, NOW + 4, &rules()).reply.is_none(), "introspection says inactive");
    let account = slot.account.as_ref().unwrap();
    assert_eq!(account.apps.logouts.len(), 1);
    assert_eq!(account.wake_in(NOW + 3), Some(1), "the alarm delivers it at once");
}

#[test]
fn a_native_app_answered_on_this_device_is_confirmed_once_and_prompt_consent_asks_again() {
    let mut slot = ana();
    login(&mut slot, 1, NOW);
    let native = |given_until, forced| Authorize {
        consent: ConsentAsk { needed: true, forced, given_until },
        ..authorize(1, 10, None, vec![])
    };
    let asked = run(&mut slot, native(None, false), NOW, &rules());
    assert_eq!(asked.reply, Authorized::Consent { email: "ana@school.org".into() });
    assert_eq!(asked.saves, 0, "asking writes nothing");
    let given = run(&mut slot, native(Some(NOW + 100), false), NOW + 1, &rules());
    assert_eq!((given.reply, given.saves), (Authorized::Code, 1));
    assert_eq!(run(&mut slot, native(None, false), NOW + 50, &rules()).reply, Authorized::Code, "remembered");
    assert!(matches!(run(&mut slot, native(None, true), NOW + 50, &rules()).reply, Authorized::Consent { .. }));
    assert!(matches!(run(&mut slot, native(None, false), NOW + 100, &rules()).reply, Authorized::Consent { .. }));
    let other_app = Authorize { client_id: "other".into(), ..native(None, false) };
    assert!(matches!(run(&mut slot, other_app, NOW + 50, &rules()).reply, Authorized::Consent { .. }));
    // Remembered for no time at all: this request only.
    let once = run(&mut slot, native(Some(NOW + 200), false), NOW + 200, &rules());
    assert_eq!(once.reply, Authorized::Code);
    assert!(matches!(run(&mut slot, native(None, false), NOW + 201, &rules()).reply, Authorized::Consent { .. }));
}

#[test]
fn a_refresh_may_narrow_the_scope_never_widen_it_and_keeps_the_next_refresh_token() {
    let mut slot = ana();
    login(&mut slot, 1, NOW);
    let _ = run(&mut slot, authorize(1, 10, None, vec![]), NOW, &rules());
    let mut offline = exchange(10, "f1", 50);
    offline.code.scope.push("offline_access".into());
    run(&mut slot, offline, NOW, &rules()).reply.unwrap();
    let wider = run(&mut slot, refresh(50, 51, Some(&["openid", "profile"])), NOW + 1, &rules());
    assert_eq!(wider.reply, Err(GrantRefusal::ScopeNotGranted));
    let narrow = run(&mut slot, refresh(50, 52, Some(&["openid"])), NOW + 2, &rules()).reply.unwrap();
    assert_eq!(narrow.scope, ["openid"], "the refused wider refresh spent nothing");
    assert!(narrow.offline, "the grant still holds offline_access: the app gets its next refresh token");
    let whole = run(&mut slot, refresh(52, 53, None), NOW + 3, &rules()).reply.unwrap();
    assert_eq!(whole.scope, ["openid", "email", "offline_access"], "the next refresh may ask for all again");
}

#[test]
fn a_change_of_password_come_due_stops_new_codes_and_refreshes_until_it_is_made() {
    use latchkey_shared::api::RequiredChange;
    let mut slot = ana();
    login(&mut slot, 1, NOW);
    let _ = run(&mut slot, authorize(1, 10, None, vec![]), NOW, &rules());
    run(&mut slot, exchange(10, "f1", 50), NOW, &rules()).reply.unwrap();
    // The school requires a new password of every parent, by a deadline that passes while the session lives.
    let campaign = RequiredChange { since: NOW + 5, deadline: Some(NOW + 100) };
    let requirement = PasswordChangeRequirement { staff: None, parent: Some(campaign) };
    let with = |mut r: Refresh| {
        r.password_change = requirement;
        r
    };
    assert!(run(&mut slot, with(refresh(50, 51, None)), NOW + 99, &rules()).reply.is_ok(), "before it");
    let due = run(&mut slot, with(refresh(51, 52, None)), NOW + 100, &rules());
    assert_eq!(due.reply, Err(GrantRefusal::PasswordChangeDue));
    let code = Authorize { password_change: requirement, ..authorize(1, 11, None, vec![]) };
    assert_eq!(run(&mut slot, code, NOW + 100, &rules()).reply, Authorized::PasswordChange);
    // The account's own requirement, with no deadline, counts at once too.
    slot.account.as_mut().unwrap().credential.required = Some(RequiredChange { since: NOW + 101, deadline: None });
    assert_eq!(run(&mut slot, refresh(51, 53, None), NOW + 102, &rules()).reply, Err(GrantRefusal::PasswordChangeDue));
    // Made: the refresh token the refusals left unspent works again.
    slot.account.as_mut().unwrap().credential.replace("plain:Otter-Lantern-42-Quiet".into(), 3, NOW + 103, false);
    assert!(run(&mut slot, with(refresh(51, 54, None)), NOW + 104, &rules()).reply.is_ok());
}

#[test]
fn email_verified_says_what_is_known() {
    let mut slot = ana();
    login(&mut slot, 1, NOW);
    let _ = run(&mut slot, authorize(1, 10, None, vec![]), NOW, &rules());
    let grant = run(&mut slot, exchange(10, "f1", 50), NOW, &rules()).reply.unwrap();
    assert!(!grant.email_verified, "an account the admin API made: not proven");
    slot.account.as_mut().unwrap().email_verified = true;
    assert!(run(&mut slot, refresh(50, 51, None), NOW + 1, &rules()).reply.unwrap().email_verified);
}

#[test]
fn the_tokens_speak_the_language_the_app_asked_for() {
    let mut slot = ana();
    login(&mut slot, 1, NOW);
    let _ = run(&mut slot, authorize(1, 10, None, vec![]), NOW, &rules());
    let grant = run(&mut slot, exchange(10, "f1", 50), NOW, &rules()).reply.unwrap();
    assert_eq!(grant.locale, Locale::En, "nothing asked: the account's own");
    let mut spanish = exchange(11, "f2", 51);
    spanish.code.locale = Some(Locale::Es);
    assert_eq!(run(&mut slot, spanish, NOW, &rules()).reply.unwrap().locale, Locale::Es, "ui_locales=es");
    assert_eq!(run(&mut slot, refresh(51, 52, None), NOW + 1, &rules()).reply.unwrap().locale, Locale::Es);
}
