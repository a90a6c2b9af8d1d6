//! What the account retries sending — webhooks (a password changed) and back-channel logouts (a session an app knew
//! ended) — as one kind: what is due, what a try's answer means, when to give up, and the dead letter. The Durable
//! Object sends what [`due`] lists and hands the answers to `commands::delivery::DeliveriesTried`.

use super::apply::Rules;
use super::state::AccountState;
use crate::audit::AccountEvent;
use crate::oidc::jwt::LogoutTokenClaims;
use crate::outbound::OutboundRequest;
use crate::webhook::{DeliveryKind, Outcome};
use latchkey_shared::api::DeadLetter;
use serde::{Deserialize, Serialize};

/// A delivery due now, ready to send.
#[derive(Debug, Clone)]
pub enum Due {
    /// The signed request to the site's backend.
    Webhook { id: String, request: OutboundRequest },
    /// A logout token for the app `client_id`, to sign as its ID tokens are and post to its back-channel URI (the app's
    /// registration, in KV, says which).
    BackChannelLogout { id: String, client_id: String, claims: LogoutTokenClaims },
}

impl Due {
    pub fn kind(&self) -> DeliveryKind {
        match self {
            Due::Webhook { .. } => DeliveryKind::Webhook,
            Due::BackChannelLogout { .. } => DeliveryKind::BackChannelLogout,
        }
    }

    pub fn id(&self) -> &str {
        match self {
            Due::Webhook { id, .. } | Due::BackChannelLogout { id, .. } => id,
        }
    }
}

/// What is due at `now`. A webhook waits while none is configured, a logout while no key can sign it, in case either
/// comes back.
pub fn due(account: &AccountState, rules: &Rules, now: u64) -> Vec<Due> {
    let mut due = Vec::new();
    if let Some(hook) = &rules.webhook {
        let webhooks = account.webhooks.due(now).into_iter();
        due.extend(webhooks.map(|d| Due::Webhook { request: d.request(hook, now), id: d.id }));
    }
    if rules.signs_logout_tokens {
        let subject = account.apps.subject.as_deref().unwrap_or_default();
        due.extend(account.apps.logouts_due(now).into_iter().map(|logout| {
            // Each try's `jti` is new: an app refuses a token it has seen.
            let jti = format!("{}.{}", logout.id, logout.attempts);
            let claims = LogoutTokenClaims::new(&rules.issuer, subject, &logout.client_id, &logout.sid, jti, now);
            Due::BackChannelLogout { id: logout.id, client_id: logout.client_id, claims }
        }));
    }
    due
}

/// What a try got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    Status(u16),
    /// No answer at all (a network failure, or nothing could be sent: a logout token that would not sign).
    Unanswered,
    /// Nothing to send: the app takes no back-channel logout, or is gone.
    NotWanted,
}

impl Answer {
    fn reason(self) -> String {
        match self {
            Answer::Status(status) => format!("HTTP {status}"),
            Answer::Unanswered => "no answer".into(),
            Answer::NotWanted => "not wanted".into(),
        }
    }
}

/// One delivery's try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tried {
    pub kind: DeliveryKind,
    pub id: String,
    pub answer: Answer,
}

/// Records a try at `now` on the account: a delivery is done with once delivered (any 2xx, or not wanted) or given up
/// (`webhook::next_try`'s schedule), else it waits for its next try. The audit event, and the dead letter to keep when it
/// was given up. Nothing for a delivery no longer pending (a try that raced another).
pub fn record(
    account: &mut AccountState,
    tried: &Tried,
    rules: &Rules,
    now: u64,
) -> Option<(Option<AccountEvent>, Option<DeadLetter>)> {
    let base = rules.delivery_retry_base_secs();
    let status = match tried.answer {
        Answer::Status(status) => Some(status),
        Answer::Unanswered => None,
        Answer::NotWanted => {
            remove(account, tried.kind, &tried.id)?;
            return Some((None, None));
        }
    };
    let (outcome, due_at, to) = match tried.kind {
        DeliveryKind::Webhook => {
            let delivery = account.webhooks.find_mut(&tried.id)?;
            let to = rules.webhook.as_ref().map(|hook| hook.url.clone());
            (delivery.record_try(status, now, base), delivery.due_at, to)
        }
        DeliveryKind::BackChannelLogout => {
            let logout = account.apps.logouts.iter_mut().find(|l| l.id == tried.id)?;
            (logout.record_try(status, now, base), logout.due_at, Some(logout.client_id.clone()))
        }
    };
    let dead_letter = (outcome == Outcome::GiveUp).then(|| DeadLetter {
        id: tried.id.clone(),
        kind: tried.kind.as_str().into(),
        to: to.into_iter().collect(),
        reason: "retries_exhausted".into(),
        recorded_at: now,
        account: None,
        resendable: false,
    });
    if outcome != Outcome::RetryAt(due_at) {
        remove(account, tried.kind, &tried.id);
    }
    let event = AccountEvent::DeliveryTried {
        kind: tried.kind,
        delivery: tried.id.clone(),
        outcome,
        reason: tried.answer.reason(),
        delay_secs: match outcome {
            Outcome::RetryAt(at) => u32::try_from(at.saturating_sub(now)).unwrap_or(u32::MAX),
            Outcome::Delivered | Outcome::GiveUp => 0,
        },
    };
    Some((Some(event), dead_letter))
}

fn remove(account: &mut AccountState, kind: DeliveryKind, id: &str) -> Option<()> {
    match kind {
        DeliveryKind::Webhook => account.webhooks.remove(id),
        DeliveryKind::BackChannelLogout => {
            let at = account.apps.logouts.iter().position(|l| l.id == id)?;
            account.apps.logouts.remove(at);
            Some(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::apply::testing::{ana, rules, run, webhook, NOW};
    use crate::account::apps::BackChannelLogout;
    use crate::account::commands::delivery::DeliveriesTried;
    use crate::webhook::MAX_ATTEMPTS;

    fn owing() -> crate::account::apply::Slot {
        let mut slot = ana();
        let account = slot.account.as_mut().unwrap();
        account.queue_webhook("hook-1".into(), NOW);
        account.apps.subject = Some("sub-1".into());
        let logout = BackChannelLogout {
            id: "bcl-1".into(),
            client_id: "app".into(),
            sid: "s".into(),
            attempts: 0,
            due_at: NOW,
        };
        account.apps.logouts.push(logout);
        slot
    }

    fn tried(kind: DeliveryKind, id: &str, answer: Answer) -> DeliveriesTried {
        DeliveriesTried { tried: vec![Tried { kind, id: id.into(), answer }] }
    }

    #[test]
    fn a_webhook_waits_without_a_backend_and_a_logout_without_a_key_to_sign_it() {
        let slot = owing();
        let account = slot.account.as_ref().unwrap();
        let none = Rules { webhook: None, signs_logout_tokens: false, ..rules() };
        assert!(due(account, &none, NOW).is_empty());
        let both = Rules { webhook: Some(webhook()), ..rules() };
        let listed: Vec<(DeliveryKind, String)> =
            due(account, &both, NOW).iter().map(|d| (d.kind(), d.id().to_owned())).collect();
        assert_eq!(
            listed,
            [(DeliveryKind::Webhook, "hook-1".into()), (DeliveryKind::BackChannelLogout, "bcl-1".into())]
        );
        assert!(due(account, &both, NOW - 1).is_empty(), "nothing before it is due");
        let Due::BackChannelLogout { claims, .. } = &due(account, &both, NOW)[1] else { panic!("a logout") };
        assert_eq!(
            (claims.iss.as_str(), claims.sub.as_str(), claims.aud.as_str()),
            ("https://id.school.example", "sub-1", "app")
        );
        assert_eq!(claims.jti, "bcl-1.0");
    }

    #[test]
    fn a_failed_try_waits_its_turn_a_delivered_one_is_done_with() {
        let mut slot = owing();
        let rules = Rules { webhook: Some(webhook()), ..rules() };
        let failed = run(&mut slot, tried(DeliveryKind::Webhook, "hook-1", Answer::Status(500)), NOW, &rules);
        assert_eq!(failed.reply, []);
        assert_eq!(failed.saves, 1);
        let retry = AccountEvent::DeliveryTried {
            kind: DeliveryKind::Webhook,
            delivery: "hook-1".into(),
            outcome: Outcome::RetryAt(NOW + 30),
            reason: "HTTP 500".into(),
            delay_secs: 30,
        };
        assert_eq!(failed.events, [retry]);
        let account = slot.account.as_ref().unwrap();
        assert!(due(account, &rules, NOW + 29).iter().all(|d| d.kind() != DeliveryKind::Webhook), "waits 30 s");
        let sent = run(&mut slot, tried(DeliveryKind::Webhook, "hook-1", Answer::Status(204)), NOW + 30, &rules);
        assert!(matches!(sent.events[..], [AccountEvent::DeliveryTried { outcome: Outcome::Delivered, .. }]));
        assert!(slot.account.as_ref().unwrap().webhooks.is_empty());
        let again = run(&mut slot, tried(DeliveryKind::Webhook, "hook-1", Answer::Status(204)), NOW + 31, &rules);
        assert_eq!((again.saves, again.events.len()), (0, 0), "a try that raced another changes nothing");
    }

    #[test]
    fn an_app_that_takes_no_logout_is_done_with_at_once_and_silently() {
        let mut slot = owing();
        let done = run(&mut slot, tried(DeliveryKind::BackChannelLogout, "bcl-1", Answer::NotWanted), NOW, &rules());
        assert_eq!((done.saves, done.events.len(), done.reply.len()), (1, 0, 0));
        assert!(slot.account.as_ref().unwrap().apps.logouts.is_empty());
    }

    #[test]
    fn the_last_try_gives_up_and_names_the_dead_letter_once() {
        for (kind, id, to) in [
            (DeliveryKind::Webhook, "hook-1", "https://site.example/hook"),
            (DeliveryKind::BackChannelLogout, "bcl-1", "app"),
        ] {
            let mut slot = owing();
            let rules = Rules { webhook: Some(webhook()), ..rules() };
            let mut last = None;
            for n in 0..MAX_ATTEMPTS {
                last = Some(run(&mut slot, tried(kind, id, Answer::Unanswered), NOW + u64::from(n) * 4000, &rules));
            }
            let last = last.unwrap();
            assert_eq!(last.reply.len(), 1, "{kind:?}");
            let letter = &last.reply[0];
            assert_eq!(
                (letter.id.as_str(), letter.kind.as_str(), letter.to.clone()),
                (id, kind.as_str(), vec![to.to_owned()])
            );
            assert_eq!((letter.reason.as_str(), letter.resendable), ("retries_exhausted", false));
            assert!(matches!(last.events[..], [AccountEvent::DeliveryTried { outcome: Outcome::GiveUp, .. }]));
            assert!(due(slot.account.as_ref().unwrap(), &rules, u64::MAX / 2).iter().all(|d| d.id() != id), "gone");
        }
    }
}
