//! Webhook notifications of this account's password changes, waiting to be delivered to the site's backend. Queued
//! in the same write as the new password, so none is lost; sent from the Durable Object's alarm.

use crate::webhook::Delivery;
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

    pub fn find_mut(&mut self, id: &str) -> Option<&mut Delivery> {
        self.0.iter_mut().find(|d| d.id == id)
    }

    /// The delivery done with (delivered or given up); `None` if it is not pending.
    pub fn remove(&mut self, id: &str) -> Option<()> {
        let at = self.0.iter().position(|d| d.id == id)?;
        self.0.remove(at);
        Some(())
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
    fn due_deliveries_wait_their_time_and_go_when_done_with() {
        let mut webhooks = Webhooks::default();
        webhooks.queue(delivery("a", 10));
        webhooks.queue(delivery("b", 50));
        assert_eq!(webhooks.due(10), [delivery("a", 10)]);
        assert_eq!(webhooks.wake_in(0), Some(10));
        webhooks.find_mut("a").unwrap().due_at = 60;
        assert_eq!(webhooks.due(50), [delivery("b", 50)], "a is due later now");
        assert_eq!(webhooks.remove("b"), Some(()));
        assert_eq!(webhooks.remove("b"), None, "not pending any more");
        assert_eq!(webhooks.len(), 1);
    }
}
