//! The endpoints: each reads its input, asks the pure modules and the account's Durable Object, and answers.

pub mod admin;
pub mod campaigns;
pub mod catalogue;
pub mod clients;
pub mod dead_letters;
pub mod dev;
pub mod invitation_batch;
pub mod invitations;
pub mod login_email;
pub mod mail_events;
pub mod oidc;
pub mod oidc_tokens;
pub mod passkeys;
pub mod password;
pub mod reset;
pub mod routes;
pub mod session;
pub mod settings;
pub mod two_step;

use crate::account::ask::ask_account;
use crate::account::commands::admin::View;
use crate::account::commands::session::CheckStaff;
use crate::account::protocol::Ask;
use crate::account::refusal::Refusal;
use crate::body::{self, BodyError};
use crate::config::Config;
use crate::email::{account_id, account_id_of, Email};
use crate::failure::Internal;
use crate::routes::Guard;
use crate::token::TokenHash;
use latchkey_shared::api::{Actor, PasswordChangeRequirement, Role, StaffMember, TwoStepRequirement};
use latchkey_shared::{ApiError, Audience, ErrorCode, Locale};
use serde::de::DeserializeOwned;
use worker::{Env, Request};

/// What every handler gets.
pub struct Call<'a> {
    pub req: Request,
    pub env: &'a Env,
    pub config: Config,
    pub locale: Locale,
    /// The session cookie, read by the guard of a route that needs one.
    pub session: Option<session::SessionCookie>,
    /// Who calls an admin route, and with which roles: the bearer token or a staff member in the console (set by
    /// the route's guard).
    pub staff: Option<StaffMember>,
}

/// A request from this site's pages, or from no browser: otherwise `cross_site`.
fn same_origin(call: &Call<'_>) -> Result<(), ApiError> {
    let (site, origin) = (call.header("Sec-Fetch-Site"), call.header("Origin"));
    if crate::routes::from_this_site(site.as_deref(), origin.as_deref(), &call.config.app_origin) {
        Ok(())
    } else {
        Err(call.error(ErrorCode::CrossSite))
    }
}

/// Reads the session cookie into the call for the handler; `unauthorized` without a well-formed one.
fn read_session(call: &mut Call<'_>) -> Result<(), ApiError> {
    call.session = Some(session::session_from_cookie(call).ok_or_else(|| call.error(ErrorCode::Unauthorized))?);
    Ok(())
}

/// An admin route's caller: the `ADMIN_TOKEN` bearer secret (automation, the first admin), or — with no
/// `Authorization` header — a console session from this site's own pages whose account holds a role covering `need`
/// and has 2-Step Verification on, and for a change (`recent`) gave both factors lately (its Durable Object decides).
/// Sets [`Call::staff`].
async fn staff(call: &mut Call<'_>, need: Role, recent: bool) -> Result<(), ApiError> {
    if let Some(presented) = call.header("Authorization") {
        return match presented.strip_prefix("Bearer ") {
            Some(token) if call.config.admin_token_matches(token) => {
                // The token may do everything.
                call.staff = Some(StaffMember::admin_token());
                Ok(())
            }
            _ => Err(call.error(ErrorCode::Unauthorized)),
        };
    }
    same_origin(call)?;
    read_session(call)?;
    let (id, session_hash) = call.session()?;
    match call.account(&id, CheckStaff { session_hash, need, recent }).await? {
        Ok(member) => {
            call.staff = Some(member);
            Ok(())
        }
        Err(refusal) => {
            if matches!(refusal.code, ErrorCode::Forbidden | ErrorCode::TwoStepSetupRequired) {
                let actor = crate::audit::Pseudonym::of(&call.config.sealing_keys, &id);
                crate::audit::record(&crate::audit::Event::ConsoleRefused {
                    actor: actor.as_str(),
                    code: refusal.code,
                });
            }
            Err(call.refusal(refusal))
        }
    }
}

/// Checks the guard the route table gives a route, before its handler runs.
pub async fn guard(call: &mut Call<'_>, guard: Guard) -> Result<(), ApiError> {
    match guard {
        Guard::Public => Ok(()),
        Guard::Admin => staff(call, Role::Admin, false).await,
        Guard::AdminChange => staff(call, Role::Admin, true).await,
        Guard::Helpdesk => staff(call, Role::Helpdesk, false).await,
        Guard::HelpdeskChange => staff(call, Role::Helpdesk, true).await,
        Guard::Session => read_session(call),
        // How recently the password was typed, only the account knows: its Durable Object checks it.
        Guard::SessionChange | Guard::RecentSessionChange => {
            same_origin(call)?;
            read_session(call)
        }
        Guard::SameOrigin => same_origin(call),
        // Everywhere but on a development Worker, asked from this machine, these paths do not exist.
        Guard::Dev => {
            let url = call.req.url().ok();
            if call.config.serves_dev_routes(url.as_ref().and_then(|u| u.host_str())) {
                Ok(())
            } else {
                Err(call.error(ErrorCode::NotFound))
            }
        }
    }
}

pub type HandlerResult = Result<worker::Response, ApiError>;

impl Call<'_> {
    /// The account id and the token hash of the session the route's guard read (only routes guarded by a session
    /// have one).
    pub fn session(&self) -> Result<(String, TokenHash), ApiError> {
        let session = self.session.as_ref().ok_or_else(|| self.error(ErrorCode::Unauthorized))?;
        Ok((session.account_id.clone(), session.token.hash()))
    }

    /// The limiter's budget of this request's client address in `group` (`ip_limit::key`).
    pub fn address_budget(&self, group: &str) -> String {
        crate::ip_limit::key(group, self.header("CF-Connecting-IP").as_deref())
    }

    /// The limiter's budget of the staff member the guard found behind a console request (`ip_limit::staff_key`): a
    /// school office's desks share one address, and only a checked session names one.
    pub fn staff_budget(&self, group: &str) -> Option<String> {
        match &self.staff.as_ref()?.actor {
            Actor::Staff { pseudonym, .. } => Some(crate::ip_limit::staff_key(group, pseudonym)),
            Actor::AdminToken => None,
        }
    }

    /// How an account's failed logins name this request's client: a pseudonym of its address (its /64 for IPv6).
    pub fn client(&self) -> String {
        crate::ip_limit::client_pseudonym(&self.config.sealing_keys, self.header("CF-Connecting-IP").as_deref())
    }

    /// Who calls an admin route, and with which roles (its guard has set it).
    pub fn staff_member(&self) -> Result<StaffMember, ApiError> {
        self.staff.clone().ok_or_else(|| self.error(ErrorCode::Unauthorized))
    }

    /// Who calls an admin route (its guard has set it).
    pub fn actor(&self) -> Result<Actor, ApiError> {
        self.staff_member().map(|s| s.actor)
    }

    pub fn error(&self, code: ErrorCode) -> ApiError {
        ApiError::new(code, self.locale)
    }

    fn body_error(&self, err: BodyError) -> ApiError {
        self.error(err.code).with_detail(err.detail)
    }

    /// Reads a JSON body of at most `max` bytes.
    pub async fn json<T: DeserializeOwned>(&mut self, max: usize) -> Result<T, ApiError> {
        let bytes = self.body(&["application/json"], max).await?;
        body::parse_json(&bytes, max).map_err(|e| self.body_error(e))
    }

    /// Reads a body of one of the `accepted` types: refused before reading when its declared length is over `max`,
    /// and read as a stream, stopping at the chunk that passes `max`, when no length is declared (chunked).
    pub async fn body(&mut self, accepted: &[&str], max: usize) -> Result<Vec<u8>, ApiError> {
        use futures_util::StreamExt;
        let header = |name: &str| self.req.headers().get(name).ok().flatten();
        body::check_content_type(header("Content-Type").as_deref(), accepted).map_err(|e| self.body_error(e))?;
        body::check_declared_length(header("Content-Length").as_deref(), max).map_err(|e| self.body_error(e))?;
        let mut bytes = Vec::new();
        if self.req.inner().body().is_none() {
            return Ok(bytes);
        }
        let mut stream = self.req.stream().map_err(|_| self.error(ErrorCode::MalformedJson))?;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|_| self.error(ErrorCode::MalformedJson))?;
            body::append_within(&mut bytes, &chunk, max).map_err(|e| self.body_error(e))?;
        }
        Ok(bytes)
    }

    /// The answer that logs the person in to account `id` with the session `token`: `info` (the session), and its
    /// cookie.
    pub fn logged_in(&self, id: &str, token: &crate::token::Token, info: &impl serde::Serialize) -> HandlerResult {
        let value =
            crate::session_cookie::value(id, token, &self.config.sealing_keys, crate::platform::random_bytes()?);
        let mut response = self.reply(200, info)?;
        let (ttl, secure) = (self.config.session_ttl_secs, self.config.secure_origin());
        crate::respond::set_session_cookies(&mut response, &value, ttl, secure).map_err(Internal::Respond)?;
        Ok(response)
    }

    /// Answers `status` with a JSON body and the API's headers.
    pub fn reply<T: serde::Serialize>(&self, status: u16, body: &T) -> HandlerResult {
        crate::respond::json(status, body).map_err(|e| Internal::Respond(e).into())
    }

    pub fn kv(&self) -> Result<worker::kv::KvStore, ApiError> {
        self.env.kv(crate::platform::binding::KV).map_err(|e| Internal::Kv(e).into())
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.req.headers().get(name).ok().flatten()
    }

    /// Sends a command to an account's Durable Object; its reply.
    pub async fn account<C: Ask>(&self, account_id: &str, command: C) -> Result<C::Reply, ApiError> {
        ask_account(self.env, account_id, command).await.map_err(|e| Internal::DurableObject(e).into())
    }

    /// [`account_id_for`], answering `internal` if the accounts cannot be asked.
    pub async fn account_id_for(&self, audience: Audience, email: &Email) -> Result<String, ApiError> {
        account_id_for(self.env, audience, email).await.map_err(|e| Internal::DurableObject(e).into())
    }

    /// A setting the admin keeps in KV. If KV cannot answer, its default — nothing required —: logins go on (ops see
    /// why), and what an account itself holds (2-Step Verification on, a change it owes) still applies.
    async fn setting<T: DeserializeOwned + Default>(&self, key: &str) -> T {
        let stored = match self.kv() {
            Ok(kv) => crate::store::get_json(&kv, key).await,
            Err(_) => return T::default(),
        };
        stored
            .unwrap_or_else(|e| {
                Internal::Kv(e).log();
                None
            })
            .unwrap_or_default()
    }

    /// The admin's 2-Step Verification requirement.
    pub async fn two_step_requirement(&self) -> TwoStepRequirement {
        self.setting(crate::store::TWO_STEP_REQUIREMENT_KEY).await
    }

    /// The admin's required password changes by account type.
    pub async fn password_change_requirement(&self) -> PasswordChangeRequirement {
        self.setting(crate::store::PASSWORD_CHANGE_REQUIREMENT_KEY).await
    }

    /// Every account's registry entry (KV may show them up to a minute late).
    pub async fn registry_entries(&self) -> Result<Vec<crate::account::registry::Entry>, ApiError> {
        crate::store::registry(&self.kv()?).await.map_err(|e| Internal::Kv(e).into())
    }

    pub fn refusal(&self, refusal: Refusal) -> ApiError {
        // Staff who tried to act on an account above them: on the audit trail, as every console refusal is.
        if let (ErrorCode::AccountProtected, Some(Actor::Staff { pseudonym, .. })) =
            (refusal.code, self.staff.as_ref().map(|s| &s.actor))
        {
            crate::audit::record(&crate::audit::Event::ConsoleRefused { actor: pseudonym, code: refusal.code });
        }
        let mut error = self.error(refusal.code).with_unmet(refusal.unmet);
        if let Some(detail) = refusal.detail {
            error = error.with_detail(detail);
        }
        error
    }
}

/// The Durable Object of the account `email` logs in to as `audience`. An address whose key changed when addresses
/// came to be normalised further (a Unicode domain, a decomposed accent) may belong to an account made before, under
/// its earlier form: both are looked at — always both, so timing does not tell which exists — and the earlier one is
/// used only when it holds the account.
pub async fn account_id_for(env: &Env, audience: Audience, email: &Email) -> worker::Result<String> {
    let id = account_id(audience, email);
    let Some(earlier) = email.earlier_form() else { return Ok(id) };
    let earlier_id = account_id_of(audience, earlier);
    let now = ask_account(env, &id, View {}).await?.is_some();
    let before = ask_account(env, &earlier_id, View {}).await?.is_some();
    Ok(crate::email::holding(id, earlier_id, now, before))
}
