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
use super::two_step::{Proof, TwoStep};
use super::webhooks::Webhooks;
use crate::audit::{Pseudonym, TwoStepChange};
use crate::email::display;
use crate::mail::job::{AccountChange, MailJob};
use crate::seal::Keys;
use crate::token::TokenHash;
use crate::webhook;
use latchkey_shared::api::{
    AccountStatus, AccountView, PasswordChange, PasswordChangeReason, PendingLoginEmail, RequiredChange, Role,
    SessionInfo, TokenStatus,
};
use latchkey_shared::chars::normalize;
use latchkey_shared::{evaluate, Audience, ErrorCode, Locale, Policy};
use serde::{Deserialize, Serialize};

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

/// What a login brings.
pub struct LoginInput<'a> {
    /// Who is trying: a pseudonym of the client's address (failures are counted per client, and in all).
    pub client: &'a str,
    pub password: &'a str,
    /// A code from the authenticator app or a recovery code.
    pub code: Option<&'a str>,
    pub session: TokenHash,
}

/// What a login checks a right password against, to find a change it owes.
pub struct PasswordChecks<'a> {
    /// The policy now: a password it no longer accepts must change.
    pub policy: &'a Policy,
    /// The breach check's verdict on the typed password: `None` when it is off or could not be had.
    pub breached: Option<bool>,
    /// The admin's requirement for this account's type.
    pub for_audience: Option<RequiredChange>,
}

/// The site's settings a login and a session are checked against.
#[derive(Debug, Clone, Copy)]
pub struct SessionRules {
    pub ttl_secs: u64,
    /// How long a session lasts unused.
    pub idle_secs: u64,
    /// The grace period when the site requires 2-Step Verification for the account's audience.
    pub two_step_grace_secs: Option<u64>,
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
            // Whom the view is for, only the handler knows.
            may_act: false,
        }
    }

    pub fn session_info(&self, session: &TokenHash, now: u64, rules: SessionRules) -> SessionInfo {
        SessionInfo {
            email: display(&self.profile.login_email),
            audience: self.profile.audience,
            display_name: self.profile.display_name.clone(),
            two_step: self.two_step.status(now, rules.two_step_grace_secs),
            password_change: self.owed_change(session, now, None),
            roles: self.roles.clone(),
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
        code: Option<&str>,
        now: u64,
        keys: &Keys,
    ) -> Result<Option<Proof>, Refusal> {
        if self.token_status(token, now) != TokenStatus::Ok || !self.two_step.enabled() {
            return Ok(None);
        }
        let code = code.ok_or(Refusal::new(ErrorCode::TwoStepRequired))?;
        self.two_step.check(code, now, keys).map(Some)
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
        match self.token_status(input.token, now) {
            TokenStatus::Ok => {}
            TokenStatus::Expired => return Err(ErrorCode::TokenExpired.into()),
            TokenStatus::Superseded => return Err(ErrorCode::TokenSuperseded.into()),
            TokenStatus::Used => return Err(ErrorCode::TokenUsed.into()),
            TokenStatus::Invalid => return Err(ErrorCode::TokenInvalid.into()),
        }
        let two_step = self.two_step.enabled();
        if two_step && input.proof.is_none() {
            return Err(ErrorCode::TwoStepRequired.into());
        }
        let new = self.choose_password(input.password, input.confirm, input.breached, policy, hasher)?;

        // Nothing can fail from here on.
        if let Some(proof) = input.proof {
            self.two_step.spend(proof);
        }
        self.tokens.spend(input.token);
        // The link reached the login email: the address is the person's.
        self.email_verified = true;
        let revoked = self.end_all_sessions(now);
        self.put_password(new, now, notice_id);
        Ok(revoked)
    }

    /// Checks a login: the password, then (when the account uses 2-Step Verification) the code. Refuses without even
    /// trying the password once too many attempts failed recently.
    pub fn login(
        &mut self,
        input: LoginInput<'_>,
        now: u64,
        rules: SessionRules,
        checks: PasswordChecks<'_>,
        hasher: &dyn PasswordHasher,
        keys: &Keys,
    ) -> Result<SessionInfo, Refusal> {
        if self.failed_logins.throttles(input.client, now) {
            return Err(ErrorCode::RateLimited.into());
        }
        let password = normalize(input.password);
        let matches = if self.is_active() && self.credential.hash.is_some() {
            self.credential.matches(&password, hasher)
        } else {
            // A disabled or invited account costs what every other login costs: one argon2 run at the current
            // parameters, so timing never tells it from an unknown email or a wrong password.
            let _ = hasher.hash(&password);
            false
        };
        if !matches {
            self.failed_logins.record(input.client, now);
            return Err(ErrorCode::InvalidCredentials.into());
        }
        // Right: a hash made another way (imported, or older parameters) is made again, now that the password is here.
        self.credential.upgrade(&password, hasher);
        if self.two_step.enabled() {
            // The password was right: asking for the code is not a failure; a wrong code is, on its own count.
            let code = input.code.ok_or(Refusal::new(ErrorCode::TwoStepRequired))?;
            let proof = self.two_step.check(code, now, keys)?;
            self.two_step.spend(proof);
        }
        self.failed_logins.forgive(input.client);
        // The one moment the plaintext is here: does the password still meet the policy, is it in a breach?
        self.credential.flagged = if checks.breached == Some(true) {
            Some(PasswordChangeReason::Breached)
        } else if !evaluate(input.password, checks.policy, &self.policy_context(self.two_step.enabled())).acceptable {
            Some(PasswordChangeReason::Policy)
        } else {
            None
        };
        let owed = self.credential.owed(checks.for_audience, now);
        self.two_step.note_requirement(now, rules.two_step_grace_secs);
        let otp = self.two_step.enabled();
        self.last_login_at = Some(now);
        let gone = self.sessions.open(input.session.clone(), now, rules.ttl_secs, rules.idle_secs, owed, otp);
        self.apps.forget_without(|session| !gone.contains(session));
        Ok(self.session_info(&input.session, now, rules))
    }

    /// The person typed their password again in a live session, before a sensitive change — and, with 2-Step
    /// Verification on, a code if they gave one, which makes the session recent in both factors (what the console's
    /// changes ask). A wrong password counts as a failed login of that client (a stolen session is no way around the
    /// login's throttle), a wrong code as a wrong code; either refuses the whole.
    pub fn reauthenticate(
        &mut self,
        input: LoginInput<'_>,
        now: u64,
        hasher: &dyn PasswordHasher,
        keys: &Keys,
    ) -> Result<(), Refusal> {
        let password = self.confirm_password(&input.session, input.client, input.password, now, hasher)?;
        let proof = match input.code {
            Some(code) if self.two_step.enabled() => Some(self.two_step.check(code, now, keys)?),
            _ => None,
        };
        self.credential.upgrade(&password, hasher);
        self.failed_logins.forgive(input.client);
        let second_factor = proof.is_some();
        if let Some(proof) = proof {
            self.two_step.spend(proof);
        }
        self.sessions.reauthenticated(&input.session, now, second_factor);
        Ok(())
    }

    /// The password typed in a live session (to make it recent, or to change it): right, or a failed login of that
    /// client, throttled as logins are. The password, normalised.
    pub(super) fn confirm_password(
        &mut self,
        session: &TokenHash,
        client: &str,
        password: &str,
        now: u64,
        hasher: &dyn PasswordHasher,
    ) -> Result<String, Refusal> {
        if !self.has_session(session, now) {
            return Err(ErrorCode::Unauthorized.into());
        }
        if self.failed_logins.throttles(client, now) {
            return Err(ErrorCode::RateLimited.into());
        }
        let password = normalize(password);
        if !self.credential.matches(&password, hasher) {
            self.failed_logins.record(client, now);
            return Err(ErrorCode::PasswordIncorrect.into());
        }
        Ok(password)
    }

    pub fn has_session(&self, hash: &TokenHash, now: u64) -> bool {
        self.is_active() && self.sessions.is_live(hash, now)
    }

    /// A live session good for everything: `unauthorized` without one, `password_change_required` while it owes a
    /// change of password that is due (it is good only for making it).
    pub fn full_session(&self, hash: &TokenHash, now: u64) -> Result<(), Refusal> {
        self.full_session_under(hash, now, None)
    }

    /// [`Self::full_session`], with `for_audience` — the account type's required change as the site has it now —
    /// counted too.
    pub fn full_session_under(
        &self,
        hash: &TokenHash,
        now: u64,
        for_audience: Option<RequiredChange>,
    ) -> Result<(), Refusal> {
        if !self.has_session(hash, now) {
            return Err(ErrorCode::Unauthorized.into());
        }
        match self.owed_change(hash, now, for_audience) {
            Some(owed) if owed.due => Err(ErrorCode::PasswordChangeRequired.into()),
            _ => Ok(()),
        }
    }

    /// The change of password a session owes at `now`, decided when it is used, not only when it opened: what its
    /// login found, with its deadline judged now; whatever the account owes now (a change required of it since, the
    /// password flagged by a later login, 2-Step Verification gone under a password only it allowed); and
    /// `for_audience`. The one due first.
    pub fn owed_change(
        &self,
        session: &TokenHash,
        now: u64,
        for_audience: Option<RequiredChange>,
    ) -> Option<PasswordChange> {
        let at_login = self.sessions.password_change(session, now).map(|owed| PasswordChange {
            due: owed.due || owed.deadline.is_some_and(|deadline| now >= deadline),
            ..owed
        });
        at_login
            .into_iter()
            .chain(self.credential.owed(for_audience, now))
            .min_by_key(|owed| (!owed.due, owed.deadline))
    }

    /// Ends every session: each app that got tokens in one is owed a back-channel logout. How many there were.
    pub fn end_all_sessions(&mut self, now: u64) -> u32 {
        let ended = self.sessions.end_all();
        self.apps.end_grants(&ended, now);
        ended.len() as u32
    }

    /// Ends every session but `keep` (the one that made a change the others must not outlive), and their apps'.
    pub fn end_other_sessions(&mut self, keep: &TokenHash, now: u64) {
        let ended = self.sessions.end_others(keep);
        self.apps.end_grants(&ended, now);
    }

    /// Logs out of one session, and out of the apps it logged in to.
    pub fn end_session(&mut self, hash: &TokenHash, now: u64) {
        let ended = self.sessions.end(hash);
        self.apps.end_grants(&ended, now);
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

    /// Queues the notice of a change to 2-Step Verification to every address on file.
    pub fn queue_two_step_notice(&mut self, id: String, change: TwoStepChange, now: u64) {
        let notice = MailJob::TwoStepChanged {
            id,
            to: self.addresses(),
            display_name: self.profile.display_name.clone(),
            audience: self.profile.audience,
            login_email: self.profile.login_email.clone(),
            locale: self.profile.locale,
            change,
            changed_at: now,
        };
        self.outbox.push(notice, now);
    }

    /// Queues the notice of a change staff made (mail id `id`) to every address on file.
    pub fn queue_account_notice(&mut self, id: String, change: AccountChange, now: u64) {
        let notice = MailJob::AccountChanged {
            id,
            to: self.addresses(),
            display_name: self.profile.display_name.clone(),
            audience: self.profile.audience,
            login_email: self.profile.login_email.clone(),
            locale: self.profile.locale,
            change,
            changed_at: now,
            former_login_email: None,
        };
        self.outbox.push(notice, now);
    }

    /// The mail asking for a new password by `deadline` (none: at the next login), to every address on file.
    pub fn change_request_mail(&self, id: String, deadline: Option<u64>) -> MailJob {
        MailJob::ChangeRequested {
            id,
            to: self.addresses(),
            display_name: self.profile.display_name.clone(),
            audience: self.profile.audience,
            login_email: self.profile.login_email.clone(),
            locale: self.profile.locale,
            deadline,
        }
    }

    /// Queues a webhook notification of the password change made at `changed_at`, to go out with the new password's
    /// own write.
    pub fn queue_webhook(&mut self, id: String, changed_at: u64) {
        let p = &self.profile;
        self.webhooks.queue(webhook::Delivery::new(id, p.audience, p.login_email.clone(), changed_at));
    }

    /// Seconds until the Durable Object's alarm is next needed (mail to hand over or presumed lost, a webhook due, a
    /// confirmed login email change whose delay ends, a move to try again).
    pub fn wake_in(&self, now: u64) -> Option<u64> {
        let moving = self.login_email_change.as_ref().and_then(|change| match change.moving_since {
            Some(_) => Some(MOVE_RETRY_SECS),
            None => change.confirmed_at.map(|_| change.effective_at.saturating_sub(now).max(1)),
        });
        self.outbox
            .wake_in(now)
            .into_iter()
            .chain(self.webhooks.wake_in(now))
            .chain(self.apps.wake_in(now))
            .chain(moving)
            .min()
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
