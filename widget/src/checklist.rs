//! What the checklist shows for an evaluation: pure, so it is tested natively.

use latchkey_shared::{Evaluation, Locale, MessageKey, RuleStatus, Verdict};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The rule's message key, stable: tests and host pages can select `[data-rule="rule.digit"]`.
    pub id: &'static str,
    pub text: String,
    pub status: RuleStatus,
    /// Read out by screen readers after the text, so colour and glyph are never the only signal.
    pub status_text: &'static str,
}

/// The rules worth listing: every target a person aims for, and any limit they have broken.
pub fn items(evaluation: &Evaluation, locale: Locale) -> Vec<Item> {
    evaluation
        .rules
        .iter()
        .filter(|r| r.rule.listed_in_checklist() || r.status == RuleStatus::Unmet)
        .map(|r| Item {
            id: r.message.as_str(),
            text: r.message.render(locale, r.rule.count()),
            status: r.status,
            status_text: status_message(r.status).text(locale),
        })
        .collect()
}

/// What the polite live region says: how many requirements are met and, once estimated, the strength. It changes
/// only when one of those does, so a screen reader is not told about every keystroke.
pub fn announcement(items: &[Item], strength: Option<&Verdict>, locale: Locale) -> String {
    let met = items.iter().filter(|i| i.status == RuleStatus::Met).count().to_string();
    let total = items.len().to_string();
    let mut text = MessageKey::WidgetSummary.render_with(locale, &[("met", &met), ("total", &total)]);
    // A lower bound still being checked is not announced: the exact score follows within moments.
    if let Some(strength) = strength.filter(|s| !s.checking) {
        text.push(' ');
        text.push_str(&MessageKey::WidgetStrength.render(locale, Some(strength.score.into())));
        text.push_str(&format!(" ({})", strength.label().text(locale)));
    }
    text
}

/// The input's description for screen readers: every listed rule with its status, in order.
pub fn description(items: &[Item]) -> String {
    items.iter().map(|i| format!("{} ({}).", i.text, i.status_text)).collect::<Vec<_>>().join(" ")
}

pub fn status_message(status: RuleStatus) -> MessageKey {
    match status {
        RuleStatus::Met => MessageKey::WidgetRuleMet,
        RuleStatus::Unmet => MessageKey::WidgetRuleUnmet,
        RuleStatus::Pending => MessageKey::WidgetRulePending,
    }
}

/// The status as the `data-status` attribute spells it.
pub fn status_attr(status: RuleStatus) -> &'static str {
    match status {
        RuleStatus::Met => "met",
        RuleStatus::Unmet => "unmet",
        RuleStatus::Pending => "pending",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use latchkey_shared::{evaluate_rules, Policy};

    #[test]
    fn lists_targets_and_hides_unbroken_limits() {
        let policy = Policy::brief_default().effective(None, false);
        let items = items(&evaluate_rules("abc", &policy), Locale::En);
        let ids: Vec<_> = items.iter().map(|i| i.id).collect();
        assert_eq!(
            ids,
            ["rule.min_length", "rule.lower", "rule.upper", "rule.digit", "rule.special", "rule.min_strength"]
        );
        assert_eq!(items[0].text, "At least 12 characters");
        assert_eq!(items[0].status, RuleStatus::Unmet);
        assert_eq!(items[1].status, RuleStatus::Met);
        assert_eq!(items[1].status_text, "done");
    }

    #[test]
    fn the_announcement_counts_met_requirements() {
        let policy = Policy::brief_default().effective(None, false);
        let items = items(&evaluate_rules("abc", &policy), Locale::En);
        assert_eq!(announcement(&items, None, Locale::En), "1 of 6 requirements met.");
        assert_eq!(announcement(&items, None, Locale::Es), "1 de 6 requisitos cumplidos.");
    }

    #[test]
    fn the_description_names_every_rule_and_its_status() {
        let policy = Policy::brief_default().effective(None, false);
        let items = items(&evaluate_rules("abc", &policy), Locale::En);
        let description = description(&items);
        assert!(description.starts_with("At least 12 characters (not yet). "), "{description}");
        assert_eq!(description.matches(").").count(), items.len(), "{description}");
    }

    #[test]
    fn a_broken_limit_appears() {
        let policy = Policy::brief_default().effective(None, false);
        let items = items(&evaluate_rules("Abc1!\u{7}", &policy), Locale::Es);
        let control = items.iter().find(|i| i.id == "rule.no_control").expect("listed once broken");
        assert_eq!(control.status_text, "todavía no");
    }
}
