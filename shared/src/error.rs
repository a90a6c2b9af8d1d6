//! The one error type of the API: a stable machine-readable code, the HTTP status it travels with, and a message key.

use crate::error_texts::ErrorKey;
use crate::evaluate::RuleResult;
use crate::messages::Locale;
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

            pub fn message(self) -> ErrorKey {
                match self { $(ErrorCode::$variant => ErrorKey::$message),+ }
            }
        }
    };
}

error_codes! {
    MalformedJson = "malformed_json", 400, MalformedJson;
    InvalidRequest = "invalid_request", 422, InvalidRequest;
    InvalidEmail = "invalid_email", 422, InvalidEmail;
    BodyTooLarge = "body_too_large", 413, BodyTooLarge;
    UnsupportedMediaType = "unsupported_media_type", 415, UnsupportedMediaType;
    NotFound = "not_found", 404, NotFound;
    MethodNotAllowed = "method_not_allowed", 405, MethodNotAllowed;
    PasswordRejected = "password_rejected", 422, PasswordRejected;
    PasswordMismatch = "password_mismatch", 422, PasswordMismatch;
    PasswordReused = "password_reused", 422, PasswordReused;
    PasswordBreached = "password_breached", 422, PasswordBreached;
    ChallengeFailed = "challenge_failed", 403, ChallengeFailed;
    TokenInvalid = "token_invalid", 400, TokenInvalid;
    TokenExpired = "token_expired", 410, TokenExpired;
    TokenSuperseded = "token_superseded", 410, TokenSuperseded;
    TokenUsed = "token_used", 410, TokenUsed;
    TokenRevoked = "token_revoked", 410, TokenRevoked;
    InvalidCredentials = "invalid_credentials", 401, InvalidCredentials;
    TwoStepRequired = "two_step_required", 401, TwoStepRequired;
    TwoStepCodeInvalid = "two_step_code_invalid", 401, TwoStepCodeInvalid;
    TwoStepSetupRequired = "two_step_setup_required", 403, TwoStepSetupRequired;
    TwoStepAlreadyOn = "two_step_already_on", 409, TwoStepAlreadyOn;
    TwoStepOff = "two_step_off", 409, TwoStepOff;
    TwoStepNoSetup = "two_step_no_setup", 409, TwoStepNoSetup;
    PasskeyRefused = "passkey_refused", 401, PasskeyRefused;
    PasskeyCeremonyExpired = "passkey_ceremony_expired", 400, PasskeyCeremonyExpired;
    PasskeyLimit = "passkey_limit", 409, PasskeyLimit;
    PasskeyExists = "passkey_exists", 409, PasskeyExists;
    PasskeyNotFound = "passkey_not_found", 404, PasskeyNotFound;
    ReauthenticationRequired = "reauthentication_required", 403, ReauthenticationRequired;
    PasswordIncorrect = "password_incorrect", 403, PasswordIncorrect;
    PasswordChangeRequired = "password_change_required", 403, PasswordChangeRequired;
    Unauthorized = "unauthorized", 401, Unauthorized;
    CrossSite = "cross_site", 403, CrossSite;
    Forbidden = "forbidden", 403, Forbidden;
    AccountProtected = "account_protected", 403, AccountProtected;
    RateLimited = "rate_limited", 429, RateLimited;
    AccountExists = "account_exists", 409, AccountExists;
    AccountDisabled = "account_disabled", 403, AccountDisabled;
    InvitationNotFound = "invitation_not_found", 404, InvitationNotFound;
    ConfigInvalid = "config_invalid", 500, ConfigInvalid;
    Internal = "internal", 500, Internal;
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
    pub message_key: ErrorKey,
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
                message: code.message().text(locale).to_owned(),
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

    /// The same error with its message in `locale` (one made before the request's language was known).
    pub fn in_locale(mut self, locale: Locale) -> ApiError {
        self.error.message = self.error.message_key.text(locale).to_owned();
        self
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
    fn an_error_made_before_the_language_was_known_speaks_it_after() {
        let made = ApiError::new(ErrorCode::Internal, Locale::En).with_detail("kv");
        let spanish = made.clone().in_locale(Locale::Es);
        assert_eq!(spanish, ApiError::new(ErrorCode::Internal, Locale::Es).with_detail("kv"));
        assert_ne!(spanish.error.message, made.error.message);
    }

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
