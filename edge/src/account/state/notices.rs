//! What the account owes its addresses and its site: notices queued in its outbox (2-Step Verification changes,
//! account changes, a required change's request) and webhooks. `impl AccountState`, apart for its size.

use super::AccountState;
use crate::audit::TwoStepChange;
use crate::mail::job::{AccountChange, Kind, MailJob};
use crate::webhook;

impl AccountState {
    /// A mail about this account (`id`), to every address on file, in its language.
    pub fn mail(&self, id: String, kind: Kind) -> MailJob {
        MailJob {
            id,
            to: self.addresses(),
            display_name: self.profile.display_name.clone(),
            audience: self.profile.audience,
            login_email: self.profile.login_email.clone(),
            locale: self.profile.locale,
            kind,
        }
    }

    /// Queues the notice of a change to 2-Step Verification to every address on file.
    pub fn queue_two_step_notice(&mut self, id: String, change: TwoStepChange, now: u64) {
        let notice = self.mail(id, Kind::TwoStepChanged { change, changed_at: now });
        self.outbox.push(notice, now);
    }

    /// Queues the notice of a change staff made (mail id `id`) to every address on file.
    pub fn queue_account_notice(&mut self, id: String, change: AccountChange, now: u64) {
        let notice = self.mail(id, Kind::AccountChanged { change, changed_at: now, former_login_email: None });
        self.outbox.push(notice, now);
    }

    /// The mail asking for a new password by `deadline` (none: at the next login), to every address on file.
    pub fn change_request_mail(&self, id: String, deadline: Option<u64>) -> MailJob {
        self.mail(id, Kind::ChangeRequested { deadline })
    }

    /// Queues a webhook notification of the password change made at `changed_at`, to go out with the new password's
    /// own write.
    pub fn queue_webhook(&mut self, id: String, changed_at: u64) {
        let p = &self.profile;
        self.webhooks.queue(webhook::Delivery::new(id, p.audience, p.login_email.clone(), changed_at));
    }
}
