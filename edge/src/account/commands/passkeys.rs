//! The logged-in person's passkeys: what a registration needs, a new one, the list, a new name, a removal; and a
//! login with a passkey and no password. Changes need a session whose person authenticated recently, as 2-Step
//! Verification's do; each addition and removal ends the other sessions, is audited, recorded in the account's
//! history and told to every address on file.

use super::session::session_rules;
use super::two_step::{changed, in_recent_session, in_session};
use crate::account::apply::{Apply, Context, Outcome, Slot};
use crate::account::passkeys::Challenge;
use crate::account::refusal::Refusal;
use crate::account::state::{AccountState, PasskeyLoginInput};
use crate::account::two_step::{factor, PasskeyAnswer};
use crate::audit::{AccountEvent, TwoStepChange};
use crate::token::TokenHash;
use latchkey_shared::api::{PasskeyList, PasswordChangeRequirement, RegistrationCredential, TwoStepRequirement};
use latchkey_shared::{ErrorCode, Secret};
use serde::{Deserialize, Serialize};

/// What the edge needs to build a registration's options.
#[derive(Debug, Serialize, Deserialize)]
pub struct PasskeyOptions {
    pub session_hash: TokenHash,
    /// Random bytes for the user handle, if the account has none yet.
    pub fresh_handle: [u8; 16],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationContext {
    pub user_handle: String,
    pub login_email: String,
    pub display_name: String,
    /// The ids of the passkeys it has (the browser refuses to make a second one on the same authenticator).
    pub exclude: Vec<String>,
    pub room: u32,
}

impl Apply for PasskeyOptions {
    type Reply = Result<RegistrationContext, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        in_recent_session(slot, &self.session_hash, cx, |account| {
            Outcome::reply(registration_context(account, self.fresh_handle))
        })
    }
}

/// What a new passkey's options name: the account's user handle (made now if it has none), its passkeys to exclude.
pub(super) fn registration_context(
    account: &mut AccountState,
    fresh_handle: [u8; 16],
) -> Result<RegistrationContext, Refusal> {
    let passkeys = &mut account.two_step.passkeys;
    if passkeys.room() == 0 {
        return Err(ErrorCode::PasskeyLimit.into());
    }
    Ok(RegistrationContext {
        user_handle: passkeys.user_handle(fresh_handle),
        login_email: crate::email::display(&account.profile.login_email),
        display_name: account.profile.display_name.clone(),
        exclude: passkeys.list.iter().map(|p| p.id.clone()).collect(),
        room: passkeys.room(),
    })
}

/// A new passkey. When it is the account's first second factor, 2-Step Verification turns on with it and the
/// recovery codes made at the edge (their hashes here) are the account's.
#[derive(Debug, Serialize, Deserialize)]
pub struct PasskeyRegister {
    pub session_hash: TokenHash,
    #[serde(default)]
    pub requirement: TwoStepRequirement,
    pub challenge: Challenge,
    pub credential: RegistrationCredential,
    #[serde(default)]
    pub name: Option<String>,
    /// The name when none is given and the provider is not known: the browser's and the date.
    pub fallback_name: String,
    pub recovery_hashes: Vec<String>,
}

/// A registration's answer: the list, and whether it was the first second factor (the new recovery codes count).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registered {
    pub list: PasskeyList,
    pub first_factor: bool,
}

impl Apply for PasskeyRegister {
    type Reply = Result<Registered, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        in_recent_session(slot, &self.session_hash, cx, |account| {
            let first_factor = !account.two_step.enabled();
            let rp = &cx.rules.relying_party;
            let result = account.two_step.passkeys.register(
                rp,
                &self.challenge,
                &self.credential,
                self.name.as_deref(),
                &self.fallback_name,
                cx.now,
            );
            if result.is_ok() && first_factor {
                account.two_step.recovery = self.recovery_hashes;
                account.two_step.required_since = None;
            }
            let outcome =
                changed(account, &self.session_hash, result, TwoStepChange::PasskeyAdded, self.requirement, cx);
            let list = list(account);
            outcome.map_reply(move |reply| reply.map(|_| Registered { list, first_factor }))
        })
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PasskeyListQuery {
    pub session_hash: TokenHash,
}

impl Apply for PasskeyListQuery {
    type Reply = Result<PasskeyList, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        in_session(slot, &self.session_hash, cx, |account| Outcome::reply(Ok(list(account))))
    }
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PasskeyRename {
    pub session_hash: TokenHash,
    pub id: String,
    pub name: String,
}

impl Apply for PasskeyRename {
    type Reply = Result<PasskeyList, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        in_recent_session(slot, &self.session_hash, cx, |account| {
            match account.two_step.passkeys.rename(&self.id, &self.name) {
                Ok(()) => Outcome::reply(Ok(list(account))),
                Err(refusal) => Outcome::reply(Err(refusal)),
            }
        })
    }
}

/// Removes a passkey. The last second factor going is 2-Step Verification going off: that asks what turning it off
/// asks (a code or a passkey's answer) and ends the same way.
#[derive(Debug, Serialize, Deserialize)]
pub struct PasskeyRemove {
    pub session_hash: TokenHash,
    #[serde(default)]
    pub requirement: TwoStepRequirement,
    pub id: String,
    #[serde(default)]
    pub code: Option<Secret<String>>,
    #[serde(default)]
    pub passkey: Option<PasskeyAnswer>,
}

impl Apply for PasskeyRemove {
    type Reply = Result<PasskeyList, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        in_recent_session(slot, &self.session_hash, cx, |account| {
            let two_step = &mut account.two_step;
            let last = two_step.only_factor_is(&self.id);
            let result = if !two_step.passkeys.list.iter().any(|p| p.id == self.id) {
                Err(ErrorCode::PasskeyNotFound.into())
            } else if last {
                match factor(self.code.as_ref(), self.passkey.as_ref(), &cx.rules.relying_party) {
                    Some(factor) => two_step.disable(factor, cx.now, &cx.rules.sealing_keys),
                    None => Err(ErrorCode::TwoStepRequired.into()),
                }
            } else {
                two_step.passkeys.remove(&self.id).map(|_| ())
            };
            let change = if last { TwoStepChange::Disabled } else { TwoStepChange::PasskeyRemoved };
            if last && result.is_ok() {
                account.credential.two_step_turned_off();
            }
            let outcome = changed(account, &self.session_hash, result, change, self.requirement, cx);
            let list = list(account);
            outcome.map_reply(move |reply| reply.map(|_| list))
        })
    }
}

fn list(account: &crate::account::state::AccountState) -> PasskeyList {
    let passkeys = &account.two_step.passkeys;
    PasskeyList { passkeys: passkeys.info(), room: passkeys.room(), recovery_codes: Vec::new() }
}

/// A login with a passkey and no password: the passkey, verified by the person at the authenticator, is both factors.
#[derive(Debug, Serialize, Deserialize)]
pub struct PasskeyLogin {
    pub client: String,
    pub session_hash: TokenHash,
    pub answer: PasskeyAnswer,
    #[serde(default)]
    pub requirement: TwoStepRequirement,
    #[serde(default)]
    pub password_change: PasswordChangeRequirement,
}

impl Apply for PasskeyLogin {
    type Reply = Result<latchkey_shared::api::SessionInfo, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Self::Reply> {
        let Some(account) = slot.account.as_mut() else {
            return Outcome::reply(Err(ErrorCode::PasskeyRefused.into()));
        };
        let rules = session_rules(cx, self.requirement, account.profile.audience);
        let input = PasskeyLoginInput {
            client: &self.client,
            rp: &cx.rules.relying_party,
            answer: &self.answer,
            session: self.session_hash,
        };
        let for_audience = self.password_change.for_audience(account.profile.audience);
        match account.login_with_passkey(input, cx.now, rules, for_audience, &cx.rules.sealing_keys) {
            Ok(info) => Outcome::reply(Ok(info)).saved().event(AccountEvent::LoggedIn),
            Err(refusal) => {
                let code = refusal.code;
                Outcome::reply(Err(refusal)).saved().event(AccountEvent::LoginFailed(code))
            }
        }
    }
}
