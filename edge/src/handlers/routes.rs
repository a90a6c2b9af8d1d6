//! The route table: every path, the methods it takes, who may call each (its [`Guard`], checked before the handler
//! runs), the rate limiter's budget it draws on, and its handler — each route written once, here. The router
//! (`crate::routes`, pure) finds the endpoint; `lib.rs` checks its guard and budget and runs its handler.

use super::{
    admin, campaigns, catalogue, clients, dead_letters, dev, invitation_batch, invitations, login_email, mail_events,
    oidc, oidc_tokens, passkeys, password, reset, session, settings, two_step, Call, HandlerResult,
};
use crate::routes::{Endpoint, Guard, Table};
use std::future::Future;
use std::pin::Pin;
use worker::Context;

/// A handler, as the table holds it: the call, and the Worker's context (for work after the answer).
pub type Handler = for<'a> fn(Call<'a>, &'a Context) -> Pin<Box<dyn Future<Output = HandlerResult> + 'a>>;

/// A [`Handler`] from the expression that answers, naming the call (and the context when it needs it).
macro_rules! h {
    (|$call:ident, $ctx:ident| $answer:expr) => {{
        fn handle<'a>($call: Call<'a>, $ctx: &'a Context) -> Pin<Box<dyn Future<Output = HandlerResult> + 'a>> {
            Box::pin(async move { $answer })
        }
        handle as Handler
    }};
    (|$call:ident| $answer:expr) => {
        h!(|$call, _ctx| $answer)
    };
}

const fn ep(method: &'static str, guard: Guard, limit: Option<&'static str>, handler: Handler) -> Endpoint<Handler> {
    Endpoint { method, guard, limit, handler }
}

use Guard::{
    Admin, AdminChange, Dev, Helpdesk, HelpdeskChange, Public, RecentSessionChange, SameOrigin, Session, SessionChange,
};

/// Every path, the methods it takes, who may call them, their budget and their handler: the single table the
/// router, `GET /dev/routes`, the OpenAPI test and the guard tests read.
pub const TABLE: &Table<Handler> = &[
    ("/api/health", &[ep("GET", Public, None, h!(|_call| catalogue::health()))]),
    (
        "/api/openapi.json",
        &[
            ep("GET", Public, None, h!(|_call| catalogue::openapi())),
            ep("OPTIONS", Public, None, h!(|_call| catalogue::preflight())),
        ],
    ),
    (
        "/api/policy",
        &[
            ep("GET", Public, None, h!(|call| catalogue::policy(&call))),
            ep("OPTIONS", Public, None, h!(|_call| catalogue::preflight())),
        ],
    ),
    (
        "/api/reset-requests",
        &[ep("POST", Public, Some("reset-request"), h!(|call, ctx| reset::request(call, ctx).await))],
    ),
    ("/api/resets/verify", &[ep("POST", Public, Some("reset-verify"), h!(|call| reset::verify(call).await))]),
    ("/api/resets", &[ep("POST", Public, Some("reset-confirm"), h!(|call| reset::confirm(call).await))]),
    (
        "/api/invitations/verify",
        &[ep("POST", Public, Some("reset-verify"), h!(|call| invitations::verify(call).await))],
    ),
    // Like a reset's new password, and a login: it answers with a session.
    (
        "/api/invitations/accept",
        &[ep("POST", SameOrigin, Some("reset-confirm"), h!(|call| invitations::accept(call).await))],
    ),
    (
        "/api/invitations/passkey-options",
        &[ep("POST", Public, Some("reset-verify"), h!(|call| invitations::passkey_options(call).await))],
    ),
    (
        "/api/invitations/accept-passkey",
        &[ep("POST", SameOrigin, Some("reset-confirm"), h!(|call| invitations::accept_passkey(call).await))],
    ),
    (
        "/api/messages",
        &[
            ep("GET", Public, None, h!(|call| catalogue::messages(&call))),
            ep("OPTIONS", Public, None, h!(|_call| catalogue::preflight())),
        ],
    ),
    (
        "/api/requirements",
        &[
            ep("GET", Public, None, h!(|call| catalogue::requirements(&call))),
            ep("OPTIONS", Public, None, h!(|_call| catalogue::preflight())),
        ],
    ),
    ("/api/sessions", &[ep("POST", SameOrigin, Some("login"), h!(|call| session::login(call).await))]),
    // Logging out always clears the cookie, whatever it holds.
    (
        "/api/session",
        &[
            ep("GET", Session, None, h!(|call| session::current(call).await)),
            ep("DELETE", SameOrigin, None, h!(|call| session::logout(call).await)),
        ],
    ),
    ("/api/two-step", &[ep("GET", Session, None, h!(|call| two_step::status(call).await))]),
    ("/api/session/reauthenticate", &[ep("POST", SessionChange, None, h!(|call| session::reauthenticate(call).await))]),
    // The current password is in the body: the change is its own recent authentication.
    (
        "/api/password",
        &[
            ep("GET", Session, None, h!(|call| password::context(call).await)),
            ep("POST", SessionChange, None, h!(|call| password::change(call).await)),
        ],
    ),
    ("/api/passkeys/challenge", &[ep("POST", SameOrigin, Some("passkey"), h!(|call| passkeys::challenge(call).await))]),
    ("/api/passkeys/login", &[ep("POST", SameOrigin, Some("login"), h!(|call| passkeys::login(call).await))]),
    (
        "/api/passkeys",
        &[
            ep("GET", Session, None, h!(|call| passkeys::list(call).await)),
            ep("POST", RecentSessionChange, Some("two-step"), h!(|call| passkeys::register(call).await)),
        ],
    ),
    (
        "/api/passkeys/registration-options",
        &[ep("POST", RecentSessionChange, None, h!(|call| passkeys::registration_options(call).await))],
    ),
    ("/api/passkeys/rename", &[ep("POST", RecentSessionChange, None, h!(|call| passkeys::rename(call).await))]),
    (
        "/api/passkeys/remove",
        &[ep("POST", RecentSessionChange, Some("two-step"), h!(|call| passkeys::remove(call).await))],
    ),
    ("/api/two-step/setup", &[ep("POST", RecentSessionChange, None, h!(|call| two_step::setup(call).await))]),
    (
        "/api/two-step/confirm",
        &[ep("POST", RecentSessionChange, Some("two-step"), h!(|call| two_step::confirm(call).await))],
    ),
    (
        "/api/two-step/recovery-codes",
        &[ep("POST", RecentSessionChange, Some("two-step"), h!(|call| two_step::replace_recovery_codes(call).await))],
    ),
    (
        "/api/two-step/disable",
        &[ep("POST", RecentSessionChange, Some("two-step"), h!(|call| two_step::disable(call).await))],
    ),
    (
        "/api/admin/accounts",
        &[
            ep("GET", Helpdesk, None, h!(|call| admin::find(call).await)),
            ep("POST", AdminChange, None, h!(|call| admin::create(call).await)),
        ],
    ),
    ("/api/admin/me", &[ep("GET", Helpdesk, None, h!(|call| admin::me(call).await))]),
    (
        "/api/admin/invitations",
        &[
            ep("GET", Helpdesk, None, h!(|call| invitations::list(call).await)),
            ep("POST", AdminChange, None, h!(|call| invitations::invite(call).await)),
        ],
    ),
    ("/api/admin/invitations/counts", &[ep("GET", Helpdesk, None, h!(|call| invitations::counts(call).await))]),
    ("/api/admin/invitations/resend", &[ep("POST", HelpdeskChange, None, h!(|call| invitations::resend(call).await))]),
    ("/api/admin/invitations/revoke", &[ep("POST", HelpdeskChange, None, h!(|call| invitations::revoke(call).await))]),
    (
        "/api/admin/invitations/batch",
        &[
            ep("GET", Admin, None, h!(|call| invitation_batch::report(call).await)),
            ep("POST", AdminChange, None, h!(|call| invitation_batch::start(call).await)),
        ],
    ),
    ("/api/admin/identity-checks", &[ep("GET", Helpdesk, None, h!(|call| admin::identity_checks(call).await))]),
    ("/api/admin/accounts/import", &[ep("POST", AdminChange, None, h!(|call| admin::import(call).await))]),
    ("/api/admin/accounts/disable", &[ep("POST", HelpdeskChange, None, h!(|call| admin::disable(call).await))]),
    ("/api/admin/accounts/enable", &[ep("POST", HelpdeskChange, None, h!(|call| admin::enable(call).await))]),
    (
        "/api/admin/accounts/end-sessions",
        &[ep("POST", HelpdeskChange, None, h!(|call| admin::end_sessions(call).await))],
    ),
    (
        "/api/admin/accounts/two-step-off",
        &[ep("POST", HelpdeskChange, None, h!(|call| admin::two_step_off(call).await))],
    ),
    (
        "/api/admin/accounts/passkey-remove",
        &[ep("POST", HelpdeskChange, None, h!(|call| admin::remove_passkey(call).await))],
    ),
    (
        "/api/admin/accounts/reset-link",
        &[ep("POST", HelpdeskChange, None, h!(|call| admin::send_reset_link(call).await))],
    ),
    ("/api/admin/accounts/roles", &[ep("PUT", AdminChange, None, h!(|call| admin::set_roles(call).await))]),
    ("/api/admin/accounts/seal-secrets", &[ep("POST", AdminChange, None, h!(|call| admin::seal_secrets(call).await))]),
    ("/api/admin/accounts/login-email", &[ep("POST", HelpdeskChange, None, h!(|call| login_email::start(call).await))]),
    // The token from the link mailed to the new address is the credential.
    (
        "/api/login-email-changes",
        &[ep("POST", Public, Some("reset-confirm"), h!(|call| login_email::confirm(call).await))],
    ),
    (
        "/api/login-email-changes/cancel",
        &[ep("POST", Public, Some("reset-confirm"), h!(|call| login_email::cancel(call).await))],
    ),
    (
        "/api/admin/accounts/require-password-change",
        &[ep("POST", HelpdeskChange, None, h!(|call| admin::require_password_change(call).await))],
    ),
    (
        "/api/admin/password-change-requirement",
        &[
            ep("GET", Admin, None, h!(|call| settings::password_change_requirement(call).await)),
            ep("PUT", AdminChange, None, h!(|call| settings::set_password_change_requirement(call).await)),
            ep("DELETE", AdminChange, None, h!(|call| settings::withdraw_password_change_requirement(call).await)),
        ],
    ),
    (
        "/api/admin/campaigns",
        &[
            ep("GET", Admin, None, h!(|call| campaigns::list(call).await)),
            ep("POST", AdminChange, None, h!(|call| campaigns::start(call).await)),
        ],
    ),
    ("/api/admin/campaigns/pause", &[ep("POST", AdminChange, None, h!(|call| campaigns::pause(call).await))]),
    ("/api/admin/campaigns/resume", &[ep("POST", AdminChange, None, h!(|call| campaigns::resume(call).await))]),
    ("/api/admin/campaigns/cancel", &[ep("POST", AdminChange, None, h!(|call| campaigns::cancel(call).await))]),
    ("/api/admin/dead-letters", &[ep("GET", Admin, None, h!(|call| dead_letters::list(call).await))]),
    ("/api/admin/dead-letters/resend", &[ep("POST", AdminChange, None, h!(|call| dead_letters::resend(call).await))]),
    (
        "/api/admin/two-step-requirement",
        &[
            ep("GET", Admin, None, h!(|call| settings::two_step_requirement(call).await)),
            ep("PUT", AdminChange, None, h!(|call| settings::set_two_step_requirement(call).await)),
        ],
    ),
    (
        "/api/admin/oauth2/clients",
        &[
            ep("GET", Admin, None, h!(|call| clients::list(call).await)),
            ep("POST", AdminChange, None, h!(|call| clients::register(call).await)),
            ep("PUT", AdminChange, None, h!(|call| clients::update(call).await)),
        ],
    ),
    (
        "/api/admin/oauth2/clients/rotate-secret",
        &[ep("POST", AdminChange, None, h!(|call| clients::rotate_secret(call).await))],
    ),
    ("/api/admin/oauth2/clients/delete", &[ep("POST", AdminChange, None, h!(|call| clients::delete(call).await))]),
    ("/api/apps", &[ep("GET", Public, None, h!(|call| oidc::app_info(call).await))]),
    // The provider proves itself with a signature or credentials, which the handler checks on the body.
    ("/api/mail-events", &[ep("POST", Public, None, h!(|call| mail_events::receive(call).await))]),
    // OpenID Connect. The authorization endpoint and logout read the session themselves (a cross-site navigation
    // brings only the `Lax` cookie); apps call the rest with their own credentials, never a cookie.
    (
        "/.well-known/openid-configuration",
        &[
            ep("GET", Public, None, h!(|call| oidc::discovery(&call))),
            ep("OPTIONS", Public, None, h!(|_call| catalogue::preflight())),
        ],
    ),
    (
        "/oauth2/jwks",
        &[
            ep("GET", Public, None, h!(|call| oidc::jwks(&call))),
            ep("OPTIONS", Public, None, h!(|_call| catalogue::preflight())),
        ],
    ),
    ("/oauth2/authorize", &[ep("GET", Public, None, h!(|call| oidc::authorize(call).await))]),
    // The confirmation page's answer comes from latchkey's own page.
    ("/oauth2/consent", &[ep("POST", SameOrigin, None, h!(|call| oidc::consent(call).await))]),
    (
        "/oauth2/token",
        &[
            ep("POST", Public, None, h!(|call| oidc_tokens::token(call).await)),
            ep("OPTIONS", Public, None, h!(|_call| catalogue::oauth_preflight())),
        ],
    ),
    (
        "/oauth2/userinfo",
        &[
            ep("GET", Public, None, h!(|call| oidc_tokens::userinfo(call).await)),
            ep("POST", Public, None, h!(|call| oidc_tokens::userinfo(call).await)),
            ep("OPTIONS", Public, None, h!(|_call| catalogue::oauth_preflight())),
        ],
    ),
    (
        "/oauth2/revoke",
        &[
            ep("POST", Public, None, h!(|call| oidc_tokens::revoke(call).await)),
            ep("OPTIONS", Public, None, h!(|_call| catalogue::oauth_preflight())),
        ],
    ),
    ("/oauth2/introspect", &[ep("POST", Public, None, h!(|call| oidc_tokens::introspect(call).await))]),
    // A confirmed logout comes from latchkey's own page.
    (
        "/oauth2/logout",
        &[
            ep("GET", Public, None, h!(|call| oidc::logout(call).await)),
            ep("POST", SameOrigin, None, h!(|call| oidc::logout(call).await)),
        ],
    ),
    ("/dev/mailbox", &[ep("GET", Dev, None, h!(|call| dev::page(call).await))]),
    ("/dev/mailbox.json", &[ep("GET", Dev, None, h!(|call| dev::json(call).await))]),
    ("/dev/ops", &[ep("GET", Dev, None, h!(|call| dev::ops(call)))]),
    ("/dev/clock", &[ep("POST", Dev, None, h!(|call| dev::clock(call).await))]),
    ("/dev/argon2", &[ep("POST", Dev, None, h!(|call| dev::argon2(call)))]),
    ("/dev/verify", &[ep("POST", Dev, None, h!(|call| dev::verify(call).await))]),
    ("/dev/sign", &[ep("POST", Dev, None, h!(|call| dev::sign(call).await))]),
    ("/dev/passkey", &[ep("POST", Dev, None, h!(|call| dev::passkey(call).await))]),
    ("/dev/routes", &[ep("GET", Dev, None, h!(|call| call.reply(200, &crate::routes::listing(TABLE))))]),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::{listing, route};
    use latchkey_shared::ErrorCode;

    #[test]
    fn every_state_change_riding_on_the_cookie_is_same_origin_guarded() {
        for listed in listing(TABLE) {
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
        for listed in listing(TABLE).into_iter().filter(|l| l.path.starts_with("/api/two-step/") && l.method == "POST")
        {
            assert_eq!(listed.guard, Guard::RecentSessionChange, "{}", listed.path);
        }
    }

    #[test]
    fn every_admin_route_is_admin_guarded_and_every_dev_route_dev_guarded() {
        for listed in listing(TABLE) {
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
    fn the_public_posts_are_limited_each_on_its_own_budget_and_the_admin_api_on_its_one() {
        let limit = |method, path| crate::ip_limit::group(route(TABLE, method, path).unwrap());
        let public =
            ["/api/reset-requests", "/api/resets/verify", "/api/resets", "/api/sessions"].map(|p| limit("POST", p));
        assert!(public.iter().all(Option::is_some), "{public:?}");
        let mut distinct = public.to_vec();
        distinct.dedup();
        assert_eq!(distinct.len(), public.len());
        assert_eq!(
            limit("POST", "/api/login-email-changes"),
            limit("POST", "/api/resets"),
            "a link's token, as a reset's"
        );
        assert_eq!(limit("GET", "/api/policy"), None);
        for (path, endpoints) in TABLE {
            for endpoint in endpoints.iter().filter(|e| matches!(e.guard, Guard::Admin | Guard::Helpdesk)) {
                assert_eq!(
                    crate::ip_limit::group(endpoint),
                    Some(crate::ip_limit::ADMIN),
                    "{} {path}",
                    endpoint.method
                );
            }
        }
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
