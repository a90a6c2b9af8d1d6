//! Bookkeeping of what the account sends: mail the queue consumer settled or was told to retry, mail handed to the
//! queue, mail presumed lost, webhook and back-channel logout tries. Only the first two come over the wire (from the queue consumer); the
//! others are the Durable Object's own, applied like every command so that results land on the latest state (a send
//! lets other requests in).

use crate::account::apply::{change_account, Apply, Context, Outcome, Slot};
use crate::account::deliveries;
use crate::audit::AccountEvent;
use crate::mail::job::Kind;
use latchkey_shared::api::{DeadLetter, MailEventKind, MailState};
use serde::{Deserialize, Serialize};

/// From the mail queue's consumer: this mail was sent (the provider took it) or, with the reason, dead-lettered.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MailSettled {
    pub id: String,
    #[serde(default)]
    pub dead_lettered: Option<String>,
}

impl Apply for MailSettled {
    type Reply = ();

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<()> {
        let kind = slot.account.as_ref().and_then(|account| account.outbox.kind_of(&self.id));
        let dead_lettered = self.dead_lettered.is_some();
        let outcome = change_account(slot, |account| {
            account.outbox.settled(&self.id);
            let state = if dead_lettered { MailState::DeadLettered } else { MailState::Sent };
            account.outbox.report(&self.id, state, self.dead_lettered, cx.now);
        });
        match kind {
            Some(kind) => outcome.event(AccountEvent::MailSettled { kind, dead_lettered }),
            None => outcome,
        }
    }
}

/// The mail provider reported that mail to one of the account's addresses bounced or was marked as spam: for its
/// history (the event itself is kept per address in KV).
#[derive(Debug, Serialize, Deserialize)]
pub struct NoteMailEvent {
    pub kind: MailEventKind,
    /// When the provider dated it (unix seconds): an invitation hears of its own mail, not of one sent before it.
    #[serde(default)]
    pub at: u64,
    /// The address it was about, normalised (only mail to the login email can be the invitation's).
    #[serde(default)]
    pub address: String,
}

impl Apply for NoteMailEvent {
    type Reply = ();

    fn apply(self, slot: &mut Slot, _cx: &Context<'_>) -> Outcome<()> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(()) };
        let invitation =
            self.address == account.profile.login_email && account.note_invitation_delivery(self.kind, self.at);
        let outcome = if invitation { Outcome::reply(()).saved() } else { Outcome::reply(()) };
        match self.kind {
            MailEventKind::Bounced | MailEventKind::Complained => {
                outcome.event(AccountEvent::MailReported { kind: self.kind })
            }
            _ => outcome,
        }
    }
}

/// From the mail queue's consumer: the provider put this mail off (the reason: its status, or a timeout); the queue
/// tries again.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MailRetrying {
    pub id: String,
    pub reason: String,
}

impl Apply for MailRetrying {
    type Reply = ();

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<()> {
        change_account(slot, |account| account.outbox.report(&self.id, MailState::Retrying, Some(self.reason), cx.now))
    }
}

/// These outbox mails were handed to the queue just now.
#[derive(Debug)]
pub struct MailQueued {
    pub ids: Vec<String>,
}

impl Apply for MailQueued {
    type Reply = ();

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<()> {
        change_account(slot, |account| {
            self.ids.iter().for_each(|id| account.outbox.queued(id, cx.now, cx.rules.mail_retry_base_secs))
        })
    }
}

/// The alarm: mail in flight too long goes back to the outbox, and an invitation's reminder that fell due joins it.
#[derive(Debug)]
pub struct RequeueLostMail {}

impl Apply for RequeueLostMail {
    type Reply = ();

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<()> {
        change_account(slot, |account| {
            account.outbox.requeue_lost(cx.now);
            if let Some(expires_at) = account.take_due_reminder(cx.now) {
                let reminder = account.mail(cx.ids.notice.clone(), Kind::InvitationReminder { expires_at });
                account.outbox.push(reminder, cx.now);
            }
        })
        .flushing()
    }
}

/// What the alarm's tries of the due webhooks and back-channel logouts got ([`deliveries::due`]); answered with the
/// dead letters to keep, of those given up.
#[derive(Debug)]
pub struct DeliveriesTried {
    pub tried: Vec<deliveries::Tried>,
}

impl Apply for DeliveriesTried {
    type Reply = Vec<DeadLetter>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Vec<DeadLetter>> {
        let Some(account) = slot.account.as_mut() else { return Outcome::reply(Vec::new()) };
        let (mut events, mut dead_letters, mut changed) = (Vec::new(), Vec::new(), false);
        for tried in &self.tried {
            if let Some((event, dead_letter)) = deliveries::record(account, tried, cx.rules, cx.now) {
                changed = true;
                events.extend(event);
                dead_letters.extend(dead_letter);
            }
        }
        Outcome { events, save: changed, ..Outcome::reply(dead_letters) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::apply::testing::{ana, rules, run, NOW};

    #[test]
    fn bookkeeping_on_no_account_changes_nothing() {
        let mut slot = Slot::default();
        assert_eq!(run(&mut slot, MailSettled { id: "m".into(), dead_lettered: None }, NOW, &rules()).saves, 0);
        assert_eq!(run(&mut slot, MailRetrying { id: "m".into(), reason: "429".into() }, NOW, &rules()).saves, 0);
        assert_eq!(run(&mut slot, MailQueued { ids: vec!["m".into()] }, NOW, &rules()).saves, 0);
        assert_eq!(run(&mut slot, RequeueLostMail {}, NOW, &rules()).saves, 0);
        assert_eq!(slot, Slot::default());
    }

    #[test]
    fn queued_mail_waits_by_the_rules_retry_base() {
        let mut slot = ana();
        let account = slot.account.as_mut().unwrap();
        account.queue_two_step_notice("n1".into(), crate::audit::TwoStepChange::Enabled, NOW);
        run(&mut slot, MailQueued { ids: vec!["n1".into()] }, NOW, &rules());
        let in_flight = &slot.account.as_ref().unwrap().outbox.in_flight;
        assert_eq!(in_flight[0].requeue_at, NOW + u64::from(rules().mail_retry_base_secs) * 60);
        let requeued = run(&mut slot, RequeueLostMail {}, NOW + 60, &rules());
        assert!(requeued.flush_outbox);
        assert_eq!(slot.account.as_ref().unwrap().outbox.pending.len(), 1);
    }

    #[test]
    fn the_consumers_word_reaches_the_offices_view() {
        let mut slot = ana();
        let account = slot.account.as_mut().unwrap();
        account.queue_two_step_notice("n1".into(), crate::audit::TwoStepChange::Enabled, NOW);
        account.queue_two_step_notice("n2".into(), crate::audit::TwoStepChange::Disabled, NOW);
        run(&mut slot, MailRetrying { id: "n1".into(), reason: "provider answered 503".into() }, NOW + 1, &rules());
        run(&mut slot, MailSettled { id: "n1".into(), dead_lettered: None }, NOW + 2, &rules());
        let refused = MailSettled { id: "n2".into(), dead_lettered: Some("refused".into()) };
        run(&mut slot, refused, NOW + 3, &rules());
        let recent = slot.account.as_ref().unwrap().outbox.recent_mail();
        assert_eq!((recent[0].state, recent[0].reason.as_deref()), (MailState::DeadLettered, Some("refused")));
        assert_eq!((recent[1].state, recent[1].retries, recent[1].updated_at), (MailState::Sent, 1, NOW + 2));
    }
}
