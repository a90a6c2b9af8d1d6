//! The invitation's commands: invite (or invite again), check a link as the welcome page opens it, accept with the
//! first password, revoke, and take back a link whose mail could not be queued. The rules are in
//! `account::invitation`.

use super::passkeys::{registration_context, RegistrationContext};
use super::session::session_rules;
use crate::account::apply::{change_account, Apply, Context, Outcome, Slot};
use crate::account::authority;
use crate::account::invitation::Link;
use crate::account::passkeys::Challenge;
use crate::account::refusal::Refusal;
use crate::account::state::{AccountState, Profile};
use crate::account::tokens::working;
use crate::audit::AccountEvent;
use crate::mail::job::INVITATION_KIND;
use crate::token::TokenHash;
use latchkey_shared::api::{
    InvitationCheckResponse, InvitationView, MailState, RegistrationCredential, SessionInfo, StaffMember, TokenStatus,
    TwoStepRequirement,
};
use latchkey_shared::{Audience, ErrorCode, Locale, Secret};
use serde::{Deserialize, Serialize};

/// Invites the person (making the account when there is none), or invites again: a new link, the earlier ones dead.
#[derive(Debug, Serialize, Deserialize)]
pub struct Invite {
    /// The person as the office gave them (the newest invitation's name, contact email and language win); none to
    /// send the invitation again as it stands.
    pub profile: Option<Profile>,
    pub link: Link,
    pub by: StaffMember,
}

/// Where an invitation's mail goes, and until when its link works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invited {
    pub to: String,
    pub display_name: String,
    pub audience: Audience,
    pub locale: Locale,
    pub expires_at: u64,
    pub view: InvitationView,
    /// This link's mail was asked for before (the same mail id): nothing changed, and nothing is to be sent.
    pub repeated: bool,
}

impl Apply for Invite {
    type Reply = Result<Invited, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let again = slot.account.as_ref().is_some_and(|a| a.invitation.is_some());
        let repeated =
            slot.account.as_ref().and_then(|a| a.invitation.as_ref()).is_some_and(|i| i.sent_as(&self.link.mail_id));
        let account = match (slot.account.as_mut(), self.profile) {
            (None, None) => return Outcome::reply(Err(ErrorCode::InvitationNotFound.into())),
            (None, Some(profile)) => {
                *slot = Slot { account: Some(AccountState::new(profile, None)), ..Slot::default() };
                slot.account.as_mut().expect("just made")
            }
            (Some(account), profile) => {
                if let Err(refusal) = authority::check(account, &self.by).and_then(|()| account.invitable()) {
                    return Outcome::reply(Err(refusal));
                }
                if let Some(profile) = profile {
                    let kept = &mut account.profile;
                    (kept.display_name, kept.contact_email, kept.locale) =
                        (profile.display_name, profile.contact_email, profile.locale);
                }
                account
            }
        };
        let remind = self.link.remind_before_secs.is_some();
        let mail_id = self.link.mail_id.clone();
        if !repeated {
            if let Err(refusal) = account.invite(self.link, cx.now) {
                return Outcome::reply(Err(refusal));
            }
            account.outbox.record(&mail_id, INVITATION_KIND, cx.now);
        }
        let Some(view) = account.invitation_view(cx.now) else {
            return Outcome::reply(Err(ErrorCode::Internal.into()));
        };
        let p = &account.profile;
        let invited = Invited {
            to: p.login_email.clone(),
            display_name: p.display_name.clone(),
            audience: p.audience,
            locale: p.locale,
            expires_at: view.expires_at,
            view,
            repeated,
        };
        if repeated {
            return Outcome::reply(Ok(invited));
        }
        let outcome = Outcome::reply(Ok(invited)).saved().event(AccountEvent::Invited { by: self.by.actor, again });
        // The reminder's alarm is set with the outbox's.
        if remind {
            outcome.flushing()
        } else {
            outcome
        }
    }
}

/// The welcome page opened a link: whether it works (consuming nothing: mail scanners open links), and for a working
/// one whose account it sets up; the office sees it was opened.
#[derive(Debug, Serialize, Deserialize)]
pub struct InvitationLink {
    pub token_hash: TokenHash,
}

impl Apply for InvitationLink {
    type Reply = Result<InvitationCheckResponse, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let dead = |status| Outcome::reply(Ok(InvitationCheckResponse::dead(status)));
        let Some(account) = slot.account.as_mut() else { return dead(TokenStatus::Invalid) };
        let status = account.invitation_link(&self.token_hash, cx.now);
        if status != TokenStatus::Ok {
            return dead(status);
        }
        if !account.is_active() {
            return Outcome::reply(Err(ErrorCode::AccountDisabled.into()));
        }
        let opened = account.invitation_opened(&self.token_hash, cx.now);
        let p = &account.profile;
        let live = InvitationCheckResponse {
            status,
            audience: Some(p.audience),
            login_email: Some(crate::email::display(&p.login_email)),
            display_name: Some(p.display_name.clone()),
            locale: Some(p.locale),
            two_step_required: false,
        };
        let outcome = Outcome::reply(Ok(live));
        if opened {
            outcome.saved()
        } else {
            outcome
        }
    }
}

/// The first password through an invitation's link: the account is set up and the person logged in, or nothing
/// changes but the attempt's count.
#[derive(Debug, Serialize, Deserialize)]
pub struct AcceptInvitation {
    pub token_hash: TokenHash,
    pub password: Secret<String>,
    pub confirm: Secret<String>,
    /// The breach check's verdict, when it could be had.
    pub breached: Option<bool>,
    /// The new session's token hash (the token itself goes only into the cookie).
    pub session_hash: TokenHash,
    #[serde(default)]
    pub requirement: TwoStepRequirement,
}

impl Apply for AcceptInvitation {
    type Reply = Result<SessionInfo, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(ErrorCode::TokenInvalid.into())) };
        if let Err(refusal) = account.admit_acceptance(&self.token_hash, cx.now) {
            let throttled = refusal.code == ErrorCode::RateLimited;
            let outcome = Outcome::reply(Err(refusal));
            return if throttled { outcome.event(AccountEvent::ResetAttemptThrottled) } else { outcome };
        }
        // The attempt is on record before the password's hashing, which it pays for.
        Outcome::checkpoint(move |slot, cx| self.accept(slot, cx))
    }
}

impl AcceptInvitation {
    fn accept(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Result<SessionInfo, Refusal>> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(ErrorCode::TokenInvalid.into())) };
        let (password, confirm) = (self.password.expose_str(), self.confirm.expose_str());
        match account.choose_password(password, confirm, self.breached, &cx.rules.policy, cx.hasher) {
            Ok(new) => {
                let rules = session_rules(cx, self.requirement, account.profile.audience);
                let info = account.accept_invitation(&self.token_hash, Some(new), self.session_hash, cx.now, rules);
                Outcome::reply(Ok(info)).saved().event(AccountEvent::InvitationAccepted)
            }
            Err(refusal) => Outcome::reply(Err(refusal)),
        }
    }
}

/// What a passkey made on the welcome page, instead of a password, needs: the link must work.
#[derive(Debug, Serialize, Deserialize)]
pub struct InvitationPasskeyOptions {
    pub token_hash: TokenHash,
    /// Random bytes for the user handle, if the account has none yet.
    pub fresh_handle: [u8; 16],
}

impl Apply for InvitationPasskeyOptions {
    type Reply = Result<RegistrationContext, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(ErrorCode::TokenInvalid.into())) };
        if let Err(refusal) = working(account.invitation_link(&self.token_hash, cx.now)) {
            return Outcome::reply(Err(refusal));
        }
        if !account.is_active() {
            return Outcome::reply(Err(ErrorCode::AccountDisabled.into()));
        }
        let had_handle = account.two_step.passkeys.user_handle.is_some();
        let context = registration_context(account, self.fresh_handle);
        if had_handle {
            Outcome::reply(context)
        } else {
            Outcome::reply(context).saved()
        }
    }
}

/// Accepting with a passkey instead of a password: the passkey is registered (the account's first second factor, so
/// 2-Step Verification turns on with it and the recovery codes made at the edge are the account's), then the account
/// is set up and the person logged in, as with a password.
#[derive(Debug, Serialize, Deserialize)]
pub struct AcceptInvitationWithPasskey {
    pub token_hash: TokenHash,
    pub challenge: Challenge,
    pub credential: RegistrationCredential,
    #[serde(default)]
    pub name: Option<String>,
    pub fallback_name: String,
    pub recovery_hashes: Vec<String>,
    pub session_hash: TokenHash,
    #[serde(default)]
    pub requirement: TwoStepRequirement,
}

impl Apply for AcceptInvitationWithPasskey {
    type Reply = Result<SessionInfo, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(ErrorCode::TokenInvalid.into())) };
        if let Err(refusal) = account.admit_acceptance(&self.token_hash, cx.now) {
            return Outcome::reply(Err(refusal));
        }
        Outcome::checkpoint(move |slot, cx| self.accept(slot, cx))
    }
}

impl AcceptInvitationWithPasskey {
    fn accept(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Result<SessionInfo, Refusal>> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(ErrorCode::TokenInvalid.into())) };
        let rp = &cx.rules.relying_party;
        let passkeys = &mut account.two_step.passkeys;
        let name = self.name.as_deref();
        if let Err(refusal) =
            passkeys.register(rp, &self.challenge, &self.credential, name, &self.fallback_name, cx.now)
        {
            return Outcome::reply(Err(refusal)).saved();
        }
        account.two_step.recovery = self.recovery_hashes;
        account.two_step.required_since = None;
        let rules = session_rules(cx, self.requirement, account.profile.audience);
        let info = account.accept_invitation(&self.token_hash, None, self.session_hash, cx.now, rules);
        Outcome::reply(Ok(info))
            .saved()
            .event(AccountEvent::TwoStepChanged(crate::audit::TwoStepChange::PasskeyAdded))
            .event(AccountEvent::InvitationAccepted)
    }
}

/// Staff withdraw the invitation: its link stops working and says so.
#[derive(Debug, Serialize, Deserialize)]
pub struct RevokeInvitation {
    pub by: StaffMember,
}

impl Apply for RevokeInvitation {
    type Reply = Result<InvitationView, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let account = match authority::staff_target(slot, &self.by) {
            Ok(account) => account,
            Err(refusal) => return Outcome::reply(Err(refusal)),
        };
        match account.revoke_invitation(cx.now).map(|()| account.invitation_view(cx.now)) {
            Ok(Some(view)) => {
                Outcome::reply(Ok(view)).saved().event(AccountEvent::InvitationRevoked { by: self.by.actor })
            }
            Ok(None) => Outcome::reply(Err(ErrorCode::InvitationNotFound.into())),
            Err(refusal) => Outcome::reply(Err(refusal)),
        }
    }
}

/// The invitation's mail could not be queued: its link is taken back.
#[derive(Debug, Serialize, Deserialize)]
pub struct WithdrawInvitation {
    pub token_hash: TokenHash,
    pub mail_id: String,
}

impl Apply for WithdrawInvitation {
    type Reply = ();

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<()> {
        change_account(slot, |account| {
            account.withdraw_invitation(&self.token_hash);
            account.outbox.report(&self.mail_id, MailState::NotQueued, None, cx.now);
        })
    }
}

#[cfg(test)]
#[path = "invitation_tests.rs"]
mod tests;
