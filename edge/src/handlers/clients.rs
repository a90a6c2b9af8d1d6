//! The admin API for the apps people log in to (OpenID Connect clients): register, list, replace a registration,
//! rotate a confidential client's secret, delete. The secret is shown once, when made; only its hash is kept.

use super::oidc::{client, keys};
use super::{Call, HandlerResult};
use crate::body::MAX_JSON_BODY;
use crate::config::Environment;
use crate::failure::Internal;
use crate::oidc::clients::{self, secret_hash, Client};
use crate::platform::now_secs;
use crate::store;
use crate::token::Token;
use latchkey_shared::oauth::{
    ClientCreated, ClientKind, ClientList, ClientRef, ClientRegistration, ClientUpdate, ClientView,
};
use latchkey_shared::{ApiError, ErrorCode};

/// Checks a registration against the rules and the algorithms a configured key signs with.
fn checked(call: &Call<'_>, registration: &ClientRegistration) -> Result<(), ApiError> {
    let dev = call.config.environment == Environment::Dev;
    let algorithms = keys(call)?.algorithms();
    clients::check(registration, &algorithms, dev)
        .map_err(|e| call.error(ErrorCode::InvalidRequest).with_detail(e.to_string()))
}

/// A new secret for a confidential client (none for a public one): what to show, and what to keep.
fn new_secret(kind: ClientKind) -> Result<(Option<String>, Option<String>), ApiError> {
    if kind == ClientKind::Public {
        return Ok((None, None));
    }
    let secret = Token::generate()?.as_str().to_owned();
    let hash = secret_hash(&secret);
    Ok((Some(secret), Some(hash)))
}

async fn save(call: &Call<'_>, client: &Client) -> Result<(), ApiError> {
    store::put_oauth2_client(&call.kv()?, client).await.map_err(|e| Internal::Kv(e).into())
}

async fn existing(call: &Call<'_>, client_id: &str) -> Result<Client, ApiError> {
    client(call, client_id).await?.ok_or_else(|| call.error(ErrorCode::NotFound).with_detail("no such client_id"))
}

/// `POST /api/admin/oauth2/clients`: answers 201 with the client and, for a confidential one, its secret.
pub async fn register(mut call: Call<'_>) -> HandlerResult {
    keys(&call)?;
    let registration: ClientRegistration = call.json(MAX_JSON_BODY).await?;
    checked(&call, &registration)?;
    let (secret, hash) = new_secret(registration.kind)?;
    // 128 random bits, readable in a URL and a config file.
    let client_id = crate::platform::new_id()?;
    let now = now_secs();
    let view = ClientView { client_id, registration, created_at: now, updated_at: now };
    let client = Client { view, secret_hash: hash };
    save(&call, &client).await?;
    call.reply(201, &ClientCreated { client: client.view, client_secret: secret })
}

/// `GET /api/admin/oauth2/clients`.
pub async fn list(call: Call<'_>) -> HandlerResult {
    let mut clients = store::oauth2_clients(&call.kv()?).await.map_err(Internal::Kv)?;
    clients.sort_by(|a, b| a.view.created_at.cmp(&b.view.created_at).then_with(|| a.id().cmp(b.id())));
    call.reply(200, &ClientList { clients: clients.into_iter().map(|c| c.view).collect() })
}

/// `PUT /api/admin/oauth2/clients`: replaces a registration. A client that becomes confidential gets a secret (shown
/// in the answer); one that becomes public loses its own.
pub async fn update(mut call: Call<'_>) -> HandlerResult {
    keys(&call)?;
    let update: ClientUpdate = call.json(MAX_JSON_BODY).await?;
    checked(&call, &update.registration)?;
    let mut client = existing(&call, &update.client_id).await?;
    let was = client.registration().kind;
    let (secret, hash) = match (was, update.registration.kind) {
        (ClientKind::Public, ClientKind::Confidential) => new_secret(ClientKind::Confidential)?,
        (_, ClientKind::Public) => (None, None),
        _ => (None, client.secret_hash.clone()),
    };
    client.view.registration = update.registration;
    client.view.updated_at = now_secs();
    client.secret_hash = hash;
    save(&call, &client).await?;
    call.reply(200, &ClientCreated { client: client.view, client_secret: secret })
}

/// `POST /api/admin/oauth2/clients/rotate-secret`: a new secret for a confidential client; the old one stops working.
pub async fn rotate_secret(mut call: Call<'_>) -> HandlerResult {
    let named: ClientRef = call.json(MAX_JSON_BODY).await?;
    let mut client = existing(&call, &named.client_id).await?;
    if client.registration().kind != ClientKind::Confidential {
        return Err(call.error(ErrorCode::InvalidRequest).with_detail("a public client has no secret"));
    }
    let (secret, hash) = new_secret(ClientKind::Confidential)?;
    client.secret_hash = hash;
    client.view.updated_at = now_secs();
    save(&call, &client).await?;
    call.reply(200, &ClientCreated { client: client.view, client_secret: secret })
}

/// `POST /api/admin/oauth2/clients/delete`: the app can no longer log anyone in; tokens it holds stop working at the
/// token endpoint at once, and its access tokens expire within their lifetime.
pub async fn delete(mut call: Call<'_>) -> HandlerResult {
    let named: ClientRef = call.json(MAX_JSON_BODY).await?;
    existing(&call, &named.client_id).await?;
    store::delete_oauth2_client(&call.kv()?, &named.client_id).await.map_err(Internal::Kv)?;
    worker::Response::empty().map(|r| r.with_status(204)).map_err(|e| Internal::Respond(e).into())
}
