//! The reset journey's commands: issue a link, check one, take one back, set the new password.

use crate::account::apply::{change_account, Apply, Context, Outcome, Slot};
use crate::account::authority;
use crate::account::refusal::Refusal;
use crate::account::state::ResetInput;
use crate::account::two_step::Proof;
use crate::account::two_step::{factor, PasskeyAnswer};
use crate::audit::AccountEvent;
use crate::token::TokenHash;
use latchkey_shared::api::{MailState, StaffMember, TokenStatus, VerifyResponse};
use latchkey_shared::{Audience, ErrorCode, Locale, Secret};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
pub struct IssueToken {
    pub token_hash: TokenHash,
    pub lifetime_secs: u32,
    /// The id the link's mail will be queued under, so the account can say what became of it.
    #[serde(default)]
    pub mail_id: Option<String>,
    /// Staff who sent it from the console (or the admin API); none when the person asked.
    #[serde(default)]
    pub by: Option<StaffMember>,
}

/// Where a newly issued link goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub to: String,
    pub display_name: String,
    pub audience: Audience,
    pub locale: Locale,
}

impl Apply for IssueToken {
    /// `Ok(None)`: nothing to send, and nothing the requester can tell apart — no account, a disabled one, or one
    /// that has had its links for this window. `Err` only for staff, on an account holding a role at or above theirs.
    type Reply = Result<Option<Recipient>, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Ok(None)) };
        if let Some(refusal) = self.by.as_ref().and_then(|by| authority::check(account, by).err()) {
            return Outcome::reply(Err(refusal));
        }
        let by = self.by.map(|by| by.actor);
        match account.issue_token(self.token_hash, cx.now, self.lifetime_secs) {
            Ok(()) => {
                if let Some(id) = &self.mail_id {
                    account.outbox.record(id, crate::mail::job::RESET_KIND, cx.now);
                }
                let p = &account.profile;
                let to = Recipient {
                    to: p.login_email.clone(),
                    display_name: p.display_name.clone(),
                    audience: p.audience,
                    locale: p.locale,
                };
                Outcome::reply(Ok(Some(to))).saved().event(AccountEvent::ResetLinkIssued { by })
            }
            Err(refusal) if refusal.code == ErrorCode::RateLimited => {
                Outcome::reply(Ok(None)).saved().event(AccountEvent::ResetRequestThrottled)
            }
            Err(_) => Outcome::reply(Ok(None)),
        }
    }
}

/// Whether a link works. Never consumes it (mail scanners follow links).
#[derive(Debug, Serialize, Deserialize)]
pub struct LinkStatus {
    pub token_hash: TokenHash,
}

impl Apply for LinkStatus {
    type Reply = VerifyResponse;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_ref() else {
            return Outcome::reply(VerifyResponse {
                status: TokenStatus::Invalid,
                audience: None,
                login_email: None,
                two_step: false,
            });
        };
        let status = account.token_status(&self.token_hash, cx.now);
        // Only a working link learns whose rules apply and whether a code will be asked for.
        let live = status == TokenStatus::Ok;
        Outcome::reply(VerifyResponse {
            status,
            audience: live.then_some(account.profile.audience),
            login_email: live.then(|| crate::email::display(&account.profile.login_email)),
            two_step: live && account.two_step.enabled(),
        })
    }
}

/// The link's mail could not be sent: take it back.
#[derive(Debug, Serialize, Deserialize)]
pub struct WithdrawToken {
    pub token_hash: TokenHash,
    /// The mail that could not be queued.
    #[serde(default)]
    pub mail_id: Option<String>,
}

impl Apply for WithdrawToken {
    type Reply = ();

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<()> {
        change_account(slot, |account| {
            account.withdraw_token(&self.token_hash);
            if let Some(id) = &self.mail_id {
                account.outbox.report(id, MailState::NotQueued, None, cx.now);
            }
        })
    }
}

/// A new password through a link: all of it or none of it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Reset {
    pub token_hash: TokenHash,
    pub password: Secret<String>,
    pub confirm: Secret<String>,
    /// The breach check's verdict, when it could be had.
    pub breached: Option<bool>,
    #[serde(default)]
    pub code: Option<Secret<String>>,
    #[serde(default)]
    pub passkey: Option<PasskeyAnswer>,
}

impl Apply for Reset {
    /// How many sessions were logged out.
    type Reply = Result<u32, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(ErrorCode::TokenInvalid.into())) };
        if let Err(refusal) = account.admit_reset_attempt(&self.token_hash, cx.now) {
            return Outcome::reply(Err(refusal)).event(AccountEvent::ResetAttemptThrottled);
        }
        // The attempt, and a wrong code, are on record whatever comes next.
        let factor = factor(self.code.as_ref(), self.passkey.as_ref(), &cx.rules.relying_party);
        match account.reset_proof(&self.token_hash, factor, cx.now, &cx.rules.sealing_keys) {
            Err(refusal) => {
                let code = refusal.code;
                Outcome::reply(Err(refusal)).saved().event(AccountEvent::TwoStepCodeRefused(code))
            }
            Ok(proof) => Outcome::checkpoint(move |slot, cx| self.set_password(proof, slot, cx)),
        }
    }
}

impl Reset {
    fn set_password(self, proof: Option<Proof>, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Result<u32, Refusal>> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(ErrorCode::TokenInvalid.into())) };
        let input = ResetInput {
            token: &self.token_hash,
            password: self.password.expose_str(),
            confirm: self.confirm.expose_str(),
            breached: self.breached,
            proof,
        };
        match account.reset_password(input, cx.now, &cx.rules.policy, cx.hasher, cx.ids.notice.clone()) {
            Ok(revoked_sessions) => super::password::changed(account, revoked_sessions, cx),
            Err(refusal) => Outcome::reply(Err(refusal)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::apply::testing::{ana, hash, rules, run, NOW};
    use crate::account::apply::Rules;
    use crate::account::commands::admin::Disable;
    use crate::account::throttle::{RESET_ATTEMPTS, RESET_REQUESTS};
    use crate::account::two_step::TotpSecret;
    use crate::otp::totp::{code_at, step_at, DIGITS};

    const GOOD: &str = "Otter-Lantern-42-Quiet";
    const SECRET: &[u8] = b"12345678901234567890";

    fn code(now: u64) -> Secret<String> {
        format!("{:06}", code_at(SECRET, step_at(now), DIGITS)).into()
    }

    fn enrolled() -> Slot {
        let mut slot = ana();
        let two_step = &mut slot.account.as_mut().unwrap().two_step;
        two_step.start_setup(TotpSecret::new(SECRET.to_vec()), NOW - 600, &rules().sealing_keys).unwrap();
        two_step.confirm_setup(code(NOW - 600).expose_str(), NOW - 600, vec![], &rules().sealing_keys).unwrap();
        slot
    }

    fn issue_token(n: u8) -> IssueToken {
        IssueToken { token_hash: hash(n), lifetime_secs: 3600, mail_id: Some(format!("mail-{n}")), by: None }
    }

    fn issue(slot: &mut Slot, n: u8, now: u64) -> Option<Recipient> {
        run(slot, issue_token(n), now, &rules()).reply.expect("a person's request is never refused")
    }

    fn reset(n: u8, password: &str, code: Option<Secret<String>>) -> Reset {
        Reset {
            token_hash: hash(n),
            password: password.into(),
            confirm: password.into(),
            breached: None,
            code,
            passkey: None,
        }
    }

    #[test]
    fn a_throttled_or_disabled_request_answers_like_no_account() {
        let mut slot = ana();
        for n in 0..RESET_REQUESTS.allowed as u8 {
            assert_eq!(issue(&mut slot, n, NOW).map(|r| r.to), Some("ana@school.org".into()));
        }
        let throttled = run(&mut slot, issue_token(9), NOW, &rules());
        let unknown = run(&mut Slot::default(), issue_token(9), NOW, &rules());
        assert_eq!((throttled.reply, unknown.reply), (Ok(None), Ok(None)));
        assert_eq!(throttled.events, [AccountEvent::ResetRequestThrottled]);
        assert_eq!((throttled.saves, unknown.saves), (1, 0));
        run(&mut slot, Disable { by: StaffMember::admin_token() }, NOW, &rules());
        let disabled = run(&mut slot, issue_token(10), NOW + 3600, &rules());
        assert_eq!((disabled.reply, disabled.saves, disabled.events), (Ok(None), 0, vec![]));
    }

    #[test]
    fn staff_send_a_link_only_to_an_account_below_them() {
        use latchkey_shared::api::{Actor, Role};
        let desk = StaffMember {
            actor: Actor::Staff { name: "Desk".into(), pseudonym: "00aa".into() },
            roles: vec![Role::Helpdesk],
        };
        let by_desk = |n| IssueToken { by: Some(desk.clone()), ..issue_token(n) };
        let mut slot = ana();
        let sent = run(&mut slot, by_desk(1), NOW, &rules());
        assert!(matches!(sent.reply, Ok(Some(_))));
        assert_eq!(sent.events, [AccountEvent::ResetLinkIssued { by: Some(desk.actor.clone()) }]);
        slot.account.as_mut().unwrap().roles = vec![Role::Admin];
        let refused = run(&mut slot, by_desk(2), NOW, &rules());
        assert_eq!((refused.reply.unwrap_err().code, refused.saves), (ErrorCode::AccountProtected, 0));
        assert!(matches!(run(&mut slot, issue_token(3), NOW, &rules()).reply, Ok(Some(_))), "the person still may");
    }

    #[test]
    fn a_dead_link_says_nothing_about_two_step_or_whose_it_is() {
        let mut slot = enrolled();
        issue(&mut slot, 1, NOW);
        issue(&mut slot, 2, NOW);
        let status = |slot: &mut Slot, n| run(slot, LinkStatus { token_hash: hash(n) }, NOW, &rules()).reply;
        let dead = status(&mut slot, 1);
        assert_eq!((dead.status, dead.audience, dead.two_step), (TokenStatus::Superseded, None, false));
        let live = status(&mut slot, 2);
        assert_eq!((live.status, live.audience, live.two_step), (TokenStatus::Ok, Some(Audience::Parent), true));
        assert_eq!(status(&mut Slot::default(), 2).status, TokenStatus::Invalid);
        // Setting a password with the dead link: refused for what it is, no code asked for, nothing audited.
        let refused = run(&mut slot, reset(1, GOOD, None), NOW, &rules());
        assert_eq!(refused.reply.unwrap_err().code, ErrorCode::TokenSuperseded);
        assert_eq!(refused.events, []);
        let asked = run(&mut slot, reset(2, GOOD, None), NOW, &rules());
        assert_eq!(asked.reply.unwrap_err().code, ErrorCode::TwoStepRequired);
    }

    #[test]
    fn a_reset_checkpoints_the_attempt_then_changes_everything_once() {
        let mut slot = enrolled();
        issue(&mut slot, 1, NOW);
        let wrong = run(&mut slot, reset(1, GOOD, Some("000000".into())), NOW, &rules());
        assert_eq!(wrong.reply.unwrap_err().code, ErrorCode::TwoStepCodeInvalid);
        assert_eq!(wrong.events, [AccountEvent::TwoStepCodeRefused(ErrorCode::TwoStepCodeInvalid)]);
        assert_eq!(wrong.saves, 1, "the attempt and the wrong code are on record");
        let weak = run(&mut slot, reset(1, "short", Some(code(NOW))), NOW, &rules());
        assert_eq!(weak.reply.unwrap_err().code, ErrorCode::PasswordRejected);
        assert_eq!((weak.saves, weak.events.len(), weak.flush_outbox), (1, 0, false), "only the checkpoint");
        let rules = Rules { webhook: Some(crate::account::apply::testing::webhook()), ..rules() };
        let done = run(&mut slot, reset(1, GOOD, Some(code(NOW))), NOW, &rules);
        assert_eq!(done.reply, Ok(0));
        assert_eq!(done.events, [AccountEvent::PasswordChanged { revoked_sessions: 0 }]);
        assert_eq!((done.saves, done.flush_outbox), (2, true), "checkpoint, then the change");
        let account = slot.account.as_ref().unwrap();
        assert_eq!(account.outbox.pending.len(), 1, "the notice");
        assert_eq!(account.webhooks.due(NOW).len(), 1, "the webhook, with the same write");
    }

    #[test]
    fn too_many_attempts_with_a_live_link_are_refused_unsaved() {
        let mut slot = ana();
        issue(&mut slot, 1, NOW);
        for _ in 0..RESET_ATTEMPTS.allowed {
            run(&mut slot, reset(1, "short", None), NOW, &rules()).reply.unwrap_err();
        }
        let throttled = run(&mut slot, reset(1, GOOD, None), NOW, &rules());
        assert_eq!(throttled.reply.unwrap_err().code, ErrorCode::RateLimited);
        assert_eq!((throttled.saves, throttled.events), (0, vec![AccountEvent::ResetAttemptThrottled]));
        let none = run(&mut Slot::default(), reset(1, GOOD, None), NOW, &rules());
        assert_eq!(none.reply.unwrap_err().code, ErrorCode::TokenInvalid);
    }

    #[test]
    fn a_withdrawn_link_is_saved_and_an_unknown_one_ignored() {
        let mut slot = ana();
        issue(&mut slot, 1, NOW);
        let withdraw = || WithdrawToken { token_hash: hash(1), mail_id: Some("mail-1".into()) };
        assert_eq!(run(&mut slot, withdraw(), NOW, &rules()).saves, 1);
        assert_eq!(
            run(&mut slot, LinkStatus { token_hash: hash(1) }, NOW, &rules()).reply.status,
            TokenStatus::Invalid
        );
        let recent = slot.account.as_ref().unwrap().outbox.recent_mail();
        assert_eq!(
            (recent[0].kind.as_str(), recent[0].state),
            ("reset", MailState::NotQueued),
            "said so to the office"
        );
        assert_eq!(run(&mut Slot::default(), withdraw(), NOW, &rules()).saves, 0);
    }

    #[test]
    fn the_office_sees_the_latest_link_and_its_mail() {
        let mut slot = ana();
        issue(&mut slot, 1, NOW);
        issue(&mut slot, 2, NOW + 10);
        let view = slot.account.as_ref().unwrap().view(NOW + 20, &rules().sealing_keys);
        let link = view.reset_link.unwrap();
        assert_eq!(
            (link.sent_at, link.expires_at, link.status, link.superseded),
            (Some(NOW + 10), NOW + 3610, TokenStatus::Ok, 1)
        );
        let kinds: Vec<(&str, MailState)> = view.recent_mail.iter().map(|m| (m.kind.as_str(), m.state)).collect();
        assert_eq!(kinds, [("reset", MailState::Queued), ("reset", MailState::Queued)]);
        assert_eq!(view.recent_mail[0].queued_at, NOW + 10, "newest first");
    }
}
