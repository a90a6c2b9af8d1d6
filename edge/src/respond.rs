//! Building responses: JSON bodies, the error body, cookies, and the headers every API answer carries.

use latchkey_shared::{ApiError, Locale};
use serde::Serialize;
use worker::{Request, Response, Result};

pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response> {
    Ok(Response::from_json(body)?.with_status(status))
}

/// The headers every answer from the Worker carries, whatever the route (pages and assets get theirs from
/// `www/_headers`). A response that set its own `Cache-Control` or `Content-Security-Policy` keeps it.
pub fn harden(mut response: Response) -> Result<Response> {
    let headers = response.headers_mut();
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Referrer-Policy", "no-referrer")?;
    headers.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")?;
    if !headers.has("Cache-Control")? {
        headers.set("Cache-Control", "no-store")?;
    }
    if !headers.has("Content-Security-Policy")? {
        // JSON answers run nothing and belong in no frame.
        headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'")?;
    }
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

/// CORS preflight for the endpoints browser apps call with a form or a bearer token (no cookie is ever involved).
pub fn oauth_preflight() -> Result<Response> {
    let mut response = Response::empty()?.with_status(204);
    let headers = response.headers_mut();
    headers.set("Access-Control-Allow-Origin", "*")?;
    headers.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")?;
    headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type")?;
    headers.set("Access-Control-Max-Age", "86400")?;
    Ok(response)
}

/// The reader's language, from `Accept-Language`.
pub fn locale_of(req: &Request) -> Locale {
    Locale::negotiate(&req.headers().get("Accept-Language").ok().flatten().unwrap_or_default())
}

/// The session cookie's name. Over https (every deployment) `__Host-` pins it to this origin, path `/`, Secure. A
/// development origin on plain http gets a cookie without `Secure`, which Firefox and WebKit would otherwise drop.
pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-latchkey-session"
    } else {
        "latchkey-session"
    }
}

pub fn session_cookie(value: &str, max_age_secs: u64, secure: bool) -> String {
    cookie(session_cookie_name(secure), value, "/", "Strict", max_age_secs, secure)
}

/// An `HttpOnly` cookie; `Secure` over https.
fn cookie(name: &str, value: &str, path: &str, same_site: &str, max_age_secs: u64, secure: bool) -> String {
    let secure = if secure { " Secure;" } else { "" };
    format!("{name}={value}; Path={path}; HttpOnly;{secure} SameSite={same_site}; Max-Age={max_age_secs}")
}

/// The second cookie a login sets, holding the same session: `SameSite=Lax`, so it comes along when an app sends the
/// person to `/oauth2/authorize` (a cross-site navigation, on which the `Strict` cookie is not sent). Only that
/// endpoint and RP-initiated logout read it — its path is `/oauth2/`, so no other route even receives it —, and every
/// `/api` route reads the `Strict` one alone and keeps its own checks. `__Secure-` (not `__Host-`, which asks for path
/// `/`) and no `Domain`: this host only, over https only.
pub fn sso_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Secure-latchkey-sso"
    } else {
        "latchkey-sso"
    }
}

pub fn sso_cookie(value: &str, max_age_secs: u64, secure: bool) -> String {
    cookie(sso_cookie_name(secure), value, "/oauth2/", "Lax", max_age_secs, secure)
}

pub fn cookie_value<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    cookie_header.split(';').filter_map(|pair| pair.trim().split_once('=')).find(|(k, _)| *k == name).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_cookie_flags() {
        let cookie = session_cookie("abc", 60, true);
        for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=60"] {
            assert!(cookie.contains(flag), "{cookie}");
        }
        assert!(cookie.starts_with("__Host-latchkey-session=abc;"));
        let dev = session_cookie("abc", 60, false);
        assert_eq!(dev, "latchkey-session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60");
        let sso = sso_cookie("abc", 60, true);
        assert_eq!(sso, "__Secure-latchkey-sso=abc; Path=/oauth2/; HttpOnly; Secure; SameSite=Lax; Max-Age=60");
    }

    #[test]
    fn reads_a_cookie_among_others() {
        let header = "theme=dark; __Host-latchkey-session=v.a.l; other=1";
        assert_eq!(cookie_value(header, session_cookie_name(true)), Some("v.a.l"));
        assert_eq!(cookie_value("theme=dark", session_cookie_name(true)), None);
    }
}
