//! The one crate the widget and the Worker both compile: the password policy and its evaluation, the API types, the
//! error codes and the message catalogue. One policy, one implementation, so the browser's checklist and the server's
//! verdict can never disagree.
//!
//! Everything here is pure: no I/O, no clock, no randomness. The zxcvbn estimator sits behind the `strength` feature so
//! the widget's core can show the checklist before the estimator has loaded.

pub mod api;
pub mod audience;
pub mod catalogue;
pub mod chars;
pub mod error;
pub mod error_texts;
pub mod evaluate;
pub mod feedback_texts;
pub mod json_reader;
pub mod mail_texts;
pub mod messages;
pub mod oauth;
pub mod page_texts;
pub mod passwordrules;
pub mod policy;
pub mod secret;
pub mod strength;

pub use audience::Audience;
pub use error::{ApiError, ErrorCode};
pub use error_texts::ErrorKey;
pub use evaluate::{evaluate, evaluate_rules, requirements, EvalContext, Evaluation, Rule, RuleResult, RuleStatus};
pub use feedback_texts::FeedbackKey;
pub use mail_texts::MailKey;
pub use messages::{Locale, MessageKey};
pub use page_texts::PageKey;
pub use policy::{EffectivePolicy, Policy, PolicyError};
pub use secret::Secret;
pub use strength::{Strength, Verdict};
