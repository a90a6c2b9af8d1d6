//! A new account from the admin API (one, or a line of an import), checked before it goes to its Durable Object: the
//! login and contact emails, the name, and which password it starts with. A password chosen now is judged by the
//! account itself when it is made ([`Create`]), as every other new password is: the same policy, with the same words
//! of the account's own (its addresses and name) that a password must not lean on.

use crate::account::commands::admin::{Create, FirstPassword};
use crate::account::state::Profile;
use crate::email::{Email, EmailError};
use crate::password::{self, ImportError};
use latchkey_shared::api::{AccountStatus, NewAccount, NewInvitation};
use latchkey_shared::ErrorCode;

/// The longest display name.
pub const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NewAccountError {
    #[error("{field}: {error}")]
    Email { field: &'static str, error: EmailError },
    #[error("display_name: 1 to {MAX_NAME_CHARS} characters, no control characters")]
    Name,
    #[error("give password or password_hash, not both")]
    BothPasswords,
    #[error("password_hash: {0}")]
    Imported(ImportError),
}

impl NewAccountError {
    pub fn code(&self) -> ErrorCode {
        match self {
            NewAccountError::Email { .. } => ErrorCode::InvalidEmail,
            _ => ErrorCode::InvalidRequest,
        }
    }
}

/// The account's login email (its Durable Object's name) and the command that makes it.
pub fn check(new: NewAccount) -> Result<(Email, Create), NewAccountError> {
    let email =
        |field: &'static str, raw: &str| Email::parse(raw).map_err(|error| NewAccountError::Email { field, error });
    let login = email("login_email", &new.login_email)?;
    let contact = match new.contact_email.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(contact) => Some(email("contact_email", contact)?),
        None => None,
    };
    let name = new.display_name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(NewAccountError::Name);
    }
    let password = match (new.password, new.password_hash) {
        (Some(_), Some(_)) => return Err(NewAccountError::BothPasswords),
        (None, None) => None,
        (Some(chosen), None) => Some(FirstPassword::Chosen(chosen)),
        (None, Some(phc)) => {
            password::check_import(phc.expose_str()).map_err(NewAccountError::Imported)?;
            Some(FirstPassword::Imported(phc))
        }
    };
    let profile = Profile {
        login_email: login.as_str().to_owned(),
        contact_email: contact.map(|c| c.as_str().to_owned()),
        audience: new.audience,
        display_name: name.to_owned(),
        locale: new.locale.unwrap_or_default(),
        status: AccountStatus::Active,
    };
    Ok((login, Create { profile, password }))
}

/// An invitation's person, checked as a new account with no password is (the single invitation's and a batch line's).
pub fn invited(invitation: NewInvitation) -> Result<(Email, Create), NewAccountError> {
    let NewInvitation { login_email, audience, display_name, contact_email, locale } = invitation;
    check(NewAccount {
        login_email,
        contact_email,
        audience,
        display_name,
        locale,
        password: None,
        password_hash: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use latchkey_shared::{Audience, Secret};

    fn ana() -> NewAccount {
        NewAccount {
            login_email: " Ana@School.org ".into(),
            contact_email: Some("ana.garcia@home.example".into()),
            audience: Audience::Parent,
            display_name: " Ana García ".into(),
            locale: None,
            password: None,
            password_hash: None,
        }
    }

    #[test]
    fn a_good_account_becomes_its_command() {
        let (login, create) = check(ana()).unwrap();
        assert_eq!(login.as_str(), "ana@school.org");
        assert_eq!(create.profile.display_name, "Ana García");
        assert_eq!(create.profile.contact_email.as_deref(), Some("ana.garcia@home.example"));
        assert!(create.password.is_none(), "invited: no password yet");
        let blank_contact = check(NewAccount { contact_email: Some("  ".into()), ..ana() }).unwrap().1;
        assert_eq!(blank_contact.profile.contact_email, None);
    }

    #[test]
    fn each_bad_field_is_named() {
        let bad = |new: NewAccount| check(new).unwrap_err();
        let login = bad(NewAccount { login_email: "nobody".into(), ..ana() });
        assert_eq!((login.code(), login.to_string().starts_with("login_email: ")), (ErrorCode::InvalidEmail, true));
        let contact = bad(NewAccount { contact_email: Some("a@b".into()), ..ana() });
        assert!(contact.to_string().starts_with("contact_email: "), "{contact}");
        for name in ["", "   ", "Ana\u{7}", &"a".repeat(MAX_NAME_CHARS + 1)] {
            assert_eq!(bad(NewAccount { display_name: name.into(), ..ana() }), NewAccountError::Name, "{name:?}");
        }
        let both = NewAccount {
            password: Some(Secret::new("x".into())),
            password_hash: Some(Secret::new("y".into())),
            ..ana()
        };
        assert_eq!(bad(both), NewAccountError::BothPasswords);
        let weak = bad(NewAccount { password_hash: Some(Secret::new("$2b$04$abc".into())), ..ana() });
        assert!(matches!(weak, NewAccountError::Imported(_)) && weak.code() == ErrorCode::InvalidRequest, "{weak}");
    }
}
