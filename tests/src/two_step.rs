//! 2-Step Verification from the person's side: an authenticator app — its own RFC 6238 implementation, reading the
//! `otpauth://` URI as a phone app does, so the Worker's codes are checked against an independent one.

use crate::now_secs;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use std::sync::Mutex;
use std::time::Duration;

pub struct Authenticator {
    secret: Vec<u8>,
    /// The last step a code was handed out for: the Worker takes each step's code once.
    last_step: Mutex<u64>,
}

impl Authenticator {
    /// Reads the secret from an `otpauth://totp/…?secret=…` URI, checking the parameters an app would.
    pub fn from_uri(uri: &str) -> Authenticator {
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        let query = uri.split_once('?').expect("a query").1;
        let param = |name: &str| query.split('&').find_map(|p| p.strip_prefix(&format!("{name}=")));
        assert_eq!((param("digits"), param("period"), param("algorithm")), (Some("6"), Some("30"), Some("SHA1")));
        Authenticator::from_secret(param("secret").expect("a secret"))
    }

    /// From the base32 key a person types in by hand.
    pub fn from_secret(base32: &str) -> Authenticator {
        let mut secret = Vec::new();
        let (mut buffer, mut bits) = (0u32, 0);
        for c in base32.chars().filter(|c| *c != '=') {
            let value = match c {
                'A'..='Z' => c as u32 - 'A' as u32,
                '2'..='7' => c as u32 - '2' as u32 + 26,
                other => panic!("`{other}` is not base32"),
            };
            buffer = (buffer << 5) | value;
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                secret.push((buffer >> bits) as u8);
            }
        }
        Authenticator { secret, last_step: Mutex::new(0) }
    }

    pub fn code_at_step(&self, step: u64) -> String {
        let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(&self.secret).expect("any key length");
        mac.update(&step.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = (digest[19] & 0xf) as usize;
        let value = u32::from_be_bytes(digest[offset..offset + 4].try_into().expect("four bytes")) & 0x7fff_ffff;
        format!("{:06}", value % 1_000_000)
    }

    /// The code the app shows now.
    pub fn code_now(&self) -> String {
        self.code_at_step(now_secs() / 30)
    }

    /// A code of a step not handed out yet: now's, or the next one (the Worker allows a step of drift), waiting for
    /// the clock when both are spent.
    pub async fn fresh_code(&self) -> String {
        loop {
            let now = now_secs() / 30;
            let step = {
                let mut last = self.last_step.lock().expect("not poisoned");
                let step = now.max(*last + 1);
                if step <= now + 1 {
                    *last = step;
                    Some(step)
                } else {
                    None
                }
            };
            match step {
                Some(step) => return self.code_at_step(step),
                None => tokio::time::sleep(Duration::from_secs(1)).await,
            }
        }
    }

    /// Six digits that are no code of any step the Worker accepts now.
    pub fn wrong_code(&self) -> String {
        let now = now_secs() / 30;
        let accepted: Vec<String> = (now.saturating_sub(2)..=now + 2).map(|s| self.code_at_step(s)).collect();
        (0..).map(|n| format!("{:06}", (n * 7919) % 1_000_000)).find(|c| !accepted.contains(c)).expect("a wrong code")
    }
}
