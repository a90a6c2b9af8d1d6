//! The tests of `admin`.

use super::*;
use crate::account::apply::testing::{ana, rules, run, NOW, OLD_PASSWORD};
use crate::account::commands::session::Login;
use latchkey_shared::api::{AccountStatus, Actor, HistoryEvent, TwoStepRequirement};

fn token() -> StaffMember {
    StaffMember::admin_token()
}

#[test]
fn create_once_and_forget_an_unknown_names_failures() {
    let mut slot = Slot::default();
    let login = || Login {
        client: "test-client".into(),
        password: "Whatever-1".into(),
        code: None,
        passkey: None,
        session_hash: crate::account::apply::testing::hash(1),
        requirement: TwoStepRequirement::default(),
        breached: None,
        password_change: Default::default(),
    };
    run(&mut slot, login(), NOW, &rules());
    assert_eq!(slot.unknown_login_failures.len(), 1);
    let profile = ana().account.unwrap().profile;
    let created = run(&mut slot, Create { profile: profile.clone(), password: None }, NOW, &rules());
    assert_eq!((created.reply.map(|v| v.login_email), created.saves), (Ok("ana@school.org".into()), 1));
    assert!(slot.unknown_login_failures.is_empty());
    let again = run(&mut slot, Create { profile, password: None }, NOW, &rules());
    assert_eq!(again.reply.unwrap_err().code, ErrorCode::AccountExists);
    assert_eq!(again.saves, 0);
}

#[test]
fn a_password_chosen_at_creation_dates_from_it_and_one_brought_from_elsewhere_has_no_date() {
    let profile = ana().account.unwrap().profile;
    let made = |password| {
        let mut slot = Slot::default();
        let created = run(&mut slot, Create { profile: profile.clone(), password: Some(password) }, NOW, &rules());
        created.reply.unwrap().password_changed_at
    };
    let chosen = FirstPassword::Chosen(Secret::from("Otter-Harbor-93-Violet"));
    assert_eq!(made(chosen), Some(NOW), "made with a password: it was set then");
    let imported = FirstPassword::Imported(Secret::from("legacy:Otter-Harbor-93-Violet"));
    assert_eq!(made(imported), None, "imported: when it was set, the other system knew");
}

#[test]
fn a_password_chosen_at_creation_is_judged_as_a_reset_judges_it() {
    // The account's own words count against it, the contact email's included, as at every other new password.
    const PASSWORD: &str = "Mapplethorpe12!";
    let (plain, contact) = (ana().account.unwrap().profile, Some("gwendolyn.mapplethorpe@home.example".into()));
    let with_contact = Profile { contact_email: contact, ..plain.clone() };
    let create = |profile: &Profile| {
        let mut slot = Slot::default();
        let password = Some(FirstPassword::Chosen(Secret::from(PASSWORD)));
        let created = run(&mut slot, Create { profile: profile.clone(), password }, NOW, &rules());
        (created.reply, created.saves)
    };
    assert!(create(&plain).0.is_ok(), "a stranger's words: strong enough");
    let (reply, saves) = create(&with_contact);
    let refusal = reply.unwrap_err();
    assert_eq!((refusal.code, saves), (ErrorCode::PasswordRejected, 0), "nothing made");
    assert!(refusal.unmet.iter().any(|r| matches!(r.rule, latchkey_shared::Rule::MinStrength { .. })));

    let mut reset = ana();
    reset.account.as_mut().unwrap().profile = with_contact;
    let hasher = crate::account::credential::tests::PlainHasher;
    let chosen = reset.account.unwrap().choose_password(PASSWORD, PASSWORD, None, &rules().policy, &hasher);
    assert_eq!(chosen.err().map(|r| r.unmet), Some(refusal.unmet), "the same verdict as a reset's");
}

#[test]
fn commands_on_no_account_say_not_found() {
    let mut slot = Slot::default();
    assert_eq!(run(&mut slot, View {}, NOW, &rules()).reply, None);
    assert_eq!(run(&mut slot, Disable { by: token() }, NOW, &rules()).reply.unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(
        run(&mut slot, AdminTwoStepOff { by: token() }, NOW, &rules()).reply.unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(slot, Slot::default(), "nothing was made");
}

#[test]
fn disable_is_saved_and_two_step_off_refused_when_it_is_off() {
    let mut slot = ana();
    let disabled = run(&mut slot, Disable { by: token() }, NOW, &rules());
    assert_eq!((disabled.reply.unwrap().status, disabled.saves), (AccountStatus::Disabled, 1));
    assert_eq!(disabled.events, [AccountEvent::Disabled { by: Actor::AdminToken }]);
    let off = run(&mut slot, AdminTwoStepOff { by: token() }, NOW, &rules());
    assert_eq!((off.reply.unwrap_err().code, off.saves, off.events), (ErrorCode::TwoStepOff, 0, vec![]));
}

#[test]
fn enable_undoes_disable_once_and_end_sessions_logs_out_everywhere() {
    let mut slot = ana();
    let active = run(&mut slot, Enable { by: token() }, NOW, &rules());
    assert_eq!((active.saves, active.events), (0, vec![]), "already active: nothing to do or audit");
    run(&mut slot, Disable { by: token() }, NOW, &rules());
    let enabled = run(&mut slot, Enable { by: token() }, NOW, &rules());
    assert_eq!((enabled.reply.unwrap().status, enabled.saves), (AccountStatus::Active, 1));
    assert_eq!(enabled.events, [AccountEvent::Enabled { by: Actor::AdminToken }]);

    let account = slot.account.as_mut().unwrap();
    for n in 1..=2 {
        account.sessions.open(crate::account::apply::testing::hash(n), NOW, 3600, 3600, None, false);
    }
    let ended = run(&mut slot, EndSessions { by: token() }, NOW + 1, &rules());
    assert_eq!(ended.reply.unwrap().active_sessions, 0);
    assert_eq!((ended.saves, ended.events), (1, vec![AccountEvent::SessionsEnded { ended: 2, by: Actor::AdminToken }]));
    assert_eq!(
        run(&mut Slot::default(), EndSessions { by: token() }, NOW, &rules()).reply.unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(
        run(&mut Slot::default(), Enable { by: token() }, NOW, &rules()).reply.unwrap_err().code,
        ErrorCode::NotFound
    );
}

#[test]
fn roles_are_for_staff_and_the_console_wants_the_role_and_two_step_verification() {
    use crate::account::apply::testing::hash;
    use crate::account::commands::session::CheckStaff;
    use crate::account::two_step::TotpSecret;
    use crate::otp::totp::{code_at, step_at, DIGITS};
    let mut slot = ana();
    let grant = |roles: Vec<Role>| SetRoles { roles, by: token() };
    let parent = run(&mut slot, grant(vec![Role::Helpdesk]), NOW, &rules());
    assert_eq!((parent.reply.unwrap_err().code, parent.saves), (ErrorCode::InvalidRequest, 0));
    slot.account.as_mut().unwrap().profile.audience = Audience::Staff;
    let granted = run(&mut slot, grant(vec![Role::Admin, Role::Helpdesk, Role::Admin]), NOW, &rules());
    assert_eq!(granted.reply.unwrap().roles, [Role::Helpdesk, Role::Admin]);
    let roles = vec![Role::Helpdesk, Role::Admin];
    assert_eq!(granted.events, [AccountEvent::RolesChanged { roles, by: Actor::AdminToken }]);
    assert_eq!(run(&mut slot, grant(vec![Role::Helpdesk, Role::Admin]), NOW, &rules()).saves, 0, "no change");
    let history = &slot.account.as_ref().unwrap().history.recent()[0];
    assert_eq!((history.event, history.detail.as_deref()), (HistoryEvent::RolesChanged, Some("helpdesk,admin")));

    let account = slot.account.as_mut().unwrap();
    account.sessions.open(hash(1), NOW, 3600, 3600, None, false);
    let check =
        |slot: &mut Slot, n, need| run(slot, CheckStaff { session_hash: hash(n), need, recent: false }, NOW, &rules());
    assert_eq!(check(&mut slot, 2, Role::Helpdesk).reply.unwrap_err().code, ErrorCode::Unauthorized);
    assert_eq!(check(&mut slot, 1, Role::Admin).reply.unwrap_err().code, ErrorCode::TwoStepSetupRequired);
    let keys = rules().sealing_keys;
    let two_step = &mut slot.account.as_mut().unwrap().two_step;
    const SECRET: &[u8] = b"12345678901234567890";
    two_step.start_setup(TotpSecret::new(SECRET.to_vec()), NOW, &keys).unwrap();
    let code = format!("{:06}", code_at(SECRET, step_at(NOW), DIGITS));
    two_step.confirm_setup(&code, NOW, Vec::new(), &keys).unwrap();
    let member = check(&mut slot, 1, Role::Admin).reply.unwrap();
    assert!(matches!(&member.actor, Actor::Staff { name, .. } if name == "Ana"));
    run(&mut slot, grant(vec![Role::Helpdesk]), NOW, &rules());
    assert_eq!(check(&mut slot, 1, Role::Admin).reply.unwrap_err().code, ErrorCode::Forbidden);
    assert!(check(&mut slot, 1, Role::Helpdesk).reply.is_ok());
}

#[test]
fn a_role_acts_only_on_accounts_below_it_and_a_refusal_changes_nothing() {
    use crate::account::apply::testing::hash;
    let desk = StaffMember { actor: Actor::Staff { name: "Desk".into(), pseudonym: "00aa".into() }, roles: vec![] };
    let with = |roles: Vec<Role>| StaffMember { roles, ..desk.clone() };
    let holding = |roles: Vec<Role>| {
        let mut slot = ana();
        let account = slot.account.as_mut().unwrap();
        account.profile.audience = Audience::Staff;
        account.roles = roles;
        account.sessions.open(hash(1), NOW, 3600, 3600, None, false);
        slot
    };
    // Every staff command, from `by`, on an account holding `roles`: whether each was refused as protected.
    let refused_all = |by: StaffMember, roles: Vec<Role>| {
        let mut outcomes = Vec::new();
        macro_rules! try_command {
            ($command:expr) => {{
                let mut slot = holding(roles.clone());
                let before = slot.clone();
                let applied = run(&mut slot, $command, NOW, &rules());
                let protected = applied.reply.as_ref().is_err_and(|r| r.code == ErrorCode::AccountProtected);
                if protected {
                    assert_eq!((slot == before, applied.saves), (true, 0), "a refusal changes nothing");
                }
                outcomes.push(protected);
            }};
        }
        try_command!(Disable { by: by.clone() });
        try_command!(Enable { by: by.clone() });
        try_command!(EndSessions { by: by.clone() });
        try_command!(AdminTwoStepOff { by: by.clone() });
        try_command!(RequireChange { deadline: None, announce: true, by: by.clone() });
        try_command!(SetRoles { roles: vec![], by: by.clone() });
        outcomes
    };
    let all = |flag| vec![flag; 6];
    assert_eq!(refused_all(with(vec![Role::Helpdesk]), vec![]), all(false), "the helpdesk helps plain accounts");
    assert_eq!(refused_all(with(vec![Role::Helpdesk]), vec![Role::Helpdesk]), all(true), "not a peer");
    assert_eq!(refused_all(with(vec![Role::Helpdesk]), vec![Role::Admin]), all(true), "nor an admin");
    assert_eq!(refused_all(with(vec![Role::Admin]), vec![Role::Helpdesk]), all(false));
    assert_eq!(refused_all(with(vec![Role::Admin]), vec![Role::Admin]), all(true), "another admin: the token");
    assert_eq!(refused_all(token(), vec![Role::Admin]), all(false));

    // The helpdesk cannot give itself a role: its own account holds its own role.
    let mut own = holding(vec![Role::Helpdesk]);
    let climb = run(&mut own, SetRoles { roles: vec![Role::Admin], by: with(vec![Role::Helpdesk]) }, NOW, &rules());
    assert_eq!(climb.reply.unwrap_err().code, ErrorCode::AccountProtected);
    assert_eq!(own.account.as_ref().unwrap().roles, [Role::Helpdesk]);
}

#[test]
fn a_console_change_wants_both_factors_given_lately() {
    use crate::account::apply::testing::hash;
    use crate::account::commands::session::{CheckStaff, Reauthenticate};
    use crate::account::two_step::TotpSecret;
    use crate::otp::totp::{code_at, step_at, DIGITS};
    const SECRET: &[u8] = b"12345678901234567890";
    let code = |at: u64| format!("{:06}", code_at(SECRET, step_at(at), DIGITS));
    let mut slot = ana();
    let account = slot.account.as_mut().unwrap();
    account.profile.audience = Audience::Staff;
    account.roles = vec![Role::Helpdesk];
    let keys = rules().sealing_keys;
    account.two_step.start_setup(TotpSecret::new(SECRET.to_vec()), NOW - 100, &keys).unwrap();
    account.two_step.confirm_setup(&code(NOW - 100), NOW - 100, Vec::new(), &keys).unwrap();
    account.sessions.open(hash(1), NOW, 7200, 7200, None, true);
    let window = rules().recent_auth_secs;
    let check = |slot: &mut Slot, recent, at| {
        run(slot, CheckStaff { session_hash: hash(1), need: Role::Helpdesk, recent }, at, &rules()).reply
    };
    assert!(check(&mut slot, true, NOW + 1).is_ok(), "a login with a code, just now");
    let later = NOW + window;
    assert!(check(&mut slot, false, later).is_ok(), "reading needs no more");
    assert_eq!(check(&mut slot, true, later).unwrap_err().code, ErrorCode::ReauthenticationRequired);
    let again = |code: Option<String>| Reauthenticate {
        client: "desk".into(),
        session_hash: hash(1),
        password: OLD_PASSWORD.into(),
        code: code.map(Into::into),
        passkey: None,
    };
    assert!(run(&mut slot, again(None), later, &rules()).reply.is_ok());
    assert_eq!(
        check(&mut slot, true, later).unwrap_err().code,
        ErrorCode::ReauthenticationRequired,
        "the password alone is half of it"
    );
    let wrong = run(&mut slot, again(Some("000000".into())), later, &rules());
    assert_eq!(wrong.reply.unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
    assert!(run(&mut slot, again(Some(code(later))), later, &rules()).reply.is_ok());
    assert!(check(&mut slot, true, later + 1).is_ok(), "both, lately");
}
