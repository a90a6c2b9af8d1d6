//! Which hosts are this machine's own: where a development Worker, the demo app and the tests' fakes live.

/// Whether a host is this machine (a loopback address or `localhost`, bracketed IPv6 too).
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

#[cfg(test)]
mod tests {
    use super::is_loopback_host;

    #[test]
    fn loopback_hosts_are_this_machine_and_nothing_that_only_starts_like_one() {
        assert!(is_loopback_host("127.0.0.1") && is_loopback_host("[::1]") && is_loopback_host("LOCALHOST"));
        assert!(!is_loopback_host("127.0.0.1.evil.tld") && !is_loopback_host("reset.school.org"));
    }
}
