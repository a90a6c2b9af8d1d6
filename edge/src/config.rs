//! The Worker's configuration, from `wrangler.toml` `[vars]` and secrets, validated as a whole with errors that name
//! the variable. Secrets' values never appear in an error.

use crate::host::is_loopback_host;
use crate::invitation_settings::InvitationConfig;
use crate::mail::config::MailConfig;
use crate::mail::events::Verifier;
use crate::mail::provider::ProviderKind;
use crate::oidc::keys::SigningKeys;
use crate::password::HashParams;
use crate::seal::Keys;
use crate::turnstile::{TurnstileConfig, DEFAULT_VERIFY_URL};
use crate::webhook::WebhookConfig;
use latchkey_shared::policy::{MAX_TOKEN_LIFETIME_SECS, MIN_TOKEN_LIFETIME_SECS};
use latchkey_shared::{ApiError, ErrorCode, Locale, Policy, PolicyError, Secret};
use url::Url;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Production,
    /// Local development: enables the dev mailbox and allows an http:// origin on localhost.
    Dev,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub environment: Environment,
    pub policy: Policy,
    /// Where the pages are; every link in a mail starts here (never taken from the Host header).
    pub app_origin: String,
    pub hash_params: HashParams,
    pub mail: MailConfig,
    pub session_ttl_secs: u64,
    /// How long a session lasts unused (`SESSION_IDLE_SECS`), within the absolute `SESSION_TTL_SECS`.
    pub session_idle_secs: u64,
    /// How recently the person must have typed their password in a session to change its 2-Step Verification
    /// (`RECENT_AUTH_SECS`): a login, or the password typed again, that long ago at most.
    pub recent_auth_secs: u64,
    /// How long the owner of the old address has to cancel a login email change staff asked for
    /// (`LOGIN_EMAIL_CHANGE_DELAY_SECS`, a day unless set; none for the bearer token).
    pub login_email_change_delay_secs: u64,
    /// How long a person's "Continue" to a native app (a public client answered on this device: loopback or a
    /// private-use scheme) is remembered for that app (`CONSENT_REMEMBER_SECS`; 0: asked every time).
    pub consent_remember_secs: u64,
    /// Session cookies from before they were sealed are refused from this moment (`LEGACY_SESSIONS_UNTIL`, unix
    /// seconds): they name a Durable Object of the client's choosing.
    pub legacy_sessions_until: u64,
    /// The least time a refused login takes to answer (`LOGIN_REFUSAL_FLOOR_MS`): long enough to cover the slowest
    /// path a refusal can take, so its timing says nothing about which one it took (see `handlers::session::login`).
    pub login_refusal_floor_ms: u64,
    /// The site's own backend, told of every password change (`WEBHOOK_URL`, `WEBHOOK_SECRET`).
    pub webhook: Option<WebhookConfig>,
    /// Cloudflare Turnstile on reset requests (`TURNSTILE_SECRET`, `TURNSTILE_SITE_KEY`); off when unset.
    pub turnstile: Option<TurnstileConfig>,
    /// Whether `IP_LIMITER` applies (`IP_RATE_LIMIT`, `on` unless turned `off`, which only a dev Worker may do).
    pub ip_rate_limit: bool,
    /// The breached-password range API (`BREACH_CHECK_URL`, e.g. `https://api.pwnedpasswords.com`); off when unset.
    pub breach_check_url: Option<String>,
    /// The name authenticator apps show beside the account (`TWO_STEP_ISSUER`).
    pub two_step_issuer: String,
    /// What the desk checks before turning someone's 2-Step Verification off (`IDENTITY_CHECKS`).
    pub identity_checks: crate::identity_checks::IdentityChecks,
    /// What seals values that travel or rest where others can read them (`SEALING_KEYS`: the first seals, all open).
    pub sealing_keys: Keys,
    /// What signs the tokens apps get (`OIDC_SIGNING_KEYS`); OpenID Connect is off without it.
    pub oidc_keys: Option<SigningKeys>,
    /// The school's name and logo, and its time zone (`SCHOOL_NAME`, `SCHOOL_LOGO`, `TIME_ZONE`).
    pub site: crate::site::Site,
    /// Origins besides `APP_ORIGIN` whose passkey answers count (`PASSKEY_ORIGINS`): the platform's mobile app's
    /// (`android:apk-key-hash:…`) or a page on a subdomain.
    pub passkey_origins: Vec<String>,
    pub invitations: InvitationConfig,
    admin_token: Option<Secret<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("variable `{0}` is not set")]
    Missing(&'static str),
    #[error("variable `{name}`: {problem}")]
    Invalid { name: &'static str, problem: String },
    #[error("variable `POLICY`: {0}")]
    Policy(#[from] PolicyError),
}

impl From<ConfigError> for worker::Error {
    fn from(err: ConfigError) -> Self {
        worker::Error::RustError(err.to_string())
    }
}

fn invalid(name: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { name, problem: problem.into() }
}

/// A URL the Worker serves from or calls, parsed (not matched by prefix): https, or http to a loopback host on a
/// development Worker; never a user name or password in it.
fn checked_url(name: &'static str, raw: &str, environment: Environment) -> Result<Url, ConfigError> {
    let url = Url::parse(raw.trim()).map_err(|e| invalid(name, format!("`{raw}` is not a URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(name, "must not hold a user name or password"));
    }
    let local = url.host_str().is_some_and(is_loopback_host);
    match url.scheme() {
        "https" if url.host_str().is_some() => Ok(url),
        "http" if local && environment == Environment::Dev => Ok(url),
        _ => Err(invalid(
            name,
            format!(
                "`{raw}`: expected an https:// URL (http:// only to 127.0.0.1 or localhost, on a development Worker)"
            ),
        )),
    }
}

/// The answer to a request the configuration cannot serve: the code, and the detail (which variable, and why) only
/// for a caller on this machine — a developer; everyone else's detail is in the log.
pub fn config_invalid(error: &ConfigError, locale: Locale, local_caller: bool) -> ApiError {
    let answer = ApiError::new(ErrorCode::ConfigInvalid, locale);
    if local_caller {
        answer.with_detail(error.to_string())
    } else {
        answer
    }
}

/// The values set with `wrangler secret put`, never in `[vars]`.
pub const SECRETS: &[&str] = &[
    "MAIL_API_KEY",
    "MAIL_EVENTS_SECRET",
    "ADMIN_TOKEN",
    "WEBHOOK_SECRET",
    "TURNSTILE_SECRET",
    "SEALING_KEYS",
    "OIDC_SIGNING_KEYS",
];

/// 2027-01-05T00:00:00Z: this release (2026-12-06) and the longest session life (`SESSION_TTL_SECS` at most 30 days)
/// later, so every cookie set before sealing has ended by then anyway.
pub const LEGACY_SESSIONS_UNTIL_DEFAULT: u64 = 1_799_107_200;

/// At least this long, with at least [`ADMIN_TOKEN_DISTINCT`] different characters: a random token, not a word.
pub const ADMIN_TOKEN_MIN_CHARS: usize = 32;
pub const ADMIN_TOKEN_DISTINCT: usize = 12;

fn admin_token(value: Option<String>) -> Result<Option<Secret<String>>, ConfigError> {
    let Some(token) = value.filter(|t| !t.is_empty()) else { return Ok(None) };
    let distinct = token.chars().collect::<std::collections::BTreeSet<char>>().len();
    if token.chars().count() < ADMIN_TOKEN_MIN_CHARS || distinct < ADMIN_TOKEN_DISTINCT {
        return Err(invalid(
            "ADMIN_TOKEN",
            format!(
                "must be at least {ADMIN_TOKEN_MIN_CHARS} characters with at least {ADMIN_TOKEN_DISTINCT} different \
                 ones (for example `openssl rand -base64 32`)"
            ),
        ));
    }
    Ok(Some(Secret::new(token)))
}

/// The school's name, logo and time zone, each named in its error.
fn site(var: &impl Fn(&'static str) -> Option<String>) -> Result<crate::site::Site, ConfigError> {
    use crate::site::{Site, SiteError};
    let (name, logo, zone) = (var("SCHOOL_NAME"), var("SCHOOL_LOGO"), var("TIME_ZONE"));
    Site::parse(name.as_deref(), logo.as_deref(), zone.as_deref()).map_err(|err| {
        let variable = match err {
            SiteError::Name(_) => "SCHOOL_NAME",
            SiteError::Logo(_) => "SCHOOL_LOGO",
            SiteError::TimeZone(_) => "TIME_ZONE",
        };
        invalid(variable, err.to_string())
    })
}

/// The issuer in the `otpauth://` URI: `latchkey` unless set; the label's separator `:` cannot be in it.
fn two_step_issuer(value: Option<String>) -> Result<String, ConfigError> {
    let issuer = value.map(|i| i.trim().to_owned()).filter(|i| !i.is_empty()).unwrap_or_else(|| "latchkey".into());
    if issuer.chars().count() > 64 || issuer.contains(':') || issuer.chars().any(char::is_control) {
        return Err(invalid("TWO_STEP_ISSUER", "must be at most 64 characters, without `:`"));
    }
    Ok(issuer)
}

impl Config {
    /// Builds the configuration from a lookup of variables and secrets (the Worker's `Env`, or a map in tests).
    pub fn parse(var: impl Fn(&'static str) -> Option<String>) -> Result<Config, ConfigError> {
        let required =
            |name: &'static str| var(name).filter(|v| !v.trim().is_empty()).ok_or(ConfigError::Missing(name));
        let number =
            |name: &'static str, default: u64, range: std::ops::RangeInclusive<u64>| -> Result<u64, ConfigError> {
                match var(name).filter(|v| !v.trim().is_empty()) {
                    None => Ok(default),
                    Some(raw) => {
                        let value: u64 =
                            raw.trim().parse().map_err(|_| invalid(name, format!("`{raw}` is not a whole number")))?;
                        if range.contains(&value) {
                            Ok(value)
                        } else {
                            Err(invalid(name, format!("{value} is outside {}..={}", range.start(), range.end())))
                        }
                    }
                }
            };

        let environment = match var("ENVIRONMENT").as_deref().map(str::trim) {
            None | Some("production") => Environment::Production,
            Some("dev") => Environment::Dev,
            Some(other) => return Err(invalid("ENVIRONMENT", format!("`{other}`: expected `production` or `dev`"))),
        };

        let mut policy = Policy::from_config(&required("POLICY")?)?;
        let lifetime = number(
            "TOKEN_LIFETIME_SECS",
            policy.rules.token_lifetime_secs.into(),
            u64::from(MIN_TOKEN_LIFETIME_SECS)..=u64::from(MAX_TOKEN_LIFETIME_SECS),
        )?;
        policy.rules.token_lifetime_secs = lifetime as u32;
        policy.validate()?;

        let origin = checked_url("APP_ORIGIN", &required("APP_ORIGIN")?, environment)?;
        if origin.path() != "/" || origin.query().is_some() || origin.fragment().is_some() {
            return Err(invalid("APP_ORIGIN", format!("`{origin}`: expected an origin, https://host, with no path")));
        }
        // Development mode serves the dev mailbox, which lists every reset link: only ever on this machine.
        if environment == Environment::Dev && !origin.host_str().is_some_and(is_loopback_host) {
            return Err(invalid("ENVIRONMENT", "`dev` only with APP_ORIGIN on this machine (http://127.0.0.1:PORT)"));
        }
        let app_origin = origin.origin().ascii_serialization();

        let hash_params = HashParams {
            memory_kib: number("ARGON2_MEMORY_KIB", 19_456, 19_456..=1_048_576)? as u32,
            iterations: number("ARGON2_ITERATIONS", 2, 2..=16)? as u32,
            parallelism: number("ARGON2_PARALLELISM", 1, 1..=8)? as u32,
        };

        let provider_name = required("MAIL_PROVIDER")?;
        let provider: ProviderKind = provider_name
            .trim()
            .parse()
            .map_err(|e: crate::mail::provider::UnknownProvider| invalid("MAIL_PROVIDER", e.to_string()))?;
        if provider == ProviderKind::DevMailbox && environment != Environment::Dev {
            return Err(invalid("MAIL_PROVIDER", "`dev-mailbox` only works with ENVIRONMENT = \"dev\""));
        }
        let api_key = Secret::new(var("MAIL_API_KEY").unwrap_or_default());
        if provider.needs_api_key() && api_key.expose_str().trim().is_empty() {
            return Err(ConfigError::Missing("MAIL_API_KEY"));
        }
        let base_url = var("MAIL_API_BASE")
            .filter(|v| !v.trim().is_empty())
            .unwrap_or_else(|| provider.default_base_url().to_owned());
        if provider.needs_api_key() {
            checked_url("MAIL_API_BASE", &base_url, environment)?;
        }
        let from = required("MAIL_FROM")?;
        if from.contains(['\r', '\n']) {
            return Err(invalid("MAIL_FROM", "must be one line"));
        }
        let mail = MailConfig {
            provider,
            base_url,
            api_key,
            from,
            retry_base_secs: number("MAIL_RETRY_BASE_SECS", 30, 1..=3600)? as u32,
            requests_per_sec: number(
                "MAIL_REQUESTS_PER_SEC",
                u64::from(crate::mail::batch::default_requests_per_sec(provider)),
                1..=1000,
            )? as u32,
            batch: match crate::mail::batch::max_batch(provider) {
                Some(max) => number("MAIL_BATCH_SIZE", u64::from(max.min(100)), 1..=u64::from(max))? as u32,
                None => 1,
            },
            events: var("MAIL_EVENTS_SECRET")
                .filter(|v| !v.trim().is_empty())
                .map(|secret| {
                    Verifier::parse(provider, &secret).map_err(|e| invalid("MAIL_EVENTS_SECRET", e.to_string()))
                })
                .transpose()?,
        };

        // A service the Worker calls: https, or a local fake on this machine in development.
        let service_url = |name: &'static str| -> Result<Option<String>, ConfigError> {
            let Some(url) = var(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()) else { return Ok(None) };
            checked_url(name, &url, environment).map(|_| Some(url))
        };

        let webhook = match service_url("WEBHOOK_URL")? {
            None => None,
            Some(url) => {
                let secret = required("WEBHOOK_SECRET")?;
                if secret.len() < 32 {
                    return Err(invalid("WEBHOOK_SECRET", "must be at least 32 characters"));
                }
                let retry_base_secs = number("WEBHOOK_RETRY_BASE_SECS", 30, 1..=3600)? as u32;
                Some(WebhookConfig { url, secret: secret.into(), retry_base_secs })
            }
        };

        let turnstile = match var("TURNSTILE_SECRET").filter(|v| !v.trim().is_empty()) {
            None => None,
            Some(secret) => {
                let site_key = required("TURNSTILE_SITE_KEY")?.trim().to_owned();
                let verify_url = service_url("TURNSTILE_VERIFY_URL")?.unwrap_or_else(|| DEFAULT_VERIFY_URL.to_owned());
                Some(TurnstileConfig { site_key, secret: secret.trim().into(), verify_url })
            }
        };

        let ip_rate_limit = match var("IP_RATE_LIMIT").as_deref().map(str::trim) {
            None | Some("" | "on") => true,
            Some("off") if environment == Environment::Dev => false,
            Some("off") => return Err(invalid("IP_RATE_LIMIT", "`off` only works with ENVIRONMENT = \"dev\"")),
            Some(other) => return Err(invalid("IP_RATE_LIMIT", format!("`{other}`: expected `on` or `off`"))),
        };

        // `breach::query` drops a trailing slash itself.
        let breach_check_url = service_url("BREACH_CHECK_URL")?;

        let session_ttl_secs = number("SESSION_TTL_SECS", 12 * 3600, 300..=30 * 86_400)?;
        let session_idle_secs = number("SESSION_IDLE_SECS", 3600, 300..=30 * 86_400)?.min(session_ttl_secs);
        let recent_auth_secs = number("RECENT_AUTH_SECS", 600, 1..=86_400)?;
        let login_email_change_delay_secs = number("LOGIN_EMAIL_CHANGE_DELAY_SECS", 86_400, 0..=30 * 86_400)?;
        let consent_remember_secs = number("CONSENT_REMEMBER_SECS", 30 * 86_400, 0..=365 * 86_400)?;
        let legacy_sessions_until =
            number("LEGACY_SESSIONS_UNTIL", LEGACY_SESSIONS_UNTIL_DEFAULT, 0..=LEGACY_SESSIONS_UNTIL_DEFAULT)?;
        let login_refusal_floor_ms = number("LOGIN_REFUSAL_FLOOR_MS", 1000, 0..=10_000)?;
        let passkey_origins = passkey_origins(var("PASSKEY_ORIGINS").as_deref().unwrap_or(""))?;
        let (days, per_sec) = (number("INVITATION_LIFETIME_DAYS", 7, 1..=30)?, mail.requests_per_sec);
        let per_sec = number("INVITATION_MAILS_PER_SEC", InvitationConfig::default_mails_per_sec(per_sec), 1..=1000)?;
        let invitations = InvitationConfig::new(days, number("INVITATION_REMINDER_DAYS", 0, 0..=29)?, per_sec)
            .map_err(|problem| invalid("INVITATION_REMINDER_DAYS", problem))?;

        Ok(Config {
            passkey_origins,
            invitations,
            environment,
            policy,
            app_origin,
            hash_params,
            mail,
            session_ttl_secs,
            session_idle_secs,
            recent_auth_secs,
            login_email_change_delay_secs,
            consent_remember_secs,
            legacy_sessions_until,
            login_refusal_floor_ms,
            webhook,
            turnstile,
            ip_rate_limit,
            breach_check_url,
            two_step_issuer: two_step_issuer(var("TWO_STEP_ISSUER"))?,
            identity_checks: crate::identity_checks::IdentityChecks::parse(var("IDENTITY_CHECKS").as_deref())
                .map_err(|problem| invalid("IDENTITY_CHECKS", problem))?,
            sealing_keys: Keys::parse(&required("SEALING_KEYS")?)
                .map_err(|e| invalid("SEALING_KEYS", e.to_string()))?,
            oidc_keys: var("OIDC_SIGNING_KEYS")
                .filter(|v| !v.trim().is_empty())
                .map(|raw| SigningKeys::parse(&raw).map_err(|e| invalid("OIDC_SIGNING_KEYS", e.to_string())))
                .transpose()?,
            admin_token: admin_token(var("ADMIN_TOKEN"))?,
            site: site(&var)?,
        })
    }

    /// The configuration kept in `cell`, read from `env` the first time: a Durable Object reads it once, since its
    /// variables and secrets do not change under it (a deploy starts new objects).
    pub fn cached(cell: &std::cell::RefCell<Option<Config>>, env: &worker::Env) -> Result<Config, ConfigError> {
        if let Some(config) = cell.borrow().as_ref() {
            return Ok(config.clone());
        }
        let config = Config::from_env(env)?;
        *cell.borrow_mut() = Some(config.clone());
        Ok(config)
    }

    /// The configuration from the Worker's `Env`: secrets read as secrets, the rest as variables. Code that only has
    /// a `worker::Error` to return can use `?` on it: the error names the variable, never a secret's value.
    pub fn from_env(env: &worker::Env) -> Result<Config, ConfigError> {
        Config::parse(|name| {
            if SECRETS.contains(&name) {
                env.secret(name).map(|v| v.to_string()).ok()
            } else {
                env.var(name).map(|v| v.to_string()).ok()
            }
        })
    }

    /// Whether the development routes answer a request to `host`: on a development Worker, and only when the request
    /// came to this machine (a dev Worker reachable from elsewhere still shows nobody its mailbox).
    pub fn serves_dev_routes(&self, host: Option<&str>) -> bool {
        self.environment == Environment::Dev && host.is_some_and(is_loopback_host)
    }

    /// The host the pages are served from (`APP_ORIGIN`'s).
    pub fn app_host(&self) -> String {
        Url::parse(&self.app_origin).ok().and_then(|url| url.host_str().map(str::to_owned)).unwrap_or_default()
    }

    /// The site as passkeys know it: `APP_ORIGIN`'s host is the relying party, and its origin (with any of
    /// `PASSKEY_ORIGINS`) the only ones whose answers count.
    pub fn relying_party(&self) -> crate::webauthn::RelyingParty {
        let origins = std::iter::once(self.app_origin.clone()).chain(self.passkey_origins.iter().cloned()).collect();
        let name = self.site.school_name.clone().unwrap_or_else(|| "latchkey".into());
        crate::webauthn::RelyingParty { id: self.app_host(), name, origins }
    }

    /// Whether the pages are served over https (always, outside development).
    pub fn secure_origin(&self) -> bool {
        self.app_origin.starts_with("https://")
    }

    /// Whether `presented` is the admin token. Compares SHA-256 digests, so timing tells nothing about the token;
    /// without a configured token the admin API is closed.
    pub fn admin_token_matches(&self, presented: &str) -> bool {
        use sha2::{Digest, Sha256};
        match &self.admin_token {
            Some(expected) => Sha256::digest(expected.expose_str().as_bytes()) == Sha256::digest(presented.as_bytes()),
            None => false,
        }
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;

/// `PASSKEY_ORIGINS`: comma-separated; each an https origin or an Android app's `android:apk-key-hash:…`.
fn passkey_origins(raw: &str) -> Result<Vec<String>, ConfigError> {
    raw.split(',')
        .map(str::trim)
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            let web = Url::parse(origin).ok().filter(|url| url.scheme() == "https" && url.path() == "/");
            let app = origin.strip_prefix("android:apk-key-hash:").is_some_and(|hash| {
                !hash.is_empty() && hash.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            });
            match (web, app) {
                (Some(url), _) if origin.trim_end_matches('/') == url.origin().ascii_serialization() => {
                    Ok(url.origin().ascii_serialization())
                }
                (_, true) => Ok(origin.to_owned()),
                _ => Err(invalid(
                    "PASSKEY_ORIGINS",
                    format!("`{origin}`: expected https://host or android:apk-key-hash:HASH"),
                )),
            }
        })
        .collect()
}
