//! Policy evaluation: any text under any policy the JSON loader accepts (the brief's default otherwise) gets a verdict
//! without panicking, and the verdict is consistent: every rule decided, `acceptable` exactly when all are met, and
//! the checklist's quick evaluation agreeing with the full one on every rule but strength.
#![no_main]

use latchkey_shared::{evaluate, evaluate_rules, EvalContext, Policy, Rule, RuleStatus};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str, bool)| {
    let (password, policy_json, two_step) = input;
    let policy = Policy::from_json(policy_json).unwrap_or_else(|_| Policy::brief_default());
    let context = EvalContext { audience: None, two_step, user_inputs: vec!["ana@school.org".into()] };
    let full = evaluate(password, &policy, &context);
    assert!(full.rules.iter().all(|r| r.status != RuleStatus::Pending), "the full evaluation decides every rule");
    assert_eq!(full.acceptable, full.rules.iter().all(|r| r.status == RuleStatus::Met));
    let quick = evaluate_rules(password, &policy.effective(None, two_step));
    assert_eq!(quick.length, full.length);
    for (q, f) in quick.rules.iter().zip(&full.rules) {
        assert_eq!(q.rule, f.rule);
        if !matches!(q.rule, Rule::MinStrength { .. }) {
            assert_eq!(q.status, f.status, "{:?}", q.rule);
        }
    }
});
