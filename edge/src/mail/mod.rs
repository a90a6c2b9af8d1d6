//! Mail: what is sent (jobs and templates, pure), how it reaches a provider (requests and verdicts, pure), what the
//! provider reports afterwards (delivery events, pure), and the I/O that sends it from the queue consumer.

pub mod batch;
pub mod config;
pub mod events;
pub mod job;
pub mod provider;
pub mod send;
pub mod template;
