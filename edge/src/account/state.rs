//! The account's state and the transitions that span its parts. Pure: the commands decide which transition to make,
//! the Durable Object loads and stores the result (in the stored layout, which has a module of its own).

use super::apps::Apps;
use super::credential::{Credential, PasswordHasher};
use super::history::History;
use super::outbox::Outbox;
use super::refusal::Refusal;
use super::sessions::Sessions;
use super::throttle::{LoginFailures, SlidingWindow, RESET_ATTEMPTS, RESET_REQUESTS};
use super::tokens::Tokens;
use super::two_step::{Factor, Proof, TwoStep};
use super::webhooks::Webhooks;
use crate::audit::{Pseudonym, TwoStepChange};
use crate::email::display;
use crate::seal::Keys;
use crate::token::TokenHash;
use latchkey_shared::api::{AccountStatus, AccountView, PendingLoginEmail, Role, TokenStatus};
use latchkey_shared::{Audience, ErrorCode, Locale, Policy};
use serde::{Deserialize, Serialize};

mod invitation;
mod login;
mod notices;

pub use login::{LoginInput, PasskeyLoginInput, PasswordChecks, SessionRules};

/// How soon a move that could not finish (the new name's Durable Object did not answer) is tried again.
pub const MOVE_RETRY_SECS: u64 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub login_email: String,
    pub contact_email: Option<String>,
    pub audience: Audience,
    pub display_name: String,
    pub locale: Locale,
    pub status: AccountStatus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    pub profile: Profile,
    pub credential: Credential,
    pub tokens: Tokens,
    /// When reset links were recently issued.
    pub reset_requests: SlidingWindow,
    /// When a live link was recently used to try a new password.
    pub reset_attempts: SlidingWindow,
    pub sessions: Sessions,
    pub failed_logins: LoginFailures,
    pub outbox: Outbox,
    pub webhooks: Webhooks,
    pub two_step: TwoStep,
    /// Its logins to other apps (OpenID Connect).
    pub apps: Apps,
    /// When a login last succeeded (unix seconds).
    pub last_login_at: Option<u64>,
    /// What this staff account may do in the console.
    pub roles: Vec<Role>,
    /// What happened to the account lately, for the school office.
    pub history: History,
    /// A new login email staff asked for, until it takes effect (or is cancelled).
    pub login_email_change: Option<LoginEmailChange>,
    /// Whether the login email is known to reach the person: a reset link or a login email change's link was used
    /// from it (what apps are told as `email_verified`).
    pub email_verified: bool,
    /// The login email change this account arrived by (its confirmation link's hash), so the move, tried again,
    /// finds it arrived instead of refusing it as a name taken.
    pub arrived_with: Option<TokenHash>,
    /// The invitation that set it up, or waits to.
    pub invitation: Option<super::invitation::Invitation>,
}

/// A login email change: asked for by staff, confirmed by the new address (by the link mailed there), and in effect
/// once `effective_at` has come with no cancellation from the old address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginEmailChange {
    /// The confirmation link's (mailed to the new address); it names the move too.
    pub token_hash: TokenHash,
    /// Normalised, as account ids hold it.
    pub new_login_email: String,
    /// Until when the confirmation link works.
    pub expires_at: u64,
    /// Who asked, and with which roles then (a move is made only if they may still act on the account).
    pub by: latchkey_shared::api::Actor,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_roles: Vec<Role>,
    /// The cancellation link's (mailed to the old address and the contact email); changes asked for before the
    /// delay existed have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_hash: Option<TokenHash>,
    #[serde(default)]
    pub requested_at: u64,
    /// The earliest moment it takes effect: the request and the delay that lets the owner stop it.
    #[serde(default)]
    pub effective_at: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_at: Option<u64>,
    /// The Durable Object the account lives in now (its name may be an earlier form of the login email's).
    #[serde(default)]
    pub account_id: String,
    /// When the move began: from then on this object is no account anyone can use, and the change is spent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moving_since: Option<u64>,
}

impl LoginEmailChange {
    /// Who asked, as the authority check needs them.
    pub fn requester(&self) -> latchkey_shared::api::StaffMember {
        latchkey_shared::api::StaffMember { actor: self.by.clone(), roles: self.by_roles.clone() }
    }

    /// Whether the account is to move now: confirmed, and its delay over (or the move already begun).
    pub fn due(&self, now: u64) -> bool {
        self.moving_since.is_some() || (self.confirmed_at.is_some() && now >= self.effective_at)
    }
}

/// A new password through a reset link.
pub struct ResetInput<'a> {
    pub token: &'a TokenHash,
    pub password: &'a str,
    pub confirm: &'a str,
    /// The breach check's verdict: `None` when it is off or could not be had (the rest of the policy still applies).
    pub breached: Option<bool>,
    /// The checked second factor, when the account uses 2-Step Verification (from [`AccountState::reset_proof`]).
    pub proof: Option<Proof>,
}

impl AccountState {
    pub fn new(profile: Profile, password_hash: Option<String>) -> AccountState {
        AccountState {
            profile,
            credential: Credential { hash: password_hash.map(Into::into), ..Credential::default() },
            tokens: Tokens::default(),
            reset_requests: SlidingWindow::default(),
            reset_attempts: SlidingWindow::default(),
            sessions: Sessions::default(),
            failed_logins: LoginFailures::default(),
            outbox: Outbox::default(),
            webhooks: Webhooks::default(),
            two_step: TwoStep::default(),
            apps: Apps::default(),
            last_login_at: None,
            roles: Vec::new(),
            history: History::default(),
            login_email_change: None,
            email_verified: false,
            arrived_with: None,
            invitation: None,
        }
    }

    /// How logs name this account.
    pub fn pseudonym(&self, keys: &Keys) -> Pseudonym {
        Pseudonym::for_account(keys, self.profile.audience, &self.profile.login_email)
    }

    /// Enabled, and not on its way to another name (a moving account logs in nowhere until it has arrived).
    pub fn is_active(&self) -> bool {
        self.profile.status == AccountStatus::Active && !self.is_moving()
    }

    pub fn is_moving(&self) -> bool {
        self.login_email_change.as_ref().is_some_and(|change| change.moving_since.is_some())
    }

    /// Every address on file, login first, without repeats.
    pub fn addresses(&self) -> Vec<String> {
        let mut to = vec![self.profile.login_email.clone()];
        if let Some(contact) = &self.profile.contact_email {
            if !to.contains(contact) {
                to.push(contact.clone());
            }
        }
        to
    }

    pub fn view(&self, now: u64, keys: &Keys) -> AccountView {
        AccountView {
            login_email: display(&self.profile.login_email),
            contact_email: self.profile.contact_email.as_deref().map(display),
            audience: self.profile.audience,
            display_name: self.profile.display_name.clone(),
            locale: self.profile.locale,
            status: self.profile.status,
            active_sessions: self.sessions.live(now),
            password_changed_at: self.credential.changed_at,
            password_scheme: self.credential.hash.as_ref().and_then(|h| crate::password::scheme(h.expose_str())),
            required_change: self.credential.required,
            two_step_enabled: self.two_step.enabled(),
            passkeys: self.two_step.passkeys.info(),
            pseudonym: self.pseudonym(keys).as_str().to_owned(),
            // Kept per address in KV, not by the account: the admin handler adds them.
            mail_events: Vec::new(),
            reset_link: self.tokens.latest(now),
            last_login_at: self.last_login_at,
            failed_logins_recent: self.failed_logins.recent(now),
            recent_mail: self.outbox.recent_mail(),
            roles: self.roles.clone(),
            history: self.history.recent(),
            pending_login_email: self.login_email_change.as_ref().map(|change| PendingLoginEmail {
                new_login_email: display(&change.new_login_email),
                effective_at: change.effective_at,
                confirmed: change.confirmed_at.is_some(),
            }),
            invitation: self.invitation_view(now),
            // Whom the view is for, only the handler knows.
            may_act: false,
        }
    }

    /// Records a new reset token; every earlier one stops working. Disabled accounts get none, and an account sent
    /// as many links as [`RESET_REQUESTS`] allows gets no more until the window passes (the earlier links still work).
    pub fn issue_token(&mut self, hash: TokenHash, now: u64, lifetime_secs: u32) -> Result<(), Refusal> {
        if !self.is_active() {
            return Err(ErrorCode::Unauthorized.into());
        }
        if !self.reset_requests.try_record(now, RESET_REQUESTS) {
            return Err(ErrorCode::RateLimited.into());
        }
        self.tokens.issue(hash, now, now + u64::from(lifetime_secs));
        Ok(())
    }

    /// Takes back a link whose mail could not be sent (KV or the queue failed after it was issued): it never worked,
    /// the link it replaced works again, and the request does not count against the limit.
    pub fn withdraw_token(&mut self, hash: &TokenHash) {
        if self.tokens.withdraw(hash) {
            self.reset_requests.forget_latest();
        }
    }

    pub fn token_status(&self, hash: &TokenHash, now: u64) -> TokenStatus {
        if self.is_active() {
            self.tokens.status(hash, now)
        } else {
            TokenStatus::Invalid
        }
    }

    /// Counts an attempt to set a password with `token`, if the link is live (a dead link is refused by
    /// [`AccountState::reset_password`] with its own reason, at no cost); refuses once too many came recently.
    pub fn admit_reset_attempt(&mut self, token: &TokenHash, now: u64) -> Result<(), Refusal> {
        if self.token_status(token, now) != TokenStatus::Ok || self.reset_attempts.try_record(now, RESET_ATTEMPTS) {
            Ok(())
        } else {
            Err(ErrorCode::RateLimited.into())
        }
    }

    /// The second factor a reset with `token` needs: none for a dead link (refused for what it is, so only a holder
    /// of a working link learns the account uses 2-Step Verification) or an account without it; otherwise `code`,
    /// checked (a wrong one counts as a failure) but not yet spent.
    pub fn reset_proof(
        &mut self,
        token: &TokenHash,
        factor: Option<Factor<'_>>,
        now: u64,
        keys: &Keys,
    ) -> Result<Option<Proof>, Refusal> {
        if self.token_status(token, now) != TokenStatus::Ok || !self.two_step.enabled() {
            return Ok(None);
        }
        let factor = factor.ok_or(Refusal::new(ErrorCode::TwoStepRequired))?;
        self.two_step.check(factor, now, keys).map(Some)
    }

    /// Sets a new password through a reset link: all of it (token used, password and history updated, sessions
    /// revoked, notice queued as mail `notice_id`) or, on any refusal, none of it. How many sessions ended.
    pub fn reset_password(
        &mut self,
        input: ResetInput<'_>,
        now: u64,
        policy: &Policy,
        hasher: &dyn PasswordHasher,
        notice_id: String,
    ) -> Result<u32, Refusal> {
        super::tokens::working(self.token_status(input.token, now))?;
        let two_step = self.two_step.enabled();
        if two_step && input.proof.is_none() {
            return Err(ErrorCode::TwoStepRequired.into());
        }
        let new = self.choose_password(input.password, input.confirm, input.breached, policy, hasher)?;

        // Nothing can fail from here on.
        if let Some(proof) = input.proof {
            self.two_step.spend(proof, now);
        }
        self.tokens.spend(input.token);
        // The link reached the login email: the address is the person's.
        self.email_verified = true;
        let revoked = self.end_all_sessions(now);
        self.put_password(new, now, notice_id);
        Ok(revoked)
    }

    /// Logins and reset links work again (the links revoked at the disabling stay revoked); whether it was disabled.
    pub fn enable(&mut self) -> bool {
        let was_disabled = !self.is_active();
        self.profile.status = AccountStatus::Active;
        was_disabled
    }

    /// Disables the account: no login, no reset, every session and link revoked.
    pub fn disable(&mut self, now: u64) {
        self.profile.status = AccountStatus::Disabled;
        self.end_all_sessions(now);
        self.tokens.revoke_all();
    }

    /// The admin turns 2-Step Verification off for someone who lost the phone and the recovery codes: every session
    /// ends, and every address on file is told (mail id `notice_id`).
    pub fn turn_off_two_step_by_admin(&mut self, notice_id: String, now: u64) -> Result<(), Refusal> {
        self.two_step.turn_off_by_admin()?;
        self.credential.two_step_turned_off();
        self.end_all_sessions(now);
        self.queue_two_step_notice(notice_id, TwoStepChange::DisabledByAdmin, now);
        Ok(())
    }

    /// Removes a passkey for staff: the last second factor going is 2-Step Verification going off, as staff turn it
    /// off; every session ends (whoever holds the lost device may be logged in), and every address is told.
    pub fn remove_passkey_by_staff(&mut self, id: &str, notice_id: String, now: u64) -> Result<(), Refusal> {
        let last = self.two_step.only_factor_is(id);
        self.two_step.passkeys.remove(id)?;
        if last {
            self.two_step.turn_off_by_admin().ok();
            self.credential.two_step_turned_off();
        }
        self.end_all_sessions(now);
        let change = if last { TwoStepChange::DisabledByAdmin } else { TwoStepChange::PasskeyRemoved };
        self.queue_two_step_notice(notice_id, change, now);
        Ok(())
    }

    /// Seconds until the Durable Object's alarm is next needed (mail to hand over or presumed lost, a webhook due, a
    /// confirmed login email change whose delay ends, a move to try again, an invitation's reminder).
    pub fn wake_in(&self, now: u64) -> Option<u64> {
        let moving = self.login_email_change.as_ref().and_then(|change| match change.moving_since {
            Some(_) => Some(MOVE_RETRY_SECS),
            None => change.confirmed_at.map(|_| change.effective_at.saturating_sub(now).max(1)),
        });
        let reminder = self.invitation.as_ref().and_then(|i| i.remind_at).map(|at| at.saturating_sub(now).max(1));
        self.outbox
            .wake_in(now)
            .into_iter()
            .chain(reminder)
            .chain(self.webhooks.wake_in(now))
            .chain(self.apps.wake_in(now))
            .chain(moving)
            .min()
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
