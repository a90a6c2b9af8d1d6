//! What fails in the shell through no one's input: a binding (KV, a Durable Object, a queue, storage), the platform's
//! random source, WebCrypto, building a response. Each is one variant, so a handler writes `?` (with `From`) or
//! `.map_err(Internal::Kv)?` (a `worker::Error` says nothing of where it came from); the caller is answered `internal`,
//! nothing changed, and the log line names what failed — never user data.

use crate::audit::{self, Event};
use crate::oidc::sign::SignError;
use crate::otp::qr::TooLong;
use crate::password::HashError;
use crate::platform::RandomError;
use crate::token::TokenError;
use latchkey_shared::oauth::{OAuthError, OAuthErrorCode};
use latchkey_shared::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum Internal {
    #[error("{0}")]
    Kv(worker::Error),
    #[error("{0}")]
    DurableObject(worker::Error),
    /// The account object's own storage and alarms.
    #[error("{0}")]
    Storage(worker::Error),
    #[error("{0}")]
    Queue(worker::Error),
    /// The incoming request could not be read (its URL).
    #[error("{0}")]
    Request(worker::Error),
    /// A call to another service (Turnstile, an app's back-channel, a webhook).
    #[error("{0}")]
    Outbound(worker::Error),
    #[error("{0}")]
    Respond(worker::Error),
    /// The per-address rate limiter (which then lets the request through).
    #[error("{0}")]
    Limiter(worker::Error),
    #[error(transparent)]
    Random(#[from] RandomError),
    #[error(transparent)]
    Token(#[from] TokenError),
    #[error(transparent)]
    Sign(#[from] SignError),
    #[error(transparent)]
    Hash(#[from] HashError),
    #[error(transparent)]
    Qr(#[from] TooLong),
    /// Something this Worker stored reads back wrong (a grant's family id, an app's logout URI).
    #[error("{0}")]
    Stored(String),
}

impl Internal {
    /// What failed, as the log line names it.
    pub fn what(&self) -> &'static str {
        match self {
            Internal::Kv(_) => "kv",
            Internal::DurableObject(_) => "durable_object",
            Internal::Storage(_) => "storage",
            Internal::Queue(_) => "queue",
            Internal::Request(_) => "request",
            Internal::Outbound(_) => "outbound",
            Internal::Respond(_) => "respond",
            Internal::Limiter(_) => "ip_limit",
            Internal::Random(_) | Internal::Token(_) => "random",
            Internal::Sign(_) => "sign",
            Internal::Hash(_) => "hash",
            Internal::Qr(_) => "qr",
            Internal::Stored(_) => "stored",
        }
    }

    /// The log line, for a failure the work goes on past (a report not written, a retry to come).
    pub fn log(&self) {
        audit::record(&Event::InternalError { context: self.what(), error: self.to_string() });
    }
}

/// Logged, and answered `internal` (in the request's language once `lib.rs` answers: [`ApiError::in_locale`]).
impl From<Internal> for ApiError {
    fn from(failure: Internal) -> ApiError {
        failure.log();
        ApiError::new(ErrorCode::Internal, Default::default())
    }
}

/// Logged, and answered as OAuth says: `server_error`, try again.
impl From<Internal> for OAuthError {
    fn from(failure: Internal) -> OAuthError {
        failure.log();
        OAuthError::new(OAuthErrorCode::ServerError, "try again")
    }
}

/// The failures that can only be internal convert straight to an answer, so handlers write `?`.
macro_rules! answered_internal {
    ($($source:ty),*) => {$(
        impl From<$source> for ApiError {
            fn from(err: $source) -> ApiError {
                Internal::from(err).into()
            }
        }
        impl From<$source> for OAuthError {
            fn from(err: $source) -> OAuthError {
                Internal::from(err).into()
            }
        }
    )*};
}
answered_internal!(RandomError, TokenError, SignError, HashError, TooLong);
