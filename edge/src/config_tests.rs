//! The configuration's rules, one variable at a time, and the shipped `wrangler.toml`.

use super::*;
use std::collections::HashMap;

fn vars(pairs: &[(&'static str, &str)]) -> impl Fn(&'static str) -> Option<String> {
    let mut map: HashMap<&'static str, String> = [
        ("POLICY", "default"),
        ("APP_ORIGIN", "https://reset.school.org"),
        ("MAIL_PROVIDER", "resend"),
        ("MAIL_API_KEY", "re_123"),
        ("MAIL_FROM", "School <no-reply@school.org>"),
        ("SEALING_KEYS", crate::seal::TEST_KEYS),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect();
    for (k, v) in pairs {
        map.insert(k, v.to_string());
    }
    move |name| map.get(name).cloned()
}

fn problem(pairs: &[(&'static str, &str)]) -> String {
    Config::parse(vars(pairs)).unwrap_err().to_string()
}

#[test]
fn a_production_configuration() {
    let config = Config::parse(vars(&[])).unwrap();
    assert_eq!(config.environment, Environment::Production);
    assert_eq!(config.app_host(), "reset.school.org");
    assert_eq!((config.session_ttl_secs, config.session_idle_secs), (12 * 3600, 3600));
    assert!(problem(&[("SESSION_IDLE_SECS", "10")]).contains("SESSION_IDLE_SECS"));
    assert!(problem(&[("RECENT_AUTH_SECS", "0")]).contains("RECENT_AUTH_SECS"));
    assert_eq!(config.login_refusal_floor_ms, 1000);
    assert!(problem(&[("LOGIN_REFUSAL_FLOOR_MS", "60000")]).contains("LOGIN_REFUSAL_FLOOR_MS"));
    assert_eq!(config.mail.base_url, "https://api.resend.com");
    assert_eq!(config.hash_params, HashParams::default());
    assert_eq!(config.policy.rules.token_lifetime_secs, 3600);
    assert!(!config.admin_token_matches(""), "no admin token configured: closed");
    assert!(config.webhook.is_none());
    assert!(config.ip_rate_limit);
    assert!(config.turnstile.is_none());
    assert!(problem(&[("TURNSTILE_SECRET", "0x4BBB")]).contains("TURNSTILE_SITE_KEY"));
    let turnstile = Config::parse(vars(&[("TURNSTILE_SECRET", "0x4BBB"), ("TURNSTILE_SITE_KEY", "0x4AAA")]));
    assert_eq!(turnstile.unwrap().turnstile.unwrap().verify_url, DEFAULT_VERIFY_URL);
    assert!(problem(&[("IP_RATE_LIMIT", "off")]).contains("IP_RATE_LIMIT"), "production keeps the IP limit");
    let dev = [("IP_RATE_LIMIT", "off"), ("ENVIRONMENT", "dev"), ("APP_ORIGIN", "http://127.0.0.1:8787")];
    assert!(!Config::parse(vars(&dev)).unwrap().ip_rate_limit);
}

#[test]
fn the_two_step_issuer() {
    assert_eq!(Config::parse(vars(&[])).unwrap().two_step_issuer, "latchkey");
    assert_eq!(Config::parse(vars(&[("TWO_STEP_ISSUER", " Oak School ")])).unwrap().two_step_issuer, "Oak School");
    assert!(problem(&[("TWO_STEP_ISSUER", "Oak:School")]).contains("TWO_STEP_ISSUER"));
    assert!(problem(&[("TWO_STEP_ISSUER", &"x".repeat(65))]).contains("TWO_STEP_ISSUER"));
}

#[test]
fn a_webhook_needs_https_and_a_long_secret() {
    let secret = "k".repeat(32);
    let config = Config::parse(vars(&[("WEBHOOK_URL", "https://site.example/hook"), ("WEBHOOK_SECRET", &secret)]));
    let webhook = config.unwrap().webhook.unwrap();
    assert_eq!((webhook.url.as_str(), webhook.retry_base_secs), ("https://site.example/hook", 30));
    assert!(!format!("{webhook:?}").contains(&secret), "Debug leaves the secret out");
    assert!(
        problem(&[("WEBHOOK_URL", "http://site.example/hook"), ("WEBHOOK_SECRET", &secret)]).contains("WEBHOOK_URL")
    );
    assert!(problem(&[("WEBHOOK_URL", "https://site.example/hook")]).contains("WEBHOOK_SECRET"));
    let short = problem(&[("WEBHOOK_URL", "https://site.example/hook"), ("WEBHOOK_SECRET", "short")]);
    assert!(short.contains("WEBHOOK_SECRET") && !short.contains("short`"), "{short}");
}

#[test]
fn each_bad_value_names_its_variable() {
    assert!(problem(&[("POLICY", "")]).contains("`POLICY` is not set"));
    assert!(problem(&[("APP_ORIGIN", "http://reset.school.org")]).contains("APP_ORIGIN"));
    assert!(problem(&[("APP_ORIGIN", "https://x.org/path")]).contains("APP_ORIGIN"));
    assert!(problem(&[("MAIL_PROVIDER", "mailchannels")]).contains("MAIL_PROVIDER"));
    assert!(problem(&[("MAIL_PROVIDER", "dev-mailbox")]).contains("only works with ENVIRONMENT"));
    assert!(problem(&[("MAIL_API_KEY", "")]).contains("MAIL_API_KEY"));
    assert!(problem(&[("ARGON2_MEMORY_KIB", "1024")]).contains("ARGON2_MEMORY_KIB"));
    assert!(problem(&[("ARGON2_ITERATIONS", "two")]).contains("not a whole number"));
    assert!(problem(&[("TOKEN_LIFETIME_SECS", "30")]).contains("TOKEN_LIFETIME_SECS"));
    assert!(problem(&[("ENVIRONMENT", "staging")]).contains("ENVIRONMENT"));
    assert!(problem(&[("MAIL_FROM", "a@b.org\r\nBcc: x@y.org")]).contains("MAIL_FROM"));
    assert!(problem(&[("POLICY", "strict")]).contains("POLICY"));
    assert!(problem(&[("SEALING_KEYS", "")]).contains("SEALING_KEYS"));
    assert!(problem(&[("SEALING_KEYS", "k1:dG9vIHNob3J0")]).contains("SEALING_KEYS"));
    assert!(problem(&[("MAIL_EVENTS_SECRET", "U0VDUkVU")]).contains("MAIL_EVENTS_SECRET"));
    assert!(
        problem(&[("MAIL_PROVIDER", "postmark"), ("MAIL_EVENTS_SECRET", "user:short")]).contains("MAIL_EVENTS_SECRET")
    );
    assert!(problem(&[("MAIL_PROVIDER", "cloudflare"), ("MAIL_EVENTS_SECRET", "whsec_U0VDUkVU")])
        .contains("resend or postmark"));
}

#[test]
fn debug_of_a_full_configuration_prints_no_secret() {
    let secrets = [
        ("MAIL_API_KEY", "re_SECRET_MAIL_KEY_0123456789"),
        ("ADMIN_TOKEN", "SECRET-ADMIN-TOKEN-0123456789abcdef"),
        ("WEBHOOK_SECRET", "SECRET-WEBHOOK-0123456789abcdef-0123456789"),
        ("TURNSTILE_SECRET", "SECRET-TURNSTILE-0123456789"),
        ("MAIL_EVENTS_SECRET", "whsec_U0VDUkVULU1BSUwtRVZFTlRTLTAxMjM0NTY3ODk="),
        ("SEALING_KEYS", "k9:SECRETSECRETSECRETSECRETSECRETSECRETSECRET0="),
    ];
    let mut pairs = vec![("WEBHOOK_URL", "https://site.example/hook"), ("TURNSTILE_SITE_KEY", "0x4AAA")];
    pairs.extend(secrets);
    let config = Config::parse(vars(&pairs)).unwrap();
    assert!(config.webhook.is_some() && config.turnstile.is_some() && config.admin_token_matches(secrets[1].1));
    assert!(config.mail.events.is_some());
    let printed = format!("{config:?}");
    for (name, secret) in secrets {
        assert!(!printed.contains(secret), "{name} printed: {printed}");
    }
    assert!(printed.contains("0x4AAA"), "what is not secret still shows: {printed}");
}

#[test]
fn urls_are_parsed_not_matched_by_prefix() {
    let dev = |pairs: &[(&'static str, &str)]| {
        let mut all = vec![("ENVIRONMENT", "dev"), ("APP_ORIGIN", "http://127.0.0.1:8787")];
        all.extend_from_slice(pairs);
        Config::parse(vars(&all))
    };
    let problem_in_dev = |pairs: &[(&'static str, &str)]| dev(pairs).unwrap_err().to_string();
    assert!(problem_in_dev(&[("APP_ORIGIN", "http://127.0.0.1.evil.tld")]).contains("APP_ORIGIN"));
    assert!(problem_in_dev(&[("WEBHOOK_URL", "http://127.0.0.1.evil.tld/hook"), ("WEBHOOK_SECRET", &"k".repeat(32))])
        .contains("WEBHOOK_URL"));
    assert!(problem_in_dev(&[("BREACH_CHECK_URL", "http://127.0.0.1@evil.tld")]).contains("BREACH_CHECK_URL"));
    assert!(problem(&[("APP_ORIGIN", "https://admin:hunter2@reset.school.org")]).contains("user name"));
    assert!(problem(&[("APP_ORIGIN", "https://reset.school.org/?next=x")]).contains("APP_ORIGIN"));
    assert!(problem(&[("MAIL_API_BASE", "http://127.0.0.1:9")]).contains("MAIL_API_BASE"), "http only in dev");
    for local in ["http://localhost:8787", "http://[::1]:8787", "http://127.0.0.1:8787/"] {
        assert_eq!(dev(&[("APP_ORIGIN", local)]).map(|c| c.app_origin).ok(), Some(local.trim_end_matches('/').into()));
    }
    assert!(dev(&[("BREACH_CHECK_URL", "http://127.0.0.1:9/hibp")]).is_ok(), "a local fake in development");
}

#[test]
fn development_mode_only_on_this_machine() {
    let refused = problem(&[("ENVIRONMENT", "dev")]);
    assert!(refused.contains("ENVIRONMENT") && refused.contains("127.0.0.1"), "{refused}");
}

#[test]
fn development_routes_answer_only_a_development_worker_on_this_machine() {
    let dev = Config::parse(vars(&[("ENVIRONMENT", "dev"), ("APP_ORIGIN", "http://127.0.0.1:8787")])).unwrap();
    assert!(dev.serves_dev_routes(Some("127.0.0.1")) && dev.serves_dev_routes(Some("localhost")));
    assert!(!dev.serves_dev_routes(Some("latchkey.example.org")) && !dev.serves_dev_routes(None));
    assert!(!Config::parse(vars(&[])).unwrap().serves_dev_routes(Some("127.0.0.1")), "production: never");
}

#[test]
fn the_admin_token_is_long_and_random_or_absent() {
    for weak in ["short-token-123", &"a".repeat(40), "passwordpasswordpasswordpassword"] {
        assert!(problem(&[("ADMIN_TOKEN", weak)]).contains("ADMIN_TOKEN"), "{weak}");
    }
    let strong = "J8q2-vL0x_Rt5ZmWc9Ny3BkPd7FsH1gA";
    assert!(Config::parse(vars(&[("ADMIN_TOKEN", strong)])).unwrap().admin_token_matches(strong));
    assert!(!Config::parse(vars(&[("ADMIN_TOKEN", "")])).unwrap().admin_token_matches(""), "absent: closed");
}

#[test]
fn config_invalid_says_why_only_to_this_machine() {
    let error = Config::parse(vars(&[("POLICY", "strict")])).unwrap_err();
    assert_eq!(config_invalid(&error, Locale::En, false).error.detail, None);
    assert!(config_invalid(&error, Locale::En, true).error.detail.is_some_and(|d| d.contains("POLICY")));
}

#[test]
fn secrets_never_appear_in_errors() {
    let err = problem(&[("MAIL_API_BASE", "ftp://x"), ("MAIL_API_KEY", "re_SUPERSECRET")]);
    assert!(!err.contains("SUPERSECRET"), "{err}");
}

#[test]
fn the_shipped_wrangler_toml_is_a_valid_configuration() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../wrangler.toml")).unwrap();
    let manifest: toml::Table = text.parse().unwrap();
    let shipped: HashMap<String, String> =
        manifest["vars"].as_table().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned())).collect();
    // Secrets are set with `wrangler secret put`, never in the file.
    for secret in SECRETS {
        assert!(!shipped.contains_key(*secret), "{secret} in [vars]");
    }
    let config = Config::parse(|name| match name {
        "MAIL_API_KEY" => Some("re_from_a_secret".into()),
        "SEALING_KEYS" => Some(crate::seal::TEST_KEYS.into()),
        other => shipped.get(other).cloned(),
    })
    .unwrap();
    assert_eq!(config.environment, Environment::Production);
    assert_eq!(config.policy, latchkey_shared::Policy::brief_default());
}

#[test]
fn dev_allows_localhost_and_the_mailbox() {
    let config = Config::parse(vars(&[
        ("ENVIRONMENT", "dev"),
        ("APP_ORIGIN", "http://127.0.0.1:8787"),
        ("MAIL_PROVIDER", "dev-mailbox"),
        ("TOKEN_LIFETIME_SECS", "60"),
        ("ADMIN_TOKEN", "dev-admin-token-0123456789abcdefXYZ"),
    ]))
    .unwrap();
    assert_eq!(config.environment, Environment::Dev);
    assert_eq!(config.policy.rules.token_lifetime_secs, 60);
    assert!(config.admin_token_matches("dev-admin-token-0123456789abcdefXYZ"));
    assert!(!config.admin_token_matches("dev-admin-token-0123456789abcdefXY"));
}
