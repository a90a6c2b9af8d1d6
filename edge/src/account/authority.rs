//! The second question of authorization: may this caller act on **this** account? The route's guard answered the
//! first (whether the caller may do this at all); only the account's Durable Object knows which roles the target
//! holds now, so the answer is given there, in the same step as the change: a role granted between a check and the
//! act cannot slip through.

use super::apply::Slot;
use super::refusal::Refusal;
use super::state::AccountState;
use latchkey_shared::api::StaffMember;
use latchkey_shared::ErrorCode;

/// The account a staff command acts on: `not_found` without one, `account_protected` when it holds a role at or above
/// the caller's ([`StaffMember::may_act_on`]).
pub fn staff_target<'a>(slot: &'a mut Slot, by: &StaffMember) -> Result<&'a mut AccountState, Refusal> {
    let account = slot.account.as_mut().ok_or(Refusal::new(ErrorCode::NotFound))?;
    check(account, by)?;
    Ok(account)
}

/// `account_protected` unless `by` may act on `account`.
pub fn check(account: &AccountState, by: &StaffMember) -> Result<(), Refusal> {
    if by.may_act_on(&account.roles) {
        Ok(())
    } else {
        Err(Refusal::new(ErrorCode::AccountProtected)
            .with_detail("the account holds a console role at or above the caller's"))
    }
}
