//! Why the account refused a command, as the API reports it.

use latchkey_shared::{ErrorCode, RuleResult};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub code: ErrorCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The password rules a refused password did not meet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmet: Vec<RuleResult>,
}

impl Refusal {
    pub fn new(code: ErrorCode) -> Refusal {
        Refusal { code, detail: None, unmet: Vec::new() }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Refusal {
        self.detail = Some(detail.into());
        self
    }
}

impl From<ErrorCode> for Refusal {
    fn from(code: ErrorCode) -> Self {
        Refusal::new(code)
    }
}
