//! Staff and parent accounts are separate: one person can hold both, with the same email.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Staff,
    Parent,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Staff, Audience::Parent];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Staff => "staff",
            Audience::Parent => "parent",
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown audience `{0}` (expected `staff` or `parent`)")]
pub struct UnknownAudience(pub String);

impl FromStr for Audience {
    type Err = UnknownAudience;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "staff" => Ok(Audience::Staff),
            "parent" => Ok(Audience::Parent),
            other => Err(UnknownAudience(other.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_both_audiences() {
        for a in Audience::ALL {
            assert_eq!(a.as_str().parse::<Audience>(), Ok(a));
            assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{a}\""));
        }
        assert_eq!("Staff".parse::<Audience>(), Err(UnknownAudience("Staff".into())));
    }
}
