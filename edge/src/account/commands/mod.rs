//! Every command an account takes, one type each with its reply and its rules ([`super::apply::Apply`]), grouped by
//! who asks: the admin, an app (OpenID Connect), the reset journey, a session, a password change, 2-Step Verification
//! settings, a new login email, the mail and webhook bookkeeping, and a development Worker's tests (its clock).

pub mod admin;
pub mod apps;
pub mod delivery;
pub mod dev;
pub mod invitation;
pub mod login_email;
pub mod passkeys;
pub mod password;
pub mod reset;
pub mod session;
pub mod two_step;
