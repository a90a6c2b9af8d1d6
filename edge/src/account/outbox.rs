//! Mail the account decided to send (the changed-password and 2-Step Verification notices), tracked until the queue
//! consumer reports it settled. What cannot be handed to the queue waits and is retried by alarm; what the queue
//! loses goes back out under the same id, so the provider's idempotency key still delivers it once.

use crate::mail::job::MailJob;
use serde::{Deserialize, Serialize};

/// How soon the alarm retries handing pending mail to the queue.
pub const RETRY_SECS: u64 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlight {
    pub job: MailJob,
    /// When to queue it again if no consumer has reported it settled (unix seconds).
    pub requeue_at: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outbox {
    /// Decided on, not yet handed to the queue.
    pub pending: Vec<MailJob>,
    /// Handed to the queue, not yet reported settled.
    pub in_flight: Vec<InFlight>,
}

impl Outbox {
    pub fn push(&mut self, job: MailJob) {
        self.pending.push(job);
    }

    /// The mail with this id was handed to the queue at `now`: it waits in flight until settled or, longer than the
    /// queue's own retries take (five, doubling from `retry_base_secs`), until it is presumed lost.
    pub fn queued(&mut self, id: &str, now: u64, retry_base_secs: u32) {
        if let Some(at) = self.pending.iter().position(|job| job.id() == id) {
            let job = self.pending.remove(at);
            self.in_flight.push(InFlight { job, requeue_at: now + u64::from(retry_base_secs) * 60 });
        }
    }

    /// The queue consumer sent (or dead-lettered) this mail. The word can come before the send that queued it has
    /// been recorded (a fast consumer), so it is cleared from the pending mail too.
    pub fn settled(&mut self, id: &str) {
        self.in_flight.retain(|m| m.job.id() != id);
        self.pending.retain(|job| job.id() != id);
    }

    /// Mail in flight too long (the queue lost it) goes back to the pending mail.
    pub fn requeue_lost(&mut self, now: u64) {
        let (lost, waiting): (Vec<InFlight>, Vec<InFlight>) =
            std::mem::take(&mut self.in_flight).into_iter().partition(|m| m.requeue_at <= now);
        self.in_flight = waiting;
        self.pending.extend(lost.into_iter().map(|m| m.job));
    }

    /// Seconds until the outbox needs the alarm, if it does.
    pub fn wake_in(&self, now: u64) -> Option<u64> {
        let pending = (!self.pending.is_empty()).then_some(RETRY_SECS);
        let lost = self.in_flight.iter().map(|m| m.requeue_at.saturating_sub(now).max(1)).min();
        pending.into_iter().chain(lost).min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use latchkey_shared::{Audience, Locale};

    const NOW: u64 = 1_800_000_000;

    fn notice(id: &str) -> MailJob {
        MailJob::PasswordChanged {
            id: id.into(),
            to: vec!["ana@school.org".into()],
            display_name: "Ana".into(),
            audience: Audience::Parent,
            login_email: "ana@school.org".into(),
            locale: Locale::En,
            changed_at: NOW,
        }
    }

    #[test]
    fn mail_the_queue_loses_is_queued_again_under_the_same_id() {
        let mut outbox = Outbox::default();
        outbox.push(notice("n1"));
        assert_eq!(outbox.wake_in(NOW), Some(RETRY_SECS));
        outbox.queued("n1", NOW, 1);
        assert!(outbox.pending.is_empty());
        assert_eq!(outbox.wake_in(NOW), Some(60));
        outbox.requeue_lost(NOW + 59);
        assert!(outbox.pending.is_empty(), "not yet");
        outbox.requeue_lost(NOW + 60);
        assert_eq!(outbox.pending, [notice("n1")]);
        outbox.queued("n1", NOW + 60, 1);
        outbox.settled("n1");
        outbox.requeue_lost(NOW + 1000);
        assert_eq!(outbox, Outbox::default(), "settled mail is done with");
        assert_eq!(outbox.wake_in(NOW), None);
    }

    #[test]
    fn settled_before_its_queueing_was_recorded() {
        let mut outbox = Outbox::default();
        outbox.push(notice("n1"));
        outbox.settled("n1");
        outbox.queued("n1", NOW, 1);
        assert_eq!(outbox, Outbox::default(), "nothing left to track");
    }
}
