//! Request and response bodies of the HTTP API, shared by the Worker, the widget, the pages' scripts and the tests.

use crate::audience::Audience;
use crate::messages::{Locale, MessageKey};
use crate::policy::Policy;
use serde::{Deserialize, Serialize};

/// `GET /api/policy`: the active policy, exactly as configured and validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyResponse {
    pub policy: Policy,
}

/// `POST /api/reset-requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
    pub audience: Audience,
    #[serde(default)]
    pub locale: Option<Locale>,
}

/// The answer to every reset request, whether or not the account exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetRequestAccepted {
    pub status: AcceptedStatus,
    /// What to tell the person: check the inbox and the spam folder; only the newest link works.
    pub message_key: MessageKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceptedStatus {
    Accepted,
}

/// `POST /api/resets/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    pub token: String,
}

/// Whether a reset link still works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenStatus {
    Ok,
    Expired,
    Superseded,
    Used,
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyResponse {
    pub status: TokenStatus,
    /// For a good link: whose rules apply, so the page's widget shows the right checklist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
}

/// `POST /api/resets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirm {
    pub token: String,
    pub password: String,
    pub confirm: String,
}

/// `POST /api/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub audience: Audience,
    pub password: String,
}

/// `GET /api/session` and the answer to a login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub email: String,
    pub audience: Audience,
    pub display_name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_refuse_unknown_fields_and_bad_audiences() {
        let ok: ResetRequest = serde_json::from_str(r#"{"email":"a@b.org","audience":"parent"}"#).unwrap();
        assert_eq!(ok.audience, Audience::Parent);
        assert_eq!(ok.locale, None);
        assert!(serde_json::from_str::<ResetRequest>(r#"{"email":"a@b.org","audience":"pupil"}"#).is_err());
        assert!(serde_json::from_str::<ResetRequest>(r#"{"email":"a@b.org","audience":"staff","x":1}"#).is_err());
        assert!(serde_json::from_str::<ResetConfirm>(r#"{"token":"t","password":"p"}"#).is_err());
    }

    #[test]
    fn policy_response_round_trips() {
        let response = PolicyResponse { policy: Policy::brief_default() };
        let json = serde_json::to_string(&response).unwrap();
        assert_eq!(serde_json::from_str::<PolicyResponse>(&json).unwrap(), response);
    }
}
