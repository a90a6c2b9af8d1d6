//! Building responses: JSON bodies, the error body, and the headers every API answer carries.

use latchkey_shared::{ApiError, Locale};
use serde::Serialize;
use worker::{Request, Response, Result};

pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response> {
    let mut response = Response::from_json(body)?.with_status(status);
    let headers = response.headers_mut();
    headers.set("Cache-Control", "no-store")?;
    headers.set("X-Content-Type-Options", "nosniff")?;
    Ok(response)
}

/// Lets any origin read the response: for public data (the policy) that pages embedding the widget fetch.
pub fn public(mut response: Response) -> Result<Response> {
    response.headers_mut().set("Access-Control-Allow-Origin", "*")?;
    Ok(response)
}

/// Errors hold no user data, and a cross-origin widget must be able to read why its request failed.
pub fn error(error: &ApiError) -> Result<Response> {
    public(json(error.http_status(), error)?)
}

pub fn preflight() -> Result<Response> {
    let mut response = Response::empty()?.with_status(204);
    let headers = response.headers_mut();
    headers.set("Access-Control-Allow-Origin", "*")?;
    headers.set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")?;
    headers.set("Access-Control-Max-Age", "86400")?;
    Ok(response)
}

/// The reader's language, from `Accept-Language`.
pub fn locale_of(req: &Request) -> Locale {
    Locale::negotiate(&req.headers().get("Accept-Language").ok().flatten().unwrap_or_default())
}
