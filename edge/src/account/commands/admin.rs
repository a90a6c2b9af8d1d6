//! The admin's and the helpdesk's commands: create an account, look at it, disable and enable it, end its sessions,
//! turn its 2-Step Verification off, require a new password, grant roles. Each names who asks (`by`), for the audit
//! trail and the account's history, and is refused on an account holding a role at or above the caller's
//! ([`authority`]).

use crate::account::apply::{Apply, Context, Outcome, Slot};
use crate::account::authority::staff_target;
use crate::account::refusal::Refusal;
use crate::account::state::{AccountState, Profile};
use crate::audit::AccountEvent;
use crate::mail::job::AccountChange;
use latchkey_shared::api::{AccountView, RequiredChange, Role, StaffMember};
use latchkey_shared::Audience;
use latchkey_shared::{ErrorCode, Secret};
use serde::{Deserialize, Serialize};

/// Makes the account (checked first by `account::new_account`, which names this command: the arrow points there).
#[derive(Debug, Serialize, Deserialize)]
pub struct Create {
    pub profile: Profile,
    /// None for an invited account, which sets its first password from the invitation.
    pub password: Option<FirstPassword>,
}

/// The password an account starts with.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FirstPassword {
    /// Chosen now, by whoever made the account: judged as any new password is, and dated now.
    Chosen(Secret<String>),
    /// A PHC string brought from another system (an import, its bounds checked): verified as it is at the first
    /// login, then rehashed; never dated, as nobody knows when it was set.
    Imported(Secret<String>),
}

impl Apply for Create {
    type Reply = Result<AccountView, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        if slot.account.is_some() {
            return Outcome::reply(Err(ErrorCode::AccountExists.into()));
        }
        let mut account = AccountState::new(self.profile, None);
        match self.password {
            None => {}
            Some(FirstPassword::Imported(phc)) => account.credential.hash = Some(phc),
            Some(FirstPassword::Chosen(chosen)) => {
                let (password, policy) = (chosen.expose_str(), &cx.rules.policy);
                match account.choose_password(password, password, None, policy, cx.hasher) {
                    Ok(new) => account.first_password(new, cx.now),
                    Err(refusal) => return Outcome::reply(Err(refusal)),
                }
            }
        }
        let view = account.view(cx.now, &cx.rules.sealing_keys);
        // Failed logins tried on the name before it was an account are forgotten with the slot's old state.
        *slot = Slot { account: Some(account), ..Slot::default() };
        Outcome::reply(Ok(view)).saved()
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct View {}

impl Apply for View {
    type Reply = Option<AccountView>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        Outcome::reply(slot.account.as_ref().map(|account| account.view(cx.now, &cx.rules.sealing_keys)))
    }
}

/// No login, no reset, every session and link revoked.
#[derive(Debug, Serialize, Deserialize)]
pub struct Disable {
    pub by: StaffMember,
}

impl Apply for Disable {
    type Reply = Result<AccountView, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let account = match staff_target(slot, &self.by) {
            Ok(account) => account,
            Err(refusal) => return Outcome::reply(Err(refusal)),
        };
        account.disable(cx.now);
        account.queue_account_notice(cx.ids.notice.clone(), AccountChange::Disabled, cx.now);
        Outcome::reply(Ok(account.view(cx.now, &cx.rules.sealing_keys)))
            .saved()
            .flushing()
            .event(AccountEvent::Disabled { by: self.by.actor })
    }
}

/// Logins and reset links work again (the links revoked at the disabling stay revoked).
#[derive(Debug, Serialize, Deserialize)]
pub struct Enable {
    pub by: StaffMember,
}

impl Apply for Enable {
    type Reply = Result<AccountView, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let account = match staff_target(slot, &self.by) {
            Ok(account) => account,
            Err(refusal) => return Outcome::reply(Err(refusal)),
        };
        if !account.enable() {
            return Outcome::reply(Ok(account.view(cx.now, &cx.rules.sealing_keys)));
        }
        account.queue_account_notice(cx.ids.notice.clone(), AccountChange::Enabled, cx.now);
        Outcome::reply(Ok(account.view(cx.now, &cx.rules.sealing_keys)))
            .saved()
            .flushing()
            .event(AccountEvent::Enabled { by: self.by.actor })
    }
}

/// Every session ends (a lost or shared device), and the apps it logged in to are told; the password stays.
#[derive(Debug, Serialize, Deserialize)]
pub struct EndSessions {
    pub by: StaffMember,
}

impl Apply for EndSessions {
    type Reply = Result<AccountView, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let account = match staff_target(slot, &self.by) {
            Ok(account) => account,
            Err(refusal) => return Outcome::reply(Err(refusal)),
        };
        let ended = account.end_all_sessions(cx.now);
        account.queue_account_notice(cx.ids.notice.clone(), AccountChange::SessionsEnded, cx.now);
        Outcome::reply(Ok(account.view(cx.now, &cx.rules.sealing_keys)))
            .saved()
            .flushing()
            .event(AccountEvent::SessionsEnded { ended, by: self.by.actor })
    }
}

/// For someone who lost the phone and the recovery codes, once the school has checked who is asking: every session
/// ends and every address on file is told.
#[derive(Debug, Serialize, Deserialize)]
pub struct AdminTwoStepOff {
    pub by: StaffMember,
}

impl Apply for AdminTwoStepOff {
    type Reply = Result<AccountView, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let account = match staff_target(slot, &self.by) {
            Ok(account) => account,
            Err(refusal) => return Outcome::reply(Err(refusal)),
        };
        match account.turn_off_two_step_by_admin(cx.ids.notice.clone(), cx.now) {
            Ok(()) => Outcome::reply(Ok(account.view(cx.now, &cx.rules.sealing_keys)))
                .saved()
                .flushing()
                .event(AccountEvent::TwoStepTurnedOff { by: self.by.actor }),
            Err(refusal) => Outcome::reply(Err(refusal)),
        }
    }
}

/// Staff remove a passkey of the account (the identity checks were made by the handler).
#[derive(Debug, Serialize, Deserialize)]
pub struct AdminRemovePasskey {
    pub id: String,
    pub by: StaffMember,
}

impl Apply for AdminRemovePasskey {
    type Reply = Result<AccountView, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let account = match staff_target(slot, &self.by) {
            Ok(account) => account,
            Err(refusal) => return Outcome::reply(Err(refusal)),
        };
        match account.remove_passkey_by_staff(&self.id, cx.ids.notice.clone(), cx.now) {
            Ok(()) => Outcome::reply(Ok(account.view(cx.now, &cx.rules.sealing_keys)))
                .saved()
                .flushing()
                .event(AccountEvent::PasskeyRemovedByStaff { by: self.by.actor }),
            Err(refusal) => Outcome::reply(Err(refusal)),
        }
    }
}

/// The admin asks this account for a new password: every password set before now must change by `deadline` (none:
/// at the next login); with `announce`, every address on file is told.
#[derive(Debug, Serialize, Deserialize)]
pub struct RequireChange {
    pub deadline: Option<u64>,
    pub announce: bool,
    pub by: StaffMember,
}

impl Apply for RequireChange {
    type Reply = Result<AccountView, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let account = match staff_target(slot, &self.by) {
            Ok(account) => account,
            Err(refusal) => return Outcome::reply(Err(refusal)),
        };
        account.credential.required = Some(RequiredChange { since: cx.now, deadline: self.deadline });
        let outcome = Outcome::reply(Ok(account.view(cx.now, &cx.rules.sealing_keys)))
            .saved()
            .event(AccountEvent::PasswordChangeRequired { by: self.by.actor });
        if self.announce {
            let mail = account.change_request_mail(cx.ids.notice.clone(), self.deadline);
            account.outbox.push(mail, cx.now);
            return outcome.flushing();
        }
        outcome
    }
}

/// The roles a staff account holds from now on. Parents hold none.
#[derive(Debug, Serialize, Deserialize)]
pub struct SetRoles {
    pub roles: Vec<Role>,
    pub by: StaffMember,
}

impl Apply for SetRoles {
    type Reply = Result<AccountView, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let account = match staff_target(slot, &self.by) {
            Ok(account) => account,
            Err(refusal) => return Outcome::reply(Err(refusal)),
        };
        if account.profile.audience != Audience::Staff && !self.roles.is_empty() {
            let refusal = Refusal::new(ErrorCode::InvalidRequest).with_detail("roles: only staff accounts hold roles");
            return Outcome::reply(Err(refusal));
        }
        let mut roles = self.roles;
        roles.sort();
        roles.dedup();
        if account.roles == roles {
            return Outcome::reply(Ok(account.view(cx.now, &cx.rules.sealing_keys)));
        }
        account.roles = roles.clone();
        Outcome::reply(Ok(account.view(cx.now, &cx.rules.sealing_keys)))
            .saved()
            .event(AccountEvent::RolesChanged { roles, by: self.by.actor })
    }
}

/// Seals what the account kept before secrets were sealed (its authenticator's key, its recovery codes' digests):
/// ops sweep every account once (`POST /api/admin/accounts/seal-secrets`). Whether anything changed; `None`: no
/// account.
#[derive(Debug, Serialize, Deserialize)]
pub struct SealSecrets {}

impl Apply for SealSecrets {
    type Reply = Option<bool>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(None) };
        match account.two_step.sweep(&cx.rules.sealing_keys) {
            true => Outcome::reply(Some(true)).saved(),
            false => Outcome::reply(Some(false)),
        }
    }
}

#[cfg(test)]
#[path = "admin_tests.rs"]
mod tests;
