//! What the account's Durable Object keeps in KV for others to find it by, written after the answer whenever it
//! changed (or first, since the object started; a write that failed is made again at the next command): its registry
//! entry (`registry::Entry`), an index entry per passkey (a login with no password finds the account by it), and its
//! invitation as the office's list shows it. KV is a report: the account's own state decides everything.

use crate::account::apply::Slot;
use crate::account::registry::Entry;
use crate::failure::Internal;
use crate::platform::binding;
use crate::store;
use latchkey_shared::api::InvitationView;
use std::cell::RefCell;
use std::rc::Rc;
use worker::{Env, State};

/// What was last written, each none until it is (or after a failed write).
#[derive(Debug, Default)]
pub struct Written {
    registered: Rc<RefCell<Option<Entry>>>,
    passkeys: Rc<RefCell<Option<Vec<String>>>>,
    invitation: Rc<RefCell<Option<InvitationView>>>,
}

/// Writes whatever of the account's KV entries changed, after the answer.
pub fn write(state: &State, env: &Env, written: &Written, slot: &Slot, now: u64) {
    let Some(account) = &slot.account else { return };
    let id = crate::email::account_id_of(account.profile.audience, &account.profile.login_email);
    let entry = account.registry_entry();
    if written.registered.borrow().as_ref() != Some(&entry) {
        *written.registered.borrow_mut() = Some(entry.clone());
        let (kv, cell, id) = (env.kv(binding::KV), Rc::clone(&written.registered), id.clone());
        state.wait_until(async move {
            if let Err(err) = async { store::put_registry_entry(&kv?, &id, &entry).await }.await {
                Internal::Kv(err).log();
                *cell.borrow_mut() = None;
            }
        });
    }
    let ids: Vec<String> = account.two_step.passkeys.list.iter().map(|p| p.id.clone()).collect();
    let before = written.passkeys.borrow().clone();
    if before.as_ref() != Some(&ids) && !(before.is_none() && ids.is_empty()) {
        *written.passkeys.borrow_mut() = Some(ids.clone());
        let gone: Vec<String> = before.unwrap_or_default().into_iter().filter(|p| !ids.contains(p)).collect();
        let (kv, cell, id) = (env.kv(binding::KV), Rc::clone(&written.passkeys), id.clone());
        state.wait_until(async move {
            let done = async {
                let kv = kv?;
                for passkey in &ids {
                    store::put_json(&kv, &store::passkey_key(passkey), &id, None).await?;
                }
                for passkey in &gone {
                    store::delete(&kv, &store::passkey_key(passkey)).await?;
                }
                Ok::<(), worker::Error>(())
            };
            if let Err(err) = done.await {
                Internal::Kv(err).log();
                *cell.borrow_mut() = None;
            }
        });
    }
    let Some(invitation) = account.invitation_view(now) else { return };
    if written.invitation.borrow().as_ref() != Some(&invitation) {
        *written.invitation.borrow_mut() = Some(invitation.clone());
        let (kv, cell) = (env.kv(binding::KV), Rc::clone(&written.invitation));
        state.wait_until(async move {
            if let Err(err) = async { store::put_invitation(&kv?, &id, &invitation).await }.await {
                Internal::Kv(err).log();
                *cell.borrow_mut() = None;
            }
        });
    }
}
