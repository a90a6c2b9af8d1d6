//! The checks the desk must make before turning someone's 2-Step Verification off (they lost the phone and the
//! recovery codes, so anyone who calls could claim to be them): the school's own list (`IDENTITY_CHECKS`, a JSON
//! array of sentences, shown as written), or three sensible ones in the caller's language. The console shows them as
//! a checklist; the API refuses staff who did not tick every one.

use latchkey_shared::api::IdentityCheck;
use latchkey_shared::{Locale, PageKey};

const MAX_CHECKS: usize = 10;
const MAX_CHECK_CHARS: usize = 300;
const DEFAULT: [PageKey; 3] = [PageKey::ConsoleCheckContact, PageKey::ConsoleCheckKnown, PageKey::ConsoleCheckCallback];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum IdentityChecks {
    #[default]
    Default,
    /// The school's own.
    Custom(Vec<String>),
}

impl IdentityChecks {
    /// From `IDENTITY_CHECKS`: none or empty for the default list; else 1 to 10 sentences of at most 300 characters.
    pub fn parse(raw: Option<&str>) -> Result<IdentityChecks, String> {
        let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else { return Ok(IdentityChecks::Default) };
        let checks: Vec<String> =
            serde_json::from_str(raw).map_err(|e| format!("expected a JSON array of sentences: {e}"))?;
        let checks: Vec<String> = checks.iter().map(|c| c.trim().to_owned()).collect();
        let fits =
            |c: &String| !c.is_empty() && c.chars().count() <= MAX_CHECK_CHARS && !c.chars().any(char::is_control);
        if checks.is_empty() || checks.len() > MAX_CHECKS || !checks.iter().all(fits) {
            return Err(format!(
                "1 to {MAX_CHECKS} sentences of 1 to {MAX_CHECK_CHARS} characters, no control characters"
            ));
        }
        Ok(IdentityChecks::Custom(checks))
    }

    /// The checks, numbered from 1 (their ids), in `locale` when they are the default ones.
    pub fn listed(&self, locale: Locale) -> Vec<IdentityCheck> {
        let texts: Vec<String> = match self {
            IdentityChecks::Default => DEFAULT.iter().map(|key| key.text(locale).to_owned()).collect(),
            IdentityChecks::Custom(checks) => checks.clone(),
        };
        texts.into_iter().enumerate().map(|(n, text)| IdentityCheck { id: (n + 1).to_string(), text }).collect()
    }

    /// The ids of the checks `ticked` leaves out.
    pub fn missing(&self, ticked: &[String]) -> Vec<String> {
        self.listed(Locale::En).into_iter().map(|c| c.id).filter(|id| !ticked.contains(id)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_list_or_the_schools_own_and_every_check_must_be_ticked() {
        let default = IdentityChecks::parse(None).unwrap();
        assert_eq!(default.listed(Locale::Es).len(), 3);
        assert_ne!(default.listed(Locale::Es)[0].text, default.listed(Locale::En)[0].text);
        assert_eq!(default.missing(&["1".into(), "3".into()]), ["2"]);
        assert!(default.missing(&["3".into(), "2".into(), "1".into()]).is_empty());

        let own = IdentityChecks::parse(Some(r#"["Ask for the pupil's class", "Call back on the number on file"]"#));
        let own = own.unwrap();
        assert_eq!(own.listed(Locale::Es)[1].text, "Call back on the number on file", "as the school wrote it");
        assert_eq!(own.missing(&[]), ["1", "2"]);
        assert_eq!(IdentityChecks::parse(Some("  ")).unwrap(), IdentityChecks::Default);
        for bad in ["[]", "\"one\"", "[\"\"]", "[\"a\\u0007\"]", &format!("[\"{}\"]", "x".repeat(301))] {
            assert!(IdentityChecks::parse(Some(bad)).is_err(), "{bad}");
        }
    }
}
