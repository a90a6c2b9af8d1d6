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
    Login,
    CurrentSession,
    Logout,
    TwoStepStatus,
    TwoStepSetup,
    TwoStepConfirm,
    TwoStepRecoveryCodes,
    TwoStepDisable,
    AdminCreateAccount,
    AdminImportAccounts,
    AdminDisableAccount,
    AdminTwoStepOff,
    AdminFindAccounts,
    AdminDeadLetters,
    AdminTwoStepRequirement,
    AdminSetTwoStepRequirement,
    DevMailbox,
    DevMailboxJson,
    /// Operation counts, for the benchmark.
    DevOps,
    /// Hashes `n` times, so the benchmark can time argon2 in workerd from outside.
    DevArgon2,
}

/// Every path and the methods it takes: the single table the router and the OpenAPI test read.
pub const TABLE: &[(&str, &[(&str, Route)])] = &[
    ("/api/health", &[("GET", Route::Health)]),
    ("/api/openapi.json", &[("GET", Route::OpenApi), ("OPTIONS", Route::Preflight)]),
    ("/api/policy", &[("GET", Route::Policy), ("OPTIONS", Route::Preflight)]),
    ("/api/reset-requests", &[("POST", Route::RequestReset)]),
    ("/api/resets/verify", &[("POST", Route::VerifyReset)]),
    ("/api/resets", &[("POST", Route::ConfirmReset)]),
    ("/api/messages", &[("GET", Route::Messages), ("OPTIONS", Route::Preflight)]),
    ("/api/sessions", &[("POST", Route::Login)]),
    ("/api/session", &[("GET", Route::CurrentSession), ("DELETE", Route::Logout)]),
    ("/api/two-step", &[("GET", Route::TwoStepStatus)]),
    ("/api/two-step/setup", &[("POST", Route::TwoStepSetup)]),
    ("/api/two-step/confirm", &[("POST", Route::TwoStepConfirm)]),
    ("/api/two-step/recovery-codes", &[("POST", Route::TwoStepRecoveryCodes)]),
    ("/api/two-step/disable", &[("POST", Route::TwoStepDisable)]),
    ("/api/admin/accounts", &[("GET", Route::AdminFindAccounts), ("POST", Route::AdminCreateAccount)]),
    ("/api/admin/accounts/import", &[("POST", Route::AdminImportAccounts)]),
    ("/api/admin/accounts/disable", &[("POST", Route::AdminDisableAccount)]),
    ("/api/admin/accounts/two-step-off", &[("POST", Route::AdminTwoStepOff)]),
    ("/api/admin/dead-letters", &[("GET", Route::AdminDeadLetters)]),
    (
        "/api/admin/two-step-requirement",
        &[("GET", Route::AdminTwoStepRequirement), ("PUT", Route::AdminSetTwoStepRequirement)],
    ),
    ("/dev/mailbox", &[("GET", Route::DevMailbox)]),
    ("/dev/mailbox.json", &[("GET", Route::DevMailboxJson)]),
    ("/dev/ops", &[("GET", Route::DevOps)]),
    ("/dev/argon2", &[("POST", Route::DevArgon2)]),
];

/// The route for a request, or the error code to answer with. HEAD is served as GET.
pub fn route(method: &str, path: &str) -> Result<Route, ErrorCode> {
    let method = if method == "HEAD" { "GET" } else { method };
    let allowed = methods(path).ok_or(ErrorCode::NotFound)?;
    allowed.iter().find(|(m, _)| *m == method).map(|(_, route)| *route).ok_or(ErrorCode::MethodNotAllowed)
}

/// The `Allow` header for a path a method was refused on (RFC 9110 asks for it with every 405).
pub fn allow_header(path: &str) -> Option<String> {
    let mut names: Vec<&str> = methods(path)?.iter().map(|(m, _)| *m).collect();
    if names.contains(&"GET") {
        names.push("HEAD");
    }
    Some(names.join(", "))
}

fn methods(path: &str) -> Option<&'static [(&'static str, Route)]> {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    TABLE.iter().find(|(p, _)| *p == path).map(|(_, allowed)| *allowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_refusals() {
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
        for (path, methods) in TABLE.iter().filter(|(p, _)| p.starts_with("/api/")) {
            let documented = paths.get(*path).unwrap_or_else(|| panic!("{path} missing from openapi.json"));
            for (method, _) in methods.iter().filter(|(m, _)| *m != "OPTIONS") {
                assert!(documented.get(method.to_lowercase()).is_some(), "{method} {path} missing from openapi.json");
            }
        }
        for (path, operations) in paths {
            let known =
                TABLE.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("{path} documented, not routed"));
            for method in operations.as_object().unwrap().keys() {
                assert!(
                    known.1.iter().any(|(m, _)| m.eq_ignore_ascii_case(method)),
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
