//! The account's logins to other apps (OpenID Connect): its stable subject, the authorization codes it has seen spent
//! (a code itself is sealed, [`super::codes`]), the refresh-token families they became, and the back-channel logouts
//! owed to apps when a session ends. Decided here, in the account's Durable Object, never in KV (which is eventually
//! consistent across locations): a code is used once, a spent refresh token is known as spent everywhere at once.

use super::codes::Code;
pub use crate::audit::GrantRefusal;
use crate::token::TokenHash;
use crate::webhook::{self, Outcome};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How long a spent code is remembered after it expired, so a replay still revokes what its first use issued.
const CODE_MEMORY_SECS: u64 = 600;
const MAX_SPENT_CODES: usize = 50;
const MAX_FAMILIES: usize = 50;
/// Spent refresh tokens remembered per family: a reuse of any of them revokes the family.
const MAX_SPENT: usize = 20;

/// The session id apps see (`sid`): derived from the session token's hash, so it names the session without being
/// anything that opens it.
pub fn sid_of(session: &TokenHash) -> String {
    URL_SAFE_NO_PAD.encode(&Sha256::digest(format!("sid:{}", session.0).as_bytes())[..16])
}

/// PKCE (RFC 7636 §4.6): whether `verifier` is the one `challenge` was made from with S256.
pub fn pkce_matches(verifier: &str, challenge: &str) -> bool {
    let well_formed = (43..=128).contains(&verifier.len())
        && verifier.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    well_formed && URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
}

/// A code spent: remembered until its life is well over, so a second use is known as one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpentCode {
    pub hash: TokenHash,
    /// The family its use began: revoked if the code comes again.
    pub family: String,
    pub forget_at: u64,
}

/// What one code exchange began: every refresh token it leads to, and the access tokens they bring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Family {
    pub id: String,
    pub client_id: String,
    pub session: TokenHash,
    pub scope: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    /// The language the app asked for at the login (its tokens' `locale`; none: the account's own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<latchkey_shared::Locale>,
    /// The refresh token that works now.
    pub current: TokenHash,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spent: Vec<TokenHash>,
}

/// A logout token owed to an app for a session that ended (sent from the alarm, retried like a webhook).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackChannelLogout {
    /// Unique per delivery; each try's `jti` is made from it.
    pub id: String,
    pub client_id: String,
    pub sid: String,
    pub attempts: u32,
    pub due_at: u64,
}

impl BackChannelLogout {
    /// Records a try that got `status` (`None`: no answer) and says what comes next, on the webhook's schedule.
    pub fn record_try(&mut self, status: Option<u16>, now: u64, base_secs: u32) -> Outcome {
        webhook::next_try(&mut self.attempts, &mut self.due_at, status, now, base_secs)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Apps {
    /// The account's `sub`: random, made at its first login to an app, never the email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spent_codes: Vec<SpentCode>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub families: Vec<Family>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub logouts: Vec<BackChannelLogout>,
    /// The apps the person said "Continue" to on latchkey's page, and until when that is remembered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consents: Vec<Consent>,
}

/// A "Continue" to an app, remembered until `until`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub client_id: String,
    pub until: u64,
}

/// The most apps an account remembers a "Continue" for; the oldest goes first.
const MAX_CONSENTS: usize = 20;

/// What a code exchange is checked against.
pub struct Exchange<'a> {
    /// The presented code's hash, and what it was issued for (opened by the shell).
    pub code: TokenHash,
    pub issued: &'a Code,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub verifier: &'a str,
    /// The new family's id and first refresh token's hash, made by the shell.
    pub family_id: String,
    pub refresh: TokenHash,
}

impl Apps {
    /// Exchanges a code for a new family (its first refresh token `exchange.refresh`). A code is used once: whatever
    /// the outcome, it never works again, and a second use revokes the family the first one began.
    pub fn exchange(&mut self, exchange: Exchange<'_>, now: u64) -> Result<Family, GrantRefusal> {
        self.spent_codes.retain(|c| c.forget_at > now);
        if let Some(spent) = self.spent_codes.iter().find(|c| c.hash == exchange.code) {
            let family = spent.family.clone();
            self.families.retain(|f| f.id != family);
            return Err(GrantRefusal::Replayed);
        }
        // Spent now, even if refused below: one try per code.
        if self.spent_codes.len() >= MAX_SPENT_CODES {
            self.spent_codes.remove(0);
        }
        let code = exchange.issued;
        let forget_at = code.expires_at + CODE_MEMORY_SECS;
        self.spent_codes.push(SpentCode { hash: exchange.code, family: exchange.family_id.clone(), forget_at });
        if code.expires_at <= now {
            return Err(GrantRefusal::Expired);
        }
        if code.client_id != exchange.client_id {
            return Err(GrantRefusal::WrongClient);
        }
        if code.redirect_uri != exchange.redirect_uri {
            return Err(GrantRefusal::WrongRedirectUri);
        }
        if !pkce_matches(exchange.verifier, &code.challenge) {
            return Err(GrantRefusal::WrongVerifier);
        }
        if self.families.len() >= MAX_FAMILIES {
            self.families.remove(0);
        }
        let family = Family {
            id: exchange.family_id,
            client_id: code.client_id.clone(),
            session: code.session.clone(),
            scope: code.scope.clone(),
            nonce: code.nonce.clone(),
            locale: code.locale,
            current: exchange.refresh,
            spent: Vec::new(),
        };
        self.families.push(family.clone());
        Ok(family)
    }

    /// Rotates a refresh token: `presented` is spent and `next` works instead. A spent one presented again means it
    /// was copied: the whole family is revoked (RFC 9700 §4.14.2).
    pub fn refresh(&mut self, presented: &TokenHash, client_id: &str, next: TokenHash) -> Result<Family, GrantRefusal> {
        if let Some(at) = self.families.iter().position(|f| f.spent.contains(presented)) {
            self.families.remove(at);
            return Err(GrantRefusal::Replayed);
        }
        let family = self.families.iter_mut().find(|f| &f.current == presented).ok_or(GrantRefusal::Unknown)?;
        if family.client_id != client_id {
            return Err(GrantRefusal::WrongClient);
        }
        let spent = std::mem::replace(&mut family.current, next);
        family.spent.push(spent);
        if family.spent.len() > MAX_SPENT {
            family.spent.remove(0);
        }
        Ok(family.clone())
    }

    /// The family a refresh token belongs to, if it works now.
    pub fn family_of(&self, refresh: &TokenHash) -> Option<&Family> {
        self.families.iter().find(|f| &f.current == refresh)
    }

    pub fn family(&self, id: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.id == id)
    }

    /// Revokes a family (RFC 7009: a refresh token, or an access token it issued), if it is `client_id`'s.
    pub fn revoke(&mut self, id: &str, client_id: &str) -> bool {
        let before = self.families.len();
        self.families.retain(|f| !(f.id == id && f.client_id == client_id));
        before != self.families.len()
    }

    /// Ends what apps got in these sessions (ended, or outlived by a new password): their families go (a code issued
    /// in one finds its session gone when it is exchanged),
    /// and every app that got tokens in one is owed a logout token (one per app and session).
    pub fn end_grants(&mut self, sessions: &[TokenHash], now: u64) {
        let ended = sessions;
        for session in ended {
            let sid = sid_of(session);
            let mut clients: Vec<String> =
                self.families.iter().filter(|f| &f.session == session).map(|f| f.client_id.clone()).collect();
            clients.sort();
            clients.dedup();
            for client_id in clients {
                let id = format!("{sid}.{client_id}");
                if !self.logouts.iter().any(|l| l.id == id) {
                    self.logouts.push(BackChannelLogout { id, client_id, sid: sid.clone(), attempts: 0, due_at: now });
                }
            }
        }
        self.families.retain(|f| !ended.contains(&f.session));
    }

    /// Families whose session has gone (expired unused): they end with it.
    pub fn forget_without(&mut self, live: impl Fn(&TokenHash) -> bool) {
        self.families.retain(|f| live(&f.session));
    }

    pub fn logouts_due(&self, now: u64) -> Vec<BackChannelLogout> {
        self.logouts.iter().filter(|l| l.due_at <= now).cloned().collect()
    }

    pub fn wake_in(&self, now: u64) -> Option<u64> {
        self.logouts.iter().map(|l| l.due_at.saturating_sub(now).max(1)).min()
    }

    /// Whether the person said "Continue" to this app, lately enough that it is still remembered.
    pub fn consented(&self, client_id: &str, now: u64) -> bool {
        self.consents.iter().any(|c| c.client_id == client_id && c.until > now)
    }

    /// Remembers a "Continue" to this app until `until` (nothing when that is not in the future); whether anything
    /// changed.
    pub fn remember_consent(&mut self, client_id: &str, until: u64, now: u64) -> bool {
        let before = self.consents.len();
        self.consents.retain(|c| c.until > now && c.client_id != client_id);
        if until <= now {
            return before != self.consents.len();
        }
        if self.consents.len() >= MAX_CONSENTS {
            self.consents.remove(0);
        }
        self.consents.push(Consent { client_id: client_id.to_owned(), until });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::codes::CODE_TTL_SECS;

    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    fn h(n: u8) -> TokenHash {
        TokenHash(format!("{n:064}"))
    }

    /// A code issued at `now` in session 9 (its hash: 1).
    fn issued(now: u64) -> Code {
        Code {
            session: h(9),
            client_id: "app".into(),
            redirect_uri: "https://app/cb".into(),
            challenge: CHALLENGE.into(),
            nonce: Some("n".into()),
            scope: vec!["openid".into()],
            expires_at: now + CODE_TTL_SECS,
            locale: None,
        }
    }

    fn exchange<'a>(
        code: &'a Code,
        client_id: &'a str,
        redirect_uri: &'a str,
        verifier: &'a str,
        n: u8,
    ) -> Exchange<'a> {
        let (family_id, refresh) = (format!("f{n}"), h(100 + n));
        Exchange { code: h(1), issued: code, client_id, redirect_uri, verifier, family_id, refresh }
    }

    #[test]
    fn pkce_is_rfc_7636s_s256() {
        assert!(pkce_matches(VERIFIER, CHALLENGE), "RFC 7636 appendix B");
        assert!(!pkce_matches(&VERIFIER[1..], CHALLENGE));
        assert!(!pkce_matches("short", CHALLENGE));
    }

    #[test]
    fn a_code_is_used_once_and_its_replay_revokes_what_it_issued() {
        let (mut apps, code) = (Apps::default(), issued(0));
        let family = apps.exchange(exchange(&code, "app", "https://app/cb", VERIFIER, 1), 10).unwrap();
        assert_eq!((family.session.clone(), family.nonce.as_deref()), (h(9), Some("n")));
        let again = exchange(&code, "app", "https://app/cb", VERIFIER, 2);
        assert_eq!(apps.exchange(again, 11), Err(GrantRefusal::Replayed));
        assert!(apps.family("f1").is_none(), "the first use's refresh tokens are revoked");
        let late = exchange(&code, "app", "https://app/cb", VERIFIER, 3);
        assert_eq!(apps.exchange(late, 650), Err(GrantRefusal::Replayed), "remembered well past its life");
    }

    #[test]
    fn a_code_is_bound_to_its_client_redirect_uri_verifier_and_minute() {
        let code = issued(0);
        for (client, uri, verifier, at, refusal) in [
            ("other", "https://app/cb", VERIFIER, 10, GrantRefusal::WrongClient),
            ("app", "https://app/cb2", VERIFIER, 10, GrantRefusal::WrongRedirectUri),
            ("app", "https://app/cb", CHALLENGE, 10, GrantRefusal::WrongVerifier),
            ("app", "https://app/cb", VERIFIER, 60, GrantRefusal::Expired),
        ] {
            let mut apps = Apps::default();
            assert_eq!(apps.exchange(exchange(&code, client, uri, verifier, 1), at), Err(refusal));
            let right = exchange(&code, "app", "https://app/cb", VERIFIER, 2);
            assert_eq!(apps.exchange(right, 10), Err(GrantRefusal::Replayed), "one try per code");
        }
    }

    #[test]
    fn refresh_tokens_rotate_and_a_spent_one_revokes_the_family() {
        let (mut apps, code) = (Apps::default(), issued(0));
        apps.exchange(exchange(&code, "app", "https://app/cb", VERIFIER, 1), 1).unwrap();
        assert_eq!(apps.refresh(&h(101), "other", h(102)), Err(GrantRefusal::WrongClient));
        let rotated = apps.refresh(&h(101), "app", h(102)).unwrap();
        assert_eq!(rotated.current, h(102));
        assert!(apps.family_of(&h(101)).is_none() && apps.family_of(&h(102)).is_some());
        assert_eq!(apps.refresh(&h(101), "app", h(103)), Err(GrantRefusal::Replayed));
        assert!(apps.family_of(&h(102)).is_none(), "the thief's and the app's tokens both end");
        assert_eq!(apps.refresh(&h(102), "app", h(104)), Err(GrantRefusal::Unknown));
    }

    #[test]
    fn an_ended_session_ends_its_families_and_owes_each_app_one_logout() {
        let (mut apps, code) = (Apps::default(), issued(0));
        apps.exchange(exchange(&code, "app", "https://app/cb", VERIFIER, 1), 1).unwrap();
        apps.end_grants(&[h(9)], 5);
        apps.end_grants(&[h(9)], 6);
        assert!(apps.families.is_empty());
        assert_eq!(apps.logouts.len(), 1);
        assert_eq!((apps.logouts[0].client_id.as_str(), apps.logouts[0].sid.clone()), ("app", sid_of(&h(9))));
        assert_eq!(apps.wake_in(5), Some(1));
        assert_eq!(apps.logouts_due(5).len(), 1);
        assert_eq!(apps.logouts_due(4).len(), 0, "not before the session ended");
    }
}
