//! What the account registry keeps of each account (Workers KV, `registry:{account id}`, in the key's metadata):
//! enough to count who still has to change their password and to mail them, without waking every Durable Object.
//! The account's Durable Object writes its entry whenever it changes (and once after it starts, so accounts made
//! before the registry appear at their next use; a write that failed is made again at the next command). KV is eventually consistent: the counts are a report, never a
//! decision — the login decides from the account itself.

use super::state::AccountState;
use latchkey_shared::api::{AccountStatus, AudienceProgress, PasswordChangeRequirement};
use latchkey_shared::{Audience, Locale};
use serde::{Deserialize, Serialize};

/// A name as people search for it: compatibility-decomposed, accents dropped, lower case, spaces collapsed — so
/// "maria jose" finds "María José" and "MARÍA".
pub fn fold_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = name
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The entries whose display name holds every word of `query` (folded), at most `limit`, sorted by name.
pub fn named<'a>(entries: &'a [Entry], query: &str, limit: usize) -> Vec<&'a Entry> {
    let words: Vec<String> = fold_name(query).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<&Entry> = entries
        .iter()
        .filter(|entry| {
            let name = fold_name(&entry.display_name);
            words.iter().all(|word| name.contains(word.as_str()))
        })
        .collect();
    found.sort_by(|a, b| a.display_name.cmp(&b.display_name).then(a.login_email.cmp(&b.login_email)));
    found.truncate(limit);
    found
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub login_email: String,
    pub audience: Audience,
    pub display_name: String,
    pub locale: Locale,
    pub active: bool,
    pub has_password: bool,
    /// When the password was last set here (none: never, e.g. an imported hash).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<u64>,
    /// It owes a change whatever its account type's requirement says: the admin asked this account, or its last login
    /// found the password weak or breached.
    pub owes: bool,
}

impl Entry {
    /// Whether this account still has to change its password, under its own requirement or `requirement`.
    pub fn pending(&self, requirement: &PasswordChangeRequirement) -> bool {
        let for_type = requirement.for_audience(self.audience).is_some_and(|r| r.reaches(self.changed_at));
        self.counted() && (self.owes || for_type)
    }

    /// Counted at all: active, with a password (an invited account sets its first one from the invitation).
    fn counted(&self) -> bool {
        self.active && self.has_password
    }
}

impl AccountState {
    pub fn registry_entry(&self) -> Entry {
        let credential = &self.credential;
        Entry {
            login_email: self.profile.login_email.clone(),
            audience: self.profile.audience,
            display_name: self.profile.display_name.clone(),
            locale: self.profile.locale,
            active: self.profile.status == AccountStatus::Active,
            has_password: credential.hash.is_some(),
            changed_at: credential.changed_at,
            owes: credential.required.is_some() || credential.flagged.is_some() || credential.must_change,
        }
    }
}

/// How many accounts of `audience` count, and how many of them still have to change.
pub fn progress<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    audience: Audience,
    requirement: &PasswordChangeRequirement,
) -> AudienceProgress {
    entries.into_iter().filter(|e| e.audience == audience && e.counted()).fold(AudienceProgress::default(), |p, e| {
        AudienceProgress { accounts: p.accounts + 1, pending: p.pending + u32::from(e.pending(requirement)) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use latchkey_shared::api::RequiredChange;

    fn entry(audience: Audience, changed_at: Option<u64>) -> Entry {
        Entry {
            login_email: "ana@school.org".into(),
            audience,
            display_name: "Ana".into(),
            locale: Locale::En,
            active: true,
            has_password: true,
            changed_at,
            owes: false,
        }
    }

    #[test]
    fn a_name_is_found_by_its_words_whatever_the_accents_and_case() {
        let named_as = |name: &str, email: &str| Entry {
            display_name: name.into(),
            login_email: email.into(),
            ..entry(Audience::Parent, None)
        };
        let entries = [
            named_as("María José Pérez", "mj@school.org"),
            named_as("Ana Pérez", "ana@school.org"),
            named_as("Jose Ramírez", "jr@school.org"),
        ];
        let found = |query| named(&entries, query, 10).iter().map(|e| e.login_email.as_str()).collect::<Vec<_>>();
        assert_eq!(found("maria  JOSE"), ["mj@school.org"]);
        assert_eq!(found("perez"), ["ana@school.org", "mj@school.org"]);
        assert_eq!(found("jos"), ["jr@school.org", "mj@school.org"]);
        assert_eq!(found("ＡＮＡ"), ["ana@school.org"], "full-width letters fold too");
        assert!(found("   ").is_empty() && found("zoe").is_empty());
        assert_eq!(named(&entries, "e", 2).len(), 2, "bounded");
    }

    #[test]
    fn a_requirement_is_met_by_a_password_set_since() {
        let mut requirement = PasswordChangeRequirement::default();
        requirement.set(Audience::Staff, Some(RequiredChange { since: 100, deadline: None }));
        let entries = [
            entry(Audience::Staff, Some(99)),
            // Set in the requirement's own second (made just before it): owed, as the account reads it too.
            entry(Audience::Staff, Some(100)),
            entry(Audience::Staff, Some(101)),
            entry(Audience::Staff, None),
            Entry { active: false, ..entry(Audience::Staff, None) },
            Entry { has_password: false, ..entry(Audience::Staff, None) },
            entry(Audience::Parent, Some(1)),
            Entry { owes: true, ..entry(Audience::Parent, Some(500)) },
        ];
        assert_eq!(progress(&entries, Audience::Staff, &requirement), AudienceProgress { accounts: 4, pending: 3 });
        assert_eq!(progress(&entries, Audience::Parent, &requirement), AudienceProgress { accounts: 2, pending: 1 });
    }
}
