//! Logging in to other apps (OpenID Connect): a code issued in a live session, exchanged once for a refresh-token
//! family, refreshed with rotation, looked at (userinfo, introspection), revoked; and the back-channel logouts tried.

use crate::account::apply::{Apply, Context, Next, Outcome, Slot};
use crate::account::apps::{sid_of, Exchange, Family, GrantRefusal};
use crate::account::codes::Code;
use crate::account::state::AccountState;
use crate::audit::AccountEvent;
use crate::email::display;
use crate::token::TokenHash;
use latchkey_shared::api::{PasswordChangeRequirement, TwoStepRequirement};
use latchkey_shared::{Audience, Locale, Secret};
use serde::{Deserialize, Serialize};

/// What an app's tokens say about the person and the login, read from the account when they are made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub family_id: String,
    pub client_id: String,
    pub subject: String,
    pub sid: String,
    pub auth_time: u64,
    /// How the login was made (RFC 8176 `amr`).
    pub amr: Vec<String>,
    pub nonce: Option<String>,
    /// What these tokens are for: the grant's scope, or less when a refresh asked for less.
    pub scope: Vec<String>,
    /// Whether the grant holds `offline_access`: a refresh is answered with the next refresh token.
    #[serde(default)]
    pub offline: bool,
    pub email: String,
    /// Whether the login email is known to reach the person (`email_verified`).
    #[serde(default)]
    pub email_verified: bool,
    pub name: String,
    pub audience: Audience,
    pub locale: Locale,
}

impl AccountState {
    /// The grant `family` stands for, while the session it came from is live.
    fn grant(&self, family: &Family, now: u64) -> Option<Grant> {
        let session = self.sessions.get(&family.session, now).filter(|_| self.is_active())?;
        Some(Grant {
            offline: family.scope.iter().any(|s| s == "offline_access"),
            email_verified: self.email_verified,
            family_id: family.id.clone(),
            client_id: family.client_id.clone(),
            subject: self.apps.subject.clone()?,
            sid: sid_of(&family.session),
            auth_time: session.authenticated_at.unwrap_or(0),
            amr: session.amr(),
            nonce: family.nonce.clone(),
            scope: family.scope.clone(),
            email: display(&self.profile.login_email),
            name: self.profile.display_name.clone(),
            audience: self.profile.audience,
            locale: family.locale.unwrap_or(self.profile.locale),
        })
    }
}

/// What the authorization endpoint does next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Authorized {
    /// The code was issued: back to the app.
    Code,
    /// No usable session, or not fresh enough: the login page.
    Login,
    /// The session must set up 2-Step Verification first.
    TwoStepSetup,
    /// The session owes a new password first.
    PasswordChange,
    /// This account's type may not log in to this app.
    AccessDenied,
    /// The person must say "Continue" to this app on latchkey's page first (`email`: whom they would log in as).
    Consent { email: String },
}

/// Whether the person must confirm the app before a code is issued.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConsentAsk {
    /// A native app answered on this device (a public client's loopback or private-use-scheme redirect: any local
    /// program can start that request, RFC 8252 §8.6), or `prompt=consent`.
    pub needed: bool,
    /// `prompt=consent`: a remembered "Continue" does not count.
    #[serde(default)]
    pub forced: bool,
    /// The person just pressed "Continue" on latchkey's page: remembered for this app until then (not at all if it
    /// is not in the future).
    #[serde(default)]
    pub given_until: Option<u64>,
}

/// How fresh an app's login must be: not before `login_after` (the moment the login page answered `prompt=login`), nor
/// older than `max_age` seconds (OpenID Connect Core §3.1.2.1).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Freshness {
    pub login_after: Option<u64>,
    pub max_age: Option<u64>,
}

impl Freshness {
    /// The moment a login must be no older than, `now` by the account's clock.
    pub fn after(self, now: u64) -> Option<u64> {
        let by_age = self.max_age.map(|age| now.saturating_sub(age));
        self.login_after.into_iter().chain(by_age).max()
    }
}

/// Whether a code may be issued in this session: live, fresh enough, nothing owed first, an account type the app
/// takes, the app confirmed by the person where that is asked. Reads the account (the code itself is sealed by the
/// shell, [`crate::account::codes`]); writes only the account's subject, the first time it logs in to an app, and a
/// "Continue" the person just gave.
#[derive(Debug, Serialize, Deserialize)]
pub struct Authorize {
    pub session_hash: TokenHash,
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub consent: ConsentAsk,
    /// The required changes by account type, as the site has them now.
    #[serde(default)]
    pub password_change: PasswordChangeRequirement,
    /// How fresh the login must be, judged by this account's clock.
    #[serde(default)]
    pub freshness: Freshness,
    /// The account types the app takes (none: both).
    pub audiences: Vec<Audience>,
    pub requirement: TwoStepRequirement,
    /// The subject to give the account if it has none yet (random, made by the shell).
    pub subject: String,
}

impl Apply for Authorize {
    type Reply = Authorized;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Authorized> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Authorized::Login) };
        let Some(session) = account.sessions.get(&self.session_hash, cx.now).filter(|_| account.is_active()) else {
            return Outcome::reply(Authorized::Login);
        };
        if self.freshness.after(cx.now).is_some_and(|after| session.authenticated_at.is_none_or(|at| at < after)) {
            return Outcome::reply(Authorized::Login);
        }
        let grace = self.requirement.grace_secs(account.profile.audience);
        if account.two_step.status(cx.now, grace).setup_required {
            return Outcome::reply(Authorized::TwoStepSetup);
        }
        let for_audience = self.password_change.for_audience(account.profile.audience);
        if account.full_session_under(&self.session_hash, cx.now, for_audience).is_err() {
            return Outcome::reply(Authorized::PasswordChange);
        }
        if !self.audiences.is_empty() && !self.audiences.contains(&account.profile.audience) {
            return Outcome::reply(Authorized::AccessDenied);
        }
        let mut changed = false;
        if self.consent.needed {
            match self.consent.given_until {
                Some(until) => changed |= account.apps.remember_consent(&self.client_id, until, cx.now),
                None if !self.consent.forced && account.apps.consented(&self.client_id, cx.now) => {}
                None => return Outcome::reply(Authorized::Consent { email: display(&account.profile.login_email) }),
            }
        }
        if account.apps.subject.is_none() {
            account.apps.subject = Some(self.subject);
            changed = true;
        }
        let outcome = Outcome::reply(Authorized::Code);
        if changed {
            outcome.saved()
        } else {
            outcome
        }
    }
}

fn refused(refusal: GrantRefusal) -> Outcome<Result<Grant, GrantRefusal>> {
    Outcome::reply(Err(refusal)).saved().event(AccountEvent::AppGrantRefused(refusal))
}

/// `password_change_due` when `session` owes a change of password that is due — decided now, not when the session
/// opened: nothing new reaches apps until it is made.
fn owes_no_change(
    account: &AccountState,
    session: &TokenHash,
    requirement: &PasswordChangeRequirement,
    now: u64,
) -> Result<(), GrantRefusal> {
    let for_audience = requirement.for_audience(account.profile.audience);
    match account.owed_change(session, now, for_audience) {
        Some(owed) if owed.due => Err(GrantRefusal::PasswordChangeDue),
        _ => Ok(()),
    }
}

/// The grant a code exchange or a refresh gave, while the session it came from lives (else the family ends with it).
/// Used, the session's idle time starts again: an app refreshing is the person still using it.
fn granted(
    account: &mut AccountState,
    family: Result<Family, GrantRefusal>,
    cx: &Context<'_>,
) -> Outcome<Result<Grant, GrantRefusal>> {
    let family = match family {
        Ok(family) => family,
        Err(refusal) => return refused(refusal),
    };
    match account.grant(&family, cx.now) {
        Some(grant) => {
            account.sessions.touch(&family.session, cx.now, cx.rules.session_idle_secs);
            Outcome::reply(Ok(grant)).saved().event(AccountEvent::AppTokensIssued)
        }
        None => {
            account.apps.families.retain(|f| f.id != family.id);
            refused(GrantRefusal::SessionEnded)
        }
    }
}

/// `grant_type=authorization_code`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ExchangeCode {
    pub code_hash: TokenHash,
    /// What the code was issued for, opened from its seal.
    pub code: Code,
    pub client_id: String,
    pub redirect_uri: String,
    pub code_verifier: Secret<String>,
    pub family_id: String,
    pub refresh_hash: TokenHash,
    #[serde(default)]
    pub password_change: PasswordChangeRequirement,
}

impl Apply for ExchangeCode {
    type Reply = Result<Grant, GrantRefusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(GrantRefusal::Unknown)) };
        if let Err(refusal) = owes_no_change(account, &self.code.session, &self.password_change, cx.now) {
            return refused(refusal);
        }
        let exchange = Exchange {
            code: self.code_hash,
            issued: &self.code,
            client_id: &self.client_id,
            redirect_uri: &self.redirect_uri,
            verifier: self.code_verifier.expose_str(),
            family_id: self.family_id,
            refresh: self.refresh_hash,
        };
        let family = account.apps.exchange(exchange, cx.now);
        granted(account, family, cx)
    }
}

/// `grant_type=refresh_token`: `refresh_hash` is spent, `next_hash` works instead. With `scope`, the new tokens are
/// for that part of the grant (RFC 6749 §6); a scope the grant never had is refused before anything is spent, as is a
/// refresh in a session that owes a change of password now due.
#[derive(Debug, Serialize, Deserialize)]
pub struct Refresh {
    pub refresh_hash: TokenHash,
    pub client_id: String,
    pub next_hash: TokenHash,
    #[serde(default)]
    pub scope: Option<Vec<String>>,
    #[serde(default)]
    pub password_change: PasswordChangeRequirement,
}

impl Apply for Refresh {
    type Reply = Result<Grant, GrantRefusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(GrantRefusal::Unknown)) };
        if let Some(family) = account.apps.family_of(&self.refresh_hash) {
            let broader = self.scope.as_ref().is_some_and(|asked| asked.iter().any(|s| !family.scope.contains(s)));
            if broader {
                return refused(GrantRefusal::ScopeNotGranted);
            }
            if let Err(refusal) = owes_no_change(account, &family.session, &self.password_change, cx.now) {
                return refused(refusal);
            }
        }
        let family = account.apps.refresh(&self.refresh_hash, &self.client_id, self.next_hash);
        let mut outcome = granted(account, family, cx);
        if let (Next::Reply(Ok(grant)), Some(asked)) = (&mut outcome.next, self.scope) {
            grant.scope.retain(|s| asked.contains(s));
        }
        outcome
    }
}

/// Which grant a token is part of.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantToken {
    Refresh(TokenHash),
    /// An access token's grant (its signature and expiry are checked before).
    Family(String),
}

/// The grant a token stands for, if it is live: what userinfo and introspection answer from.
#[derive(Debug, Serialize, Deserialize)]
pub struct GrantStatus {
    pub token: GrantToken,
}

impl Apply for GrantStatus {
    type Reply = Option<Grant>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Option<Grant>> {
        let Some(account) = slot.account.as_ref() else { return Outcome::reply(None) };
        let family = match &self.token {
            GrantToken::Refresh(hash) => account.apps.family_of(hash),
            GrantToken::Family(id) => account.apps.family(id),
        };
        Outcome::reply(family.and_then(|family| account.grant(family, cx.now)))
    }
}

/// RFC 7009: the grant a token is part of ends, if it is `client_id`'s. Answered the same either way.
#[derive(Debug, Serialize, Deserialize)]
pub struct RevokeGrant {
    pub token: GrantToken,
    pub client_id: String,
}

impl Apply for RevokeGrant {
    type Reply = ();

    fn apply(self, slot: &mut Slot, _: &Context<'_>) -> Outcome<()> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(()) };
        let id = match &self.token {
            GrantToken::Refresh(hash) => account.apps.family_of(hash).map(|f| f.id.clone()),
            GrantToken::Family(id) => Some(id.clone()),
        };
        match id {
            Some(id) if account.apps.revoke(&id, &self.client_id) => Outcome::reply(()).saved(),
            _ => Outcome::reply(()),
        }
    }
}

#[cfg(test)]
#[path = "apps_tests.rs"]
mod tests;
