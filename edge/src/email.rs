//! Email addresses as account keys: checked for shape and normalised, so `Ana@School.org `, `ana@school.org`, the same
//! address typed with a decomposed `é` and `ana@bücher.de` / `ana@xn--bcher-kva.de` are each one login, and nothing
//! that could inject a mail header, nor an invisible character that makes two look-alike addresses two accounts, gets
//! through. The key keeps the domain in its ASCII (IDNA) form, which every mail system takes; people are shown the
//! Unicode form ([`display`]).

use latchkey_shared::chars::{is_control, is_default_ignorable};
use latchkey_shared::Audience;
use unicode_normalization::UnicodeNormalization;

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
    #[error("the email has an invisible character (such as a zero-width space or a soft hyphen)")]
    InvisibleCharacter,
    #[error("the email is not of the form name@domain.tld")]
    Shape,
}

/// A normalised address: trimmed, NFC, lower-cased, the domain in its ASCII (IDNA) form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email {
    key: String,
    /// How addresses were keyed before they were normalised this far (trimmed and lower-cased only), when that
    /// differs: where an account made then still lives.
    earlier: Option<String>,
}

/// Whether `text` holds what could break a mail header or a recipient list: controls, whitespace, separators, quotes.
fn breaks_a_header(text: &str) -> bool {
    text.chars().any(|c| is_control(c) || c.is_whitespace() || matches!(c, ',' | ';' | '<' | '>' | '"'))
}

impl Email {
    pub fn parse(raw: &str) -> Result<Email, EmailError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > MAX_EMAIL_LEN {
            return Err(EmailError::TooLong);
        }
        if breaks_a_header(trimmed) {
            return Err(EmailError::ForbiddenCharacter);
        }
        if trimmed.chars().any(is_default_ignorable) {
            return Err(EmailError::InvisibleCharacter);
        }
        let composed: String = trimmed.nfc().collect::<String>().to_lowercase();
        // Composition can bring in what the check above kept out (U+037E, the Greek question mark, is `;`).
        if breaks_a_header(&composed) {
            return Err(EmailError::ForbiddenCharacter);
        }
        let (local, domain) = composed.rsplit_once('@').ok_or(EmailError::Shape)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.contains('@') || local.len() > 64 || !domain_ok {
            return Err(EmailError::Shape);
        }
        let ascii_domain = idna::domain_to_ascii(domain).map_err(|_| EmailError::Shape)?;
        // IDNA's mapping can bring in what the check above kept out (U+037A maps to a space and a combining mark, which
        // punycode then carries): the domain as it will be used is letters, digits, hyphens and dots, or nothing.
        if !ascii_domain.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') {
            return Err(EmailError::Shape);
        }
        let key = format!("{local}@{ascii_domain}");
        if key.len() > MAX_EMAIL_LEN {
            return Err(EmailError::TooLong);
        }
        let earlier = Some(trimmed.to_lowercase()).filter(|earlier| *earlier != key);
        Ok(Email { key, earlier })
    }

    /// The key form: what accounts are named and mail is sent by.
    pub fn as_str(&self) -> &str {
        &self.key
    }

    /// The address as it was keyed before this normalisation, when it differs.
    pub fn earlier_form(&self) -> Option<&str> {
        self.earlier.as_deref()
    }
}

/// Which of an address's two account ids holds its account: the current one, unless only the one under the earlier
/// form does (an account made before addresses were normalised further); a new account goes under the current one.
pub fn holding(current: String, earlier: String, current_exists: bool, earlier_exists: bool) -> String {
    if earlier_exists && !current_exists {
        earlier
    } else {
        current
    }
}

/// An address in its key form as people read it: the domain back in Unicode (`ana@bücher.de`).
pub fn display(key: &str) -> String {
    match key.rsplit_once('@') {
        Some((local, domain)) if domain.split('.').any(|label| label.starts_with("xn--")) => {
            let (unicode, result) = idna::domain_to_unicode(domain);
            if result.is_ok() {
                format!("{local}@{unicode}")
            } else {
                key.to_owned()
            }
        }
        _ => key.to_owned(),
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
    fn a_domain_whose_idna_mapping_brings_a_space_is_refused() {
        // Found by the `request` fuzz target: U+037A (Greek ypogegrammeni) maps to a space and U+0345.
        assert_eq!(Email::parse("ana@b\u{37a}x.org"), Err(EmailError::Shape));
        assert_eq!(Email::parse("6j46.6@ehh\u{37a}jhh.h45.a.00"), Err(EmailError::Shape));
        // And composition: U+037E is `;` once composed.
        assert_eq!(Email::parse("ana\u{37e}x@school.org"), Err(EmailError::ForbiddenCharacter));
    }

    #[test]
    fn normalises_case_and_space() {
        assert_eq!(Email::parse("  Ana.Pérez@School.ORG ").unwrap().as_str(), "ana.pérez@school.org");
        assert_eq!(Email::parse("ana@school.org").unwrap().earlier_form(), None, "keyed as before");
    }

    #[test]
    fn canonically_equal_addresses_are_one_and_the_domain_is_kept_in_ascii() {
        let composed = Email::parse("ana.p\u{e9}rez@school.org").unwrap();
        let decomposed = Email::parse("ana.pe\u{301}rez@school.org").unwrap();
        assert_eq!(composed.as_str(), decomposed.as_str());
        assert_eq!(decomposed.earlier_form(), Some("ana.pe\u{301}rez@school.org"), "where it was keyed before");
        let unicode = Email::parse("Ana@Bücher.de").unwrap();
        assert_eq!(unicode.as_str(), "ana@xn--bcher-kva.de");
        assert_eq!(Email::parse("ana@xn--bcher-kva.de").unwrap(), Email { key: unicode.key.clone(), earlier: None });
        assert_eq!(unicode.earlier_form(), Some("ana@bücher.de"));
        assert_eq!(display(unicode.as_str()), "ana@bücher.de", "shown as typed");
        assert_eq!(display("ana@school.org"), "ana@school.org");
    }

    #[test]
    fn an_account_made_under_the_earlier_form_is_found_there_and_nothing_new_goes_there() {
        let pick = |now, before| holding("parent:new".into(), "parent:old".into(), now, before);
        assert_eq!(pick(false, true), "parent:old", "made before: still found");
        assert_eq!(pick(false, false), "parent:new", "a new account goes under the current form");
        assert_eq!(pick(true, false), "parent:new");
        assert_eq!(pick(true, true), "parent:new", "the current form wins");
    }

    #[test]
    fn invisible_characters_are_refused() {
        for raw in
            ["ana\u{200B}@school.org", "ana@scho\u{2060}ol.org", "an\u{AD}a@school.org", "ana\u{FE0F}@school.org"]
        {
            assert_eq!(Email::parse(raw), Err(EmailError::InvisibleCharacter), "{raw:?}");
        }
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
