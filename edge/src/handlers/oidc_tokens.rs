//! OpenID Connect, the app's side: the token endpoint (a code, or a refresh token, for tokens), userinfo, revocation
//! (RFC 7009) and introspection (RFC 7662). Errors are OAuth's own (RFC 6749 §5.2), never a 5xx for bad input. Every
//! decision about a code or a refresh token is the account's Durable Object's.

use super::oidc::{client, keys};
use super::{Call, HandlerResult};
use crate::account::apps::GrantRefusal;
use crate::account::codes;
use crate::account::commands::apps::{ExchangeCode, Grant, GrantStatus, GrantToken, Refresh, RevokeGrant};
use crate::failure::Internal;
use crate::oidc::clients::Client;
use crate::oidc::jwt::{self, AccessTokenClaims, IdTokenClaims, Person, PersonClaims, ACCESS_TOKEN_TYPE};
use crate::oidc::sign;
use crate::oidc::token_request::{Form, Presented};
use crate::platform::{new_id, now_secs, random_bytes};
use crate::session_cookie::{handle, open_handle};
use crate::token::Token;
use latchkey_shared::oauth::{ClientKind, OAuthError, OAuthErrorCode};
use latchkey_shared::Secret;
use serde_json::json;
use worker::Response;

const REFRESH_PURPOSE: &str = "oauth2-refresh";
const GRANT_PURPOSE: &str = "oauth2-grant";
/// Token, revocation and introspection requests are a few short fields.
const MAX_FORM_BODY: usize = 16 * 1024;
/// ID tokens are for the app at the moment of login: five minutes to check one.
const ID_TOKEN_TTL_SECS: u64 = 300;

type OAuthResult<T> = Result<T, OAuthError>;

fn oauth(code: OAuthErrorCode, description: &str) -> OAuthError {
    OAuthError::new(code, description)
}

/// A JSON answer the token endpoints give: never cached, readable by a browser app on any origin (no cookie is
/// involved: the app proves itself with PKCE, its secret or the token).
fn answer(status: u16, body: &impl serde::Serialize) -> HandlerResult {
    let mut response =
        crate::respond::json(status, body).and_then(crate::respond::public).map_err(Internal::Respond)?;
    let headers = response.headers_mut();
    headers.set("Pragma", "no-cache").map_err(Internal::Respond)?;
    Ok(response)
}

fn refused(error: OAuthError) -> HandlerResult {
    let mut response = answer(error.error.http_status(), &error)?;
    let challenge = match error.error {
        OAuthErrorCode::InvalidClient => Some("Basic realm=\"latchkey\"".to_owned()),
        OAuthErrorCode::InvalidToken => Some("Bearer error=\"invalid_token\"".to_owned()),
        _ => None,
    };
    if let Some(challenge) = challenge {
        response.headers_mut().set("WWW-Authenticate", &challenge).map_err(Internal::Respond)?;
    }
    Ok(response)
}

/// Runs `work`, answering its OAuth error as such.
async fn oauth_answer(
    call: &mut Call<'_>,
    work: impl AsyncFnOnce(&mut Call<'_>) -> OAuthResult<HandlerResult>,
) -> HandlerResult {
    match work(call).await {
        Ok(result) => result,
        Err(error) => refused(error),
    }
}

/// The form body (RFC 6749 §3.2).
async fn form(call: &mut Call<'_>) -> OAuthResult<Form> {
    let body = call
        .body(&["application/x-www-form-urlencoded"], MAX_FORM_BODY)
        .await
        .map_err(|e| oauth(OAuthErrorCode::InvalidRequest, &format!("expected a form body: {}", e.error.code)))?;
    Form::parse(&body)
}

/// The calling client, authenticated ([`Presented`]).
async fn authenticate(call: &Call<'_>, form: &Form) -> OAuthResult<Client> {
    let presented = Presented::read(call.header("Authorization").as_deref(), form)?;
    let found = client(call, &presented.client_id)
        .await
        .map_err(|_| oauth(OAuthErrorCode::ServerError, "clients unavailable"))?;
    presented.authenticate(found)
}

/// `POST /oauth2/token`.
pub async fn token(mut call: Call<'_>) -> HandlerResult {
    keys(&call)?;
    oauth_answer(&mut call, async |call| {
        let form = form(call).await?;
        let client = authenticate(call, &form).await?;
        let next = Token::generate()?;
        // A change of password that has come due since the login ends what apps can get, here too.
        let password_change = call.password_change_requirement().await;
        let (account_id, grant) = match form.required("grant_type")? {
            "authorization_code" => {
                let code = form.required("code")?;
                let redirect_uri = form.required("redirect_uri")?;
                let verifier = form.required("code_verifier")?;
                let (account_id, issued) = codes::open(&call.config.sealing_keys, code)
                    .ok_or_else(|| oauth(OAuthErrorCode::InvalidGrant, "unknown code"))?;
                let family = Token::generate()?;
                let exchange = ExchangeCode {
                    code_hash: codes::hash(code),
                    code: issued,
                    client_id: client.id().to_owned(),
                    redirect_uri: redirect_uri.to_owned(),
                    code_verifier: Secret::new(verifier.to_owned()),
                    family_id: family.as_str().to_owned(),
                    refresh_hash: next.hash(),
                    password_change,
                };
                (account_id.clone(), ask(call, &account_id, exchange).await?)
            }
            "refresh_token" => {
                let presented = form.required("refresh_token")?;
                let (account_id, presented) = open_handle(REFRESH_PURPOSE, presented, &call.config.sealing_keys)
                    .ok_or_else(|| oauth(OAuthErrorCode::InvalidGrant, "unknown refresh token"))?;
                // RFC 6749 §6: no more than was granted; less narrows these tokens.
                let scope =
                    form.field("scope").map(|s| s.split(' ').filter(|s| !s.is_empty()).map(String::from).collect());
                let refresh = Refresh {
                    refresh_hash: presented.hash(),
                    client_id: client.id().to_owned(),
                    next_hash: next.hash(),
                    scope,
                    password_change,
                };
                (account_id.clone(), ask(call, &account_id, refresh).await?)
            }
            _ => return Err(oauth(OAuthErrorCode::UnsupportedGrantType, "authorization_code or refresh_token")),
        };
        let refresh = grant.offline.then_some(&next);
        Ok(issue(call, &client, &account_id, &grant, refresh).await)
    })
    .await
}

/// Sends a code or refresh command; a refusal is told as [`OAuthError::from`] says (why in the audit trail too).
async fn ask<C>(call: &Call<'_>, account_id: &str, command: C) -> OAuthResult<Grant>
where
    C: crate::account::protocol::Ask<Reply = Result<Grant, GrantRefusal>>,
{
    let reply =
        crate::account::ask::ask_account(call.env, account_id, command).await.map_err(Internal::DurableObject)?;
    reply.map_err(OAuthError::from)
}

/// The claims the grant's scope gives of its person.
fn person(grant: &Grant) -> PersonClaims {
    let person = Person {
        email: &grant.email,
        // What is known: a reset link or a login email change's link used from this address.
        email_verified: grant.email_verified,
        name: &grant.name,
        audience: grant.audience,
        locale: grant.locale,
    };
    PersonClaims::for_scope(&grant.scope, &person)
}

/// The ID token, the access token and (with `offline_access`) the next refresh token.
async fn issue(
    call: &Call<'_>,
    client: &Client,
    account_id: &str,
    grant: &Grant,
    refresh: Option<&Token>,
) -> HandlerResult {
    let keys = keys(call)?;
    let now = now_secs();
    let issuer = call.config.app_origin.clone();
    let alg = client.registration().id_token_signed_response_alg;
    let id_claims = IdTokenClaims {
        iss: issuer.clone(),
        sub: grant.subject.clone(),
        aud: client.id().to_owned(),
        exp: now + ID_TOKEN_TTL_SECS,
        iat: now,
        auth_time: grant.auth_time,
        nonce: grant.nonce.clone(),
        amr: grant.amr.clone(),
        sid: grant.sid.clone(),
        person: person(grant),
    };
    let sealed = |purpose: &str, token: &Token| -> Result<String, latchkey_shared::ApiError> {
        let nonce = random_bytes()?;
        Ok(handle(purpose, account_id, token, &call.config.sealing_keys, nonce))
    };
    let family = Token::parse(&grant.family_id).map_err(|e| Internal::Stored(format!("grant family: {e}")))?;
    let ttl = u64::from(client.registration().access_token_ttl_secs);
    let access_claims = AccessTokenClaims {
        iss: issuer,
        sub: grant.subject.clone(),
        aud: client.id().to_owned(),
        client_id: client.id().to_owned(),
        exp: now + ttl,
        iat: now,
        jti: new_id()?,
        scope: grant.scope.join(" "),
        sid: grant.sid.clone(),
        auth_time: grant.auth_time,
        grant: sealed(GRANT_PURPOSE, &family)?,
    };
    let id_token = sign::sign(keys, alg, None, &id_claims).await?;
    let access_token = sign::sign(keys, alg, Some(ACCESS_TOKEN_TYPE), &access_claims).await?;
    let mut body = json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ttl,
        "id_token": id_token,
        "scope": grant.scope.join(" "),
    });
    if let Some(refresh) = refresh {
        body["refresh_token"] = sealed(REFRESH_PURPOSE, refresh)?.into();
    }
    answer(200, &body)
}

/// An access token latchkey signed, checked: signature, issuer, type, and (unless `expired_ok`) expiry. The account
/// and the grant it belongs to.
async fn access_token(call: &Call<'_>, token: &str, expired_ok: bool) -> Option<(AccessTokenClaims, String, String)> {
    let parsed = jwt::parse::<AccessTokenClaims>(token)?;
    let keys = call.config.oidc_keys.as_ref()?;
    let typed = parsed.header.typ.as_deref() == Some(ACCESS_TOKEN_TYPE);
    if !typed || parsed.claims.iss != call.config.app_origin || !sign::verify(keys, &parsed).await.ok()? {
        return None;
    }
    if !expired_ok && parsed.claims.exp <= now_secs() {
        return None;
    }
    let (account_id, family) = open_handle(GRANT_PURPOSE, &parsed.claims.grant, &call.config.sealing_keys)?;
    Some((parsed.claims, account_id, family.as_str().to_owned()))
}

async fn grant_status(call: &Call<'_>, account_id: &str, token: GrantToken) -> OAuthResult<Option<Grant>> {
    crate::account::ask::ask_account(call.env, account_id, GrantStatus { token })
        .await
        .map_err(|e| Internal::DurableObject(e).into())
}

/// `GET`/`POST /oauth2/userinfo`: the person, for a live access token (asked of the account, so a token whose
/// session has ended is refused at once, not when it expires).
pub async fn userinfo(mut call: Call<'_>) -> HandlerResult {
    keys(&call)?;
    oauth_answer(&mut call, async |call| {
        let bearer = call.header("Authorization").and_then(|h| h.strip_prefix("Bearer ").map(|t| t.trim().to_owned()));
        let bearer = bearer.ok_or_else(|| {
            oauth(OAuthErrorCode::InvalidToken, "an access token is required (Authorization: Bearer)")
        })?;
        let invalid = || oauth(OAuthErrorCode::InvalidToken, "the access token is not valid");
        let (claims, account_id, family) = access_token(call, &bearer, false).await.ok_or_else(invalid)?;
        let grant = grant_status(call, &account_id, GrantToken::Family(family)).await?.ok_or_else(invalid)?;
        let mut body = serde_json::to_value(person(&grant)).map_err(|e| Internal::Respond(e.into()))?;
        body["sub"] = claims.sub.into();
        Ok(answer(200, &body))
    })
    .await
}

/// Which grant a presented token names: an access token (its signature checked) or a refresh token.
async fn presented(call: &Call<'_>, token: &str) -> Option<(String, GrantToken, Option<AccessTokenClaims>)> {
    if token.matches('.').count() == 2 {
        let (claims, account_id, family) = access_token(call, token, true).await?;
        return Some((account_id, GrantToken::Family(family), Some(claims)));
    }
    let (account_id, refresh) = open_handle(REFRESH_PURPOSE, token, &call.config.sealing_keys)?;
    Some((account_id, GrantToken::Refresh(refresh.hash()), None))
}

/// `POST /oauth2/revoke` (RFC 7009): ends the grant the token belongs to — every refresh token and access token it
/// issued — if it is the calling client's. Answers 200 whatever the token was.
pub async fn revoke(mut call: Call<'_>) -> HandlerResult {
    keys(&call)?;
    oauth_answer(&mut call, async |call| {
        let form = form(call).await?;
        let client = authenticate(call, &form).await?;
        let token = form.required("token")?;
        if let Some((account_id, token, _)) = presented(call, token).await {
            let revoke = RevokeGrant { token, client_id: client.id().to_owned() };
            crate::account::ask::ask_account(call.env, &account_id, revoke).await.map_err(Internal::DurableObject)?;
        }
        let mut response = Response::empty().map_err(Internal::Respond)?.with_status(200);
        let _ = response.headers_mut().set("Access-Control-Allow-Origin", "*");
        Ok(Ok(response))
    })
    .await
}

/// `POST /oauth2/introspect` (RFC 7662), for confidential clients, about their own tokens: active only while the
/// grant is (a session that ended, a revocation, a reset make it `active: false` at once).
pub async fn introspect(mut call: Call<'_>) -> HandlerResult {
    keys(&call)?;
    oauth_answer(&mut call, async |call| {
        let form = form(call).await?;
        let client = authenticate(call, &form).await?;
        if client.registration().kind != ClientKind::Confidential {
            return Err(oauth(OAuthErrorCode::InvalidClient, "introspection is for confidential clients"));
        }
        let token = form.required("token")?;
        let inactive = json!({ "active": false });
        let Some((account_id, grant_token, access)) = presented(call, token).await else {
            return Ok(answer(200, &inactive));
        };
        let now = now_secs();
        let expired = access.as_ref().is_some_and(|claims| claims.exp <= now);
        let grant = grant_status(call, &account_id, grant_token).await?;
        let Some(grant) = grant.filter(|g| g.client_id == client.id() && !expired) else {
            return Ok(answer(200, &inactive));
        };
        let mut body = json!({
            "active": true,
            "client_id": grant.client_id,
            "sub": grant.subject,
            "scope": grant.scope.join(" "),
            "sid": grant.sid,
            "auth_time": grant.auth_time,
            "iss": call.config.app_origin,
            "aud": client.id(),
            "token_type": if access.is_some() { "access_token" } else { "refresh_token" },
        });
        if let Some(claims) = access {
            body["exp"] = claims.exp.into();
            body["iat"] = claims.iat.into();
        }
        Ok(answer(200, &body))
    })
    .await
}
