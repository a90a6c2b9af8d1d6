//! The account as the Durable Object stores it. The layout is the one every earlier version wrote (fields added
//! since default when absent), so state saved by any of them loads as the same account; [`AccountState`] is free to
//! be organised in parts.

use super::apps::Apps;
use super::credential::Credential;
use super::history::History;
use super::invitation::Invitation;
use super::outbox::{InFlight, MailRecord, Outbox};
use super::sessions::Sessions;
use super::state::{AccountState, LoginEmailChange, Profile};
use super::throttle::{LoginFailures, SlidingWindow};
use super::tokens::Tokens;
use super::two_step::TwoStep;
use super::webhooks::Webhooks;
use crate::mail::job::MailJob;
use crate::token::TokenHash;
use latchkey_shared::api::{PasswordChangeReason, RequiredChange, Role};
use latchkey_shared::Secret;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Serialize, Deserialize)]
struct StoredAccount {
    profile: Profile,
    password_hash: Option<Secret<String>>,
    history: Vec<Secret<String>>,
    password_changed_at: Option<u64>,
    #[serde(default, skip_serializing_if = "is_false")]
    password_only_with_two_step: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    password_must_change: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password_flagged: Option<PasswordChangeReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    password_change_required: Option<RequiredChange>,
    tokens: Tokens,
    sessions: Sessions,
    failed_logins: SlidingWindow,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    failed_logins_by_client: Vec<(String, u64)>,
    #[serde(default)]
    reset_requests: SlidingWindow,
    #[serde(default)]
    reset_attempts: SlidingWindow,
    outbox: Vec<MailJob>,
    #[serde(default)]
    in_flight: Vec<InFlight>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    recent_mail: Vec<MailRecord>,
    #[serde(default)]
    webhooks: Webhooks,
    #[serde(default)]
    two_step: TwoStep,
    #[serde(default, skip_serializing_if = "is_default")]
    apps: Apps,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_login_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    roles: Vec<Role>,
    /// The account's own history (`history` is the password history, named before this existed).
    #[serde(default, skip_serializing_if = "History::is_empty")]
    journal: History,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    login_email_change: Option<LoginEmailChange>,
    #[serde(default, skip_serializing_if = "is_false")]
    email_verified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    arrived_with: Option<TokenHash>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    invitation: Option<Invitation>,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

fn is_false(flag: &bool) -> bool {
    !flag
}

impl Serialize for AccountState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StoredAccount::from(self.clone()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for AccountState {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<AccountState, D::Error> {
        StoredAccount::deserialize(deserializer).map(AccountState::from)
    }
}

impl From<StoredAccount> for AccountState {
    fn from(mut s: StoredAccount) -> AccountState {
        s.two_step.settle();
        AccountState {
            profile: s.profile,
            credential: Credential {
                hash: s.password_hash,
                history: s.history,
                changed_at: s.password_changed_at,
                only_with_two_step: s.password_only_with_two_step,
                must_change: s.password_must_change,
                flagged: s.password_flagged,
                required: s.password_change_required,
            },
            tokens: s.tokens,
            reset_requests: s.reset_requests,
            reset_attempts: s.reset_attempts,
            sessions: s.sessions,
            failed_logins: LoginFailures { all: s.failed_logins, by_client: s.failed_logins_by_client },
            outbox: Outbox { pending: s.outbox, in_flight: s.in_flight, recent: s.recent_mail },
            webhooks: s.webhooks,
            two_step: s.two_step,
            apps: s.apps,
            last_login_at: s.last_login_at,
            roles: s.roles,
            history: s.journal,
            login_email_change: s.login_email_change,
            email_verified: s.email_verified,
            arrived_with: s.arrived_with,
            invitation: s.invitation,
        }
    }
}

impl From<AccountState> for StoredAccount {
    fn from(a: AccountState) -> StoredAccount {
        StoredAccount {
            profile: a.profile,
            password_hash: a.credential.hash,
            history: a.credential.history,
            password_changed_at: a.credential.changed_at,
            password_only_with_two_step: a.credential.only_with_two_step,
            password_must_change: a.credential.must_change,
            password_flagged: a.credential.flagged,
            password_change_required: a.credential.required,
            tokens: a.tokens,
            sessions: a.sessions,
            failed_logins: a.failed_logins.all,
            failed_logins_by_client: a.failed_logins.by_client,
            reset_requests: a.reset_requests,
            reset_attempts: a.reset_attempts,
            outbox: a.outbox.pending,
            in_flight: a.outbox.in_flight,
            recent_mail: a.outbox.recent,
            webhooks: a.webhooks,
            two_step: a.two_step.for_storage(),
            apps: a.apps,
            last_login_at: a.last_login_at,
            roles: a.roles,
            journal: a.history,
            login_email_change: a.login_email_change,
            email_verified: a.email_verified,
            arrived_with: a.arrived_with,
            invitation: a.invitation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::TwoStepChange;
    use crate::token::TokenHash;
    use latchkey_shared::api::TokenStatus;

    /// An account with every part filled, as the version before the state was split into parts saved it.
    const SAVED_BEFORE_THE_SPLIT: &str = include_str!("../../fixtures/stored-account-v1.json");
    const NOW: u64 = 1_800_000_000;

    #[test]
    fn state_saved_before_the_split_loads_as_the_same_account() {
        let account: AccountState = serde_json::from_str(SAVED_BEFORE_THE_SPLIT).unwrap();
        assert_eq!(account.profile.login_email, "ana@school.org");
        assert_eq!(account.credential.history.len(), 1);
        assert_eq!(account.credential.changed_at, Some(1_799_990_000));
        let h = |n: u8| TokenHash(format!("{n:064}"));
        assert_eq!(account.tokens.status(&h(2), NOW), TokenStatus::Ok);
        assert_eq!(account.tokens.status(&h(1), NOW), TokenStatus::Superseded);
        assert!(account.sessions.is_live(&h(9), NOW));
        assert_eq!(
            (account.failed_logins.len(), account.reset_requests.len(), account.reset_attempts.len()),
            (2, 2, 1)
        );
        assert_eq!(account.outbox.pending.len(), 1);
        assert!(matches!(
            &account.outbox.in_flight[..],
            [InFlight {
                job: MailJob {
                    kind: crate::mail::job::Kind::TwoStepChanged { change: TwoStepChange::Enabled, .. },
                    ..
                },
                requeue_at: 1_800_000_100
            }]
        ));
        assert_eq!(account.webhooks.due(1_800_000_200).len(), 1);
        assert!(account.two_step.enabled() && account.two_step.setup.is_some());
        assert_eq!(account.two_step.status(NOW, None).recovery_codes_left, 2);
        // Written back, it is the same document: nothing a rollback could not read.
        let saved: serde_json::Value = serde_json::to_value(&account).unwrap();
        let original: serde_json::Value = serde_json::from_str(SAVED_BEFORE_THE_SPLIT).unwrap();
        assert_eq!(saved, original);
    }

    #[test]
    fn fields_added_over_time_default_when_absent() {
        let mut stored: serde_json::Value = serde_json::from_str(SAVED_BEFORE_THE_SPLIT).unwrap();
        let fields = stored.as_object_mut().unwrap();
        for later in ["reset_requests", "reset_attempts", "in_flight", "webhooks", "two_step"] {
            fields.remove(later);
        }
        let account: AccountState = serde_json::from_value(stored).unwrap();
        assert!(account.reset_requests.is_empty() && account.outbox.in_flight.is_empty());
        assert!(account.webhooks.is_empty() && !account.two_step.enabled());
    }

    #[test]
    fn an_authenticator_key_saved_in_plain_keeps_working_and_is_sealed_at_its_next_use() {
        use crate::otp::totp::{code_at, step_at, DIGITS};
        let mut account: AccountState = serde_json::from_str(SAVED_BEFORE_THE_SPLIT).unwrap();
        let keys = crate::seal::Keys::parse(crate::seal::TEST_KEYS).unwrap();
        let plain = serde_json::to_string(&b"12345678901234567890".to_vec()).unwrap();
        assert!(serde_json::to_string(&account).unwrap().contains(&plain), "saved in plain by the version before");
        let code = format!("{:06}", code_at(b"12345678901234567890", step_at(NOW), DIGITS));
        let proof = account
            .two_step
            .check(crate::account::two_step::Factor::Code(&code), NOW, &keys)
            .expect("the person's app still works");
        account.two_step.spend(proof, NOW);
        let saved = serde_json::to_string(&account).unwrap();
        let authenticator = &serde_json::from_str::<serde_json::Value>(&saved).unwrap()["two_step"]["authenticator"];
        assert_eq!(authenticator["secret"]["kid"], "k1", "sealed now: {authenticator}");
        assert!(!authenticator.to_string().contains(&plain[1..plain.len() - 1]));
        let reloaded: AccountState = serde_json::from_str(&saved).unwrap();
        assert_eq!(reloaded, account, "and loads back the same");
    }
}
