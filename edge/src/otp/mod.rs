//! 2-Step Verification's pure parts: time-based codes (RFC 6238), recovery codes, and the QR code the authenticator
//! app scans. The account's use of them (what is on, which code was last used, failures) is in `account::two_step`.

pub mod qr;
pub mod recovery;
pub mod totp;
