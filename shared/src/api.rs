//! Request and response bodies of the HTTP API, shared by the Worker, the widget, the pages' scripts and the tests.

use crate::audience::Audience;
use crate::messages::{Locale, MessageKey};
use crate::policy::Policy;
use crate::secret::Secret;
use serde::{Deserialize, Serialize};

mod admin;
mod campaign;
mod invitation;
mod passkey;
pub use admin::*;
pub use campaign::*;
pub use invitation::*;
pub use passkey::*;

/// `GET /api/policy`: the active policy, exactly as configured and validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyResponse {
    pub policy: Policy,
    /// Cloudflare Turnstile's site key when reset requests must carry a Turnstile token (the restore page shows the
    /// check then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnstile_site_key: Option<String>,
}

/// `POST /api/reset-requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
    /// Only the account of this type; none (what the restore page sends): every account that logs in with `email`,
    /// each with its own link, in one mail.
    #[serde(default)]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub locale: Option<Locale>,
    /// Required when the Worker has Turnstile configured: the token the Turnstile widget gave the page.
    #[serde(default)]
    pub turnstile_token: Option<String>,
}

/// The answer to every reset request, whether or not the account exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetRequestAccepted {
    pub status: AcceptedStatus,
    /// What to tell the person: check the inbox and the spam folder; only the newest link works.
    pub message_key: MessageKey,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceptedStatus {
    Accepted,
}

/// `POST /api/resets/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    pub token: Secret<String>,
}

/// Whether a reset link still works.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenStatus {
    Ok,
    Expired,
    Superseded,
    Used,
    Invalid,
    /// Withdrawn by staff (an invitation).
    Revoked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyResponse {
    pub status: TokenStatus,
    /// For a good link: whose rules apply, so the page's widget shows the right checklist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<Audience>,
    /// For a good link: the login email of the account whose password changes, so the page says whose it is and a
    /// password manager saves the new one for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_email: Option<String>,
    /// For a good link: the account uses 2-Step Verification, so the new password needs a code too (and the policy's
    /// two-step minimum length applies). Only a holder of a working link learns it.
    #[serde(default)]
    pub two_step: bool,
}

/// The answer to a successful reset. Nobody is logged in: the person logs in with the new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetDone {
    pub status: ResetStatus,
    /// How many sessions were logged out.
    pub revoked_sessions: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResetStatus {
    PasswordChanged,
}

/// `POST /api/resets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirm {
    pub token: Secret<String>,
    pub password: Secret<String>,
    pub confirm: Secret<String>,
    /// A current authenticator code or an unused recovery code, when the account uses 2-Step Verification.
    #[serde(default)]
    pub code: Option<Secret<String>>,
    /// A passkey's answer to a `second_step` challenge (`POST /api/passkeys/challenge`), instead of a code.
    #[serde(default)]
    pub passkey: Option<PasskeyProof>,
}

/// `POST /api/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub audience: Audience,
    pub password: Secret<String>,
    /// A current authenticator code or an unused recovery code, when the account uses 2-Step Verification (a login
    /// without one is answered `two_step_required` once the password is right).
    #[serde(default)]
    pub code: Option<Secret<String>>,
    /// A passkey's answer to a `second_step` challenge (`POST /api/passkeys/challenge`), instead of a code.
    #[serde(default)]
    pub passkey: Option<PasskeyProof>,
}

/// `POST /api/session/reauthenticate`: the password typed again before a sensitive change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReauthenticateRequest {
    pub password: Secret<String>,
    /// A code from the authenticator app or a recovery code: with it, the session counts as recently authenticated
    /// with both factors, which the console's changes ask of staff.
    #[serde(default)]
    pub code: Option<Secret<String>>,
    /// A passkey's answer to a `second_step` challenge (`POST /api/passkeys/challenge`), instead of a code.
    #[serde(default)]
    pub passkey: Option<PasskeyProof>,
}

/// `POST /api/password`: the logged-in person's new password, typed twice, with the current one (and a code from the
/// authenticator app or a recovery code, when the account uses 2-Step Verification). Answered with a [`ResetDone`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: Secret<String>,
    pub password: Secret<String>,
    pub confirm: Secret<String>,
    #[serde(default)]
    pub code: Option<Secret<String>>,
    /// A passkey's answer to a `second_step` challenge (`POST /api/passkeys/challenge`), instead of a code.
    #[serde(default)]
    pub passkey: Option<PasskeyProof>,
}

/// `GET /api/session` and the answer to a login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub email: String,
    pub audience: Audience,
    pub display_name: String,
    pub two_step: TwoStepStatus,
    /// A change of password this account owes, found at the login: before its deadline the person is told and may
    /// go on; once `due`, the session is good only for changing the password (`/password`), and everything else
    /// answers `password_change_required`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_change: Option<PasswordChange>,
    /// The console roles a staff account holds (the login page links to the console for them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
}

/// Why a password must change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordChangeReason {
    /// It no longer meets the requirements (they became stricter, or 2-Step Verification, which allowed a shorter
    /// one, went off).
    Policy,
    /// It appeared in a data breach (the breach check, at the login).
    Breached,
    /// The school asked: for this account, its account type, or everyone.
    Required,
}

/// A change of password an account owes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChange {
    pub reason: PasswordChangeReason,
    /// Unix seconds; none: at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<u64>,
    /// The deadline has passed (or there is none): nothing but the change until it is made.
    pub due: bool,
}

/// A change the admin asked for: every password set before `since` must change, by `deadline` (none: at the next
/// login).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequiredChange {
    pub since: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<u64>,
}

impl RequiredChange {
    /// What a password last set at `changed_at` (none: never here, e.g. imported) owes at `now`, if anything. Times
    /// are in seconds: a password set in the second the requirement was made (an account made just before) owes it.
    pub fn owed(&self, changed_at: Option<u64>, now: u64) -> Option<PasswordChange> {
        self.reaches(changed_at).then_some(PasswordChange {
            reason: PasswordChangeReason::Required,
            deadline: self.deadline,
            due: self.deadline.is_none_or(|deadline| now >= deadline),
        })
    }

    /// Whether a password last set at `changed_at` is one this requirement asks to change.
    pub fn reaches(&self, changed_at: Option<u64>) -> bool {
        changed_at.is_none_or(|at| at <= self.since)
    }
}

/// `POST /api/admin/accounts/require-password-change` (one account) and `PUT /api/admin/password-change-requirement`
/// (an account type, or everyone): every password set before now must change by `deadline` (unix seconds; none: at
/// the next login); with `announce`, each person is mailed about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirePasswordChange {
    /// For one account: its login email and audience. For a campaign: the audience, or none for everyone.
    #[serde(default)]
    pub login_email: Option<String>,
    #[serde(default)]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub deadline: Option<u64>,
    #[serde(default)]
    pub announce: bool,
}

/// The required changes in force for each account type (KV), as the login reads them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChangeRequirement {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<RequiredChange>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<RequiredChange>,
}

impl PasswordChangeRequirement {
    pub fn for_audience(&self, audience: Audience) -> Option<RequiredChange> {
        match audience {
            Audience::Staff => self.staff,
            Audience::Parent => self.parent,
        }
    }

    pub fn set(&mut self, audience: Audience, change: Option<RequiredChange>) {
        match audience {
            Audience::Staff => self.staff = change,
            Audience::Parent => self.parent = change,
        }
    }
}

/// `GET`, `PUT` and `DELETE /api/admin/password-change-requirement`: what is required, and how far each account type
/// has come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordChangeProgress {
    pub requirement: PasswordChangeRequirement,
    pub staff: AudienceProgress,
    pub parent: AudienceProgress,
    /// With `announce`: the campaign that mails everyone still to change (`GET /api/admin/campaigns` follows it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<CampaignView>,
}

/// Of the active accounts of one type with a password: how many, and how many still have to change it (for their
/// type's requirement, their own, or because the login found it weak or breached).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudienceProgress {
    pub accounts: u32,
    pub pending: u32,
}

/// Where an account stands with 2-Step Verification (`GET /api/two-step`, and in every [`SessionInfo`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepStatus {
    pub enabled: bool,
    /// Unused recovery codes (0 when 2-Step Verification is off).
    pub recovery_codes_left: u32,
    /// Whether an authenticator app is one of its second factors.
    #[serde(default)]
    pub authenticator_app: bool,
    /// How many passkeys it has (each one a second factor, and a way to log in without the password).
    #[serde(default)]
    pub passkeys: u32,
    /// The site requires 2-Step Verification for this account's audience and it is not on yet: turn it on by then
    /// (unix seconds; the grace period started at the first login after the requirement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enroll_by: Option<u64>,
    /// The grace period is over: the session is good only for turning 2-Step Verification on, and
    /// `GET /api/session` answers `two_step_setup_required` until it is.
    pub setup_required: bool,
}

/// `POST /api/two-step/setup`: a new secret, not yet in use until a first code confirms it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoStepSetup {
    /// The secret in base32, for typing into an authenticator app by hand.
    pub secret: Secret<String>,
    /// The `otpauth://totp/…` URI the QR code carries (it holds the secret).
    pub otpauth_uri: Secret<String>,
    /// The QR code as an SVG document (it draws the secret).
    pub qr_svg: Secret<String>,
    /// Unix seconds after which the setup must be started again.
    pub expires_at: u64,
}

/// `POST /api/two-step/confirm`: the first code from the authenticator app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    pub code: Secret<String>,
}

/// `POST /api/two-step/recovery-codes` and `/disable`: a second factor — a code from the authenticator app, a
/// recovery code, or a passkey's answer to a `second_step` challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecondFactorRequest {
    #[serde(default)]
    pub code: Option<Secret<String>>,
    #[serde(default)]
    pub passkey: Option<PasskeyProof>,
}

/// Recovery codes, shown this once: only their hashes are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<Secret<String>>,
}

/// `GET /api/messages`: every text of the catalogue in one language, for the pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Messages {
    pub locale: Locale,
    pub messages: std::collections::BTreeMap<String, String>,
    /// The school the pages speak for, when configured: shown at the top of every page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school: Option<School>,
}

/// The school's name and, optionally, its logo (a path on this site).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct School {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<String>,
}

/// `GET /api/requirements`: the active policy's requirements for each account type, as texts in one language — the
/// handout a school prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirements {
    pub locale: Locale,
    pub audiences: Vec<AudienceRequirements>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AudienceRequirements {
    pub audience: Audience,
    /// Each rule a new password must meet, in the checklist's words and order.
    pub rules: Vec<String>,
    /// The shorter minimum length for an account with 2-Step Verification, when the policy has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length_two_step: Option<u32>,
    /// How many earlier passwords may not be used again.
    pub history_depth: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_refuse_unknown_fields_and_bad_audiences() {
        let ok: ResetRequest = serde_json::from_str(r#"{"email":"a@b.org","audience":"parent"}"#).unwrap();
        assert_eq!(ok.audience, Some(Audience::Parent));
        assert_eq!(ok.locale, None);
        assert!(serde_json::from_str::<ResetRequest>(r#"{"email":"a@b.org","audience":"pupil"}"#).is_err());
        assert!(serde_json::from_str::<ResetRequest>(r#"{"email":"a@b.org","audience":"staff","x":1}"#).is_err());
        assert!(serde_json::from_str::<ResetConfirm>(r#"{"token":"t","password":"p"}"#).is_err());
    }

    /// Every request and answer that carries a password, a token or a code, filled in, prints none of them.
    #[test]
    fn debug_never_prints_a_secret() {
        const SECRET: &str = "Sekrit-Value-0123456789";
        let s = || Secret::from(SECRET);
        let printed = [
            format!("{:?}", VerifyRequest { token: s() }),
            format!("{:?}", ResetConfirm { token: s(), password: s(), confirm: s(), code: Some(s()), passkey: None }),
            format!(
                "{:?}",
                LoginRequest {
                    email: "a@b.org".into(),
                    audience: Audience::Staff,
                    password: s(),
                    code: Some(s()),
                    passkey: None
                }
            ),
            format!("{:?}", CodeRequest { code: s() }),
            format!("{:?}", SecondFactorRequest { code: Some(s()), passkey: None }),
            format!("{:?}", TwoStepSetup { secret: s(), otpauth_uri: s(), qr_svg: s(), expires_at: 1 }),
            format!("{:?}", RecoveryCodes { recovery_codes: vec![s(), s()] }),
            format!(
                "{:?}",
                NewAccount {
                    login_email: "a@b.org".into(),
                    contact_email: None,
                    audience: Audience::Parent,
                    display_name: "A".into(),
                    locale: None,
                    password: Some(s()),
                    password_hash: Some(s()),
                }
            ),
        ];
        for line in printed {
            assert!(!line.contains(SECRET), "{line}");
            assert!(line.contains("Secret(…)"), "{line}");
        }
    }

    #[test]
    fn policy_response_round_trips() {
        let response = PolicyResponse { policy: Policy::brief_default(), turnstile_site_key: None };
        let json = serde_json::to_string(&response).unwrap();
        assert_eq!(serde_json::from_str::<PolicyResponse>(&json).unwrap(), response);
    }
}
