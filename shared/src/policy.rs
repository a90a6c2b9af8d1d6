//! The password policy: what a new password must satisfy, how many old ones it may not repeat, how long a reset link
//! lives. Loaded from JSON (or a preset name) and validated once, when loaded: a bad policy is a clear error naming the
//! field, never a surprise on a user's screen later.

use crate::audience::Audience;
use crate::chars::CharClass;
use serde::{Deserialize, Serialize};

/// No policy may allow passwords longer than this: it bounds the work any single password can cost.
pub const MAX_LENGTH_LIMIT: u32 = 1024;
/// The most previous passwords a policy may remember (each costs an argon2 verification on every reset).
pub const MAX_HISTORY_DEPTH: u32 = 24;
/// Workers KV refuses TTLs under 60 s.
pub const MIN_TOKEN_LIFETIME_SECS: u32 = 60;
/// A reset link older than a week is a liability, whatever the site wants.
pub const MAX_TOKEN_LIFETIME_SECS: u32 = 7 * 24 * 3600;

/// A complete policy, as configured: the base rules plus optional per-audience overrides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// A label for people reading the configuration; the presets fill it in.
    #[serde(default)]
    pub name: String,
    /// The rules for everyone, unless an audience overrides them.
    pub rules: Rules,
    #[serde(default, skip_serializing_if = "AudienceOverrides::is_empty")]
    pub audiences: AudienceOverrides,
}

/// The rules themselves, as they apply to one audience.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Minimum length in Unicode code points after NFKC normalisation.
    pub min_length: u32,
    /// A lower minimum for accounts that use 2-Step Verification; absent means the same as `min_length`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length_two_step: Option<u32>,
    pub max_length: u32,
    pub required_classes: Vec<CharClass>,
    /// Minimum zxcvbn score, 0 (anything) to 4.
    pub min_score: u8,
    /// How many previous passwords a new one may not repeat.
    pub history_depth: u32,
    /// How long a reset link works.
    pub token_lifetime_secs: u32,
}

/// Per-audience changes to the base rules; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AudienceOverrides {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<RulesOverride>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<RulesOverride>,
}

impl AudienceOverrides {
    pub fn is_empty(&self) -> bool {
        self.staff.is_none() && self.parent.is_none()
    }

    fn get(&self, audience: Audience) -> Option<&RulesOverride> {
        match audience {
            Audience::Staff => self.staff.as_ref(),
            Audience::Parent => self.parent.as_ref(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesOverride {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length_two_step: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_classes: Option<Vec<CharClass>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_depth: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_lifetime_secs: Option<u32>,
}

/// The rules that apply to one account: its audience's, with its 2-Step Verification status taken into account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffectivePolicy {
    pub min_length: u32,
    pub max_length: u32,
    pub required_classes: Vec<CharClass>,
    pub min_score: u8,
    pub history_depth: u32,
    pub token_lifetime_secs: u32,
}

/// Why a policy was refused. `field` is a JSON path such as `audiences.staff.min_length`.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// serde_json's message, kept as text: the widget shows this error without linking serde_json's formatting.
    #[error("the policy is not valid: {0}")]
    Json(String),
    #[error("unknown policy preset `{0}` (known presets: {known})", known = PRESETS.join(", "))]
    UnknownPreset(String),
    #[error("policy field `{field}` {problem}")]
    Invalid { field: String, problem: Problem },
    // The next three are the widget's reader's (`json_reader`); serde says the same through `Json`.
    #[error("policy field `{field}` must be {expected}")]
    Malformed { field: String, expected: &'static str },
    #[error("policy field `{0}` is missing")]
    MissingField(String),
    #[error("the policy has an unknown field `{0}`")]
    UnknownField(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("must be at least {0}")]
    TooSmall(u64),
    #[error("must be at most {0}")]
    TooLarge(u64),
    #[error("lists `{0}` more than once")]
    DuplicateClass(CharClass),
    #[error("requires {classes} character classes, more than the minimum length of {min_length} allows")]
    ClassesExceedLength { classes: usize, min_length: u32 },
}

/// The names [`Policy::preset`] knows.
pub const PRESETS: [&str; 2] = ["default", "nist-800-63b"];

impl Policy {
    /// The policy the product brief asks for: at least 12 characters with a digit, a special character, an upper- and a
    /// lower-case letter; none of the last 5 passwords; zxcvbn score 3 or better; links valid for an hour.
    pub fn brief_default() -> Policy {
        Policy {
            name: "default".into(),
            rules: Rules {
                min_length: 12,
                min_length_two_step: None,
                max_length: 128,
                required_classes: CharClass::ALL.to_vec(),
                min_score: 3,
                history_depth: 5,
                token_lifetime_secs: 3600,
            },
            audiences: AudienceOverrides::default(),
        }
    }

    /// NIST SP 800-63B: length over composition. 15 characters, or 8 with 2-Step Verification; no composition rules;
    /// common and guessable passwords refused through zxcvbn (score 2 keeps dictionary words, names, dates and
    /// keyboard walks out while letting an 8-character random password with a second factor through).
    pub fn nist_800_63b() -> Policy {
        Policy {
            name: "nist-800-63b".into(),
            rules: Rules {
                min_length: 15,
                min_length_two_step: Some(8),
                max_length: 128,
                required_classes: Vec::new(),
                min_score: 2,
                history_depth: 5,
                token_lifetime_secs: 3600,
            },
            audiences: AudienceOverrides::default(),
        }
    }

    pub fn preset(name: &str) -> Result<Policy, PolicyError> {
        match name {
            "default" => Ok(Policy::brief_default()),
            "nist-800-63b" => Ok(Policy::nist_800_63b()),
            other => Err(PolicyError::UnknownPreset(other.to_owned())),
        }
    }

    /// Parses and validates a policy given as JSON.
    pub fn from_json(json: &str) -> Result<Policy, PolicyError> {
        let policy: Policy = serde_json::from_str(json).map_err(|e| PolicyError::Json(e.to_string()))?;
        policy.validate()?;
        Ok(policy)
    }

    /// A configuration value: a preset name, or a JSON policy object.
    pub fn from_config(value: &str) -> Result<Policy, PolicyError> {
        let value = value.trim();
        if value.starts_with('{') {
            Policy::from_json(value)
        } else {
            Policy::preset(value)
        }
    }

    /// Checks the base rules and every audience's resolved rules.
    pub fn validate(&self) -> Result<(), PolicyError> {
        self.rules.validate("")?;
        for audience in Audience::ALL {
            if self.audiences.get(audience).is_some() {
                self.rules_for(Some(audience)).validate(&format!("audiences.{audience}."))?;
            }
        }
        Ok(())
    }

    /// The rules for an audience (the base rules when none is given or it has no override).
    pub fn rules_for(&self, audience: Option<Audience>) -> Rules {
        let mut rules = self.rules.clone();
        if let Some(o) = audience.and_then(|a| self.audiences.get(a)) {
            rules.min_length = o.min_length.unwrap_or(rules.min_length);
            rules.min_length_two_step = o.min_length_two_step.or(rules.min_length_two_step);
            rules.max_length = o.max_length.unwrap_or(rules.max_length);
            rules.required_classes = o.required_classes.clone().unwrap_or(rules.required_classes);
            rules.min_score = o.min_score.unwrap_or(rules.min_score);
            rules.history_depth = o.history_depth.unwrap_or(rules.history_depth);
            rules.token_lifetime_secs = o.token_lifetime_secs.unwrap_or(rules.token_lifetime_secs);
        }
        rules
    }

    /// What applies to one account.
    pub fn effective(&self, audience: Option<Audience>, two_step: bool) -> EffectivePolicy {
        self.rules_for(audience).effective(two_step)
    }
}

impl Rules {
    pub fn effective(&self, two_step: bool) -> EffectivePolicy {
        let min_length = match (two_step, self.min_length_two_step) {
            (true, Some(lower)) => lower,
            _ => self.min_length,
        };
        EffectivePolicy {
            min_length,
            max_length: self.max_length,
            required_classes: self.required_classes.clone(),
            min_score: self.min_score,
            history_depth: self.history_depth,
            token_lifetime_secs: self.token_lifetime_secs,
        }
    }

    fn validate(&self, prefix: &str) -> Result<(), PolicyError> {
        let invalid = |field: &str, problem| PolicyError::Invalid { field: format!("{prefix}{field}"), problem };
        let at_least = |field: &str, value: u64, min: u64| {
            if value < min {
                Err(invalid(field, Problem::TooSmall(min)))
            } else {
                Ok(())
            }
        };
        let at_most = |field: &str, value: u64, max: u64| {
            if value > max {
                Err(invalid(field, Problem::TooLarge(max)))
            } else {
                Ok(())
            }
        };
        at_least("min_length", self.min_length.into(), 1)?;
        at_most("max_length", self.max_length.into(), MAX_LENGTH_LIMIT.into())?;
        at_least("max_length", self.max_length.into(), self.min_length.into())?;
        if let Some(two_step) = self.min_length_two_step {
            at_least("min_length_two_step", two_step.into(), 1)?;
            at_most("min_length_two_step", two_step.into(), self.min_length.into())?;
        }
        at_most("min_score", self.min_score.into(), 4)?;
        at_most("history_depth", self.history_depth.into(), MAX_HISTORY_DEPTH.into())?;
        at_least("token_lifetime_secs", self.token_lifetime_secs.into(), MIN_TOKEN_LIFETIME_SECS.into())?;
        at_most("token_lifetime_secs", self.token_lifetime_secs.into(), MAX_TOKEN_LIFETIME_SECS.into())?;
        let mut seen = Vec::with_capacity(self.required_classes.len());
        for &class in &self.required_classes {
            if seen.contains(&class) {
                return Err(invalid("required_classes", Problem::DuplicateClass(class)));
            }
            seen.push(class);
        }
        let shortest = self.min_length_two_step.unwrap_or(self.min_length);
        if seen.len() > shortest as usize {
            return Err(invalid(
                "required_classes",
                Problem::ClassesExceedLength { classes: seen.len(), min_length: shortest },
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A policy document with `rules` inside `"rules": {…}` and `extra` top-level members.
    fn policy_json(rules: &str, extra: &str) -> String {
        let extra = if extra.is_empty() { String::new() } else { format!(", {extra}") };
        format!(r#"{{"rules": {{{rules}}}{extra}}}"#)
    }

    fn field_error(json: &str) -> (String, Problem) {
        match Policy::from_json(json) {
            Err(PolicyError::Invalid { field, problem }) => (field, problem),
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    const RULES: &str = r#""min_length": 12, "max_length": 128, "required_classes": ["digit"], "min_score": 3,
        "history_depth": 5, "token_lifetime_secs": 3600"#;

    #[test]
    fn presets_are_valid_and_follow_their_sources() {
        for name in PRESETS {
            Policy::preset(name).unwrap().validate().unwrap();
        }
        let brief = Policy::brief_default().effective(None, false);
        assert_eq!(brief.min_length, 12);
        assert_eq!(brief.required_classes.len(), 4);
        assert_eq!(brief.history_depth, 5);
        let nist = Policy::nist_800_63b();
        assert_eq!(nist.effective(None, false).min_length, 15);
        assert_eq!(nist.effective(None, true).min_length, 8);
        assert!(nist.effective(None, false).required_classes.is_empty());
    }

    #[test]
    fn json_round_trips() {
        for name in PRESETS {
            let policy = Policy::preset(name).unwrap();
            let json = serde_json::to_string(&policy).unwrap();
            assert_eq!(Policy::from_json(&json).unwrap(), policy);
        }
    }

    #[test]
    fn config_takes_a_preset_name_or_json() {
        assert_eq!(Policy::from_config(" nist-800-63b ").unwrap().name, "nist-800-63b");
        let custom = Policy::from_config(&policy_json(RULES, "")).unwrap();
        assert_eq!(custom.rules.required_classes, vec![CharClass::Digit]);
        let err = Policy::from_config("strict").unwrap_err();
        assert!(matches!(err, PolicyError::UnknownPreset(_)));
        assert!(err.to_string().contains("nist-800-63b"), "{err}");
    }

    #[test]
    fn audience_overrides_apply_to_their_audience_only() {
        let staff = r#""audiences": {"staff": {"min_length": 16, "min_length_two_step": 10}}"#;
        let policy = Policy::from_json(&policy_json(RULES, staff)).unwrap();
        assert_eq!(policy.effective(Some(Audience::Staff), false).min_length, 16);
        assert_eq!(policy.effective(Some(Audience::Staff), true).min_length, 10);
        assert_eq!(policy.effective(Some(Audience::Parent), true).min_length, 12);
        assert_eq!(policy.effective(None, false).min_length, 12);
    }

    #[test]
    fn validation_names_the_field() {
        let cases: &[(&str, &str, Problem)] = &[
            (r#""min_length": 0"#, "min_length", Problem::TooSmall(1)),
            (r#""max_length": 2000"#, "max_length", Problem::TooLarge(1024)),
            (r#""max_length": 8"#, "max_length", Problem::TooSmall(12)),
            (r#""min_score": 5"#, "min_score", Problem::TooLarge(4)),
            (r#""history_depth": 100"#, "history_depth", Problem::TooLarge(24)),
            (r#""token_lifetime_secs": 30"#, "token_lifetime_secs", Problem::TooSmall(60)),
            (r#""token_lifetime_secs": 9999999"#, "token_lifetime_secs", Problem::TooLarge(604800)),
            (r#""min_length_two_step": 20"#, "min_length_two_step", Problem::TooLarge(12)),
            (
                r#""required_classes": ["digit", "digit"]"#,
                "required_classes",
                Problem::DuplicateClass(CharClass::Digit),
            ),
        ];
        for (change, field, problem) in cases {
            let key = change.split(':').next().unwrap();
            let rest: Vec<&str> = RULES.split(',').filter(|part| !part.contains(key)).collect();
            let json = policy_json(&format!("{change}, {}", rest.join(",")), "");
            assert_eq!(field_error(&json), (field.to_string(), problem.clone()), "{json}");
        }
    }

    #[test]
    fn classes_must_fit_in_the_shortest_password() {
        let rules = r#""min_length": 3, "max_length": 10, "required_classes": ["digit","upper","lower","special"],
            "min_score": 0, "history_depth": 0, "token_lifetime_secs": 60"#;
        let (field, problem) = field_error(&policy_json(rules, ""));
        assert_eq!(field, "required_classes");
        assert_eq!(problem, Problem::ClassesExceedLength { classes: 4, min_length: 3 });
    }

    #[test]
    fn overrides_are_validated_with_their_path() {
        let (field, problem) = field_error(&policy_json(RULES, r#""audiences": {"parent": {"max_length": 4}}"#));
        assert_eq!(field, "audiences.parent.max_length");
        assert_eq!(problem, Problem::TooSmall(12));
    }

    #[test]
    fn unknown_and_missing_fields_are_json_errors() {
        let unknown = Policy::from_json(&policy_json(&format!(r#"{RULES}, "min_lenght": 3"#), "")).unwrap_err();
        assert!(unknown.to_string().contains("min_lenght"), "{unknown}");
        let unknown_top = Policy::from_json(&policy_json(RULES, r#""rulez": {}"#)).unwrap_err();
        assert!(unknown_top.to_string().contains("rulez"), "{unknown_top}");
        let missing = Policy::from_json(&policy_json(r#""min_length": 12"#, "")).unwrap_err();
        assert!(missing.to_string().contains("max_length"), "{missing}");
        let bad_class = Policy::from_json(&policy_json(&RULES.replace("\"digit\"", "\"emoji\""), "")).unwrap_err();
        assert!(matches!(bad_class, PolicyError::Json(_)));
        let bad_audience = Policy::from_json(&policy_json(RULES, r#""audiences": {"pupil": {}}"#)).unwrap_err();
        assert!(bad_audience.to_string().contains("pupil"), "{bad_audience}");
    }
}
