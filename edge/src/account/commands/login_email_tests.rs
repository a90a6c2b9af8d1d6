use super::*;
use crate::account::apply::testing::{ana, hash, rules, run, NOW, OLD_PASSWORD};
use crate::account::commands::reset::{IssueToken, LinkStatus};
use crate::account::commands::session::Login;
use latchkey_shared::api::{HistoryEvent, Role, TokenStatus, TwoStepRequirement};

const DELAY: u64 = 86_400;
const NEW_ID: &str = "parent:ana.new@mail.org";

fn desk(roles: Vec<Role>) -> StaffMember {
    StaffMember { actor: Actor::Staff { name: "Desk".into(), pseudonym: "00aa".into() }, roles }
}

fn start(n: u8, new: &str, by: StaffMember) -> StartLoginEmailChange {
    StartLoginEmailChange {
        token_hash: hash(n),
        cancel_hash: hash(100 + n),
        new_login_email: new.into(),
        lifetime_secs: 3600,
        delay_secs: DELAY,
        account_id: "parent:ana@school.org".into(),
        mail_id: format!("mail-{n}"),
        notice_mail_id: format!("notice-{n}"),
        by,
    }
}

fn confirm(n: u8, now: u64, slot: &mut Slot) -> crate::account::apply::testing::Applied<Result<Confirmed, Refusal>> {
    run(slot, ConfirmLoginEmailChange { token_hash: hash(n) }, now, &rules())
}

fn move_out(slot: &mut Slot, now: u64) -> Option<Moving> {
    run(slot, MoveOut { to_id: NEW_ID.into() }, now, &rules()).reply
}

/// Whether anyone can use the account a slot holds (log in, reset, hold a session).
fn usable(slot: &Slot) -> bool {
    slot.account.as_ref().is_some_and(AccountState::is_active)
}

fn logs_in(slot: &mut Slot, now: u64) -> bool {
    let login = Login {
        client: "test-client".into(),
        password: OLD_PASSWORD.into(),
        code: None,
        passkey: None,
        session_hash: hash(200),
        requirement: TwoStepRequirement::default(),
        breached: None,
        password_change: Default::default(),
    };
    run(slot, login, now, &rules()).reply.is_ok()
}

#[test]
fn staff_ask_with_the_owner_told_and_a_role_holder_only_from_above() {
    let mut old = ana();
    let same = run(&mut old, start(1, "ana@school.org", desk(vec![Role::Helpdesk])), NOW, &rules());
    assert_eq!(same.reply.unwrap_err().code, ErrorCode::InvalidRequest);
    let started = run(&mut old, start(1, "ana.new@mail.org", desk(vec![Role::Helpdesk])), NOW, &rules());
    let greeting = started.reply.unwrap();
    assert_eq!(greeting.addresses, ["ana@school.org", "ana.home@mail.org"], "the owner's notice goes to both");
    assert_eq!(greeting.effective_at, NOW + DELAY);
    let account = old.account.as_ref().unwrap();
    assert_eq!(account.history.recent()[0].event, HistoryEvent::LoginEmailChangeRequested);
    assert_eq!(account.view(NOW, &rules().sealing_keys).pending_login_email.unwrap().effective_at, NOW + DELAY);

    // A staff account holding a role: the helpdesk may not touch it; an admin may move a helpdesk account; only the
    // bearer token moves an admin's.
    let mut helpdesk = ana();
    helpdesk.account.as_mut().unwrap().roles = vec![Role::Helpdesk];
    let refused = run(&mut helpdesk, start(2, "x@mail.org", desk(vec![Role::Helpdesk])), NOW, &rules());
    assert_eq!((refused.reply.unwrap_err().code, refused.saves), (ErrorCode::AccountProtected, 0));
    assert!(run(&mut helpdesk, start(2, "x@mail.org", desk(vec![Role::Admin])), NOW, &rules()).reply.is_ok());
    let mut admin = ana();
    admin.account.as_mut().unwrap().roles = vec![Role::Admin];
    let peer = run(&mut admin, start(3, "x@mail.org", desk(vec![Role::Admin])), NOW, &rules());
    assert_eq!(peer.reply.unwrap_err().code, ErrorCode::AccountProtected);
    assert!(run(&mut admin, start(3, "x@mail.org", StaffMember::admin_token()), NOW, &rules()).reply.is_ok());
}

#[test]
fn the_change_takes_effect_only_after_the_new_address_confirms_and_the_delay_ends() {
    let mut old = ana();
    run(&mut old, start(1, "ana.new@mail.org", desk(vec![Role::Helpdesk])), NOW, &rules());
    run(&mut old, start(2, "ana.new@mail.org", desk(vec![Role::Helpdesk])), NOW, &rules());
    assert_eq!(confirm(1, NOW + 10, &mut old).reply.unwrap_err().code, ErrorCode::TokenInvalid, "replaced");
    assert_eq!(confirm(2, NOW + 3600, &mut old).reply.unwrap_err().code, ErrorCode::TokenExpired);
    assert!(move_out(&mut old, NOW + DELAY).is_none(), "not confirmed: nothing moves, however long");

    let early = confirm(2, NOW + 10, &mut old);
    assert_eq!(early.reply.unwrap().effective_at, NOW + DELAY);
    assert!(!early.move_due, "confirmed, but the owner still has time to stop it");
    assert_eq!(early.events, [AccountEvent::LoginEmailChangeConfirmed]);
    assert!(move_out(&mut old, NOW + DELAY - 1).is_none());
    assert_eq!(old.account.as_ref().unwrap().wake_in(NOW + 10), Some(DELAY - 10), "the alarm comes when it ends");
    let again = confirm(2, NOW + 7200, &mut old);
    assert!(again.reply.is_ok() && again.events.is_empty(), "the link opened again after it expired: the same");
    assert!(logs_in(&mut old, NOW + 20), "meanwhile, nothing changed for the owner");

    let moving = move_out(&mut old, NOW + DELAY).expect("due: it moves");
    assert_eq!(
        (moving.account.profile.login_email.as_str(), moving.former_login_email.as_str()),
        ("ana.new@mail.org", "ana@school.org")
    );
    assert_eq!(moving.account.sessions.live(NOW + DELAY), 0, "every session ends");
    assert!(moving.account.email_verified, "the new address proved itself");
}

#[test]
fn the_owner_cancels_with_the_link_mailed_to_the_old_address() {
    let mut old = ana();
    run(&mut old, start(1, "ana.new@mail.org", desk(vec![Role::Helpdesk])), NOW, &rules());
    let wrong = run(&mut old, CancelLoginEmailChange { cancel_hash: hash(1) }, NOW, &rules());
    assert_eq!(wrong.reply.unwrap_err().code, ErrorCode::TokenInvalid, "the new address's link does not cancel");
    confirm(1, NOW + 5, &mut old).reply.unwrap();
    let cancelled = run(&mut old, CancelLoginEmailChange { cancel_hash: hash(101) }, NOW + 10, &rules());
    assert_eq!(cancelled.reply.unwrap().login_email, "ana@school.org");
    assert_eq!(cancelled.events, [AccountEvent::LoginEmailChangeCancelled { reason: "by_owner" }]);
    assert_eq!(confirm(1, NOW + 11, &mut old).reply.unwrap_err().code, ErrorCode::TokenInvalid);
    assert!(move_out(&mut old, NOW + DELAY).is_none());
    assert!(old.account.as_ref().unwrap().login_email_change.is_none());
}

#[test]
fn roles_never_travel_on_the_request_of_a_lower_role() {
    let mut old = ana();
    run(&mut old, start(1, "ana.new@mail.org", desk(vec![Role::Helpdesk])), NOW, &rules());
    confirm(1, NOW + 5, &mut old).reply.unwrap();
    // An admin made the account a helpdesk's meanwhile: the desk's request no longer carries it anywhere.
    old.account.as_mut().unwrap().roles = vec![Role::Helpdesk];
    let out = run(&mut old, MoveOut { to_id: NEW_ID.into() }, NOW + DELAY, &rules());
    assert!(out.reply.is_none());
    assert_eq!(out.events, [AccountEvent::LoginEmailChangeCancelled { reason: "account_protected" }]);
    assert!(usable(&old) && old.account.as_ref().unwrap().login_email_change.is_none());
}

/// Where a step of the move is lost: its request never reaches the object, or its answer never comes back.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Lost {
    Before,
    After,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Out,
    In,
    Away,
}

/// The shell's move (`object.rs`), step by step, losing `fail` if given; whether it finished.
fn drive(old: &mut Slot, new: &mut Slot, now: u64, fail: Option<(Step, Lost)>) -> bool {
    let lost = |step, when| fail == Some((step, when));
    if lost(Step::Out, Lost::Before) {
        return false;
    }
    let Some(moving) = move_out(old, now) else { return false };
    if lost(Step::Out, Lost::After) || lost(Step::In, Lost::Before) {
        return false;
    }
    let change = moving.change.clone();
    let arrived = run(new, MoveIn { moving, taken_in_earlier_form: false }, now, &rules()).reply;
    if lost(Step::In, Lost::After) {
        return false;
    }
    match arrived {
        Ok(()) => {
            if lost(Step::Away, Lost::Before) {
                return false;
            }
            run(old, MovedAway { change }, now, &rules());
            !lost(Step::Away, Lost::After)
        }
        Err(_) => {
            run(old, MoveAborted { change }, now, &rules());
            true
        }
    }
}

#[test]
fn a_failure_at_any_step_leaves_at_most_one_usable_account_and_the_retry_exactly_one() {
    for step in [Step::Out, Step::In, Step::Away] {
        for when in [Lost::Before, Lost::After] {
            let mut old = ana();
            run(&mut old, start(1, "ana.new@mail.org", StaffMember::admin_token()), NOW, &rules());
            confirm(1, NOW, &mut old).reply.unwrap();
            let mut new = Slot::default();
            let at = NOW + DELAY;
            assert!(!drive(&mut old, &mut new, at, Some((step, when))), "{step:?} {when:?}");
            let both = usize::from(usable(&old)) + usize::from(usable(&new));
            assert!(both <= 1, "{step:?} lost {when:?}: two accounts anyone can use");
            assert!(old.account.is_some() || new.account.is_some(), "{step:?} {when:?}: the account is somewhere");
            assert!(!(usable(&old) && logs_in(&mut new, at)), "never the old and the new");

            // The alarm tries again (on an object already let go, it finds nothing to do).
            drive(&mut old, &mut new, at + 30, None);
            assert_eq!((usable(&old), usable(&new)), (false, true), "{step:?} {when:?}");
            assert!(old.account.is_none(), "the old name holds nothing");
            assert!(logs_in(&mut new, at + 31), "{step:?} {when:?}: the same password, under the new name");
            let history = new.account.as_ref().unwrap().history.recent();
            assert!(history.iter().any(|e| e.event == HistoryEvent::LoginEmailChanged));
        }
    }
}

#[test]
fn a_moving_account_is_no_account_until_it_has_arrived() {
    let mut old = ana();
    run(&mut old, start(1, "ana.new@mail.org", StaffMember::admin_token()), NOW, &rules());
    confirm(1, NOW, &mut old).reply.unwrap();
    let first = run(&mut old, MoveOut { to_id: NEW_ID.into() }, NOW + DELAY, &rules());
    assert_eq!(first.saves, 1, "marked moving, and the change spent, in one write");
    assert!(!logs_in(&mut old, NOW + DELAY), "the old name logs nobody in while the account moves");
    assert_eq!(confirm(1, NOW + DELAY, &mut old).reply.unwrap_err().code, ErrorCode::TokenUsed, "spent");
    let cancel = run(&mut old, CancelLoginEmailChange { cancel_hash: hash(101) }, NOW + DELAY, &rules());
    assert_eq!(cancel.reply.unwrap_err().code, ErrorCode::TokenUsed, "too late to cancel");
    let again = run(&mut old, MoveOut { to_id: NEW_ID.into() }, NOW + DELAY + 30, &rules());
    assert_eq!((again.saves, again.reply.map(|m| m.change)), (0, Some(hash(1))), "the same move, again");
    assert_eq!(old.account.as_ref().unwrap().wake_in(NOW + DELAY), Some(crate::account::state::MOVE_RETRY_SECS));
}

#[test]
fn a_new_name_taken_meanwhile_calls_the_move_off_and_the_account_works_again() {
    let mut old = ana();
    run(&mut old, start(1, "ana.new@mail.org", StaffMember::admin_token()), NOW, &rules());
    confirm(1, NOW, &mut old).reply.unwrap();
    // A reset link mailed to the old address just before the move: it dies at the move, called off or not.
    let link = |slot: &mut Slot, now| run(slot, LinkStatus { token_hash: hash(50) }, now, &rules()).reply.status;
    let issued = IssueToken { token_hash: hash(50), lifetime_secs: 3600, mail_id: None, by: None };
    assert!(run(&mut old, issued, NOW + DELAY - 60, &rules()).reply.unwrap().is_some());
    assert_eq!(link(&mut old, NOW + DELAY - 30), TokenStatus::Ok);
    let mut taken = ana();
    assert!(drive(&mut old, &mut taken, NOW + DELAY, None));
    assert_eq!(link(&mut old, NOW + DELAY + 1), TokenStatus::Superseded, "the links stay ended");
    assert_eq!(taken, ana(), "the other account is untouched");
    let history = old.account.as_ref().unwrap().history.recent();
    assert_eq!(
        (history[0].event, history[0].detail.as_deref()),
        (HistoryEvent::LoginEmailChangeCancelled, Some("address_taken"))
    );
    assert!(usable(&old) && logs_in(&mut old, NOW + DELAY + 1));

    let mut new = Slot::default();
    let moving = {
        let mut other = ana();
        run(&mut other, start(2, "ana.new@mail.org", StaffMember::admin_token()), NOW, &rules());
        confirm(2, NOW, &mut other).reply.unwrap();
        move_out(&mut other, NOW + DELAY).unwrap()
    };
    // The earlier form of the new name holds an account: the new object stays empty and the move is called off.
    let mut empty = Slot::default();
    let taken = run(&mut empty, MoveIn { moving: moving.clone(), taken_in_earlier_form: true }, NOW + DELAY, &rules());
    assert_eq!((taken.reply.unwrap_err().code, taken.saves), (ErrorCode::AccountExists, 0));
    assert_eq!(empty, Slot::default());
    let arrived = run(&mut new, MoveIn { moving: moving.clone(), taken_in_earlier_form: false }, NOW + DELAY, &rules());
    assert!(arrived.reply.is_ok() && arrived.flush_outbox);
    let notice = new.account.as_ref().unwrap().outbox.pending.last().unwrap();
    assert_eq!(notice.to, ["ana@school.org", "ana.home@mail.org"], "the old address and the contact");
    let twice = run(&mut new, MoveIn { moving, taken_in_earlier_form: false }, NOW + DELAY + 30, &rules());
    assert_eq!((twice.reply, twice.saves), (Ok(()), 0), "the same move arriving again is no conflict");
}

/// SECURITY.md: the history is built from the audit events, so whatever a life brings — links, passwords, failed
/// logins, a new login email, a bounced mail — none of its addresses, tokens or passwords are in it.
#[test]
fn a_whole_life_leaves_no_address_token_or_password_in_the_history() {
    use crate::account::commands::delivery::{MailSettled, NoteMailEvent};
    use crate::account::commands::reset::Reset;
    let mut slot = ana();
    let new_password = "Brand-New-Pass-93!";
    assert!(run(
        &mut slot,
        IssueToken { token_hash: hash(1), lifetime_secs: 3600, mail_id: None, by: None },
        NOW,
        &rules()
    )
    .reply
    .is_ok());
    let reset: Reset = serde_json::from_value(serde_json::json!({
        "token_hash": hash(1), "password": new_password, "confirm": new_password, "breached": false,
    }))
    .unwrap();
    assert_eq!(run(&mut slot, reset, NOW + 1, &rules()).reply, Ok(0));
    let wrong: Login =
        serde_json::from_value(serde_json::json!({"password": "Wrong-Pass-11!", "session_hash": hash(2)})).unwrap();
    assert!(run(&mut slot, wrong, NOW + 2, &rules()).reply.is_err());
    let right: Login =
        serde_json::from_value(serde_json::json!({"password": new_password, "session_hash": hash(3)})).unwrap();
    assert!(run(&mut slot, right, NOW + 3, &rules()).reply.is_ok());
    assert!(run(&mut slot, start(4, "ana.new@mail.org", desk(vec![Role::Admin])), NOW + 4, &rules()).reply.is_ok());
    assert!(confirm(4, NOW + 5, &mut slot).reply.is_ok());
    run(
        &mut slot,
        NoteMailEvent { kind: latchkey_shared::api::MailEventKind::Bounced, at: NOW + 6, address: String::new() },
        NOW + 6,
        &rules(),
    );
    run(&mut slot, MailSettled { id: "mail-4".into(), dead_lettered: Some("refused".into()) }, NOW + 7, &rules());

    let history = slot.account.as_ref().unwrap().history.recent();
    assert!(history.len() >= 6, "the life is on record: {history:?}");
    let written = serde_json::to_string(&history).unwrap();
    for secret in [
        "ana@school.org",
        "ana.home@mail.org",
        "ana.new@mail.org",
        "@",
        OLD_PASSWORD,
        new_password,
        "Wrong-Pass-11!",
        hash(1).0.as_str(),
        hash(3).0.as_str(),
        hash(4).0.as_str(),
        hash(104).0.as_str(),
    ] {
        assert!(!written.contains(secret), "{secret} in the history: {written}");
    }
}
