//! Per-client-IP limits through the `[[ratelimits]]` binding `IP_LIMITER`, in front of the public endpoints that send
//! mail or check passwords. They come before any lookup, so they answer the same for every email.

use crate::audit;
use crate::routes::{Endpoint, Guard};
use std::net::IpAddr;
use worker::Env;

/// The admin API's group.
pub const ADMIN: &str = "admin";

/// The budget a route draws on, if any: each group has its own, so logins cannot starve reset requests. The admin
/// API has one too: its token is long, but nobody gets to try many.
pub fn group<H>(endpoint: &Endpoint<H>) -> Option<&'static str> {
    if matches!(endpoint.guard, Guard::Admin | Guard::AdminChange | Guard::Helpdesk | Guard::HelpdeskChange) {
        return Some(ADMIN);
    }
    endpoint.limit
}

/// The key for a client: the group and the client ([`client`]).
pub fn key(group: &str, client_ip: Option<&str>) -> String {
    format!("{group}:{}", client(client_ip))
}

/// The key for a console session, by its account's pseudonym: on the admin routes each member of staff has a budget
/// of their own, since a school office's desks share one address and a sealed session cookie cannot be guessed.
pub fn staff_key(group: &str, pseudonym: &str) -> String {
    format!("{group}:staff:{pseudonym}")
}

/// A client as the address Cloudflare saw (a client cannot set `CF-Connecting-IP`). An IPv6 client is its /64, the
/// block one subscriber gets: rotating addresses inside it does not make a new client.
pub fn client(client_ip: Option<&str>) -> String {
    match client_ip.map(|ip| ip.trim().parse::<IpAddr>()) {
        Some(Ok(IpAddr::V6(ip))) if ip.to_ipv4_mapped().is_none() => {
            let s = ip.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(Ok(IpAddr::V6(ip))) => ip.to_ipv4_mapped().map_or_else(String::new, |v4| v4.to_string()),
        Some(Ok(IpAddr::V4(ip))) => ip.to_string(),
        Some(Err(_)) | None => "unknown".to_owned(),
    }
}

/// How an account's failed logins name a client: a pseudonym of [`client`], as logs name accounts, never the address.
pub fn client_pseudonym(keys: &crate::seal::Keys, client_ip: Option<&str>) -> String {
    audit::Pseudonym::of(keys, &client(client_ip)).as_str().to_owned()
}

/// Whether the budget under `key` ([`key`], [`staff_key`]) lets the request go on. If the binding fails, the request
/// goes on (ops see why): the per-account limits still hold.
pub async fn allows(env: &Env, key: String) -> bool {
    let outcome = match env.rate_limiter(crate::platform::binding::IP_LIMITER) {
        Ok(limiter) => limiter.limit(key).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(outcome) => outcome.success,
        Err(err) => {
            crate::failure::Internal::Limiter(err).log();
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_key_names_its_group() {
        assert_eq!(key("login", Some("203.0.113.9")), "login:203.0.113.9");
    }

    #[test]
    fn a_console_session_has_a_budget_of_its_own_that_no_address_shares() {
        assert_eq!(staff_key(ADMIN, "00aa11bb22cc33dd"), "admin:staff:00aa11bb22cc33dd");
        for ip in [None, Some("203.0.113.9"), Some("2001:db8::1"), Some("staff")] {
            assert!(!key(ADMIN, ip).starts_with("admin:staff:"), "{ip:?}");
        }
    }

    #[test]
    fn an_ipv6_client_is_one_client_across_its_64() {
        let a = key("login", Some("2001:db8:85a3:12::1"));
        assert_eq!(a, "login:2001:db8:85a3:12::/64");
        assert_eq!(key("login", Some("2001:0db8:85a3:0012:ffff:1:2:3")), a, "another address in the same /64");
        assert_ne!(key("login", Some("2001:db8:85a3:13::1")), a, "the next /64 is another client");
        assert_eq!(key("login", Some("::ffff:203.0.113.9")), "login:203.0.113.9", "IPv4 mapped");
        assert_eq!(key("login", Some("not an address")), "login:unknown");
    }

    #[test]
    fn an_account_names_a_client_by_a_digest_not_its_address() {
        let keys = crate::seal::Keys::parse(crate::seal::TEST_KEYS).unwrap();
        let named = client_pseudonym(&keys, Some("203.0.113.9"));
        assert_eq!(named.len(), 16);
        assert!(!named.contains("203"));
        assert_eq!(
            client_pseudonym(&keys, Some("2001:db8:85a3:12::1")),
            client_pseudonym(&keys, Some("2001:db8:85a3:12::99"))
        );
        assert_ne!(client_pseudonym(&keys, Some("203.0.113.9")), client_pseudonym(&keys, Some("203.0.113.10")));
    }
}
