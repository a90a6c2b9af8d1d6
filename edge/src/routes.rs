//! Which handler a method and path go to. Pure, so it is tested natively.

use latchkey_shared::ErrorCode;

/// Who may call a route. Checked by the router before the handler runs, so no handler checks it by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Guard {
    Public,
    /// The `ADMIN_TOKEN` bearer secret, or a console session (cookie, from this site's own pages, as
    /// [`Guard::SessionChange`]) of a staff account with the `admin` role and 2-Step Verification on.
    Admin,
    /// As [`Guard::Admin`], for a change: a console session must also have given the password and a 2-Step
    /// Verification code in the last `RECENT_AUTH_SECS` (`reauthentication_required` otherwise; the account's Durable
    /// Object checks it). The bearer token is its own proof.
    AdminChange,
    /// As [`Guard::Admin`], for what the `helpdesk` role may do too.
    Helpdesk,
    /// As [`Guard::AdminChange`], for what the `helpdesk` role may do too.
    HelpdeskChange,
    /// A live session cookie (which session, and whether it is live, the account's Durable Object decides).
    Session,
    /// A session cookie, on a request from this site's own pages ([`from_this_site`]): what changes the account.
    SessionChange,
    /// As [`Guard::SessionChange`], for a sensitive setting: the person must also have typed the password in this
    /// session recently (`RECENT_AUTH_SECS`), which the account's Durable Object checks, answering
    /// `reauthentication_required` otherwise (`POST /api/session/reauthenticate` makes a session recent again).
    RecentSessionChange,
    /// No session needed, but a browser's request must come from this site's own pages: logging in and out (a
    /// forged login would put someone in the attacker's account).
    SameOrigin,
    /// Only on a development Worker (`ENVIRONMENT = "dev"`); 404 everywhere else.
    Dev,
}

/// One method on a path: who may call it, the rate limiter's budget it draws on (`ip_limit`; the admin API's is
/// the guard's), and its handler (`H`: the shell's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint<H> {
    pub method: &'static str,
    pub guard: Guard,
    pub limit: Option<&'static str>,
    pub handler: H,
}

/// Every path and its endpoints (`handlers::routes::TABLE`).
pub type Table<H> = [(&'static str, &'static [Endpoint<H>])];

/// The route table as data (`GET /dev/routes`), for the test that walks every guarded route from outside.
#[derive(Debug, serde::Serialize)]
pub struct Listed {
    pub path: &'static str,
    pub method: &'static str,
    pub guard: Guard,
}

pub fn listing<H>(table: &Table<H>) -> Vec<Listed> {
    table
        .iter()
        .flat_map(|(path, endpoints)| endpoints.iter().map(|e| Listed { path, method: e.method, guard: e.guard }))
        .collect()
}

/// Whether a request comes from this site's own pages, or from no browser at all. Browsers name the requesting site
/// on every state-changing request — `Sec-Fetch-Site` (all current ones) and `Origin` (every POST and DELETE) — and
/// a script on another site cannot change either; a request with neither comes from a program, which carries no one
/// else's cookie. This, not only `SameSite=Strict`, JSON bodies and CORS, is what stops cross-site request forgery.
///
/// A form posted from one of this site's own pages carries `Origin: null` (the pages' `Referrer-Policy: no-referrer`
/// hides the origin of a non-CORS POST), with `Sec-Fetch-Site: same-origin`, which the browser alone sets: that is
/// this site. An opaque origin elsewhere (a sandboxed frame, a `data:` page) is `cross-site` to everyone.
pub fn from_this_site(sec_fetch_site: Option<&str>, origin: Option<&str>, app_origin: &str) -> bool {
    let same_origin = |site: &str| site.trim().eq_ignore_ascii_case("same-origin");
    let site_ok = sec_fetch_site.is_none_or(same_origin);
    let origin_ok = origin.is_none_or(|origin| {
        origin.trim().eq_ignore_ascii_case(app_origin)
            || (origin.trim() == "null" && sec_fetch_site.is_some_and(same_origin))
    });
    site_ok && origin_ok
}

/// The endpoint for a request, or the error code to answer with. HEAD is served as GET.
pub fn route<H>(table: &Table<H>, method: &str, path: &str) -> Result<&'static Endpoint<H>, ErrorCode> {
    let method = if method == "HEAD" { "GET" } else { method };
    let allowed = methods(table, path).ok_or(ErrorCode::NotFound)?;
    allowed.iter().find(|e| e.method == method).ok_or(ErrorCode::MethodNotAllowed)
}

/// The `Allow` header for a path a method was refused on (RFC 9110 asks for it with every 405).
pub fn allow_header<H>(table: &Table<H>, path: &str) -> Option<String> {
    let mut names: Vec<&str> = methods(table, path)?.iter().map(|e| e.method).collect();
    if names.contains(&"GET") {
        names.push("HEAD");
    }
    Some(names.join(", "))
}

fn methods<H>(table: &Table<H>, path: &str) -> Option<&'static [Endpoint<H>]> {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    table.iter().find(|(p, _)| *p == path).map(|(_, allowed)| *allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_sites_pages_or_a_program_may_change_things() {
        let site = "https://reset.school.org";
        assert!(from_this_site(Some("same-origin"), Some(site), site));
        assert!(from_this_site(None, None, site), "not a browser: no one else's cookie rides on it");
        assert!(!from_this_site(Some("cross-site"), None, site));
        assert!(!from_this_site(Some("same-site"), Some(site), site), "a sibling subdomain is another site");
        assert!(!from_this_site(None, Some("https://evil.example"), site));
        assert!(!from_this_site(None, Some("null"), site), "a sandboxed frame or a data: page");
        assert!(!from_this_site(Some("cross-site"), Some("null"), site), "the same, as a browser names it");
        assert!(from_this_site(Some("same-origin"), Some("null"), site), "a form on this site's no-referrer pages");
    }

    #[test]
    fn a_path_and_a_method_find_their_endpoint_or_the_refusal() {
        const TABLE: &Table<&str> = &[
            ("/api/policy", &[Endpoint { method: "GET", guard: Guard::Public, limit: None, handler: "policy" }]),
            (
                "/api/session",
                &[
                    Endpoint { method: "GET", guard: Guard::Session, limit: None, handler: "current" },
                    Endpoint { method: "DELETE", guard: Guard::SameOrigin, limit: None, handler: "logout" },
                ],
            ),
        ];
        let found = |method, path| route(TABLE, method, path).map(|e| e.handler);
        assert_eq!(found("GET", "/api/policy"), Ok("policy"));
        assert_eq!(found("HEAD", "/api/policy/"), Ok("policy"), "HEAD is GET, a trailing slash the same path");
        assert_eq!(found("DELETE", "/api/session"), Ok("logout"));
        assert_eq!(found("POST", "/api/policy"), Err(ErrorCode::MethodNotAllowed));
        assert_eq!(found("GET", "/api/nope"), Err(ErrorCode::NotFound));
        assert_eq!(found("GET", "/"), Err(ErrorCode::NotFound));
        assert_eq!(allow_header(TABLE, "/api/session").as_deref(), Some("GET, DELETE, HEAD"));
        assert_eq!(allow_header(TABLE, "/api/nope"), None);
        assert_eq!(listing(TABLE).len(), 3);
    }
}
