//! The latchkey Worker: a thin shell that reads the request, asks the pure modules what to do, and does the I/O.
//! Static pages come from the `[assets]` binding; only `/api/*` reaches this code.

mod config;
mod respond;
mod routes;

use config::Config;
use latchkey_shared::api::PolicyResponse;
use latchkey_shared::{ApiError, ErrorCode, Locale};
use routes::Route;
use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let locale = respond::locale_of(&req);
    let outcome = handle(&req, &env, locale);
    match outcome {
        Ok(response) => Ok(response),
        Err(error) => respond::error(&error),
    }
}

fn handle(req: &Request, env: &Env, locale: Locale) -> std::result::Result<Response, ApiError> {
    let route = routes::route(req.method().as_ref(), &req.path()).map_err(|code| ApiError::new(code, locale))?;
    let config = Config::from_env(env).map_err(|err| {
        // Configuration errors name a variable and a field, never a secret's value.
        worker::console_error!("configuration error: {err}");
        ApiError::new(ErrorCode::ConfigInvalid, locale).with_detail(err.to_string())
    })?;
    match route {
        Route::Policy => respond::json(200, &PolicyResponse { policy: config.policy }).and_then(respond::public),
        Route::PolicyPreflight => respond::preflight(),
    }
    .map_err(|err| {
        worker::console_error!("response error: {err}");
        ApiError::new(ErrorCode::Internal, locale)
    })
}
