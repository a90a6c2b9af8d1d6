//! Evaluating a password against a policy: each rule's verdict, the strength, and one overall `acceptable`.
//!
//! The widget and the Worker call the same functions, so the checklist a person sees is the verdict the server gives.

use crate::audience::Audience;
use crate::chars::{self, CharClass, Composition};
use crate::messages::MessageKey;
use crate::policy::{EffectivePolicy, Policy};
use crate::strength::Strength;
use serde::{Deserialize, Serialize};

/// Who is choosing the password: zxcvbn penalises their own words, and 2-Step Verification may lower the minimum.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalContext {
    #[serde(default)]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub two_step: bool,
    /// The user's email addresses, names and the like.
    #[serde(default)]
    pub user_inputs: Vec<String>,
}

/// One requirement of the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    MinLength {
        n: u32,
    },
    MaxLength {
        n: u32,
    },
    Requires {
        class: CharClass,
    },
    NoControlCharacters,
    MinStrength {
        score: u8,
    },
    /// Not among the passwords of known data breaches (the optional breach check; decided by the server).
    NotBreached,
}

impl Rule {
    pub fn message(self) -> MessageKey {
        match self {
            Rule::MinLength { .. } => MessageKey::RuleMinLength,
            Rule::MaxLength { .. } => MessageKey::RuleMaxLength,
            Rule::Requires { class: CharClass::Lower } => MessageKey::RuleLower,
            Rule::Requires { class: CharClass::Upper } => MessageKey::RuleUpper,
            Rule::Requires { class: CharClass::Digit } => MessageKey::RuleDigit,
            Rule::Requires { class: CharClass::Special } => MessageKey::RuleSpecial,
            Rule::NoControlCharacters => MessageKey::RuleNoControl,
            Rule::MinStrength { .. } => MessageKey::RuleMinStrength,
            Rule::NotBreached => MessageKey::RuleNotBreached,
        }
    }

    /// The number the message's `{n}` stands for.
    pub fn count(self) -> Option<u64> {
        match self {
            Rule::MinLength { n } | Rule::MaxLength { n } => Some(n.into()),
            Rule::MinStrength { score } => Some(score.into()),
            Rule::Requires { .. } | Rule::NoControlCharacters | Rule::NotBreached => None,
        }
    }

    /// Whether a checklist lists this rule before it is broken. The upper bound and the control-character ban are
    /// limits nobody aims for, and only the server can tell a breached password: they are shown only when broken.
    pub fn listed_in_checklist(self) -> bool {
        !matches!(self, Rule::MaxLength { .. } | Rule::NoControlCharacters | Rule::NotBreached)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    Met,
    Unmet,
    /// Not decided yet: the strength estimator has not answered.
    Pending,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleResult {
    #[serde(flatten)]
    pub rule: Rule,
    pub status: RuleStatus,
    pub message: MessageKey,
}

impl RuleResult {
    pub fn new(rule: Rule, met: bool) -> RuleResult {
        let status = if met { RuleStatus::Met } else { RuleStatus::Unmet };
        RuleResult { rule, status, message: rule.message() }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// Every rule met. False while any rule is pending.
    pub acceptable: bool,
    /// Length in code points after NFKC normalisation.
    pub length: u32,
    pub rules: Vec<RuleResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength: Option<Strength>,
}

impl Evaluation {
    /// The rules not met (pending ones included).
    pub fn unmet(&self) -> impl Iterator<Item = &RuleResult> {
        self.rules.iter().filter(|r| r.status != RuleStatus::Met)
    }

    /// Completes the strength rule with zxcvbn's estimate, kept in the evaluation.
    pub fn with_strength(self, strength: Strength) -> Evaluation {
        let mut evaluation = self.with_score(strength.score, strength.checking);
        evaluation.strength = Some(strength);
        evaluation
    }

    /// Settles the pending strength rule with a score: zxcvbn's, or with `checking` a lower bound of it (the
    /// widget's estimator before its word lists are in), which can meet the rule — the exact score is at least as
    /// high — but not fail it.
    pub fn with_score(mut self, score: u8, checking: bool) -> Evaluation {
        for result in &mut self.rules {
            if let Rule::MinStrength { score: needed } = result.rule {
                // An empty password stays unmet whatever the estimate says.
                if result.status == RuleStatus::Pending && !(checking && score < needed) {
                    *result = RuleResult::new(result.rule, score >= needed);
                }
            }
        }
        self.acceptable = self.rules.iter().all(|r| r.status == RuleStatus::Met);
        self
    }
}

/// Checks every rule that needs no estimator. The strength rule, if the policy has one, is left pending (or unmet for
/// an empty password) for [`Evaluation::with_strength`].
pub fn evaluate_rules(password: &str, policy: &EffectivePolicy) -> Evaluation {
    rules_for_normalized(&bounded_normalize(password, policy.max_length), policy)
}

fn rules_for_normalized(normalized: &str, policy: &EffectivePolicy) -> Evaluation {
    let length = u32::try_from(normalized.chars().count()).unwrap_or(u32::MAX);
    let found = Composition::of(normalized);

    let mut rules = Vec::with_capacity(policy.required_classes.len() + 4);
    rules.push(RuleResult::new(Rule::MinLength { n: policy.min_length }, length >= policy.min_length));
    rules.push(RuleResult::new(Rule::MaxLength { n: policy.max_length }, length <= policy.max_length));
    for &class in &policy.required_classes {
        rules.push(RuleResult::new(Rule::Requires { class }, found.has(class)));
    }
    rules.push(RuleResult::new(Rule::NoControlCharacters, !found.control));
    if policy.min_score > 0 {
        let rule = Rule::MinStrength { score: policy.min_score };
        let mut result = RuleResult::new(rule, false);
        if !normalized.is_empty() {
            result.status = RuleStatus::Pending;
        }
        rules.push(result);
    }
    let acceptable = rules.iter().all(|r| r.status == RuleStatus::Met);
    Evaluation { acceptable, length, rules, strength: None }
}

/// What a password must be under `policy`, as a checklist lists it (the rules [`Rule::listed_in_checklist`]): the
/// widget's list before anything is typed, and the printed requirements.
pub fn requirements(policy: &EffectivePolicy) -> Vec<Rule> {
    rules_for_normalized("", policy).rules.into_iter().map(|r| r.rule).filter(|r| r.listed_in_checklist()).collect()
}

/// The full verdict for a password: every rule, and (with the `strength` feature) the zxcvbn estimate.
pub fn evaluate(password: &str, policy: &Policy, context: &EvalContext) -> Evaluation {
    let effective = policy.effective(context.audience, context.two_step);
    let normalized = bounded_normalize(password, effective.max_length);
    let evaluation = rules_for_normalized(&normalized, &effective);
    #[cfg(feature = "strength")]
    if !normalized.is_empty() {
        let words = crate::strength::user_words(&context.user_inputs);
        return evaluation.with_strength(crate::strength::estimate(&normalized, &words));
    }
    evaluation
}

/// NFKC-normalises at most a little more than `max_length` code points: enough to tell that a password is too long,
/// without letting a megabyte of input cost a megabyte of work.
fn bounded_normalize(password: &str, max_length: u32) -> String {
    // NFKC can merge a base and its combining marks into one code point, so allow room before cutting.
    let budget = (max_length as usize).saturating_mul(4).saturating_add(1);
    match password.char_indices().nth(budget) {
        Some((cut, _)) => chars::normalize(&password[..cut]),
        None => chars::normalize(password),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_requirements_are_what_the_checklist_lists() {
        let policy = Policy::brief_default().effective(None, false);
        let rules = requirements(&policy);
        assert_eq!(rules[0], Rule::MinLength { n: policy.min_length });
        assert!(rules.iter().all(|r| r.listed_in_checklist()));
        let listed: Vec<Rule> =
            evaluate_rules("", &policy).rules.iter().map(|r| r.rule).filter(|r| r.listed_in_checklist()).collect();
        assert_eq!(rules, listed);
        assert!(rules.contains(&Rule::MinStrength { score: policy.min_score }));
    }
    use crate::policy::Policy;

    fn statuses(e: &Evaluation) -> Vec<(Rule, RuleStatus)> {
        e.rules.iter().map(|r| (r.rule, r.status)).collect()
    }

    fn status_of(e: &Evaluation, rule: Rule) -> RuleStatus {
        e.rules.iter().find(|r| r.rule == rule).map(|r| r.status).expect("rule present")
    }

    fn brief() -> EffectivePolicy {
        Policy::brief_default().effective(None, false)
    }

    #[test]
    fn each_class_rule_reacts_to_its_class() {
        let policy = brief();
        let cases = [
            ("ABCDEFGH12!!", CharClass::Lower),
            ("abcdefgh12!!", CharClass::Upper),
            ("abcdEFGHij!!", CharClass::Digit),
            ("abcdEFGH1234", CharClass::Special),
        ];
        for (password, missing) in cases {
            let e = evaluate_rules(password, &policy);
            for class in CharClass::ALL {
                let expected = if class == missing { RuleStatus::Unmet } else { RuleStatus::Met };
                assert_eq!(status_of(&e, Rule::Requires { class }), expected, "{password} {class}");
            }
            assert!(!e.acceptable);
        }
    }

    #[test]
    fn length_counts_code_points_after_nfkc() {
        let policy = brief();
        // 11 letters + a combining accent: 12 code points raw, 11 once composed.
        let e = evaluate_rules("Abcdefg1!#e\u{301}", &policy);
        assert_eq!(e.length, 11);
        assert_eq!(status_of(&e, Rule::MinLength { n: 12 }), RuleStatus::Unmet);
        // Emoji and non-Latin scripts count one per code point, not per byte.
        let e = evaluate_rules("Ωmega🔑🔑🔑🔑🔑1aB", &policy);
        assert_eq!(e.length, 13);
        assert_eq!(status_of(&e, Rule::MinLength { n: 12 }), RuleStatus::Met);
    }

    #[test]
    fn unicode_classes_count() {
        let e = evaluate_rules("ÉCOLEécole٣€ ", &brief());
        assert!(e
            .rules
            .iter()
            .filter(|r| matches!(r.rule, Rule::Requires { .. }))
            .all(|r| r.status == RuleStatus::Met));
    }

    #[test]
    fn over_the_maximum_is_refused_cheaply() {
        let policy = brief();
        let e = evaluate_rules(&"Aa1!".repeat(2_500), &policy);
        assert_eq!(status_of(&e, Rule::MaxLength { n: 128 }), RuleStatus::Unmet);
        assert!(!e.acceptable);
        assert!(e.length <= 128 * 4 + 1, "normalised only a bounded prefix: {}", e.length);
        let at_limit = evaluate_rules(&"Aa1!".repeat(32), &policy);
        assert_eq!(status_of(&at_limit, Rule::MaxLength { n: 128 }), RuleStatus::Met);
    }

    #[test]
    fn control_characters_are_refused() {
        let e = evaluate_rules("Abcdefgh123!\u{0}", &brief());
        assert_eq!(status_of(&e, Rule::NoControlCharacters), RuleStatus::Unmet);
        assert!(!Rule::NoControlCharacters.listed_in_checklist());
    }

    #[test]
    fn strength_waits_for_the_estimator() {
        let e = evaluate_rules("Tr0ub4dor&3xyz", &brief());
        assert_eq!(status_of(&e, Rule::MinStrength { score: 3 }), RuleStatus::Pending);
        assert!(!e.acceptable, "pending is not acceptable");
        assert_eq!(evaluate_rules("", &brief()).rules.last().map(|r| r.status), Some(RuleStatus::Unmet));
    }

    #[test]
    fn with_strength_settles_the_pending_rule() {
        let e = evaluate_rules("Tr0ub4dor&3xyz", &brief());
        let strength = |score| Strength {
            score,
            guesses: 1,
            guesses_log10: 0.0,
            label: crate::strength::score_label(score),
            warning: None,
            suggestions: vec![],
            checking: false,
        };
        assert!(e.clone().with_strength(strength(4)).acceptable);
        let weak = e.clone().with_strength(strength(2));
        assert!(!weak.acceptable);
        assert_eq!(weak.unmet().count(), 1);
        // A lower bound still being checked meets the rule when high enough, and otherwise leaves it pending.
        let checking = |score| Strength { checking: true, ..strength(score) };
        assert!(e.clone().with_strength(checking(4)).acceptable);
        let pending = e.with_strength(checking(2));
        assert_eq!(status_of(&pending, Rule::MinStrength { score: 3 }), RuleStatus::Pending);
        assert!(!pending.acceptable);
    }

    #[test]
    fn nist_preset_has_no_composition_rules() {
        let nist = Policy::nist_800_63b();
        let e = evaluate_rules("all lower case words", &nist.effective(None, false));
        assert!(!e.rules.iter().any(|r| matches!(r.rule, Rule::Requires { .. })));
        assert_eq!(status_of(&e, Rule::MinLength { n: 15 }), RuleStatus::Met);
        let short = evaluate_rules("zq8vmx2k", &nist.effective(None, false));
        assert_eq!(status_of(&short, Rule::MinLength { n: 15 }), RuleStatus::Unmet);
        let short_2sv = evaluate_rules("zq8vmx2k", &nist.effective(None, true));
        assert_eq!(status_of(&short_2sv, Rule::MinLength { n: 8 }), RuleStatus::Met);
    }

    #[test]
    fn rule_results_serialise_flat() {
        let e = evaluate_rules("a", &brief());
        let json = serde_json::to_value(e.rules[0]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"rule": "min_length", "n": 12, "status": "unmet", "message": "rule.min_length"})
        );
        let back: Evaluation = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
        assert_eq!(statuses(&back), statuses(&e));
    }

    #[cfg(feature = "strength")]
    mod with_estimator {
        use super::*;

        #[test]
        fn the_brief_example_passes_and_common_passwords_fail() {
            let policy = Policy::brief_default();
            let ctx = EvalContext::default();
            let good = evaluate("Otter-Lantern-42-Quiet", &policy, &ctx);
            assert!(good.acceptable, "{good:?}");
            // Meets every composition rule, yet is one of the most common passwords with a suffix.
            let common = evaluate("Password123!", &policy, &ctx);
            assert_eq!(status_of(&common, Rule::MinStrength { score: 3 }), RuleStatus::Unmet);
            assert!(!common.acceptable);
            assert!(common.strength.is_some_and(|s| s.warning.is_some() || !s.suggestions.is_empty()));
        }

        #[test]
        fn the_users_email_counts_against_them() {
            let policy = Policy::nist_800_63b();
            let password = "mapplethorpe.gwendolyn";
            let stranger = evaluate(password, &policy, &EvalContext::default());
            let own =
                EvalContext { user_inputs: vec!["gwendolyn.mapplethorpe@school.org".into()], ..Default::default() };
            let user = evaluate(password, &policy, &own);
            let score = |e: &Evaluation| e.strength.as_ref().map(|s| s.score);
            assert!(score(&user) < score(&stranger), "{:?} vs {:?}", score(&user), score(&stranger));
        }

        #[test]
        fn audience_and_two_step_choose_the_rules() {
            let mut policy = Policy::nist_800_63b();
            policy.audiences.staff = Some(crate::policy::RulesOverride { min_length: Some(20), ..Default::default() });
            let staff = EvalContext { audience: Some(Audience::Staff), ..Default::default() };
            let e = evaluate("quartz vivid meadow fox", &policy, &staff);
            assert_eq!(e.rules[0].rule, Rule::MinLength { n: 20 });
            let parent_2sv = EvalContext { audience: Some(Audience::Parent), two_step: true, ..Default::default() };
            assert_eq!(evaluate("x", &policy, &parent_2sv).rules[0].rule, Rule::MinLength { n: 8 });
        }
    }
}
