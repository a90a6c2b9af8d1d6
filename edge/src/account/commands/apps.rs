//! Logging in to other apps (OpenID Connect): a code issued in a live session, exchanged once for a refresh-token
//! family, refreshed with rotation, looked at (userinfo, introspection), revoked; and the back-channel logouts tried.

use crate::account::apply::{Apply, Context, Outcome, Slot};
use crate::account::apps::{sid_of, BackChannelLogout, Exchange, Family, GrantRefusal};
use crate::account::codes::Code;
use crate::account::state::AccountState;
use crate::audit::AccountEvent;
use crate::email::display;
use crate::token::TokenHash;
use crate::webhook::Outcome as Tried;
use latchkey_shared::api::TwoStepRequirement;
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
    /// The login gave a 2-Step Verification code.
    pub otp: bool,
    pub nonce: Option<String>,
    pub scope: Vec<String>,
    pub email: String,
    pub name: String,
    pub audience: Audience,
    pub locale: Locale,
}

impl AccountState {
    /// The grant `family` stands for, while the session it came from is live.
    fn grant(&self, family: &Family, now: u64) -> Option<Grant> {
        let session = self.sessions.get(&family.session, now).filter(|_| self.is_active())?;
        Some(Grant {
            family_id: family.id.clone(),
            client_id: family.client_id.clone(),
            subject: self.apps.subject.clone()?,
            sid: sid_of(&family.session),
            auth_time: session.authenticated_at.unwrap_or(0),
            otp: session.otp,
            nonce: family.nonce.clone(),
            scope: family.scope.clone(),
            email: display(&self.profile.login_email),
            name: self.profile.display_name.clone(),
            audience: self.profile.audience,
            locale: self.profile.locale,
        })
    }
}

/// What the authorization endpoint does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// Whether a code may be issued in this session: live, fresh enough, nothing owed first, an account type the app
/// takes. Reads the account (the code itself is sealed by the shell, [`crate::account::codes`]); writes only the
/// account's subject, the first time it logs in to an app.
#[derive(Debug, Serialize, Deserialize)]
pub struct Authorize {
    pub session_hash: TokenHash,
    /// The login must be no older than this.
    pub fresh_after: Option<u64>,
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
        if self.fresh_after.is_some_and(|after| session.authenticated_at.is_none_or(|at| at < after)) {
            return Outcome::reply(Authorized::Login);
        }
        let grace = self.requirement.grace_secs(account.profile.audience);
        if account.two_step.status(cx.now, grace).setup_required {
            return Outcome::reply(Authorized::TwoStepSetup);
        }
        if account.full_session(&self.session_hash, cx.now).is_err() {
            return Outcome::reply(Authorized::PasswordChange);
        }
        if !self.audiences.is_empty() && !self.audiences.contains(&account.profile.audience) {
            return Outcome::reply(Authorized::AccessDenied);
        }
        match account.apps.subject {
            Some(_) => Outcome::reply(Authorized::Code),
            None => {
                account.apps.subject = Some(self.subject);
                Outcome::reply(Authorized::Code).saved()
            }
        }
    }
}

/// The grant a code exchange or a refresh gave, while the session it came from lives (else the family ends with it).
/// Used, the session's idle time starts again: an app refreshing is the person still using it.
fn granted(
    account: &mut AccountState,
    family: Result<Family, GrantRefusal>,
    cx: &Context<'_>,
) -> Outcome<Result<Grant, GrantRefusal>> {
    let refused = |refusal| Outcome::reply(Err(refusal)).saved().event(AccountEvent::AppGrantRefused(refusal));
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
}

impl Apply for ExchangeCode {
    type Reply = Result<Grant, GrantRefusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(GrantRefusal::Unknown)) };
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

/// `grant_type=refresh_token`: `refresh_hash` is spent, `next_hash` works instead.
#[derive(Debug, Serialize, Deserialize)]
pub struct Refresh {
    pub refresh_hash: TokenHash,
    pub client_id: String,
    pub next_hash: TokenHash,
}

impl Apply for Refresh {
    type Reply = Result<Grant, GrantRefusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Err(GrantRefusal::Unknown)) };
        let family = account.apps.refresh(&self.refresh_hash, &self.client_id, self.next_hash);
        granted(account, family, cx)
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

/// What the alarm's tries of back-channel logouts gave.
#[derive(Debug)]
pub struct LogoutsTried {
    pub tried: Vec<(BackChannelLogout, Tried)>,
}

impl Apply for LogoutsTried {
    type Reply = ();

    fn apply(self, slot: &mut Slot, _: &Context<'_>) -> Outcome<()> {
        crate::account::apply::change_account(slot, |account| account.apps.logouts_tried(&self.tried))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::apply::testing::{ana, hash, rules, run, NOW, OLD_PASSWORD};
    use crate::account::apps::pkce_matches;
    use crate::account::commands::session::{Login, Logout};

    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn login(slot: &mut Slot, session: u8, at: u64) {
        let login: Login = serde_json::from_value(serde_json::json!({
            "password": OLD_PASSWORD, "session_hash": hash(session),
        }))
        .unwrap();
        assert!(run(slot, login, at, &rules()).reply.is_ok());
    }

    /// `n` names the subject the command brings.
    fn authorize(session: u8, n: u8, fresh_after: Option<u64>, audiences: Vec<Audience>) -> Authorize {
        Authorize {
            session_hash: hash(session),
            fresh_after,
            audiences,
            requirement: TwoStepRequirement::default(),
            subject: format!("subject-{n}"),
        }
    }

    /// The code (hash `code`) issued in session 1, exchanged.
    fn exchange(code: u8, family: &str, refresh: u8) -> ExchangeCode {
        ExchangeCode {
            code_hash: hash(code),
            code: Code {
                session: hash(1),
                client_id: "app".into(),
                redirect_uri: "https://app/cb".into(),
                challenge: CHALLENGE.into(),
                nonce: Some("n-1".into()),
                scope: vec!["openid".into(), "email".into()],
                expires_at: NOW + crate::account::codes::CODE_TTL_SECS,
            },
            client_id: "app".into(),
            redirect_uri: "https://app/cb".into(),
            code_verifier: Secret::new(VERIFIER.into()),
            family_id: family.into(),
            refresh_hash: hash(refresh),
        }
    }

    #[test]
    fn a_live_session_gets_a_code_a_missing_or_stale_one_the_login_page() {
        assert!(pkce_matches(VERIFIER, CHALLENGE));
        let mut slot = ana();
        assert_eq!(run(&mut slot, authorize(1, 10, None, vec![]), NOW, &rules()).reply, Authorized::Login);
        login(&mut slot, 1, NOW);
        assert_eq!(
            run(&mut slot, authorize(1, 10, Some(NOW + 5), vec![]), NOW + 10, &rules()).reply,
            Authorized::Login
        );
        let denied = run(&mut slot, authorize(1, 10, None, vec![Audience::Staff]), NOW + 10, &rules());
        assert_eq!(denied.reply, Authorized::AccessDenied, "Ana's parent account may not use a staff app");
        let first = run(&mut slot, authorize(1, 10, Some(NOW), vec![]), NOW + 10, &rules());
        assert_eq!((first.reply, first.saves), (Authorized::Code, 1), "the subject is made and kept");
        let again = run(&mut slot, authorize(1, 11, None, vec![]), NOW + 11, &rules());
        assert_eq!((again.reply, again.saves), (Authorized::Code, 0), "a code costs the account no write");
    }

    #[test]
    fn the_code_becomes_tokens_once_with_a_stable_subject_and_the_login_it_came_from() {
        let mut slot = ana();
        login(&mut slot, 1, NOW);
        let _ = run(&mut slot, authorize(1, 10, None, vec![]), NOW, &rules());
        let grant = run(&mut slot, exchange(10, "f1", 50), NOW + 5, &rules()).reply.unwrap();
        assert_eq!((grant.subject.as_str(), grant.auth_time, grant.otp), ("subject-10", NOW, false));
        assert_eq!((grant.nonce.as_deref(), grant.sid.clone()), (Some("n-1"), sid_of(&hash(1))));
        assert_eq!(run(&mut slot, exchange(10, "f2", 51), NOW + 6, &rules()).reply, Err(GrantRefusal::Replayed));
        let _ = run(&mut slot, authorize(1, 11, None, vec![]), NOW + 7, &rules());
        let again = run(&mut slot, exchange(11, "f3", 52), NOW + 8, &rules()).reply.unwrap();
        assert_eq!(again.subject, "subject-10", "the subject is made once");
    }

    #[test]
    fn a_password_change_ends_what_apps_got_even_through_the_session_that_made_it() {
        use crate::account::commands::password::ChangePassword;
        let mut slot = ana();
        login(&mut slot, 1, NOW);
        let _ = run(&mut slot, authorize(1, 10, None, vec![]), NOW, &rules());
        run(&mut slot, exchange(10, "f1", 50), NOW, &rules()).reply.unwrap();
        let change = ChangePassword {
            client: "test-client".into(),
            session_hash: hash(1),
            current: OLD_PASSWORD.into(),
            password: "Otter-Lantern-42-Quiet".into(),
            confirm: "Otter-Lantern-42-Quiet".into(),
            breached: None,
            code: None,
        };
        run(&mut slot, change, NOW + 1, &rules()).reply.unwrap();
        let status = GrantStatus { token: GrantToken::Refresh(hash(50)) };
        assert!(run(&mut slot, status, NOW + 2, &rules()).reply.is_none(), "the app's refresh token ended");
        let account = slot.account.as_ref().unwrap();
        assert!(account.has_session(&hash(1), NOW + 2), "the latchkey session that made the change stays");
        assert_eq!(account.apps.logouts.len(), 1, "and the app is told");
    }

    #[test]
    fn logging_out_ends_the_apps_tokens_and_owes_them_a_logout() {
        let mut slot = ana();
        login(&mut slot, 1, NOW);
        let _ = run(&mut slot, authorize(1, 10, None, vec![]), NOW, &rules());
        run(&mut slot, exchange(10, "f1", 50), NOW, &rules()).reply.unwrap();
        let refreshed = run(
            &mut slot,
            Refresh { refresh_hash: hash(50), client_id: "app".into(), next_hash: hash(51) },
            NOW + 1,
            &rules(),
        );
        assert!(refreshed.reply.is_ok());
        let status = GrantStatus { token: GrantToken::Refresh(hash(51)) };
        assert!(run(&mut slot, status, NOW + 2, &rules()).reply.is_some());
        let _ = run(&mut slot, Logout { session_hash: hash(1) }, NOW + 3, &rules());
        let status = GrantStatus { token: GrantToken::Family("f1".into()) };
        assert!(run(&mut slot, status, NOW + 4, &rules()).reply.is_none(), "introspection says inactive");
        let account = slot.account.as_ref().unwrap();
        assert_eq!(account.apps.logouts.len(), 1);
        assert_eq!(account.wake_in(NOW + 3), Some(1), "the alarm delivers it at once");
    }
}
