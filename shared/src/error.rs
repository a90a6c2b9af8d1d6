//! The one error type of the API: a stable machine-readable code, the HTTP status it travels with, and a message key.

use crate::evaluate::RuleResult;
use crate::messages::{Locale, MessageKey};
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! error_codes {
    ($($variant:ident = $code:literal, $status:literal, $message:ident;)+) => {
        /// A stable error code. Its string form is part of the API: never rename one, only add.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode { $($variant),+ }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code),+ }
            }

            pub fn http_status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status),+ }
            }

            pub fn message(self) -> MessageKey {
                match self { $(ErrorCode::$variant => MessageKey::$message),+ }
            }
        }
    };
}

error_codes! {
    MalformedJson = "malformed_json", 400, ErrorMalformedJson;
    InvalidRequest = "invalid_request", 422, ErrorInvalidRequest;
    InvalidEmail = "invalid_email", 422, ErrorInvalidEmail;
    BodyTooLarge = "body_too_large", 413, ErrorBodyTooLarge;
    UnsupportedMediaType = "unsupported_media_type", 415, ErrorUnsupportedMediaType;
    NotFound = "not_found", 404, ErrorNotFound;
    MethodNotAllowed = "method_not_allowed", 405, ErrorMethodNotAllowed;
    PasswordRejected = "password_rejected", 422, ErrorPasswordRejected;
    PasswordMismatch = "password_mismatch", 422, ErrorPasswordMismatch;
    PasswordReused = "password_reused", 422, ErrorPasswordReused;
    PasswordBreached = "password_breached", 422, ErrorPasswordBreached;
    ChallengeFailed = "challenge_failed", 403, ErrorChallengeFailed;
    TokenInvalid = "token_invalid", 400, ErrorTokenInvalid;
    TokenExpired = "token_expired", 410, ErrorTokenExpired;
    TokenSuperseded = "token_superseded", 410, ErrorTokenSuperseded;
    TokenUsed = "token_used", 410, ErrorTokenUsed;
    InvalidCredentials = "invalid_credentials", 401, ErrorInvalidCredentials;
    TwoStepRequired = "two_step_required", 401, ErrorTwoStepRequired;
    TwoStepCodeInvalid = "two_step_code_invalid", 401, ErrorTwoStepCodeInvalid;
    TwoStepSetupRequired = "two_step_setup_required", 403, ErrorTwoStepSetupRequired;
    TwoStepAlreadyOn = "two_step_already_on", 409, ErrorTwoStepAlreadyOn;
    TwoStepOff = "two_step_off", 409, ErrorTwoStepOff;
    TwoStepNoSetup = "two_step_no_setup", 409, ErrorTwoStepNoSetup;
    ReauthenticationRequired = "reauthentication_required", 403, ErrorReauthenticationRequired;
    PasswordIncorrect = "password_incorrect", 403, ErrorPasswordIncorrect;
    PasswordChangeRequired = "password_change_required", 403, ErrorPasswordChangeRequired;
    Unauthorized = "unauthorized", 401, ErrorUnauthorized;
    CrossSite = "cross_site", 403, ErrorCrossSite;
    Forbidden = "forbidden", 403, ErrorForbidden;
    RateLimited = "rate_limited", 429, ErrorRateLimited;
    AccountExists = "account_exists", 409, ErrorAccountExists;
    ConfigInvalid = "config_invalid", 500, ErrorConfigInvalid;
    Internal = "internal", 500, ErrorInternal;
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The body of every error response: `{"error": {"code": …, "message": …, "message_key": …}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message_key: MessageKey,
    /// The message in the request's language, for clients that show it as it is.
    pub message: String,
    /// What exactly was wrong, for developers (which field, which limit); never user data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For `password_rejected`: the rules the password broke.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmet: Vec<RuleResult>,
}

impl ApiError {
    pub fn new(code: ErrorCode, locale: Locale) -> ApiError {
        ApiError {
            error: ErrorBody {
                code,
                message_key: code.message(),
                message: code.message().render(locale, None),
                detail: None,
                unmet: Vec::new(),
            },
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> ApiError {
        self.error.detail = Some(detail.into());
        self
    }

    pub fn with_unmet(mut self, unmet: Vec<RuleResult>) -> ApiError {
        self.error.unmet = unmet;
        self
    }

    pub fn code(&self) -> ErrorCode {
        self.error.code
    }

    pub fn http_status(&self) -> u16 {
        self.error.code.http_status()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error.code, self.error.message)?;
        if let Some(detail) = &self.error.detail {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_client_or_server_errors_matching_serde() {
        let mut seen = HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()));
            assert!((400..600).contains(&code.http_status()), "{code}");
            assert_eq!(serde_json::to_string(&code).unwrap(), format!("\"{code}\""));
            assert!(code.message().as_str().ends_with(code.as_str()), "{code} uses {}", code.message());
        }
        let server_side: Vec<_> = ErrorCode::ALL.iter().filter(|c| c.http_status() >= 500).collect();
        assert_eq!(server_side, [&ErrorCode::ConfigInvalid, &ErrorCode::Internal]);
    }

    #[test]
    fn error_body_shape_is_stable() {
        let err = ApiError::new(ErrorCode::BodyTooLarge, Locale::Es).with_detail("limit 16384 bytes");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error": {
                "code": "body_too_large",
                "message_key": "error.body_too_large",
                "message": "La solicitud es demasiado grande.",
                "detail": "limit 16384 bytes"
            }})
        );
        assert_eq!(err.http_status(), 413);
        assert_eq!(serde_json::from_value::<ApiError>(json).unwrap(), err);
    }
}
