//! Email addresses as account keys: checked for shape and normalised, so `Ana@School.org ` and `ana@school.org` are
//! the same login, and nothing that could inject a mail header gets through.

use latchkey_shared::chars::is_control;
use latchkey_shared::Audience;

/// The longest address SMTP allows (RFC 5321 path limit).
pub const MAX_EMAIL_LEN: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("the email is empty")]
    Empty,
    #[error("the email is longer than {MAX_EMAIL_LEN} characters")]
    TooLong,
    #[error(
        "the email has a character that is not allowed (a control or bidi character, space, comma or angle bracket)"
    )]
    ForbiddenCharacter,
    #[error("the email is not of the form name@domain.tld")]
    Shape,
}

/// A normalised address: trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > MAX_EMAIL_LEN {
            return Err(EmailError::TooLong);
        }
        if trimmed.chars().any(|c| is_control(c) || c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '"')) {
            return Err(EmailError::ForbiddenCharacter);
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or(EmailError::Shape)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.contains('@') || local.len() > 64 || !domain_ok {
            return Err(EmailError::Shape);
        }
        Ok(Email(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One account per audience and login email: the Durable Object's name.
pub fn account_id(audience: Audience, login: &Email) -> String {
    account_id_of(audience, login.as_str())
}

/// [`account_id`] for a login email already parsed and stored (an account's profile, a mail job).
pub fn account_id_of(audience: Audience, login: &str) -> String {
    format!("{audience}:{login}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_space() {
        assert_eq!(Email::parse("  Ana.Pérez@School.ORG ").unwrap().as_str(), "ana.pérez@school.org");
    }

    #[test]
    fn refuses_header_injection_and_junk() {
        use EmailError::*;
        let cases = [
            ("", Empty),
            ("   ", Empty),
            ("a@b.org\r\nBcc: x@evil.org", ForbiddenCharacter),
            ("a@b.org\nx", ForbiddenCharacter),
            ("a b@c.org", ForbiddenCharacter),
            ("a@b.org,c@d.org", ForbiddenCharacter),
            ("Ana <a@b.org>", ForbiddenCharacter),
            ("no-at-sign", Shape),
            ("@b.org", Shape),
            ("a@b", Shape),
            ("a@.org", Shape),
            ("a@b..org", Shape),
            ("a@@b.org", Shape),
        ];
        for (raw, error) in cases {
            assert_eq!(Email::parse(raw), Err(error), "{raw:?}");
        }
        assert_eq!(Email::parse(&format!("{}@b.org", "a".repeat(300))), Err(TooLong));
    }

    #[test]
    fn staff_and_parent_accounts_are_distinct() {
        let email = Email::parse("ana@school.org").unwrap();
        assert_ne!(account_id(Audience::Staff, &email), account_id(Audience::Parent, &email));
        assert_eq!(account_id(Audience::Parent, &email), "parent:ana@school.org");
    }
}
