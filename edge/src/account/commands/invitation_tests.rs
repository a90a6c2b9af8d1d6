use super::*;
use crate::account::apply::testing::{ana, hash, rules, run, NOW};
use crate::account::commands::admin::Disable;
use crate::account::commands::delivery::{NoteMailEvent, RequeueLostMail};
use crate::account::passkeys::Challenge;
use crate::account::throttle::RESET_ATTEMPTS;
use latchkey_shared::api::{AccountStatus, Actor, InvitationStatus, MailEventKind, Role};

const GOOD: &str = "Otter-Lantern-42-Quiet";
const WEEK: u64 = 7 * 86_400;

fn bea() -> Profile {
    Profile {
        login_email: "bea@school.org".into(),
        contact_email: None,
        audience: Audience::Parent,
        display_name: "Bea".into(),
        locale: Locale::Es,
        status: AccountStatus::Active,
    }
}

fn link(n: u8) -> Link {
    Link {
        hash: hash(n),
        lifetime_secs: WEEK,
        by: Actor::AdminToken,
        mail_id: format!("invite-{n}"),
        remind_before_secs: None,
    }
}

fn invite(n: u8, profile: Option<Profile>) -> Invite {
    Invite { profile, link: link(n), by: StaffMember::admin_token() }
}

fn invited(n: u8) -> Slot {
    let mut slot = Slot::default();
    run(&mut slot, invite(n, Some(bea())), NOW, &rules()).reply.unwrap();
    slot
}

fn accept(n: u8, password: &str, confirm: &str) -> AcceptInvitation {
    AcceptInvitation {
        token_hash: hash(n),
        password: password.into(),
        confirm: confirm.into(),
        breached: None,
        session_hash: hash(100 + n),
        requirement: TwoStepRequirement::default(),
    }
}

fn check(slot: &mut Slot, n: u8, now: u64) -> Result<InvitationCheckResponse, Refusal> {
    run(slot, InvitationLink { token_hash: hash(n) }, now, &rules()).reply
}

fn status(slot: &Slot, now: u64) -> InvitationStatus {
    slot.account.as_ref().unwrap().invitation_view(now).unwrap().status
}

#[test]
fn an_invitation_makes_the_account_without_a_password_and_a_second_one_replaces_the_first() {
    let mut slot = Slot::default();
    let first = run(&mut slot, invite(1, Some(bea())), NOW, &rules());
    let sent = first.reply.unwrap();
    assert_eq!((sent.to.as_str(), sent.locale, sent.expires_at), ("bea@school.org", Locale::Es, NOW + WEEK));
    assert_eq!(first.events, [AccountEvent::Invited { by: Actor::AdminToken, again: false }]);
    let account = slot.account.as_ref().unwrap();
    assert!(account.credential.hash.is_none(), "no password until the person chooses one");
    assert_eq!(account.outbox.recent_mail()[0].kind, INVITATION_KIND);
    let renamed = Profile { display_name: "Beatriz".into(), ..bea() };
    let again = run(&mut slot, invite(2, Some(renamed)), NOW + 60, &rules());
    assert_eq!(again.events, [AccountEvent::Invited { by: Actor::AdminToken, again: true }]);
    let view = again.reply.unwrap().view;
    assert_eq!((view.sends, view.invited_at, view.sent_at, view.display_name.as_str()), (2, NOW, NOW + 60, "Beatriz"));
    assert_eq!(check(&mut slot, 1, NOW + 60).unwrap().status, TokenStatus::Superseded, "only the newest works");
    assert_eq!(check(&mut slot, 2, NOW + 60).unwrap().status, TokenStatus::Ok);
    // A re-send with no new details keeps them.
    run(&mut slot, invite(3, None), NOW + 120, &rules()).reply.unwrap();
    assert_eq!(slot.account.as_ref().unwrap().profile.display_name, "Beatriz");
    let nobody = run(&mut Slot::default(), invite(4, None), NOW, &rules());
    assert_eq!(nobody.reply.unwrap_err().code, ErrorCode::InvitationNotFound);
}

#[test]
fn an_account_already_set_up_is_never_invited_and_staff_invite_only_below_them() {
    let mut slot = ana();
    let refused = run(&mut slot, invite(1, None), NOW, &rules()).reply.unwrap_err();
    assert_eq!(refused.code, ErrorCode::AccountExists);
    assert_eq!(refused.detail.as_deref(), Some("ana@school.org already has a parent account"));
    let mut slot = invited(1);
    slot.account.as_mut().unwrap().roles = vec![Role::Admin];
    let desk = StaffMember {
        actor: Actor::Staff { name: "Desk".into(), pseudonym: "00aa".into() },
        roles: vec![Role::Helpdesk],
    };
    let by_desk = Invite { by: desk.clone(), ..invite(2, None) };
    assert_eq!(run(&mut slot, by_desk, NOW, &rules()).reply.unwrap_err().code, ErrorCode::AccountProtected);
    let revoke = run(&mut slot, RevokeInvitation { by: desk }, NOW, &rules());
    assert_eq!((revoke.reply.unwrap_err().code, revoke.saves), (ErrorCode::AccountProtected, 0));
}

#[test]
fn opening_the_link_consumes_nothing_and_is_seen_once() {
    let mut slot = invited(1);
    let opened = run(&mut slot, InvitationLink { token_hash: hash(1) }, NOW + 5, &rules());
    let live = opened.reply.unwrap();
    assert_eq!((live.status, live.login_email.as_deref(), opened.saves), (TokenStatus::Ok, Some("bea@school.org"), 1));
    assert_eq!(status(&slot, NOW + 5), InvitationStatus::Opened);
    let again = run(&mut slot, InvitationLink { token_hash: hash(1) }, NOW + 9, &rules());
    assert_eq!((again.reply.unwrap().status, again.saves), (TokenStatus::Ok, 0));
    let view = slot.account.as_ref().unwrap().invitation_view(NOW).unwrap();
    assert_eq!(view.opened_at, Some(NOW + 5));
    let wrong = check(&mut slot, 9, NOW).unwrap();
    assert_eq!((wrong.status, wrong.login_email, wrong.audience), (TokenStatus::Invalid, None, None));
    assert_eq!(check(&mut Slot::default(), 1, NOW).unwrap().status, TokenStatus::Invalid);
}

#[test]
fn accepting_sets_the_first_password_verifies_the_address_and_logs_in_once() {
    let mut slot = invited(1);
    let mismatch = run(&mut slot, accept(1, GOOD, "other"), NOW, &rules());
    assert_eq!((mismatch.reply.unwrap_err().code, mismatch.saves), (ErrorCode::PasswordMismatch, 1));
    let weak = run(&mut slot, accept(1, "short", "short"), NOW, &rules());
    assert_eq!(weak.reply.unwrap_err().code, ErrorCode::PasswordRejected);
    let done = run(&mut slot, accept(1, GOOD, GOOD), NOW + 10, &rules());
    let info = done.reply.unwrap();
    assert_eq!((info.email.as_str(), info.audience), ("bea@school.org", Audience::Parent));
    assert_eq!(done.events, [AccountEvent::InvitationAccepted]);
    let account = slot.account.as_ref().unwrap();
    assert!(account.email_verified && account.credential.hash.is_some());
    assert!(account.has_session(&hash(101), NOW + 10), "logged in");
    assert_eq!(account.outbox.pending.len(), 0, "no 'password changed' notice for the first one");
    let view = account.invitation_view(NOW + WEEK * 2).unwrap();
    assert_eq!((view.status, view.accepted_at), (InvitationStatus::Accepted, Some(NOW + 10)), "never expires");
    let used = run(&mut slot, accept(1, GOOD, GOOD), NOW + 20, &rules());
    assert_eq!((used.reply.unwrap_err().code, used.saves), (ErrorCode::TokenUsed, 0));
    assert_eq!(run(&mut slot, invite(2, None), NOW, &rules()).reply.unwrap_err().code, ErrorCode::AccountExists);
}

#[test]
fn a_revoked_expired_or_superseded_link_says_which_and_a_disabled_account_cannot_accept() {
    let mut slot = invited(1);
    let revoked = run(&mut slot, RevokeInvitation { by: StaffMember::admin_token() }, NOW, &rules());
    assert_eq!(revoked.reply.unwrap().status, InvitationStatus::Revoked);
    assert_eq!(revoked.events, [AccountEvent::InvitationRevoked { by: Actor::AdminToken }]);
    assert_eq!(check(&mut slot, 1, NOW).unwrap().status, TokenStatus::Revoked);
    assert_eq!(run(&mut slot, accept(1, GOOD, GOOD), NOW, &rules()).reply.unwrap_err().code, ErrorCode::TokenRevoked);
    let twice = run(&mut slot, RevokeInvitation { by: StaffMember::admin_token() }, NOW, &rules());
    assert_eq!(twice.reply.unwrap_err().code, ErrorCode::InvitationNotFound);
    // Invited again after a revocation: a working link again.
    run(&mut slot, invite(2, None), NOW + 1, &rules()).reply.unwrap();
    assert_eq!(status(&slot, NOW + 1), InvitationStatus::Sent);
    let late = NOW + 1 + WEEK;
    assert_eq!(status(&slot, late), InvitationStatus::Expired);
    assert_eq!(run(&mut slot, accept(2, GOOD, GOOD), late, &rules()).reply.unwrap_err().code, ErrorCode::TokenExpired);
    run(&mut slot, invite(3, None), NOW + 2, &rules()).reply.unwrap();
    let superseded = run(&mut slot, accept(2, GOOD, GOOD), NOW + 2, &rules());
    assert_eq!(superseded.reply.unwrap_err().code, ErrorCode::TokenSuperseded);
    run(&mut slot, Disable { by: StaffMember::admin_token() }, NOW + 3, &rules());
    assert_eq!(check(&mut slot, 3, NOW + 3).unwrap_err().code, ErrorCode::AccountDisabled);
    let disabled = run(&mut slot, accept(3, GOOD, GOOD), NOW + 3, &rules());
    assert_eq!(disabled.reply.unwrap_err().code, ErrorCode::AccountDisabled);
    assert_eq!(run(&mut slot, invite(4, None), NOW, &rules()).reply.unwrap_err().code, ErrorCode::AccountDisabled);
}

#[test]
fn tries_with_a_live_link_are_throttled_like_a_reset() {
    let mut slot = invited(1);
    for _ in 0..RESET_ATTEMPTS.allowed {
        run(&mut slot, accept(1, "short", "short"), NOW, &rules()).reply.unwrap_err();
    }
    let throttled = run(&mut slot, accept(1, GOOD, GOOD), NOW, &rules());
    assert_eq!(throttled.reply.unwrap_err().code, ErrorCode::RateLimited);
    assert_eq!((throttled.saves, throttled.events), (0, vec![AccountEvent::ResetAttemptThrottled]));
    let later = run(&mut slot, accept(1, GOOD, GOOD), NOW + RESET_ATTEMPTS.window_secs, &rules());
    assert!(later.reply.is_ok());
}

#[test]
fn the_provider_events_about_its_own_mail_show_delivered_or_bounced() {
    let mut slot = invited(1);
    let note = |kind, at, address: &str| NoteMailEvent { kind, at, address: address.into() };
    let earlier = run(&mut slot, note(MailEventKind::Delivered, NOW - 1, "bea@school.org"), NOW, &rules());
    assert_eq!((earlier.saves, status(&slot, NOW)), (0, InvitationStatus::Sent), "an earlier mail's");
    let contact = run(&mut slot, note(MailEventKind::Delivered, NOW + 1, "bea@home.example"), NOW, &rules());
    assert_eq!(contact.saves, 0, "not the address it went to");
    let delivered = run(&mut slot, note(MailEventKind::Delivered, NOW + 1, "bea@school.org"), NOW, &rules());
    assert_eq!((delivered.saves, delivered.events.len()), (1, 0));
    assert_eq!(status(&slot, NOW + 2), InvitationStatus::Delivered);
    let bounced = run(&mut slot, note(MailEventKind::Bounced, NOW + 2, "bea@school.org"), NOW, &rules());
    assert_eq!(bounced.events, [AccountEvent::MailReported { kind: MailEventKind::Bounced }]);
    assert_eq!(status(&slot, NOW + 2), InvitationStatus::Bounced);
    // A new invitation starts over.
    run(&mut slot, invite(2, None), NOW + 3, &rules()).reply.unwrap();
    assert_eq!(status(&slot, NOW + 3), InvitationStatus::Sent);
}

#[test]
fn the_reminder_is_mailed_once_before_expiry_when_asked_for() {
    let mut slot = Slot::default();
    let lead = 2 * 86_400;
    let with_reminder = Invite { link: Link { remind_before_secs: Some(lead), ..link(1) }, ..invite(1, Some(bea())) };
    let sent = run(&mut slot, with_reminder, NOW, &rules());
    assert!(sent.flush_outbox, "the alarm is set with the outbox's");
    let due = NOW + WEEK - lead;
    assert_eq!(slot.account.as_ref().unwrap().wake_in(NOW), Some(due - NOW));
    run(&mut slot, RequeueLostMail {}, due - 1, &rules());
    assert!(slot.account.as_ref().unwrap().outbox.pending.is_empty(), "not yet");
    run(&mut slot, RequeueLostMail {}, due, &rules());
    let pending = &slot.account.as_ref().unwrap().outbox.pending;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].kind, crate::mail::job::Kind::InvitationReminder { expires_at: NOW + WEEK });
    run(&mut slot, RequeueLostMail {}, due + 60, &rules());
    assert_eq!(slot.account.as_ref().unwrap().outbox.pending.len(), 1, "once");
    // Off unless configured.
    let mut plain = invited(1);
    run(&mut plain, RequeueLostMail {}, due, &rules());
    assert!(plain.account.as_ref().unwrap().outbox.pending.is_empty());
}

#[test]
fn a_link_whose_mail_was_not_queued_is_taken_back() {
    let mut slot = invited(1);
    run(&mut slot, invite(2, None), NOW + 1, &rules()).reply.unwrap();
    run(&mut slot, WithdrawInvitation { token_hash: hash(2), mail_id: "invite-2".into() }, NOW + 1, &rules());
    assert_eq!(check(&mut slot, 1, NOW + 1).unwrap().status, TokenStatus::Ok, "the one it replaced works again");
    run(&mut slot, WithdrawInvitation { token_hash: hash(1), mail_id: "invite-1".into() }, NOW + 1, &rules());
    assert!(slot.account.as_ref().unwrap().invitation.is_none(), "never mailed: no invitation");
}

#[test]
fn the_same_mail_asked_for_again_is_not_sent_twice() {
    let mut slot = invited(1);
    let retried = Invite { link: Link { hash: hash(2), ..link(1) }, ..invite(2, Some(bea())) };
    let again = run(&mut slot, retried, NOW + 5, &rules());
    assert_eq!((again.reply.unwrap().repeated, again.saves, again.events.len()), (true, 0, 0));
    assert_eq!(check(&mut slot, 1, NOW + 5).unwrap().status, TokenStatus::Ok, "the first link still works");
    assert!(!run(&mut slot, invite(2, None), NOW + 6, &rules()).reply.unwrap().repeated, "a new mail is new");
}

#[tokio::test]
async fn a_passkey_instead_of_a_password_sets_the_account_up_with_two_step_verification_on() {
    use crate::account::apply::Rules;
    use crate::account::passkeys::{Purpose, CEREMONY_SECS};
    use crate::webauthn::data::encode;
    use crate::webauthn::tests::{phone, register, school};
    let rules = Rules { relying_party: school(), ..rules() };
    let mut slot = invited(1);
    let options = |n| InvitationPasskeyOptions { token_hash: hash(n), fresh_handle: [7; 16] };
    let context = run(&mut slot, options(1), NOW, &rules).reply.unwrap();
    assert_eq!((context.login_email.as_str(), context.exclude.len()), ("bea@school.org", 0));
    assert_eq!(run(&mut slot, options(9), NOW, &rules).reply.unwrap_err().code, ErrorCode::TokenInvalid);
    let mut device = phone(coset::iana::Algorithm::ES256, true);
    let made = register(&mut device, "https://school.example", b"welcome-1", "preferred").await;
    let challenge =
        Challenge { challenge: encode(b"welcome-1"), expires_at: NOW + CEREMONY_SECS, purpose: Purpose::Register };
    let accept = |n, credential| AcceptInvitationWithPasskey {
        token_hash: hash(n),
        challenge: challenge.clone(),
        credential,
        name: None,
        fallback_name: "Chrome".into(),
        recovery_hashes: vec!["h1".into()],
        session_hash: hash(101),
        requirement: TwoStepRequirement::default(),
    };
    let done = run(&mut slot, accept(1, made.clone()), NOW + 5, &rules);
    assert!(done.reply.unwrap().two_step.enabled, "the passkey is the second step from now on");
    assert!(done.events.contains(&AccountEvent::InvitationAccepted));
    let account = slot.account.as_ref().unwrap();
    assert!(account.credential.hash.is_none() && account.email_verified && account.has_session(&hash(101), NOW + 5));
    assert_eq!((account.two_step.passkeys.list.len(), account.two_step.recovery.clone()), (1, vec!["h1".to_owned()]));
    assert_eq!(status(&slot, NOW + 5), InvitationStatus::Accepted);
    let used = run(&mut slot, accept(1, made), NOW + 6, &rules);
    assert_eq!(used.reply.unwrap_err().code, ErrorCode::TokenUsed);
    assert_eq!(run(&mut slot, options(1), NOW + 6, &rules).reply.unwrap_err().code, ErrorCode::TokenUsed);
}
