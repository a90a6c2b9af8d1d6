//! Mail the account decided to send (the changed-password and 2-Step Verification notices), tracked until the queue
//! consumer reports it settled. What cannot be handed to the queue waits and is retried by alarm; what the queue
//! loses goes back out under the same id, so the provider's idempotency key still delivers it once. The latest mails,
//! reset links included, are remembered with what became of them, for the school office.

use crate::mail::job::MailJob;
use latchkey_shared::api::{MailState, RecentMail};
use serde::{Deserialize, Serialize};

/// How many mails the account remembers the fate of.
pub const RECENT_KEPT: usize = 10;

/// How much of a retry's or a refusal's reason is kept.
const REASON_CHARS: usize = 200;

/// One of the latest mails, by the id the queue consumer reports it under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailRecord {
    pub id: String,
    #[serde(flatten)]
    pub mail: RecentMail,
}

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
    /// The latest mails, oldest first, and what became of them.
    pub recent: Vec<MailRecord>,
}

impl Outbox {
    pub fn push(&mut self, job: MailJob, now: u64) {
        self.record(job.id(), job.kind(), now);
        self.pending.push(job);
    }

    /// Remembers a mail decided on now (a notice pushed here, or a reset link the Worker queues itself).
    pub fn record(&mut self, id: &str, kind: &str, now: u64) {
        let mail = RecentMail {
            kind: kind.to_owned(),
            queued_at: now,
            state: MailState::Queued,
            updated_at: now,
            retries: 0,
            reason: None,
        };
        self.recent.push(MailRecord { id: id.to_owned(), mail });
        if self.recent.len() > RECENT_KEPT {
            self.recent.remove(0);
        }
    }

    /// What became of a mail: the queue consumer's word, or the Worker's when it could not queue one. A retry reported
    /// late never undoes the final word.
    pub fn report(&mut self, id: &str, state: MailState, reason: Option<String>, now: u64) {
        let Some(record) = self.recent.iter_mut().find(|r| r.id == id) else { return };
        let settled = matches!(record.mail.state, MailState::Sent | MailState::DeadLettered | MailState::NotQueued);
        if settled && state == MailState::Retrying {
            return;
        }
        if state == MailState::Retrying {
            record.mail.retries += 1;
        }
        let reason: Option<String> = reason.map(|r| r.chars().take(REASON_CHARS).collect());
        record.mail.state = state;
        // Sent clears the reason of the tries before; otherwise the latest reason given stays.
        record.mail.reason = if state == MailState::Sent { None } else { reason.or(record.mail.reason.take()) };
        record.mail.updated_at = now;
    }

    /// The latest mails, newest first.
    /// The kind of a recent mail (`reset`, `password_changed`…), if it is one.
    pub fn kind_of(&self, id: &str) -> Option<String> {
        self.recent.iter().find(|r| r.id == id).map(|r| r.mail.kind.clone())
    }

    pub fn recent_mail(&self) -> Vec<RecentMail> {
        self.recent.iter().rev().map(|r| r.mail.clone()).collect()
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
        MailJob {
            id: id.into(),
            to: vec!["ana@school.org".into()],
            display_name: "Ana".into(),
            audience: Audience::Parent,
            login_email: "ana@school.org".into(),
            locale: Locale::En,
            kind: crate::mail::job::Kind::PasswordChanged { changed_at: NOW },
        }
    }

    #[test]
    fn mail_the_queue_loses_is_queued_again_under_the_same_id() {
        let mut outbox = Outbox::default();
        outbox.push(notice("n1"), NOW);
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
        assert!(outbox.pending.is_empty() && outbox.in_flight.is_empty(), "settled mail is done with");
        assert_eq!(outbox.wake_in(NOW), None);
    }

    #[test]
    fn settled_before_its_queueing_was_recorded() {
        let mut outbox = Outbox::default();
        outbox.push(notice("n1"), NOW);
        outbox.settled("n1");
        outbox.queued("n1", NOW, 1);
        assert!(outbox.pending.is_empty() && outbox.in_flight.is_empty(), "nothing left to track");
    }

    #[test]
    fn the_latest_mails_are_remembered_with_what_became_of_them() {
        let mut outbox = Outbox::default();
        outbox.push(notice("n1"), NOW);
        outbox.record("r1", "reset", NOW + 1);
        outbox.report("r1", MailState::Retrying, Some("429".into()), NOW + 2);
        outbox.report("r1", MailState::Retrying, Some("503".into()), NOW + 3);
        outbox.report("n1", MailState::DeadLettered, Some("refused".into()), NOW + 4);
        let recent = outbox.recent_mail();
        assert_eq!(recent.len(), 2);
        assert_eq!((recent[0].kind.as_str(), recent[0].state, recent[0].retries), ("reset", MailState::Retrying, 2));
        assert_eq!(recent[0].reason.as_deref(), Some("503"));
        assert_eq!((recent[1].kind.as_str(), recent[1].state), ("password_changed", MailState::DeadLettered));
        outbox.report("r1", MailState::Sent, None, NOW + 5);
        assert_eq!((outbox.recent_mail()[0].state, outbox.recent_mail()[0].reason.clone()), (MailState::Sent, None));
        // A retry reported after the final word changes nothing.
        outbox.report("r1", MailState::Retrying, Some("late".into()), NOW + 6);
        assert_eq!((outbox.recent_mail()[0].state, outbox.recent_mail()[0].updated_at), (MailState::Sent, NOW + 5));
        outbox.report("unknown", MailState::Sent, None, NOW);
        for n in 0..RECENT_KEPT {
            outbox.record(&format!("m{n}"), "reset", NOW + 10);
        }
        assert_eq!(outbox.recent.len(), RECENT_KEPT);
        assert!(outbox.recent.iter().all(|r| r.id.starts_with('m')), "the oldest are forgotten");
    }
}
