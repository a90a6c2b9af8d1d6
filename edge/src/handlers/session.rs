//! Logging in and out. The cookie holds the account id, sealed, and a session token (`session_cookie.rs`); the
//! account's Durable Object holds only the token's hash, and a reset clears them all.

use super::{Call, HandlerResult};
use crate::account::commands::session::{CheckSession, Login, Logout, Reauthenticate};
use crate::body::MAX_JSON_BODY;
use crate::email::Email;
use crate::failure::Internal;
use crate::platform::now_millis;
use crate::respond::{cookie_value, session_cookie_name, set_session_cookies};
use crate::session_cookie;
use crate::token::Token;
use latchkey_shared::api::{LoginRequest, ReauthenticateRequest};
use latchkey_shared::ErrorCode;

/// `POST /api/sessions`. A refusal answers no sooner than `LOGIN_REFUSAL_FLOOR_MS` after the request came: an email
/// with no account is a Durable Object met for the first time, which the platform starts (a few milliseconds locally,
/// more where it first places one), while a known account's may be running already. The account pays one password
/// verification either way; the floor hides the rest, so timing does not tell whether an account exists.
pub async fn login(mut call: Call<'_>) -> HandlerResult {
    let started = now_millis();
    let answer = attempt_login(&mut call).await;
    if answer.is_err() {
        let waited = now_millis().saturating_sub(started);
        let left = call.config.login_refusal_floor_ms.saturating_sub(waited);
        if left > 0 {
            worker::Delay::from(std::time::Duration::from_millis(left)).await;
        }
    }
    answer
}

async fn attempt_login(call: &mut Call<'_>) -> HandlerResult {
    let body: LoginRequest = call.json(MAX_JSON_BODY).await?;
    // A malformed email cannot be an account: the same answer as a wrong password.
    let Ok(email) = Email::parse(&body.email) else { return Err(call.error(ErrorCode::InvalidCredentials)) };
    let token = Token::generate()?;
    // Independent lookups, side by side. The breach check is asked for every login, right password or not, so that it
    // costs every login the same.
    let (id, requirement, password_change, breached) = futures_util::join!(
        call.account_id_for(body.audience, &email),
        call.two_step_requirement(),
        call.password_change_requirement(),
        super::reset::breached(&call.config, body.password.expose_str()),
    );
    let id = id?;
    let client = call.client();
    let session_hash = token.hash();
    let passkey = super::passkeys::answer(call, body.passkey)?;
    let login = Login {
        client,
        password: body.password,
        code: body.code,
        passkey,
        session_hash,
        requirement,
        breached,
        password_change,
    };
    match call.account(&id, login).await? {
        Ok(info) => call.logged_in(&id, &token, &info),
        Err(refusal) => Err(call.refusal(refusal)),
    }
}

/// What a well-formed session cookie holds: whose session, and its token.
#[derive(Debug)]
pub struct SessionCookie {
    pub account_id: String,
    pub token: Token,
}

/// The session cookie, if the request carries a well-formed one.
pub fn session_from_cookie(call: &Call<'_>) -> Option<SessionCookie> {
    session_in(call, &[session_cookie_name(call.config.secure_origin())])
}

/// The session in the first of the cookies `names` the request carries (each read only if given once).
pub fn session_in(call: &Call<'_>, names: &[&str]) -> Option<SessionCookie> {
    let header = call.header("Cookie")?;
    let value = names.iter().find_map(|name| cookie_value(&header, name))?;
    let (keys, until) = (&call.config.sealing_keys, call.config.legacy_sessions_until);
    let (account_id, token) = session_cookie::parse(value, keys, crate::platform::now_secs(), until)?;
    Some(SessionCookie { account_id, token })
}

/// `GET /api/session`.
pub async fn current(call: Call<'_>) -> HandlerResult {
    let (id, session_hash) = call.session()?;
    let requirement = call.two_step_requirement().await;
    match call.account(&id, CheckSession { session_hash, requirement, for_password_change: false }).await? {
        Ok(info) => call.reply(200, &info),
        Err(refusal) => Err(call.refusal(refusal)),
    }
}

/// `POST /api/session/reauthenticate`: the password typed again makes this session recent, for the settings that ask
/// for it. Answers 204.
pub async fn reauthenticate(mut call: Call<'_>) -> HandlerResult {
    let (id, session_hash) = call.session()?;
    let body: ReauthenticateRequest = call.json(MAX_JSON_BODY).await?;
    let client = call.client();
    let passkey = super::passkeys::answer(&call, body.passkey)?;
    let command = Reauthenticate { client, session_hash, password: body.password, code: body.code, passkey };
    call.account(&id, command).await?.map_err(|refusal| call.refusal(refusal))?;
    worker::Response::empty().map(|r| r.with_status(204)).map_err(|e| Internal::Respond(e).into())
}

/// `DELETE /api/session`: always clears the cookie.
pub async fn logout(call: Call<'_>) -> HandlerResult {
    if let Some(session) = session_from_cookie(&call) {
        call.account(&session.account_id, Logout { session_hash: session.token.hash() }).await?;
    }
    let mut response = worker::Response::empty().map_err(Internal::Respond)?.with_status(204);
    set_session_cookies(&mut response, "", 0, call.config.secure_origin()).map_err(Internal::Respond)?;
    Ok(response)
}
