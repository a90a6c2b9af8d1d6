//! What only a development Worker asks: moving an account's clock forward, so a test of an expiry (a link, a code, a
//! required change's deadline) moves time instead of sleeping through it. Refused by a production account whatever
//! asks (the route is a development route too).

use crate::account::apply::{Apply, Context, Outcome, Slot};
use crate::account::refusal::Refusal;
use latchkey_shared::ErrorCode;
use serde::{Deserialize, Serialize};

/// The most one call moves the clock: a year, so an offset cannot overflow whatever a test sends.
pub const MAX_ADVANCE_SECS: u64 = 366 * 86_400;

/// Moves this object's clock `secs` forward; answers how far ahead it now runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AdvanceClock {
    pub secs: u64,
}

impl Apply for AdvanceClock {
    type Reply = Result<u64, Refusal>;

    fn apply(self, slot: &mut Slot, cx: &Context<'_>) -> Outcome<Result<u64, Refusal>> {
        if !cx.rules.clock_moves {
            return Outcome::reply(Err(ErrorCode::NotFound.into()));
        }
        slot.clock_offset_secs = slot.clock_offset_secs.saturating_add(self.secs.min(MAX_ADVANCE_SECS));
        Outcome::reply(Ok(slot.clock_offset_secs)).saved()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::apply::testing::{ana, rules, run, NOW};
    use crate::account::apply::Rules;

    #[test]
    fn only_a_development_account_moves_its_clock() {
        let mut slot = ana();
        let refused = run(&mut slot, AdvanceClock { secs: 60 }, NOW, &rules());
        assert_eq!((refused.reply.unwrap_err().code, refused.saves), (ErrorCode::NotFound, 0));
        assert_eq!(slot.clock_offset_secs, 0);
        let dev = Rules { clock_moves: true, ..rules() };
        assert_eq!(run(&mut slot, AdvanceClock { secs: 60 }, NOW, &dev).reply, Ok(60));
        assert_eq!(run(&mut slot, AdvanceClock { secs: u64::MAX }, NOW, &dev).reply, Ok(60 + MAX_ADVANCE_SECS));
        assert_eq!(slot.now(NOW), NOW + 60 + MAX_ADVANCE_SECS);
    }
}
