//! Building responses: JSON bodies, the error body, cookies, and the headers every API answer carries.

use latchkey_shared::{ApiError, Locale};
use serde::Serialize;
use worker::{Request, Response, Result};

pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response> {
    Ok(Response::from_json(body)?.with_status(status))
}

/// Two years, subdomains included: the Worker's answers and the pages (`www/_headers`) say the same.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// The headers every answer from the Worker carries, whatever the route (pages and assets get theirs from
/// `www/_headers`). A response that set its own `Cache-Control` or `Content-Security-Policy` keeps it.
pub fn harden(mut response: Response) -> Result<Response> {
    let headers = response.headers_mut();
    headers.set("X-Content-Type-Options", "nosniff")?;
    headers.set("Referrer-Policy", "no-referrer")?;
    headers.set("Strict-Transport-Security", HSTS)?;
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

fn session_cookie(value: &str, max_age_secs: u64, secure: bool) -> String {
    cookie(session_cookie_name(secure), value, "/", "Strict", max_age_secs, secure)
}

/// An `HttpOnly` cookie; `Secure` over https.
fn cookie(name: &str, value: &str, path: &str, same_site: &str, max_age_secs: u64, secure: bool) -> String {
    let secure = if secure { " Secure;" } else { "" };
    format!("{name}={value}; Path={path}; HttpOnly;{secure} SameSite={same_site}; Max-Age={max_age_secs}")
}

/// The second cookie a login sets, holding the same session: `SameSite=Lax`, so it comes along when an app sends the
/// person to `/oauth2/authorize` (a cross-site navigation, on which the `Strict` cookie is not sent). Only that
/// endpoint and RP-initiated logout read it; every `/api` route reads the `Strict` one alone and keeps its own checks.
/// `__Host-` (path `/`, no `Domain`, `Secure`): a sibling subdomain cannot set a cookie of this name, so it cannot
/// plant its own session for the apps to log in to (a `__Secure-` cookie with a longer path could be tossed in).
pub fn sso_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-latchkey-sso"
    } else {
        "latchkey-sso"
    }
}

fn sso_cookie(value: &str, max_age_secs: u64, secure: bool) -> String {
    cookie(sso_cookie_name(secure), value, "/", "Lax", max_age_secs, secure)
}

/// The cookie the SSO cookie was before it became a `__Host-` one: cleared wherever a login or logout sets cookies,
/// so no browser keeps sending it.
fn former_sso_cookie(secure: bool) -> Option<String> {
    secure.then(|| cookie("__Secure-latchkey-sso", "", "/oauth2/", "Lax", 0, true))
}

/// Sets a session in both cookies (the `Strict` one and its `Lax` twin for the apps' login flow), or with an empty
/// `value` and no age, clears them; either way the former SSO cookie goes.
pub fn set_session_cookies(response: &mut Response, value: &str, max_age_secs: u64, secure: bool) -> Result<()> {
    let headers = response.headers_mut();
    headers.append("Set-Cookie", &session_cookie(value, max_age_secs, secure))?;
    headers.append("Set-Cookie", &sso_cookie(value, max_age_secs, secure))?;
    if let Some(former) = former_sso_cookie(secure) {
        headers.append("Set-Cookie", &former)?;
    }
    Ok(())
}

/// The value of the cookie `name`, if the header carries it exactly once. Twice means someone else set one (a
/// sibling subdomain can toss a cookie of a name without a `__Host-` prefix in): neither is trusted.
pub fn cookie_value<'a>(cookie_header: &'a str, name: &str) -> Option<&'a str> {
    let mut found = cookie_header.split(';').filter_map(|pair| pair.trim().split_once('=')).filter(|(k, _)| *k == name);
    let (_, value) = found.next()?;
    found.next().is_none().then_some(value)
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
        assert_eq!(sso, "__Host-latchkey-sso=abc; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=60");
        let former = former_sso_cookie(true).unwrap();
        assert!(former.starts_with("__Secure-latchkey-sso=;") && former.contains("Path=/oauth2/"));
        assert!(former.contains("Max-Age=0"), "cleared: {former}");
        assert_eq!(former_sso_cookie(false), None);
    }

    #[test]
    fn a_cookie_given_twice_is_not_read_at_all() {
        let name = sso_cookie_name(true);
        assert_eq!(cookie_value(&format!("{name}=mine; {name}=planted"), name), None);
        assert_eq!(cookie_value(&format!("{name}=planted;{name}=mine; theme=dark"), name), None);
        assert_eq!(cookie_value(&format!("theme=dark; {name}=mine"), name), Some("mine"));
    }

    #[test]
    fn the_pages_and_the_worker_ask_for_https_for_as_long() {
        let pages = include_str!("../../www/_headers");
        let said: Vec<&str> =
            pages.lines().filter_map(|l| l.trim().strip_prefix("Strict-Transport-Security:")).map(str::trim).collect();
        assert_eq!(said, [HSTS]);
    }

    #[test]
    fn reads_a_cookie_among_others() {
        let header = "theme=dark; __Host-latchkey-session=v.a.l; other=1";
        assert_eq!(cookie_value(header, session_cookie_name(true)), Some("v.a.l"));
        assert_eq!(cookie_value("theme=dark", session_cookie_name(true)), None);
    }
}
