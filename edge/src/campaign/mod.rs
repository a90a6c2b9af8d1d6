//! Campaigns: mail to many accounts (the announcement of a required password change), run by one Durable Object that
//! walks the account registry a page at a time, sends each page as one batch paced to the provider, and records every
//! account it mailed — so a campaign resumes where it was after a crash or a deploy, and nobody is mailed twice.
//! `book.rs` decides (pure); `object.rs` is the Durable Object, a shell around it.

pub mod book;
#[cfg(test)]
mod book_tests;
pub mod object;
