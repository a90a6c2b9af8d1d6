//! Properties that must hold for any input at all: evaluation never panics, is deterministic, and agrees with itself.

use latchkey_shared::{evaluate, EvalContext, Policy, RuleStatus};
use proptest::prelude::*;

fn policies() -> impl Strategy<Value = Policy> {
    prop_oneof![Just(Policy::brief_default()), Just(Policy::nist_800_63b())]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn evaluation_is_total_and_deterministic(password in any::<String>(), policy in policies(), two_step: bool) {
        let ctx = EvalContext { two_step, user_inputs: vec!["someone@example.org".into()], ..Default::default() };
        let first = evaluate(&password, &policy, &ctx);
        let second = evaluate(&password, &policy, &ctx);
        prop_assert_eq!(&first, &second);
        prop_assert_eq!(first.acceptable, first.rules.iter().all(|r| r.status == RuleStatus::Met));
        prop_assert!(first.rules.iter().all(|r| r.status != RuleStatus::Pending), "the estimator settles every rule");
    }

    #[test]
    fn unicode_heavy_and_long_inputs_are_handled(
        password in "(\\PC|\\p{M}|[\u{0}-\u{1f}]|\u{200d}|🔑){0,600}",
        policy in policies(),
    ) {
        let e = evaluate(&password, &policy, &EvalContext::default());
        let max = policy.rules.max_length;
        if e.length > max {
            prop_assert!(!e.acceptable);
        }
        if let Some(strength) = &e.strength {
            prop_assert!(strength.score <= 4);
        }
    }

    #[test]
    fn appending_characters_never_shortens(password in "\\PC{0,40}", extra in "[a-z]{1,5}") {
        let policy = Policy::brief_default();
        let ctx = EvalContext::default();
        let short = evaluate(&password, &policy, &ctx);
        let long = evaluate(&format!("{password}{extra}"), &policy, &ctx);
        prop_assert!(long.length >= short.length);
    }
}
