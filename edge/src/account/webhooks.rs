//! Webhook notifications of this account's password changes, waiting to be delivered to the site's backend. Queued
//! in the same write as the new password, so none is lost; sent from the Durable Object's alarm.

use crate::webhook::{Delivery, Outcome};
use serde::{Deserialize, Serialize};

/// Stored as a plain list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Webhooks(Vec<Delivery>);

impl Webhooks {
    pub fn queue(&mut self, delivery: Delivery) {
        self.0.push(delivery);
    }

    /// The deliveries due for a try at `now`.
    pub fn due(&self, now: u64) -> Vec<Delivery> {
        self.0.iter().filter(|d| d.due_at <= now).cloned().collect()
    }

    /// Applies what the tries gave: delivered and given-up deliveries are done with, the others wait for their next
    /// try. Deliveries queued since the tries began are kept as they are.
    pub fn record(&mut self, tried: &[(Delivery, Outcome)]) {
        self.0.retain_mut(|pending| match tried.iter().find(|(d, _)| d.id == pending.id) {
            Some((_, Outcome::Delivered | Outcome::GiveUp)) => false,
            Some((updated, Outcome::RetryAt(_))) => {
                *pending = updated.clone();
                true
            }
            None => true,
        })
    }

    /// Seconds until the next delivery is due, if any waits.
    pub fn wake_in(&self, now: u64) -> Option<u64> {
        self.0.iter().map(|d| d.due_at.saturating_sub(now).max(1)).min()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use latchkey_shared::Audience;

    fn delivery(id: &str, at: u64) -> Delivery {
        Delivery::new(id.into(), Audience::Staff, "ana@school.org".into(), at)
    }

    #[test]
    fn tries_are_recorded_and_new_deliveries_kept() {
        let mut webhooks = Webhooks::default();
        webhooks.queue(delivery("a", 10));
        webhooks.queue(delivery("b", 10));
        webhooks.queue(delivery("c", 50));
        assert_eq!(webhooks.due(10).len(), 2);
        assert_eq!(webhooks.wake_in(0), Some(10));
        let mut retried = delivery("b", 10);
        let outcome = retried.record_try(Some(500), 10, 30);
        webhooks.record(&[(delivery("a", 10), Outcome::Delivered), (retried.clone(), outcome)]);
        assert_eq!(webhooks.len(), 2, "a is done with, b waits, c untouched");
        assert_eq!(webhooks.due(10), [], "b is due later now");
        assert_eq!(webhooks.due(40), [retried]);
    }
}
