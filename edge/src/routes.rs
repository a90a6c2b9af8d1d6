//! Which handler a method and path go to. Pure, so it is tested natively.

use latchkey_shared::ErrorCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Policy,
    /// CORS preflight for the policy, which pages on other origins fetch.
    PolicyPreflight,
}

/// The route for a request, or the error code to answer with.
pub fn route(method: &str, path: &str) -> Result<Route, ErrorCode> {
    let path = path.strip_suffix('/').filter(|p| !p.is_empty()).unwrap_or(path);
    let allowed: &[(&str, Route)] = match path {
        "/api/policy" => &[("GET", Route::Policy), ("HEAD", Route::Policy), ("OPTIONS", Route::PolicyPreflight)],
        _ => return Err(ErrorCode::NotFound),
    };
    allowed.iter().find(|(m, _)| *m == method).map(|(_, route)| *route).ok_or(ErrorCode::MethodNotAllowed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_routes() {
        assert_eq!(route("GET", "/api/policy"), Ok(Route::Policy));
        assert_eq!(route("GET", "/api/policy/"), Ok(Route::Policy));
        assert_eq!(route("OPTIONS", "/api/policy"), Ok(Route::PolicyPreflight));
        assert_eq!(route("POST", "/api/policy"), Err(ErrorCode::MethodNotAllowed));
        assert_eq!(route("GET", "/api/nope"), Err(ErrorCode::NotFound));
        assert_eq!(route("GET", "/"), Err(ErrorCode::NotFound));
    }
}
