//! Per-client-IP limits through the `[[ratelimits]]` binding `IP_LIMITER`, in front of the public endpoints that send
//! mail or check passwords. They come before any lookup, so they answer the same for every email.

use crate::audit::{self, Event};
use crate::routes::Route;
use worker::{Env, Request};

/// The budget a route draws on, if any: each group has its own, so logins cannot starve reset requests.
pub fn group(route: Route) -> Option<&'static str> {
    match route {
        Route::RequestReset => Some("reset-request"),
        Route::VerifyReset => Some("reset-verify"),
        Route::ConfirmReset => Some("reset-confirm"),
        Route::Login => Some("login"),
        Route::TwoStepConfirm | Route::TwoStepRecoveryCodes | Route::TwoStepDisable => Some("two-step"),
        _ => None,
    }
}

/// The key for a client: the group and the address Cloudflare saw (a client cannot set `CF-Connecting-IP`).
pub fn key(group: &str, client_ip: Option<&str>) -> String {
    format!("{group}:{}", client_ip.unwrap_or("unknown"))
}

/// Whether the client may go on. If the binding fails, the request goes on (ops see why): the per-account limits
/// still hold.
pub async fn allows(env: &Env, req: &Request, group: &str) -> bool {
    let ip = req.headers().get("CF-Connecting-IP").ok().flatten();
    let outcome = match env.rate_limiter(crate::platform::binding::IP_LIMITER) {
        Ok(limiter) => limiter.limit(key(group, ip.as_deref())).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(outcome) => outcome.success,
        Err(err) => {
            audit::record(&Event::InternalError { context: "ip_limit", error: err.to_string() });
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_posts_are_limited_and_each_has_its_own_budget() {
        let groups: Vec<_> = [Route::RequestReset, Route::VerifyReset, Route::ConfirmReset, Route::Login]
            .into_iter()
            .map(group)
            .collect();
        assert!(groups.iter().all(Option::is_some));
        let mut distinct = groups.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), groups.len());
        assert_eq!(group(Route::Policy), None);
        assert_eq!(group(Route::AdminImportAccounts), None, "the admin API has its token");
        assert_eq!(key("login", Some("203.0.113.9")), "login:203.0.113.9");
    }
}
