//! Attributes that tell browsers and password managers what the policy is, so a generated password passes it.

use crate::chars::CharClass;
use crate::policy::EffectivePolicy;

/// The value of the `passwordrules` attribute (the WHATWG proposal Safari and 1Password follow), e.g.
/// `minlength: 12; maxlength: 128; required: lower; required: upper; required: digit; required: special;`.
pub fn passwordrules(policy: &EffectivePolicy) -> String {
    let mut rules = format!("minlength: {}; maxlength: {};", policy.min_length, policy.max_length);
    for class in CharClass::ALL {
        if policy.required_classes.contains(&class) {
            rules.push_str(&format!(" required: {class};"));
        }
    }
    rules
}

/// The HTML attributes to set on a new-password input: `(name, value)` pairs.
pub fn input_attributes(policy: &EffectivePolicy) -> [(&'static str, String); 4] {
    [
        ("autocomplete", "new-password".to_owned()),
        ("minlength", policy.min_length.to_string()),
        ("maxlength", policy.max_length.to_string()),
        ("passwordrules", passwordrules(policy)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    #[test]
    fn brief_policy_rules() {
        let policy = Policy::brief_default().effective(None, false);
        assert_eq!(
            passwordrules(&policy),
            "minlength: 12; maxlength: 128; required: lower; required: upper; required: digit; required: special;"
        );
        let attrs = input_attributes(&policy);
        assert_eq!(attrs[1], ("minlength", "12".to_owned()));
        assert_eq!(attrs[2], ("maxlength", "128".to_owned()));
    }

    #[test]
    fn nist_policy_requires_no_class() {
        let policy = Policy::nist_800_63b().effective(None, true);
        assert_eq!(passwordrules(&policy), "minlength: 8; maxlength: 128;");
    }
}
