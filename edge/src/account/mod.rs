//! Per-account state: one Durable Object per account serialises every change to it, so a token is used once and only
//! the newest one works, whatever arrives concurrently and wherever.

pub mod object;
pub mod protocol;
pub mod state;
pub mod two_step;
