//! Invitations at the school's scale, pure: a batch — read from the CSV a school's information system exports or from JSON lines, checked line by
//! line, and cut into paced chunks for the queue. The account's side is `account::invitation`; the I/O is
//! `handlers::invitations` and `handlers::invitation_queue`.

pub mod batch;
#[cfg(test)]
mod batch_tests;
