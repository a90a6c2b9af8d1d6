//! Changing the login email, for someone who lost access to the old address. An account's Durable Object is named by
//! its audience and login email, so a new login email means a new object. Staff ask ([`StartLoginEmailChange`]): the
//! new address gets a link to confirm, and the old address (and the contact email) are told at once, with a link to
//! cancel ([`CancelLoginEmailChange`]). The change takes effect once the new address has confirmed
//! ([`ConfirmLoginEmailChange`]) **and** the delay has passed with no cancellation, so the owner has time to stop a
//! change they did not ask for. Then the account moves, and a failure at any step leaves exactly one usable account:
//!
//! 1. [`MoveOut`] marks this object moving, in the same write that spends the change: from then on it is no account
//!    anyone can use (no login, no link, no session), and it hands over a copy;
//! 2. [`MoveIn`] puts the copy under the new name (refused if that name holds another account; a copy that already
//!    arrived there is taken as arrived, so the move can be tried again);
//! 3. [`MovedAway`] lets the old object go; [`MoveAborted`] makes it usable again if the new name was taken.
//!
//! If step 2 or 3 does not get through, the old object stays marked and its alarm tries again. Every session ends on
//! the way, every reset link dies, and the old address and the contact email are told. What the account is — its
//! password, 2-Step Verification, the apps' subject identifier, its history — goes with it.

use crate::account::apply::{Apply, Context, Outcome, Slot};
use crate::account::authority::{self, staff_target};
use crate::account::refusal::Refusal;
use crate::account::state::{AccountState, LoginEmailChange};
use crate::audit::AccountEvent;
use crate::mail::job::{AccountChange, Kind, MailJob, CONFIRM_LOGIN_EMAIL_KIND, LOGIN_EMAIL_CHANGE_REQUESTED_KIND};
use crate::token::TokenHash;
use latchkey_shared::api::{Actor, StaffMember};
use latchkey_shared::{Audience, ErrorCode, Locale};
use serde::{Deserialize, Serialize};

/// Staff ask for a new login email; the two links are mailed by the Worker (their tokens never rest here).
#[derive(Debug, Serialize, Deserialize)]
pub struct StartLoginEmailChange {
    /// The confirmation link's, mailed to the new address.
    pub token_hash: TokenHash,
    /// The cancellation link's, mailed to the old address and the contact email.
    pub cancel_hash: TokenHash,
    /// Normalised.
    pub new_login_email: String,
    pub lifetime_secs: u32,
    /// How long the owner has to cancel (none for the bearer token).
    pub delay_secs: u64,
    /// The Durable Object the account lives in (its name).
    pub account_id: String,
    /// The two mails' ids, so the account can say what became of them.
    pub mail_id: String,
    pub notice_mail_id: String,
    pub by: StaffMember,
}

/// Whom the mails greet, in which language, and where the owner's notice goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Greeting {
    pub display_name: String,
    pub audience: Audience,
    pub locale: Locale,
    /// Every address on file now: the owner's notice goes to each.
    pub addresses: Vec<String>,
    pub effective_at: u64,
}

impl Apply for StartLoginEmailChange {
    type Reply = Result<Greeting, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let account = match staff_target(slot, &self.by) {
            Ok(account) => account,
            Err(refusal) => return Outcome::reply(Err(refusal)),
        };
        if account.profile.status != latchkey_shared::api::AccountStatus::Active {
            let refusal =
                Refusal::new(ErrorCode::InvalidRequest).with_detail("the account is disabled: enable it first");
            return Outcome::reply(Err(refusal));
        }
        if account.is_moving() {
            let refusal = Refusal::new(ErrorCode::InvalidRequest).with_detail("a login email change is taking effect");
            return Outcome::reply(Err(refusal));
        }
        if account.profile.login_email == self.new_login_email {
            let refusal = Refusal::new(ErrorCode::InvalidRequest).with_detail("new_login_email: it is the login email");
            return Outcome::reply(Err(refusal));
        }
        let effective_at = cx.now + self.delay_secs;
        // A second request replaces the first: only the newest links work.
        account.login_email_change = Some(LoginEmailChange {
            token_hash: self.token_hash,
            new_login_email: self.new_login_email,
            expires_at: cx.now + u64::from(self.lifetime_secs),
            by: self.by.actor.clone(),
            by_roles: self.by.roles,
            cancel_hash: Some(self.cancel_hash),
            requested_at: cx.now,
            effective_at,
            confirmed_at: None,
            account_id: self.account_id,
            moving_since: None,
        });
        account.outbox.record(&self.notice_mail_id, LOGIN_EMAIL_CHANGE_REQUESTED_KIND, cx.now);
        account.outbox.record(&self.mail_id, CONFIRM_LOGIN_EMAIL_KIND, cx.now);
        let p = &account.profile;
        let greeting = Greeting {
            display_name: p.display_name.clone(),
            audience: p.audience,
            locale: p.locale,
            addresses: account.addresses(),
            effective_at,
        };
        Outcome::reply(Ok(greeting)).saved().event(AccountEvent::LoginEmailChangeRequested { by: self.by.actor })
    }
}

/// The change this link confirms, if it is the pending one, still good and not spent.
fn confirmed<'a>(
    account: &'a mut AccountState,
    token_hash: &TokenHash,
    now: u64,
) -> Result<&'a mut LoginEmailChange, Refusal> {
    match account.login_email_change.as_mut() {
        Some(change) if &change.token_hash == token_hash && change.moving_since.is_some() => {
            Err(ErrorCode::TokenUsed.into())
        }
        // Confirmed already: the delay is what is left, and the link may be opened again meanwhile.
        Some(change)
            if &change.token_hash == token_hash && (now < change.expires_at || change.confirmed_at.is_some()) =>
        {
            Ok(change)
        }
        Some(change) if &change.token_hash == token_hash => Err(ErrorCode::TokenExpired.into()),
        _ => Err(ErrorCode::TokenInvalid.into()),
    }
}

/// The new address's link: the change is confirmed, and takes effect at once if its delay is over (the shell then
/// moves the account), else when it ends (the alarm does).
#[derive(Debug, Serialize, Deserialize)]
pub struct ConfirmLoginEmailChange {
    pub token_hash: TokenHash,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmed {
    pub new_login_email: String,
    pub audience: Audience,
    pub effective_at: u64,
}

impl Apply for ConfirmLoginEmailChange {
    type Reply = Result<Confirmed, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(ErrorCode::TokenInvalid.into())) };
        let audience = account.profile.audience;
        let change = match confirmed(account, &self.token_hash, cx.now) {
            Ok(change) => change,
            Err(refusal) => return Outcome::reply(Err(refusal)),
        };
        let reply =
            Confirmed { new_login_email: change.new_login_email.clone(), audience, effective_at: change.effective_at };
        let first = change.confirmed_at.is_none();
        change.confirmed_at.get_or_insert(cx.now);
        let due = change.due(cx.now);
        let mut outcome = Outcome::reply(Ok(reply));
        if first {
            outcome = outcome.saved().event(AccountEvent::LoginEmailChangeConfirmed);
        }
        if due {
            outcome = outcome.moving();
        }
        outcome
    }
}

/// The old address's link: the change is called off, unless it has begun taking effect.
#[derive(Debug, Serialize, Deserialize)]
pub struct CancelLoginEmailChange {
    pub cancel_hash: TokenHash,
}

/// What was called off: the login email stays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancelled {
    pub login_email: String,
    pub audience: Audience,
}

impl Apply for CancelLoginEmailChange {
    type Reply = Result<Cancelled, Refusal>;

    fn apply(self, slot: &mut Slot, _cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(ErrorCode::TokenInvalid.into())) };
        let matches =
            account.login_email_change.as_ref().is_some_and(|c| c.cancel_hash.as_ref() == Some(&self.cancel_hash));
        if !matches {
            return Outcome::reply(Err(ErrorCode::TokenInvalid.into()));
        }
        if account.is_moving() {
            return Outcome::reply(Err(ErrorCode::TokenUsed.into()));
        }
        account.login_email_change = None;
        let reply = Cancelled { login_email: account.profile.login_email.clone(), audience: account.profile.audience };
        Outcome::reply(Ok(reply)).saved().event(AccountEvent::LoginEmailChangeCancelled { reason: "by_owner" })
    }
}

/// The account as it will be under its new name — sessions ended (their apps owed a logout), links revoked, no
/// change pending — and who asked for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moving {
    /// Boxed: the account is by far the largest thing a command carries.
    pub account: Box<AccountState>,
    pub former_login_email: String,
    pub by: Actor,
    /// The change that moves it (its confirmation link's hash): names the move, so trying it again is safe.
    pub change: TokenHash,
    /// Where it came from and goes to (Durable Object names).
    pub from_id: String,
    pub to_id: String,
}

/// Step 1, in the old object: if the change is due, marks the account moving (spending the change; no one can use
/// it here from now on) and answers the copy to move; tried again, answers the same. A requester who may no longer act
/// on the account (it was given a role meanwhile) calls the change off instead: roles never travel on a lower role's
/// request.
#[derive(Debug, Serialize, Deserialize)]
pub struct MoveOut {
    /// The Durable Object name the new login email maps to.
    pub to_id: String,
}

impl Apply for MoveOut {
    type Reply = Option<Moving>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(None) };
        let Some(change) = account.login_email_change.clone().filter(|c| c.due(cx.now)) else {
            return Outcome::reply(None);
        };
        if change.moving_since.is_none() {
            if authority::check(account, &change.requester()).is_err() {
                account.login_email_change = None;
                let cancelled = AccountEvent::LoginEmailChangeCancelled { reason: "account_protected" };
                return Outcome::reply(None).saved().event(cancelled);
            }
            account.end_all_sessions(cx.now);
            account.tokens.revoke_all();
            if let Some(pending) = account.login_email_change.as_mut() {
                pending.moving_since = Some(cx.now);
            }
        }
        let mut moved = account.clone();
        moved.login_email_change = None;
        moved.email_verified = true;
        moved.arrived_with = Some(change.token_hash.clone());
        let former_login_email = std::mem::replace(&mut moved.profile.login_email, change.new_login_email);
        // A change asked for before it named its object: the object is named by the login email as it stands.
        let from_id = match change.account_id.is_empty() {
            true => crate::email::account_id_of(account.profile.audience, &former_login_email),
            false => change.account_id,
        };
        let moving = Moving {
            account: Box::new(moved),
            former_login_email,
            by: change.by,
            change: change.token_hash,
            from_id,
            to_id: self.to_id,
        };
        let outcome = Outcome::reply(Some(moving));
        if change.moving_since.is_none() {
            outcome.saved()
        } else {
            outcome
        }
    }
}

/// Step 2, in the new object: the account arrives under its new name; the old address and the contact email are
/// told. A copy of the same move already here is taken as arrived; another account here, or under the earlier form of
/// the name (`taken_in_earlier_form`, which the old object looked up), calls the move off.
#[derive(Debug, Serialize, Deserialize)]
pub struct MoveIn {
    pub moving: Moving,
    #[serde(default)]
    pub taken_in_earlier_form: bool,
}

impl Apply for MoveIn {
    type Reply = Result<(), Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        if let Some(here) = &slot.account {
            return match here.arrived_with.as_ref() == Some(&self.moving.change) {
                true => Outcome::reply(Ok(())),
                false => Outcome::reply(Err(ErrorCode::AccountExists.into())),
            };
        }
        if self.taken_in_earlier_form {
            return Outcome::reply(Err(ErrorCode::AccountExists.into()));
        }
        let Moving { mut account, former_login_email, by, .. } = self.moving;
        let mut to = vec![former_login_email.clone()];
        to.extend(account.profile.contact_email.clone().filter(|c| *c != former_login_email));
        let change = Kind::AccountChanged {
            change: AccountChange::LoginEmailChanged,
            changed_at: cx.now,
            former_login_email: Some(former_login_email),
        };
        let notice = MailJob { to, ..account.mail(cx.ids.notice.clone(), change) };
        account.outbox.push(notice, cx.now);
        *slot = Slot { account: Some(*account), ..Slot::default() };
        Outcome::reply(Ok(())).saved().flushing().event(AccountEvent::LoginEmailChanged { by })
    }
}

/// Step 3, in the old object: the account lives under its new name, so this one holds none (its login fails as an
/// unknown email's does).
#[derive(Debug, Serialize, Deserialize)]
pub struct MovedAway {
    pub change: TokenHash,
}

impl Apply for MovedAway {
    type Reply = ();

    fn apply(self, slot: &mut Slot, _cx: &Context<'_>) -> Outcome<()> {
        let moving = slot
            .account
            .as_ref()
            .and_then(|a| a.login_email_change.as_ref())
            .is_some_and(|change| change.token_hash == self.change && change.moving_since.is_some());
        if !moving {
            return Outcome::reply(());
        }
        *slot = Slot::default();
        Outcome::reply(()).saved()
    }
}

/// Step 3 when the new name holds another account: the move is called off and the account works here again (its
/// sessions and links stay ended).
#[derive(Debug, Serialize, Deserialize)]
pub struct MoveAborted {
    pub change: TokenHash,
}

impl Apply for MoveAborted {
    type Reply = ();

    fn apply(self, slot: &mut Slot, _cx: &Context<'_>) -> Outcome<()> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(()) };
        if account.login_email_change.as_ref().is_none_or(|change| change.token_hash != self.change) {
            return Outcome::reply(());
        }
        account.login_email_change = None;
        Outcome::reply(()).saved().event(AccountEvent::LoginEmailChangeCancelled { reason: "address_taken" })
    }
}

#[cfg(test)]
#[path = "login_email_tests.rs"]
mod tests;
