//! Which handler a method and path go to. Pure, so it is tested natively.

use latchkey_shared::ErrorCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Health,
    OpenApi,
    Policy,
    /// CORS preflight for the public GET endpoints, which pages on other origins fetch.
    Preflight,
    RequestReset,
    VerifyReset,
    ConfirmReset,
    Messages,
    Requirements,
    Login,
    CurrentSession,
    Logout,
    Reauthenticate,
    ChangePassword,
    /// Whose password the change form is for, and why it must change: also for a session good only for that.
    PasswordChangeContext,
    TwoStepStatus,
    TwoStepSetup,
    TwoStepConfirm,
    TwoStepRecoveryCodes,
    TwoStepDisable,
    AdminCreateAccount,
    AdminImportAccounts,
    AdminDisableAccount,
    AdminEnableAccount,
    AdminEndSessions,
    AdminTwoStepOff,
    AdminFindAccounts,
    /// Who uses the console, and with which roles.
    AdminMe,
    AdminIdentityChecks,
    AdminSendResetLink,
    AdminSetRoles,
    AdminChangeLoginEmail,
    AdminResendDeadLetter,
    /// Seals what accounts kept before secrets were sealed, a page of the registry at a time.
    AdminSealSecrets,
    /// The new address's link confirms a login email change.
    ConfirmLoginEmail,
    /// The old address's link cancels it.
    CancelLoginEmail,
    AdminDeadLetters,
    AdminTwoStepRequirement,
    AdminSetTwoStepRequirement,
    AdminRequirePasswordChange,
    AdminPasswordChangeRequirement,
    AdminSetPasswordChangeRequirement,
    AdminWithdrawPasswordChangeRequirement,
    DevMailbox,
    DevMailboxJson,
    /// Operation counts, for the benchmark.
    DevOps,
    /// Hashes `n` times, so the benchmark can time argon2 in workerd from outside.
    DevArgon2,
    /// Verifies a password against a hash `n` times, so the benchmark can time imported hashes in workerd.
    DevVerify,
    /// Signs `n` tokens, so the benchmark can time WebCrypto signing in workerd.
    DevSign,
    /// The route table with each route's guard.
    DevRoutes,
    OpenIdConfiguration,
    Jwks,
    /// CORS preflight for the endpoints a browser app calls with a token or a form.
    OAuthPreflight,
    Authorize,
    /// The person's answer on the page confirming an app.
    Consent,
    Token,
    UserInfo,
    Revoke,
    Introspect,
    EndSession,
    /// What the login page shows about the app a person logs in to.
    AppInfo,
    AdminClients,
    AdminRegisterClient,
    AdminUpdateClient,
    AdminRotateClientSecret,
    AdminDeleteClient,
    /// The mail provider's delivery events (bounces, complaints, deliveries).
    MailEvents,
}

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

/// One method on a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub method: &'static str,
    pub route: Route,
    pub guard: Guard,
}

const fn ep(method: &'static str, route: Route, guard: Guard) -> Endpoint {
    Endpoint { method, route, guard }
}

use Guard::{
    Admin, AdminChange, Dev, Helpdesk, HelpdeskChange, Public, RecentSessionChange, SameOrigin, Session, SessionChange,
};

/// Every path, the methods it takes and who may call them: the single table the router, the OpenAPI test and the
/// guard test read.
pub const TABLE: &[(&str, &[Endpoint])] = &[
    ("/api/health", &[ep("GET", Route::Health, Public)]),
    ("/api/openapi.json", &[ep("GET", Route::OpenApi, Public), ep("OPTIONS", Route::Preflight, Public)]),
    ("/api/policy", &[ep("GET", Route::Policy, Public), ep("OPTIONS", Route::Preflight, Public)]),
    ("/api/reset-requests", &[ep("POST", Route::RequestReset, Public)]),
    ("/api/resets/verify", &[ep("POST", Route::VerifyReset, Public)]),
    ("/api/resets", &[ep("POST", Route::ConfirmReset, Public)]),
    ("/api/messages", &[ep("GET", Route::Messages, Public), ep("OPTIONS", Route::Preflight, Public)]),
    ("/api/requirements", &[ep("GET", Route::Requirements, Public), ep("OPTIONS", Route::Preflight, Public)]),
    ("/api/sessions", &[ep("POST", Route::Login, SameOrigin)]),
    // Logging out always clears the cookie, whatever it holds.
    ("/api/session", &[ep("GET", Route::CurrentSession, Session), ep("DELETE", Route::Logout, SameOrigin)]),
    ("/api/two-step", &[ep("GET", Route::TwoStepStatus, Session)]),
    ("/api/session/reauthenticate", &[ep("POST", Route::Reauthenticate, SessionChange)]),
    // The current password is in the body: the change is its own recent authentication.
    (
        "/api/password",
        &[ep("GET", Route::PasswordChangeContext, Session), ep("POST", Route::ChangePassword, SessionChange)],
    ),
    ("/api/two-step/setup", &[ep("POST", Route::TwoStepSetup, RecentSessionChange)]),
    ("/api/two-step/confirm", &[ep("POST", Route::TwoStepConfirm, RecentSessionChange)]),
    ("/api/two-step/recovery-codes", &[ep("POST", Route::TwoStepRecoveryCodes, RecentSessionChange)]),
    ("/api/two-step/disable", &[ep("POST", Route::TwoStepDisable, RecentSessionChange)]),
    (
        "/api/admin/accounts",
        &[ep("GET", Route::AdminFindAccounts, Helpdesk), ep("POST", Route::AdminCreateAccount, AdminChange)],
    ),
    ("/api/admin/me", &[ep("GET", Route::AdminMe, Helpdesk)]),
    ("/api/admin/identity-checks", &[ep("GET", Route::AdminIdentityChecks, Helpdesk)]),
    ("/api/admin/accounts/import", &[ep("POST", Route::AdminImportAccounts, AdminChange)]),
    ("/api/admin/accounts/disable", &[ep("POST", Route::AdminDisableAccount, HelpdeskChange)]),
    ("/api/admin/accounts/enable", &[ep("POST", Route::AdminEnableAccount, HelpdeskChange)]),
    ("/api/admin/accounts/end-sessions", &[ep("POST", Route::AdminEndSessions, HelpdeskChange)]),
    ("/api/admin/accounts/two-step-off", &[ep("POST", Route::AdminTwoStepOff, HelpdeskChange)]),
    ("/api/admin/accounts/reset-link", &[ep("POST", Route::AdminSendResetLink, HelpdeskChange)]),
    ("/api/admin/accounts/roles", &[ep("PUT", Route::AdminSetRoles, AdminChange)]),
    ("/api/admin/accounts/seal-secrets", &[ep("POST", Route::AdminSealSecrets, AdminChange)]),
    ("/api/admin/accounts/login-email", &[ep("POST", Route::AdminChangeLoginEmail, HelpdeskChange)]),
    // The token from the link mailed to the new address is the credential.
    ("/api/login-email-changes", &[ep("POST", Route::ConfirmLoginEmail, Public)]),
    ("/api/login-email-changes/cancel", &[ep("POST", Route::CancelLoginEmail, Public)]),
    ("/api/admin/accounts/require-password-change", &[ep("POST", Route::AdminRequirePasswordChange, HelpdeskChange)]),
    (
        "/api/admin/password-change-requirement",
        &[
            ep("GET", Route::AdminPasswordChangeRequirement, Admin),
            ep("PUT", Route::AdminSetPasswordChangeRequirement, AdminChange),
            ep("DELETE", Route::AdminWithdrawPasswordChangeRequirement, AdminChange),
        ],
    ),
    ("/api/admin/dead-letters", &[ep("GET", Route::AdminDeadLetters, Admin)]),
    ("/api/admin/dead-letters/resend", &[ep("POST", Route::AdminResendDeadLetter, AdminChange)]),
    (
        "/api/admin/two-step-requirement",
        &[ep("GET", Route::AdminTwoStepRequirement, Admin), ep("PUT", Route::AdminSetTwoStepRequirement, AdminChange)],
    ),
    (
        "/api/admin/oauth2/clients",
        &[
            ep("GET", Route::AdminClients, Admin),
            ep("POST", Route::AdminRegisterClient, AdminChange),
            ep("PUT", Route::AdminUpdateClient, AdminChange),
        ],
    ),
    ("/api/admin/oauth2/clients/rotate-secret", &[ep("POST", Route::AdminRotateClientSecret, AdminChange)]),
    ("/api/admin/oauth2/clients/delete", &[ep("POST", Route::AdminDeleteClient, AdminChange)]),
    ("/api/apps", &[ep("GET", Route::AppInfo, Public)]),
    // The provider proves itself with a signature or credentials, which the handler checks on the body.
    ("/api/mail-events", &[ep("POST", Route::MailEvents, Public)]),
    // OpenID Connect. The authorization endpoint and logout read the session themselves (a cross-site navigation
    // brings only the `Lax` cookie); apps call the rest with their own credentials, never a cookie.
    (
        "/.well-known/openid-configuration",
        &[ep("GET", Route::OpenIdConfiguration, Public), ep("OPTIONS", Route::Preflight, Public)],
    ),
    ("/oauth2/jwks", &[ep("GET", Route::Jwks, Public), ep("OPTIONS", Route::Preflight, Public)]),
    ("/oauth2/authorize", &[ep("GET", Route::Authorize, Public)]),
    // The confirmation page's answer comes from latchkey's own page.
    ("/oauth2/consent", &[ep("POST", Route::Consent, SameOrigin)]),
    ("/oauth2/token", &[ep("POST", Route::Token, Public), ep("OPTIONS", Route::OAuthPreflight, Public)]),
    (
        "/oauth2/userinfo",
        &[
            ep("GET", Route::UserInfo, Public),
            ep("POST", Route::UserInfo, Public),
            ep("OPTIONS", Route::OAuthPreflight, Public),
        ],
    ),
    ("/oauth2/revoke", &[ep("POST", Route::Revoke, Public), ep("OPTIONS", Route::OAuthPreflight, Public)]),
    ("/oauth2/introspect", &[ep("POST", Route::Introspect, Public)]),
    // A confirmed logout comes from latchkey's own page.
    ("/oauth2/logout", &[ep("GET", Route::EndSession, Public), ep("POST", Route::EndSession, SameOrigin)]),
    ("/dev/mailbox", &[ep("GET", Route::DevMailbox, Dev)]),
    ("/dev/mailbox.json", &[ep("GET", Route::DevMailboxJson, Dev)]),
    ("/dev/ops", &[ep("GET", Route::DevOps, Dev)]),
    ("/dev/argon2", &[ep("POST", Route::DevArgon2, Dev)]),
    ("/dev/verify", &[ep("POST", Route::DevVerify, Dev)]),
    ("/dev/sign", &[ep("POST", Route::DevSign, Dev)]),
    ("/dev/routes", &[ep("GET", Route::DevRoutes, Dev)]),
];

/// The route table as data (`GET /dev/routes`), for the test that walks every guarded route from outside.
#[derive(Debug, serde::Serialize)]
pub struct Listed {
    pub path: &'static str,
    pub method: &'static str,
    pub guard: Guard,
}

pub fn listing() -> Vec<Listed> {
    TABLE
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
pub fn route(method: &str, path: &str) -> Result<Endpoint, ErrorCode> {
    let method = if method == "HEAD" { "GET" } else { method };
    let allowed = methods(path).ok_or(ErrorCode::NotFound)?;
    allowed.iter().find(|e| e.method == method).copied().ok_or(ErrorCode::MethodNotAllowed)
}

/// The `Allow` header for a path a method was refused on (RFC 9110 asks for it with every 405).
pub fn allow_header(path: &str) -> Option<String> {
    let mut names: Vec<&str> = methods(path)?.iter().map(|e| e.method).collect();
    if names.contains(&"GET") {
        names.push("HEAD");
    }
    Some(names.join(", "))
}

fn methods(path: &str) -> Option<&'static [Endpoint]> {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    TABLE.iter().find(|(p, _)| *p == path).map(|(_, allowed)| *allowed)
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
    fn every_state_change_riding_on_the_cookie_is_same_origin_guarded() {
        for listed in listing() {
            let cookie = ["/api/two-step", "/api/session", "/api/password"].iter().any(|p| listed.path.starts_with(p));
            if cookie && listed.method != "GET" {
                assert!(
                    matches!(listed.guard, Guard::SessionChange | Guard::RecentSessionChange | Guard::SameOrigin),
                    "{} {}",
                    listed.method,
                    listed.path
                );
            }
        }
    }

    #[test]
    fn every_change_to_two_step_verification_needs_a_recent_password() {
        for listed in listing().into_iter().filter(|l| l.path.starts_with("/api/two-step/") && l.method == "POST") {
            assert_eq!(listed.guard, Guard::RecentSessionChange, "{}", listed.path);
        }
    }

    #[test]
    fn every_admin_route_is_admin_guarded_and_every_dev_route_dev_guarded() {
        for listed in listing() {
            match listed.path {
                // What changes anything asks the console for both factors again, lately; what reads does not.
                p if p.starts_with("/api/admin/") && listed.method == "GET" => {
                    assert!(matches!(listed.guard, Guard::Admin | Guard::Helpdesk), "{} {}", listed.method, p)
                }
                p if p.starts_with("/api/admin/") => {
                    assert!(
                        matches!(listed.guard, Guard::AdminChange | Guard::HelpdeskChange),
                        "{} {}",
                        listed.method,
                        p
                    )
                }
                p if p.starts_with("/dev/") => assert_eq!(listed.guard, Guard::Dev, "{} {}", listed.method, p),
                _ => continue,
            }
        }
    }

    #[test]
    fn routes_and_refusals() {
        let route = |method, path| route(method, path).map(|e| e.route);
        assert_eq!(route("GET", "/api/policy"), Ok(Route::Policy));
        assert_eq!(route("HEAD", "/api/policy/"), Ok(Route::Policy));
        assert_eq!(route("OPTIONS", "/api/policy"), Ok(Route::Preflight));
        assert_eq!(route("POST", "/api/resets"), Ok(Route::ConfirmReset));
        assert_eq!(route("POST", "/api/resets/verify"), Ok(Route::VerifyReset));
        assert_eq!(route("DELETE", "/api/session"), Ok(Route::Logout));
        assert_eq!(route("POST", "/api/policy"), Err(ErrorCode::MethodNotAllowed));
        assert_eq!(route("GET", "/api/reset-requests"), Err(ErrorCode::MethodNotAllowed));
        assert_eq!(route("GET", "/api/nope"), Err(ErrorCode::NotFound));
        assert_eq!(route("GET", "/"), Err(ErrorCode::NotFound));
        assert_eq!(allow_header("/api/session").as_deref(), Some("GET, DELETE, HEAD"));
        assert_eq!(allow_header("/api/resets/").as_deref(), Some("POST"));
        assert_eq!(allow_header("/api/nope"), None);
    }

    #[test]
    fn every_api_path_is_in_the_openapi_document() {
        let doc: serde_json::Value = serde_json::from_str(crate::OPENAPI).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        // The API, and OpenID Connect's JSON endpoints (the authorization endpoint and logout answer with pages).
        let oidc = [
            "/.well-known/openid-configuration",
            "/oauth2/jwks",
            "/oauth2/token",
            "/oauth2/userinfo",
            "/oauth2/revoke",
            "/oauth2/introspect",
        ];
        for (path, methods) in TABLE.iter().filter(|(p, _)| p.starts_with("/api/") || oidc.contains(p)) {
            let documented = paths.get(*path).unwrap_or_else(|| panic!("{path} missing from openapi.json"));
            for endpoint in methods.iter().filter(|e| e.method != "OPTIONS") {
                let method = endpoint.method;
                let operation = documented
                    .get(method.to_lowercase())
                    .unwrap_or_else(|| panic!("{method} {path} missing from openapi.json"));
                // The document says who may call it, as the table does.
                let scheme = operation["security"][0].as_object().and_then(|s| s.keys().next().cloned());
                let expected = match endpoint.guard {
                    Guard::Public if *path == "/oauth2/userinfo" => Some("accessToken"),
                    Guard::Admin | Guard::AdminChange | Guard::Helpdesk | Guard::HelpdeskChange => Some("adminToken"),
                    Guard::Session | Guard::SessionChange | Guard::RecentSessionChange => Some("sessionCookie"),
                    Guard::Public | Guard::SameOrigin | Guard::Dev => None,
                };
                assert_eq!(scheme.as_deref(), expected, "security of {method} {path}");
            }
        }
        for (path, operations) in paths {
            let known =
                TABLE.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("{path} documented, not routed"));
            for method in operations.as_object().unwrap().keys() {
                assert!(
                    known.1.iter().any(|e| e.method.eq_ignore_ascii_case(method)),
                    "{method} {path} documented, not routed"
                );
            }
        }
    }

    #[test]
    fn the_documented_error_codes_are_the_error_codes() {
        let doc: serde_json::Value = serde_json::from_str(crate::OPENAPI).unwrap();
        let documented: Vec<&str> = doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]
            ["enum"]
            .as_array()
            .expect("the Error schema lists its codes")
            .iter()
            .filter_map(|c| c.as_str())
            .collect();
        let defined: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(documented, defined);
    }
}
