//! OpenID Connect, the person's side: discovery and the keys, the authorization endpoint (the login page when there
//! is no usable session, a one-click confirmation for a native app answered on this device or `prompt=consent`,
//! straight back to the app otherwise), what the login page learns about the app, and RP-initiated logout. The token
//! side is `handlers/oidc_tokens.rs`.
//!
//! The cookie: an app sends the person here with a cross-site navigation, on which the `SameSite=Strict` session
//! cookie is not sent. A login therefore also sets `__Host-latchkey-sso` (`SameSite=Lax`, see `respond::sso_cookie`)
//! holding the same session, which only these endpoints read, and only when it is given once. The API's CSRF protection is
//! unchanged: every `/api` route still takes only the `Strict` cookie, with its `Sec-Fetch-Site`/`Origin` checks.
//! What the `Lax` cookie allows a cross-site page is what every OpenID provider allows: to start a login to a
//! registered app, answered only at that app's registered redirect URI.

use super::{Call, HandlerResult};
use crate::account::codes::{self, Code, CODE_TTL_SECS};
use crate::account::commands::apps::{Authorize, Authorized, ConsentAsk, Freshness};
use crate::account::commands::session::Logout;
use crate::failure::Internal;
use crate::oidc::authorize::{self, AuthRequest, PageError};
use crate::oidc::clients::Client;
use crate::oidc::jwt::{self, IdTokenClaims};
use crate::oidc::keys::SigningKeys;
use crate::oidc::{page, sign};
use crate::platform::{now_secs, random_bytes};
use crate::respond::{set_session_cookies, sso_cookie_name};
use crate::token::Token;
use crate::{respond, store};
use latchkey_shared::oauth::{AppInfo, ClientKind, OAuthErrorCode};
use latchkey_shared::{ErrorCode, Locale, PageKey};
use worker::Response;

/// The signing keys, or `not_found` when OpenID Connect is off (no `OIDC_SIGNING_KEYS`).
pub fn keys<'a>(call: &'a Call<'_>) -> Result<&'a SigningKeys, latchkey_shared::ApiError> {
    call.config.oidc_keys.as_ref().ok_or_else(|| {
        call.error(ErrorCode::NotFound).with_detail("OpenID Connect is off: set OIDC_SIGNING_KEYS (scripts/oidc-keys)")
    })
}

/// A public, cacheable JSON document any origin may read.
fn public_json(body: &serde_json::Value) -> HandlerResult {
    let mut response = respond::json(200, body).and_then(respond::public).map_err(Internal::Respond)?;
    let cache = format!("public, max-age={}", crate::oidc::PUBLIC_MAX_AGE_SECS);
    response.headers_mut().set("Cache-Control", &cache).map_err(Internal::Respond)?;
    Ok(response)
}

/// `GET /.well-known/openid-configuration`.
pub fn discovery(call: &Call<'_>) -> HandlerResult {
    let keys = keys(call)?;
    public_json(&crate::oidc::discovery(&call.config.app_origin, &keys.algorithms()))
}

/// `GET /oauth2/jwks`.
pub fn jwks(call: &Call<'_>) -> HandlerResult {
    public_json(&keys(call)?.jwks())
}

/// A registered client, or `None`; KV failing is an internal error.
pub async fn client(call: &Call<'_>, client_id: &str) -> Result<Option<Client>, latchkey_shared::ApiError> {
    store::oauth2_client(&call.kv()?, client_id).await.map_err(|e| Internal::Kv(e).into())
}

/// `GET /api/apps?client_id=`: the app's name and the account types it takes, for the login page.
pub async fn app_info(call: Call<'_>) -> HandlerResult {
    keys(&call)?;
    let client_id = query(&call).into_iter().find(|(k, _)| k == "client_id").map(|(_, v)| v).unwrap_or_default();
    let found = client(&call, &client_id).await?.ok_or_else(|| call.error(ErrorCode::NotFound))?;
    let registration = found.registration();
    let info = AppInfo {
        client_id: found.id().to_owned(),
        name: registration.name.clone(),
        audiences: registration.audiences.clone(),
    };
    call.reply(200, &info)
}

fn query(call: &Call<'_>) -> Vec<(String, String)> {
    call.req.url().map(|url| url.query_pairs().into_owned().collect()).unwrap_or_default()
}

/// An HTML answer from these endpoints, with the pages' CSP (`form_target`: an origin the page's form may lead to).
fn html(call: &Call<'_>, status: u16, body: String, form_target: Option<&str>) -> HandlerResult {
    let body = page::with_school(body, &call.config.site);
    let mut response = Response::from_html(body).map_err(Internal::Respond)?.with_status(status);
    let csp = match form_target {
        Some(origin) => page::CSP.replace("form-action 'self'", &format!("form-action 'self' {origin}")),
        None => page::CSP.to_owned(),
    };
    let headers = response.headers_mut();
    headers.set("Content-Security-Policy", &csp).map_err(Internal::Respond)?;
    Ok(response)
}

fn error_page(call: &Call<'_>, locale: Locale, reason: PageError) -> HandlerResult {
    let text = match reason {
        PageError::MissingClient | PageError::MissingRedirectUri | PageError::Repeated => PageKey::AppErrorIncomplete,
        PageError::UnknownClient => PageKey::AppErrorUnknown,
        PageError::UnregisteredRedirectUri => PageKey::AppErrorRedirect,
    };
    html(call, 400, page::error(locale, text), None)
}

fn redirect(to: &str) -> HandlerResult {
    let mut response = Response::empty().map_err(Internal::Respond)?.with_status(302);
    response.headers_mut().set("Location", to).map_err(Internal::Respond)?;
    Ok(response)
}

/// The session the request carries: the `Lax` cookie (sent on an app's navigation here) or the `Strict` one.
fn session(call: &Call<'_>) -> Option<(String, Token)> {
    let secure = call.config.secure_origin();
    let found = super::session::session_in(call, &[sso_cookie_name(secure), respond::session_cookie_name(secure)])?;
    Some((found.account_id, found.token))
}

/// `GET /oauth2/authorize`.
pub async fn authorize(call: Call<'_>) -> HandlerResult {
    let pairs = query(&call);
    answer_authorization(call, pairs, None).await
}

/// `POST /oauth2/consent`: the person's answer on the confirmation page (from this site's page: the route's guard),
/// with the request it was asked for. "Continue" issues the code, and is remembered for the app for
/// `CONSENT_REMEMBER_SECS`; "Cancel" tells the app `access_denied`.
pub async fn consent(mut call: Call<'_>) -> HandlerResult {
    let body = call.body(&["application/x-www-form-urlencoded"], 16 * 1024).await?;
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let decision = pairs.iter().position(|(k, _)| k == "decision").map(|at| pairs.remove(at).1);
    let given = decision.as_deref() == Some("continue");
    let answer = answer_authorization(call, pairs, Some(given)).await?;
    // After a POST, the browser goes on with a GET, whether to the app or to another page of latchkey's.
    Ok(if answer.status_code() == 302 { answer.with_status(303) } else { answer })
}

/// Whether the person must confirm the app: a public client answered on this device (a loopback or private-use-scheme
/// redirect URI, which any local program can claim: RFC 8252 §8.6), or `prompt=consent` for any client.
fn consent_needed(client: &Client, request: &AuthRequest) -> bool {
    request.prompt_consent
        || (client.registration().kind == ClientKind::Public && on_this_device(&request.redirect_uri))
}

/// A redirect URI that answers a program on the person's own device: loopback http, or a private-use scheme.
fn on_this_device(redirect_uri: &str) -> bool {
    url::Url::parse(redirect_uri).is_ok_and(|url| match url.scheme() {
        "https" => false,
        "http" => url.host_str().is_some_and(crate::host::is_loopback_host),
        _ => true,
    })
}

/// The authorization request in `pairs`, answered: the code, the login or another page first, or an error. `given`:
/// the person's answer on the confirmation page, when this is it.
async fn answer_authorization(call: Call<'_>, pairs: Vec<(String, String)>, given: Option<bool>) -> HandlerResult {
    let page_locale = |request: Option<&AuthRequest>| request.and_then(|r| r.locale).unwrap_or(call.locale);
    if call.config.oidc_keys.is_none() {
        return html(&call, 404, page::error(call.locale, PageKey::AppErrorOff), None);
    }
    let (client_id, redirect_uri) = match authorize::addressee(&pairs) {
        Ok(addressee) => addressee,
        Err(reason) => return error_page(&call, page_locale(None), reason),
    };
    // Independent lookups, side by side: the app, and the site's requirements a session is checked against.
    let (client, requirement, password_change) =
        futures_util::join!(client(&call, client_id), call.two_step_requirement(), call.password_change_requirement());
    let Some(client) = client? else {
        return error_page(&call, page_locale(None), PageError::UnknownClient);
    };
    if !client.redirects_to(redirect_uri) {
        return error_page(&call, page_locale(None), PageError::UnregisteredRedirectUri);
    }
    let issuer = call.config.app_origin.clone();
    let now = now_secs();
    let request = match authorize::check(&pairs, &client, redirect_uri, now) {
        Ok(request) => request,
        Err(error) => {
            let state = pairs.iter().find(|(k, _)| k == "state").map(|(_, v)| v.as_str());
            return redirect(&authorize::error_redirect(redirect_uri, state, &error, &issuer));
        }
    };
    let refuse = |code: OAuthErrorCode, description: &'static str| {
        let error = authorize::RedirectError { code, description };
        redirect(&authorize::error_redirect(&request.redirect_uri, request.state.as_deref(), &error, &issuer))
    };
    if given == Some(false) {
        return refuse(OAuthErrorCode::AccessDenied, "the person did not continue to the app");
    }
    let session = session(&call);
    if session.is_none() && request.no_prompt {
        return refuse(OAuthErrorCode::LoginRequired, "no session");
    }
    // `prompt=login` asks for a login whatever the session: the login page, which comes back with `login_after`.
    let Some((account_id, token)) = session.filter(|_| !request.prompt_login) else {
        return redirect(&interaction("/login", &pairs, &request, now));
    };
    let subject = Token::generate()?;
    let consent = ConsentAsk {
        needed: consent_needed(&client, &request),
        forced: request.prompt_consent,
        given_until: given.map(|_| now + call.config.consent_remember_secs),
    };
    let command = Authorize {
        session_hash: token.hash(),
        client_id: client.id().to_owned(),
        consent,
        password_change,
        // Judged by the account, by its own clock, as every other time it holds.
        freshness: Freshness { login_after: request.login_after, max_age: request.max_age },
        audiences: client.registration().audiences.clone(),
        requirement,
        subject: subject.as_str().to_owned(),
    };
    let page = match call.account(&account_id, command).await? {
        Authorized::Code => {
            let issued = Code {
                session: token.hash(),
                client_id: request.client_id.clone(),
                redirect_uri: request.redirect_uri.clone(),
                challenge: request.code_challenge.clone(),
                nonce: request.nonce.clone(),
                scope: request.scope.clone(),
                expires_at: now + CODE_TTL_SECS,
                locale: request.locale,
            };
            let nonce = random_bytes()?;
            let code = codes::seal(&call.config.sealing_keys, &account_id, &issued, nonce);
            let mut params = vec![("code", code.as_str())];
            if let Some(state) = &request.state {
                params.push(("state", state));
            }
            return redirect(&authorize::redirect_with(&request.redirect_uri, &params, &issuer));
        }
        Authorized::AccessDenied => {
            return refuse(OAuthErrorCode::AccessDenied, "this account type may not use this app")
        }
        Authorized::Consent { email } => {
            if request.no_prompt {
                return refuse(OAuthErrorCode::InteractionRequired, "the person must confirm this app");
            }
            let locale = page_locale(Some(&request));
            let name = &client.registration().name;
            let fields: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "decision").cloned().collect();
            let body = page::consent(locale, name, &crate::email::display(&email), &fields);
            return html(&call, 200, body, Some(&form_target(&request.redirect_uri)));
        }
        Authorized::Login => {
            if request.no_prompt {
                return refuse(OAuthErrorCode::LoginRequired, "the person must log in");
            }
            "/login"
        }
        Authorized::TwoStepSetup => "/two-step",
        Authorized::PasswordChange => "/password",
    };
    if request.no_prompt {
        return refuse(OAuthErrorCode::InteractionRequired, "the person must act on latchkey first");
    }
    redirect(&interaction(page, &pairs, &request, now))
}

/// What the confirmation page's form may lead to, for its CSP: the app's origin, or its private-use scheme.
fn form_target(redirect_uri: &str) -> String {
    match url::Url::parse(redirect_uri) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => url.origin().ascii_serialization(),
        Ok(url) => format!("{}:", url.scheme()),
        Err(_) => "'none'".to_owned(),
    }
}

/// The page the person goes to before coming back: the request to come back to, the app, the language.
fn interaction(page: &str, pairs: &[(String, String)], request: &AuthRequest, now: u64) -> String {
    let back = authorize::after_login(pairs, request, now);
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("continue", &back).append_pair("app", &request.client_id);
    if let Some(locale) = request.locale {
        query.append_pair("lang", locale.as_str());
    }
    if let Some(hint) = &request.login_hint {
        query.append_pair("login_hint", hint);
    }
    format!("{page}?{}", query.finish())
}

/// The id token an app presented as `id_token_hint`, if latchkey signed it (expired is fine: it only names the
/// session).
async fn hinted(call: &Call<'_>, hint: Option<&str>) -> Option<IdTokenClaims> {
    let token = jwt::parse::<IdTokenClaims>(hint?)?;
    let keys = call.config.oidc_keys.as_ref()?;
    let signed = sign::verify(keys, &token).await.ok()?;
    (signed && token.claims.iss == call.config.app_origin).then_some(token.claims)
}

/// `GET` and `POST /oauth2/logout` (RP-Initiated Logout 1.0). With an `id_token_hint` latchkey signed for this
/// session (or no session left to end), it logs out at once; otherwise it asks first, so a page elsewhere cannot
/// log people out. The session ends everywhere (each app that got tokens in it hears by back channel); the person
/// goes back to a `post_logout_redirect_uri` the app registered, or sees that they are logged out.
pub async fn logout(mut call: Call<'_>) -> HandlerResult {
    keys(&call)?;
    let pairs: Vec<(String, String)> = if call.req.method() == worker::Method::Post {
        let body = call.body(&["application/x-www-form-urlencoded"], 16 * 1024).await?;
        url::form_urlencoded::parse(&body).into_owned().collect()
    } else {
        query(&call)
    };
    let param = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty());
    let locale = param("ui_locales").map(|tags| Locale::negotiate(&tags.replace(' ', ","))).unwrap_or(call.locale);
    let hint = hinted(&call, param("id_token_hint")).await;
    if param("id_token_hint").is_some() && hint.is_none() {
        return html(&call, 400, page::error(locale, PageKey::AppErrorUnknown), None);
    }
    let client_id = param("client_id").map(str::to_owned).or_else(|| hint.as_ref().map(|h| h.aud.clone()));
    let back_to = match (param("post_logout_redirect_uri"), client_id) {
        (None, _) => None,
        (Some(uri), Some(id)) => match client(&call, &id).await? {
            Some(found) if found.may_log_out_to(uri) && hint.as_ref().is_none_or(|h| h.aud == id) => Some(uri),
            _ => return error_page(&call, locale, PageError::UnregisteredRedirectUri),
        },
        (Some(_), None) => return error_page(&call, locale, PageError::MissingClient),
    };
    let session = session(&call);
    let hinted_here = match (&session, &hint) {
        (Some((_, token)), Some(claims)) => claims.sid == crate::account::apps::sid_of(&token.hash()),
        (None, _) => true,
        _ => false,
    };
    // A POST is the confirmation from latchkey's own page (its route's guard checked it came from this site).
    let confirmed = call.req.method() == worker::Method::Post;
    if !confirmed && !hinted_here {
        let fields: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "id_token_hint").cloned().collect();
        let target = back_to.and_then(|uri| url::Url::parse(uri).ok()).map(|u| u.origin().ascii_serialization());
        return html(&call, 200, page::confirm_logout(locale, &fields), target.as_deref());
    }
    if let Some((account_id, token)) = session {
        call.account(&account_id, Logout { session_hash: token.hash() }).await?;
    }
    let mut response = match back_to {
        Some(uri) => {
            let state = param("state").map(|s| vec![("state", s)]).unwrap_or_default();
            let mut url = url::Url::parse(uri).map_err(|e| Internal::Stored(format!("logout URI: {e}")))?;
            url.query_pairs_mut().extend_pairs(state);
            redirect(url.as_str())?.with_status(if confirmed { 303 } else { 302 })
        }
        None => html(&call, 200, page::logged_out(locale), None)?,
    };
    set_session_cookies(&mut response, "", 0, call.config.secure_origin()).map_err(Internal::Respond)?;
    Ok(response)
}
