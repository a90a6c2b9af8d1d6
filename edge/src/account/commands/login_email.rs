//! Changing the login email, for someone who lost access to the old address. An account's Durable Object is named by
//! its audience and login email, so a new login email means a new object: staff ask ([`StartLoginEmailChange`]), the
//! new address confirms by the link mailed to it, and then the account moves — the old object hands over a copy
//! ([`MoveOut`]), the new one takes it ([`MoveIn`]: refused if the name already holds an account) and only then does
//! the old one let go ([`MovedAway`]). Every session ends on the way (the apps they logged in to are told), every
//! reset link dies, and the old address and the contact email are told. What the account is — its password, 2-Step
//! Verification, the apps' subject identifier, its history — goes with it.

use crate::account::apply::{Apply, Context, Outcome, Slot};
use crate::account::refusal::Refusal;
use crate::account::state::{AccountState, LoginEmailChange};
use crate::audit::AccountEvent;
use crate::mail::job::{AccountChange, MailJob};
use crate::token::TokenHash;
use latchkey_shared::api::Actor;
use latchkey_shared::{Audience, ErrorCode, Locale};
use serde::{Deserialize, Serialize};

/// Staff ask for a new login email; the link to confirm it is mailed by the Worker (its token never rests here).
#[derive(Debug, Serialize, Deserialize)]
pub struct StartLoginEmailChange {
    pub token_hash: TokenHash,
    /// Normalised.
    pub new_login_email: String,
    pub lifetime_secs: u32,
    /// The confirmation mail's id, so the account can say what became of it.
    pub mail_id: String,
    pub by: Actor,
}

/// Whom the confirmation mail greets, and in which language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Greeting {
    pub display_name: String,
    pub audience: Audience,
    pub locale: Locale,
}

impl Apply for StartLoginEmailChange {
    type Reply = Result<Greeting, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(ErrorCode::NotFound.into())) };
        if !account.is_active() {
            let refusal =
                Refusal::new(ErrorCode::InvalidRequest).with_detail("the account is disabled: enable it first");
            return Outcome::reply(Err(refusal));
        }
        if account.profile.login_email == self.new_login_email {
            let refusal = Refusal::new(ErrorCode::InvalidRequest).with_detail("new_login_email: it is the login email");
            return Outcome::reply(Err(refusal));
        }
        // A second request replaces the first: only the newest link works.
        account.login_email_change = Some(LoginEmailChange {
            token_hash: self.token_hash,
            new_login_email: self.new_login_email,
            expires_at: cx.now + u64::from(self.lifetime_secs),
            by: self.by.clone(),
        });
        account.outbox.record(&self.mail_id, "confirm_login_email", cx.now);
        let p = &account.profile;
        let greeting = Greeting { display_name: p.display_name.clone(), audience: p.audience, locale: p.locale };
        Outcome::reply(Ok(greeting)).saved().event(AccountEvent::LoginEmailChangeRequested { by: self.by })
    }
}

/// The change this link confirms, if it is the pending one and still good.
fn confirmed<'a>(account: &'a AccountState, token_hash: &TokenHash, now: u64) -> Result<&'a LoginEmailChange, Refusal> {
    match &account.login_email_change {
        Some(change) if &change.token_hash == token_hash && now < change.expires_at => Ok(change),
        Some(change) if &change.token_hash == token_hash => Err(ErrorCode::TokenExpired.into()),
        _ => Err(ErrorCode::TokenInvalid.into()),
    }
}

/// The new address confirmed: the account as it will be under its new name — sessions ended (their apps owed a
/// logout), links revoked, the change no longer pending. The old object keeps its own until [`MovedAway`].
#[derive(Debug, Serialize, Deserialize)]
pub struct MoveOut {
    pub token_hash: TokenHash,
}

/// What moves, and who asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moving {
    /// Boxed: the account is by far the largest thing a command carries.
    pub account: Box<AccountState>,
    pub former_login_email: String,
    pub by: Actor,
}

impl Apply for MoveOut {
    type Reply = Result<Moving, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_ref() else { return Outcome::reply(Err(ErrorCode::TokenInvalid.into())) };
        let change = match confirmed(account, &self.token_hash, cx.now) {
            Ok(change) => change.clone(),
            Err(refusal) => return Outcome::reply(Err(refusal)),
        };
        let mut moved = account.clone();
        moved.login_email_change = None;
        moved.end_all_sessions(cx.now);
        moved.tokens.revoke_all();
        let former_login_email = std::mem::replace(&mut moved.profile.login_email, change.new_login_email);
        Outcome::reply(Ok(Moving { account: Box::new(moved), former_login_email, by: change.by }))
    }
}

/// The account arrives under its new name; the old address and the contact email are told.
#[derive(Debug, Serialize, Deserialize)]
pub struct MoveIn {
    pub moving: Moving,
}

impl Apply for MoveIn {
    type Reply = Result<(), Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        if slot.account.is_some() {
            return Outcome::reply(Err(ErrorCode::AccountExists.into()));
        }
        let Moving { mut account, former_login_email, by } = self.moving;
        let mut to = vec![former_login_email.clone()];
        to.extend(account.profile.contact_email.clone().filter(|c| *c != former_login_email));
        let notice = MailJob::AccountChanged {
            id: cx.ids.notice.clone(),
            to,
            display_name: account.profile.display_name.clone(),
            audience: account.profile.audience,
            login_email: account.profile.login_email.clone(),
            locale: account.profile.locale,
            change: AccountChange::LoginEmailChanged,
            changed_at: cx.now,
            former_login_email: Some(former_login_email),
        };
        account.outbox.push(notice, cx.now);
        *slot = Slot { account: Some(*account), ..Slot::default() };
        Outcome::reply(Ok(())).saved().flushing().event(AccountEvent::LoginEmailChanged { by })
    }
}

/// The account now lives under its new name: this one holds none (its login fails as an unknown email's does).
#[derive(Debug, Serialize, Deserialize)]
pub struct MovedAway {
    pub token_hash: TokenHash,
}

impl Apply for MovedAway {
    type Reply = Result<(), Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_ref() else { return Outcome::reply(Ok(())) };
        if let Err(refusal) = confirmed(account, &self.token_hash, cx.now) {
            return Outcome::reply(Err(refusal));
        }
        *slot = Slot::default();
        Outcome::reply(Ok(())).saved()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::apply::testing::{ana, hash, rules, run, NOW};
    use latchkey_shared::api::HistoryEvent;

    fn start(n: u8, new: &str) -> StartLoginEmailChange {
        StartLoginEmailChange {
            token_hash: hash(n),
            new_login_email: new.into(),
            lifetime_secs: 3600,
            mail_id: format!("mail-{n}"),
            by: Actor::Staff { name: "Desk".into(), pseudonym: "00aa".into() },
        }
    }

    #[test]
    fn the_account_moves_only_with_the_newest_link_before_it_expires_and_only_into_an_empty_name() {
        let mut old = ana();
        old.account.as_mut().unwrap().sessions.open(hash(9), NOW, 3600, 3600, None, false);
        let same = run(&mut old, start(1, "ana@school.org"), NOW, &rules());
        assert_eq!(same.reply.unwrap_err().code, ErrorCode::InvalidRequest);
        let started = run(&mut old, start(1, "ana.new@mail.org"), NOW, &rules());
        assert_eq!(started.reply.unwrap().display_name, "Ana");
        assert_eq!(old.account.as_ref().unwrap().history.recent()[0].event, HistoryEvent::LoginEmailChangeRequested);
        run(&mut old, start(2, "ana.new@mail.org"), NOW, &rules());

        let out = |slot: &mut Slot, n, now| run(slot, MoveOut { token_hash: hash(n) }, now, &rules()).reply;
        assert_eq!(out(&mut old, 1, NOW).unwrap_err().code, ErrorCode::TokenInvalid, "replaced by the second");
        assert_eq!(out(&mut old, 2, NOW + 3600).unwrap_err().code, ErrorCode::TokenExpired);
        let moving = out(&mut old, 2, NOW + 10).unwrap();
        assert_eq!(
            (moving.account.profile.login_email.as_str(), moving.former_login_email.as_str()),
            ("ana.new@mail.org", "ana@school.org")
        );
        assert_eq!(moving.account.sessions.live(NOW + 10), 0, "every session ends");
        assert!(
            old.account.as_ref().unwrap().sessions.is_live(&hash(9), NOW + 10),
            "the old one keeps its own until it lets go"
        );

        let mut taken = ana();
        let refused = run(&mut taken, MoveIn { moving: moving.clone() }, NOW + 10, &rules());
        assert_eq!(refused.reply.unwrap_err().code, ErrorCode::AccountExists);
        let mut new = Slot::default();
        let arrived = run(&mut new, MoveIn { moving }, NOW + 10, &rules());
        assert!(arrived.reply.is_ok() && arrived.flush_outbox);
        let account = new.account.as_ref().unwrap();
        let notice = account.outbox.pending.last().unwrap();
        assert_eq!(notice.recipients(), ["ana@school.org", "ana.home@mail.org"], "the old address and the contact");
        assert_eq!(account.history.recent()[0].event, HistoryEvent::LoginEmailChanged);
        assert!(account.login_email_change.is_none());

        assert_eq!(
            run(&mut old, MovedAway { token_hash: hash(1) }, NOW + 10, &rules()).reply.unwrap_err().code,
            ErrorCode::TokenInvalid
        );
        assert!(run(&mut old, MovedAway { token_hash: hash(2) }, NOW + 10, &rules()).reply.is_ok());
        assert_eq!(old, Slot::default(), "the old name holds no account now");
    }
}
