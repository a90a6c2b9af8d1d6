//! Bookkeeping of what the account sends: mail the queue consumer settled, mail handed to the queue, mail presumed
//! lost, webhook tries. Only the first comes over the wire (from the queue consumer); the others are the Durable
//! Object's own, applied like every command so that results land on the latest state (a send lets other requests in).

use crate::account::apply::{change_account, Apply, Context, Outcome, Slot};
use crate::webhook;
use serde::{Deserialize, Serialize};

/// From the mail queue's consumer: this mail was sent or dead-lettered.
#[derive(Debug, Serialize, Deserialize)]
pub struct MailSettled {
    pub id: String,
}

impl Apply for MailSettled {
    type Reply = ();

    fn apply(self, slot: &mut Slot, _: &Context<'_>) -> Outcome<()> {
        change_account(slot, |account| account.outbox.settled(&self.id))
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

/// The alarm: mail in flight too long goes back to the outbox.
#[derive(Debug)]
pub struct RequeueLostMail {}

impl Apply for RequeueLostMail {
    type Reply = ();

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<()> {
        change_account(slot, |account| account.outbox.requeue_lost(cx.now)).flushing()
    }
}

/// What the alarm's webhook tries gave.
#[derive(Debug)]
pub struct WebhooksTried {
    pub tried: Vec<(webhook::Delivery, webhook::Outcome)>,
}

impl Apply for WebhooksTried {
    type Reply = ();

    fn apply(self, slot: &mut Slot, _: &Context<'_>) -> Outcome<()> {
        change_account(slot, |account| account.webhooks.record(&self.tried))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::apply::testing::{ana, rules, run, NOW};

    #[test]
    fn bookkeeping_on_no_account_changes_nothing() {
        let mut slot = Slot::default();
        assert_eq!(run(&mut slot, MailSettled { id: "m".into() }, NOW, &rules()).saves, 0);
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
}
