//! The one redacting type. Every field that holds a secret — a password, a token, an API key, a signing secret, an
//! authenticator's key — is a [`Secret`], so `Debug` can be derived everywhere and never prints one.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A value that must never reach a log line. Serialised as the value itself (it still has to travel to where it is
/// used); formatted with `{:?}` as `Secret(…)`. There is deliberately no `Display`.
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub const fn new(value: T) -> Secret<T> {
        Secret(value)
    }

    /// The value, for the one place that uses it (hashing, signing, a request header).
    pub fn expose(&self) -> &T {
        &self.0
    }

    pub fn into_exposed(self) -> T {
        self.0
    }
}

impl Secret<String> {
    pub fn expose_str(&self) -> &str {
        &self.0
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl From<String> for Secret<String> {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret<String> {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_value_and_serde_carries_it() {
        let secret = Secret::from("hunter2-correct-horse");
        assert_eq!(format!("{secret:?}"), "Secret(…)");
        assert_eq!(format!("{:?}", Some(&secret)), "Some(Secret(…))");
        let json = serde_json::to_string(&secret).unwrap();
        assert_eq!(json, "\"hunter2-correct-horse\"");
        assert_eq!(serde_json::from_str::<Secret<String>>(&json).unwrap(), secret);
        assert!(serde_json::from_str::<Secret<String>>("5").is_err(), "the value's own type is checked");
    }
}
