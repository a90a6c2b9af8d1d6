//! One-time passwords, the pure parts of 2-Step Verification: time-based codes (RFC 6238), recovery codes, and the
//! QR code the authenticator app scans. What an account does with them (on or off, the last code used, failures) is
//! `account::two_step`.

pub mod qr;
pub mod recovery;
pub mod totp;
