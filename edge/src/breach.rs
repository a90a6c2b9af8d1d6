//! The optional breached-password check, by k-anonymity over the Have I Been Pwned range API format: only the first
//! five hex digits of the password's SHA-1 go out; the service answers with every suffix under that prefix (padded
//! with decoys, `Add-Padding: true`), and the match is made here. Pure; the handler does the fetch.

use crate::outbound::OutboundRequest;
use latchkey_shared::Secret;
use sha1::{Digest, Sha1};

/// How long a login, a reset or a change waits for the range API: without an answer by then it goes on without the
/// check (as when the service fails), so a slow or hung service never holds a person up.
pub const ANSWER_WITHIN: std::time::Duration = std::time::Duration::from_secs(2);

/// The question for one password: the request to send and the suffix to look for in the answer.
pub struct RangeQuery {
    pub request: OutboundRequest,
    suffix: String,
}

/// `normalized`: the password in NFKC, as it will be hashed. `base_url`: e.g. `https://api.pwnedpasswords.com`.
pub fn query(base_url: &str, normalized: &str) -> RangeQuery {
    let digest: String = Sha1::digest(normalized.as_bytes()).iter().map(|b| format!("{b:02X}")).collect();
    let (prefix, suffix) = digest.split_at(5);
    RangeQuery {
        request: OutboundRequest {
            url: format!("{}/range/{prefix}", base_url.trim_end_matches('/')),
            headers: vec![("Add-Padding", "true".into())],
            body: Secret::default(),
        },
        suffix: suffix.to_owned(),
    }
}

impl RangeQuery {
    /// Whether the answer (`SUFFIX:COUNT` lines) lists the password. Padding lines have a count of 0.
    pub fn breached(&self, answer: &str) -> bool {
        answer.lines().filter_map(|line| line.trim().split_once(':')).any(|(suffix, count)| {
            suffix.eq_ignore_ascii_case(&self.suffix) && count.trim().parse::<u64>().is_ok_and(|n| n > 0)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_five_hex_digits_leave() {
        // SHA-1("password") = 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8
        let q = query("https://api.pwnedpasswords.com/", "password");
        assert_eq!(q.request.url, "https://api.pwnedpasswords.com/range/5BAA6");
        assert!(!q.request.url.contains("1E4C9B93"));
        assert_eq!(q.request.headers, [("Add-Padding", "true".into())]);
    }

    #[test]
    fn the_answer_is_matched_here_and_padding_does_not_count() {
        let q = query("https://x", "password");
        let listed = "0018A45C4D1DEF81644B54AB7F969B88D65:1\r\n1E4C9B93F3F0682250B6CF8331B7EE68FD8:9545824\r\n";
        assert!(q.breached(listed));
        assert!(q.breached(&listed.to_lowercase()), "hex case does not matter");
        assert!(!q.breached("1E4C9B93F3F0682250B6CF8331B7EE68FD8:0\r\n"), "a padding line");
        assert!(!q.breached("0018A45C4D1DEF81644B54AB7F969B88D65:3\r\n"));
        assert!(!q.breached("not the format"));
    }
}
