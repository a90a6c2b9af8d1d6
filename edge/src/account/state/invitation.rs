//! The invitation's rules that span the account (`super::super::invitation` keeps the invitation itself): who may be
//! invited, accepting with the first password, what the provider's events and the clock do to it. `impl
//! AccountState`, apart for its size.

use super::{AccountState, SessionRules};
use crate::account::invitation::{Delivery, Invitation, Link};
use crate::account::new_password::NewPassword;
use crate::account::refusal::Refusal;
use crate::account::sessions::methods_of;
use crate::account::tokens::{working, Tokens};
use crate::token::TokenHash;
use latchkey_shared::api::{InvitationView, MailEventKind, SessionInfo, TokenStatus};
use latchkey_shared::ErrorCode;

impl AccountState {
    /// Whether the account may be invited (again): never one that was set up — it has a password or a passkey, or
    /// accepted an invitation — nor a disabled one.
    pub fn invitable(&self) -> Result<(), Refusal> {
        let set_up = self.credential.hash.is_some()
            || !self.two_step.passkeys.list.is_empty()
            || self.invitation.as_ref().is_some_and(|i| i.accepted_at.is_some());
        if set_up {
            let detail =
                format!("{} already has a {} account", self.profile.login_email, self.profile.audience.as_str());
            return Err(Refusal::new(ErrorCode::AccountExists).with_detail(detail));
        }
        if !self.is_active() {
            return Err(ErrorCode::AccountDisabled.into());
        }
        Ok(())
    }

    /// Sends the invitation, or sends it again: a new link, and every earlier one stops working.
    pub fn invite(&mut self, link: Link, now: u64) -> Result<(), Refusal> {
        self.invitable()?;
        let invitation = self.invitation.get_or_insert_with(|| Invitation {
            links: Tokens::default(),
            invited_at: now,
            sent_at: now,
            expires_at: now,
            by: link.by.clone(),
            sends: 0,
            mail_id: String::new(),
            delivery: None,
            opened_at: None,
            accepted_at: None,
            revoked_at: None,
            remind_at: None,
        });
        invitation.send(link, now);
        Ok(())
    }

    /// Takes back a link whose mail could not be queued: the one it replaced works again; an invitation that was
    /// never mailed is no invitation.
    pub fn withdraw_invitation(&mut self, hash: &TokenHash) {
        let Some(invitation) = self.invitation.as_mut() else { return };
        if invitation.links.withdraw(hash) {
            invitation.sends = invitation.sends.saturating_sub(1);
            if invitation.sends == 0 {
                self.invitation = None;
            }
        }
    }

    /// Staff withdraw the invitation: its link says so, and the account waits (it may be invited again).
    pub fn revoke_invitation(&mut self, now: u64) -> Result<(), Refusal> {
        match self.invitation.as_mut() {
            Some(invitation) if !invitation.is_settled() => {
                invitation.links.withdraw_by_staff();
                invitation.revoked_at = Some(now);
                invitation.remind_at = None;
                Ok(())
            }
            _ => Err(ErrorCode::InvitationNotFound.into()),
        }
    }

    pub fn invitation_link(&self, hash: &TokenHash, now: u64) -> TokenStatus {
        self.invitation.as_ref().map_or(TokenStatus::Invalid, |invitation| invitation.links.status(hash, now))
    }

    /// The welcome page opened a working link: for the office to see (once).
    pub fn invitation_opened(&mut self, hash: &TokenHash, now: u64) -> bool {
        let live = self.invitation_link(hash, now) == TokenStatus::Ok;
        match self.invitation.as_mut() {
            Some(invitation) if live && invitation.opened_at.is_none() => {
                invitation.opened_at = Some(now);
                true
            }
            _ => false,
        }
    }

    /// Refuses a link that does not work (saying why) or a disabled account; counts the attempt on a working link.
    pub fn admit_acceptance(&mut self, hash: &TokenHash, now: u64) -> Result<(), Refusal> {
        working(self.invitation_link(hash, now))?;
        if !self.is_active() {
            return Err(ErrorCode::AccountDisabled.into());
        }
        if !self.reset_attempts.try_record(now, crate::account::throttle::RESET_ATTEMPTS) {
            return Err(ErrorCode::RateLimited.into());
        }
        Ok(())
    }

    /// Accepts: the link is spent, the login email is verified (the link reached it), and `session` is opened. With the
    /// first password (checked by [`AccountState::choose_password`]), or with none when a passkey was registered
    /// first (the session then has both factors, as a passkey's login does).
    pub(in crate::account) fn accept_invitation(
        &mut self,
        hash: &TokenHash,
        password: Option<NewPassword>,
        session: TokenHash,
        now: u64,
        rules: SessionRules,
    ) -> SessionInfo {
        if let Some(invitation) = self.invitation.as_mut() {
            invitation.links.spend(hash);
            invitation.accepted_at = Some(now);
            invitation.remind_at = None;
        }
        let methods = match (&password, self.two_step.passkeys.list.last()) {
            (None, Some(passkey)) => vec![if passkey.synced { "swk" } else { "hwk" }.to_owned(), "mfa".to_owned()],
            _ => methods_of(true, None),
        };
        let with_passkey = password.is_none();
        if let Some(password) = password {
            self.first_password(password, now);
        }
        self.email_verified = true;
        self.two_step.note_requirement(now, rules.two_step_grace_secs);
        self.last_login_at = Some(now);
        let gone = self.sessions.open(session.clone(), now, rules.ttl_secs, rules.idle_secs, None, with_passkey);
        self.sessions.set_methods(&session, methods);
        self.apps.forget_without(|s| !gone.contains(s));
        self.session_info(&session, now, rules)
    }

    /// The provider's event about mail to the login email, at `at`: about the invitation's latest mail if it came
    /// after it was sent. Whether that changed anything.
    pub fn note_invitation_delivery(&mut self, kind: MailEventKind, at: u64) -> bool {
        let Some(invitation) = self.invitation.as_mut().filter(|i| !i.is_settled() && at >= i.sent_at) else {
            return false;
        };
        let delivery = match kind {
            MailEventKind::Delivered => Delivery::Delivered,
            MailEventKind::Bounced => Delivery::Bounced,
            _ => return false,
        };
        let changed = invitation.delivery != Some(delivery);
        invitation.delivery = Some(delivery);
        changed
    }

    /// The reminder, if it is due: taken (it is mailed once), with when the link expires.
    pub fn take_due_reminder(&mut self, now: u64) -> Option<u64> {
        let invitation = self.invitation.as_mut().filter(|i| !i.is_settled())?;
        if invitation.remind_at.is_some_and(|at| now >= at) && now < invitation.expires_at {
            invitation.remind_at = None;
            return Some(invitation.expires_at);
        }
        None
    }

    pub fn invitation_view(&self, now: u64) -> Option<InvitationView> {
        let invitation = self.invitation.as_ref()?;
        Some(InvitationView {
            login_email: crate::email::display(&self.profile.login_email),
            audience: self.profile.audience,
            display_name: self.profile.display_name.clone(),
            status: invitation.status(now),
            invited_at: invitation.invited_at,
            sent_at: invitation.sent_at,
            expires_at: invitation.expires_at,
            invited_by: invitation.by.display_name().to_owned(),
            sends: invitation.sends,
            opened_at: invitation.opened_at,
            accepted_at: invitation.accepted_at,
            revoked_at: invitation.revoked_at,
        })
    }
}
